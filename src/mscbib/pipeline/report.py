"""The build report: per entry, which fields came from the input and which from Crossref, what
disagreed, and what is unverified. As JSON (``--report FILE``) and as text for the terminal.

Nothing time- or machine-dependent goes into it, so the same build gives the same report.
"""

from __future__ import annotations

import textwrap
from typing import Any

from ..enrich import EnrichStatus
from ..keys import KEY_GIVEN, KEY_NEW, KEY_WRITTEN
from ..model import Finding, Record, Severity, TagSource
from ..text import plural
from .build import BuildResult

__all__ = ["FIELD_WORDS", "LEGEND", "plural", "report_json", "report_text", "tag_reasons"]

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
        entries.append(
            {
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
                    {
                        "field": d.field,
                        "input": _plain(d.input_value),
                        "crossref": _plain(d.crossref_value),
                        "where": d.input_source.where(),
                    }
                    for d in item.disagreements
                ],
                "candidates": [
                    {
                        "doi": c.doi,
                        "score": round(c.score, 1),
                        "title_similarity": round(c.title_similarity, 1),
                        "agree": c.agree,
                        "contradict": c.contradict,
                        "accepted": c.accepted,
                    }
                    for c in item.candidates
                ],
                "references": len(rec.references),
                "tags": {
                    tag: [
                        {"origin": w.origin, "field": w.field, "matched": w.matched, "where": w.where} for w in reasons
                    ]
                    for tag, reasons in tag_reasons(rec).items()
                },
                "findings": [f.to_json() for f in by_key.get(rec.key, [])],
            }
        )
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


#: what each marker of the text report means, printed as its first line
LEGEND = "[ok] verified  [--] not verified  [!!] DOI unknown or of another work  [??] no match  [xx] not read"

_STATUS_WORDS = {
    EnrichStatus.VERIFIED: "verified",
    EnrichStatus.UNVERIFIED: "not verified",
    EnrichStatus.NOT_FOUND: "DOI unknown to Crossref",
    EnrichStatus.NO_MATCH: "no Crossref match verified",
    EnrichStatus.AMBIGUOUS: "several Crossref matches, none picked",
    EnrichStatus.MISMATCH: "the DOI is registered for another work: the input's values kept",
}

#: the record's field names (:data:`mscbib.model.FIELDS`) as a person says them
FIELD_WORDS = {
    "doi": "DOI",
    "pmid": "PMID",
    "pmcid": "PMCID",
    "authors_complete": "full author list",
    "editors_complete": "full editor list",
    "rights": "rights (licence)",
    "journal_abbrev": "journal abbreviation",
    "issn": "ISSN",
    "isbn": "ISBN",
    "received": "date received",
    "accepted": "date accepted",
    "published": "date published",
    "type": "work type",
    "publication_types": "publication types",
    "mesh": "MeSH headings",
    "notices": "retraction/correction notices",
    "url": "URL",
}

#: the width the text report is wrapped to
WIDTH = 100
_INDENT = "     "


def _wrap(text: str, indent: str = _INDENT, more: str = "  ") -> list[str]:
    if text and len(indent) + len(text) <= WIDTH and text.isprintable() and text == text.strip():
        return [indent + text]  # what textwrap gives a line that fits with no white space but single spaces to fold
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=indent + more,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def _rank(severities: list[Severity]) -> int:
    """0: the entry has an error, 1: a warning, 2: neither — the order entries are listed in."""
    return 0 if Severity.ERROR in severities else 1 if Severity.WARNING in severities else 2


