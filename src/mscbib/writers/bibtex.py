r"""Write records as BibTeX with ``bibtexparser`` v2: deterministic, atomic, readable by BibTeX, biber,
pandoc and Zotero.

Determinism: entries are sorted by key, fields come in :data:`FIELD_ORDER`, and nothing that varies
between runs (time, paths, versions) is written. The same records give a byte-identical file.

Two dialects (:data:`DIALECTS`):

* ``bibtex`` (default): ``journal``, ``year``/``month``/``day``, ``pmid``/``pmcid`` fields (which Zotero's
  BibTeX import keeps in Extra), ``shortjournal`` (Zotero: journal abbreviation), a thesis's publisher as
  ``school`` and a report's as ``institution`` (the fields BibTeX requires for them);
* ``biblatex``: ``journaltitle``, ``date = {2010-06-01}``, the PubMed ID as ``eprint`` + ``eprinttype =
  {pubmed}`` (the PMCID too, as ``eprinttype = {pmc}``, when there is no PMID; beside a PMID it goes into
  ``note = {PMCID: PMC…}``, a note Zotero files in Extra), and only the fields biblatex's data model allows
  for the entry type (:data:`BIBLATEX_FIELDS`), so that biber's data-model check is silent. What the model has
  no field for moves: a report's or thesis's ``publisher`` → ``institution``, a misc's → ``howpublished``, a
  proceedings' ``author`` → ``editor``, ``annote`` → ``annotation`` (with the ``citedby`` keys appended; the
  ``cites`` keys are already listed there), a non-integer ``volume`` and any ``volume``/``number``/``pages``/
  ``isbn`` the type does not take → ``addendum`` ("Vol. 12 Suppl 1"). Dropped in this dialect, as no biblatex
  style prints them and Zotero's journal articles cannot hold them: the ``publisher`` of an ``@article``, and
  every ISSN but the first (``issn`` holds one) — and ``issn`` on entries other than ``@article``. The BibTeX
  dialect keeps all of them.

Text encoding: UTF-8 by default, except characters pdflatex cannot typeset from its default fonts (Greek,
mathematical symbols, sub- and superscript digits…), which become LaTeX markup (``β`` →
``\ensuremath{\beta}``) so that the file builds with pdflatex, XeLaTeX, biber and pandoc alike;
``ascii=True`` turns *every* character outside ASCII into LaTeX (``é`` → ``{\'e}``) for 8-bit BibTeX.
"""

from __future__ import annotations

import re
from typing import Iterable

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat
from pylatexenc.latexencode import UnicodeToLatexEncoder

from .._io import atomic_write_text
from ..bibfile import braces_balanced, gc_paused
from ..model import Person, Record, zotero_note
from ..text import MONTHS

__all__ = ["BIBLATEX_FIELDS", "DIALECTS", "ENTRY_TYPES", "FIELD_ORDER", "entry_type", "entry_from_record", "render", "write_bibtex",
           "latex_escape", "needs_protection", "protect_title", "format_person"]

#: Crossref work type (the one vocabulary of Record ``type``, see mscbib.model) → BibTeX entry type.
ENTRY_TYPES = {
    "journal-article": "article",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "book-chapter": "incollection",
    "book-section": "incollection",
    "book-part": "incollection",
    "reference-entry": "incollection",
    "proceedings-article": "inproceedings",
    "proceedings": "proceedings",
    "dissertation": "phdthesis",
    "report": "techreport",
    "standard": "techreport",
    "posted-content": "misc",
    "dataset": "misc",
    "other": "misc",
}

#: Field order in the written entry.
FIELD_ORDER = ("author", "editor", "title", "journal", "journaltitle", "shortjournal", "booktitle", "series", "year", "month", "day",
               "date", "volume", "number", "pages", "publisher", "school", "institution", "issn", "isbn", "doi", "pmid", "pmcid", "eprint",
               "eprinttype", "url", "language", "keywords", "abstract", "note", "addendum")

