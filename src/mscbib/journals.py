"""Journal names in the form asked for: ``--journal {as-is,full,iso4}`` of ``build`` and ``export`` (issue 21).

Pure: records in, copies out (the records given are not changed), with a :class:`JournalSummary` of what was done.

* ``as-is`` (the default): the journal as the record states it (Crossref's ``container-title`` where Crossref
  answered, else the input's), its abbreviation beside it (``shortjournal``, RIS ``J2``, CSL
  ``container-title-short``).
* ``full``: the full title. A record whose journal is only an abbreviation (``Stem Cells Dev``, as a BibTeX export
  or a page gives it) gets the full title where another record of the same library states both forms (Crossref's
  ``container-title`` and ``short-container-title``, MEDLINE's ``JT`` and ``TA``, RIS ``T2`` and ``J2``) and the
  abbreviation names one full title only; else, in ``build``, the title Crossref holds for the record's ISSN
  (``/journals/{issn}``, cached), when the abbreviation can be one of it (each of its words begins a word of the
  title, in order: :func:`abbreviates`). Nothing else expands an abbreviation: the ISO 4 rules do not run
  backwards.
* ``iso4``: the ISO 4 abbreviation of the full title, made by the rules of ISO 4 from the ISSN International
  Centre's List of Title Word Abbreviations (LTWA), as the ``pyiso4`` package applies them (``pip install
  'mscbib[iso4]'``; see NOTICE). Without that package, or without a full title to abbreviate, the abbreviation the
  record states is used (Crossref's ``short-container-title``, MEDLINE's ``TA``, RIS ``J2``). With neither, the
  journal stays as it is.

Nothing is invented: a journal with no source for the form asked stays as it is, and
:attr:`JournalSummary.left` names it (the commands say how many). Only journals are changed: a chapter's book, a
paper's proceedings and a book's series (written as ``booktitle`` / ``series``) keep their titles.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterable, Mapping

from .datamodel import CONTAINER_AS, type_in
from .model import Provenance, Record
from .text import strip_markup

__all__ = [
    "JOURNAL_FORMS",
    "DEFAULT_JOURNAL_FORM",
    "JournalSummary",
    "journal_forms",
    "ltwa_abbreviator",
    "parse_journal_form",
    "abbreviates",
    "issns_to_ask",
    "crossref_journal_titles",
]

JOURNAL_FORMS = ("as-is", "full", "iso4")
DEFAULT_JOURNAL_FORM = "as-is"

Abbreviate = Callable[[str], str]


@dataclass
class JournalSummary:
    """What :func:`journal_forms` did: ``changed`` journals written in another form, by source (``ltwa``,
    ``stated`` — the abbreviation the record states —, ``library`` — the full title another record states);
    ``left``: the labels of the records whose journal stays as it is, having no source for the form asked."""

    form: str
    changed: dict[str, int] = field(default_factory=dict)
    left: list[str] = field(default_factory=list)
    ltwa: bool = False  # whether the LTWA rules were at hand (pyiso4 installed)

    def text(self) -> str:
        """One line for a person: what was done, and why some journals were left (empty for ``as-is``)."""
        if self.form == DEFAULT_JOURNAL_FORM:
            return ""
        done = sum(self.changed.values())
        how = ", ".join(f"{n} {_SOURCE_WORDS[s]}" for s, n in sorted(self.changed.items()))
        line = f"--journal {self.form}: {done} journal name{'s' if done != 1 else ''} changed" + (
            f" ({how})" if how else ""
        )
        if self.left:
            why = (
                "no full title stated for their abbreviation"
                if self.form == "full"
                else "no full title to abbreviate and no abbreviation stated"
                + ("" if self.ltwa else "; pip install 'mscbib[iso4]' for the ISO 4 rules")
            )
            shown = ", ".join(self.left[:5]) + (", …" if len(self.left) > 5 else "")
            line += f"; {len(self.left)} left as they are ({why}): {shown}"
        return line


_SOURCE_WORDS = {
    "crossref": "the title Crossref holds for its ISSN",
    "ltwa": "by the ISO 4 rules (LTWA)",
    "stated": "the abbreviation the record states",
    "library": "the full title another entry states",
}


def parse_journal_form(value: object) -> str:
    """``--journal`` / ``MSCBIB_JOURNAL`` / ``journal`` in mscbib.toml, checked: one of :data:`JOURNAL_FORMS`
    (:class:`ValueError` naming them otherwise)."""
    form = str(value or DEFAULT_JOURNAL_FORM).strip().lower()
    if form not in JOURNAL_FORMS:
        raise ValueError(f"{value!r} is not one of {', '.join(JOURNAL_FORMS)}")
    return form


@lru_cache(maxsize=1)
def ltwa_abbreviator() -> Abbreviate | None:
    """The ISO 4 abbreviation of a title by the LTWA (``pyiso4``), or ``None`` when that package is not installed.
    Loading its list takes 1-3 s (2.8 s measured on the shared machine): done once, on first use."""
    try:
        from pyiso4.ltwa import Abbreviate as _Ltwa
    except ImportError:
        return None
    ltwa = _Ltwa.create()

    def abbreviate(title: str) -> str:
        # remove_part=False: "Composites Part B" keeps its "Part" (ISO 4 7.1.11 omits it only where not needed)
        return str(ltwa(title, remove_part=False)).strip()

    return abbreviate


def _fold(text: str) -> str:
    """An abbreviation compared without its full stops, case or spacing: ``Stem Cells Dev.`` = ``stem cells dev``."""
    return re.sub(r"[\s.]+", " ", text).strip().casefold()


def abbreviates(abbrev: str, title: str) -> bool:
    """Whether ``abbrev`` can be an abbreviation of ``title``: each of its words (full stops aside) begins a word of
    the title, in the title's order (the words it leaves out, as ISO 4 and NLM leave out "of", "and", "the": any).
    ``Cancer Metastasis Rev`` of ``Cancer and Metastasis Reviews``: yes; of ``Cancer Research``: no."""
    short = re.findall(r"\w+", abbrev.casefold())
    words = re.findall(r"\w+", title.casefold())
    if not short or len(short) > len(words):
        return False
    i = 0
    for w in short:
        while i < len(words) and not words[i].startswith(w):
            i += 1
        if i == len(words):
            return False
        i += 1
    return True


def _issns(record: Record) -> list[str]:
    out = []
    for v in record.get("issn") or []:
        digits = re.sub(r"[^0-9Xx]", "", str(v)).upper()
        if len(digits) == 8:
            out.append(f"{digits[:4]}-{digits[4:]}")
    return out


def _is_journal(record: Record) -> bool:
    return bool(record.get("journal") or record.get("journal_abbrev")) and type_in("bibtex", record) not in CONTAINER_AS


def _full_titles(records: list[Record]) -> dict[str, set[str]]:
    """Abbreviation (folded) → the full titles the records state beside it."""
    known: dict[str, set[str]] = {}
    for rec in records:
        journal, abbrev = rec.get("journal"), rec.get("journal_abbrev")
        if journal and abbrev and _fold(journal) != _fold(abbrev):
            known.setdefault(_fold(abbrev), set()).add(journal)
    return known


def _with_journal(record: Record, journal: str, abbrev: str | None, source: Provenance) -> Record:
    copy = dataclasses.replace(record, values=dict(record.values))
    copy.set("journal", journal, source)
    copy.set("journal_abbrev", abbrev, source)
    return copy


def issns_to_ask(records: Iterable[Record], form: str) -> list[str]:
    """For ``full``: the ISSNs (``NNNN-NNNN``) of the journals stated only as an abbreviation that no other record
    gives the full title of — the ones whose title Crossref may hold (:func:`crossref_journal_titles`)."""
    if form != "full":
        return []
    records = list(records)
    known = _full_titles(records)
    out: list[str] = []
    for rec in records:
        if _is_journal(rec) and not rec.get("journal") and len(known.get(_fold(rec.get("journal_abbrev")), ())) != 1:
            out += [i for i in _issns(rec) if i not in out]
    return out


def crossref_journal_titles(client: Any, issns: Iterable[str]) -> dict[str, str]:
    """ISSN → the journal title Crossref holds (``client.journals``: cached answers first); an ISSN Crossref does not
    know, or that cannot be asked (offline, unreachable), has none."""
    from .services.crossref.client import LookupStatus

    out: dict[str, str] = {}
    for issn, answer in client.journals(list(issns)).items():
        title = (answer.message or {}).get("title") if answer.status is LookupStatus.FOUND else None
        if isinstance(title, str) and strip_markup(title).strip():
            out[issn] = strip_markup(title).strip()
    return out


def journal_forms(
    records: Iterable[Record],
    form: str = DEFAULT_JOURNAL_FORM,
    *,
    abbreviate: Abbreviate | None = None,
    issn_titles: Mapping[str, str] | None = None,
) -> tuple[list[Record], JournalSummary]:
    """The records with their journal in ``form`` (:data:`JOURNAL_FORMS`): changed ones are copies, the others the
    records given. ``abbreviate``: the ISO 4 rules to use (default: :func:`ltwa_abbreviator`); ``issn_titles``:
    the titles Crossref holds by ISSN (:func:`crossref_journal_titles`), for ``full``."""
    records = list(records)
    form = parse_journal_form(form)
    summary = JournalSummary(form)
    if form == DEFAULT_JOURNAL_FORM:
        return records, summary
    if form == "iso4":
        abbreviate = abbreviate or ltwa_abbreviator()
        summary.ltwa = abbreviate is not None
    full_titles = _full_titles(records)
    out: list[Record] = []
    for rec in records:
        if not _is_journal(rec):
            out.append(rec)
            continue
        journal, abbrev = rec.get("journal"), rec.get("journal_abbrev")
        # the full title the record states: its journal (a reader that sees only an abbreviation, as a PubMed
        # citation line, states ``journal_abbrev`` alone; a title that is its own abbreviation, PLoS ONE, is full)
        full = journal or None
        new: str | None = None
        source = ""
        if form == "full":
            shown = journal or abbrev or ""
            candidates = full_titles.get(_fold(shown), set())
            if len(candidates) == 1 and next(iter(candidates)) != shown:  # another entry states its full title
                new, source = next(iter(candidates)), "library"
            elif full:  # a journal with no abbreviation beside it (or another one) is taken as the full title
                new, source = full, ""
            else:  # the title Crossref holds for its ISSN, if the abbreviation can be one of it
                for issn in _issns(rec):
                    title = (issn_titles or {}).get(issn)
                    if title and abbreviates(shown, title):
                        new, source = title, "crossref"
                        break
            if new is None:
                summary.left.append(rec.label())
                out.append(rec)
            elif source:
                summary.changed[source] = summary.changed.get(source, 0) + 1
                origin = Provenance("crossref", detail="journal title") if source == "crossref" else None
                out.append(
                    _with_journal(rec, new, abbrev or journal, origin or Provenance("journal-list", detail="library"))
                )
            else:
                out.append(rec)  # already the full title
            continue
        # iso4: of the full title, the one another entry states beside this journal's abbreviation if there is one
        # (a cited work's "Cell Commun Signal", as Crossref's references give it, is no title to abbreviate)
        candidates = full_titles.get(_fold(journal or abbrev or ""), set())
        if len(candidates) == 1:
            full = next(iter(candidates))
        if full and abbreviate is not None:
            new, source = abbreviate(full) or None, "ltwa"
        if new is None and abbrev:
            new, source = abbrev, "stated"
        if new is None:
            summary.left.append(rec.label())
            out.append(rec)
            continue
        if new == (journal or abbrev):  # written so already (the BibTeX journal is the journal, else the abbreviation)
            out.append(rec)
            continue
        summary.changed[source] = summary.changed.get(source, 0) + 1
        origin = Provenance("ltwa", detail="ISO 4") if source == "ltwa" else rec.origin_of("journal_abbrev")
        out.append(_with_journal(rec, new, new, origin or rec.source))
    return out, summary
