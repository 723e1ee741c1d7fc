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
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .model import Record
from .text import comparable

__all__ = ["Candidate", "MatchResult", "verify", "choose", "journal_agrees", "TITLE_THRESHOLD", "MIN_CORROBORATING"]

TITLE_THRESHOLD = 92.0
MIN_CORROBORATING = 2


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
        return (f"{self.doi} (title {self.title_similarity:.0f}/100; agrees: {', '.join(self.agree) or '-'};"
                f" contradicts: {', '.join(self.contradict) or '-'})")


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


def family_agrees(a: str, b: str) -> bool:
    ca, cb = comparable(a), comparable(b)
    if not ca or not cb:
        return False
    ta, tb = set(ca.split()), set(cb.split())
    return ca == cb or ta <= tb or tb <= ta or ca.replace(" ", "") == cb.replace(" ", "")


def journal_agrees(record: Record, cand: Record) -> bool | None:
    mine = [x for x in (record.get("journal"), record.get("journal_abbrev")) if x]
    theirs = [x for x in (cand.get("journal"), cand.get("journal_abbrev")) if x]
    if not mine or not theirs:
        return None
    for a in mine:
        for b in theirs:
            ca, cb = comparable(a), comparable(b)
            if ca == cb or fuzz.token_set_ratio(ca, cb) >= 90:
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