#: The dialects :func:`render` writes.
DIALECTS = ("bibtex", "biblatex")

# Characters pdflatex typesets from UTF-8 with its default setup: Latin-1, Latin Extended-A and the
# common typographic punctuation. Everything else outside ASCII is written as LaTeX markup.
_PDFLATEX_SAFE = re.compile(r"[^\x00-\x7f\u00a0-\u017f\u2010-\u2014\u2018-\u201e\u2020\u2021\u2026]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ENCODER = UnicodeToLatexEncoder(non_ascii_only=True, replacement_latex_protection="braces-all",
                                 unknown_char_policy="keep", unknown_char_warning=False)


def to_latex(escaped: str, ascii: bool = False) -> str:
    r"""Turn the characters of an already escaped text that need it into LaTeX markup: every non-ASCII
    character with ``ascii``, else only those pdflatex cannot typeset (``β`` → ``{\ensuremath{\beta}}``)."""
    if escaped.isascii():  # most values: neither pattern can match
        return escaped
    pattern = _NON_ASCII if ascii else _PDFLATEX_SAFE
    return pattern.sub(lambda m: _ENCODER.unicode_to_latex(m.group(0)), escaped)

_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
             "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_SPECIAL_RE = re.compile(r"[\\{}&%$#_~^]")


def verbatim_value(text: str) -> str:
    """A ``doi`` / ``url`` value as written: verbatim (no LaTeX escapes: biblatex and hyperref read these
    fields as they are), except what would end the braced value or escape its closing brace: a backslash,
    unbalanced braces and line breaks are percent-encoded (``%5C``, ``%7B``, ``%7D``, ``%0A``), which a URL
    and a DOI resolver read as the same characters."""
    if "\\" in text:
        text = text.replace("\\", "%5C")
    if "\n" in text or "\r" in text:  # no line break belongs in an identifier; one could start an "@" line
        text = text.replace("\r", "%0D").replace("\n", "%0A")
    if ("{" in text or "}" in text) and not braces_balanced(text):
        text = text.replace("{", "%7B").replace("}", "%7D")
    return text


def _key_list(keys: Iterable[str]) -> str:
    """``cites`` / ``citedby``: citation keys, comma-separated; a key cannot hold braces or a backslash, so
    any that one read from a broken file has is escaped (the value re-parses; nothing else changes)."""
    return ", ".join(k if not _KEY_SPECIAL.search(k) else _KEY_SPECIAL.sub(lambda m: _SPECIALS[m.group(0)], k)
                     for k in keys)


_KEY_SPECIAL = re.compile(r"[\\{}]")


def latex_escape(text: str) -> str:
    """Escape the characters LaTeX treats specially; letters outside ASCII stay as they are (UTF-8)."""
    return _SPECIAL_RE.sub(lambda m: _SPECIALS[m.group(0)], text)


_TOKEN = re.compile(r"[^\s:;,.?!()\[\]\"]+")
#: a capital inside a token (an ASCII title without one has no word :func:`needs_protection` braces)
_INNER_CAPITAL = re.compile(r"[^\s:;,.?!()\[\]\"][A-Z]")


def needs_protection(word: str) -> bool:
    if word[1:].islower():  # the common case, at C speed: no capital after the first letter
        return False
    letters = [c for c in word if c.isalpha()]
    if len(letters) < 2 and not any(c.isdigit() for c in word):
        return False
    # a capital after the first letter: MSCs, TGFβ1, TA-MSCs, mRNA, DeClerck, p53-MDM2
    return any(c.isupper() for c in word[1:]) and not word.startswith("\\")


def protect_title(escaped: str) -> str:
    """Brace the words whose case a style must not change (acronyms, mixed case): ``{MSCs}``."""
    if escaped.isascii() and not _INNER_CAPITAL.search(escaped):  # no capital after a word's first letter
        return escaped
    return _TOKEN.sub(lambda m: "{" + m.group(0) + "}" if needs_protection(m.group(0)) else m.group(0), escaped)


def format_person(p: Person) -> str:
    if p.literal:
        return "{" + latex_escape(p.literal) + "}"
    family = latex_escape(p.family)
    if " and " in f" {family} " or family.lower().startswith("and ") or (" " in family and not p.given):
        # braced, or BibTeX reads "and" as a separator, and a lone "Doantam Phan" as given + family
        family = "{" + family + "}"
    parts = [family]
    if p.suffix:
        parts.append(latex_escape(p.suffix))
    if p.given:
        parts.append(latex_escape(p.given))
    return ", ".join(parts)


def entry_type(record: Record) -> str:
    kind = (record.get("type") or "").strip().lower()
    if kind in ENTRY_TYPES:
        return ENTRY_TYPES[kind]
    if record.get("journal") or record.get("journal_abbrev"):
        return "article"
    if record.get("isbn"):
        return "book"
    return "misc"


#: The field a container title (Crossref's ``container-title``, held in Record ``journal``) goes to, for the entry
#: types whose container is not a journal.
_CONTAINER_AS = {"incollection": "booktitle", "inproceedings": "booktitle", "book": "series"}
#: The field the BibTeX data model names an entry type's publishing body in, where it is not ``publisher``.
_PUBLISHER_AS = {"phdthesis": "school", "techreport": "institution"}


def _fold_blank_lines(text: str) -> str:
    """White space around line breaks dropped, blank lines too (what a ``\\s*\\n\\s*`` pattern did, in
    linear time: that pattern retried every space of a long run of them)."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    middle = [x for x in (line.strip() for line in lines[1:-1]) if x]
    return "\n".join([lines[0].rstrip(), *middle, lines[-1].lstrip()])


def _braced(text: str) -> str:
    return "{" + text + "}"


def entry_fields(record: Record, dialect: str = "bibtex", ascii: bool = False) -> dict[str, str]:
    """The entry's fields as raw BibTeX values (braced, or a bare month macro), in ``dialect``
    (:data:`DIALECTS`); see the module docstring for the text encoding and ``ascii``."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown BibTeX dialect {dialect!r}; known: {', '.join(DIALECTS)}")
    f: dict[str, str] = {}
    if record.authors:
        names = [format_person(p) for p in record.authors]
        if record.get("authors_complete") is False:
            names.append("others")  # the input printed "et al.": say so rather than pass off a short list
        f["author"] = _braced(" and ".join(names))
    if record.get("editors"):
        f["editor"] = _braced(" and ".join(format_person(p) for p in record.get("editors")))
    if record.title:
        f["title"] = _braced(protect_title(latex_escape(record.title)))
    journal, abbrev = record.get("journal"), record.get("journal_abbrev")
    kind = entry_type(record)
    if kind in _CONTAINER_AS and journal:  # a chapter's or paper's book, a book's series: not a journal
        f[_CONTAINER_AS[kind]] = _braced(latex_escape(journal))
    elif journal or abbrev:
        f["journal"] = _braced(latex_escape(journal or abbrev))
        if journal and abbrev and abbrev != journal:
            f["shortjournal"] = _braced(latex_escape(abbrev))
    if record.get("year"):
        f["year"] = _braced(str(record.get("year")))
    month = record.get("month")
    if isinstance(month, int) and 1 <= month <= 12:
        f["month"] = MONTHS[month - 1]  # the standard macro, unbraced
        if record.get("day"):
            f["day"] = _braced(str(record.get("day")))
    for name, bib in (("volume", "volume"), ("issue", "number"), ("pages", "pages"), ("doi", "doi"),
                      ("pmid", "pmid"), ("pmcid", "pmcid"), ("preprint", "preprint"), ("url", "url")):
        value = record.get(name)
        if value:
            f[bib] = _braced(verbatim_value(str(value)) if name in ("doi", "url", "preprint") else latex_escape(str(value)))
    for name in ("publisher", "language"):
        if record.get(name):
            f[name] = _braced(latex_escape(record.get(name)))
    if dialect == "bibtex" and "publisher" in f and kind in _PUBLISHER_AS:
        # BibTeX requires a thesis's school and a report's institution; the publisher Crossref or the input
        # gives for one is that body (Zotero's import reads both fields back as the publisher)
        f[_PUBLISHER_AS[kind]] = f.pop("publisher")
    if record.get("issn"):
        f["issn"] = _braced(", ".join(record.get("issn")))
    if record.get("isbn"):
        f["isbn"] = _braced(", ".join(record.get("isbn")))
    if record.get("keywords"):
        f["keywords"] = _braced(latex_escape(", ".join(record.get("keywords"))))
    if record.get("abstract"):
        f["abstract"] = _braced(latex_escape(_fold_blank_lines(record.get("abstract"))))
    if record.cites:  # mscbib.refs: the cited works' keys; `annote` is the form Zotero's import keeps (a note)
        f["cites"] = _braced(_key_list(record.cites))
        note = zotero_note(record)
        if note:
            f["annote"] = _braced(latex_escape(note))
    if record.cited_by:
        f["citedby"] = _braced(_key_list(record.cited_by))
    if record.printed and not record.title and "note" not in f:  # an unparsed, unverified cited work: as printed
        f["note"] = _braced(latex_escape(record.printed))
    if dialect == "biblatex":
        _to_biblatex(f, record)
    out = {k: v if k in ("doi", "url", "preprint") else to_latex(v, ascii) for k, v in f.items()}
    return {k: _AT_LINE_START.sub(r"\1{@}", v) if "\n" in v else v for k, v in out.items()}


