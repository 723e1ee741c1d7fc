"""Enrichment: look each record up at Crossref, verify, and merge.

* With a DOI: fetch the work, fill what the input lacks, and compare what both state.
* Without one: search Crossref with ``query.bibliographic`` built from the record, verify the
  candidates (:mod:`mscbib.enrich.match`) and accept one only when it is verified.

Where the input and Crossref disagree, the entry takes Crossref's value and the disagreement becomes
a finding that keeps both values. The merge itself (:func:`merge`) is pure.

A DOI the input gives whose registered work contradicts what the input says of title, first author and
year (:func:`mscbib.enrich.match.registered_for_another`: the rule of :func:`~mscbib.enrich.match.compare_registered`, which
``mscbib check`` uses too) is registered for another work: nothing is merged (nor its references, subjects or
update notices), the input's values are kept, and an error (CR011) states both works.
"""

from __future__ import annotations

import enum
import weakref
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence, Union

from ..model import Finding, Person, Provenance, Record, Severity, finding_about
from ..services.crossref.client import CrossrefClient, LookupStatus, SearchAnswer, WorkAnswer
from ..services.crossref.mapping import Work, cased_title, record_from_work, update_relations, work_from_json, work_of
from ..text import comparable, normalize_pages
from .match import Candidate, choose, family_agrees, registered_for_another, retracts, title_differs, work_summary

__all__ = [
    "EnrichStatus",
    "Enriched",
    "Disagreement",
    "enrich_record",
    "merge",
    "build_query",
    "prefetch",
    "LookupProgress",
]

#: Called once per Crossref look-up answered during :func:`prefetch`, with the answer and how many
#: look-ups the prefetch makes in all.
LookupProgress = Callable[[Union[WorkAnswer, SearchAnswer], int], None]


class EnrichStatus(str, enum.Enum):
    VERIFIED = "verified"  # Crossref has the work (found by DOI, or by a verified search)
    NOT_FOUND = "not-found"  # the DOI is not registered at Crossref
    NO_MATCH = "no-match"  # no DOI, and no candidate was verified
    AMBIGUOUS = "ambiguous"  # no DOI, and several candidates were verified
    UNVERIFIED = "unverified"  # Crossref could not be asked (unreachable, error, or offline without cache)
    MISMATCH = "doi-mismatch"  # the DOI given is registered for another work: the input's values are kept


@dataclass(frozen=True)
class Disagreement:
    field: str
    input_value: Any
    crossref_value: Any
    input_source: Provenance
    #: the same facts written differently (e.g. a family name split elsewhere): information, not a warning
    minor: bool = False


@dataclass
class Enriched:
    record: Record
    status: EnrichStatus
    #: the Crossref work, typed (:class:`mscbib.services.crossref.mapping.Work`; Crossref JSON given here is mapped)
    work: Work | None = None
    filled: list[str] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    reason: str | None = None
    from_cache: bool = False

    def __post_init__(self) -> None:
        self.work = work_of(self.work)


def _same_text(a: Any, b: Any) -> bool:
    return a == b or comparable(str(a)) == comparable(str(b))  # (equal values: equal comparable forms)


def _same_pages(a: Any, b: Any) -> bool:
    return a == b or (normalize_pages(str(a)) or "").lower() == (normalize_pages(str(b)) or "").lower()


def _same_issns(a: list[str], b: list[str]) -> bool:
    return set(a) <= set(b) or set(b) <= set(a)


def _same_authors(a: list, b: list) -> bool:
    """Same people in the same order, by family name (``Kamdje`` agrees with ``Nwabo Kamdje``: a page
    cannot show where a compound family name starts)."""
    return len(a) == len(b) and all(family_agrees(p.family or p.literal, q.family or q.literal) for p, q in zip(a, b))


