"""Helpers of the smoke test: run the real CLI on a copy, execute a notebook or a script
for real with torch, and check what a fixed run must show. See README.md for why the
notebook is executed in-process rather than through a Jupyter kernel."""
from __future__ import annotations

import linecache
import pathlib
import re
import runpy
import shutil
import subprocess
import sys
from typing import Any, Dict, Optional

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "fixtures" / "notebooks" / "train_full_featured.ipynb"
SCRIPT = REPO / "fixtures" / "scripts" / "train_dinov2_bf16.py"

# RUNTIME.md: one regex for every spelling of the bf16-into-fp32 error (never one string).
DTYPE_ERROR = r"should be the same|must have the same dtype|to have the same dtype|expected scalar type|mixed dtype"

# Key cells of the notebook fixture, 1-based over all cells (markdown included).
MODEL_CELL, DEBUG_CELL, TRAIN_CELL, INFERENCE_CELL = 13, 18, 23, 29

# --- the real CLI -------------------------------------------------------------------------


def _cli(*args: Any) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bf16lint", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=str(REPO),
    )


def run_bf16lint_fix(path: pathlib.Path, *extra_args: str, expect_text: Optional[str] = None) -> subprocess.CompletedProcess:
    """Run `python -m bf16lint --fix [extra_args] path` on a copy, in place; check that it
    changed the file (and that `expect_text` is now in it) and that a second run changes
    nothing. Returns the first run's CompletedProcess."""
    before = path.read_bytes()
    proc = _cli("--fix", *extra_args, path)
    after = path.read_bytes()
    detail = (
        f"`bf16lint --fix {' '.join(extra_args)}` rc={proc.returncode}\n"
        f"stdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}"
    )
    assert proc.returncode in (0, 1), detail
    assert after != before, f"--fix changed nothing\n{detail}"
    if expect_text is not None:
        assert expect_text.encode() in after, f"{expect_text!r} not in the fixed file\n{detail}"
    again = _cli("--fix", *extra_args, path)
    assert again.returncode in (0, 1), again.stderr
    assert path.read_bytes() == after, "a second --fix changed the file again (not idempotent)"
    return proc


def copy_fixture(src: pathlib.Path, tmp_path: pathlib.Path) -> pathlib.Path:
    dst = tmp_path / src.name
    shutil.copyfile(src, dst)
    return dst


# --- executing a notebook -------------------------------------------------------------------

_CELL_MAGICS_RUN_AS_PYTHON = ("%%time", "%%timeit", "%%capture", "%%prun", "%%python", "%%python3")


def _runnable_source(source: str) -> Optional[str]:
    """Cell source as plain Python: Python-like cell magics lose their first line, other cell
    magics skip the cell (None), line magics and `!shell` lines become `pass`."""
    lines = source.splitlines(keepends=True)
    if lines and lines[0].startswith("%%"):
        if lines[0].split()[0] not in _CELL_MAGICS_RUN_AS_PYTHON:
            return None
        lines = ["\n"] + lines[1:]  # keep line numbers
    out = []
    for line in lines:
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            indent = line[: len(line) - len(stripped)]
            line = indent + "pass\n"
        out.append(line)
    return "".join(out)


def exec_notebook(
    path: pathlib.Path, namespace: Optional[Dict[str, Any]] = None, stop_after: Optional[int] = None
) -> Dict[str, Any]:
    """Execute the code cells of `path` in order in one namespace, as a kernel would, and
    return the namespace. An exception propagates with `bf16lint_cell` set to the 1-based
    cell number (markdown cells counted) and `bf16lint_namespace` set to the namespace."""
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    ns: Dict[str, Any] = {"__name__": "__main__"} if namespace is None else namespace
    for number, cell in enumerate(nb.cells, start=1):
        if stop_after is not None and number > stop_after:
            break
        if cell.cell_type != "code":
            continue
        source = _runnable_source(cell.source)
        if source is None:
            continue
        filename = f"{path.name}:cell {number}"
        # Register the source so tracebacks show the cell's lines.
        linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
        try:
            exec(compile(source, filename, "exec"), ns)
        except BaseException as exc:
            exc.bf16lint_cell = number  # type: ignore[attr-defined]
            exc.bf16lint_namespace = ns  # type: ignore[attr-defined]
            if hasattr(exc, "add_note"):
                exc.add_note(f"(raised in {filename})")
            raise
    return ns


def exec_script(path: pathlib.Path) -> Dict[str, Any]:
    """Run `path` as `__main__` (runpy, in this process) and return its globals."""
    return runpy.run_path(str(path), run_name="__main__")


# --- what a fixed run must show -----------------------------------------------------------


def first_layer_grad(model: Any) -> Any:
    """The gradient of the backbone's first layer (the DINOv2 patch-embed conv)."""
    return model.backbone.patch_embed.proj.weight.grad


def assert_trained(model: Any, epoch_losses: Any) -> None:
    import torch

    assert len(epoch_losses) >= 2, epoch_losses
    assert all(torch.isfinite(torch.tensor(epoch_losses))), epoch_losses
    assert epoch_losses[-1] < epoch_losses[0], f"loss did not fall: {epoch_losses}"
    grad = first_layer_grad(model)
    assert grad is not None, "the backbone's first layer got no gradient"
    assert grad.dtype == torch.float32, grad.dtype
    assert torch.isfinite(grad).all(), "non-finite gradient in the backbone's first layer"
    assert grad.abs().sum().item() > 0, "zero gradient in the backbone's first layer"
    # the fix casts inputs, never the model: every parameter is still float32
    assert {p.dtype for p in model.parameters()} == {torch.float32}