#: ``@`` first on a line inside a value: BibTeX readers (bibtexparser's splitter) take it for a new entry
#: (``@{…``, ``@word{``); braced, ``{@}``, it is the same character to LaTeX and to every reader
_AT_LINE_START = re.compile(r"(\n[ \t]*)@")


def _to_biblatex(f: dict[str, str], record: Record) -> None:
    """BibTeX fields → their BibLaTeX forms, in place (``journaltitle``, ``date``, ``eprint``)."""
    if "journal" in f:
        f["journaltitle"] = f.pop("journal")
    year, month, day = f.pop("year", None), record.get("month") if f.pop("month", None) else None, f.pop("day", None)
    if year and str(record.get("year")).isdigit():
        date = str(record.get("year"))
        if month:
            date += f"-{month:02d}" + (f"-{int(record.get('day')):02d}" if day else "")
        f["date"] = _braced(date)
    elif year:
        f["year"] = year  # not a plain year: biblatex's `year` takes any text, `date` does not
    pmid, pmcid = f.pop("pmid", None), f.pop("pmcid", None)
    if pmid:
        f["eprint"], f["eprinttype"] = pmid, "{pubmed}"
        if pmcid:
            f["note"] = _braced("PMCID: " + pmcid[1:-1])
    elif pmcid:
        f["eprint"], f["eprinttype"] = pmcid, "{pmc}"
    _fit_biblatex_model(f, record)


