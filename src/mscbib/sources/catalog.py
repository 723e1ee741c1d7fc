"""Library-catalog records (VuFind and OPACs like it), as a browser copy gives them.

The record is a list of ``Label: value`` lines under "Bibliographic Details" ("Main Authors",
"Format", "Language", "Published", "Series", "Subjects", "Online Access", "ISSN", "Summary"…), with
the title as the first line of the page and a truncated abstract above "Full description".
"""

from __future__ import annotations

import re

from ..identifiers import find_dois, normalize_isbn, normalize_issn, normalize_pmid
from ..model import Record
from ..text import clean_text, normalize_pages, person_from_display
from ._common import CATALOG_FORMATS, Markers, lowered_head, person_from_inverted, work_type
from .base import Lines, ReadResult, is_boilerplate, one_record

__all__ = ["CatalogRecord"]

_LABEL_PAREN = re.compile(r"^(?P<label>[A-Z][A-Za-z ]{1,20}\(s\)):\s*(?P<value>.*)$")
_LABEL = re.compile(r"^(?P<label>[A-Z][A-Za-z /]{1,30}?):\s*(?P<value>.*)$")
_PUBLISHED = re.compile(
    r"^(?:(?P<place>[^:]+?)\s*:\s*)?(?P<publisher>.*?)[,\s]*"
    r"(?P<year>(?:1[5-9]|20)\d{2})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?\.?$"
)
_AUTHOR_LABELS = (
    "main authors",
    "main author",
    "authors",
    "author",
    "author(s)",
    "by",
    "creator",
    "creators",
    "other authors",
    "corporate author",
)
_JOURNAL_LABELS = (
    "series",
    "journal",
    "journal title",
    "publication title",
    "in",
    "published in",
    "is part of",
    "source",
    "host item",
    "container",
)
_PUBLISHED_LABELS = ("published", "publication details", "publication", "publisher", "imprint")
_MARKERS = (
    "bibliographic details",
    "main author",
    "online access:",
    "saved in:",
    "material type:",
    "publication details:",
    "place hold",
    "oclc number",
    "is part of",
    "holdings",
    "call number",
    "subject(s):",
    "accession number:",
    "record details",
    "find it",
    "request item",
    "physical description:",
    "permalink",
    "peer reviewed",
    "details for:",
    "send to",
)
#: the markers grouped under the words they share: one search per group the page lacks
_MARKER_SET = Markers(_MARKERS)
#: labels that may stand alone on a line, their value on the next (Primo, EBSCO "Record details")
_BARE_LABELS = frozenset(
    (
        "title",
        "author",
        "authors",
        "creator",
        "creators",
        "is part of",
        "source",
        "identifier",
        "subject",
        "subjects",
        "description",
        "publisher",
        "creation date",
        "language",
        "format",
        "type",
        "journal",
        "issn",
        "isbn",
        "doi",
        "publication year",
        "publication date",
    )
)
_FORMAT_WORDS = frozenset(
    (
        "book",
        "print book",
        "ebook",
        "e-book",
        "article",
        "journal article",
        "journal",
        "thesis",
        "dissertation",
        "video",
        "audiobook",
        "map",
        "score",
    )
)
_KNOWN_LABELS = (
    _BARE_LABELS
    | frozenset(_AUTHOR_LABELS + _JOURNAL_LABELS + _PUBLISHED_LABELS)
    | frozenset(
        (
            "subjects",
            "subject(s)",
            "online access",
            "summary",
            "abstract",
            "tags",
            "document type",
            "subject terms",
            "accession number",
            "database",
            "material type",
            "edition",
            "ddc classification",
            "physical description",
            "oclc number",
            "genre/form",
            "notes",
            "url",
            "links",
            "online resources",
            "peer reviewed",
        )
    )
)
_CONTAINER = re.compile(r"^(?P<journal>.+?)(?:\.|,)\s+(?=.*\b(?:Vol|Volume|v)\b\.?\s*\d|.*\b(?:19|20)\d{2}\b)")


_GLUED_LABEL = re.compile(r"^(?:Online Access|Subjects|Format|Language|Published|Main Authors?|Published in)(?=[A-Z])")


