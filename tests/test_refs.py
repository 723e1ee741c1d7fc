"""Cited-reference lists: merging deposited and printed lists, verified resolution, keys, cites and cited.bib."""

from __future__ import annotations

import json

import bibtexparser
import pytest

from conftest import FIXTURES, SEEDS
from mscbib.enrich import Enriched, EnrichStatus
from mscbib.model import Provenance, Record, Reference
from mscbib.pipeline.build import build
from mscbib.refs import complete_reference, link_references, merge_references, same_reference, zotero_note
from mscbib.services.crossref.mapping import references_from_work
from mscbib.sources import expand_inputs, read_inputs

SEED004 = json.loads((FIXTURES / "crossref" / "seed-004-s10555-010-9222-7.json").read_text())["message"]
HASS, PHINNEY, OSWALD = "10.1186/1478-811x-9-12", "10.1016/j.jcyt.2012.11.005", "10.1634/stemcells.22-3-377"


def printed_refs():
    rec = next(
        r
        for r in read_inputs(expand_inputs([str(SEEDS)]), None).records
        if r.source.file.endswith("002_e98953a2bc270a0f.txt")
    )
    return rec.references


def entries(path):
    lib = bibtexparser.parse_file(str(path))
    assert lib.failed_blocks == []
    return {e.key: {f.key: f.value for f in e.fields} for e in lib.entries}


# -- parsing and merging -------------------------------------------------------------------------------------
def test_an_author_year_string_completes_a_reference():
    # the one reference-string parser (sources/refstring.parse_citation) fills what the reference lacks
    ref = complete_reference(
        Reference(
            text="Oswald J et al (2004) Mesenchymal stem cells can be differentiated into "
            "endothelial cells in vitro. Stem Cells 22:377-384",
            doi="10.1634/x",
        )
    )
    assert [a.family for a in ref.authors] == ["Oswald"] and not ref.authors_complete
    assert (ref.title, ref.journal, ref.year, ref.volume, ref.pages, ref.doi) == (
        "Mesenchymal stem cells can be differentiated into endothelial cells in vitro",
        "Stem Cells",
        "2004",
        "22",
        "377--384",
        "10.1634/x",
    )  # what the reference had is kept


@pytest.mark.parametrize(
    "text", ["Personal communication, 2009", "Smith J, personal communication.", "Unpublished data"]
)
def test_an_unparseable_string_gets_no_invented_fields(text):
    ref = complete_reference(Reference(text=text))
    assert ref.text == text
    assert (ref.title, ref.journal, ref.year, ref.volume, ref.issue, ref.pages, ref.doi) == (None,) * 7
    assert all(a.family in text or a.literal in text for a in ref.authors)


def test_a_stated_part_is_never_overwritten():
    ref = complete_reference(
        Reference(
            text="Oswald J et al (2004) Mesenchymal stem cells can be differentiated "
            "into endothelial cells in vitro. Stem Cells 22:377-384",
            year="2005",
            journal="Stem cells (Dayton)",
        )
    )
    assert (ref.year, ref.journal, ref.volume) == ("2005", "Stem cells (Dayton)", "22")


def test_deposited_and_printed_lists_merge_in_order_without_duplicates():
    deposited = references_from_work(SEED004)  # Hass (DOI), Phinney (structured), Oswald (unstructured)
    printed = printed_refs()  # Hass, Jin, Phinney, Oswald, Portalska
    merged = merge_references(deposited, printed)
    assert [r.authors[0].family for r in merged] == ["Hass", "Jin", "Phinney", "Oswald", "Portalska"]
    assert merged[0].doi == HASS
    assert merged[0].source.origin == "crossref"  # the deposited item is the spine…
    assert merged[2].pages == "140" and merged[2].authors_complete is True  # …the printed one fills its gaps
    assert [a.family for a in merged[2].authors] == ["Phinney", "Sensebé"]
    assert merged[1].source.origin == "page" and merged[1].source.line is not None


def test_a_printed_list_alone_is_kept_whole():
    printed = printed_refs()
    assert merge_references([], printed) == printed and len(printed) == 5


def test_different_works_are_not_merged():
    a = Reference(title="Mesenchymal stromal cells: misconceptions and evolving concepts", year="2013")
    b = Reference(title="Mesenchymal stromal cells: misconceptions and evolving concepts", year="2009")
    assert not same_reference(a, b)
    assert not same_reference(Reference(doi="10.1/a"), Reference(doi="10.1/b", title="x"))
    assert same_reference(Reference(pmid="123"), Reference(pmid="123", title="y"))


