"""RIS exports (``TY  - JOUR`` … ``ER  -``), as Zotero, EndNote, Mendeley, publishers and PubMed write them.

Several records per file. Tags are read in the common dialects: the journal from ``T2``/``JF``/``JO``,
its abbreviation from ``J2``/``JA``/``J1``; dates from ``PY``/``Y1``/``DA``; ``SN`` holds ISSNs or ISBNs
(told apart by shape). Lines outside a record, and a record that is never closed, are reported with
their line; the rest of the file is still read. The ``ID`` is the record's citation key (as mscbib, JabRef and
Mendeley write it; not EndNote's record numbers), and the ``N1`` note mscbib writes on a record's citations
(``Cites (mscbib):`` …, :func:`mscbib.model.zotero_note`) gives back its cited references and keys.
"""

from __future__ import annotations

import re

from ..datamodel import RIS_TYPES
from ..identifiers import find_dois, normalize_doi, normalize_pmcid, normalize_pmid
from ..model import CITED_BY_LABEL, CITES_LABEL, FailedInput, Person, Record
from ..text import clean_text, person_from_vancouver
from ._common import join_pages, parse_date, person_from_inverted, split_issn_isbn, work_type
from .base import CitesNote, Lines, ReadResult, given_key, read_cites_note

__all__ = ["RisFile", "parse_ris"]

_TAG = re.compile(r"^(?P<tag>[A-Z][A-Z0-9])  ?-(?: (?P<value>.*))?$")


def parse_ris(text: str):
    """Yield ``(start_line, [(tag, value, line)], closed)`` per record, and ``(line, None, reason)`` for
    lines that belong to no record. A value's continuation lines are joined to it with newlines."""
    current: list[list] | None = None
    start = 0
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip().lstrip("\ufeff")
        m = _TAG.match(line)
        if m:
            tag, value = m.group("tag"), (m.group("value") or "").strip()
            if tag == "TY":
                if current is not None:
                    yield start, current, False
                current, start = [[tag, value, n]], n
            elif current is None:
                yield n, None, f"RIS tag {tag} outside a record (no TY line before it)"
            elif tag == "ER":
                yield start, current, True
                current = None
            else:
                current.append([tag, value, n])
        elif line.strip():
            if current is not None and current:
                # a wrapped value, or a note of several lines (mscbib's Cites note): its lines kept, to be folded
                # into one by the fields that are one line (_record)
                current[-1][1] = (current[-1][1] + "\n" + line.strip()).strip()
            else:
                yield n, None, "text outside a RIS record"
    if current is not None:
        yield start, current, False


#: the note mscbib's own RIS / CSL-JSON writers add for a list the source cut with "et al."
_INCOMPLETE = re.compile(r"\bAuthor list incomplete\b", re.IGNORECASE)


def _ris_person(value: str) -> Person:
    """RIS writes ``Family, Given``; a comma-less name is Vancouver (``Smith JA``) or an organisation."""
    if "," in value:
        return person_from_inverted(value)
    if re.fullmatch(r"[^\W\d_][\w'’ -]*\s[A-Z]{1,3}", value):
        return person_from_vancouver(value)
    return Person(family="", literal=value)


