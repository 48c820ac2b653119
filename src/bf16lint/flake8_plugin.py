"""The flake8 front end: the same engine, on the tree flake8 already parsed.

flake8 runs every installed plugin on every file whatever --select says, so the first
thing done is the same cheap text prefilter the CLI uses: a file without both bf16 and
backbone evidence (in itself or in the project modules it imports) costs a byte scan.
Settings come from ``[tool.bf16lint]`` in the nearest pyproject.toml, as in the CLI, with
the ``--bf16lint-*`` options added; the project index is the engine's, one per process.
"""
from __future__ import annotations

from typing import Iterator, Tuple

from . import __version__

_SETTINGS = {"backbones": (), "self_casting": (), "bf16_flags": (), "image_keys": ()}


class Bf16LintChecker:
    name = "bf16lint"
    version = __version__

    def __init__(self, tree, lines, filename="(none)"):
        self.tree = tree
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, parser) -> None:
        for option, help_text in (
            ("--bf16lint-backbones", "extra calls or classes that build float32 backbones"),
            ("--bf16lint-self-casting", "extra calls or classes whose models cast their input"),
            ("--bf16lint-bf16-flags", "extra flag names that switch data to bf16"),
            ("--bf16lint-image-keys", "dict keys that carry images (replaces the defaults)"),
        ):
            parser.add_option(option, default="", parse_from_config=True, comma_separated_list=True, help=help_text)

    @classmethod
    def parse_options(cls, options) -> None:
        for key in _SETTINGS:
            value = getattr(options, "bf16lint_" + key, None) or ()
            _SETTINGS[key] = tuple(v for v in value if v)

    def run(self) -> Iterator[Tuple[int, int, str, type]]:
        from .engine import LintOptions, analyse, may_contain_bug, project_resolver

        settings = _settings_for(self.filename)
        knowledge = settings.knowledge if settings is not None else _default_knowledge()
        if any(_SETTINGS.values()):
            knowledge = knowledge.extended(
                _SETTINGS["backbones"], _SETTINGS["self_casting"], _SETTINGS["bf16_flags"],
                _SETTINGS["image_keys"] or None,
            )
        # [tool.bf16lint] select/ignore/per-file-ignores apply as in the CLI; flake8's own
        # --select/--ignore and # noqa filter on top.
        options = LintOptions(knowledge=knowledge)
        if settings is not None:
            options = LintOptions(select=settings.selected(), ignore=settings.ignore, knowledge=knowledge,
                                  file_ignore=settings.per_file_ignored(self.filename))
        text = "".join(self.lines)
        path = self.filename if self.filename not in ("(none)", "stdin", "-") else None
        if not may_contain_bug(path, text, options):
            return
        lines = text.splitlines()
        resolver = project_resolver(path, self.tree, options)
        for finding in analyse(self.tree, lines, options, None, resolver):
            yield finding.line, finding.col, f"{finding.code} {finding.message}", type(self)



_RESOLVER = None  # one settings resolver per process: each pyproject.toml is read once


def _settings_for(filename: str):
    """The [tool.bf16lint] settings governing the file, read as the CLI reads them."""
    global _RESOLVER
    if filename in ("(none)", "stdin", "-", ""):
        return None
    from .config import ConfigError, SettingsResolver

    try:
        if _RESOLVER is None:
            _RESOLVER = SettingsResolver()
        return _RESOLVER.for_path(filename)
    except ConfigError as error:
        import sys

        print(f"bf16lint: warning: {error}; using the defaults", file=sys.stderr)
        return None


def _default_knowledge():
    from .analysis.knowledge import DEFAULT_KNOWLEDGE

    return DEFAULT_KNOWLEDGE
