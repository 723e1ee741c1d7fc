"""The writer options (issue 21): the order entries are written in (``--sort``), the fields left out
(``--drop-fields``), and for the BibTeX formats the layout of an entry, as bibtex-tidy's options set it
(:class:`Layout`: ``--field-order``, ``--indent``, ``--wrap``/``--no-wrap``). Pure: the commands parse the option
text, the renderers take the parsed values. The defaults write what the committed library holds."""

from __future__ import annotations

import dataclasses
import difflib
import textwrap
from dataclasses import dataclass
from typing import Iterable

from ..datamodel import BIBLATEX_FIELD_NAMES, COMMON_EXTRA_FIELDS, FIELD_ORDER, REQUIRED, type_in
from ..model import Record

__all__ = [
    "SORT_ORDERS",
    "DEFAULT_SORT",
    "ordered",
    "parse_drop_fields",
    "required_among",
    "KNOWN_FIELDS",
    "Layout",
    "DEFAULT_LAYOUT",
    "FIELD_ORDER_PRESETS",
    "parse_field_order",
    "parse_indent",
    "NO_WRAP_FIELDS",
    "RECORD_FIELDS",
    "without_fields",
]

#: ``--sort``: by citation key (the default: the committed library), by year (then key), by the first author's
#: (else editor's) family name (then year, then key), by entry type (``@article`` … then key), or as the records
#: came (the input's order).
SORT_ORDERS = ("key", "year", "author", "type", "input")
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
    if sort == "type":  # the BibTeX entry type: the same in every format's file, so one order for all
        return sorted(records, key=lambda r: (type_in("bibtex", r), r.key or ""))
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


#: ``--drop-fields`` for RIS, CSL-JSON and plug-in formats: a BibTeX field name → the record's values (and, for
#: the cited-work notes, its lists) that field is written from, so that the field is dropped in whatever tag or key
#: the format writes it as (``abstract`` → RIS ``AB``, CSL ``abstract``; ``keywords`` → ``KW``, ``keyword``;
#: ``annote`` → the notes of cited and citing works).
RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "author": ("authors", "authors_complete"),
    "editor": ("editors", "editors_complete"),
    "journal": ("journal",),
    "journaltitle": ("journal",),
    "booktitle": ("journal",),
    "series": ("journal",),
    "shortjournal": ("journal_abbrev",),
    "date": ("year", "month", "day"),
    "origdate": ("published",),
    "number": ("issue",),
    "issue": ("issue",),
    "school": ("publisher",),
    "institution": ("publisher",),
    "location": ("address",),
    "copyright": ("rights",),
    "rights": ("rights",),
    "langid": ("language",),
    "keywords": ("keywords", "mesh"),
    "eprint": ("pmid", "pmcid"),
    "annote": ("cites", "cited_by", "references", "published"),
    "cites": ("cites", "references"),
    "citedby": ("cited_by",),
}
_LISTS = ("cites", "cited_by", "references")


def without_fields(records: Iterable[Record], drop: Iterable[str]) -> list[Record]:
    """The records without the values the BibTeX fields ``drop`` are written from (:data:`RECORD_FIELDS`; a name
    not there is a record field of that name: ``abstract``, ``doi``, ``pages`` …), as copies; the records given
    are not changed."""
    names = {n for field in drop for n in RECORD_FIELDS.get(field, (field,))}
    if not names:
        return list(records)
    out = []
    for rec in records:
        copy = dataclasses.replace(rec, values={k: v for k, v in rec.values.items() if k not in names})
        for attr in _LISTS:
            if attr in names:
                setattr(copy, attr, [])
        out.append(copy)
    return out


def required_among(fields: Iterable[str], dialect: str = "bibtex") -> list[str]:
    """The names in ``fields`` that the ``dialect``'s data model (:data:`mscbib.datamodel.REQUIRED`) requires for
    some entry type — dropping them leaves entries a style may not print."""
    model = "biblatex" if dialect == "biblatex" else "bibtex"
    required: set[str] = set()
    for needs in REQUIRED[model].values():
        for need in needs:
            required.update(need if isinstance(need, tuple) else (need,))
    return sorted(set(fields) & required)


