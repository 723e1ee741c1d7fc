"""mscbib.datamodel: one type table for every format, both ways. A record of each kind below, written in a
format and read back by that format's reader, is the same kind (records SYNTHETIC, made here)."""

from __future__ import annotations

import pytest

from mscbib.bibfile import parse_bib
from mscbib.datamodel import (
    BIBLATEX_FIELD_NAMES,
    BIBLATEX_FIELDS,
    BIBTEX_TYPES,
    CSL_TYPES,
    FORMATS,
    KINDS,
    MISC_LABELS,
    REQUIRED,
    RIS_TYPES,
    ZOTERO_TYPES,
    kind_of,
    misc_kind,
    type_in,
)
from mscbib.integrations.zotero import item_type
from mscbib.model import Person, Provenance, Record
from mscbib.sources.bibtex import record_from_entry
from mscbib.sources.csljson import CslJson
from mscbib.sources.ris import RisFile
from mscbib.writers.bibtex import render
from mscbib.writers.csljson import render_csljson
from mscbib.writers.ris import render_ris

SRC = Provenance("page", "synthetic.txt", 1)
KINDS_TESTED = ("dataset", "software", "dissertation", "report", "book-chapter", "posted-content")


def record(kind: str) -> Record:
    rec = Record(source=SRC, key="diallo2021")
    for name, value in (
        ("type", kind),
        ("title", "Stromal niches in marrow"),
        ("year", "2021"),
        ("authors", [Person("Diallo", "Awa")]),
        ("publisher", "Zenodo"),
    ):
        rec.set(name, value, SRC)
    return rec


def _via_ris(rec: Record) -> str | None:
    return RisFile().read(render_ris([rec]), "x.ris").records[0].get("type")


def _via_csl(rec: Record) -> str | None:
    return CslJson().read(render_csljson([rec]), "x.json").records[0].get("type")


def _via_bib(dialect: str):
    def read(rec: Record) -> str | None:
        bib = parse_bib(render([rec], dialect), "x.bib")
        return record_from_entry(bib.entries[0], "x.bib").get("type")

    return read


ROUND_TRIPS = {"ris": _via_ris, "csl": _via_csl, "biblatex": _via_bib("biblatex")}


@pytest.mark.parametrize("fmt", sorted(ROUND_TRIPS))
@pytest.mark.parametrize("kind", KINDS_TESTED)
def test_a_kind_written_and_read_back_is_the_same_kind(kind, fmt):
    assert ROUND_TRIPS[fmt](record(kind)) == kind


@pytest.mark.parametrize(
    "kind, ris, csl",
    [("dataset", "DATA", "dataset"), ("software", "COMP", "software"), ("posted-content", "UNPB", "manuscript")],
)
def test_a_dataset_is_not_written_as_a_generic_work(kind, ris, csl):
    """RIS and CSL types came from the BibTeX type, so a dataset was @misc → GEN / document."""
    rec = record(kind)
    assert render_ris([rec]).startswith(f"TY  - {ris}")
    assert f'"type": "{csl}"' in render_csljson([rec])


def test_classic_bibtex_has_no_type_for_them_and_says_misc():
    """Classic BibTeX has no dataset, software or preprint type: ``@misc``, with a ``type`` field that says what it is
    (BibTeX's styles print none for a @misc), which the reader reads back: the kind is not lost (it was, as "other",
    before issue 18, and a library.bib exported to BibLaTeX or CSL-JSON lost its datasets' types)."""
    for kind, label in MISC_LABELS.items():
        if kind == "book":
            continue  # below
        bib = render([record(kind)], "bibtex")
        assert bib.startswith("@misc{") and f"type = {{{label}}}" in bib
        assert _via_bib("bibtex")(record(kind)) == kind and _via_bib("zotero")(record(kind)) == kind
        assert "type = " not in render([record(kind)], "biblatex")  # BibLaTeX has the types themselves
    for kind in ("dissertation", "report", "book-chapter"):
        assert _via_bib("bibtex")(record(kind)) == kind
        assert "type = " not in render([record(kind)], "bibtex")
    # a @misc whose `type` is any other text is a work of no known kind, as before; one of no kind says nothing
    other = render([record("other")], "bibtex")
    assert other.startswith("@misc{") and "type = " not in other
    assert misc_kind("A poem") is None and misc_kind(" dataset ") == "dataset"


