"""Conversions the structured-format readers (RIS, MEDLINE, CSL-JSON, BibTeX) and page readers share."""

from __future__ import annotations

import re

from ..datamodel import BIBTEX_TYPES, CSL_TYPES, RIS_TYPES
from ..identifiers import normalize_isbn, normalize_issn, split_identifiers
from ..model import Person
from ..text import clean_text, normalize_pages, parse_month, person_from_display

__all__ = [
    "parse_date",
    "iso_date",
    "join_pages",
    "printed_pages",
    "split_issn_isbn",
    "person_from_inverted",
    "RIS_TYPES",
    "CSL_TYPES",
    "BIBTEX_TYPES",
    "CATALOG_FORMATS",
    "work_type",
    "pubmed_work_type",
    "ISSN_RE",
    "issns_in",
    "Gated",
    "Markers",
]


class Gated:
    """A pattern searched from the places where its ``candidate`` matches (every match of the pattern starts at
    one): the same first match as ``re.search``, found faster where the pattern opens on an assertion (``\\b``, a
    look-behind) or on alternatives Python's ``re`` finds no first character for, and so tries at every place of
    the line (a long line of prose cost most), while the candidate (a literal, alternatives of literals) is
    skipped to by ``re``'s own scan. Each try is a ``match`` at that place: look-behinds and ``\\b`` still see the
    character before it."""

    __slots__ = ("_rx", "_candidate", "pattern", "flags")

    def __init__(self, pattern: str, candidate: str, flags: int = 0) -> None:
        self._rx = re.compile(pattern, flags)
        self._candidate = re.compile(candidate, flags)
        self.pattern, self.flags = pattern, flags

    def search(self, s: str, pos: int = 0) -> re.Match[str] | None:
        find, match = self._candidate.search, self._rx.match
        m = find(s, pos)
        while m is not None:
            at = m.start()
            full = match(s, at)
            if full is not None:
                return full
            m = find(s, at + 1)
        return None


class Markers:
    """Phrases a reader's signature test counts in a lower-cased text, grouped under a shorter word several of them
    hold ("details", "number", "cit", …): a group whose word the text lacks is passed over at the cost of one
    search for it, not one per phrase (a phrase found holds its group's word, so the count is the same)."""

    __slots__ = ("phrases", "_groups")

    #: the words phrases are grouped under, the first a phrase holds
    ANCHORS = ("detail", "number", "online", "cit", "hold", "author", "pmc", "publish")

    def __init__(self, phrases: tuple[str, ...]) -> None:
        self.phrases = phrases
        groups: dict[str, list[str]] = {}
        for p in phrases:
            groups.setdefault(next((a for a in self.ANCHORS if a in p), p), []).append(p)
        # a word only one phrase holds is no saving: that phrase is searched for itself
        self._groups = tuple((a if len(ps) > 1 else ps[0], tuple(ps)) for a, ps in groups.items())

    def count(self, low: str) -> int:
        """How many of the phrases ``low`` holds (``sum(p in low for p in phrases)``)."""
        return sum(sum(map(low.__contains__, ps)) if a in low else 0 for a, ps in self._groups)


ISSN_RE = re.compile(r"\b\d{4}-?\d{3}[\dXx]\b")
_ISO = re.compile(r"^(?P<y>\d{4})(?:[-/.](?P<m>\d{1,2})?(?:[-/.](?P<d>\d{1,2})?)?)?")
_WORDY = re.compile(r"^(?:(?P<d1>\d{1,2})\s+)?(?P<mon>[A-Za-z]{3,9})\.?(?:\s+(?P<d2>\d{1,2}))?,?\s+(?P<y>\d{4})$")
_YEAR_FIRST = re.compile(r"^(?P<y>\d{4})\s+(?P<mon>[A-Za-z]{3,9})(?:[-/][A-Za-z]{3,9})?(?:\s+(?P<d>\d{1,2}))?\b")
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


