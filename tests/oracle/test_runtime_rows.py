"""Every row of shared/spec/RUNTIME.md, reproduced by programs the oracle runs (a test per row).

All programs are labelled in one batch (a module fixture), then each test checks its rows:
status, direction, message and the frame of the backbone call. Sinks stand for the table's
columns: DINOv2-style / timm ViT (crash), HF models that cast their input (run), conv stems
and HF ResNet/ConvNeXt (crash)."""
from __future__ import annotations

import re
import textwrap
from typing import Dict, Tuple

import pytest

from oracle import Frame, Label, Program, label_programs

CALL = "# <- the backbone call"

SINKS = {
    # column "DINOv2-style / timm ViT"
    "dinov2_hub": ("crash", "model = torch.hub.load('facebookresearch/dinov2', 'dinov2_vits14')"),
    "timm_vit": ("crash", "model = timm.create_model('vit_small_patch16_224', pretrained=True, num_classes=4)"),
    # column "HF Dinov2Model, ViTModel, CLIPVisionModel"
    "hf_dinov2": ("runs", "model = AutoModel.from_pretrained('facebook/dinov2-small')"),
    "hf_vit": ("runs", "model = ViTModel.from_pretrained('google/vit-base-patch16-224')"),
    "hf_clip": ("runs", "model = CLIPVisionModel.from_pretrained('openai/clip-vit-base-patch32')"),
    # column "conv stems, HF ResNet/ConvNeXt"
    "resnet_stem": ("crash", "model = torchvision.models.resnet50(weights=torchvision.models.ResNet50_Weights.DEFAULT)"),
    "hf_resnet": ("crash", "model = ResNetModel.from_pretrained('microsoft/resnet-50')"),
    "hf_convnext": ("crash", "model = ConvNextModel.from_pretrained('facebook/convnext-tiny-224')"),
}

PRELUDE = """\
import warnings
import torch
import timm
import torchvision
from transformers import AutoModel, CLIPVisionModel, ConvNextModel, ResNetModel, ViTModel

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
{sink}
model = model.to(device)
x = torch.rand(2, 3, 56, 56).to(device, dtype=torch.bfloat16)


def features(out):
    return out.pooler_output if hasattr(out, "pooler_output") else out
"""

# RUNTIME.md "What crashes, what runs": row -> (program body, expected outcome per column
# kind: "crash" rows say what the crashing columns do, self-casting HF models always run).
ROWS = {
    "no_autocast": "out = features(model(x))  " + CALL,
    "autocast_bf16": f"""\
with torch.autocast(device.type, dtype=torch.bfloat16):
    out = features(model(x))  {CALL}
    loss = out.float().pow(2).mean()
loss.backward()
assert all(p.grad is None or p.grad.dtype == torch.float32 for p in model.parameters())
""",
    "fix_float_after_move": "x = x.float()\nout = features(model(x))  " + CALL,
    "model_bf16_input_bf16": "model = model.to(torch.bfloat16)\nout = features(model(x))  " + CALL,
    "model_bf16_input_fixed": "model = model.bfloat16()\nx = x.float()\nout = features(model(x))  " + CALL,
    "frozen_no_grad": f"""\
model.eval()
for p in model.parameters():
    p.requires_grad_(False)
with torch.no_grad():
    out = features(model(x))  {CALL}
""",
    "autocast_disabled": f"""\
with torch.autocast(device.type, dtype=torch.bfloat16, enabled=False):
    out = features(model(x))  {CALL}
""",
    "autocast_loss_only": f"""\
out = features(model(x))  {CALL}
with torch.autocast(device.type, dtype=torch.bfloat16):
    loss = out.float().pow(2).mean()
""",
    "autocast_cuda_without_cuda": f"""\
assert device.type == "cpu"
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    with torch.autocast("cuda", dtype=torch.bfloat16):
        assert any("CUDA is not available" in str(w.message) for w in caught), [str(w.message) for w in caught]
        assert not torch.is_autocast_enabled("cuda")
        out = features(model(x))  {CALL}
""",
}
# The machine without CUDA: the oracle's CUDA redirection off for this program.
ROW_ENV = {"autocast_cuda_without_cuda": {"ORACLE_CUDA": "0"}}


def _program(name: str, source: str, env: Dict[str, str] = None) -> Tuple[Program, int]:
    source = textwrap.dedent(source)
    call_line = next((i for i, line in enumerate(source.splitlines(), 1) if CALL in line), 0)
    return Program({"main.py": source}, "main.py", env=env or {}, name=name), call_line


