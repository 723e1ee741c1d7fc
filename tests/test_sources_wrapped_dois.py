"""DOIs a copy broke across lines, through every reader (issue 3). The inline texts are synthetic: each
reproduces the shape its format gives, with the DOI wrapped where a PDF or narrow-window copy wraps it."""

from __future__ import annotations

from pathlib import Path

from mscbib.sources import read_file, read_text

CORPUS = Path(__file__).resolve().parent / "corpus"


def test_landing_page_wrapped_doi_and_references():
    result = read_file(CORPUS / "sciencedirect_wrapped_doi.txt")
    (rec,) = result.records
    assert rec.doi == "10.1016/j.canlet.2019.01.023"
    assert rec.origin_of("doi").line == 26  # the line the DOI starts on: line numbers are kept
    assert [r.doi for r in rec.references] == ["10.3322/caac.21660", "10.1016/j.cell.2011.02.013"]


def test_pdf_reference_list_joins_wraps_but_not_a_following_line():
    result = read_file(CORPUS / "pdf_refs_wrapped.txt")
    assert [r.doi for r in result.records] == [
        "10.3322/caac.21660",
        "10.1016/j.cell.2011.02.013",
        "10.1038/s41586-020-2012-7",
        "10.3322/caac.21492",
        "10.1038/s41586-021-03819-2",
        "10.1371/journal.pmed.0020124",
    ]
    assert [r.source.line for r in result.records] == [1, 5, 8, 11, 14, 17]
    assert result.failures == []


def test_sici_doi_on_a_landing_page():
    (rec,) = read_file(CORPUS / "wiley_sici.txt").records
    assert rec.doi == "10.1002/(sici)1097-0142(19990101)85:1<1::aid-cncr1>3.0.co;2-#"


def test_ris_wrapped_doi():
    text = (
        "TY  - JOUR\nTI  - Stromal fibroblasts and organoids\nAU  - Lindqvist, Hanna\nPY  - 2019\n"
        "DO  - 10.1016/j.canlet.\n2019.01.023\nER  - \n"
    )
    result = read_text(text, "x.ris")
    assert [r.doi for r in result.records] == ["10.1016/j.canlet.2019.01.023"]
    assert result.failures == []


def test_medline_wrapped_doi_in_a_continuation_line_stays_one_record():
    text = (
        "PMID- 30684591\nTI  - Stromal fibroblasts and organoids.\nAB  - Reads are at\n"
        "      https://doi.org/10.5281/zenodo.\n      2541234. Code on request.\n"
        "FAU - Lindqvist, Hanna\nSO  - Cancer Lett. 2019;448:11-19. doi:\n      10.1016/j.canlet.\n"
        "      2019.01.023.\n"
    )
    result = read_text(text, "x.nbib")
    (rec,) = result.records
    assert rec.get("abstract") == "Reads are at https://doi.org/10.5281/zenodo.2541234. Code on request."
    assert rec.authors and rec.authors[0].family == "Lindqvist"
    assert result.failures == []


def test_bibtex_wrapped_doi():
    text = (
        "@article{lindqvist2019,\n  title = {Stromal fibroblasts and organoids},\n"
        "  author = {Lindqvist, Hanna},\n  year = {2019},\n  doi = {10.1016/j.canlet.\n    2019.01.023},\n}\n"
    )
    (rec,) = read_text(text, "x.bib").records
    assert rec.doi == "10.1016/j.canlet.2019.01.023"


def test_pubmed_page_wrapped_doi_and_a_doi_before_a_sentence():
    text = (
        "Cancer Lett\n. 2019 May 1;448:11-19.\ndoi: 10.1016/j.canlet.\n2019.01.023.\n"
        "Stromal fibroblasts shape the response of colorectal organoids to oxaliplatin\n"
    )
    (rec,) = read_text(text, "x.txt").records
    assert rec.doi == "10.1016/j.canlet.2019.01.023"


def test_identifier_list_lines_stay_apart():
    # a DOI copied with a full stop, then a PMID: two identifiers, never "10.1016/j.canlet.30684591"
    result = read_text("10.1016/j.canlet.2019.01.023.\n30684591\n", "ids.txt")
    assert [(r.doi, r.get("pmid")) for r in result.records] == [
        ("10.1016/j.canlet.2019.01.023", None),
        (None, "30684591"),
    ]
