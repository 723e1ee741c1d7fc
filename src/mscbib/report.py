"""The build report: per entry, which fields came from the input and which from Crossref, what
disagreed, and what is unverified. As JSON (``--report FILE``) and as text for the terminal.

Nothing time- or machine-dependent goes into it, so the same build gives the same report.
"""

from __future__ import annotations

from typing import Any

from .build import BuildResult
from .enrich import EnrichStatus
from .keys import KEY_GIVEN, KEY_NEW, KEY_WRITTEN
from .model import Finding, Record, Severity, TagSource

__all__ = ["report_json", "report_text", "tag_reasons"]

_MARK = {
    EnrichStatus.VERIFIED: "ok",
    EnrichStatus.NOT_FOUND: "!!",
    EnrichStatus.NO_MATCH: "??",
    EnrichStatus.AMBIGUOUS: "??",
    EnrichStatus.UNVERIFIED: "--",
    EnrichStatus.MISMATCH: "!!",
}


def _findings_by_key(result: BuildResult) -> dict[str | None, list[Finding]]:
    """Each entry's findings, grouped once (not a scan of all findings per entry)."""
    out: dict[str | None, list[Finding]] = {}
    for f in result.findings:
        out.setdefault(f.key, []).append(f)
    return out


def tag_reasons(rec: Record) -> dict[str, list[TagSource]]:
    """Each tag of the entry's ``keywords`` with why it was applied (:mod:`mscbib.tags`), in keyword order."""
    by_fold = {t.casefold(): t for t in rec.get("keywords") or []}
    out: dict[str, list[TagSource]] = {t: [] for t in by_fold.values()}
    for why in rec.tags:
        tag = by_fold.get(why.tag.casefold())
        if tag is not None and why not in out[tag]:
            out[tag].append(why)
    return out


def _reason_text(why: TagSource) -> str:
    if why.origin == "vocabulary":
        return f"{why.field}: {why.matched!r}"
    if why.origin == "parent":
        return f"parent of {why.matched!r}"
    return why.origin if why.matched == why.tag else f"{why.origin}: {why.matched!r}"


def report_json(result: BuildResult) -> dict[str, Any]:
    by_key = _findings_by_key(result)
    entries = []
    for item in result.enriched:
        rec = item.record
        entries.append({
            "key": rec.key,
            "key_from": result.key_origins.get(rec.key or "", KEY_NEW),
            "doi": rec.doi,
            "status": item.status.value,
            "reason": item.reason,
            "source": {"file": rec.source.file, "line": rec.source.line, "format": rec.source.format},
            "fields": {
                name: {"from": value.source.origin, "where": value.source.where()} for name, value in rec.items()
            },
            "filled_from_crossref": item.filled,
            "disagreements": [
                {"field": d.field, "input": _plain(d.input_value), "crossref": _plain(d.crossref_value),
                 "where": d.input_source.where()}
                for d in item.disagreements
            ],
            "candidates": [
                {"doi": c.doi, "score": round(c.score, 1), "title_similarity": round(c.title_similarity, 1),
                 "agree": c.agree, "contradict": c.contradict, "accepted": c.accepted}
                for c in item.candidates
            ],
            "references": len(rec.references),
            "tags": {tag: [{"origin": w.origin, "field": w.field, "matched": w.matched, "where": w.where}
                           for w in reasons] for tag, reasons in tag_reasons(rec).items()},
            "findings": [f.to_json() for f in by_key.get(rec.key, [])],
        })
    return {
        "output": result.output,
        "inputs": result.inputs,
        "summary": _summary(result),
        "entries": entries,
        "failures": [{"file": f.file, "line": f.line, "reason": f.reason} for f in result.failures],
        "merged_duplicates": [{"kept": a, "merged": b} for a, b in result.merged],
        "vocabulary": result.vocabulary,
        "crossref": {
            "url": result.crossref_url,
            "offline": result.offline,
            "unreachable": result.unreachable,
            "requests": result.stats.requests,
            "cache_hits": result.stats.cache_hits,
            "failures": result.stats.failures,
        },
        "services": getattr(result, "services", {}),  # NCBI, the DOI resolver (issue 19)
        "exit_code": result.exit_code,
    }


def _plain(v: Any) -> Any:
    if isinstance(v, list):
        return [getattr(x, "display", x) for x in v]
    return v


