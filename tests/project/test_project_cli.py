"""Project mode through the real command line: the bug followed across a user's modules.

Each fixture under fixtures/projects/ is copied to a temporary folder (so the root and the
paths in messages are the project's own) and linted with `python -m bf16lint`, zero
configuration unless the test writes one."""
from __future__ import annotations

import json
import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).parent.parent.parent
PROJECTS = ROOT / "fixtures" / "projects"


def cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "bf16lint", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def findings(cwd, *paths):
    proc = cli("--output-format", "json", *paths, cwd=cwd)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    return json.loads(proc.stdout)


def where(found):
    return sorted((f["filename"], f["cell"], f["location"]["row"], f["code"]) for f in found)


@pytest.fixture
def project(tmp_path):
    def copy(name):
        target = tmp_path / name
        shutil.copytree(PROJECTS / name, target)
        return target

    return copy


def test_data_model_train_split_is_reported_in_train_py_with_zero_configuration(project):
    root = project("split")
    found = findings(root, "train.py")
    assert where(found) == [("train.py", None, 12, "BFD002"), ("train.py", None, 20, "BFD001")]
    message = next(f["message"] for f in found if f["code"] == "BFD001")
    # where the tensor became bf16 and where the backbone was built, in their own files
    assert "(data.py line 10: `images.to(torch.bfloat16)`)" in message
    assert "inside `DinoClassifier` (models/backbone.py line 10)" in message


def test_notebook_importing_sibling_modules_through_sys_path_append(project):
    root = project("split")
    found = findings(root / "notebooks", "explore.ipynb")
    assert where(found) == [("explore.ipynb", 4, 4, "BFD001")]
    assert "../data.py line 10" in found[0]["message"]


def test_notebook_without_the_sys_path_line_and_no_project_root_stays_quiet(tmp_path):
    # The notebook's folder holds nothing it imports, and nothing says where to look.
    shutil.copytree(PROJECTS / "split", tmp_path / "split")
    notebook = tmp_path / "split" / "notebooks" / "explore.ipynb"
    nb = json.loads(notebook.read_text())
    nb["cells"][1]["source"] = [line.replace("sys.path.append('..')", "pass") for line in nb["cells"][1]["source"]]
    lonely = tmp_path / "elsewhere"
    lonely.mkdir()
    (lonely / "explore.ipynb").write_text(json.dumps(nb))
    assert findings(lonely, "explore.ipynb") == []


def test_whole_project_run_reports_each_file_once_and_nothing_in_library_modules(project):
    root = project("split")
    found = findings(root, ".")
    assert {f["filename"] for f in found} == {"train.py", "notebooks/explore.ipynb"}


def test_src_layout(project):
    root = project("src_layout")
    found = findings(root, "scripts/embed.py")
    assert where(found) == [("scripts/embed.py", None, 10, "BFD001")]
    assert "src/visionkit/data.py line 8" in found[0]["message"]
    assert "src/visionkit/models/encoders.py line 5" in found[0]["message"]


def test_relative_imports_and_a_module_imported_as_a_name(project):
    root = project("relative")
    found = findings(root, "trainer/loop.py")
    assert where(found) == [("trainer/loop.py", None, 12, "BFD001")]
    assert "trainer/datasets.py line 5" in found[0]["message"]


def test_init_re_export(project):
    # `from models import DinoClassifier` is only re-exported by models/__init__.py
    root = project("split")
    assert "from .backbone import DinoClassifier" in (root / "models" / "__init__.py").read_text()
    assert findings(root, "train.py")


def test_namespace_package(project):
    root = project("namespace")
    assert not (root / "shared" / "__init__.py").exists()
    found = findings(root, "apps/zero_shot.py")
    assert where(found) == [("apps/zero_shot.py", None, 8, "BFD001")]
    assert "shared/vision/loaders.py line 11" in found[0]["message"]


@pytest.mark.parametrize("order", [("run.py",), ("config.py", "registry.py", "run.py"), (".",)])
def test_import_cycle_whatever_file_comes_first(project, order):
    root = project("cycle")
    found = findings(root, *order)
    assert where(found) == [("run.py", None, 7, "BFD001")]
    assert "set at config.py line 5" in found[0]["message"]
    assert "(registry.py line 5)" in found[0]["message"]


