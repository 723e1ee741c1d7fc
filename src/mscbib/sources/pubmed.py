"""PubMed abstract pages, as a browser's "copy all" gives them.

What such a page holds, in order: site chrome, publication-type labels, the citation line
(``Cancer Metastasis Rev. 2010 Jun;29(2):249-61.``; its journal link is often lost in the copy,
leaving ``. 2010 Jun;29(2):249-61.``, or the short form ``, 14 (2), 129-141``), ``doi:``, the title
(printed twice), the author line (``Scott A Bergfeld et al. Cancer Metastasis Rev. 2010 Jun.``, or the
full list with affiliation numbers), the abstract, ``Keywords:``, figures, "Similar articles" and
"Cited by" blocks, and the numbered reference list with ``- PMC - PubMed`` link labels.
"""

from __future__ import annotations

import re

from ..identifiers import normalize_doi, normalize_pmcid, normalize_pmid
from ..model import FailedInput, Record
from ..text import clean_text, normalize_pages, parse_month, person_from_display
from .base import Lines, ReadResult, is_boilerplate
from .refstring import parse_reference

__all__ = ["PubMedPage"]

# Cancer Metastasis Rev. 2010 Jun;29(2):249-61.   /   . 2010 Jun;29(2):249-61.
_CITATION = re.compile(
    r"^(?P<journal>[^;]*?)\.?\s*(?P<year>(?:1[89]|20)\d{2})(?:\s+(?P<month>[A-Z][a-z]{2})(?:\s+(?P<day>\d{1,2}))?)?"
    r"(?:;(?P<volume>[^(:;]+)?(?:\((?P<issue>[^)]+)\))?)?(?::(?P<pages>[^.;\s]+))?\.?"
    r"(?:\s+doi:\s*(?P<doi>\S+?))?\.?(?:\s+Epub.*)?$"
)
# , 14 (2), 129-141
_SHORT_CITATION = re.compile(
    r"^(?P<journal>[^,]*),\s*(?P<volume>[\w.-]+)\s*(?:\((?P<issue>[^)]+)\))?,\s*(?P<pages>[A-Za-z]?\d+(?:-[A-Za-z]?\d+)?)$"
)
_DOI_LINE = re.compile(r"^doi:\s*(?P<doi>10\.\S+?)\.?$", re.IGNORECASE)
_PMID_LINE = re.compile(r"^PMID:\s*(?P<pmid>\d+)", re.IGNORECASE)
_PMCID_LINE = re.compile(r"(?:^|\s)PMCID:\s*(?P<pmcid>PMC\d+)", re.IGNORECASE)
# Scott A Bergfeld et al. Cancer Metastasis Rev. 2010 Jun.
_ETAL_LINE = re.compile(
    r"^(?P<first>[^\d,.;]+?)\s+et al\.\s+(?P<journal>[^.]+(?:\.[^.\d]+)*?)\.(?:\s+(?P<date>\d{4}[^.]*)\.?)?$"
)
_FULL_AUTHOR = re.compile(r"^[^\W\d_][\w.'’ -]*[^\W\d_]\.?\s*(?:\d+(?:,\s*\d+)*)?$", re.UNICODE)
_KEYWORDS = re.compile(r"^Keywords?:\s*(?P<kw>.+)$", re.IGNORECASE)
_REF_ITEM = re.compile(r"^\s*(?:\d+\.|\[\d+\])\s+\S")
_PUBLICATION_TYPES = frozenset(
    t.lower()
    for t in (
        "Review", "Systematic Review", "Meta-Analysis", "Randomized Controlled Trial", "Clinical Trial",
        "Case Reports", "Editorial", "Comment", "Letter", "Comparative Study", "Observational Study",
        "Multicenter Study", "Retracted Publication", "Published Erratum", "Practice Guideline", "Guideline",
        "Journal Article", "News", "Preprint", "Clinical Trial, Phase II", "Clinical Trial, Phase III",
    )
)
# where the header (own metadata) ends and lists of other works begin
_SECTION_END = re.compile(
    r"^(?:PubMed Disclaimer|Similar articles|Cited by \d+ articles?|References|Publication types|MeSH terms|"
    r"Substances|LinkOut - more resources|Grants and funding|Figures|Comment in|Erratum in)\b",
    re.IGNORECASE,
)


