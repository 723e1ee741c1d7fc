"""RIS, MEDLINE, CSL-JSON, BibTeX and identifier lists: recognition, fields, lines, and malformed input.
All inputs here are synthetic (written for these tests); the corpus under tests/corpus/ holds full documents."""

from __future__ import annotations

import json

import pytest

from mscbib.sources import detect, read_text
from mscbib.sources.bibtex import record_from_entry, split_names
from mscbib.sources.idlist import parse_identifier

RIS = """TY  - JOUR
AU  - Doudna, Jennifer A.
AU  - Charpentier, Emmanuelle
TI  - The new frontier of genome engineering with CRISPR-Cas9
T2  - Science
J2  - Science
PY  - 2014
DA  - 2014/11/28/
VL  - 346
IS  - 6213
SP  - 1258096
DO  - https://doi.org/10.1126/science.1258096
SN  - 0036-8075
KW  - CRISPR
KW  - genome editing
ER  - 

TY  - BOOK
AU  - Alberts, Bruce
TI  - Molecular biology of the cell
PY  - 2015
PB  - Garland Science
SN  - 9780815344643
ER  - 
"""


def test_ris_records_fields_and_lines():
    result = read_text(RIS, "x.ris")
    assert detect(RIS).name == "ris" and result.failures == []
    art, book = result.records
    assert art.doi == "10.1126/science.1258096"
    assert [(p.family, p.given) for p in art.authors] == [("Doudna", "Jennifer A."), ("Charpentier", "Emmanuelle")]
    assert (art.get("journal"), art.get("journal_abbrev")) == ("Science", None)  # J2 equal to T2 is not repeated
    assert (art.get("year"), art.get("month"), art.get("day")) == ("2014", 11, 28)
    assert (art.get("volume"), art.get("issue"), art.get("pages")) == ("346", "6213", "1258096")
    assert art.get("issn") == ["0036-8075"] and art.get("keywords") == ["CRISPR", "genome editing"]
    assert art.get("type") == "journal-article" and art.origin_of("doi").line == 12
    assert book.get("isbn") == ["978-0-8153-4464-3"] and book.get("publisher") == "Garland Science"
    assert book.get("type") == "book" and book.source.line == 18 and "journal" not in book


def test_ris_malformed_lines_are_reported_and_the_rest_read():
    text = "garbage before\nTY  - JOUR\nTI  - A title\nER  - \nAU  - Stray, A\nTY  - JOUR\nTI  - Cut off\n"
    result = read_text(text, "bad.ris", format="ris")
    assert [r.title for r in result.records] == ["A title", "Cut off"]
    assert [(f.line, f.reason.split(" (")[0]) for f in result.failures] == [
        (1, "text outside a RIS record"),
        (5, "RIS tag AU outside a record"),
        (6, "RIS record not closed by an ER line"),
    ]


MEDLINE = """PMID- 25430774
OWN - NLM
IS  - 1095-9203 (Electronic)
IS  - 0036-8075 (Linking)
VI  - 346
IP  - 6213
DP  - 2014 Nov 28
TI  - Genome editing. The new frontier of genome engineering with
      CRISPR-Cas9.
PG  - 1258096
LID - 10.1126/science.1258096 [doi]
AB  - The advent of facile genome engineering using the bacterial RNA-guided
      CRISPR-Cas9 system in animals and plants is transforming biology.
FAU - Doudna, Jennifer A
AU  - Doudna JA
AD  - Howard Hughes Medical Institute, Berkeley, CA, USA.
FAU - Charpentier, Emmanuelle
AU  - Charpentier E
LA  - eng
PT  - Journal Article
PT  - Research Support, Non-U.S. Gov't
PT  - Review
TA  - Science
JT  - Science (New York, N.Y.)
MH  - Animals
MH  - *CRISPR-Cas Systems
OT  - CRISPR
EIN - Science. 2015 Jan 2;347(6217):aaa0001
SO  - Science. 2014 Nov 28;346(6213):1258096. doi: 10.1126/science.1258096.
"""


def test_medline_record():
    assert detect(MEDLINE).name == "medline"
    result = read_text(MEDLINE, "x.nbib")
    assert result.failures == []
    (rec,) = result.records
    assert rec.get("pmid") == "25430774" and rec.doi == "10.1126/science.1258096"
    assert rec.title == "Genome editing. The new frontier of genome engineering with CRISPR-Cas9"
    assert [(p.family, p.given) for p in rec.authors] == [("Doudna", "Jennifer A"), ("Charpentier", "Emmanuelle")]
    assert (rec.get("journal"), rec.get("journal_abbrev")) == ("Science (New York, N.Y.)", "Science")
    assert (rec.get("year"), rec.get("month"), rec.get("day")) == ("2014", 11, 28)
    assert rec.get("issn") == ["1095-9203", "0036-8075"] and rec.get("type") == "journal-article"
    assert rec.get("publication_types") == ["Journal Article", "Research Support, Non-U.S. Gov't", "Review"]
    assert rec.get("mesh") == ["Animals", "*CRISPR-Cas Systems"] and rec.get("keywords") == ["CRISPR"]
    assert rec.get("notices") == ["Erratum in: Science. 2015 Jan 2;347(6217):aaa0001"]
    assert rec.get("abstract").endswith("is transforming biology.")
    assert {n: rec.origin_of(n).line for n in ("pmid", "title", "authors", "doi")} == {
        "pmid": 1,
        "title": 8,
        "authors": 14,
        "doi": 11,
    }


