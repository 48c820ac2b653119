"""The oracle's contract: verdicts, frames mapped back to program files and notebook cells,
argv/env, timeouts, labels, and the stand-ins staying inside the oracle's workers."""
from __future__ import annotations

import json
import sys
import textwrap

from oracle import Frame, Program, label_programs, run_programs

BF16_CRASH = r"Input type \(c10::BFloat16\) and bias type \(float\) should be the same"

DINO = """\
import torch
model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14").cuda()
x = torch.rand(2, 3, 56, 56).to("cuda", dtype=torch.bfloat16)
"""


def test_script_crash_frames_point_at_the_call(oracle_run):
    verdict = oracle_run(DINO + "model(x)\n")
    assert verdict.status == "dtype_error"
    assert verdict.direction == "bf16_input"
    assert verdict.message.startswith("RuntimeError: ")
    assert verdict.frames == (Frame("main.py", 4),)
    assert verdict.where == Frame("main.py", 4)


def test_frames_go_outermost_first_through_program_functions(oracle_run):
    verdict = oracle_run(DINO + "def embed(batch):\n    return model(batch)\n\nembed(x)\n")
    assert verdict.frames == (Frame("main.py", 7), Frame("main.py", 5))


def test_ok_program(oracle_run):
    verdict = oracle_run(DINO + "y = model(x.float())\nassert y.dtype == torch.float32\n")
    assert verdict.status == "ok" and verdict.message == "" and verdict.frames == ()


def test_other_error_keeps_type_message_and_frame(oracle_run):
    verdict = oracle_run("x = 1\nraise ValueError('broken on purpose')\n")
    assert verdict.status == "other_error"
    assert verdict.message == "ValueError: broken on purpose"
    assert verdict.frames == (Frame("main.py", 2),)


def test_sys_exit_zero_is_ok_nonzero_is_other_error(oracle_run):
    assert oracle_run("import sys\nsys.exit(0)\n").status == "ok"
    assert oracle_run("import sys\nsys.exit(3)\n").status == "other_error"


def test_timeout_kills_the_program(oracle_run):
    verdict = oracle_run("while True:\n    pass\n", timeout=1.0)
    assert verdict.status == "timeout"
    assert oracle_run("print('the worker survives')\n").status == "ok"


def test_argv_and_env_reach_the_program(oracle_run):
    source = """\
    import os, sys, argparse
    parser = argparse.ArgumentParser()
    parser.add_argument("--bf16", action="store_true")
    args = parser.parse_args()
    assert args.bf16, sys.argv
    assert sys.argv[0].endswith("main.py")
    assert os.environ["PRECISION"] == "bf16"
    """
    assert oracle_run(source, argv=("--bf16",), env={"PRECISION": "bf16"}).status == "ok"
    assert oracle_run(source).status == "other_error"


def test_cwd_is_a_fresh_folder_holding_the_program(oracle_run):
    source = """\
    import os
    assert sorted(os.listdir(".")) == ["main.py", "notes.txt"], os.listdir(".")
    assert open("notes.txt").read() == "hello"
    open("scratch.txt", "w").write("left behind")
    """
    program = Program({"main.py": textwrap.dedent(source), "notes.txt": "hello"}, "main.py")
    assert oracle_run(program).status == "ok"
    assert oracle_run(program).status == "ok"  # the scratch file of the first run is gone


def test_multi_file_project_frames_in_every_file(oracle_run):
    files = {
        "train.py": "import torch\nfrom helpers import make_batch\nfrom pkg.wrap import Wrapper\n"
                    "model = Wrapper()\nbatch = make_batch()\nout = model(batch)\n",
        "helpers.py": "import torch\n\ndef make_batch():\n    return torch.rand(2, 3, 56, 56, device='cuda').bfloat16()\n",
        "pkg/__init__.py": "",
        "pkg/wrap.py": "import torch\nfrom torch import nn\n\nclass Wrapper(nn.Module):\n"
                       "    def __init__(self):\n        super().__init__()\n"
                       "        self.backbone = torch.hub.load('facebookresearch/dinov2', 'dinov2_vitb14')\n\n"
                       "    def forward(self, x):\n        return self.backbone(x)\n",
    }
    verdict = oracle_run(Program(files, "train.py"))
    assert verdict.direction == "bf16_input", verdict
    assert verdict.frames == (Frame("train.py", 6), Frame("pkg/wrap.py", 10))