def parse_date(s: str | None) -> tuple[str | None, int | None, int | None]:
    """``'2020/05/12/'``, ``'2020-05'``, ``'2010 Jun 3'``, ``'12 March 2020'``, ``'March 12, 2020'`` →
    ``(year, month, day)``; parts not written are ``None``."""
    s = clean_text(s or "")
    if not s:
        return None, None, None
    m = _YEAR_FIRST.match(s)
    if m and parse_month(m.group("mon")):
        return m.group("y"), parse_month(m.group("mon")), int(m.group("d")) if m.group("d") else None
    m = _WORDY.match(s)
    if m and parse_month(m.group("mon")):
        day = m.group("d1") or m.group("d2")
        return m.group("y"), parse_month(m.group("mon")), int(day) if day else None
    m = _ISO.match(s)
    if m:
        month = parse_month(m.group("m")) if m.group("m") else None
        day = int(m.group("d")) if m.group("d") and month and 1 <= int(m.group("d")) <= 31 else None
        return m.group("y"), month, day
    m = re.search(r"\b(1[5-9]\d{2}|20\d{2})\b", s)
    return (m.group(1) if m else None), None, None


def iso_date(s: str | None) -> str | None:
    """A written date as an ISO date for ``received`` / ``accepted`` / ``published``: ``'14 January 2019'`` →
    ``'2019-01-14'``, ``'2019 Jan'`` → ``'2019-01'``, MEDLINE's ``'20190122'`` → ``'2019-01-22'``; ``None`` when
    there is no year."""
    s = clean_text(s or "")
    compact = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", s)
    if compact:
        s = "-".join(compact.groups())
    year, month, day = parse_date(s)
    if not year:
        return None
    if not month:
        return year
    return f"{year}-{month:02d}-{day:02d}" if day else f"{year}-{month:02d}"


def join_pages(start: str | None, end: str | None) -> str | None:
    start, end = clean_text(start or ""), clean_text(end or "")
    if start and end and end != start and "-" not in start:
        return normalize_pages(f"{start}-{end}")
    return normalize_pages(start or None)


#: the last text lower-cased whole, for the site readers' signature tests (one entry: the text being read)
_LOWERED: list = [None, ""]


def lowered_head(text: str, n: int) -> str:
    """``text[:n].lower()``; a text that fits in ``n`` characters is lower-cased once for all the readers that
    test it (the catalog and landing readers look for their markers in the same page)."""
    if len(text) > n:
        return text[:n].lower()
    if _LOWERED[0] is not text:
        _LOWERED[:] = [text, text.lower()]
    return _LOWERED[1]


def printed_pages(pages: str | None) -> str | None:
    """Pages as printed, a range normalised as by :func:`~mscbib.text.normalize_pages`, keeping a trailing
    online-supplement part: Cell Press's ``1888-1902.e21`` → ``1888--1902.e21`` (pages 1888 to 1902 in print,
    then STAR Methods pages e1 to e21 online). The ``.eN`` is kept rather than dropped so the record says what
    the journal cites; an article number (``112190``) passes unchanged."""
    m = re.match(r"^(?P<range>.+?)(?P<supplement>\.e\d+)$", clean_text(pages or ""))
    if m:
        return (normalize_pages(m.group("range")) or "") + m.group("supplement")
    return normalize_pages(pages)


#: a note beside an ISSN or ISBN ("(print)", "[pbk.]"), and what is not one of their digits
_SN_NOTE = re.compile(r"\((?:print|electronic|online|linking|e?issn|isbn)\)|\[[^\]]*\]", re.IGNORECASE)
_NOT_SN_DIGIT = re.compile(r"[^0-9Xx]")


