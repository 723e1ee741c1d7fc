"""The Crossref client against the local stand-in: batching, planning, limits, cache, Metadata Plus.

All works here are synthetic (mscbib.testing.crossref_standin.synthetic_works labels them so)."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from mscbib.services.crossref import Cache, CrossrefClient, LookupStatus
from mscbib.services.crossref.client import BATCH_SIZE
from mscbib.services.crossref.ratelimit import POLITE, Limits
from mscbib.testing.crossref_standin import CrossrefStandIn, synthetic_works

WORKS = synthetic_works(60)
DOIS = [w["DOI"] for w in WORKS]


@pytest.fixture
def many(synthetic_standin):
    return synthetic_standin


def make(server, tmp_path, **kw):
    kw.setdefault("backoff", 0.01)
    return CrossrefClient(server.url, cache=Cache(tmp_path / "c.sqlite3"), **kw)


def test_batches_use_filter_doi_and_rows(many, tmp_path):
    client = make(many, tmp_path, batch_size=25)
    answers = client.works(DOIS)
    assert {a.status for a in answers.values()} == {LookupStatus.FOUND}
    assert sorted(answers) == sorted(d.lower() for d in DOIS)
    assert many.count("filter") == 3 and many.count("work") == 0  # ⌈60 / 25⌉
    first = next(r for r in many.requests if "filter" in r.params)
    assert first.params["rows"] == ["25"]
    assert first.params["filter"][0].split(",")[:2] == [f"doi:{DOIS[0]}", f"doi:{DOIS[1]}"]
    assert answers[DOIS[7]].message["title"] == WORKS[7]["title"]


def test_a_doi_missing_from_a_batch_is_asked_alone_then_cached_as_not_found(many, tmp_path):
    # a batch answer proves only what it holds: the DOI it does not account for is asked for alone, and
    # Crossref's own 404 for it is the "not registered" (issue 12 item 6)
    client = make(many, tmp_path)
    ghost = "10.5555/mscbib-no-such-work"
    answers = client.works(DOIS[:10] + [ghost])
    assert answers[ghost].status is LookupStatus.NOT_FOUND
    assert many.count("filter") == 1 and [r.path for r in many.requests if "filter" not in r.params] == [
        f"/works/{ghost}"
    ]
    # cached as "not found": asking again sends nothing
    again = make(many, tmp_path).work(ghost)
    assert again.status is LookupStatus.NOT_FOUND and again.from_cache and many.count() == 2


def test_an_incomplete_batch_answer_is_completed_one_by_one(tmp_path):
    with CrossrefStandIn(list(WORKS), max_rows=8) as server:
        answers = make(server, tmp_path).works(DOIS[:10])
        assert {a.status for a in answers.values()} == {LookupStatus.FOUND}
        assert server.count("filter") == 1 and server.count("work") == 2


def test_request_kind_is_the_one_that_finishes_sooner(many, tmp_path):
    client = make(many, tmp_path)
    assert client._plan(1) is False  # one DOI: a single-record request
    assert client._plan(2, n_queries=1) is False  # singles leave the list budget to the search
    assert client._plan(60) is True
    client.work(DOIS[0])
    assert many.count("work") == 1 and many.count("filter") == 0
    assert BATCH_SIZE == 100


def test_single_work_keeps_its_meaning(many, tmp_path):
    client = make(many, tmp_path)
    a = client.work("https://doi.org/" + DOIS[3].upper())
    assert a.status is LookupStatus.FOUND and a.doi == DOIS[3] and a.message["DOI"] == DOIS[3]
    assert client.work("10.5555/nothing-here").status is LookupStatus.NOT_FOUND


def test_warm_rerun_makes_zero_requests_and_max_age_refetches(many, tmp_path):
    make(many, tmp_path).works(DOIS)
    asked = many.count()
    warm = make(many, tmp_path)
    assert all(a.from_cache for a in warm.works(DOIS).values())
    assert many.count() == asked and warm.stats.requests == 0
    stale = make(many, tmp_path, max_age=0)  # everything is older than 0 s
    stale.works(DOIS)
    assert many.count() > asked
    refreshed = make(many, tmp_path, refresh=True)
    refreshed.work(DOIS[0])
    assert refreshed.stats.requests == 1


def test_limits_are_kept_and_no_429_is_caused(tmp_path):
    with CrossrefStandIn(list(WORKS), latency=0.05, limits=POLITE) as server:
        client = make(server, tmp_path, mailto="tests@example.org", batch_size=6)
        answers = client.works(DOIS[:36])
        assert len(answers) == 36 and {a.status for a in answers.values()} == {LookupStatus.FOUND}
        assert server.count_status(429) == 0 and client.stats.throttled == 0
        assert server.count() == 6 and server.peak_concurrency <= POLITE.concurrency


def test_searches_run_within_the_limits_and_come_back_in_order(tmp_path):
    with CrossrefStandIn(list(WORKS), latency=0.02, limits=POLITE) as server:
        client = make(server, tmp_path, mailto="tests@example.org")
        queries = [{"query.bibliographic": f"Synthetic study number {i}"} for i in (5, 6, 7, 8)]
        answers = client.searches(queries)
        assert [a.query for a in answers] == queries
        assert all(a.status is LookupStatus.FOUND for a in answers)
        assert server.count("query") == 4 and server.count_status(429) == 0
        assert client.search(queries[0]) is answers[0]  # remembered: no second request
        assert server.count("query") == 4


def test_headers_announcing_lower_limits_are_followed(tmp_path):
    slow = Limits(single_rate=2, list_rate=1, concurrency=1)
    with CrossrefStandIn(list(WORKS), limits=slow) as server:
        client = make(server, tmp_path, mailto="tests@example.org")
        client.work(DOIS[0])
        assert client.pacer.rate("single") == 2 and client.pacer.concurrency == 1
        client.works(DOIS[1:4], queries_pending=0)
        assert server.count_status(429) == 0


def test_metadata_plus_token_is_sent_as_crossref_documents(many, tmp_path):
    client = make(many, tmp_path, plus_token="s3cret")
    client.work(DOIS[0])
    headers = {k.lower(): v for k, v in many.requests[0].headers.items()}
    assert headers["crossref-plus-api-token"] == "Bearer s3cret"
    assert "mscbib/" in headers["user-agent"]


def test_two_concurrent_runs_share_one_cache(many, tmp_path):
    results = []

    def run(part):
        client = CrossrefClient(many.url, cache=Cache(tmp_path / "shared.sqlite3"), batch_size=5, backoff=0.01)
        results.append(client.works(part))

    threads = [threading.Thread(target=run, args=(DOIS[i::2],)) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(len(r) for r in results) == 60
    db = sqlite3.connect(tmp_path / "shared.sqlite3")
    assert db.execute("SELECT count(*) FROM answers WHERE key LIKE '% work:%'").fetchone()[0] == 60
    db.close()


# -- issue 15: a warm build costs what parsing costs -----------------------------------------------------------
def test_the_first_answer_is_handled_while_the_other_batches_are_in_flight(many, tmp_path):
    """The first request of a run goes alone (an unreachable Crossref costs one); its answer is handled once the
    others are under way, so handling it (mapping a hundred works) does not hold them back."""
    import time

    client = make(many, tmp_path, batch_size=20, limits=Limits(single_rate=100, list_rate=100, concurrency=3))
    sent_meanwhile = []

    def progress(answer):
        if not sent_meanwhile:  # the first answer: wait (at most 5 s) for the other batches to be sent
            deadline = time.monotonic() + 5
            while many.count("filter") < 3 and time.monotonic() < deadline:
                time.sleep(0.01)
            sent_meanwhile.append(many.count("filter"))

    answers = client.works(DOIS, progress=progress)
    assert len(answers) == 60 and many.count("filter") == 3
    assert sent_meanwhile == [3]


def test_the_next_request_is_spaced_from_when_the_last_one_left_not_from_its_slot():
    """A sender held up after its slot was granted (measured: 120 ms on a loaded machine) would arrive at the server
    closer to the next request than the spacing, and four list requests would fall in one second: a 429."""
    from mscbib.services.crossref.ratelimit import Pacer

    now = [0.0]
    pacer = Pacer(Limits(single_rate=10, list_rate=3, concurrency=3), clock=lambda: now[0])
    spacing = pacer.spacing("list")
    with pacer.slot("list"):
        now[0] = 0.12  # the request leaves late
        pacer.sent("list")
    assert pacer._next["list"] == pytest.approx(0.12 + spacing)
    now[0] = 0.12 + spacing - 0.01
    ready = threading.Event()

    def second():
        with pacer.slot("list"):
            ready.set()

    t = threading.Thread(target=second)
    t.start()
    assert not ready.wait(0.2)  # not before a spacing after the late one left
    now[0] = 0.12 + spacing
    with pacer._cond:
        pacer._cond.notify_all()
    assert ready.wait(2)
    t.join()
    pacer.sent("single")  # an on-time request of another kind changes nothing for lists
    assert pacer._next["list"] == pytest.approx(0.12 + 2 * spacing)


def test_every_request_tells_the_pacer_when_it_leaves(many, tmp_path):
    client = make(many, tmp_path, batch_size=20)
    left = []
    real = client.pacer.sent
    client.pacer.sent = lambda kind: left.append(kind) or real(kind)
    client.works(DOIS[:40])
    client.work("10.5555/mscbib-not-there")
    assert left == ["list", "list", "single"] and many.count() == 3


def test_offline_a_key_the_cache_lacks_is_asked_of_it_once_and_online_each_time(many, tmp_path):
    # issue 15: an offline build of a .bib asks for every entry's DOI (and search) in one preload, then once more
    # per record: the second look-up of what the preload found absent went to SQLite again (all misses)
    make(many, tmp_path).works(DOIS[:5])
    offline = make(many, tmp_path, offline=True)
    gets: list[str] = []
    real_get = offline.cache.get
    offline.cache.get = lambda key, max_age=None: gets.append(key) or real_get(key, max_age)  # type: ignore[method-assign]
    answers = offline.works(DOIS[:10])  # one preload: 5 found, 5 absent
    assert [answers[d].status for d in DOIS[:10]] == [LookupStatus.FOUND] * 5 + [LookupStatus.OFFLINE] * 5
    for _ in range(3):
        assert [offline.work(d).status for d in DOIS[:10]] == [LookupStatus.FOUND] * 5 + [LookupStatus.OFFLINE] * 5
    offline.searches([{"query.bibliographic": f"nothing {i}"} for i in range(4)])  # one query for the four
    for i in range(4):
        assert offline.search({"query.bibliographic": f"nothing {i}"}).status is LookupStatus.OFFLINE
    assert gets == []
    # online, a key is looked up each time: another run sharing the cache may have stored it since (the full
    # answer of a work this run holds lean wins: test_crossref_answers.test_lean_batches_and_searches_select_…)
    online = make(many, tmp_path)
    online.cache.get = lambda key, max_age=None: gets.append(key) or real_get(key, max_age)  # type: ignore[method-assign]
    with online.lean():
        online.works(DOIS[:2])
        online.work(DOIS[0])
        online.work(DOIS[0])
    assert len(gets) == 0  # the full answers were found by the preload and are held
    with online.lean():
        make(many, tmp_path).works(DOIS[20:22])  # (another run)
        online.work(DOIS[20])
        online.work(DOIS[20])
    assert len(gets) == 1  # found full on disk the first time, then held


@pytest.mark.parametrize("message", ["busy", ["a", "list"], 7, None, {}, {"items": "none"}])
def test_a_search_answer_whose_message_is_no_object_is_a_failure_not_a_traceback(tmp_path, message):
    # found by typing crossref.client (issue 15): `(body.get("message") or {}).get("items")` raised AttributeError
    # on a 200 answer whose message is a string or a list; a DOI batch already checked the message's type
    from mscbib.services.crossref.client import _Outcome

    client = CrossrefClient("http://127.0.0.1:9", cache=Cache(tmp_path / "c.sqlite3"))
    client._call = lambda kind, fn: _Outcome(body={"status": "ok", "message": message})  # type: ignore[method-assign]
    answer = client.search({"query.bibliographic": "anything at all"})
    assert answer.status is LookupStatus.FAILED and answer.error == "Crossref's answer holds no item list"
    batch = client.works(["10.5555/a", "10.5555/b"])
    assert {a.status for a in batch.values()} == {LookupStatus.FAILED}
    assert len(client.cache) == 0  # nothing of it cached


def test_the_mapping_table_names_only_record_fields_and_stores_what_set_would():
    """record_from_work stores the table's values without Record.set's checks (a warm build maps 4,000 works):
    every name it writes must be a record field, and what it stores must be what Record.set stores."""
    from mscbib.model import FIELDS, LIST_FIELDS, Provenance, Record
    from mscbib.services.crossref.mapping import FIELD_TABLE, record_from_work

    assert {name for name, _ in FIELD_TABLE} <= set(FIELDS)
    work = {
        "DOI": "10.5555/Table",
        "title": ["A title"],
        "author": [{"family": "Smith", "given": "J."}, {"name": "et al."}],
        "ISSN": ["1234-5678"],
        "issued": {"date-parts": [[2020, 5]]},
        "volume": "",  # empty: not stored, as Record.set would not
        "page": "1-9",
        "language": [],
        "type": "journal-article",
    }
    rec = record_from_work(work)
    by_set = Record(source=rec.source)
    src = Provenance(origin="crossref", detail="10.5555/table", format="crossref")
    for name, convert in FIELD_TABLE:
        by_set.set(name, convert(work), src)
    assert rec.values == by_set.values
    assert "volume" not in rec.values and "language" not in rec.values
    assert all(type(rec.get(n)) is list for n in LIST_FIELDS if n in rec)
    assert rec.get("authors_complete") is False


def test_a_field_is_skipped_only_where_its_conversion_gives_nothing():
    """record_from_work skips a field whose keys (mapping._READS) the work lacks: each such conversion must give
    nothing without them, whatever else the work holds; and a work's record is what the whole table makes."""
    from mscbib.model import Provenance, Record
    from mscbib.services.crossref.mapping import _READS, FIELD_TABLE, record_from_work
    from mscbib.testing.crossref_standin import synthetic_works

    full = {
        "DOI": "10.5555/skip",
        "title": ["T <i>x</i>"],
        "subtitle": ["S"],
        "author": [{"family": "Smith", "given": "J."}],
        "editor": [{"family": "Roe", "given": "R."}],
        "container-title": ["J. Tests"],
        "short-container-title": ["J Tests"],
        "ISSN": ["1234-5678"],
        "issn-type": [{"value": "1234-5678", "type": "print"}],
        "ISBN": ["9780306406157"],
        "issued": {"date-parts": [[2020, 5, 2]]},
        "published-online": {"date-parts": [[2019, 12, 1]]},
        "volume": "3",
        "issue": "4",
        "page": "1-9",
        "article-number": "e5",
        "publisher": "P",
        "publisher-location": "L",
        "edition-number": "2",
        "license": [{"URL": "https://example.org/l", "content-version": "vor"}],
        "resource": {"primary": {"URL": "https://example.org/w"}},
        "language": "en",
        "abstract": "<jats:p>A</jats:p>",
        "type": "book",
    }
    table = dict(FIELD_TABLE)
    for name, reads in _READS.items():
        without = {k: v for k, v in full.items() if k not in reads}
        assert table[name](without) in (None, "", []), name
    src = Provenance(origin="crossref", detail="10.5555/skip", format="crossref")
    works = [full, *synthetic_works(5), {k: v for k, v in full.items() if k in ("DOI", "title", "page")}]
    for work in works:
        by_table = Record(source=src)
        for name, convert in FIELD_TABLE:
            by_table.set(name, convert(work), Provenance("crossref", detail=by_table.source.detail, format="crossref"))
        assert {k: v.value for k, v in record_from_work(work).values.items()} == {
            k: v.value for k, v in by_table.values.items()
        }


def test_the_model_s_own_inits_set_every_field_the_dataclass_declares():
    """Value, Provenance and Person write their own __init__ (the mapping makes ~200,000 of them a build): a field
    added to the class and not to its __init__ would be left unset; each must take every field, with its default,
    and stay frozen and comparable as the dataclass made it."""
    import dataclasses
    import inspect

    from mscbib.model import Person, Provenance, Value

    for cls in (Value, Provenance, Person):
        params = list(inspect.signature(cls.__init__).parameters.values())[1:]
        declared = dataclasses.fields(cls)
        assert [p.name for p in params] == [f.name for f in declared], cls
        assert [p.default for p in params] == [
            inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default for f in declared
        ], cls
        values = {f.name: f"v-{f.name}" for f in declared}
        obj = cls(**values)
        assert {f.name: getattr(obj, f.name) for f in declared} == values
        assert obj == cls(**values) and hash(obj) == hash(cls(**values))
        assert dataclasses.replace(obj) == obj
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, declared[0].name, "changed")
