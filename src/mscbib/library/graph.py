"""The citation graph among all known works, from the ``cites`` fields of BibTeX files mscbib wrote.

Nodes are entries (library.bib and cited.bib); an edge ``A → B`` says that A cites B. Written as GraphML
(yEd, Gephi, Cytoscape, networkx read it), as a CSV edge list, and optionally drawn as SVG: the library's entries
and the works they cite most, at most :data:`MAX_DRAWN`, in a force-directed layout with labels that do not
overlap (a quick look; the GraphML is for the whole graph).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable
from xml.sax.saxutils import escape, quoteattr

from .._io import atomic_write_text
from ..bibfile import read_bib
from ..sources.bibtex import record_from_entry

__all__ = [
    "Drawing",
    "Graph",
    "MAX_DRAWN",
    "Node",
    "TooLarge",
    "edges_csv",
    "graphml",
    "layout",
    "pick_nodes",
    "read_entries",
    "read_graph",
    "svg",
]


@dataclass
class Node:
    key: str
    title: str = ""
    year: str = ""
    doi: str = ""
    file: str = ""


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[tuple[str, str]] = field(default_factory=list)

    def missing(self) -> list[str]:
        """Keys that are cited but are entries of none of the files read."""
        return sorted({b for _, b in self.edges if b not in self.nodes})


def _plain(value: str) -> str:
    return " ".join(value.replace("{", "").replace("}", "").split())


def read_entries(paths: Iterable[str | Path]) -> dict[str, dict[str, str]]:
    """``{key: {field: value, "_file": path}}`` from BibTeX files (the first file that has a key wins), read by
    the one ``.bib`` reader (:func:`mscbib.bibfile.read_bib`: UTF-16, Latin-1, CR-only line ends…). ``cites``
    holds the cited works' keys as the BibTeX reader finds them (:func:`mscbib.sources.bibtex.record_from_entry`):
    the ``cites`` field of mscbib's BibTeX, or the ``Cites (mscbib):`` note inside the ``annotation`` of its
    BibLaTeX, which has no ``cites`` field."""
    out: dict[str, dict[str, str]] = {}
    for p in paths:
        for e in read_bib(p).entries:
            if e.key in out:
                continue
            fields = {name: f.value if f.value is not None else f.raw for name, f in e.by_name.items()}
            fields["_file"] = str(p)
            fields["_type"] = e.type
            if "cites" not in fields and ("annotation" in fields or "annote" in fields):  # BibLaTeX: the note
                cites = record_from_entry(e, str(p)).cites
                if cites:
                    fields["cites"] = ", ".join(cites)
            out[e.key] = fields
    return out


def read_graph(paths: Iterable[str | Path]) -> Graph:
    g = Graph()
    entries = read_entries(paths)
    for key, f in entries.items():
        g.nodes[key] = Node(key, _plain(f.get("title", "")), _plain(f.get("year", "")), f.get("doi", ""), f["_file"])
    for key, f in sorted(entries.items()):
        for cited in (k.strip() for k in f.get("cites", "").split(",")):
            if cited:
                g.edges.append((key, cited))
    return g


def graphml(g: Graph) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        '  <key id="title" for="node" attr.name="title" attr.type="string"/>',
        '  <key id="year" for="node" attr.name="year" attr.type="string"/>',
        '  <key id="doi" for="node" attr.name="doi" attr.type="string"/>',
        '  <key id="file" for="node" attr.name="file" attr.type="string"/>',
        '  <graph id="citations" edgedefault="directed">',
    ]
    keys = sorted(set(g.nodes) | set(g.missing()))
    for k in keys:
        n = g.nodes.get(k, Node(k))
        lines.append(f"    <node id={quoteattr(k)}>")
        for name in ("title", "year", "doi", "file"):
            if getattr(n, name):
                lines.append(f'      <data key="{name}">{escape(getattr(n, name))}</data>')
        lines.append("    </node>")
    for i, (a, b) in enumerate(g.edges):
        lines.append(f'    <edge id="e{i}" source={quoteattr(a)} target={quoteattr(b)}/>')
    lines += ["  </graph>", "</graphml>"]
    return "\n".join(lines) + "\n"


def edges_csv(g: Graph) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["source", "target", "target_doi", "target_title"])
    for a, b in g.edges:
        n = g.nodes.get(b, Node(b))
        w.writerow([a, b, n.doi, n.title])
    return buf.getvalue()


#: the most nodes an SVG drawing holds; past that labels cannot be read, and GraphML is the way
MAX_DRAWN = 60


class TooLarge(ValueError):
    """The library alone has more entries than a drawing can show readably."""


@dataclass
class Drawing:
    """What :func:`svg` drew: the SVG text, the keys shown and labelled, and how many works the graph has."""

    text: str
    shown: list[str]
    labelled: list[str]
    total: int
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)


def _label(key: str, width: int = 26) -> str:
    return key if len(key) <= width else key[: width - 1] + "…"


def pick_nodes(g: Graph, library: set[str], limit: int = MAX_DRAWN) -> list[str]:
    """The library's own entries, then the works they cite most (by how many entries cite them, then by key), at most
    ``limit`` in all. :class:`TooLarge` when the library alone has more."""
    if len(library) > limit:
        raise TooLarge(f"the library has {len(library)} entries: more than {limit} cannot be drawn readably")
    cited_by: dict[str, set[str]] = {}
    for a, b in g.edges:
        if a in library and b not in library:
            cited_by.setdefault(b, set()).add(a)
    most = sorted(cited_by, key=lambda k: (-len(cited_by[k]), k))
    return sorted(library) + most[: limit - len(library)]


def layout(
    nodes: list[str],
    edges: list[tuple[str, str]],
    width: float,
    height: float,
    iterations: int = 300,
    gravity: float = 2.0,
) -> dict[str, tuple[float, float]]:
    """A force-directed layout (Fruchterman and Reingold, 1991): nodes repel, edges pull, a weak gravity holds the
    unlinked parts together, the moves cool down.
    Pure Python and deterministic (nodes start on a circle in their given order)."""
    n = len(nodes)
    if n == 0:
        return {}
    k = min(math.sqrt(width * height / n) * 0.8, min(width, height) / 8)  # a few nodes: not flung to the edges
    pos = {
        v: [
            width / 2 + width / 3 * math.cos(2 * math.pi * i / n),
            height / 2 + height / 3 * math.sin(2 * math.pi * i / n),
        ]
        for i, v in enumerate(nodes)
    }
    links = [(a, b) for a, b in edges if a in pos and b in pos and a != b]
    temp = width / 8
    for _ in range(iterations):
        disp = {v: [0.0, 0.0] for v in nodes}
        for i, v in enumerate(nodes):
            pv = pos[v]
            for u in nodes[i + 1 :]:
                pu = pos[u]
                dx, dy = pv[0] - pu[0], pv[1] - pu[1]
                d2 = dx * dx + dy * dy or 0.01
                f = k * k / d2  # repulsion k²/d, along the unit vector (dx/d, dy/d)
                disp[v][0] += dx * f
                disp[v][1] += dy * f
                disp[u][0] -= dx * f
                disp[u][1] -= dy * f
        for a, b in links:
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            d = math.hypot(dx, dy) or 0.01
            f = d / k  # attraction d²/k
            disp[a][0] -= dx * f
            disp[a][1] -= dy * f
            disp[b][0] += dx * f
            disp[b][1] += dy * f
        for v in nodes:  # gravity to the centre keeps the parts that are not linked near the rest, off the edges
            disp[v][0] -= (pos[v][0] - width / 2) * gravity
            disp[v][1] -= (pos[v][1] - height / 2) * gravity
            dx, dy = disp[v]
            d = math.hypot(dx, dy) or 0.01
            step = min(d, temp)
            pos[v][0] = min(max(pos[v][0] + dx / d * step, 0.0), width)
            pos[v][1] = min(max(pos[v][1] + dy / d * step, 0.0), height)
        temp = max(temp * 0.985, 0.5)
    # stretched to fill the area: a small graph is not a knot in the middle
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    sx, sy = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return {
        v: (
            (p[0] - min(xs)) / sx * width if n > 1 else width / 2,
            (p[1] - min(ys)) / sy * height if n > 1 else height / 2,
        )
        for v, p in pos.items()
    }


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def svg(
    g: Graph, library: set[str] | None = None, *, limit: int = MAX_DRAWN, width: int = 1200, height: int = 900
) -> Drawing:
    """A drawing a person can read: the library's entries (blue) and the works they cite most (orange, sized by how
    often they are cited), at most ``limit`` nodes, laid out by :func:`layout`; each label is placed where it
    overlaps no other label and no node, or left out (the node's tooltip still names it).

    ``library``: the keys of the library's own entries (default: the works that cite something)."""
    library = set(library) if library is not None else {a for a, _ in g.edges}
    keys = pick_nodes(g, library, limit)
    shown = set(keys)
    edges = [(a, b) for a, b in g.edges if a in shown and b in shown]
    indeg = {k: 0 for k in keys}
    for _, b in edges:
        indeg[b] += 1
    margin, font, char = 30.0, 11, 6.2  # the width of a character at this font size, generously
    pos = {
        k: (x + margin, y + margin)
        for k, (x, y) in layout(keys, edges, width - 2 * margin - 200, height - 2 * margin - 40).items()
    }
    radius = {k: 4 + min(indeg[k], 10) * 0.8 for k in keys}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="sans-serif" font-size="{font}">',
        '<defs><marker id="a" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" '
        'orient="auto"><path d="M0,0L10,5L0,10z" fill="#999"/></marker></defs>',
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    for a, b in edges:
        (x1, y1), (x2, y2) = pos[a], pos[b]
        d = math.hypot(x2 - x1, y2 - y1) or 1
        ex, ey = x2 - (x2 - x1) / d * (radius[b] + 2), y2 - (y2 - y1) / d * (radius[b] + 2)
        out.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" stroke="#bbb" stroke-width="0.8" '
            'marker-end="url(#a)"/>'
        )
    titles = {k: g.nodes[k].title if k in g.nodes else "" for k in keys}
    for k in keys:
        x, y = pos[k]
        fill = "#1f77b4" if k in library else "#ff7f0e"
        tip = escape(k + (f": {titles[k]}" if titles[k] else "") + (f" (cited {indeg[k]}×)" if indeg[k] else ""))
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius[k]:.1f}" fill="{fill}"><title>{tip}</title></circle>')
    # labels: the library's entries first, then the most cited; each at the first free place around its node
    placed: list[tuple[float, float, float, float]] = []
    discs = [(pos[k][0] - radius[k], pos[k][1] - radius[k], pos[k][0] + radius[k], pos[k][1] + radius[k]) for k in keys]
    labelled = []
    for k in sorted(keys, key=lambda k: (k not in library, -indeg[k], k)):
        text = _label(k, 26 if len(keys) > 30 else 40)
        w, h = len(text) * char, font + 2
        x, y, r = pos[k][0], pos[k][1], radius[k]
        for bx, by, anchor in (
            (x + r + 3, y - h / 2, "start"),
            (x - r - 3 - w, y - h / 2, "end"),
            (x - w / 2, y - r - 2 - h, "middle"),
            (x - w / 2, y + r + 2, "middle"),
            (x + r + 3, y - h - r, "start"),
            (x + r + 3, y + r, "start"),
            (x - r - 3 - w, y - h - r, "end"),
            (x - r - 3 - w, y + r, "end"),
        ):
            box = (bx, by, bx + w, by + h)
            if box[0] < 0 or box[1] < 0 or box[2] > width or box[3] > height - 44:
                continue
            if any(_overlaps(box, p) for p in placed) or any(_overlaps(box, d) for d in discs):
                continue
            placed.append(box)
            labelled.append(k)
            tx = {"start": bx, "end": bx + w, "middle": bx + w / 2}[anchor]
            out.append(f'<text x="{tx:.1f}" y="{by + h - 3:.1f}" text-anchor="{anchor}">{escape(text)}</text>')
            break
    total = len(set(g.nodes) | set(g.missing()))
    captions = (
        f"{len(keys)} of {total} works: the library's {len(library)} entries (blue) and the works they cite "
        "most (orange, larger when cited more).",
        f"{len(labelled)} labelled, every node named on hover; the whole graph: the .graphml (Gephi, Cytoscape).",
    )
    for i, caption in enumerate(captions):
        out.append(f'<text x="10" y="{height - 26 + 16 * i}" font-size="12" fill="#444">{escape(caption)}</text>')
    out.append("</svg>")
    return Drawing("\n".join(out) + "\n", keys, labelled, total, placed)


def write_graph(g: Graph, stem: str, draw: bool = False, library: set[str] | None = None) -> list[str]:
    """Write ``STEM.graphml`` and ``STEM.csv`` (and ``STEM.svg``, see :func:`svg`); returns the paths written.
    :class:`TooLarge` (after the other two are written) when the library is too large to draw."""
    written = []
    for suffix, text in ((".graphml", graphml(g)), (".csv", edges_csv(g))):
        atomic_write_text(stem + suffix, text)
        written.append(stem + suffix)
    if draw:
        atomic_write_text(stem + ".svg", svg(g, library).text)
        written.append(stem + ".svg")
    return written
