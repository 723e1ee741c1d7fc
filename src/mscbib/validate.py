"""Validation: checks are small registered functions that return findings; they never raise or fix.

A record check takes a :class:`~mscbib.model.Record` and returns findings; a library check takes all
records. Each finding has a stable code, a severity, the entry key, the field and the input line.
Register a new check with :func:`record_check` or :func:`library_check`.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Callable, Iterable

from .identifiers import is_valid_doi, is_valid_isbn, is_valid_issn
from .model import Finding, Record, Severity
from .plugins import load_plugin_checks
from .writers.bibtex import entry_type

__all__ = ["RECORD_CHECKS", "LIBRARY_CHECKS", "record_check", "library_check", "validate", "REQUIRED_FIELDS"]

RecordCheck = Callable[[Record], Iterable[Finding]]
LibraryCheck = Callable[[list[Record]], Iterable[Finding]]
RECORD_CHECKS: dict[str, RecordCheck] = {}
LIBRARY_CHECKS: dict[str, LibraryCheck] = {}


def record_check(name: str) -> Callable[[RecordCheck], RecordCheck]:
    def register(fn: RecordCheck) -> RecordCheck:
        RECORD_CHECKS[name] = fn
        return fn
    return register


def library_check(name: str) -> Callable[[LibraryCheck], LibraryCheck]:
    def register(fn: LibraryCheck) -> LibraryCheck:
        LIBRARY_CHECKS[name] = fn
        return fn
    return register


def _finding(rec: Record, code: str, severity: Severity, field: str | None, message: str,
             fix: str | None = None) -> Finding:
    src = rec.origin_of(field) if field else None
    src = src or rec.source
    return Finding(code, severity, message, key=rec.label(), field=field, file=src.file, line=src.line, fix=fix)


#: Required fields per BibTeX entry type (record field names; "journal" is satisfied by an abbreviation).
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "article": ("authors", "title", "journal", "year"),
    "book": ("title", "publisher", "year"),
    "incollection": ("authors", "title", "journal", "publisher", "year"),
    "inproceedings": ("authors", "title", "journal", "year"),
    "phdthesis": ("authors", "title", "year"),
    "techreport": ("authors", "title", "year"),
    "misc": (),
}


@record_check("doi-syntax")
def _doi_syntax(rec: Record):
    doi = rec.get("doi")
    if doi and not is_valid_doi(doi):
        yield _finding(rec, "DOI001", Severity.ERROR, "doi", f"not a valid DOI: {doi!r}")


@record_check("issn-check-digit")
def _issn(rec: Record):
    for issn in rec.get("issn", []):
        if not is_valid_issn(issn):
            yield _finding(rec, "ISS001", Severity.ERROR, "issn", f"ISSN {issn} has a wrong check digit or form")


@record_check("isbn-check-digit")
def _isbn(rec: Record):
    for isbn in rec.get("isbn", []):
        if not is_valid_isbn(isbn):
            yield _finding(rec, "ISB001", Severity.ERROR, "isbn", f"ISBN {isbn} has a wrong check digit or form")


@record_check("required-fields")
def _required(rec: Record):
    kind = entry_type(rec)
    for name in REQUIRED_FIELDS.get(kind, ()):
        present = rec.get(name) or (name == "journal" and rec.get("journal_abbrev"))
        if not present:
            yield _finding(rec, "REQ001", Severity.WARNING, None,
                           f"@{kind} without {name}: the input does not state it and Crossref did not supply it")


_FOUR_DIGITS = re.compile(r"\d{4}")
_PAGE_RANGE = re.compile(r"(\d+)--(\d+)")


@record_check("dates")
def _dates(rec: Record):
    year = rec.get("year")
    if year is not None:
        if not _FOUR_DIGITS.fullmatch(str(year)):
            yield _finding(rec, "DAT001", Severity.ERROR, "year", f"year {year!r} is not a four-digit year")
        elif int(year) > _dt.date.today().year + 1:
            yield _finding(rec, "DAT002", Severity.WARNING, "year", f"year {year} is in the future")
    month = rec.get("month")
    if month is not None and not (isinstance(month, int) and 1 <= month <= 12):
        yield _finding(rec, "DAT003", Severity.ERROR, "month", f"month {month!r} is not a month")


@record_check("page-range")
def _pages(rec: Record):
    pages = rec.get("pages")
    m = _PAGE_RANGE.fullmatch(pages or "")
    if m and int(m.group(2)) < int(m.group(1)):
        yield _finding(rec, "PAG001", Severity.WARNING, "pages", f"page range {pages} ends before it starts")


@library_check("duplicate-doi")
def _duplicate_doi(records: list[Record]):
    seen: dict[str, Record] = {}
    for rec in records:
        doi = rec.get("doi")
        if not doi:
            continue
        if doi in seen:
            yield _finding(rec, "DUP001", Severity.ERROR, "doi",
                           f"DOI {doi} is also the DOI of {seen[doi].label()}")
        else:
            seen[doi] = rec


@library_check("duplicate-key")
def _duplicate_key(records: list[Record]):
    seen: set[str] = set()
    for rec in records:
        if rec.key and rec.key in seen:
            yield _finding(rec, "KEY001", Severity.ERROR, None, f"citation key {rec.key} is used twice")
        elif rec.key:
            seen.add(rec.key)


def validate(records: list[Record]) -> list[Finding]:
    """Run every registered check; findings are returned (and not attached to the records)."""
    load_plugin_checks()  # checks other packages install (entry-point group mscbib.checks)
    out: list[Finding] = []
    for rec in records:
        for check in RECORD_CHECKS.values():
            out.extend(check(rec))
    for lcheck in LIBRARY_CHECKS.values():
        out.extend(lcheck(records))
    return out
