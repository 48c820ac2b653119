"""The linter reads code; it never imports, executes or evaluates it, and the lint path
never imports torch (or the other libraries it knows about)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest
from reliability_helpers import BUGGY, FIXTURE_NOTEBOOK, FIXTURE_SCRIPT, REPO, code_cell, notebook, notebook_bytes


# What the console script does (`python -m` would also put the working directory, the
# tree being linted, first on sys.path: that is Python's doing, not the linter's).
ENTRY_POINT = "import sys; sys.path[:] = [p for p in sys.path if p not in ('', '.')]; " \
    "from bf16lint.cli import main; sys.exit(main())"


def _payloads(marker: str):
    """Sources that each leave the marker file behind if imported, executed or evaluated;
    all carry bf16 and backbone evidence, so they are really parsed and analysed."""
    m = repr(marker)
    return {
        "module_level.py": f"open({m}, 'w').write('module')\n" + BUGGY,
        "dunder_import.py": f"__import__('pathlib').Path({m}).write_text('import')\n" + BUGGY,
        "conftest.py": f"import pathlib\npathlib.Path({m}).touch()\n" + BUGGY,
        "setup.py": f"import os\nos.system('touch ' + {m})\n" + BUGGY,
        "sitecustomize.py": f"open({m}, 'w')\n" + BUGGY,
        "__init__.py": f"open({m}, 'w')\n" + BUGGY,
        "__main__.py": f"open({m}, 'w')\n" + BUGGY,
        # Imported by name if the tree were put on sys.path: shadows what bf16lint imports.
        "json.py": f"open({m}, 'w')\n" + BUGGY,
        "ast.py": f"open({m}, 'w')\n" + BUGGY,
        "libcst.py": f"open({m}, 'w')\n" + BUGGY,
        "torch.py": f"open({m}, 'w')\n" + BUGGY,
        "timm.py": f"open({m}, 'w')\n" + BUGGY,
        # Code that only an evaluation of defaults, decorators or annotations would run.
        "evaluated.py": textwrap.dedent(
            f"""\
            def hook(f=open({m}, 'w')):
                return f


            @open({m}, 'w').close
            class Model:
                x: open({m}, 'w') = 1
            """
        )
        + BUGGY,
        # A class body and a metaclass run on definition; a dataclass field default too.
        "class_body.py": f"class Boom(type(open({m}, 'w'))):\n    open({m}, 'w')\n" + BUGGY,
        # A coding cookie naming a "codec" module that sits in the tree.
        "cookie.py": "# -*- coding: evilcodec -*-\n" + BUGGY,
        "evilcodec.py": f"open({m}, 'w')\n",
    }


def _write_tree(root, marker):
    root.mkdir(parents=True, exist_ok=True)
    for name, source in _payloads(marker).items():
        (root / name).write_text(source)
    (root / "user.pth").write_text(f"import os; open({marker!r}, 'w')\n")
    cells = [
        code_cell(f"open({marker!r}, 'w')\n", 0),
        code_cell(f"!touch {marker}\n%run evil.py\nget_ipython().system('touch {marker}')\n", 1),
        code_cell(f"%%bash\ntouch {marker}\n", 2),
        code_cell(BUGGY, 3),
    ]
    (root / "nb.ipynb").write_bytes(notebook_bytes(notebook(cells)))


@pytest.mark.parametrize("mode", [[], ["--fix", "--unsafe-fixes"], ["--diff"], ["--fix", "--fix-style", "wrap"]])
def test_linting_and_fixing_never_runs_the_code(tmp_path, mode):
    marker = tmp_path / "MARKER"
    root = tmp_path / "proj"
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    for cwd, target in ((tmp_path, "proj"), (root, ".")):
        shutil.rmtree(root, ignore_errors=True)
        _write_tree(root, str(marker))
        done = subprocess.run(
            [sys.executable, "-c", ENTRY_POINT, *mode, target],
            cwd=cwd, capture_output=True, text=True, timeout=120, env=env,
        )
        assert done.returncode in (0, 1, 2), done.stdout + done.stderr
        assert "Traceback" not in done.stdout + done.stderr
        assert "BFD001" in done.stdout or "fixed" in done.stdout or "+++" in done.stdout
        assert not marker.exists(), (mode, cwd, done.stdout + done.stderr)
    assert not list(root.rglob("__pycache__")), "something under the tree was imported"


@pytest.mark.skipif(shutil.which("bf16lint") is None, reason="console script not installed")
def test_console_script_inside_the_tree_never_runs_the_code(tmp_path):
    """The entry point pre-commit runs, started from inside the tree."""
    marker = tmp_path / "MARKER"
    root = tmp_path / "proj"
    _write_tree(root, str(marker))
    done = subprocess.run(
        [shutil.which("bf16lint"), "--fix", "."], cwd=root, capture_output=True, text=True, timeout=120,
        env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"),
    )
    assert "Traceback" not in done.stdout + done.stderr
    assert not marker.exists()


NO_TORCH = textwrap.dedent(
    """\
    import sys

    FORBIDDEN = {"torch", "torchvision", "timm", "transformers", "open_clip", "lightning", "accelerate"}


    class Refuse:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in FORBIDDEN:
                raise ImportError(f"the lint path imported {name}")
            return None


    sys.meta_path.insert(0, Refuse())
    from bf16lint.cli import main

    codes = [main(["-j", "1", *args]) for args in ARGS]
    leaked = sorted(m for m in sys.modules if m.split(".")[0] in FORBIDDEN)
    print("CODES", codes, "LEAKED", leaked)
    """
)


def test_the_lint_path_never_imports_torch(tmp_path):
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    for source in (FIXTURE_SCRIPT, FIXTURE_NOTEBOOK):
        shutil.copy(source, fixtures / source.name)
    cases = tmp_path / "cases"
    shutil.copytree(REPO / "tests" / "cases", cases)
    args = [
        [str(FIXTURE_SCRIPT), str(FIXTURE_NOTEBOOK)],
        ["--output-format", "json", str(FIXTURE_SCRIPT), str(FIXTURE_NOTEBOOK)],
        ["--diff", str(FIXTURE_SCRIPT)],
        ["--fix", str(fixtures)],
        ["--fix", "--fix-style", "wrap", "--unsafe-fixes", str(cases)],
    ]
    script = f"ARGS = {json.dumps(args)}\n" + NO_TORCH
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "the lint path imported" not in out, out
    assert "LEAKED []" in out, out
    codes = json.loads(out.split("CODES", 1)[1].split("LEAKED")[0].strip())
    assert codes[:4] == [1, 1, 1, 0], out