def _table_programs() -> Dict[Tuple[str, str], Tuple[Program, int]]:
    programs = {}
    for row, body in ROWS.items():
        for sink, (_, build) in SINKS.items():
            source = PRELUDE.format(sink=build) + "\n" + textwrap.dedent(body)
            if row == "autocast_bf16" and sink == "timm_vit":
                source += "assert out.dtype == torch.bfloat16, out.dtype  # logits bf16\n"
            programs[(row, sink)] = _program(f"{row}/{sink}", source, ROW_ENV.get(row))
    return programs


TABLE = _table_programs()

DTYPE_REGEX = r"should be the same|must have the same dtype|to have the same dtype|expected scalar type|mixed dtype"

# RUNTIME.md "Error messages": the first layer hit -> its message for a bf16 input.
MESSAGES = {
    "conv_with_bias": ("nn.Conv2d(3, 8, kernel_size=14, stride=14)", "x4",
                       r"Input type \(c10::BFloat16\) and bias type \(float\) should be the same"),
    # torch 2.13.0's CPU build says "expected scalar type BFloat16 but found Float" for the
    # bias-free stem (RUNTIME.md records the CPUBFloat16Type spelling): both are accepted.
    "conv_without_bias": ("nn.Conv2d(3, 8, kernel_size=7, stride=2, padding=3, bias=False)", "x4",
                          r"Input type \(CPUBFloat16Type\) and weight type \(torch\.FloatTensor\) should be the same"
                          r"|expected scalar type BFloat16 but found Float"),
    "linear_with_bias": ("nn.Linear(8, 4)", "x2", r"mat1 and mat2 must have the same dtype, but got BFloat16 and Float"),
    "linear_without_bias": ("nn.Linear(8, 4, bias=False)", "x2",
                            r"expected m1 and m2 to have the same dtype, but got: c10::BFloat16 != float"),
    "multihead_attention": ("nn.MultiheadAttention(8, 2, bias=False, batch_first=True)", "x3",
                            r"expected m1 and m2 to have the same dtype, but got: c10::BFloat16 != float"),
}


def _message_program(layer: str, given: str) -> str:
    call = {"x4": "layer(x4)", "x2": "layer(x2)", "x3": "layer(x3, x3, x3)"}[given]
    return f"""\
import torch
from torch import nn
layer = {layer}.cuda()
x4 = torch.rand(2, 3, 28, 28, device="cuda", dtype=torch.bfloat16)
x2 = torch.rand(2, 8, device="cuda").bfloat16()
x3 = torch.rand(2, 5, 8).cuda().to(torch.bfloat16)
{call}  {CALL}
"""


