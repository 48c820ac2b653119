"""Settings: defaults, ``[tool.bf16lint]`` in the nearest pyproject.toml, then the command line.

Every key is validated: an unknown key or a bad value is a ConfigError naming the key,
the file and what is allowed (the CLI exits 2 with it).
"""
from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, replace
from typing import Dict, List, Optional, Tuple

from .analysis.knowledge import DEFAULT_KNOWLEDGE, Knowledge

DEFAULT_EXCLUDE = (
    ".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", ".eggs", "__pycache__", "build", "dist",
    "node_modules", "site-packages", ".ipynb_checkpoints", ".mypy_cache", ".pytest_cache", ".ruff_cache",
)
FIX_STYLES = ("insert", "wrap")


class ConfigError(Exception):
    pass


@dataclass(frozen=True)
class Settings:
    select: Tuple[str, ...] = ("BFD",)
    ignore: Tuple[str, ...] = ()
    extend_select: Tuple[str, ...] = ()
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    exclude: Tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: Tuple[str, ...] = ()
    force_exclude: bool = False
    backbones: Tuple[str, ...] = ()
    self_casting: Tuple[str, ...] = ()
    bf16_flags: Tuple[str, ...] = ()
    image_keys: Tuple[str, ...] = ()
    fix_style: str = "insert"
    source: Optional[str] = None  # the pyproject.toml these came from
    root: str = "."  # the directory globs are relative to

    @property
    def knowledge(self) -> Knowledge:
        if not (self.backbones or self.self_casting or self.bf16_flags or self.image_keys):
            return DEFAULT_KNOWLEDGE
        return _knowledge(self.backbones, self.self_casting, self.bf16_flags, self.image_keys)

    def selected(self) -> Tuple[str, ...]:
        return tuple(self.select) + tuple(self.extend_select)

    def per_file_ignored(self, path: str) -> Tuple[str, ...]:
        """The codes per-file-ignores switch off for this file (globs relative to the
        configuration's directory; a pattern without "/" matches the file name anywhere)."""
        rel = _relative(path, self.root)
        extra: List[str] = []
        for pattern, codes in self.per_file_ignores:
            if _glob_match(rel, pattern[2:] if pattern.startswith("./") else pattern):
                extra.extend(codes)
        return tuple(extra)

    def ignored_for(self, path: str) -> Tuple[str, ...]:
        return tuple(self.ignore) + self.per_file_ignored(path)

    def is_excluded(self, path: str, ancestors: bool = True) -> bool:
        """True when the path, or a directory above it (below the root), matches an
        exclude pattern: a pattern without "/" matches any one component, a pattern with
        "/" matches the path relative to the configuration's directory. The directory walk
        passes ancestors=False: it prunes excluded directories as it meets them, and a
        directory named on the command line is walked even when excluded (as in ruff)."""
        name_patterns, path_patterns = _exclude_patterns(tuple(self.exclude) + tuple(self.extend_exclude))
        if not ancestors and not path_patterns:
            # The walk's hot path: only the name can match, no path arithmetic needed.
            name = os.path.basename(os.path.normpath(path))
            return name not in ("", ".", "..") and name_patterns.match(name) is not None
        rel = _relative(path, self.root)
        parts = [p for p in rel.split("/") if p not in ("", ".")]
        if not parts:
            return False
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if not ancestors:
            parts, prefixes = parts[-1:], prefixes[-1:]
        for pattern in tuple(self.exclude) + tuple(self.extend_exclude):
            pattern = pattern.strip().rstrip("/")
            if pattern.startswith("./"):
                pattern = pattern[2:]
            if not pattern:
                continue
            if "/" in pattern:
                if any(fnmatch.fnmatchcase(prefix, pattern) for prefix in prefixes):
                    return True
            elif any(fnmatch.fnmatchcase(part, pattern) for part in parts if part != ".."):
                return True
        return False

    def as_dict(self, path: Optional[str] = None) -> Dict[str, object]:
        """The resolved settings; with a path, also what applies to that file."""
        out: Dict[str, object] = {
            "source": self.source,
            "root": os.path.abspath(self.root),
            "select": list(self.select),
            "extend-select": list(self.extend_select),
            "ignore": list(self.ignore),
            "per-file-ignores": {p: list(c) for p, c in self.per_file_ignores},
            "exclude": list(self.exclude),
            "extend-exclude": list(self.extend_exclude),
            "force-exclude": self.force_exclude,
            "backbones": list(self.knowledge.backbones),
            "self-casting": list(self.knowledge.self_casting),
            "bf16-flags": sorted(self.knowledge.bf16_flags),
            "image-keys": list(self.knowledge.image_keys),
            "fix-style": self.fix_style,
        }
        if path is not None:
            file_ignore = self.per_file_ignored(path)
            out["effective"] = {
                "excluded": self.is_excluded(path),
                "per-file-ignore": list(file_ignore),
                "enabled-rules": [
                    code for code in _rule_codes() if _enabled(code, self.selected(), self.ignore, file_ignore)
                ],
            }
        return out


