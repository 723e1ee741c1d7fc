"""mscbib check's network checks beyond the DOI look-up: ISS003 for entries without a DOI (Crossref's
``/journals/{issn}`` through the one client, played by the local stand-in). Journals and entries here
are SYNTHETIC unless read from the shared Crossref samples."""

from __future__ import annotations

import json

from mscbib.bibfile import parse_bib
from mscbib.services.crossref import CrossrefClient
from mscbib.services.crossref.client import LookupStatus
from mscbib.testing.crossref_standin import CrossrefStandIn
from mscbib.validate.check import run_checks

BONE = {
    "_synthetic": "made up for tests",
    "title": "Bone",
    "publisher": "Elsevier BV",
    "ISSN": ["8756-3282", "1873-2763"],
    "issn-type": [{"value": "8756-3282", "type": "print"}, {"value": "1873-2763", "type": "electronic"}],
}

NO_DOI_BIB = """@article{right, author = {Smith, Anna}, title = {Bone repair}, journal = {Bone}, year = 2019,
  issn = {8756-3282}}
@article{wrong, author = {Smith, Anna}, title = {Cell growth}, journal = {Cell Reports}, year = 2019,
  issn = {1873-2763}}
@article{unknown, author = {Smith, Anna}, title = {Fish}, journal = {Fish Weekly}, year = 2019,
  issn = {0028-0836}}
@article{both, author = {Smith, Anna}, title = {Two ISSNs}, journal = {Bone}, year = 2019,
  issn = {8756-3282, 1873-2763}}
"""


def iss003(result) -> list[tuple[str, str, int]]:
    return [(f.key, f.field, f.line) for f in result.findings if f.code == "ISS003"]


def test_iss003_without_a_doi_asks_the_journals_route_once_per_issn(cache):
    with CrossrefStandIn([], journals=[BONE]) as cr:
        client = CrossrefClient(base_url=cr.url, cache=cache)
        result = run_checks(parse_bib(NO_DOI_BIB, "j.bib"), client=client)
        assert iss003(result) == [("wrong", "issn", 4)]
        msg = next(f.message for f in result.findings if f.code == "ISS003")
        assert "1873-2763" in msg and "'Bone'" in msg and "Cell Reports" in msg
        assert cr.count("journal") == 3  # 8756-3282, 1873-2763, 0028-0836: each once, not once per entry
        assert result.skipped == []
        # a second run (a new client, the same cache) asks nothing and finds the same
        again = run_checks(parse_bib(NO_DOI_BIB, "j.bib"), client=CrossrefClient(base_url=cr.url, cache=cache))
        assert cr.count("journal") == 3
        assert iss003(again) == iss003(result)


def test_journal_lookup_is_cached_and_404_is_an_answer(cache):
    with CrossrefStandIn([], journals=[BONE]) as cr:
        client = CrossrefClient(base_url=cr.url, cache=cache)
        assert client.journal("87563282").status is LookupStatus.FOUND  # any ISSN form, stored as NNNN-NNNN
        assert client.journal("0028-0836").status is LookupStatus.NOT_FOUND
        offline = CrossrefClient(base_url=cr.url, cache=cache, offline=True)
        hit = offline.journal("8756-3282")
        assert hit.status is LookupStatus.FOUND and hit.from_cache and hit.message["title"] == "Bone"
        assert offline.journal("0028-0836").status is LookupStatus.NOT_FOUND
        assert offline.journal("1873-2763").status is LookupStatus.OFFLINE  # never asked
        assert cr.count("journal") == 2


def test_journal_route_in_crossrefs_real_shape(cache, shared):
    """The stand-in serves a recorded /journals/{issn} answer; the client and ISS003 read it."""
    body = json.loads((shared / "crossref-samples" / "journal-1803-2427.json").read_text(encoding="utf-8"))
    assert body["message-type"] == "journal"
    with CrossrefStandIn([], journals=[body["message"]]) as cr:
        client = CrossrefClient(base_url=cr.url, cache=cache)
        answer = client.journal("1805-4196")  # the electronic ISSN of the same journal
        assert answer.status is LookupStatus.FOUND and answer.message["title"] == body["message"]["title"]
        bib = parse_bib(
            "@article{a, author = {A, B}, title = {T}, journal = {Journal of Landscape Ecology},"
            " year = 2012, issn = {1803-2427}}\n"
            "@article{b, author = {A, B}, title = {T}, journal = {Landscape and Urban Planning},"
            " year = 2012, issn = {1805-4196}}\n",
            "s.bib",
        )
        assert [k for k, _, _ in iss003(run_checks(bib, client=client))] == ["b"]


def test_offline_says_iss003_is_skipped():
    result = run_checks(parse_bib(NO_DOI_BIB, "j.bib"))
    assert not iss003(result)
    assert any("4 entries without a DOI" in s and "ISS003" in s for s in result.skipped), result.skipped


def test_offline_client_without_cache_says_iss003_is_skipped(cache):
    client = CrossrefClient(base_url="http://127.0.0.1:9", cache=cache, offline=True)
    result = run_checks(parse_bib(NO_DOI_BIB, "j.bib"), client=client)
    assert not iss003(result)
    assert any("ISS003" in s and "offline" in s for s in result.skipped), result.skipped
