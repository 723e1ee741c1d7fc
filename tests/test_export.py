"""Export: every format reads back into mscbib with no change, and what Zotero is sent fits its schema."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import ROOT
from mscbib.cli import main
from mscbib.model import Person, Provenance, Record
from mscbib.sources.bibtex import BibtexFile
from mscbib.sources.csljson import CslJson
from mscbib.sources.ris import RisFile
from mscbib.writers import WRITERS, render_as
from mscbib.writers.csljson import item_from_record

SRC = Provenance("page", "synthetic.txt", 1)  # hand-made records: synthetic
READERS = {
    "bibtex": BibtexFile(),
    "biblatex": BibtexFile(),
    "zotero": BibtexFile(),
    "ris": RisFile(),
    "csljson": CslJson(),
}
# What a format cannot say and its reader therefore cannot give back (see the writers' docstrings).
# BibLaTeX: biblatex's data model has no publisher for @article and one ISSN per entry (writers/bibtex.py).
NOT_CARRIED = {
    "ris": {"type"},
    "csljson": {"type"},
    "bibtex": set(),
    "zotero": set(),
    "biblatex": {"publisher", "issn"},
}


# What the readers of issue 3 do not yet read back (none left: the RIS, CSL-JSON and BibTeX readers read
# the "Author list incomplete" note, organisations in AU, and BibLaTeX's eprint/PMCID note back).
READER_GAPS: dict[str, set[str]] = {}


def record(key, **fields):
    rec = Record(source=SRC, key=key)
    for k, v in fields.items():
        rec.set(k, v, SRC)
    return rec


def rich_records():
    return [
        record(
            "mullerRoleMSCsBeta2020",
            title="Role of MSCs in β-cell & tumour growth: TGFβ1 at 100% of CO₂",
            authors=[
                Person("Müller", "Jörg"),
                Person("", literal="GTEx Consortium"),
                Person("van Beethoven", "Ludwig"),
                Person("Smith", "John", suffix="Jr."),
            ],
            authors_complete=True,
            journal="Stem Cells & Development",
            journal_abbrev="Stem Cells Dev",
            year="2020",
            month=3,
            day=7,
            volume="12",
            issue="4",
            pages="1--10",
            doi="10.1000/x_y",
            pmid="12345678",
            pmcid="PMC7654321",
            issn=["1066-5099", "1549-4918"],
            keywords=["MSC", "tumour microenvironment"],
            abstract="We show $x_2$ and {braces} # 50% ~ ^.",
            publisher="Wiley",
            language="en",
            type="journal-article",
        ),
        record(
            "doeBook2001",
            title="A book on things",
            authors=[Person("Doe", "Jane")],
            year="2001",
            publisher="Springer",
            isbn=["978-3-319-53923-2"],
            type="book",
            authors_complete=True,
        ),
    ]


def library_records():
    return BibtexFile().read((ROOT / "bib" / "library.bib").read_text(encoding="utf-8"), "library.bib").records


def _comparable(rec: Record, skip: set[str]) -> dict:
    return {k: v.value for k, v in rec.items() if k not in skip}


@pytest.mark.parametrize("fmt", sorted(WRITERS))
@pytest.mark.parametrize("which", ["rich", "library"])
def test_every_format_reads_back_unchanged(fmt, which):
    # the records as mscbib reads them from a .bib: the form every export starts from
    source = rich_records() if which == "rich" else library_records()
    first = BibtexFile().read(render_as(source, "bibtex"), "a.bib").records
    text = render_as(first, fmt)
    back = READERS[fmt].read(text, f"out.{fmt}")
    assert back.failures == []
    assert len(back.records) == len(first)
    skip = NOT_CARRIED[fmt] | READER_GAPS.get(fmt, set())
    for a, b in zip(sorted(first, key=lambda r: r.key), back.records):
        assert _comparable(b, skip) == _comparable(a, skip), a.key


@pytest.mark.parametrize("fmt", ["ris", "csljson"])
def test_incomplete_author_list_reads_back(fmt):
    rec = record("k", title="T", authors=[Person("Bergfeld", "Scott A")], authors_complete=False, year="2010")
    back = READERS[fmt].read(render_as([rec], fmt), "x").records[0]
    assert back.get("authors_complete") is False


def test_biblatex_pubmed_ids_read_back():
    back = BibtexFile().read(render_as(rich_records()[:1], "biblatex"), "x.bib").records[0]
    assert (back.get("pmid"), back.get("pmcid")) == ("12345678", "PMC7654321")


def test_ris_organisation_reads_back():
    back = RisFile().read(render_as(rich_records()[:1], "ris"), "x.ris").records[0]
    assert Person("", literal="GTEx Consortium") in back.authors


def test_biblatex_dialect_fields():
    text = render_as(rich_records()[:1], "biblatex")
    assert "journaltitle = {Stem Cells \\& Development}" in text
    assert "date = {2020-03-07}" in text and "year =" not in text and "month =" not in text
    assert "eprint = {12345678}" in text and "eprinttype = {pubmed}" in text
    assert "note = {PMCID: PMC7654321}" in text and "pmid =" not in text and "pmcid =" not in text


def test_ascii_writes_latex_for_every_non_ascii_character():
    text = render_as(rich_records()[:1], "bibtex", ascii=True)
    assert text.isascii()
    assert 'M{\\"u}ller, J{\\"o}rg' in text
    utf8 = render_as(rich_records()[:1], "bibtex")
    assert "Müller, Jörg" in utf8 and "β" not in utf8 and "{$\\beta$}" in utf8


def test_ris_is_what_zotero_keeps():
    text = render_as(rich_records()[:1], "ris")
    lines = text.split("\r\n")
    assert lines[0] == "TY  - JOUR" and "ER  - " in lines
    assert "AU  - Müller, Jörg" in lines and "AU  - GTEx Consortium" in lines and "AU  - Smith, John, Jr." in lines
    assert {
        "KW  - MSC",
        "KW  - tumour microenvironment",
        "SN  - 1066-5099",
        "SN  - 1549-4918",
        "J2  - Stem Cells Dev",
        "SP  - 1",
        "EP  - 10",
        "DA  - 2020/03/07/",
        "AN  - 12345678",
        "C2  - PMC7654321",
    } <= set(lines)


def test_cited_references_go_into_a_note():
    rec = rich_records()[0]
    rec.cites = ["hassDifferent2011", "jinComparative2013"]
    note = "Cites (mscbib):\n[1] hassDifferent2011\n[2] jinComparative2013"  # model.zotero_note, in every format
    assert "N1  - " + note.replace("\n", "\r\n") + "\r\n" in render_as([rec], "ris")
    assert item_from_record(rec)["note"] == note


def test_csljson_fits_zoteros_schema(shared):
    schema = json.loads((shared / "zotero-schema" / "schema.json").read_text(encoding="utf-8"))
    csl = schema["csl"]
    variables = set(csl["fields"]["text"]) | set(csl["fields"]["date"]) | set(csl["names"].values())
    # a type's own fields and the base fields they stand for (bookSection's bookTitle is a publicationTitle)
    fields_of = {
        t["itemType"]: {f["field"] for f in t["fields"]} | {f["baseField"] for f in t["fields"] if "baseField" in f}
        for t in schema["itemTypes"]
    }
    # CSL variables that are not Zotero fields but that Zotero's CSL import reads: id, type, keyword
    # (pandoc), container-title-short (written beside journalAbbreviation); available-date, the online-first date
    # beside `issued` (standard CSL that pandoc and citeproc read; Zotero has no field for it)
    extra = {"id", "type", "keyword", "container-title-short", "available-date"}
    recs = rich_records() + library_records()
    if (shared / "crossref-samples").is_dir():  # the recorded works: places, editions, licences, online dates
        from mscbib.keys import assign_keys
        from mscbib.services.crossref.mapping import record_from_work

        works = [
            record_from_work(json.loads(p.read_text(encoding="utf-8"))["message"])
            for p in sorted((shared / "crossref-samples").glob("work-*.json"))
        ]
        assign_keys(works)
        recs += works
    items = json.loads(render_as(recs, "csljson"))
    assert {"publisher-place", "edition", "license", "available-date"} <= {v for i in items for v in i}
    for item in items:
        assert item["type"] in csl["types"], item["type"]
        assert set(item) - variables - extra == set(), item["id"]
        zotero_type = csl["types"][item["type"]][0]
        for var in set(item) & set(csl["fields"]["text"]):
            assert set(csl["fields"]["text"][var]) & fields_of[zotero_type], (item["type"], var)
        for name in item.get("author", []):
            assert set(name) <= {"family", "given", "suffix", "literal"} and not any("{" in v for v in name.values())
        assert "{" not in item.get("title", "")


def test_export_command(tmp_path):
    lib = tmp_path / "lib.bib"
    lib.write_text(render_as(rich_records(), "bibtex"), encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(main, ["export", "--to", "csljson", str(lib)])
    assert out.exit_code == 0, out.output
    assert [i["id"] for i in json.loads(out.output)] == ["doeBook2001", "mullerRoleMSCsBeta2020"]
    res = runner.invoke(main, ["export", "--to", "ris", "-o", str(tmp_path / "x.ris"), str(lib)])
    assert res.exit_code == 0 and res.output == ""
    assert (tmp_path / "x.ris").read_text(encoding="utf-8").startswith("TY  - BOOK")
    bad = tmp_path / "bad.bib"
    bad.write_text(lib.read_text(encoding="utf-8") + "\n@article{broken, title = {x}\n", encoding="utf-8")
    res = runner.invoke(main, ["export", "--to", "bibtex", str(bad)])
    assert res.exit_code == 2 and "bad.bib:" in res.stderr