def _rule_codes() -> Tuple[str, ...]:
    from .rules import RULES

    return tuple(sorted(RULES))


def _enabled(code: str, select, ignore, file_ignore) -> bool:
    from .engine import LintOptions

    return LintOptions(select=tuple(select), ignore=tuple(ignore), file_ignore=tuple(file_ignore)).enabled(code)


_EXCLUDE_CACHE: Dict[tuple, tuple] = {}


def _exclude_patterns(patterns: Tuple[str, ...]):
    """Exclude globs compiled once: one regex for the name-only patterns, and the list of
    patterns that name a path (containing "/")."""
    if patterns not in _EXCLUDE_CACHE:
        import re

        names, paths = [], []
        for pattern in patterns:
            pattern = pattern.strip().rstrip("/")
            if pattern.startswith("./"):
                pattern = pattern[2:]
            if pattern:
                (paths if "/" in pattern else names).append(pattern)
        regex = re.compile("|".join(fnmatch.translate(p) for p in names) or r"(?!)")
        _EXCLUDE_CACHE[patterns] = (regex, tuple(paths))
    return _EXCLUDE_CACHE[patterns]


_KNOWLEDGE_CACHE: Dict[tuple, Knowledge] = {}


def _knowledge(backbones, self_casting, flags, keys) -> Knowledge:
    key = (backbones, self_casting, flags, keys)
    if key not in _KNOWLEDGE_CACHE:
        _KNOWLEDGE_CACHE[key] = DEFAULT_KNOWLEDGE.extended(backbones, self_casting, flags, keys or None)
    return _KNOWLEDGE_CACHE[key]


def _relative(path: str, root: str) -> str:
    try:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    except ValueError:
        rel = path
    return rel.replace(os.sep, "/")


def _glob_match(rel: str, pattern: str) -> bool:
    """fnmatch on the relative path (``*`` crosses "/", ``**/`` may match nothing); a
    pattern without "/" matches the file name at any depth ("*.ipynb", as in ruff); a
    pattern naming a directory ("legacy/", "legacy/*") matches every file below it."""
    pattern = pattern.rstrip("/") if pattern.endswith("/") and len(pattern) > 1 else pattern
    if "/" not in pattern:
        return fnmatch.fnmatchcase(rel.rsplit("/", 1)[-1], pattern) or fnmatch.fnmatchcase(rel, pattern)
    candidates = {pattern}
    if "**/" in pattern:
        candidates.add(pattern.replace("**/", ""))
    parts = rel.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(fnmatch.fnmatchcase(prefix, p) for p in candidates for prefix in prefixes)


# ------------------------------------------------------------------- loading
_LIST_KEYS = {
    "select", "ignore", "extend-select", "exclude", "extend-exclude", "backbones", "self-casting",
    "bf16-flags", "image-keys",
}
_CODE_KEYS = ("select", "ignore", "extend-select")
_ALLOWED = _LIST_KEYS | {"per-file-ignores", "force-exclude", "fix-style"}
_DOTTED_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")
_TUPLE_ELEMENT = re.compile(r"\[[0-9]+\]$")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CODE = re.compile(r"BFD[0-9]{0,3}")
# What each key accepts, for error messages.
_EXPECTED = {
    "select": "a list of rule codes or prefixes, e.g. [\"BFD\"] or [\"BFD001\", \"BFD002\"]",
    "ignore": "a list of rule codes or prefixes, e.g. [\"BFD002\"]",
    "extend-select": "a list of rule codes or prefixes, e.g. [\"BFD003\"]",
    "exclude": "a list of glob patterns, e.g. [\"legacy/\", \"*_old.py\"] (replaces the defaults)",
    "extend-exclude": "a list of glob patterns, e.g. [\"experiments/\"] (added to the defaults)",
    "backbones": "a list of dotted call or class names, e.g. [\"mylib.load_encoder\", \"MyBackbone\"]; "
                 "a factory returning a tuple names the model's element: \"models.build[0]\"",
    "self-casting": "a list of dotted call or class names, e.g. [\"mylib.load_casting_model\"]",
    "bf16-flags": "a list of Python identifiers, e.g. [\"half_cache\"]",
    "image-keys": "a list of non-empty strings, e.g. [\"image\", \"pixel_values\"] (replaces the defaults)",
    "per-file-ignores": "a table of glob pattern = list of rule codes, e.g. {\"*.ipynb\" = [\"BFD002\"]}",
    "force-exclude": "true or false",
    "fix-style": "one of \"insert\", \"wrap\"",
}


