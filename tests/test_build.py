"""`mscbib build` end to end, through the real Crossref client, against the local stand-in."""

from __future__ import annotations

import json
import shutil

import bibtexparser
import pytest

from conftest import SEEDS
from mscbib.enrich import EnrichStatus
from mscbib.pipeline.build import EXIT_INPUT, EXIT_UNVERIFIED, build
from mscbib.pipeline.report import report_json
from mscbib.services.crossref import Cache, CrossrefClient

SEED_DOI_FOUND_BY_SEARCH = "10.20892/j.issn.2095-3941.2017.0014"


def entries(path):
    lib = bibtexparser.parse_file(str(path))
    assert lib.failed_blocks == []
    return {e.key: {f.key: f.value for f in e.fields} for e in lib.entries}


def by_doi(result, doi):
    return next(e for e in result.enriched if e.record.doi == doi)


def test_build_enriches_the_seeds(client, standin, tmp_path):
    out = tmp_path / "bib" / "library.bib"
    result = build([str(SEEDS)], str(out), client)
    assert result.exit_code == 0
    assert {e.status for e in result.enriched} == {EnrichStatus.VERIFIED}
    lib = entries(out)
    assert sorted(lib) == [
        "bergfeldBoneMarrowderivedMesenchymal2010",
        "nwabokamdjeMesenchymalStromalCells2017",
        "sunTumorassociatedMesenchymalStem2025",
    ]
    # the "et al." page gets the full author list from Crossref
    assert lib["bergfeldBoneMarrowderivedMesenchymal2010"]["author"] == "Bergfeld, Scott A. and DeClerck, Yves A."
    assert lib["bergfeldBoneMarrowderivedMesenchymal2010"]["issn"] == "0167-7659, 1573-7233"
    # the seed without a DOI gets one by a verified search (and not the decoy with a similar title)
    seed002 = lib["nwabokamdjeMesenchymalStromalCells2017"]
    assert seed002["doi"] == SEED_DOI_FOUND_BY_SEARCH
    assert seed002["year"] == "2017" and seed002["pages"] == "129--141"
    # the page's keywords are kept among the topic tags (mscbib.tags), normalised and sorted
    assert {"chemoresistance", "systemic circulation", "tumor modulation"} <= set(seed002["keywords"].split(", "))
    item = by_doi(result, SEED_DOI_FOUND_BY_SEARCH)
    rejected = [c for c in item.candidates if c.doi == "10.5555/mscbib-decoy-0001"]
    assert rejected and not rejected[0].accepted and "volume" in rejected[0].contradict
    # 1 search and 2 DOIs for the entries; 5 searches and 1 DOI for their cited references (mscbib.refs), and the
    # work the (lean) search verified, asked for whole by DOI for its reference list
    assert standin.count("query") == 6 and standin.count("work") == 4


def test_provenance_says_what_came_from_where(client, tmp_path):
    result = build([str(SEEDS)], str(tmp_path / "lib.bib"), client)
    rec = by_doi(result, "10.1007/s10555-010-9222-7").record
    assert rec.origin_of("title").origin == "page" and rec.origin_of("title").line == 21
    assert rec.origin_of("authors").origin == "crossref"
    assert rec.origin_of("journal").origin == "crossref" and rec.origin_of("journal_abbrev").origin == "page"
    report = report_json(result)
    entry = next(e for e in report["entries"] if e["doi"] == "10.1007/s10555-010-9222-7")
    assert entry["fields"]["volume"] == {"from": "page", "where": f"{SEEDS}/004_899c7bae68d53af6.txt:18"}
    assert "authors" in entry["filled_from_crossref"]


def test_second_build_makes_no_request(standin, tmp_path):
    cache_path = tmp_path / "cache.sqlite3"
    first = build([str(SEEDS)], str(tmp_path / "a.bib"), CrossrefClient(standin.url, cache=Cache(cache_path)))
    asked = standin.count()
    # 3 entries, 6 distinct cited references, and the search-verified entry asked for whole (its references)
    assert asked == 10 and first.stats.requests == 10
    second = build([str(SEEDS)], str(tmp_path / "b.bib"), CrossrefClient(standin.url, cache=Cache(cache_path)))
    assert standin.count() == asked
    assert second.stats.requests == 0 and second.stats.cache_hits == 10
    assert (tmp_path / "a.bib").read_bytes() == (tmp_path / "b.bib").read_bytes()