#: How two values of a field are compared; fields not listed are compared as plain strings.
_SAME: dict[str, Callable[[Any, Any], bool]] = {
    "title": _same_text,
    "journal": _same_text,
    "journal_abbrev": _same_text,
    "publisher": _same_text,
    "pages": _same_pages,
    "issn": _same_issns,
    "isbn": _same_issns,
}
#: Fields whose values use different vocabularies on pages and at Crossref: never compared.
_NOT_COMPARED = frozenset({"type", "language", "keywords", "abstract", "url", "authors_complete", "editors"})
#: Disagreements that matter for a citation are warnings; the rest are information.
_WARN_FIELDS = frozenset({"doi", "title", "authors", "year", "volume", "issue", "pages", "journal"})


def merge(record: Record, crossref: Record) -> tuple[list[str], list[Disagreement]]:
    """Merge a verified Crossref record into ``record`` in place.

    Returns the fields filled from Crossref and the disagreements (where Crossref's value was taken).
    """
    filled: list[str] = []
    disagreements: list[Disagreement] = []
    for name, value in crossref.items():
        mine = record.values.get(name)
        if mine is None:
            record.set(name, value.value, value.source)
            filled.append(name)
            continue
        if name in _NOT_COMPARED:
            continue
        if name == "authors":
            page_list, cr_list = mine.value, value.value
            complete = record.get("authors_complete") is not False
            same = _same_authors(page_list, cr_list) if complete else _same_authors(page_list[:1], cr_list[:1])
            shown = len(page_list) if complete else 1
            if not same or [p.family for p in page_list[:shown]] != [p.family for p in cr_list[:shown]]:
                disagreements.append(Disagreement(name, page_list[:shown], cr_list[:shown], mine.source, minor=same))
            if complete and [p.display for p in page_list] == [p.display for p in cr_list]:
                continue
            record.set("authors", cr_list, value.source)
            record.set("authors_complete", True, value.source)
            if same:
                filled.append(name)
            continue
        same_fn = _SAME.get(name, lambda a, b: str(a).strip().lower() == str(b).strip().lower())
        if same_fn(mine.value, value.value):
            # the same title in capitals throughout on the page, properly cased at Crossref: Crossref's
            if (name in ("issn", "isbn") and len(value.value) > len(mine.value)) or (
                name == "title" and cased_title([mine.value, value.value]) != mine.value
            ):
                record.set(name, value.value, value.source)
                filled.append(name)
            continue
        # a title differs (a warning) by check's rule too (match.title_differs); below it, only noted (info)
        minor = name == "title" and not title_differs(str(mine.value), [str(value.value)])
        disagreements.append(Disagreement(name, mine.value, value.value, mine.source, minor=minor))
        record.set(name, value.value, value.source)
    return filled, disagreements


def build_query(record: Record) -> dict[str, str]:
    """The Crossref search for a record without a DOI: everything it states, in ``query.bibliographic``."""
    parts: list[str] = []
    if record.title:
        parts.append(record.title)
    if record.authors:
        parts.append(record.authors[0].family or record.authors[0].literal)
    for name in ("journal", "journal_abbrev", "year", "volume"):
        if record.get(name):
            parts.append(str(record.get(name)))
    first_page = record.first_page()
    if first_page:
        parts.append(first_page)
    query = {"query.bibliographic": " ".join(parts)}
    if record.authors and (record.authors[0].family or record.authors[0].literal):
        query["query.author"] = record.authors[0].family or record.authors[0].literal
    return query


def disagreement_findings(disagreements: Sequence[Disagreement], code: str, service: str, label: str) -> list[Finding]:
    """One finding per value the input and ``service`` disagree on (``CR010`` for Crossref, ``AGY010`` for another
    DOI agency): a warning for a core field that truly differs, else info; the service's value is the one used."""
    return [
        Finding(
            code,
            Severity.WARNING if d.field in _WARN_FIELDS and not d.minor else Severity.INFO,
            f"{d.field}: the input says {_display(d.input_value)!r} ({d.input_source.where()}), {service} says "
            f"{_display(d.crossref_value)!r}; {service}'s value is used",
            key=label,
            field=d.field,
            file=d.input_source.file,
            line=d.input_source.line,
        )
        for d in disagreements
    ]


def _display(v: Any) -> str:
    if isinstance(v, list):
        return "; ".join(_name(x) if isinstance(x, Person) else str(x) for x in v)
    return str(v)


