"""The stand-in libraries keep each real library's API and dtype behaviour (the contract's list):
each case is a small program with the outcome the real library gives. All programs run in one
batch (a module fixture); each test checks its cases."""
from __future__ import annotations

import re
import textwrap
from typing import Dict, Optional, Tuple

import pytest

from oracle import Label, Program, label_programs

CALL = "# <- crash site"
BF16 = r"Input type \(c10::BFloat16\) and bias type \(float\) should be the same"
STEM = r"expected scalar type BFloat16 but found Float|Input type \(CPUBFloat16Type\)"
REVERSE_STEM = r"Input type \(torch\.FloatTensor\) and weight type \(CPUBFloat16Type\)|expected scalar type Float"

# name -> (source, expected label code, message regex for the crash or None)
CASES: Dict[str, Tuple[str, Optional[str], Optional[str]]] = {}


def case(name: str, code: Optional[str], message: Optional[str] = None):
    def register(source: str) -> None:
        CASES[name] = (textwrap.dedent(source), code, message)
    return register


case("hub_dinov2_reg", "BFD001", BF16)(f"""\
import torch
model = torch.hub.load("facebookresearch/dinov2", "dinov2_vitb14_reg", pretrained=True).cuda().eval()
x = torch.rand(1, 3, 56, 56, device="cuda", dtype=torch.bfloat16)
layers = model.get_intermediate_layers(x, n=1, reshape=True)  {CALL}
""")
case("hub_dinov2_features_fixed", None)("""\
import torch
model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
out = model.forward_features(torch.rand(2, 3, 56, 56).bfloat16().float())
assert out["x_norm_clstoken"].shape == (2, model.embed_dim)
assert model.get_intermediate_layers(torch.rand(1, 3, 56, 56), n=2, reshape=True)[0].shape == (1, 64, 4, 4)
""")
case("hub_unknown_repo", "invalid", r"unknown torch.hub entry")("""\
import torch
torch.hub.load("someone/else", "model")
""")
case("hub_pytorch_vision", "BFD001", STEM)(f"""\
import torch
model = torch.hub.load("pytorch/vision", "resnet18", weights="IMAGENET1K_V1").cuda()
model(torch.rand(1, 3, 32, 32, device="cuda").bfloat16())  {CALL}
""")
case("timm_api", None)("""\
import timm, torch
from PIL import Image
model = timm.create_model("vit_base_patch16_224.augreg_in21k", pretrained=True, num_classes=5)
assert model.num_features == 64 and model.default_cfg["input_size"] == (3, 224, 224)
config = timm.data.resolve_data_config({}, model=model)
transform = timm.data.create_transform(**config)
x = transform(Image.open("cat.jpg")).unsqueeze(0)
assert x.dtype == torch.float32 and x.shape == (1, 3, 224, 224)
feats = model.forward_features(x)
assert model.forward_head(feats, pre_logits=True).shape == (1, 64)
model.reset_classifier(0)
assert model(x).shape == (1, 64)
assert timm.create_model("resnet50", num_classes=0)(torch.rand(2, 3, 32, 32)).shape == (2, 64)
""")
case("timm_resnet_stem", "BFD001", STEM)(f"""\
import timm, torch
model = timm.create_model("resnet50", pretrained=True).cuda()
model(torch.rand(2, 3, 32, 32).cuda().bfloat16())  {CALL}
""")
case("timm_convnext_stem_bias", "BFD001", BF16)(f"""\
import timm, torch
model = timm.create_model("convnext_tiny", pretrained=True).cuda()
model.forward_features(torch.rand(2, 3, 32, 32, device="cuda").bfloat16())  {CALL}
""")
case("timm_efficientnet_under_autocast", "BFD002", STEM)(f"""\
import timm, torch
model = timm.create_model("efficientnet_b0", pretrained=True, num_classes=3).cuda()
with torch.cuda.amp.autocast(dtype=torch.bfloat16):
    model(torch.rand(2, 3, 32, 32, device="cuda").bfloat16())  {CALL}
""")
case("torchvision_weights_and_preset", None)("""\
import torch
from torchvision import models
from PIL import Image
weights = models.ResNet50_Weights.DEFAULT
assert weights is models.ResNet50_Weights.IMAGENET1K_V2 and len(weights.meta["categories"]) == 1000
preprocess = weights.transforms()
x = preprocess(Image.open("dog.png")).unsqueeze(0)
assert x.dtype == torch.float32 and x.shape == (1, 3, 224, 224)
model = models.get_model("resnet50", weights=weights).eval()
assert model(x).shape == (1, 1000)
vit = models.vit_b_16(weights=models.ViT_B_16_Weights.IMAGENET1K_V1)
vit.heads.head = torch.nn.Linear(vit.heads.head.in_features, 3)
eff = models.efficientnet_b0(pretrained=True)
eff.classifier[1] = torch.nn.Linear(eff.classifier[1].in_features, 3)
assert vit(x).shape == eff(x).shape == (1, 3)
""")
case("torchvision_every_model_has_its_first_layer", None)("""\
import re
import torch
from torchvision import models
names = models.list_models()
assert {"resnet50", "vit_b_16", "swin_t", "vgg16", "convnext_tiny", "efficientnet_b0", "regnet_y_400mf"} <= set(names)
for name in names:
    model = models.get_model(name, weights=models.get_model_weights(name).DEFAULT).eval()
    out = model(torch.rand(2, 3, 32, 32))
    assert (out["out"] if isinstance(out, dict) else out).shape[0] == 2, name
    try:
        model(torch.rand(2, 3, 32, 32).bfloat16())
    except RuntimeError as error:
        assert re.search(r"BFloat16.*(float|Float)", str(error)), (name, str(error))
    else:
        raise AssertionError(f"{name} accepted a bf16 image into float32 weights")
""")
case("torchvision_vit_conv_proj", "BFD001", BF16)(f"""\
import torch, torchvision
model = torchvision.models.vit_b_16(weights="DEFAULT").cuda()
model(torch.rand(2, 3, 32, 32, device="cuda", dtype=torch.bfloat16))  {CALL}
""")
case("torchvision_segmentation", "BFD001", STEM)(f"""\
import torch
from torchvision.models.segmentation import deeplabv3_resnet50, DeepLabV3_ResNet50_Weights
model = deeplabv3_resnet50(weights=DeepLabV3_ResNet50_Weights.DEFAULT).cuda().eval()
out = model(torch.rand(1, 3, 32, 32, device="cuda"))["out"]
assert out.shape == (1, 21, 32, 32)
model(torch.rand(1, 3, 32, 32, device="cuda").bfloat16())  {CALL}
""")
case("torchvision_transforms_keep_bf16", "BFD001", STEM)(f"""\
import torch
from torchvision import datasets, models, transforms
tf = transforms.Compose([
    transforms.RandomResizedCrop(32), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
    transforms.ConvertImageDtype(torch.bfloat16), transforms.Normalize([0.5] * 3, [0.5] * 3),
])
data = datasets.ImageFolder("data/train", transform=tf)
assert data.classes == ["cat", "dog"] and len(data) > 0
loader = torch.utils.data.DataLoader(data, batch_size=4, shuffle=True)
model = models.resnet18(weights=models.ResNet18_Weights.DEFAULT).cuda()
for images, labels in loader:
    assert images.dtype == torch.bfloat16 and images.shape == (4, 3, 32, 32)
    model(images.cuda())  {CALL}
""")
case("torchvision_v2_to_dtype", "BFD001", BF16)(f"""\
import torch
from torchvision.transforms import v2
from torchvision import datasets, models
tf = v2.Compose([v2.ToImage(), v2.Resize((32, 32)), v2.ToDtype(torch.bfloat16, scale=True),
                 v2.Normalize([0.5] * 3, [0.5] * 3)])
image, label = datasets.CIFAR10("data", train=True, download=True, transform=tf)[0]
assert image.dtype == torch.bfloat16 and float(image.max()) <= 1.0 and isinstance(label, int)
pair = tf(datasets.FakeData(size=2, image_size=(3, 40, 40))[0][0], 7)
assert pair[1] == 7 and pair[0].shape == (3, 32, 32)
model = models.convnext_tiny(weights=models.ConvNeXt_Tiny_Weights.DEFAULT).cuda()
model(image.unsqueeze(0).cuda())  {CALL}
""")
case("pil_image", None)("""\
from PIL import Image
import numpy as np
image = Image.open("photo.jpg").convert("RGB")
assert image.mode == "RGB" and image.size == (80, 64)
small = image.resize((32, 16))
assert small.size == (32, 16) and np.asarray(small).shape == (16, 32, 3)
assert Image.open("photo.jpg").size == image.size
""")
case("open_clip_encode_image_does_not_cast", "BFD001", STEM)(f"""\
import torch, open_clip
from PIL import Image
model, _, preprocess = open_clip.create_model_and_transforms("ViT-B-32", pretrained="laion2b_s34b_b79k")
model = model.cuda()
tokenizer = open_clip.get_tokenizer("ViT-B-32")
image = preprocess(Image.open("a.jpg")).unsqueeze(0).cuda()
assert image.dtype == torch.float32
assert model.encode_image(image).dtype == model.encode_text(tokenizer(["a dog"]).cuda()).dtype == torch.float32
model.encode_image(image.to(torch.bfloat16))  {CALL}
""")
case("open_clip_precision_bf16_reverse", "invalid", REVERSE_STEM)(f"""\
import torch, open_clip
model, _, preprocess = open_clip.create_model_and_transforms("ViT-B-16", pretrained="openai", precision="bf16",
                                                               device="cuda")
assert model.encode_image(torch.rand(1, 3, 224, 224, device="cuda").bfloat16()).dtype == torch.bfloat16
model.encode_image(torch.rand(1, 3, 224, 224, device="cuda"))  {CALL}
""")
case("open_clip_amp_bf16", "BFD002", STEM)(f"""\
import torch, open_clip
model = open_clip.create_model("ViT-L-14", pretrained="openai", precision="amp_bf16", device="cuda")
with torch.autocast("cuda", dtype=torch.bfloat16):
    model.encode_image(torch.rand(1, 3, 56, 56, device="cuda").bfloat16())  {CALL}
""")
case("clip_load_casts", None)("""\
import torch, clip
model, preprocess = clip.load("ViT-B/32", device="cuda")
assert model.dtype == torch.float16
features = model.encode_image(torch.rand(1, 3, 224, 224, device="cuda").bfloat16())
assert features.dtype == torch.float16
assert model.encode_text(clip.tokenize(["a photo"]).cuda()).shape == features.shape
""")
case("sam_image_encoder", "BFD001", BF16)(f"""\
import torch
from segment_anything import sam_model_registry
sam = sam_model_registry["vit_b"](checkpoint="sam_vit_b_01ec64.pth").cuda()
image = torch.rand(1, 3, 64, 64, device="cuda").bfloat16()
assert sam.image_encoder(sam.preprocess(image * 255)).dtype == torch.float32  # fp32 buffers promote
sam.image_encoder(image)  {CALL}
""")
case("sam_predictor", None)("""\
import numpy as np
from segment_anything import SamPredictor, sam_model_registry
sam = sam_model_registry["default"](checkpoint="sam.pth").to(device="cuda")
predictor = SamPredictor(sam)
predictor.set_image(np.zeros((48, 80, 3), dtype=np.uint8))
masks, scores, logits = predictor.predict(point_coords=np.array([[10, 10]]), point_labels=np.array([1]))
assert masks.shape[-2:] == (48, 80) and len(scores) == 3
""")
case("transformers_processor_batchfeature", None)("""\
import torch
from PIL import Image
from transformers import AutoImageProcessor, AutoModelForImageClassification
processor = AutoImageProcessor.from_pretrained("google/vit-base-patch16-224")
model = AutoModelForImageClassification.from_pretrained("google/vit-base-patch16-224", num_labels=3).cuda()
inputs = processor(images=[Image.open("a.jpg")] * 2, return_tensors="pt")
assert inputs["pixel_values"].dtype == torch.float32
inputs = inputs.to("cuda", torch.bfloat16)
assert inputs.pixel_values.dtype == torch.bfloat16
out = model(**inputs, labels=torch.tensor([0, 1], device="cuda"))
assert out.logits.shape == (2, 3) and out.loss is not None
""")
case("transformers_torch_dtype", "BFD001", BF16)(f"""\
import torch
from transformers import AutoModel
vit = AutoModel.from_pretrained("facebook/dinov2-base", torch_dtype=torch.bfloat16).cuda()
assert vit(pixel_values=torch.rand(1, 3, 56, 56, device="cuda")).last_hidden_state.dtype == torch.bfloat16
convnext = AutoModel.from_pretrained("facebook/convnext-base-224").cuda()
convnext(torch.rand(1, 3, 32, 32, device="cuda").bfloat16())  {CALL}
""")
case("transformers_siglip_casts", None)("""\
import torch
from transformers import SiglipVisionModel, AutoModel
model = SiglipVisionModel.from_pretrained("google/siglip-base-patch16-224").cuda()
assert model(torch.rand(1, 3, 64, 64, device="cuda").bfloat16()).pooler_output.dtype == torch.float32
""")
case("accelerate_no", "BFD001", BF16)(f"""\
import torch, timm
from accelerate import Accelerator
accelerator = Accelerator(mixed_precision="no")
model = timm.create_model("vit_small_patch16_224", num_classes=2)
optimizer = torch.optim.AdamW(model.parameters())
model, optimizer = accelerator.prepare(model, optimizer)
model(torch.rand(2, 3, 32, 32, device=accelerator.device).bfloat16())  {CALL}
""")
case("accelerate_bf16_prepare", "BFD002", BF16)(f"""\
import torch, timm
from accelerate import Accelerator
accelerator = Accelerator(mixed_precision="bf16")
model = accelerator.prepare(timm.create_model("vit_small_patch16_224", num_classes=2))
out = model(torch.rand(2, 3, 32, 32, device=accelerator.device).bfloat16())  {CALL}
assert out.dtype == torch.float32  # convert_outputs_to_fp32
assert accelerator.unwrap_model(model) is model
""")
case("accelerate_autocast_context", "BFD002", STEM)(f"""\
import torch, torchvision
from accelerate import Accelerator
accelerator = Accelerator(mixed_precision="bf16")
model = torchvision.models.resnet18().to(accelerator.device)
with accelerator.autocast():
    model(torch.rand(2, 3, 32, 32, device=accelerator.device).bfloat16())  {CALL}
""")

