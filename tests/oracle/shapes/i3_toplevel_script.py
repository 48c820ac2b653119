import torch
from PIL import Image
from torchvision import transforms
from torchvision.models import mobilenet_v3_large, MobileNet_V3_Large_Weights

weights = MobileNet_V3_Large_Weights.DEFAULT
clf = mobilenet_v3_large(weights=weights).cuda().eval()
prep = weights.transforms()

photo = prep(Image.open("cat.jpg")).unsqueeze(0).cuda().type(torch.bfloat16)
probs = clf(photo).softmax(-1)
print(weights.meta["categories"][probs.argmax().item()])

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: I3
# label: BFD001 at line 11
# adapted: nothing (PIL.Image.open is synthetic under the oracle)
