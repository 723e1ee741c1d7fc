"""What makes a warm build cost what parsing costs (issue 15), without changing what it writes.

Works are synthetic (mscbib.testing.crossref_standin.synthetic_works)."""

from __future__ import annotations

import gc
import threading

from mscbib import _perf
from mscbib.enrich import enrich_record, prefetch
from mscbib.model import Provenance, Record
from mscbib.services.crossref import Cache, CrossrefClient
from mscbib.testing.crossref_standin import CrossrefStandIn, synthetic_works


def test_fewer_collections_raises_the_threshold_and_restores_the_callers():
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        with _perf.fewer_collections():
            assert gc.get_threshold() == (_perf.THRESHOLD, 10, 10)
            with _perf.fewer_collections():  # nested: still raised, and restored only by the outer block
                pass
            assert gc.get_threshold() == (_perf.THRESHOLD, 10, 10)
        assert gc.get_threshold() == (700, 10, 10)
        gc.set_threshold(50_000, 5, 5)  # a caller's higher threshold is never lowered

        @_perf.fewer_collections()
        def inside():
            return gc.get_threshold()

        assert inside() == (50_000, 5, 5) and gc.get_threshold() == (50_000, 5, 5)
        gc.set_threshold(700, 10, 10)
        with_error = threading.Event()
        try:
            with _perf.fewer_collections():
                with_error.set()
                raise RuntimeError("a build that fails")
        except RuntimeError:
            pass
        assert with_error.is_set() and gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*before)


def test_works_mapped_during_the_prefetch_serve_one_record_each(tmp_path):
    """The prefetch maps each work as its batch arrives; the first record of a DOI takes that mapping, a second
    record of the same DOI maps its own: two records never share a reference list."""
    works = synthetic_works(3)
    works[0]["reference"] = [{"key": "r1", "unstructured": "Nobody N. A made-up cited work. J Synth. 2001;1:1-2."}]
    with CrossrefStandIn(works) as server:
        client = CrossrefClient(server.url, cache=Cache(tmp_path / "c.sqlite3"))
        src = Provenance("doi-list", "dois.txt", 1)
        records = [Record(source=src) for _ in range(4)]
        for rec, w in zip(records, [works[0], works[1], works[2], works[0]]):
            rec.set("doi", w["DOI"].lower(), src)
        prefetch(records, client)
        items = [enrich_record(rec, client) for rec in records]
    assert all(i.status.value == "verified" for i in items)
    first, again = items[0].record, items[3].record
    assert len(first.references) == len(again.references) == 1
    assert first.references is not again.references and first.references[0] is not again.references[0]
    assert first.title == again.title == works[0]["title"][0]
    assert [i.record.title for i in items[:3]] == [w["title"][0] for w in works]


def test_stopping_the_read_ahead_leaves_the_dois_not_yet_asked_to_the_caller(tmp_path):
    """The read-ahead asks one batch at a time; when link_references stops it, it ends after the batch in flight
    (it used to ask every DOI still in its inbox first, one batch after another, while the build waited). The DOIs
    it did not ask are then asked once, concurrently: no DOI twice, no more requests."""
    from mscbib.refs import read_ahead

    works = synthetic_works(500)
    with CrossrefStandIn(works, latency=0.3) as server:
        client = CrossrefClient(server.url, cache=Cache(tmp_path / "c.sqlite3"), batch_size=100)
        client.work(works[0]["DOI"])  # Crossref reached: the read-ahead's batches go at once
        server.reset_counters()
        ahead = read_ahead(client)
        ahead.seen({"reference": [{"DOI": w["DOI"]} for w in works[1:]]})  # 499 DOIs: 5 batches
        while server.count("filter") == 0:
            threading.Event().wait(0.01)
        ahead.stop()
        asked_ahead = server.count("filter")
        assert asked_ahead <= 2  # the batch in flight (and at most one more begun meanwhile), not all five
        with client.lean():
            answers = client.works([w["DOI"] for w in works[1:]])
    assert {a.status.value for a in answers.values()} == {"found"} and len(answers) == 499
    assert server.count("filter") == 5 and server.count("work") == 0
    asked = [d for r in server.requests if "filter" in r.params for d in r.params["filter"][0].split(",")]
    assert len(asked) == len(set(asked)) == 499


def test_clean_text_folds_every_kind_of_space_with_or_without_the_fast_path():
    """clean_text skips the space substitution where a string has single spaces only (most of the 400,000 values a
    warm build cleans); every run and every other space is still folded."""
    from mscbib.text import clean_text

    assert clean_text(" A plain title ") == "A plain title"
    assert clean_text("two  spaces\tand a tab") == "two spaces and a tab"
    assert clean_text("non\u00a0breaking\u2003em\u202fnarrow\u3000ideographic") == "non breaking em narrow ideographic"
    assert clean_text("café\u00a0 au lait") == "café au lait" and clean_text("e\u0301t\u00e9") == "été"
    assert clean_text("line\nbreak ") == "line\nbreak"  # line breaks are not spaces to fold, as before
    assert clean_text("\u00a0") == "" and clean_text("") == "" and clean_text(None) == ""
