"""Parse a printed reference string, in any style, into its fields: the one reference parser of mscbib.

The fields come from a trained sequence model (:mod:`mscbib.sources.refmodel`, a CRF trained on the
hand-labelled references of AnyStyle and GROBID): it labels every token (author, title, journal, container,
editor, publisher, place, date, volume, issue, pages, edition…), and this module turns the labelled segments into
persons, title, container, year, volume, issue, normalised pages, edition and a work type. Identifiers (DOI, PMID,
PMCID, arXiv ID, ISBN, URL) are found by pattern, including ``10. 1093/…``, ``[doi]`` suffixes and ``PMID 123``.

No reference is dropped: every string gives a reference that keeps its text. A field whose segment the model
labelled with low confidence (its marginal probability) is left empty rather than guessed, and every value is a
piece of the string itself: nothing is invented.

Used for page reference lists (:mod:`mscbib.sources.reflist`, the landing and PubMed readers), Crossref's
``unstructured`` references (:mod:`mscbib.refs`), ``mscbib extract --format references`` and the queries built
for bibliographic search.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby

from ..identifiers import find_dois, normalize_isbn, normalize_pmcid, normalize_pmid
from ..model import Person, Provenance, Reference
from ..text import clean_text, normalize_pages, person_from_display
from . import refmodel, refnet
from ._common import person_from_inverted

__all__ = [
    "Citation",
    "parse",
    "parse_many",
    "parse_citation",
    "parse_citations",
    "parse_reference",
    "split_author_list",
    "strip_link_markers",
]


def _folded(s: str) -> str:
    """``s`` in lower case, with the letters that a case-insensitive pattern of :mod:`re` takes for an ASCII one
    made that letter (dotted and dotless I, long s; the Kelvin sign is ``k`` in lower case): an ASCII word that
    such a pattern finds in ``s`` is a plain substring of ``_folded(s)`` (the test suite checks this against
    ``re`` over every code point)."""
    f = s.lower()
    if f.isascii():
        return f
    return f.replace("i\u0307", "i").replace("\u0131", "i").replace("\u017f", "s")


def _search(pattern: re.Pattern, words: tuple[str, ...], text: str, folded: str | None = None) -> re.Match | None:
    """``pattern.search(text)``, the same answer faster: ``words`` are words every match of the (case-insensitive)
    ``pattern`` holds, so the pattern, which tries every position of the text, is searched only when one of them
    is in the folded text (``folded``: :func:`_folded` of ``text``, when the caller has it already)."""
    f = _folded(text) if folded is None else folded
    for w in words:
        if w in f:
            return pattern.search(text)
    return None


#: a field whose tokens the model gave, on average, less than this probability is left out
MIN_CONFIDENCE = 0.5
#: a date run holds a year-shaped number, so a lower bar is enough there
MIN_YEAR_CONFIDENCE = 0.3
#: a journal run followed by a year is bounded on one side by the year: a lower bar there too
MIN_JOURNAL_CONFIDENCE = 0.4
#: a title run right after the authors (or editors, or their year) and before another field: bounded on both sides
MIN_PLACED_TITLE_CONFIDENCE = 0.3

# the link labels PubMed prints after a reference: "- DOI - PMC - PubMed"; PMC's "[PubMed] [Google Scholar]"
_MARKERS = re.compile(r"(?:\s*-\s*(?:DOI|PMC|PubMed|Free PMC article|Google Scholar|CrossRef|Crossref))+\s*$")
_BRACKET_MARKERS = re.compile(
    r"(?:\s*\[(?:PubMed|Google Scholar|CrossRef|Crossref|PMC free article|Ref list|"
    r"Free full text|Abstract|Full text|Web of Science|Scopus|CAS|ISI)\])+\s*$",
    re.IGNORECASE,
)
_MARKER_ENDS = ("DOI", "PMC", "PubMed", "Free PMC article", "Google Scholar", "CrossRef", "Crossref")
_NUMBER = re.compile(r"^\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,4}\.(?!\d))\s*")


def strip_link_markers(text: str) -> tuple[str, list[str]]:
    """Remove PubMed's trailing link labels; return the text and the labels found (``['PMC', 'PubMed']``)."""
    m = _MARKERS.search(text) if text.rstrip().endswith(_MARKER_ENDS) else None
    if not m:
        return text.strip(), []
    labels = [p.strip() for p in m.group(0).split("-") if p.strip()]
    return text[: m.start()].strip(), labels


# -- identifiers, by pattern --------------------------------------------------------------------------------------
_DOI_SPACE = re.compile(r"\b10\.\s+(\d{4,9})\s*/\s*")
_DOI_SUFFIX = re.compile(r"\s*\[doi\]", re.IGNORECASE)
_PMID = re.compile(r"\b(?:PMID|PubMed\s+PMID|PubMed\s+ID)\s*:?\s*(\d{1,9})\b", re.IGNORECASE)
_PMCID = re.compile(r"\bPMC\s?(\d{4,9})\b")
_ARXIV = re.compile(
    r"\barXiv\s*:?\s*(?:abs/)?(\d{4}\.\d{4,5}(?:v\d+)?|[a-z][a-z.-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)"
    r"|arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5}(?:v\d+)?|[a-z][a-z.-]+/\d{7}(?:v\d+)?)",
    re.IGNORECASE,
)
_ISBN = re.compile(r"\bISBN(?:-1[03])?\s*:?\s*((?:97[89][\s-]?)?\d[\d\s-]{7,14}[\dXx])\b")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)


def _identifiers(text: str) -> dict[str, str | None]:
    out: dict[str, str | None] = dict.fromkeys(("doi", "pmid", "pmcid", "arxiv", "isbn", "url"))
    low = text.lower()
    if "10." in text:
        t = _DOI_SUFFIX.sub(" ", _DOI_SPACE.sub(r"10.\1/", text)) if "[doi]" in low or "10. " in text else text
        dois = find_dois(t)
        out["doi"] = dois[0] if dois else None
    if "pmid" in low or "pubmed" in low:
        m = _PMID.search(text)
        out["pmid"] = normalize_pmid(m.group(1)) if m else None
    if "PMC" in text:
        m = _PMCID.search(text)
        out["pmcid"] = normalize_pmcid("PMC" + m.group(1)) if m else None
    if "arxiv" in low:
        m = _ARXIV.search(text)
        out["arxiv"] = (m.group(1) or m.group(2)) if m else None
    if "ISBN" in text:
        m = _ISBN.search(text)
        out["isbn"] = normalize_isbn(m.group(1)) if m else None
    if "http" in low or "www." in low:
        for m in _URL.finditer(text):
            u = m.group(0).rstrip(".,;:)]}>'\"")
            if "doi.org/" not in u.lower():
                out["url"] = u
                break
    return out


# -- persons ------------------------------------------------------------------------------------------------------
_INITIAL_PARTS = re.compile(r"[\s.\-‐]+")


@lru_cache(maxsize=50_000)
def _initials_like(s: str) -> bool:
    """``J.``, ``J. A.``, ``JA``, ``J.-P.``, ``Th.``, ``SÆ``, ``Ł.``: given names as initials, in any script."""
    if s.isalpha():  # one part, no full stop (most words): up to three capitals
        return len(s) <= 3 and s[0].isupper() and s.isupper()
    parts = [p for p in _INITIAL_PARTS.split(s) if p]
    if not parts or len(parts) > 4:
        return False
    for p in parts:
        if not p.isalpha() or not p[0].isupper():
            return False
        if not (len(p) <= 3 and p.isupper() or len(p) == 2 and p[1].islower() and "." in s):
            return False
    return True


def _initial_letters(s: str) -> list[str]:
    """``JA`` and ``J.A.`` → ``['J', 'A']``; ``Th.`` → ``['Th']``."""
    out: list[str] = []
    for p in _INITIAL_PARTS.split(s):
        if p:
            out.extend(p if p.isupper() else [p])
    return out


_GROUP_NAME = re.compile(
    r"\b(?:consortium|group|collaboration|collaborators|network|investigators|committee|"
    r"initiative|organi[sz]ation|institute|association|society|council|agency|department|"
    r"ministry|office|university|foundation|board|commission|bureau|service|union|federation|"
    r"team|centers?|centres?|inc|ltd|corporation|company|program(?:me)?|project|alliance|"
    r"authority|administration|academy|panel|working party|task force)\b",
    re.IGNORECASE,
)
#: the words of :data:`_GROUP_NAME` (its last two, of "working party" and "task force"): a name without any of them
#: needs no search of that long pattern, which is most of what splitting an author list costs
_GROUP_WORDS = frozenset(
    "consortium group collaboration collaborators network investigators committee initiative organisation "
    "organization institute association society council agency department ministry office university foundation "
    "board commission bureau service union federation team center centers centre centres inc ltd corporation "
    "company program programme project alliance authority administration academy panel party force".split()
)
_WORD_SPLIT = re.compile(r"\W+")


def _group_name(s: str) -> bool:
    """Is ``s`` an organisation's name (:data:`_GROUP_NAME`)? The same answer, faster: the pattern is searched
    only when one of its words is in ``s``."""
    f = s.casefold()
    # a name of letters and digits alone is one word of the split (they are all word characters)
    if f not in _GROUP_WORDS if f.isalnum() else _GROUP_WORDS.isdisjoint(_WORD_SPLIT.split(f)):
        return False
    return _GROUP_NAME.search(s) is not None


