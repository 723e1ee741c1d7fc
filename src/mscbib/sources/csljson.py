"""CSL-JSON: the citation data Zotero, Mendeley, pandoc and citation.js exchange (an array of items, or
one item). Each record's line is the line its object starts on. ``citation-key`` is the record's key, and the
``note`` mscbib writes on a record's citations (``Cites (mscbib):`` …, :func:`mscbib.model.zotero_note`) gives
back its cited references and keys."""

from __future__ import annotations

import json
import re

from ..datamodel import CSL_TYPES
from ..identifiers import normalize_doi, normalize_pmcid, normalize_pmid
from ..model import FailedInput, Person, Record
from ..text import clean_text, normalize_pages, parse_month, small_int, strip_markup
from ._common import iso_date, parse_date, split_issn_isbn, work_type
from .base import Lines, ReadResult, given_key, read_cites_note

__all__ = ["CslJson"]

_CSL_KEYS = ("container-title", "issued", "DOI", "author", "title", "type", "page", "volume")


def _number(s: str):
    """A JSON integer: as an int up to 18 digits, else kept as its text (Python refuses to convert more than
    4,300 digits, which lost the whole file; one bad value is one bad value)."""
    return int(s) if len(s) <= 19 else s


_DECODER = json.JSONDecoder(parse_int=_number)
_SEPARATORS = re.compile(r"[\s,]*")


def _after_separators(text: str, i: int) -> int:
    """Where the whitespace and commas from ``i`` end."""
    m = _SEPARATORS.match(text, i)
    assert m is not None  # [\s,]* matches anywhere
    return m.end()


def _items(text: str):
    """Yield ``(offset, item)`` for each object of a top-level array (or the single object), and of each
    further array or object after it: CSL-JSON Lines (one item per line) and files joined with ``cat``."""
    dec = _DECODER
    i = _after_separators(text, 0)
    if text[i : i + 1] not in ("{", "["):
        raise ValueError("expected a JSON array or object")
    while i < len(text):
        if text[i] == "{":
            obj, end = dec.raw_decode(text, i)
            if isinstance(obj, dict) and isinstance(obj.get("items"), list):  # {"items": [...]}
                for item in obj["items"]:
                    yield i, item
            else:
                yield i, obj
            i = end
        elif text[i] == "[":
            i += 1
            while True:
                i = _after_separators(text, i)
                if i >= len(text):
                    raise ValueError("a JSON array is not closed")
                if text[i] == "]":
                    i += 1
                    break
                obj, end = dec.raw_decode(text, i)
                yield i, obj
                i = end
        else:
            raise json.JSONDecodeError("expected a JSON array or object", text, i)
        i = _after_separators(text, i)


def _text(v, styles: bool = False) -> str:
    if isinstance(v, list):
        v = v[0] if v else ""
    # CSL's <sup>13</sup>: ¹³; its own tags read as written (``x<i>y</i>`` is one word), as writers/csljson.py wrote them
    return strip_markup(str(v), scripts=True, styles=styles, as_written=True) if v is not None else ""


