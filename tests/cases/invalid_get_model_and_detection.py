import torch
import torchvision
from torchvision.models.detection import fasterrcnn_resnet50_fpn_v2, FasterRCNN_ResNet50_FPN_V2_Weights

cls = torchvision.models.get_model("resnet50", weights="DEFAULT").cuda().eval()
det = fasterrcnn_resnet50_fpn_v2(weights=FasterRCNN_ResNet50_FPN_V2_Weights.DEFAULT).cuda().eval()
x = torch.load("x.pt").cuda().to(torch.bfloat16)
with torch.no_grad():
    a = cls(x)  # expect: BFD001
    b = det([x[0]])  # expect: BFD001
