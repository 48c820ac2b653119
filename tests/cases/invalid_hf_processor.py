# HF BatchFeature cast to bf16 for a backbone that does not cast its input.
import torch
from transformers import AutoImageProcessor, AutoModel, ResNetModel

processor = AutoImageProcessor.from_pretrained("microsoft/resnet-50")
resnet = ResNetModel.from_pretrained("microsoft/resnet-50").to("cuda")
convnext = AutoModel.from_pretrained("facebook/convnext-base-224").to("cuda")


def features(image):
    inputs = processor(images=image, return_tensors="pt").to("cuda", torch.bfloat16)
    return resnet(**inputs).pooler_output  # expect: BFD001


def convnext_features(pixel_values, accelerator):
    weight_dtype = torch.bfloat16 if accelerator.mixed_precision == "bf16" else torch.float32
    pixel_values = pixel_values.to(accelerator.device, dtype=weight_dtype)
    return convnext(pixel_values=pixel_values)  # expect: BFD001
