"""Every Crossref answer is checked against what was asked before it is used or cached (issue 12 items 5 and 6),
and the client asks only for what is read (issue 15: ``select=``). Against the local stand-in; works are SYNTHETIC
(mscbib.testing.crossref_standin.synthetic_works labels them so)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from mscbib.cli import main
from mscbib.services.crossref import Cache, CrossrefClient, LookupStatus
from mscbib.services.crossref.client import LEAN_FIELDS
from mscbib.testing.crossref_standin import CrossrefStandIn, synthetic_works

WORKS = synthetic_works(12)
DOIS = [w["DOI"] for w in WORKS]


def make(server, tmp_path, name="c.sqlite3", **kw):
    kw.setdefault("backoff", 0.01)
    kw.setdefault("max_retries", 1)
    return CrossrefClient(server.url, cache=Cache(tmp_path / name), **kw)


@pytest.fixture
def server():
    with CrossrefStandIn(list(WORKS)) as s:
        yield s


# -- item 5: the cache is keyed by service and base URL --------------------------------------------------------
def test_answers_of_one_server_are_never_reused_for_another(server, tmp_path):
    with CrossrefStandIn([]) as empty:  # a test server that knows nothing: every DOI "not registered" there
        assert make(empty, tmp_path).work(DOIS[0]).status is LookupStatus.NOT_FOUND
    again = make(server, tmp_path).work(DOIS[0])  # the same cache file, another server
    assert again.status is LookupStatus.FOUND and not again.from_cache and server.count("work") == 1
    assert make(server, tmp_path).work(DOIS[0]).from_cache  # and its own answer is reused


@pytest.mark.parametrize("url", ["ftp://api.crossref.org", "file:///etc", "api.crossref.org", "http://"])
def test_a_crossref_url_that_is_not_http_is_refused(url, tmp_path):
    with pytest.raises(ValueError, match="not an http"):
        CrossrefClient(url, cache=Cache(tmp_path / "c.sqlite3"))
    (tmp_path / "d.txt").write_text("10.5555/x\n")
    out = CliRunner().invoke(
        main, ["build", str(tmp_path / "d.txt"), "-o", str(tmp_path / "o.bib"), "--crossref-url", url]
    )
    assert out.exit_code == 2 and "not an http" in out.output and "Traceback" not in out.output
    assert not (tmp_path / "o.bib").exists()


# -- item 6: answers checked against what was asked -------------------------------------------------------------
@pytest.mark.parametrize("fault", ["empty", "other"])
def test_a_batch_that_does_not_account_for_a_doi_asks_for_it_alone(server, tmp_path, fault):
    server.fault(fault, on="filter")
    answers = make(server, tmp_path).works(DOIS[:5])
    assert {a.status for a in answers.values()} == {LookupStatus.FOUND}  # never "not registered"
    assert server.count("filter") == 1 and server.count("work") == 5
    assert all(answers[d.lower()].message["DOI"] == d for d in DOIS[:5])


def test_a_batch_message_without_items_is_not_an_answer(server, tmp_path):
    server.fault("nowork", on="filter", times=2)  # both tries: the batch fails, nothing is "not registered"
    answers = make(server, tmp_path).works(DOIS[:5])
    assert {a.status for a in answers.values()} == {LookupStatus.FAILED}
    assert {a.status for a in make(server, tmp_path).works(DOIS[:5]).values()} == {LookupStatus.FOUND}


def test_a_single_answer_holding_another_work_is_rejected_and_not_cached(server, tmp_path):
    server.fault("other", on="work")
    answer = make(server, tmp_path).work(DOIS[3])
    assert answer.status is LookupStatus.FAILED and "another work" in answer.error and answer.message is None
    again = make(server, tmp_path).work(DOIS[3])  # nothing was cached: asked again, and right this time
    assert again.status is LookupStatus.FOUND and not again.from_cache and again.message["DOI"] == DOIS[3]


def test_a_message_with_no_work_is_not_a_verified_entry(server, tmp_path):
    server.fault("nowork", on="work")
    answer = make(server, tmp_path).work(DOIS[2])
    assert answer.status is LookupStatus.FAILED and answer.message is None
    assert make(server, tmp_path).work(DOIS[2]).status is LookupStatus.FOUND


def test_a_404_that_is_not_crossrefs_is_not_cached_as_not_registered(server, tmp_path):
    server.fault("html404", on="work")
    answer = make(server, tmp_path).work(DOIS[1])
    assert answer.status is LookupStatus.FAILED and "--crossref-url" in answer.error
    assert make(server, tmp_path).work(DOIS[1]).status is LookupStatus.FOUND


@pytest.mark.parametrize("n", [1, 3])  # one DOI goes as a single request, three as a batch
def test_a_wrong_base_path_makes_the_build_unverified_not_findings(server, tmp_path, n):
    (tmp_path / "d.txt").write_text("\n".join(DOIS[:n]) + "\n")
    args = ["build", str(tmp_path / "d.txt"), "-o", str(tmp_path / "o.bib"), "--cache", str(tmp_path / "c.db")]
    out = CliRunner().invoke(main, args + ["--crossref-url", server.url + "/v1/wrong"])
    assert out.exit_code == 3, out.output
    assert "not registered" not in out.output
    # nothing was cached as "not registered": the right URL finds them (and the wrong one is asked again)
    assert CliRunner().invoke(main, args + ["--crossref-url", server.url]).exit_code == 0


# -- issue 15: lean answers for cited works and candidates ------------------------------------------------------
def test_lean_batches_and_searches_select_only_what_is_read(server, tmp_path):
    full = dict(
        WORKS[0],
        reference=[{"key": "r1", "unstructured": "Someone S. A cited work. J X. 2001;1:1."}],
        license=[{"URL": "https://example.org/licence"}],
    )
    server.add(dict(full, DOI="10.5555/with-refs"))
    client = make(server, tmp_path)
    with client.lean():
        lean = client.works(["10.5555/with-refs", DOIS[1]])
        client.search({"query.bibliographic": "Synthetic study number 1 stromal"})
    sent = [r.params.get("select", [""])[0] for r in server.requests]
    assert sent and all(s == ",".join(LEAN_FIELDS) for s in sent)
    assert "reference" not in lean["10.5555/with-refs"].message and lean["10.5555/with-refs"].message["license"]
    # a lean answer never serves a full look-up: the library entry gets its reference list
    whole = make(server, tmp_path).work("10.5555/with-refs")
    assert whole.message["reference"] and not whole.from_cache
    # and a full answer serves a lean one (nothing asked)
    asked = server.count()
    with client.lean():
        assert client.work("10.5555/with-refs").message["reference"]
    assert server.count() == asked


def test_works_takes_a_long_doi_list_once_each(tmp_path):
    # the to-do list is a dict: 20,000 DOIs (each twice) offline are answered once each
    dois = [f"10.5555/many-{i}" for i in range(20000)]
    client = CrossrefClient("http://127.0.0.1:9", cache=Cache(tmp_path / "c.sqlite3"), offline=True)
    answers = client.works(dois + dois)
    assert len(answers) == 20000 and {a.status for a in answers.values()} == {LookupStatus.OFFLINE}


def test_every_search_is_lean(server, tmp_path):
    full = dict(WORKS[4], reference=[{"key": "r1", "DOI": DOIS[5]}])
    server.add(dict(full, DOI="10.5555/searched-with-refs"))
    answer = make(server, tmp_path).search({"query.bibliographic": "Synthetic study number 4 stromal"})
    assert answer.items and all("reference" not in it for it in answer.items)
    assert all(r.params["select"] == [",".join(LEAN_FIELDS)] for r in server.requests)
