"""The citation graph, and the tags / refs / graph / expand commands, on a build of the seeds (local stand-in)."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from mscbib.build import build
from mscbib.cli import main
from mscbib.graph import read_graph
from mscbib.refs import expand
from conftest import SEEDS

NS = {"g": "http://graphml.graphdrawing.org/xmlns"}


@pytest.fixture
def built(client, tmp_path):
    out = tmp_path / "bib" / "library.bib"
    build([str(SEEDS)], str(out), client)
    return out


def test_the_graph_has_every_citation_and_every_key_resolves(built):
    g = read_graph([built, built.with_name("cited.bib")])
    assert len(g.nodes) == 8 and len(g.edges) == 8  # 3 cited by bergfeld, 5 by nwabokamdje
    assert g.missing() == []
    assert ("bergfeldBoneMarrowDerived2010", "oswaldMesenchymalStemCells2004") in g.edges


def test_graph_command_writes_graphml_csv_and_svg(built, tmp_path):
    stem = tmp_path / "out" / "g"
    r = CliRunner().invoke(main, ["graph", str(built), str(built.with_name("cited.bib")), "-o", str(stem), "--svg"])
    assert r.exit_code == 0, r.output
    root = ET.parse(f"{stem}.graphml").getroot()
    edges = root.findall(".//g:edge", NS)
    assert len(edges) == 8 and len(root.findall(".//g:node", NS)) == 8
    with open(f"{stem}.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    hass = [x for x in rows if x["target"] == "hassDifferentPopulationsSources2011"]
    assert len(hass) == 2 and hass[0]["target_doi"] == "10.1186/1478-811x-9-12"
    ET.parse(f"{stem}.svg")  # well-formed
    assert "8 works, 8 citations" in r.output


def test_refs_command_prints_the_table(built):
    r = CliRunner().invoke(main, ["refs", "nwabokamdjeMesenchymalStromalCells2017", "-f", str(built)])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert len(lines) == 6
    assert "hassDifferentPopulationsSources2011" in lines[1] and " doi " in lines[1]
    assert "jinComparativeAnalysisHuman2013" in lines[2] and " text " in lines[2]
    r = CliRunner().invoke(main, ["refs", "noSuchKey", "-f", str(built)])
    assert r.exit_code == 1 and "noSuchKey" in r.output


def test_tags_command_counts_and_explains(built):
    r = CliRunner().invoke(main, ["tags", str(built)])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[0].split(None, 1) == ["3", "cancer"]
    r = CliRunner().invoke(main, ["tags", str(built), "--explain", "bergfeldBoneMarrowDerived2010"])
    assert r.exit_code == 0, r.output
    assert "chemoresistance\n    abstract: 'drug resistance'" in r.output


def test_tags_explain_uses_the_configured_vocabulary(built, tmp_path, monkeypatch):
    """--explain re-applies the vocabulary the build would use: MSCBIB_VOCABULARY here, not the default."""
    mine = tmp_path / "mine.toml"
    mine.write_text('[topics.chemo]\ntag = "chemoresistance"\nsynonyms = ["resistance to drugs", "drug resistance"]\n',
                    encoding="utf-8")
    monkeypatch.setenv("MSCBIB_VOCABULARY", str(mine))
    r = CliRunner().invoke(main, ["tags", str(built), "--explain", "bergfeldBoneMarrowDerived2010"])
    assert r.exit_code == 0, r.output
    assert "chemoresistance\n    abstract: 'drug resistance'" in r.output
    # a tag the default vocabulary explains is, under this one, only an input keyword
    assert "bone marrow-derived MSCs\n    a keyword of the input or a Crossref subject" in r.output
    mine.write_text('[topics.broken]\nsynonyms = ["x"]\n', encoding="utf-8")
    r = CliRunner().invoke(main, ["tags", str(built), "--explain", "bergfeldBoneMarrowDerived2010"])
    assert r.exit_code == 2 and "mine.toml" in r.output


def test_expand_adds_cited_works_with_a_doi(client, tmp_path):
    out = tmp_path / "bib" / "library.bib"
    result = expand([str(SEEDS)], str(out), client, depth=1, cap=10)
    keys = {r.key for r in result.records}
    assert {"hassDifferentPopulationsSources2011", "phinneyMesenchymalStromalCells2013",
            "oswaldMesenchymalStemCells2004"} <= keys and len(keys) == 6
    listed = (tmp_path / "bib" / "expanded-dois.txt").read_text()
    assert "10.1634/stemcells.22-3-377  # bergfeldBoneMarrowDerived2010, nwabokamdjeMesenchymalStromalCells2017" in listed
    # what the library itself holds is no longer in cited.bib; the text-only ones still are
    assert sorted(r.key for r in result.cited) == ["jinComparativeAnalysisHuman2013",
                                                   "portalskaEffectDonorVariation2013"]


def test_expand_respects_the_cap(client, tmp_path):
    result = expand([str(SEEDS)], str(tmp_path / "lib.bib"), client, depth=2, cap=1)
    assert len(result.records) == 4


def _citing_work(i: int, cited: list[str]) -> dict:
    """A made-up library work citing the made-up works ``cited`` (DOI, title, author, year, journal known)."""
    return {
        "_synthetic": "made up for the expand ranking test", "DOI": f"10.5555/lib-{i}", "type": "journal-article",
        "title": [f"Synthetic library work number {i} on stromal signalling"],
        "author": [{"given": "Ada", "family": f"Libauthor{i}", "sequence": "first"}],
        "container-title": ["Journal of Synthetic Results"], "issued": {"date-parts": [[2020]]},
        "reference": [{"key": f"r{i}-{d}", "DOI": f"10.5555/{d}", "author": f"Cited{d.title()}", "year": "2001",
                       "journal-title": "Annals of Made-up Work", "article-title": f"On the {d} effect in cells"}
                      for d in cited],
    }


def test_expand_ranks_by_citations_and_writes_what_is_known(tmp_path, cache):
    """`expand --cap 2` takes the two works most cited in the library (not the alphabetically first), and writes
    what the references tell of them when Crossref does not know their DOIs (not bare @misc{anon…})."""
    from mscbib.crossref import CrossrefClient
    from mscbib.testing.crossref_standin import CrossrefStandIn

    works = [_citing_work(1, ["aaa", "zzz", "mmm"]), _citing_work(2, ["zzz", "mmm"]), _citing_work(3, ["zzz"])]
    dois = tmp_path / "dois.txt"
    dois.write_text("# synthetic\n" + "".join(f"{w['DOI']}\n" for w in works))
    out = tmp_path / "lib.bib"
    with CrossrefStandIn(works) as server:
        result = expand([str(dois)], str(out), CrossrefClient(server.url, cache=cache), depth=1, cap=2)
    listed = (tmp_path / "expanded-dois.txt").read_text().splitlines()[1:]
    assert [line.split()[0] for line in listed] == ["10.5555/zzz", "10.5555/mmm"]  # cited 3 times, then twice
    assert listed[0].endswith("# libauthor1SyntheticLibraryWork2020, libauthor2SyntheticLibraryWork2020, "
                              "libauthor3SyntheticLibraryWork2020")
    added = {r.doi: r for r in result.records if r.doi in ("10.5555/zzz", "10.5555/mmm")}
    assert set(added) == {"10.5555/zzz", "10.5555/mmm"}
    z = added["10.5555/zzz"]
    assert z.get("title") == "On the zzz effect in cells" and z.get("year") == "2001"
    assert z.get("journal") == "Annals of Made-up Work" and z.get("authors")
    assert not z.key.startswith("anon")
    text = out.read_text()
    assert "@misc{anon" not in text and "On the zzz effect in cells" in text
