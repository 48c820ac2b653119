"""bf16lint.runtime: the helpers behind `--fix-style wrap`, on the tiny DINOv2-shaped ViT."""
from __future__ import annotations

import collections
import importlib.util
import io
import pathlib
import subprocess
import sys

import pytest

DTYPE_ERROR = r"should be the same|must have the same dtype|to have the same dtype|expected scalar type|mixed dtype"


def test_import_does_not_import_torch():
    code = "import sys, bf16lint.runtime as r; assert 'torch' not in sys.modules, 'torch imported'; print(r.DEFAULT_IMAGE_KEYS)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "'image'" in proc.stdout and "'pixel_values'" in proc.stdout


torch = pytest.importorskip("torch", reason="bf16lint.runtime tests need torch")
from torch import nn  # noqa: E402

from bf16lint.runtime import (  # noqa: E402
    DEFAULT_IMAGE_KEYS,
    cast_images,
    float32_inputs,
    remove_float32_inputs,
)


def _load_tiny_dinov2():
    path = pathlib.Path(__file__).parent / "smoke" / "tiny_dinov2.py"
    spec = importlib.util.spec_from_file_location("bf16lint_tests_tiny_dinov2", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # so a wrapped model can be pickled whole
    spec.loader.exec_module(module)
    return module


tiny_dinov2 = _load_tiny_dinov2()


@pytest.fixture(autouse=True)
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


class Classifier(nn.Module):
    """A wrapper as users write it: hub-style backbone plus a linear head."""

    def __init__(self, num_classes=4):
        super().__init__()
        self.backbone = tiny_dinov2.tiny_dinov2()
        self.head = nn.Linear(self.backbone.embed_dim, num_classes)

    def forward(self, x):
        return self.head(self.backbone(x))


class DictClassifier(Classifier):
    """`model(batch)`: the forward indexes the image itself; records what it received."""

    def forward(self, batch):
        self.seen = {k: v.dtype for k, v in batch.items()}
        return self.head(self.backbone(batch["image"]))


def _data(n=16, seed=0):
    g = torch.Generator().manual_seed(seed)
    labels = torch.arange(n) % 4
    images = torch.randn(n, 3, 56, 56, generator=g) * 0.5 + torch.linspace(-1, 1, 4)[labels].view(n, 1, 1, 1)
    return images.to(torch.bfloat16), labels


def test_unwrapped_model_crashes_on_bf16_input():
    torch.manual_seed(0)
    images, _ = _data()
    with pytest.raises(RuntimeError, match=DTYPE_ERROR):
        Classifier()(images)


def test_wrapped_model_trains_on_bf16_input_without_autocast():
    torch.manual_seed(0)
    model = float32_inputs(Classifier())
    images, labels = _data()
    assert images.dtype == torch.bfloat16
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    losses = []
    for _ in range(8):
        optimizer.zero_grad()
        logits = model(images)
        assert logits.dtype == torch.float32
        loss = nn.functional.cross_entropy(logits, labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0], losses
    grad = model.backbone.patch_embed.proj.weight.grad
    assert grad.dtype == torch.float32
    assert torch.isfinite(grad).all() and grad.abs().sum() > 0
    assert {p.dtype for p in model.parameters()} == {torch.float32}


def test_wrapped_model_under_autocast_matches_unwrapped():
    """Under autocast the hook's cast is free: the first conv casts to bf16 anyway."""
    torch.manual_seed(0)
    plain = Classifier()
    wrapped = float32_inputs(Classifier())
    wrapped.load_state_dict(plain.state_dict())
    images, _ = _data()
    with torch.autocast("cpu", dtype=torch.bfloat16):
        expected = plain(images)
        got = wrapped(images)
    assert got.dtype == expected.dtype == torch.bfloat16
    assert torch.equal(got, expected)


def test_bf16_model_gets_its_own_dtype():
    """A model cast to bf16 receives bf16 even from fp32 inputs (no reverse crash), also
    when it was wrapped before the cast: the dtype is read at every call."""
    torch.manual_seed(0)
    images = _data()[0].float()
    plain = Classifier().to(torch.bfloat16)
    with pytest.raises(RuntimeError, match=DTYPE_ERROR):
        plain(images)
    model = float32_inputs(Classifier().to(torch.bfloat16))
    assert model(images).dtype == torch.bfloat16
    late = float32_inputs(Classifier())
    assert late(images).dtype == torch.float32
    late.to(torch.bfloat16)
    assert late(images).dtype == torch.bfloat16


def test_dict_batch_and_keyword_inputs():
    torch.manual_seed(0)
    model = float32_inputs(DictClassifier())
    images, labels = _data(8)
    mask = torch.ones(8, dtype=torch.bfloat16)
    batch = {"image": images, "label": labels, "mask": mask}
    logits = model(batch)
    assert logits.dtype == torch.float32
    # only the image key is cast; labels stay int64 and a non-image float entry is left alone
    assert model.seen == {"image": torch.float32, "label": torch.int64, "mask": torch.bfloat16}
    # the caller's batch is not modified
    assert batch["image"] is images and batch["image"].dtype == torch.bfloat16
    assert model(batch=batch).dtype == torch.float32  # as a keyword argument too
    assert model.seen["image"] == torch.float32

    kw = float32_inputs(Classifier())
    assert kw(x=images).dtype == torch.float32


def test_positional_lists_and_custom_image_keys():
    class Pair(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(4, 2)

        def forward(self, pair, extra=None):
            self.seen = [t.dtype for t in pair] + ([extra["rgb"].dtype] if extra else [])
            return self.lin(pair[0])

    model = float32_inputs(Pair(), image_keys=("rgb",))
    x = torch.randn(3, 4, dtype=torch.bfloat16)
    ids = torch.arange(3)
    model([x, ids], extra={"rgb": x, "image": x})
    assert model.seen == [torch.float32, torch.int64, torch.float32]


def test_idempotent_and_removable():
    model = Classifier()
    assert float32_inputs(model) is model
    assert float32_inputs(model) is model
    assert float32_inputs(float32_inputs(model)) is model
    assert len(model._forward_pre_hooks) == 1
    remove_float32_inputs(model)
    assert len(model._forward_pre_hooks) == 0
    with pytest.raises(RuntimeError, match=DTYPE_ERROR):
        model(_data(2)[0])
    float32_inputs(model)
    assert len(model._forward_pre_hooks) == 1
    assert model(_data(2)[0]).dtype == torch.float32


def test_wrapped_model_pickles_whole():
    torch.manual_seed(0)
    model = float32_inputs(Classifier())
    buffer = io.BytesIO()
    torch.save(model, buffer)
    buffer.seek(0)
    loaded = torch.load(buffer, weights_only=False)
    assert len(loaded._forward_pre_hooks) == 1
    assert float32_inputs(loaded) is loaded and len(loaded._forward_pre_hooks) == 1
    assert loaded(_data(2)[0]).dtype == torch.float32


def test_model_without_floating_parameters_is_left_alone():
    model = float32_inputs(nn.Identity())
    x = torch.randn(2, 3, dtype=torch.bfloat16)
    assert model(x) is x


def test_cast_images_casts_only_image_keys():
    images, labels = _data(4)
    batch = {"image": images, "label": labels, "weight": torch.ones(4, dtype=torch.bfloat16), "path": ["a", "b"]}
    out = cast_images(batch)
    assert out["image"].dtype == torch.float32
    assert out["label"].dtype == torch.int64 and out["label"] is labels
    assert out["weight"].dtype == torch.bfloat16
    assert out["path"] == ["a", "b"]
    assert batch["image"] is images  # input untouched
    # labels stay int64 and the loss works (casting every value breaks it, RUNTIME.md)
    logits = Classifier()(out["image"])
    nn.functional.cross_entropy(logits, out["label"])


def test_cast_images_variants():
    images, labels = _data(4)
    ordered = collections.OrderedDict(pixel_values=images, labels=labels)
    out = cast_images(ordered)
    assert type(out) is collections.OrderedDict
    assert out["pixel_values"].dtype == torch.float32 and out["labels"].dtype == torch.int64
    assert cast_images({"image": images}, dtype=torch.float16)["image"].dtype == torch.float16
    assert cast_images({"rgb": images}, image_keys=("rgb",))["rgb"].dtype == torch.float32
    assert cast_images(images).dtype == torch.float32
    as_tuple = cast_images((images, labels))
    assert isinstance(as_tuple, tuple) and as_tuple[0].dtype == torch.float32 and as_tuple[1] is labels
    fp32 = {"image": images.float(), "label": labels}
    assert cast_images(fp32) is fp32  # nothing to do: the same object back
    assert set(DEFAULT_IMAGE_KEYS) >= {"image", "images", "img", "pixel_values", "x", "inputs"}
