"""Cited-reference lists: merge, resolve, key, and make the cited works.

For each library entry:

1. **Merge** the reference list Crossref holds (deposited ``reference``: DOI where deposited, else structured
   parts, else the unstructured string) with the list printed on the page (parsed, with PMID/PMC markers), without
   duplicates, in the order of the article's reference list (:func:`merge_references`).
2. **Resolve** every reference through the enrichment engine (:func:`mscbib.enrich.enrich_record`): one with a
   DOI is looked up; one without is found by the *verified* bibliographic search (:mod:`mscbib.enrich.match`); one that
   cannot be verified stays as printed text — never guessed.
3. **Key**: each distinct cited work (same DOI, else same PMID, else same title and year, else same text) gets one
   Better-BibTeX-style key; a work that is itself in the library keeps its library key. The entry's ``cites``
   lists those keys in order; every cited work gets ``citedby``: the keys of the library entries citing it.
4. **cited.bib** (:func:`cited_entries`) holds *every* distinct cited work — the works outside the library and
   the library entries that are cited, written exactly as in ``library.bib`` (same key, same fields) — so every
   key of every ``cites`` field resolves in ``cited.bib`` alone, and a key defined in both files is the same
   entry, byte for byte.
"""

from __future__ import annotations

import os
import queue
import threading
from typing import Callable, Iterable

from ..enrich import Enriched, EnrichStatus, LookupProgress, build_query, enrich_record
from ..enrich.match import MIN_CORROBORATING, TITLE_THRESHOLD, family_agrees, title_similarity
from ..identifiers import find_dois, normalize_doi
from ..keys import WrittenKey, assign_keys
from ..model import Finding, Provenance, Record, Reference, Severity, zotero_note
from ..services.crossref.client import CrossrefClient, LookupStatus
from ..services.crossref.mapping import Work, cited_dois, work_from_json
from ..sources.refstring import parse_citation
from ..text import comparable, normalize_pages
from .parsed_refs import ParsedTexts

__all__ = [
    "REFERENCE_MODES",
    "DEFAULT_REFERENCE_MODE",
    "CitedWorks",
    "ReadAhead",
    "read_ahead",
    "whole_works",
    "can_verify",
    "merge_references",
    "same_reference",
    "complete_reference",
    "record_from_reference",
    "link_references",
    "cited_entries",
    "cited_path",
    "zotero_note",
    "CITED_NAME",
]

#: The file of cited works, written beside the library.
CITED_NAME = "cited.bib"

_PARTS = ("doi", "pmid", "pmcid", "title", "journal", "year", "volume", "issue", "pages")


def complete_reference(ref: Reference, parse: Callable[[str], Reference] = parse_citation) -> Reference:
    """Fill the parts a reference lacks from its own text (:func:`mscbib.sources.refstring.parse_citation`:
    Vancouver, author-year and the publishers' styles); never overwrite, never invent. ``parse``: the parser
    (:meth:`mscbib.refs.parsed_refs.ParsedTexts.parse` parses each text once and keeps it for the next run)."""
    if not ref.text or (ref.title and ref.authors):
        return ref
    parsed = parse(ref.text)
    if parsed.title and len(comparable(parsed.title).replace(" ", "")) < 3:
        parsed.title = None  # "G" from "Spillantini, M. G. et al. …" is an initial, never a title
    for name in _PARTS:
        if not getattr(ref, name) and getattr(parsed, name):
            setattr(ref, name, getattr(parsed, name))
    if parsed.authors and (
        not ref.authors or (len(parsed.authors) > len(ref.authors) and family_agrees(_family(ref), _family(parsed)))
    ):
        ref.authors, ref.authors_complete = parsed.authors, parsed.authors_complete
    return ref


def _family(ref: Reference) -> str:
    return (ref.authors[0].family or ref.authors[0].literal) if ref.authors else ""


def _first_page(pages: str | None) -> str:
    return (pages or "").split("-")[0].strip().lower()


