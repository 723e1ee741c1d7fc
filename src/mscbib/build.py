"""The main job, as a library function: inputs → records → enrichment → validation → keys → BibTeX.

The CLI's ``mscbib build`` is a thin shell around :func:`build`; tests call both.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Callable, Sequence

from .crossref.client import ClientStats, CrossrefClient
from .enrich import EnrichStatus, Enriched, LookupProgress, enrich_record, prefetch
from .keys import DEFAULT_FORMULA, assign_keys, citation_key
from .model import FailedInput, Finding, Record, Severity
from .sources import expand_inputs, read_inputs
from .text import comparable
from .validate import validate
from .writers.bibtex import write_bibtex
from .refs import cited_entries, cited_path, link_references
from .tags import Vocabulary, apply_tags, load_vocabulary

__all__ = ["BuildResult", "build", "merge_duplicates", "EXIT_OK", "EXIT_FINDINGS", "EXIT_INPUT", "EXIT_UNVERIFIED"]

EXIT_OK = 0
EXIT_FINDINGS = 1  # the library was written, with error findings (e.g. a DOI that does not exist)
EXIT_INPUT = 2  # an input could not be read (the others were built)
EXIT_UNVERIFIED = 3  # Crossref could not be reached: entries were written from the inputs alone

Progress = Callable[[Record, Enriched], None]


@dataclass
class BuildResult:
    inputs: list[str]
    output: str | None
    records: list[Record]
    enriched: list[Enriched]
    failures: list[FailedInput]
    findings: list[Finding]
    stats: ClientStats
    offline: bool
    crossref_url: str
    unreachable: str | None = None
    merged: list[tuple[str, str]] = field(default_factory=list)
    #: the cited works that are not library entries (mscbib.refs), and the file every cited work was written to
    cited: list[Record] = field(default_factory=list)
    cited_output: str | None = None
    #: where the topic vocabulary came from (a file, or mscbib's default)
    vocabulary: str | None = None

    def count(self, status: EnrichStatus) -> int:
        return sum(1 for e in self.enriched if e.status is status)

    @property
    def exit_code(self) -> int:
        if self.failures:
            return EXIT_INPUT
        if not self.offline and self.count(EnrichStatus.UNVERIFIED):
            return EXIT_UNVERIFIED
        if any(f.severity is Severity.ERROR for f in self.findings):
            return EXIT_FINDINGS
        return EXIT_OK


def merge_duplicates(items: list[Enriched]) -> tuple[list[Enriched], list[tuple[str, str]]]:
    """The same work read twice (same DOI) becomes one entry: the first keeps its values, the later
    one fills gaps. Returns the kept items and ``(kept, merged)`` source pairs for the report."""
    by_doi: dict[str, Enriched] = {}
    kept: list[Enriched] = []
    merged: list[tuple[str, str]] = []
    for item in items:
        doi = item.record.doi
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


def _order(rec: Record) -> tuple[str, str, str, str, int]:
    return (citation_key(rec), rec.doi or "", comparable(rec.title), rec.source.file or "", rec.source.line or 0)


def build(
    inputs: Sequence[str],
    output: str | None,
    client: CrossrefClient,
    *,
    format: str | None = None,
    progress: Progress | None = None,
    vocabulary: Vocabulary | None = None,
    references: bool = True,
    lookup_progress: LookupProgress | None = None,
    key_formula: str = DEFAULT_FORMULA,
    reference_progress: LookupProgress | None = None,
    encoding: str | None = None,
) -> BuildResult:
    # the vocabulary first: an unusable one stops the build before any work (mscbib.tags.VocabularyError)
    vocabulary = vocabulary if vocabulary is not None else load_vocabulary()
    files = expand_inputs(inputs)
    read = read_inputs(files, format, encoding)
    # every DOI in batches and every search, concurrently within Crossref's limits; then each record
    # is enriched from the answers the client now holds
    prefetch(read.records, client, lookup_progress)
    enriched: list[Enriched] = []
    for rec in read.records:
        item = enrich_record(rec, client)
        enriched.append(item)
        if progress:
            progress(rec, item)
    enriched, merged = merge_duplicates(enriched)
    enriched.sort(key=lambda e: _order(e.record))
    records = [e.record for e in enriched]
    assign_keys(records, key_formula)  # mscbib.keys; the default is Better BibTeX's
    # tags and cited references (mscbib.tags, mscbib.refs): `keywords`, `cites`, and the cited works
    cited = link_references(enriched, client, reference_progress) if references else []
    for item in enriched:
        apply_tags(item.record, vocabulary, item.work)
    for work in cited:
        apply_tags(work, vocabulary)
    for rec in records:  # findings raised before the key existed name the record by its key from now on
        rec.findings = [dataclasses.replace(f, key=rec.key) for f in rec.findings]
    findings = [f for rec in records for f in rec.findings] + validate(records)
    findings += [Finding("IN001", Severity.ERROR, f.reason, file=f.file, line=f.line) for f in read.failures]
    findings += [Finding("IN003", Severity.WARNING, f.reason, file=f.file, line=f.line) for f in read.warnings]
    if output is not None:
        write_bibtex(records, output)
        write_bibtex(cited_entries(records, cited), cited_path(output))  # every cited work, library ones too
    return BuildResult(
        inputs=files, output=output, records=records, enriched=enriched, failures=read.failures,
        findings=findings, stats=client.stats, offline=client.offline, crossref_url=client.base_url,
        unreachable=client.unreachable, merged=merged, cited=cited,
        cited_output=cited_path(output) if output is not None else None, vocabulary=vocabulary.source,
    )

