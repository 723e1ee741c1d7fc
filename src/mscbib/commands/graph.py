"""`mscbib graph`: the citation graph as GraphML and a CSV edge list, optionally drawn as SVG."""

from __future__ import annotations

from pathlib import Path

import click

from ..library.graph import MAX_DRAWN, TooLarge, read_entries, read_graph, write_graph
from ..refs import cited_path
from ..text import plural
from ._common import CONTEXT, read_text_input, require_writable


@click.command("graph", context_settings=CONTEXT)
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o",
    "--output",
    "stem",
    default="bib/citations",
    show_default=True,
    metavar="STEM",
    help="Write STEM.graphml and STEM.csv (and STEM.svg with --svg).",
)
@click.option(
    "--svg",
    "draw",
    is_flag=True,
    help=f"Also draw STEM.svg: the library's entries and the works they cite "
    f"most, at most {MAX_DRAWN}, force-directed, labels that do not overlap.",
)
def command(files, stem, draw) -> None:
    """Write the citation graph among all known works from FILES [default: bib/library.bib and bib/cited.bib].

    Nodes are the entries; an edge A -> B means A's `cites` field lists B. The first FILE is the library:
    --svg draws its entries and the works they cite most; a library too large to draw is said so, and its
    graph is in STEM.graphml for Gephi or Cytoscape.

    \b
    Examples:
      mscbib graph                                   # bib/citations.graphml, bib/citations.csv
      mscbib graph --svg -o out/graph
      mscbib graph refs.bib refs.cited.bib
    """
    files = list(files) or [p for p in ("bib/library.bib", cited_path("bib/library.bib")) if Path(p).is_file()]
    if not files:
        raise click.UsageError("no BibTeX file given, and bib/library.bib does not exist")
    for f in files:  # binary or not UTF-8: named, exit code 2
        read_text_input("graph", f)
    require_writable(*(stem + s for s in (".graphml", ".csv", ".svg")))  # exit code 4 when it cannot
    g = read_graph(files)
    library = set(read_entries(files[:1])) if len(files) > 1 else None
    try:
        written = write_graph(g, stem, draw, library)
    except TooLarge as exc:
        written = [stem + ".graphml", stem + ".csv"]
        click.echo(f"mscbib graph: {stem}.svg not drawn: {exc}; open {stem}.graphml in Gephi or Cytoscape", err=True)
    for path in written:
        click.echo(f"wrote {path}")
    missing = len(g.missing())
    click.echo(
        f"{plural(len(g.nodes), 'work')}, {plural(len(g.edges), 'citation')}"
        + (f"; {plural(missing, 'cited key is', 'cited keys are')} in none of the files" if missing else "")
    )