# -- the layout of a BibTeX entry (bibtex-tidy's --sort-fields, --space/--tab, --wrap) --------------------------
#: ``--field-order PRESET``: ``mscbib`` (the default, :data:`mscbib.datamodel.FIELD_ORDER`), ``bibtex-tidy``
#: (bibtex-tidy's ``--sort-fields`` order), ``alphabetical``. Fields a preset does not name follow in mscbib's order.
FIELD_ORDER_PRESETS: dict[str, tuple[str, ...]] = {
    "mscbib": tuple(FIELD_ORDER),
    "bibtex-tidy": (
        "title",
        "shorttitle",
        "author",
        "year",
        "month",
        "day",
        "journal",
        "booktitle",
        "location",
        "on",
        "publisher",
        "address",
        "series",
        "volume",
        "number",
        "pages",
        "doi",
        "isbn",
        "issn",
        "url",
        "urldate",
        "copyright",
        "category",
        "note",
        "metadata",
    ),
    "alphabetical": (),  # every field by name
}

#: Fields never wrapped: a line break inside them changes them (an address, an identifier, the lines of a note).
NO_WRAP_FIELDS = frozenset(
    {"url", "doi", "file", "eprint", "eprinttype", "pmid", "pmcid", "isbn", "issn", "date", "origdate", "urldate"}
    | {"annote", "annotation"}
)


@dataclass(frozen=True)
class Layout:
    """How a BibTeX entry is laid out: ``field_order`` (the fields written first, in that order; the others follow
    in :data:`FIELD_ORDER`, then by name — ``alphabetical``: all by name), ``indent`` (before each field), ``wrap``
    (a field line longer than that many columns is broken at spaces, its continuation indented twice; ``None``: never
    broken, the default). Wrapping changes nothing a BibTeX reader sees: a line break and indentation inside a
    value is a space to BibTeX, biber and mscbib alike; :data:`NO_WRAP_FIELDS` are never wrapped."""

    field_order: tuple[str, ...] = tuple(FIELD_ORDER)
    indent: str = "  "
    wrap: int | None = None
    alphabetical: bool = False

    def order(self, names: Iterable[str]) -> list[str]:
        """The field names in the order they are written."""
        names = list(names)
        if self.alphabetical:
            return sorted(names)
        first = [n for n in self.field_order if n in names]
        rest = [n for n in FIELD_ORDER if n in names and n not in first]
        return first + rest + sorted(n for n in names if n not in first and n not in rest)

    def wrapped(self, name: str, value: str) -> str:
        """``value`` (the braced text as written) broken at spaces so that ``indent + name = value,`` fits
        :attr:`wrap` columns; each line of a value that has several (an abstract's paragraphs) is wrapped apart,
        the line breaks it had kept at the start of a line, its continuations indented."""
        head = len(self.indent.expandtabs(8)) + len(name) + 3  # "name = "
        if self.wrap is None or name in NO_WRAP_FIELDS or head + len(value) + 1 <= self.wrap:
            return value
        more = self.indent * 2
        width = max(self.wrap - len(more.expandtabs(8)), 20)
        out: list[str] = []
        for n, line in enumerate(value.split("\n")):
            first = max((self.wrap - head if n == 0 else self.wrap) - 1, 1)  # the comma after the value
            pieces = textwrap.wrap(line, width=first, break_long_words=False, break_on_hyphens=False)
            if len(pieces) <= 1:
                out.append(line)
                continue
            rest = textwrap.wrap(" ".join(pieces[1:]), width=width - 1, break_long_words=False, break_on_hyphens=False)
            out += [pieces[0], *(more + piece for piece in rest)]
        return "\n".join(out)


DEFAULT_LAYOUT = Layout()


def parse_field_order(value: str | None) -> tuple[tuple[str, ...], bool]:
    """``--field-order``: a preset (:data:`FIELD_ORDER_PRESETS`) or field names ``title,author,year``; returns the
    fields first written and whether all go by name. An unknown name: :class:`ValueError` naming it."""
    text = (value or "mscbib").strip()
    if text.lower() in FIELD_ORDER_PRESETS:
        return FIELD_ORDER_PRESETS[text.lower()], text.lower() == "alphabetical"
    parse_drop_fields(text)  # the same names --drop-fields knows; an unknown one: ValueError naming it
    return tuple(dict.fromkeys(p.strip().lower() for p in text.split(",") if p.strip())), False


def parse_indent(value: str | int | None) -> str:
    """``--indent``: a number of spaces (0-8) or ``tab``."""
    text = str("  " if value is None else value).strip().lower()
    if value is None:
        return "  "
    if text in ("tab", "\\t", "\t"):
        return "\t"
    if text.isdigit() and int(text) <= 8:
        return " " * int(text)
    raise ValueError(f"{value!r} is neither a number of spaces (0 to 8) nor 'tab'")
