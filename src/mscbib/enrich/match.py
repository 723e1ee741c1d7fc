"""Verify that a Crossref candidate is the work a record describes.

Pure functions. A candidate is accepted only when its title agrees with the record's and the other
facts the record states corroborate it without any contradicting it:

* **title**: ``rapidfuzz`` ``token_sort_ratio`` on normalised titles (no markup, accents,
  punctuation, case) must be at least :data:`TITLE_THRESHOLD` (92/100);
* **year** (±1, online-first versus print), **volume**, **first page**, **first author's family
  name** (contained either way, so ``Kamdje`` agrees with ``Nwabo Kamdje``) and **journal** (full
  title or abbreviation, fuzzy) are each *agree*, *contradict* or *unknown* (one side lacks it);
* any contradiction rejects the candidate; at least :data:`MIN_CORROBORATING` (2) agreements are
  needed besides the title.

Score = title similarity + 10 per agreement. Two acceptable candidates with different DOIs are
*ambiguous*: none is picked.

**A DOI registered for another work** (:func:`compare_registered`): when a record *gives* a DOI, the work
registered for it is compared with what the record says, by one rule for ``mscbib build`` (enrich.py) and
``mscbib check`` (check/network.py):

* **title**: the best :func:`title_similarity` between the record's title (and its part before a colon)
  and each title the registration gives (title, title with subtitle, other-language and short titles),
  100 when one is the start of the other; below :data:`TITLE_CONTRADICTS` (60) it *contradicts*, from
  :data:`TITLE_AGREEMENT` (80) it agrees (between: it *differs*, a warning in ``check``);
* **first author**: the record's first family name against *every* registered author's (order and
  initials do not matter; ``Kamdje`` agrees with ``Nwabo Kamdje``);
* **year**: within one year of *any* date of the registration (issued, print, online: a backfile
  article printed in 1997 may be online since 2005).

The DOI is registered for another work when the title contradicts **and** the first author or the year
contradicts too, or when the title differs (below 80) and both the first author and the year contradict.
Measured on the 56 recorded works in ``../shared/crossref-samples/``: unrelated titles
score at most 56; a work paired with its own metadata (with its subtitle dropped, its case, punctuation,
initials or year ±1 changed) is never flagged, paired with another work's it always is
(``tests/test_integrity_values.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from ..model import Record
from ..text import comparable

__all__ = [
    "Candidate",
    "MatchResult",
    "verify",
    "choose",
    "journal_agrees",
    "TITLE_THRESHOLD",
    "MIN_CORROBORATING",
    "Registered",
    "compare_registered",
    "registered_for_another",
    "work_summary",
    "work_titles",
    "work_years",
    "TITLE_AGREEMENT",
    "TITLE_CONTRADICTS",
    "RETRACTION_TYPES",
    "retracts",
    "title_differs",
]

TITLE_THRESHOLD = 92.0
MIN_CORROBORATING = 2
#: A given DOI: from this title similarity the record and the registered work agree on the title.
#: Lower than TITLE_THRESHOLD: the DOI is given, and subtitles or translations differ often.
TITLE_AGREEMENT = 80.0
#: A given DOI: below this title similarity the titles contradict (unrelated titles score at most 56
#: among the recorded Crossref works in ../shared/crossref-samples/).
TITLE_CONTRADICTS = 60.0


#: Crossref update types (``updated-by``, :func:`mscbib.services.crossref.mapping.update_relations`) that take a work
#: back: an error (CR020) in ``mscbib build`` and ``mscbib check`` alike; any other update is a warning (CR021).
RETRACTION_TYPES = frozenset({"retraction", "retracted", "removal", "withdrawal", "withdrawn"})


def retracts(update_type: str | None) -> bool:
    """Whether a Crossref update of this type retracts, removes or withdraws the work it points at."""
    return (update_type or "").strip().lower() in RETRACTION_TYPES


@dataclass
class Candidate:
    record: Record
    score: float
    title_similarity: float
    agree: list[str] = field(default_factory=list)
    contradict: list[str] = field(default_factory=list)
    accepted: bool = False

    @property
    def doi(self) -> str | None:
        return self.record.doi

    def describe(self) -> str:
        return (
            f"{self.doi} (title {self.title_similarity:.0f}/100; agrees: {', '.join(self.agree) or '-'};"
            f" contradicts: {', '.join(self.contradict) or '-'})"
        )


@dataclass
class MatchResult:
    accepted: Candidate | None
    candidates: list[Candidate]
    ambiguous: bool = False


def title_similarity(a: str | None, b: str | None) -> float:
    ca, cb = comparable(a), comparable(b)
    if not ca or not cb:
        return 0.0
    return float(fuzz.token_sort_ratio(ca, cb))


def title_differs(mine: str | None, theirs: list[str]) -> bool:
    """The one title rule of ``build`` (enrich.py's CR010) and ``check`` (check/network.py's CR010): the titles
    differ — a warning — when the best similarity (:func:`best_title_similarity`) is below
    :data:`TITLE_AGREEMENT`; a smaller difference (case, a dropped subtitle) is only noted."""
    sim = best_title_similarity(mine, theirs)
    return sim is not None and sim < TITLE_AGREEMENT


def family_agrees(a: str, b: str) -> bool:
    ca, cb = comparable(a), comparable(b)
    if not ca or not cb:
        return False
    ta, tb = set(ca.split()), set(cb.split())
    return ca == cb or ta <= tb or tb <= ta or ca.replace(" ", "") == cb.replace(" ", "")


_JOURNAL_SKIP = frozenset("of and the for in on de la le du des der und fur a an".split())


def abbreviates(short: str, full: str) -> bool:
    """``J Orthop Res`` abbreviates ``Journal of Orthopaedic Research``: word for word, each a prefix of
    the full title's word (its function words skipped), as ISO 4 abbreviations are."""
    a = comparable(short).split()
    b = [w for w in comparable(full).split() if w not in _JOURNAL_SKIP]
    return len(a) == len(b) >= 2 and a != b and all(y.startswith(x) for x, y in zip(a, b))