_PAREN_INITIALS = re.compile(r"\s+\((?=[A-Z][^)]{0,12}\))([^)]*)\)")
_SEMICOLONS = re.compile(r"\s*;\s*(?:and\s+|&\s+)?")
_AND_WORD = re.compile(r"\s(?:and|&)\s")
_AND = re.compile(r",?\s+(?:&|and|und|et|y|e)\s+")
_ETAL = re.compile(
    r"(?:,?\s*(?:et\.?\s*al\b\.?|and others|u\.\s*a\.|et coll\.?)|,?\s*…|,?\s*\.\.\.)\s*[,.;:]?\s*$", re.IGNORECASE
)

#: what _AND matches holds one of these where the only white space is the plain space (a printable string)
_AND_WORDS = (" & ", " and ", " und ", " et ", " y ", " e ")
_ETAL_ENDS = ("al", "others", "coll", "…")
#: the letters whose folding (:func:`_folded`) ends in the last letter of an end of _ETAL_ENDS or in the "a" of "u. a"
_ETAL_LAST = "lLsSaA…\u017f"


def _may_end_etal(s: str) -> bool:
    """Can :data:`_ETAL` match the end of ``s``? Its match ends, but for white space and the punctuation after
    it, in ``al``, ``others``, ``u. a``, ``coll`` or ``…``, or holds ``...``: a name list that ends otherwise
    needs no search (which tries each of the last 40 places)."""
    tail = s[-40:]
    if "..." in tail:
        return True
    e = len(s)
    while e and (s[e - 1] in ",.;:" or s[e - 1].isspace()):
        e -= 1
    if e and s[e - 1] not in _ETAL_LAST:
        return False
    end = _folded(s[max(0, e - 6) : e])
    return end.endswith(_ETAL_ENDS) or (end.endswith("a") and "u." in _folded(tail))


@lru_cache(maxsize=50_000)
def _given_from_initials(word: str) -> str:
    """The given names that printed initials stand for: ``JA`` → ``J. A.``, ``Th.`` → ``Th.``; hyphenated ones as
    printed (``J.-P.``). Cached: the same initials recur in every list."""
    if "-" in word:
        return word
    return " ".join(f"{c}." for c in _initial_letters(word))


def _person(tok: str) -> Person:
    """One printed name in any order: ``Smith J``, ``Smith J.A.``, ``J. A. Smith``, ``John Smith``."""
    tok = tok.strip(" ,;")
    words = tok.split()
    initials = [_initials_like(w) for w in words]  # each word's answer, once
    if True not in initials:
        if _group_name(tok):  # the cheaper test first
            return Person(family="", literal=tok.rstrip("."))
    elif len(words) >= 2 and initials[-1] and False in initials[:-1]:
        # "Jørgensen SÆ", "Ó Briain T", "Heidegger M.": family name first, then initials
        return Person(family=" ".join(words[:-1]), given=_given_from_initials(words[-1]))
    if len(words) >= 3 and words[-1].rstrip(".").lower() in ("jr", "sr", "ii", "iii", "iv") and initials[-2]:
        p = _person(" ".join(words[:-1]))
        return Person(family=p.family, given=p.given, suffix=words[-1])
    return person_from_display(tok)


def split_author_list(s: str):
    """Split an author list in any common style into :class:`Person` objects and an "et al." flag:
    ``Smith J, Doe A``, ``Smith, J., Doe, A., & Roe, B.``, ``J. Smith, A. Doe and B. Roe``, ``Smith, J.; Doe, A.``,
    ``SMITH (J.)``; ``et al.`` (``and others``, ``…``) marks an incomplete list; organisations stay one name."""
    s = clean_text(s).strip(" ,;:")
    if "(" in s:
        s = _PAREN_INITIALS.sub(r", \1", s)  # "Bugnon (A.-L.)" → "Bugnon, A.-L."
    # anchored at the end: one match at most, and no longer than 40 characters in a cleaned string (whose spaces
    # are single), so only its end is searched
    m = _ETAL.search(s, max(0, len(s) - 40)) if _may_end_etal(s) else None
    etal = m is not None
    if m:
        s = s[: m.start()].strip(" ,;")
    if not s:
        return [], etal
    if ";" in s:
        return [person_from_inverted(p) for p in _SEMICOLONS.split(s) if p.strip()], etal
    if "," not in s and _group_name(s) and not _AND_WORD.search(s):
        return [Person(family="", literal=s.rstrip("."))], etal
    if any(map(s.__contains__, _AND_WORDS)) or not s.isprintable():  # (a white space other than the plain space)
        s = _AND.sub(", ", s)
    tokens = [t for t in map(str.strip, s.split(",")) if t]
    initials = [_initials_like(t) for t in tokens]  # each token's answer, once
    n = len(tokens)
    people = []
    i = 0
    while i < n:
        tok = tokens[i]
        if i + 1 < n:
            if initials[i + 1] and not initials[i] and not (" " in tok and _initials_like(tok.rsplit(" ", 1)[-1])):
                name = f"{tok}, {tokens[i + 1]}"
                if name.isascii() and "&" not in name and "  " not in name and "\t" not in name:
                    # what person_from_inverted makes of it: clean_text leaves such a string as it is, and the two
                    # pieces (stripped, without a comma or a semicolon) are the family and the given names
                    people.append(Person(family=tok, given=tokens[i + 1]))
                else:
                    people.append(person_from_inverted(name))
                i += 2
                continue
            nxt = tokens[i + 1]
            if nxt.lower().rstrip(".") in ("jr", "sr", "ii", "iii", "iv"):
                p = _person(tok)
                people.append(Person(family=p.family, given=p.given, suffix=nxt, literal=p.literal))
                i += 2
                continue
        people.append(_person(tok))
        i += 1
    return people, etal


# -- from labelled segments to fields -----------------------------------------------------------------------------
@dataclass
class Citation:
    """Everything one printed reference gave. ``container`` is the journal, book or proceedings the work is in
    (``container_kind``: ``journal``, ``book`` or ``proceedings``); ``type`` is a Crossref work type."""

    text: str
    authors: list[Person] = field(default_factory=list)
    authors_complete: bool = True
    editors: list[Person] = field(default_factory=list)
    title: str | None = None
    container: str | None = None
    container_kind: str | None = None
    series: str | None = None
    publisher: str | None = None
    place: str | None = None
    year: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    edition: str | None = None
    type: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    arxiv: str | None = None
    isbn: str | None = None
    url: str | None = None

    def reference(self, source: Provenance | None = None) -> Reference:
        return Reference(
            text=self.text,
            doi=self.doi,
            pmid=self.pmid,
            pmcid=self.pmcid,
            authors=self.authors,
            authors_complete=self.authors_complete,
            title=self.title,
            journal=self.container,
            year=self.year,
            volume=self.volume,
            issue=self.issue,
            pages=self.pages,
            source=source,
        )


