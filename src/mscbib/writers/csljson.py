"""Write records as CSL-JSON: the citation data pandoc, citeproc and Zotero read.

It is the most faithful format for Zotero (names as family/given, dates as date-parts, every field with
exact semantics). Each item uses only variables that Zotero's schema maps to its own fields
(``schema.json``'s ``csl`` table; checked in the tests): ``PMID`` and ``PMCID`` land in Zotero's own fields,
``citation-key`` in Citation Key, ``journalAbbreviation`` in Journal Abbr; the list of cited works (the ``Cites (mscbib):`` note
of every format, :func:`mscbib.model.zotero_note`) goes into ``note``, which Zotero keeps as Extra. ``keyword`` (the topic tags) is standard CSL that pandoc and citeproc
read. Titles are plain text (no braces, no markup). Output is deterministic: items sorted by key,
keys in a fixed order, two-space indentation, UTF-8.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from ..datamodel import type_in
from ..model import Person, Record, cited_by_line, zotero_note
from ..text import RICH_TEXT_TAGS, Styled, render_styles, script_runs, strip_markup
from .bibtex import INCOMPLETE_EDITORS
from .options import DEFAULT_SORT, ordered
from .ris import INCOMPLETE_AUTHORS

__all__ = ["csl_markup", "item_from_record", "render_csljson"]


#: CSL types whose Zotero item type has no field for ``container-title`` (zotero-schema's ``csl`` table)
_NO_CONTAINER = frozenset({"document", "dataset", "software", "manuscript", "report", "thesis"})


def _name(p: Person) -> dict[str, str]:
    if p.literal:
        return {"literal": p.literal}
    out = {"family": p.family, "given": p.given}
    if p.suffix:
        out["suffix"] = p.suffix
    return {k: v for k, v in out.items() if v}


def csl_markup(text: str) -> str:
    """Unicode sub- and superscripts (``δ¹³C``, ``CO₂``) in CSL's HTML-like markup (``δ<sup>13</sup>C``), which
    citeproc typesets and Zotero's CSL import keeps as its rich text."""
    runs = script_runs(text)
    if len(runs) == 1 and runs[0][1] is None:
        return text
    return "".join(t if kind is None else f"<{kind}>{t}</{kind}>" for t, kind in runs)


def item_from_record(record: Record) -> dict[str, Any]:
    """One record → one CSL-JSON item (a plain dict, ready for ``json.dumps``)."""
    item: dict[str, Any] = {"id": record.key or record.doi or record.source.where()}
    if record.key:
        item["citation-key"] = record.key
    item["type"] = type_in("csl", record)  # mscbib.datamodel: the one type table
    notes: list[str] = []  # what Zotero has no field for in the type: the note, which it keeps as Extra
    if record.title:
        title = record.title  # italic, bold, small caps (text.Styled) in the tags citeproc reads
        item["title"] = (
            render_styles(title, RICH_TEXT_TAGS, csl_markup)
            if isinstance(title, Styled)
            else csl_markup(strip_markup(title))
        )
    if record.authors:
        item["author"] = [_name(p) for p in record.authors]
    if record.get("editors"):
        item["editor"] = [_name(p) for p in record.get("editors")]
    if record.get("journal"):
        # where Zotero has the field for the type: a book's container is its series (`collection-title`); a
        # document, dataset, program, manuscript, report or thesis has none (Zotero's schema), and the note's
        # "Container Title:" line is Zotero's own Extra form of the variable
        container = (
            None if item["type"] in _NO_CONTAINER else {"book": "collection-title"}.get(item["type"], "container-title")
        )
        if container:
            item[container] = record.get("journal")
        else:
            notes.append(f"Container Title: {record.get('journal')}")
    if record.get("journal_abbrev"):
        item["container-title-short"] = record.get("journal_abbrev")
        item["journalAbbreviation"] = record.get("journal_abbrev")
    year = record.get("year")
    if year and str(year).isdigit():
        parts = [int(year)]
        if record.get("month"):
            parts.append(int(record.get("month")))
            if record.get("day"):
                parts.append(int(record.get("day")))
        item["issued"] = {"date-parts": [parts]}
    elif year:
        item["issued"] = {"literal": str(year)}
    online = record.get("published")
    if online and all(p.isdigit() for p in str(online).split("-")):  # the online-first date (CSL 1.0.2)
        item["available-date"] = {"date-parts": [[int(p) for p in str(online).split("-")]]}
    for name, var in (
        ("volume", "volume"),
        ("issue", "issue"),
        ("publisher", "publisher"),
        ("address", "publisher-place"),
        ("edition", "edition"),
        ("rights", "license"),
        ("language", "language"),
        ("doi", "DOI"),
        ("url", "URL"),
        ("pmid", "PMID"),
        ("pmcid", "PMCID"),
    ):
        if record.get(name):
            item[var] = str(record.get(name))
    if record.get("pages"):
        item["page"] = record.get("pages").replace("--", "-")
    if record.get("issn") and item["type"] == "document":  # Zotero's document has no ISSN: a note, kept in Extra
        notes.append("ISSN: " + ", ".join(record.get("issn")))
    elif record.get("issn"):
        item["ISSN"] = ", ".join(record.get("issn"))
    if record.get("isbn"):
        item["ISBN"] = ", ".join(record.get("isbn"))
    if record.get("keywords"):
        item["keyword"] = ", ".join(record.get("keywords"))
    if record.get("abstract"):
        item["abstract"] = record.get("abstract")
    notes[:0] = [INCOMPLETE_AUTHORS] if record.get("authors_complete") is False else []
    if record.get("editors") and record.get("editors_complete") is False:
        notes.append(INCOMPLETE_EDITORS)
    # the note every format carries (mscbib.model): the citing keys, then the cited works; sources.csljson reads it
    notes += [n for n in (cited_by_line(record), zotero_note(record)) if n]
    if notes:
        item["note"] = "\n".join(notes)
    return item


def render_csljson(records: Iterable[Record], *, sort: str = DEFAULT_SORT) -> str:
    """The records as a CSL-JSON array (in the order ``sort`` names, default by key)."""
    items = [item_from_record(r) for r in ordered(records, sort)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