# -- the build: cites and cited.bib ------------------------------------------------------------------------------
@pytest.fixture
def built(client, tmp_path):
    out = tmp_path / "bib" / "library.bib"
    result = build([str(SEEDS)], str(out), client)
    return result, entries(out), entries(tmp_path / "bib" / "cited.bib")


def test_deposited_mixed_references_become_cites_keys(built):
    result, lib, cited = built
    # seed 004's Crossref record deposits a DOI, structured parts, and an unstructured string
    assert lib["bergfeldBoneMarrowderivedMesenchymal2010"]["cites"] == (
        "hassDifferentPopulationsSources2011, phinneyMesenchymalStromalCells2013, oswaldMesenchymalStemCells2004"
    )
    assert cited["hassDifferentPopulationsSources2011"]["doi"] == HASS
    # the structured and the unstructured one were found by the verified search
    assert cited["phinneyMesenchymalStromalCells2013"]["doi"] == PHINNEY
    assert cited["oswaldMesenchymalStemCells2004"]["doi"] == OSWALD
    assert cited["oswaldMesenchymalStemCells2004"]["author"].startswith("Oswald, Joachim and Boxberger, Sabine")


def test_one_cited_entry_per_work_across_the_library(built):
    result, lib, cited = built
    assert sorted(cited) == [
        "hassDifferentPopulationsSources2011",
        "jinComparativeAnalysisHuman2013",
        "oswaldMesenchymalStemCells2004",
        "phinneyMesenchymalStromalCells2013",
        "portalskaEffectDonorVariation2013",
    ]
    both = "bergfeldBoneMarrowderivedMesenchymal2010, nwabokamdjeMesenchymalStromalCells2017"
    for key in (
        "hassDifferentPopulationsSources2011",
        "phinneyMesenchymalStromalCells2013",
        "oswaldMesenchymalStemCells2004",
    ):
        assert cited[key]["citedby"] == both


def cites_keys(*files):
    return [(key, k) for f in files for key, fields in f.items() for k in fields.get("cites", "").split(", ") if k]


def assert_cited_bib_complete(lib, cited):
    """Every key of every `cites` field (in either file) resolves in cited.bib alone, and in library.bib +
    cited.bib; a key defined in both files is the same entry (same fields, same values)."""
    pairs = cites_keys(lib, cited)
    assert pairs  # there is something to resolve
    for key, k in pairs:
        assert k in cited, (key, k)
        assert k in {**lib, **cited}, (key, k)
    for key in set(lib) & set(cited):
        assert lib[key] == cited[key], key
    citing = {}
    for key, k in pairs:
        citing.setdefault(k, []).append(key)
    for k, by in citing.items():  # each cited work names the entries citing it
        assert set(cited[k]["citedby"].split(", ")) == set(by), k


def test_every_cites_key_resolves_and_keys_are_unique(built):
    result, lib, cited = built
    assert not set(lib) & set(cited)  # the seeds do not cite each other
    assert_cited_bib_complete(lib, cited)
    assert lib["nwabokamdjeMesenchymalStromalCells2017"]["cites"].split(", ") == [
        "hassDifferentPopulationsSources2011",
        "jinComparativeAnalysisHuman2013",
        "phinneyMesenchymalStromalCells2013",
        "oswaldMesenchymalStemCells2004",
        "portalskaEffectDonorVariation2013",
    ]


