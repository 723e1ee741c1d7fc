"""BibTeX / BibLaTeX files (an existing ``.bib`` merges into the library).

Parsed with bibtexparser v2 (``@string`` macros resolved, enclosing braces and quotes removed); LaTeX in
each value is decoded to Unicode with pylatexenc *after* author lists are split, so that a braced
corporate author (``{World Health Organization}``) stays one literal name. ``crossref`` parents fill the
fields their children lack. Blocks bibtexparser cannot parse are reported with their line.

:func:`record_from_entry` is the public bridge other modules use for round trips (``mscbib check``,
writers' tests): one parsed entry in, one :class:`~mscbib.model.Record` out.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Mapping

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, Entry
from pylatexenc.latex2text import LatexNodes2Text

from ..identifiers import find_dois, normalize_doi, normalize_pmcid, normalize_pmid
from ..model import FailedInput, Person, Provenance, Record
from ..text import clean_text, normalize_pages, parse_month
from ._common import BIBTEX_TYPES, parse_date, person_from_inverted, split_issn_isbn
from .base import ReadResult

__all__ = ["BibtexFile", "record_from_entry", "latex_to_text", "split_names"]

_L2T = LatexNodes2Text(math_mode="text", keep_comments=False, strict_latex_spaces=False)
_ENTRY_START = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.M)
_INHERITED = ("journal", "journaltitle", "booktitle", "year", "date", "publisher", "volume", "issn", "isbn",
              "editor", "series", "address", "location")


def latex_to_text(value: str) -> str:
    """``M{\\"u}ller`` → ``Müller``, ``{$\\beta$}-catenin`` → ``β-catenin``; plain text is returned as is."""
    if not value:
        return ""
    if not any(c in value for c in "\\{}$~"):
        return clean_text(value)
    try:
        return clean_text(_L2T.latex_to_text(value.replace("~", "\u00a0")))
    except Exception:  # pylatexenc is lenient, but a value must never stop the file
        return clean_text(value.replace("{", "").replace("}", ""))


def split_names(value: str) -> list[str]:
    """Split an ``author`` field at `` and `` outside braces; the parts keep their LaTeX."""
    parts, depth, start, i = [], 0, 0, 0
    low = value.lower()
    while i < len(value):
        c = value[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and low.startswith(" and ", i) or (depth == 0 and c.isspace() and low.startswith("and", i + 1)
                                                         and i + 4 < len(value) and value[i + 4].isspace()):
            parts.append(value[start:i])
            i += 5 if low.startswith(" and ", i) else 4
            start = i
            continue
        i += 1
    parts.append(value[start:])
    return [p.strip() for p in parts if p.strip()]


def _person(raw: str) -> Person:
    raw = raw.strip()
    if raw.lower() == "others":
        return Person(family="others")
    if raw.startswith("{") and raw.endswith("}") and raw.count("{") == 1:
        return Person(family="", literal=latex_to_text(raw[1:-1]))
    return person_from_inverted(latex_to_text(raw))


def _fields(entry: Any) -> tuple[str, str, dict[str, str]]:
    if isinstance(entry, Entry):
        return entry.entry_type.lower(), entry.key, {k.lower(): str(f.value) for k, f in entry.fields_dict.items()}
    data = dict(entry)
    kind = str(data.pop("ENTRYTYPE", data.pop("entry_type", "misc"))).lower()
    key = str(data.pop("ID", data.pop("key", "")))
    return kind, key, {k.lower(): str(v) for k, v in data.items()}


def record_from_entry(entry: Entry | Mapping[str, Any], path: str | None = None, line: int | None = None,
                      *, format: str = "bibtex") -> Record:
    """One BibTeX entry → a Record. ``entry`` is a bibtexparser v2 ``Entry`` (macros resolved, enclosing
    braces removed, LaTeX *not* yet decoded) or a plain mapping with ``ENTRYTYPE``/``ID`` keys. ``line``
    (1-based) defaults to the entry's own start line."""
    kind, key, f = _fields(entry)
    if line is None and isinstance(entry, Entry) and entry.start_line is not None:
        line = entry.start_line + 1
    src = Provenance(origin=format, file=path, line=line, format=format, detail=key or None)
    rec = Record(source=src)
    text = {k: latex_to_text(v) for k, v in f.items() if k not in ("author", "editor", "doi", "url")}

    rec.set("type", BIBTEX_TYPES.get(kind, kind), src)
    rec.set("title", text.get("title"), src)
    names = split_names(f.get("author", ""))
    people = [_person(n) for n in names]
    complete = not any(p.family == "others" and not p.given for p in people)
    people = [p for p in people if not (p.family == "others" and not p.given)]
    if people:
        rec.set("authors", people, src)
        rec.set("authors_complete", complete, src)
    journal = text.get("journal") or text.get("journaltitle")
    if kind in ("incollection", "inproceedings", "inbook", "conference"):
        journal = journal or text.get("booktitle")
    rec.set("journal", journal, src)
    short = text.get("shortjournal") or text.get("journalabbrev") or text.get("journal_abbrev")
    if short and short != journal:
        rec.set("journal_abbrev", short, src)
    if text.get("date"):
        year, month, day = parse_date(text["date"])
    else:
        year, month, day = parse_date(text.get("year")) if text.get("year") else (None, None, None)
    rec.set("year", year, src)
    month = month or parse_month(text.get("month"))
    rec.set("month", month, src)
    rec.set("day", day or (int(text["day"]) if text.get("day", "").isdigit() else None), src)
    rec.set("volume", text.get("volume"), src)
    rec.set("issue", text.get("number") or text.get("issue"), src)
    pages = text.get("pages") or (text.get("eid") if kind == "article" else None)
    rec.set("pages", normalize_pages(pages), src)
    rec.set("publisher", text.get("publisher"), src)
    doi = normalize_doi(f.get("doi", "").replace("\\_", "_"))
    if not doi:
        for k in ("url", "note", "howpublished"):
            found = find_dois(f.get(k, "").replace("\\_", "_"))
            if found and k == "url" and "doi.org/" in f.get(k, ""):
                doi = found[0]
                break
    rec.set("doi", doi, src)
    rec.set("pmid", normalize_pmid(text.get("pmid", "")), src)
    rec.set("pmcid", normalize_pmcid(text.get("pmcid", "")), src)
    issns, _ = split_issn_isbn([text["issn"]] if text.get("issn") else [])
    _, isbns = split_issn_isbn([text["isbn"]] if text.get("isbn") else [])
    rec.set("issn", issns, src)
    rec.set("isbn", isbns, src)
    if text.get("keywords"):
        rec.set("keywords", [w.strip() for w in re.split(r"[;,]", text["keywords"]) if w.strip()], src)
    rec.set("abstract", text.get("abstract"), src)
    rec.set("language", text.get("language") or text.get("langid"), src)
    rec.set("url", f.get("url", "").strip() or None, src)
    rec.key = key or None
    return rec


class BibtexFile:
    name = "bibtex"

    def match(self, text: str) -> bool:
        head = text[:20000]
        return bool(_ENTRY_START.search(head)) and bool(re.search(r"^\s*@\s*(?!comment)[A-Za-z]+\s*[{(]\s*[^,\s]*,",
                                                                   head, re.M | re.I))

    def read(self, text: str, path: str) -> ReadResult:
        log = logging.getLogger("bibtexparser")
        level = log.level
        log.setLevel(logging.CRITICAL)  # its parse-failure messages become our failures, with their line
        try:
            library = bibtexparser.parse_string(text)
        finally:
            log.setLevel(level)
        result = ReadResult()
        entries = list(library.entries)
        for block in library.failed_blocks:
            if isinstance(block, DuplicateBlockKeyBlock) and isinstance(block.ignore_error_block, Entry):
                entries.append(block.ignore_error_block)  # a repeated key is for `mscbib check`; the data is kept
                continue
            line = (block.start_line or 0) + 1
            error = getattr(block, "error", None)
            reason = (getattr(error, "abort_reason", None) or str(error or "") or type(block).__name__).strip()
            result.failures.append(FailedInput(path, f"BibTeX block not parsed: {reason}"[:300], line=line,
                                               raw=getattr(block, "raw", None)))
        entries.sort(key=lambda e: e.start_line or 0)
        by_key: dict[str, Entry] = {}
        for e in entries:
            by_key.setdefault(e.key, e)
        for entry in entries:
            parent = by_key.get(str(entry.fields_dict["crossref"].value)) if "crossref" in entry.fields_dict else None
            if parent is not None:
                for name in _INHERITED:
                    if name in parent.fields_dict and name not in entry.fields_dict:
                        entry.set_field(parent.fields_dict[name])
                if "booktitle" not in entry.fields_dict and "title" in parent.fields_dict:
                    entry.set_field(type(parent.fields_dict["title"])("booktitle", parent.fields_dict["title"].value))
            result.records.append(record_from_entry(entry, path))
        return result