def _load_toml(path: str) -> dict:
    try:
        import tomllib  # type: ignore[import-not-found]
    except ModuleNotFoundError:  # Python < 3.11
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a configuration file") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: not UTF-8 ({error.reason})") from None


def _bad(where: str, key: str, value: object, why: str = "") -> ConfigError:
    detail = f" ({why})" if why else ""
    return ConfigError(
        f"{where}: [tool.bf16lint] {key} = {_show(value)} is invalid{detail}; expected {_EXPECTED[key]}"
    )


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def settings_from_table(table: dict, source: Optional[str], root: str) -> Settings:
    """Validate a ``[tool.bf16lint]`` table (keys spelt with dashes; underscores are
    accepted too) and turn it into Settings."""
    where = source or "configuration"
    normalised = {}
    for key, value in table.items():
        canonical = key.replace("_", "-") if isinstance(key, str) else key
        if canonical not in _ALLOWED:
            import difflib  # only for an error message

            close = difflib.get_close_matches(str(canonical), sorted(_ALLOWED), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(
                f"{where}: unknown key [tool.bf16lint] {key!r}{hint}; allowed: {', '.join(sorted(_ALLOWED))}"
            )
        if canonical in normalised:
            raise ConfigError(f"{where}: [tool.bf16lint] {key!r} is given twice (with - and _)")
        normalised[canonical] = value
    values = {}
    for key, value in normalised.items():
        name = key.replace("-", "_")
        if key in _LIST_KEYS:
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise _bad(where, key, value, "not a list of strings")
            items = [v.strip() for v in value]
            if key in _CODE_KEYS:
                items = list(_check_codes(items, key, where))
            elif key in ("backbones", "self-casting"):
                for item in items:
                    # a backbones entry may name the element of a returned tuple: `build[0]`
                    dotted = item[: item.index("[")] if key == "backbones" and _TUPLE_ELEMENT.search(item) else item
                    if not _DOTTED_NAME.fullmatch(dotted):
                        raise _bad(where, key, value, f"{item!r} is not a dotted Python name")
            elif key == "bf16-flags":
                for item in items:
                    if not _IDENTIFIER.fullmatch(item):
                        raise _bad(where, key, value, f"{item!r} is not a Python identifier")
            elif key == "image-keys":
                if not items or not all(items):
                    raise _bad(where, key, value, "empty")
            elif not all(items):
                raise _bad(where, key, value, "an empty pattern")
            values[name] = tuple(items)
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise _bad(where, key, value, "not a table")
            pairs = []
            for pattern, codes in value.items():
                if not pattern.strip():
                    raise _bad(where, key, value, "an empty pattern")
                if not (isinstance(codes, list) and all(isinstance(c, str) for c in codes)):
                    raise _bad(where, key, value, f"the value for {pattern!r} is not a list of strings")
                pairs.append((pattern.strip(), _check_codes([c.strip() for c in codes], key, where)))
            values[name] = tuple(pairs)
        elif key == "force-exclude":
            if not isinstance(value, bool):
                raise _bad(where, key, value)
            values[name] = value
        elif key == "fix-style":
            if value not in FIX_STYLES:
                raise _bad(where, key, value)
            values[name] = value
    return Settings(**values, source=source, root=root)


# Codes that are not analysis rules: BFD800 reports `# noqa` comments that suppress nothing
# (ruff's RUF100). It is opt-in: only a selection that names it (BFD800, BFD80, BFD8)
# turns it on, so the default `BFD` never reports on comments written for other tools.
UNUSED_NOQA = "BFD800"
EXTRA_CODES = (UNUSED_NOQA,)


def known_codes() -> Tuple[str, ...]:
    return _rule_codes() + EXTRA_CODES


def _check_codes(codes, key, where) -> Tuple[str, ...]:
    """Validate rule codes or prefixes (any case); ``ALL`` means every rule (``BFD``).
    A code or prefix that matches no rule is an error with the closest codes suggested:
    a typo must not silently switch the linter off."""
    out = []
    known = known_codes()
    for raw in codes:
        code = raw.upper()
        if code == "ALL":
            out.append("BFD")
            continue
        if not (_CODE.fullmatch(code) and any(k.startswith(code) for k in known)):
            label = key if where == "command line" else f"[tool.bf16lint] {key}"
            raise ConfigError(f"{where}: {label}: {raw!r} matches no rule{_suggest(code, known)}; "
                              f"known codes: {', '.join(known)}, the prefix BFD, or ALL")
        out.append(code)
    return tuple(out)


def _suggest(code: str, known: Tuple[str, ...]) -> str:
    """`BFD01` -> BFD001 (closest by spelling); a digit-only typo still gets the nearest code."""
    import difflib  # only for an error message

    close = difflib.get_close_matches(code, known, n=2, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(close) + "?)"


class SettingsResolver:
    """Finds the configuration that governs each file: the nearest pyproject.toml with a
    ``[tool.bf16lint]`` table, from the file's directory upward (cached per directory,
    so a run over many files reads each config once), or the one ``--config`` names.

    Command-line flags win: ``--select`` replaces the file's select, extend-select and
    ignore (as in ruff); ``--extend-select`` and ``--ignore`` add to the file's lists;
    ``--fix-style`` and ``--force-exclude`` replace the file's value. Per-file ignores
    always apply.
    """

    def __init__(self, overrides: Optional[dict] = None, config_file: Optional[str] = None):
        self.overrides = overrides or {}
        self._by_dir: Dict[str, Settings] = {}
        self._fixed: Optional[Settings] = None
        if config_file is not None:
            self._fixed = self._apply(self._read(config_file, required=True))

    def for_path(self, path: str) -> Settings:
        if self._fixed is not None:
            return self._fixed
        directory = os.path.abspath(path) if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
        return self._for_dir(directory)

    def _for_dir(self, directory: str) -> Settings:
        if directory in self._by_dir:
            return self._by_dir[directory]
        candidate = os.path.join(directory, "pyproject.toml")
        settings = None
        if os.path.isfile(candidate):
            settings = self._read(candidate, required=False)
        if settings is None:
            parent = os.path.dirname(directory)
            if parent == directory:
                settings = self._apply(Settings(root=os.getcwd()))
            else:
                settings = self._for_dir(parent)
        else:
            settings = self._apply(settings)
        self._by_dir[directory] = settings
        return settings

    def _read(self, path: str, required: bool) -> Optional[Settings]:
        data = _load_toml(path)
        tool = data.get("tool", {})
        table = tool.get("bf16lint") if isinstance(tool, dict) else None
        if table is None:
            if required:
                return Settings(source=path, root=os.path.dirname(os.path.abspath(path)))
            return None
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.bf16lint] must be a table")
        return settings_from_table(table, path, os.path.dirname(os.path.abspath(path)))

    def _apply(self, settings: Settings) -> Settings:
        """Command-line flags win over the file."""
        if not self.overrides:
            return settings
        changes = {}
        overrides = self.overrides
        if "select" in overrides:
            changes.update(select=overrides["select"], extend_select=(), ignore=())
        if "extend_select" in overrides:
            base = changes.get("extend_select", settings.extend_select)
            changes["extend_select"] = tuple(base) + tuple(overrides["extend_select"])
        if "ignore" in overrides:
            base = changes.get("ignore", settings.ignore)
            changes["ignore"] = tuple(base) + tuple(overrides["ignore"])
        for key in ("fix_style", "force_exclude"):
            if key in overrides:
                changes[key] = overrides[key]
        return replace(settings, **changes)


def code_list(text, flag: str) -> Tuple[str, ...]:
    """Codes from a flag's value; a flag given several times (a list) accumulates."""
    texts = [text] if isinstance(text, str) else list(text)
    codes = [c.strip() for t in texts for c in t.split(",") if c.strip()]
    return _check_codes(codes, flag, "command line")


def normalise_select(codes: List[str]) -> Tuple[str, ...]:
    return tuple("BFD" if c == "ALL" else c for c in codes)
