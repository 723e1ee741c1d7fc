"""validate.py: REQ001 has one implementation (validate.missing_required over validate.REQUIRED) that both
``mscbib build``'s validation (on records) and ``mscbib check`` (on .bib entries) use. Records here are
SYNTHETIC, made in the test."""

from __future__ import annotations

import pytest

from mscbib.bibfile import parse_bib
from mscbib.model import Person, Provenance, Record
from mscbib.validate import REQUIRED, missing_required, required_message, validate
from mscbib.validate.check import run_checks
from mscbib.writers.bibtex import render

SRC = Provenance("page", "seed.txt", 3)


def record(key: str = "k", **fields) -> Record:
    rec = Record(source=SRC, key=key)
    for name, value in fields.items():
        rec.set(name, value, SRC)
    return rec


def req001(findings) -> list[str]:
    return [f.message for f in findings if f.code == "REQ001"]


@pytest.mark.parametrize(
    "kind, have, model, missing",
    [
        ("article", {"author", "title", "journal"}, "bibtex", [("year",)]),
        ("article", {"author", "title", "journal", "year"}, "bibtex", []),
        ("article", {"author", "title", "journaltitle", "date"}, "biblatex", []),  # alternatives count
        ("article", {"author", "title", "journaltitle", "date"}, "bibtex", [("journal",), ("year",)]),
        ("book", {"title", "publisher", "year"}, "bibtex", [("author", "editor")]),
        ("online", {"author", "title", "date"}, "biblatex", [("doi", "eprint", "url")]),
        ("misc", set(), "bibtex", []),
    ],
)
def test_missing_required_per_data_model(kind, have, model, missing):
    assert missing_required(kind, have.__contains__, model) == missing


def test_unknown_type_is_none_not_empty():
    assert missing_required("online", set().__contains__, "bibtex") is None  # a BibLaTeX-only type
    assert missing_required("nosuchtype", set().__contains__, "biblatex") is None


def test_build_validation_reports_what_the_written_entry_lacks():
    rec = record(
        type="journal-article", title="Bone marrow stromal cells", journal="Bone", authors=[Person("Okafor", "Chidi")]
    )
    assert req001(validate([rec])) == [
        "@article without year (required in the bibtex data model): the input does not state it and Crossref "
        "did not supply it"
    ]
    rec.set("year", "2019", SRC)
    assert req001(validate([rec])) == []
    # a journal abbreviation alone is written as `journal`, so it satisfies the requirement
    abbrev = record(
        type="journal-article",
        title="T",
        journal_abbrev="J Exp Haematol",
        year="2019",
        authors=[Person("Okafor", "Chidi")],
    )
    assert req001(validate([abbrev])) == []


@pytest.mark.parametrize(
    "fields",
    [
        dict(type="journal-article", title="Tumour growth", journal="Bone", authors=[Person("Rossi", "Anna")]),
        dict(type="book", title="Adaptive responses", year="2001"),
        dict(type="book-chapter", title="Hypoxia", authors=[Person("Kim", "Li")], year="2010", journal="Handbook"),
        dict(type="journal-article", title="Complete", journal="Bone", year="2020", authors=[Person("Singh", "Raj")]),
        # the writer names a thesis's / report's publishing body where BibTeX requires it: nothing is missing
        dict(
            type="dissertation",
            title="Stromal niches",
            authors=[Person("Diallo", "Awa")],
            year="2018",
            publisher="University of Dakar",
        ),
        dict(type="report", title="Annual survey", authors=[Person("Berg", "Ola")], year="2018", publisher="WHO"),
        dict(type="report", title="Unpublished survey", authors=[Person("Berg", "Ola")], year="2018"),
    ],
)
def test_build_and_check_agree_on_the_written_entry(fields):
    """What build's validation says a record lacks is exactly what `mscbib check` says of the entry written
    from it (same table, same function)."""
    rec = record(key="x", **fields)
    bib = parse_bib(render([rec]), "lib.bib")
    from_check = req001(run_checks(bib, model="bibtex").findings)
    from_build = [m.split(": the input")[0] for m in req001(validate([rec]))]
    assert from_check == from_build
    kind = bib.entries[0].type
    assert from_check == [
        required_message(kind, o) for o in missing_required(kind, bib.entries[0].by_name.__contains__)
    ]


def test_one_table_for_both_models():
    assert set(REQUIRED) == {"bibtex", "biblatex"}
    import mscbib.validate.check.checks as checks

    assert checks.REQUIRED is REQUIRED


def status(findings) -> list[tuple[str, str, str]]:
    return [(f.code, f.severity.value, f.field) for f in findings if f.code.startswith("STA")]