_CUT_VOL = re.compile(r"\s*\((?:[Vv]ol|[Nn]o)\.?\s*$")
_LAST_ABBREVIATION = re.compile(r"(?:^|\s)[A-Z][a-z]{0,7}\.$")
_SPACE_RUN = re.compile(r"\s+")
_LEADING_NUMBER = re.compile(r"^\(?\d{1,4}[.)\]]\s+")
_VOLUME_ISSUE = re.compile(r"^\s*\S*?\d+[A-Za-z]?\s*(?::\s*(\d{1,3})\s*[,.]?|\(\s*([\w/–-]{1,12})\s*\))\s*[,.;:]?\s*$")
_EDGE = " ,;:/"
_QUOTES = "\"“”„«»‘’'"
# the sets of characters the functions below strip, made once
_EDGE_QUOTES = _EDGE + _QUOTES
_TITLE_END = ".,;: " + _QUOTES
_STRIP_START = _EDGE + "(["
_YEAR = re.compile(r"(?<!\d)((?:1[5-9]|20)\d{2})(?!\d)")
_VOLUME = re.compile(
    r"(?:^|\s)(?:[Vv]ol(?:ume|s)?\.?|[Bb]d\.?|[Tt]\.|[Vv]\.)?\s*([0-9]+[A-Za-z]?(?:[-–/][0-9]+)?|[IVXLC]+)"
    r"(?=$|[\s.,;:(])"
)
_ISSUE = re.compile(
    r"(?:[Nn]o\.?|[Nn]r\.?|[Ii]ssue|[Hh]eft|[Nn]°|[Nn]\.)?\s*([0-9]+[A-Za-z]?(?:\s?[-–/]\s?[0-9]+)?"
    r"|[A-Z][a-z]{1,8}(?:[-–/][A-Z][a-z]{1,8})?|S\d+|Suppl\.?\s*\d*)"
)
_PAGES = re.compile(
    r"(?<![A-Za-z])([A-Za-z]{0,3}\d+[A-Za-z]?(?:\.e\d+)?(?:\s*(?:-+|–|—|‐)\s*[A-Za-z]{0,3}\d+[A-Za-z]?(?:\.e\d+)?)?)"
)
_PAGE_WORD = re.compile(r"^(?:pages?|pp\.?|p\.|S\.|Seiten?|art\.?|article)\s*", re.IGNORECASE)
#: what a match of _PAGE_WORD starts with (the long s is an s to a case-insensitive pattern); "" too
_PAGE_WORD_STARTS = "pPsSaA\u017f"
_IN = re.compile(r"^(?:In|in|Dans|dans)\s*:?\s+")
_EDS = re.compile(r"\(?\b(?:eds?|editors?|edited by|ed\. by|hrsg|hg|dir|coord|comps?)\b\.?\)?\s*[,:.]?", re.IGNORECASE)
_EDITION = re.compile(
    r"(\d+(?:st|nd|rd|th|e|\.)?|[Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth|[Ff]ifth|[Rr]evised|"
    r"[Nn]ew|[Ee]xpanded)\b"
)
_PROCEEDINGS = re.compile(
    r"\b(?:proc|proceedings|conference|conf|symposium|workshop|congress|meeting|colloquium)\b", re.IGNORECASE
)
_THESIS = re.compile(
    r"\b(?:thesis|dissertation|ph\.?\s?d|doctoral|diss\.?|master'?s|habilitation|mémoire)\b", re.IGNORECASE
)
_REPORT = re.compile(
    r"\b(?:report|working paper|technical memo|memorandum|white paper|discussion paper|"
    r"tech\. rep)",
    re.IGNORECASE,
)
_PREPRINT = re.compile(r"\b(?:preprint|arxiv|biorxiv|medrxiv|ssrn|research square)\b", re.IGNORECASE)
_WEB = re.compile(
    r"\b(?:accessed|retrieved|available (?:at|from|online)|cited \d{4}|online|web site|website)\b", re.IGNORECASE
)
# for each pattern above, words that every match of it holds (folded: see _search)
_PROCEEDINGS_WORDS = ("proc", "conf", "symposium", "workshop", "congress", "meeting", "colloquium")
_THESIS_WORDS = ("thesis", "diss", "ph", "doctoral", "master", "habilitation", "mémoire")
_REPORT_WORDS = ("report", "paper", "memo", "tech. rep")
_PREPRINT_WORDS = ("preprint", "rxiv", "ssrn", "research square")
_WEB_WORDS = ("accessed", "retrieved", "available ", "cited ", "online", "web site", "website")


#: a label's first run: where it starts and ends (``labels[start:end]``), its text and its mean confidence
_Run = tuple[int, int, str, float]


def _first_runs(tagged: refmodel.Tagged) -> dict[str, _Run]:
    """label → its first run of consecutive tokens (a field is its label's first run)."""
    runs: dict[str, _Run] = {}
    text, spans, conf = tagged.text, tagged.spans, tagged.confidence
    i = 0
    for label, run in groupby(tagged.labels):
        j = i + len(list(run))
        if label not in runs:
            runs[label] = (i, j, text[spans[i][0] : spans[j - 1][1]], sum(conf[i:j]) / (j - i) if conf else 1.0)
        i = j
    return runs


def _next_run(tagged: refmodel.Tagged, label: str, start: int) -> _Run | None:
    """The first run of ``label`` at or after ``start``, if any."""
    labels = tagged.labels
    try:
        i = labels.index(label, start)
    except ValueError:
        return None
    j = i + 1
    n = len(labels)
    while j < n and labels[j] == label:
        j += 1
    conf = tagged.confidence
    return i, j, tagged.text[tagged.spans[i][0] : tagged.spans[j - 1][1]], sum(conf[i:j]) / (j - i) if conf else 1.0


def _first(runs: dict[str, _Run], label: str, min_conf: float) -> str | None:
    """The text of the first run of ``label``, unless the model gave it less than ``min_conf``."""
    r = runs.get(label)
    return r[2] if r is not None and r[3] >= min_conf else None


def _first_number(runs: dict[str, _Run], label: str, min_conf: float) -> str | None:
    """:func:`_first` for a volume or issue: a run that is a bare number (``349``, ``(6251)``) is number-shaped
    like a year, so the year's lower bar is enough for it ("Science. 2015;349(6251):aac4716.": 0.47 and 0.31)."""
    r = runs.get(label)
    if r is None:
        return None
    text, c = r[2], r[3]
    if c >= min_conf or (c >= min(min_conf, MIN_YEAR_CONFIDENCE) and text.strip("()[],;:. ").isdigit()):
        return text
    return None


_GAP_OK = frozenset(("date", "other", "note", "volume", "number", "pages", "genre"))


def _title_text(tagged: refmodel.Tagged, runs: dict[str, _Run], min_conf: float) -> str | None:
    """The first title run, joined with a later one when only a short run of another label (a year or a number
    inside the title: ``Barringer (1860-1929) and his crater``) stands between them."""
    r = runs.get("title")
    if r is None:
        return None
    i, j = r[0], r[1]
    labels, spans = tagged.labels, tagged.spans
    if tagged.confidence and tagged.confidence[i] < min_conf:
        # a title in the title's place, right after the authors, editors or their year, and before another
        # field, is bounded on both sides: a lower bar there ("J.M. Foley, Homer's Traditional Art, University
        # Park 1999.": 0.31)
        if not (
            i
            and labels[i - 1] in ("author", "editor", "date")
            and j < len(labels)
            and tagged.confidence[i] >= min(min_conf, MIN_PLACED_TITLE_CONFIDENCE)
        ):
            return None
    j -= 1
    n = len(labels)
    while True:
        while j + 1 < n and labels[j + 1] == "title":
            j += 1
        k = j + 1
        while k < n and k - j <= 3 and labels[k] != "title" and labels[k] in _GAP_OK:
            k += 1
        if k < n and k - j <= 3 and labels[k] == "title" and k > j + 1:
            j = k
            continue
        break
    return tagged.text[spans[i][0] : spans[j][1]]


def _strip(s: str | None) -> str | None:
    """A publisher or place without the punctuation around it, and without a closing bracket it does not open."""
    if s is None:
        return None
    s = s.strip(_STRIP_START)
    while s and s[-1] in ")]" and s.count(s[-1]) > s.count("(" if s[-1] == ")" else "["):
        s = s[:-1].rstrip(_EDGE)
    while s and s[-1] in ".,;:":
        s = s[:-1].rstrip(_EDGE)
    return s or None


# what a title segment may end on that is not the title: the "In" before the book it is in (AnyStyle's labels
# often keep it: ``"Holocaust Spaces," in``), a Chinese document-type code (``[J]``, ``[M]``, ``[EB/OL]``)
_TITLE_TAIL = re.compile(r"(?:(?<=[,.;:\"”’»'])\s*(?:in|In|IN|dans|Dans)\s*:?|\s*\[[A-Z]{1,2}(?:/OL)?\])\s*[.,]?\s*$")


_TAIL_ENDS = ("in", "In", "IN", "dans", "Dans", "]")


def _title(s: str | None) -> str | None:
    if s is None:
        return None
    if s.endswith(("n", "N", ":", "]", "s", ".", ",")):
        # what _TITLE_TAIL matches ends the string, and it ends, but for white space, full stops, commas and a
        # colon, in one of its words or a bracket: only such a title is searched (the pattern tries every place)
        e = len(s)
        while e and (s[e - 1] in ".,:" or s[e - 1].isspace()):
            e -= 1
        if s.endswith(_TAIL_ENDS, 0, e):
            s = _TITLE_TAIL.sub("", s)
    s = s.strip(_EDGE_QUOTES).rstrip(_TITLE_END).lstrip("(")
    if s.endswith(")") and s.count(")") > s.count("("):
        s = s[:-1]
    return s.strip() or None


def _container(s: str | None, before_year: bool = True) -> str | None:
    """A journal or book title without the punctuation around it. Its final full stop is kept when the name is
    written in dotted abbreviations and a volume follows (``J. Hepatol. 72``); before a year (``Nat. Methods.
    2017;``) or in undotted Vancouver names (``Cell Commun Signal.``) it only ends the segment."""
    if s is None:
        return None
    s = s.strip(_EDGE_QUOTES)
    if s[:1] in "IiDd":  # (what _IN can match starts so; "" too)
        s = _IN.sub("", s)
    s = s.strip(_EDGE_QUOTES)
    if "(" in s:
        s = _CUT_VOL.sub("", s)  # "Handbook (Vol." cut by the model
    s = s.rstrip(_EDGE + "(")
    if s.endswith(".") and (before_year or "." not in s[:-1] or not _LAST_ABBREVIATION.search(s)):
        s = s[:-1]
    return s.strip() or None


def _followed_by_year(tagged: refmodel.Tagged, runs: dict[str, _Run], label: str) -> bool:
    """Is the first run of ``label`` followed by a year (``Nat. Methods. 2017;``)?"""
    r = runs.get(label)
    if r is None:
        return False
    i = r[1]
    return i < len(tagged.labels) and bool(_YEAR.match(tagged.tokens[i].strip("(")))


