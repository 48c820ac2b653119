"""The flake8 front end: the same engine, on the tree flake8 already parsed.

flake8 runs every installed plugin on every file whatever --select says, so the first
thing done is the same cheap text prefilter the CLI uses: a file without both bf16 and
backbone evidence costs one regex search.
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
        from .analysis.knowledge import DEFAULT_KNOWLEDGE

        knowledge = DEFAULT_KNOWLEDGE
        if any(_SETTINGS.values()):
            knowledge = knowledge.extended(
                _SETTINGS["backbones"], _SETTINGS["self_casting"], _SETTINGS["bf16_flags"],
                _SETTINGS["image_keys"] or None,
            )
        text = "".join(self.lines)
        if not knowledge.may_contain_bug(text):
            return
        from .engine import LintOptions, analyse

        lines = text.splitlines()
        # flake8 filters by --select/--ignore and honours # noqa itself.
        options = LintOptions(select=("BFD",), knowledge=knowledge)
        for finding in analyse(self.tree, lines, options):
            yield finding.line, finding.col, f"{finding.code} {finding.message}", type(self)
