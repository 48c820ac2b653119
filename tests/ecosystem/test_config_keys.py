"""[tool.bf16lint] in a real pyproject.toml, every key, through the real CLI.

Each key gets a VALID case (the setting changes nothing it should not) and an INVALID
case (the setting makes a finding appear or disappear). Command-line flags win over the
file; unknown keys and bad values exit 2 naming the key and what is allowed.
"""
from __future__ import annotations

import json
import textwrap

import pytest
from eco_helpers import BUGGY_FINDINGS, BUGGY_SCRIPT, CLEAN_SCRIPT, bf16lint_process, pyproject, write, write_notebook

from bf16lint.config import ConfigError, SettingsResolver, settings_from_table

CUSTOM_LOADER = textwrap.dedent(
    """\
    import torch
    import mylib

    encoder = mylib.load_encoder("vit-base")
    images = torch.randn(8, 3, 224, 224, dtype=torch.bfloat16)
    feats = encoder(images)
    """
)
TIMM_SCRIPT = textwrap.dedent(
    """\
    import torch
    import timm

    model = timm.create_model("resnet50", pretrained=True)
    images = torch.randn(8, 3, 224, 224, dtype=torch.bfloat16)
    out = model(images)
    """
)
EXTERNAL_CACHE = textwrap.dedent(
    """\
    import timm
    from mylib import MyCache
    from torch.utils.data import DataLoader

    model = timm.create_model("resnet50", pretrained=True).cuda()
    cache = MyCache("train/", half_cache=True)
    for batch in DataLoader(cache, batch_size=32):
        out = model(batch["image"])
    """
)
# The image travels under a key bf16lint does not know by default.
CUSTOM_KEY = textwrap.dedent(
    """\
    import torch
    import timm
    from torch.utils.data import DataLoader, Dataset


    class Frames(Dataset):
        def __init__(self, frames, labels):
            self.frames = frames.to(torch.bfloat16)
            self.labels = labels

        def __getitem__(self, i):
            return {"frame_tensor": self.frames[i], "label": self.labels[i]}


    model = timm.create_model("resnet50", pretrained=True).cuda()
    loader = DataLoader(Frames(torch.randn(64, 3, 224, 224), torch.zeros(64)), batch_size=8)
    for batch in loader:
        batch = {k: v.cuda() for k, v in batch.items()}
        out = model(batch)
    """
)


def codes(run):
    return sorted(row[-1] for row in run.concise())


# ------------------------------------------------------------------ select / ignore
def test_select_in_file_limits_rules(project, cli):
    write(project / "train.py", BUGGY_SCRIPT)
    assert codes(cli("train.py", "--output-format", "concise")) == ["BFD001", "BFD002"]  # VALID: defaults
    pyproject(project, 'select = ["BFD001"]\n')
    run = cli("train.py", "--output-format", "concise")
    assert codes(run) == ["BFD001"] and run.code == 1


def test_ignore_in_file(project, cli):
    write(project / "train.py", BUGGY_SCRIPT)
    pyproject(project, 'ignore = ["BFD002"]\n')
    assert codes(cli("train.py", "--output-format", "concise")) == ["BFD001"]


def test_ignore_everything_exits_zero(project, cli):
    write(project / "train.py", BUGGY_SCRIPT)
    pyproject(project, 'ignore = ["BFD"]\n')
    run = cli("train.py")
    assert run.code == 0 and "All checks passed" in run.out


def test_ignore_beats_select_of_same_code(project, cli):
    write(project / "train.py", BUGGY_SCRIPT)
    pyproject(project, 'select = ["BFD001", "BFD002"]\nignore = ["BFD002"]\n')
    assert codes(cli("train.py", "--output-format", "concise")) == ["BFD001"]


def test_more_specific_select_beats_broad_ignore(project, cli):
    write(project / "train.py", BUGGY_SCRIPT)
    pyproject(project, 'select = ["BFD001"]\nignore = ["BFD"]\n')
    assert codes(cli("train.py", "--output-format", "concise")) == ["BFD001"]


