"""The stored edge-case notebooks: still what edge_notebooks.py builds, and what they test."""

from __future__ import annotations

import json

import pytest
from edge_notebooks import EDGE_DIR, build_all

from bf16lint.documents import DocumentError, load_document

BUILT = build_all()


@pytest.mark.parametrize("name", sorted(BUILT))
def test_stored_fixture_matches_its_builder(name):
    assert (EDGE_DIR / name).read_bytes() == BUILT[name], (
        f"run python tests/documents/edge_notebooks.py ({name})"
    )


def test_fixture_styles_are_what_their_names_say():
    colab = BUILT["colab_2space.ipynb"]
    assert colab.startswith(b'{\n  "nbformat": 4') and not colab.endswith(b"\n") and b"\\u00e9" in colab
    assert BUILT["magics.ipynb"].startswith(b'{\n "cells": [') and BUILT["magics.ipynb"].endswith(b"}\n")
    assert BUILT["no_trailing_newline.ipynb"].endswith(b"}")
    assert all(isinstance(c["source"], str) for c in json.loads(BUILT["string_source.ipynb"])["cells"])
    assert all("id" not in c for c in json.loads(BUILT["nbformat_4_0_no_ids.ipynb"])["cells"])
    counts = [c.get("execution_count") for c in json.loads(BUILT["out_of_order.ipynb"])["cells"][1:]]
    assert counts == [1, 3, 2]


@pytest.mark.parametrize(
    "name", ["invalid_json.ipynb", "truncated.ipynb", "wrong_schema.ipynb", "nbformat_3.ipynb"]
)
def test_bad_fixtures_fail_to_load_and_are_untouched(name):
    path = EDGE_DIR / name
    before = path.read_bytes()
    with pytest.raises(DocumentError):
        load_document(str(path))
    assert path.read_bytes() == before