def _bounded(tagged: refmodel.Tagged, r: _Run | None) -> bool:
    """Is the run ``r`` in a journal's place: after the title (or its year) and before the volume, issue, pages
    or year ("… tumeurs osseuses du VIIIè siècle Paléobios 5, 2/3 1989")?"""
    if r is None or not r[0] or r[1] >= len(tagged.labels):
        return False
    labels = tagged.labels
    return labels[r[0] - 1] in ("title", "date") and labels[r[1]] in ("volume", "issue", "pages", "date")


def _persons(s: str | None, editors: bool = False):
    if not s:
        return [], False
    s = s.strip()
    if editors:
        s = _IN.sub("", s)
        s = _EDS.sub(" ", s)
        s = _SPACE_RUN.sub(" ", s)
    if s[:1].isdigit() or s[:1] == "(":
        s = _LEADING_NUMBER.sub("", s)  # a citation number the model left in the first author
    return split_author_list(s)


_NAME_THEN_INITIALS = re.compile(r"^[^\W\d_][\w'’-]*(?:\s[^\W\d_][\w'’-]*)?\s[A-Z]{1,3}\.$")


_PAGE_LIKE = re.compile(r"^[A-Za-z]{0,2}\d+(?:[-–]\d+)?[.,;]?$")
_CLOSING = {'"': '"', "“": "”", "„": "“", "«": "»", "‘": "’", "'": "'"}
_NOT_A_CONTAINER = frozenset(("in", "In", "dans", ",", ".", ":", ";", "In:"))


def _end_title_at_its_quote(tagged: refmodel.Tagged, runs: dict[str, _Run]) -> bool:
    """A quoted title ends where its quotation does: when the model runs the title on past the closing quote
    (``“A Change of Thinking.” Current Writing 21: 78-96`` → title "A Change of Thinking"), what follows it in the
    run is the journal (a volume or issue follows) or the book it is in. True when it changed a label."""
    r = runs.get("title")
    if r is None:
        return False
    labels, toks = tagged.labels, tagged.tokens
    i = r[0]
    q = toks[i][0]
    close = _CLOSING.get(q)
    if close is None or (len(toks[i]) == 1) != (q in '"“„«'):
        return False
    j = r[1] - 1
    k = None
    for m in range(i + 1 if len(toks[i]) == 1 else i, j + 1):
        t = toks[m]
        if (t == close if len(toks[i]) == 1 and q in '"“„«' and len(t) == 1 else t.endswith(close)) and (
            m > i or len(t) > 2
        ):
            k = m
            break
    if k is None or k >= j:
        return False
    rest = [m for m in range(k + 1, j + 1) if toks[m] not in _NOT_A_CONTAINER]
    if not rest or not any(c.isalnum() for m in rest for c in toks[m]):
        return False
    after = labels[j + 1 :]
    lab = "journal" if ("volume" in after or "issue" in after) and "journal" not in runs else "container"
    if lab in runs:
        return False
    start = rest[0]
    for m in range(start, j + 1):
        labels[m] = lab
    return True


# -- structural repairs of a title run that holds the next field (issue 14) ------------------------------------------
#: what closes a clause before the word that starts the next field: ``Title. In``, ``"Title," in``, ``Title? J``
_CLAUSE_END = (".", ",", ";", ":", "?", "!", '"', "”", "’", "'", "»", ")")
_IN_TOKENS = frozenset(("In", "In:", "in:", "IN", "IN:", "Dans", "dans", "Dans:"))
#: the words a book or proceedings title opens with when a title segment runs into it
_PROCEEDINGS_START = frozenset(("Proc.", "Proc", "Proceedings", "Proceeding", "Actes", "Tagungsband"))
_PRESENTED = frozenset(("presented", "Presented"))
#: what opens a work type written after the title (``Technical Report TR-96-266``, ``PhD thesis``, ``Preprint``)
_GENRE_START = frozenset(
    (
        "technical",
        "tech.",
        "tech",
        "report",
        "phd",
        "ph.d.",
        "ph.d",
        "thesis",
        "dissertation",
        "doctoral",
        "preprint",
        "manuscript",
        "unpublished",
        "working",
        "master's",
        "masters",
        "msc",
    )
)
_GENRE_SECOND = frozenset(("report", "thesis", "dissertation", "paper", "memo", "memorandum", "note"))
_EDITION_TAIL = re.compile(r"^(?:\d+(?:st|nd|rd|th|e|\.)|[Ff]irst|[Ss]econd|[Tt]hird|[Rr]evised|[Nn]ew)$")
_EDITION_WORD = frozenset(
    ("ed.", "edn.", "edn", "edition", "edition.", "edition,", "ed.,", "edn.,", "Edition", "Edition.")
)
_VOLUME_MARK = frozenset(("Vol.", "vol.", "Vol", "vol", "Volume", "volume", "Bd.", "Vols.", "vols."))


def _ends_sentence(tok: str, before: str = "") -> bool:
    """Does ``tok`` end a sentence (``multifunctions.``, ``relationship?``, ``(abstract).``), not an abbreviation
    or an initial (``J.``, ``Biol.``, ``U.S.``, ``C.``)? A title segment that runs into the next field runs over
    such a sentence end."""
    if tok[-1:] not in '.?!"”':  # (most tokens)
        return False
    if tok.endswith(("?", "!", '?"', "?”", '!"', "!”")):
        return True
    if not tok.endswith(".") or tok.endswith(".."):
        return False
    core = tok[:-1]
    if core.endswith((")", "]", '"', "”", "’")):
        return True
    if len(core) < 2 or "." in core or not core[-1].isalnum():
        return False
    if core.isdigit():
        return len(core) >= 2
    if core[0].isupper() and len(core) <= 4:  # "Chem.", "Soc.", "Proc.", "USA."
        return False
    if before.endswith(".") and before[:1].isupper() and len(before) <= 8:  # "Phys. Control.", "Gen. Relativ."
        return False
    return "jword" not in refmodel._WORDS.get(core.lower(), ())


def _relabel(tagged: refmodel.Tagged, start: int, end: int, label: str, conf_from: int) -> None:
    """Give tokens ``start:end`` the label ``label`` and the confidence of token ``conf_from``'s run."""
    c = tagged.confidence[conf_from] if tagged.confidence else 1.0
    for m in range(start, end):
        tagged.labels[m] = label
        if tagged.confidence:
            tagged.confidence[m] = c


def _free(runs: dict[str, _Run], label: str, at: int) -> bool:
    """May a segment ending at ``at`` take ``label``: the label has no run yet, or its first run starts there (the
    segment then joins it)?"""
    r = runs.get(label)
    return r is None or r[0] == at


def _cut_title_tail(tagged: refmodel.Tagged, runs: dict[str, _Run]) -> bool:
    """A title segment that runs on into the next field is cut where the style says that field starts, and the
    tail is given to the label the style implies (each only when that label has no segment of its own yet):
    ``Title. In: Book`` and ``"Title," in Book`` (the book, or its editors then the book), ``Title // Journal``,
    ``Title. Proceedings of…`` and ``Title. Paper presented at…`` (the proceedings), ``Title. Technical Report…``
    (the work's type), ``Title. 2nd ed.`` (the edition), ``Title. Vol. 3`` (the volume). True when it changed a
    label."""
    r = runs.get("title")
    if r is None:
        return False
    i, j = r[0], r[1]
    if j - i < 3:
        return False
    labels, toks = tagged.labels, tagged.tokens
    if _TAIL_WORDS.isdisjoint(toks[i + 2 : j]):
        return False  # (a quick look: each step below starts at, or looks one word ahead to, one of these words)
    for k in range(i + 2, j):
        t, prev = toks[k], toks[k - 1]
        if t in _IN_TOKENS and prev.endswith(_CLAUSE_END) and k + 1 < j:
            nxt = toks[k + 1]
            if nxt == ":" and k + 2 < j:
                nxt = toks[k + 2]
            if not nxt[:1].isupper() or sum(1 for m in range(i, k) if toks[m][:1].isalpha()) < 2:
                continue
            if not _free(runs, "container", j):
                return False
            # the editors of the book, when the tail names them ("In: Smith J, Roe A, editors. Book")
            e = next((m for m in range(k + 1, j) if toks[m].lower().strip("(),.:") in _EDITORS), None)
            if e is not None and e + 1 < j and "editor" not in runs:
                _relabel(tagged, k, e + 1, "editor", i)
                _relabel(tagged, e + 1, j, "container", i)
            else:
                _relabel(tagged, k, j, "container", i)
            return True
        if t == "//" or t == "/" and prev.endswith("."):
            lab = "journal" if {"volume", "issue", "pages"}.intersection(labels[j:]) else "container"
            if not _free(runs, lab, j) or k + 1 >= j:
                return False
            _relabel(tagged, k, j, lab, i)
            return True
        if t in _PROCEEDINGS_START and prev == "," and k + 1 < j and _free(runs, "container", j):
            _relabel(tagged, k, j, "container", i)  # "The Information Visualizer, Proceedings of Human Factors…"
            return True
        if not (
            t in _PROCEEDINGS_START
            or t in _GENRE_TOKENS
            or t in _VOLUME_MARK
            or k + 1 < j
            and (toks[k + 1] in _PRESENTED or toks[k + 1] in _EDITION_WORD)
        ) or not _ends_sentence(prev):
            continue  # (the quick look first: most words start none of these)
        if (t in _PROCEEDINGS_START or k + 2 < j and toks[k + 1] in _PRESENTED) and _free(runs, "container", j):
            _relabel(tagged, k, j, "container", i)
            return True
        low = t.lower()
        if (
            t in _GENRE_TOKENS
            and (
                low not in ("technical", "tech.", "tech", "working")
                or k + 1 < j
                and toks[k + 1].lower().strip(".,") in _GENRE_SECOND
            )
            and "genre" not in runs
        ):
            _relabel(tagged, k, j, "genre", i)
            return True
        if k + 1 < j and _EDITION_TAIL.match(t.rstrip(",")) and toks[k + 1] in _EDITION_WORD and "edition" not in runs:
            _relabel(tagged, k, k + 2, "edition", i)
            return True
        if t in _VOLUME_MARK and k + 1 < j and toks[k + 1][:1].isdigit() and j - k <= 3 and "volume" not in runs:
            _relabel(tagged, k, j, "volume", i)
            return True
    return False


