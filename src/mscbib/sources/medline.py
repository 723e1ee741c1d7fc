"""MEDLINE / .nbib: PubMed's "Save → PubMed format" export.

``TAG - value`` lines with four-character tags (``PMID- 20490640``, ``TI  - ...``); a value continues on
lines indented by six spaces; records are separated by blank lines. ``FAU`` (full names) is preferred to
``AU``; ``CN`` (a group author) keeps its place among them; ``LID``/``AID`` with ``[doi]`` give the DOI;
``CIN``/``EIN``/``RIN``/``UIN`` are comment, erratum, retraction and update notices.
"""

from __future__ import annotations

import re

from ..identifiers import normalize_doi, normalize_pmcid, normalize_pmid, rejoin_wrapped_dois
from ..model import FailedInput, Person, Record
from ..text import clean_text, normalize_pages, person_from_vancouver
from ._common import iso_date, parse_date, person_from_inverted, pubmed_work_type, split_issn_isbn
from .base import Lines, ReadResult

__all__ = ["MedlineFile", "parse_medline"]

_TAG = re.compile(r"^(?P<tag>[A-Z][A-Z0-9]{1,3})\s*- (?P<value>.*)$")
_PHST = re.compile(r"^(?P<date>\d{4}/\d{2}/\d{2})(?:\s+\d{2}:\d{2})?\s+\[(?P<kind>[a-z-]+)\]$")
_PHST_FIELD = {"received": "received", "accepted": "accepted", "epublish": "published", "aheadofprint": "published"}
_NOTICES = {
    "CIN": "Comment in",
    "CON": "Comment on",
    "EIN": "Erratum in",
    "EFR": "Erratum for",
    "RIN": "Retraction in",
    "ROF": "Retraction of",
    "UIN": "Update in",
    "UOF": "Update of",
    "ECI": "Expression of concern in",
    "RPI": "Republished in",
    "RPF": "Republished from",
}


def parse_medline(text: str):
    """Yield ``(start_line, [(tag, value, line)])`` per record, and ``(line, None)`` for stray lines."""
    records: list = []
    current: list[list] = []
    start, has_pmid = 0, False
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip().lstrip("\ufeff")
        if not line.strip():
            if current:
                yield start, current
                current = []
            continue
        m = _TAG.match(line)
        if m and len(line) > 5 and line[4] == "-":
            if m.group("tag") == "PMID" and current and has_pmid:
                # a second PMID: the next record, joined without a blank line (``cat a.nbib b.nbib``)
                yield start, current
                current = []
            if not current:
                start, has_pmid = n, False
            has_pmid = has_pmid or m.group("tag") == "PMID"
            current.append([m.group("tag"), m.group("value").strip(), n])
        elif current and raw.startswith("      "):
            # a continuation line; a DOI broken at the wrap is put back together without the space
            joined = rejoin_wrapped_dois(f"{current[-1][1]}\n{line.strip()}")
            current[-1][1] = joined.rstrip("\n") if joined.endswith("\n") else joined.replace("\n", " ")
        else:
            yield n, None
    if current:
        yield start, current
    return records


