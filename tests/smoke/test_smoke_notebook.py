"""Smoke test of the origin-story notebook: the unfixed notebook crashes in the loop without
autocast; after the real `bf16lint --fix` (both fix styles) every cell runs and trains."""
from __future__ import annotations

import pytest

import smoke_harness as harness
from smoke_harness import DTYPE_ERROR, NOTEBOOK, TRAIN_CELL

pytestmark = pytest.mark.smoke


def test_unfixed_notebook_crashes_in_validation(tmp_path, tiny_hub, smoke_device):
    """Negative control: training (under autocast) runs, validation (no autocast) raises."""
    nb = harness.copy_fixture(NOTEBOOK, tmp_path)
    with pytest.raises(RuntimeError, match=DTYPE_ERROR) as excinfo:
        harness.exec_notebook(nb)
    assert excinfo.value.bf16lint_cell == TRAIN_CELL
    ns = excinfo.value.bf16lint_namespace
    assert ns["device"].type == smoke_device.type
    # the whole first training epoch ran under autocast before validation crashed
    assert len(ns["train_losses"]) == len(ns["train_loader"])
    assert "val_accuracy" not in ns
    harness.assert_crashes_without_autocast(excinfo)


def test_fixed_notebook_trains(tmp_path, tiny_hub, smoke_device):
    nb = harness.copy_fixture(NOTEBOOK, tmp_path)
    harness.run_bf16lint_fix(nb)
    ns = harness.exec_notebook(nb)
    assert ns["device"].type == smoke_device.type
    harness.assert_fixed_notebook_run(ns, tiny_hub)


def test_wrapped_notebook_trains(tmp_path, tiny_hub, smoke_device):
    """The second fix style: `--fix-style wrap` wraps the model (or its backbone) with
    bf16lint.runtime.float32_inputs where it is built; the loops keep their bf16 batches."""
    nb = harness.copy_fixture(NOTEBOOK, tmp_path)
    harness.run_bf16lint_fix(nb, "--fix-style", "wrap", expect_text="float32_inputs")
    ns = harness.exec_notebook(nb)
    assert harness.has_float32_inputs_hook(ns["model"])
    harness.assert_fixed_notebook_run(ns, tiny_hub)


@pytest.mark.parametrize("style", ["insert", "wrap"])
def test_harness_selfcheck_hand_fixed_notebook(tmp_path, tiny_hub, smoke_device, style):
    """Checks the harness itself, independent of the CLI: the fix RULES.md describes,
    applied by hand, makes every cell run (so a CLI failure above is the CLI's)."""
    nb = harness.hand_fix_notebook(NOTEBOOK, tmp_path / NOTEBOOK.name, style)
    ns = harness.exec_notebook(nb)
    if style == "wrap":
        assert harness.has_float32_inputs_hook(ns["model"])
    harness.assert_fixed_notebook_run(ns, tiny_hub)