def test_a_cited_library_entry_is_also_in_cited_bib_with_the_same_key(client, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for seed in SEEDS.iterdir():
        (inputs / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    (inputs / "dois.txt").write_text(f"{HASS}\n")  # a work the seeds cite, now also a library entry
    out = tmp_path / "bib" / "library.bib"
    result = build([str(inputs)], str(out), client)
    lib, cited = entries(out), entries(tmp_path / "bib" / "cited.bib")
    hass = next(r.key for r in result.records if r.doi == HASS)
    assert hass in lib and hass in cited and hass not in {w.key for w in result.cited}
    assert lib[hass]["citedby"] == "bergfeldBoneMarrowderivedMesenchymal2010, nwabokamdjeMesenchymalStromalCells2017"
    assert lib["bergfeldBoneMarrowderivedMesenchymal2010"]["cites"].split(", ")[0] == hass
    assert_cited_bib_complete(lib, cited)
    # one key per work across both files: no DOI is defined under two keys
    dois = [(k, f["doi"]) for k, f in {**lib, **cited}.items() if "doi" in f]
    assert len({d for _, d in dois}) == len(dois)


def test_unresolved_references_stay_text_never_guessed(built):
    result, lib, cited = built
    for key in ("jinComparativeAnalysisHuman2013", "portalskaEffectDonorVariation2013"):
        assert "doi" not in cited[key]  # no Crossref work verified: no DOI is invented
    jin = next(r for r in result.cited if r.key == "jinComparativeAnalysisHuman2013")
    assert jin.printed.startswith("Jin HJ, Bae YK") and jin.get("journal") == "Int J Mol Sci"


def test_the_zotero_form_is_an_annote_note(built):
    result, lib, cited = built
    note = lib["bergfeldBoneMarrowderivedMesenchymal2010"]["annote"]
    # (then the online-first date, the note's last line: writers/bibtex.py)
    assert note.splitlines()[-1].startswith("Published online: ")
    assert note.splitlines()[:-1] == [
        "Cites (mscbib):",
        f"[1] hassDifferentPopulationsSources2011 doi:{HASS}",
        f"[2] phinneyMesenchymalStromalCells2013 doi:{PHINNEY}",
        f"[3] oswaldMesenchymalStemCells2004 doi:{OSWALD}",
    ]


def test_a_reference_without_title_or_doi_stays_as_printed(client):
    src = Provenance("page", "p.txt", 3)
    rec = Record(source=src, key="citingKey2020")
    rec.set("title", "A citing paper", src)
    rec.references = [Reference(text="Smith J, personal communication.", source=Provenance("page", "p.txt", 9))]
    cited = link_references([Enriched(rec, EnrichStatus.UNVERIFIED)], client)
    assert len(cited) == 1 and cited[0].doi is None and cited[0].printed == "Smith J, personal communication."
    assert rec.cites == [cited[0].key] and cited[0].cited_by == ["citingKey2020"]
    from mscbib.writers.bibtex import entry_fields

    assert entry_fields(cited[0])["note"] == "{Smith J, personal communication.}"


def test_a_cited_work_in_the_library_keeps_its_library_key(client):
    src = Provenance("page", "p.txt", 1)
    citing, target = Record(source=src, key="aKey2020"), Record(source=src, key="phinneyOwn2013")
    target.set("doi", PHINNEY, src)
    citing.references = [Reference(doi=PHINNEY, source=src)]
    cited = link_references(
        [Enriched(citing, EnrichStatus.UNVERIFIED), Enriched(target, EnrichStatus.UNVERIFIED)], client
    )
    assert cited == [] and citing.cites == ["phinneyOwn2013"]
    assert zotero_note(citing) == f"Cites (mscbib):\n[1] phinneyOwn2013 doi:{PHINNEY}"


# -- batched resolution ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["doi", "search"])
def test_references_of_the_whole_library_are_resolved_in_batches(client, standin, mode):
    """Synthetic: 3 library entries citing 250 distinct DOIs (overlapping lists), 4 references deposited without a
    DOI (3 of them registered works, 1 not) and 2 DOIs Crossref does not know. By default (``doi``) the references
    deposited without a DOI are kept as stated (Crossref's matcher already failed them); ``search`` searches them."""
    from mscbib.testing.crossref_standin import synthetic_works

    works = synthetic_works(253)  # 0-249 cited by DOI, 250-252 printed without one
    for w in works:
        standin.add(w)

    def unstructured(i):
        w = works[i]
        year, vol, page = w["issued"]["date-parts"][0][0], w["volume"], w["page"].replace("-", "–")
        return f"{w['author'][0]['family']} A, Placeholder B. {w['title'][0]}. J Synth Rec. {year};{vol}:{page}."

    src = Provenance("crossref", "synthetic", None)
    items = []
    for n, (lo, hi) in enumerate([(0, 100), (80, 180), (170, 250)]):
        rec = Record(source=src, key=f"citing{n}2020")
        refs = [{"key": f"r{i}", "DOI": works[i]["DOI"]} for i in range(lo, hi)]
        refs += [
            {"key": "u1", "unstructured": unstructured(250 + n)},
            {"key": "x", "DOI": f"10.5555/mscbib-unregistered-{n % 2}"},
        ]
        if n == 2:
            refs.append({"key": "u2", "unstructured": "Nobody N. A work no register holds. J Nowhere. 1999;1:1-2."})
        items.append(Enriched(rec, EnrichStatus.VERIFIED, work={"DOI": f"10.5555/citing-{n}", "reference": refs}))
    standin.reset_counters()
    cited = link_references(items, client, mode=mode)
    # 250 + 2 distinct DOIs: ceil(252 / 100) = 3 requests, and the 2 DOIs the batches did not hold asked alone
    # (a batch proves only what it holds); in `search` mode one verified search per distinct DOI-less reference
    searches = 4 if mode == "search" else 0
    assert standin.count("filter") == 3 and standin.count("work") == 2
    assert all(r.params["select"] for r in standin.requests if "filter" in r.params)  # lean: no reference lists
    assert standin.count("query") == searches and standin.count() == 5 + searches
    assert client.stats.requests == 5 + searches
    assert (cited.searched, cited.not_searched, cited.failed) == (searches, 4 - searches, 0)
    by_key = {w.key: w for w in cited}
    for n, item in enumerate(items):
        rec = item.record
        assert len(rec.cites) == len(rec.references)
        found = by_key[rec.cites[-2 if n < 2 else -3]]
        if mode == "search":
            assert found.doi == works[250 + n]["DOI"]  # the DOI-less reference, resolved by the verified search
        else:
            assert found.doi is None and found.printed == unstructured(250 + n)  # kept as stated, parsed
            assert found.title == works[250 + n]["title"][0]
    nobody = by_key[items[2].record.cites[-1]]
    assert nobody.doi is None and nobody.printed.startswith("Nobody N.")  # unresolved: kept as text, never guessed
    assert len(cited) == 250 + 3 + 2 + 1


# -- issue 12 items 1 and 2: each reference its own work unless the evidence says otherwise; names split -------
def _citing(key, refs):
    src = Provenance("crossref", "synthetic", None)
    return Enriched(
        Record(source=src, key=key), EnrichStatus.VERIFIED, work={"DOI": f"10.5555/{key}", "reference": refs}
    )


def test_references_that_state_nothing_alike_are_never_one_work(client):
    """Synthetic deposited references: structured parts only (no DOI, title or string), as Crossref holds many."""
    refs_a = [
        {
            "key": "a1",
            "series-title": "Lecture Notes in Computer Science",
            "year": "2002",
            "volume": "2429",
            "first-page": "1",
        },
        {"key": "a2", "journal-title": "ACM SIGCOMM", "author": "Kohler E", "year": "2002", "volume": "32"},
        {"key": "a3", "year": "1999"},
        {"key": "a4", "year": "1999"},
    ]
    refs_b = [
        {
            "key": "b1",
            "journal-title": "Nature",
            "author": "Spillantini MG",
            "year": "1997",
            "volume": "388",
            "first-page": "839",
        },
        {"key": "b2", "journal-title": "ACM SIGCOMM", "author": "Kohler E", "year": "2002", "volume": "32"},
    ]
    items = [_citing("birman2005", refs_a), _citing("other2010", refs_b)]
    cited = link_references(items, client, mode="none")
    a, b = items[0].record, items[1].record
    assert len(set(a.cites)) == 4 and len(set(b.cites)) == 2  # [1]..[4] four works, not one
    assert a.cites[1] == b.cites[1]  # the same first author, journal, year and volume: one work
    assert len(cited) == 5
    spill = next(w for w in cited if w.authors and w.authors[0].family == "Spillantini")
    assert (spill.authors[0].family, spill.authors[0].given) == ("Spillantini", "M. G.")
    assert spill.key.startswith("spillantini") and "1997" in spill.key
    assert not any(w.key.startswith("anon") for w in cited if w.authors or w.title)


def test_an_initial_is_never_a_title():
    ref = complete_reference(
        Reference(text="Spillantini, M. G. et al. Alpha-synuclein in Lewy bodies. Nature 388, 839-840 (1997).")
    )
    assert ref.title is None or len(ref.title) > 2


# -- issue 15: references resolved only where it can pay --------------------------------------------------------
def test_mode_none_asks_nothing_and_keeps_every_reference(client, standin):
    refs = [
        {"key": "r1", "DOI": HASS},
        {
            "key": "r2",
            "unstructured": "Oswald J et al (2004) Mesenchymal stem cells "
            "can be differentiated into endothelial cells in vitro. Stem Cells 22:377-384",
        },
    ]
    item = _citing("citing2020", refs)
    standin.reset_counters()
    cited = link_references([item], client, mode="none")
    assert standin.count() == 0 and len(cited) == 2 and cited.asked == 0
    assert [w.doi for w in cited] == [HASS, None] and cited[1].title.startswith("Mesenchymal stem cells")


def test_a_reference_that_cannot_be_verified_is_never_searched(client, standin):
    src = Provenance("page", "p.txt", 3)
    rec = Record(source=src, key="citing2020")
    rec.references = [
        Reference(text="Smith J (2004) Stem cells. Blood 3:1-2", source=src),  # a 2-word title
        Reference(title="A title long enough to be matched", source=src),
    ]  # no other fact
    standin.reset_counters()
    cited = link_references([Enriched(rec, EnrichStatus.UNVERIFIED)], client, mode="search")
    assert standin.count() == 0 and cited.searched == 0 and cited.not_searched == 2 and len(cited) == 2


def test_search_mode_states_its_cost_up_front(client, standin):
    refs = [
        {
            "key": "u",
            "unstructured": "Oswald J et al (2004) Mesenchymal stem cells can be differentiated into "
            "endothelial cells in vitro. Stem Cells 22:377-384",
        }
    ]
    told = []
    cited = link_references([_citing("citing2020", refs)], client, mode="search", announce=told.append)
    assert cited.searched == 1 and len(told) == 1 and "1 searches" in told[0] and "list requests/s" in told[0]
    assert cited[0].doi == OSWALD


def test_failed_reference_look_ups_are_reported_and_exit_3(tmp_path):
    """Synthetic: the library entry is answered, every cited-reference batch fails (503 through the retries)."""
    from click.testing import CliRunner

    from mscbib.cli import main
    from mscbib.testing.crossref_standin import CrossrefStandIn, synthetic_works

    works = synthetic_works(3)
    works[0]["reference"] = [{"key": "r1", "DOI": works[1]["DOI"]}, {"key": "r2", "DOI": works[2]["DOI"]}]
    (tmp_path / "d.txt").write_text(works[0]["DOI"] + "\n")
    with CrossrefStandIn(works) as server:
        server.fault("503", times=20, on="filter", retry_after="0")
        out = CliRunner().invoke(
            main,
            [
                "build",
                str(tmp_path / "d.txt"),
                "-o",
                str(tmp_path / "o.bib"),
                "--crossref-url",
                server.url,
                "--cache",
                str(tmp_path / "c.db"),
            ],
        )
    assert out.exit_code == 3, out.output
    assert "CR005" in out.output and "2 of 2 look-ups" in out.output
    assert "doi = {10.5555/mscbib-synth-00001}" in (tmp_path / "o.cited.bib").read_text()  # kept as stated


def test_references_mode_from_the_command_line_and_the_config_file(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from mscbib.cli import main
    from mscbib.testing.crossref_standin import CrossrefStandIn, synthetic_works

    works = synthetic_works(2)
    works[0]["reference"] = [{"key": "r1", "DOI": works[1]["DOI"]}]
    (tmp_path / "d.txt").write_text(works[0]["DOI"] + "\n")
    monkeypatch.chdir(tmp_path)
    with CrossrefStandIn(works) as server:
        args = ["build", "d.txt", "-o", "o.bib", "--crossref-url", server.url, "--cache", "c.db"]
        assert CliRunner().invoke(main, args + ["--references", "none"]).exit_code == 0
        assert server.count() == 1  # the entry only
        (tmp_path / "mscbib.toml").write_text('references = "nosuch"\n')
        bad = CliRunner().invoke(main, args)
        assert bad.exit_code == 2 and "nosuch" in bad.output and "Traceback" not in bad.output
        (tmp_path / "mscbib.toml").write_text('references = "none"\n')
        server.reset_counters()
        assert CliRunner().invoke(main, args).exit_code == 0 and server.count() == 0  # cached entry, refs: none
        assert CliRunner().invoke(main, args + ["--references", "doi"]).exit_code == 0
        assert server.count("filter") + server.count("work") == 1  # the cited DOI, asked now


def test_a_build_asks_each_cited_doi_once_in_lean_batches(tmp_path):
    """Synthetic: 150 library works citing 300 distinct DOIs (each cited by several of them). The cited DOIs are
    read ahead while the library's own entries are looked up; no DOI is asked twice, every ask is lean."""
    from mscbib.services.crossref import Cache, CrossrefClient
    from mscbib.testing.crossref_standin import CrossrefStandIn, synthetic_works

    cited = synthetic_works(300, prefix="10.5555/cited-")
    works = synthetic_works(150)
    for n, w in enumerate(works):
        w["reference"] = [{"key": f"r{k}", "DOI": cited[(n * 7 + k) % 300]["DOI"]} for k in range(20)]
    (tmp_path / "d.txt").write_text("\n".join(w["DOI"] for w in works) + "\n")
    with CrossrefStandIn(works + cited) as server:
        client = CrossrefClient(server.url, cache=Cache(tmp_path / "c.sqlite3"))
        result = build([str(tmp_path / "d.txt")], str(tmp_path / "bib" / "library.bib"), client)
        asked = [f[4:] for r in server.requests if "filter" in r.params for f in r.params["filter"][0].split(",")]
        lean = [r for r in server.requests if "filter" in r.params and r.params.get("select")]
    assert result.exit_code == 0 and len(result.cited) == 300
    assert len(asked) == len(set(asked)) == 450  # 150 entries + 300 cited works, each once
    assert len(lean) >= 3 and all(len(r.params["filter"][0].split(",")) <= 100 for r in lean)
    assert server.count("work") == 0 and server.count() <= 2 + 4  # ceil(150/100) + ceil(300/100) + a remainder


def test_reference_rows_and_tag_views_read_the_written_library(client, tmp_path):
    """The library functions behind `mscbib refs` and `mscbib tags` (mscbib.library.views), on a build's own output."""
    from mscbib.library.graph import read_entries
    from mscbib.library.views import NoSuchEntry, explain_tags, find_entry, reference_rows, tag_counts
    from mscbib.tags import load_vocabulary

    out = tmp_path / "library.bib"
    result = build([str(SEEDS)], str(out), client)
    citing = next(r for r in result.records if r.cites)
    rows = reference_rows(citing.key, str(out))
    assert [r.key for r in rows] == citing.cites and [r.number for r in rows] == list(range(1, len(rows) + 1))
    library_keys = {r.key for r in result.records}
    for row in rows:
        assert row.status == ("library" if row.key in library_keys else "doi" if row.doi else "text")
    with pytest.raises(NoSuchEntry) as exc:
        reference_rows(citing.key[:-1], str(out))
    assert exc.value.near[0] == citing.key and "closest" in str(exc.value)

    entries = read_entries([str(out)])
    counts = dict(tag_counts(entries))
    assert counts and all(
        n == sum(1 for r in result.records if t in (r.get("keywords") or [])) for t, n in counts.items()
    )
    explained = explain_tags(find_entry(entries, citing.key, [str(out)]), load_vocabulary(), str(out))
    assert [e.tag for e in explained] == citing.get("keywords")
    assert any(e.reasons for e in explained)


def test_a_warm_build_looks_each_cited_doi_up_once(tmp_path):
    """Synthetic: a warm build holds the cited works lean; resolving a reference used to look its DOI up again,
    full first, on disk (one empty SQLite look-up per distinct cited DOI): the answer of the batch is used."""
    from mscbib.services.crossref import Cache, CrossrefClient
    from mscbib.testing.crossref_standin import CrossrefStandIn, synthetic_works

    cited = synthetic_works(120, prefix="10.5555/cited-")
    works = synthetic_works(30)
    for n, w in enumerate(works):
        w["reference"] = [{"key": f"r{k}", "DOI": cited[(n * 7 + k) % 120]["DOI"]} for k in range(12)]
    (tmp_path / "d.txt").write_text("\n".join(w["DOI"] for w in works) + "\n")
    with CrossrefStandIn(works + cited) as server:
        cold = CrossrefClient(server.url, cache=Cache(tmp_path / "c.sqlite3"))
        build([str(tmp_path / "d.txt")], str(tmp_path / "cold" / "library.bib"), cold)
        asked = server.count()
        warm = CrossrefClient(server.url, cache=Cache(tmp_path / "c.sqlite3"))
        gets: list[str] = []
        real_get = warm.cache.get
        warm.cache.get = lambda key, max_age=None: gets.append(key) or real_get(key, max_age)  # type: ignore
        result = build([str(tmp_path / "d.txt")], str(tmp_path / "warm" / "library.bib"), warm)
        assert server.count() == asked
    assert len(result.cited) == 120 and [k for k in gets if "cited-" in k] == []
    for name in ("library.bib", "cited.bib"):
        assert (tmp_path / "warm" / name).read_bytes() == (tmp_path / "cold" / name).read_bytes()