def same_reference(a: Reference, b: Reference) -> bool:
    """The same cited work: same DOI / PMID; else, with no year or first author against it, the same first
    author, year, volume and first page, or a title that scores as a verified match does (:mod:`mscbib.enrich.match`),
    or — without titles — the same first author, year, and volume or first page."""
    if a.doi and b.doi:
        return a.doi == b.doi
    if a.pmid and b.pmid:
        return a.pmid == b.pmid
    years_clash = bool(a.year and b.year and a.year != b.year)
    authors_clash = bool(_family(a) and _family(b) and not family_agrees(_family(a), _family(b)))
    if years_clash or authors_clash:
        return False
    located = bool(
        _family(a)
        and _family(b)
        and a.year
        and a.volume
        and a.volume == b.volume
        and _first_page(a.pages)
        and _first_page(a.pages) == _first_page(b.pages)
    )
    if located:  # same first author, year, volume and first page: a shortened title does not matter
        return True
    if a.title and b.title:
        return title_similarity(a.title, b.title) >= TITLE_THRESHOLD
    if _family(a) and _family(b) and a.year and b.year:
        where_a = (a.volume, _first_page(a.pages))
        where_b = (b.volume, _first_page(b.pages))
        return bool((a.volume and a.volume == b.volume) or (where_a[1] and where_a[1] == where_b[1]))
    return bool(a.text and b.text and comparable(a.text) == comparable(b.text))


def _fill_record(rec: Record, ref: Reference) -> None:
    """Fill what ``rec`` (made from a reference) lacks from the reference's parsed parts."""
    src = ref.source or Provenance(origin="reference")
    for name in _PARTS:
        if getattr(ref, name):
            rec.set_if_absent(name, normalize_pages(ref.pages) if name == "pages" else getattr(ref, name), src)
    if ref.authors and not rec.authors:
        rec.set("authors", ref.authors, src)
        rec.set("authors_complete", ref.authors_complete, src)


def _fill(into: Reference, other: Reference) -> None:
    for name in (*_PARTS, "text"):
        if not getattr(into, name) and getattr(other, name):
            setattr(into, name, getattr(other, name))
    if other.authors and (not into.authors or (not into.authors_complete and len(other.authors) > len(into.authors))):
        into.authors, into.authors_complete = other.authors, other.authors_complete


def merge_references(deposited: Iterable[Reference], printed: Iterable[Reference]) -> list[Reference]:
    """One list from Crossref's deposited references and the printed ones, in reference-list order.

    The deposited list is the spine (its DOIs and structure); each printed reference that matches one
    (:func:`same_reference`) fills its gaps (PMID, PMCID, full author list); one that matches none is inserted
    after the last matched one, so the article's order is kept. A reference is never dropped."""
    printed = list(printed)
    if not printed:  # nothing to match: each reference is parsed only where its text is needed (mscbib.refs)
        return list(deposited)
    merged = [complete_reference(r) for r in deposited]
    used: set[int] = set()
    cursor = -1
    for ref in (complete_reference(r) for r in printed):
        match = next((i for i, m in enumerate(merged) if id(m) not in used and same_reference(m, ref)), None)
        if match is None:
            cursor += 1
            merged.insert(cursor, ref)
            used.add(id(ref))
            continue
        _fill(merged[match], ref)
        used.add(id(merged[match]))
        cursor = match
    return merged


def record_from_reference(ref: Reference) -> Record:
    """A record holding what the reference states, with the reference's provenance."""
    src = ref.source or Provenance(origin="reference")
    rec = Record(source=src)
    for name in _PARTS:
        rec.set(name, getattr(ref, name), src)
    if ref.pages:
        rec.set("pages", normalize_pages(ref.pages), src)
    if ref.authors:
        rec.set("authors", ref.authors, src)
        rec.set("authors_complete", ref.authors_complete, src)
    if ref.kind:  # the kind the reference states (a book's title alone: Reference.kind)
        rec.set("type", ref.kind, src)
    return rec


#: ``--references`` (and ``references`` in mscbib.toml): how cited references are resolved at Crossref.
#: ``none``: nothing is asked; ``doi``: every DOI a reference carries is looked up (in batches of 100), and
#: references printed on the user's own pages are searched; ``search``: references Crossref holds without a DOI
#: are searched too (one list request each: Crossref's own matcher has already failed to link them).
REFERENCE_MODES = ("none", "doi", "search")
DEFAULT_REFERENCE_MODE = "doi"
#: A reference is searched only when its text can meet the verification rule (:mod:`mscbib.enrich.match`): a title of
#: at least this many words, and at least ``MIN_CORROBORATING`` of first author, year, volume, first page, journal.
MIN_TITLE_WORDS = 4


