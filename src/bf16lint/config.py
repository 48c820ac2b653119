"""Settings: defaults, ``[tool.bf16lint]`` in the nearest pyproject.toml, then the command line.

Every key is validated: an unknown key or a bad value is a ConfigError naming the key,
the file and what is allowed (the CLI exits 2 with it).
"""
from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field, replace
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

    def ignored_for(self, path: str) -> Tuple[str, ...]:
        rel = _relative(path, self.root)
        extra = []
        for pattern, codes in self.per_file_ignores:
            if _glob_match(rel, pattern):
                extra.extend(codes)
        return tuple(self.ignore) + tuple(extra)

    def is_excluded(self, path: str) -> bool:
        rel = _relative(path, self.root)
        parts = rel.split("/")
        for pattern in tuple(self.exclude) + tuple(self.extend_exclude):
            pattern = pattern.rstrip("/")
            if _glob_match(rel, pattern) or any(fnmatch.fnmatchcase(part, pattern) for part in parts):
                return True
        return False

    def as_dict(self) -> Dict[str, object]:
        return {
            "source": self.source,
            "select": list(self.selected()),
            "ignore": list(self.ignore),
            "per-file-ignores": {p: list(c) for p, c in self.per_file_ignores},
            "exclude": list(self.exclude) + list(self.extend_exclude),
            "force-exclude": self.force_exclude,
            "backbones": list(self.knowledge.backbones),
            "self-casting": list(self.knowledge.self_casting),
            "bf16-flags": sorted(self.knowledge.bf16_flags),
            "image-keys": list(self.knowledge.image_keys),
            "fix-style": self.fix_style,
        }


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
    if fnmatch.fnmatchcase(rel, pattern):
        return True
    if "/" not in pattern:  # "*.ipynb" matches at any depth, as in ruff
        return fnmatch.fnmatchcase(rel.rsplit("/", 1)[-1], pattern)
    return False


# ------------------------------------------------------------------- loading
_LIST_KEYS = {
    "select", "ignore", "extend-select", "exclude", "extend-exclude", "backbones", "self-casting",
    "bf16-flags", "image-keys",
}
_ALLOWED = _LIST_KEYS | {"per-file-ignores", "force-exclude", "fix-style"}


def _load_toml(path: str) -> dict:
    try:
        import tomllib  # type: ignore[import-not-found]
    except ModuleNotFoundError:  # Python < 3.11
        import tomli as tomllib  # type: ignore[no-redef]
    with open(path, "rb") as handle:
        try:
            return tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path}: invalid TOML: {error}") from None


def settings_from_table(table: dict, source: Optional[str], root: str) -> Settings:
    where = source or "configuration"
    unknown = sorted(set(table) - _ALLOWED)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key [tool.bf16lint] {unknown[0]!r}; allowed: {', '.join(sorted(_ALLOWED))}"
        )
    values = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if key in _LIST_KEYS:
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise ConfigError(f"{where}: [tool.bf16lint] {key} must be a list of strings")
            if key in ("select", "ignore", "extend-select"):
                _check_codes(value, key, where)
            values[name] = tuple(value)
        elif key == "per-file-ignores":
            if not isinstance(value, dict) or not all(
                isinstance(v, list) and all(isinstance(c, str) for c in v) for v in value.values()
            ):
                raise ConfigError(
                    f"{where}: [tool.bf16lint] per-file-ignores must map glob patterns to lists of codes"
                )
            for codes in value.values():
                _check_codes(codes, key, where)
            values[name] = tuple((pattern, tuple(codes)) for pattern, codes in value.items())
        elif key == "force-exclude":
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: [tool.bf16lint] force-exclude must be true or false")
            values[name] = value
        elif key == "fix-style":
            if value not in FIX_STYLES:
                raise ConfigError(f"{where}: [tool.bf16lint] fix-style must be one of {', '.join(FIX_STYLES)}")
            values[name] = value
    return Settings(**values, source=source, root=root)


def _check_codes(codes, key, where):
    import re

    for code in codes:
        if not re.fullmatch(r"BFD[0-9]{0,3}|ALL", code):
            raise ConfigError(f"{where}: [tool.bf16lint] {key}: {code!r} is not a rule code or prefix (e.g. BFD001, BFD)")


class SettingsResolver:
    """Finds the pyproject.toml that governs each file (nearest one upward), cached per
    directory, so a run over many files reads each config once."""

    def __init__(self, overrides: Optional[dict] = None, config_file: Optional[str] = None):
        self.overrides = overrides or {}
        self._by_dir: Dict[str, Settings] = {}
        self._fixed: Optional[Settings] = None
        if config_file is not None:
            self._fixed = self._apply(self._read(config_file, required=True))

    def for_path(self, path: str) -> Settings:
        if self._fixed is not None:
            return self._fixed
        directory = os.path.dirname(os.path.abspath(path)) if not os.path.isdir(path) else os.path.abspath(path)
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
        table = data.get("tool", {}).get("bf16lint")
        if table is None:
            if required:
                return Settings(source=path, root=os.path.dirname(os.path.abspath(path)))
            return None
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.bf16lint] must be a table")
        return settings_from_table(table, path, os.path.dirname(os.path.abspath(path)))

    def _apply(self, settings: Settings) -> Settings:
        """Command-line flags win over the file."""
        return replace(settings, **self.overrides) if self.overrides else settings


def code_list(text: str, flag: str) -> Tuple[str, ...]:
    codes = tuple(c.strip() for c in text.split(",") if c.strip())
    _check_codes(codes, flag, "command line")
    return codes


def normalise_select(codes: List[str]) -> Tuple[str, ...]:
    return tuple("BFD" if c == "ALL" else c for c in codes)
