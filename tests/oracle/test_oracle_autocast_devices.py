"""An autocast only casts ops on its own device type (RULES.md: "an autocast ... for the wrong
device type counts as none"). The oracle runs "cuda" on the CPU, so it must not let a "cpu"
autocast protect what the program put on CUDA, nor a "cuda" autocast protect a program that
kept everything on the CPU. All programs are labelled in one batch (a module fixture)."""
from __future__ import annotations

import textwrap

import pytest

from oracle import Frame, Program, label_programs

CALL = "# <- the backbone call"

MODEL = "model = timm.create_model('vit_small_patch16_224', pretrained=True, num_classes=4)"

PROGRAMS = {
    # name: (device setup, autocast header, env, expected code)
    "cpu_autocast_cuda_model": ('device = "cuda"', 'torch.autocast("cpu", dtype=torch.bfloat16)', {}, "BFD001"),
    "cpu_amp_autocast_cuda_model": ('device = torch.device("cuda")', "torch.cpu.amp.autocast(dtype=torch.bfloat16)",
                                    {}, "BFD001"),
    "cuda_autocast_cuda_model": ('device = "cuda"', 'torch.autocast("cuda", dtype=torch.bfloat16)', {}, "BFD002"),
    "cuda_amp_autocast_cuda_model": ('device = "cuda"', "torch.cuda.amp.autocast(dtype=torch.bfloat16)", {}, "BFD002"),
    "runtime_device_type": ('device = torch.device("cuda" if torch.cuda.is_available() else "cpu")',
                            "torch.autocast(device.type, dtype=torch.bfloat16)", {}, "BFD002"),
    "cpu_autocast_cpu_model": ('device = "cpu"', 'torch.autocast("cpu", dtype=torch.bfloat16)', {}, "BFD002"),
    "cuda_autocast_cpu_only_program": (None, 'torch.autocast("cuda", dtype=torch.bfloat16)', {}, "BFD001"),
    "cuda_autocast_no_cuda_machine": ('device = torch.device("cuda" if torch.cuda.is_available() else "cpu")',
                                      'torch.autocast("cuda", dtype=torch.bfloat16)', {"ORACLE_CUDA": "0"},
                                      "BFD001"),
    "runtime_device_type_no_cuda_machine": ('device = torch.device("cuda" if torch.cuda.is_available() else "cpu")',
                                            "torch.autocast(device.type, dtype=torch.bfloat16)",
                                            {"ORACLE_CUDA": "0"}, "BFD002"),
}


def _source(device, header) -> str:
    move = "" if device is None else f"{device}\nmodel = model.to(device)\nx = x.to(device)\n"
    return textwrap.dedent("""\
        import torch
        import timm

        {model}
        x = torch.rand(2, 3, 32, 32)
        {move}x = x.to(torch.bfloat16)
        with {header}:
            out = model(x)  {call}
        """).format(model=MODEL, move=move, header=header, call=CALL)


def _program(name: str) -> Program:
    device, header, env, _ = PROGRAMS[name]
    return Program({"main.py": _source(device, header)}, "main.py", env=env, name=name)


def _call_line(program: Program) -> int:
    return next(i for i, line in enumerate(program.files["main.py"].split("\n"), 1) if CALL in line)


@pytest.fixture(scope="module")
def labels():
    programs = [_program(name) for name in PROGRAMS]
    return {program.name: (program, label) for program, label in zip(programs, label_programs(programs))}


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_autocast_protects_only_its_own_device(labels, name):
    program, label = labels[name]
    assert label.code == PROGRAMS[name][3], (label.code, label.verdict, label.no_autocast)
    assert Frame("main.py", _call_line(program)) in label.frames


def test_other_device_autocast_reports_itself_enabled_but_casts_nothing(oracle_run):
    """torch.is_autocast_enabled(device) answers as on a GPU machine for either device."""
    verdict = oracle_run("""\
        import torch

        x = torch.rand(2, 4, device="cuda")
        w = torch.rand(4, 4).cuda()
        assert not torch.is_autocast_enabled("cpu") and not torch.is_autocast_enabled("cuda")
        with torch.autocast("cpu", dtype=torch.bfloat16):
            assert torch.is_autocast_enabled("cpu") and not torch.is_autocast_enabled("cuda")
            assert torch.get_autocast_dtype("cpu") == torch.bfloat16
            assert (x @ w).dtype == torch.float32, "a cpu autocast cast a cuda op"
            with torch.autocast("cuda", dtype=torch.bfloat16):
                assert torch.is_autocast_enabled("cuda") and torch.get_autocast_dtype("cuda") == torch.bfloat16
                assert (x @ w).dtype == torch.bfloat16
            assert (x @ w).dtype == torch.float32
        with torch.autocast("cuda"):
            assert torch.is_autocast_enabled("cuda") and torch.get_autocast_dtype("cuda") == torch.float16
            assert (x @ w).dtype == torch.float16
            with torch.autocast("cpu", enabled=False):  # the other device's switch changes nothing
                assert (x @ w).dtype == torch.float16
        assert not torch.is_autocast_enabled("cpu") and not torch.is_autocast_enabled("cuda")
        """)
    assert verdict.status == "ok", verdict.message


def test_cpu_program_keeps_cpu_autocast_and_ignores_cuda_autocast(oracle_run):
    verdict = oracle_run("""\
        import torch

        x, w = torch.rand(2, 4), torch.rand(4, 4)
        with torch.autocast("cuda", dtype=torch.bfloat16):
            assert torch.is_autocast_enabled("cuda") and not torch.is_autocast_enabled("cpu")
            assert (x @ w).dtype == torch.float32, "a cuda autocast cast a cpu op"
            with torch.autocast("cpu", dtype=torch.bfloat16):
                assert (x @ w).dtype == torch.bfloat16
        """)
    assert verdict.status == "ok", verdict.message


def test_only_an_autocast_that_casts_makes_a_second_run(oracle_run):
    """An autocast for the other device neutralises nothing: no autocast-free run is needed."""
    verdict = oracle_run(_source('device = "cuda"', 'torch.autocast("cpu", dtype=torch.bfloat16)')
                         .replace("x = x.to(torch.bfloat16)\n", ""))
    assert verdict.status == "ok" and not verdict.autocast_entered
    verdict = oracle_run(_source('device = "cuda"', 'torch.autocast("cuda", dtype=torch.bfloat16)')
                         .replace("x = x.to(torch.bfloat16)\n", ""))
    assert verdict.status == "ok" and verdict.autocast_entered
