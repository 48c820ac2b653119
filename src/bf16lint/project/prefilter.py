"""The project-level prefilter: a file can hold the bug when its import closure inside the
project holds both kinds of evidence (bf16 and a backbone builder), not only the file
itself. A file that imports nothing of the project costs what the byte scan cost."""
from __future__ import annotations

import os
from collections import deque
from typing import Iterator, List, Optional, Tuple, Union

from .index import Namespace, ProjectIndex, index_for

MAX_CLOSURE_FILES = 2000  # modules of one closure looked at, at most


def _mentions_bf16(data: bytes, knowledge) -> bool:
    tokens, _ = knowledge.prefilter()
    return any(token in data for token in tokens)


def _builds_backbone(data: bytes, knowledge) -> bool:
    _, groups = knowledge.prefilter()
    return any(all(p.search(data) is not None for p in group) for group in groups)


def file_evidence(data: bytes, knowledge) -> Tuple[bool, bool]:
    """(mentions bf16, builds a backbone) for one file's bytes."""
    return _mentions_bf16(data, knowledge), _builds_backbone(data, knowledge)


def _module_evidence(index: ProjectIndex, path: str, knowledge, kind: str) -> bool:
    """One kind of evidence for a project module, cached: token scans are cheap, the
    backbone patterns are regexes and only run once some file of the closure mentions bf16."""
    key = ("evidence", path, knowledge, kind)  # ("evidence", path, ...): what an editor drops when the file changes
    known = index.cache.get(key)
    if known is None:
        module = index.module(path)
        test = _mentions_bf16 if kind == "bf16" else _builds_backbone
        known = test(module.data, knowledge) if module is not None else False
        index.cache[key] = known
    return known  # type: ignore[return-value]


def closure_has_evidence(path: str, text: Union[str, bytes], knowledge, fallback_root: Optional[str] = None) -> bool:
    """True when the file's code (text, or undecoded bytes) and the project modules it
    imports, transitively, hold bf16 evidence and backbone evidence between them."""
    if path in ("-", "") or not text:
        return False
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    if b"import" not in data:  # imports nothing: its own byte scan decides
        return _mentions_bf16(data, knowledge) and _builds_backbone(data, knowledge)
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    index = index_for(path, fallback_root)
    # The closure is walked lazily, nearest modules first, and the walk stops as soon as
    # both kinds of evidence are in: a one-file run in a large project then reads the few
    # modules that settle it, not the whole transitive closure.
    bf16 = _mentions_bf16(data, knowledge)
    backbone = None if not bf16 else _builds_backbone(data, knowledge)
    walked: List[str] = []
    for found in _closure(index, os.path.abspath(path), text):
        walked.append(found)
        if not bf16 and _module_evidence(index, found, knowledge, "bf16"):
            bf16 = True
            # The backbone patterns are regexes: they run only once bf16 is seen.
            backbone = _builds_backbone(data, knowledge) or any(
                _module_evidence(index, f, knowledge, "backbone") for f in walked)
        elif bf16 and not backbone:
            backbone = _module_evidence(index, found, knowledge, "backbone")
        if bf16 and backbone:
            return True
    return bool(bf16 and backbone)


def _closure(index: ProjectIndex, start: str, text: str) -> Iterator[str]:
    """The project modules a file imports, transitively, nearest first (read as walked)."""
    seen = {start}
    count = 0
    todo = deque(index.imports_of(start, text))
    while todo and count < MAX_CLOSURE_FILES:
        found = todo.popleft()
        if isinstance(found, Namespace) or found in seen:
            continue
        seen.add(found)
        count += 1
        yield found
        todo.extend(index.imports_of(found))
