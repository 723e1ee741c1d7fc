"""The citation graph, and the tags / refs / graph / expand commands, on a build of the seeds (local stand-in)."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from conftest import SEEDS
from mscbib.cli import main
from mscbib.library.graph import read_graph
from mscbib.pipeline.build import build
from mscbib.pipeline.expand import expand

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
    assert ("bergfeldBoneMarrowderivedMesenchymal2010", "oswaldMesenchymalStemCells2004") in g.edges


def test_a_biblatex_export_has_the_same_graph(built, tmp_path):
    """mscbib's BibLaTeX has no `cites` field: the keys are in the annotation's Cites note. graph.py read .bib
    with its own parse and found no edge there; it now reads through the one reader (bibfile + the BibTeX
    reader's note parser), so `mscbib graph` and `mscbib refs` on the export see the same citations."""
    from mscbib.bibfile import read_bib
    from mscbib.sources.bibtex import record_from_entry
    from mscbib.writers.bibtex import render

    exported = []
    for src in (built, built.with_name("cited.bib")):
        out = tmp_path / "latex" / src.name
        out.parent.mkdir(exist_ok=True)
        records = [record_from_entry(e, str(src), fields=b.resolved(e)) for b in [read_bib(src)] for e in b.entries]
        out.write_text(render(records, "biblatex"), encoding="utf-8")
        exported.append(out)
    assert "cites" not in read_bib(exported[0]).entries[0].by_name  # the note holds them
    assert "Cites (mscbib):" in exported[0].read_text(encoding="utf-8")
    g = read_graph(exported)
    assert sorted(g.edges) == sorted(read_graph([built, built.with_name("cited.bib")]).edges) and len(g.edges) == 8
    r = CliRunner().invoke(main, ["refs", "nwabokamdjeMesenchymalStromalCells2017", "-f", str(exported[0])])
    assert r.exit_code == 0 and len(r.output.splitlines()) == 6, r.output


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
    r = CliRunner().invoke(main, ["tags", str(built), "--explain", "bergfeldBoneMarrowderivedMesenchymal2010"])
    assert r.exit_code == 0, r.output
    assert "chemoresistance\n    abstract: 'drug resistance'" in r.output


def test_tags_explain_uses_the_configured_vocabulary(built, tmp_path, monkeypatch):
    """--explain re-applies the vocabulary the build would use: MSCBIB_VOCABULARY here, not the default."""
    mine = tmp_path / "mine.toml"
    mine.write_text(
        '[topics.chemo]\ntag = "chemoresistance"\nsynonyms = ["resistance to drugs", "drug resistance"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("MSCBIB_VOCABULARY", str(mine))
    r = CliRunner().invoke(main, ["tags", str(built), "--explain", "bergfeldBoneMarrowderivedMesenchymal2010"])
    assert r.exit_code == 0, r.output
    assert "chemoresistance\n    abstract: 'drug resistance'" in r.output
    # a tag the default vocabulary explains is, under this one, only an input keyword
    assert "bone marrow-derived MSCs\n    a keyword of the input or a Crossref subject" in r.output
    mine.write_text('[topics.broken]\nsynonyms = ["x"]\n', encoding="utf-8")
    r = CliRunner().invoke(main, ["tags", str(built), "--explain", "bergfeldBoneMarrowderivedMesenchymal2010"])
    assert r.exit_code == 2 and "mine.toml" in r.output


def test_expand_adds_cited_works_with_a_doi(client, tmp_path):
    out = tmp_path / "bib" / "library.bib"
    result = expand([str(SEEDS)], str(out), client, depth=1, cap=10)
    keys = {r.key for r in result.records}
    assert {
        "hassDifferentPopulationsSources2011",
        "phinneyMesenchymalStromalCells2013",
        "oswaldMesenchymalStemCells2004",
    } <= keys and len(keys) == 6
    listed = (tmp_path / "bib" / "expanded-dois.txt").read_text()
    assert (
        "10.1634/stemcells.22-3-377  # bergfeldBoneMarrowderivedMesenchymal2010, nwabokamdjeMesenchymalStromalCells2017"
        in listed
    )
    # what the library itself holds is no longer in cited.bib; the text-only ones still are
    assert sorted(r.key for r in result.cited) == [
        "jinComparativeAnalysisHuman2013",
        "portalskaEffectDonorVariation2013",
    ]


def test_expand_respects_the_cap(client, tmp_path):
    result = expand([str(SEEDS)], str(tmp_path / "lib.bib"), client, depth=2, cap=1)
    assert len(result.records) == 4


def _citing_work(i: int, cited: list[str]) -> dict:
    """A made-up library work citing the made-up works ``cited`` (DOI, title, author, year, journal known)."""
    return {
        "_synthetic": "made up for the expand ranking test",
        "DOI": f"10.5555/lib-{i}",
        "type": "journal-article",
        "title": [f"Synthetic library work number {i} on stromal signalling"],
        "author": [{"given": "Ada", "family": f"Libauthor{i}", "sequence": "first"}],
        "container-title": ["Journal of Synthetic Results"],
        "issued": {"date-parts": [[2020]]},
        "reference": [
            {
                "key": f"r{i}-{d}",
                "DOI": f"10.5555/{d}",
                "author": f"Cited{d.title()}",
                "year": "2001",
                "journal-title": "Annals of Made-up Work",
                "article-title": f"On the {d} effect in cells",
            }
            for d in cited
        ],
    }


def test_expand_ranks_by_citations_and_writes_what_is_known(tmp_path, cache):
    """`expand --cap 2` takes the two works most cited in the library (not the alphabetically first), and writes
    what the references tell of them when Crossref does not know their DOIs (not bare @misc{anon…})."""
    from mscbib.services.crossref import CrossrefClient
    from mscbib.testing.crossref_standin import CrossrefStandIn

    works = [_citing_work(1, ["aaa", "zzz", "mmm"]), _citing_work(2, ["zzz", "mmm"]), _citing_work(3, ["zzz"])]
    dois = tmp_path / "dois.txt"
    dois.write_text("# synthetic\n" + "".join(f"{w['DOI']}\n" for w in works))
    out = tmp_path / "lib.bib"
    with CrossrefStandIn(works) as server:
        result = expand([str(dois)], str(out), CrossrefClient(server.url, cache=cache), depth=1, cap=2)
    listed = (tmp_path / "expanded-dois.txt").read_text().splitlines()[1:]
    assert [line.split()[0] for line in listed] == ["10.5555/zzz", "10.5555/mmm"]  # cited 3 times, then twice
    assert listed[0].endswith(
        "# libauthor1SyntheticLibraryWork2020, libauthor2SyntheticLibraryWork2020, libauthor3SyntheticLibraryWork2020"
    )
    added = {r.doi: r for r in result.records if r.doi in ("10.5555/zzz", "10.5555/mmm")}
    assert set(added) == {"10.5555/zzz", "10.5555/mmm"}
    z = added["10.5555/zzz"]
    assert z.get("title") == "On the zzz effect in cells" and z.get("year") == "2001"
    assert z.get("journal") == "Annals of Made-up Work" and z.get("authors")
    assert not z.key.startswith("anon")
    text = out.read_text()
    assert "@misc{anon" not in text and "On the zzz effect in cells" in text


def _synthetic_library(tmp_path, entries: int, cited: int):
    """A made-up library of ``entries`` entries; entry i cites works 0..(cited-1) with step i+1, so work 0 is cited by
    every entry and the later works by fewer (written as mscbib writes `cites`)."""
    lib = tmp_path / "synthetic.bib"
    citedbib = tmp_path / "synthetic.cited.bib"
    lines, cited_lines = [], []
    for i in range(entries):
        cites = [f"work{j:04d}" for j in range(0, cited, i + 1)]
        lines.append(
            f"@article{{entry{i:03d},\n  title = {{Synthetic entry {i}}},\n  cites = {{{', '.join(cites)}}}\n}}\n"
        )
    for j in range(cited):
        cited_lines.append(f"@misc{{work{j:04d},\n  title = {{Synthetic cited work {j}}}\n}}\n")
    lib.write_text("\n".join(lines))
    citedbib.write_text("\n".join(cited_lines))
    return lib, citedbib


def _svg_counts(path):
    root = ET.parse(path).getroot()
    ns = {"s": "http://www.w3.org/2000/svg"}
    return len(root.findall(".//s:circle", ns)), [t.text for t in root.findall(".//s:text", ns)]


def test_svg_draws_the_library_and_its_most_cited_works_with_labels_that_do_not_overlap(tmp_path):
    from mscbib.library.graph import MAX_DRAWN, read_entries, svg

    lib, cited = _synthetic_library(tmp_path, entries=12, cited=400)
    g = read_graph([lib, cited])
    assert len(g.nodes) == 412
    drawing = svg(g, set(read_entries([lib])))
    assert len(drawing.shown) == MAX_DRAWN and drawing.total == 412
    assert {f"entry{i:03d}" for i in range(12)} <= set(drawing.shown)
    # the most cited come in: work0000 (cited by all 12), then those cited by most entries, ties by key
    others = [k for k in drawing.shown if k.startswith("work")]
    counts = {k: sum(1 for a, b in g.edges if b == k) for k in others}
    assert others[0] == "work0000" and [counts[k] for k in others] == sorted(counts.values(), reverse=True)
    left_out = max(sum(1 for a, b in g.edges if b == k) for k in g.nodes if k.startswith("work") and k not in others)
    assert left_out <= min(counts.values())
    # labels overlap neither each other nor the canvas edge; most nodes get one
    boxes = drawing.boxes
    assert all(
        not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
    )
    assert all(0 <= b[0] and b[2] <= 1200 and 0 <= b[1] and b[3] <= 900 for b in boxes)
    assert len(drawing.labelled) >= 0.75 * MAX_DRAWN
    (tmp_path / "g.svg").write_text(drawing.text)
    circles, texts = _svg_counts(tmp_path / "g.svg")
    assert circles == MAX_DRAWN and len(texts) == len(drawing.labelled) + 2  # + the two caption lines


def test_layout_is_deterministic_and_spreads_the_nodes():
    from mscbib.library.graph import layout

    nodes = [f"n{i}" for i in range(30)]
    edges = [(f"n{i}", f"n{(i * 7) % 30}") for i in range(30)]
    a, b = layout(nodes, edges, 800, 600), layout(nodes, edges, 800, 600)
    assert a == b
    closest = min(
        ((a[u][0] - a[v][0]) ** 2 + (a[u][1] - a[v][1]) ** 2) ** 0.5
        for i, u in enumerate(nodes)
        for v in nodes[i + 1 :]
    )
    assert closest > 10  # no two nodes on top of each other


def test_graph_too_large_to_draw_says_so_and_points_to_graphml(tmp_path):
    lib, cited = _synthetic_library(tmp_path, entries=70, cited=20)
    stem = tmp_path / "g"
    r = CliRunner().invoke(main, ["graph", str(lib), str(cited), "-o", str(stem), "--svg"])
    assert r.exit_code == 0, r.output
    assert "g.svg not drawn: the library has 70 entries" in r.output and "Gephi or Cytoscape" in r.output
    assert not (tmp_path / "g.svg").exists() and (tmp_path / "g.graphml").exists()