class PubMedPage:
    name = "pubmed"

    def match(self, text: str) -> bool:
        head = text[:4000]
        if "NCBI Homepage" in head or "PubMed Disclaimer" in text or "- PubMed" in text:
            return True
        return any(_CITATION.match(line.strip()) and ";" in line for line in head.splitlines()[:40])

    def read(self, text: str, path: str) -> ReadResult:
        page = Lines(text, path, self.name)
        rec = Record(source=page.at(1))
        refs_start = self._references_start(page)
        header_end = self._header_end(page, refs_start)

        author_n = self._authors(page, rec, header_end)
        self._citation(page, rec, header_end)
        self._title(page, rec, author_n, header_end)
        self._identifiers(page, rec, header_end)
        self._publication_type(page, rec, header_end)
        self._abstract_and_keywords(page, rec, author_n, refs_start)
        if refs_start:
            for n, line in page.numbered(refs_start):
                if _REF_ITEM.match(line):
                    rec.references.append(parse_reference(line, page.at(n)))
        result = ReadResult()
        if rec.title or rec.doi:
            result.records.append(rec)
        else:
            result.failures.append(FailedInput(path, "a PubMed page, but neither a title nor a DOI could be found"))
        return result

    # -- sections -----------------------------------------------------------------------------
    @staticmethod
    def _references_start(page: Lines) -> int | None:
        """The line of the first item of the printed reference list (never inside Similar/Cited by)."""
        in_other_works = False
        for n, line in page.numbered():
            s = line.strip()
            low = s.lower()
            if low == "similar articles" or re.match(r"^cited by \d+ articles?$", low):
                in_other_works = True
            elif low.startswith("see all"):
                in_other_works = False
            elif low == "references":
                in_other_works = False
            elif not in_other_works and _REF_ITEM.match(line) and (
                re.search(r"-\s*(?:PubMed|PMC|DOI)\s*$", s) or re.search(r"\b(?:19|20)\d{2};", s)
            ):
                return n
        return None

    @staticmethod
    def _header_end(page: Lines, refs_start: int | None) -> int:
        stop = (refs_start - 1) if refs_start else len(page)
        for n, line in page.numbered(1, stop):
            if _SECTION_END.match(line.strip()) and n > 3:
                return n - 1
        return stop

    @staticmethod
    def _authors(page: Lines, rec: Record, stop: int) -> int | None:
        for n, line in page.numbered(1, stop):
            s = clean_text(line)
            m = _ETAL_LINE.match(s)
            if m:
                rec.set("authors", [person_from_display(m.group("first"))], page.at(n))
                rec.set("authors_complete", False, page.at(n))
                rec.set("journal_abbrev", clean_text(m.group("journal")), page.at(n))
                date = m.group("date")
                if date:
                    dm = re.match(r"(\d{4})(?:\s+([A-Z][a-z]{2}))?", date)
                    if dm:
                        rec.set_if_absent("year", dm.group(1), page.at(n))
                        month = parse_month(dm.group(2)) if dm.group(2) else None
                        if month:
                            rec.set_if_absent("month", month, page.at(n))
                return n
            # full author line: "Scott A Bergfeld 1, Yves A DeClerck 2"
            if "," in s and not s.endswith(".") and len(s) < 2000:
                parts = [p.strip() for p in s.split(",")]
                if len(parts) >= 2 and all(_FULL_AUTHOR.match(p) and 1 < len(p.split()) <= 6 for p in parts) \
                        and any(re.search(r"\d$", p) for p in parts):
                    names = [re.sub(r"\s*\d+(?:,\s*\d+)*$", "", p) for p in parts]
                    rec.set("authors", [person_from_display(x) for x in names], page.at(n))
                    rec.set("authors_complete", True, page.at(n))
                    return n
        return None

    @staticmethod
    def _citation(page: Lines, rec: Record, stop: int) -> None:
        for n, line in page.numbered(1, stop):
            s = clean_text(line)
            m = _CITATION.match(s)
            if m and (";" in s or m.group("pages")) and not _ETAL_LINE.match(s):
                src = page.at(n)
                journal = (m.group("journal") or "").strip(" .")
                if journal:
                    rec.set_if_absent("journal_abbrev", journal, src)
                rec.set("year", m.group("year"), src)
                if m.group("month"):
                    rec.set("month", parse_month(m.group("month")), src)
                if m.group("day"):
                    rec.set("day", int(m.group("day")), src)
                rec.set("volume", (m.group("volume") or "").strip() or None, src)
                rec.set("issue", m.group("issue"), src)
                rec.set("pages", normalize_pages(m.group("pages")), src)
                if m.group("doi"):
                    rec.set("doi", normalize_doi(m.group("doi")), src)
                return
            m = _SHORT_CITATION.match(s)
            if m:
                src = page.at(n)
                journal = m.group("journal").strip(" .")
                if journal:
                    rec.set_if_absent("journal_abbrev", journal, src)
                rec.set("volume", m.group("volume"), src)
                rec.set("issue", m.group("issue"), src)
                rec.set("pages", normalize_pages(m.group("pages")), src)
                return

    @staticmethod
    def _title(page: Lines, rec: Record, author_n: int | None, stop: int) -> None:
        """The title is the line just above the author line; PubMed prints it twice, and we cite the first."""
        if author_n:
            n = author_n - 1
            while n > 0 and not page[n].strip():
                n -= 1
            if n > 0 and not is_boilerplate(page[n]):
                title = clean_text(page[n])
                first = next((k for k, line in page.numbered(1, n) if clean_text(line) == title), n)
                rec.set("title", title, page.at(first))
                return
        # no author line: a line that is printed twice is the title
        seen: dict[str, int] = {}
        for n, line in page.numbered(1, stop):
            s = clean_text(line)
            if len(s) < 15 or is_boilerplate(s) or _CITATION.match(s):
                continue
            if s in seen:
                rec.set("title", s, page.at(seen[s]))
                return
            seen[s] = n

    @staticmethod
    def _identifiers(page: Lines, rec: Record, stop: int) -> None:
        for n, line in page.numbered(1, stop):
            s = clean_text(line)
            m = _DOI_LINE.match(s)
            if m and "doi" not in rec:
                rec.set("doi", normalize_doi(m.group("doi")), page.at(n))
            m = _PMID_LINE.match(s)
            if m and "pmid" not in rec:
                rec.set("pmid", normalize_pmid(m.group("pmid")), page.at(n))
            m = _PMCID_LINE.search(s)
            if m and "pmcid" not in rec:
                rec.set("pmcid", normalize_pmcid(m.group("pmcid")), page.at(n))

    @staticmethod
    def _publication_type(page: Lines, rec: Record, stop: int) -> None:
        for n, line in page.numbered(1, stop):
            s = clean_text(line)
            if s.lower() in _PUBLICATION_TYPES:
                rec.set("type", s, page.at(n))
                return

    @staticmethod
    def _abstract_and_keywords(page: Lines, rec: Record, author_n: int | None, refs_start: int | None) -> None:
        start = (author_n or 0) + 1
        stop = (refs_start - 1) if refs_start else len(page)
        paragraphs: list[tuple[int, str]] = []
        for n, line in page.numbered(start, stop):
            s = clean_text(line)
            km = _KEYWORDS.match(s)
            if km:
                words = [clean_text(k).rstrip(".") for k in re.split(r";|,(?![^()]*\))", km.group("kw"))]
                rec.set("keywords", [w for w in words if w], page.at(n))
                break
            if _SECTION_END.match(s) or (s.lower().startswith("copyright") or s.startswith("©")):
                break
            if not s or is_boilerplate(s) or (author_n is None and s == rec.title):
                continue
            if len(s) > 40 or paragraphs:
                paragraphs.append((n, s))
        if paragraphs and author_n is not None:
            rec.set("abstract", "\n\n".join(p for _, p in paragraphs), page.at(paragraphs[0][0]))