def test_the_inputs_own_retraction_and_erratum_notices_are_reported_offline():
    from pathlib import Path

    from mscbib.sources import read_file

    corpus = Path(__file__).resolve().parent / "corpus"
    retracted = read_file(corpus / "pubmed_retraction.txt").records  # "Retraction in:" + "Retracted Publication"
    assert status(validate(retracted)) == [("STA001", "error", "notices")]  # one finding, not one per sign
    found = [f for f in validate(retracted) if f.code == "STA001"][0]
    assert found.line == 28 and "Retraction in: Retraction--Ileal-lymphoid-nodular hyperplasia" in found.message
    corrected = read_file(corpus / "pubmed_erratum_keywords.txt").records
    assert status(validate(corrected)) == [("STA002", "warning", "notices")]
    # the publication type alone says retracted too; a comment says nothing about the work's status
    typed = record(
        type="journal-article",
        title="T",
        publication_types=["Journal Article", "Retracted Publication"],
        notices=["Comment in: Letter. Lancet. 2004."],
    )
    assert status(validate([typed])) == [("STA001", "error", "publication_types")]
    assert status(validate([record(notices=["Comment in: Letter. Lancet. 2004."])])) == []


# -- issue 12 item 8: build flags what check flags (mojibake, capitals), with check's functions ------------------
ODD_RIS = """TY  - JOUR
AU  - MÃ¼ller, Hans
TI  - GROWTH HORMONE AND MUSCLE STRENGTH IN OLD RATS
JO  - Journal of Gerontology
PY  - 1999
ER  -
"""  # SYNTHETIC: a RIS export read with the wrong encoding once, its title typed in capitals


def test_build_flags_mojibake_and_capitals_as_check_does(tmp_path):
    from mscbib.pipeline.build import build
    from mscbib.services.crossref import Cache, CrossrefClient

    src = tmp_path / "odd.ris"
    src.write_text(ODD_RIS, encoding="utf-8")
    out = tmp_path / "lib.bib"
    result = build([str(src)], str(out), CrossrefClient(cache=Cache(tmp_path / "c.sqlite3"), offline=True))
    built = {(f.code, f.line) for f in result.findings if f.code in ("TXT003", "TTL001")}
    assert built == {("TXT003", 2), ("TTL001", 3)}  # the RIS lines of the author and the title
    message = next(f.message for f in result.findings if f.code == "TXT003")
    assert "'Ã¼'" in message and "UTF-8 read as Latin-1" in message
    checked = run_checks(parse_bib(out.read_text(encoding="utf-8"), str(out)))
    assert {f.code for f in checked.findings if f.code in ("TXT003", "TTL001")} == {"TXT003", "TTL001"}
    assert {f.message for f in checked.findings if f.code == "TTL001"} == {
        f.message for f in result.findings if f.code == "TTL001"
    }


def test_a_real_all_caps_title_from_crossref_is_flagged_by_build(tmp_path, shared):
    """Fenton & Rands 2006 (Ecology) is registered with its title in capitals."""
    from mscbib.pipeline.build import build
    from mscbib.services.crossref import Cache, CrossrefClient
    from mscbib.testing.crossref_standin import CrossrefStandIn, load_works

    work = load_works([shared / "crossref-samples" / "work-10.1890_0012-9658_2006_87_2832_tiopma_2.0.co_2.json"])
    src = tmp_path / "dois.txt"
    src.write_text(work[0]["DOI"] + "\n", encoding="utf-8")
    with CrossrefStandIn(work) as cr:
        result = build([str(src)], None, CrossrefClient(cr.url, cache=Cache(tmp_path / "c.sqlite3")), references=False)
    assert [f.code for f in result.findings if f.code == "TTL001"] == ["TTL001"]


def test_check_does_not_run_the_record_versions_twice():
    bib = parse_bib("@article{k, author = {MÃ¼ller, Hans}, title = {GROWTH HORMONE AND MUSCLE STRENGTH}}\n", "x.bib")
    codes = [f.code for f in run_checks(bib).findings]
    assert codes.count("TXT003") == 1 and codes.count("TTL001") == 1


def _real_records():
    """Every record the readers make of the seeds and the corpus inputs (real pages and exports; the corpus
    README says which are synthetic)."""
    from pathlib import Path

    from mscbib.sources import read_file

    root = Path(__file__).resolve().parents[1]
    paths = sorted((root / "seeds").glob("*.txt")) + sorted(
        p
        for p in (root / "tests" / "corpus").iterdir()
        if p.suffix not in (".json", ".md") or p.name.endswith(".csl.json")
    )
    out = []
    for p in paths:
        out += read_file(p).records
    return out


def test_required_fields_are_read_from_the_data_model_not_from_a_rendered_entry():
    """REQ001 in `build` asks datamodel.written_bibtex_fields which fields the writer would write (no value
    rendered); on every real record, under every record kind, it names exactly the REQUIRED fields that
    the writer's entry_fields writes."""
    from mscbib.datamodel import KINDS, REQUIRED, type_in, written_bibtex_fields
    from mscbib.writers.bibtex import entry_fields

    required = {
        o for need in REQUIRED["bibtex"].values() for n in need for o in (n if isinstance(n, tuple) else (n,))
    }  # build validates the BibTeX model
    records = _real_records()
    assert len(records) >= 40
    compared = 0
    for rec in records:
        for kind in [rec.get("type"), *KINDS]:
            if kind:
                rec.set("type", kind, rec.source)
            entry_kind = type_in("bibtex", rec)
            written = {name for name in entry_fields(rec, "bibtex") if name in required}
            assert written_bibtex_fields(rec, entry_kind) == written, (rec.label(), kind)
            compared += 1
    assert compared >= 40 * len(KINDS)