class MedlineFile:
    name = "medline"
    #: a blank line ends a MEDLINE record: wrapped DOIs are rejoined within continuation lines instead
    rejoins_wrapped_dois = False

    def match(self, text: str) -> bool:
        head = text.lstrip("\ufeff \n\r\t")[:2000]
        if "PMID-" not in head:  # what both patterns below need: one scan, no pattern
            return False
        return (
            bool(re.match(r"PMID- ?\d", head))
            or bool(re.search(r"^PMID- \d+\s*$", head, re.M))
            and bool(re.search(r"^(?:TI|FAU|AU)\s*- ", head, re.M))
        )

    def read(self, text: str, path: str) -> ReadResult:
        page = Lines(text, path, self.name)
        result = ReadResult()
        for start, tags in parse_medline(text):
            if tags is None:
                result.failures.append(
                    FailedInput(path, "not a MEDLINE tag line (TAG - value)", line=start, raw=page[start])
                )
                continue
            rec = self._record(page, start, tags)
            if rec.title or rec.doi or rec.get("pmid"):
                result.records.append(rec)
            else:
                result.failures.append(FailedInput(path, "MEDLINE record with no PMID, title or DOI", line=start))
        return result

    def _record(self, page: Lines, start: int, tags: list) -> Record:
        at = lambda n: page.at(n, self.name)  # noqa: E731
        rec = Record(source=at(start))
        first: dict[str, tuple[str, int]] = {}
        many: dict[str, list[tuple[str, int]]] = {}
        for tag, value, n in tags:
            value = clean_text(value)
            first.setdefault(tag, (value, n))
            many.setdefault(tag, []).append((value, n))

        def put(field, tag, convert=lambda v: v):
            if tag in first and first[tag][0]:
                rec.set_if_absent(field, convert(first[tag][0]), at(first[tag][1]))

        put("pmid", "PMID", normalize_pmid)
        put("pmcid", "PMC", normalize_pmcid)
        put("title", "TI", lambda v: v.rstrip(".") if not v.endswith("..") else v)
        if "title" not in rec:
            put("title", "BTI")
        # authors, in order: FAU (or AU when there is no FAU) and CN group names
        people: list[Person] = []
        first_line = None
        use_full = "FAU" in first
        for tag, value, n in tags:
            if (tag == "FAU" and use_full) or (tag == "AU" and not use_full):
                people.append(person_from_inverted(value) if "," in value else person_from_vancouver(value))
            elif tag == "CN":
                people.append(Person(family="", literal=clean_text(value)))
            else:
                continue
            first_line = first_line or n
        if people:
            rec.set("authors", people, at(first_line))
            rec.set("authors_complete", True, at(first_line))
        put("journal", "JT")
        put("journal_abbrev", "TA")
        if "DP" in first:
            year, month, day = parse_date(first["DP"][0])
            src = at(first["DP"][1])
            rec.set("year", year, src)
            rec.set("month", month, src)
            rec.set("day", day, src)
        put("volume", "VI")
        put("issue", "IP")
        put("pages", "PG", normalize_pages)
        for tag in ("LID", "AID"):
            for value, n in many.get(tag, []):
                if value.endswith("[doi]"):
                    rec.set_if_absent("doi", normalize_doi(value[:-5]), at(n))
        if "IS" in many:
            issns, isbns = split_issn_isbn([v for v, _ in many["IS"]])
            rec.set("issn", issns, at(many["IS"][0][1]))
            rec.set("isbn", isbns, at(many["IS"][0][1]))
        if "ISBN" in many:
            rec.set("isbn", split_issn_isbn([v for v, _ in many["ISBN"]])[1], at(many["ISBN"][0][1]))
        put("publisher", "PB")
        put("language", "LA")
        # the article's history: PHST "2018/10/03 00:00 [received]"; DEP (electronic publication) or PHST
        # [epublish] / [aheadofprint] for the first publication
        for tag, value, n in tags:
            hm = _PHST.match(value) if tag == "PHST" else None
            if hm and hm.group("kind") in _PHST_FIELD:
                rec.set_if_absent(_PHST_FIELD[hm.group("kind")], iso_date(hm.group("date")), at(n))
        if "DEP" in first:
            rec.set("published", iso_date(first["DEP"][0]), at(first["DEP"][1]))
        put("abstract", "AB")
        types = [v for v, _ in many.get("PT", [])]
        if types:
            rec.set("type", pubmed_work_type(types), at(many["PT"][0][1]))
            rec.set("publication_types", types, at(many["PT"][0][1]))
        if "OT" in many:
            rec.set("keywords", [v for v, _ in many["OT"]], at(many["OT"][0][1]))
        if "MH" in many:
            rec.set("mesh", [v for v, _ in many["MH"]], at(many["MH"][0][1]))
        notices = [(f"{_NOTICES[t]}: {v}", n) for t, v, n in tags if t in _NOTICES]
        if notices:
            rec.set("notices", [t for t, _ in notices], at(notices[0][1]))
        return rec