def test_medline_stray_line_is_reported():
    result = read_text(MEDLINE.replace("OWN - NLM", "this is not a tag"), "x.nbib", format="medline")
    assert len(result.records) == 1 and result.failures[0].line == 2


CSL = [
    {
        "id": "a",
        "type": "article-journal",
        "title": "Deep learning",
        "container-title": "Nature",
        "container-title-short": "Nature",
        "author": [{"family": "LeCun", "given": "Yann"}, {"literal": "The Deep Learning Group"}],
        "issued": {"date-parts": [[2015, 5, 28]]},
        "volume": "521",
        "issue": "7553",
        "page": "436-444",
        "DOI": "10.1038/NATURE14539",
        "ISSN": "0028-0836, 1476-4687",
        "PMID": "26017442",
    },
    {"id": "b", "type": "chapter", "title": "A chapter", "issued": {"raw": "2019-03"}, "ISBN": "978-3-319-75889-3"},
]


def test_csl_json_items_with_their_lines():
    text = json.dumps(CSL, indent=2)
    assert detect(text).name == "csl-json"
    result = read_text(text, "x.json")
    a, b = result.records
    assert a.doi == "10.1038/nature14539" and a.get("pmid") == "26017442"
    assert [p.display for p in a.authors] == ["Yann LeCun", "The Deep Learning Group"]
    assert (a.get("year"), a.get("month"), a.get("day"), a.get("pages")) == ("2015", 5, 28, "436--444")
    assert a.get("issn") == ["0028-0836", "1476-4687"] and "journal_abbrev" not in a
    assert (b.get("year"), b.get("month"), b.get("type"), b.get("isbn")) == (
        "2019",
        3,
        "book-chapter",
        ["978-3-319-75889-3"],
    )
    assert [a.source.line, b.source.line] == [2, text.splitlines().index("  {", 2) + 1]


def test_csl_json_malformed_is_a_failure_with_line():
    result = read_text('[\n  {"title": "x", "type": "book"},\n  {"title": \n', "bad.json", format="csl-json")
    assert [r.title for r in result.records] == ["x"]
    assert "malformed JSON" in result.failures[0].reason and result.failures[0].line == 4


BIB = r"""@string{nat = "Nature"}
@article{lecun2015,
  author  = {LeCun, Yann and Bengio, Yoshua and Hinton, Geoffrey and {The Deep Learning Group}},
  title   = {Deep {$\beta$}-learning in M{\"u}nster},
  journal = nat, year = 2015, month = may,
  volume = {521}, number = {7553}, pages = {436--444},
  doi = {10.1038/nature14539},
}
@article{broken, title = {never closed
@article{next, author = {Jørgensen, B. and others}, title = {Next}, url = {https://doi.org/10.1000/ABC}}
"""


def test_bibtex_entries_latex_and_failures():
    assert detect(BIB).name == "bibtex"
    result = read_text(BIB, "x.bib")
    a, b = result.records
    assert a.title == "Deep β-learning in Münster" and a.get("journal") == "Nature"
    assert [p.display for p in a.authors][-1] == "The Deep Learning Group" and a.authors[-1].literal
    assert (a.get("year"), a.get("month"), a.get("pages"), a.get("issue")) == ("2015", 5, "436--444", "7553")
    assert a.source.line == 2 and a.key == "lecun2015"
    assert b.doi == "10.1000/abc" and b.get("authors_complete") is False and b.authors[0].family == "Jørgensen"
    assert [f.line for f in result.failures] == [9]


def test_record_from_entry_takes_a_plain_mapping():
    rec = record_from_entry({"ENTRYTYPE": "book", "ID": "k", "title": "T", "isbn": "0-19-852663-6"}, "f.bib", 7)
    assert rec.get("type") == "book" and rec.get("isbn") == ["978-0-19-852663-6"] and rec.source.line == 7


def test_split_names_respects_braces():
    assert split_names("A, B and {Smith and Wesson} and C D") == ["A, B", "{Smith and Wesson}", "C D"]


@pytest.mark.parametrize(
    "line,expected",
    [
        ("10.1000/ABC.", ("doi", "10.1000/abc")),
        ("https://doi.org/10.1002%2Fjor.1100150407", ("doi", "10.1002/jor.1100150407")),
        ("PMID: 25430774", ("pmid", "25430774")),
        ("25430774", ("pmid", "25430774")),
        ("https://pubmed.ncbi.nlm.nih.gov/25430774/", ("pmid", "25430774")),
        ("PMC6396496", ("pmcid", "PMC6396496")),
        ("https://pmc.ncbi.nlm.nih.gov/articles/PMC6396496/", ("pmcid", "PMC6396496")),
        ("https://europepmc.org/article/MED/25430774", ("pmid", "25430774")),
        ("not an identifier", None),
    ],
)
def test_identifier_forms(line, expected):
    assert parse_identifier(line) == expected


