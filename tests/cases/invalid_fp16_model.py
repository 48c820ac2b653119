# A model cast to float16 is no protection: a bf16 input crashes it too (`Input type
# (c10::BFloat16) and bias type (c10::Half)`). `.float()` would crash it the other way, so
# the fix casts the input to the weights' dtype at the call.
import timm
import torch

images = torch.rand(8, 3, 224, 224).to("cuda", dtype=torch.bfloat16)
half = timm.create_model("vit_base_patch16_224", pretrained=True).half()
half(images)  # expect: BFD001

mixed = timm.create_model("convnext_tiny", pretrained=True).cuda().to(torch.float16)
with torch.autocast("cuda", dtype=torch.bfloat16):
    mixed(images)  # expect: BFD002
