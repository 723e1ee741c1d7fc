"""The references stage: each entry's cited-reference list merged, resolved and keyed (:mod:`mscbib.refs`);
the cited works outside the library become ``library.cited``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ...enrich import LookupProgress
from ...enrich.resolve_ids import resolve_reference_ids
from ...model import Library
from ...refs import DEFAULT_REFERENCE_MODE, ReadAhead, link_references, read_ahead, whole_works
from ...services.crossref.client import CrossrefClient

__all__ = ["References", "StartReadAhead"]


@dataclass
class References:
    """``mode``: one of :data:`mscbib.refs.REFERENCE_MODES` (``None``: no cited works at all). ``ahead``: the
    read-ahead started before enrichment (:class:`StartReadAhead`), stopped here. Cited works keep the keys
    the cited file being rebuilt holds for them (``library.written["cited"]``, from the key stage)."""

    client: CrossrefClient
    mode: str | None = DEFAULT_REFERENCE_MODE
    ncbi: Any = None
    agencies: Any = None
    progress: LookupProgress | None = None
    announce: Callable[[str], None] | None = None
    ahead: ReadAhead | None = None
    name: str = "references"

    def __call__(self, library: Library) -> Library:
        if not self.mode:
            return library
        if (
            self.ncbi is not None and self.mode != "none"
        ):  # cited PMIDs / PMCIDs → their DOIs (mscbib.enrich.resolve_ids)
            resolve_reference_ids(library.records, self.ncbi)
        if self.ahead is not None:
            self.ahead.stop()  # what it asked for is answered from the client's memory from now on
        if self.mode != "none":  # entries verified by a search: their whole works, for their reference lists
            whole_works(library.items, self.client)
        library.cited = link_references(
            library.items,
            self.client,
            self.progress,
            mode=self.mode,
            announce=self.announce,
            written=library.written.get("cited", []),
            agencies=self.agencies,
        )
        return library


@dataclass
class StartReadAhead:
    """Put right before the enrich stage: the DOIs the library's works cite are asked for while the works themselves
    are looked up (:func:`mscbib.refs.read_ahead`), and the references stage stops it."""

    references: References
    name: str = "read-ahead"

    def __call__(self, library: Library) -> Library:
        refs = self.references
        if refs.mode and refs.mode != "none" and refs.ahead is None:
            refs.ahead = read_ahead(refs.client)
        return library