def test_mixed_identifier_list(tmp_path):
    text = "# reading list\n10.1126/science.1258096\nPMID: 25430774\nPMC6396496  # the PMC copy\n10.1038/nature14539\nnonsense here\n"
    assert detect(text).name == "doi-list"
    result = read_text(text, "ids.txt")
    got = [(r.doi, r.get("pmid"), r.get("pmcid"), r.source.line) for r in result.records]
    assert got == [
        ("10.1126/science.1258096", None, None, 2),
        (None, "25430774", None, 3),
        (None, None, "PMC6396496", 4),
        ("10.1038/nature14539", None, None, 5),
    ]
    assert result.failures[0].line == 6


def test_every_reader_gives_type_in_crossrefs_vocabulary():
    """One vocabulary for ``type``: each input's own labels are translated, unknown ones are left out, never guessed."""
    from mscbib.sources._common import BIBTEX_TYPES, CATALOG_FORMATS, CSL_TYPES, RIS_TYPES, pubmed_work_type, work_type

    assert work_type("JOUR", RIS_TYPES) == "journal-article" and work_type("CHAP", RIS_TYPES) == "book-chapter"
    assert work_type("paper-conference", CSL_TYPES) == "proceedings-article"
    assert work_type("phdthesis", BIBTEX_TYPES) == "dissertation"
    assert (
        work_type("Print book", CATALOG_FORMATS) == "book"
        and work_type("Article", CATALOG_FORMATS) == "journal-article"
    )
    assert work_type("book-chapter", CATALOG_FORMATS) == "book-chapter"  # already Crossref's: passes
    assert work_type("Microfiche", CATALOG_FORMATS) is None and work_type("XYZ", RIS_TYPES) is None
    assert pubmed_work_type(["Review", "Journal Article"]) == "journal-article"
    assert pubmed_work_type(["Preprint"]) == "posted-content"


# -- mscbib's own fields read back: `cites` / `citedby` (and the BibLaTeX annotation that carries them) ------------
def _offline_build(tmp_path):
    from conftest import SEEDS
    from mscbib.pipeline.build import build
    from mscbib.services.crossref import Cache, CrossrefClient

    client = CrossrefClient("http://127.0.0.1:9", cache=Cache(tmp_path / "c.sqlite3"), offline=True)
    return build([str(SEEDS)], str(tmp_path / "library.bib"), client), SEEDS.parent / "bib"


def test_committed_bib_files_read_back_with_the_cites_the_build_wrote(tmp_path):
    from mscbib.refs import cited_entries

    result, bib = _offline_build(tmp_path)
    wrote = {r.key: (r.cites, r.cited_by) for r in result.records}
    wrote_cited = {r.key: (r.cites, r.cited_by) for r in cited_entries(result.records, result.cited)}
    assert any(cites for cites, _ in wrote.values()) and any(by for _, by in wrote_cited.values())
    for path, want in ((bib / "library.bib", wrote), (bib / "cited.bib", wrote_cited)):
        read = read_text(path.read_text(encoding="utf-8"), str(path))
        assert read.failures == []
        assert {r.key: (r.cites, r.cited_by) for r in read.records} == want


def test_biblatex_output_gives_cites_back_from_its_annotation(tmp_path):
    from mscbib.refs import cited_entries
    from mscbib.writers.bibtex import render

    result, _bib = _offline_build(tmp_path)
    for records in (result.records, cited_entries(result.records, result.cited)):
        text = render(records, dialect="biblatex")
        assert "cites = " not in text and "citedby = " not in text  # BibLaTeX has only the annotation
        read = read_text(text, "biblatex.bib")
        assert {r.key: (r.cites, r.cited_by) for r in read.records} == {r.key: (r.cites, r.cited_by) for r in records}


def test_cites_and_citedby_fields_keep_order_and_a_repeated_key_once():
    """Synthetic entry in mscbib's own form."""
    rec = record_from_entry(
        {"ENTRYTYPE": "article", "ID": "k", "title": "T", "cites": "b2020, a2019,\n  c2021", "citedby": "z2024"},
        "f.bib",
        1,
    )
    assert rec.cites == ["b2020", "a2019", "c2021"] and rec.cited_by == ["z2024"]
    note = record_from_entry(
        {
            "ENTRYTYPE": "article",
            "ID": "k",
            "title": "T",
            "annotation": "Cites (mscbib):\n[1] b2020 doi:10.1/x\n[2] a2019 Some text\n[3] b2020\n"
            "Cited by (mscbib): y2023, z2024",
        },
        "f.bib",
        1,
    )
    assert note.cites == ["b2020", "a2019"] and note.cited_by == ["y2023", "z2024"]
    assert record_from_entry({"ENTRYTYPE": "misc", "ID": "k", "title": "T"}).cites == []
