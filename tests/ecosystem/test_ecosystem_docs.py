"""docs/ecosystem.md and action.yml stay true: the snippets parse, name only hooks, inputs
and flags that exist, and the commands they run work when run for real."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from eco_helpers import BUGGY_SCRIPT, CLEAN_SCRIPT, run_process, write

from bf16lint.cli import build_parser
from bf16lint.config import _ALLOWED

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "ecosystem.md"
ACTION = REPO / "action.yml"


def blocks(language):
    return re.findall(r"```" + language + r"\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def _yaml():
    return pytest.importorskip("yaml")


def _flags():
    return {option for action in build_parser()._actions for option in action.option_strings}


def _assert_flags_exist(command: str):
    words = command.split()
    assert words[0] == "bf16lint"
    for word in words:
        if word.startswith("--"):
            assert word in _flags(), word


def test_pre_commit_snippets():
    yaml = _yaml()
    remote, local = (yaml.safe_load(block) for block in blocks("yaml")[:2])
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    (repo,) = remote["repos"]
    assert {h["id"] for h in repo["hooks"]} <= {h["id"] for h in hooks}
    # There are no release tags: the snippet must not name one.
    assert not re.fullmatch(r"v?\d+(\.\d+)*", str(repo["rev"]))
    assert "commit SHA" in repo["rev"]
    (local_repo,) = local["repos"]
    assert local_repo["repo"] == "local"
    (hook,) = local_repo["hooks"]
    check = next(h for h in hooks if h["id"] == "bf16lint")
    assert hook["entry"] == check["entry"] and hook["types_or"] == check["types_or"]
    _assert_flags_exist(hook["entry"])


@pytest.mark.skipif(sys.platform == "win32", reason="posix PATH handling")
def test_local_pre_commit_hook_runs_for_real(tmp_path):
    """The `repo: local` snippet, verbatim, in a real pre-commit run (language: system uses
    the bf16lint installed beside this interpreter)."""
    pytest.importorskip("pre_commit")
    project = tmp_path / "project"
    write(project / ".pre-commit-config.yaml", blocks("yaml")[1])
    write(project / "train.py", BUGGY_SCRIPT)
    write(project / "clean.py", CLEAN_SCRIPT)
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "home"), NO_COLOR="1",
               PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    for key in ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE", "PRE_COMMIT"):
        env.pop(key, None)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True, env=env)
    subprocess.run(["git", "add", "-A"], cwd=project, check=True, env=env)

    def pre_commit(*files):
        return run_process([sys.executable, "-m", "pre_commit", "run", "--color", "never", "--files", *files],
                           cwd=project, env=env, timeout=300)

    failed = pre_commit("train.py", "clean.py")
    assert failed.code == 1, failed.out + failed.err
    assert "train.py:23:15: BFD001" in failed.out and "Found 1 error and 1 warning." in failed.out
    passed = pre_commit("clean.py")
    assert passed.code == 0 and "Passed" in passed.out, passed.out


def test_github_actions_snippets():
    yaml = _yaml()
    workflow = yaml.safe_load(blocks("yaml")[2])
    job = workflow["jobs"]["bf16lint"]
    assert job["permissions"]["security-events"] == "write"
    action_step = next(step for step in job["steps"] if "/bf16lint@" in step.get("uses", ""))
    inputs = yaml.safe_load(ACTION.read_text())["inputs"]
    assert set(action_step["with"]) <= set(inputs)
    _assert_flags_exist("bf16lint " + action_step["with"]["args"])
    annotate = yaml.safe_load(blocks("yaml")[3])
    _assert_flags_exist(annotate[0]["run"])


def test_config_example_is_valid_and_table_is_complete(tmp_path):
    from bf16lint.config import SettingsResolver

    (toml,) = blocks("toml")
    (tmp_path / "pyproject.toml").write_text(toml)
    settings = SettingsResolver().for_path(str(tmp_path / "x.py"))
    assert "mylib.load_encoder" in settings.knowledge.backbones
    table_keys = set(re.findall(r"^\| `([a-z0-9-]+)`", DOC.read_text(encoding="utf-8"), re.M))
    assert _ALLOWED <= table_keys


# ------------------------------------------------------------------ action.yml
def test_action_structure():
    action = _yaml().safe_load(ACTION.read_text())
    assert action["name"] and action["description"]
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    for step in steps:
        assert ("run" in step) != ("uses" in step)
        if "run" in step:
            assert step["shell"] == "bash"  # composite run steps must name their shell
    install = steps[0]
    assert "pip install" in install["run"] and install["env"]["BF16LINT_SOURCE"] == "${{ github.action_path }}"
    upload = next(step for step in steps if "uses" in step)
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    assert "always()" in upload["if"]
    # The failing step comes after the upload, so the alerts are uploaded either way.
    assert steps.index(upload) < len(steps) - 1
    # Every ${{ inputs.X }} names a declared input.
    used = set(re.findall(r"inputs\.([a-z-]+)", ACTION.read_text()))
    assert used <= set(action["inputs"])


def _expand(text: str, values: dict) -> str:
    return re.sub(r"\$\{\{\s*([^}]+?)\s*\}\}", lambda m: values[m.group(1)], text)


@pytest.mark.slow  # builds a virtual environment and installs bf16lint into it (~20 s)
def test_action_commands_work_when_run(tmp_path):
    """Each `run:` step of action.yml, in order, with GitHub's expressions filled in as the
    runner would: the install step installs this checkout into a fresh environment
    (offline, as the pre-commit test does), the lint step writes SARIF, and the last step
    fails the job when findings remain and passes on a clean project."""
    from test_precommit_hooks import _offline_env, _snapshot

    action = _yaml().safe_load(ACTION.read_text())
    source = _snapshot(tmp_path / "action-repo")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)], check=True)
    env = _offline_env(tmp_path)
    env.pop("PYTHONPATH", None)  # the venv sees this interpreter's packages itself
    env["PATH"] = os.pathsep.join([str(venv / "bin"), env.get("PATH", "")])
    env["VIRTUAL_ENV"] = str(venv)

    def run_action(workspace: Path) -> int:
        output = tmp_path / f"github_output_{workspace.name}"
        output.write_text("")
        outputs: dict = {}
        status = None
        for step in action["runs"]["steps"]:
            if "uses" in step:
                continue  # upload-sarif runs on GitHub only; its input file is checked below
            values = {"github.action_path": str(source), "github.workspace": str(workspace)}
            values.update({f"inputs.{k}": str(v.get("default", "")) for k, v in action["inputs"].items()})
            values.update({f"steps.lint.outputs.{k}": v for k, v in outputs.items()})
            step_env = dict(env, GITHUB_OUTPUT=str(output))
            step_env.update({k: _expand(str(v), values) for k, v in step.get("env", {}).items()})
            done = subprocess.run(["bash", "-e", "-c", _expand(step["run"], values)], cwd=workspace,
                                  env=step_env, capture_output=True, text=True, timeout=300)
            if "pip install" in step["run"]:
                assert done.returncode == 0, done.stdout + done.stderr
                installed = subprocess.run([str(venv / "bin" / "bf16lint"), "--version"],
                                           capture_output=True, text=True)
                assert installed.returncode == 0 and installed.stdout.startswith("bf16lint ")
            outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
            status = done.returncode
            if status:
                break
        sarif = json.loads((workspace / "bf16lint.sarif").read_text())
        assert sarif["version"] == "2.1.0"
        return status, outputs, sarif

    buggy = tmp_path / "buggy"
    write(buggy / "train.py", BUGGY_SCRIPT)
    status, outputs, sarif = run_action(buggy)
    assert status == 1 and outputs["exit-code"] == "1"
    assert sorted(r["ruleId"] for r in sarif["runs"][0]["results"]) == ["BFD001", "BFD002"]
    clean = tmp_path / "clean"
    write(clean / "model.py", CLEAN_SCRIPT)
    status, outputs, sarif = run_action(clean)
    assert status == 0 and outputs["exit-code"] == "0" and sarif["runs"][0]["results"] == []