class RisFile:
    name = "ris"

    def match(self, text: str) -> bool:
        head = text.lstrip("\ufeff \n\r\t")[:3000]
        if "TY  - " not in head and "TY - " not in head:  # what the pattern below needs: one scan, no pattern
            return False
        first = re.search(r"^TY  ?- ", head, re.M)  # a stray export header may come before it
        return (
            first is not None
            and head.count("\n", 0, first.start()) < 5
            and len(re.findall(r"^[A-Z][A-Z0-9]  ?-(?: |$)", head, re.M)) >= 2
        )

    def read(self, text: str, path: str) -> ReadResult:
        page = Lines(text, path, self.name)
        result = ReadResult()
        for start, tags, closed in parse_ris(text):
            if tags is None:
                result.failures.append(FailedInput(path, closed, line=start, raw=page[start]))
                continue
            rec = self._record(page, start, tags)
            # an entry its key names is kept as it is (a cited work known by its journal and year alone)
            if rec.title or rec.doi or rec.authors or rec.key:
                result.records.append(rec)
            elif closed:  # never dropped unsaid (an unclosed one is reported below)
                result.failures.append(
                    FailedInput(path, "RIS record with neither a title, a DOI, an author nor a key", line=start)
                )
            if not closed:
                result.failures.append(
                    FailedInput(
                        path,
                        "RIS record not closed by an ER line" + (" (read as far as it goes)" if rec.values else ""),
                        line=start,
                    )
                )
        return result

    def _record(self, page: Lines, start: int, tags: list) -> Record:
        rec = Record(source=page.at(start, origin=self.name))
        first: dict[str, tuple[str, int]] = {}
        many: dict[str, list[tuple[str, int]]] = {}
        noted = CitesNote()
        for tag, value, n in tags:
            if tag == "N1" and (CITES_LABEL in value or CITED_BY_LABEL in value):
                # mscbib's note on the citations (model.zotero_note): read back, and not scanned for this
                # record's own identifiers (a cited work's DOI or PMCID is not this work's)
                note = read_cites_note(clean_text(value), page.at(n, self.name))
                noted.references += note.references
                noted.cites += note.cites
                noted.cited_by += note.cited_by
                continue
            value = clean_text(" ".join(value.split("\n")))
            if value:
                first.setdefault(tag, (value, n))
                many.setdefault(tag, []).append((value, n))

        def put(field, *names, convert=lambda v: v):
            for t in names:
                if t in first:
                    rec.set_if_absent(field, convert(first[t][0]), page.at(first[t][1], self.name))
                    return

        kind = first.get("TY", ("", start))[0].upper()
        rec.set("type", work_type(kind, RIS_TYPES), page.at(start, self.name))
        put("title", "TI", "T1", "CT")
        people = many.get("AU") or many.get("A1") or []
        if people:
            rec.set("authors", [_ris_person(v) for v, _ in people], page.at(people[0][1], self.name))
            incomplete = any(_INCOMPLETE.search(v) for t in ("N1", "M1", "N2") for v, _ in many.get(t, []))
            rec.set("authors_complete", not incomplete, page.at(people[0][1], self.name))
        if kind in ("BOOK", "EBOOK", "EDBOOK", "THES", "RPRT"):
            pass  # T2 is a series title there, not a journal
        else:
            put("journal", "JF", "T2", "JO", "BT")
        put("journal_abbrev", "J2", "JA", "J1", "JO")
        if rec.get("journal_abbrev") == rec.get("journal"):
            rec.values.pop("journal_abbrev", None)
        for t in ("PY", "Y1", "DA"):  # not Y2: Zotero and EndNote write the access date there
            if t in first:
                year, month, day = parse_date(first[t][0])
                src = page.at(first[t][1], self.name)
                if year:
                    rec.set("year", year, src)
                    rec.set("month", month, src)
                    rec.set("day", day, src)
                    # PY often holds the year alone while DA has the full date
                    if month is None and "DA" in first and t != "DA":
                        y2, m2, d2 = parse_date(first["DA"][0])
                        if y2 == year and m2:
                            rec.set("month", m2, page.at(first["DA"][1], self.name))
                            rec.set("day", d2, page.at(first["DA"][1], self.name))
                    break
        put("volume", "VL")
        put("issue", "IS", "CP")
        if "SP" in first:
            rec.set(
                "pages", join_pages(first["SP"][0], first.get("EP", ("", 0))[0]), page.at(first["SP"][1], self.name)
            )
        for t in ("DO", "DI", "M3", "UR", "L3", "N1"):
            for value, n in many.get(t, []):
                doi = normalize_doi(value) if t in ("DO", "DI") else next(iter(find_dois(value)), None)
                if doi and (t in ("DO", "DI", "UR", "L3") or value.lower().startswith(("doi", "10.", "http"))):
                    rec.set_if_absent("doi", doi, page.at(n, self.name))
            if "doi" in rec:
                break
        if "SN" in many:
            issns, isbns = split_issn_isbn([v for v, _ in many["SN"]])
            src = page.at(many["SN"][0][1], self.name)
            rec.set("issn", issns, src)
            rec.set("isbn", isbns, src)
        put("publisher", "PB")
        put("language", "LA")
        put("abstract", "AB", "N2")
        put("url", "UR")
        kws = many.get("KW", [])
        if kws:
            words = [w.strip() for v, _ in kws for w in (v.split(";") if ";" in v else [v]) if w.strip()]
            rec.set("keywords", words, page.at(kws[0][1], self.name))
        # PubMed's RIS export: "AN  - 20490640" with "DB  - PubMed"; Zotero: "C2  - PMC6396496"
        db = first.get("DB", ("", 0))[0].lower()
        if "AN" in first and "pubmed" in db:
            rec.set("pmid", normalize_pmid(first["AN"][0]), page.at(first["AN"][1], self.name))
        for t in ("C2", "C7", "M2", "N1"):
            for value, n in many.get(t, []):
                m = re.search(r"\bPMC\d+\b", value)
                if m:
                    rec.set_if_absent("pmcid", normalize_pmcid(m.group(0)), page.at(n, self.name))
                m = re.search(r"\bPMID:\s*(\d+)", value)
                if m:
                    rec.set_if_absent("pmid", normalize_pmid(m.group(1)), page.at(n, self.name))
        rec.key = given_key(first["ID"][0]) if "ID" in first else None  # mscbib's, JabRef's, Mendeley's key
        rec.references, rec.cites, rec.cited_by = noted.references, list(dict.fromkeys(noted.cites)), noted.cited_by
        return rec
