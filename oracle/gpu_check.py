"""Checks the oracle against the real libraries on a real GPU.

    python -m oracle.gpu_check run OUT.json      # on a CUDA machine with timm, torchvision,
                                                 # transformers, accelerate, lightning installed
    python -m oracle.gpu_check compare OUT.json  # here: the oracle's labels vs those

The programs are the ones tests/oracle runs (RUNTIME.md rows and the stand-in cases), minus those
that need a library the GPU machine lacks (open_clip, clip, segment_anything) or that simulate
a machine without CUDA. On the GPU they run with ORACLE_REAL=1 (oracle/real_mode.py): real
libraries, real CUDA autocast, random init instead of downloads."""
from __future__ import annotations

import importlib.util
import json
import os
import sys
from typing import Dict

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_UNAVAILABLE = ("open_clip", "import clip", "segment_anything", "ORACLE_CUDA")


def _load_test_module(name: str):
    path = os.path.join(_ROOT, "tests", "oracle", name)
    spec = importlib.util.spec_from_file_location(f"oracle_gpu_check_{name[:-3]}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def programs() -> Dict[str, object]:
    from oracle import Program

    rows = _load_test_module("test_runtime_rows.py")
    cases = _load_test_module("test_oracle_standins.py")
    found = {}
    for (row, sink), (program, _) in rows.TABLE.items():
        found[f"row/{row}/{sink}"] = program
    for name, (layer, given, _) in rows.MESSAGES.items():
        found[f"message/{name}"] = rows._program(name, rows._message_program(layer, given))[0]
    for name, source in rows.BULLETS.items():
        found[f"bullet/{name}"] = rows._program(name, source, rows.BULLET_ENV.get(name))[0]
    for name, (source, _, _) in cases.CASES.items():
        found[f"case/{name}"] = Program({"main.py": source}, "main.py", name=name)
    return {key: program for key, program in found.items()
            if not any(marker in json.dumps([program.files, dict(program.env)]) for marker in _UNAVAILABLE)}


def _summary(label) -> dict:
    def verdict(v):
        if v is None:
            return None
        return {"status": v.status, "direction": v.direction, "message": v.message[:300],
                "frames": [[f.file, f.line, f.cell] for f in v.frames]}

    return {"code": label.code, "frames": [[f.file, f.line, f.cell] for f in label.frames],
            "verdict": verdict(label.verdict), "no_autocast": verdict(label.no_autocast)}


def label_all(jobs: int) -> Dict[str, dict]:
    from oracle import label_programs

    found = programs()
    only = os.environ.get("ORACLE_ONLY", "")  # a substring of the keys to run
    keys = sorted(key for key in found if only in key)
    labels = label_programs([found[key] for key in keys], jobs=jobs, timeout=120)
    return {key: _summary(label) for key, label in zip(keys, labels)}


def main(argv) -> int:
    command, path = argv[1], argv[2]
    if command == "run":
        import torch

        result = {"torch": torch.__version__, "cuda": torch.version.cuda,
                  "labels": label_all(int(os.environ.get("ORACLE_JOBS", "8")))}
        with open(path, "w") as handle:
            json.dump(result, handle, indent=1)
        print(f"{len(result['labels'])} programs labelled with torch {result['torch']}")
        return 0
    with open(path) as handle:
        real = json.load(handle)
    ours = label_all(2)
    differ = 0
    for key in sorted(real["labels"]):
        want, got = real["labels"][key], ours.get(key)
        if got is None:
            continue
        same = (want["code"] == got["code"] and want["frames"] == got["frames"]
                and want["verdict"]["status"] == got["verdict"]["status"]
                and want["verdict"]["direction"] == got["verdict"]["direction"])
        if not same:
            differ += 1
            print(f"DIFFERS {key}\n  real:   {want['code']} {want['verdict']['status']}/{want['verdict']['direction']} "
                  f"{want['frames']} {want['verdict']['message'][:160]}\n  oracle: {got['code']} "
                  f"{got['verdict']['status']}/{got['verdict']['direction']} {got['frames']} {got['verdict']['message'][:160]}")
    print(f"{len(real['labels'])} programs compared (real: torch {real['torch']}, CUDA {real['cuda']}); {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