def report_text(result: BuildResult, verbose: bool = False, quiet: bool = False) -> str:
    """The report a person reads: a legend, unreadable inputs and entries with errors first, then the rest; the lists
    (fields from Crossref, tags) wrapped to :data:`WIDTH`, each finding on one line (grep finds it whole); the merges
    of duplicates; a summary. ``quiet``: the errors and the summary only;
    ``verbose``: informational findings too, and why each tag was applied."""
    by_key = _findings_by_key(result)
    body: list[str] = []
    for f in result.failures:
        body.append(f"[xx] {f.where()}: {f.reason}")  # a finding stays on one line: grep finds it whole
    order = sorted(result.enriched, key=lambda it: _rank([f.severity for f in by_key.get(it.record.key, [])]))
    for item in order:
        rec = item.record
        findings = sorted(by_key.get(rec.key, []), key=lambda f: _rank([f.severity]))
        if quiet:
            findings = [f for f in findings if f.severity is Severity.ERROR]
            if not findings:
                continue
        elif not verbose:
            findings = [f for f in findings if f.severity is not Severity.INFO]
        head = f"[{_MARK.get(item.status, '!!')}] {rec.key}"
        if rec.doi:
            head += f"  doi:{rec.doi}"
        body.append(f"{head}  {_STATUS_WORDS.get(item.status, item.status.value)}")
        if not quiet:
            # (the values looked at as they are first: an offline build has none from Crossref to list in order)
            from_cr = (
                [FIELD_WORDS.get(n, n.replace("_", " ")) for n, v in rec.items() if v.source.origin == "crossref"]
                if any(v.source.origin == "crossref" for v in rec.values.values())
                else []
            )
            if from_cr:
                body += _wrap("from Crossref: " + ", ".join(from_cr))
            reasons = tag_reasons(rec)
            if reasons and verbose:
                body.append(_INDENT + "tags:")
                for tag, why in reasons.items():
                    body += _wrap(
                        f"{tag} ({', '.join(dict.fromkeys(_reason_text(w) for w in why)) or 'input'})",
                        indent=_INDENT + "  ",
                    )
            elif reasons:
                body += _wrap(f"tags: {', '.join(reasons)}")
        for finding in findings:
            where = (
                f" [{finding.file}:{finding.line}]" if finding.file and finding.line and finding.code != "CR010" else ""
            )
            body.append(f"{_INDENT}{finding.severity.value} {finding.code}: {finding.message}{where}")
    if not quiet:
        kept_key = {it.record.source.where(): it.record.key for it in result.enriched}
        for kept, merged in result.merged:
            body += _wrap(
                f"merged: {merged} is the same work (same DOI) as {kept}, entry {kept_key.get(kept, '?')}; "
                "it only filled what that entry lacked",
                indent="",
            )
    lines = [LEGEND] if any(line.startswith("[") for line in body) else []
    lines += body
    s = _summary(result)
    counts = [
        (s["verified"], "verified"),
        (s["unverified"], "not verified"),
        (s["no_match"], "without a verified DOI"),
        (s["doi_not_found"], "with a DOI unknown to Crossref"),
        (s["doi_of_another_work"], "with the DOI of another work"),
    ]
    parts = ", ".join(f"{n} {what}" for n, what in counts if n) or "none"
    summary = f"{'Wrote ' + result.output if result.output else 'Built'}: {plural(s['entries'], 'entry', 'entries')}"
    summary += f" ({parts})" if s["entries"] else ""
    if s["inputs_failed"]:
        summary += f"; {plural(s['inputs_failed'], 'input')} not read"
    summary += f"; {plural(s['errors'], 'error')}, {plural(s['warnings'], 'warning')}."
    if result.merged:
        summary = summary[:-1] + f"; {plural(len(result.merged), 'duplicate')} merged."
    lines += _wrap(summary, indent="")
    where = "offline, cache only" if result.offline else result.crossref_url
    keys = _keys_line(result)
    if keys and not quiet:
        lines += _wrap(keys, indent="")
    if not quiet:
        if result.vocabulary:
            lines.append(f"Topic tags from: {result.vocabulary}.")
        lines += _wrap(
            f"Crossref ({where}): {plural(result.stats.requests, 'request')}, "
            f"{plural(result.stats.cache_hits, 'answer')} from cache.",
            indent="",
        )
        for name, st in getattr(result, "services", {}).items():  # NCBI, the DOI resolver (issue 19), when asked
            if st["requests"] or st["cache_hits"]:
                lines += _wrap(
                    f"{name} ({st['url']}): {plural(st['requests'], 'request')}, "
                    f"{plural(st['cache_hits'], 'answer')} from cache"
                    + (f"; unreachable: {st['unreachable']}." if st["unreachable"] else "."),
                    indent="",
                )
    if result.unreachable:
        lines += _wrap(
            f"Crossref could not be reached ({result.unreachable}); unverified entries were written from "
            "the inputs alone. Run again when the network is back: answers already received are cached.",
            indent="",
        )
    return "\n".join(lines)
