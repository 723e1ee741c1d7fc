"""Snowballing (``mscbib expand``): the works the library cites become full entries, level by level.

It sits above the whole pipeline: each level is a build (:func:`mscbib.pipeline.build.build`) whose inputs are the
library's own plus the cited works it adds; nothing in the pipeline imports this module.
"""

from __future__ import annotations

import copy
import os

from .._io import atomic_write_text
from ..model import Record
from ..services.crossref.client import CrossrefClient
from ..writers import render_as
from .build import build

__all__ = ["expand"]


def expand(
    inputs: list[str],
    output: str,
    client: CrossrefClient,
    *,
    depth: int = 1,
    cap: int = 100,
    list_path: str | None = None,
    build_fn=None,
):
    """Snowballing: add the works the library cites as full entries, ``depth`` levels deep, at most ``cap``.

    The works most cited in the library come first (then by key). Their DOIs are written (with the keys that cite
    them as comments) to ``list_path`` (default: ``expanded-dois.txt`` beside ``output``), and what is known of each
    (the title, authors, year, journal Crossref's reference or the printed list gave) to the BibTeX file beside it
    (``expanded-dois.bib``), which becomes an input of the build; each level is a rebuild, so the added works are
    looked up by DOI, enriched, tagged and keyed as any entry is, and stay what was known when Crossref does not
    answer. Returns the last build's result."""
    build_fn = build_fn or build
    list_path = list_path or os.path.join(os.path.dirname(output), "expanded-dois.txt")
    works_path = os.path.splitext(list_path)[0] + ".bib"
    added: list[Record] = []
    citing: dict[str, list[str]] = {}  # DOI -> the library keys that cited it when it was added
    result = build_fn(inputs, output, client)
    for _ in range(depth):
        have = {w.doi for w in added}
        new = sorted(
            (w for w in result.cited if w.doi and w.doi not in have),
            key=lambda w: (-len(w.cited_by), w.key or "", w.doi),
        )
        new = new[: max(cap - len(added), 0)]
        if not new:
            break
        for w in new:  # what is known of the work, without the library's links (the rebuild makes them anew)
            citing[w.doi or ""] = list(w.cited_by)
            w = copy.copy(w)
            w.cites, w.cited_by, w.references, w.findings, w.tags = [], [], [], [], []
            added.append(w)
        text = "# works cited by the library, added by `mscbib expand`, most cited first (DOI  # cited by)\n" + "".join(
            f"{w.doi}  # {', '.join(citing[w.doi or ''])}\n" for w in added
        )
        atomic_write_text(list_path, text)
        atomic_write_text(works_path, render_as(added, "bibtex"))
        result = build_fn([*inputs, works_path], output, client)
    return result