_NUMBER_TOKEN = re.compile(r"^\(?\d{1,4}\)?[,.;:]?$")
_RANGE_TOKEN = re.compile(r"^[A-Za-z]?\d+[-–][A-Za-z]?\d+[,.;]?$")


def _bare_end(toks: list[str], i: int, j: int, keep: int = 0) -> int:
    """The end of the run ``toks[i:j]`` before the marks that close it (``,`` ``.`` ``;`` ``:`` tokens), keeping
    at least ``keep`` of its tokens."""
    e = j
    while e > i + keep and toks[e - 1] in ",.;:":
        e -= 1
    return e


def _journal_in_title(tagged: refmodel.Tagged, runs: dict[str, _Run]) -> bool:
    """A journal left inside the title: "Acute cholangitis … (clinoril). Histopathology, 1987, vol. 11",
    "… how reliable is the relationship? Health Qual Life Outcomes. 2009; 7: 27" — no journal or container label,
    a year, volume, issue or pages follow the title and a volume or pages come after it: the title's last
    sentence (after its last sentence end, :func:`_ends_sentence`), when short and capitalised, is the journal.
    True when it changed a label."""
    if "journal" in runs or "container" in runs:
        return False
    r = runs.get("title")
    if r is None:
        return False
    i, j = r[0], r[1]
    labels, toks = tagged.labels, tagged.tokens
    # the volume, issue or pages the model left at the title's end ("Mathematical Programming Study, 14 206-214,")
    e = _bare_end(toks, i, j)
    end = e
    while e > i + 2 and (_NUMBER_TOKEN.match(toks[e - 1]) or _RANGE_TOKEN.match(toks[e - 1])):
        e -= 1
    if end - e != 2 or "volume" in runs or "pages" in runs or not _RANGE_TOKEN.match(toks[e + 1]):
        e = j  # not a plain "volume pages" tail
    after = labels[j:]
    if e == j:
        first = after[0] if after else None
        if first in ("other", "note") and toks[j].lower() in _MARKS:  # "Machine Learning, Vol. 19"
            first = "volume"
        if first not in ("date", "volume", "issue", "pages") or not ("pages" in after or "volume" in after):
            return False
    for k in range(e - 1, max(i + 1, e - 10), -1):
        if _ends_sentence(toks[k - 1], toks[k - 2]):
            break
    else:
        return False
    if not toks[k][:1].isupper() or not any(toks[m][:1].isalpha() for m in range(i, k)):
        return False
    _relabel(tagged, k, e, "journal", k)
    if e < j:
        _relabel(tagged, e, e + 1, "volume", e)
        if e + 1 < j:
            _relabel(tagged, e + 1, j, "pages", e)
    return True


_MARKS = frozenset(("vol.", "vol", "volume", "no.", "nr.", "pp.", "p.", "bd.", "issue"))


def _title_in_journal(tagged: refmodel.Tagged, runs: dict[str, _Run]) -> bool:
    """A title inside the journal: no title label, and the first journal or container run holds a sentence end
    before a capitalised rest and is followed by a volume or pages ("(2010). The School Counseling Program
    Implementation Survey: Initial instrument development. Professional School Counseling, 14, 125-133."): what
    comes before its last sentence end is the title. True when it changed a label."""
    found = [runs[lab] + (lab,) for lab in ("journal", "container") if lab in runs]
    if not found:
        return False
    i, j, _, _, lab = min(found)
    labels, toks = tagged.labels, tagged.tokens
    after = labels[j:]
    if not ("volume" in after or "pages" in after) or after[0] not in ("date", "volume", "issue", "pages"):
        return False
    for k in range(j - 1, i + 1, -1):
        if _ends_sentence(toks[k - 1], toks[k - 2]):
            break
    else:
        return False
    # a title has a word in lower case without a full stop, or no abbreviation's full stop before its end
    # ("Project Estancia Jatoba."); "Plasma Phys. Control. Fusion 53" has neither
    if not toks[k][:1].isupper() or not (
        any(toks[m][:1].islower() and toks[m][-1] != "." for m in range(i, k))
        or not any(toks[m].endswith(".") for m in range(i, k - 1))
    ):
        return False
    _relabel(tagged, i, k, "title", i)
    return True


#: lower-case words a field after the title may start with (``in Book``, ``pp. 5``, ``ed. by``, ``trans.``)
_FIELD_START_WORDS = frozenset(
    "in dans en im pp pp. p. p vol vol. v. no. n. nr. ed ed. eds eds. edited edn trans. translated tr. retrieved "
    "accessed available doi doi: http https www s. t. et al. and/or hrsg. hg. dir. sous éd. ed.by to forthcoming "
    "submitted unpublished accepted presented cited".split()
)
_CONTINUED = frozenset(("container", "journal", "note", "location", "publisher", "collection"))


def _title_goes_on(tagged: refmodel.Tagged, runs: dict[str, _Run]) -> bool:
    """A title cut short before a word in lower case: ``“Like” and language ideology: disentangling fact from
    fiction. American Speech, 82(4)`` labelled title ``“Like”``, container ``and language ideology…``. A field
    does not start with such a word (but for ``in``, ``pp.``, ``ed.`` and the like), so the run right after the
    title that does is the title's rest. True when it changed a label."""
    r = runs.get("title")
    if r is None:
        return False
    j = r[1]
    labels, toks = tagged.labels, tagged.tokens
    n = len(labels)
    if j >= n or labels[j] not in _CONTINUED or _ends_sentence(toks[j - 1]):
        return False
    lab = labels[j]
    k = j
    while k < n and toks[k] in ":;,–-":
        k += 1
    w = toks[k] if k < n else ""
    if not (w.isalpha() and w.islower() and len(w) > 1) or w in _FIELD_START_WORDS:
        return False
    e = j
    while e < n and labels[e] == lab:
        e += 1
    if e - j > 25:
        return False
    _relabel(tagged, j, e, "title", r[0])
    return True


#: what a volume or issue is written with at a journal's end (``VOL.11``, ``Volume21``, ``n°180``, ``Fasc. VI``)
_VOLUME_START = re.compile(r"^(?:vol(?:ume)?s?\.?|fasc\.?|n°|no\.|nr\.|bd\.|tome|t\.|jg\.|h\.)\s*\d*", re.IGNORECASE)
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")
_ROMAN_NUMERAL = re.compile(r"^[IVXLC]+$")


def _cut_journal_tail(tagged: refmodel.Tagged, runs: dict[str, _Run]) -> bool:
    """A journal run that ends in its volume or date, or in its publisher's acronym, is cut there: ``IEEE
    Communications Surveys, VOL.11,`` (the volume), ``Pollution atmosphérique, June`` before the year (the
    date), ``Journal of Applied Mechanics, ASME,`` (the publisher). True when it changed a label."""
    r = runs.get("journal")
    if r is None:
        return False
    i, j = r[0], r[1]
    labels, toks = tagged.labels, tagged.tokens
    e = _bare_end(toks, i, j)
    if e - i < 2:
        return False
    nxt = labels[j] if j < len(labels) else None
    for k in range(max(i + 1, e - 3), e):
        t = toks[k]
        comma = toks[k - 1] == ","
        if _VOLUME_START.match(t) and (any(c.isdigit() for c in t) or k + 1 < e):
            lab = "volume"
        elif comma and nxt == "date" and "month" in refmodel._WORDS.get(t.rstrip(".,;:").lower(), ()):
            lab = "date"
        elif (
            comma
            and k + 1 == e
            and nxt in ("volume", "issue", "other")
            and _ACRONYM.match(t)
            and not _ROMAN_NUMERAL.match(t)
            and "publisher" not in runs
        ):
            lab = "publisher"
        else:
            continue
        if lab != "publisher" and not _free(runs, lab, j):
            return False
        _relabel(tagged, k, j, lab, i)
        return True
    return False


#: words a title does not end on (a segment that ends on one runs on in the next)
_OPEN_ENDED = frozenset("of in the and for on to with from a an by at de la le du des et und der die das".split())


