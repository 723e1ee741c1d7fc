"""The checks that ask Crossref (through the cached :class:`~mscbib.services.crossref.client.CrossrefClient`) and
the DOI handle service: existence (CR002), registration elsewhere (DOI005), a DOI registered for
another work (CR011, :func:`mscbib.enrich.match.compare_registered`: the rule ``mscbib build`` uses), metadata
agreement (CR010), retraction and other updates (CR020/CR021), ISSN of the journal (ISS003), and the
``--enrich`` fill of missing fields (ENR001)."""

from __future__ import annotations

from typing import Any

from ...bibfile import BibEntry
from ...enrich.match import TITLE_AGREEMENT, compare_registered, journal_agrees, retracts, work_summary
from ...identifiers import normalize_doi, normalize_issn
from ...model import Person, Provenance, Record, Severity
from ...services.crossref.client import CrossrefClient, LookupStatus, WorkAnswer
from ...services.crossref.mapping import record_from_work, update_relations
from ...services.handles import HandleClient, HandleStatus
from .checks import _first_family, issn_parts, split_names
from .registry import CheckContext, Edit, entry_check, issue

__all__ = ["lookup_all", "TITLE_AGREEMENT"]


def lookup_all(ctx: CheckContext, client: CrossrefClient, handles: HandleClient | None, progress=None) -> dict:
    """Fetch every DOI of the file (batched when the client can), storing the answers in ``ctx.network``.
    Returns a summary ``{"asked", "found", "skipped", "unreachable"}``."""
    by_doi: dict[str, list[BibEntry]] = {}
    for e in ctx.bib.entries:
        doi = normalize_doi(e.get("doi"))
        if doi:
            by_doi.setdefault(doi, []).append(e)
    answers: dict[str, WorkAnswer] = {}
    dois = sorted(by_doi)
    batch = getattr(client, "works", None)
    if callable(batch) and dois:
        got = batch(dois)
        items = got.items() if isinstance(got, dict) else ((a.doi, a) for a in got)
        answers = {normalize_doi(d) or d: a for d, a in items}
    for n, doi in enumerate(dois, 1):
        if doi not in answers:
            answers[doi] = client.work(doi)
        if progress:
            progress(n, len(dois))
    summary: dict[str, Any] = {
        "asked": len(dois),
        "found": 0,
        "skipped": 0,
        "unreachable": client.unreachable,
        "journals_skipped": 0,
    }
    if handles is not None:  # the DOIs Crossref lacks, asked of the handle service together (paced, concurrent)
        handles.lookup_many([d for d, a in answers.items() if a.status is LookupStatus.NOT_FOUND])
    for doi, answer in answers.items():
        info: dict = {"answer": answer}
        if answer.status is LookupStatus.FOUND:
            summary["found"] += 1
        elif answer.status is LookupStatus.NOT_FOUND and handles is not None:
            info["handle"] = handles.lookup(doi)
        elif answer.status in (LookupStatus.OFFLINE, LookupStatus.FAILED):
            summary["skipped"] += 1
        for e in by_doi.get(doi, []):
            ctx.network.setdefault(id(e), {}).update(info)
    # ISS003 for entries without a DOI: their journals, by ISSN (one request per distinct ISSN, cached)
    wanted = [(e, issns) for e in ctx.bib.entries if not normalize_doi(e.get("doi")) and (issns := journal_issns(e))]
    ask = getattr(client, "journals", None)
    if wanted and callable(ask):
        got = ask(sorted({i for _, issns in wanted for i in issns}))
        for e, issns in wanted:
            mine = {i: got[i] for i in issns if i in got}
            ctx.network.setdefault(id(e), {})["journals"] = mine
            if any(a.status in (LookupStatus.OFFLINE, LookupStatus.FAILED) for a in mine.values()):
                summary["journals_skipped"] += 1
    summary["unreachable"] = client.unreachable
    return summary


def journal_issns(e: BibEntry) -> list[str]:
    """The valid ISSNs of an entry that names its journal (what ISS003 without a DOI can check)."""
    jf = e.field("journal") or e.field("journaltitle")
    f = e.field("issn")
    if jf is None or not jf.value or f is None or not f.value:
        return []
    return [n for part in issn_parts(f.value) if (n := normalize_issn(part))]


