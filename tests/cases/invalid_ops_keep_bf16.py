import torch
import torch.nn.functional as F

model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14").cuda().eval()
views = [v.cuda().to(torch.bfloat16) for v in crops]
x = torch.cat(views, dim=0)
x = F.interpolate(x, size=(224, 224), mode="bilinear")
with torch.no_grad():
    out = model(x)  # expect: BFD001
    single = model(views[0].unsqueeze(0))  # expect: BFD001
