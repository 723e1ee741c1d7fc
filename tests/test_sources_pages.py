"""Page layouts read by the landing reader, and what makes a page PubMed's. Inputs are synthetic (written for
these tests); full documents are in tests/corpus/."""

from __future__ import annotations

from mscbib.sources import detect, read_text
from mscbib.sources._common import printed_pages
from mscbib.sources.pubmed import PubMedPage

# a cell.com copy cut to its header and reference list: no DOI line, no history, but reference lines that
# look like PubMed citation lines
CELL_REPORTS = """Cell Reports
Article
Volume 42, Issue 3, 112190, March 28, 2023
Open access
A corpus title about mitochondrial stress in neurons
Ana Ruiz1 ∙ Bo Chen2,3 ∙ … ∙ Carla Nunes1,4 carla@example.org
Highlights
References
1.
Aibar, S. ∙ González-Blas, C.B. ∙ Moerman, T. ...
SCENIC: single-cell regulatory network inference and clustering
Nat. Methods. 2017; 14:1083-1086
Crossref
Scopus (2105)
PubMed
Google Scholar
2.
Butler, A. ∙ Hoffman, P. ∙ Smibert, P. ...
Integrating single-cell transcriptomic data across different conditions
Nat. Biotechnol. 2018; 36:411-420
Crossref
PubMed
Google Scholar
Cited by (12)
Article metrics
Related articles
"""


def test_a_publisher_page_is_not_pubmed_for_its_reference_lines():
    assert not PubMedPage().match(CELL_REPORTS)
    assert PubMedPage().match("Cell\n. 2016 Jan 14;164(1-2):337-40.\ndoi: 10.1016/j.cell.2015.12.041.\n")


def test_cell_article_number_layout():
    assert detect(CELL_REPORTS).name == "landing"
    rec = read_text(CELL_REPORTS, "cell.txt").records[0]
    assert (
        rec.get("journal"),
        rec.get("volume"),
        rec.get("issue"),
        rec.get("pages"),
        rec.get("year"),
        rec.get("month"),
    ) == ("Cell Reports", "42", "3", "112190", "2023", 3)
    assert rec.title == "A corpus title about mitochondrial stress in neurons"
    assert [(p.family, p.given) for p in rec.authors] == [("Ruiz", "Ana"), ("Chen", "Bo"), ("Nunes", "Carla")]
    assert rec.get("authors_complete") is False
    assert [(r.journal, r.volume, r.pages) for r in rec.references] == [
        ("Nat. Methods", "14", "1083--1086"),
        ("Nat. Biotechnol", "36", "411--420"),
    ]


def test_printed_pages_keep_the_online_supplement():
    assert printed_pages("1888–1902.e21") == "1888--1902.e21"
    assert printed_pages("1888-902.e21") == "1888--1902.e21"
    assert printed_pages("112190") == "112190"
    assert printed_pages(None) is None
