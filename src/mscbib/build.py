"""The main job, as a library function: inputs → records → enrichment → validation → keys → BibTeX.

The CLI's ``mscbib build`` is a thin shell around :func:`build`; tests call both.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from .bibfile import read_bib, split_names
from .crossref.client import ClientStats, CrossrefClient, LookupStatus
from .enrich import EnrichStatus, Enriched, LookupProgress, enrich_record, prefetch
from .identifiers import normalize_doi, normalize_pmid
from .crossref.mapping import apply_url_option
from .keys import DEFAULT_FORMULA, KeyAssignment, WrittenKey, assign_keys, citation_key
from .model import FailedInput, Finding, Record, Severity
from .sources import expand_inputs, read_inputs
from .text import comparable
from .exits import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, EXIT_OUTPUT, EXIT_UNVERIFIED
from .validate import validate
from .writers import OutputRefused, write_library
from .refs import DEFAULT_REFERENCE_MODE, cited_entries, cited_path, link_references, read_ahead
from .tags import Vocabulary, apply_tags, load_vocabulary
from .agencies import AgencyClient
from .ncbi import NcbiClient
from .preprints import published_versions
from .resolve_ids import resolve_identifiers, resolve_reference_ids

__all__ = ["BuildResult", "build", "merge_duplicates", "written_keys", "EXIT_OK", "EXIT_FINDINGS", "EXIT_INPUT",
           "EXIT_UNVERIFIED"]

# EXIT_*: one set of exit codes for every command (mscbib.exits): 1 error findings, 2 an input could not be read,
# 3 Crossref unreachable (entries written from the inputs alone), 4 the library was not written

Progress = Callable[[Record, Enriched], None]

#: findings that say a service other than Crossref could not be asked (NCBI: NCB001; the DOI resolver: AGY002):
#: like an entry Crossref could not verify, the build then exits 3, not 0
_SERVICE_NOT_ASKED = frozenset({"NCB001", "AGY002"})


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
    #: why the library was not written (mscbib.writers.write_library refused), and the .bak files kept with --force
    not_written: str | None = None
    backups: list[str] = field(default_factory=list)
    #: each entry's key -> where it came from: mscbib.keys.KEY_GIVEN ("input"), KEY_WRITTEN ("output": the
    #: file being rebuilt had it for that work) or KEY_NEW ("new", made by the formula in this build)
    key_origins: dict[str, str] = field(default_factory=dict)
    #: the other services asked (mscbib.ncbi, mscbib.agencies): name -> url, requests, cache hits, failures, unreachable
    services: dict[str, dict] = field(default_factory=dict)
    #: cited-reference look-ups that failed at Crossref (mscbib.refs.CitedWorks.failed)
    references_failed: int = 0

    def count(self, status: EnrichStatus) -> int:
        return sum(1 for e in self.enriched if e.status is status)

    @property
    def exit_code(self) -> int:
        if self.not_written:
            return EXIT_OUTPUT
        if self.failures:
            return EXIT_INPUT
        if not self.offline and (self.count(EnrichStatus.UNVERIFIED) or self.references_failed
                                 or any(f.code in _SERVICE_NOT_ASKED for f in self.findings)):
            return EXIT_UNVERIFIED
        if any(f.severity is Severity.ERROR for f in self.findings):
            return EXIT_FINDINGS
        return EXIT_OK


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


def written_keys(path: str | None) -> tuple[list[WrittenKey], str | None]:
    """The keys already written in ``path`` (the output being rebuilt), each with what identifies its work
    there (DOI, PMID, title, year): ``([], None)`` when there is no such file, ``([], why)`` when it cannot
    be read. Titles are decoded only if a work is not found by DOI or PMID: a rebuild pays one fast parse of its
    output for its keys."""
    if path is None or not Path(path).is_file():
        return [], None
    try:
        bib = read_bib(path)
    except OSError as exc:
        return [], f"{path} cannot be read ({exc.strerror or exc})"
    out: list[WrittenKey] = []
    for e in bib.entries:
        if not e.key:
            continue
        title = e.field("title")
        pmid = e.get("pmid") or (e.get("eprint") if (e.get("eprinttype") or "").lower() == "pubmed" else None)
        year = (e.get("year") or e.get("date") or "")[:4]
        names = split_names(e.get("author") or e.get("editor") or "")
        first = names[0].replace("{", "").replace("}", "") if names else ""
        family = first.split(",")[0] if "," in first else (first.split() or [""])[-1]
        out.append(WrittenKey(e.key, normalize_doi(e.get("doi")), normalize_pmid(pmid), year=year or None,
                              where=f"{path}:{e.line}", title_latex=title.value if title is not None else None,
                              author=family.strip() or None))
    return out, None


def _key_findings(assignment: KeyAssignment, unreadable: str | None, output: str | None) -> list[Finding]:
    """KEY003: a key the build could not keep (the entry has another now), or an output it could not read keys from."""
    out = [Finding("KEY003", Severity.WARNING, f"citation key {old} is not kept: {why}; this entry's key is now "
                   f"{rec.key}", key=rec.key, file=rec.source.file, line=rec.source.line)
           for rec, old, why in assignment.not_kept]
    if unreadable:
        out.append(Finding("KEY003", Severity.WARNING, f"the keys already written in {output} could not be read "
                           f"({unreadable}): every entry's key was made afresh", file=output))
    return out


def _order(rec: Record) -> tuple[str, str, str, str, int]:
    return (citation_key(rec), rec.doi or "", comparable(rec.title), rec.source.file or "", rec.source.line or 0)


#: ``--url`` by default: Crossref's landing-page URL only for an entry without a DOI (none, from Crossref): the
#: DOI leads to the same page, styles that print both print the address twice, and bib/library.bib stays as it was
DEFAULT_URL_OPTION = "no-doi"


def build(
    inputs: Sequence[str],
    output: str | None,
    client: CrossrefClient,
    *,
    format: str | None = None,
    progress: Progress | None = None,
    vocabulary: Vocabulary | None = None,
    references: bool | str = True,
    lookup_progress: LookupProgress | None = None,
    key_formula: str = DEFAULT_FORMULA,
    reference_progress: LookupProgress | None = None,
    force: bool = False,
    ncbi: NcbiClient | None = None,
    agencies: AgencyClient | None = None,
    prefer_published: bool = False,
    url: str = DEFAULT_URL_OPTION,
    announce: Callable[[str], None] | None = None,
    encoding: str | None = None,
) -> BuildResult:
    """``references``: how cited references are resolved, one of :data:`mscbib.refs.REFERENCE_MODES`
    (``True``: the default mode; ``False``: no cited works at all)."""
    # the vocabulary first: an unusable one stops the build before any work (mscbib.tags.VocabularyError)
    vocabulary = vocabulary if vocabulary is not None else load_vocabulary()
    files = expand_inputs(inputs)
    read = read_inputs(files, format, encoding)
    if ncbi is not None:  # PMID / PMCID-only records become full ones (mscbib.resolve_ids), before Crossref
        resolve_identifiers(read.records, ncbi)
    # every DOI in batches and every search, concurrently within Crossref's limits; then each record
    # is enriched from the answers the client now holds (the DOIs they cite are asked for meanwhile: mscbib.refs)
    mode = DEFAULT_REFERENCE_MODE if references is True else references
    ahead = read_ahead(client) if mode and mode != "none" else None
    prefetch(read.records, client, lookup_progress)
    if agencies is not None:  # the DOIs Crossref does not know: their agencies, in batches (mscbib.agencies)
        agencies.prefetch(r.doi for r in read.records if r.doi and client.work(r.doi).status is LookupStatus.NOT_FOUND)
    enriched: list[Enriched] = []
    for rec in read.records:
        item = enrich_record(rec, client, agencies)
        enriched.append(item)
        if progress:
            progress(rec, item)
    published_versions(enriched, client, prefer=prefer_published)  # preprints with a journal version (mscbib.preprints)
    enriched, merged = merge_duplicates(enriched)
    enriched.sort(key=lambda e: _order(e.record))
    records = [e.record for e in enriched]
    # mscbib.keys: keys the inputs give and keys already written in the output stay; new works get
    # keys by the formula (the default is Better BibTeX's). The cited.bib being rebuilt counts too: a cited
    # work that becomes an entry keeps its key, and no new entry takes a cited work's key
    written, unreadable = written_keys(output)
    cited_written = written_keys(cited_path(output))[0] if output is not None else []
    assignment = assign_keys(records, key_formula, written=written + cited_written)
    key_findings = _key_findings(assignment, unreadable, output)
    origins = {rec.key: origin for rec, origin in zip(records, assignment.origins) if rec.key}
    # written in key order (keys kept from the input or the old output need not sort where the formula's would)
    enriched.sort(key=lambda e: e.record.key or "")
    records = [e.record for e in enriched]
    # tags and cited references (mscbib.tags, mscbib.refs): `keywords`, `cites`, and the cited works
    # cited works keep the keys the cited.bib being rebuilt holds for them, as library entries do
    if ncbi is not None and mode and mode != "none":  # cited PMIDs / PMCIDs → their DOIs (mscbib.resolve_ids)
        resolve_reference_ids(records, ncbi)
    cited = link_references(enriched, client, reference_progress, mode=mode, announce=announce, ahead=ahead,
                            written=cited_written, agencies=agencies) if mode else []
    apply_url_option(records + cited, url)  # Crossref's landing pages, per --url (mscbib.crossref.mapping)
    for item in enriched:
        apply_tags(item.record, vocabulary, item.work)
    for work in cited:
        apply_tags(work, vocabulary)
    for rec in records:  # findings raised before the key existed name the record by its key from now on
        rec.findings = [dataclasses.replace(f, key=rec.key) for f in rec.findings]
    findings = [f for rec in records for f in rec.findings] + key_findings + validate(records)
    findings += [Finding("IN001", Severity.ERROR, f.reason, file=f.file, line=f.line) for f in read.failures]
    findings += [Finding("IN003", Severity.WARNING, f.reason, file=f.file, line=f.line) for f in read.warnings]
    not_written, backups = None, []
    if output is not None:  # every cited work, library ones too; the blocks no reader could parse written back
        try:
            backups = write_library(records, cited_entries(records, cited), output, cited_path(output),
                                    failed=read.failures, force=force)
        except OutputRefused as exc:
            not_written = str(exc)
    written_to = output if output is not None and not not_written else None
    return BuildResult(
        inputs=files, output=written_to, records=records, enriched=enriched, failures=read.failures,
        not_written=not_written, backups=[str(b) for b in backups],
        findings=findings, stats=client.stats, offline=client.offline, crossref_url=client.base_url,
        unreachable=client.unreachable, merged=merged, cited=cited,
        cited_output=cited_path(output) if written_to is not None else None, vocabulary=vocabulary.source,
        key_origins=origins, references_failed=getattr(cited, "failed", 0),
        services={c.service.name: {"url": c.service.base_url, "requests": c.stats.requests,
                                   "cache_hits": c.stats.cache_hits, "failures": c.stats.failures,
                                   "unreachable": c.service.unreachable} for c in (ncbi, agencies) if c is not None},
    )