VIT = "import torch, timm\nmodel = timm.create_model('vit_small_patch16_224', num_classes=3).cuda()\n"
BULLETS = {
    "dict_batch_comprehension": VIT + f"""\
batch = {{"image": torch.rand(4, 3, 32, 32, dtype=torch.bfloat16), "label": torch.randint(0, 3, (4,))}}
batch = {{k: v.to("cuda") for k, v in batch.items()}}
assert batch["image"].dtype == torch.bfloat16 and batch["label"].dtype == torch.int64
logits = model(batch["image"])  {CALL}
""",
    "dict_batch_whole_dict": VIT + f"""\
class Wrapper(torch.nn.Module):
    def __init__(self, backbone):
        super().__init__()
        self.backbone = backbone

    def forward(self, batch):
        return self.backbone(batch["image"])  {CALL}

batch = {{"image": torch.rand(4, 3, 32, 32, dtype=torch.bfloat16), "label": torch.randint(0, 3, (4,))}}
batch = {{k: v.to("cuda") for k, v in batch.items()}}
Wrapper(model)(batch)
""",
    "dict_batch_fixed": VIT + """\
batch = {"image": torch.rand(4, 3, 32, 32, dtype=torch.bfloat16), "label": torch.randint(0, 3, (4,))}
batch = {k: v.to("cuda") for k, v in batch.items()}
batch["image"] = batch["image"].float()
loss = torch.nn.functional.cross_entropy(model(batch["image"]), batch["label"])
loss.backward()
""",
    "dict_batch_cast_every_value": VIT + f"""\
batch = {{"image": torch.rand(4, 3, 32, 32, dtype=torch.bfloat16), "label": torch.randint(0, 3, (4,))}}
batch = {{k: v.to("cuda", dtype=torch.float32) for k, v in batch.items()}}
loss = torch.nn.functional.cross_entropy(model(batch["image"]), batch["label"])  {CALL}
""",
    "collation_keeps_bf16": """\
import torch
from torch.utils.data import DataLoader, Dataset

class Images(Dataset):
    def __init__(self, as_dict):
        self.as_dict = as_dict

    def __len__(self):
        return 8

    def __getitem__(self, i):
        image = torch.rand(3, 8, 8).to(torch.bfloat16)
        return {"image": image, "label": i % 2} if self.as_dict else (image, i % 2)

for workers in (0, 2):
    for as_dict in (True, False):
        batch = next(iter(DataLoader(Images(as_dict), batch_size=4, num_workers=workers)))
        image, label = (batch["image"], batch["label"]) if as_dict else batch
        assert image.dtype == torch.bfloat16 and label.dtype == torch.int64, (workers, as_dict, image.dtype)
""",
    "float_of_fp32_is_the_same_object": """\
import torch
x = torch.rand(2, 3, 8, 8, device="cuda")
assert x.float() is x
assert x.bfloat16().float() is not x
""",
    "autocast_bitwise_identical_training": VIT + """\
import copy
def train(net, batch, autocast):
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    for _ in range(3):
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=autocast):
            loss = net(batch).float().pow(2).mean()
        loss.backward()
        opt.step()
        opt.zero_grad()
    return torch.cat([p.detach().flatten().float() for p in net.parameters()])

x_bf16 = torch.rand(4, 3, 32, 32, device="cuda").bfloat16()
under_bf16 = train(copy.deepcopy(model), x_bf16, True)
under_fixed = train(copy.deepcopy(model), x_bf16.float(), True)
assert torch.equal(under_bf16, under_fixed)
x = torch.rand(4, 3, 32, 32, device="cuda")
exact = train(copy.deepcopy(model), x, False)
cached = train(copy.deepcopy(model), x.bfloat16().float(), False)
drift = ((exact - cached).norm() / exact.norm()).item()
assert 0 < drift < 1e-2, drift
""",
    "type_promotion": """\
import torch
x = torch.rand(2, 3, 4, 4, device="cuda").bfloat16()
mean = torch.tensor([0.5, 0.5, 0.5], device="cuda").view(1, 3, 1, 1)
assert (x - mean).dtype == torch.float32
assert (x / 255.0).dtype == torch.bfloat16
assert (x - torch.tensor(0.5)).dtype == torch.bfloat16
y = x.clone()
y.sub_(mean)
y.div_(mean)
assert y.dtype == torch.bfloat16
""",
    "interpolate_antialias_bf16": f"""\
import torch
import torch.nn.functional as F
x = torch.rand(1, 3, 32, 32).bfloat16()
with torch.autocast("cpu", dtype=torch.bfloat16):
    F.interpolate(x, size=(16, 16), mode="bilinear", antialias=True)  {CALL}
""",
    "no_cuda_to_cuda_raises": f"""\
import torch
assert not torch.cuda.is_available()
torch.zeros(2).to("cuda")  {CALL}
""",
    "cuda_redirected": """\
import torch
assert torch.cuda.is_available() and torch.cuda.is_bf16_supported()
x = torch.zeros(2, device="cuda").cuda().to("cuda:0").to(torch.device("cuda"), torch.bfloat16)
assert x.dtype == torch.bfloat16
torch.cuda.synchronize(); torch.cuda.empty_cache(); torch.cuda.manual_seed(0)
""",
}
BULLET_ENV = {"no_cuda_to_cuda_raises": {"ORACLE_CUDA": "0"}}


@pytest.fixture(scope="module")
def labelled() -> Dict[object, Tuple[Label, int]]:
    programs: Dict[object, Tuple[Program, int]] = dict(TABLE)
    for name, (layer, given, _) in MESSAGES.items():
        programs[("message", name)] = _program(name, _message_program(layer, given))
    for name, source in BULLETS.items():
        programs[("bullet", name)] = _program(name, source, BULLET_ENV.get(name))
    keys = list(programs)
    labels = label_programs([programs[key][0] for key in keys], timeout=60)
    return {key: (label, programs[key][1]) for key, label in zip(keys, labels)}


def _assert_crash(label: Label, line: int, direction: str = "bf16_input") -> None:
    verdict = label.verdict
    assert verdict.status == "dtype_error", verdict
    assert verdict.direction == direction, verdict
    assert verdict.where == Frame("main.py", line), verdict


def _assert_runs(label: Label) -> None:
    assert label.verdict.status == "ok", label.verdict


