"""Validation: checks are small registered functions that return findings; they never raise or fix.

A record check takes a :class:`~mscbib.model.Record` and returns findings; a library check takes all
records. Each finding has a stable code, a severity, the entry key, the field and the input line.
Register a new check with :func:`record_check` or :func:`library_check`: it goes into the one registry
(:mod:`mscbib.registry`), which ``mscbib check`` runs too, on each entry of a ``.bib``. The data model's facts
(required fields, entry types) come from :mod:`mscbib.datamodel`; no entry is rendered to validate it.
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache
from typing import Callable, Iterable

from .. import registry
from ..datamodel import REQUIRED, missing_required, required_message, type_in, written_bibtex_fields
from ..identifiers import is_valid_doi, is_valid_isbn, is_valid_issn
from ..model import Finding, Person, Record, Severity, finding_about
from ..registry import CheckInfo
from ..rules import CAPITALS_MESSAGE, in_capitals, mojibake, mojibake_message
from ..text import number_less

__all__ = ["record_check", "library_check", "validate", "REQUIRED", "missing_required", "required_message"]

RecordCheck = Callable[[Record], Iterable[Finding]]
LibraryCheck = Callable[[list[Record]], Iterable[Finding]]


def record_check(name: str, *codes: str) -> Callable[[RecordCheck], RecordCheck]:
    """Register ``Record -> findings`` as the check ``name`` in the one registry (:mod:`mscbib.registry`)."""

    def register(fn: RecordCheck) -> RecordCheck:
        registry.register(CheckInfo(name, codes, fn, "record"))
        return fn

    return register


def library_check(name: str, *codes: str) -> Callable[[LibraryCheck], LibraryCheck]:
    """Register ``list[Record] -> findings`` as the check ``name`` in the one registry."""

    def register(fn: LibraryCheck) -> LibraryCheck:
        registry.register(CheckInfo(name, codes, fn, "records"))
        return fn

    return register


def _finding(
    rec: Record, code: str, severity: Severity, field: str | None, message: str, fix: str | None = None
) -> Finding:
    return finding_about(rec, code, severity, message, field, fix)


@record_check("doi-syntax", "DOI001")
def _doi_syntax(rec: Record):
    doi = rec.get("doi")
    if doi and not is_valid_doi(doi):
        yield _finding(rec, "DOI001", Severity.ERROR, "doi", f"not a valid DOI: {doi!r}")


# a journal's ISSN, a book's ISBN recur across a library: each checked once
_valid_issn = lru_cache(maxsize=1 << 14)(is_valid_issn)
_valid_isbn = lru_cache(maxsize=1 << 14)(is_valid_isbn)


@record_check("issn-check-digit", "ISS001")
def _issn(rec: Record):
    for issn in rec.get("issn", []):
        if not _valid_issn(issn):
            yield _finding(rec, "ISS001", Severity.ERROR, "issn", f"ISSN {issn} has a wrong check digit or form")


@record_check("isbn-check-digit", "ISB001")
def _isbn(rec: Record):
    for isbn in rec.get("isbn", []):
        if not _valid_isbn(isbn):
            yield _finding(rec, "ISB001", Severity.ERROR, "isbn", f"ISBN {isbn} has a wrong check digit or form")


@record_check("required-fields", "REQ001")
def _required(rec: Record):
    """REQ001 on the entry the BibTeX writer makes of the record (the fields it would write; none rendered)."""
    kind = type_in("bibtex", rec)
    written = written_bibtex_fields(rec, kind)
    for options in missing_required(kind, written.__contains__, "bibtex") or ():
        yield _finding(
            rec,
            "REQ001",
            Severity.WARNING,
            None,
            required_message(kind, options, "bibtex") + ": the input does not state it and Crossref did not supply it",
        )


#: Notices an input prints about the work itself (PubMed's "Retraction in:", MEDLINE's RIN…) → code, severity.
_STATUS_NOTICES = {
    "retraction in": ("STA001", Severity.ERROR),
    "expression of concern in": ("STA002", Severity.WARNING),
    "erratum in": ("STA002", Severity.WARNING),
    "update in": ("STA002", Severity.WARNING),
}


@record_check("status-in-input", "STA001", "STA002")
def _status_in_input(rec: Record):
    """What the input itself says of the work's status, offline too: a retraction is an error (as Crossref's is,
    CR020), a correction or expression of concern a warning. PubMed's "Retracted Publication" type counts when
    no "Retraction in" notice names the notice."""
    retracted = False
    for notice in rec.get("notices", []):
        head = notice.split(":", 1)[0].strip().lower()
        if head in _STATUS_NOTICES:
            code, severity = _STATUS_NOTICES[head]
            retracted |= code == "STA001"
            yield _finding(rec, code, severity, "notices", f"the input says: {notice}")
    if not retracted and any(t.lower() == "retracted publication" for t in rec.get("publication_types", [])):
        yield _finding(
            rec, "STA001", Severity.ERROR, "publication_types", "the input lists this work as a Retracted Publication"
        )


def _texts(value) -> list[str]:
    """The text of a record value: a string, each string of a list, each name of a person."""
    if isinstance(value, str):
        return [value]
    out: list[str] = []
    for v in value if isinstance(value, list) else ():
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, Person):
            out += [x for x in (v.family, v.given, v.literal) if x]
    return out


@record_check("mojibake", "TXT003")
def _mojibake(rec: Record):
    """TXT003, with `mscbib check`'s function (mscbib.rules.mojibake): ``MÃ¼ller`` is ``Müller`` read
    twice. Not run by `check` through this (it checks the entry's own fields)."""
    for name, value in rec.items():
        v = value.value
        if isinstance(v, str):
            if v.isascii():  # mojibake is never ASCII: most values, passed at once
                continue
            texts = [v]
        else:
            texts = _texts(v)
        for text in texts:
            seq = mojibake(text)
            if seq:
                yield _finding(rec, "TXT003", Severity.WARNING, name, mojibake_message(name, seq))
                break


@record_check("capitals", "TTL001")
def _capitals(rec: Record):
    """TTL001, with `mscbib check`'s function (mscbib.rules.in_capitals)."""
    if rec.title and in_capitals(rec.title):
        yield _finding(rec, "TTL001", Severity.WARNING, "title", CAPITALS_MESSAGE)


_FOUR_DIGITS = re.compile(r"\d{4}")
#: no year up to this one + 1 is in the future, now or later: the clock is asked only past it
_YEAR_AT_IMPORT = _dt.date.today().year
_PAGE_RANGE = re.compile(r"(\d+)--(\d+)")


@record_check("dates", "DAT001", "DAT002", "DAT003")
def _dates(rec: Record):
    year = rec.get("year")
    if year is not None:
        if not _FOUR_DIGITS.fullmatch(str(year)):
            yield _finding(rec, "DAT001", Severity.ERROR, "year", f"year {year!r} is not a four-digit year")
        elif int(year) > _YEAR_AT_IMPORT + 1 and int(year) > _dt.date.today().year + 1:  # asked only then
            yield _finding(rec, "DAT002", Severity.WARNING, "year", f"year {year} is in the future")
    month = rec.get("month")
    if month is not None and not (isinstance(month, int) and 1 <= month <= 12):
        yield _finding(rec, "DAT003", Severity.ERROR, "month", f"month {month!r} is not a month")


@record_check("page-range", "PAG001")
def _pages(rec: Record):
    pages = rec.get("pages")
    m = _PAGE_RANGE.fullmatch(pages or "")
    if m and number_less(m.group(2), m.group(1)):  # digits of any length (text.number_less)
        yield _finding(rec, "PAG001", Severity.WARNING, "pages", f"page range {pages} ends before it starts")


@library_check("duplicate-doi", "DUP001")
def _duplicate_doi(records: list[Record]):
    seen: dict[str, Record] = {}
    for rec in records:
        doi = rec.get("doi")
        if not doi:
            continue
        if doi in seen:
            yield _finding(rec, "DUP001", Severity.ERROR, "doi", f"DOI {doi} is also the DOI of {seen[doi].label()}")
        else:
            seen[doi] = rec


@library_check("duplicate-key", "KEY001")
def _duplicate_key(records: list[Record]):
    seen: set[str] = set()
    for rec in records:
        if rec.key and rec.key in seen:
            yield _finding(rec, "KEY001", Severity.ERROR, None, f"citation key {rec.key} is used twice")
        elif rec.key:
            seen.add(rec.key)


def validate(records: list[Record]) -> list[Finding]:
    """Run every registered record check, plug-ins' included; findings are returned (and not attached to the
    records)."""
    record_checks = [c.fn for c in registry.checks("record")]
    out: list[Finding] = []
    for rec in records:
        for check in record_checks:
            out.extend(check(rec))
    for info in registry.checks("records"):
        out.extend(info.fn(records))
    return out