_BIBLATEX_COMMON = frozenset({"abstract", "addendum", "annotation", "date", "doi", "eprint", "eprinttype",
                              "keywords", "language", "note", "shortjournal", "title", "url", "year"})
#: Fields biblatex's data model (biber ``--tool``'s ``biber-tool.conf``) allows, per entry type we write
#: (``phdthesis``/``techreport`` are biblatex's aliases of ``thesis``/``report``), among those the writer makes.
BIBLATEX_FIELDS = {kind: _BIBLATEX_COMMON | frozenset(extra.split()) for kind, extra in {
    "article": "author editor issn issue journaltitle number pages volume",
    "book": "author editor isbn number pages publisher series volume",
    "incollection": "author booktitle editor isbn number pages publisher volume",
    "inproceedings": "author booktitle editor isbn number organization pages publisher volume",
    "proceedings": "editor isbn number organization pages publisher volume",
    "phdthesis": "author institution pages",
    "techreport": "author institution number pages",
    "misc": "author howpublished organization",
}.items()}
_ADDENDUM_LABELS = {"volume": "Vol.", "number": "No.", "pages": "pp.", "isbn": "ISBN"}


def _fit_biblatex_model(f: dict[str, str], record: Record) -> None:
    """Move or drop, in place, what biblatex's data model has no field for in this entry type (module
    docstring); afterwards every field is one :data:`BIBLATEX_FIELDS` allows."""
    kind = entry_type(record)
    allowed = BIBLATEX_FIELDS.get(kind, BIBLATEX_FIELDS["misc"])
    if "publisher" in f and "publisher" not in allowed:
        target = next((t for t in ("institution", "howpublished") if t in allowed), None)
        publisher = f.pop("publisher")
        if target and target not in f:
            f[target] = publisher
    if "author" in f and "author" not in allowed and "editor" in allowed and "editor" not in f:
        f["editor"] = f.pop("author")
    issn = f.pop("issn", None)
    if issn and "issn" in allowed:
        f["issn"] = _braced(issn[1:-1].split(",")[0].strip())
    f.pop("cites", None)  # the keys are listed in the annotation (model.zotero_note)
    annotation = [f.pop("annote")[1:-1]] if "annote" in f else []
    citedby = f.pop("citedby", None)
    if citedby:
        annotation.append("Cited by (mscbib): " + citedby[1:-1])
    if annotation:
        f["annotation"] = _braced("\n".join(annotation))
    if "volume" in f and not str(record.get("volume")).strip().isdigit():
        f["addendum_volume"] = f.pop("volume")
    addendum = []
    for name in ("volume", "number", "pages", "isbn"):
        value = f.pop(f"addendum_{name}", None) or (f.pop(name) if name in f and name not in allowed else None)
        if value:
            addendum.append(f"{_ADDENDUM_LABELS[name]} {value[1:-1]}")
    if addendum:
        f["addendum"] = _braced(". ".join(addendum))


