"""What the oracle runs (Program) and what it answers (Frame, Verdict, Label).

Pure data and string work: importing this module never imports torch, so the runner can
live in a process that has no torch at all."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping, Optional, Tuple


@dataclass(frozen=True)
class Program:
    files: Mapping[str, str]
    entry: str
    argv: Tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    name: str = ""

    def to_message(self) -> dict:
        return {"files": dict(self.files), "entry": self.entry, "argv": list(self.argv), "env": dict(self.env)}


@dataclass(frozen=True)
class Frame:
    file: str
    line: int
    cell: Optional[int] = None


@dataclass(frozen=True)
class Verdict:
    status: str  # "ok" | "dtype_error" | "other_error" | "timeout"
    direction: str = ""  # "bf16_input" | "reverse" | "other" (dtype_error only)
    message: str = ""
    frames: Tuple[Frame, ...] = ()
    # Whether the run entered an enabled autocast; when it did not, a run with every autocast
    # disabled would be the same run (label_programs skips it).
    autocast_entered: bool = field(default=False, compare=False)

    @property
    def where(self) -> Optional[Frame]:
        return self.frames[-1] if self.frames else None

    @staticmethod
    def from_message(data: dict) -> "Verdict":
        frames = tuple(Frame(f["file"], f["line"], f.get("cell")) for f in data.get("frames", ()))
        return Verdict(data["status"], data.get("direction", ""), data.get("message", ""), frames,
                       bool(data.get("autocast_entered", False)))


@dataclass(frozen=True)
class Label:
    code: Optional[str]  # "BFD001" | "BFD002" | None | "invalid"
    frames: Tuple[Frame, ...]
    verdict: Verdict
    no_autocast: Optional[Verdict]


# RUNTIME.md: every dtype mismatch message torch gives for a layer fed the wrong dtype.
DTYPE_ERROR = re.compile(r"should be the same|must have the same dtype|to have the same dtype|expected scalar type|mixed dtype")

# Each pattern names the input's dtype first, then the parameter's.
_PAIRS = (
    re.compile(r"Input type \((?P<input>[^)]+)\) and (?:bias|weight) type \((?P<param>[^)]+)\)"),
    re.compile(r"must have the same dtype, but got (?P<input>\w+) and (?P<param>\w+)"),
    re.compile(r"to have the same dtype, but got: (?P<input>\S+) != (?P<param>\S+)"),
    re.compile(r"expected scalar type (?P<input>\w+) but found (?P<param>\w+)"),
)
# LayerNorm on CPU: an fp32 input meets bf16/fp16 parameters.
_MIXED_REVERSE = re.compile(r"mixed dtype \(CPU\): expect parameter to have scalar type of Float")

_KIND = {
    "bf16": re.compile(r"BFloat16"),
    "fp16": re.compile(r"Half"),
    "fp32": re.compile(r"^(?:float|Float|torch\.(?:cuda\.)?FloatTensor|C[PU]+FloatType|CUDAFloatType)$"),
}


def _kind(spelling: str) -> str:
    for name, pattern in _KIND.items():
        if pattern.search(spelling):
            return name
    return "?"


def classify(exc_type: str, message: str) -> Tuple[str, str]:
    """(status, direction) of a program that raised ``exc_type: message``."""
    if not DTYPE_ERROR.search(message):
        return "other_error", ""
    if _MIXED_REVERSE.search(message):
        return "dtype_error", "reverse"
    for pattern in _PAIRS:
        match = pattern.search(message)
        if match:
            given, param = _kind(match["input"]), _kind(match["param"])
            if given == "bf16" and param in ("fp32", "fp16"):
                return "dtype_error", "bf16_input"
            if given == "fp32" and param == "bf16":
                return "dtype_error", "reverse"
            return "dtype_error", "other"
    return "dtype_error", "other"