def _row(labelled, row: str, crash_direction: str = "bf16_input", crash_code: str = "BFD001",
         runs_code=None) -> None:
    for sink, (kind, _) in SINKS.items():
        label, line = labelled[(row, sink)]
        if kind == "crash":
            _assert_crash(label, line, crash_direction)
            assert label.code == crash_code, (sink, label)
        else:
            _assert_runs(label)
            assert label.code == runs_code, (sink, label)


def test_fp32_model_bf16_input_no_autocast(labelled):
    _row(labelled, "no_autocast")


def test_inside_autocast_runs_with_fp32_grads_and_is_bfd002(labelled):
    for sink, (kind, _) in SINKS.items():
        label, line = labelled[("autocast_bf16", sink)]
        _assert_runs(label)
        if kind == "crash":  # runs only because of the autocast
            assert label.code == "BFD002" and label.frames == (Frame("main.py", line),), (sink, label)
        else:
            assert label.code is None, (sink, label)


def test_fix_float_after_the_move_runs_everywhere(labelled):
    for sink in SINKS:
        label, _ = labelled[("fix_float_after_move", sink)]
        _assert_runs(label)
        assert label.code is None


def test_model_cast_to_bf16_with_bf16_input_runs(labelled):
    for sink in SINKS:
        _assert_runs(labelled[("model_bf16_input_bf16", sink)][0])


def test_model_cast_to_bf16_with_fixed_input_crashes_the_reverse_way(labelled):
    _row(labelled, "model_bf16_input_fixed", crash_direction="reverse", crash_code="invalid")


def test_frozen_backbone_under_no_grad_still_crashes(labelled):
    _row(labelled, "frozen_no_grad")


def test_disabled_autocast_or_autocast_around_the_loss_only_crash(labelled):
    _row(labelled, "autocast_disabled")
    _row(labelled, "autocast_loss_only")


def test_cuda_autocast_without_cuda_disables_itself_then_crashes(labelled):
    _row(labelled, "autocast_cuda_without_cuda")


@pytest.mark.parametrize("layer", sorted(MESSAGES))
def test_error_message_of_the_first_layer_hit(labelled, layer):
    label, line = labelled[("message", layer)]
    _assert_crash(label, line)
    assert label.code == "BFD001"
    message = label.verdict.message
    assert message.startswith("RuntimeError: ")
    assert re.search(MESSAGES[layer][2], message), message
    assert re.search(DTYPE_REGEX, message), message


def test_dict_batches_keep_images_bf16_and_both_calls_crash(labelled):
    for name in ("dict_batch_comprehension", "dict_batch_whole_dict"):
        label, line = labelled[("bullet", name)]
        _assert_crash(label, line)
    label, _ = labelled[("bullet", "dict_batch_whole_dict")]
    assert label.frames[0].line > label.frames[-1].line  # the call site, then the wrapper's forward
    _assert_runs(labelled[("bullet", "dict_batch_fixed")][0])


def test_casting_every_value_breaks_the_loss(labelled):
    label, line = labelled[("bullet", "dict_batch_cast_every_value")]
    assert label.verdict.status == "other_error" and label.code == "invalid"
    assert "expected target dtype to be Long or Byte, but got Float" in label.verdict.message
    assert label.verdict.where == Frame("main.py", line)


def test_dataloader_collation_keeps_bf16(labelled):
    _assert_runs(labelled[("bullet", "collation_keeps_bf16")][0])


def test_float_of_an_fp32_tensor_is_free(labelled):
    _assert_runs(labelled[("bullet", "float_of_fp32_is_the_same_object")][0])


def test_autocast_training_is_bitwise_identical_and_the_bf16_cache_drifts_without(labelled):
    _assert_runs(labelled[("bullet", "autocast_bitwise_identical_training")][0])


def test_type_promotion_facts(labelled):
    _assert_runs(labelled[("bullet", "type_promotion")][0])


def test_interpolate_antialias_bf16_is_not_implemented_even_under_autocast(labelled):
    label, line = labelled[("bullet", "interpolate_antialias_bf16")]
    assert label.verdict.status == "other_error"
    assert label.verdict.message.startswith("NotImplementedError: ") and "BFloat16" in label.verdict.message
    assert label.verdict.where == Frame("main.py", line)


def test_without_cuda_to_cuda_raises_and_with_the_oracle_it_is_redirected(labelled):
    label, line = labelled[("bullet", "no_cuda_to_cuda_raises")]
    assert label.verdict.message == "AssertionError: Torch not compiled with CUDA enabled"
    assert label.verdict.where == Frame("main.py", line)
    _assert_runs(labelled[("bullet", "cuda_redirected")][0])
