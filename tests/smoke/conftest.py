"""Fixtures of the smoke test: torch.hub.load resolves offline to the tiny DINOv2, and the
device the fixtures pick (`cuda` if `torch.cuda.is_available()` else `cpu`) is steered
per test: `cpu` everywhere (CUDA hidden), `cuda` only where CUDA with bf16 exists."""
from __future__ import annotations

import pathlib
import sys

import pytest

# The smoke modules import their helpers by name; make that work in any pytest import mode.
_HERE = str(pathlib.Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

torch = pytest.importorskip("torch", reason="the smoke test needs torch (pip install -e .[runtime])")

import tiny_dinov2  # noqa: E402


def _no_download(*args, **kwargs):
    raise AssertionError("smoke test: nothing may be downloaded")


@pytest.fixture
def tiny_hub(monkeypatch):
    """Patch torch.hub.load in this process: the fixtures keep their text exactly as a user
    wrote it (`torch.hub.load('facebookresearch/dinov2', 'dinov2_vits14')`) and get the tiny
    random-init model. Any other hub entry, and any weight download, fails the test."""
    monkeypatch.setattr(torch.hub, "load", tiny_dinov2.fake_hub_load)
    monkeypatch.setattr(torch.hub, "load_state_dict_from_url", _no_download)
    return tiny_dinov2.TinyDinoVisionTransformer


def _cuda_bf16() -> bool:
    return torch.cuda.is_available() and torch.cuda.is_bf16_supported()


@pytest.fixture(
    params=[
        "cpu",
        pytest.param(
            "cuda",
            marks=[pytest.mark.gpu, pytest.mark.skipif(not _cuda_bf16(), reason="needs CUDA with bf16 support")],
        ),
    ]
)
def smoke_device(request, monkeypatch):
    """The device the executed fixture will pick. On `cpu`, CUDA is hidden from the fixture
    and torch runs on one thread (RUNTIME.md: two OpenMP threads on a loaded 2-core machine
    were 10-50x slower)."""
    if request.param == "cpu":
        monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        yield torch.device("cpu")
        torch.set_num_threads(threads)
    else:
        yield torch.device("cuda")
        torch.cuda.synchronize()
