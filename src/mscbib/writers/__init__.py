"""Writers: records out to files, one format per module, behind one registry.

:data:`WRITERS` maps a format name (as given to ``mscbib export --to``) to a function
``records -> text``; :func:`write` renders and writes atomically (or returns the text for stdout).
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from typing import Callable, Collection, Iterable, Sequence

from .._io import OutputError, atomic_write_pair, atomic_write_text, backup, real_target
from ..model import FailedInput, Record
from ..plugins import plugin_writers
from . import bibtex as _bibtex
from .bibtex import render, write_bibtex
from .csljson import render_csljson
from .options import DEFAULT_LAYOUT, DEFAULT_SORT, SORT_ORDERS, Layout, ordered, without_fields
from .ris import render_ris

__all__ = [
    "WRITERS",
    "render",
    "render_as",
    "write",
    "write_bibtex",
    "write_library",
    "library_text",
    "count_entries",
    "OutputRefused",
    "SORT_ORDERS",
    "DROP_FORMATS",
]

#: The BibTeX formats, whose field names ``--drop-fields`` takes; in the others it drops what those fields are
#: written from (:func:`mscbib.writers.options.without_fields`).
DROP_FORMATS = ("bibtex", "biblatex", "zotero")

Renderer = Callable[[Iterable[Record]], str]

#: Format name → renderer. ``bibtex`` is what `mscbib build` writes; ``biblatex`` the BibLaTeX dialect;
#: ``zotero`` a ``.bib`` meant for Zotero's BibTeX import.
WRITERS: dict[str, Renderer] = {
    "bibtex": partial(render, dialect="bibtex"),
    "biblatex": partial(render, dialect="biblatex"),
    # BibTeX for Zotero's import: UTF-8, no "and others" (a note says the list is incomplete), the cited and
    # citing keys only in the note Zotero keeps (writers/bibtex.py)
    "zotero": partial(render, dialect="zotero"),
    "ris": render_ris,
    "csljson": render_csljson,
}
#: Writers other packages install (entry-point group ``mscbib.writers``), under their entry-point names.
WRITERS.update(plugin_writers(WRITERS))


def render_as(
    records: Iterable[Record],
    to: str,
    *,
    ascii: bool = False,
    sort: str = DEFAULT_SORT,
    drop: Collection[str] = (),
    layout: Layout = DEFAULT_LAYOUT,
) -> str:
    """The records in format ``to`` (:data:`WRITERS`), in the order ``sort`` (:data:`SORT_ORDERS`); ``ascii``,
    ``drop`` (field names not written: ``--drop-fields``) and ``layout`` (field order, indent, wrap:
    :class:`mscbib.writers.options.Layout`) apply to the BibTeX formats."""
    if to not in WRITERS:
        raise ValueError(f"unknown output format {to!r}; known: {', '.join(WRITERS)}")
    if to in ("bibtex", "biblatex", "zotero"):
        return render(records, dialect=to, ascii=ascii, sort=sort, drop=drop, layout=layout)
    records = without_fields(records, drop)  # --drop-fields: the values those BibTeX fields are written from
    if to in ("ris", "csljson"):
        return WRITERS[to](records, sort=sort)  # type: ignore[call-arg]
    return WRITERS[to](ordered(records, sort))  # a plug-in's writer: the records in that order


def write(
    records: Iterable[Record],
    to: str,
    path: str | None = None,
    *,
    ascii: bool = False,
    sort: str = DEFAULT_SORT,
    drop: Collection[str] = (),
    layout: Layout = DEFAULT_LAYOUT,
) -> str:
    """Render in format ``to`` (:func:`render_as`) and, when ``path`` is given, write it atomically; returns the
    text."""
    text = render_as(records, to, ascii=ascii, sort=sort, drop=drop, layout=layout)
    if path is not None:
        atomic_write_text(path, text)  # mscbib._io.OutputError (path, why) when it cannot
    return text


class OutputRefused(OutputError):
    """``build`` will not replace a file with one that holds fewer entries (``force`` does, keeping a ``.bak``)."""


_ENTRY = re.compile(r"^[ \t]*@[ \t]*(?!comment\b|string\b|preamble\b)[A-Za-z]+[ \t]*[{(]", re.M | re.I)


def count_entries(text: str) -> int:
    """The entries of a ``.bib`` text, counted by their ``@type{`` lines (so a block that does not parse counts
    too): the measure by which a new library must not be smaller than the one it replaces."""
    return len(_ENTRY.findall(text))


def library_text(
    records: Iterable[Record],
    failed: Sequence[FailedInput] = (),
    *,
    sort: str = DEFAULT_SORT,
    drop: Collection[str] = (),
    layout: Layout = DEFAULT_LAYOUT,
) -> str:
    """The library as BibTeX: the records, then — verbatim, in input order — every ``.bib`` block that could not
    be read (``FailedInput.raw`` of an ``@`` block), so that building a file onto itself loses nothing; each is
    reported apart. ``sort`` and ``drop``: as :func:`render_as`."""
    text = _bibtex.render(records, dialect="bibtex", sort=sort, drop=drop, layout=layout)
    # only BibTeX blocks (``@type{…``): the raw line a DOI list, RIS or MEDLINE reader could not read is no BibTeX
    blocks = [f.raw.strip("\n") for f in failed if f.raw and f.raw.lstrip().startswith("@")]
    if blocks:
        text = (text + "\n" if text else "") + "\n\n".join(blocks) + "\n"
    return text


def write_library(
    records: Sequence[Record],
    cited: Sequence[Record],
    output: str,
    cited_output: str,
    *,
    failed: Sequence[FailedInput] = (),
    force: bool = False,
    sort: str = DEFAULT_SORT,
    drop: Collection[str] = (),
    layout: Layout = DEFAULT_LAYOUT,
) -> list[Path]:
    """Write the library ``output`` and its cited works ``cited_output`` as a pair
    (:func:`mscbib._io.atomic_write_pair`).

    Raises :class:`OutputRefused` when the new library would hold no entry, or fewer than the file it replaces,
    unless ``force``: then the old files are kept as ``.bak`` (returned). ``sort`` and ``drop`` (:func:`render_as`)
    apply to both files."""
    text = library_text(records, failed, sort=sort, drop=drop, layout=layout)
    new = count_entries(text)
    target = real_target(output)
    try:
        old_text = target.read_text(encoding="utf-8", errors="replace") if target.is_file() else None
    except OSError as exc:
        raise OutputError(output, f"cannot read the file it would replace: {exc.strerror or exc}") from exc
    old = count_entries(old_text) if old_text is not None else 0
    backups: list[Path] = []
    if new < old or (new == 0 and old_text is None):
        if not force:
            what = (
                f"holds {old} entries and this build made {new}"
                if old_text is not None
                else "would be written with no entry"
            )
            raise OutputRefused(
                output,
                f"{what}: not written (--force writes it"
                + (f", keeping the old file as {output}.bak)" if old_text is not None else ")"),
            )
        backups = [b for b in (backup(output), backup(cited_output)) if b is not None]
    atomic_write_pair(
        output, text, cited_output, _bibtex.render(cited, dialect="bibtex", sort=sort, drop=drop, layout=layout)
    )  # OutputError if not
    return backups
