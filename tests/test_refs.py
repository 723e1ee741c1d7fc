"""Cited-reference lists: merging deposited and printed lists, verified resolution, keys, cites and cited.bib."""

from __future__ import annotations

import json

import bibtexparser
import pytest

from mscbib.build import build
from mscbib.crossref.mapping import references_from_work
from mscbib.enrich import EnrichStatus, Enriched
from mscbib.model import Provenance, Record, Reference
from mscbib.refs import complete_reference, link_references, merge_references, same_reference, zotero_note
from mscbib.sources import expand_inputs, read_inputs
from conftest import FIXTURES, SEEDS

SEED004 = json.loads((FIXTURES / "crossref" / "seed-004-s10555-010-9222-7.json").read_text())["message"]
HASS, PHINNEY, OSWALD = "10.1186/1478-811x-9-12", "10.1016/j.jcyt.2012.11.005", "10.1634/stemcells.22-3-377"


def printed_refs():
    rec = next(r for r in read_inputs(expand_inputs([str(SEEDS)]), None).records if r.source.file.endswith("002_e98953a2bc270a0f.txt"))
    return rec.references


def entries(path):
    lib = bibtexparser.parse_file(str(path))
    assert lib.failed_blocks == []
    return {e.key: {f.key: f.value for f in e.fields} for e in lib.entries}


# -- parsing and merging -------------------------------------------------------------------------------------
def test_an_author_year_string_completes_a_reference():
    # the one reference-string parser (sources/refstring.parse_citation) fills what the reference lacks
    ref = complete_reference(Reference(text="Oswald J et al (2004) Mesenchymal stem cells can be differentiated into "
                                            "endothelial cells in vitro. Stem Cells 22:377-384", doi="10.1634/x"))
    assert [a.family for a in ref.authors] == ["Oswald"] and not ref.authors_complete
    assert (ref.title, ref.journal, ref.year, ref.volume, ref.pages, ref.doi) == (
        "Mesenchymal stem cells can be differentiated into endothelial cells in vitro", "Stem Cells", "2004", "22",
        "377--384", "10.1634/x")  # what the reference had is kept


@pytest.mark.parametrize("text", ["Personal communication, 2009", "Smith J, personal communication.",
                                  "Unpublished data"])
def test_an_unparseable_string_gets_no_invented_fields(text):
    ref = complete_reference(Reference(text=text))
    assert ref.text == text
    assert (ref.title, ref.journal, ref.year, ref.volume, ref.issue, ref.pages, ref.doi) == (None,) * 7
    assert all(a.family in text or a.literal in text for a in ref.authors)


def test_a_stated_part_is_never_overwritten():
    ref = complete_reference(Reference(text="Oswald J et al (2004) Mesenchymal stem cells can be differentiated "
                                            "into endothelial cells in vitro. Stem Cells 22:377-384", year="2005",
                                       journal="Stem cells (Dayton)"))
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
    assert lib["bergfeldBoneMarrowDerived2010"]["cites"] == (
        "hassDifferentPopulationsSources2011, phinneyMesenchymalStromalCells2013, oswaldMesenchymalStemCells2004")
    assert cited["hassDifferentPopulationsSources2011"]["doi"] == HASS
    # the structured and the unstructured one were found by the verified search
    assert cited["phinneyMesenchymalStromalCells2013"]["doi"] == PHINNEY
    assert cited["oswaldMesenchymalStemCells2004"]["doi"] == OSWALD
    assert cited["oswaldMesenchymalStemCells2004"]["author"].startswith("Oswald, Joachim and Boxberger, Sabine")


