"""`bf16lint server` is a subcommand; a folder named `server` is still lintable."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run(args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bf16lint", *args], cwd=str(cwd), capture_output=True, text=True,
                          timeout=60)


def test_server_help_names_the_transport(tmp_path: Path):
    done = run(["server", "--help"], tmp_path)
    assert done.returncode == 0 and "stdio" in done.stdout


def test_an_unknown_server_argument_is_an_error(tmp_path: Path):
    done = run(["server", "--tcp"], tmp_path)
    assert done.returncode == 2 and "--tcp" in done.stderr


def test_check_server_lints_a_folder_named_server(tmp_path: Path):
    (tmp_path / "server").mkdir()
    (tmp_path / "server" / "app.py").write_text("x = 1\n")
    done = run(["check", "server"], tmp_path)
    assert done.returncode == 0 and "All checks passed" in done.stdout
