"""The writer options every format shares (issue 21): the order entries are written in (``--sort``) and the fields
left out (``--drop-fields``). Pure: the commands parse the option text, the renderers take the parsed values."""

from __future__ import annotations

import difflib
from typing import Iterable

from ..datamodel import BIBLATEX_FIELD_NAMES, COMMON_EXTRA_FIELDS, FIELD_ORDER, REQUIRED
from ..model import Record

__all__ = ["SORT_ORDERS", "DEFAULT_SORT", "ordered", "parse_drop_fields", "required_among", "KNOWN_FIELDS"]

#: ``--sort``: by citation key (the default: the committed library), by year (then key), by the first author's
#: (else editor's) family name (then year, then key), or as the records came (the input's order).
SORT_ORDERS = ("key", "year", "author", "input")
DEFAULT_SORT = "key"

#: The field names ``--drop-fields`` accepts: both data models', the common extra fields and every field the BibTeX
#: writer writes (``cites``, ``citedby``, ``pmid`` …).
KNOWN_FIELDS = frozenset(BIBLATEX_FIELD_NAMES | COMMON_EXTRA_FIELDS | set(FIELD_ORDER) | {"cites", "citedby"})
#: What the error for an unknown name lists: the fields the writers write, in their order.
WRITTEN_FIELDS = tuple(dict.fromkeys([*FIELD_ORDER, "annote", "cites", "citedby"]))


def _year(record: Record) -> tuple[int, int, str]:
    year = str(record.get("year") or "").strip()
    if year.isdigit():
        return (0, int(year), "")
    return (1, 0, year)  # no year, or not a plain one: after the dated entries


def _first_person(record: Record) -> str:
    people = record.get("authors") or record.get("editors") or []
    if not people:
        return "\uffff"  # no creator: last
    person = people[0]
    return (person.literal or person.family or "").casefold()


def ordered(records: Iterable[Record], sort: str = DEFAULT_SORT) -> list[Record]:
    """The records in the order ``sort`` (:data:`SORT_ORDERS`) names; ties by key, so the text stays the same for
    the same records."""
    records = list(records)
    if sort == "input":
        return records
    if sort == "key":
        return sorted(records, key=lambda r: r.key or "")
    if sort == "year":
        return sorted(records, key=lambda r: (_year(r), r.key or ""))
    if sort == "author":
        return sorted(records, key=lambda r: (_first_person(r), _year(r), r.key or ""))
    raise ValueError(f"unknown sort order {sort!r}; known: {', '.join(SORT_ORDERS)}")


def parse_drop_fields(value: str | Iterable[str] | None) -> frozenset[str]:
    """The field names of ``--drop-fields`` (``abstract,keywords,annote``; a config file may give a list), lower
    case. An unknown name: :class:`ValueError` naming it and what is known."""
    if not value:
        return frozenset()
    parts = value.split(",") if isinstance(value, str) else [str(v) for v in value]
    names = [p.strip().lower() for p in parts if p.strip()]
    unknown = [n for n in names if n not in KNOWN_FIELDS]
    if unknown:
        close = sorted({m for n in unknown for m in difflib.get_close_matches(n, KNOWN_FIELDS, n=2)})
        raise ValueError(
            f"unknown field name{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}"
            + (f" (did you mean {' or '.join(close)}?)" if close else "")
            + f"; the fields mscbib writes: {', '.join(WRITTEN_FIELDS)} (or any BibTeX/BibLaTeX field name)"
        )
    return frozenset(names)


def required_among(fields: Iterable[str], dialect: str = "bibtex") -> list[str]:
    """The names in ``fields`` that the ``dialect``'s data model (:data:`mscbib.datamodel.REQUIRED`) requires for
    some entry type — dropping them leaves entries a style may not print."""
    model = "biblatex" if dialect == "biblatex" else "bibtex"
    required: set[str] = set()
    for needs in REQUIRED[model].values():
        for need in needs:
            required.update(need if isinstance(need, tuple) else (need,))
    return sorted(set(fields) & required)
