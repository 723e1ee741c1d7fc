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
from ..model import FailedInput, Person, Record
from ..text import clean_text, normalize_pages, parse_month, person_from_display
from ._common import iso_date, pubmed_work_type
from .base import Lines, ReadResult, is_boilerplate
from .refstring import parse_citations

__all__ = ["PubMedPage"]

# Cancer Metastasis Rev. 2010 Jun;29(2):249-61.   /   . 2010 Jun;29(2):249-61.
_CITATION = re.compile(
    r"^(?P<journal>[^;]*?)\.?\s*(?P<year>(?:1[89]|20)\d{2})(?:\s+(?P<month>[A-Z][a-z]{2})(?:\s+(?P<day>\d{1,2}))?)?"
    r"(?:;(?P<volume>[^(:;]+)?(?:\((?P<issue>[^)]+)\))?)?(?::(?P<pages>[^.;\s]+))?\.?"
    r"(?:\s+doi:\s*(?P<doi>\S+?))?\.?(?:\s+(?:Epub|Online ahead of print|Print)\b.*)?$"
)
# , 14 (2), 129-141
_SHORT_CITATION = re.compile(
    r"^(?P<journal>[^,]*),\s*(?P<volume>[\w.-]+)\s*(?:\((?P<issue>[^)]+)\))?,\s*(?P<pages>[A-Za-z]?\d+(?:-[A-Za-z]?\d+)?)$"
)
_DOI_LINE = re.compile(r"^doi:\s*(?P<doi>10\.\S+?)\.?(?:\s+(?:Epub|Online ahead of print)\b.*)?$", re.IGNORECASE)
_PMID_DOI_LINE = re.compile(r"\bDOI:\s*(?P<doi>10\.\S+?)\.?(?:\s|$)")
_EPUB = re.compile(r"\bEpub\s+(?P<date>\d{4}(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)?)\b")
_AHEAD = re.compile(r"\b(?:Epub|Online)\s+ahead\s+of\s+print\b|\bEpub\s+\d{4}", re.IGNORECASE)
_NOTICE_HEADS = {
    "comment in": "Comment in",
    "comment on": "Comment on",
    "erratum in": "Erratum in",
    "erratum for": "Erratum for",
    "retraction in": "Retraction in",
    "retraction of": "Retraction of",
    "update in": "Update in",
    "update of": "Update of",
    "expression of concern in": "Expression of concern in",
}
_LIST_END = re.compile(
    r"^(?:Substances|Grants and funding|LinkOut - more resources|Related information|"
    r"Full text links|MeSH terms|Publication types|Similar articles|Cited by \d+ articles?|"
    r"References|Associated data|Supplementary concepts|PubMed Disclaimer|Comment in|Erratum in|"
    r"Retraction in|Update in)$",
    re.IGNORECASE,
)
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
        "Review",
        "Systematic Review",
        "Meta-Analysis",
        "Randomized Controlled Trial",
        "Clinical Trial",
        "Case Reports",
        "Editorial",
        "Comment",
        "Letter",
        "Comparative Study",
        "Observational Study",
        "Multicenter Study",
        "Retracted Publication",
        "Published Erratum",
        "Practice Guideline",
        "Guideline",
        "Journal Article",
        "News",
        "Preprint",
        "Clinical Trial, Phase II",
        "Clinical Trial, Phase III",
    )
)
# where the header (own metadata) ends and lists of other works begin
_SECTION_END = re.compile(
    r"^(?:PubMed Disclaimer|Similar articles|Cited by \d+ articles?|References|Publication types|MeSH terms|"
    r"Substances|LinkOut - more resources|Grants and funding|Figures|Comment in|Erratum in)\b",
    re.IGNORECASE,
)


_NAME = re.compile(r"^[^\W\d_][\w.'’ -]*[^\W\d_]\.?$", re.UNICODE)
_GROUP = re.compile(r"\b(?:Consortium|Group|Collaborat\w*|Network|Investigators|Committee|Team|Society|Initiative)\b")


_NUMBERED_NAME = re.compile(r"[^\W\d_]\s*[#*]?\s*\d+\s*(?:,|$)")
_CITED_BY_LINE = re.compile(r"^cited by \d+ articles?$")
_REF_MARKED = re.compile(r"-\s*(?:PubMed|PMC|DOI)\s*$|\b(?:19|20)\d{2};")


def _full_author_line(s: str, next_line: str):
    followed = next_line.strip().lower() in ("affiliations", "affiliation", "expand")
    if len(s) > 5000 or s.endswith(".") or not (followed or _NUMBERED_NAME.search(s)):
        return None
    parts = [p.strip() for p in re.split(r",\s*(?=[^\d\s,])|;\s*", s) if p.strip()]
    numbered = 0
    names = []
    for p in parts:
        name = re.sub(r"(?:\s*[#*†‡]|\s+\d+(?:[\s,]+\d+)*)+$", "", p).strip()
        if name != p:
            numbered += 1
        if not _NAME.match(name) or not 1 <= len(name.split()) <= 8:
            return None
        names.append(name)
    if not names or not (numbered or followed) or (len(names) == 1 and not followed):
        return None
    return [Person(family="", literal=x) if _GROUP.search(x) else person_from_display(x) for x in names]


