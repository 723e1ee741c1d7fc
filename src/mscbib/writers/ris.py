"""Write records as RIS (``TY  - JOUR`` … ``ER  - ``), the format every reference manager imports.

Designed around what Zotero's RIS import keeps: ``AU`` as ``Family, Given`` (split right), ``T2`` the
journal and ``J2`` its abbreviation, ``PY`` the year and ``DA`` the full date (``2010/06/01/``), ``SP``/``EP``,
``SN`` per ISSN/ISBN, ``DO``, ``KW`` one tag per line, ``AB``. The PubMed ID goes into ``AN`` with
``DB  - PubMed`` (PubMed's own RIS export) and the PMCID into ``C2`` (Zotero's RIS export); the list of cited
works into one ``N1`` note (``Cites (mscbib):`` then one line per reference, :func:`mscbib.model.zotero_note`,
the note every format carries; ``sources.ris`` reads it back), which Zotero keeps as a child note. Output is deterministic (records in the order ``sort`` names, default by key) and ends every line with CRLF as the RIS
specification asks.
"""

from __future__ import annotations

from typing import Iterable

from ..datamodel import type_in
from ..model import Record, cited_by_line, zotero_note
from ..text import strip_markup
from .bibtex import INCOMPLETE_AUTHORS, INCOMPLETE_EDITORS
from .options import DEFAULT_SORT, ordered

__all__ = ["INCOMPLETE_AUTHORS", "INCOMPLETE_EDITORS", "render_ris"]


def _one(tag: str, value: object) -> str:
    text = " ".join(str(value).split())  # one physical line per tag
    return f"{tag}  - {text}"


def record_lines(record: Record) -> list[str]:
    out = [_one("TY", type_in("ris", record))]  # the record's kind, not its BibTeX type: a dataset is DATA
    for tag, people in (("AU", record.authors), ("ED", record.get("editors", []))):
        for p in people:
            out.append(_one(tag, p.literal or ", ".join(x for x in (p.family, p.given, p.suffix) if x)))
    if record.title:
        out.append(_one("TI", strip_markup(record.title)))
    if record.get("journal"):
        out.append(_one("T2", record.get("journal")))
    if record.get("journal_abbrev"):
        out.append(_one("J2", record.get("journal_abbrev")))
    year = record.get("year")
    if year:
        out.append(_one("PY", year))
        month, day = record.get("month"), record.get("day")
        out.append(
            _one(
                "DA",
                f"{year}/{month:02d}/{int(day):02d}/"
                if month and day
                else f"{year}/{month:02d}/"
                if month
                else f"{year}///",
            )
        )
    for name, tag in (("volume", "VL"), ("issue", "IS")):
        if record.get(name):
            out.append(_one(tag, record.get(name)))
    pages = record.get("pages")
    if pages:
        first, _, last = pages.partition("--")
        out.append(_one("SP", first))
        if last:
            out.append(_one("EP", last))
    for name, tag in (("publisher", "PB"), ("address", "CY"), ("edition", "ET")):
        if record.get(name):
            out.append(_one(tag, record.get(name)))
    for value in (record.get("issn") or []) + (record.get("isbn") or []):
        out.append(_one("SN", value))
    if record.doi:
        out.append(_one("DO", record.doi))
    if record.get("url"):
        out.append(_one("UR", record.get("url")))
    if record.get("pmid"):
        out += [_one("AN", record.get("pmid")), _one("DB", "PubMed")]
    if record.get("pmcid"):
        out.append(_one("C2", record.get("pmcid")))
    if record.get("language"):
        out.append(_one("LA", record.get("language")))
    for word in record.get("keywords") or []:
        out.append(_one("KW", word))
    if record.get("abstract"):
        out.append(_one("AB", record.get("abstract")))
    if record.get("authors_complete") is False:
        out.append(_one("N1", INCOMPLETE_AUTHORS))
    if record.get("editors") and record.get("editors_complete") is False:
        out.append(_one("N1", INCOMPLETE_EDITORS))
    if record.get("published"):  # RIS has one date: the online-first one goes into a note
        out.append(_one("N1", f"Published online: {record.get('published')}"))
    cited_by = cited_by_line(record)
    if cited_by:
        out.append(_one("N1", cited_by))
    cites = zotero_note(record)
    if cites:  # the one note of every format (model.zotero_note): its lines are the N1 value's continuation lines
        out.append(
            "\r\n".join(
                _one("N1", line) if i == 0 else " ".join(line.split()) for i, line in enumerate(cites.splitlines())
            )
        )
    if record.key:
        out.append(_one("ID", record.key))
    out.append("ER  - ")
    return out


def render_ris(records: Iterable[Record], *, sort: str = DEFAULT_SORT) -> str:
    """The records as one RIS text (records in the order ``sort`` names, default by key, a blank line between them)."""
    blocks = ["\r\n".join(record_lines(r)) for r in ordered(records, sort)]
    return "\r\n\r\n".join(blocks) + ("\r\n" if blocks else "")
