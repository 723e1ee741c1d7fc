"""Extraction from the three seed pages: every field the page states, with its line; nothing invented."""

from __future__ import annotations

import pytest

from conftest import SEEDS
from mscbib.sources import detect, read_file, read_text

CATALOG = SEEDS / "000_d87016ac943063e5.txt"
PUBMED_NO_DOI = SEEDS / "002_e98953a2bc270a0f.txt"
PUBMED = SEEDS / "004_899c7bae68d53af6.txt"


def one(path):
    result = read_file(path)
    assert result.failures == []
    assert len(result.records) == 1
    return result.records[0]


def line_of(rec, name):
    return rec.origin_of(name).line


def test_each_seed_is_recognised_by_content():
    assert detect(CATALOG.read_text()).name == "catalog"
    assert detect(PUBMED.read_text()).name == "pubmed"
    assert detect(PUBMED_NO_DOI.read_text()).name == "pubmed"


def test_catalog_record():
    rec = one(CATALOG)
    assert rec.doi == "10.1186/s40164-025-00688-7"
    assert rec.title == "Tumor-associated mesenchymal stem/stromal cells in tumor microenvironment and carcinogenesis"
    assert [(p.given, p.family) for p in rec.authors] == [
        ("Li", "Sun"),
        ("Xiaoli", "Cao"),
        ("Baocheng", "Zhou"),
        ("Jingyu", "Mei"),
        ("Xinlan", "Zhao"),
        ("Yuanyuan", "Li"),
        ("Yongliang", "Yao"),
        ("Mei", "Wang"),
    ]
    assert rec.get("authors_complete") is True
    assert rec.get("journal") == "Experimental Hematology & Oncology"
    assert rec.get("publisher") == "BMC"
    assert (rec.get("year"), rec.get("month"), rec.get("day")) == ("2025", 7, 1)
    assert rec.get("issn") == ["2162-3619"]
    assert rec.get("language") == "English"
    assert rec.get("type") == "journal-article"  # the catalog's "Format: Article"
    # the full Summary, not the truncated teaser above "Full description", without the "Abstract" label
    assert rec.get("abstract").startswith("Mesenchymal stem/stromal cells (MSCs) possess significant potential")
    assert rec.get("abstract").endswith("tumor diagnosis, prognosis prediction, and therapy.")
    # provenance: the line each value was read from
    assert {n: line_of(rec, n) for n in ("title", "authors", "year", "journal", "doi", "abstract", "issn")} == {
        "title": 1,
        "authors": 9,
        "year": 12,
        "journal": 13,
        "doi": 15,
        "abstract": 19,
        "issn": 20,
    }
    # not stated on the page: never invented
    for name in ("volume", "issue", "pages", "pmid", "journal_abbrev", "keywords"):
        assert name not in rec, name
    assert rec.references == []


def test_pubmed_page_with_doi():
    rec = one(PUBMED)
    assert rec.doi == "10.1007/s10555-010-9222-7"
    assert rec.title == "Bone marrow-derived mesenchymal stem cells and the tumor microenvironment"
    assert [(p.given, p.family) for p in rec.authors] == [("Scott A", "Bergfeld")]
    assert rec.get("authors_complete") is False  # "et al."
    assert rec.get("journal_abbrev") == "Cancer Metastasis Rev"
    assert (rec.get("year"), rec.get("month"), rec.get("volume"), rec.get("issue"), rec.get("pages")) == (
        "2010",
        6,
        "29",
        "2",
        "249--261",
    )
    assert rec.get("type") == "journal-article" and rec.get("publication_types") == ["Review"]
    assert rec.get("abstract").startswith("Over the last decade, there has been a growing interest")
    assert rec.get("abstract").endswith("with a primary focus on bone marrow-derived MSC.")
    assert {n: line_of(rec, n) for n in ("doi", "title", "authors", "volume", "abstract")} == {
        "doi": 19,
        "title": 21,
        "authors": 28,
        "volume": 18,
        "abstract": 32,
    }
    for name in ("journal", "issn", "publisher", "keywords", "day"):
        assert name not in rec, name