def entry_from_record(record: Record, dialect: str = "bibtex", ascii: bool = False) -> Entry:
    if not record.key:
        raise ValueError(f"record {record.label()} has no citation key")
    fields = entry_fields(record, dialect, ascii)
    ordered = [Field(k, fields[k]) for k in FIELD_ORDER if k in fields]
    ordered += [Field(k, fields[k]) for k in sorted(fields) if k not in FIELD_ORDER]
    return Entry(entry_type(record), record.key, ordered)


#: entries rendered per bibtexparser Library: the written text is the same, but a 10 MB library's
#: entries are not all held as bibtexparser objects at once (the peak of a build was at this step)
_RENDER_CHUNK = 512


def render(records: Iterable[Record], dialect: str = "bibtex", ascii: bool = False) -> str:
    """The records as a ``.bib`` text in ``dialect`` (``bibtex`` or ``biblatex``), sorted by key."""
    fmt = BibtexFormat()
    fmt.indent = "  "
    fmt.value_column = 0
    fmt.block_separator = "\n"
    ordered = sorted(records, key=lambda r: r.key or "")
    keys = [r.key for r in ordered]
    # a key given twice is for bibtexparser's Library to deal with as it does: then all in one
    size = _RENDER_CHUNK if len(set(keys)) == len(keys) else max(1, len(ordered))
    parts = []
    with gc_paused():  # many small objects, all alive until written: the collector would only walk them
        for start in range(0, len(ordered), size):
            library = Library()
            for rec in ordered[start:start + size]:
                library.add(entry_from_record(rec, dialect, ascii))
            part = bibtexparser.write_string(library, unparse_stack=[], bibtex_format=fmt)
            parts.append(part if part.endswith("\n") or not part else part + "\n")
    return fmt.block_separator.join(parts)


def write_bibtex(records: Iterable[Record], path: str, dialect: str = "bibtex", ascii: bool = False) -> str:
    """Render and write atomically; returns the text written."""
    text = render(records, dialect, ascii)
    atomic_write_text(path, text)
    return text
