"""Publisher and repository landing pages, as a browser copy gives them: Springer / BMC / Nature,
Frontiers, MDPI, Elsevier (ScienceDirect), Wiley Online Library, PMC and Europe PMC.

What is read, in order of trust:

1. the page's own citation — "Cite this article" (Springer, BMC), "Citation:" (Frontiers), "Cite:" /
   "MDPI and ACS Style" (MDPI), "How to cite" (Wiley and others) — parsed by
   :func:`~mscbib.sources.refstring.parse_citation`;
2. the header the platform prints: ScienceDirect's ``Volume 72, Issue 3, March 2020, Pages 558-577``
   and "Author links open overlay panel", Wiley's ``Volume 15, Issue 4 p. 546-557`` and
   "First published:", PMC's ``Stem Cell Res Ther. 2019; 10: 68.`` with ``PMCID:``/``PMID:``, Europe
   PMC's ``Stem Cell Res Ther. 2019 Mar 1;10(1):68``;
3. labelled lines: ``DOI:``, ``https://doi.org/…``, "Received / Accepted / Published" dates, ``ISSN``,
   ``Keywords:``, the abstract under "Abstract".

The article's own DOI is taken from the header or citation only, never from the reference list (which
starts at "References" and becomes the record's references).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..identifiers import find_dois, normalize_pmcid, normalize_pmid
from ..model import Record
from ..text import clean_text, normalize_pages, parse_month, person_from_display
from ._common import Markers, iso_date, issns_in, lowered_head, parse_date, printed_pages, split_issn_isbn
from .base import Lines, ReadResult, is_boilerplate, one_record
from .refstring import parse_citation, parse_citations, split_author_list

__all__ = ["LandingPage"]

_CITE_HEAD = re.compile(
    r"^(?:Cite this article|How to cite(?: this article)?|Citation|Cite|Cite as|"
    r"MDPI and ACS Style|Recommended citation|To cite this article)(?![\w-])\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
#: the first letters a _CITE_HEAD line can start with (a cheap test before the pattern)
_CITE_FIRST = frozenset("CcHhMmRrTt")
_MARKERS = (
    "cite this article",
    "how to cite",
    "citation:",
    "mdpi and acs style",
    "sciencedirect",
    "author links open overlay panel",
    "wiley online library",
    "first published:",
    "europe pmc",
    "pmcid:",
    "received:",
    "article number",
    "frontiers in",
    "published online",
    "[submitted on",
    "this article is a preprint",
    "oxford academic",
    "cite this paper",
    "cite this chapter",
    "online isbn",
    "first online:",
)
#: the markers grouped under the words they share: one search per group the page lacks
_MARKER_SET = Markers(_MARKERS)
_REFS_HEAD = re.compile(
    r"^(?:References|Reference list|Bibliography|Literature cited|Cited literature)$", re.IGNORECASE
)
_STOP_HEADS = re.compile(
    r"^(?:References|Reference list|Similar articles|Cited by|Recommended articles|"
    r"Related articles|Citing articles|Figures|Tables|Supplementary (?:material|information)|"
    r"Acknowledg(?:e)?ments?|Author contributions|Funding|Conflict of interest.*|"
    r"Data availability.*|Ethics declarations|Rights and permissions|About this article|"
    r"Introduction|Background|1\. Introduction|Keywords?:?.*|Graphical abstract|Highlights)$",
    re.IGNORECASE,
)
_REFS_END = re.compile(
    r"^(?:Download references|Acknowledg(?:e)?ments?|Rights and permissions|About this article|"
    r"Author information|Additional information|Ethics declarations|Footnotes|Cite|Cite this article|"
    r"MDPI and ACS Style|Citing articles|Cited by.*|Recommended articles|Related articles|"
    r"Similar articles|Supplementary (?:material|information)|Figures|Tables|Keywords|Copyright.*|"
    r"Article (?:information|metrics)|Publication history|Share|Metrics|Citations|©.*)$",
    re.IGNORECASE,
)
_LINK = (
    r"(?:Google Scholar|PubMed(?: Abstract)?|PubMed Central|CrossRef(?: Full Text)?|Crossref|View Article|Article|"
    r"CAS|ADS|MathSciNet|View in Scopus|Web of Science|Full Text|\[[^\]]+\])"
)
_LINK_LINE = re.compile(rf"^{_LINK}(?:\s*\|?\s*{_LINK})*$", re.IGNORECASE)
_DOI_LABEL = re.compile(
    r"^(?:DOI|doi)\s*:?\s*(?:https?://(?:dx\.)?doi\.org/)?(?P<doi>10\.\S+)(?:\s|$)|"
    r"^Published online [^.]*\.\s+doi:\s*(?P<doi3>10\.\S+)|"
    r"^(?:https?://(?:dx\.)?doi\.org/)(?P<doi2>10\.\S+)$"
)
_SD_VOLUME = re.compile(
    r"^Volume\s+(?P<volume>\w+)(?:,\s*Issue\s+(?P<issue>[\w-]+))?,\s*(?P<date>[^,]*\d{4})"
    r"(?:,\s*(?:Pages?\s+(?P<pages>[\w–-]+)|(?P<artno>\d{5,7})))?$"
)
_WILEY_VOLUME = re.compile(
    r"^Volume\s+(?P<volume>\w+),\s*Issue\s+(?P<issue>[\w-]+)\s*(?:p\.|pp\.|e)\s*"
    r"(?P<pages>[\w–-]+)$"
)
_PMC_CITATION = re.compile(
    r"^(?P<journal>[A-Z][^;,]{0,80}?)\.\s+(?P<year>\d{4})(?:\s+(?P<month>[A-Z][a-z]{2}))?"
    r"(?:\s+(?P<day>\d{1,2}))?;\s*(?P<volume>[\w-]+)(?:\((?P<issue>[^)]+)\))?:\s*"
    r"(?P<pages>[\w–-]+)\.?"
)
# Europe PMC: "Nature Communications, 06 Sep 2019, 10(1):4047"
_EPMC_CITATION = re.compile(
    r"^(?P<journal>[A-Z][^,]{1,80}),\s+(?P<date>(?:\d{1,2}\s+)?(?:[A-Z][a-z]{2}\s+)?\d{4}),\s+"
    r"(?P<volume>[\w-]+)(?:\((?P<issue>[^)]+)\))?:(?P<pages>[\w–-]+)$"
)
_PMC_PUBLISHED = re.compile(r"^Published online\s+(?P<date>\d{4}\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)\.?")
# MDPI's header: "Nutrients 2021, 13(4), 1234; https://doi.org/10.3390/nu13041234"
_MDPI_HEADER = re.compile(
    r"^(?P<journal>[A-Z][\w .&-]{1,60}) (?P<year>\d{4}), (?P<volume>\d+)(?:\((?P<issue>[\w-]+)\))?, "
    r"(?P<pages>[\w-]+); https?://doi\.org/(?P<doi>10\.\S+)$"
)
_IDS = re.compile(r"\b(?P<label>PMID|PMCID)\s*:\s*(?P<id>(?:PMC)?\d+)", re.IGNORECASE)
_DATES = re.compile(
    r"^(?:Received|Accepted|Published|Published online|First published|Available online|"
    r"Version of Record online|Issue Date)\s*:?\s*(?P<date>.+)$",
    re.IGNORECASE,
)
_DEGREE = r"(?:MD|PhD|MSc|MS|MA|MPH|MBBS|MBChB|DSc|DPhil|DVM|DDS|BSc|BS|RN|PharmD|FRC[PS]\w*|FACS|FACP)"
#: academic degrees after a name, as Wiley prints them for some journals (Cancer, Head & Neck)
_DEGREES = re.compile(rf"(?:,?\s+{_DEGREE}\b\.?)+$")
_WRITTEN_DATE = (
    r"(?:\d{1,2}\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4}|[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4}|"
    r"\d{4}\s+[A-Z][a-z]{2,8}\.?(?:\s+\d{1,2})?|\d{4}-\d{2}-\d{2}|\d{4}/\d{2}/\d{2}|[A-Z][a-z]{2,8}\s+\d{4})"
)
#: an article's history, several to a line or one per line: "Received: 12 March 2020; Accepted: 1 May 2020",
#: "Received 3 October 2018, Revised …, Accepted …, Available online …", "Manuscript received: 2 June 1998"
_HISTORY = re.compile(
    rf"\b(?P<label>Manuscript received|Submission received|Manuscript accepted|Received|Accepted|"
    rf"Published online|Available online|First published|Version of Record online|Published)\s*:?\s*"
    rf"(?:on\s+)?(?P<date>{_WRITTEN_DATE})\b"
)
_HISTORY_FIELD = {
    "manuscript received": "received",
    "submission received": "received",
    "received": "received",
    "manuscript accepted": "accepted",
    "accepted": "accepted",
}
_ARXIV_SUBMITTED = re.compile(r"^\[Submitted on (?P<date>\d{1,2} [A-Z][a-z]{2,8}\.? \d{4})")
_POSTED = re.compile(r"^Posted (?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4})\.?$")
# Oxford Academic's header: "Bioinformatics, Volume 25, Issue 14, July 2009, Pages 1754–1760, https://doi.org/…"
_OUP_HEADER = re.compile(
    r"^(?P<journal>[A-Z][^,]{1,80}), Volume (?P<volume>\w+), Issue (?P<issue>[\w-]+), "
    r"(?P<date>(?:[A-Z][a-z]+ )?\d{4}), (?:Pages? (?P<pages>[\w–-]+)|(?P<artno>\w+))"
    r"(?:, https?://doi\.org/(?P<doi>10\.\S+))?$"
)
_KEYWORDS = re.compile(r"^Keywords?\s*:?\s*(?P<kw>.*)$", re.IGNORECASE)
# Cell Press (cell.com): "Volume 177, Issue 7p1888-1902.e21June 13, 2019" (the copy runs the parts together),
# or with an article number, "Volume 42, Issue 3, 112190, March 28, 2023" / "Volume 42, Issue 3112190March 28, 2023"
_CELL_VOLUME = re.compile(
    r"^Volume\s+(?P<volume>\d+),\s*Issue\s+(?P<issue>\d+(?:-\d+)?)\s*"
    r"(?:p\s*(?P<pages>[A-Za-z]?\d+(?:\s*[–-]\s*[A-Za-z]?\d+)?(?:\.e\d+)?)|,\s*(?P<artno>\d{5,7}),?)\s*"
    r"(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4})$"
)
_CELL_VOLUME_SIGN = re.compile(r"^Volume \d+, Issue \d+(?:-\d+)?(?:p\d|, \d{5,7},? [A-Z])", re.MULTILINE)
#: the labels cell.com prints between the journal name and the volume line, never a journal
_CELL_LABELS = frozenset(
    (
        "article",
        "research article",
        "review",
        "short article",
        "resource",
        "report",
        "perspective",
        "open access",
        "open archive",
        "full text access",
        "download full issue",
    )
)
_CELL_SEP = "\u2219"  # "∙", between the names of cell.com's author line
# Springer Link's chapter citation: "Ronneberger, O., Brox, T. (2015). Title. In: Navab, N., Frangi, A. (eds)
# Book Title. Series(), vol 9351. Springer, Cham. https://doi.org/10.1007/978-3-319-24574-4_28"
_CHAPTER_CITE = re.compile(
    r"^(?P<authors>.+?)\s+\((?P<year>\d{4})\)\.\s+(?P<title>.+?)\.\s+In:\s+(?P<editors>.+?)\s+"
    r"\((?:eds?|Hrsg)\.?\)\s+(?P<book>.+?)\.\s+(?P<rest>.*?)"
    r"(?:\s*(?:https?://doi\.org/|doi:\s*)(?P<doi>10\.\S+))?$"
)
_CHAPTER_VOL = re.compile(r"\bvol\.?\s+(?P<volume>\w+)\.\s+(?P<publisher>[^.]+?)\.?$")
_PP = re.compile(r"^pp\.?\s+(?P<pages>[\w]+\s*[–-]\s*[\w]+)$")
_SUFFIX = re.compile(r"\s+(?P<suffix>Jr\.?|Sr\.?|II|III|IV)$")
#: ScienceDirect's reference number on a line of its own ("1", "[12]", "3.")
_REF_NUMBER = re.compile(r"\[?\d{1,4}[.\]]?")
#: cell.com's list of names cut short ("Moerman, T. ..."), and the link labels a reference's line carries
_CUT_LIST = re.compile(r"(?<=\.) (?:\.\.\.|…)(?=[. ])")
_LINK_LABELS = re.compile(
    r"\s*(?:Google Scholar|CAS|PubMed|Crossref|CrossRef|Article|View in Scopus|\[DOI\]|"
    r"\[PMC free article\]|\[PubMed\]|\[Google Scholar\])(?=\s|$)"
)
_JOURNAL_LINE = re.compile(r"^(?:Frontiers in [A-Z][\w ]+|Journal of [A-Z][\w ,&-]+|[A-Z][\w&:, -]{2,80})$")


_NLM_CUTS = (
    "ol",
    "ci",
    "ther",
    "rev",
    "res",
    "med",
    "biol",
    "chem",
    "phys",
    "commun",
    "gen",
    "clin",
    "mol",
    "sci",
    "surg",
    "pharm",
    "pharmacol",
    "endocrinol",
    "metab",
    "genet",
    "lett",
    "proc",
    "ann",
    "dev",
    "nutr",
    "environ",
    "microbiol",
    "psychiatr",
    "pediatr",
    "rep",
    "int",
    "eur",
    "am",
    "br",
    "natl",
)


_DOI_SIGN = re.compile(r"doi\.org/10\.|\bdoi:\s*10\.")


class LandingPage:
    name = "landing"

    def match(self, text: str) -> bool:
        raw = text[:15000]
        head = lowered_head(text, 15000)
        if "ncbi homepage" in head or "pubmed disclaimer" in (head if len(raw) == len(text) else text.lower()):
            return False
        hits = _MARKER_SET.count(head)
        if "Issue " in raw and _CELL_VOLUME_SIGN.search(raw):
            return True
        if hits >= 2:
            return True
        at = head.find("doi") if hits else -1  # where the pattern can first match (both its forms name "doi")
        return at >= 0 and _DOI_SIGN.search(head, at) is not None

    def read(self, text: str, path: str) -> ReadResult:
        page = Lines(text, path, self.name)
        rec = Record(source=page.at(1, self.name))
        # the last "References" heading: an article's navigation menu may name the section near the top
        refs_start = None
        for n, line in page.numbered():
            if _REFS_HEAD.match(line.strip()):
                refs_start = n
        refs_end = len(page)
        if refs_start:
            cl = page.cleaned()
            refs_end = next(
                (n - 1 for n in range(refs_start + 1, len(cl) + 1) if _REFS_END.match(cl[n - 1])), len(page)
            )
            # the reference list is blanked out for everything but the references themselves: a page may print
            # its own citation ("Cite this article") below it, and no DOI inside it is the article's own
            own = Lines(text, path, self.name)
            own.lines = [("" if refs_start <= i <= refs_end else line) for i, line in enumerate(page.lines, 1)]
            own._clean = [("" if refs_start <= i <= refs_end else s) for i, s in enumerate(cl, 1)]
        else:
            own = page
        head_stop = len(page)

        self._preprint(own, rec, head_stop)
        self._chapter(own, rec, head_stop)
        self._cite_block(own, rec, head_stop)
        self._sciencedirect(own, rec, head_stop)
        self._wiley(own, rec, head_stop)
        self._cell(own, rec, head_stop)
        self._pmc(own, rec, head_stop)
        self._oxford(own, rec, head_stop)
        self._labelled(own, rec, head_stop)
        if refs_start:
            self._references(page, rec, refs_start, refs_end)
        return one_record(rec, path, "a publisher page")

    # -- 0. preprint servers --------------------------------------------------------------------
    def _preprint(self, page: Lines, rec: Record, stop: int) -> None:
        """arXiv's abstract page (``[Submitted on 12 Jun 2017 (v1), …]``, then the title and the author line)
        and bioRxiv / medRxiv (title, author line, ``doi: https://doi.org/10.1101/…``, "Posted March 9, 2020.").
        A preprint is ``posted-content`` and has no journal."""
        cl = page.cleaned()
        for n in range(1, min(stop, 120, len(cl)) + 1):
            s = cl[n - 1]
            m = _ARXIV_SUBMITTED.match(s) if s[:1] == "[" else None
            if m:
                src = page.at(n, self.name)
                rec.set("type", "posted-content", src)
                rec.set_if_absent("published", iso_date(m.group("date")), src)
                rec.set_if_absent("year", parse_date(m.group("date"))[0], src)
                below = [k for k, _l in page.numbered(n + 1, min(stop, n + 4)) if page.clean(k)]
                if len(below) >= 2:
                    self._title_and_authors(page, rec, below[0], below[1])
                return
            m = _DOI_LABEL.match(s) if "10.1101/" in s else None
            if m and "this article is a preprint" in page.clean(n + 1).lower():
                rec.set("type", "posted-content", page.at(n + 1, self.name))
                above = [k for k in range(n - 1, max(0, n - 4), -1) if page.clean(k)]
                if len(above) >= 2:
                    self._title_and_authors(page, rec, above[1], above[0])
                for k, _l in page.numbered(n, stop):
                    pm = _POSTED.match(page.clean(k))
                    if pm:
                        rec.set_if_absent("published", iso_date(pm.group("date")), page.at(k, self.name))
                        rec.set_if_absent("year", parse_date(pm.group("date"))[0], page.at(k, self.name))
                        break
                return

    def _title_and_authors(self, page: Lines, rec: Record, t: int, a: int) -> None:
        people, etal = split_author_list(page.clean(a))
        if not people:
            return
        rec.set_if_absent("title", page.clean(t).rstrip("."), page.at(t, self.name))
        rec.set_if_absent("authors", people, page.at(a, self.name))
        rec.set_if_absent("authors_complete", not etal, page.at(a, self.name))

    # -- 1. the page's own citation ------------------------------------------------------------
    def _chapter(self, page: Lines, rec: Record, stop: int) -> None:
        """Springer Link's chapter (or conference paper in a book series): "Cite this paper / chapter" gives
        ``Authors (year). Title. In: Editors (eds) Book. Series, vol N. Publisher, Place. DOI``; the page
        prints ``pp 234–241``, "Publisher Name:" and "Print ISBN" / "Online ISBN". The book title goes to
        ``journal`` (the container, as the BibTeX writer's ``booktitle``), the series volume to ``volume``,
        the "(eds)" names to ``editors``."""
        cl = page.cleaned()
        for n in range(1, min(stop, len(cl)) + 1):
            m = _CHAPTER_CITE.match(cl[n - 1]) if " In: " in cl[n - 1] else None
            if not m:
                continue
            src = page.at(n, self.name)
            rec.set("type", "book-chapter", src)
            rec.set_if_absent("title", m.group("title"), src)
            people, etal = split_author_list(m.group("authors"))
            if people:
                rec.set_if_absent("authors", people, src)
                rec.set_if_absent("authors_complete", not etal, src)
            editors, _ = split_author_list(m.group("editors"))
            if editors:
                rec.set_if_absent("editors", editors, src)
            rec.set_if_absent("journal", m.group("book"), src)
            rec.set_if_absent("year", m.group("year"), src)
            vm = _CHAPTER_VOL.search(m.group("rest"))
            if vm:
                rec.set_if_absent("volume", vm.group("volume"), src)
            if m.group("doi") and find_dois(m.group("doi")):
                rec.set_if_absent("doi", find_dois(m.group("doi"))[0], src)
            isbns: list[str] = []
            for k, _l in page.numbered(1, stop):
                s = page.clean(k)
                pm = _PP.match(s)
                if pm:
                    rec.set_if_absent("pages", normalize_pages(pm.group("pages")), page.at(k, self.name))
                elif s.startswith("Publisher Name:"):
                    rec.set_if_absent("publisher", s.split(":", 1)[1].strip(), page.at(k, self.name))
                elif s.startswith(("Print ISBN", "Online ISBN", "eBook ISBN", "ISBN")):
                    isbns += [i for i in split_issn_isbn([s.split(":", 1)[-1]])[1] if i not in isbns]
                    rec.set("isbn", isbns, rec.origin_of("isbn") or page.at(k, self.name))
            if vm:
                rec.set_if_absent("publisher", vm.group("publisher"), src)
            return

    def _cite_block(self, page: Lines, rec: Record, stop: int) -> None:
        cl = page.cleaned()
        for n in range(1, min(stop, len(cl)) + 1):
            m = _CITE_HEAD.match(cl[n - 1]) if cl[n - 1][:1] in _CITE_FIRST else None
            if not m:
                continue
            text, at = m.group("rest").strip(), n
            k = n + 1
            while not text and k <= stop:  # the citation is on the next non-empty line ("Cite" / "MDPI and ACS Style")
                t = page.clean(k)
                hm = _CITE_HEAD.match(t)
                text, at = (hm.group("rest").strip() if hm else t), k
                k += 1
            # a citation may wrap: join following lines until a DOI or a blank line
            while k <= stop and page[k].strip() and ("10." not in text or not find_dois(text)) and len(text) < 1500:
                text += " " + page.clean(k)
                k += 1
            ref = parse_citation(text)
            if not (ref.title and ref.journal):
                continue
            src = page.at(at, self.name)
            rec.set_if_absent("title", ref.title, src)
            if ref.authors:
                rec.set_if_absent("authors", ref.authors, src)
                rec.set_if_absent("authors_complete", ref.authors_complete, src)
            journal = ref.journal
            field = (
                "journal_abbrev" if re.search(r"\.\s|\.$", journal) or self._looks_abbreviated(journal) else "journal"
            )
            rec.set_if_absent(field, journal, src)
            for name in ("year", "volume", "issue", "pages", "doi"):
                rec.set_if_absent(name, getattr(ref, name), src)
            return

    @staticmethod
    def _looks_abbreviated(journal: str) -> bool:
        """``Exp Hematol Oncol``, ``Stem Cell Res Ther``, ``Expert Rev Gastroenterol Hepatol``: no function
        word, and most words short or cut NLM-style (``…ol``, ``…ci``); ``Nature Communications`` is not."""
        words = journal.split()
        if len(words) < 2 or any(w.lower() in ("of", "and", "in", "for", "the", "&", "on") for w in words):
            return False
        cut = sum(len(w) <= 4 or w.lower().endswith(_NLM_CUTS) for w in words)
        return cut * 2 > len(words)

    # -- 2. platform headers -------------------------------------------------------------------
    def _title_after(
        self,
        page: Lines,
        n: int,
        stop: int,
        skip=(
            "Research article",
            "Review article",
            "Research Article",
            "Review",
            "Original Article",
            "Article",
            "Full Length Article",
            "Open Access",
            "Free Access",
            "Original Research",
            "Editorial",
        ),
    ):
        for k, line in page.numbered(n + 1, min(stop, n + 6)):
            s = page.clean(k)
            if s and s not in skip and not is_boilerplate(s) and len(s) > 15 and s != page[n - 1].strip():
                return k, s
        return None, None

    def _volume_line(self, page: Lines, rec: Record, stop: int, pattern: re.Pattern[str]):
        """The platform's ``Volume …, Issue …`` line (journal name on the line above): ``(n, match, src)``."""
        cl = page.cleaned()
        for n in range(1, min(stop, 80, len(cl)) + 1):
            m = pattern.match(cl[n - 1]) if cl[n - 1][:1] == "V" else None
            if not m:
                continue
            src = page.at(n, self.name)
            prev = page.clean(n - 1) if n > 1 else ""
            if prev and not is_boilerplate(prev) and "journal" not in rec and "journal_abbrev" not in rec:
                rec.set("journal", prev, page.at(n - 1, self.name))
            rec.set_if_absent("volume", m.group("volume"), src)
            rec.set_if_absent("issue", m.group("issue"), src)
            return n, m, src
        return None, None, None

    def _sciencedirect(self, page: Lines, rec: Record, stop: int) -> None:
        n, m, src = self._volume_line(page, rec, stop, _SD_VOLUME)
        if m:
            y, mo, d = parse_date(m.group("date"))
            rec.set_if_absent("year", y, src)
            rec.set_if_absent("month", mo, src)
            rec.set_if_absent("pages", normalize_pages(m.group("pages") or m.group("artno")), src)
            k, title = self._title_after(page, n, stop)
            if title:
                rec.set_if_absent("title", title, page.at(k, self.name))
            for j, l2 in page.numbered(n, min(stop, n + 12)):
                if page.clean(j).lower() == "author links open overlay panel" and j < len(page):
                    names = re.sub(r"\s*(?:\d+|[a-z](?:,\s*[a-z])*)(?=,|$)", "", page.clean(j + 1))
                    people, _ = split_author_list(names.replace(" , ", ", "))
                    rec.set_if_absent("authors", people, page.at(j + 1, self.name))
                    rec.set_if_absent("authors_complete", True, page.at(j + 1, self.name))
                    break

    def _wiley(self, page: Lines, rec: Record, stop: int) -> None:
        n, m, src = self._volume_line(page, rec, stop, _WILEY_VOLUME)
        if m:
            rec.set_if_absent("pages", normalize_pages(m.group("pages")), src)
            k, title = self._title_after(page, n, stop)
            if title:
                rec.set_if_absent("title", title, page.at(k, self.name))
                people, first = [], None
                for j, l2 in page.numbered(k + 1, min(stop, k + 40)):
                    s = page.clean(j)
                    if not s or s.lower().startswith(
                        ("search for more papers", "corresponding author", "e-mail", "orcid")
                    ):
                        continue
                    if s.lower().startswith(("first published", "https://doi.org", "citations", "about")):
                        break
                    s = _DEGREES.sub("", s)  # "Ingrid Halvorsen MD", "Paulo Mendes PhD, MPH"
                    if (
                        re.match(r"^[^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*){1,4}$", s)
                        and len(s) < 50
                        and all(w[0].isupper() for w in s.split())
                        and not re.search(r"University|Department|Institute|Hospital|School|Center|Centre", s)
                    ):
                        people.append(s)
                        first = first or j
                if people:
                    rec.set_if_absent("authors", split_author_list(", ".join(people))[0], page.at(first, self.name))
                    rec.set_if_absent("authors_complete", True, page.at(first, self.name))

    def _cell(self, page: Lines, rec: Record, stop: int) -> None:
        """Cell Press: the journal name and type labels, ``Volume 177, Issue 7p1888-1902.e21June 13, 2019``,
        the title, then the names on one line, separated by ``∙``, with their affiliation numbers run on
        (``Tim Stuart1,4 ∙ … ∙ Rahul Satija1,2,5 rsatija@nygenome.org``). Pages are kept as printed, a
        range normalised (``1888--1902.e21``: the ``.e21`` is the online-only STAR Methods part)."""
        cl = page.cleaned()
        for n in range(1, min(stop, 120, len(cl)) + 1):
            m = _CELL_VOLUME.match(cl[n - 1]) if cl[n - 1][:1] == "V" else None
            if not m:
                continue
            src = page.at(n, self.name)
            k = n - 1
            while k > 0 and (not page.clean(k) or page.clean(k).lower() in _CELL_LABELS) and k > n - 4:
                k -= 1
            if (
                k > 0
                and page.clean(k)
                and not is_boilerplate(page.clean(k))
                and len(page.clean(k)) < 80
                and "journal" not in rec
                and "journal_abbrev" not in rec
            ):
                rec.set("journal", page.clean(k), page.at(k, self.name))
            year, month, _day = parse_date(m.group("date"))
            for name, value in (
                ("volume", m.group("volume")),
                ("issue", m.group("issue")),
                ("year", year),
                ("month", month),
                ("pages", printed_pages(m.group("pages") or m.group("artno"))),
            ):
                rec.set_if_absent(name, value, src)
            k = n + 1
            while k <= stop and (not page.clean(k) or page.clean(k).lower() in _CELL_LABELS):
                k += 1
            if k >= stop or _CELL_SEP not in page.clean(k + 1) and not self._is_name_list(page.clean(k + 1)):
                return
            rec.set_if_absent("title", page.clean(k), page.at(k, self.name))
            names = [re.sub(r"\s+\S+@\S+$", "", x).strip() for x in page.clean(k + 1).split(_CELL_SEP)]
            people, complete = [], True
            for name in names:
                name = re.sub(r"(?<=[^\W\d_])\s*[\d,∗*†‡§]+$", "", name).strip()
                if name in ("…", "...", ""):
                    complete = False
                    continue
                sm = _SUFFIX.search(name)
                person = person_from_display(name[: sm.start()] if sm else name)
                people.append(replace(person, suffix=sm.group("suffix")) if sm else person)
            rec.set_if_absent("authors", people, page.at(k + 1, self.name))
            rec.set_if_absent("authors_complete", complete, page.at(k + 1, self.name))
            return

    def _pmc(self, page: Lines, rec: Record, stop: int) -> None:
        cl = page.cleaned()
        for n, line in page.numbered(1, min(stop, 80)):
            s = cl[n - 1]
            # the PMC citation has a ";", Europe PMC's a ":" (a cheap test before the patterns)
            m = (_PMC_CITATION.match(s) or _EPMC_CITATION.match(s)) if ";" in s or ":" in s else None
            if not m or len(s) > 300:
                continue
            src = page.at(n, self.name)
            if "year" in m.groupdict():
                rec.set_if_absent("journal_abbrev", m.group("journal").strip(), src)
                rec.set_if_absent("year", m.group("year"), src)
                if m.group("month"):
                    rec.set_if_absent("month", parse_month(m.group("month")), src)
            else:
                rec.set_if_absent("journal", m.group("journal").strip(), src)
                y, mo, _ = parse_date(m.group("date"))
                rec.set_if_absent("year", y, src)
                rec.set_if_absent("month", mo, src)
            rec.set_if_absent("volume", m.group("volume"), src)
            rec.set_if_absent("issue", m.group("issue"), src)
            rec.set_if_absent("pages", normalize_pages(m.group("pages")), src)
            # Europe PMC: title and authors above the citation; PMC: title and authors below the ids
            if "title" not in rec:
                above = [k for k in range(n - 1, max(0, n - 4), -1) if page.clean(k)]
                below = [
                    k
                    for k, l2 in page.numbered(n + 1, min(stop, n + 8))
                    if page.clean(k)
                    and not _IDS.search(l2)
                    and not _PMC_PUBLISHED.match(page.clean(k))
                    and not _DOI_LABEL.match(page.clean(k))
                    and not is_boilerplate(l2)
                    and not page.clean(k).lower().startswith(("published online", "doi:"))
                ]
                if len(below) >= 2 and self._is_name_list(clean_text(page[below[1]])):
                    t, a = below[0], below[1]
                elif len(above) >= 2 and self._is_name_list(clean_text(page[above[0]])):
                    t, a = above[1], above[0]
                else:
                    return
                rec.set("title", page.clean(t).rstrip("."), page.at(t, self.name))
                people, etal = split_author_list(re.sub(r"(?<=[^\W\d])\s*\d+(?:,\d+)*", "", page.clean(a)))
                rec.set_if_absent("authors", people, page.at(a, self.name))
                rec.set_if_absent("authors_complete", not etal, page.at(a, self.name))
            return

    def _oxford(self, page: Lines, rec: Record, stop: int) -> None:
        """Oxford Academic: the title, one author per line (``Heng Li,``), "Author Notes", then the header."""
        cl = page.cleaned()
        for n in range(1, min(stop, 80, len(cl)) + 1):
            m = _OUP_HEADER.match(cl[n - 1]) if ", Volume " in cl[n - 1] else None
            if not m:
                continue
            src = page.at(n, self.name)
            if "journal" not in rec and "journal_abbrev" not in rec:
                rec.set("journal", m.group("journal"), src)
            year, month, _day = parse_date(m.group("date"))
            for name, value in (
                ("volume", m.group("volume")),
                ("issue", m.group("issue")),
                ("year", year),
                ("month", month),
                ("pages", normalize_pages(m.group("pages") or m.group("artno"))),
            ):
                rec.set_if_absent(name, value, src)
            if m.group("doi"):
                rec.set_if_absent("doi", find_dois(m.group("doi"))[0] if find_dois(m.group("doi")) else None, src)
            names: list[int] = []
            k = n - 1
            while k > 0 and (not page.clean(k) or page.clean(k).lower() == "author notes"):
                k -= 1
            while k > 0 and self._is_name_list(page.clean(k).rstrip(", ")):
                names.insert(0, k)
                k -= 1
            if names and k > 0 and page.clean(k):
                people, etal = split_author_list(", ".join(page.clean(j).rstrip(", ") for j in names))
                rec.set_if_absent("title", page.clean(k), page.at(k, self.name))
                rec.set_if_absent("authors", people, page.at(names[0], self.name))
                rec.set_if_absent("authors_complete", not etal, page.at(names[0], self.name))
            return

    @staticmethod
    def _is_name_list(s: str) -> bool:
        s = re.sub(r"\s*(?:,?\s*et al\.?)$", "", s)
        parts = [p.strip() for p in re.split(r",|\band\b", s) if p.strip()]
        return (
            bool(parts)
            and len(s) < 3000
            and all(2 <= len(p.split()) <= 5 and p[:1].isupper() and not re.search(r"\d", p) for p in parts)
        )

    # -- 3. labelled lines ---------------------------------------------------------------------
    def _labelled(self, page: Lines, rec: Record, stop: int) -> None:
        abstract_at = None
        cl = page.cleaned()
        for n in range(1, min(stop, len(cl)) + 1):
            s = cl[n - 1]
            if not s:
                continue
            low = s.lower()
            m = _DOI_LABEL.match(s) if "10." in s and "doi" not in rec else None
            if m:
                found = find_dois(m.group("doi") or m.group("doi2") or m.group("doi3"))
                if found:
                    rec.set("doi", found[0], page.at(n, self.name))
            hm = _MDPI_HEADER.match(s) if "doi.org" in s else None
            if hm:
                src = page.at(n, self.name)
                if "journal" not in rec and "journal_abbrev" not in rec:
                    rec.set("journal", hm.group("journal"), src)
                for name in ("year", "volume", "issue", "pages"):
                    rec.set_if_absent(name, normalize_pages(hm.group(name)) if name == "pages" else hm.group(name), src)
            for im in _IDS.finditer(s) if "pm" in low else ():
                if im.group("label").upper() == "PMID":
                    rec.set_if_absent("pmid", normalize_pmid(im.group("id")), page.at(n, self.name))
                else:
                    rec.set_if_absent("pmcid", normalize_pmcid(im.group("id")), page.at(n, self.name))
            if "ccepted" in s or "eceived" in s or "ublished" in s or "vailable online" in s:
                for hm2 in _HISTORY.finditer(s):  # the first "published / online" date is the first publication
                    name = _HISTORY_FIELD.get(hm2.group("label").lower(), "published")
                    rec.set_if_absent(name, iso_date(hm2.group("date")), page.at(n, self.name))
            dm = _DATES.match(s) if "year" not in rec and s[0] in "RAPFVIraprfvi" else None
            if dm:
                y, mo, d = parse_date(re.split(r"\s{2,}|;|,\s*(?=[A-Z][a-z]+:)", dm.group("date"))[0])
                if y and s.lower().startswith(("published", "first published", "available online", "issue date")):
                    rec.set("year", y, page.at(n, self.name))
                    rec.set_if_absent("month", mo, page.at(n, self.name))
            if s[:11].upper().startswith(("ISSN", "EISSN", "E-ISSN", "PRINT ISSN", "ONLINE ISSN")):  # 11: the longest
                # one line per ISSN on some platforms ("Online ISSN 1367-4811" / "Print ISSN 1367-4803")
                known = rec.get("issn") or []
                more = [i for i in issns_in(s) if i not in known]
                if more:
                    rec.set("issn", known + more, rec.origin_of("issn") or page.at(n, self.name))
            km = _KEYWORDS.match(s) if low.startswith("key") else None
            if km and "keywords" not in rec and abstract_at is not None:
                kw = km.group("kw") or (page.clean(n + 1) if n < stop else "")
                words = [w.strip(" .") for w in re.split(r";|,|\s·\s|\s\|\s", kw) if w.strip(" .")]
                if not km.group("kw") and len(words) == 1:  # one per line (cell.com), up to the next heading
                    for k, _l in page.numbered(n + 2, min(stop, n + 30)):
                        w = page.clean(k)
                        if not w or _STOP_HEADS.match(w) or len(w) > 60 or w.endswith("."):
                            break
                        words.append(w)
                rec.set("keywords", words, page.at(n, self.name))
            if low in ("abstract", "summary") and abstract_at is None:
                abstract_at = n
        if abstract_at:
            paras = []
            for n, line in page.numbered(abstract_at + 1, stop):
                s = page.clean(n)
                if _STOP_HEADS.match(s):
                    break
                if s and not is_boilerplate(s):
                    paras.append((n, s))
            if paras:
                rec.set("abstract", "\n\n".join(p for _, p in paras), page.at(paras[0][0], self.name))

    def _references(self, page: Lines, rec: Record, start: int, end: int) -> None:
        items: list[tuple[int, str]] = []
        group: list = []
        cl = page.cleaned()
        for n in range(start + 1, min(end, len(cl)) + 1):
            s = cl[n - 1]
            if (s[:1] == "[" or s[:1].isdigit()) and _REF_NUMBER.fullmatch(
                s
            ):  # ScienceDirect: "1" / authors / title / source, one per line
                if group:
                    items.append((group[0], " ".join(group[1:])))
                group = [n + 1]
                continue
            if group:
                if s and not _LINK_LINE.match(s) and not _STOP_HEADS.match(s):
                    group.append(s if s.endswith(".") else s + ".")
                    continue
                if len(group) > 1:
                    items.append((group[0], " ".join(group[1:])))
                group = []
                continue
            items.append((n, s))
        if len(group) > 1:
            items.append((group[0], " ".join(group[1:])))
        found: list[tuple[int, str]] = []  # parsed all at once below (parse_citations)
        for n, s in items:
            if not s or len(s) < 25:
                if s and _STOP_HEADS.match(s) and not _REFS_HEAD.match(s):
                    break
                continue
            if _LINK_LINE.match(s):
                continue
            if _STOP_HEADS.match(s):
                break
            # cell.com: "Aibar, S. ∙ González-Blas, C.B. ∙ Moerman, T. ..." (the list cut short)
            s = _CUT_LIST.sub(" et al.", s.replace(f" {_CELL_SEP} ", ", "))
            s = _LINK_LABELS.sub("", s).strip()
            found.append((n, s))
        rec.references.extend(parse_citations([s for _, s in found], [page.at(n, self.name) for n, _ in found]))