def test_offline_uses_the_cache_alone(standin, tmp_path):
    cache_path = tmp_path / "cache.sqlite3"
    online = build([str(SEEDS)], str(tmp_path / "a.bib"), CrossrefClient(standin.url, cache=Cache(cache_path)))
    url = standin.url
    standin.stop()  # nothing answers now
    offline = build([str(SEEDS)], str(tmp_path / "b.bib"), CrossrefClient(url, cache=Cache(cache_path), offline=True))
    assert offline.exit_code == 0 and offline.stats.requests == 0
    assert (tmp_path / "a.bib").read_bytes() == (tmp_path / "b.bib").read_bytes()
    assert online.count(EnrichStatus.VERIFIED) == offline.count(EnrichStatus.VERIFIED) == 3


def test_offline_with_an_empty_cache_builds_from_the_pages(tmp_path):
    result = build(
        [str(SEEDS)],
        str(tmp_path / "lib.bib"),
        CrossrefClient("http://127.0.0.1:9", cache=Cache(tmp_path / "c.sqlite3"), offline=True),
    )
    assert result.exit_code == 0
    assert result.count(EnrichStatus.UNVERIFIED) == 3
    lib = entries(tmp_path / "lib.bib")
    assert lib["bergfeldBoneMarrowderivedMesenchymal2010"]["author"] == "Bergfeld, Scott A and others"


def test_crossref_unreachable_still_builds_and_exits_3(standin, tmp_path):
    url = standin.url
    standin.stop()
    result = build([str(SEEDS)], str(tmp_path / "lib.bib"), CrossrefClient(url, cache=Cache(tmp_path / "c.sqlite3")))
    assert result.exit_code == EXIT_UNVERIFIED
    assert result.unreachable
    assert result.stats.requests == 1  # the circuit breaker: one failed request, not one per record
    assert len(entries(tmp_path / "lib.bib")) == 3
    assert all(any(f.code == "CR001" for f in r.findings) for r in result.records)


def test_committed_library_is_what_an_offline_build_makes(tmp_path):
    """bib/library.bib is built from the seed pages alone (no Crossref answer was ever received here)."""
    out = tmp_path / "library.bib"
    build([str(SEEDS)], str(out), CrossrefClient("http://127.0.0.1:9", cache=Cache(tmp_path / "c"), offline=True))
    committed = SEEDS.parent / "bib" / "library.bib"
    assert out.read_text() == committed.read_text()
    # and bib/cited.bib: the works the seeds cite, as the pages print them (mscbib.refs)
    assert (tmp_path / "cited.bib").read_text() == (SEEDS.parent / "bib" / "cited.bib").read_text()


def test_disagreement_is_reported_and_crossref_wins(client, tmp_path):
    page = (SEEDS / "004_899c7bae68d53af6.txt").read_text().replace("2010 Jun;29(2):249-61", "2010 Jun;28(2):249-61")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.txt").write_text(page)
    result = build([str(tmp_path / "in")], str(tmp_path / "lib.bib"), client)
    rec = result.records[0]
    assert rec.get("volume") == "29" and rec.origin_of("volume").origin == "crossref"
    found = [f for f in rec.findings if f.code == "CR010" and f.field == "volume"]
    assert len(found) == 1
    assert "'28'" in found[0].message and "'29'" in found[0].message
    assert found[0].line == 18 and found[0].severity.value == "warning"
    item = result.enriched[0]
    assert [(d.field, d.input_value, d.crossref_value) for d in item.disagreements] == [("volume", "28", "29")]


