"""BibTeX / BibLaTeX files (an existing ``.bib`` merges into the library).

Parsed by :mod:`mscbib.bibfile` (bibtexparser v2 underneath: ``@string`` macros resolved, enclosing
braces and quotes removed, each field's line kept, ``crossref``/``xdata`` inheritance); LaTeX in
each value is decoded to Unicode with pylatexenc *after* author lists are split, so that a braced
corporate author (``{World Health Organization}``) stays one literal name. Blocks that cannot be parsed
are reported with their line.

:func:`record_from_entry` is the public bridge other modules use for round trips (``mscbib check``,
writers' tests): one parsed entry in, one :class:`~mscbib.model.Record` out.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Mapping

from bibtexparser.model import Entry

from .._perf import fewer_collections
from ..bibfile import BibEntry, parse_bib, split_names
from ..bibfile import latex_to_text as bibfile_latex_to_text
from ..datamodel import misc_kind
from ..identifiers import find_dois, normalize_doi, normalize_pmcid, normalize_pmid
from ..model import CITED_BY_LABEL, CITES_LABEL, FailedInput, Finding, Person, Provenance, Record, Severity, Value
from ..text import clean_text, latex_styled, normalize_pages, parse_month, small_int
from ._common import BIBTEX_TYPES, parse_date, person_from_inverted, split_issn_isbn, work_type
from .base import CitesNote, ReadResult, read_cites_note

__all__ = ["BibtexFile", "record_from_entry", "latex_to_text", "split_names"]

# `^[ \t]*`, not `^\s*`: from every line start of a run of blank lines `\s*` rescanned the rest of the run
_ENTRY_START = re.compile(r"^[ \t]*@\s*[A-Za-z]+\s*[{(]", re.M)
_FIRST_ENTRY = re.compile(r"^[ \t]*@\s*(?!comment)[A-Za-z]+\s*[{(]\s*[^,\s]*,", re.M | re.I)
#: blank lines and `%` comment lines at the top of a file (CR-only line ends too)
_HEADER = re.compile(r"\ufeff?(?:[ \t]*(?:%[^\r\n]*)?(?:\r\n|\r|\n))*")
#: the note a .bib written for Zotero carries instead of "and others"; the `annote` line of the online-first date
_INCOMPLETE = {role: re.compile(rf"\b{role} list incomplete\b", re.I) for role in ("author", "editor")}
_ONLINE = re.compile(r"^Published online: (\S+)$", re.M)
_PMCID_NOTE = re.compile(r"\bPMCID:\s*(PMC\d+)")


def latex_to_text(value: str) -> str:
    """``M{\\"u}ller`` → ``Müller``, ``{$\\beta$}-catenin`` → ``β-catenin``, ``~`` → a space: the one LaTeX →
    Unicode converter (:func:`mscbib.bibfile.latex_to_text`), then the readers' clean_text."""
    if not value:
        return ""
    if value.isascii() and not _MARKED.search(value):  # most values: nothing for either step to do but trim
        return value.strip()
    if len(value) <= 64:  # journal names, months, a name's parts recur across a library: converted once each
        return _short_text(value)
    return clean_text(bibfile_latex_to_text(value))


#: what makes an ASCII value more than its trimmed self to latex_to_text: LaTeX (``\``, ``$``, ``~``, braces),
#: an entity (``&``), a tab or a run of spaces (clean_text folds them)
_MARKED = re.compile(r"[\\$~{}&\t]|  ")


@lru_cache(maxsize=1 << 14)
def _short_text(value: str) -> str:
    return clean_text(bibfile_latex_to_text(value))


#: a braced group of plain text in a title (no command, no nested group): ``{Parkinson}``, ``{New York}``; not the
#: argument of a style command (``\\textit{Drosophila}``: the title's italic, text.latex_styled)
_BRACED = re.compile(r"(?<!\\)(?<!\\textit)(?<!\\textbf)(?<!\\textsc)(?<!\\emph)(?<!\\textsl)\{([^{}\\$]+)\}")


def _protected(raw_title: str) -> list[str]:
    """The words and phrases a title braces to keep their case (``The {Parkinson} disease`` → ``['Parkinson']``);
    not a group that is the whole title (``{{A Title}}``: no word in it is told from another)."""
    if "{" not in raw_title:
        return []
    whole = raw_title.strip()
    out = []
    for m in _BRACED.finditer(raw_title):
        text = latex_to_text(m.group(1))
        if text and m.group(0) != whole and text not in out:
            out.append(text)
    return out


@lru_cache(maxsize=1 << 15)  # a name recurs across a library; a Person is frozen, so one object serves all
def _person(raw: str) -> Person:
    raw = raw.strip()
    if raw.lower() == "others":
        return Person(family="others")
    if raw.startswith("{") and raw.endswith("}") and raw.count("{") == 1:
        return Person(family="", literal=latex_to_text(raw[1:-1]))
    return person_from_inverted(latex_to_text(raw))


def _fields(
    entry: Any, fields: Mapping[str, Any] | None
) -> tuple[str, str, int | None, dict[str, tuple[str, int | None]]]:
    """``(type, key, line, {field: (value, line)})`` from any of the entry forms we accept."""
    if isinstance(entry, BibEntry):
        got = fields if fields is not None else {f.name: f for f in reversed(entry.fields)}
        return (
            entry.type.lower(),
            entry.key,
            entry.line,
            {k: (v, f.line) for k, f in got.items() if (v := f.value) is not None},  # names: lower case
        )
    if isinstance(entry, Entry):
        line = entry.start_line + 1 if entry.start_line is not None else None
        return (
            entry.entry_type.lower(),
            entry.key,
            line,
            {
                k.lower(): (str(f.value), (f.start_line + 1) if f.start_line is not None else line)
                for k, f in entry.fields_dict.items()
            },
        )
    data = dict(entry)
    kind = str(data.pop("ENTRYTYPE", data.pop("entry_type", "misc"))).lower()
    key = str(data.pop("ID", data.pop("key", "")))
    return kind, key, None, {k.lower(): (str(v), None) for k, v in data.items()}


#: a line break and the indentation after it inside a value: a long field wrapped (``--wrap``, bibtex-tidy, JabRef),
#: which BibTeX and biber read as one space
_WRAPPED = re.compile(r"(?<=\S)[ \t]*\r?\n[ \t]+(?=\S)")

#: the fields record_from_entry reads as text (LaTeX decoded)
_TEXT_FIELDS = frozenset(
    "abstract addendum annotation booktitle date day eid eprint eprinttype isbn issn issue "
    "journal journal_abbrev journalabbrev journaltitle keywords langid language month note "
    "number pages pmcid pmid preprint publisher series shortjournal title volume year "
    "school institution address location edition copyright rights origdate".split()
)
_NOTE_FIELDS = frozenset({"annote", "annotation"})  # a note's lines are its own: not unwrapped
_CONTAINED = frozenset({"incollection", "inproceedings", "inbook", "conference"})  # a booktitle is their container
_BOOKS = frozenset({"book", "mvbook", "collection", "proceedings"})  # a series is theirs
_PUBLISHED = re.compile(r"^\d{4}(-\d{2}){0,2}$")
_KEYWORD_SEP = re.compile(r"[;,]")


def record_from_entry(
    entry: BibEntry | Entry | Mapping[str, Any],
    path: str | None = None,
    line: int | None = None,
    *,
    fields: Mapping[str, Any] | None = None,
    format: str = "bibtex",
) -> Record:
    """One BibTeX entry → a Record, each value with the line of its field.

    ``entry`` is a :class:`mscbib.bibfile.BibEntry` (pass ``fields=bib.resolved(entry)`` for
    ``crossref``/``xdata`` inheritance), a bibtexparser v2 ``Entry`` (macros resolved, enclosing removed,
    LaTeX not yet decoded) or a plain mapping with ``ENTRYTYPE``/``ID`` keys. ``line`` (1-based) defaults
    to the entry's own start line."""
    kind, key, own_line, raw = _fields(entry, fields)
    line = line if line is not None else own_line
    detail = key or None
    src = Provenance(format, path, line, format, detail)
    # each value as read (a wrapped line is one space, BibTeX's reading; a note's lines are its own), its line,
    # and LaTeX → text for the fields read below (a real .bib has many others: file, urldate, owner…): one pass
    f: dict[str, str] = {}
    text: dict[str, str] = {}
    lines: dict[str, int | None] = {}
    for k, (v, n_line) in raw.items():
        if "\n" in v and k not in _NOTE_FIELDS:
            v = _WRAPPED.sub(" ", v)
        f[k] = v
        lines[k] = n_line
        if k in _TEXT_FIELDS:
            text[k] = latex_to_text(v)

    made: dict[int, Provenance] = {}  # one (frozen) Provenance per line, shared by the values read there

    def at(*names: str) -> Provenance:
        """Where the first of ``names`` the entry has (with a line) is, else the entry's start."""
        for n in names:
            n_line = lines.get(n)
            if n_line:
                p = made.get(n_line)
                if p is None:
                    p = made[n_line] = Provenance(format, path, n_line, format, detail)
                return p
        return src

    # the record's values, made here as Record.set makes them (a known field, an empty value not stored, a list
    # field's value a list), in the order it was given them; a fresh record has no value to drop
    values: dict[str, Value] = {}
    put = values.__setitem__
    given = text.get
    # a @misc's `type` says the kind classic BibTeX has no type for (datamodel.MISC_LABELS, writers/bibtex.py)
    value: Any = (kind == "misc" and misc_kind(f.get("type"))) or work_type(kind, BIBTEX_TYPES)
    if value:
        put("type", Value(value, src))
    title = given("title")
    if title and (value := latex_styled(f["title"], latex_to_text, title)):
        # its \textit{}, \textbf{}, \textsc{} kept as the title's styles (text.Styled), for the formats that hold them
        put("title", Value(value, at("title")))
    # "and others", or (in a .bib written for Zotero, writers/bibtex.py) the note saying the list is incomplete
    note = given("note", "")
    for role, field_name in (("authors", "author"), ("editors", "editor")):
        written = f.get(field_name)
        if not written:
            continue
        people = [_person(n) for n in split_names(written)]
        complete = not any(p.family == "others" and not p.given for p in people) and not (
            note and _INCOMPLETE[field_name].search(note)
        )
        people = [p for p in people if not (p.family == "others" and not p.given)]
        if people:
            where = at(field_name)
            put(role, Value(people, where))
            put(role + "_complete", Value(complete, where))
    journal = given("journal") or given("journaltitle")
    if kind in _CONTAINED:
        journal = journal or given("booktitle")
    elif kind in _BOOKS:
        journal = journal or given("series")  # a book's container, as the writer puts it
    if journal:
        put("journal", Value(journal, at("journal", "journaltitle", "booktitle", "series")))
    short = given("shortjournal") or given("journalabbrev") or given("journal_abbrev")
    if short and short != journal:
        put("journal_abbrev", Value(short, at("shortjournal", "journalabbrev", "journal_abbrev")))
    if given("date"):
        year, month, day = parse_date(text["date"])
    else:
        year, month, day = parse_date(text["year"]) if given("year") else (None, None, None)
    if year:
        put("year", Value(year, at("date", "year")))
    month = month or parse_month(given("month"))
    if month is not None:
        put("month", Value(month, at("date", "month")))
    day = day or small_int(given("day"))
    if day is not None:
        put("day", Value(day, src))
    value = given("volume")
    if value:
        put("volume", Value(value, at("volume")))
    value = given("number") or given("issue")
    if value:
        put("issue", Value(value, at("number", "issue")))
    value = normalize_pages(given("pages") or (given("eid") if kind == "article" else None))
    if value:
        put("pages", Value(value, at("pages", "eid")))
    # a thesis's school, a report's institution: where the writer puts the publisher for them
    value = given("publisher") or given("school") or given("institution")
    if value:
        put("publisher", Value(value, at("publisher", "school", "institution")))
    value = given("address") or given("location")
    if value:
        put("address", Value(value, at("address", "location")))
    value = given("edition")
    if value:
        put("edition", Value(value, at("edition")))
    value = given("copyright") or given("rights")
    if value:
        put("rights", Value(value, at("copyright", "rights")))
    annote = f.get("annote") or f.get("annotation") or ""
    found = _ONLINE.search(annote) if annote else None
    online = given("origdate", "") or (found.group(1) if found else "")
    if online and _PUBLISHED.match(online):
        put("published", Value(online, at("origdate", "annote")))
    doi = normalize_doi(f["doi"].replace("\\_", "_")) if "doi" in f else None
    if not doi and "url" in f and "doi.org/" in f["url"]:  # (a note's or howpublished's DOI is not the work's)
        dois = find_dois(f["url"].replace("\\_", "_"))
        doi = dois[0] if dois else None
    if doi:
        put("doi", Value(doi, at("doi", "url")))
    pmid = given("pmid", "")
    if not pmid and given("eprinttype", "").lower() == "pubmed":  # BibLaTeX: eprint = {id}, eprinttype = {pubmed}
        pmid = given("eprint", "")
    value = normalize_pmid(pmid)
    if value:
        put("pmid", Value(value, at("pmid", "eprint")))
    pmcid = given("pmcid", "")
    if not pmcid:
        notes = " ".join(text[k] for k in ("note", "addendum", "annotation") if k in text)
        pm = _PMCID_NOTE.search(notes) if "PMCID" in notes else None
        pmcid = pm.group(1) if pm else ""
    value = normalize_pmcid(pmcid)
    if value:
        put("pmcid", Value(value, at("pmcid", "note")))
    value = normalize_doi(given("preprint", ""))  # --prefer-published (mscbib.enrich.preprints)
    if value:
        put("preprint", Value(value, at("preprint")))
    value = given("issn")
    if value and (value := _issns(value)):
        put("issn", Value(list(value), src))
    value = given("isbn")
    if value and (value := _isbns(value)):
        put("isbn", Value(list(value), src))
    value = given("keywords")
    if value and (value := [w.strip() for w in _KEYWORD_SEP.split(value) if w.strip()]):
        put("keywords", Value(value, at("keywords")))
    value = given("abstract")
    if value:
        put("abstract", Value(value, at("abstract")))
    value = given("language") or given("langid")
    if value:
        put("language", Value(value, src))
    value = f.get("url", "").strip()
    if value:
        put("url", Value(value, src))
    rec = Record(source=src, values=values)
    rec.protected = _protected(f.get("title", ""))
    # mscbib's own fields (writers/bibtex.py): the cited works' keys in order, and the keys citing this work
    # the note as text (the writer escaped it: a key's or DOI's `_` is `\_` there), decoded only when it is mscbib's
    if annote and (CITES_LABEL in annote or CITED_BY_LABEL in annote):
        noted = read_cites_note(latex_to_text(annote), at("annote") if "annote" in f else at("annotation"))
    else:
        noted = CitesNote()
    rec.references = noted.references
    rec.cites, rec.cited_by = _mscbib_keys(f, noted)
    rec.key = key or None
    for name, fline, message in getattr(entry, "problems", ()):  # what the parse repaired: one finding per field
        rec.findings.append(Finding("IN002", Severity.WARNING, message, key=detail, field=name, file=path, line=fline))
    return rec


# a journal's ISSNs, a book's ISBN recur across a library: each value read once (tuples: Record.set copies them)
@lru_cache(maxsize=1 << 14)
def _issns(value: str) -> tuple[str, ...]:
    return tuple(split_issn_isbn([value])[0])


@lru_cache(maxsize=1 << 14)
def _isbns(value: str) -> tuple[str, ...]:
    return tuple(split_issn_isbn([value])[1])


def _keys(value: str) -> list[str]:
    """``{a, b,c}`` → ``['a', 'b', 'c']``: a list of citation keys as mscbib writes ``cites`` / ``citedby``."""
    return [k for k in re.split(r"[\s,]+", value.strip()) if k]


def _mscbib_keys(f: Mapping[str, str], noted: CitesNote) -> tuple[list[str], list[str]]:
    """``(cites, cited_by)`` from the ``cites`` / ``citedby`` fields mscbib writes, or, in its BibLaTeX output
    (which has neither), from the annotation's note (:func:`~mscbib.sources.base.read_cites_note`)."""
    cites = _keys(f["cites"]) if "cites" in f else noted.cites
    cited_by = _keys(f["citedby"]) if "citedby" in f else noted.cited_by
    return cites, cited_by


class BibtexFile:
    name = "bibtex"

    def match(self, text: str) -> bool:
        if "@" not in text:  # every entry starts with "@": most pages are refused by one C-level search
            return False
        # what comes before the first entry is a comment to BibTeX, however long (a licence header of
        # `%` lines): skip blank and `%` lines before looking
        header = _HEADER.match(text)
        assert header is not None  # every part of it is optional: it matches any text
        start = header.end()
        head = text[start : start + 20000]
        return "@" in head and bool(_ENTRY_START.search(head)) and bool(_FIRST_ENTRY.search(head))

    def read(self, text: str, path: str) -> ReadResult:
        bib = parse_bib(text, path)
        result = ReadResult()
        for block in bib.failed:
            result.failures.append(
                FailedInput(path, f"BibTeX block not parsed: {block.reason}"[:300], line=block.line, raw=block.raw)
            )
        # an entry no other inherits from (crossref / xdata) is let go once its record is made: the parsed
        # file and the records are not both held whole (a 10 MB file: about a third less memory at the peak)
        parents = {key.lower() for e in bib.entries for _rel, key, _p in bib.parents(e)}
        with fewer_collections():  # records that all stay alive: a collection pass would only walk them
            for entry in bib.entries:  # a repeated key is for `mscbib check` to report; the data is kept
                result.records.append(record_from_entry(entry, path, fields=bib.resolved(entry)))
                if entry.key.lower() not in parents:
                    bib._resolved.pop(id(entry), None)
                    entry.fields, entry.raw, entry._index, entry._text = [], "", None, None
        return result