def test_same_named_class_in_an_unrelated_module_stays_quiet(project):
    root = project("same_name")
    assert findings(root, ".") == []
    # the import is what decides: the other Backbone is a real pretrained one
    script = root / "train_small.py"
    script.write_text(script.read_text().replace("from utils.backbone", "from models.backbone"))
    assert where(findings(root, "train_small.py")) == [("train_small.py", None, 7, "BFD001")]


def test_one_file_run_reports_only_on_the_given_file(project):
    root = project("cycle")
    # the call lives in run.py: linting the modules it depends on reports nothing
    assert findings(root, "config.py", "registry.py") == []


def test_changed_file_alone_gets_findings_that_depend_on_unchanged_modules(project):
    # a pre-commit run passes only the changed files
    root = project("split")
    train = root / "train.py"
    train.write_text(train.read_text().replace("        print(model(images).argmax(-1))",
                                               "        print(model(images).softmax(-1))"))
    found = findings(root, "train.py")
    assert ("train.py", None, 20, "BFD001") in where(found)


def test_fix_edits_only_the_file_reported_on(project):
    root = project("split")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    proc = cli("--fix", "train.py", cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    changed = sorted(str(p.relative_to(root)) for p, data in before.items() if p.read_bytes() != data)
    assert changed == ["train.py"]
    assert train_casts(root / "train.py") == 2
    assert findings(root, "train.py") == []


def train_casts(path):
    return path.read_text().count("images = images.float()")


def test_prefilter_keeps_a_file_whose_import_closure_holds_both_kinds_of_evidence(project):
    root = project("split")
    text = (root / "train.py").read_text()
    from bf16lint.analysis.knowledge import DEFAULT_KNOWLEDGE

    no_bf16 = text.replace("dtype=torch.bfloat16", "dtype=torch.float16")
    assert not DEFAULT_KNOWLEDGE.may_contain_bug(no_bf16)  # no evidence of its own, of either kind
    (root / "train.py").write_text(no_bf16)
    assert ("train.py", None, 20, "BFD001") in where(findings(root, "train.py"))


def test_configured_project_flake8_and_cli_agree(project):
    root = project("split")
    (root / "pyproject.toml").write_text('[tool.bf16lint]\nignore = ["BFD002"]\n')
    cli_found = sorted((f["filename"], f["location"]["row"], f["location"]["column"], f["code"])
                       for f in findings(root, "train.py"))
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "BFD", "--format", "%(path)s:%(row)d:%(col)d:%(code)s", "train.py"],
        capture_output=True, text=True, cwd=root, timeout=120,
    )
    assert flake8.returncode in (0, 1), flake8.stderr
    flake8_found = sorted(
        (path.removeprefix("./"), int(row), int(col), code)
        for path, row, col, code in (line.split(":") for line in flake8.stdout.splitlines())
    )
    assert cli_found == flake8_found == [("train.py", 20, 15, "BFD001")]


def flake8_findings(cwd, *paths):
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "BFD", "--format", "%(path)s:%(row)d:%(col)d:%(code)s", *paths],
        capture_output=True, text=True, cwd=cwd, timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return sorted((path.removeprefix("./"), int(row), int(col), code)
                  for path, row, col, code in (line.split(":") for line in proc.stdout.splitlines()))


def test_configured_factory_names_the_tuple_element_and_a_dtype_helper_in_another_module(project):
    root = project("factory")
    found = findings(root, ".")
    assert where(found) == [("distill.py", None, 9, "BFD001")]  # the teacher, element 1; not the bf16 student
    assert "set at precision.py line 3" in found[0]["message"]  # DTYPES["bf16"] through dtype_from_name
    cli_found = [(f["filename"], f["location"]["row"], f["location"]["column"], f["code"]) for f in found]
    assert flake8_findings(root, ".") == cli_found
    (root / "pyproject.toml").write_text("[tool.bf16lint]\n")
    assert findings(root, ".") == []  # a custom module is a backbone only when configured


def test_factory_entry_with_a_bad_element_is_a_configuration_error(project):
    root = project("factory")
    (root / "pyproject.toml").write_text('[tool.bf16lint]\nbackbones = ["nets.build_pair[one]"]\n')
    proc = cli("distill.py", cwd=root)
    assert proc.returncode == 2 and "is not a dotted Python name" in proc.stderr
