"""The key stage: every entry gets its citation key (:mod:`mscbib.keys`), and the library is put in key order.

Keys the inputs give and keys already written in the output being rebuilt stay; new works get keys by the
formula (the default is Better BibTeX's). The cited file being rebuilt counts too: a cited work that becomes an
entry keeps its key, and no new entry takes a cited work's key (``library.written["cited"]`` is handed on to the
references stage, so cited works keep theirs).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from ...bibfile import first_family, read_bib
from ...identifiers import normalize_doi, normalize_pmid
from ...keys import DEFAULT_FORMULA, KeyAssignment, WrittenKey, assign_keys, citation_key
from ...model import Finding, Library, Record, Severity
from ...text import comparable

__all__ = ["Key", "written_keys"]


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
        family = first_family(e.get("author") or e.get("editor") or "")  # the one reading (bibfile)
        out.append(
            WrittenKey(
                e.key,
                normalize_doi(e.get("doi")),
                normalize_pmid(pmid),
                year=year or None,
                where=f"{path}:{e.line}",
                title_latex=title.value if title is not None else None,
                author=family.strip() or None,
            )
        )
    return out, None


def _key_findings(assignment: KeyAssignment, unreadable: str | None, output: str | None) -> list[Finding]:
    """KEY003: a key the build could not keep (the entry has another now), or an output it could not read keys from."""
    out = [
        Finding(
            "KEY003",
            Severity.WARNING,
            f"citation key {old} is not kept: {why}; this entry's key is now {rec.key}",
            key=rec.key,
            file=rec.source.file,
            line=rec.source.line,
        )
        for rec, old, why in assignment.not_kept
    ]
    if unreadable:
        out.append(
            Finding(
                "KEY003",
                Severity.WARNING,
                f"the keys already written in {output} could not be read "
                f"({unreadable}): every entry's key was made afresh",
                file=output,
            )
        )
    return out


def _order(rec: Record) -> tuple[str, str, str, str, int]:
    return (citation_key(rec), rec.doi or "", comparable(rec.title), rec.source.file or "", rec.source.line or 0)


@dataclass
class Key:
    """Keys for ``library.records`` (and ``items``), the library then in key order; KEY003 for a key not kept.
    The records' findings made before (enrichment's) name their record by its key from here on."""

    output: str | None
    formula: str = DEFAULT_FORMULA
    #: the cited file being rebuilt beside ``output`` (:func:`mscbib.refs.cited_path`)
    cited_output: str | None = None
    name: str = "key"

    def __call__(self, library: Library) -> Library:
        items = library.items or []
        records = [e.record for e in items] if items else list(library.records)
        # the formula's key of every record, only to order them, costs a third of this stage; the order only
        # decides who keeps a key two records are given and who gets which new key: when every record is given
        # its own key, no order changes any key, and the records are sorted by key below
        keys = [rec.key for rec in records]
        made: dict[int, str] = {}  # the default formula's key of each record, made for the order: not made twice

        def order(rec: Record) -> tuple[str, str, str, str, int]:
            out = _order(rec)
            made[id(rec)] = out[0]
            return out

        if not all(keys) or len(set(keys)) < len(keys):
            if items:
                items.sort(key=lambda e: order(e.record))
                records = [e.record for e in items]
            else:  # a library that was not enriched: its records alone
                records.sort(key=order)
        written, unreadable = written_keys(self.output)
        cited_written = written_keys(self.cited_output)[0] if self.cited_output is not None else []
        library.written = {"library": written, "cited": cited_written}
        assignment = assign_keys(
            records,
            self.formula,
            written=written + cited_written,
            made=made if self.formula == DEFAULT_FORMULA else None,
        )
        library.findings.extend(_key_findings(assignment, unreadable, self.output))
        library.key_origins = {rec.key: origin for rec, origin in zip(records, assignment.origins) if rec.key}
        # the findings made before the key existed (enrichment names a record by its DOI or input line) name it by
        # its key from here on: every later stage makes its findings with the key
        for rec in records:
            if rec.findings:
                rec.findings = [f if f.key == rec.key else dataclasses.replace(f, key=rec.key) for f in rec.findings]
        # written in key order (keys kept from the input or the old output need not sort where the formula's would)
        if items:
            items.sort(key=lambda e: e.record.key or "")
            library.records = [e.record for e in items]
        else:
            library.records = sorted(records, key=lambda r: r.key or "")
        return library