def _answer(ctx: CheckContext, e: BibEntry) -> WorkAnswer | None:
    return ctx.network.get(id(e), {}).get("answer")


@entry_check("doi-exists", "CR002", "DOI005", network=True)
def _exists(ctx: CheckContext, e: BibEntry):
    answer = _answer(ctx, e)
    if answer is None or answer.status is not LookupStatus.NOT_FOUND:
        return
    handle = ctx.network[id(e)].get("handle")
    if handle is HandleStatus.EXISTS:
        yield issue(
            ctx,
            e,
            "DOI005",
            Severity.INFO,
            f"DOI {answer.doi} is registered, but not at Crossref (e.g. DataCite): its metadata is not compared",
            fld="doi",
        )
    elif handle is HandleStatus.MISSING:
        yield issue(
            ctx,
            e,
            "CR002",
            Severity.ERROR,
            f"DOI {answer.doi} does not exist: neither Crossref nor the DOI handle service knows it",
            fld="doi",
        )
    else:
        yield issue(
            ctx,
            e,
            "CR002",
            Severity.ERROR,
            f"DOI {answer.doi} is not registered at Crossref (the DOI handle service could not be asked)",
            fld="doi",
        )


def _stated(e: BibEntry) -> Record:
    """What the entry says of its work, as :func:`mscbib.enrich.match.compare_registered` reads it: title,
    first author's family name, year (the cheap fields only: no full record per entry)."""
    rec = Record(Provenance("bibtex", None, e.line, "bibtex"))
    title = e.field("title")
    if title and title.value:
        rec.set("title", title.text(), rec.source)
    fam = _first_family(e)
    if fam:
        rec.set("authors", [Person(family=fam)], rec.source)
    year = (e.get("year") or e.get("date") or "")[:4]
    if year.isdigit():
        rec.set("year", year, rec.source)
    return rec


def _said(e: BibEntry) -> str:
    names = split_names(e.get("author") or e.get("editor") or "")
    title = e.field("title")
    return (
        f"{names[0] if names else 'no author'} {(e.get('year') or e.get('date') or 'no year')[:4]}, "
        f"{title.text() if title and title.value else 'no title'}"
    )


@entry_check("doi-metadata", "CR010", "CR011", "ISS003", network=True)
def _metadata(ctx: CheckContext, e: BibEntry):
    answer = _answer(ctx, e)
    if answer is None or answer.status is not LookupStatus.FOUND:
        return
    work = record_from_work(answer.message or {})
    ctx.network[id(e)]["work"] = work
    verdict = compare_registered(_stated(e), work, answer.message)
    if verdict.another_work:
        ctx.network[id(e)]["agrees"] = False
        yield issue(
            ctx,
            e,
            "CR011",
            Severity.ERROR,
            f"this DOI is registered for another work: the entry says {_said(e)!r}, DOI {answer.doi} is "
            f"registered for {work_summary(work)!r} ({verdict.describe()}); correct the DOI or the entry",
            fld="doi",
        )
        return
    disagree = []
    title = e.field("title")
    if verdict.title_differs:
        disagree.append(
            ("title", title.text() if title else "", work.title, f"similarity {verdict.title_similarity:.0f}/100")
        )
    year = (e.get("year") or e.get("date") or "")[:4]
    if verdict.year is False:
        disagree.append(("year", year, work.get("year"), ""))
    if verdict.first_author is False:
        disagree.append(
            (
                "author",
                split_names(e.get("author") or e.get("editor") or "")[0],
                work.authors[0].display,
                "first author",
            )
        )
    jf = e.field("journal") or e.field("journaltitle")
    if jf and jf.value and (work.get("journal") or work.get("journal_abbrev")):
        mine = Record(Provenance("bibtex"))
        mine.set("journal", jf.text(), mine.source)
        if journal_agrees(mine, work) is False:
            disagree.append(("journal", jf.text(), work.get("journal"), ""))
    for name, mine_v, theirs, note in disagree:
        fld = {"author": e.field("author") or e.field("editor"), "journal": jf}.get(name) or e.field(name)
        yield issue(
            ctx,
            e,
            "CR010",
            Severity.WARNING,
            f"{name} disagrees with the work registered for DOI {answer.doi}: {mine_v!r} here, "
            f"{theirs!r} at Crossref{' (' + note + ')' if note else ''}",
            fld=fld,
        )
    ctx.network[id(e)]["agrees"] = not disagree
    issn = e.field("issn")
    registered = work.get("issn") or []
    if issn and issn.value and registered:
        for part in issn_parts(issn.value):
            n = normalize_issn(part)
            if n and n not in registered:
                yield issue(
                    ctx,
                    e,
                    "ISS003",
                    Severity.WARNING,
                    f"ISSN {n} is not an ISSN of the journal of DOI {answer.doi} ({', '.join(registered)})",
                    fld=issn,
                )


