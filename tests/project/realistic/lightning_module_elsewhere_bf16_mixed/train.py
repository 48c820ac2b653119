import lightning as L
import torch
from torch.utils.data import DataLoader, TensorDataset

from lit_module import LitClassifier

data = TensorDataset(torch.rand(4, 3, 64, 64), torch.randint(0, 10, (4,)))
trainer = L.Trainer(precision="bf16-mixed", max_epochs=1, logger=False, enable_checkpointing=False)
trainer.fit(LitClassifier(), DataLoader(data, batch_size=2))
