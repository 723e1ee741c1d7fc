"""The citation graph among all known works, from the ``cites`` fields of BibTeX files mscbib wrote.

Nodes are entries (library.bib and cited.bib); an edge ``A → B`` says that A cites B. Written as GraphML
(yEd, Gephi, Cytoscape, networkx read it), as a CSV edge list, and optionally drawn as SVG (a circle layout:
a quick look, not a publication figure).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable
from xml.sax.saxutils import escape, quoteattr

import bibtexparser

from ._io import atomic_write_text

__all__ = ["Graph", "Node", "read_graph", "graphml", "edges_csv", "svg", "read_entries"]


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
    """``{key: {field: value, "_file": path}}`` from BibTeX files (the first file that has a key wins)."""
    out: dict[str, dict[str, str]] = {}
    for p in paths:
        lib = bibtexparser.parse_file(str(p))
        for e in lib.entries:
            fields = {f.key.lower(): str(f.value) for f in e.fields}
            fields["_file"] = str(p)
            fields["_type"] = e.entry_type
            out.setdefault(e.key, fields)
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
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
             '  <key id="title" for="node" attr.name="title" attr.type="string"/>',
             '  <key id="year" for="node" attr.name="year" attr.type="string"/>',
             '  <key id="doi" for="node" attr.name="doi" attr.type="string"/>',
             '  <key id="file" for="node" attr.name="file" attr.type="string"/>',
             '  <graph id="citations" edgedefault="directed">']
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


def svg(g: Graph, size: int = 800) -> str:
    """A circle layout: every node on one circle (sorted by key), arrows from citing to cited."""
    keys = sorted(set(g.nodes) | set(g.missing()))
    c, r = size / 2, size / 2 - 140
    pos = {k: (c + r * math.cos(2 * math.pi * i / max(len(keys), 1)),
               c + r * math.sin(2 * math.pi * i / max(len(keys), 1))) for i, k in enumerate(keys)}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}" '
           'font-family="sans-serif" font-size="10">',
           '<defs><marker id="a" viewBox="0 0 10 10" refX="14" refY="5" markerWidth="6" markerHeight="6" '
           'orient="auto"><path d="M0,0L10,5L0,10z" fill="#888"/></marker></defs>']
    for a, b in g.edges:
        (x1, y1), (x2, y2) = pos[a], pos[b]
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#aaa" '
                   'marker-end="url(#a)"/>')
    citing = {a for a, _ in g.edges}
    for k in keys:
        x, y = pos[k]
        fill = "#1f77b4" if k in citing else "#ff7f0e"
        anchor = "start" if x >= c else "end"
        dx = 8 if x >= c else -8
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{fill}"><title>{escape(k)}</title></circle>')
        out.append(f'<text x="{x + dx:.1f}" y="{y + 3:.1f}" text-anchor="{anchor}">{escape(k)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def write_graph(g: Graph, stem: str, draw: bool = False) -> list[str]:
    """Write ``STEM.graphml`` and ``STEM.csv`` (and ``STEM.svg``); returns the paths written."""
    written = []
    for suffix, text in ((".graphml", graphml(g)), (".csv", edges_csv(g))) + (((".svg", svg(g)),) if draw else ()):
        atomic_write_text(stem + suffix, text)
        written.append(stem + suffix)
    return written
