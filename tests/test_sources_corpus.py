"""Every corpus document, field by field, against its hand-checked expected record (tests/corpus/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mscbib.testing.corpus import compare_document, load_corpus

CORPUS = Path(__file__).resolve().parent / "corpus"
DOCUMENTS = load_corpus(CORPUS)


def test_the_corpus_is_broad():
    formats = {d.expected.get("format") for d in DOCUMENTS}
    assert len(DOCUMENTS) >= 40
    assert {"pubmed", "catalog", "landing", "ris", "medline", "csl-json", "bibtex", "doi-list", "references"} <= formats


@pytest.mark.parametrize("doc", DOCUMENTS, ids=[d.name for d in DOCUMENTS])
def test_document(doc):
    cmp = compare_document(doc)
    assert cmp.problems == []
    assert [f"record {i} {name}: expected {want!r}, got {got!r}" for i, name, want, got in cmp.mismatches] == []