def _journal_starts_late(tagged: refmodel.Tagged, runs: dict[str, _Run]) -> bool:
    """The title's end taken for the journal's start: "… systematic relationships in Hydrozoa. Sci Mar 2000; 64"
    labelled title "… relationships in", journal "Hydrozoa. Sci Mar": a title does not end on ``in``, ``of``,
    ``the`` and the like, so when the journal run right after it holds a sentence end (:func:`_ends_sentence`)
    before a capitalised rest, what comes before is the title's end. True when it changed a label."""
    r, t = runs.get("journal"), runs.get("title")
    if r is None or t is None or t[1] != r[0] or tagged.tokens[t[1] - 1] not in _OPEN_ENDED:
        return False
    i, j = r[0], r[1]
    toks = tagged.tokens
    for k in range(i + 1, j):
        if _ends_sentence(toks[k - 1], toks[k - 2]):
            break
    else:
        return False
    if not toks[k][:1].isupper():
        return False
    _relabel(tagged, i, k, "title", t[0])
    return True


_DASHES = re.compile(r"^[—–_-]{2,}\.?$")
_AN_INITIAL = re.compile(r"^(?:[A-Z][a-z]?\.)(?:-?[A-Z]\.)*$")


def _title_in_authors(tagged: refmodel.Tagged, runs: dict[str, _Run]) -> bool:
    """A title left in the author run of a one-author book or chapter, "Forster, E. M. Howards End. New York:
    Barnes & Noble", "———. Watt. Paris: Olympia Press": no title label, the run starts with ``Family,`` (or the
    dashes that repeat the author before), and after the given names a sentence end is followed by a capitalised
    rest that ends the run: that rest is the title. True when it changed a label."""
    r = runs.get("author")
    if r is None or "title" in runs:
        return False
    i, j = r[0], r[1]
    toks = tagged.tokens
    if j >= len(toks) or j - i < 2:
        return False
    if _DASHES.match(toks[i]):
        k = i + 1 if toks[i].endswith(".") else i + 2
        if k > i + 1 and toks[i + 1] != ".":
            return False
    elif toks[i + 1] == "," and toks[i][:1].isupper():
        k = i + 2
        while k < j and not (toks[k].endswith(".") and not (k + 1 < j and _AN_INITIAL.match(toks[k + 1]))):
            if toks[k] in (";", "&", "and") or k - i > 6:
                return False
            k += 1
        k += 1
    else:
        return False
    if not (i < k < j) or not toks[k][:1].isupper():
        return False
    rest = toks[k:j]
    if any(t in ("and", "&", "et", "al.", "al") for t in rest):
        return False  # more names
    if len(rest) == 1 and _AN_INITIAL.match(toks[k - 1]):
        return False  # "Crawkes, Coronel J. Beresford.": a name after an initial as likely as a title
    _relabel(tagged, k, j, "title", i)
    return True


def _container_is_a_journal(tagged: refmodel.Tagged, runs: dict[str, _Run]) -> bool:
    """A journal taken for a book: no journal label, and the container run is followed by its volume (after
    its year, perhaps) or ends in one ("Oral Tradition 3 (1988), pp. 11-60"), with no ``In``, editors or
    proceedings word to make it a book: it is the journal. True when it changed a label."""
    r = runs.get("container")
    if r is None or "journal" in runs or "editor" in runs or "publisher" in runs or "location" in runs:
        return False
    i, j = r[0], r[1]
    labels, toks = tagged.labels, tagged.tokens
    if toks[i] in _IN_TOKENS or i and toks[i - 1] in _IN_TOKENS or _search(_PROCEEDINGS, _PROCEEDINGS_WORDS, r[2]):
        return False
    e = _bare_end(toks, i, j, keep=1)
    k = j
    while k < len(labels) and labels[k] == "date":
        k += 1
    if k < len(labels) and labels[k] == "volume":
        _relabel(tagged, i, j, "journal", i)
        return True
    if "volume" not in runs and e - i >= 2 and _NUMBER_TOKEN.match(toks[e - 1]) and toks[e - 1][:1].isdigit():
        if k < len(labels) and labels[k] in ("pages", "issue") or j < len(labels) and labels[j] == "date":
            _relabel(tagged, i, e - 1, "journal", i)
            _relabel(tagged, e - 1, e, "volume", i)
            return True
    return False


def _journal_starts_early(tagged: refmodel.Tagged, runs: dict[str, _Run]) -> bool:
    """The journal's first words taken for the title's end: "… refugee youth in Australia. Critical Inquiry in
    Language Studies, 6(1-2)" labelled title "… Australia. Critical Inquiry in", journal "Language Studies,": a
    title run that ends on a bare word (no stop, comma or quote) right before the journal gives the journal what
    follows its last sentence end, or its last comma (comma-separated styles), when that is a short capitalised
    phrase. True when it changed a label."""
    r, t = runs.get("journal"), runs.get("title")
    if r is None or t is None or t[1] != r[0]:
        return False
    i, j = t[0], t[1]
    toks = tagged.tokens
    if not toks[j - 1][-1:].isalpha():
        return False
    for k in range(j - 1, max(i + 1, j - 6), -1):
        if _ends_sentence(toks[k - 1], toks[k - 2]) or toks[k - 1] == ",":
            break
    else:
        return False
    if not toks[k][:1].isupper():
        return False
    _relabel(tagged, k, j, "journal", r[0])
    return True


def _is_word(tok: str, kind: str) -> bool:
    """Is ``tok`` (its letters, lower-cased) one of the model's ``kind`` words (``pubword``, ``place``)?"""
    return kind in refmodel._WORDS.get(tok.strip(".,;:()").lower(), ())


def _publisher_in_title(tagged: refmodel.Tagged, runs: dict[str, _Run]) -> bool:
    """A book's publisher (and place) left at the title's end: "Analyzing Data with Prism. GraphPad Software
    Inc., San Diego" (title, then the place), "… Scientists in the EU. Leeds: Centre for the Study of Law, 2003"
    (``Place: Publisher`` before the year or the string's end): the title's last sentence, when it is short,
    capitalised and holds a publisher's word (Press, University, Verlag, Inc …) or is ``Place: Publisher``, is
    given to them. True when it changed a label."""
    r = runs.get("title")
    if r is None or "publisher" in runs:
        return False
    i, j = r[0], r[1]
    labels, toks = tagged.labels, tagged.tokens
    nxt = labels[j] if j < len(labels) else None
    if nxt != "location" and ":" not in r[2]:
        return False  # (a quick look: neither step can apply)
    for k in range(j - 1, max(i + 1, j - 10), -1):
        if _ends_sentence(toks[k - 1], toks[k - 2]):
            break
    else:
        return False
    if not toks[k][:1].isupper() or not any(toks[m][:1].islower() for m in range(i, k)):
        return False
    tail = range(k, j)
    colon = next((m for m in tail if toks[m] == ":" or toks[m].endswith(":")), None)
    if nxt == "location" and colon is None and any(_is_word(toks[m], "pubword") for m in tail):
        _relabel(tagged, k, j, "publisher", i)
        return True
    if (
        colon is not None
        and "location" not in runs
        and nxt in (None, "date")
        and k < colon < j - 1
        and colon - k <= 4
        and all(toks[m][:1].isupper() or toks[m] == "," for m in range(k, colon + (toks[colon] != ":")))
        and toks[colon + 1][:1].isupper()
    ):
        _relabel(tagged, k, colon + 1, "location", i)
        _relabel(tagged, colon + 1, j, "publisher", i)
        return True
    return False


#: what ends a name list before its title: an initial's full stop (``H.A.``, ``GF.``), ``et al.``, ``eds.``
_LIST_ENDS = frozenset(("al.", "eds.", "ed.", "Ed.", "Eds.", "(eds.)", "(Eds.)", "(ed.)", "(Ed.)", "eds.)", "ed.)"))


def _title_starts_early(tagged: refmodel.Tagged, runs: dict[str, _Run]) -> bool:
    """The title's first words left in the author (or editor) run before it: "Weiler, H.A. Vitamin D: An overview
    of…" labelled authors "…, Weiler, H.A. Vitamin D:", title "An overview…": a name list ends on its last
    initials (or ``et al.``, ``eds.``), so one to four capitalised words after them, right before the title, are
    the title's start. True when it changed a label."""
    t = runs.get("title")
    if t is None or not t[0]:
        return False
    j = t[0]
    labels, toks = tagged.labels, tagged.tokens
    lab = labels[j - 1]
    if lab not in ("author", "editor") or toks[j - 1].endswith(".") or toks[j - 1] in (",", ";"):
        return False  # (the run's last word would be the title's: no full stop after it, no list's comma)
    m = j - 1
    while m > max(0, j - 6) and labels[m - 1] == lab:
        if toks[m - 1] in _LIST_ENDS or toks[m - 1].endswith(".") and _initials_like(toks[m - 1]):
            break
        m -= 1
    else:
        return False
    tail = toks[m:j]
    first = runs[lab][0]
    if (
        m - 1 == first
        or _initials_like(toks[first])  # "A. P. Witkin. Scale-space…": given names first, the family name after
        or not tail[0][:1].isupper()
        or tail[-1].endswith(".")  # "William G. Cochran. Sampling…": a family name's full stop
        or sum(w[:1].isalnum() for w in tail) == 1
        and tail[-1].endswith(":")  # "Peter E. Gordon: Title"
        or any(w in (",", ";", "&", "and", "et", "al.") or w.endswith(".") and _initials_like(w) for w in tail)
    ):
        return False
    _relabel(tagged, m, j, "title", j)
    return True