LIGHTNING = """\
import torch, timm
import {package} as L

class Classifier(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.backbone = timm.create_model("vit_small_patch16_224", num_classes=3)

    def training_step(self, batch, batch_idx):
        images, labels = batch
        return torch.nn.functional.cross_entropy(self.backbone(images), labels)  {call}

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=1e-3)

data = torch.utils.data.TensorDataset(torch.rand(8, 3, 32, 32).bfloat16(), torch.randint(0, 3, (8,)))
trainer = L.Trainer(max_epochs=1, precision="{precision}", accelerator="gpu", devices=1, logger=False)
trainer.fit(Classifier(), torch.utils.data.DataLoader(data, batch_size=4))  {call}
"""
for _package in ("lightning", "pytorch_lightning"):
    for _precision, _code in (("32", "BFD001"), ("bf16-mixed", "BFD002"), ("bf16-true", None)):
        case(f"{_package}_{_precision}", _code, BF16)(LIGHTNING.format(package=_package, precision=_precision, call=CALL))

case("fabric_bf16_mixed", "BFD002", BF16)(f"""\
import torch, timm
from lightning.fabric import Fabric
fabric = Fabric(accelerator="cuda", devices=1, precision="bf16-mixed")
fabric.launch()
model, optimizer = fabric.setup(timm.create_model("deit_small_patch16_224"), torch.optim.SGD([torch.zeros(1)], lr=0.1))
loss = model(torch.rand(2, 3, 32, 32, device=fabric.device).bfloat16()).sum()  {CALL}
fabric.backward(loss)
""")


@pytest.fixture(scope="module")
def labelled() -> Dict[str, Label]:
    names = list(CASES)
    programs = [Program({"main.py": CASES[name][0]}, "main.py", name=name) for name in names]
    return dict(zip(names, label_programs(programs, timeout=60)))


def _call_lines(source: str):
    return [i for i, line in enumerate(source.splitlines(), 1) if CALL in line]


@pytest.mark.parametrize("name", list(CASES))
def test_stand_in_behaves_as_the_real_library(labelled, name):
    source, code, message = CASES[name]
    label = labelled[name]
    assert label.code == code, label
    if code is None:
        return
    crash = label.verdict if code != "BFD002" else label.no_autocast
    if message:
        assert re.search(message, crash.message), crash.message
    if code in ("BFD001", "BFD002"):
        # every marked line is on the crash's way out (Lightning: fit, then training_step)
        assert sorted(frame.line for frame in label.frames) == _call_lines(source), label.frames
        assert {frame.file for frame in label.frames} == {"main.py"}