def journal_agrees(record: Record, cand: Record) -> bool | None:
    mine = [x for x in (record.get("journal"), record.get("journal_abbrev")) if x]
    theirs = [x for x in (cand.get("journal"), cand.get("journal_abbrev")) if x]
    if not mine or not theirs:
        return None
    for a in mine:
        for b in theirs:
            ca, cb = comparable(a), comparable(b)
            if ca == cb or fuzz.token_set_ratio(ca, cb) >= 90 or abbreviates(a, b) or abbreviates(b, a):
                return True
    return False


def verify(record: Record, cand: Record) -> Candidate:
    sim = title_similarity(record.title, cand.title)
    c = Candidate(record=cand, score=sim, title_similarity=sim)

    def check(name: str, result: bool | None) -> None:
        if result is True:
            c.agree.append(name)
        elif result is False:
            c.contradict.append(name)

    y1, y2 = record.get("year"), cand.get("year")
    check("year", abs(int(y1) - int(y2)) <= 1 if (y1 and y2 and str(y1).isdigit() and str(y2).isdigit()) else None)
    v1, v2 = record.get("volume"), cand.get("volume")
    check("volume", str(v1).strip().lower() == str(v2).strip().lower() if v1 and v2 else None)
    p1, p2 = record.first_page(), cand.first_page()
    check("first page", p1.lower() == p2.lower() if p1 and p2 else None)
    a1, a2 = record.authors, cand.authors
    if a1 and a2:
        check("first author", family_agrees(a1[0].family or a1[0].literal, a2[0].family or a2[0].literal))
    check("journal", journal_agrees(record, cand))

    c.score = sim + 10 * len(c.agree)
    c.accepted = sim >= TITLE_THRESHOLD and not c.contradict and len(c.agree) >= MIN_CORROBORATING
    return c


def choose(record: Record, candidates: list[Record]) -> MatchResult:
    """Verify every candidate; accept the single verified one, or none when none or several are."""
    checked = sorted((verify(record, c) for c in candidates), key=lambda c: (-c.score, c.doi or ""))
    ok = [c for c in checked if c.accepted]
    if len({c.doi for c in ok}) > 1:
        for c in ok:
            c.accepted = False
        return MatchResult(None, checked, ambiguous=True)
    return MatchResult(ok[0] if ok else None, checked)


# -- a given DOI: is the registered work the one the record describes? ---------------------------------
_SUBTITLE = re.compile(r"\s*(?::|\s[-\u2013\u2014]\s|\.\s)\s*")


def _title_forms(title: str) -> list[str]:
    """A title and its main title (the part before a colon, a spaced dash or a full stop)."""
    forms = [title]
    head = _SUBTITLE.split(title, 1)[0]
    if head and head != title and len(head.split()) >= 2:
        forms.append(head)
    return forms


def best_title_similarity(mine: str | None, theirs: list[str]) -> float | None:
    """The best similarity (0-100) of ``mine`` to any of ``theirs``, each with and without its subtitle;
    100 when one comparable title starts with the other (3 words at least). None when a side has none."""
    mine_forms = [c for t in _title_forms(mine or "") if (c := comparable(t))]
    their_forms = [c for t in theirs if t for f in _title_forms(t) if (c := comparable(f))]
    if not mine_forms or not their_forms:
        return None
    best = 0.0
    for a in mine_forms:
        for b in their_forms:
            short, long_ = (a, b) if len(a) <= len(b) else (b, a)
            if len(short.split()) >= 3 and (long_ + " ").startswith(short + " "):
                return 100.0
            best = max(best, float(fuzz.token_sort_ratio(a, b)))
    return best


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str) and v.strip()]
    return []


def work_titles(work: dict[str, Any] | None) -> list[str]:
    """Every title a Crossref work gives: each ``title``, each with each ``subtitle``, ``short-title``,
    ``original-title`` (the registration may hold a work's titles in two languages)."""
    if not work:
        return []
    titles = _texts(work.get("title"))
    out = list(titles)
    for t in titles:
        out += [f"{t}: {s}" for s in _texts(work.get("subtitle"))]
    return out + _texts(work.get("short-title")) + _texts(work.get("original-title"))