def test_pubmed_page_without_doi_or_year():
    rec = one(PUBMED_NO_DOI)
    assert rec.doi is None and "year" not in rec
    assert rec.title == ("Mesenchymal Stromal Cells' Role in Tumor Microenvironment: Involvement of Signaling Pathways")
    assert (rec.get("volume"), rec.get("issue"), rec.get("pages")) == ("14", "2", "129--141")
    assert rec.get("journal_abbrev") == "Cancer Biol Med"
    assert rec.authors[0].family == "Kamdje" and rec.get("authors_complete") is False
    assert rec.get("keywords") == [
        "Mesenchymal stromal cells",
        "chemoresistance",
        "homing",
        "migration",
        "signaling pathways",
        "systemic circulation",
        "tumor modulation",
    ]
    abstract = rec.get("abstract")
    assert abstract.startswith("Mesenchymal stromal cells (MSCs) are adult multipotent stem cells")
    assert abstract.endswith("therapeutic potential of MSCs are also discussed.")
    assert "TGFβ1" not in abstract  # the figure legend after the keywords is not the abstract
    assert len(rec.references) == 5
    assert [r.source.line for r in rec.references] == [30, 31, 32, 33, 34]


@pytest.mark.parametrize("seed", [CATALOG, PUBMED, PUBMED_NO_DOI])
def test_boilerplate_is_never_data(seed):
    rec = one(seed)
    chrome = (
        "Skip to main page content",
        "Similar articles",
        "Cited by 7 articles",
        "Tags: Add Tag",
        "PubMed Disclaimer",
        "LinkOut",
        "Full description",
        "NCBI",
    )
    for name, value in rec.items():
        for phrase in chrome:
            assert phrase not in str(value.value), (name, phrase)


def test_doi_list(tmp_path):
    f = tmp_path / "dois.txt"
    f.write_text(
        "# my reading list\n10.1007/S10555-010-9222-7\n\nhttps://doi.org/10.1186/s40164-025-00688-7  # BMC\n"
        "doi:10.20892/j.issn.2095-3941.2017.0014.\n"
    )
    result = read_file(f)
    assert result.failures == []
    assert [r.doi for r in result.records] == [
        "10.1007/s10555-010-9222-7",
        "10.1186/s40164-025-00688-7",
        "10.20892/j.issn.2095-3941.2017.0014",
    ]
    assert [r.source.line for r in result.records] == [2, 4, 5]


def test_doi_list_reports_a_bad_line_and_keeps_the_rest(tmp_path):
    f = tmp_path / "dois.txt"
    f.write_text(
        "10.1007/s10555-010-9222-7\n10.1186/s40164-025-00688-7\n10.1038/ng.3834\n"
        "10.1371/journal.pone.0000030\nnot a doi at all\n"
    )
    result = read_file(f)
    assert len(result.records) == 4
    assert len(result.failures) == 1
    assert result.failures[0].line == 5 and "not a DOI" in result.failures[0].reason


def test_unrecognised_input_names_the_file(tmp_path):
    f = tmp_path / "shopping.txt"
    f.write_text("eggs\nmilk\nbread\n")
    result = read_file(f)
    assert result.records == []
    assert result.failures[0].file == str(f)
    assert "not a recognised input" in result.failures[0].reason


@pytest.mark.parametrize(
    "data,reason",
    [(b"\x00\x01binary", "binary"), (b"caf\xe9 au lait\n", "not a recognised input"), (b"   \n", "empty")],
)
def test_unreadable_files_are_failures_not_crashes(tmp_path, data, reason):
    f = tmp_path / "bad.txt"
    f.write_bytes(data)
    result = read_file(f)
    assert result.records == [] and reason in result.failures[0].reason


def test_partial_pubmed_copy_gives_what_is_there():
    text = "Cancer Metastasis Rev. 2010 Jun;29(2):249-61.\ndoi: 10.1007/s10555-010-9222-7.\n"
    result = read_text(text, "clip.txt")
    rec = result.records[0]
    assert rec.doi == "10.1007/s10555-010-9222-7"
    assert (rec.get("journal_abbrev"), rec.get("year"), rec.get("pages")) == (
        "Cancer Metastasis Rev",
        "2010",
        "249--261",
    )
    assert rec.title is None
