"""What makes a warm build cost what parsing costs (issue 15), without changing what it writes.

Works are synthetic (mscbib.testing.crossref_standin.synthetic_works)."""

from __future__ import annotations

import gc
import threading

from mscbib import _perf
from mscbib.crossref import Cache, CrossrefClient
from mscbib.enrich import enrich_record, prefetch
from mscbib.model import Provenance, Record
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