def test_one_cited_entry_per_work_across_the_library(built):
    result, lib, cited = built
    assert sorted(cited) == ["hassDifferentPopulationsSources2011", "jinComparativeAnalysisHuman2013",
                             "oswaldMesenchymalStemCells2004", "phinneyMesenchymalStromalCells2013",
                             "portalskaEffectDonorVariation2013"]
    both = "bergfeldBoneMarrowDerived2010, nwabokamdjeMesenchymalStromalCells2017"
    for key in ("hassDifferentPopulationsSources2011", "phinneyMesenchymalStromalCells2013",
                "oswaldMesenchymalStemCells2004"):
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
        "hassDifferentPopulationsSources2011", "jinComparativeAnalysisHuman2013",
        "phinneyMesenchymalStromalCells2013", "oswaldMesenchymalStemCells2004", "portalskaEffectDonorVariation2013"]


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
    assert lib[hass]["citedby"] == "bergfeldBoneMarrowDerived2010, nwabokamdjeMesenchymalStromalCells2017"
    assert lib["bergfeldBoneMarrowDerived2010"]["cites"].split(", ")[0] == hass
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
    note = lib["bergfeldBoneMarrowDerived2010"]["annote"]
    assert note.splitlines() == ["Cites (mscbib):",
                                 f"[1] hassDifferentPopulationsSources2011 doi:{HASS}",
                                 f"[2] phinneyMesenchymalStromalCells2013 doi:{PHINNEY}",
                                 f"[3] oswaldMesenchymalStemCells2004 doi:{OSWALD}"]


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
    cited = link_references([Enriched(citing, EnrichStatus.UNVERIFIED), Enriched(target, EnrichStatus.UNVERIFIED)],
                            client)
    assert cited == [] and citing.cites == ["phinneyOwn2013"]
    assert zotero_note(citing) == f"Cites (mscbib):\n[1] phinneyOwn2013 doi:{PHINNEY}"


# -- batched resolution ------------------------------------------------------------------------------------------
def test_references_of_the_whole_library_are_resolved_in_batches(client, standin):
    """Synthetic: 3 library entries citing 250 distinct DOIs (overlapping lists), 4 references printed without a
    DOI (3 of them registered works, 1 not) and 2 DOIs Crossref does not know."""
    from mscbib.testing.crossref_standin import synthetic_works

    works = synthetic_works(253)  # 0-249 cited by DOI, 250-252 printed without one
    for w in works:
        standin.add(w)

    def unstructured(i):
        w = works[i]
        year, vol, page = w["issued"]["date-parts"][0][0], w["volume"], w["page"].replace("-", "–")
        return (f"{w['author'][0]['family']} A, Placeholder B. {w['title'][0]}. J Synth Rec. {year};{vol}:{page}.")

    src = Provenance("crossref", "synthetic", None)
    items = []
    for n, (lo, hi) in enumerate([(0, 100), (80, 180), (170, 250)]):
        rec = Record(source=src, key=f"citing{n}2020")
        refs = [{"key": f"r{i}", "DOI": works[i]["DOI"]} for i in range(lo, hi)]
        refs += [{"key": "u1", "unstructured": unstructured(250 + n)},
                 {"key": "x", "DOI": f"10.5555/mscbib-unregistered-{n % 2}"}]
        if n == 2:
            refs.append({"key": "u2", "unstructured": "Nobody N. A work no register holds. J Nowhere. 1999;1:1-2."})
        items.append(Enriched(rec, EnrichStatus.VERIFIED, work={"DOI": f"10.5555/citing-{n}", "reference": refs}))
    standin.reset_counters()
    cited = link_references(items, client)
    # 250 + 2 distinct DOIs: ceil(252 / 100) = 3 requests; one verified search per distinct DOI-less reference
    assert standin.count("filter") == 3 and standin.count("work") == 0
    assert standin.count("query") == 4 and standin.count() == 7
    assert client.stats.requests == 7
    by_key = {w.key: w for w in cited}
    for n, item in enumerate(items):
        rec = item.record
        assert len(rec.cites) == len(rec.references)
        found = by_key[rec.cites[-2 if n < 2 else -3]]
        assert found.doi == works[250 + n]["DOI"]  # the DOI-less reference, resolved by the verified search
    nobody = by_key[items[2].record.cites[-1]]
    assert nobody.doi is None and nobody.printed.startswith("Nobody N.")  # unresolved: kept as text, never guessed
    assert len(cited) == 250 + 3 + 2 + 1
