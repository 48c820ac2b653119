import torch


class Config:
    precision = "fp32"
    image_size = 224

    @property
    def dtype(self):
        return torch.bfloat16 if self.precision == "bf16" else torch.float32


cfg = Config()
