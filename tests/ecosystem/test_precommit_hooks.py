""".pre-commit-hooks.yaml, checked as data and then run by the real pre-commit.

The run uses ``pre-commit try-repo`` on a snapshot of this checkout (tracked files plus
untracked ones git does not ignore, committed in a temporary repository, so work not
yet committed is what gets tested) against a temporary project repository holding a
buggy script and a buggy notebook.

pre-commit installs the hook into a fresh virtualenv with ``pip install .``. To keep that
offline, pip gets no index (PIP_NO_INDEX), builds without isolation (the inverted
PIP_NO_BUILD_ISOLATION=0 means --no-build-isolation) and sees this interpreter's
site-packages through PYTHONPATH, so setuptools and bf16lint's dependencies are already
satisfied; bf16lint itself is installed from the snapshot into the hook's environment.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from eco_helpers import BUGGY_SCRIPT, CLEAN_SCRIPT, run_process, write, write_notebook

REPO = Path(__file__).resolve().parents[2]
HOOKS_FILE = REPO / ".pre-commit-hooks.yaml"


def _yaml():
    return pytest.importorskip("yaml")  # pre-commit depends on PyYAML


# ------------------------------------------------------------------ the file itself
def test_hooks_file_structure():
    hooks = _yaml().safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    by_id = {hook["id"]: hook for hook in hooks}
    assert set(by_id) == {"bf16lint", "bf16lint-fix"}
    for hook in hooks:
        assert hook["language"] == "python"
        assert hook["types_or"] == ["python", "jupyter"]
        assert hook["require_serial"] is True
        assert hook["entry"].split()[0] == "bf16lint"
        assert "--force-exclude" in hook["entry"].split()  # pre-commit passes explicit paths
        assert hook["name"]
    assert "--fix" not in by_id["bf16lint"]["entry"].split()
    assert "--fix" in by_id["bf16lint-fix"]["entry"].split()


def test_hooks_file_passes_pre_commit_schema():
    pytest.importorskip("pre_commit")
    from pre_commit.clientlib import load_manifest

    manifest = load_manifest(str(HOOKS_FILE))
    assert [hook["id"] for hook in manifest] == ["bf16lint", "bf16lint-fix"]


def test_entry_point_is_installed():
    from importlib.metadata import entry_points

    scripts = entry_points().select(group="console_scripts") if hasattr(entry_points(), "select") else entry_points()["console_scripts"]
    assert any(ep.name == "bf16lint" and ep.value == "bf16lint.cli:main" for ep in scripts)


# ------------------------------------------------------------------ what the hook's command does
def test_exit_zero_when_no_file_needs_analysis(project, cli):
    """pre-commit hands over files that need nothing: a clean script, a file without
    bf16 evidence, a file the configuration excludes."""
    write(project / "clean.py", CLEAN_SCRIPT)
    write(project / "utils.py", "def add(a, b):\n    return a + b\n")
    write(project / "vendored" / "third.py", BUGGY_SCRIPT)
    write(project / "pyproject.toml", '[tool.bf16lint]\nextend-exclude = ["vendored"]\n')
    run = cli("--force-exclude", "clean.py", "utils.py", "vendored/third.py")
    assert run.code == 0, run.out
    run = cli("--force-exclude", "--fix", "vendored/third.py")
    assert run.code == 0
    assert (project / "vendored" / "third.py").read_text() == BUGGY_SCRIPT


# ------------------------------------------------------------------ the real pre-commit
def _git(*args, cwd):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    env.pop("GIT_DIR", None)
    env.pop("GIT_INDEX_FILE", None)
    subprocess.run(["git", *args], cwd=str(cwd), check=True, capture_output=True, env=env)


def _snapshot(destination: Path) -> Path:
    """This checkout's working tree (tracked + untracked-not-ignored) committed in a new repo."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=str(REPO), check=True, capture_output=True,
    ).stdout.decode("utf-8").split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if not source.is_file():  # deleted in the working tree
            continue
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    _git("init", "-q", cwd=destination)
    _git("add", "-A", cwd=destination)
    _git("commit", "-q", "--no-verify", "-m", "snapshot", cwd=destination)
    return destination


def _offline_env(tmp_path: Path) -> dict:
    paths = []
    for key in ("purelib", "platlib"):
        path = sysconfig.get_paths()[key]
        if path not in paths:
            paths.append(path)
    env = dict(os.environ)
    for key in ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE", "PRE_COMMIT", "PIP_REQUIRE_VIRTUALENV"):
        env.pop(key, None)
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        PIP_NO_INDEX="1",
        PIP_NO_BUILD_ISOLATION="0",  # pip's inverted spelling of --no-build-isolation
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PYTHONPATH=os.pathsep.join(paths + [env["PYTHONPATH"]] if env.get("PYTHONPATH") else paths),
        NO_COLOR="1",
        TERM="dumb",
        GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com",
    )
    return env


