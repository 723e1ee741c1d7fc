"""The DOI handle service (used by `check` for DOIs Crossref lacks): paced, retried, concurrent within
HANDLE_LIMITS, answers cached per service URL (issue 15 item 4). Against the local stand-in's handle route;
the DOIs are made up (synthetic)."""

from __future__ import annotations

from mscbib.services.crossref import Cache
from mscbib.services.crossref.ratelimit import Limits
from mscbib.services.handles import HANDLE_LIMITS, HandleClient, HandleStatus
from mscbib.testing.crossref_standin import CrossrefStandIn

REGISTERED = {f"10.5281/zenodo.{i}" for i in range(0, 60, 2)}
ASKED = [f"10.5281/zenodo.{i}" for i in range(30)]


def test_many_look_ups_keep_within_the_limits_and_are_cached(tmp_path):
    with CrossrefStandIn(handles=REGISTERED, latency=0.3, limits=Limits(10, 10, 3)) as server:
        client = HandleClient(server.url, cache=Cache(tmp_path / "c.sqlite3"))
        got = client.lookup_many(ASKED)
        assert got == {d: HandleStatus.EXISTS if d in REGISTERED else HandleStatus.MISSING for d in ASKED}
        assert server.count_status(429) == 0 and client.throttled == 0
        assert server.count("handle") == 30 and 2 <= server.peak_concurrency <= HANDLE_LIMITS.concurrency
        # found and not found both cached: a warm run asks nothing
        server.reset_counters()
        again = HandleClient(server.url, cache=Cache(tmp_path / "c.sqlite3")).lookup_many(ASKED)
        assert again == got and server.count() == 0
        # another service's URL does not reuse them
        with CrossrefStandIn(handles=set()) as other:
            assert HandleClient(other.url, cache=Cache(tmp_path / "c.sqlite3")).lookup(ASKED[0]) is HandleStatus.MISSING


def test_429_and_503_are_retried_after_retry_after(tmp_path):
    with CrossrefStandIn(handles=REGISTERED) as server:
        server.fault("429", times=2, on="handle", retry_after="0.2")
        server.fault("503", times=1, on="handle", retry_after="0")
        client = HandleClient(server.url, cache=Cache(tmp_path / "c.sqlite3"), backoff=0.01)
        assert client.lookup_many(ASKED[:6]) == {
            d: HandleStatus.EXISTS if d in REGISTERED else HandleStatus.MISSING for d in ASKED[:6]
        }
        assert client.throttled == 2 and server.count("handle") == 9


def test_a_404_without_the_services_answer_proves_nothing(tmp_path):
    with CrossrefStandIn() as server:
        server.fault("html404", on="handle")
        client = HandleClient(server.url, cache=Cache(tmp_path / "c.sqlite3"), max_retries=0)
        assert client.lookup("10.5281/zenodo.1") is HandleStatus.FAILED
        assert (
            HandleClient(server.url, cache=Cache(tmp_path / "c.sqlite3")).lookup("10.5281/zenodo.1")
            is HandleStatus.MISSING
        )  # nothing was cached: asked again
