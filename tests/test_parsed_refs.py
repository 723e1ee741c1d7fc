"""Printed references parsed once per run, and not again in the next (mscbib.refs.parsed_refs).

The texts are synthetic reference strings made up here; the parser is the real one."""

from __future__ import annotations

import pytest

from mscbib.enrich import Enriched, EnrichStatus
from mscbib.model import Provenance, Record
from mscbib.refs import link_references, parsed_refs
from mscbib.refs.parsed_refs import ParsedTexts, parser_version
from mscbib.services.crossref import Cache
from mscbib.services.crossref.cache import parsed_key
from mscbib.sources.refstring import parse_citation, parse_citations

TEXTS = [
    "Placeholder A, Synthetic B. A made-up study of nothing in particular. J Synth Rec. 2011;12:345-350.",
    "Nobody N (1999) Another invented work on stromal things. Made-up Journal 3(2):10-20",
]


class Counting:
    """The real parser, counting its calls."""

    def __init__(self):
        self.calls = []

    def __call__(self, text):
        self.calls.append(text)
        return parse_citation(text)

    def many(self, texts):
        self.calls.extend(texts)
        return parse_citations(texts)


def parts(ref):
    return (
        ref.title,
        ref.journal,
        ref.year,
        ref.volume,
        ref.pages,
        [a.family for a in ref.authors],
        ref.authors_complete,
    )


def test_each_text_is_parsed_once_and_each_caller_gets_its_own_copy():
    parser = Counting()
    texts = ParsedTexts(parser=parser)
    first = texts.parse(TEXTS[0])
    assert parts(first) == parts(parse_citation(TEXTS[0]))
    first.title, first.authors = None, []  # a caller fills and changes what it got
    again = texts.parse(TEXTS[0])
    assert parts(again) == parts(parse_citation(TEXTS[0])) and again.title
    assert parser.calls == [TEXTS[0]] and texts.parsed == 1


def test_the_next_run_reads_the_parses_from_the_cache(tmp_path):
    cache = Cache(tmp_path / "c.sqlite3")
    run1 = ParsedTexts(cache, parser=Counting())
    expected = [parts(run1.parse(t)) for t in TEXTS]
    run1.flush()
    assert len(cache) == 2
    parser = Counting()
    run2 = ParsedTexts(Cache(tmp_path / "c.sqlite3"), parser=parser)
    run2.preload(TEXTS)
    assert [parts(run2.parse(t)) for t in TEXTS] == expected
    assert parser.calls == [] and run2.parsed == 0
    run2.flush()  # nothing new: nothing written
    assert len(cache) == 2


def test_refresh_parses_again(tmp_path):
    cache = Cache(tmp_path / "c.sqlite3")
    run1 = ParsedTexts(cache)
    run1.parse(TEXTS[0])
    run1.flush()
    parser = Counting()
    run2 = ParsedTexts(cache, refresh=True, parser=parser)
    run2.preload(TEXTS)
    run2.parse(TEXTS[0])
    assert parser.calls == [TEXTS[0]]


def test_another_parser_version_never_reuses_a_parse(tmp_path, monkeypatch):
    cache = Cache(tmp_path / "c.sqlite3")
    run1 = ParsedTexts(cache)
    run1.parse(TEXTS[0])
    run1.flush()
    version = parser_version()
    assert cache.get(parsed_key(TEXTS[0], version)) is not None
    # a changed parser, model or helper is a new digest (mscbib.refs.parsed_refs.parser_version): a new key
    monkeypatch.setattr(parsed_refs, "parser_version", lambda: "another-version")
    parser = Counting()
    run2 = ParsedTexts(cache, parser=parser)
    run2.preload(TEXTS)
    run2.parse(TEXTS[0])
    assert parser.calls == [TEXTS[0]]
    assert parsed_key(TEXTS[0], "another-version") != parsed_key(TEXTS[0], version)


def test_the_version_covers_the_parser_and_its_model():
    assert len(parser_version()) == 16 and parser_version() == parser_version()
    walked = {p.name for p in parsed_refs._walk(parsed_refs.resources.files("mscbib"))}
    assert {"refstring.py", "refmodel.py", "refmodel.crfsuite", "text.py", "model.py"} <= walked


def _citing(key, refs):
    return Enriched(
        Record(source=Provenance("crossref", "synthetic", None), key=key),
        EnrichStatus.VERIFIED,
        work={"DOI": f"10.5555/{key}", "reference": refs},
    )


@pytest.fixture
def offline_client(tmp_path):
    from mscbib.services.crossref import CrossrefClient

    return lambda: CrossrefClient("http://127.0.0.1:9", cache=Cache(tmp_path / "c.sqlite3"), offline=True)


def test_a_rebuild_parses_no_deposited_reference_again_and_keeps_every_part(offline_client, monkeypatch):
    """Two entries citing the same two texts deposited without a DOI: the first run parses each text once (not once
    per entry), the second none, and both make the same cited works."""
    parser = Counting()
    monkeypatch.setattr("mscbib.sources.refstring.parse_citation", parser)
    monkeypatch.setattr("mscbib.sources.refstring.parse_citations", parser.many)  # the batch the preload parses

    def run():
        items = [
            _citing(f"citing{n}2020", [{"key": f"u{i}", "unstructured": t} for i, t in enumerate(TEXTS)])
            for n in range(2)
        ]
        cited = link_references(items, offline_client(), mode="doi")
        return sorted((w.title, w.get("year"), w.get("journal"), w.get("volume"), w.printed) for w in cited)

    first = run()
    assert sorted(parser.calls) == sorted(TEXTS)
    assert len(first) == 2 and all(t and y for t, y, *_ in first)
    parser.calls.clear()
    assert run() == first and parser.calls == []
