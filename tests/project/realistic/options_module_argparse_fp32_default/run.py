import timm
import torch

from options import get_args

args = get_args()
dtype = torch.bfloat16 if args.precision == "bf16" else torch.float32
model = timm.create_model(args.model, pretrained=True).cuda().eval()
images = torch.randn(args.batch_size, 3, 224, 224, device="cuda", dtype=dtype)
with torch.no_grad():
    print(model(images).shape)