def split_issn_isbn(values: list[str]) -> tuple[list[str], list[str]]:
    """RIS ``SN`` and CSL ``ISSN``/``ISBN`` hold either; tell them apart by shape and check digit.
    A value with a wrong check digit is kept as printed, for validation to report."""
    issns: list[str] = []
    isbns: list[str] = []
    for raw in values:
        for part in split_identifiers(raw):  # the one splitter (mscbib.identifiers)
            v = clean_text(_SN_NOTE.sub("", part) if "(" in part or "[" in part else part).strip()
            if not v:
                continue
            digits = _NOT_SN_DIGIT.sub("", v)
            if len(digits) == 8:
                issn = normalize_issn(digits) or f"{digits[:4]}-{digits[4:]}".upper()
                if issn not in issns:
                    issns.append(issn)
            elif len(digits) in (10, 13):
                isbn = normalize_isbn(v) or v
                if isbn not in isbns:
                    isbns.append(isbn)
    return issns, isbns


def issns_in(text: str) -> list[str]:
    return split_issn_isbn(ISSN_RE.findall(text))[0]


def person_from_inverted(name: str) -> Person:
    """``'Smith, John A.'``, ``'Smith, J. A., Jr.'``, ``'Smith JA'`` (no comma: Vancouver), ``'WHO'``."""
    name = clean_text(name).strip(" ;")
    if "," in name:
        parts = [p.strip() for p in name.split(",")]
        suffix = ""
        if len(parts) >= 3 and parts[-1].lower() in _SUFFIXES:
            suffix = parts.pop()
        elif len(parts) == 3 and parts[1].lower() in _SUFFIXES:  # "Smith, Jr., John"
            suffix = parts.pop(1)
        return Person(family=parts[0], given=", ".join(parts[1:]).strip(), suffix=suffix)
    return person_from_display(name)


#: Every reader gives ``type`` in one vocabulary, Crossref's work types (what enrichment merges in and what the
#: writers map to BibTeX entry, CSL and Zotero item types); the tables below translate each input's own labels.
CROSSREF_TYPES = frozenset(
    {
        "journal-article",
        "journal-issue",
        "journal-volume",
        "journal",
        "book",
        "edited-book",
        "monograph",
        "reference-book",
        "book-chapter",
        "book-part",
        "book-section",
        "book-series",
        "book-set",
        "book-track",
        "reference-entry",
        "proceedings",
        "proceedings-article",
        "proceedings-series",
        "dissertation",
        "report",
        "report-component",
        "report-series",
        "standard",
        "dataset",
        "database",
        "component",
        "posted-content",
        "peer-review",
        "grant",
        "other",
    }
)


def work_type(label: str | None, table: dict[str, str]) -> str | None:
    """``label`` (an input's own type: RIS TY, CSL type, BibTeX entry type, catalog format) as a Crossref work
    type through ``table``; a label already in Crossref's vocabulary passes; an unknown one gives None, never
    a guess."""
    if not label:
        return None
    key = label.strip()
    found = table.get(key) or table.get(key.lower()) or table.get(key.upper())
    if found:
        return found
    return key.lower() if key.lower() in CROSSREF_TYPES else None


def pubmed_work_type(publication_types: list[str]) -> str:
    """PubMed indexes journal articles (its ``Preprint`` publication type aside): the work type behind a
    list of PubMed/MEDLINE publication types."""
    return "posted-content" if any(t.lower() == "preprint" for t in publication_types) else "journal-article"


#: A library catalog's "Format" line → Crossref work type.
CATALOG_FORMATS = {
    "article": "journal-article",
    "journal article": "journal-article",
    "e-article": "journal-article",
    "electronic article": "journal-article",
    "online article": "journal-article",
    "book": "book",
    "print book": "book",
    "ebook": "book",
    "e-book": "book",
    "electronic book": "book",
    "book chapter": "book-chapter",
    "chapter": "book-chapter",
    "thesis": "dissertation",
    "dissertation": "dissertation",
    "thesis/dissertation": "dissertation",
    "conference proceeding": "proceedings-article",
    "conference paper": "proceedings-article",
    "report": "report",
    "dataset": "dataset",
    "journal": "journal",
    "serial": "journal",
}
#: The type tables of RIS, CSL and BibTeX (→ Crossref work type): mscbib.datamodel, the one type table.
