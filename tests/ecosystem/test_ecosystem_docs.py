"""docs/ecosystem.md stays true: its snippets parse, and its tables list what exists."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bf16lint.cli import build_parser
from bf16lint.config import _ALLOWED

DOC = Path(__file__).resolve().parents[2] / "docs" / "ecosystem.md"


def blocks(language):
    return re.findall(r"```" + language + r"\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_pre_commit_snippet():
    yaml = pytest.importorskip("yaml")
    config = yaml.safe_load(blocks("yaml")[0])
    (repo,) = config["repos"]
    assert repo["repo"] == "https://github.com/bf16lint/bf16lint"
    assert repo["rev"] == "v0.1.0"
    hooks = yaml.safe_load((DOC.parents[1] / ".pre-commit-hooks.yaml").read_text())
    assert {h["id"] for h in repo["hooks"]} <= {h["id"] for h in hooks}


def test_github_actions_snippet():
    yaml = pytest.importorskip("yaml")
    workflow = yaml.safe_load(blocks("yaml")[1])
    steps = workflow["jobs"]["bf16lint"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert "bf16lint --output-format sarif --output-file bf16lint.sarif ." in runs
    upload = [step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif")]
    assert upload and upload[0]["with"]["sarif_file"] == "bf16lint.sarif"
    assert workflow["jobs"]["bf16lint"]["permissions"]["security-events"] == "write"
    # Every flag the snippets use exists.
    flags = {option for action in build_parser()._actions for option in action.option_strings}
    for run in runs:
        for word in run.split():
            if word.startswith("--") and run.startswith("bf16lint"):
                assert word in flags


def test_config_example_is_valid_and_table_is_complete(tmp_path):
    from bf16lint.config import SettingsResolver

    (toml,) = blocks("toml")
    (tmp_path / "pyproject.toml").write_text(toml)
    settings = SettingsResolver().for_path(str(tmp_path / "x.py"))
    assert "mylib.load_encoder" in settings.knowledge.backbones
    table_keys = set(re.findall(r"^\| `([a-z0-9-]+)`", DOC.read_text(encoding="utf-8"), re.M))
    assert _ALLOWED <= table_keys
