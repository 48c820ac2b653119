"""The data every step passes along: findings, fixes and display locations.

Positions inside the engine are *virtual*: 1-based lines and 0-based columns of the
code the analysis saw (a script, or a notebook's code cells laid end to end). Only a
Document turns them into what a user reads (``cell 23, line 4, column 9``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Tuple

SAFE = "safe"
UNSAFE = "unsafe"


@dataclass(frozen=True)
class Location:
    """Where a user finds a position: 1-based row and column, plus the notebook cell."""

    row: int
    column: int
    cell: Optional[int] = None  # 1-based over all cells (markdown included), as ruff counts
    cell_id: Optional[str] = None


@dataclass(frozen=True)
class FixPlan:
    """What a fix must do, stated in the analysis's terms; fixes/ turns it into edits.

    kind:
      "insert_cast"  insert ``<target> = <target>.float()`` next to ``anchor``
                     (placement "after" the anchor statement, at the "body_start" of the
                     anchor compound statement, or "before" it);
      "append_float" append ``.float()`` to the expression spanning ``span``;
      "cast_to_weights" append ``.to(next(<target>.parameters()).dtype)`` to the
                     expression spanning ``span``: the input takes the dtype of the
                     module's weights (float16 weights, or a dtype that depends on the path);
      "rewrite_cast" turn the bf16 cast spanning ``span`` into a float32 cast (unsafe);
      "wrap_model"   wrap the model-building call spanning ``span`` in
                     ``float32_inputs(...)`` and import it from bf16lint.runtime.
    """

    kind: str
    applicability: str
    title: str
    target: str = ""
    anchor: Optional[Tuple[int, int]] = None  # (line, col) of the anchor statement
    placement: str = "after"
    span: Optional[Tuple[int, int, int, int]] = None  # line, col, end_line, end_col
    # wrap_model only: the configured image keys, when they differ from the defaults
    # (passed on as float32_inputs(..., image_keys=...)).
    image_keys: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Edit:
    """A text replacement in display coordinates (ruff's json shape)."""

    content: str
    location: Location
    end_location: Location


@dataclass
class Finding:
    code: str
    message: str
    severity: str  # "error" | "warning"
    line: int
    col: int
    end_line: int
    end_col: int
    fix: Optional[FixPlan] = None
    wrap_fix: Optional[FixPlan] = None  # the --fix-style wrap alternative, when one exists
    unsafe_fix: Optional[FixPlan] = None  # what --unsafe-fixes applies instead, when one exists
    # Filled in by the engine once the document is known.
    location: Optional[Location] = None
    end_location: Optional[Location] = None
    edits: Tuple[Edit, ...] = field(default=())

    @property
    def sort_key(self):
        return (self.line, self.col, self.code)


@dataclass
class FileResult:
    """Everything a report needs about one file."""

    path: str
    findings: list = field(default_factory=list)  # List[Finding], located
    error: Optional[str] = None  # why the file could not be analysed or written
    notes: list = field(default_factory=list)  # non-fatal remarks (skipped cells)
    fixed: list = field(default_factory=list)  # findings fixed in this run
    document: Optional[object] = None  # the Document, for source lines and raw lines
    diff: Optional[str] = None  # for --diff
    unwritten: bool = False  # --fix could not write the file (error says why)
    new_bytes: Optional[bytes] = None  # --fix on stdin: the fixed code, printed rather than written
