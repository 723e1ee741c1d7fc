"""Received / accepted / published dates, from every reader that sees them (issue 3). Inline texts are
synthetic, in the shapes the formats give; the corpus documents' dates are checked in test_sources_corpus."""

from __future__ import annotations

import json

from mscbib.sources import read_text


def _dates(rec):
    return rec.get("received"), rec.get("accepted"), rec.get("published")


def test_csl_json_submitted_and_available_date():
    item = {
        "type": "article-journal",
        "title": "Organoids and fibroblasts",
        "issued": {"date-parts": [[2019, 5, 1]]},
        "submitted": {"date-parts": [[2018, 10, 3]]},
        "available-date": {"date-parts": [["2019", "1"]]},
    }
    (rec,) = read_text(json.dumps([item]), "x.json").records
    assert _dates(rec) == ("2018-10-03", None, "2019-01")
    assert (rec.get("year"), rec.get("month"), rec.get("day")) == ("2019", 5, 1)


def test_medline_phst_and_dep():
    text = (
        "PMID- 30684591\nTI  - Organoids and fibroblasts.\nDP  - 2019 May 1\nDEP - 20190122\n"
        "PHST- 2018/10/03 00:00 [received]\nPHST- 2019/01/09 00:00 [revised]\nPHST- 2019/01/14 00:00 [accepted]\n"
        "PHST- 2019/01/27 06:00 [pubmed]\n"
    )
    (rec,) = read_text(text, "x.nbib").records
    assert _dates(rec) == ("2018-10-03", "2019-01-14", "2019-01-22")
    assert rec.origin_of("received").line == 5


def test_medline_aheadofprint_without_dep():
    text = "PMID- 1\nTI  - Organoids and fibroblasts.\nPHST- 2024/03/12 00:00 [aheadofprint]\n"
    (rec,) = read_text(text, "x.nbib").records
    assert _dates(rec) == (None, None, "2024-03-12")


def test_pubmed_epub_on_the_citation_line_not_from_a_notice():
    text = (
        "Cancer Lett\n. 2019 May 1;448:11-19. doi: 10.1016/j.canlet.2019.01.023. Epub 2019 Jan 22.\n\n"
        "Stromal fibroblasts shape the response of colorectal organoids to oxaliplatin\n\n"
        "Hanna Lindqvist 1, Yuki Nakamura 1\n\nErratum in\n\nCancer Lett. 2020 Jan 1;468:1. Epub 2019 Oct 2.\n"
    )
    (rec,) = read_text(text, "x.txt").records
    assert _dates(rec) == (None, None, "2019-01-22")
    assert rec.origin_of("published").line == 2


def test_landing_history_on_one_line_and_no_date_where_the_page_has_none():
    page = (
        "Frontiers in Oncology\nORIGINAL RESEARCH article\nFront. Oncol., 14 March 2023\n"
        "https://doi.org/10.3389/fonc.2023.1100001\nOrganoids and fibroblasts in colorectal cancer\n"
        "Received: 30 December 2022; Accepted: 20 February 2023;\nPublished: 14 March 2023.\n"
    )
    (rec,) = read_text(page, "x.txt", "landing").records
    assert _dates(rec) == ("2022-12-30", "2023-02-20", "2023-03-14")
    bare = (
        "Cite this article\nhttps://doi.org/10.3389/fonc.2023.1100001\nOrganoids and fibroblasts in colorectal cancer\n"
    )
    (rec,) = read_text(bare, "x.txt", "landing").records
    assert _dates(rec) == (None, None, None)


def test_ris_access_date_is_not_a_publication_date():
    text = "TY  - JOUR\nTI  - Organoids and fibroblasts\nY2  - 2024/05/01/\nER  - \n"
    (rec,) = read_text(text, "x.ris").records
    assert rec.get("year") is None and _dates(rec) == (None, None, None)
