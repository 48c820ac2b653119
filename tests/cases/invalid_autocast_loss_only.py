import torch
import timm

model = timm.create_model("resnet50", pretrained=True).cuda()
criterion = torch.nn.CrossEntropyLoss()
for images, labels in loader:
    images = images.cuda().bfloat16()
    logits = model(images)  # expect: BFD001
    with torch.autocast("cuda", dtype=torch.bfloat16):  # expect: BFD003
        loss = criterion(logits, labels.cuda())
    loss.backward()
