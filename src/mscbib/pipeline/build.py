"""The main job, as a library function: the list of stages (:mod:`mscbib.pipeline.stages`) run over a Library.

read → identifiers → (read-ahead) → enrich → preprints → duplicates → key → references → tag → (plug-in stages) → validate →
write: each stage a function ``Library -> Library`` in its own module; :func:`build` makes the list from its
arguments and runs it, the way bibtexparser v2 runs its middlewares. The CLI's ``mscbib build`` is a thin shell
around :func:`build`; tests call both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Collection, Sequence

from .._perf import fewer_collections
from ..enrich import Enriched, EnrichStatus, LookupProgress
from ..enrich.agencies import AgencyClient
from ..exits import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, EXIT_OUTPUT, EXIT_UNVERIFIED
from ..journals import DEFAULT_JOURNAL_FORM, crossref_journal_titles
from ..keys import DEFAULT_FORMULA
from ..model import FailedInput, Finding, Library, Record, Severity
from ..plugins import plugin_stages
from ..refs import DEFAULT_REFERENCE_MODE, cited_path
from ..services.crossref.client import ClientStats, CrossrefClient
from ..services.ncbi import NcbiClient
from ..tags import Vocabulary, load_vocabulary
from ..writers.options import DEFAULT_LAYOUT, DEFAULT_SORT, Layout
from .stages import run, with_plugins
from .stages.enrich import Enrich, MergeDuplicates, PublishedVersions, ResolveIdentifiers, merge_duplicates
from .stages.keys import Key, written_keys
from .stages.read import Read
from .stages.references import References, StartReadAhead
from .stages.tags import Tag
from .stages.urls import LandingPages
from .stages.validate import Validate
from .stages.write import Write

__all__ = [
    "BuildResult",
    "build",
    "merge_duplicates",
    "written_keys",
    "EXIT_OK",
    "EXIT_FINDINGS",
    "EXIT_INPUT",
    "EXIT_UNVERIFIED",
]

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
    #: the other services asked (mscbib.services.ncbi, mscbib.enrich.agencies): name -> url, requests, cache hits, failures, unreachable
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
        if not self.offline and (
            self.count(EnrichStatus.UNVERIFIED)
            or self.references_failed
            or any(f.code in _SERVICE_NOT_ASKED for f in self.findings)
        ):
            return EXIT_UNVERIFIED
        if any(f.severity is Severity.ERROR for f in self.findings):
            return EXIT_FINDINGS
        return EXIT_OK


#: ``--url`` by default: Crossref's landing-page URL only for an entry without a DOI (none, from Crossref): the
#: DOI leads to the same page, styles that print both print the address twice, and bib/library.bib stays as it was
DEFAULT_URL_OPTION = "no-doi"


@fewer_collections()  # a build's records live until it ends: collecting every 700 allocations cost a quarter of it
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
    stages: Sequence[Callable[[Library], Library]] = (),
    sort: str = DEFAULT_SORT,
    drop_fields: Collection[str] = (),
    journal: str = DEFAULT_JOURNAL_FORM,
    layout: Layout = DEFAULT_LAYOUT,
) -> BuildResult:
    """``references``: how cited references are resolved, one of :data:`mscbib.refs.REFERENCE_MODES`
    (``True``: the default mode; ``False``: no cited works at all). The build is the list of stages below run in
    turn on an empty :class:`~mscbib.model.Library`; ``stages``: more of them, from the caller, placed as plug-in
    stages are (after the stage their ``after`` names, default ``tag``: :func:`mscbib.pipeline.stages.with_plugins`)."""
    # the vocabulary first: an unusable one stops the build before any work (mscbib.tags.VocabularyError)
    vocabulary = vocabulary if vocabulary is not None else load_vocabulary()
    mode = DEFAULT_REFERENCE_MODE if references is True else (references or None)
    cited_output = cited_path(output) if output is not None else None
    cited_references = References(client, mode, ncbi, agencies, reference_progress, announce)
    pipeline = with_plugins(
        [
            Read(inputs, format, encoding),
            ResolveIdentifiers(ncbi),
            StartReadAhead(cited_references),  # the cited DOIs asked for while the works are looked up
            Enrich(client, agencies, lookup_progress, progress),
            PublishedVersions(client, prefer_published),
            MergeDuplicates(),
            Key(output, key_formula, cited_output),
            cited_references,
            LandingPages(url),  # Crossref's landing pages, per --url (mscbib.services.crossref.mapping)
            Tag(vocabulary),
            Validate(),
            # --sort, --drop-fields, the layout: mscbib.writers.options; --journal: mscbib.journals
            Write(
                output,
                cited_output,
                force,
                sort,
                drop_fields,
                journal,
                layout,
                journal_titles=lambda issns: crossref_journal_titles(client, issns),
            ),
        ],
        [*plugin_stages(), *stages],
    )
    library = run(pipeline)
    written_to = library.output
    return BuildResult(
        inputs=library.inputs,
        output=written_to,
        records=library.records,
        enriched=library.items,
        failures=library.failures,
        not_written=library.not_written,
        backups=library.backups,
        findings=library.all_findings(),
        stats=client.stats,
        offline=client.offline,
        crossref_url=client.base_url,
        unreachable=client.unreachable,
        merged=library.merged,
        cited=library.cited,
        cited_output=cited_output if written_to is not None else None,
        vocabulary=vocabulary.source,
        key_origins=library.key_origins,
        references_failed=getattr(library.cited, "failed", 0),
        services={
            c.service.name: {
                "url": c.service.base_url,
                "requests": c.stats.requests,
                "cache_hits": c.stats.cache_hits,
                "failures": c.stats.failures,
                "unreachable": c.service.unreachable,
            }
            for c in (ncbi, agencies)
            if c is not None
        },
    )
