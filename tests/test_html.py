"""Saved web pages (sources/html.py): embedded metadata first, visible text only for what the tags lack.

The pages under tests/fixtures/html/ are synthetic (see its README): written after the publishers' tag
conventions, with made-up articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mscbib import sources
from mscbib.cli import main
from mscbib.sources import detect, read_file
from mscbib.sources.html import HtmlPage

HTML = Path(__file__).parent / "fixtures" / "html"


def one(name: str):
    result = read_file(HTML / name)
    assert not result.failures, result.failures
    assert len(result.records) == 1
    return result.records[0]


def test_every_highwire_tag_is_read_exactly():
    rec = one("highwire_springer.html")
    assert rec.source.format == "html"
    assert rec.doi == "10.5555/jsb.2021.0042"
    assert rec.title == "Stromal cell niches in synthetic marrow"  # not DC's, not Open Graph's
    assert [(p.family, p.given) for p in rec.authors] == [
        ("Okafor", "Chidi"),
        ("Álvarez", "María-José"),
        ("van der Berg", "Pieter J."),
    ]
    assert rec.get("journal") == "Journal of Synthetic Biology"
    assert rec.get("journal_abbrev") == "J Synth Biol"
    assert (rec.get("volume"), rec.get("issue"), rec.get("pages")) == ("12", "4", "345--359")
    assert (rec.get("year"), rec.get("month"), rec.get("day")) == ("2021", 4, 15)
    assert rec.get("published") == "2021-03-02"
    assert rec.get("issn") == ["1234-5679", "2345-6787"]
    assert rec.get("pmid") == "33445566"
    assert rec.get("keywords") == ["stromal cells", "bone marrow niche"]
    assert rec.get("publisher") == "Synthetic Press"
    assert rec.get("language") == "en"
    assert rec.get("url") == "https://synthetic.example/article/10.5555/jsb.2021.0042"
    assert rec.get("type") == "journal-article"
    # provenance: the tag and its source line
    src = rec.origin_of("title")
    assert (src.detail, src.line, src.file) == ("citation_title", 7, str(HTML / "highwire_springer.html"))
    assert rec.origin_of("doi").detail == "citation_doi"
    assert rec.origin_of("authors").detail == "citation_author"


def test_citation_reference_key_value_form():
    refs = one("highwire_springer.html").references
    assert len(refs) == 2
    a, b = refs
    assert (a.title, a.journal, a.volume, a.year, a.doi, a.pages) == (
        "Niches made to order",
        "Synthetic Cell Reports",
        "3",
        "2019",
        "10.5555/scr.2019.7",
        "10--19",
    )
    assert [p.family for p in a.authors] == ["Rahman", "Li"]
    assert (b.title, b.pages, b.doi) == ("A second synthetic reference", "100--104", None)
    assert a.source.detail == "citation_reference" and a.source.line == 30


def test_pmc_page():
    rec = one("pmc.html")
    assert (rec.doi, rec.get("pmid"), rec.get("journal")) == (
        "10.5555/scst.2019.068",
        "30987654",
        "Stem Cell Synth Ther",
    )
    assert (rec.get("year"), rec.get("month"), rec.get("day"), rec.get("pages")) == ("2019", 3, 1, "68")
    assert rec.origin_of("authors").detail == "citation_author"  # Highwire wins over DC.Contributor
    assert rec.get("publisher") == "Synthetic Central"  # only DC states it


def test_sciencedirect_page_open_graph_loses():
    rec = one("sciencedirect.html")
    assert rec.title == "Hepatic niches of a synthetic cohort"
    assert [(p.family, p.given) for p in rec.authors] == [("Rossi", "Giulia"), ("Smith", "John A.")]
    assert rec.get("pages") == "558--577" and rec.get("issn") == ["1234-5679"]
    assert rec.get("url") == "https://sciencedirect.example/science/article/pii/S0000000000000001"
    assert rec.origin_of("url").detail == "og:url"


def test_arxiv_page():
    rec = one("arxiv.html")
    assert [(p.family, p.given) for p in rec.authors] == [("Vaswani", "Asha"), ("Shazeer", "Noam P.")]
    assert (rec.get("year"), rec.get("month"), rec.get("day")) == ("2021", 1, 1)
    assert rec.get("url") == "https://arxiv.org/abs/2101.00001"
    assert rec.get("type") == "posted-content"
    assert rec.get("abstract") == "We attend to synthetic details."
    assert rec.doi is None and rec.get("journal") is None  # nothing invented


def test_dublin_core_and_prism():
    rec = one("dublin_core_prism.html")
    assert rec.doi == "10.5555/dc.2018.9" and rec.origin_of("doi").detail == "DC.identifier"
    assert [(p.family, p.given) for p in rec.authors] == [("Nguyen", "Thi Mai"), ("Olsen", "Peter")]
    assert rec.get("journal") == "Synthetic Cell Letters" and rec.origin_of("journal").detail == "prism.publicationName"
    assert (rec.get("volume"), rec.get("issue"), rec.get("pages")) == ("5", "2", "e101")
    assert (rec.get("year"), rec.get("month"), rec.get("day")) == ("2018", 7, 9)
    assert rec.get("keywords") == ["cells", "synthetic biology"] and rec.get("language") == "de"


def test_json_ld_scholarly_article():
    rec = one("jsonld.html")
    assert rec.title == "Linked data of synthetic marrow"  # not the WebPage's name
    assert [(p.family, p.given) for p in rec.authors] == [("Costa", "Ana"), ("Lee", "Min-jun")]
    assert rec.doi == "10.5555/ld.2022.11"
    assert (rec.get("journal"), rec.get("volume"), rec.get("issue"), rec.get("pages")) == (
        "Synthetic Data Journal",
        "41",
        "6",
        "201--215",
    )
    assert rec.get("issn") == ["1234-5679"] and rec.get("publisher") == "Synthetic Linked Press"


def test_coins_span():
    rec = one("coins.html")
    assert rec.doi == "10.5555/coins.2017.3" and rec.origin_of("doi").detail == "rft_id"
    assert rec.title == "Open URLs of synthetic niches"
    assert [(p.family, p.given) for p in rec.authors] == [("Dupont", "Marie"), ("Keller", "Hans")]
    assert (rec.get("journal"), rec.get("year"), rec.get("volume"), rec.get("pages")) == (
        "Synthetic Reviews",
        "2017",
        "9",
        "1--12",
    )


def test_visible_text_fills_only_what_the_tags_lack():
    rec = one("og_and_text.html")
    assert rec.title == "Synthetic niches on a saved page" and rec.origin_of("title").detail == "og:title"
    assert rec.doi == "10.5555/og.2023.5"
    assert rec.origin_of("doi").detail.startswith("visible text")
    assert (rec.get("volume"), rec.get("pages"), rec.get("year")) == ("7", "42", "2023")
    assert [p.family for p in rec.authors] == ["Berg", "Ito"]
    # the line points into the .html file: the <p> of the citation
    lines = (HTML / "og_and_text.html").read_text().splitlines()
    assert "Cite this article" not in lines[rec.origin_of("volume").line - 1]
    assert "Synthetic Cell Biol 7, 42" in lines[rec.origin_of("volume").line - 1]
    assert "notText" not in json.dumps(rec.to_json())  # a script is not visible text


def test_text_path_not_used_when_tags_have_the_core(monkeypatch):
    def fail(*a, **k):
        raise AssertionError("the visible text was read although the tags have the core fields")

    monkeypatch.setattr(sources, "read_text", fail)
    for name in ("highwire_springer.html", "sciencedirect.html", "pmc.html"):
        f = HTML / name
        assert HtmlPage(text_reader=fail).read(f.read_text(), str(f)).records[0].title


def test_external_entities_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    page = (HTML / "entities.html").read_text().replace("file:///etc/hostname", secret.as_uri())
    f = tmp_path / "page.html"
    f.write_text(page)
    result = read_file(f)
    assert "TOP-SECRET-CONTENT" not in json.dumps([r.to_json() for r in result.records])
    assert result.records[0].doi == "10.5555/ent.1"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("<!DOCTYPE html><html><head></head></html>", True),
        ("\ufeff  <html lang='en'>", True),
        ("<?xml version='1.0'?>\n<!DOCTYPE html>\n<html>", True),
        ('<meta name="citation_title" content="x">', True),
        ("TY  - JOUR\nTI  - <html> in a title\nER  - ", False),
        ("Smith J. A title with <meta> inside. J Synth. 2020;1:1.", False),
    ],
)
def test_recognised_by_content(text, expected):
    assert HtmlPage().match(text.lstrip("\ufeff")) is expected
    if expected:
        assert detect(text.lstrip("\ufeff")).name == "html"


def test_tagless_page_without_title_is_reported(tmp_path):
    f = tmp_path / "empty.htm"
    f.write_text("<html><head><title>x</title></head><body><p>Nothing bibliographic here.</p></body></html>")
    result = read_file(f)
    assert not result.records
    assert "saved web page" in result.failures[0].reason


def test_extract_cli_reads_html(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["extract", str(HTML / "coins.html")])
    assert exc.value.code == 0
    out = json.loads(capsys.readouterr().out.splitlines()[0])
    assert out["doi"] == "10.5555/coins.2017.3" and out["source"]["format"] == "html"


def test_a_page_saved_in_its_own_charset(tmp_path):
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        '<meta name="citation_title" content="Caf\u00e9 niches \u2013 a test">'
        '<meta name="citation_author" content="M\u00fcller, J\u00fcrgen"></head></html>'
    )
    f = tmp_path / "latin.htm"
    f.write_bytes(page.encode("cp1252"))
    rec = read_file(f).records[0]
    assert rec.title == "Café niches – a test" and rec.authors[0].family == "Müller"
    f.write_bytes(page.replace("charset=iso-8859-1", "").encode("cp1252"))
    assert "declares no charset" in read_file(f).failures[0].reason


def test_older_tag_forms(tmp_path):
    """citation_authors (one tag, ";" between names: older HighWire/PMC) and OJS's Dublin Core."""
    f = tmp_path / "ojs.html"
    f.write_text(
        "<!DOCTYPE html><html><head>"
        '<meta name="citation_authors" content="Smith, Ann; Jones, Bob">'
        '<meta name="DC.Title" content="An OJS article">'
        '<meta name="DC.Identifier.DOI" content="10.5555/ojs.5">'
        '<meta name="DC.Source" content="Journal of Open Systems">'
        '<meta name="DC.Source.Volume" content="3"><meta name="DC.Source.Issue" content="2">'
        '<meta name="DC.Identifier.pageNumber" content="11-20">'
        '<meta name="DC.Date.issued" content="2016-05-01"></head><body></body></html>'
    )
    rec = read_file(f).records[0]
    assert [(p.family, p.given) for p in rec.authors] == [("Smith", "Ann"), ("Jones", "Bob")]
    assert (rec.doi, rec.title, rec.get("journal")) == ("10.5555/ojs.5", "An OJS article", "Journal of Open Systems")
    assert (rec.get("volume"), rec.get("issue"), rec.get("pages"), rec.get("year")) == ("3", "2", "11--20", "2016")


def test_text_that_reads_as_markup_again_is_not_followed(tmp_path):
    f = tmp_path / "nested.html"
    f.write_text("<html><body><pre>&lt;html&gt;&lt;meta name=citation_title content=x&gt;</pre></body></html>")
    result = read_file(f)  # no recursion: the visible text is not read as a page again
    assert not result.records and result.failures


def test_format_html_given_for_a_utf8_page():
    rec = read_file(HTML / "coins.html", format="html").records[0]
    assert rec.doi == "10.5555/coins.2017.3"


def test_markup_left_in_a_tag_is_removed(tmp_path):
    f = tmp_path / "markup.html"
    f.write_text(
        '<html><head><meta name="citation_title" content="H&lt;sub&gt;2&lt;/sub&gt;O in &lt;i&gt;E. coli&lt;/i&gt;">'
        '<meta name="citation_abstract" content="&lt;p&gt;First.&lt;/p&gt;&lt;p&gt;Second.&lt;/p&gt;">'
        '<meta name="citation_author" content="Doe, Jane"></head></html>'
    )
    rec = read_file(f).records[0]
    assert rec.title == "H2O in E. coli" and rec.get("abstract") == "First. Second."