def _publisher_is_a_journal(tagged: refmodel.Tagged, runs: dict[str, _Run]) -> bool:
    """A journal taken for a publisher: no journal or container label, and the publisher run right after the title
    is followed (after its year, perhaps) by a volume, an issue or a page range ("… with bilateral renal artery
    stenosis. Blood Press 1996; 5: 360-362."): a book's publisher is followed by its year or its page count, not
    by these. True when it changed a label."""
    r, t = runs.get("publisher"), runs.get("title")
    if r is None or t is None or t[1] != r[0] or "journal" in runs or "container" in runs or "location" in runs:
        return False
    labels, toks = tagged.labels, tagged.tokens
    if any(_is_word(w, "pubword") or _is_word(w, "eds") for w in toks[r[0] : r[1]]):
        return False  # "Cambridge University Press, 189-208": a publisher, the pages of a chapter
    k = r[1]
    while k < len(labels) and labels[k] == "date":
        k += 1
    if k >= len(labels) or not (
        labels[k] in ("volume", "issue") or labels[k] == "pages" and any(c in toks[k] for c in "-–")
    ):
        return False
    _relabel(tagged, r[0], r[1], "journal", r[0])
    return True


_BEFORE_TITLE = frozenset(("author", "editor", "date", "number", "other"))


def _container_in_titles_place(tagged: refmodel.Tagged, runs: dict[str, _Run]) -> bool:
    """A book's title taken for another field in the title's place (only the names, their year, a citation
    number before it) when there is no title: a container run (an edited book cited whole, "Roe, A. (ed.),
    Studies of Things, Rome, 2003") is the title; a publisher or note run gives the title its first sentence
    ("(1984). Dictionary of Sociology. Harmondsworth, Penguin."). True when it changed a label."""
    if "title" in runs:
        return False
    labels, toks = tagged.labels, tagged.tokens
    i = 0
    while i < len(labels) and labels[i] in _BEFORE_TITLE:
        i += 1
    if not i or i == len(labels) or toks[i] in _IN_TOKENS or toks[i].islower():
        return False  # ("in: Book", "to be presented at …": a container after all)
    lab = labels[i]
    j = i
    while j < len(labels) and labels[j] == lab:
        j += 1
    if lab == "container":
        _relabel(tagged, i, j, "title", i)
        return True
    if lab not in ("publisher", "note"):
        return False
    for k in range(i + 1, j - 1):
        if _ends_sentence(toks[k], toks[k - 1]):
            break
    else:
        return False
    if not toks[k + 1][:1].isupper():
        return False
    _relabel(tagged, i, k + 1, "title", i)
    return True


#: the genre words as printed: in lower case, capitalised or in capitals
_GENRE_TOKENS = frozenset(w for g in _GENRE_START for w in (g, g.capitalize(), g.upper()))
#: every word a step of :func:`_cut_title_tail` starts at or looks ahead to
_TAIL_WORDS = frozenset(
    (*_IN_TOKENS, "//", "/", *_PROCEEDINGS_START, *_GENRE_TOKENS, *_VOLUME_MARK, *_PRESENTED, *_EDITION_WORD)
)
_EDITORS = frozenset(("ed", "eds", "editor", "editors", "hrsg", "hg", "dir", "coord"))


_Step = Callable[[refmodel.Tagged, dict[str, _Run]], bool]
#: the repairs of whole runs, in their order (each says whether it changed a label; the runs are then made again);
#: the steps of one entry are tried in turn, a later one only when the earlier changed nothing
_RUN_REPAIRS: tuple[tuple[_Step, ...], ...] = (
    (_end_title_at_its_quote,),
    (_title_starts_early,),
    (_title_goes_on,),
    (_cut_title_tail,),
    (_cut_journal_tail,),
    (_publisher_in_title,),
    (_journal_starts_late, _journal_starts_early),
    (_container_is_a_journal, _publisher_is_a_journal),
)
#: where a missing title is looked for, in this order, while there is none
_TITLE_FINDERS: tuple[_Step, ...] = (_title_in_journal, _title_in_authors, _container_in_titles_place)


def _repair(tagged: refmodel.Tagged, runs: dict[str, _Run]) -> dict[str, _Run]:
    """Mend what the model gets wrong in a known way, before the labels become fields: see each step. ``runs``
    are the labels' first runs (:func:`_first_runs`: a label is there when it has one); the same after the
    repairs are returned (made again after a step that changed a label)."""
    labels, toks = tagged.labels, tagged.tokens
    n = len(labels)
    for alternatives in _RUN_REPAIRS:
        if any(step(tagged, runs) for step in alternatives):
            runs = _first_runs(tagged)
    for find in _TITLE_FINDERS:
        if "title" not in runs and find(tagged, runs):
            runs = _first_runs(tagged)
    # a book's title taken for a journal or container: no title, and the "container" is followed by its place or
    # publisher, with no volume after it ("Moustakas, C. (1994). Phenomenological research methods. Thousand
    # Oaks, CA: Sage.")
    if "title" not in runs:
        found = [runs[lab] for lab in ("journal", "container") if lab in runs]
        if found:
            i, j = min(found)[:2]  # the first of the two; j: where its run ends
            after = labels[j:]
            if after and after[0] == "date" and len(after) > 1:  # "… cognitive psychology. (1991). Oxford: Blackwell."
                d = j + 1
                while d < n and labels[d] == "date":
                    d += 1
                after = labels[d:]
            if (
                after
                and after[0] in ("location", "publisher", "edition")
                and "volume" not in after
                and "journal" not in after
                and "container" not in after
            ):
                for k in range(i, j):
                    labels[k] = "title"
                runs = _first_runs(tagged)
    # a page or article number run into the link after it ("16(6): e0252321. https://doi.org/…" all labelled as
    # the URL): a token right after the volume or issue that is labelled as a link and is not one is the pages
    if "pages" not in runs and ("url" in runs or "doi" in runs or "identifier" in runs):
        for k in range(1, n):
            if (
                labels[k] in ("url", "doi", "identifier")
                and labels[k - 1] in ("volume", "issue")
                and _PAGE_LIKE.match(toks[k])
            ):
                labels[k] = "pages"
                runs = _first_runs(tagged)
                break
    # an issue run that runs on into the pages: "16(6): e0252321." (no pages label in the string)
    if "issue" in runs and "pages" not in runs:
        i, j = runs["issue"][:2]
        for k in range(i + 1, j - 1):
            if toks[k] == ":" and any(c.isdigit() for c in toks[k + 1]):
                for m in range(k + 1, j):
                    labels[m] = "pages"
                runs = _first_runs(tagged)
                break
    if _journal_in_title(tagged, runs):
        runs = _first_runs(tagged)
    # a journal's bracketed abbreviation cut by the label boundary ("… Covid-19. Jurnal Sosial dan Teknologi
    # (SOSTECH), 1(9)": title "… Teknologi (", journal "SOSTECH)"): a field does not end inside an open bracket,
    # so the journal takes back the bracket and the name before it, up to the title's last full stop
    for lab in ("journal", "container"):
        r = runs.get(lab)
        if r is None:
            continue
        j = r[0]
        if j == 0 or labels[j - 1] != "title" or ")" not in tagged.text:  # (the run's tokens are pieces of the text)
            break
        run = "".join(toks[j : r[1]])
        if run.count(")") > run.count("("):
            k = j - 1
            while k >= 0 and labels[k] == "title" and "(" not in toks[k]:
                k -= 1
            if k >= 0 and labels[k] == "title" and j - k <= 2:
                start = k
                while (
                    start > 0 and labels[start - 1] == "title" and not toks[start - 1].endswith(".") and k - start < 8
                ):
                    start -= 1
                if start > 0 and labels[start - 1] == "title" and toks[start][:1].isupper():
                    for m in range(start, j):
                        labels[m] = lab
                        tagged.confidence[m] = tagged.confidence[j]
                    runs = _first_runs(tagged)
        break
    r = runs.get("author")
    if r is None:
        return runs
    first, i = r[0], r[1] - 1  # the first author token and the last
    if i + 1 >= n:
        return runs  # the authors end the string: none of the steps below has a label after them to compare with
    # a journal abbreviation taken for the last author ("A. Polman, Opt. Express 2010"): not an initial, after a
    # comma, right before the journal
    if (
        labels[i + 1] == "journal"
        and i - first >= 2
        and toks[i - 1] == ","
        and toks[i].endswith(".")
        and len(toks[i]) > 3
        and toks[i][0].isupper()
        and toks[i][1:-1].islower()
    ):
        labels[i] = "journal"
        tagged.confidence[i] = tagged.confidence[i + 1]
        return _first_runs(tagged)
    # "Rossi, C. Dietary Fibre…": in an inverted list ("Müller, J.; …") a name ends on its initials
    if (
        labels[i + 1] == "title"
        and i - first >= 3
        and toks[first + 1] == ","
        and ";" in toks[first:i]
        and toks[i][:1].isupper()
        and toks[i].isalpha()
        and len(toks[i]) > 2
        and toks[i - 1].endswith(".")
        and _initials_like(toks[i - 1])
    ):
        labels[i] = "title"
        tagged.confidence[i] = tagged.confidence[i + 1]
        return _first_runs(tagged)
    # a Vancouver list's last name ("…, Jemal A. Global cancer…") taken for the title's start: an author list does
    # not end on a comma, so the name after it is given back to the authors
    if toks[i] != "," or i + 2 >= n or labels[i + 1] != "title":
        return runs
    for k in (2, 3):  # "Jemal A." or "de Souza A."
        if (
            i + k < len(labels)
            and labels[i + k] == "title"
            and toks[i + k].endswith(".")
            and _NAME_THEN_INITIALS.match(" ".join(toks[i + 1 : i + k + 1]))
        ):
            for j in range(i + 1, i + k + 1):
                labels[j] = "author"
                tagged.confidence[j] = tagged.confidence[i]
            return _first_runs(tagged)
    return runs


