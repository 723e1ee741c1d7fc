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


def test_fewer_collections_stops_the_collector_and_restores_the_callers_state():
    before = gc.isenabled()
    try:
        gc.enable()
        with _perf.fewer_collections():
            assert not gc.isenabled()
            with _perf.fewer_collections():  # nested: still off, and restored only by the outer block
                pass
            assert not gc.isenabled()
        assert gc.isenabled()
        gc.disable()  # a caller that had it off keeps it off

        @_perf.fewer_collections()
        def inside():
            return gc.isenabled()

        assert inside() is False and not gc.isenabled()
        gc.enable()
        with_error = threading.Event()
        try:
            with _perf.fewer_collections():
                with_error.set()
                raise RuntimeError("a build that fails")
        except RuntimeError:
            pass
        assert with_error.is_set() and gc.isenabled()
    finally:
        (gc.enable if before else gc.disable)()


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


def test_the_registered_work_check_compares_titles_only_where_they_can_tell_another_work(shared):
    """registered_for_another skips the title comparison where neither the first author nor the year contradicts
    (no title can then make the DOI another work's): its verdict is compare_registered's, on every pair of the
    recorded Crossref works (the record stating one, the DOI registered for the other), also with the first
    author or the year of the other taken over."""
    import json

    from mscbib.enrich.match import compare_registered, registered_for_another
    from mscbib.services.crossref.mapping import record_from_work

    works = []
    for path in sorted((shared / "crossref-samples").glob("work-*.json")):
        message = json.loads(path.read_text(encoding="utf-8")).get("message")
        if isinstance(message, dict) and message.get("DOI"):
            works.append(message)
    assert len(works) >= 40
    mapped = [record_from_work(w) for w in works]
    another = same = 0
    for i, rec in enumerate(mapped):
        for j in range(0, len(mapped), 3):
            registered, work = mapped[j], works[j]
            variants = [rec]
            for name in ("year", "authors"):  # the record agreeing with the registered work on one fact more
                if registered.get(name):
                    twin = record_from_work(works[i])
                    twin.set(name, registered.get(name), twin.source)
                    variants.append(twin)
            for stated in variants:
                full = compare_registered(stated, registered, work)
                quick = registered_for_another(stated, registered, work)
                assert (quick is not None) == full.another_work, (i, j)
                if quick is not None:
                    assert quick == full
                    another += 1
                else:
                    same += 1
    assert another > 100 and same > 100  # both verdicts are exercised


def test_the_all_caps_check_stops_at_the_first_lower_case_letter_with_the_same_answer():
    import random

    from mscbib.services.crossref.mapping import _all_caps

    def old(text):
        letters = [c for c in text if c.isalpha()]
        return len(letters) >= 4 and not any(c.islower() for c in letters)

    r = random.Random(15)
    alphabet = "ABCDabcd ÉéßǅⓐⒶ1-:ªº\u2160\u2170ΣσДд"
    samples = ["THE IMPACT OF", "DNA", "DNA REPAIR", "The impact", "ⓐⓑⓒⓓ", "ǅǅǅǅ", ""]
    samples += ["".join(r.choice(alphabet) for _ in range(r.randrange(12))) for _ in range(20000)]
    assert [_all_caps(t) for t in samples] == [old(t) for t in samples]
    assert any(old(t) for t in samples) and not all(old(t) for t in samples)