def work_years(work: dict[str, Any] | None) -> set[int]:
    """Every year a Crossref work is dated: issued, print, online, posted, created."""
    out: set[int] = set()
    for key in ("issued", "published-print", "published-online", "published", "posted"):
        for parts in ((work or {}).get(key) or {}).get("date-parts") or []:
            if parts and isinstance(parts[0], (int, str)) and str(parts[0]).isdigit():
                out.add(int(parts[0]))
    return out


def _year_of(value: Any) -> int | None:
    m = re.match(r"\s*(\d{4})", str(value or ""))
    return int(m.group(1)) if m else None


@dataclass(frozen=True)
class Registered:
    """What a record says against the work registered for its DOI: per fact ``True`` (agrees), ``False``
    (contradicts) or ``None`` (a side does not state it; for the title also: differs without contradicting)."""

    title_similarity: float | None
    title: bool | None
    first_author: bool | None
    year: bool | None

    @property
    def title_differs(self) -> bool:
        """Below :data:`TITLE_AGREEMENT`: worth a warning when the DOI is otherwise the work's."""
        return self.title_similarity is not None and self.title_similarity < TITLE_AGREEMENT

    @property
    def contradicted(self) -> list[str]:
        title = self.title is False or (self.title is None and self.title_differs)
        return [
            name
            for name, v in (
                ("title", title),
                ("first author", self.first_author is False),
                ("year", self.year is False),
            )
            if v
        ]

    @property
    def another_work(self) -> bool:
        """The DOI is registered for another work: the title contradicts, and the first author or the year
        too; or the title differs (below :data:`TITLE_AGREEMENT`) and both the first author and the year contradict."""
        if self.title is False:
            return self.first_author is False or self.year is False
        return self.title_differs and self.first_author is False and self.year is False

    def describe(self) -> str:
        sim = f"title {self.title_similarity:.0f}/100; " if self.title_similarity is not None else ""
        return f"{sim}contradicts: {', '.join(self.contradicted) or '-'}"


def work_summary(rec: Record) -> str:
    """``Smith, John 1999, Growth hormone …``: who, when and what, as CR011 names both works."""
    p = rec.authors[0] if rec.authors else None
    who = (p.literal or (f"{p.family}, {p.given}" if p.given else p.family)) if p else "no author"
    return f"{who} {rec.get('year') or 'no year'}, {rec.title or 'no title'}"


def compare_registered(record: Record, registered: Record, work: dict[str, Any] | None = None) -> Registered:
    """Compare ``record`` (the input, which gives the DOI) with ``registered`` (the work Crossref registers
    for it, mapped by :func:`mscbib.services.crossref.mapping.record_from_work`; pass the raw ``work`` too for its
    other titles and dates). The one rule of ``build`` and ``check``: see the module docstring."""
    sim = best_title_similarity(record.title, work_titles(work) + [registered.title or ""])
    title = None if sim is None else (True if sim >= TITLE_AGREEMENT else False if sim < TITLE_CONTRADICTS else None)
    return Registered(sim, title, _author_agrees(record, registered), _year_agrees(record, registered, work))


def registered_for_another(record: Record, registered: Record, work: dict[str, Any] | None = None) -> Registered | None:
    """:func:`compare_registered`'s verdict where it says the DOI is registered for another work, else None; the
    titles are compared only where that can be (:attr:`Registered.another_work` needs the first author or the year
    to contradict): a build checks every cited work its references give a DOI for, and most agree."""
    author = _author_agrees(record, registered)
    year = _year_agrees(record, registered, work)
    if author is not False and year is not False:
        return None
    sim = best_title_similarity(record.title, work_titles(work) + [registered.title or ""])
    title = None if sim is None else (True if sim >= TITLE_AGREEMENT else False if sim < TITLE_CONTRADICTS else None)
    verdict = Registered(sim, title, author, year)
    return verdict if verdict.another_work else None


def _author_agrees(record: Record, registered: Record) -> bool | None:
    """Does the record's first author agree with one of the registered work's (None: a side names none)?"""
    mine = record.authors[0] if record.authors else None
    mine_family = (mine.family or mine.literal) if mine else ""
    theirs = [p.family or p.literal for p in registered.authors if p.family or p.literal]
    if comparable(mine_family) and theirs:
        return any(family_agrees(mine_family, t) for t in theirs)
    return None


def _year_agrees(record: Record, registered: Record, work: dict[str, Any] | None) -> bool | None:
    """Is the record's year within one of a year the registered work is dated (None: a side states none)?"""
    y = _year_of(record.get("year"))
    if y is None:
        return None
    years = work_years(work) | ({yy} if (yy := _year_of(registered.get("year"))) else set())
    if years:
        return any(abs(y - other) <= 1 for other in years)
    return None
