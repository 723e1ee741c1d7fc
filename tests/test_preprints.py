"""Preprints with a published version: reported (PUB001) and, with --prefer-published, written as the journal
version. Against the Crossref stand-in; every work here is synthetic."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from mscbib.cli import main
from mscbib.enrich.preprints import published_dois
from mscbib.pipeline.build import build
from mscbib.services.crossref import CrossrefClient
from mscbib.testing.crossref_standin import CrossrefStandIn

PRE, PUB = "10.1101/2020.01.01.000001", "10.5555/synthetic-journal-1"
PRE2, PUB2 = "10.1101/2020.02.02.000002", "10.5555/synthetic-journal-2"
SYN = "synthetic work for mscbib's tests; not a real work"


def _work(doi, kind, title, journal=None, relation=None, year=2020):
    w = {
        "_synthetic": SYN,
        "DOI": doi,
        "type": kind,
        "title": [title],
        "publisher": "Synthetic Press",
        "author": [{"given": "Ada", "family": "Synthetic"}],
        "issued": {"date-parts": [[year, 3]]},
    }
    if journal:
        w.update({"container-title": [journal], "volume": "7", "page": "1-9", "ISSN": ["0000-0019"]})
    if relation:
        w["relation"] = relation
    return w


WORKS = [
    _work(
        PRE,
        "posted-content",
        "Synthetic signalling study",
        relation={"is-preprint-of": [{"id-type": "doi", "id": PUB, "asserted-by": "subject"}]},
    ),
    _work(
        PUB,
        "journal-article",
        "Synthetic signalling study, peer reviewed",
        "Journal of Synthetic Records",
        relation={"has-preprint": [{"id-type": "doi", "id": PRE, "asserted-by": "object"}]},
        year=2021,
    ),
    _work(PRE2, "posted-content", "Second synthetic preprint"),
    _work(
        PUB2,
        "journal-article",
        "Second synthetic article",
        "Journal of Synthetic Records",
        relation={"has-preprint": [{"id-type": "doi", "id": PRE2, "asserted-by": "object"}]},
        year=2022,
    ),
]


@pytest.fixture
def crossref():
    with CrossrefStandIn(WORKS) as server:
        yield server


def _run(tmp_path, crossref, cache, lines, **kw):
    ids = tmp_path / "ids.txt"
    ids.write_text("\n".join(lines) + "\n", encoding="utf-8")
    client = CrossrefClient(base_url=crossref.url, mailto="t@example.org", cache=cache)
    return build([str(ids)], str(tmp_path / "out.bib"), client, references=False, **kw)


def test_published_dois_reads_the_relation():
    assert published_dois(WORKS[0]) == [PUB] and published_dois(WORKS[1]) == [] and published_dois(None) == []


def test_a_preprint_with_a_journal_version_is_reported_not_replaced(tmp_path, crossref, cache):
    result = _run(tmp_path, crossref, cache, [PRE])
    [rec] = result.records
    assert rec.doi == PRE and rec.get("type") == "posted-content"
    [f] = [f for f in rec.findings if f.code == "PUB001"]
    assert PRE in f.message and PUB in f.message and f.severity.value == "warning" and f.line == 1


def test_prefer_published_writes_the_journal_version_keeping_the_preprint_doi(tmp_path, crossref, cache):
    result = _run(tmp_path, crossref, cache, [PRE], prefer_published=True)
    [rec] = result.records
    assert rec.doi == PUB and rec.get("preprint") == PRE and rec.get("type") == "journal-article"
    assert rec.get("journal") == "Journal of Synthetic Records" and rec.get("year") == "2021"
    assert {f.code for f in rec.findings} >= {"PUB001", "PUB002"}
    bib = (tmp_path / "out.bib").read_text()
    assert f"doi = {{{PUB}}}" in bib and f"preprint = {{{PRE}}}" in bib and "@article" in bib


def test_has_preprint_of_a_library_journal_entry_links_the_pair(tmp_path, crossref, cache):
    result = _run(tmp_path, crossref, cache, [PRE2, PUB2])
    pre = next(r for r in result.records if r.doi == PRE2)
    assert [f for f in pre.findings if f.code == "PUB001" and PUB2 in f.message]
    # preferring the published version makes the two one entry (a duplicate), the preprint DOI kept
    result = _run(tmp_path, crossref, cache, [PRE2, PUB2], prefer_published=True)
    assert [r.doi for r in result.records] == [PUB2] and result.records[0].get("preprint") == PRE2
    assert result.merged


def test_cli_prefer_published(tmp_path, crossref):
    ids = tmp_path / "ids.txt"
    ids.write_text(PRE + "\n", encoding="utf-8")
    out = tmp_path / "lib.bib"
    args = ["build", str(ids), "-o", str(out), "--crossref-url", crossref.url, "--cache", str(tmp_path / "c.sqlite3")]
    res = CliRunner().invoke(main, args)
    assert "PUB001" in res.output and f"doi = {{{PRE}}}" in out.read_text(), res.output
    res = CliRunner().invoke(main, args + ["--prefer-published"])
    assert res.exit_code == 0, res.output
    assert f"doi = {{{PUB}}}" in out.read_text() and f"preprint = {{{PRE}}}" in out.read_text()


def test_real_biorxiv_record_names_its_journal_version(shared, tmp_path, cache):
    """A real recorded Crossref answer (bioRxiv posted-content whose relation names its Scientific Data article)."""
    from mscbib.testing.crossref_standin import load_works

    works = load_works([shared / "crossref-samples" / "work-10.1101_097196.json"])
    with CrossrefStandIn(works) as server:
        result = _run(tmp_path, server, cache, ["10.1101/097196"])
        [f] = [f for f in result.findings if f.code == "PUB001"]
        assert "10.1101/097196" in f.message and "10.1038/s41597-019-0031-8" in f.message
        # the journal version is not in this stand-in: preferring it keeps the preprint, and says why
        result = _run(tmp_path, server, cache, ["10.1101/097196"], prefer_published=True)
        [rec] = result.records
        assert rec.doi == "10.1101/097196" and not rec.get("preprint")
        assert [f.code for f in rec.findings if f.code.startswith("PUB")] == ["PUB001", "PUB003"]


def test_the_kept_preprint_doi_reads_back_from_the_written_bib(tmp_path, crossref, cache):
    from mscbib.sources.bibtex import BibtexFile

    _run(tmp_path, crossref, cache, [PRE], prefer_published=True)
    text = (tmp_path / "out.bib").read_text()
    [rec] = BibtexFile().read(text, str(tmp_path / "out.bib")).records
    assert rec.doi == PUB and rec.get("preprint") == PRE


def test_preferring_the_journal_version_leaves_out_the_preprint_own_url_and_dates(crossref, cache):
    from mscbib.enrich import Enriched, EnrichStatus
    from mscbib.enrich.preprints import published_versions
    from mscbib.model import Provenance, Record

    src = Provenance("page", file="biorxiv.txt", line=3)
    rec = Record(source=src)
    for name, value in (
        ("doi", PRE),
        ("title", "Synthetic signalling study"),
        ("url", "https://www.biorxiv.org/x"),
        ("published", "2020-01-01"),
        ("abstract", "Synthetic abstract."),
        ("type", "posted-content"),
    ):
        rec.set(name, value, src)
    client = CrossrefClient(base_url=crossref.url, mailto="t@example.org", cache=cache)
    item = Enriched(rec, EnrichStatus.VERIFIED, work=WORKS[0])
    assert published_versions([item], client, prefer=True) == 1
    assert rec.doi == PUB and rec.get("preprint") == PRE and rec.get("type") == "journal-article"
    assert rec.get("url") is None and rec.get("published") is None and rec.get("abstract") == "Synthetic abstract."
    [note] = [f for f in rec.findings if f.code == "PUB002"]
    assert "published, url left out" in note.message and item.work.doi == PUB
