"""Every fault the network throws, against the stand-in: the build completes and nothing is lost.

The works are synthetic (mscbib.testing.crossref_standin.synthetic_works labels them so)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from mscbib.enrich import EnrichStatus
from mscbib.pipeline.build import EXIT_OK, EXIT_UNVERIFIED, build
from mscbib.services.crossref import Cache, CrossrefClient, LookupStatus
from mscbib.testing.crossref_standin import CrossrefStandIn, synthetic_works

WORKS = synthetic_works(30)
DOIS = [w["DOI"] for w in WORKS]


@pytest.fixture
def server(synthetic_standin):
    return synthetic_standin  # serves these 30 and 30 more


@pytest.fixture
def doi_list(tmp_path):
    path = tmp_path / "dois.txt"
    path.write_text("# synthetic DOIs for the fault tests\n" + "\n".join(DOIS) + "\n", encoding="utf-8")
    return path


def run(server, tmp_path, doi_list, **kw):
    kw.setdefault("backoff", 0.01)
    kw.setdefault("batch_size", 10)
    client = CrossrefClient(server.url, cache=Cache(tmp_path / "c.sqlite3"), **kw)
    return build([str(doi_list)], str(tmp_path / "out.bib"), client), client


def assert_nothing_lost(result, tmp_path):
    assert result.exit_code == EXIT_OK, [f.message for f in result.findings][:3]
    assert {e.status for e in result.enriched} == {EnrichStatus.VERIFIED}
    assert sorted(e.record.doi for e in result.enriched) == sorted(DOIS)
    assert all(e.record.title and e.record.authors for e in result.enriched)
    assert (tmp_path / "out.bib").read_text(encoding="utf-8").count("@article{") == len(DOIS)
    db = sqlite3.connect(tmp_path / "c.sqlite3")
    assert db.execute("SELECT count(*) FROM answers WHERE status = 200").fetchone()[0] == len(DOIS)
    db.close()


@pytest.mark.parametrize(
    "fault,on",
    [
        ("503", "filter"),  # with Retry-After: 1
        ("429", "filter"),  # with Retry-After: 1
        ("reset", "filter"),
        ("truncate", "filter"),
        ("badjson", "filter"),
        ("503", "work"),
        ("reset", "work"),
    ],
)
def test_a_fault_is_retried_and_the_build_completes(server, tmp_path, doi_list, fault, on):
    if on == "work":  # a single-record request: make the plan pick singles
        doi_list.write_text(DOIS[0] + "\n", encoding="utf-8")
        global_dois = [DOIS[0]]
    else:
        global_dois = DOIS
    server.fault(fault, on=on)
    result, client = run(server, tmp_path, doi_list)
    assert server.faults_fired == [fault]
    assert client.stats.retries == 1 and client.stats.failures == 0
    assert sorted(e.record.doi for e in result.enriched) == sorted(global_dois)
    assert {e.status for e in result.enriched} == {EnrichStatus.VERIFIED}
    if on == "filter":
        assert_nothing_lost(result, tmp_path)
        assert server.count("filter") == 3 + 1  # three batches, one of them asked twice


def test_retry_after_pauses_every_request(server, tmp_path, doi_list):
    server.fault("503", on="filter", retry_after="1")
    result, client = run(server, tmp_path, doi_list)
    assert_nothing_lost(result, tmp_path)
    # the requests after the 503 started after its Retry-After: the pacer held all of them
    assert client.pacer._paused_until > 0


def test_429_without_retry_after_backs_off(server, tmp_path, doi_list):
    server.fault("429", on="filter", retry_after=None)
    result, client = run(server, tmp_path, doi_list)
    assert_nothing_lost(result, tmp_path)
    assert client.stats.throttled == 1 and client.pacer._paused_until == 0


def test_a_slow_answer_times_out_and_is_asked_again(server, tmp_path, doi_list):
    server.fault("slow", on="filter", delay=1.5)
    result, client = run(server, tmp_path, doi_list, timeout=0.5)
    assert_nothing_lost(result, tmp_path)
    assert client.stats.retries == 1


def test_after_the_retries_the_input_is_kept_and_a_later_run_fills_the_gap(server, tmp_path, doi_list):
    server.fault("503", times=3, on="filter", retry_after="0")
    result, client = run(server, tmp_path, doi_list, max_retries=2)
    assert result.exit_code == EXIT_UNVERIFIED
    failed = [e for e in result.enriched if e.status is EnrichStatus.UNVERIFIED]
    assert len(failed) == 10  # one batch of ten gave up; the other twenty were verified
    assert all(e.record.doi for e in failed)  # what the input had is kept
    assert all(any(f.code == "CR001" and "503" in f.message for f in e.record.findings) for e in failed)
    assert len(result.records) == len(DOIS)
    asked = server.count()
    again, client2 = run(server, tmp_path, doi_list)
    assert_nothing_lost(again, tmp_path)
    assert server.count() - asked == 1  # only the batch that failed is asked again


def test_a_404_is_a_definite_not_found_and_is_cached(server, tmp_path):
    client = CrossrefClient(server.url, cache=Cache(tmp_path / "c.sqlite3"))
    assert client.work("10.5555/absent").status is LookupStatus.NOT_FOUND
    assert client.stats.retries == 0
    again = CrossrefClient(server.url, cache=Cache(tmp_path / "c.sqlite3")).work("10.5555/absent")
    assert again.from_cache and again.status is LookupStatus.NOT_FOUND and server.count() == 1


_CHILD = """
import sys
from mscbib.services.crossref import Cache, CrossrefClient
client = CrossrefClient(sys.argv[1], cache=Cache(sys.argv[2]), batch_size=5)
client.works(sys.argv[3].split())
"""


def _rows(path) -> int:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            return db.execute("SELECT count(*) FROM answers").fetchone()[0]
        finally:
            db.close()
    except sqlite3.OperationalError:  # not created yet, or busy
        return 0


def test_the_cache_survives_a_crash_mid_run(tmp_path):
    with CrossrefStandIn(list(WORKS), latency=0.3) as slow:
        cache = tmp_path / "c.sqlite3"
        # a public-pool client (no mailto): one list request at a time, one per second
        child = subprocess.Popen([sys.executable, "-c", _CHILD, slow.url, str(cache), " ".join(DOIS)])
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:  # kill once a first batch is committed, not on a guess
                if _rows(cache) >= 5:
                    break
                time.sleep(0.05)
            os.kill(child.pid, signal.SIGKILL)  # no clean-up at all
        finally:
            child.wait()
        db = sqlite3.connect(cache)
        kept = db.execute("SELECT count(*) FROM answers").fetchone()[0]
        db.close()
        assert 5 <= kept < len(DOIS)  # what arrived before the crash is there, in whole batches
        asked = slow.count()
        client = CrossrefClient(slow.url, cache=Cache(cache), batch_size=5)
        answers = client.works(DOIS)
        assert {a.status for a in answers.values()} == {LookupStatus.FOUND}
        assert client.stats.cache_hits == kept
        # only what the crash lost is asked again, never an answer the cache kept
        again = set()
        for r in slow.requests[asked:]:
            if r.path.startswith("/works/"):
                again.add(r.path[len("/works/") :].lower())
            for f in (r.params.get("filter") or [""])[0].split(","):
                if f.startswith("doi:"):
                    again.add(f[4:].lower())
        db = sqlite3.connect(cache)
        cached_before = {k.split(" work:", 1)[1] for (k,) in db.execute("SELECT key FROM answers")} - again
        db.close()
        assert len(cached_before) == kept and len(again) == len(DOIS) - kept