def _name(p: Person) -> str:
    return p.literal or (f"{p.family}, {p.given}" if p.given else p.family)


#: works mapped as their answers arrived during :func:`prefetch` (while later batches are still in flight), by
#: client and DOI. Each is taken once by :func:`enrich_record`; a second record of the same DOI maps its own copy
#: (two records never share a reference list).
_premapped: weakref.WeakKeyDictionary[CrossrefClient, dict[str, tuple[dict[str, Any], Record]]] = (
    weakref.WeakKeyDictionary()
)


def _registered(client: CrossrefClient, answer: WorkAnswer) -> Record:
    """The record of the work ``answer`` holds: mapped during the prefetch, else now."""
    held = _premapped.get(client)
    entry = held.pop(answer.doi, None) if held else None
    if entry is not None and entry[0] is answer.message:
        return entry[1]
    assert answer.message is not None  # a FOUND answer carries its work (crossref.client)
    return record_from_work(answer.message)


def prefetch(
    records: Sequence[Record],
    client: CrossrefClient,
    progress: LookupProgress | None = None,
    *,
    fewest_requests: bool = False,
) -> None:
    """Ask Crossref, up front, everything :func:`enrich_record` will need for ``records``: every DOI
    in batches (:meth:`CrossrefClient.works`) and every search, concurrently within the limits. The
    client remembers the answers, so the per-record enrichment that follows sends no request.

    By default the client may send DOIs one by one when that finishes sooner beside the searches;
    ``fewest_requests`` always batches them (``ceil(n / batch size)`` requests for ``n`` DOIs), as
    cited-reference resolution does (:mod:`mscbib.refs`), where DOIs are many."""
    dois = list(dict.fromkeys(r.doi for r in records if r.doi))
    queries = [build_query(r) for r in records if not r.doi and r.title]
    total = len(dois) + len({repr(sorted(q.items())) for q in queries})
    held = _premapped.setdefault(client, {})

    def tick(answer: WorkAnswer | SearchAnswer) -> None:
        # each work is mapped as it arrives, on this thread, while the next batches are in flight
        if isinstance(answer, WorkAnswer) and answer.status is LookupStatus.FOUND and answer.message is not None:
            if answer.doi not in held:
                held[answer.doi] = (answer.message, record_from_work(answer.message))
        if progress:
            progress(answer, total)

    client.works(dois, queries_pending=0 if fewest_requests else len(queries), progress=tick)
    client.searches(queries, progress=tick)