def test_unknown_doi_is_an_error(client, tmp_path):
    (tmp_path / "dois.txt").write_text("10.1007/s10555-010-9222-7\n10.5555/does-not-exist\n")
    result = build([str(tmp_path / "dois.txt")], str(tmp_path / "lib.bib"), client)
    assert result.exit_code == 1
    assert [f.code for f in result.findings if f.severity.value == "error"] == ["CR002"]
    assert len(entries(tmp_path / "lib.bib")) == 2  # kept, with what the input had


def test_unrecognised_input_is_reported_and_the_rest_builds(client, tmp_path):
    inputs = tmp_path / "in"
    shutil.copytree(SEEDS, inputs)
    (inputs / "notes.txt").write_text("call the library about the loan\n")
    result = build([str(inputs)], str(tmp_path / "lib.bib"), client)
    assert result.exit_code == EXIT_INPUT
    assert [f.file for f in result.failures] == [str(inputs / "notes.txt")]
    assert len(entries(tmp_path / "lib.bib")) == 3


def test_same_work_twice_becomes_one_entry(client, tmp_path):
    inputs = tmp_path / "in"
    shutil.copytree(SEEDS, inputs)
    (inputs / "dois.txt").write_text("https://doi.org/10.1007/S10555-010-9222-7\n")
    result = build([str(inputs)], str(tmp_path / "lib.bib"), client)
    assert len(entries(tmp_path / "lib.bib")) == 3
    assert len(result.merged) == 1


def test_report_json_is_deterministic(client, tmp_path):
    a = report_json(build([str(SEEDS)], str(tmp_path / "a.bib"), client))
    b = report_json(build([str(SEEDS)], str(tmp_path / "a.bib"), client))
    a.pop("crossref"), b.pop("crossref")  # request counts differ: the second run is served from the cache
    # the rebuild keeps the keys a.bib now holds (issue 12 item 4): the same keys, now "output"
    assert [e.pop("key_from") for e in a["entries"]] == ["new"] * len(a["entries"])
    assert [e.pop("key_from") for e in b["entries"]] == ["output"] * len(b["entries"])
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def test_polite_pool_identity_is_sent(client, standin, tmp_path):
    build([str(SEEDS)], str(tmp_path / "a.bib"), client)
    ua = standin.requests[0].headers["User-Agent"]
    assert "mscbib/" in ua and "mailto:tests@example.org" in ua


@pytest.mark.parametrize("interrupt_at", ["render", "replace"])
def test_write_is_atomic(client, tmp_path, monkeypatch, interrupt_at):
    out = tmp_path / "lib.bib"
    out.write_text("% the old library\n")
    import mscbib._io as io_mod
    import mscbib.writers.bibtex as writer

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(
        writer if interrupt_at == "render" else io_mod.os, "render" if interrupt_at == "render" else "replace", boom
    )
    with pytest.raises(KeyboardInterrupt):
        build([str(SEEDS)], str(out), client)
    assert out.read_text() == "% the old library\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


# -- topic vocabulary and tag reasons -------------------------------------------------------------------------
# synthetic: a two-topic vocabulary written for these tests
MY_TOPICS = """
[topics.bone]
tag = "bone biology"
synonyms = ["bone marrow", "osteolysis"]

[topics.stroma]
tag = "stroma"
synonyms = ["stromal cells"]
parents = ["bone"]
"""


def cli_build(tmp_path, *args, env=None):
    from click.testing import CliRunner

    from mscbib.cli import main

    out = tmp_path / "bib" / "library.bib"
    res = CliRunner().invoke(
        main,
        [
            "build",
            str(SEEDS),
            "-o",
            str(out),
            "--offline",
            "--cache",
            str(tmp_path / "c.sqlite3"),
            "--report",
            str(tmp_path / "r.json"),
            *args,
        ],
        env=env,
    )
    return res, out


def keywords(out):
    return {k: set(f.get("keywords", "").split(", ")) for k, f in entries(out).items()}