def fields_from_labels(tagged: refmodel.Tagged, min_conf: float = MIN_CONFIDENCE, repair: bool = True) -> Citation:
    """The :class:`Citation` that a labelled string gives (identifiers aside); ``repair`` mends the model's known
    mistakes first (:func:`_repair`; hand labels need none)."""
    runs = _first_runs(tagged)
    if repair:
        runs = _repair(tagged, runs)
    c = Citation(text=tagged.text)
    a = _first(runs, "author", min_conf)
    c.authors, etal = _persons(a)
    c.authors_complete = not etal
    c.editors, _ = _persons(_first(runs, "editor", min_conf), editors=True)
    c.title = _title(_title_text(tagged, runs, min_conf))
    # a journal followed by its year or volume is a journal even when the model hesitates between it and the
    # title's end ("… (clinoril). Histopathology, 1987, vol. 11": 0.45)
    after = _followed_by_year(tagged, runs, "journal")
    bar = min(min_conf, MIN_JOURNAL_CONFIDENCE) if after or _bounded(tagged, runs.get("journal")) else min_conf
    journal = _container(_first(runs, "journal", bar), after)
    book = _container(_first(runs, "container", min_conf))
    if journal:
        c.container, c.container_kind = journal, "journal"
    elif book:
        c.container = book
        c.container_kind = "proceedings" if _search(_PROCEEDINGS, _PROCEEDINGS_WORDS, book) else "book"
    c.series = _container(_first(runs, "collection", min_conf))
    c.publisher = _strip(_first(runs, "publisher", min_conf))
    c.place = _strip(_first(runs, "location", min_conf))
    r = runs.get("date")
    while r is not None:  # the first date run that holds a year
        m = _YEAR.search(r[2])
        if m:
            if r[3] >= min(min_conf, MIN_YEAR_CONFIDENCE):
                c.year = m.group(1)
            break
        r = _next_run(tagged, "date", r[1])
    v = _first_number(runs, "volume", min_conf)
    if v:
        m = _VOLUME.search(v.strip("()[],;:. "))
        c.volume = m.group(1) if m else None
    v = _first_number(runs, "issue", min_conf)
    if not v and c.volume:  # "70:2," or "33(2)" labelled as one volume segment
        vol = _first(runs, "volume", min_conf) or ""
        m = _VOLUME_ISSUE.match(vol) if ":" in vol or "(" in vol else None  # (every match holds one)
        if m:
            v = m.group(1) or m.group(2)
    if v:
        m = _ISSUE.search(v.strip("()[],;:. "))
        c.issue = m.group(1).strip() if m else None
    v = _first(runs, "pages", min_conf)
    if v:
        v = v.strip("()[],;:. ")
        if v[:1] in _PAGE_WORD_STARTS:
            v = _PAGE_WORD.sub("", v)
        m = _PAGES.search(v)
        if m:
            v = m.group(1)
            # only the plain space is white space and printable: a printable range without one has none to remove
            c.pages = _pages(_SPACE_RUN.sub("", v) if " " in v or not v.isprintable() else v)
    v = _first(runs, "edition", min_conf)
    if v:
        m = _EDITION.search(v)
        c.edition = m.group(1).rstrip(".") if m else None
    return c


_NUMBERS = re.compile(r"\d+")


def _pages(printed: str) -> str | None:
    """Pages normalised (``249-61`` → ``249--261``), unless that would make the range run backwards
    (``D1556-07``, a standard's number): then as printed."""
    p = normalize_pages(printed)
    if p and "--" in p:
        x, y = p.split("--", 1)
        a, b = _NUMBERS.search(x), _NUMBERS.search(y)
        if a and b and int(b.group()) < int(a.group()):
            return printed
    return p


def _work_type(c: Citation, genre: str, folded: str) -> str | None:
    """The Crossref type of the work; ``folded`` is :func:`_folded` of its text."""
    text = c.text
    if (
        genre
        and _search(_THESIS, _THESIS_WORDS, genre)
        or (not c.container and _search(_THESIS, _THESIS_WORDS, text, folded))
    ):
        return "dissertation"
    if c.arxiv or (not c.volume and _search(_PREPRINT, _PREPRINT_WORDS, genre + " " + (c.container or ""))):
        return "posted-content"
    if (
        genre
        and _search(_REPORT, _REPORT_WORDS, genre)
        or (not c.container and _search(_REPORT, _REPORT_WORDS, text, folded))
    ):
        return "report"
    if c.container_kind == "journal":
        return "journal-article"
    if c.container_kind == "proceedings":
        return "proceedings-article"
    if c.container_kind == "book" or (c.editors and c.title and c.container):
        return "book-chapter"
    if c.url and not c.container and (_search(_WEB, _WEB_WORDS, text, folded) or not c.publisher):
        return "other"  # a web page: Crossref has no such type
    if c.publisher or c.isbn or c.edition:
        return "book"
    return None


# -- the parser -----------------------------------------------------------------------------------------------------
def _clean(raw: str) -> str:
    text = clean_text(raw)
    if text.endswith("]"):  # the markers end the string
        text = _BRACKET_MARKERS.sub("", text)
    text, _labels = strip_link_markers(text)
    if text.endswith("]"):
        text = _BRACKET_MARKERS.sub("", text)
    m = _NUMBER.match(text)  # anchored: the match sub(count=1) would remove
    return text[m.end() :] if m and len(text) > 8 else text


_NOT_A_WORK = re.compile(
    r"\b(?:personal communications?|pers\. comm\.?|unpublished (?:data|observations?|results|work)|"
    r"data not shown|in preparation|manuscript in preparation)\b",
    re.IGNORECASE,
)
_NOT_A_WORK_WORDS = ("personal", "pers.", "unpublished", "not shown", "preparation")


def parse(raw: str) -> Citation:
    """Every field one printed reference gives (see the module docstring)."""
    text = _clean(raw)
    return _fields(text, refnet.tag(text)) if text else Citation(text=text)


def parse_many(texts: Iterable[str]) -> list[Citation]:
    """:func:`parse` of each printed reference, the same result, the model tagging them all at once
    (:func:`mscbib.sources.refmodel.tag_many`: several times faster per reference in a list than one by one)."""
    cleaned = [_clean(raw) for raw in texts]
    tagged = iter(refnet.tag_many([t for t in cleaned if t]))
    return [_fields(text, next(tagged)) if text else Citation(text=text) for text in cleaned]


def _fields(text: str, tagged: refmodel.Tagged) -> Citation:
    """The fields of the cleaned reference ``text`` from its labels, its identifiers and its type."""
    c = fields_from_labels(tagged)
    folded = _folded(text)
    m = _search(_NOT_A_WORK, _NOT_A_WORK_WORDS, text, folded)
    if m and len(text) - (m.end() - m.start()) < 40:  # "Smith J, personal communication": no work to find
        return Citation(text=text, authors=c.authors if m.start() > 0 else [], authors_complete=c.authors_complete)
    for name, value in _identifiers(text[: refmodel.MAX_CHARS]).items():
        setattr(c, name, value)
    labels = tagged.labels
    genre = (
        " ".join(t for t, lab in zip(tagged.tokens, labels) if lab == "genre" or lab == "note")
        if "genre" in labels or "note" in labels
        else ""
    )
    c.type = _work_type(c, genre, folded)
    return c


def parse_citation(raw: str, source: Provenance | None = None) -> Reference:
    """Parse a printed reference in any style into a :class:`~mscbib.model.Reference` that keeps its text
    (without a leading citation number or PubMed's link labels); its ``journal`` is the container title
    (journal, book or proceedings). Fields the string does not give, or the model is unsure of, stay empty."""
    return parse(raw).reference(source)


def parse_citations(texts: Sequence[str], sources: Sequence[Provenance | None] | None = None) -> list[Reference]:
    """:func:`parse_citation` of each printed reference, tagged all at once (:func:`parse_many`); ``sources``: where
    each was read (in the order of ``texts``)."""
    cited = parse_many(texts)
    return (
        [c.reference(at) for c, at in zip(cited, sources, strict=True)] if sources else [c.reference() for c in cited]
    )


#: The same parser; the name the PubMed reader has used.
parse_reference = parse_citation
