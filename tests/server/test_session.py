"""The server's state in-process: what an edit invalidates, and what it leaves alone."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("lsprotocol")

from bf16lint.project import forget_indexes, index_for  # noqa: E402
from bf16lint.server.buffers import Buffer, Cell, code_units, characters, path_of  # noqa: E402
from bf16lint.server.convert import text_edits  # noqa: E402
from bf16lint.server.session import Session  # noqa: E402

SPLIT = Path(__file__).resolve().parents[2] / "fixtures" / "projects" / "split"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(SPLIT, root)
    (root / "pyproject.toml").write_text('[project]\nname = "proj"\n')
    forget_indexes()
    yield root
    forget_indexes()


def script(path: Path, text=None) -> Buffer:
    uri = path.as_uri()
    return Buffer(uri, str(path), False, [Cell(uri, True, path.read_text() if text is None else text)])


def summaries(session: Session, path: Path) -> set:
    index = index_for(str(path), session.root)
    return {key[1] for key in index.cache if isinstance(key, tuple) and key[0] == "summary"}


def test_an_edit_drops_the_summaries_of_the_module_and_its_importers_only(project: Path):
    session = Session(str(project))
    train = script(project / "train.py")
    session.open(train)
    assert [f.code for f in session.analyse(train.uri).findings] == ["BFD002", "BFD001"]
    data, backbone = str(project / "data.py"), str(project / "models" / "backbone.py")
    assert {data, backbone} <= summaries(session, project / "train.py")

    helper = project / "helper.py"  # imports data.py: its summary must go too
    helper.write_text("from data import make_loader\nLOADER = make_loader\n")
    index = index_for(str(helper), session.root)
    from bf16lint.project.summaries import summary_of

    summary_of(index, str(helper), session.options_for(train).knowledge)
    assert str(helper) in summaries(session, helper)

    edited = (project / "data.py").read_text().replace("images.to(torch.bfloat16)", "images.float()")
    reanalyse = session.update(script(project / "data.py", edited))
    assert train.uri in reanalyse  # the open loop module imports the edited one
    left = summaries(session, project / "train.py")
    assert data not in left and str(helper) not in left
    assert backbone in left  # nothing it imports changed: its summary is kept
    assert session.analyse(train.uri).findings == []


def test_the_same_content_is_never_analysed_twice(project: Path):
    session = Session(str(project))
    train = script(project / "train.py")
    session.open(train)
    first = session.analyse(train.uri)
    assert session.update(script(project / "data.py")) == [(project / "data.py").as_uri()]  # disk == buffer
    assert session.analyse(train.uri) is first
    session.update(script(project / "train.py"))
    assert session.analyse(train.uri) is first  # same text, same hash


def test_closing_a_buffer_brings_the_file_on_disk_back(project: Path):
    session = Session(str(project))
    train = script(project / "train.py")
    session.open(train)
    edited = (project / "data.py").read_text().replace("images.to(torch.bfloat16)", "images.float()")
    data = script(project / "data.py", edited)
    session.open(data)
    assert session.analyse(train.uri).findings == []
    assert session.close(data.uri) == [train.uri]
    assert len(session.analyse(train.uri).findings) == 2


def test_a_saved_pyproject_reloads_the_configuration(project: Path):
    session = Session(str(project))
    train = script(project / "train.py")
    session.open(train)
    assert len(session.analyse(train.uri).findings) == 2
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + '[tool.bf16lint]\nselect = ["BFD001"]\n')
    assert session.files_changed([str(pyproject)]) == [train.uri]
    assert [f.code for f in session.analyse(train.uri).findings] == ["BFD001"]
    pyproject.write_text('[tool.bf16lint]\nselect = ["NOPE1"]\n')  # broken: defaults, and the error is kept
    session.files_changed([str(pyproject)])
    assert len(session.analyse(train.uri).findings) == 2 and "NOPE1" in session.config_error


def test_positions_count_utf16_code_units_by_default():
    line = "x = '🙂é'; model(images)"
    assert code_units(line, line.index("model"), "utf-16") == line.index("model") + 1  # the emoji is 2 units
    assert code_units(line, line.index("model"), "utf-32") == line.index("model")
    assert code_units(line, line.index("model"), "utf-8") == line.index("model") + 4
    for encoding in ("utf-8", "utf-16", "utf-32"):
        assert characters(line, code_units(line, 12, encoding), encoding) == 12


def test_line_edits_reproduce_the_new_text():
    old = "a = 1\nb = model(x)\nc = 3"
    new = "a = 1\nb = model(x)\nx = x.float()\nc = 3\n"
    from .conftest import apply_edits

    for before, after in ((old, new), (new, old), ("", "x = 1\n"), ("x = 1", "")):
        assert apply_edits(before, text_edits(before, after)) == after


def test_jupyterlab_virtual_documents_map_to_the_notebook_folder(tmp_path: Path):
    virtual = tmp_path / ".virtual_documents" / "nb" / "x.ipynb"
    assert path_of(virtual.as_uri()) == str(tmp_path / "nb" / "x.ipynb")
    assert path_of("untitled:Untitled-1") is None


def test_an_edit_inside_a_comment_stops_at_the_module(project: Path):
    """Reverse imports stop where a summary cannot have changed: same syntax tree."""
    session = Session(str(project))
    train = script(project / "train.py")
    session.open(train)
    first = session.analyse(train.uri)
    data = project / "data.py"
    commented = data.read_text().replace("images = images.to(torch.bfloat16)",
                                         "images = images.to(torch.bfloat16)  # halves memory")
    assert session.update(script(data, commented)) == [data.as_uri()]
    assert str(data) in summaries(session, project / "train.py")
    assert session.analyse(train.uri) is first


def test_a_module_changed_on_disk_reaches_the_open_buffers_that_import_it(project: Path):
    session = Session(str(project))
    train = script(project / "train.py")
    session.open(train)
    assert len(session.analyse(train.uri).findings) == 2
    data = project / "data.py"
    data.write_text(data.read_text().replace("images.to(torch.bfloat16)", "images.float()"))
    assert session.files_changed([str(data)]) == [train.uri]
    assert session.analyse(train.uri).findings == []
    assert session.files_changed([str(project / "never_read.py")]) == []