def has_float32_inputs_hook(model: Any) -> bool:
    from bf16lint.runtime import _Float32InputsHook

    return any(
        isinstance(hook, _Float32InputsHook) for module in model.modules() for hook in module._forward_pre_hooks.values()
    )


def assert_fixed_notebook_run(ns: Dict[str, Any], tiny_model_type: type) -> None:
    """Data, model, debugging, training, validation and inference cells all ran."""
    import torch

    model = ns["model"]
    assert isinstance(model.backbone, tiny_model_type), "torch.hub.load was not the patched loader"
    assert ns["config"].training.use_bf16 is True
    assert ns["train_ds"].images.dtype == torch.bfloat16, "the fixture must still cache bf16 images"
    assert ns["debug_logits_dtype"] == torch.float32
    assert_trained(model, ns["history"]["epoch_loss"])
    assert len(ns["train_losses"]) == ns["config"].training.epochs * len(ns["train_loader"])
    # RUNTIME.md: under autocast the logits are bf16, without it (fixed input) fp32
    assert ns["train_logits_dtype"] == torch.bfloat16
    assert ns["val_logits_dtype"] == torch.float32
    assert len(ns["history"]["val_acc"]) == ns["config"].training.epochs
    assert 0.0 <= ns["val_accuracy"] <= 1.0
    assert ns["inference_logits_dtype"] == torch.float32
    assert ns["preds"].shape == (ns["config"].data.num_test,)
    assert ns["preds"].dtype == torch.int64
    assert 0.0 <= ns["test_accuracy"] <= 1.0


def assert_fixed_script_run(ns: Dict[str, Any], tiny_model_type: type) -> None:
    import torch

    model, history = ns["model"], ns["history"]
    assert isinstance(model.backbone, tiny_model_type), "torch.hub.load was not the patched loader"
    assert_trained(model, history["epoch_loss"])
    assert history["train_logits_dtype"] == torch.bfloat16
    assert history["val_logits_dtype"] == torch.float32
    assert len(history["val_acc"]) == len(history["epoch_loss"])
    assert all(0.0 <= acc <= 1.0 for acc in history["val_acc"])


def assert_crashes_without_autocast(excinfo: Any) -> None:
    """The negative control: the dtype RuntimeError, raised in validation after training
    (under autocast) went through, at the patch-embed conv of the backbone."""
    exc = excinfo.value
    assert re.search(DTYPE_ERROR, str(exc)), str(exc)
    frames = [entry for entry in excinfo.traceback if str(entry.path).endswith("dinov2.py")]
    assert frames, "the error was not raised inside the (patched) backbone"
    assert any("self.proj(x)" in str(entry.statement) for entry in frames), "not raised at the patch-embed conv"


# --- hand-applied fixes: a harness self-check, independent of the CLI ------------------------


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"expected exactly one {old!r}"
    return text.replace(old, new)


def hand_fix_script(text: str) -> str:
    """What RULES.md's fix does to the script: cast the image right after the move."""
    move = "        batch = {k: v.to(device) for k, v in batch.items()}\n"
    assert text.count(move) == 2
    return text.replace(move, move + "        batch['image'] = batch['image'].float()\n")


def hand_wrap_script(text: str) -> str:
    text = _replace_once(text, "import torch\n", "import torch\nfrom bf16lint.runtime import float32_inputs\n")
    return _replace_once(
        text,
        "model = DinoClassifier(num_classes=config.data.num_classes).to(device)",
        "model = float32_inputs(DinoClassifier(num_classes=config.data.num_classes).to(device))",
    )


def hand_fix_notebook(src: pathlib.Path, dst: pathlib.Path, style: str = "insert") -> pathlib.Path:
    import nbformat

    nb = nbformat.read(str(src), as_version=4)
    cells = nb.cells
    if style == "insert":
        train = cells[TRAIN_CELL - 1]
        assert train.source.count("batch = {k: v.to(device) for k, v in batch.items()}\n") == 2
        lines = []
        for line in train.source.splitlines(keepends=True):
            lines.append(line)
            if line.strip() == "batch = {k: v.to(device) for k, v in batch.items()}":
                indent = line[: len(line) - len(line.lstrip())]
                lines.append(f"{indent}batch['image'] = batch['image'].float()\n")
        train.source = "".join(lines)
        inference = cells[INFERENCE_CELL - 1]
        move = 'images = batch["image"].to(device, non_blocking=True)\n'
        inference.source = _replace_once(inference.source, move, move + "images = images.float()\n")
    else:
        model_cell = cells[MODEL_CELL - 1]
        model_cell.source = "from bf16lint.runtime import float32_inputs\n\n" + _replace_once(
            model_cell.source,
            "model = DinoClassifier(num_classes=config.data.num_classes)",
            "model = float32_inputs(DinoClassifier(num_classes=config.data.num_classes))",
        )
    nbformat.write(nb, str(dst))
    return dst
