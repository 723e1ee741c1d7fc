"""A small example plug-in for mscbib (used by tests/test_plugins.py; synthetic, made for the tests).

It proves the three plug-in contracts of :mod:`mscbib.plugins`:

* a reader for a tiny "mini" format (``%MINI`` then ``TITLE:``/``DOI:``/``YEAR:`` lines),
* a record check (``EXA001``: a record without a year) and a check that always fails (``PLG001``),
* a writer that prints one title per line.
"""

from __future__ import annotations

from mscbib.identifiers import normalize_doi
from mscbib.model import FailedInput, Finding, Record, Severity
from mscbib.sources.base import Lines, ReadResult


class MiniReader:
    name = "mini"

    def match(self, text: str) -> bool:
        return text.lstrip().startswith("%MINI")

    def read(self, text: str, path: str) -> ReadResult:
        page = Lines(text, path, self.name)
        rec = Record(source=page.at(1, origin=self.name))
        result = ReadResult()
        for n, line in page.numbered(2):
            label, _, value = line.partition(":")
            field = {"TITLE": "title", "DOI": "doi", "YEAR": "year"}.get(label.strip())
            if field is None:
                result.failures.append(FailedInput(path, f"unknown label {label.strip()!r}", line=n))
                continue
            value = normalize_doi(value) if field == "doi" else value.strip()
            rec.set(field, value, page.at(n, origin=self.name))
        result.records.append(rec)
        return result


def needs_year(record: Record):
    if not record.get("year"):
        yield Finding(
            "EXA001",
            Severity.WARNING,
            "no year",
            key=record.label(),
            field="year",
            file=record.source.file,
            line=record.source.line,
        )


def always_fails(record: Record):
    raise RuntimeError("this check is broken on purpose")


def render_titles(records) -> str:
    return "".join(f"{r.title}\n" for r in records)


NOT_A_READER = 42
