"""mscbib's note on a record's citations (``Cites (mscbib):`` … and ``Cited by (mscbib): …``): one format, written by
:func:`mscbib.model.zotero_note` / :func:`mscbib.model.cited_by_line` in every format that carries a note, read
back by :func:`mscbib.sources.base.read_cites_note` in each reader of those formats. The seeds' library and cited
works (bib/library.bib, bib/cited.bib) and synthetic records."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from mscbib.model import Provenance, Record, Reference, zotero_note
from mscbib.sources.base import given_key, read_cites_note
from mscbib.sources.bibtex import BibtexFile
from mscbib.sources.csljson import CslJson
from mscbib.sources.ris import RisFile
from mscbib.writers import render_as

READERS = {"ris": RisFile(), "csljson": CslJson(), "bibtex": BibtexFile(), "biblatex": BibtexFile()}
SRC = Provenance(origin="page", file="synthetic.txt", line=1)


def seed_records() -> list[Record]:
    out = []
    for name in ("library.bib", "cited.bib"):
        out += BibtexFile().read((ROOT / "bib" / name).read_text(encoding="utf-8"), name).records
    return out


def citing(**kw) -> Record:
    """A synthetic citing record: three references, two keyed (one by DOI, one as printed, with a PMCID in its
    text), one not found."""
    rec = Record(source=SRC, key="citingKey2020")
    rec.set("title", "A synthetic citing work", SRC)
    rec.set("doi", "10.5555/citing", SRC)
    rec.references = [
        Reference(doi="10.5555/one", key="oneWork2001"),
        Reference(text="Smith J. A printed work. PMC1234567. PMID: 7654321", key="smithPrinted1999"),
        Reference(text="Nobody knows this one"),
    ]
    rec.cites = ["oneWork2001", "smithPrinted1999"]
    rec.cited_by = ["laterWork2024"]
    for name, value in kw.items():
        rec.set(name, value, SRC)
    return rec


def noted(rec: Record) -> list[tuple]:
    return [(r.key, r.doi, r.text) for r in rec.references if r.key]


@pytest.mark.parametrize("fmt", ["ris", "csljson", "bibtex", "biblatex", "zotero"])
def test_the_seeds_library_keeps_its_cites_through_every_format(fmt):
    records = seed_records()
    assert sum(bool(r.cites) for r in records) >= 1 and sum(bool(r.cited_by) for r in records) >= 5
    back = READERS.get(fmt, BibtexFile()).read(render_as(records, fmt), f"out.{fmt}")
    assert back.failures == []
    by_key = {r.key: r for r in back.records}
    assert set(by_key) == {r.key for r in records}  # the key comes back too (RIS ID, CSL citation-key)
    for rec in records:
        again = by_key[rec.key]
        assert again.cites == rec.cites, (fmt, rec.key)
        assert again.cited_by == rec.cited_by, (fmt, rec.key)
        assert noted(again) == noted(rec), (fmt, rec.key)


@pytest.mark.parametrize("fmt", ["ris", "csljson"])
def test_a_cited_works_identifiers_in_the_note_are_not_the_records(fmt):
    back = READERS[fmt].read(render_as([citing()], fmt), "out").records[0]
    assert back.doi == "10.5555/citing"
    assert back.get("pmcid") is None and back.get("pmid") is None  # PMC1234567 and PMID 7654321 are the cited work's
    assert back.cites == ["oneWork2001", "smithPrinted1999"] and back.cited_by == ["laterWork2024"]
    assert noted(back) == [
        ("oneWork2001", "10.5555/one", None),
        ("smithPrinted1999", None, "Smith J. A printed work. PMC1234567. PMID: 7654321"),
    ]
    assert [r.key for r in back.references] == ["oneWork2001", "smithPrinted1999"]


def test_one_note_in_every_format():
    rec = citing()
    note = zotero_note(rec)
    assert note == (
        "Cites (mscbib):\n[1] oneWork2001 doi:10.5555/one\n"
        "[2] smithPrinted1999 Smith J. A printed work. PMC1234567. PMID: 7654321"
    )
    ris = render_as([rec], "ris")
    assert "N1  - " + note.replace("\n", "\r\n") + "\r\n" in ris
    assert "N1  - Cited by (mscbib): laterWork2024\r\n" in ris
    assert json.loads(render_as([rec], "csljson"))[0]["note"] == "Cited by (mscbib): laterWork2024\n" + note
    assert "Cites (mscbib):\n[1] oneWork2001 doi:10.5555/one" in render_as([rec], "bibtex")


def test_cites_without_references_are_noted_and_read_back():
    """A .bib with a ``cites`` field alone (no note): its keys are the note's lines, so the formats without the
    field (RIS, CSL-JSON, BibLaTeX, Zotero's) keep them."""
    rec = BibtexFile().read("@article{a, title = {T}, year = {2001}, cites = {k1, k2}}\n", "a.bib").records[0]
    assert rec.references == [] and rec.cites == ["k1", "k2"]
    assert zotero_note(rec) == "Cites (mscbib):\n[1] k1\n[2] k2"
    for fmt in ("ris", "csljson", "biblatex", "zotero"):
        assert READERS.get(fmt, BibtexFile()).read(render_as([rec], fmt), "x").records[0].cites == ["k1", "k2"], fmt


def test_the_note_reader_stops_where_the_list_ends():
    note = read_cites_note("Cites (mscbib):\n[1] a doi:10.5555/X\n\n[2] b Printed.\nMy own remark\n[3] not a reference")
    assert [(r.key, r.doi, r.text) for r in note.references] == [("a", "10.5555/x", None), ("b", None, "Printed.")]
    assert note.cites == ["a", "b"] and note.cited_by == []
    assert read_cites_note("Cited by (mscbib): x, y").cited_by == ["x", "y"]
    assert read_cites_note(None).references == [] and read_cites_note("no note of mscbib").cites == []


def test_given_keys():
    assert given_key("smith2001") == "smith2001" and given_key("Watson:1953:MSN") == "Watson:1953:MSN"
    # EndNote numbers its records in ID; a space, comma or brace is no BibTeX key
    assert [given_key(v) for v in ("12", 12, "a b", "a,b", "{a}", "", None)] == [None] * 7


def test_endnotes_record_number_is_no_key():
    text = "TY  - JOUR\r\nTI  - A title\r\nID  - 42\r\nER  - \r\n"
    assert RisFile().read(text, "endnote.ris").records[0].key is None


def test_a_wrapped_ris_value_is_still_one_line():
    text = "TY  - JOUR\nTI  - A title that an export\n  wrapped onto two lines\nAB  - An abstract\nwrapped\nER  - \n"
    rec = RisFile().read(text, "wrapped.ris").records[0]
    assert rec.title == "A title that an export wrapped onto two lines" and rec.get("abstract") == "An abstract wrapped"


def test_a_key_with_an_underscore_comes_back_from_a_bib_note():
    """The BibTeX writer escapes the note (``doi978-94-007-4318-2\\_4``): it is read as text, so the key and the DOI
    come back as they were (the real recorded works cite Springer chapters keyed so)."""
    rec = citing()
    rec.references[0] = Reference(doi="10.1007/978-94-007-4318-2_4", key="doi978-94-007-4318-2_4")
    rec.cites[0] = "doi978-94-007-4318-2_4"
    for fmt in ("bibtex", "biblatex", "zotero"):
        back = BibtexFile().read(render_as([rec], fmt), "x.bib").records[0]
        assert back.cites == rec.cites, fmt
        assert noted(back)[0] == ("doi978-94-007-4318-2_4", "10.1007/978-94-007-4318-2_4", None), fmt


def test_a_cited_work_without_title_comes_back_by_its_key():
    """A cited work known by its journal, year and volume alone (as the recorded works' cited.bib has 21): RIS and
    CSL-JSON keep it by its key; a record with nothing to name it by is reported with its line, never dropped."""
    rec = Record(source=SRC, key="americanJournal2009", cited_by=["citingKey2020"])
    rec.set("journal", "American Journal of Respiratory and Critical Care Medicine", SRC)
    rec.set("year", "2009", SRC)
    for fmt in ("ris", "csljson"):
        back = READERS[fmt].read(render_as([rec], fmt), "x")
        assert back.failures == [] and [(r.key, r.cited_by) for r in back.records] == [(rec.key, rec.cited_by)], fmt
    empty = RisFile().read("TY  - JOUR\r\nPY  - 2009\r\nER  - \r\n", "y.ris")
    assert empty.records == [] and [(f.line, f.reason) for f in empty.failures] == [
        (1, "RIS record with neither a title, a DOI, an author nor a key")
    ]