_DONE = object()


def _mapped_from(refs: list[Reference], work: Work) -> bool:
    """Are ``refs`` the deposited list of ``work``, as the mapping made it (enrichment already did, for the entry's
    own record)? Then they are taken as they are."""
    prefix = f"{normalize_doi(work.doi)} reference "
    return len(refs) == len(work.references) and all(
        r.source is not None and (r.source.detail or "").startswith(prefix) for r in refs
    )


def whole_works(items: list[Enriched], client: CrossrefClient) -> None:
    """Entries verified by a search hold the lean candidate (no reference list): ask for those works whole, by
    DOI in batches, and take their deposited references and what else the lean answer lacked (``language``).
    The references stage (:class:`mscbib.pipeline.stages.references.References`) runs it before :func:`link_references`."""
    lean = [
        (i, i.record.doi)
        for i in items
        if i.status is EnrichStatus.VERIFIED and i.work is not None and i.record.doi and not i.work.whole
    ]
    if not lean:
        return
    answers = client.works([doi for _, doi in lean if doi])
    for item, doi in lean:
        answer = answers.get(doi) if doi else None
        if answer is None or answer.status is not LookupStatus.FOUND or answer.message is None:
            continue
        item.work = work_from_json(answer.message)
        for name, value in item.work.record.items():
            item.record.set_if_absent(name, value.value, value.source)


def _dois_of(item: Enriched) -> Iterable[str]:
    """The DOIs an entry's references carry, or show in their text: the deposited list (as the mapping read them)
    and the printed list, before either is merged or parsed."""
    if item.work is not None:
        yield from item.work.cited_dois
    for ref in item.record.references:
        if ref.doi:
            yield ref.doi
        elif ref.text and not _is_deposited(ref):
            yield from find_dois(ref.text)[:1]


class _Fetch(threading.Thread):
    """``client.works(dois)`` on a thread of its own, each answer put on ``answers`` as it arrives, then
    :data:`_DONE`; an exception is kept for the caller to raise."""

    def __init__(self, client: CrossrefClient, dois: list[str], answers: queue.Queue) -> None:
        super().__init__(name="mscbib-references", daemon=True)
        self.client, self.dois, self.answers = client, dois, answers
        self.asked = set(dois)
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            if self.dois:
                with self.client.lean():
                    self.client.works(self.dois, progress=self.answers.put)
        except BaseException as exc:  # handed to the caller
            self.error = exc
        finally:
            self.answers.put(_DONE)


#: Seconds a :class:`ReadAhead` waits for a DOI before it ends by itself.
IDLE = 60.0


class ReadAhead(threading.Thread):
    """Cited DOIs asked for while the library's own entries are still being looked up and enriched: every full
    work the client receives (:attr:`CrossrefClient.on_work`) hands its references' DOIs over, and each hundred
    of them goes as one lean batch. :func:`link_references` stops it and asks for the rest; what it asked is then
    answered from the client's memory. Start it with :func:`read_ahead`."""

    def __init__(self, client: CrossrefClient) -> None:
        super().__init__(name="mscbib-read-ahead", daemon=True)
        self.client = client
        self.inbox: queue.Queue = queue.Queue()
        self.asked: set[str] = set()
        self.error: BaseException | None = None
        self.stopping = False

    def seen(self, work: dict) -> None:
        """The client's hook, with each full work's JSON as it arrives: its cited DOIs, before it is mapped."""
        for doi in cited_dois(work):
            self.inbox.put(doi)

    def run(self) -> None:
        pending: dict[str, None] = {}
        size = self.client.batch_size
        with self.client.lean():
            while True:
                try:
                    doi = self.inbox.get(timeout=IDLE)
                except queue.Empty:  # nothing arrives (a build that stopped before its references): end
                    if self.client.on_work == self.seen:
                        self.client.on_work = None
                    return
                if doi is _DONE or self.stopping:  # the DOIs not yet asked are link_references' to ask
                    return
                if doi in self.asked or doi in pending:
                    continue
                pending[doi] = None
                if len(pending) >= size:
                    batch = list(pending)
                    pending.clear()
                    self.asked.update(batch)
                    try:
                        self.client.works(batch)
                    except BaseException as exc:  # handed to link_references
                        self.error = exc
                        return

    def stop(self) -> None:
        """No more DOIs: wait for the batches in flight (their answers are then held by the client); the DOIs not
        yet asked are left to :func:`link_references`, which asks them concurrently while it maps and parses."""
        if self.client.on_work == self.seen:
            self.client.on_work = None
        self.stopping = True
        self.inbox.put(_DONE)
        self.join()
        if self.error is not None:
            raise self.error