def test_a_book_with_no_publisher_is_a_typed_misc_in_bibtex_only():
    """BibTeX's @book requires a publisher (plain.bst: "empty publisher"), which a cited book's deposited reference
    never gives: ``@misc`` with ``type = {Book}`` there, read back as a book; every other format has its book type,
    and the ``zotero`` dialect too (Zotero's import needs no publisher). With a publisher, a @book as before."""
    rec = record("book")
    assert render([rec], "bibtex").startswith("@book{")
    rec.set("publisher", None, SRC)
    bib = render([rec], "bibtex")
    assert bib.startswith("@misc{") and "type = {Book}" in bib
    assert _via_bib("bibtex")(rec) == "book"
    assert render([rec], "zotero").startswith("@book{") and "type = " not in render([rec], "zotero")
    assert render([rec], "biblatex").startswith("@book{")
    assert type_in("csl", rec) == "book" and type_in("ris", rec) == "BOOK"
    # its series: where BibLaTeX and Zotero's import hold it (not dropped as a @misc's journal would be in BibLaTeX)
    rec.set("journal", "Lecture Notes in Biology", SRC)
    assert "series = {Lecture Notes in Biology}" in render([rec], "biblatex")
    assert "series = {Lecture Notes in Biology}" in render([rec], "zotero")
    back = record_from_entry(parse_bib(render([rec], "bibtex"), "x.bib").entries[0], "x.bib")
    assert back.get("type") == "book" and back.get("journal") == "Lecture Notes in Biology"


def test_every_written_type_reads_back_in_its_format():
    """Each type the table writes is one its format's reader knows (so nothing is written that reads as
    'unknown'), and the Zotero item type mscbib makes for a kind is one the reading table has."""
    reading = {
        "bibtex": BIBTEX_TYPES,
        "biblatex": BIBTEX_TYPES,
        "ris": RIS_TYPES,
        "csl": CSL_TYPES,
        "zotero": ZOTERO_TYPES,
    }
    for kind, types in KINDS.items():
        for fmt, label in zip(FORMATS, types):
            assert label in reading[fmt], (kind, fmt, label)
            assert kind_of(fmt, label) is not None
    assert item_type(record("dataset")) == "dataset" and item_type(record("posted-content")) == "preprint"


def test_record_kind_falls_back_on_the_fields():
    rec = Record(source=SRC)
    assert type_in("ris", rec) == "GEN"
    rec.set("isbn", ["9780306406157"], SRC)
    assert type_in("biblatex", rec) == "book"  # (BibTeX: a @misc, with no publisher; see above)
    rec.set("publisher", "Wiley", SRC)
    assert type_in("bibtex", rec) == "book"
    rec.set("journal", "Bone", SRC)
    assert type_in("csl", rec) == "article-journal"


def test_the_writer_and_the_checks_read_one_biblatex_model():
    """Every field the writer allows per BibLaTeX type is a field of the BibLaTeX model the checks hold, and
    every type the writer writes is a type of the model whose required fields REQ001 checks."""
    for kind, fields in BIBLATEX_FIELDS.items():
        assert fields <= BIBLATEX_FIELD_NAMES, (kind, fields - BIBLATEX_FIELD_NAMES)
        assert kind in REQUIRED["biblatex"]
    for types in KINDS.values():
        assert types[0] in REQUIRED["bibtex"] and types[1] in REQUIRED["biblatex"]
