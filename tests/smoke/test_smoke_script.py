"""Smoke test of the origin-story script (runpy in-process, torch.hub.load patched)."""
from __future__ import annotations

import pytest

import smoke_harness as harness
from smoke_harness import DTYPE_ERROR, SCRIPT

pytestmark = pytest.mark.smoke


def test_unfixed_script_crashes_in_validation(tmp_path, tiny_hub, smoke_device, capsys):
    script = harness.copy_fixture(SCRIPT, tmp_path)
    with pytest.raises(RuntimeError, match=DTYPE_ERROR) as excinfo:
        harness.exec_script(script)
    assert any(entry.name == "evaluate" for entry in excinfo.traceback), "expected the crash in evaluate()"
    assert not any(entry.name == "train_one_epoch" for entry in excinfo.traceback)
    harness.assert_crashes_without_autocast(excinfo)


def test_fixed_script_trains(tmp_path, tiny_hub, smoke_device):
    script = harness.copy_fixture(SCRIPT, tmp_path)
    harness.run_bf16lint_fix(script)
    harness.assert_fixed_script_run(harness.exec_script(script), tiny_hub)


def test_wrapped_script_trains(tmp_path, tiny_hub, smoke_device):
    script = harness.copy_fixture(SCRIPT, tmp_path)
    harness.run_bf16lint_fix(script, "--fix-style", "wrap", expect_text="float32_inputs")
    ns = harness.exec_script(script)
    assert harness.has_float32_inputs_hook(ns["model"])
    harness.assert_fixed_script_run(ns, tiny_hub)


@pytest.mark.parametrize("style", ["insert", "wrap"])
def test_harness_selfcheck_hand_fixed_script(tmp_path, tiny_hub, smoke_device, style):
    """The harness on a hand-applied fix, independent of the CLI."""
    script = tmp_path / SCRIPT.name
    text = SCRIPT.read_text()
    script.write_text(harness.hand_fix_script(text) if style == "insert" else harness.hand_wrap_script(text))
    ns = harness.exec_script(script)
    if style == "wrap":
        assert harness.has_float32_inputs_hook(ns["model"])
    harness.assert_fixed_script_run(ns, tiny_hub)
