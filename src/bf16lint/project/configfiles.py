"""Configuration files a project's code reads: `yaml.safe_load(open("configs/train.yaml"))`,
`json.load(handle)` of a `with open(path) as handle:` block.

Many repositories keep `precision: bf16` in a YAML file and test `cfg["precision"]` in the
loop; read as unknown, such a switch is undecided and both sides get reported. The file is
part of the project, so its values are the program's when nobody passes another one (as
argparse defaults are). The path must be a constant the code spells (a literal, a default
argument, a config constant); it is looked up where the program would find it: beside the
file being linted (a script's or notebook's folder is where it usually runs), the project
root, or beside the module whose code opens it. Only files inside the project are read,
never executed; YAML is read by a small reader of its plain block subset (mappings, lists,
scalars, flow lists and maps of scalars), and a file using anything else says nothing.
"""
from __future__ import annotations

import ast
import json
import os
import re
from typing import List, Optional, Tuple

from ..analysis.values import Const, Container

LOADERS = frozenset({"yaml.safe_load", "yaml.load", "yaml.full_load", "yaml.unsafe_load", "json.load"})
SUFFIXES = (".yaml", ".yml", ".json")
MAX_BYTES = 256 * 1024
_NOTHING = object()


def config_call(interpreter, node: ast.Call, frame):
    """The value `yaml.safe_load(...)`/`json.load(...)` gives when it reads a file of the
    project this code names; None for any other call (the interpreter goes on as usual)."""
    func = node.func
    if not (isinstance(func, ast.Attribute) and func.attr in ("safe_load", "load", "full_load", "unsafe_load")
            and node.args):
        return None
    module = interpreter.eval(func.value, frame)
    if f"{getattr(module, 'qualified', '')}.{func.attr}" not in LOADERS:  # `import yaml as y` too
        return None
    spelled = _path_expr(node.args[0], node, frame.scope)
    if spelled is None:
        return None
    path = interpreter.eval(spelled, frame)
    if not isinstance(path, Const) or not isinstance(path.value, str) or not path.value.endswith(SUFFIXES):
        return None
    resolver = interpreter.resolver
    found = _find(resolver, path.value, node)
    if found is None:
        return None
    data = _read(resolver.index, found)
    return None if data is _NOTHING else _abstract(data)


def _path_expr(arg: ast.AST, call: ast.Call, scope: ast.AST) -> Optional[ast.AST]:
    """The expression naming the file: `open(p)`, `Path(p).open()`, `Path(p).read_text()`,
    or a name bound by `with open(p) as name:` above the call in the same body."""
    if isinstance(arg, ast.Call):
        return _opened(arg)
    if isinstance(arg, ast.Name):
        best = None
        for node in ast.walk(scope):
            if isinstance(node, (ast.With, ast.AsyncWith)) and node.lineno <= call.lineno:
                for item in node.items:
                    if isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == arg.id \
                            and isinstance(item.context_expr, ast.Call):
                        best = _opened(item.context_expr) or best
        return best
    return None


def _opened(call: ast.Call) -> Optional[ast.AST]:
    func = call.func
    if isinstance(func, ast.Name) and func.id == "open" and call.args:
        return call.args[0]
    if isinstance(func, ast.Attribute) and func.attr in ("open", "read_text") and isinstance(func.value, ast.Call):
        inner = func.value  # Path("configs/x.yaml").open()
        name = inner.func.attr if isinstance(inner.func, ast.Attribute) else getattr(inner.func, "id", "")
        if name in ("Path", "PurePath") and len(inner.args) == 1:
            return inner.args[0]
    return None


def _find(resolver, spelled: str, node: ast.AST) -> Optional[str]:
    index = resolver.index
    if os.path.isabs(spelled):
        candidates = [spelled]
    else:
        folders = [os.path.dirname(resolver.path), index.root]
        module = index.module_at_line(getattr(node, "lineno", 0) or 0)
        if module is not None:
            folders.append(os.path.dirname(module.path))
        candidates = [os.path.join(folder, spelled) for folder in folders]
    root = os.path.abspath(index.root) + os.sep
    for candidate in candidates:
        candidate = os.path.normpath(os.path.abspath(candidate))
        if (candidate + os.sep).startswith(root) or os.path.dirname(candidate) == os.path.dirname(resolver.path):
            if index.inside(candidate) and os.path.isfile(candidate):
                return candidate
    return None


def _read(index, path: str):
    key = ("config-file", path)
    cached = index.cache.get(key)
    if cached is not None:
        return cached
    data = _NOTHING
    try:
        if os.path.getsize(path) <= MAX_BYTES:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            data = json.loads(text) if path.endswith(".json") else parse_yaml(text)
    except (OSError, ValueError, RecursionError):
        data = _NOTHING
    index.cache[key] = data
    return data


def _abstract(data):
    if isinstance(data, dict):
        return Container("dict", {k: _abstract(v) for k, v in data.items()}, key_text={k: repr(k) for k in data})
    if isinstance(data, list):
        return Container("list", {i: _abstract(v) for i, v in enumerate(data)})
    return Const(data)


# ------------------------------------------------------------------- YAML's block subset
_UNSUPPORTED = re.compile(r"^(?:[&*!|>%@`?]|\.\.\.)")
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?$")  # YAML 1.1, as PyYAML reads it
_BOOLS = {"true": True, "yes": True, "on": True, "y": True, "false": False, "no": False, "off": False, "n": False}