class CatalogRecord:
    name = "catalog"

    def match(self, text: str) -> bool:
        low = lowered_head(text, 8000)
        return _MARKER_SET.count(low) >= 2

    @staticmethod
    def _container(rec: Record, value: str, src) -> None:
        """``Nature (London), 2015-05-28, Vol.521 (7553), p.436-444`` (Primo), ``Nature. 5/28/2015, Vol. 521
        Issue 7553, p436-444. 9p.`` (EBSCO), or a plain journal title (VuFind's "Series")."""
        m = _CONTAINER.match(value)
        if not m:
            rec.set("journal", value, src)
            return
        rec.set("journal", m.group("journal").strip(), src)
        rest = value[m.end() :]
        vm = re.search(r"\b(?:Vol|Volume|v)\.?\s*(\w+)", rest)
        im = re.search(r"(?:\bIssue|\bNo|\bn)\.?\s*(\w+)|\((\w+)\)", rest)
        pm = re.search(r"\b(?:pp?|pages?)\.?\s*([A-Za-z]{0,3}\d+(?:\s*[-–]\s*[A-Za-z]{0,3}\d+)?)", rest)
        ym = re.search(r"\b(1[5-9]\d{2}|20\d{2})\b", rest)
        if vm:
            rec.set("volume", vm.group(1), src)
        if im:
            rec.set("issue", im.group(1) or im.group(2), src)
        if pm:
            rec.set("pages", normalize_pages(pm.group(1)), src)
        if ym:
            rec.set_if_absent("year", ym.group(1), src)

    def read(self, text: str, path: str) -> ReadResult:
        page = Lines(text, path, self.name)
        rec = Record(source=page.at(1))
        # the record's labelled lines follow "Bibliographic Details" / "Saved in:"; the title is above them
        marker = next(
            (n for n, line in page.numbered() if line.strip().lower() in ("saved in:", "bibliographic details")), None
        )
        fields: dict[str, tuple[int, str]] = {}

        def is_label(k: int) -> bool:
            t = page.clean(k)
            if _GLUED_LABEL.match(t):
                return True  # "Online AccessGet full text": VuFind's label and link run together by the copy
            lm = _LABEL.match(t) or _LABEL_PAREN.match(t)
            return (lm is not None and lm.group("label").strip().lower() in _KNOWN_LABELS) or t.lower() in _KNOWN_LABELS

        def value_lines(n: int, bare: bool) -> tuple[int, str] | None:
            """A label alone on line n-1: its value is the following lines up to the next label or blank.
            After a bare label (Primo's "Identifier") the first line is the value even if it has a colon."""
            vals: list[str] = []
            k = n
            while (
                k <= len(page)
                and page.clean(k)
                and len(vals) < 40
                and (
                    not is_label(k)
                    or (
                        bare
                        and not vals
                        and page.clean(k).lower() not in _KNOWN_LABELS
                        and not _GLUED_LABEL.match(page.clean(k))
                    )
                )
            ):
                vals.append(page.clean(k))
                k += 1
            return (n, " ; ".join(vals)) if vals else None

        for n, line in page.numbered(marker or 1):
            s = page.clean(n)
            m = _LABEL.match(s) or _LABEL_PAREN.match(s)
            label = m.group("label").strip().lower() if m else s.lower()
            if m and not is_boilerplate(line) and clean_text(m.group("value")):
                fields.setdefault(label, (n, clean_text(m.group("value"))))
            elif (
                (m or s.lower() in _BARE_LABELS)
                and label in _KNOWN_LABELS
                and n < len(page)
                and not is_boilerplate(line)
                and label not in fields
            ):
                got = value_lines(n + 1, bare=not m)
                if got:
                    fields[label] = got
        # Koha's breadcrumb: "Home › Details for: The structure of scientific revolutions"
        for n, line in page.numbered(1, min(len(page), 40)):
            dm = re.search(r"\bDetails for:\s*(?P<title>.+)$", page.clean(n))
            if dm:
                fields.setdefault("title", (n, dm.group("title")))
                break
        if "title" in fields:
            n, value = fields["title"]
            fields["title"] = (n, re.sub(r"\s+/\s+.*$", "", value).rstrip(" ./:"))

        title = fields.get("title")
        if title and title[1]:
            rec.set("title", title[1], page.at(title[0]))
        elif marker is None and any(lb in fields for lb in _AUTHOR_LABELS):
            # WorldCat-like: the title is the heading just above the first labelled line, below a format word
            first_label = min(fields[lb][0] for lb in fields)
            for n in range(first_label - 1, 0, -1):
                s = page.clean(n)
                if s and not is_boilerplate(s) and s.lower() not in _FORMAT_WORDS:
                    rec.set("title", re.sub(r"\s+/\s+.*$", "", s).rstrip(" ./:"), page.at(n))
                    break
        elif marker:
            # VuFind: the title is the heading above "Saved in:", over the truncated description teaser
            for n in range(marker - 1, 0, -1):
                s = page.clean(n)
                if s and not is_boilerplate(s) and not s.endswith(("...", "…")):
                    rec.set("title", s, page.at(n))
                    break
        else:
            for n, line in page.numbered(1, (marker - 1) if marker else None):
                s = page.clean(n)
                if s and not is_boilerplate(s) and (marker or not _LABEL.match(s)):
                    rec.set("title", s, page.at(n))
                    break

        people: list = []
        first_author_line = None
        for label in _AUTHOR_LABELS:
            if label in fields and fields[label][1]:
                n, value = fields[label]
                first_author_line = first_author_line or n
                if ";" in value:
                    names = value.split(";")
                elif value.count(",") == 1 and len(value.split()) <= 5 and label in ("by", "author", "creator"):
                    names = [value]  # "Kuhn, Thomas S": one inverted name
                else:
                    names = value.split(",")
                people += [person_from_inverted(a) if "," in a else person_from_display(a) for a in names if a.strip()]
        if people:
            rec.set("authors", people, page.at(first_author_line))
            rec.set("authors_complete", True, page.at(first_author_line))

        is_book = "isbn" in fields and "issn" not in fields
        for label in _JOURNAL_LABELS:
            if label == "series" and is_book:
                continue  # a book's series is not a journal
            if label in fields and fields[label][1]:
                n, value = fields[label]
                self._container(rec, value, page.at(n))
                break

        published = next((fields[lb] for lb in _PUBLISHED_LABELS if lb in fields and fields[lb][1]), None)
        if published:
            n, value = published
            m = _PUBLISHED.match(value)
            if m:
                src = page.at(n)
                rec.set("publisher", m.group("publisher").strip(" ,:") or None, src)
                rec.set("year", m.group("year"), src)
                if m.group("month"):
                    rec.set("month", int(m.group("month")), src)
                if m.group("day"):
                    rec.set("day", int(m.group("day")), src)

        if "format" in fields and fields["format"][1]:
            rec.set("type", work_type(fields["format"][1], CATALOG_FORMATS), page.at(fields["format"][0]))
        if "language" in fields and fields["language"][1]:
            rec.set("language", fields["language"][1], page.at(fields["language"][0]))
        if "subjects" in fields and fields["subjects"][1]:
            n, value = fields["subjects"]
            rec.set("keywords", [s.strip() for s in re.split(r";|,", value) if s.strip()], page.at(n))

        for label in ("publication year", "creation date", "date", "publication date", "year"):
            if label in fields and "year" not in rec:
                ym = re.search(r"\b(1[5-9]\d{2}|20\d{2})\b", fields[label][1])
                if ym:
                    rec.set("year", ym.group(1), page.at(fields[label][0]))
        for label in ("doi", "online access", "identifier", "url", "online resources", "links"):
            if label in fields:
                n, value = fields[label]
                dois = find_dois(value)
                if dois:
                    rec.set("doi", dois[0], page.at(n))
                    break

        issn_label = next(
            (lb for lb in ("issn", "identifier") if lb in fields and re.search(r"\d{4}-?\d{3}[\dXx]", fields[lb][1])),
            None,
        )
        if "identifier" in fields:  # Primo: "ISSN: 0028-0836 ; EISSN: 1476-4687 ; DOI: 10.1038/x ; PMID: 26017442"
            n, value = fields["identifier"]
            pm = re.search(r"\bPMID:\s*(\d+)", value)
            if pm:
                rec.set("pmid", normalize_pmid(pm.group(1)), page.at(n))
            if issn_label == "identifier":
                value = " ".join(re.findall(r"\bE?ISSN:\s*(\S+)", value))
                fields["identifier"] = (n, value)
        if issn_label:
            n, value = fields[issn_label]
            value = re.sub(r"\b(?:PMID|PMCID|DOI|OCLC)\s*:\s*\S+", " ", value, flags=re.IGNORECASE)
            # a wrong check digit is kept as printed, for validation to report
            issns = [normalize_issn(x) or x.upper() for x in re.findall(r"\b\d{4}-?\d{3}[\dXx]\b", value)]
            rec.set("issn", issns, page.at(n))
        if "isbn" in fields:
            n, value = fields["isbn"]
            isbns = list(dict.fromkeys(normalize_isbn(x) or x for x in re.findall(r"\b[\dXx-]{10,17}\b", value)))
            rec.set("isbn", isbns, page.at(n))

        for label in ("summary", "abstract"):
            if label in fields and fields[label][1]:
                n, value = fields[label]
                # VuFind keeps the publisher's "Abstract" heading glued to the text
                value = re.sub(r"^Abstract\s+(?=[A-Z])", "", value)
                rec.set("abstract", value, page.at(n))
                break

        return one_record(rec, path, "a catalog record")