def read_ahead(client: CrossrefClient) -> ReadAhead | None:
    """Start asking for cited DOIs as the library's works arrive (nothing when offline or unreachable)."""
    if client.offline or client.unreachable:
        return None
    ahead = ReadAhead(client)
    client.on_work = ahead.seen
    ahead.start()
    return ahead


class CitedWorks(list):
    """What :func:`link_references` returns: the cited works outside the library (a list), and what asking
    Crossref about them cost: ``asked`` look-ups, ``failed`` of them (not answered after the retries),
    ``searched`` references, ``not_searched`` (no DOI, and no search can pay or was asked for)."""

    asked = 0
    failed = 0
    searched = 0
    not_searched = 0
    failure: str | None = None


def _identity(ref: Reference, seen: dict[int, int]) -> tuple:
    """The cited work a reference states, as far as the reference itself tells: its DOI, PMID, title (with year
    and first page), printed text, or — for deposited references with structured parts only — first author,
    year, journal, volume and first page together. A reference that states too little to be told apart from
    another stays its own work (never one identity for all the references that state nothing)."""
    if ref.doi:
        return ("doi", ref.doi)
    if ref.pmid:
        return ("pmid", ref.pmid)
    title = comparable(ref.title)
    if title:
        return ("title", title, str(ref.year or ""), _first_page(ref.pages))
    text = comparable(ref.text)
    if text:
        return ("text", text)
    facts = (
        comparable(_family(ref)),
        str(ref.year or ""),
        comparable(ref.journal),
        ref.volume or "",
        _first_page(ref.pages),
    )
    if sum(1 for f in facts if f) >= 3:
        return ("facts", *facts)
    return ("alone", seen.setdefault(id(ref), len(seen)))


def can_verify(rec: Record) -> bool:
    """Could a search for this reference ever be verified (:func:`mscbib.enrich.match.verify`)? A title of
    :data:`MIN_TITLE_WORDS` words or more, and enough other facts to corroborate a candidate."""
    if len(comparable(rec.title).split()) < MIN_TITLE_WORDS:
        return False
    facts = [
        rec.authors and (rec.authors[0].family or rec.authors[0].literal),
        rec.get("year"),
        rec.get("volume"),
        rec.first_page(),
        rec.get("journal") or rec.get("journal_abbrev"),
    ]
    return sum(1 for f in facts if f) >= MIN_CORROBORATING


def _is_deposited(ref: Reference) -> bool:
    return bool(ref.source and ref.source.origin == "crossref")


def _kept(rec: Record, why: str) -> Enriched:
    return Enriched(rec, EnrichStatus.NO_MATCH, reason=why)