class CslJson:
    name = "csl-json"

    def match(self, text: str) -> bool:
        head = text.lstrip("\ufeff \n\r\t")[:4000]
        return head[:1] in "[{" and sum(f'"{k}"' in head for k in _CSL_KEYS) >= 2

    def read(self, text: str, path: str) -> ReadResult:
        page = Lines(text, path, self.name)
        result = ReadResult()
        text = text.lstrip("\ufeff")
        line, counted = 1, 0
        try:
            for offset, item in _items(text):
                line += text.count("\n", counted, offset)  # counted on from the last item: linear
                counted = offset
                if not isinstance(item, dict):
                    result.failures.append(FailedInput(path, "CSL-JSON item is not an object", line=line))
                    continue
                try:
                    rec = self._record(item, page.at(line, self.name))
                except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
                    # one item of an unexpected shape is one failure, not the file's
                    result.failures.append(
                        FailedInput(path, f"CSL-JSON item not read: {type(exc).__name__}: {exc}"[:300], line=line)
                    )
                    continue
                if rec.title or rec.doi or rec.key:  # an item its key names is kept as it is (a cited work)
                    result.records.append(rec)
                else:
                    result.failures.append(
                        FailedInput(path, "CSL-JSON item with neither title, DOI nor citation-key", line=line)
                    )
        except (ValueError, json.JSONDecodeError) as exc:
            err_line = getattr(exc, "lineno", None)
            result.failures.append(FailedInput(path, f"malformed JSON: {getattr(exc, 'msg', exc)}", line=err_line))
        return result

    @staticmethod
    def _record(item: dict, src) -> Record:
        rec = Record(source=src)
        kind = str(item.get("type") or "")
        rec.set("type", work_type(kind, CSL_TYPES), src)
        # its <i>, <b>, small caps kept (text.Styled), as writers/csljson.py writes them
        rec.set("title", _text(item.get("title"), styles=True) or None, src)
        people = []
        for a in item.get("author") or []:
            if not isinstance(a, dict):
                continue
            if a.get("literal") and not a.get("family"):
                people.append(Person(family="", literal=clean_text(a["literal"])))
            else:
                family = " ".join(
                    p for p in (clean_text(a.get("non-dropping-particle")), clean_text(a.get("family"))) if p
                )
                people.append(
                    Person(family=family, given=clean_text(a.get("given")), suffix=clean_text(a.get("suffix")))
                )
        if people:
            rec.set("authors", people, src)
            incomplete = re.search(r"\bAuthor list incomplete\b", str(item.get("note") or ""), re.IGNORECASE)
            rec.set("authors_complete", not incomplete, src)
        # a book's series is its container (`collection-title`, as writers/csljson.py writes it)
        rec.set("journal", _text(item.get("container-title") or item.get("collection-title")) or None, src)
        short = _text(item.get("container-title-short") or item.get("journalAbbreviation"))
        if short and short != rec.get("journal"):
            rec.set("journal_abbrev", short, src)
        # the history CSL can hold: "submitted" (received) and "available-date" (first published online)
        for key, name in (("submitted", "received"), ("available-date", "published")):
            date = item.get(key)
            if isinstance(date, dict):
                parts = [str(p).strip() for p in ((date.get("date-parts") or [[]])[0] or [])]
                written = (
                    "-".join(parts[:1] + [f"{small_int(p):02d}" for p in parts[1:3] if small_int(p) is not None])
                    if parts and parts[0]
                    else str(date.get("raw") or date.get("literal") or "")
                )
                rec.set(name, iso_date(written), src)
        for key in ("issued", "published-print", "published-online"):
            date = item.get(key)
            if not isinstance(date, dict):
                continue
            parts = (date.get("date-parts") or [[]])[0] or []
            if parts and str(parts[0]).strip():
                rec.set("year", str(parts[0]), src)
                rec.set("month", parse_month(str(parts[1])) if len(parts) > 1 else None, src)
                rec.set("day", small_int(str(parts[2])) if len(parts) > 2 else None, src)
                break
            raw = date.get("raw") or date.get("literal")
            if raw:
                y, m, d = parse_date(str(raw))
                rec.set("year", y, src)
                rec.set("month", m, src)
                rec.set("day", d, src)
                break
        for field, key in (
            ("volume", "volume"),
            ("issue", "issue"),
            ("publisher", "publisher"),
            ("language", "language"),
            ("url", "URL"),
        ):
            v = item.get(key)
            rec.set(field, clean_text(str(v)) if v not in (None, "") else None, src)
        page = item.get("page")
        rec.set("pages", normalize_pages(str(page)) if page else None, src)
        rec.set("doi", normalize_doi(str(item.get("DOI") or "")), src)
        rec.set("pmid", normalize_pmid(str(item.get("PMID") or "")), src)
        rec.set("pmcid", normalize_pmcid(str(item.get("PMCID") or "")), src)
        vals = []
        for key in ("ISSN", "ISBN"):
            v = item.get(key)
            vals += [str(x) for x in v] if isinstance(v, list) else ([str(v)] if v else [])
        issns, isbns = split_issn_isbn(vals)
        rec.set("issn", issns, src)
        rec.set("isbn", isbns, src)
        kw = item.get("keyword")
        if kw:
            words = kw if isinstance(kw, list) else re.split(r"[;,]", str(kw))
            rec.set("keywords", [clean_text(w) for w in words if clean_text(w)], src)
        rec.set("abstract", _text(item.get("abstract")) or None, src)
        rec.key = given_key(item.get("citation-key"))  # CSL 1.0.2's citation key (Zotero's Citation Key)
        # mscbib's note on the citations (model.zotero_note), in the note its writer fills
        noted = read_cites_note(item.get("note") if isinstance(item.get("note"), str) else None, src)
        rec.references, rec.cites, rec.cited_by = noted.references, noted.cites, noted.cited_by
        return rec
