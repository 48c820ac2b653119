"""README.md stays true: its sample output is what the command it shows prints today, the
exit status it promises is the real one, its links and flags exist, and the rule pages
cite only files that are in this repository.

When a message changes on purpose, regenerate the sample with
``python tests/test_readme.py --update`` and review the diff.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
MARKER = "<!-- README-SAMPLE:"
SAMPLE = re.compile(
    re.escape(MARKER) + r"[^\n]*\n```bash\n(?P<command>[^\n]+)\n```\n\n```text\n(?P<output>.*?)\n```", re.S
)


def _sample():
    match = SAMPLE.search(README.read_text(encoding="utf-8"))
    assert match, "README.md lost its sample block (the README-SAMPLE marker, a bash and a text block)"
    return match


def _run(command: str) -> subprocess.CompletedProcess:
    words = command.split()
    assert words[0] == "bf16lint"
    env = {k: v for k, v in os.environ.items() if k != "FORCE_COLOR"}
    return subprocess.run([sys.executable, "-m", "bf16lint", *words[1:]], cwd=str(ROOT), capture_output=True,
                          text=True, env=dict(env, NO_COLOR="1"), timeout=300)


def test_sample_output_is_what_the_command_prints():
    match = _sample()
    run = _run(match["command"])
    assert run.stdout == match["output"] + "\n", "README sample is stale: python tests/test_readme.py --update"
    # The fixtures hold the bugs on purpose, and the README says so next to the command.
    assert run.returncode == 1
    before = README.read_text(encoding="utf-8")[: match.start()]
    assert "exit status 1 (findings) is expected" in before[-400:]


def test_links_point_at_files_that_exist():
    text = README.read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    local = [link for link in links if "://" not in link]
    assert "docs/ecosystem.md" in local and "action.yml" in local
    for link in local:
        assert (ROOT / link).exists(), link


def test_flags_in_the_readme_exist():
    from bf16lint.cli import build_parser

    flags = {option for action in build_parser()._actions for option in action.option_strings}
    text = README.read_text(encoding="utf-8")
    for flag in re.findall(r"`bf16lint[^`]*`", text):
        for word in flag.strip("`").split():
            if word.startswith("--") and word != "--all":  # `rule --all` is the rule command's
                assert word.split("=")[0] in flags, word
    for listed in re.findall(r"`(--[a-z-]+)", text):
        if listed != "--all":
            assert listed in flags, listed


def test_wrap_style_says_training_needs_the_runtime_extra():
    text = README.read_text(encoding="utf-8")
    wrap = text[text.index("- **wrap** (`--fix-style wrap`)"):]
    wrap = wrap[: wrap.index("\n- ")]
    assert "training environment" in wrap and 'pip install ".[runtime]"' in wrap


def test_license_is_the_mit_text_pyproject_declares():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python < 3.11
        import tomli as tomllib
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"]
    assert declared == {"text": "MIT"}
    license_text = (ROOT / "LICENSE").read_text()
    assert license_text.startswith("MIT License") and "Permission is hereby granted, free of charge" in license_text


def test_ci_runs_the_test_command_the_readme_gives():
    text = README.read_text(encoding="utf-8")
    install = re.search(r"## Tests\n+```bash\n([^\n]+)\n```", text)
    assert install, "README.md lost its Tests block"
    command = install[1].split(" && ")[-1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert [line for line in ci if line.startswith("python -m pytest")] == [command]
    if " -n " in command:  # the xdist options need the plugin the test extra installs
        try:
            import tomllib
        except ModuleNotFoundError:  # Python < 3.11
            import tomli as tomllib
        extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["test"]
        assert any(requirement.startswith("pytest-xdist") for requirement in extra)


# A reference is either an issue or pull request elsewhere (owner/repo#N, owner/repo PR #N)
# or a path in backquotes, which must exist here.
EXTERNAL = re.compile(r"^[\w.-]+/[\w.-]+(?:#\d+| PR #\d+)\b")


def test_rule_pages_cite_only_files_in_the_repository():
    run = subprocess.run([sys.executable, "-m", "bf16lint", "rule", "--all"], cwd=str(ROOT),
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0
    references = []
    for section in run.stdout.split("## References\n")[1:]:
        references.extend(line[2:] for line in section.splitlines() if line.startswith("- "))
    assert references
    for reference in references:
        paths = re.findall(r"`([^`\s]+)`", reference)
        if EXTERNAL.match(reference):
            continue
        assert paths, f"a reference that is neither an issue elsewhere nor a file here: {reference!r}"
        for path in paths:
            assert (ROOT / path).exists(), f"{reference!r} cites {path}, which is not in the repository"
    for name in re.findall(r"\b([A-Z]+\.md)\b", run.stdout):
        assert list(ROOT.rglob(name)), f"the rule pages mention {name}, which is not in the repository"


def _update() -> None:
    text = README.read_text(encoding="utf-8")
    match = _sample()
    output = _run(match["command"]).stdout.rstrip("\n")
    README.write_text(text[: match.start("output")] + output + text[match.end("output"):], encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--update"]:
        _update()
    else:
        print(__doc__)
