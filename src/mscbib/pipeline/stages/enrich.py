"""The enrichment stages: identifiers resolved (NCBI), every record looked up and verified at Crossref (and the
DOI agencies), preprints with a journal version, and the same work read twice made one entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ...enrich import Enriched, EnrichStatus, LookupProgress, enrich_record, prefetch
from ...enrich.preprints import published_versions
from ...enrich.resolve_ids import resolve_identifiers
from ...model import Library, Record
from ...services.crossref.client import CrossrefClient, LookupStatus

__all__ = ["ResolveIdentifiers", "Enrich", "PublishedVersions", "MergeDuplicates", "merge_duplicates"]

Progress = Callable[[Record, Enriched], None]


@dataclass
class ResolveIdentifiers:
    """PMID / PMCID-only records become full ones (:mod:`mscbib.enrich.resolve_ids`), before Crossref is asked."""

    ncbi: Any
    name: str = "identifiers"

    def __call__(self, library: Library) -> Library:
        if self.ncbi is not None:
            resolve_identifiers(library.records, self.ncbi)
        return library


@dataclass
class Enrich:
    """Every DOI in batches and every search, concurrently within Crossref's limits (:func:`mscbib.enrich.prefetch`);
    the DOIs Crossref does not know asked of their agencies; then each record enriched from the answers the client
    holds (``library.items``, one per record, in order). ``progress(record, item)`` after each."""

    client: CrossrefClient
    agencies: Any = None
    lookup_progress: LookupProgress | None = None
    progress: Progress | None = None
    name: str = "enrich"

    def __call__(self, library: Library) -> Library:
        client = self.client
        prefetch(library.records, client, self.lookup_progress)
        if self.agencies is not None:  # the DOIs Crossref does not know: their agencies, in batches
            self.agencies.prefetch(
                r.doi for r in library.records if r.doi and client.work(r.doi).status is LookupStatus.NOT_FOUND
            )
        library.items = []
        for rec in library.records:
            item = enrich_record(rec, client, self.agencies)
            library.items.append(item)
            if self.progress:
                self.progress(rec, item)
        return library


@dataclass
class PublishedVersions:
    """Preprints with a journal version (:mod:`mscbib.enrich.preprints`): reported, or written as it (``prefer``)."""

    client: CrossrefClient
    prefer: bool = False
    name: str = "preprints"

    def __call__(self, library: Library) -> Library:
        published_versions(library.items, self.client, prefer=self.prefer)
        library.records = [i.record for i in library.items]
        return library


def merge_duplicates(items: list[Enriched]) -> tuple[list[Enriched], list[tuple[str, str]]]:
    """The same work read twice (same DOI) becomes one entry: the first keeps its values, the later
    one fills gaps. An entry whose DOI is registered for another work is never merged. Returns the kept
    items and ``(kept, merged)`` source pairs for the report."""
    by_doi: dict[str, Enriched] = {}
    kept: list[Enriched] = []
    merged: list[tuple[str, str]] = []
    for item in items:
        # a DOI registered for another work (CR011) names no work of this entry: it is merged with nothing,
        # and DUP001 reports the DOI given twice
        doi = item.record.doi if item.status is not EnrichStatus.MISMATCH else None
        if doi and doi in by_doi:
            first = by_doi[doi]
            for name, value in item.record.items():
                first.record.set_if_absent(name, value.value, value.source)
            if not first.record.references:
                first.record.references = item.record.references
            first.record.findings.extend(item.record.findings)
            merged.append((first.record.source.where(), item.record.source.where()))
            continue
        if doi:
            by_doi[doi] = item
        kept.append(item)
    return kept, merged


@dataclass
class MergeDuplicates:
    """:func:`merge_duplicates` over the library (``library.merged``)."""

    name: str = "duplicates"

    def __call__(self, library: Library) -> Library:
        library.items, merged = merge_duplicates(library.items)
        library.merged.extend(merged)
        library.records = [i.record for i in library.items]
        return library