def test_a_program_module_named_like_a_stand_in_wins(oracle_run):
    files = {"train.py": "import clip\nimport timm.models\nassert clip.OWN and timm.models.OWN\n",
             "clip.py": "OWN = True\n", "timm/__init__.py": "", "timm/models.py": "OWN = True\n"}
    assert oracle_run(Program(files, "train.py")).status == "ok"
    assert oracle_run("import clip\nclip.load('ViT-B/32')\n").status == "ok"  # the stand-in again


def test_entry_in_a_subfolder_gets_its_folder_on_sys_path(oracle_run):
    files = {"scripts/run.py": "import local_mod\nlocal_mod.go()\n",
             "scripts/local_mod.py": "def go():\n    raise KeyError('deep')\n"}
    verdict = oracle_run(Program(files, "scripts/run.py"))
    assert verdict.frames == (Frame("scripts/run.py", 2), Frame("scripts/local_mod.py", 2))


def _notebook(*cells):
    return json.dumps({
        "cells": [{"cell_type": kind, "metadata": {}, "source": source,
                   **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                  for kind, source in cells],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    })


def test_notebook_cells_lines_and_magics(oracle_run):
    notebook = _notebook(
        ("markdown", "# Train\nsome text"),
        ("code", "%matplotlib inline\n!pip install timm\nimport torch\nfiles = !ls\n"),
        ("code", ["model = torch.hub.load('facebookresearch/dinov2', 'dinov2_vits14').cuda()\n",
                  "x = torch.rand(1, 3, 56, 56, device='cuda').bfloat16()\n"]),
        ("markdown", "## run"),
        ("code", "%%time\ndef run(batch):\n    %time y = 1\n    return model(batch)\n\nrun(x)"),
    )
    verdict = oracle_run(Program({"nb/train.ipynb": notebook}, "nb/train.ipynb"))
    assert verdict.direction == "bf16_input", verdict
    assert verdict.frames == (Frame("nb/train.ipynb", 6, cell=5), Frame("nb/train.ipynb", 4, cell=5))


def test_notebook_runs_from_its_folder_and_writefile_works(oracle_run):
    notebook = _notebook(
        ("code", "%%writefile helper.py\nVALUE = 41\n"),
        ("code", "import os\nimport helper\nassert helper.VALUE + 1 == 42\nassert os.path.exists('data.txt')\n"),
    )
    program = Program({"nb/a.ipynb": notebook, "nb/data.txt": "x"}, "nb/a.ipynb")
    assert oracle_run(program).status == "ok"


def test_autocast_false_disables_every_autocast(oracle_run):
    source = DINO + textwrap.dedent("""\
    @torch.autocast("cuda", dtype=torch.bfloat16)
    def decorated(batch):
        return model(batch)

    with torch.autocast("cuda", dtype=torch.bfloat16):
        model(x)
    with torch.amp.autocast("cuda", dtype=torch.bfloat16):
        model(x)
    with torch.cuda.amp.autocast(dtype=torch.bfloat16):
        model(x)
    decorated(x)
    """)
    assert oracle_run(source).status == "ok"
    verdict = oracle_run(source, autocast=False)
    assert verdict.direction == "bf16_input" and verdict.where == Frame("main.py", 9)
    # A "cpu" autocast casts CPU ops only: a program that keeps its model on the CPU.
    cpu_source = DINO.replace(".cuda()", "").replace('.to("cuda", ', ".to(") + textwrap.dedent("""\
    with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
        model(x)
    with torch.cpu.amp.autocast():
        model(x)
    """)
    assert oracle_run(cpu_source).status == "ok"
    verdict = oracle_run(cpu_source, autocast=False)
    assert verdict.direction == "bf16_input" and verdict.where == Frame("main.py", 5)


def test_label_bfd001_bfd002_quiet_invalid():
    bfd001 = Program({"main.py": DINO + "model(x)\n"}, "main.py")
    bfd002 = Program({"main.py": DINO + "with torch.autocast('cuda', dtype=torch.bfloat16):\n    model(x)\n"}, "main.py")
    quiet = Program({"main.py": DINO + "model(x.float())\n"}, "main.py")
    invalid = Program({"main.py": DINO + "model(x.float()).nonexistent()\n"}, "main.py")
    reverse = Program({"main.py": DINO + "model.bfloat16()(x.float())\n"}, "main.py")
    labels = label_programs([bfd001, bfd002, quiet, invalid, reverse])
    assert [label.code for label in labels] == ["BFD001", "BFD002", None, "invalid", "invalid"]
    assert labels[0].frames == (Frame("main.py", 4),) and labels[0].no_autocast is None
    assert labels[1].frames == (Frame("main.py", 5),)
    assert labels[1].verdict.status == "ok" and labels[1].no_autocast.direction == "bf16_input"
    assert labels[2].no_autocast.status == "ok"
    assert labels[4].verdict.direction == "reverse"


def test_runs_say_whether_they_entered_an_enabled_autocast(oracle_run):
    assert not oracle_run(DINO + "model(x.float())\n").autocast_entered
    assert not oracle_run(DINO + "with torch.autocast('cuda', enabled=False):\n    model(x.float())\n").autocast_entered
    assert oracle_run(DINO + "with torch.autocast('cuda', dtype=torch.bfloat16):\n    model(x)\n").autocast_entered
    low_level = DINO + "torch.set_autocast_enabled('cuda', True)\nmodel(x)\n"
    assert oracle_run(low_level).autocast_entered
    assert oracle_run(low_level, autocast=False).direction == "bf16_input"


def test_stand_ins_stay_inside_the_workers(oracle_run):
    assert oracle_run("import timm\nimport _bf16_oracle\n").status == "ok"
    assert not any("standins" in entry for entry in sys.path)
    for name in ("timm", "_bf16_oracle"):
        assert name not in sys.modules


def test_many_programs_keep_their_order():
    programs = [Program({"main.py": f"import sys\nsys.exit({i % 2})\n"}, "main.py") for i in range(8)]
    statuses = [verdict.status for verdict in run_programs(programs, jobs=2)]
    assert statuses == ["ok", "other_error"] * 4


CUDA_SPELLINGS = {
    "default_device": "torch.set_default_device('cuda')\nassert torch.nn.Linear(2, 2)(torch.zeros(2)).shape == (2,)\n",
    "compile_is_eager": "m = torch.compile(torch.nn.Linear(2, 2).cuda())\nassert m(torch.ones(2, device='cuda')).shape == (2,)\n",
    "grad_scaler": "m = torch.nn.Linear(4, 2).cuda()\nopt = torch.optim.SGD(m.parameters(), lr=0.1)\n"
                   "scaler = torch.cuda.amp.GradScaler()\nwith torch.cuda.amp.autocast():\n"
                   "    loss = m(torch.rand(3, 4, device='cuda')).float().sum()\n"
                   "scaler.scale(loss).backward()\nscaler.step(opt)\nscaler.update()\n",
    "cuda_device_context": "with torch.cuda.device(0):\n    x = torch.ones(2, device=0)\n"
                           "assert torch.cuda.get_device_properties(0).total_memory > 0\n",
    "fp16_is_cudas_default": "m = torch.nn.Linear(4, 2).cuda()\nassert torch.get_autocast_dtype('cuda') == torch.float16\n"
                             "assert not torch.is_autocast_enabled()\nwith torch.autocast('cuda'):\n"
                             "    assert torch.is_autocast_enabled() and m(torch.rand(2, 4).cuda()).dtype == torch.float16\n"
                             "with torch.autocast('cuda', dtype=torch.bfloat16):\n"
                             "    assert torch.get_autocast_dtype('cuda') == torch.bfloat16\n",
    "loader_workers_pin_memory": "ds = torch.utils.data.TensorDataset(torch.rand(8, 3).bfloat16())\n"
                                 "for (b,) in torch.utils.data.DataLoader(ds, batch_size=4, num_workers=2, pin_memory=True):\n"
                                 "    assert b.cuda(non_blocking=True).dtype == torch.bfloat16\n",
}


def test_cuda_spellings_work_on_the_cpu():
    programs = [Program({"main.py": "import torch\n" + source}, "main.py", name=name)
                for name, source in CUDA_SPELLINGS.items()]
    for name, verdict in zip(CUDA_SPELLINGS, run_programs(programs)):
        assert verdict.status == "ok", (name, verdict)


def test_a_program_that_kills_its_worker_is_an_error_and_the_pool_recovers():
    killer = Program({"main.py": "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n"}, "main.py")
    fine = Program({"main.py": "x = 1\n"}, "main.py")
    verdicts = run_programs([killer, fine, fine], jobs=1)
    assert verdicts[0].status == "other_error" and "worker" in verdicts[0].message
    assert [v.status for v in verdicts[1:]] == ["ok", "ok"]


def test_a_program_that_exits_hard_has_no_verdict():
    verdict = run_programs([Program({"main.py": "import os\nos._exit(0)\n"}, "main.py")])[0]
    assert verdict.status == "other_error" and "without a verdict" in verdict.message
