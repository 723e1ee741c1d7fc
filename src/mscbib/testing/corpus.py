"""The extraction corpus (``tests/corpus/``): documents with hand-checked expected records.

Each document ``NAME.EXT`` has ``NAME.expected.json``::

    {"_synthetic": "...", "format": "pubmed",
     "records": [{"doi": ..., "title": ..., "authors": [["Family", "Given"] or "Literal", ...], ...}],
     "failures": [[line, "part of the reason"], ...]}

The core fields (:data:`CORE_FIELDS`) are compared for every record — ``null`` means the document does
not state it, so any value extracted there counts as *invented*. Other fields (``month``, ``issn``,
``keywords``, ``mesh``, ``notices``, ``type``, ``references`` — a count —, ``abstract_starts``) are
compared when the expected record names them. Used by ``tests/test_sources_corpus.py`` and
``benchmarks/extract_accuracy.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import Record
from ..sources import read_file

__all__ = ["CORE_FIELDS", "Document", "Comparison", "load_corpus", "compare_document", "actual_value"]

CORE_FIELDS = (
    "doi",
    "pmid",
    "pmcid",
    "title",
    "authors",
    "authors_complete",
    "journal",
    "journal_abbrev",
    "year",
    "volume",
    "issue",
    "pages",
)


@dataclass
class Document:
    path: Path
    expected: dict[str, Any]

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class Comparison:
    document: str
    #: (record index, field, expected, actual) for each compared field
    checks: list[tuple[int, str, Any, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def mismatches(self) -> list[tuple[int, str, Any, Any]]:
        return [c for c in self.checks if c[2] != c[3]]


def load_corpus(folder: str | Path) -> list[Document]:
    folder = Path(folder)
    docs = []
    for exp in sorted(folder.glob("*.expected.json")):
        stem = exp.name[: -len(".expected.json")]
        matches = [p for p in folder.iterdir() if p.name.startswith(stem + ".") and p != exp]
        if len(matches) != 1:
            raise ValueError(f"{exp}: expected exactly one document named {stem}.*, found {len(matches)}")
        docs.append(Document(matches[0], json.loads(exp.read_text(encoding="utf-8"))))
    return docs


def actual_value(rec: Record, name: str) -> Any:
    if name in ("authors", "editors"):
        people = rec.get(name, [])
        if not people:
            return None
        return [p.literal if p.literal else [p.family, p.given] for p in people]
    if name == "references":
        return len(rec.references)
    if name == "abstract_starts":
        return None
    value = rec.get(name)
    if value == [] or value == "":
        return None
    return value


def compare_document(doc: Document) -> Comparison:
    result = read_file(doc.path)
    cmp = Comparison(doc.name)
    exp = doc.expected
    want_format = exp.get("format")
    records = result.records
    if want_format and records and records[0].source.format != want_format:
        cmp.problems.append(f"read as {records[0].source.format}, expected {want_format}")
    if len(records) != len(exp.get("records", [])):
        cmp.problems.append(f"{len(records)} records, expected {len(exp.get('records', []))}")
    for i, want in enumerate(exp.get("records", [])):
        rec = records[i] if i < len(records) else None
        names = list(CORE_FIELDS) + [k for k in want if k not in CORE_FIELDS and not k.startswith("_")]
        for name in names:
            expected = want.get(name)
            if name == "authors" and expected is not None:
                expected = [a if isinstance(a, str) else list(a) for a in expected]
            if rec is None:
                actual = None
            elif name == "abstract_starts":
                abstract = rec.get("abstract") or ""
                actual = expected if expected and abstract.startswith(expected) else abstract[:60] or None
            else:
                actual = actual_value(rec, name)
            if name == "authors_complete" and want.get("authors") is None and expected is None:
                actual = None if not (rec and rec.authors) else actual
            cmp.checks.append((i, name, expected, actual))
    want_failures = exp.get("failures", [])
    got = [(f.line, f.reason) for f in result.failures]
    if len(got) != len(want_failures) or any(
        line != g[0] or part not in g[1] for (line, part), g in zip(want_failures, got)
    ):
        cmp.problems.append(f"failures {got}, expected {want_failures}")
    return cmp