def enrich_record(
    record: Record, client: CrossrefClient, agencies: Any = None, *, answer: WorkAnswer | None = None
) -> Enriched:
    """Look ``record`` up, merge what Crossref knows, and append findings to ``record.findings``.

    ``agencies`` (a :class:`mscbib.enrich.agencies.AgencyClient`) is asked for a DOI Crossref does not know. ``answer``:
    the client's answer for the record's DOI, where the caller holds it (:func:`mscbib.refs.link_references` gets
    each cited DOI's as its batch arrives): then it is not looked up again."""
    label = record.label()
    where = record.source
    if record.doi:
        if answer is None:
            answer = client.work(record.doi)
        if answer.status is LookupStatus.NOT_FOUND and agencies is not None:  # DataCite, mEDRA…: mscbib.enrich.agencies
            elsewhere = agencies.enrich(record, from_cache=answer.from_cache)
            if elsewhere is not None:
                return elsewhere
        if answer.status is LookupStatus.NOT_FOUND:
            doi_origin = record.origin_of("doi")
            record.findings.append(
                Finding(
                    "CR002",
                    Severity.ERROR,
                    f"DOI {record.doi} is not registered at Crossref",
                    key=label,
                    field="doi",
                    file=where.file,
                    line=doi_origin.line if doi_origin is not None else None,
                )
            )
            return Enriched(record, EnrichStatus.NOT_FOUND, from_cache=answer.from_cache)
        if answer.status is not LookupStatus.FOUND:
            return _unverified(record, answer.error or answer.status.value)
        work, from_cache = answer.message, answer.from_cache
        assert work is not None  # a FOUND answer carries its work (crossref.client)
        candidates: list[Candidate] = []
        registered = _registered(client, answer)
        verdict = registered_for_another(record, registered, work)
        if verdict is not None:
            return _another_work(record, registered, verdict.describe(), from_cache)
    else:
        if not record.title:  # nothing to ask Crossref: not a failure to reach it (that is CR001 and exit 3)
            why = "no DOI and no title to search Crossref with: kept as the input states it"
            record.findings.append(
                Finding(
                    "CR003", Severity.WARNING, why, key=record.label(), file=record.source.file, line=record.source.line
                )
            )
            return Enriched(record, EnrichStatus.NO_MATCH, reason=why)
        search = client.search(build_query(record))
        if search.status in (LookupStatus.FAILED, LookupStatus.OFFLINE):
            return _unverified(record, search.error or search.status.value)
        mapped = [record_from_work(item) for item in search.items]  # each candidate mapped once
        result = choose(record, mapped)
        candidates = result.candidates
        if result.accepted is None:
            best = "; ".join(c.describe() for c in candidates[:3]) or "Crossref returned no candidates"
            status = EnrichStatus.AMBIGUOUS if result.ambiguous else EnrichStatus.NO_MATCH
            code, what = (
                ("CR004", "several candidates verified, none picked")
                if result.ambiguous
                else ("CR003", "no Crossref candidate could be verified; DOI left empty")
            )
            record.findings.append(
                Finding(
                    code,
                    Severity.WARNING,
                    f"{what}. Best candidates: {best}",
                    key=label,
                    field="doi",
                    file=where.file,
                    line=where.line,
                )
            )
            return Enriched(record, status, candidates=candidates, from_cache=search.from_cache)
        work, registered = next(
            (item, cand) for item, cand in zip(search.items, mapped) if cand.doi == result.accepted.doi
        )
        from_cache = search.from_cache

    cr = registered
    filled, disagreements = merge(record, cr)
    if cr.references and not record.references:
        record.references = cr.references
    record.findings += disagreement_findings(disagreements, "CR010", "Crossref", label)
    for rel in update_relations(work):
        kind = rel["type"]
        severity = Severity.ERROR if retracts(kind) else Severity.WARNING  # one list: match.RETRACTION_TYPES
        record.findings.append(
            Finding(
                "CR020" if severity is Severity.ERROR else "CR021",
                severity,
                f"Crossref records a {kind or 'update'} of this work"
                + (f": {rel['doi']}" if rel["doi"] else "")
                + (f" ({rel['source']})" if rel["source"] else ""),
                key=label,
                field="doi",
            )
        )
    return Enriched(
        record,
        EnrichStatus.VERIFIED,
        work=work_from_json(work, cr),
        filled=filled,
        disagreements=disagreements,
        candidates=candidates,
        from_cache=from_cache,
    )


def _another_work(record: Record, registered: Record, why: str, from_cache: bool) -> Enriched:
    """The DOI given is registered for another work: keep every input value, report both works (CR011)."""
    doi = record.doi
    record.findings.append(
        finding_about(
            record,
            "CR011",
            Severity.ERROR,
            f"this DOI is registered for another work: the input says {work_summary(record)!r}, DOI {doi} is registered "
            f"for {work_summary(registered)!r} ({why}); the input's values are kept: correct the DOI or the entry",
            field="doi",
        )
    )
    disagreements = [
        Disagreement(name, record.get(name), registered.get(name), record.origin_of(name) or record.source)
        for name in ("title", "authors", "year")
        if record.get(name) and registered.get(name)
    ]
    return Enriched(
        record,
        EnrichStatus.MISMATCH,
        disagreements=disagreements,
        from_cache=from_cache,
        reason=f"DOI {doi} is registered for another work",
    )


def _unverified(record: Record, reason: str) -> Enriched:
    record.findings.append(
        Finding(
            "CR001",
            Severity.WARNING,
            f"not verified at Crossref: {reason}",
            key=record.label(),
            file=record.source.file,
            line=record.source.line,
        )
    )
    return Enriched(record, EnrichStatus.UNVERIFIED, reason=reason)