def link_references(
    items: list[Enriched],
    client: CrossrefClient,
    progress: LookupProgress | None = None,
    *,
    mode: str = DEFAULT_REFERENCE_MODE,
    announce: Callable[[str], None] | None = None,
    ahead: ReadAhead | None = None,
    written: Iterable[WrittenKey] = (),
    agencies=None,
) -> CitedWorks:
    """Merge, resolve and key the reference lists of keyed library entries (in place: ``references``, ``cites``).
    The entries are not looked up again here: an entry verified by a search gets its whole work (its reference
    list) from :func:`whole_works` first.

    ``mode`` is one of :data:`REFERENCE_MODES`. Every distinct DOI-bearing reference is looked up in
    ``ceil(n / 100)`` batch requests asking only for what is read (:meth:`CrossrefClient.lean`); each is
    resolved as its batch arrives, while later batches are in flight. A reference without a DOI is searched
    (verified, :mod:`mscbib.enrich.match`) only where that can pay: printed on the user's page (or, with
    ``mode="search"``, deposited at Crossref) and stating enough to be verified (:func:`can_verify`); the others
    are kept as stated. ``announce`` is told up front what a ``search`` run will cost. ``progress`` is called once
    per look-up answered.

    Every cited work, in the library or not, gets ``cited_by``. Returns the cited works that are not library
    entries, keyed (unique across library and cited works), in order of first citation, with the counts of
    :class:`CitedWorks`."""
    if ahead is not None:
        ahead.stop()  # what it asked for is answered from the client's memory below
    if mode not in REFERENCE_MODES:
        raise ValueError(f"references: {mode!r} is not one of {', '.join(REFERENCE_MODES)}")
    out = CitedWorks()
    library = [i.record for i in items]
    by_doi = {r.doi: r for r in library if r.doi}
    resolved: dict[tuple, Enriched] = {}
    failures: list[str] = []
    answers: queue.Queue = queue.Queue()
    total = [0]

    def answered(answer) -> None:
        out.asked += 1
        if answer.status is LookupStatus.FAILED:
            out.failed += 1
            failures.append(answer.error or "failed")
        if progress:
            progress(answer, total[0])

    # the DOIs the lists carry (or their texts show) are asked for at once, in the background, while the lists
    # are mapped, merged and parsed (CPU); each reference is then resolved as its batch arrives, while later
    # batches are still in flight
    early = [] if mode == "none" else list(dict.fromkeys(d for item in items for d in _dois_of(item)))
    total[0] = len(early)
    lean, client._lean = client._lean, True
    fetch = _Fetch(client, early, answers)
    try:
        fetch.start()
        for item in items:
            rec = item.record
            printed: list[Reference] = []
            deposited: list[Reference] = []
            for r in rec.references:  # (37,000 references in a 1,000-work build: one pass, not two)
                (deposited if _is_deposited(r) else printed).append(r)
            if item.work is not None and not _mapped_from(deposited, item.work):
                deposited = item.work.references
            rec.references = merge_references(deposited, printed)
        # the reference as stated → the record to resolve, each distinct one once; each text parsed once, and
        # not again in the next run (mscbib.refs.parsed_refs)
        parsed = ParsedTexts(getattr(client, "cache", None), refresh=getattr(client, "refresh", False))
        parsed.preload(
            ref.text
            for rec in library
            for ref in rec.references
            if not ref.doi and ref.text and not (ref.title and ref.authors)
        )
        seen: dict[int, int] = {}
        idents: dict[int, tuple] = {}
        stated: dict[tuple, Record] = {}
        searchable: set[tuple] = set()
        for ref in (ref for rec in library for ref in rec.references):
            if ref.doi:  # (most references: their identity is their DOI, _identity's first answer)
                ident = idents[id(ref)] = ("doi", ref.doi)
                if ident not in stated:
                    stated[ident] = record_from_reference(ref)
                continue
            complete_reference(ref, parsed.parse)  # kept as stated, or searched: parsed either way
            ident = idents[id(ref)] = _identity(ref, seen)
            if ident not in stated:
                stated[ident] = record_from_reference(ref)
            if mode != "none" and (mode == "search" or not _is_deposited(ref)):
                searchable.add(ident)
        doi_idents: dict[str, list[tuple]] = {}
        for ident, rec in stated.items():
            if rec.doi:
                doi_idents.setdefault(rec.doi, []).append(ident)
        queries = [i for i in stated if i in searchable and not stated[i].doi and can_verify(stated[i])]
        out.searched = len(queries)
        out.not_searched = sum(1 for rec in stated.values() if not rec.doi) - len(queries)
        if mode != "none":
            late = [d for d in doi_idents if d not in fetch.asked]  # DOIs only the printed texts' parsing found
            total[0] += len(late) + len(queries)
            if announce and mode == "search" and queries:
                rate = client.pacer.rate("list")
                announce(
                    f"--references search: {len(queries)} searches for references without a DOI, "
                    f"at least {len(queries) / rate:.0f} s at Crossref's limits ({rate:g} list requests/s)"
                )

            def settle(answer) -> None:
                answered(answer)
                for ident in doi_idents.get(answer.doi, ()):  # the answer at hand: not looked up again
                    resolved[ident] = enrich_record(stated[ident], client, agencies, answer=answer)

            while (answer := answers.get()) is not _DONE:
                settle(answer)
            fetch.join()
            if fetch.error is not None:
                raise fetch.error
            client.works(late, progress=settle)
            client.searches([build_query(stated[i]) for i in queries], progress=answered)
            for ident in queries:
                resolved[ident] = enrich_record(stated[ident], client, agencies)
    finally:  # (on an interruption the daemon thread is left to end with the process)
        client._lean = lean
    out.failure = failures[0] if failures else None
    why = "not looked up (--references none)" if mode == "none" else "no DOI: kept as stated, not searched"
    cited: dict[tuple, Record] = {}  # by the cited work's identity after resolution
    links: list[tuple[Record, Reference, Record]] = []
    for rec in library:
        for ref in rec.references:
            ident = idents[id(ref)]
            found = resolved.get(ident)
            if found is None:
                found = resolved[ident] = _kept(stated[ident], why)
            work = found.record
            doi = work.doi
            verified = found.status is EnrichStatus.VERIFIED
            if verified and not ref.doi:
                ref.doi = doi
            if doi and doi in by_doi:
                links.append((rec, ref, by_doi[doi]))
                continue
            if not verified:
                if ref.doi and ref.text and not ref.title:  # not found at Crossref: kept as stated
                    _fill_record(work, complete_reference(ref, parsed.parse))
                    doi = work.doi
                if not work.printed:
                    work.printed = ref.text
            target = cited.setdefault(("doi", doi) if doi else ident, work)
            links.append((rec, ref, target))
    parsed.flush()
    out.extend(cited.values())
    # a cited work keeps the key ``written`` for it in the cited.bib being rebuilt (mscbib.keys)
    assign_keys(out, reserved={r.key for r in library if r.key}, written=written)
    # each list's keys as a set beside it (a library entry cites ~40 works, a cited work is cited by up to every
    # entry: no list scanned per link), started from what the list already holds
    cites_of: dict[int, set[str]] = {}
    cited_by_of: dict[int, set[str]] = {}
    for rec, ref, target in links:
        ref.key = target.key
        cites = cites_of.get(id(rec))
        if cites is None:
            cites = cites_of[id(rec)] = set(rec.cites)
        if target.key is not None and target.key not in cites:
            cites.add(target.key)
            rec.cites.append(target.key)
        citing = cited_by_of.get(id(target))
        if citing is None:
            citing = cited_by_of[id(target)] = set(target.cited_by)
        if rec.key is not None and rec.key not in citing:
            citing.add(rec.key)
            target.cited_by.append(rec.key)
    if out.failed and not client.offline:
        for rec in library:
            if rec.references:
                rec.findings.append(
                    Finding(
                        "CR005",
                        Severity.WARNING,
                        f"{out.failed} of {out.asked} look-ups of the library's cited references failed at Crossref "
                        f"({out.failure}); those references are written as stated",
                        key=rec.label(),
                        file=rec.source.file,
                        line=rec.source.line,
                    )
                )
                break
    return out


def cited_entries(library: Iterable[Record], works: Iterable[Record]) -> list[Record]:
    """What ``cited.bib`` holds: every distinct cited work — the library entries that are cited (the same
    records as in ``library.bib``, so the same key and fields) and the cited works outside the library."""
    return [r for r in library if r.cited_by] + list(works)


def cited_path(output: str) -> str:
    """The cited works are written beside the library, named after it: ``paper.bib`` → ``paper.cited.bib``, so
    two libraries in one folder keep their own; ``library.bib`` → ``cited.bib`` (``bib/cited.bib``, as documented)."""
    name = os.path.basename(output)
    if name == "library.bib":
        return os.path.join(os.path.dirname(output), CITED_NAME)
    stem, ext = os.path.splitext(name)
    return os.path.join(os.path.dirname(output), f"{stem}.cited{ext or '.bib'}")
