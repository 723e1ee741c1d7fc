"""Library-catalog records (VuFind and OPACs like it), as a browser copy gives them.

The record is a list of ``Label: value`` lines under "Bibliographic Details" ("Main Authors",
"Format", "Language", "Published", "Series", "Subjects", "Online Access", "ISSN", "Summary"…), with
the title as the first line of the page and a truncated abstract above "Full description".
"""

from __future__ import annotations

import re

from ..identifiers import find_dois, normalize_isbn, normalize_issn
from ..model import FailedInput, Record
from ..text import clean_text, person_from_display
from .base import Lines, ReadResult, is_boilerplate

__all__ = ["CatalogRecord"]

_LABEL = re.compile(r"^(?P<label>[A-Z][A-Za-z /]{1,30}?):\s*(?P<value>.*)$")
_PUBLISHED = re.compile(
    r"^(?:(?P<place>[^:]+?)\s*:\s*)?(?P<publisher>.*?)[,\s]*"
    r"(?P<year>(?:1[5-9]|20)\d{2})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?\.?$"
)
_AUTHOR_LABELS = ("main authors", "main author", "authors", "author", "other authors", "corporate author")
_JOURNAL_LABELS = ("series", "journal", "in", "published in", "source", "container")
_MARKERS = ("bibliographic details", "main author", "online access:", "saved in:")


class CatalogRecord:
    name = "catalog"

    def match(self, text: str) -> bool:
        low = text[:6000].lower()
        return sum(m in low for m in _MARKERS) >= 2

    def read(self, text: str, path: str) -> ReadResult:
        page = Lines(text, path, self.name)
        rec = Record(source=page.at(1))
        # the record's labelled lines follow "Bibliographic Details" / "Saved in:"; the title is above them
        marker = next((n for n, line in page.numbered() if line.strip().lower() in ("saved in:", "bibliographic details")),
                      None)
        fields: dict[str, tuple[int, str]] = {}
        for n, line in page.numbered(marker or 1):
            m = _LABEL.match(clean_text(line))
            if m and not is_boilerplate(line):
                label = m.group("label").strip().lower()
                fields.setdefault(label, (n, clean_text(m.group("value"))))

        title = fields.get("title")
        if title and title[1]:
            rec.set("title", title[1], page.at(title[0]))
        else:
            for n, line in page.numbered(1, (marker - 1) if marker else None):
                s = clean_text(line)
                if s and not is_boilerplate(s) and (marker or not _LABEL.match(s)):
                    rec.set("title", s, page.at(n))
                    break

        people: list = []
        first_author_line = None
        for label in _AUTHOR_LABELS:
            if label in fields and fields[label][1]:
                n, value = fields[label]
                first_author_line = first_author_line or n
                people += [person_from_display(a) for a in value.split(";" if ";" in value else ",") if a.strip()]
        if people:
            rec.set("authors", people, page.at(first_author_line))
            rec.set("authors_complete", True, page.at(first_author_line))

        for label in _JOURNAL_LABELS:
            if label in fields and fields[label][1]:
                n, value = fields[label]
                rec.set("journal", value, page.at(n))
                break

        if "published" in fields:
            n, value = fields["published"]
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
            rec.set("type", fields["format"][1], page.at(fields["format"][0]))
        if "language" in fields and fields["language"][1]:
            rec.set("language", fields["language"][1], page.at(fields["language"][0]))
        if "subjects" in fields and fields["subjects"][1]:
            n, value = fields["subjects"]
            rec.set("keywords", [s.strip() for s in re.split(r";|,", value) if s.strip()], page.at(n))

        for label in ("online access", "doi", "url"):
            if label in fields:
                n, value = fields[label]
                dois = find_dois(value)
                if dois:
                    rec.set("doi", dois[0], page.at(n))
                    break

        if "issn" in fields:
            n, value = fields["issn"]
            # a wrong check digit is kept as printed, for validation to report
            issns = [normalize_issn(x) or x.upper() for x in re.findall(r"\b\d{4}-?\d{3}[\dXx]\b", value)]
            rec.set("issn", issns, page.at(n))
        if "isbn" in fields:
            n, value = fields["isbn"]
            isbns = [normalize_isbn(x) or x for x in re.findall(r"\b[\dXx-]{10,17}\b", value)]
            rec.set("isbn", isbns, page.at(n))

        for label in ("summary", "abstract"):
            if label in fields and fields[label][1]:
                n, value = fields[label]
                # VuFind keeps the publisher's "Abstract" heading glued to the text
                value = re.sub(r"^Abstract\s+(?=[A-Z])", "", value)
                rec.set("abstract", value, page.at(n))
                break

        result = ReadResult()
        if rec.title or rec.doi:
            result.records.append(rec)
        else:
            result.failures.append(FailedInput(path, "a catalog record, but neither a title nor a DOI could be found"))
        return result
