"""Preprints that have been published: reported, and with ``--prefer-published`` written as the journal version.

Crossref links a preprint (``posted-content``: bioRxiv, medRxiv, Research Square, SSRN…) to its journal version
with ``relation.is-preprint-of`` on the preprint, and ``relation.has-preprint`` on the journal article. After
enrichment, every library entry whose Crossref record names a published version — or that a journal entry of
the same library names as its preprint — gets the finding

* ``PUB001`` (warning): the preprint's DOI, the published DOI, and where the link comes from.

With ``prefer=True`` the published version is fetched (one batched Crossref request for all of them) and the
entry becomes it: Crossref's values of the journal work replace the preprint's, the preprint's own values the
journal's record does not restate (its URL, posting dates…) are left out but for the abstract, keywords and MeSH
terms, and the preprint's DOI is kept in ``preprint`` (never silently: ``PUB002``, info, names both); an entry the library already holds for the journal
version is then merged with it as any duplicate is. A published DOI Crossref does not return leaves the
preprint as it was (``PUB003``, warning).
"""

from __future__ import annotations

from typing import Any, Sequence

from ..identifiers import normalize_doi
from ..model import Severity, finding_about
from ..services.crossref.client import CrossrefClient, LookupStatus
from ..services.crossref.mapping import Work, work_from_json, work_of
from . import Enriched

__all__ = ["published_dois", "published_versions"]

#: What a preprint's entry keeps when it becomes its journal version and the journal's record lacks it: the same
#: work's words. Everything else of the preprint (URL, dates, posting server, type) is the preprint's own.
_KEPT = frozenset({"abstract", "keywords", "mesh", "language"})


def _related(work: Work | dict[str, Any] | None, kind: str) -> list[str]:
    work = work_of(work)
    return list(work.relations.get(kind, ())) if work is not None else []


def published_dois(work: Work | dict[str, Any] | None) -> list[str]:
    """The journal versions a Crossref work says it is the preprint of (``relation.is-preprint-of``)."""
    return _related(work, "is-preprint-of")


def published_versions(items: Sequence[Enriched], client: CrossrefClient, *, prefer: bool = False) -> int:
    """Report (and with ``prefer``, replace) the preprints among ``items`` that have a journal version.

    Returns how many preprints have one."""
    # has-preprint links of the library's journal works: preprint DOI -> journal DOI
    named_by: dict[str, str] = {}
    for item in items:
        if item.work and item.record.doi:
            for pre in _related(item.work, "has-preprint"):
                named_by.setdefault(pre, item.record.doi)
    found: list[tuple[Enriched, str, str]] = []
    for item in items:
        doi = item.record.doi
        if not doi:
            continue
        own = published_dois(item.work)
        if own:
            found.append((item, own[0], "Crossref's relation is-preprint-of"))
        elif doi in named_by and named_by[doi] != doi:
            found.append((item, named_by[doi], f"Crossref's relation has-preprint of {named_by[doi]}"))
    if not found:
        return 0
    works: dict[str, Any] = {}
    if prefer:
        got = client.works(sorted({pub for _, pub, _ in found}))
        pairs = got.items() if isinstance(got, dict) else ((a.doi, a) for a in got)
        works = {normalize_doi(d) or d: a for d, a in pairs}
    for item, pub, why in found:
        rec = item.record
        at = rec.origin_of("doi") or rec.source
        rec.findings.append(
            finding_about(
                rec,
                "PUB001",
                Severity.WARNING,
                f"the preprint {rec.doi} has a published version: {pub} ({why})"
                + ("" if prefer else "; --prefer-published writes the journal version"),
                field="doi",
                at=at,
            )
        )
        if not prefer:
            continue
        answer = works.get(pub)
        if answer is None or answer.status is not LookupStatus.FOUND or not answer.message:
            rec.findings.append(
                finding_about(
                    rec,
                    "PUB003",
                    Severity.WARNING,
                    f"the published version {pub} could not be fetched from Crossref "
                    f"({answer.error or answer.status.value if answer else 'not asked'}); the preprint is kept",
                    field="doi",
                    at=at,
                )
            )
            continue
        preprint = rec.doi
        journal_work = work_from_json(answer.message)
        journal = journal_work.record
        dropped = sorted(n for n in rec.values if n not in journal.values and n not in _KEPT)
        for name in dropped:  # the preprint's URL, dates, server…: not the journal version's
            rec.set(name, None, at)
        for name, value in journal.items():
            rec.set(name, value.value, value.source)
        rec.set("preprint", preprint, at)
        rec.references = journal.references or rec.references
        item.work = journal_work
        rec.findings.append(
            finding_about(
                rec,
                "PUB002",
                Severity.INFO,
                f"written as the published version {pub}; the preprint's DOI {preprint} is "
                "kept in `preprint`" + (f"; the preprint's {', '.join(dropped)} left out" if dropped else ""),
                field="doi",
                at=at,
            )
        )
    return len(found)
