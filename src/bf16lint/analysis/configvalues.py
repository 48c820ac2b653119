"""Configuration values: what a program's options hold when the user changes nothing.

RULES.md "Values the analysis must know": argparse string and choice options take their
default; a `store_true`/`store_false` switch is undecided (the user may turn it on, and the
report says what happens then) unless `parse_args([...])` is handed a literal list, which
decides every switch; dataclass fields take `field(default=...)` or a fresh
`default_factory()`; `os.environ.get(k, default)` takes a default that names a thing (a
checkpoint, a path) and leaves a boolean-looking switch undecided. Nothing here decides a
value from a name alone: an unknown value is never the only reason to report.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Dict, Optional

from .values import UNKNOWN, Const, Container, Value

ARGUMENT_PARSERS = frozenset({"argparse.ArgumentParser", "ArgumentParser"})
ENV_GETTERS = frozenset({"os.environ.get", "os.getenv", "environ.get", "getenv"})
DATACLASS_FIELDS = frozenset({"dataclasses.field", "field"})
# Strings that read as a switch rather than a name: such an environment default decides nothing.
SWITCH_WORDS = frozenset({"", "0", "1", "true", "false", "yes", "no", "on", "off", "y", "n"})


@dataclass(eq=False)
class ArgParser(Value):
    """An argparse parser (or one of its argument groups): the options declared so far."""

    options: Dict[str, Value] = field(default_factory=dict)
    # what an explicit argument list decides: option string -> (dest, action or None), and
    # the value each switch has when the list leaves it out
    spellings: Dict[str, tuple] = field(default_factory=dict)
    switch_defaults: Dict[str, Value] = field(default_factory=dict)


@dataclass(eq=False)
class FieldDefault(Value):
    """`field(default=...)` / `field(default_factory=...)` on a dataclass."""

    value: Value = UNKNOWN
    factory: Optional[Value] = None
    factory_call: Optional[ast.Call] = None  # the `default_factory()` a new instance makes


def option_dest(args, kwargs) -> Optional[str]:
    dest = kwargs.get("dest")
    if isinstance(dest, Const) and isinstance(dest.value, str):
        return dest.value
    names = [a.value for a in args if isinstance(a, Const) and isinstance(a.value, str)]
    longs = [n for n in names if n.startswith("--")]
    chosen = longs[0] if longs else (names[0] if names else None)
    if chosen is None:
        return None
    return chosen.lstrip("-").replace("-", "_")


def option_value(kwargs) -> Value:
    action = kwargs.get("action")
    if isinstance(action, Const) and action.value in ("store_true", "store_false", "store_const", "count",
                                                       "append", "extend", "BooleanOptionalAction"):
        return UNKNOWN  # a switch: either value is a run the user can ask for
    if action is not None and not isinstance(action, Const):
        return UNKNOWN  # argparse.BooleanOptionalAction and custom actions
    if "default" in kwargs:
        return kwargs["default"]
    return UNKNOWN


def parser_method(parser: ArgParser, name: str, args, kwargs) -> Value:
    if name == "add_argument":
        dest = option_dest(args, kwargs)
        if dest is not None:
            parser.options[dest] = option_value(kwargs)
            action = kwargs.get("action")
            action = action.value if isinstance(action, Const) else None
            for spelled in args:
                if isinstance(spelled, Const) and isinstance(spelled.value, str):
                    parser.spellings[spelled.value] = (dest, action)
            if action in ("store_true", "store_false"):
                parser.switch_defaults[dest] = kwargs.get("default", Const(action == "store_false"))
        return UNKNOWN
    if name in ("add_argument_group", "add_mutually_exclusive_group"):
        return parser  # options of a group land in the same namespace
    if name == "set_defaults":
        parser.options.update({k: v for k, v in kwargs.items() if not k.startswith("**")})
        return UNKNOWN
    given = args[0] if args else kwargs.get("args")
    if name in ("parse_args", "parse_intermixed_args"):
        return namespace(parser, given)
    if name == "parse_known_args":
        return Container("tuple", {0: namespace(parser, given), 1: UNKNOWN})
    return UNKNOWN


def namespace(parser: ArgParser, given: Optional[Value] = None) -> Container:
    """The options parsed from the command line, or from a literal list (`parse_args([])`,
    `parse_args(["--bf16"])` in a notebook): that list decides every switch."""
    words = literal_words(given)
    if words is None:
        return Container("dict", dict(parser.options))
    options = dict(parser.options)
    options.update(parser.switch_defaults)
    index = 0
    while index < len(words):
        word, _, inline = words[index].partition("=")
        dest, action = parser.spellings.get(word, (None, None))
        if dest is None:
            options = {k: UNKNOWN for k in options}  # a word we cannot place: decide nothing
            break
        if action in ("store_true", "store_false"):
            options[dest] = Const(action == "store_true")
        elif action is None and (inline or index + 1 < len(words)):
            value = inline if inline else words[index + 1]
            index += 0 if inline else 1
            default = parser.options.get(dest)
            # the list gives a string; a non-string default means a `type=` converts it
            options[dest] = Const(value) if isinstance(default, Const) and isinstance(default.value, str) else UNKNOWN
        else:
            options[dest] = UNKNOWN
        index += 1
    return Container("dict", options)


def literal_words(given: Optional[Value]):
    if not isinstance(given, Container) or given.kind not in ("list", "tuple") or given.elem is not UNKNOWN:
        return None
    words = [given.items.get(i) for i in range(len(given.items))]
    if not all(isinstance(w, Const) and isinstance(w.value, str) for w in words):
        return None
    return [w.value for w in words]


def env_default(args, kwargs) -> Value:
    default = args[1] if len(args) > 1 else kwargs.get("default", UNKNOWN)
    if isinstance(default, Const) and isinstance(default.value, str) and default.value.lower() not in SWITCH_WORDS:
        return default
    return UNKNOWN


def field_default(kwargs, node: Optional[ast.Call] = None) -> FieldDefault:
    if "default" in kwargs:
        return FieldDefault(kwargs["default"])
    return FieldDefault(UNKNOWN, kwargs.get("default_factory"), factory_call(node))


def factory_call(node: Optional[ast.Call]) -> Optional[ast.Call]:
    """`default_factory()` as a call placed where the factory is named: a backbone, an
    autocast or a transform built there needs a line and a name, as any builder call has
    (it is no node of the file, so no fix ever edits it)."""
    factory = next((k.value for k in getattr(node, "keywords", ()) if k.arg == "default_factory"), None)
    if factory is None:
        return None
    return ast.copy_location(ast.Call(func=factory, args=[], keywords=[]), factory)


# Parsers of a config text the code spells itself: `yaml.safe_load("""...""")`, `json.loads('{...}')`.
TEXT_LOADERS = frozenset({"yaml.safe_load", "yaml.load", "yaml.full_load", "json.loads"})


def literal_config(qualified: str, args) -> Optional[Value]:
    """The values of a YAML/JSON string literal, as argparse defaults are the program's values
    when nobody passes others (RULES.md: YAML values are unknown unless literal in the code).
    None when this is no such call, or the text is not in the subset the reader knows."""
    if qualified not in TEXT_LOADERS or not args or not isinstance(args[0], Const) \
            or not isinstance(args[0].value, str):
        return None
    import json

    from ..project.configfiles import parse_yaml  # the project's reader of YAML's block subset

    try:
        data = json.loads(args[0].value) if qualified == "json.loads" else parse_yaml(args[0].value)
    except (ValueError, RecursionError):
        return None
    return None if data is None else _as_value(data)


def _as_value(data) -> Value:
    if isinstance(data, dict):
        return Container("dict", {k: _as_value(v) for k, v in data.items()}, key_text={k: repr(k) for k in data})
    if isinstance(data, list):
        return Container("list", {i: _as_value(v) for i, v in enumerate(data)})
    return Const(data)
