r"""Write records as BibTeX with ``bibtexparser`` v2: deterministic, atomic, readable by BibTeX, biber,
pandoc and Zotero.

Determinism: entries are sorted by key (or as ``render``'s ``sort`` says), fields come in :data:`FIELD_ORDER`, and nothing that varies
between runs (time, paths, versions) is written. The same records give a byte-identical file.

Three dialects (:data:`DIALECTS`):

* ``bibtex`` (default): ``journal``, ``year``/``month``/``day``, ``pmid``/``pmcid`` fields (which Zotero's
  BibTeX import keeps in Extra), ``shortjournal`` (Zotero: journal abbreviation), a thesis's publisher as
  ``school`` and a report's as ``institution`` (the fields BibTeX requires for them), ``address``, ``edition``,
  ``copyright`` (the licence: Zotero's import files it under Rights), ``cites``/``citedby`` and, for Zotero's
  import which drops those, the same keys in ``annote`` (a child note there), with the online-first date (Record
  ``published``; BibTeX has no field for a second date) as its line ``Published online: 2005-02-18``;
* ``zotero``: the ``bibtex`` dialect as Zotero's BibTeX import reads it best (measured with its own translator,
  tests/test_zotero_import.py): UTF-8 as it is (no TeX form of ``θ`` survives that import), no ``and others``
  (it makes a creator of it) but a ``note`` saying the author or editor list is incomplete, ``cites``/``citedby``
  only in ``annote``;
* ``biblatex``: ``journaltitle``, ``date = {2010-06-01}`` (and ``origdate``, the online-first date), the PubMed ID as ``eprint`` + ``eprinttype =
  {pubmed}`` (the PMCID too, as ``eprinttype = {pmc}``, when there is no PMID; beside a PMID it goes into
  ``note = {PMCID: PMC…}``, a note Zotero files in Extra), and only the fields biblatex's data model allows
  for the entry type (:data:`BIBLATEX_FIELDS`), so that biber's data-model check is silent. What the model has
  no field for moves: a report's or thesis's ``publisher`` → ``institution``, a misc's → ``howpublished``, a
  proceedings' ``author`` → ``editor``, ``address`` → ``location``, a misc's ``journaltitle`` → ``howpublished``,
  a non-integer ``volume`` and any ``volume``/``number``/``pages`` the type does not take → ``addendum`` ("Vol. 12
  Suppl 1"); ``issn``/``isbn`` hold the first value (biber validates one), and ``annote`` (which biber reads as
  ``annotation`` and Zotero's import keeps as a note, where it ignores ``annotation``) lists the cited and citing
  keys, every ISSN/ISBN where there are several or the type has no field, and the Rights, edition or place the
  type has no field for. Dropped in this dialect, as no biblatex style prints it: the ``publisher`` of an
  ``@article``. The BibTeX dialect keeps it.

Text encoding: UTF-8 by default, except characters pdflatex cannot typeset from its default fonts (Greek,
mathematical symbols, sub- and superscript digits…), which become LaTeX markup (``β`` → ``{$\beta$}``,
``¹³`` → ``{$^{13}$}``, in the forms Zotero's import reads back where it reads any: :func:`to_latex`) so that the
file builds with pdflatex, XeLaTeX, biber and pandoc alike;
``ascii=True`` turns *every* character outside ASCII into LaTeX (``é`` → ``{\'e}``) for 8-bit BibTeX.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable, Collection, Iterable

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat
from pylatexenc.latexencode import UnicodeToLatexEncoder

from .._io import atomic_write_text
from .._perf import fewer_collections
from ..bibfile import braces_balanced
from ..datamodel import BIBLATEX_FIELDS, DIALECTS, ENTRY_TYPES, FIELD_ORDER, kind_entry_type, misc_label, type_in
from ..datamodel import CONTAINER_AS as _CONTAINER_AS
from ..datamodel import PUBLISHER_AS as _PUBLISHER_AS
from ..model import CITED_BY_LABEL, Person, Record, cited_by_line, zotero_note
from ..text import LATEX_STYLE_TAGS, MONTHS, STYLES, SUBSCRIPTS, SUPERSCRIPTS, Styled, render_styles, script_runs
from .options import DEFAULT_LAYOUT, DEFAULT_SORT, Layout
from .options import ordered as sort_records

__all__ = [
    "BIBLATEX_FIELDS",
    "DIALECTS",
    "ENTRY_TYPES",
    "FIELD_ORDER",
    "entry_type",  # the tables: mscbib.datamodel
    "CITED_BY_LABEL",
    "INCOMPLETE_AUTHORS",
    "INCOMPLETE_EDITORS",
    "ZOTERO_MATH_LETTERS",
    "entry_from_record",
    "render",
    "write_bibtex",
    "latex_escape",
    "needs_protection",
    "protect_title",
    "title_latex",
    "format_person",
]

#: The note written where the source printed "et al." and the format cannot say it (RIS, CSL-JSON, Zotero).
INCOMPLETE_AUTHORS = "Author list incomplete: the source printed et al."
INCOMPLETE_EDITORS = "Editor list incomplete: the source printed et al."
#: The line of ``annote`` that gives the online-first date (biblatex also has it in ``origdate``).
ONLINE_LABEL = "Published online:"

# Characters pdflatex typesets from UTF-8 with its default setup: Latin-1, Latin Extended-A and the
# common typographic punctuation. Everything else outside ASCII is written as LaTeX markup.
_PDFLATEX_SAFE = re.compile(r"[^\x00-\x7f\u00a0-\u017f\u2010-\u2014\u2018-\u201e\u2020\u2021\u2026]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ENCODER = UnicodeToLatexEncoder(
    non_ascii_only=True,
    replacement_latex_protection="braces-all",
    unknown_char_policy="keep",
    unknown_char_warning=False,
)


#: The letters Zotero's BibTeX import reads back from ``{$\cmd$}`` (measured with its own translator,
#: tests/test_zotero_import.py): for these the file says ``{$\beta$}``, which pdflatex, BibTeX, biber and pandoc
#: read too. Zotero reads no TeX form of the others (``\theta`` → "þeta", ``\iota`` → "ıota", ``\omega`` →
#: "ømega", ``\Upsilon`` → "ϒ", accented Greek): they stay ``{\ensuremath{\theta}}`` here, and UTF-8 in the
#: ``zotero`` dialect.
ZOTERO_MATH_LETTERS = frozenset("ΓΔΘΛΞΠΣΦΨαβγδεζηκλμνξπρςστυφχψϑϕϵ")
#: ... and the characters written ``{$…$}`` for which Zotero reads a near form: the minus sign (``(−)-epigallo…``,
#: ``{$-$}``) becomes a hyphen there, where ``{\ensuremath{-}}`` and ``{\textminus}`` stay TeX
ZOTERO_MATH = ZOTERO_MATH_LETTERS | {"\u2212"}
_ENSUREMATH = re.compile(r"^\{\\ensuremath\{(.+)\}\}$")
_SCRIPT_CHAR = re.compile("[" + "".join(sorted(set(SUPERSCRIPTS.values()) | set(SUBSCRIPTS.values()))) + "]")


# one conversion per character: pylatexenc makes a class on each call (its cycles freed only by a collection, which
# the writer holds off: 80 MB of them at the end of a 10 MB hostile build), and a character's markup never changes
@lru_cache(maxsize=1 << 12)
def _char_to_latex(c: str) -> str:
    latex = _ENCODER.unicode_to_latex(c)
    if c in ZOTERO_MATH:
        m = _ENSUREMATH.match(latex)
        if m:
            return "{$" + m.group(1) + "$}"
    return latex


def _scripts_to_latex(escaped: str) -> str:
    """Unicode sub- and superscripts (``δ¹³C``, ``CO₂``: what the mapping makes of ``<sup>``/``<sub>``) as
    ``{$^{13}$}`` / ``{$_{2}$}``: math mode, which pdflatex, BibTeX, biber and pandoc typeset and Zotero's
    import reads back (``<sup>13</sup>``, its rich text, and ``₂``), where ``\textsuperscript{13}`` stays TeX
    in Zotero."""
    if not _SCRIPT_CHAR.search(escaped):
        return escaped
    return "".join(
        text if kind is None else ("{$^{" if kind == "sup" else "{$_{") + text + "}$}"
        for text, kind in script_runs(escaped)
    )


def to_latex(escaped: str, ascii: bool = False) -> str:
    r"""Turn the characters of an already escaped text that need it into LaTeX markup: every non-ASCII
    character with ``ascii``, else only those pdflatex cannot typeset (``β`` → ``{$\beta$}``, ``θ`` →
    ``{\ensuremath{\theta}}``, ``¹³`` → ``{$^{13}$}``)."""
    if escaped.isascii():  # most values: no pattern can match
        return escaped
    escaped = _scripts_to_latex(escaped)
    pattern = _NON_ASCII if ascii else _PDFLATEX_SAFE
    return pattern.sub(lambda m: _char_to_latex(m.group(0)), escaped)


_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
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
    return ", ".join(
        k if not _KEY_SPECIAL.search(k) else _KEY_SPECIAL.sub(lambda m: _SPECIALS[m.group(0)], k) for k in keys
    )


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


def _all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and not any(c.islower() for c in letters)


def protect_title(escaped: str, keep: Iterable[str] = (), all_caps: bool | None = None) -> str:
    """Brace the words whose case a style must not change (acronyms, mixed case): ``{MSCs}``, and the words and
    phrases ``keep`` names (Record ``protected``: those the input braced, kept where Crossref's title, with the same
    words, replaced the input's). A title in
    capitals throughout (``THE IMPACT OF…``) has no word to tell from another: nothing is braced, and a style
    that sets titles in sentence case may lower it. ``all_caps`` says it of the whole title where ``escaped`` is
    one run of a styled one (:func:`title_latex`)."""
    if not keep and escaped.isascii() and not _INNER_CAPITAL.search(escaped):  # no capital after a first letter
        return escaped
    if _all_caps(escaped) if all_caps is None else all_caps:
        return escaped
    out = _TOKEN.sub(lambda m: "{" + m.group(0) + "}" if needs_protection(m.group(0)) else m.group(0), escaped)
    for phrase in keep:  # what the input braced (``{Parkinson}``), wherever the title written has it
        esc = latex_escape(phrase)
        if all(needs_protection(w) for w in esc.split()):
            continue  # braced above already
        out = re.sub(r"(?<![{\w])" + re.escape(esc) + r"(?![}\w])", lambda m: "{" + m.group(0) + "}", out)
    return out


def title_latex(record: Record) -> str:
    r"""The title as written: escaped, its words' case protected (:func:`protect_title`), and its italic, bold and
    small caps (a :class:`~mscbib.text.Styled` title: Crossref's ``<i>``, ``<b>``, ``<scp>``) as ``\textit{}``,
    ``\textbf{}``, ``\textsc{}``, which BibTeX's styles, biber and pandoc typeset and Zotero's import reads as its
    rich text (``<i>``, ``<b>``, small caps).

    A braced word inside a command's group ends the style there in Zotero's import (``\textit{{Callosobruchus}
    maculatus}`` → ``<i>Callosobruchus</i> maculatus``, measured with its own translator): where a styled run has
    one, each braced group and each word between gets a command of its own (``\textit{{Callosobruchus}}
    \textit{maculatus}``)."""
    title = record.title or ""
    if not isinstance(title, Styled):
        return protect_title(latex_escape(title), record.protected)
    caps = _all_caps(title)
    runs = [(protect_title(latex_escape(t), record.protected, caps), styles) for t, styles in title.runs]
    if not any(styles and "{" in text for text, styles in runs):
        return render_styles(Styled(runs), LATEX_STYLE_TAGS)  # nothing braced: the styles nested as they are
    out = []
    for text, styles in runs:
        tags = [LATEX_STYLE_TAGS[st] for st in STYLES if st in styles]
        if not tags:
            out.append(text)
            continue
        parts = _BRACED_OR_SPACE.split(text) if "{" in text else [text]
        for part in parts:
            if part and not part.isspace():
                for start, end in reversed(tags):
                    part = start + part + end
            out.append(part)
    return "".join(out)


#: a braced group (the case protection :func:`protect_title` adds), or a run of white space
_BRACED_OR_SPACE = re.compile(r"((?<!\\)\{[^{}]*\}|\s+)")


@lru_cache(maxsize=1 << 15)  # a name recurs across a library; a Person is frozen: one text per name
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
        given = latex_escape(p.given)
        # braced where BibTeX would read "and" as a separator: a given name "Engineering, and Medicine" (a reference's
        # "National Academies of Sciences, Engineering, and Medicine") was two names, the first "with a comma at the end"
        parts.append("{" + given + "}" if " and " in f" {given} " else given)
    return ", ".join(parts)


def entry_type(record: Record) -> str:
    return type_in("bibtex", record)  # mscbib.datamodel: the one type table


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
    zotero = dialect == "zotero"
    # the record's values, read once (Record.get per field, about 40 a record, was a tenth of the writer's time)
    get: Callable[[str], Any] = {name: v.value for name, v in record.values.items()}.get
    f: dict[str, str] = {}
    notes: list[str] = []  # the zotero dialect's note: what Zotero has no field for
    for role, field_, complete, what in (
        ("authors", "author", "authors_complete", INCOMPLETE_AUTHORS),
        ("editors", "editor", "editors_complete", INCOMPLETE_EDITORS),
    ):
        people = get(role)
        if not people:
            continue
        names = [format_person(p) for p in people]
        if get(complete) is False:
            if zotero:  # Zotero's import makes a creator named "others" of the BibTeX convention
                notes.append(what)
            else:
                names.append("others")  # the input printed "et al.": say so rather than pass off a short list
        f[field_] = _braced(" and ".join(names))
    if record.title:
        f["title"] = _braced(title_latex(record))
    journal, abbrev = get("journal"), get("journal_abbrev")
    kind = entry_type(record) if dialect == "bibtex" else kind_entry_type(record)
    if kind in _CONTAINER_AS and journal:  # a chapter's or paper's book, a book's series: not a journal
        f[_CONTAINER_AS[kind]] = _braced(latex_escape(journal))
    elif journal or abbrev:
        f["journal"] = _braced(latex_escape(journal or abbrev))
        if journal and abbrev and abbrev != journal:
            f["shortjournal"] = _braced(latex_escape(abbrev))
    label = misc_label(record) if dialect != "biblatex" and kind == "misc" else None
    if label:
        # what the @misc is (a dataset, a preprint, a book with no publisher): BibTeX has no type for it, its styles
        # print no `type` of a @misc, and the readers read it back (datamodel.MISC_LABELS); BibLaTeX has the types
        f["type"] = _braced(label)
    if get("year"):
        f["year"] = _braced(str(get("year")))
    month = get("month")
    if isinstance(month, int) and 1 <= month <= 12:
        f["month"] = MONTHS[month - 1]  # the standard macro, unbraced
        if get("day"):
            f["day"] = _braced(str(get("day")))
    online = get("published")
    online = str(online) if online and re.match(r"^\d{4}(-\d{2}){0,2}$", str(online)) else None
    if online and dialect == "biblatex":  # beside `date`, the print issue's
        f["origdate"] = _braced(online)
    for name, bib in (
        ("volume", "volume"),
        ("issue", "number"),
        ("pages", "pages"),
        ("edition", "edition"),
        ("doi", "doi"),
        ("pmid", "pmid"),
        ("pmcid", "pmcid"),
        ("preprint", "preprint"),
        ("url", "url"),
    ):
        value = get(name)
        if value:
            f[bib] = _braced(
                verbatim_value(str(value)) if name in ("doi", "url", "preprint") else latex_escape(str(value))
            )
    for name in ("publisher", "address", "language"):
        if get(name):
            f[name] = _braced(latex_escape(get(name)))
    if get("rights"):  # Zotero's import files `copyright` under Rights (and ignores `rights`)
        f["copyright"] = _braced(latex_escape(get("rights")))
    if dialect != "biblatex" and "publisher" in f and kind in _PUBLISHER_AS:
        # BibTeX requires a thesis's school and a report's institution; the publisher Crossref or the input
        # gives for one is that body (Zotero's import reads both fields back as the publisher)
        f[_PUBLISHER_AS[kind]] = f.pop("publisher")
    if get("issn"):
        f["issn"] = _braced(", ".join(get("issn")))
    if get("isbn"):
        f["isbn"] = _braced(", ".join(get("isbn")))
    if get("keywords"):
        f["keywords"] = _braced(latex_escape(", ".join(get("keywords"))))
    if get("abstract"):
        f["abstract"] = _braced(latex_escape(_fold_blank_lines(get("abstract"))))
    # the cited works' keys (`cites`, mscbib.refs) and the keys citing this work (`citedby`): as fields, and as
    # the lines of `annote`, the form Zotero's import keeps (a child note; it drops unknown fields)
    annote = [zotero_note(record) or ""] if record.cites else []
    if record.cites and not zotero:
        f["cites"] = _braced(_key_list(record.cites))
    if record.cited_by:
        if not zotero:
            f["citedby"] = _braced(_key_list(record.cited_by))
        annote.append(cited_by_line(record) or "")
    if online:  # BibTeX has no second date, Zotero's import reads none (biblatex's `origdate` neither): a line
        annote.append(f"{ONLINE_LABEL} {online}")
    annote = [a for a in annote if a]
    if annote:
        f["annote"] = _braced(latex_escape("\n".join(annote)))
    if record.printed and not record.title and "note" not in f:  # an unparsed, unverified cited work: as printed
        f["note"] = _braced(latex_escape(record.printed))
    if notes:
        f["note"] = _braced(
            "\n".join(([f.pop("note")[1:-1]] if "note" in f else []) + [latex_escape(n) for n in notes])
        )
    if dialect == "biblatex":
        _to_biblatex(f, record)
    if zotero and not ascii:  # UTF-8 as it is: Zotero reads it exactly, and no TeX form of θ or ω (ZOTERO_MATH_LETTERS)
        out = f
    else:
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


_ADDENDUM_LABELS = {"volume": "Vol.", "number": "No.", "pages": "pp."}


def _fit_biblatex_model(f: dict[str, str], record: Record) -> None:
    """Move or drop, in place, what biblatex's data model has no field for in this entry type (module
    docstring); afterwards every field is one :data:`BIBLATEX_FIELDS` allows."""
    kind = type_in("biblatex", record)  # @dataset, @software, @unpublished have their own fields
    allowed = BIBLATEX_FIELDS.get(kind, BIBLATEX_FIELDS["misc"])
    if "publisher" in f and "publisher" not in allowed:
        target = next((t for t in ("institution", "howpublished") if t in allowed), None)
        publisher = f.pop("publisher")
        if target and target not in f:
            f[target] = publisher
    if "author" in f and "author" not in allowed and "editor" in allowed and "editor" not in f:
        f["editor"] = f.pop("author")
    if "journaltitle" in f and "journaltitle" not in allowed:  # a dataset's or preprint's repository
        journal = f.pop("journaltitle")
        if "howpublished" in allowed and "howpublished" not in f:
            f["howpublished"] = journal
    if "address" in f:
        f["location"] = f.pop("address")
    # what the model has no field for, or holds one value of: into the note (`annote`, which biber reads as
    # `annotation` and Zotero's import keeps as a child note)
    annote = [f.pop("annote")[1:-1]] if "annote" in f else []
    for name, label in (("issn", "ISSN"), ("isbn", "ISBN")):
        # biblatex validates one ISSN / ISBN per field: the first in it, all of them in the note
        values = f.pop(name, "")[1:-1].split(", ") if name in f else []
        values = [v for v in values if v]
        if values and name in allowed:
            f[name] = _braced(values[0])
        if len(values) > 1 or (values and name not in allowed):
            annote.append(f"{label}: {', '.join(values)}")
    for name, label in (("copyright", "Rights"), ("edition", "Edition"), ("location", "Place")):
        if name in f and name not in allowed:
            annote.append(f"{label}: {f.pop(name)[1:-1]}")
    f.pop("cites", None)  # the keys are listed in the note (model.zotero_note), as those citing it
    f.pop("citedby", None)
    if annote:
        f["annote"] = _braced("\n".join(annote))
    if "volume" in f and not str(record.get("volume")).strip().isdigit():
        f["addendum_volume"] = f.pop("volume")
    addendum = []
    for name in ("volume", "number", "pages"):
        value = f.pop(f"addendum_{name}", None) or (f.pop(name) if name in f and name not in allowed else None)
        if value:
            addendum.append(f"{_ADDENDUM_LABELS[name]} {value[1:-1]}")
    if addendum:
        f["addendum"] = _braced(". ".join(addendum))


def entry_from_record(
    record: Record,
    dialect: str = "bibtex",
    ascii: bool = False,
    drop: Collection[str] = (),
    layout: Layout = DEFAULT_LAYOUT,
) -> Entry:
    """The entry of ``record``, without the fields named in ``drop`` (``--drop-fields``, as written in ``dialect``),
    its fields in ``layout``'s order and wrapped as it says (:class:`mscbib.writers.options.Layout`)."""
    kind, key, ordered = _entry_parts(record, dialect, ascii, drop, layout)
    return Entry(kind, key, [Field(k, v) for k, v in ordered])


def _entry_parts(
    record: Record, dialect: str, ascii: bool, drop: Collection[str], layout: Layout = DEFAULT_LAYOUT
) -> tuple[str, str, list[tuple[str, str]]]:
    """``(entry type, key, [(field, raw value)] in the written order)``: what :func:`entry_from_record` makes
    an Entry of and :func:`render` writes."""
    if not record.key:
        raise ValueError(f"record {record.label()} has no citation key")
    fields = entry_fields(record, dialect, ascii)
    if drop:
        fields = {k: v for k, v in fields.items() if k not in drop}
    if layout is DEFAULT_LAYOUT:  # FIELD_ORDER's fields in its order, then the others by name
        known = [k for k in fields if k in _FIELD_RANK]
        known.sort(key=_FIELD_RANK.__getitem__)
        ordered = [(k, fields[k]) for k in known]
        if len(known) < len(fields):
            ordered += [(k, fields[k]) for k in sorted(fields) if k not in _FIELD_RANK]
    else:  # --field-order, --wrap (mscbib.writers.options)
        ordered = [(k, layout.wrapped(k, fields[k])) for k in layout.order(fields)]
    # BibLaTeX has @dataset and @software; the zotero dialect is BibTeX's types (Zotero's import maps them)
    kind = kind_entry_type(record) if dialect == "zotero" else type_in(dialect, record)
    return kind, record.key, ordered


_FIELD_RANK = {name: i for i, name in enumerate(FIELD_ORDER)}


def _entry_text(kind: str, key: str, fields: list[tuple[str, str]], indent: str = "  ") -> str:
    """One entry as bibtexparser's writer gives it with :func:`render`'s format (the layout's indent, no
    value column, no trailing comma): the same text, without building its Library and Entry objects (a third
    of the time a build spent writing)."""
    body = ",\n".join(f"{indent}{k} = {v}" for k, v in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n" if fields else f"@{kind}{{{key},\n}}\n"


def render(
    records: Iterable[Record],
    dialect: str = "bibtex",
    ascii: bool = False,
    *,
    sort: str = DEFAULT_SORT,
    drop: Collection[str] = (),
    layout: Layout = DEFAULT_LAYOUT,
) -> str:
    """The records as a ``.bib`` text in ``dialect`` (``bibtex`` or ``biblatex``), in the order ``sort``
    (:data:`mscbib.writers.options.SORT_ORDERS`; default by key), without the fields named in ``drop``, laid out
    as ``layout`` says (field order, indent, wrap)."""
    fmt = BibtexFormat()
    fmt.indent = layout.indent
    fmt.value_column = 0
    fmt.block_separator = "\n"
    ordered = sort_records(records, sort)
    keys = [r.key for r in ordered]
    if len(set(keys)) == len(keys):  # each entry's text as bibtexparser's writer makes it (tests/test_hostile.py)
        with fewer_collections():
            return fmt.block_separator.join(
                _entry_text(*_entry_parts(rec, dialect, ascii, drop, layout), layout.indent) for rec in ordered
            )
    # a key given twice is for bibtexparser's Library to deal with as it does
    library = Library()
    with fewer_collections():  # many small objects, all alive until written: the collector would only walk them
        for rec in ordered:
            library.add(entry_from_record(rec, dialect, ascii, drop, layout))
        return bibtexparser.write_string(library, unparse_stack=[], bibtex_format=fmt)


def write_bibtex(records: Iterable[Record], path: str, dialect: str = "bibtex", ascii: bool = False) -> str:
    """Render and write atomically; returns the text written."""
    text = render(records, dialect, ascii)
    atomic_write_text(path, text)
    return text
