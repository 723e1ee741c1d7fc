"""Cited-reference lists: merge, resolve, key, and make the cited works.

For each library entry:

1. **Merge** the reference list Crossref holds (deposited ``reference``: DOI where deposited, else structured
   parts, else the unstructured string) with the list printed on the page (parsed, with PMID/PMC markers), without
   duplicates, in the order of the article's reference list (:func:`merge_references`).
2. **Resolve** every reference through the enrichment engine (:func:`mscbib.enrich.enrich_record`): one with a
   DOI is looked up; one without is found by the *verified* bibliographic search (:mod:`mscbib.match`); one that
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
from typing import Iterable

from .crossref.client import CrossrefClient
from .crossref.mapping import references_from_work
from .enrich import EnrichStatus, Enriched, LookupProgress, enrich_record, prefetch
from .keys import assign_keys
from .match import TITLE_THRESHOLD, family_agrees, title_similarity
from .model import Provenance, Record, Reference
from .sources.refstring import parse_citation
from .text import comparable, normalize_pages

__all__ = ["merge_references", "same_reference", "complete_reference", "record_from_reference", "link_references",
           "cited_entries", "cited_path", "zotero_note", "CITED_NAME"]

#: The file of cited works, written beside the library.
CITED_NAME = "cited.bib"

_PARTS = ("doi", "pmid", "pmcid", "title", "journal", "year", "volume", "issue", "pages")


def complete_reference(ref: Reference) -> Reference:
    """Fill the parts a reference lacks from its own text (:func:`mscbib.sources.refstring.parse_citation`:
    Vancouver, author-year and the publishers' styles); never overwrite, never invent."""
    if not ref.text or (ref.title and ref.authors):
        return ref
    parsed = parse_citation(ref.text)
    for name in _PARTS:
        if not getattr(ref, name) and getattr(parsed, name):
            setattr(ref, name, getattr(parsed, name))
    if parsed.authors and (not ref.authors or (len(parsed.authors) > len(ref.authors)
                                                and family_agrees(_family(ref), _family(parsed)))):
        ref.authors, ref.authors_complete = parsed.authors, parsed.authors_complete
    return ref


def _family(ref: Reference) -> str:
    return (ref.authors[0].family or ref.authors[0].literal) if ref.authors else ""


def _first_page(pages: str | None) -> str:
    return (pages or "").split("-")[0].strip().lower()


def same_reference(a: Reference, b: Reference) -> bool:
    """The same cited work: same DOI / PMID; else, with no year or first author against it, the same first
    author, year, volume and first page, or a title that scores as a verified match does (:mod:`mscbib.match`),
    or — without titles — the same first author, year, and volume or first page."""
    if a.doi and b.doi:
        return a.doi == b.doi
    if a.pmid and b.pmid:
        return a.pmid == b.pmid
    years_clash = bool(a.year and b.year and a.year != b.year)
    authors_clash = bool(_family(a) and _family(b) and not family_agrees(_family(a), _family(b)))
    if years_clash or authors_clash:
        return False
    located = bool(_family(a) and _family(b) and a.year and a.volume and a.volume == b.volume
                   and _first_page(a.pages) and _first_page(a.pages) == _first_page(b.pages))
    if located:  # same first author, year, volume and first page: a shortened title does not matter
        return True
    if a.title and b.title:
        return title_similarity(a.title, b.title) >= TITLE_THRESHOLD
    if _family(a) and _family(b) and a.year and b.year:
        where_a = (a.volume, _first_page(a.pages))
        where_b = (b.volume, _first_page(b.pages))
        return bool((a.volume and a.volume == b.volume) or (where_a[1] and where_a[1] == where_b[1]))
    return bool(a.text and b.text and comparable(a.text) == comparable(b.text))


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
    return rec


def _identity(doi: str | None, pmid: str | None, title: str | None, year: str | None, text: str | None) -> tuple:
    if doi:
        return ("doi", doi)
    if pmid:
        return ("pmid", pmid)
    if title:
        return ("title", comparable(title), str(year or ""))
    return ("text", comparable(text))


def _resolve(rec: Record, client: CrossrefClient) -> Enriched:
    if rec.doi or rec.title:
        return enrich_record(rec, client)
    return Enriched(rec, EnrichStatus.NO_MATCH, reason="no DOI and no title to search with: kept as printed")


def _is_deposited(ref: Reference) -> bool:
    return bool(ref.source and ref.source.origin == "crossref")


def link_references(items: list[Enriched], client: CrossrefClient,
                    progress: LookupProgress | None = None) -> list[Record]:
    """Merge, resolve and key the reference lists of keyed library entries (in place: ``references``, ``cites``).

    Resolution is batched across the whole library (:func:`mscbib.enrich.prefetch`): every distinct DOI-bearing
    reference in ``ceil(n / 100)`` requests, every reference without a DOI (but with a title) by the verified
    search, concurrently; each reference is then resolved from the answers the client holds. ``progress`` is
    called once per look-up answered.

    Every cited work, in the library or not, gets ``cited_by``. Returns the cited works that are not library
    entries, keyed (unique across library and cited works), in order of first citation."""
    library = [i.record for i in items]
    by_doi = {r.doi: r for r in library if r.doi}
    for item in items:
        rec = item.record
        printed = [r for r in rec.references if not _is_deposited(r)]
        deposited = references_from_work(item.work) if item.work else [r for r in rec.references if _is_deposited(r)]
        rec.references = merge_references(deposited, printed)
    # the reference as stated → the record to resolve, each distinct one once, all asked of Crossref together
    stated: dict[tuple, Record] = {}
    for ref in (ref for rec in library for ref in rec.references):
        stated.setdefault(_identity(ref.doi, ref.pmid, ref.title, ref.year, ref.text), record_from_reference(ref))
    prefetch(list(stated.values()), client, progress, fewest_requests=True)
    resolved: dict[tuple, Enriched] = {}
    cited: dict[tuple, Record] = {}  # by the cited work's identity after resolution
    links: list[tuple[Record, Reference, Record]] = []
    for rec in library:
        for ref in rec.references:
            ident = _identity(ref.doi, ref.pmid, ref.title, ref.year, ref.text)
            if ident not in resolved:
                resolved[ident] = _resolve(stated[ident], client)
            found = resolved[ident]
            work = found.record
            if found.status is EnrichStatus.VERIFIED and not ref.doi:
                ref.doi = work.doi
            if work.doi and work.doi in by_doi:
                links.append((rec, ref, by_doi[work.doi]))
                continue
            if found.status is not EnrichStatus.VERIFIED and not work.printed:
                work.printed = ref.text
            final = _identity(work.doi, work.get("pmid"), work.title, work.get("year"), work.printed)
            target = cited.setdefault(final, work)
            links.append((rec, ref, target))
    works = list(cited.values())
    assign_keys(works, reserved={r.key for r in library if r.key})
    for rec, ref, target in links:
        ref.key = target.key
        if target.key not in rec.cites:
            rec.cites.append(target.key)
        if rec.key not in target.cited_by:
            target.cited_by.append(rec.key)
    return works


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


def zotero_note(record: Record) -> str | None:
    """The cited-reference list in a form Zotero's BibTeX import keeps (the ``annote`` field becomes a child
    note): one numbered line per reference, with the cited work's key and its DOI, or the printed text."""
    lines = []
    for i, ref in enumerate(record.references, 1):
        if not ref.key:
            continue
        what = f"doi:{ref.doi}" if ref.doi else (ref.text or ref.title or "")
        lines.append(f"[{i}] {ref.key}" + (f" {what}" if what else ""))
    if not lines:
        return None
    return "Cites (mscbib):\n" + "\n".join(lines)


def expand(inputs: list[str], output: str, client: CrossrefClient, *, depth: int = 1, cap: int = 100,
           list_path: str | None = None, build_fn=None):
    """Snowballing: add the works the library cites as full entries, ``depth`` levels deep, at most ``cap``.

    The works most cited in the library come first (then by key). Their DOIs are written (with the keys that cite
    them as comments) to ``list_path`` (default: ``expanded-dois.txt`` beside ``output``), and what is known of each
    (the title, authors, year, journal Crossref's reference or the printed list gave) to the BibTeX file beside it
    (``expanded-dois.bib``), which becomes an input of the build; each level is a rebuild, so the added works are
    looked up by DOI, enriched, tagged and keyed as any entry is, and stay what was known when Crossref does not
    answer. Returns the last build's result."""
    import copy

    from ._io import atomic_write_text
    from .build import build
    from .writers import render_as

    build_fn = build_fn or build
    list_path = list_path or os.path.join(os.path.dirname(output), "expanded-dois.txt")
    works_path = os.path.splitext(list_path)[0] + ".bib"
    added: list[Record] = []
    citing: dict[str, list[str]] = {}  # DOI -> the library keys that cited it when it was added
    result = build_fn(inputs, output, client)
    for _ in range(depth):
        have = {w.doi for w in added}
        new = sorted((w for w in result.cited if w.doi and w.doi not in have),
                     key=lambda w: (-len(w.cited_by), w.key or "", w.doi))
        new = new[: max(cap - len(added), 0)]
        if not new:
            break
        for w in new:  # what is known of the work, without the library's links (the rebuild makes them anew)
            citing[w.doi] = list(w.cited_by)
            w = copy.copy(w)
            w.cites, w.cited_by, w.references, w.findings, w.tags = [], [], [], [], []
            added.append(w)
        text = "# works cited by the library, added by `mscbib expand`, most cited first (DOI  # cited by)\n" + "".join(
            f"{w.doi}  # {', '.join(citing[w.doi])}\n" for w in added)
        atomic_write_text(list_path, text)
        atomic_write_text(works_path, render_as(added, "bibtex"))
        result = build_fn([*inputs, works_path], output, client)
    return result

