"""The project index on its own: roots, module resolution, sys.path additions, the import
scan, the reverse graph, the prefilter's closure and what is never read."""
from __future__ import annotations

import ast
import os

import pytest

from bf16lint.analysis.knowledge import DEFAULT_KNOWLEDGE
from bf16lint.project import closure_has_evidence, forget_indexes, index_for
from bf16lint.project.index import (LIBRARY_ROOTS, Namespace, ProjectIndex, common_root, find_root, scan_imports,
                                    sys_path_additions)


@pytest.fixture(autouse=True)
def fresh_indexes():
    forget_indexes()
    yield
    forget_indexes()


def write(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


@pytest.mark.parametrize("marker", ["pyproject.toml", "setup.cfg", "setup.py", ".git"])
def test_root_is_the_nearest_folder_with_a_marker(tmp_path, marker):
    write(tmp_path, {marker: "", "pkg/sub/mod.py": ""})
    assert find_root(str(tmp_path / "pkg" / "sub" / "mod.py")) == str(tmp_path)


def test_root_without_markers_is_the_common_root_of_the_given_paths(tmp_path):
    write(tmp_path, {"a/x.py": "", "b/y.py": ""})
    given = common_root([str(tmp_path / "a" / "x.py"), str(tmp_path / "b")])
    assert given == str(tmp_path)
    assert find_root(str(tmp_path / "a" / "x.py"), given) == str(tmp_path)
    assert find_root(str(tmp_path / "a" / "x.py")) == str(tmp_path / "a")


def test_layouts_resolve_to_files(tmp_path):
    write(tmp_path, {
        "pyproject.toml": "",
        "flat.py": "",
        "pkg/__init__.py": "",
        "pkg/mod.py": "",
        "src/srcpkg/__init__.py": "",
        "src/srcpkg/deep/__init__.py": "",
        "src/srcpkg/deep/leaf.py": "",
        "ns/part/leaf.py": "",
        "scripts/run.py": "",
    })
    index = ProjectIndex(str(tmp_path))
    roots = index.search_roots(str(tmp_path / "scripts" / "run.py"))
    assert index.find("flat", roots) == str(tmp_path / "flat.py")
    assert index.find("pkg.mod", roots) == str(tmp_path / "pkg" / "mod.py")
    assert index.find("pkg", roots) == str(tmp_path / "pkg" / "__init__.py")
    assert index.find("srcpkg.deep.leaf", roots) == str(tmp_path / "src" / "srcpkg" / "deep" / "leaf.py")
    namespace = index.find("ns.part", roots)
    assert isinstance(namespace, Namespace) and namespace.dirs == (str(tmp_path / "ns" / "part"),)
    assert index.find("ns.part.leaf", roots) == str(tmp_path / "ns" / "part" / "leaf.py")
    assert index.find("flat.nothing", roots) is None
    assert index.find("missing", roots) is None


def test_relative_imports_start_from_the_file_s_package(tmp_path):
    write(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "", "pkg/sub/__init__.py": "", "pkg/sub/b.py": ""})
    index = ProjectIndex(str(tmp_path))
    b = str(tmp_path / "pkg" / "sub" / "b.py")
    assert index.resolve_import(b, "a", 2, ()) == str(tmp_path / "pkg" / "a.py")
    assert index.resolve_import(b, None, 1, ()) == str(tmp_path / "pkg" / "sub" / "__init__.py")


def test_libraries_and_installed_packages_are_never_read(tmp_path):
    # a vendored torch/ or a virtualenv inside the project is not the project's code
    write(tmp_path, {"torch/__init__.py": "", "venv/lib/site-packages/helpers.py": "", "train.py": ""})
    index = ProjectIndex(str(tmp_path))
    roots = index.search_roots(str(tmp_path / "train.py"))
    assert "torch" in LIBRARY_ROOTS and index.find("torch", roots) is None
    assert index.find("helpers", [str(tmp_path / "venv" / "lib" / "site-packages")]) is None
    assert index.module(str(tmp_path / "venv" / "lib" / "site-packages" / "helpers.py")) is None


