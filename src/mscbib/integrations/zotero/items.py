"""Records → Zotero items, in the JSON form both Zotero endpoints take.

The item types, field names and creator types are Zotero's own (its schema, ``schema.json`` in the
zotero/zotero-schema repository). :data:`ITEM_FIELDS` lists, for each item type mscbib makes, the
fields it fills; ``tests/test_zotero_items.py`` checks every one against Zotero's schema.

What a record holds and the item type has no field for is never dropped: it goes into ``extra``
as a ``Label: value`` line, which is where Zotero itself keeps such data (PMID and PMCID go there
too: every Zotero version reads them from ``extra``, and current ones move them into their own
fields). The mscbib citation key is stored as a ``Citation Key:`` line, the form Zotero and Better
BibTeX read, so that a second push can recognise the item. The cited-reference list becomes a
child note.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from ...datamodel import type_in
from ...model import Person, Record
from ...text import RICH_TEXT_TAGS, render_styles

__all__ = [
    "ITEM_FIELDS",
    "ZoteroItem",
    "item_type",
    "zotero_item",
    "references_note",
    "cited_by_note",
    "KEY_LINE",
    "extra_lines",
]

#: The fields mscbib fills, per Zotero item type (a subset of what Zotero's schema allows for it).
ITEM_FIELDS: dict[str, frozenset[str]] = {
    "journalArticle": frozenset(
        {
            "title",
            "abstractNote",
            "publicationTitle",
            "journalAbbreviation",
            "date",
            "volume",
            "issue",
            "pages",
            "publisher",
            "place",
            "DOI",
            "ISSN",
            "url",
            "language",
            "rights",
            "extra",
        }
    ),
    "book": frozenset(
        {
            "title",
            "abstractNote",
            "series",
            "volume",
            "edition",
            "date",
            "publisher",
            "place",
            "ISBN",
            "ISSN",
            "DOI",
            "url",
            "language",
            "rights",
            "extra",
        }
    ),
    "bookSection": frozenset(
        {
            "title",
            "abstractNote",
            "bookTitle",
            "volume",
            "edition",
            "date",
            "publisher",
            "place",
            "pages",
            "ISBN",
            "ISSN",
            "DOI",
            "url",
            "language",
            "rights",
            "extra",
        }
    ),
    "conferencePaper": frozenset(
        {
            "title",
            "abstractNote",
            "proceedingsTitle",
            "publisher",
            "place",
            "date",
            "volume",
            "issue",
            "pages",
            "DOI",
            "ISBN",
            "ISSN",
            "url",
            "language",
            "rights",
            "extra",
        }
    ),
    "thesis": frozenset(
        {
            "title",
            "abstractNote",
            "university",
            "place",
            "date",
            "DOI",
            "ISBN",
            "ISSN",
            "url",
            "language",
            "rights",
            "extra",
        }
    ),
    "report": frozenset(
        {
            "title",
            "abstractNote",
            "institution",
            "place",
            "seriesTitle",
            "date",
            "pages",
            "DOI",
            "ISBN",
            "ISSN",
            "url",
            "language",
            "rights",
            "extra",
        }
    ),
    "preprint": frozenset(
        {"title", "abstractNote", "repository", "place", "date", "DOI", "url", "language", "rights", "extra"}
    ),
    "dataset": frozenset({"title", "abstractNote", "repository", "date", "DOI", "url", "language", "rights", "extra"}),
    "document": frozenset(
        {"title", "abstractNote", "publisher", "place", "date", "DOI", "url", "language", "rights", "extra"}
    ),
}

#: Where the container title (``journal``) goes, per item type.
_CONTAINER = {
    "journalArticle": "publicationTitle",
    "bookSection": "bookTitle",
    "conferencePaper": "proceedingsTitle",
    "book": "series",
    "report": "seriesTitle",
    "preprint": "repository",
    "dataset": "repository",
}
#: Where the publisher goes, per item type (base field ``publisher`` under its type-specific name).
_PUBLISHER = {"thesis": "university", "report": "institution", "preprint": "repository", "dataset": "repository"}

#: The extra line that carries the mscbib citation key.
KEY_LINE = "Citation Key"


def item_type(record: Record) -> str:
    return type_in("zotero", record)  # mscbib.datamodel: the one type table


def _date(record: Record) -> str | None:
    year = record.get("year")
    if not year:
        return None
    date = str(year)
    month = record.get("month")
    if isinstance(month, int) and 1 <= month <= 12:
        date += f"-{month:02d}"
        day = record.get("day")
        if day and str(day).isdigit() and 1 <= int(day) <= 31:
            date += f"-{int(day):02d}"
    return date


def _creator(p: Person, creator_type: str = "author") -> dict[str, str]:
    if p.literal:
        return {"creatorType": creator_type, "name": p.literal}
    family = f"{p.family}, {p.suffix}" if p.suffix else p.family
    return {"creatorType": creator_type, "lastName": family, "firstName": p.given}


def references_note(record: Record) -> str | None:
    """The cited-reference list as the HTML of a Zotero note, or ``None`` when there is none.

    The same list the BibTeX ``annote`` field carries (:func:`mscbib.model.zotero_note`, which Zotero's BibTeX
    import turns into a child note): in order, each reference with the cited work's key (when it has been
    keyed), then its text and identifiers."""
    if not record.references:
        return None
    rows = []
    for ref in record.references:
        text = html.escape(ref.text or ref.title or ref.doi or "")
        if ref.key:
            text = f"<code>{html.escape(ref.key)}</code> {text}"
        ids = []
        if ref.doi and ref.doi not in (ref.text or "").lower():
            url = html.escape(f"https://doi.org/{ref.doi}", quote=True)
            ids.append(f'DOI: <a href="{url}">{html.escape(ref.doi)}</a>')
        for label, value in (("PMID", ref.pmid), ("PMCID", ref.pmcid)):
            if value and value not in (ref.text or ""):
                ids.append(f"{label}: {html.escape(value)}")
        if ids:
            text += " (" + "; ".join(ids) + ")"
        rows.append(f"<li>{text}</li>")
    title = html.escape(record.title or record.label())
    return f"<h1>References cited in {title}</h1>\n<ol>\n" + "\n".join(rows) + "\n</ol>"


def extra_lines(extra: str | None) -> dict[str, str]:
    """``'PMID: 1\\nCitation Key: x'`` → ``{'pmid': '1', 'citation key': 'x'}`` (labels lower-cased)."""
    out: dict[str, str] = {}
    for line in (extra or "").splitlines():
        label, sep, value = line.partition(":")
        if sep and label.strip() and value.strip():
            out.setdefault(label.strip().lower(), value.strip())
    return out


@dataclass
class ZoteroItem:
    """One item to send, and the record it was made from."""

    record: Record
    data: dict[str, Any]
    #: HTML of child notes (the cited-reference list)
    notes: list[str] = field(default_factory=list)

    @property
    def key(self) -> str | None:
        return self.record.key

    @property
    def doi(self) -> str | None:
        return self.data.get("DOI")


def zotero_item(record: Record) -> ZoteroItem:
    """The Zotero item (Web API JSON form, without ``key``/``version``) for one record."""
    kind = item_type(record)
    allowed = ITEM_FIELDS[kind]
    data: dict[str, Any] = {"itemType": kind}
    extra: list[str] = []

    def put(zfield: str | None, value: Any, label: str) -> None:
        if value in (None, "", []):
            return
        value = str(value)
        if zfield and zfield in allowed and zfield not in data:
            data[zfield] = value
        else:  # the item type has no field for it (or it is taken): keep it, in Extra
            extra.append(f"{label}: {value}")

    put("title", render_styles(record.title, RICH_TEXT_TAGS) if record.title else None, "Title")  # Zotero's rich text
    data["creators"] = [_creator(p) for p in record.authors] + [
        _creator(p, "editor") for p in record.get("editors", [])
    ]
    put(_PUBLISHER.get(kind, "publisher"), record.get("publisher"), "Publisher")
    put(_CONTAINER.get(kind), record.get("journal"), "Container Title")
    put("journalAbbreviation", record.get("journal_abbrev"), "Journal Abbreviation")
    put("date", _date(record), "Issued")
    put("volume", record.get("volume"), "Volume")
    put("issue", record.get("issue"), "Issue")
    put("pages", (record.get("pages") or "").replace("--", "-"), "Pages")
    put("DOI", record.get("doi"), "DOI")
    put("ISSN", ", ".join(record.get("issn") or []), "ISSN")
    put("ISBN", ", ".join(record.get("isbn") or []), "ISBN")
    put("place", record.get("address"), "Place")
    put("edition", record.get("edition"), "Edition")
    put("url", record.get("url"), "URL")
    put("rights", record.get("rights"), "Rights")
    put("language", record.get("language"), "Language")
    put("abstractNote", record.get("abstract"), "Abstract")
    if record.get("pmid"):
        extra.append(f"PMID: {record.get('pmid')}")
    if record.get("pmcid"):
        extra.append(f"PMCID: {record.get('pmcid')}")
    if record.get("published"):  # the online-first date beside the print date (CSL `available-date`)
        extra.append(f"Available Date: {record.get('published')}")
    if record.authors and record.get("authors_complete") is False:
        extra.append("mscbib: author list incomplete (the input printed et al.)")
    if record.get("editors") and record.get("editors_complete") is False:
        extra.append("mscbib: editor list incomplete (the input printed et al.)")
    for notice in record.get("notices") or []:  # corrections / retractions, when the record carries them
        extra.append(f"mscbib notice: {notice}")
    if record.key:
        extra.append(f"{KEY_LINE}: {record.key}")
    if extra:
        data["extra"] = "\n".join(extra)
    tags: list[str] = []
    for name in ("keywords", "mesh"):
        for t in record.get(name) or []:
            t = str(t).strip()
            if t and t not in tags:
                tags.append(t)
    data["tags"] = [{"tag": t} for t in tags]
    notes = [n for n in (references_note(record), cited_by_note(record)) if n]
    return ZoteroItem(record, data, notes)


def cited_by_note(record: Record) -> str | None:
    """The keys of the library entries that cite this work (``citedby`` in BibTeX), as the HTML of a Zotero
    note, or ``None``."""
    if not record.cited_by:
        return None
    keys = ", ".join(f"<code>{html.escape(k)}</code>" for k in record.cited_by)
    return f"<h1>Cited by (mscbib)</h1>\n<p>{keys}</p>"