def _summary(result: BuildResult) -> dict[str, int]:
    return {
        "entries": len(result.records),
        "verified": result.count(EnrichStatus.VERIFIED),
        "unverified": result.count(EnrichStatus.UNVERIFIED),
        "doi_not_found": result.count(EnrichStatus.NOT_FOUND),
        "doi_of_another_work": result.count(EnrichStatus.MISMATCH),
        "no_match": result.count(EnrichStatus.NO_MATCH) + result.count(EnrichStatus.AMBIGUOUS),
        "inputs_failed": len(result.failures),
        "errors": sum(1 for f in result.findings if f.severity is Severity.ERROR),
        "warnings": sum(1 for f in result.findings if f.severity is Severity.WARNING),
    }


def _keys_line(result: BuildResult) -> str | None:
    """``Keys: 1 new (smith2020a); 3 kept from bib/library.bib; 2 kept as the inputs give them.``: every key
    the build made, and how many it kept (mscbib.keys)."""
    made = [k for k, o in result.key_origins.items() if o == KEY_NEW]
    written = sum(1 for o in result.key_origins.values() if o == KEY_WRITTEN)
    given = sum(1 for o in result.key_origins.values() if o == KEY_GIVEN)
    parts = [f"{len(made)} new ({', '.join(made)})"] if made else []
    if written:
        parts.append(f"{written} kept from {result.output}")
    if given:
        parts.append(f"{given} kept as the inputs give them")
    return f"Keys: {'; '.join(parts)}." if parts else None


def report_text(result: BuildResult, verbose: bool = False) -> str:
    by_key = _findings_by_key(result)
    lines: list[str] = []
    for item in result.enriched:
        rec = item.record
        from_cr = sorted(n for n, v in rec.items() if v.source.origin == "crossref")
        head = f"[{_MARK[item.status]}] {rec.key}"
        if rec.doi:
            head += f"  doi:{rec.doi}"
        head += f"  ({item.status.value}"
        if from_cr:
            head += f"; from Crossref: {', '.join(from_cr)}"
        head += ")"
        lines.append(head)
        reasons = tag_reasons(rec)
        if reasons:
            lines.append("     tags: " + "; ".join(
                f"{tag} ({', '.join(dict.fromkeys(_reason_text(w) for w in why)) or 'input'})"
                for tag, why in reasons.items()))
        for f in by_key.get(rec.key, []):
            if verbose or f.severity is not Severity.INFO:
                where = f" [{f.file}:{f.line}]" if f.file and f.line and f.code != "CR010" else ""
                lines.append(f"     {f.severity.value} {f.code}: {f.message}{where}")
    for f in result.failures:
        lines.append(f"[xx] {f.where()}: {f.reason}")
    s = _summary(result)
    where = "offline, cache only" if result.offline else result.crossref_url
    lines.append(
        f"{'Wrote ' + result.output if result.output else 'Built'}: {s['entries']} entries "
        f"({s['verified']} verified, {s['unverified']} unverified, {s['no_match']} without a verified DOI, "
        f"{s['doi_not_found']} with an unknown DOI"
        + (f", {s['doi_of_another_work']} with the DOI of another work" if s['doi_of_another_work'] else "")
        + f"); {s['inputs_failed']} inputs unreadable; "
        f"{s['errors']} errors, {s['warnings']} warnings."
    )
    keys = _keys_line(result)
    if keys:
        lines.append(keys)
    if result.vocabulary:
        lines.append(f"Topic tags from: {result.vocabulary}.")
    lines.append(f"Crossref ({where}): {result.stats.requests} requests, {result.stats.cache_hits} answers from cache.")
    for name, st in getattr(result, "services", {}).items():  # NCBI, the DOI resolver (issue 19), when asked
        if st["requests"] or st["cache_hits"]:
            lines.append(f"{name} ({st['url']}): {st['requests']} requests, {st['cache_hits']} answers from cache"
                         + (f"; unreachable: {st['unreachable']}." if st["unreachable"] else "."))
    if result.unreachable:
        lines.append(f"Crossref could not be reached ({result.unreachable}); unverified entries were written from "
                     "the inputs alone. Run again when the network is back: answers already received are cached.")
    return "\n".join(lines)