@pytest.mark.parametrize("call, expected", [
    ("sys.path.append('..')", ".."),
    ("sys.path.append(os.path.join(os.path.dirname(__file__), '..'))", ".."),
    ("sys.path.insert(0, str(Path(__file__).parent / '..'))", ".."),
    ("sys.path.insert(0, str(Path(__file__).resolve().parents[1]))", ".."),
    ("sys.path.append(os.path.abspath(os.path.join(os.getcwd(), os.pardir)))", ".."),
    ("sys.path.append('../src')", "../src"),
    ("sys.path.insert(0, '.')", "."),
])
def test_sys_path_additions(tmp_path, call, expected):
    path = str(tmp_path / "notebooks" / "nb.py")
    found = sys_path_additions(ast.parse(call), path)
    assert found == [os.path.normpath(os.path.join(str(tmp_path / "notebooks"), expected))]


def test_sys_path_additions_that_cannot_be_read_statically_are_ignored(tmp_path):
    assert sys_path_additions(ast.parse("sys.path.append(os.environ['ROOT'])"), str(tmp_path / "x.py")) == []


def test_import_scan():
    text = "import os, a.b as c\nfrom . import x\nfrom ..pkg.mod import (y,\n    z as w)\n  from q import *\n# import no\n"
    assert scan_imports(text) == [(0, "os", []), (0, "a.b", []), (1, "", ["x"]), (2, "pkg.mod", ["y", "z"]),
                                  (0, "q", [])]


def test_reverse_import_graph_and_content_hash(tmp_path):
    write(tmp_path, {"pyproject.toml": "", "data.py": "X = 1\n", "train.py": "from data import X\n",
                     "other.py": "import os\n", "pkg/__init__.py": "", "pkg/user.py": "from data import X\n"})
    index = index_for(str(tmp_path / "train.py"))
    files = [str(tmp_path / n) for n in ("train.py", "other.py", "pkg/user.py")]
    assert index.importers_of(str(tmp_path / "data.py"), files) == [files[0], files[2]]
    digest = index.module(str(tmp_path / "data.py")).digest
    assert digest == ProjectIndex(str(tmp_path)).module(str(tmp_path / "data.py")).digest
    assert digest != ProjectIndex(str(tmp_path)).module(str(tmp_path / "train.py")).digest


def test_closure_prefilter(tmp_path):
    write(tmp_path, {
        "pyproject.toml": "",
        "data.py": "import torch\nx = torch.rand(1).to(torch.bfloat16)\n",
        "model.py": "import torch\nm = torch.hub.load('facebookresearch/dinov2', 'dinov2_vits14')\n",
        "middle.py": "from data import x\n",
        "train.py": "from middle import x\nfrom model import m\nm(x)\n",
        "half.py": "from data import x\n",
        "alone.py": "print('no imports at all')\n",
    })
    read = lambda name: (tmp_path / name).read_text()  # noqa: E731
    assert closure_has_evidence(str(tmp_path / "train.py"), read("train.py"), DEFAULT_KNOWLEDGE)
    assert not closure_has_evidence(str(tmp_path / "half.py"), read("half.py"), DEFAULT_KNOWLEDGE)
    forget_indexes()
    # a file importing nothing costs its own scan: no other module is even read
    assert not closure_has_evidence(str(tmp_path / "alone.py"), read("alone.py"), DEFAULT_KNOWLEDGE)
    assert index_for(str(tmp_path / "alone.py")).modules == {}


def test_sys_path_line_of_a_notebook_whose_cells_hold_magics(tmp_path):
    write(tmp_path, {"data.py": "", "notebooks/x.txt": ""})
    index = ProjectIndex(str(tmp_path / "notebooks"))
    code = "%load_ext autoreload\n%autoreload 2\nimport sys\nsys.path.append('..')\nfrom data import x\n"
    roots = index.search_roots(str(tmp_path / "notebooks" / "nb.ipynb"), text=code)
    assert index.find("data", roots) == str(tmp_path / "data.py")
