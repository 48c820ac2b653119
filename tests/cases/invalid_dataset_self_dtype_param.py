import torch
from torch.utils.data import Dataset, DataLoader


class Cached(Dataset):
    def __init__(self, files, dtype=torch.float32):
        self.files = files
        self.dtype = dtype

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return torch.load(self.files[i]).to(self.dtype)


model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14").cuda()
dl = DataLoader(Cached(files, dtype=torch.bfloat16), batch_size=8)
for x in dl:
    model(x.cuda())  # expect: BFD001