def _pre_commit_available():
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        return False
    return shutil.which("git") is not None


@pytest.mark.slow  # about 30 s: pre-commit builds the hook's virtualenv twice (try-repo, then run)
@pytest.mark.skipif(not _pre_commit_available(), reason="needs pre-commit (pip install pre-commit) and git")
def test_pre_commit_check_fails_fix_rewrites_then_passes(tmp_path):
    """try-repo runs the check hook; then a .pre-commit-config.yaml shaped like the
    README snippet (repo, rev, both hook ids) runs the fix hook and the check again,
    reusing one installed environment."""
    hook_repo = _snapshot(tmp_path / "hook-repo")
    project = tmp_path / "project"
    project.mkdir()
    _git("init", "-q", cwd=project)
    write(project / "train.py", BUGGY_SCRIPT)
    write_notebook(project / "notebooks" / "explore.ipynb")
    write(project / "notes.txt", "bf16 and resnet, but not python\n")
    _git("add", "-A", cwd=project)
    env = _offline_env(tmp_path)
    files = ["train.py", "notebooks/explore.ipynb", "notes.txt"]

    def pre_commit(*args):
        run = run_process([sys.executable, "-m", "pre_commit", *args, "--color", "never"],
                          cwd=project, env=env, timeout=600)
        output = run.out + run.err
        if run.code != 0 and "No matching distribution found" in output:
            pytest.skip("pre-commit could not install the hook offline: a dependency is missing from this "
                        "interpreter's site-packages (" + output.strip().splitlines()[-1] + ")")
        assert "An unexpected error" not in output, output
        return run.code, output

    before_script = (project / "train.py").read_bytes()
    before_notebook = (project / "notebooks" / "explore.ipynb").read_bytes()

    # 1. try-repo, the check hook: fails and names every finding, changes nothing.
    code, output = pre_commit("try-repo", str(hook_repo), "bf16lint", "--verbose", "--files", *files)
    assert code == 1, output
    assert "Failed" in output and "- hook id: bf16lint" in output
    assert "train.py:19:15: BFD002" in output, output
    assert "train.py:23:15: BFD001" in output, output
    assert "notebooks/explore.ipynb:cell 3:2:7: BFD001" in output, output
    assert "Found 2 errors and 1 warning." in output
    assert (project / "train.py").read_bytes() == before_script
    assert (project / "notebooks" / "explore.ipynb").read_bytes() == before_notebook

    # 2. The README snippet, pointing at the snapshot.
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=str(hook_repo), check=True,
                         capture_output=True, text=True).stdout.strip()
    write(project / ".pre-commit-config.yaml", (
        "repos:\n"
        f"  - repo: {hook_repo.as_posix()}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        "      - id: bf16lint-fix\n"
        "      - id: bf16lint\n"
    ))
    _git("add", ".pre-commit-config.yaml", cwd=project)

    # 3. The fix hook rewrites both files; pre-commit fails a hook that modified files.
    code, output = pre_commit("run", "bf16lint-fix", "--verbose", "--files", *files)
    assert code == 1, output
    assert "files were modified by this hook" in output, output
    fixed_script = (project / "train.py").read_text()
    assert fixed_script.count('batch["image"] = batch["image"].float()') == 2
    import nbformat

    notebook = nbformat.read(str(project / "notebooks" / "explore.ipynb"), as_version=4)
    nbformat.validate(notebook)
    assert "images = images.float()" in notebook.cells[2].source
    assert notebook.cells[3].source == "%time print(out.shape)"  # magics survive
    assert notebook.cells[0].source == "# Features"

    # 4. Next run: both hooks pass and change nothing.
    code, output = pre_commit("run", "--files", *files)
    assert code == 0, output
    assert output.count("Passed") == 2, output
    assert (project / "train.py").read_text() == fixed_script

    # 5. A rule-code typo inside `args:` stops the hook with the code named (it used to
    #    select nothing and pass).
    write(project / ".pre-commit-config.yaml", (
        "repos:\n"
        f"  - repo: {hook_repo.as_posix()}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        "      - id: bf16lint\n"
        "        args: [--select, BFD01]\n"
    ))
    code, output = pre_commit("run", "bf16lint", "--files", *files)
    assert code == 1, output
    assert "'BFD01' matches no rule (did you mean BFD001" in output, output

    # 6. Nothing of type python/jupyter: pre-commit does not start bf16lint at all.
    code, output = pre_commit("run", "bf16lint", "--files", "notes.txt")
    assert code == 0, output
    assert "(no files to check)" in output and "Skipped" in output
