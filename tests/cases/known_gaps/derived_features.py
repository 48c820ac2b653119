import torch
from diffusers import AutoencoderKL
from torchvision.models import vgg16, VGG16_Weights

device = "cuda"
vae = AutoencoderKL.from_pretrained("stabilityai/sd-vae-ft-mse", torch_dtype=torch.bfloat16).to(device)
perceptual = vgg16(weights=VGG16_Weights.IMAGENET1K_V1).features.to(device).eval()


def perceptual_loss(latents, target):
    recon = vae.decode(latents.to(torch.bfloat16)).sample
    return (perceptual(recon) - perceptual(target)).pow(2).mean()  # expect: BFD001