def parse_yaml(text: str):
    """A document of block mappings, block lists and plain or quoted scalars, read as
    PyYAML's safe_load reads it; ValueError for anything outside that subset."""
    lines: List[Tuple[int, str]] = []
    for raw in text.splitlines():
        content = _strip_comment(raw).rstrip()
        if not content.strip() or content.strip() == "---" and not lines:
            continue
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            raise ValueError("tab indentation")
        lines.append((len(content) - len(content.lstrip(" ")), content.strip()))
    if not lines:
        return None
    value, end = _block(lines, 0, lines[0][0])
    if end != len(lines):
        raise ValueError(f"unexpected line: {lines[end][1]!r}")
    return value


def _strip_comment(line: str) -> str:
    quote = None
    for i, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'" and (i == 0 or line[i - 1] in " :-[{,"):
            quote = char
        elif char == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i]
    return line


def _block(lines, i: int, indent: int):
    if lines[i][1] == "-" or lines[i][1].startswith("- "):
        return _list(lines, i, indent)
    return _mapping(lines, i, indent)


def _list(lines, i: int, indent: int):
    items = []
    while i < len(lines) and lines[i][0] == indent and (lines[i][1] == "-" or lines[i][1].startswith("- ")):
        rest = lines[i][1][1:].lstrip()
        if not rest:
            if i + 1 < len(lines) and lines[i + 1][0] > indent:
                value, i = _block(lines, i + 1, lines[i + 1][0])
            else:
                value, i = None, i + 1
        elif _key_value(rest) is not None:  # `- name: x` opens a mapping at the item's column
            inner = indent + len(lines[i][1]) - len(rest)
            lines[i] = (inner, rest)  # the reader's own list: the entry is re-read as a mapping line
            value, i = _mapping(lines, i, inner)
        else:
            value, i = _scalar(rest), i + 1
        items.append(value)
    return items, i


def _mapping(lines, i: int, indent: int):
    result = {}
    while i < len(lines) and lines[i][0] == indent:
        pair = _key_value(lines[i][1])
        if pair is None:
            raise ValueError(f"not a mapping entry: {lines[i][1]!r}")
        key, rest = pair
        if rest:
            result[key], i = _scalar(rest), i + 1
        elif i + 1 < len(lines) and (lines[i + 1][0] > indent or (
                lines[i + 1][0] == indent and (lines[i + 1][1] == "-" or lines[i + 1][1].startswith("- ")))):
            result[key], i = _block(lines, i + 1, lines[i + 1][0])
        else:
            result[key], i = None, i + 1
    if i < len(lines) and lines[i][0] > indent:
        raise ValueError(f"bad indentation: {lines[i][1]!r}")
    return result, i


def _key_value(text: str) -> Optional[Tuple[object, str]]:
    if text[0] in "\"'":
        end = text.find(text[0], 1)
        if end < 0 or not text[end + 1:].startswith(":"):
            return None
        key, rest = text[1:end], text[end + 2:]
    else:
        match = re.match(r"^([^:#\[\]{},]+?):(?:\s+(.*))?$", text)
        if match is None:
            return None
        key, rest = _scalar(match.group(1)), match.group(2) or ""
        if isinstance(key, (list, dict)):
            return None
    if rest and not rest[0].isspace() and text[0] in "\"'":
        return None
    return key, rest.strip()


def _scalar(text: str):
    if not text:
        return None
    if _UNSUPPORTED.match(text):
        raise ValueError(f"unsupported YAML: {text!r}")
    if text[0] in "\"'":
        if len(text) < 2 or text[-1] != text[0]:
            raise ValueError(f"unterminated string: {text!r}")
        body = text[1:-1]
        if text[0] == "'":
            return body.replace("''", "'")
        if "\\" in body:
            raise ValueError("escapes")
        return body
    if text[0] in "[{":
        return _flow(text)
    if ": " in text or text.endswith(":"):
        raise ValueError(f"a mapping inside a plain scalar: {text!r}")
    lowered = text.lower()
    if lowered in ("null", "~"):
        return None
    if lowered in _BOOLS and text in (lowered, lowered.capitalize(), lowered.upper()):
        return _BOOLS[lowered]
    if _INT.match(text):
        return int(text.replace("_", ""))
    if _FLOAT.match(text) and text not in (".", "-.", "+."):
        return float(text.replace("_", ""))
    if lowered in (".inf", "+.inf", "-.inf", ".nan"):
        return float(lowered.replace(".", ""))
    return text


def _flow(text: str):
    closing = "]" if text[0] == "[" else "}"
    if text[-1] != closing or any(c in text[1:-1] for c in "[]{}\"'"):
        raise ValueError(f"unsupported flow collection: {text!r}")
    parts = [p.strip() for p in text[1:-1].split(",")]
    parts = [p for p in parts if p]
    if closing == "]":
        return [_scalar(p) for p in parts]
    result = {}
    for part in parts:
        key, sep, value = part.partition(":")
        if not sep:
            raise ValueError(f"flow mapping entry without a value: {part!r}")
        result[_scalar(key.strip())] = _scalar(value.strip()) if value.strip() else None
    return result
