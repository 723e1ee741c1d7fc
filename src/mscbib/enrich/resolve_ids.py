"""Identifier-only records → full records, before Crossref enrichment.

A record that has a PMID or a PMCID and no title (a line of an identifier list, ``PMID: 20401627``) has
nothing Crossref could search with. This stage asks NCBI (:class:`mscbib.services.ncbi.NcbiClient`):

1. PMCIDs without a PMID go to the PMC ID Converter (200 a request) for their PMID and DOI;
2. every PMID goes to E-utilities ``efetch`` (200 a request) for its PubMed record: title, authors,
   journal, dates, MeSH headings (``mesh``), publication types, abstract, PMCID and DOI.

What the input stated is kept (values are only added, never replaced); a DOI that differs from PubMed's is
reported. With a DOI found, Crossref enriches the record as usual. Findings:

* ``NCB001`` (warning): NCBI could not be asked (offline without a cached answer, unreachable, an error);
* ``NCB002`` (error): NCBI answered that the PMID / PMCID does not exist;
* ``NCB003`` (warning): PubMed's DOI differs from the input's (the input's is kept).

Cited references that print a PMID or PMCID and no DOI (:func:`resolve_reference_ids`) get the DOI the ID
Converter gives (200 a request), else (a PMID outside PMC) the DOI of their PubMed record, so that Crossref
resolves them by DOI rather than by a search.
"""

from __future__ import annotations

from typing import Sequence

from ..model import Finding, Provenance, Record, Severity, finding_about
from ..services.ncbi import IdStatus, NcbiClient

__all__ = ["needs_resolution", "resolve_identifiers", "resolve_reference_ids"]


def needs_resolution(rec: Record) -> bool:
    """A record known only by its PubMed / PMC identifiers."""
    return not rec.title and bool(rec.get("pmid") or rec.get("pmcid"))


def _finding(rec: Record, code: str, severity: Severity, message: str, field: str) -> Finding:
    return finding_about(rec, code, severity, message, field)


def resolve_identifiers(records: Sequence[Record], ncbi: NcbiClient) -> dict[str, int]:
    """Fill, in place, the records that :func:`needs_resolution`; findings go to each record.

    Returns counts: ``{"asked", "resolved", "unknown", "unresolved"}``."""
    pending = [r for r in records if needs_resolution(r)]
    counts = {"asked": len(pending), "resolved": 0, "unknown": 0, "unresolved": 0}
    if not pending:
        return counts
    # 1. PMCIDs without a PMID: the ID Converter
    converted = ncbi.convert(r.get("pmcid") for r in pending if not r.get("pmid"))
    for rec in pending:
        if rec.get("pmid"):
            continue
        pmcid = rec.get("pmcid")
        conversion = converted.get(pmcid)
        if conversion is None:
            continue
        if conversion.status is IdStatus.FOUND:
            src = Provenance(origin="pmc-idconv", detail=pmcid, format="json")
            rec.set_if_absent("pmid", conversion.ids.get("pmid"), src)
            rec.set_if_absent("doi", conversion.ids.get("doi"), src)
        elif conversion.status is IdStatus.NOT_FOUND:
            rec.findings.append(
                _finding(
                    rec,
                    "NCB002",
                    Severity.ERROR,
                    f"PMCID {pmcid} is not known to PubMed Central (PMC ID Converter)",
                    "pmcid",
                )
            )
        else:
            rec.findings.append(
                _finding(
                    rec, "NCB001", Severity.WARNING, f"PMCID {pmcid} not resolved at NCBI: {conversion.error}", "pmcid"
                )
            )
    # 2. PMIDs: PubMed's records
    fetched = ncbi.pubmed(r.get("pmid") for r in pending if r.get("pmid"))
    for rec in pending:
        pmid = rec.get("pmid")
        answer = fetched.get(pmid) if pmid else None
        if answer is None:
            if rec.get("doi"):
                counts["resolved"] += 1  # a PMCID with a DOI and no PMID: Crossref does the rest
            elif not any(f.code == "NCB002" for f in rec.findings):
                counts["unresolved"] += 1
            else:
                counts["unknown"] += 1
            continue
        if answer.status is IdStatus.FOUND and answer.record is not None:
            theirs = answer.record.doi
            if rec.doi and theirs and theirs != rec.doi:
                rec.findings.append(
                    _finding(
                        rec,
                        "NCB003",
                        Severity.WARNING,
                        f"PubMed gives PMID {pmid} the DOI {theirs}; the input's {rec.doi} is kept",
                        "doi",
                    )
                )
            for name, value in answer.record.items():
                rec.set_if_absent(name, value.value, value.source)
            counts["resolved"] += 1
        elif answer.status is IdStatus.NOT_FOUND:
            rec.findings.append(_finding(rec, "NCB002", Severity.ERROR, f"PMID {pmid} is not in PubMed", "pmid"))
            counts["unknown"] += 1
        else:
            rec.findings.append(
                _finding(rec, "NCB001", Severity.WARNING, f"PMID {pmid} not resolved at NCBI: {answer.error}", "pmid")
            )
            counts["unresolved"] += 1
    return counts


def resolve_reference_ids(records: Sequence[Record], ncbi: NcbiClient) -> int:
    """Give the cited references of ``records`` that state a PMID or PMCID and no DOI the DOI NCBI's ID Converter
    knows (in place; the reference's PMID/PMCID are completed too). Returns how many got a DOI.

    Crossref then fetches these works by DOI and checks them as any cited work (:mod:`mscbib.refs`)."""
    # each reference with the identifier it is asked by: its PMID, else its PMCID
    refs = [
        (ref, asked)
        for rec in records
        for ref in rec.references
        if not ref.doi
        for asked in [ref.pmid or ref.pmcid]
        if asked
    ]
    if not refs:
        return 0
    got = ncbi.convert(asked for _, asked in refs)
    n = 0
    for ref, asked in refs:
        conversion = got.get(asked)
        if conversion is not None and conversion.status is IdStatus.FOUND and conversion.ids.get("doi"):
            ref.doi = conversion.ids["doi"]
            ref.pmid = ref.pmid or conversion.ids.get("pmid")
            ref.pmcid = ref.pmcid or conversion.ids.get("pmcid")
            n += 1
    # the converter knows PMC's articles only: the other PMIDs' DOIs come from their PubMed records
    rest = [(ref, ref.pmid) for ref, _ in refs if not ref.doi and ref.pmid]
    fetched = ncbi.pubmed(pmid for _, pmid in rest) if rest else {}
    for ref, pmid in rest:
        answer = fetched.get(pmid)
        if answer is not None and answer.record is not None and answer.record.doi:
            ref.doi = answer.record.doi
            ref.pmcid = ref.pmcid or answer.record.get("pmcid")
            n += 1
    return n