def test_extend_select_adds_to_select(project, cli):
    write(project / "train.py", BUGGY_SCRIPT)
    pyproject(project, 'select = ["BFD001"]\nextend-select = ["BFD002"]\n')
    assert codes(cli("train.py", "--output-format", "concise")) == ["BFD001", "BFD002"]


def test_select_all_means_every_rule(project, cli):
    write(project / "train.py", BUGGY_SCRIPT)
    pyproject(project, 'select = ["ALL"]\n')
    assert codes(cli("train.py", "--output-format", "concise")) == ["BFD001", "BFD002"]


# ------------------------------------------------------------------ command line wins
def test_cli_select_replaces_file_selection(project, cli):
    write(project / "train.py", BUGGY_SCRIPT)
    pyproject(project, 'select = ["BFD001"]\nignore = ["BFD002"]\n')
    assert codes(cli("train.py", "--output-format", "concise", "--select", "BFD002")) == ["BFD002"]


def test_cli_ignore_adds_to_file_ignore(project, cli):
    write(project / "train.py", BUGGY_SCRIPT)
    pyproject(project, 'ignore = ["BFD003"]\n')
    run = cli("train.py", "--output-format", "concise", "--ignore", "BFD001")
    assert codes(run) == ["BFD002"]


def test_cli_extend_select_adds_to_file(project, cli):
    write(project / "train.py", BUGGY_SCRIPT)
    pyproject(project, 'select = ["BFD002"]\n')
    assert codes(cli("train.py", "--output-format", "concise", "--extend-select", "BFD001")) == ["BFD001", "BFD002"]


def test_cli_fix_style_wins(project, cli):
    write(project / "train.py", CLEAN_SCRIPT)
    pyproject(project, 'fix-style = "wrap"\n')
    assert json.loads(cli("--show-settings", "train.py").out)["fix-style"] == "wrap"
    assert json.loads(cli("--show-settings", "--fix-style", "insert", "train.py").out)["fix-style"] == "insert"


@pytest.mark.parametrize("flag", ["--select", "--ignore", "--extend-select"])
def test_cli_bad_code_exits_2(project, cli, flag):
    write(project / "train.py", BUGGY_SCRIPT)
    run = cli("train.py", flag, "E501")
    assert run.code == 2
    assert flag in run.err and "'E501'" in run.err and "BFD001" in run.err


# ------------------------------------------------------------------ per-file-ignores
def test_per_file_ignores_glob(project, cli):
    write(project / "train.py", BUGGY_SCRIPT)
    write(project / "legacy" / "old.py", BUGGY_SCRIPT)
    pyproject(project, '[tool.bf16lint.per-file-ignores]\n"legacy/*.py" = ["BFD001"]\n')
    rows = cli(".", "--output-format", "concise").concise()
    found = sorted((path.replace("\\", "/"), code) for path, _, _, _, code in rows)
    assert found == [
        ("legacy/old.py", "BFD002"),
        ("train.py", "BFD001"),
        ("train.py", "BFD002"),
    ]


def test_per_file_ignores_win_over_explicit_select(project, cli):
    write(project / "train.py", BUGGY_SCRIPT)
    pyproject(project, 'select = ["BFD001", "BFD002"]\n[tool.bf16lint.per-file-ignores]\n"train.py" = ["BFD001"]\n')
    assert codes(cli("train.py", "--output-format", "concise")) == ["BFD002"]


def test_per_file_ignores_ipynb_pattern(project, cli):
    write_notebook(project / "notebooks" / "explore.ipynb")
    write(project / "train.py", BUGGY_SCRIPT)
    assert any(row[0].endswith(".ipynb") for row in cli(".", "--output-format", "concise").concise())
    pyproject(project, '[tool.bf16lint.per-file-ignores]\n"*.ipynb" = ["BFD"]\n')
    rows = cli(".", "--output-format", "concise").concise()
    assert rows and not any(row[0].endswith(".ipynb") for row in rows)