#: a PubMed citation block copied alone is a few lines (journal, citation, doi, perhaps PMID and title)
_BLOCK_LINES = 12


class PubMedPage:
    name = "pubmed"

    def match(self, text: str) -> bool:
        head = text[:4000]
        if "NCBI Homepage" in head or "PubMed Disclaimer" in text or "- PubMed" in text:
            return True
        # a bare citation block ("Cell. 2016 Jan 14;164(1-2):337-40."): short, and not a numbered reference,
        # nor the wrapped tail of one in a numbered reference list (as a PDF copy gives it). A whole page
        # without PubMed's own signals is not PubMed's, whatever citation lines its reference list holds
        # (a cell.com page's "Nat. Methods. 2017; 14:1083-1086").
        filled = 0
        for line in text.splitlines():  # counted up to the first line too many (a page has hundreds)
            if line.strip():
                filled += 1
                if filled > _BLOCK_LINES:
                    return False
        lines = head.splitlines()[:40]
        if sum(1 for line in lines if _REF_ITEM.match(line)) >= 2:
            return False
        return any(
            ";" in line and len(line.strip()) < 150 and _CITATION.match(line.strip()) and not _REF_ITEM.match(line)
            for line in lines  # the cheap tests first
        )

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
        self._lists(page, rec)
        if refs_start:
            found = [(n, line) for n, line in page.numbered(refs_start) if _REF_ITEM.match(line)]
            rec.references.extend(parse_citations([s for _, s in found], [page.at(n) for n, _ in found]))
        result = ReadResult()
        # a partial copy keeps what it has: a citation line alone still names a work
        if rec.title or rec.doi or "pmid" in rec or ("year" in rec and ("volume" in rec or "journal_abbrev" in rec)):
            result.records.append(rec)
        else:
            result.failures.append(
                FailedInput(
                    path, "a PubMed page, but neither a title, a DOI, a PMID nor a citation line could be found"
                )
            )
        return result

    # -- sections -----------------------------------------------------------------------------
    @staticmethod
    def _references_start(page: Lines) -> int | None:
        """The line of the first item of the printed reference list (never inside Similar/Cited by)."""
        in_other_works = False
        for n, line in page.numbered():
            s = line.strip()
            low = s.lower()
            if low == "similar articles" or _CITED_BY_LINE.match(low):
                in_other_works = True
            elif low.startswith("see all"):
                in_other_works = False
            elif low == "references":
                in_other_works = False
            elif not in_other_works and _REF_ITEM.match(line) and _REF_MARKED.search(s):
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
            s = page.clean(n)
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
            # full author line: "Jennifer A Doudna 1, Emmanuelle Charpentier 2 3" (affiliation numbers, "#" and
            # "*" markers for equal contribution and correspondence)
            people = _full_author_line(s, page[n + 1] if n < len(page) else "")
            if people:
                # a copy that ends on the author line may have been cut inside it, even inside a name: the list
                # is not known to be complete, and a last name without the affiliation number the others carry
                # may be a fragment ("…, Bei Li 1, Chao-Lin Hua"), so it is not kept
                cut = not any(page[k].strip() for k in range(n + 1, len(page) + 1))
                if cut and len(people) > 1 and _NUMBERED_NAME.search(s) and not re.search(r"(?:[#*†‡]|\d)\s*$", s):
                    people = people[:-1]
                rec.set("authors", people, page.at(n))
                rec.set("authors_complete", not cut, page.at(n))
                return n
        return None

    @staticmethod
    def _citation(page: Lines, rec: Record, stop: int) -> None:
        for n, line in page.numbered(1, stop):
            s = page.clean(n)
            m = _CITATION.match(s)
            ahead = _AHEAD.search(s + " " + (page.clean(n + 1) if n < len(page) else "")) if m else None
            if (
                m
                and (";" in s or m.group("pages") or (ahead and m.group("month")))
                and not _ETAL_LINE.match(s)
                and not s.lower().startswith(("pmid", "doi"))
            ):
                src = page.at(n)
                journal = (m.group("journal") or "").strip(" .")
                if not journal and n > 1:
                    # the journal link is copied onto the line above: "Science" / ". 2014 Nov 28;..."
                    prev = page.clean(n - 1)
                    if (
                        prev
                        and len(prev) < 60
                        and not is_boilerplate(prev)
                        and prev.lower() not in _PUBLICATION_TYPES
                        and not re.search(r"\d{4}|:", prev)
                    ):
                        rec.set_if_absent("journal_abbrev", prev.strip(" ."), page.at(n - 1))
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
                # "… doi: 10.1016/…. Epub 2019 Jan 22." (on the citation line or the next): the first publication
                for k in (n, n + 1) if n < stop else (n,):
                    em = _EPUB.search(page.clean(k))
                    if em:
                        rec.set("published", iso_date(em.group("date")), page.at(k))
                        break
                else:
                    if ahead and m.group("month"):  # "Nat Med. 2024 Mar 12. … Online ahead of print.": the e-date
                        rec.set(
                            "published",
                            iso_date(" ".join(filter(None, (m.group("year"), m.group("month"), m.group("day"))))),
                            src,
                        )
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
                title = page.clean(n)
                first = next((k for k, line in page.numbered(1, n) if page.clean(k) == title), n)
                rec.set("title", title, page.at(first))
                return
        # no author line: a line that is printed twice is the title
        seen: dict[str, int] = {}
        for n, line in page.numbered(1, stop):
            s = page.clean(n)
            if len(s) < 15 or is_boilerplate(s) or _CITATION.match(s):
                continue
            if s in seen:
                rec.set("title", s, page.at(seen[s]))
                return
            seen[s] = n

    @staticmethod
    def _identifiers(page: Lines, rec: Record, stop: int) -> None:
        for n, line in page.numbered(1, stop):
            s = page.clean(n)
            m = _DOI_LINE.match(s)
            if m and "doi" not in rec:
                rec.set("doi", normalize_doi(m.group("doi")), page.at(n))
            m = _PMID_LINE.match(s)
            if m and "pmid" not in rec:
                rec.set("pmid", normalize_pmid(m.group("pmid")), page.at(n))
            if s[:5].upper().startswith("PMID:"):
                m2 = _PMID_DOI_LINE.search(s)
                if m2 and "doi" not in rec:
                    rec.set("doi", normalize_doi(m2.group("doi")), page.at(n))
            # "pmc" in the lower-cased line: what a case-blind "PMCID" holds ("i" is also "ı" and "İ" to it)
            m = _PMCID_LINE.search(s) if "pmc" in s.lower() else None
            if m and "pmcid" not in rec:
                rec.set("pmcid", normalize_pmcid(m.group("pmcid")), page.at(n))

    @staticmethod
    def _publication_type(page: Lines, rec: Record, stop: int) -> None:
        for n, line in page.numbered(1, stop):
            s = page.clean(n)
            if s.lower() in _PUBLICATION_TYPES:
                rec.set("publication_types", [s], page.at(n))
                rec.set("type", pubmed_work_type([s]), page.at(n))
                return

    @staticmethod
    def _lists(page: Lines, rec: Record) -> None:
        """The labelled lists below the abstract: publication types, MeSH terms, and the notices
        (Comment in, Erratum in, Retraction in…). Their PMIDs and DOIs are never the article's own."""
        notices: list[tuple[int, str]] = []
        n = 1
        while n <= len(page):
            head = page.clean(n).lower()
            if head in ("publication types", "mesh terms") or head in _NOTICE_HEADS:
                items: list[tuple[int, str]] = []
                k = n + 1
                while k <= len(page) and not _LIST_END.match(page.clean(k)):
                    item = page.clean(k).lstrip("•·▪- ").strip()  # a browser copies the list's bullets
                    if item and not is_boilerplate(item) and not item.lower().startswith(("see all", "no abstract")):
                        items.append((k, item))
                    k += 1
                if items and head == "publication types":
                    # the full list; the header's label (set earlier) is one of them
                    types = [t for _, t in items]
                    rec.set("publication_types", types, page.at(items[0][0]))
                    rec.set("type", pubmed_work_type(types), page.at(items[0][0]))
                elif items and head == "mesh terms":
                    rec.set("mesh", [t for _, t in items], page.at(items[0][0]))
                elif items:
                    text = re.sub(r"\s*PMID:\s*\d+.*$", "", " ".join(t for _, t in items)).strip()
                    notices.append((items[0][0], f"{_NOTICE_HEADS[head]}: {text}"))
                n = k
                continue
            n += 1
        if notices:
            rec.set("notices", [t for _, t in notices], page.at(notices[0][0]))

    @staticmethod
    def _abstract_and_keywords(page: Lines, rec: Record, author_n: int | None, refs_start: int | None) -> None:
        start = (author_n or 0) + 1
        stop = (refs_start - 1) if refs_start else len(page)
        # affiliations and the PMID line sit between the authors and the "Abstract" heading
        head = next((n for n, line in page.numbered(start, stop) if line.strip().lower() == "abstract"), None)
        if head is not None:
            start = head + 1
        paragraphs: list[tuple[int, str]] = []
        for n, line in page.numbered(start, stop):
            s = page.clean(n)
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