def test_build_vocabulary_option_replaces_the_default(tmp_path):
    (tmp_path / "mine.toml").write_text(MY_TOPICS)
    res, out = cli_build(tmp_path, "--vocabulary", str(tmp_path / "mine.toml"))
    assert res.exit_code == 0, res.output
    tags = keywords(out)
    # bergfeld's title says "Bone marrow-derived", its abstract "osteolysis"; the page's keywords stay
    assert {"bone biology"} <= tags["bergfeldBoneMarrowderivedMesenchymal2010"]
    assert "mesenchymal stem/stromal cells" not in set().union(*tags.values())  # the default is not used
    assert "stroma" in tags["kamdjeMesenchymalStromalCells"] and "bone biology" in tags["kamdjeMesenchymalStromalCells"]
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["vocabulary"] == str(tmp_path / "mine.toml")
    assert f"Topic tags from: {tmp_path / 'mine.toml'}." in res.output


def test_the_project_local_vocabulary_is_picked_up(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mscbib-vocabulary.toml").write_text(MY_TOPICS)
    res, out = cli_build(tmp_path)
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "r.json").read_text())["vocabulary"] == "mscbib-vocabulary.toml"
    assert "bone biology" in keywords(out)["bergfeldBoneMarrowderivedMesenchymal2010"]
    # the option wins over the local file; and an environment variable names a file too
    (tmp_path / "other.toml").write_text(MY_TOPICS.replace("bone biology", "skeleton"))
    res, out = cli_build(tmp_path, env={"MSCBIB_VOCABULARY": str(tmp_path / "other.toml")})
    assert "skeleton" in keywords(out)["bergfeldBoneMarrowderivedMesenchymal2010"]