# ------------------------------------------------------------------ exclude
def test_exclude_replaces_defaults(project, cli):
    write(project / "generated" / "a.py", BUGGY_SCRIPT)
    write(project / "build" / "b.py", BUGGY_SCRIPT)
    run = cli(".", "--output-format", "concise")
    paths = {row[0].replace("\\", "/") for row in run.concise()}
    assert paths == {"generated/a.py"}  # build/ is excluded by default
    pyproject(project, 'exclude = ["generated"]\n')
    paths = {row[0].replace("\\", "/") for row in cli(".", "--output-format", "concise").concise()}
    assert paths == {"build/b.py"}


def test_extend_exclude_keeps_defaults(project, cli):
    write(project / "experiments" / "x.py", BUGGY_SCRIPT)
    write(project / "build" / "b.py", BUGGY_SCRIPT)
    write(project / "src" / "ok.py", BUGGY_SCRIPT)
    pyproject(project, 'extend-exclude = ["experiments/"]\n')
    paths = {row[0].replace("\\", "/") for row in cli(".", "--output-format", "concise").concise()}
    assert paths == {"src/ok.py"}


def test_explicit_paths_bypass_exclude_unless_forced(project, cli):
    write(project / "experiments" / "x.py", BUGGY_SCRIPT)
    pyproject(project, 'extend-exclude = ["experiments"]\n')
    assert cli("experiments/x.py").code == 1  # named explicitly: checked
    run = cli("--force-exclude", "experiments/x.py")
    assert run.code == 0 and "All checks passed" in run.out
    assert cli("experiments").code == 1  # a directory named explicitly: walked
    assert cli("--force-exclude", "experiments").code == 0


def test_force_exclude_in_file(project, cli):
    write(project / "experiments" / "deep" / "x.py", BUGGY_SCRIPT)
    pyproject(project, 'extend-exclude = ["experiments/deep"]\nforce-exclude = true\n')
    assert cli("experiments/deep/x.py").code == 0


# ------------------------------------------------------------------ knowledge tables
def test_backbones_makes_custom_loader_a_backbone(project, cli):
    write(project / "encode.py", CUSTOM_LOADER)
    assert cli("encode.py").code == 0  # VALID: bf16lint cannot know mylib
    pyproject(project, 'backbones = ["mylib.load_encoder"]\n')
    run = cli("encode.py", "--output-format", "concise")
    assert run.concise() == [("encode.py", None, 6, 9, "BFD001")]
    assert "mylib.load_encoder" in run.out


def test_backbones_bare_class_name(project, cli):
    write(project / "encode.py", textwrap.dedent(
        """\
        import torch
        from mylib import MyBackbone

        model = MyBackbone.from_pretrained("org/mybackbone")
        out = model(pixel_values=torch.randn(1, 3, 224, 224).to(torch.bfloat16))
        """
    ))
    assert cli("encode.py").code == 0
    pyproject(project, 'backbones = ["MyBackbone"]\n')
    assert codes(cli("encode.py", "--output-format", "concise")) == ["BFD001"]


def test_self_casting_silences_a_backbone(project, cli):
    write(project / "model.py", TIMM_SCRIPT)
    assert codes(cli("model.py", "--output-format", "concise")) == ["BFD001"]
    pyproject(project, 'self-casting = ["timm.create_model"]\n')
    run = cli("model.py")
    assert run.code == 0 and "All checks passed" in run.out


def test_self_casting_wins_over_backbones(project, cli):
    write(project / "encode.py", CUSTOM_LOADER)
    pyproject(project, 'backbones = ["mylib.load_encoder"]\nself-casting = ["mylib.load_encoder"]\n')
    assert cli("encode.py").code == 0


def test_bf16_flags_flags_external_dataset(project, cli):
    write(project / "train.py", EXTERNAL_CACHE)
    assert cli("train.py").code == 0  # VALID: half_cache is not a known flag
    pyproject(project, 'bf16-flags = ["half_cache"]\n')
    run = cli("train.py", "--output-format", "concise")
    assert codes(run) == ["BFD001"]
    assert "half_cache" in run.out


