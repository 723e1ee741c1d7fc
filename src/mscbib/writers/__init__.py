"""Writers: records out to files, one format per module, behind one registry.

:data:`WRITERS` maps a format name (as given to ``mscbib export --to``) to a function
``records -> text``; :func:`write` renders and writes atomically (or returns the text for stdout).
"""

from __future__ import annotations

from functools import partial
from typing import Callable, Iterable

from .._io import atomic_write_text
from ..model import Record
from ..plugins import plugin_writers
from .bibtex import render, write_bibtex
from .csljson import render_csljson
from .ris import render_ris

__all__ = ["WRITERS", "render", "render_as", "write", "write_bibtex"]

Renderer = Callable[[Iterable[Record]], str]

#: Format name → renderer. ``bibtex`` is what `mscbib build` writes; ``biblatex`` the BibLaTeX dialect.
WRITERS: dict[str, Renderer] = {
    "bibtex": partial(render, dialect="bibtex"),
    "biblatex": partial(render, dialect="biblatex"),
    "ris": render_ris,
    "csljson": render_csljson,
}
#: Writers other packages install (entry-point group ``mscbib.writers``), under their entry-point names.
WRITERS.update(plugin_writers(WRITERS))


def render_as(records: Iterable[Record], to: str, *, ascii: bool = False) -> str:
    """The records in format ``to`` (:data:`WRITERS`); ``ascii`` applies to the BibTeX formats."""
    if to not in WRITERS:
        raise ValueError(f"unknown output format {to!r}; known: {', '.join(WRITERS)}")
    if to in ("bibtex", "biblatex"):
        return render(records, dialect=to, ascii=ascii)
    return WRITERS[to](records)


def write(records: Iterable[Record], to: str, path: str | None = None, *, ascii: bool = False) -> str:
    """Render in format ``to`` and, when ``path`` is given, write it atomically; returns the text."""
    text = render_as(records, to, ascii=ascii)
    if path is not None:
        atomic_write_text(path, text)
    return text