@entry_check("issn-journal", "ISS003", network=True)
def _issn_journal(ctx: CheckContext, e: BibEntry):
    """An entry without a DOI: is each ISSN that of the journal it names (Crossref's ``/journals/{issn}``)?"""
    answers = ctx.network.get(id(e), {}).get("journals")
    if not answers:
        return
    named_field = e.field("journal") or e.field("journaltitle")
    if named_field is None:
        return
    named = named_field.text()
    mine = Record(Provenance("bibtex"))
    mine.set("journal", named, mine.source)
    for issn, answer in answers.items():
        title = (answer.message or {}).get("title") if answer.status is LookupStatus.FOUND else None
        if not title:
            continue  # not at Crossref (many journals are not), or not asked: nothing to compare
        theirs = Record(Provenance("crossref", detail=issn))
        theirs.set("journal", title, theirs.source)
        if journal_agrees(mine, theirs) is False:
            yield issue(
                ctx,
                e,
                "ISS003",
                Severity.WARNING,
                f"ISSN {issn} is the ISSN of {title!r} at Crossref, not of {named!r}",
                fld="issn",
            )


@entry_check("doi-status", "CR020", "CR021", network=True)
def _status(ctx: CheckContext, e: BibEntry):
    answer = _answer(ctx, e)
    if answer is None or answer.status is not LookupStatus.FOUND:
        return
    for rel in update_relations(answer.message or {}):
        kind = rel["type"] or "update"
        by = f" by {rel['doi']}" if rel["doi"] else ""
        when = f" on {rel['date']}" if rel["date"] else ""
        src = f" (source: {rel['source']})" if rel["source"] else ""
        if retracts(kind):  # match.RETRACTION_TYPES: the list enrich.py reads too
            yield issue(
                ctx,
                e,
                "CR020",
                Severity.ERROR,
                f"this work was {'retracted' if 'retract' in kind else kind}{by}{when}{src}",
                fld="doi",
            )
        else:
            yield issue(
                ctx, e, "CR021", Severity.WARNING, f"this work has a {kind.replace('_', ' ')}{by}{when}{src}", fld="doi"
            )


#: BibTeX field ← record field, filled by --enrich when the entry lacks it.
_ENRICH = (
    ("journal", "journal"),
    ("year", "year"),
    ("volume", "volume"),
    ("number", "issue"),
    ("pages", "pages"),
    ("issn", "issn"),
    ("publisher", "publisher"),
)


@entry_check("enrich", "ENR001", network=True)
def _enrich(ctx: CheckContext, e: BibEntry):
    info = ctx.network.get(id(e), {})
    work = info.get("work")
    span = e.fields[-1].span if e.fields else None
    if work is None or not info.get("agrees") or span is None:
        return
    fields = ctx.bib.resolved(e)
    line_start = ctx.bib.text.rfind("\n", 0, span[0]) + 1
    indent = ctx.bib.text[line_start : span[0]]
    indent = indent[: len(indent) - len(indent.lstrip())] or "  "
    added = []
    for bib_name, rec_name in _ENRICH:
        if bib_name in fields or (bib_name == "journal" and ("journaltitle" in fields or e.type != "article")):
            continue
        value = work.get(rec_name)
        if not value:
            continue
        value = ", ".join(value) if isinstance(value, list) else str(value)
        from ...writers.bibtex import latex_escape

        added.append(f"{bib_name} = {{{latex_escape(value)}}}")
    if added:
        new = "".join(f",\n{indent}{a}" for a in added)
        yield issue(
            ctx,
            e,
            "ENR001",
            Severity.INFO,
            "Crossref's record for this DOI has fields the entry lacks: " + ", ".join(a.split(" =")[0] for a in added),
            fix="add " + "; ".join(added),
            edit=Edit(span[1], span[1], new),
            enrich=True,
        )
