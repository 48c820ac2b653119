"""The flake8 plugin through a real flake8 subprocess: its options from setup.cfg, tox.ini
and .flake8 (parse_from_config), the same findings as the CLI, flake8's own noqa."""
from __future__ import annotations

import sys
import textwrap

import pytest
from eco_helpers import BUGGY_SCRIPT, CLEAN_SCRIPT, bf16lint_process, run_process, write

pytest.importorskip("flake8")

CUSTOM_LOADER = textwrap.dedent(
    """\
    import torch
    import mylib

    encoder = mylib.load_encoder("vit-base")
    images = torch.randn(8, 3, 224, 224, dtype=torch.bfloat16)
    feats = encoder(images)
    """
)
EXTERNAL_CACHE = textwrap.dedent(
    """\
    import timm
    from mylib import MyCache
    from torch.utils.data import DataLoader

    model = timm.create_model("resnet50", pretrained=True).cuda()
    cache = MyCache("train/", half_cache=True)
    for batch in DataLoader(cache, batch_size=32):
        out = model(batch["image"])
    """
)


def flake8(cwd, *args):
    # --isolated is not used: the point is that flake8 reads the project's config files.
    return run_process([sys.executable, "-m", "flake8", "--select", "BFD", *args], cwd)


def rows(output):
    found = []
    for line in output.splitlines():
        path, row, col, rest = line.split(":", 3)
        found.append((path.replace("\\", "/").lstrip("./"), int(row), int(col), rest.split()[0]))
    return found


@pytest.mark.parametrize(
    "config_file,section",
    [
        ("setup.cfg", "[flake8]\nbf16lint-backbones = mylib.load_encoder\n"),
        ("tox.ini", "[flake8]\nbf16lint-backbones = mylib.load_encoder\n"),
        (".flake8", "[flake8]\nbf16lint-backbones =\n    other.thing,\n    mylib.load_encoder\n"),
        (".flake8", "[flake8]\nbf16lint_backbones = mylib.load_encoder\n"),
    ],
)
def test_backbones_from_config_file(tmp_path, config_file, section):
    write(tmp_path / "encode.py", CUSTOM_LOADER)
    run = flake8(tmp_path, "encode.py")
    assert run.code == 0 and run.out == ""  # VALID without the setting
    write(tmp_path / config_file, section)
    run = flake8(tmp_path, "encode.py")
    assert run.code == 1, run.err
    assert rows(run.out) == [("encode.py", 6, 9, "BFD001")]
    assert "mylib.load_encoder" in run.out


def test_backbones_on_the_command_line(tmp_path):
    write(tmp_path / "encode.py", CUSTOM_LOADER)
    run = flake8(tmp_path, "--bf16lint-backbones", "mylib.load_encoder", "encode.py")
    assert rows(run.out) == [("encode.py", 6, 9, "BFD001")]


def test_self_casting_option(tmp_path):
    write(tmp_path / "encode.py", CUSTOM_LOADER)
    write(tmp_path / "setup.cfg", "[flake8]\nbf16lint-backbones = mylib.load_encoder\n"
                                  "bf16lint-self-casting = mylib.load_encoder\n")
    run = flake8(tmp_path, "encode.py")
    assert run.code == 0 and run.out == ""


def test_bf16_flags_option(tmp_path):
    write(tmp_path / "train.py", EXTERNAL_CACHE)
    assert flake8(tmp_path, "train.py").out == ""
    write(tmp_path / "setup.cfg", "[flake8]\nbf16lint-bf16-flags = half_cache\n")
    assert [r[-1] for r in rows(flake8(tmp_path, "train.py").out)] == ["BFD001"]


def test_image_keys_option(tmp_path):
    source = BUGGY_SCRIPT.replace('"image"', '"frame_tensor"').replace('out = model(batch["frame_tensor"])', "out = model(batch)")
    write(tmp_path / "train.py", source)
    assert flake8(tmp_path, "train.py").out == ""
    write(tmp_path / "setup.cfg", "[flake8]\nbf16lint-image-keys = frame_tensor\n")
    assert [r[-1] for r in rows(flake8(tmp_path, "train.py").out)] == ["BFD002", "BFD001"]


def test_options_reach_parallel_workers(tmp_path):
    for name in ("a.py", "b.py", "c.py"):
        write(tmp_path / name, CUSTOM_LOADER)
    write(tmp_path / "setup.cfg", "[flake8]\nbf16lint-backbones = mylib.load_encoder\n")
    run = flake8(tmp_path, "-j", "2", "a.py", "b.py", "c.py")
    assert sorted(r[0] for r in rows(run.out)) == ["a.py", "b.py", "c.py"]


def test_flake8_matches_cli_concise(tmp_path):
    """Same file, same findings: line, column and code, flake8 and the CLI alike."""
    write(tmp_path / "train.py", BUGGY_SCRIPT)
    write(tmp_path / "encode.py", CUSTOM_LOADER)
    write(tmp_path / "clean.py", CLEAN_SCRIPT)
    write(tmp_path / "setup.cfg", "[flake8]\nbf16lint-backbones = mylib.load_encoder\n")
    write(tmp_path / "pyproject.toml", '[tool.bf16lint]\nbackbones = ["mylib.load_encoder"]\n')
    names = ["train.py", "encode.py", "clean.py"]
    from_flake8 = flake8(tmp_path, *names)
    from_cli = bf16lint_process("--output-format", "concise", *names, cwd=tmp_path)
    assert from_flake8.code == from_cli.code == 1
    cli_rows = [(path, row, col, code) for path, _, row, col, code in from_cli.concise()]
    assert sorted(rows(from_flake8.out)) == sorted(cli_rows)
    assert len(cli_rows) == 3
    # The messages agree too: flake8 prints "CODE message" as the CLI does.
    flake8_lines = sorted(line.split(":", 3)[3].strip() for line in from_flake8.out.splitlines())
    cli_lines = sorted(line.split(":", 3)[3].strip() for line in from_cli.out.splitlines() if line.count(":") >= 3
                       and line.split(":", 3)[1].isdigit())
    assert flake8_lines == cli_lines


@pytest.mark.parametrize(
    "comment,expected",
    [
        ("# noqa", ["BFD002"]),
        ("# noqa: BFD001", ["BFD002"]),
        ("# noqa: BFD002", ["BFD002", "BFD001"]),
    ],
)
def test_flake8_noqa(tmp_path, comment, expected):
    lines = BUGGY_SCRIPT.splitlines(True)
    lines[22] = lines[22].rstrip("\n") + "  " + comment + "\n"
    write(tmp_path / "train.py", "".join(lines))
    assert [r[-1] for r in rows(flake8(tmp_path, "train.py").out)] == expected


def test_flake8_file_level_exemption(tmp_path):
    write(tmp_path / "train.py", "# bf16lint: noqa\n" + BUGGY_SCRIPT)
    run = flake8(tmp_path, "train.py")
    assert run.code == 0 and run.out == ""


def test_flake8_ignores_other_codes(tmp_path):
    write(tmp_path / "train.py", BUGGY_SCRIPT)
    run = run_process([sys.executable, "-m", "flake8", "--select", "BFD", "--extend-ignore", "BFD002", "train.py"],
                      tmp_path)
    assert [r[-1] for r in rows(run.out)] == ["BFD001"]
