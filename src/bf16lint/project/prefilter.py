"""The project-level prefilter: a file can hold the bug when its import closure inside the
project holds both kinds of evidence (bf16 and a backbone builder), not only the file
itself. A file that imports nothing of the project costs what the byte scan cost."""
from __future__ import annotations

import os
from collections import deque
from typing import Optional, Tuple, Union

from .index import Namespace, ProjectIndex, index_for

MAX_CLOSURE_FILES = 2000  # past this many modules the closure is taken to hold the evidence


def file_evidence(data: bytes, knowledge) -> Tuple[bool, bool]:
    """(mentions bf16, builds a backbone) for one file's bytes."""
    tokens, groups = knowledge.prefilter()
    bf16 = any(token in data for token in tokens)
    backbone = any(all(p.search(data) is not None for p in group) for group in groups)
    return bf16, backbone


def _module_evidence(index: ProjectIndex, path: str, knowledge) -> Tuple[bool, bool]:
    key = ("evidence", path, knowledge)
    known = index.cache.get(key)
    if known is None:
        module = index.module(path)
        known = file_evidence(module.data, knowledge) if module is not None else (False, False)
        index.cache[key] = known
    return known  # type: ignore[return-value]


def closure_has_evidence(path: str, text: Union[str, bytes], knowledge, fallback_root: Optional[str] = None) -> bool:
    """True when the file's code (text, or undecoded bytes) and the project modules it
    imports, transitively, hold bf16 evidence and backbone evidence between them."""
    if path in ("-", "") or not text:
        return False
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    bf16, backbone = file_evidence(data, knowledge)
    if bf16 and backbone:
        return True
    if b"import" not in data:  # imports nothing: the byte scan was the whole cost
        return False
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    index = index_for(path, fallback_root)
    start = os.path.abspath(path)
    seen = {start}
    todo = deque(index.imports_of(start, text))  # nearest modules first: the evidence is usually there
    while todo:
        found = todo.popleft()
        if isinstance(found, Namespace):
            continue
        if found in seen:
            continue
        seen.add(found)
        if len(seen) > MAX_CLOSURE_FILES:
            return True
        has_bf16, has_backbone = _module_evidence(index, found, knowledge)
        bf16, backbone = bf16 or has_bf16, backbone or has_backbone
        if bf16 and backbone:
            return True
        todo.extend(index.imports_of(found))
    return False