def test_image_keys_changes_the_key(project, cli):
    write(project / "train.py", CUSTOM_KEY)
    assert cli("train.py").code == 0  # VALID: "frame_tensor" is not an image key
    pyproject(project, 'image-keys = ["frame_tensor"]\n')
    assert codes(cli("train.py", "--output-format", "concise")) == ["BFD001"]
    diff = cli("train.py", "--diff").out
    assert '+    batch["frame_tensor"] = batch["frame_tensor"].float()' in diff


def test_image_keys_replace_the_defaults(project, cli):
    write(project / "train.py", CUSTOM_KEY.replace("frame_tensor", "image"))
    assert codes(cli("train.py", "--output-format", "concise")) == ["BFD001"]
    pyproject(project, 'image-keys = ["frame_tensor"]\n')
    assert cli("train.py").code == 0


def test_fix_style_reaches_the_engine(project, cli):
    write(project / "train.py", CLEAN_SCRIPT)
    pyproject(project, 'fix-style = "wrap"\n')
    settings = SettingsResolver().for_path(str(project / "train.py"))
    assert settings.fix_style == "wrap"
    from bf16lint.cli import _options_for

    options, _ = _options_for(settings, unsafe=False)
    assert options.fix_style == "wrap"


# ------------------------------------------------------------------ discovery, --config
def test_nearest_pyproject_governs(project, cli):
    write(project / "a" / "train.py", BUGGY_SCRIPT)
    write(project / "b" / "train.py", BUGGY_SCRIPT)
    pyproject(project, 'ignore = ["BFD002"]\n')
    pyproject(project / "b", 'ignore = ["BFD001"]\n')
    rows = sorted((r[0].replace("\\", "/"), r[-1]) for r in cli(".", "--output-format", "concise").concise())
    assert rows == [("a/train.py", "BFD001"), ("b/train.py", "BFD002")]


def test_pyproject_without_table_is_passed_over(project, cli):
    write(project / "sub" / "train.py", BUGGY_SCRIPT)
    pyproject(project, 'ignore = ["BFD002"]\n')
    write(project / "sub" / "pyproject.toml", '[project]\nname = "sub"\n')
    assert codes(cli("sub/train.py", "--output-format", "concise")) == ["BFD001"]


def test_config_flag_uses_that_file(project, cli, tmp_path_factory):
    write(project / "train.py", BUGGY_SCRIPT)
    pyproject(project, 'ignore = ["BFD001"]\n')
    other = tmp_path_factory.mktemp("cfg")
    config = pyproject(other, 'ignore = ["BFD002"]\n')
    assert codes(cli("train.py", "--output-format", "concise")) == ["BFD002"]
    assert codes(cli("train.py", "--output-format", "concise", "--config", str(config))) == ["BFD001"]


def test_config_flag_missing_file_exits_2(project, cli):
    write(project / "train.py", BUGGY_SCRIPT)
    run = cli("train.py", "--config", "nope/pyproject.toml")
    assert run.code == 2 and "nope/pyproject.toml" in run.err and "not found" in run.err


def test_show_settings(project, cli):
    write(project / "nb" / "x.ipynb", "{}")
    pyproject(project, textwrap.dedent(
        """\
        select = ["BFD001", "BFD002"]
        backbones = ["mylib.load_encoder"]
        bf16-flags = ["half_cache"]
        image-keys = ["frame_tensor", "image"]
        fix-style = "wrap"
        [tool.bf16lint.per-file-ignores]
        "*.ipynb" = ["BFD002"]
        """
    ))
    run = cli("--show-settings", "nb/x.ipynb")
    assert run.code == 0
    shown = json.loads(run.out)
    assert shown["source"].endswith("pyproject.toml")
    assert shown["select"] == ["BFD001", "BFD002"]
    assert "mylib.load_encoder" in shown["backbones"] and "torch.hub.load" in shown["backbones"]
    assert "half_cache" in shown["bf16-flags"] and "use_bf16" in shown["bf16-flags"]
    assert shown["image-keys"] == ["frame_tensor", "image"]
    assert shown["fix-style"] == "wrap"
    assert shown["effective"]["per-file-ignore"] == ["BFD002"]
    assert shown["effective"]["enabled-rules"] == ["BFD001"]