def test_an_unusable_vocabulary_stops_the_build_naming_file_and_topic(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[topics.x]\nsynonyms = ["y"]\n')
    res, out = cli_build(tmp_path, "--vocabulary", str(bad))
    assert res.exit_code == 2 and not out.exists()
    assert f"{bad}: [topics.x]: needs tag" in res.output


def test_the_report_says_why_each_tag_was_applied(tmp_path):
    res, out = cli_build(tmp_path, "-v")  # -v: why each tag was applied, one tag a line
    assert res.exit_code == 0, res.output
    report = json.loads((tmp_path / "r.json").read_text())
    entry = next(e for e in report["entries"] if e["key"] == "bergfeldBoneMarrowderivedMesenchymal2010")
    lib_tags = entries(out)["bergfeldBoneMarrowderivedMesenchymal2010"]["keywords"].split(", ")
    assert sorted(entry["tags"]) == sorted(lib_tags)  # every tag written has its reasons
    assert all(entry["tags"][t] for t in lib_tags)
    assert {
        "origin": "vocabulary",
        "field": "title",
        "matched": "tumor microenvironment",
        "where": f"{SEEDS}/004_899c7bae68d53af6.txt:21",
    } in entry["tags"]["tumor microenvironment"]
    assert {
        "origin": "parent",
        "field": "title",
        "matched": "tumor microenvironment",
        "where": f"{SEEDS}/004_899c7bae68d53af6.txt:21",
    } in entry["tags"]["cancer"]
    lines = res.output.splitlines()
    assert "       angiogenesis (abstract: 'angiogenesis')" in lines
    assert any(l.startswith("       tumor microenvironment (title: 'tumor microenvironment'") for l in lines)
    assert any(l.startswith("       cancer (parent of 'tumor microenvironment'") for l in lines)


def test_a_smaller_build_does_not_replace_the_library(tmp_path):
    from mscbib.exits import EXIT_OUTPUT

    out = tmp_path / "lib.bib"
    offline = CrossrefClient("http://127.0.0.1:9", cache=Cache(tmp_path / "c.sqlite3"), offline=True)
    assert build([str(SEEDS)], str(out), offline).output == str(out)
    before = out.read_bytes()
    one = sorted(SEEDS.iterdir())[0]
    result = build([str(one)], str(out), offline)
    assert result.exit_code == EXIT_OUTPUT and result.output is None
    assert "holds 3 entries and this build made 1" in result.not_written
    assert out.read_bytes() == before
    result = build([str(one)], str(out), offline, force=True)
    assert result.exit_code != EXIT_OUTPUT and result.backups == [f"{out}.bak", f"{tmp_path / 'lib.cited.bib'}.bak"]
    assert (tmp_path / "lib.bib.bak").read_bytes() == before


# -- the build as a list of stages over a Library (issue 17) ---------------------------------------------------


def _fake_stage_plugin(tmp_path, monkeypatch, source: str, entry: str):
    """A plug-in package installed as tests/test_plugins.py installs its example: a module and a .dist-info on
    sys.path, so importlib.metadata finds its ``mscbib.stages`` entry point."""
    from mscbib import plugins

    (tmp_path / "plug").mkdir()
    (tmp_path / "plug" / "mscbib_stage_plugin.py").write_text(source, encoding="utf-8")
    info = tmp_path / "plug" / "mscbib_stage_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: mscbib-stage-plugin\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[mscbib.stages]\n{entry}\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "plug"))
    plugins.reset()
    monkeypatch.setattr(plugins, "_CACHE", {})


STAGE_PLUGIN = '''
from mscbib.model import Finding, Severity

SEEN = []


class Flag:
    """A synthetic plug-in stage: one finding per entry without a volume, made once keys exist."""

    after = "key"

    def __call__(self, library):
        SEEN.append([r.key for r in library.records])
        for rec in library.records:
            rec.findings.append(Finding("EXS001", Severity.INFO, "seen by the plug-in stage", key=rec.key))
        return library


def broken(library):
    raise RuntimeError("not a stage that works")
'''


def test_a_plugin_stage_runs_in_every_build(client, tmp_path, monkeypatch):
    import sys

    _fake_stage_plugin(tmp_path, monkeypatch, STAGE_PLUGIN, "flag = mscbib_stage_plugin:Flag")
    try:
        from mscbib.plugins import discover

        assert [(p.name, p.ok, p.builtin) for p in discover("mscbib.stages")] == [("flag", True, False)]
        result = build([str(SEEDS)], str(tmp_path / "lib.bib"), client)
        seen = sys.modules["mscbib_stage_plugin"].SEEN
        # it ran once, after the key stage (every entry has its key), and its findings are the build's
        assert seen == [sorted(r.key for r in result.records)] and all(seen[0])
        exs = [f for f in result.findings if f.code == "EXS001"]
        assert sorted(f.key for f in exs) == sorted(r.key for r in result.records)
        assert result.exit_code == 0  # an informational finding changes nothing else
    finally:
        sys.modules.pop("mscbib_stage_plugin", None)


def test_a_failing_plugin_stage_is_a_finding_not_a_traceback(client, tmp_path, monkeypatch):
    import sys

    _fake_stage_plugin(tmp_path, monkeypatch, STAGE_PLUGIN, "broken = mscbib_stage_plugin:broken")
    try:
        result = build([str(SEEDS)], str(tmp_path / "lib.bib"), client)
        plg = [f for f in result.findings if f.code == "PLG001"]
        assert len(plg) == 1 and "'broken'" in plg[0].message and "not a stage that works" in plg[0].message
        assert result.output == str(tmp_path / "lib.bib") and len(result.records) == 3  # the build went on
    finally:
        sys.modules.pop("mscbib_stage_plugin", None)


def test_a_caller_adds_a_stage_to_the_build(client, tmp_path):
    """``build(stages=[...])``: a library caller extends the list as a plug-in does, without an entry point."""
    seen = []

    def count_cited(library):
        seen.append((len(library.records), len(library.cited)))
        return library

    count_cited.after = "references"

    result = build([str(SEEDS)], str(tmp_path / "lib.bib"), client, stages=[count_cited])
    assert seen == [(len(result.records), len(result.cited))] and seen[0][1] > 0


def test_plugin_stage_order_follows_its_after():
    from mscbib.pipeline.stages import with_plugins

    def named(name):
        def stage(library):
            return library

        stage.name = name
        return stage

    builtin = [named(n) for n in ("read", "key", "tag", "validate", "write")]

    class Early:
        name, after = "early", "read"

    class Default:
        name = "default"

    class Nowhere:
        name, after = "nowhere", "no-such-stage"

    got = with_plugins(builtin, [Early(), Default(), Nowhere()])
    assert [s.name for s in got] == ["read", "early", "key", "tag", "default", "validate", "nowhere", "write"]


def test_the_stages_run_one_by_one_on_a_library(client, tmp_path):
    """Each stage is a function Library -> Library: called alone, it does its part and hands the rest on."""
    from mscbib.model import Library
    from mscbib.pipeline.stages.enrich import Enrich, MergeDuplicates
    from mscbib.pipeline.stages.keys import Key
    from mscbib.pipeline.stages.read import Read
    from mscbib.pipeline.stages.references import References
    from mscbib.pipeline.stages.tags import Tag
    from mscbib.pipeline.stages.validate import Validate
    from mscbib.pipeline.stages.write import Write
    from mscbib.tags import load_vocabulary

    (tmp_path / "in").mkdir()
    shutil.copy(SEEDS / "004_899c7bae68d53af6.txt", tmp_path / "in" / "seed.txt")
    (tmp_path / "in" / "broken.txt").write_text("nothing any reader knows, synthetic\n", encoding="utf-8")
    lib = Read([str(tmp_path / "in")])(Library())
    assert lib.inputs == [str(tmp_path / "in" / "broken.txt"), str(tmp_path / "in" / "seed.txt")]
    assert len(lib.records) == 1 and lib.records[0].key is None and lib.items == []
    assert [f.file for f in lib.failures] == [str(tmp_path / "in" / "broken.txt")]
    page_title = lib.records[0].title

    lib = Enrich(client)(lib)
    assert [i.record for i in lib.items] == lib.records and lib.items[0].status is EnrichStatus.VERIFIED
    assert any(v.source.origin == "crossref" for _, v in lib.records[0].items())
    assert lib.records[0].title == page_title
    lib = MergeDuplicates()(lib)
    assert lib.merged == []

    from mscbib.model import Finding, Severity

    before = lib.records[0].label()  # a finding made before keys exist names the record by its DOI
    lib.records[0].findings.append(Finding("EXS002", Severity.INFO, "made before the key (synthetic)", key=before))
    out = tmp_path / "lib.bib"
    lib = Key(str(out))(lib)
    assert lib.records[0].key == "bergfeldBoneMarrowderivedMesenchymal2010" and lib.key_origins == {
        "bergfeldBoneMarrowderivedMesenchymal2010": "new"
    }
    # the findings enrichment made name the record by its key from the key stage on
    assert lib.records[0].findings and all(
        f.key == "bergfeldBoneMarrowderivedMesenchymal2010" for f in lib.records[0].findings
    )
    lib = References(client, "none")(lib)
    assert lib.cited and all(w.key for w in lib.cited) and lib.records[0].cites == [w.key for w in lib.cited]
    lib = Tag(load_vocabulary())(lib)
    assert lib.records[0].get("keywords")
    lib = Validate()(lib)
    assert [f.code for f in lib.findings if f.code.startswith("IN")] == ["IN001"]
    assert all(f.key == lib.records[0].key for f in lib.records[0].findings)
    lib = Write(str(out), str(tmp_path / "cited.bib"))(lib)
    assert lib.output == str(out) and lib.not_written is None
    assert "bergfeldBoneMarrowderivedMesenchymal2010" in entries(out)


def test_folders_are_expanded_once_per_build(client, tmp_path, monkeypatch):
    from mscbib import sources
    from mscbib.pipeline.stages import read as read_stage

    calls = []
    real = sources.expand_inputs
    monkeypatch.setattr(read_stage, "expand_inputs", lambda paths: calls.append(list(paths)) or real(paths))
    monkeypatch.setattr(sources, "expand_inputs", lambda paths: calls.append(list(paths)) or real(paths))
    result = build([str(SEEDS)], str(tmp_path / "lib.bib"), client)
    assert calls == [[str(SEEDS)]] and len(result.inputs) == len(real([str(SEEDS)]))
