import torch
from transformers import AutoModelForImageClassification, Trainer, TrainingArguments

model = AutoModelForImageClassification.from_pretrained("microsoft/resnet-50", num_labels=10)
args = TrainingArguments(output_dir="out", bf16=True, per_device_train_batch_size=32)
trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=val_ds)
trainer.train()
preds = trainer.predict(val_ds)