def test_show_settings_several_paths_is_a_list(project, cli):
    write(project / "a.py", CLEAN_SCRIPT)
    shown = json.loads(cli("--show-settings", "a.py", ".").out)
    assert [entry["path"] for entry in shown] == ["a.py", "."]
    assert shown[0]["source"] is None


# ------------------------------------------------------------------ bad configuration
@pytest.mark.parametrize(
    "body,needles",
    [
        ('selct = ["BFD001"]\n', ["'selct'", "did you mean 'select'", "allowed:", "extend-select"]),
        ('select = "BFD001"\n', ["select", "list of rule codes"]),
        ('select = ["E501"]\n', ["select", "'E501'", "BFD001"]),
        ('ignore = [1]\n', ["ignore", "list of strings"]),
        ('fix-style = "inline"\n', ["fix-style", "'inline'", '"insert", "wrap"']),
        ('force-exclude = "yes"\n', ["force-exclude", "true or false"]),
        ('backbones = ["my lib.load"]\n', ["backbones", "'my lib.load'", "dotted"]),
        ('self-casting = ["x-y"]\n', ["self-casting", "dotted"]),
        ('bf16-flags = ["half.cache"]\n', ["bf16-flags", "identifier"]),
        ('image-keys = []\n', ["image-keys", "empty"]),
        ('exclude = [""]\n', ["exclude", "empty pattern"]),
        ('per-file-ignores = ["*.ipynb"]\n', ["per-file-ignores", "glob pattern = list of rule codes"]),
        ('[tool.bf16lint.per-file-ignores]\n"*.ipynb" = "BFD002"\n', ["per-file-ignores", "'*.ipynb'"]),
        ('[tool.bf16lint.per-file-ignores]\n"*.ipynb" = ["W"]\n', ["per-file-ignores", "'W'"]),
        ('select = [\n', ["invalid TOML"]),
    ],
)
def test_bad_configuration_exits_2(project, cli, body, needles):
    write(project / "train.py", BUGGY_SCRIPT)
    config = pyproject(project, body)
    run = cli("train.py")
    assert run.code == 2, run.out
    assert run.out == ""
    assert str(config) in run.err
    for needle in needles:
        assert needle in run.err, (needle, run.err)


def test_bad_configuration_subprocess_exit_code(project):
    """The exit status a shell (and pre-commit) sees, not just main()'s return value."""

    write(project / "train.py", BUGGY_SCRIPT)
    pyproject(project, 'colour = "always"\n')
    run = bf16lint_process("train.py", cwd=project)
    assert run.code == 2
    assert "unknown key [tool.bf16lint] 'colour'" in run.err
    assert "Traceback" not in run.err


def test_underscore_spelling_is_accepted():
    settings = settings_from_table({"extend_select": ["BFD003"], "bf16_flags": ["half_cache"]}, None, ".")
    assert settings.extend_select == ("BFD003",)
    assert "half_cache" in settings.knowledge.bf16_flags
    with pytest.raises(ConfigError, match="given twice"):
        settings_from_table({"bf16-flags": [], "bf16_flags": []}, None, ".")


def test_buggy_findings_constant_matches_engine(project, cli):
    """Guards the shared fixture the other ecosystem tests rely on."""
    write(project / "train.py", BUGGY_SCRIPT)
    rows = cli("train.py", "--output-format", "concise").concise()
    assert [(row, col, code) for _, _, row, col, code in rows] == BUGGY_FINDINGS


def test_fix_style_wrap_from_file_and_cli_override(project, cli):
    write(project / "train.py", BUGGY_SCRIPT)
    pyproject(project, 'fix-style = "wrap"\n')
    wrapped = cli("train.py", "--diff").out
    assert "float32_inputs(" in wrapped and '.float()' not in wrapped
    inserted = cli("train.py", "--diff", "--fix-style", "insert").out
    assert '+        batch["image"] = batch["image"].float()' in inserted and "float32_inputs" not in inserted
