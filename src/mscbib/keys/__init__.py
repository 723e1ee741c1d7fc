"""Citation keys, modelled on Better BibTeX's default formula ``auth.lower + shorttitle(3,3) + year``.

* ``auth``: the first author's family name (an organisation's name for a literal author; with no author, the
  first editor's), folded to ASCII, letters, digits and hyphens only, lower case: ``Nwabo Kamdje`` →
  ``nwabokamdje``, ``Deillon-Schegg`` → ``deillon-schegg``;
* ``shorttitle(3,3)``: the first three title words that are not one of BBT's skip words (:data:`SKIP_WORDS`:
  ``a``, ``the``, ``of``, ``de``, ``sur``…) nor a one-letter word other than a digit, each with its first letter
  upper-cased. A hyphen, apostrophe or dot inside a word joins it (``Soft Actor-Critic: Off-Policy`` →
  ``SoftActorCriticOffPolicy``, ``d'infirmes`` → ``Dinfirmes``, ``V0.9`` → ``V09``); any other mark parts
  words (``stem/stromal`` → two). A title in capitals only is title-cased word by word first (``THE IMPACT`` →
  ``Impact``): capitals in a title with lower case are kept (``COVID-19`` → ``COVID19``);
* ``year``: the year as BBT's date parser reads it: ``2019``; EDTF's century ``20`` → ``20xx``; ``201X`` →
  ``201x``; a month/year ``03/04`` → ``04``; an interval ``2003/2004`` → ``2003``.

Keys are folded to ASCII as BBT's "force citation key to plain text" does: German items (``language`` ``de``,
``de-CH``, ``de-AT``, ``ger``, ``german``…) fold ``ä ö ü`` to ``ae oe ue`` (``muellerArt172018``), every item
folds ``ß`` → ``ss``, ``æ`` → ``ae``, ``ø`` → ``o``, ``ł`` → ``l`` and drops accents; other scripts are
transliterated by anyascii, each Chinese character to its pinyin syllable as a word of its own (``中国经济`` →
``ZhongGuoJing``).

A work with no author, editor or title (for which the formula gives a bare year or nothing) is named by its
journal (as the ``journal`` term gives it: the abbreviation if known), else its publisher
(``naturemedicine2007``), else its DOI's suffix (``j.cell.2007.01.002``), else ``anon``: never a bare year.
:func:`explain_key` says which.

When keys collide, the first keeps the plain key and the others get ``a``, ``b``… appended (BBT's default
postfix ``%a``: no postfix on the first, then ``a`` … ``z``, ``aa`` …), in the order of the records passed in,
which the build makes deterministic.

**Keys never change under the user** (:func:`assign_keys`), as Better BibTeX and JabRef keep them:

1. a key the input gives (a ``.bib`` entry's) is kept as is;
2. a key already written in the output being rebuilt (:class:`WrittenKey`) stays with its work, found by
   DOI, else PMID, else normalised title and year with the same first author (never across two different
   DOIs or PMIDs);
3. only the other records get a key by the formula, and their disambiguation never takes a key given or
   written: ``smith2020`` stays with its work and a new work of the same base becomes ``smith2020a``. A key
   written for a work no longer built is not handed to another work in that build either.

Each record's key origin (:data:`KEY_GIVEN`, :data:`KEY_WRITTEN`, :data:`KEY_NEW`) is returned for the report.
Assignment is linear in the number of records, collisions included (each base resumes its postfix count).

The formula is configurable (:data:`DEFAULT_FORMULA`; :func:`parse_formula`): terms joined by ``+``, each a
function with optional arguments and ``.filters``, or a quoted literal::

    auth.lower + shorttitle(3,3) + year          # the default (Better BibTeX's)
    auth + year                                  # Bergfeld2010
    auth.lower + "_" + veryshorttitle.lower + shortyear

Functions: ``auth`` (first author's family name), ``authEtAl`` (BBT's: the one author's family name, two
authors' both joined, else the first's followed by ``EtAl``), ``authors(n)`` (up to n family names), ``title`` (every
word), ``shorttitle(n,m)`` (n words, the first m capitalised), ``veryshorttitle`` (``shorttitle(1,1)``),
``year``, ``shortyear``, ``journal``. Filters: ``lower``, ``upper``.

Checked against a table of items written from Better BibTeX's documentation (``tests/fixtures/bbt_keys.json``,
every language and type), not against a running BBT. Known to differ or not checked: Japanese (BBT can romanise
with kuroshiro; we give anyascii's per-character reading), Chinese characters with two readings (we give the
usual one; BBT's jieba word splitting is off by default, as here), name particles (``van der Waals`` →
``vanderwaals``, ``d'Alembert`` → ``dalembert``: the family name as written, pinned by tests/test_keys_particles.py;
BBT's own rule is not settled by its documentation and its code is not at hand), Greek (anyascii's modern reading).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Mapping

from anyascii import anyascii

from ..model import Record
from ..text import comparable, fold_ascii, strip_markup

__all__ = [
    "citation_key",
    "assign_keys",
    "SKIP_WORDS",
    "DEFAULT_FORMULA",
    "parse_formula",
    "FormulaError",
    "WrittenKey",
    "KeyAssignment",
    "KEY_GIVEN",
    "KEY_WRITTEN",
    "KEY_NEW",
    "KeyExplanation",
    "explain_key",
]

#: Where a record's key came from: the input gave it, the output being rebuilt had it, or it was made now.
KEY_GIVEN, KEY_WRITTEN, KEY_NEW = "input", "output", "new"

#: Better BibTeX's default citation-key formula.
DEFAULT_FORMULA = "auth.lower + shorttitle(3,3) + year"

#: Better BibTeX's skip words for short titles (function words in the languages it covers).
SKIP_WORDS = frozenset(
    "a ab aboard about above across after against al along amid among an and anti around as at before behind "
    "below beneath beside besides between beyond but by d da das de del dell dello dei degli della delle dem den "
    "der des despite die do down du during ein eine einem einen einer eines el en et except for from gli i il in "
    "inside into is l la las le les like lo los near nor of off on onto or over past per plus round save since so "
    "some sur than the through to toward towards un una unas uno unos under underneath une unlike until up upon "
    "versus via von while with within without yet zu zum".split()
)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
#: German items (BBT's transliteration mode "german"): umlauts fold to two letters, the rest as for any item
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_GERMAN_LANGUAGE = re.compile(r"^(?:de|deu|ger)(?:[-_].*)?$|^n?german$|^n?austrian$|^n?swissgerman$|^deutsch$")
#: inside a word these join and vanish (BBT keeps ``Actor-Critic``, ``d'infirmes``, ``V0.9`` whole)
_JOINER = re.compile(r"(?<=[A-Za-z0-9])[-'.](?=[A-Za-z0-9])")
_WORD = re.compile(r"[A-Za-z0-9]+")
_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9-]+")


def _is_german(record: Record) -> bool:
    lang = record.get("language")
    return bool(lang) and bool(_GERMAN_LANGUAGE.match(str(lang).strip().lower()))


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    """One non-ASCII character as Better BibTeX's "force citation key to plain text" writes it: the project's
    fold (``ß`` → ``ss``, ``æ`` → ``ae``, ``ø`` → ``o``, ``ł`` → ``l``, accents dropped), else anyascii's
    transliteration (Greek, Cyrillic…); a Chinese character becomes its pinyin syllable as a word of its own."""
    folded = fold_ascii(c)
    if folded:
        return folded
    out = anyascii(c)
    return f" {out} " if _CJK.match(c) else out


def _plain(text: str, german: bool = False) -> str:
    """``text`` folded to ASCII for a key, as Better BibTeX's transliteration does (German items: ä → ae…)."""
    if german:
        text = text.translate(_GERMAN)
    if text.isascii():
        return text
    return "".join(c if c.isascii() else _fold_char(c) for c in text)


def _ascii_words(text: str, german: bool = False) -> list[str]:
    """The words of a title for a key: markup dropped, folded, hyphens, apostrophes and dots inside a word
    joining it (``Off-Policy`` → ``OffPolicy``, ``d'infirmes`` → ``dinfirmes``), every other mark a gap.
    A title in capitals only is title-cased word by word (``THE IMPACT`` → ``The Impact``)."""
    text = strip_markup(text)
    words = _WORD.findall(_JOINER.sub("", _plain(text, german)))
    if _in_capitals(text, words):
        words = [w[:1] + w[1:].lower() for w in words]
    return words


def _in_capitals(text: str, words: list[str]) -> bool:
    """A title in capitals only (two words or more with letters, none in lower case): ``COVID-19`` is not."""
    return not any(c.islower() for c in text) and sum(1 for w in words if any(c.isalpha() for c in w)) > 1


class FormulaError(ValueError):
    """A citation-key formula that cannot be read; the message names the term."""


def _creators(record: Record) -> list:
    """BBT's creators for a key: the authors, else (an edited book, a proceedings volume) the editors."""
    return record.authors or record.get("editors") or []


def _name(p, german: bool = False) -> str:
    """A family name (an organisation's whole name) for a key: folded, hyphens kept (``Deillon-Schegg``),
    spaces, apostrophes and other marks dropped (``Nwabo Kamdje`` → ``NwaboKamdje``, ``O'Neil`` → ``ONeil``)."""
    return _NAME_UNSAFE.sub("", _plain(strip_markup(p.family or p.literal), german)).strip("-")


def _names(record: Record) -> list[str]:
    german = _is_german(record)
    return [n for n in (_name(p, german) for p in _creators(record)) if n]


def _title_words(record: Record) -> list[str]:
    """BBT's title words: no function word (:data:`SKIP_WORDS`) and no one-letter word but a digit."""
    return [
        w
        for w in _ascii_words(record.title or "", _is_german(record))
        if w.lower() not in SKIP_WORDS and (len(w) > 1 or w.isdigit())
    ]


def _shorttitle(record: Record, n: int = 3, m: int = 0) -> str:
    words = _title_words(record)[:n]
    return "".join(w[:1].upper() + w[1:] if i < m else w for i, w in enumerate(words))


def _auth_et_al(record: Record) -> str:
    """BBT's ``authEtAl``: one author's family name; two authors' both, joined; more: the first + ``EtAl``."""
    names = _names(record)
    if len(names) > 2:
        return names[0] + "EtAl"
    return "".join(names)


_YEAR4 = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_CENTURY = re.compile(r"^(\d{2})$")  # EDTF / ISO 8601: a two-digit year is a century ("20" = 2000-2099)
_UNSPECIFIED = re.compile(r"^(\d{2,3})[XxUu]{1,2}$")  # EDTF level 1: "201X", "20XX" (old drafts: "20uu")
_SHORT_YEAR = re.compile(r"^\d{1,2}[/.-](\d{2})$")  # "03/04": month 03 of (20)04, as BBT's date parser reads it


def _year(record: Record) -> str:
    """The year for a key as Better BibTeX's date parser gives it: the first four-digit year; EDTF's
    century ``20`` and unspecified ``201X`` as ``20xx``, ``201x``; ``03/04`` (month/year) as ``04``."""
    raw = str(record.get("year") or "").strip()
    if not raw:
        return ""
    if m := _YEAR4.search(raw):
        return m.group(1)
    if m := _CENTURY.match(raw):
        return m.group(1) + "xx"
    if m := _UNSPECIFIED.match(raw):
        return m.group(1) + "x" * (4 - len(m.group(1)))
    if m := _SHORT_YEAR.match(raw):
        return m.group(1)
    return "".join(_WORD.findall(_plain(raw)))


_FUNCTIONS: dict[str, Callable[..., str]] = {
    "auth": lambda r: next(iter(_names(r)), ""),
    "authEtAl": lambda r: _auth_et_al(r),
    "authors": lambda r, n=99: "".join(_names(r)[:n]),
    "title": lambda r: "".join(w[:1].upper() + w[1:] for w in _ascii_words(r.title or "", _is_german(r))),
    "shorttitle": _shorttitle,
    "veryshorttitle": lambda r: _shorttitle(r, 1, 1),
    "year": _year,
    "shortyear": lambda r: _year(r)[-2:],
    "journal": lambda r: "".join(_ascii_words(r.get("journal_abbrev") or r.get("journal") or "", _is_german(r))),
}
_FILTERS: dict[str, Callable[[str], str]] = {"lower": str.lower, "upper": str.upper}
_TERM = re.compile(
    r'^\s*(?:"(?P<lit>[^"]*)"|(?P<fn>[A-Za-z]+)(?:\((?P<args>[\d,\s]*)\))?'
    r"(?P<filters>(?:\.[a-z]+)*))\s*$"
)


def _formula_error(formula: str, what: str) -> FormulaError:
    """The one message of every formula error: what is wrong, then the terms and filters known."""
    return FormulaError(
        f"citation-key formula {formula!r}: {what}; known terms: {', '.join(_FUNCTIONS)}, "
        f'or a "quoted literal"; filters: {", ".join("." + f for f in _FILTERS)}; '
        "terms are joined by '+'"
    )


@lru_cache(maxsize=32)
def _terms(formula: str) -> tuple[tuple[str, Callable[[Record], str]], ...]:
    """The formula's terms, each as (its text, ``record -> part``); :class:`FormulaError` if bad."""
    parts: list[tuple[str, Callable[[Record], str]]] = []
    for term in formula.split("+"):
        m = _TERM.match(term)
        if not m:
            raise _formula_error(formula, f"cannot read the term {term.strip()!r}")
        if m.group("lit") is not None:
            lit: str = m.group("lit")

            def literal(r: Record, lit: str = lit) -> str:
                return lit

            parts.append((term.strip(), literal))
            continue
        fn = _FUNCTIONS.get(m.group("fn"))
        if fn is None:
            raise _formula_error(formula, f"unknown function {m.group('fn')!r}")
        args = tuple(int(a) for a in (m.group("args") or "").replace(" ", "").split(",") if a)
        filters = [f for f in (m.group("filters") or "").split(".") if f]
        for f in filters:
            if f not in _FILTERS:
                raise _formula_error(formula, f"unknown filter {f!r}")

        def part(
            r: Record,
            fn: Callable[..., str] = fn,
            args: tuple[int, ...] = args,
            filters: tuple[str, ...] = tuple(filters),
        ) -> str:
            return _apply(fn(r, *args), filters)

        parts.append((term.strip(), part))
    return tuple(parts)


@lru_cache(maxsize=32)
def parse_formula(formula: str) -> Callable[[Record], str]:
    """Compile a formula (see the module docstring) into ``record -> key``; :class:`FormulaError` if bad."""
    parts = [fn for _, fn in _terms(formula)]
    return lambda r: "".join(p(r) for p in parts)


@dataclass(frozen=True)
class KeyExplanation:
    """How ``key`` relates to the formula: the part each term gives, and whether the key is the formula's."""

    key: str
    formula: str
    parts: tuple[tuple[str, str], ...]  # (term, the part it gives for this record)
    base: str  # what the formula gives (with the fallback for a work it cannot name)
    #: the key is the formula's: ``base``, or ``base`` with a collision postfix (``a``, ``b``…)
    by_formula: bool
    postfix: str = ""
    #: what the key fell back on for a work the formula cannot name ("" if the formula named it)
    fallback: str = ""
    #: the Better BibTeX rules that shaped this record's parts (German folding, the editor for the author…)
    rules: tuple[str, ...] = ()


def _rules(record: Record) -> tuple[str, ...]:
    """The rules of the formula that change something for ``record``, in words (for :func:`explain_key`)."""
    out = []
    text = strip_markup(record.title or "")
    names = " ".join(p.family or p.literal for p in _creators(record))
    if not record.authors and record.get("editors"):
        out.append("no author: the editors name it")
    if _is_german(record) and any(c in "äöüÄÖÜ" for c in text + names):
        out.append(f"a German item (language {record.get('language')}): ä ö ü → ae oe ue")
    if _in_capitals(text, _WORD.findall(_JOINER.sub("", _plain(text)))):
        out.append("a title in capitals only: title-cased for the key")
    if not (text + names).isascii():
        out.append("folded to plain ASCII (Better BibTeX's transliteration)")
    return tuple(out)


def explain_key(record: Record, key: str, formula: str = DEFAULT_FORMULA) -> KeyExplanation:
    """Which term of ``formula`` gives which part of ``record``'s key, and whether ``key`` is that key
    (plain or with a collision postfix). Pure: nothing is assigned."""
    parts = tuple((term, fn(record)) for term, fn in _terms(formula))
    base, fallback = _fallback(record, "".join(p for _, p in parts), formula)
    rest = key[len(base) :] if key.startswith(base) else None
    by_formula = rest is not None and (rest == "" or bool(re.fullmatch(r"[a-z]+", rest)))
    return KeyExplanation(
        key, formula, parts, base, by_formula, rest if by_formula and rest is not None else "", fallback, _rules(record)
    )


def _apply(value: str, filters: tuple[str, ...]) -> str:
    for f in filters:
        value = _FILTERS[f](value)
    return value


_HAS_LETTER = re.compile(r"[A-Za-z]")
_DOI_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _fallback(record: Record, key: str, formula: str = DEFAULT_FORMULA) -> tuple[str, str]:
    """``key`` as ``formula`` gave it, or, where it has no letter (a work with no author, editor or title: a bare
    year, digits only or nothing), Better BibTeX's fallback: the journal's (else the publisher's) name before it,
    else the DOI's suffix, else ``anon``. A formula of the user's that gives a named work its year alone is the
    user's choice. Returns the key and what it fell back on ("" if nothing)."""
    users_choice = formula != DEFAULT_FORMULA and any(_HAS_LETTER.search(n) for n in _names(record))
    if _HAS_LETTER.search(key) or users_choice:
        return key, ""
    for field, name in (
        ("journal", _FUNCTIONS["journal"](record)),
        ("publisher", "".join(_ascii_words(record.get("publisher") or "", _is_german(record)))),
    ):
        if _HAS_LETTER.search(name):
            return name.lower() + key, f"no author, editor or title: the {field}"
    suffix = _DOI_UNSAFE.sub("", (record.doi or "").partition("/")[2]).strip("._-")
    if suffix:
        return (
            suffix if _HAS_LETTER.search(suffix) else "doi" + suffix
        ), "no author, editor, title, journal or publisher: the DOI's suffix"
    return "anon" + key, "nothing to name it by"


def citation_key(record: Record, formula: str = DEFAULT_FORMULA) -> str:
    """The record's key by ``formula`` (default: Better BibTeX's), before disambiguation; a work with no
    author, editor or title is named by its journal or publisher, else its DOI (never a bare year)."""
    return _fallback(record, parse_formula(formula)(record), formula)[0]


@dataclass(frozen=True)
class WrittenKey:
    """A key already written in the output being rebuilt, with what identifies its work there. The title is
    given as text (``title``) or as the file's LaTeX (``title_latex``, decoded only if a title match is needed)."""

    key: str
    doi: str | None = None
    pmid: str | None = None
    title: str | None = None
    year: str | None = None
    where: str | None = None  # file:line, for the report
    title_latex: str | None = None
    #: the first author's family name (a title and year match needs it to agree when both sides have one)
    author: str | None = None

    def title_text(self) -> str | None:
        if self.title is not None or not self.title_latex:
            return self.title
        from ..bibfile import latex_to_text

        return latex_to_text(self.title_latex)


@dataclass
class KeyAssignment:
    """What :func:`assign_keys` did: each record's key origin (by position), and keys it could not keep."""

    origins: list[str]
    #: (record, the key it could not keep, why): a given key repeated, a written key another work was given
    not_kept: list[tuple[Record, str, str]]


def _ids(doi: str | None, pmid: object) -> list[tuple[str, str]]:
    return ([("doi", doi.lower())] if doi else []) + ([("pmid", str(pmid))] if pmid else [])


def _title_id(title: str | None, year: object) -> tuple[str, str] | None:
    t = comparable(title)
    return (t, str(year or "")) if t else None


def _compatible(rec: Record, w: WrittenKey) -> bool:
    """Never one work for another: two DOIs (or PMIDs) that differ are two works."""
    if rec.doi and w.doi and rec.doi.lower() != w.doi.lower():
        return False
    pmid = rec.get("pmid")
    return not (pmid and w.pmid and str(pmid) != str(w.pmid))


def _same_first_author(rec: Record, w: WrittenKey) -> bool:
    """A title and year match is one work only if the first authors agree (when both are known)."""
    if not rec.authors or not w.author:
        return True
    from ..enrich.match import family_agrees

    return family_agrees(rec.authors[0].family or rec.authors[0].literal, w.author)


def assign_keys(
    records: Iterable[Record],
    formula: str = DEFAULT_FORMULA,
    reserved: Iterable[str] = (),
    written: Iterable[WrittenKey] = (),
    made: Mapping[int, str] | None = None,
) -> KeyAssignment:
    """Give every record a unique key (in place): the key the input gave, else the key ``written`` for its
    work in the output being rebuilt, else a new key by ``formula``, suffixing ``a``, ``b``… on collisions.

    ``reserved`` keys are already in use elsewhere (e.g. the library's, when keying cited works): no record
    gets one of them. ``made``: the ``formula``'s keys the caller already made for some of the records (by
    ``id(record)``; the key stage orders the records by them), not made again. Linear in the number of records.
    """
    records = list(records)
    origins = [KEY_NEW] * len(records)
    not_kept: list[tuple[Record, str, str]] = []
    used: set[str] = set(reserved)
    given_at: dict[str, Record] = {}
    # 1. the keys the inputs give
    for i, rec in enumerate(records):
        if not rec.key:
            continue
        if rec.key in used:
            other = given_at.get(rec.key)
            why = (
                f"the input also gives it to {other.source.where()}"
                if other is not None
                else "it is reserved for another work"
            )
            not_kept.append((rec, rec.key, why))
            rec.key = None
            continue
        used.add(rec.key)
        given_at[rec.key] = rec
        origins[i] = KEY_GIVEN
    # 2. the keys already written in the output, each staying with its work: by DOI or PMID first, then (only
    # for the records still without a key, against the written keys still free) by title and year
    written = [w for w in written if w.key]

    def claim(i: int, rec: Record, candidates: Iterable[WrittenKey]) -> bool:
        for w in candidates:
            if w.key not in used and _compatible(rec, w):
                rec.key = w.key
                used.add(w.key)
                origins[i] = KEY_WRITTEN
                return True
        return False

    by_id: dict[tuple[str, str], list[WrittenKey]] = {}
    for w in written:
        for ident in _ids(w.doi, w.pmid):
            by_id.setdefault(ident, []).append(w)
    for i, rec in enumerate(records):
        if rec.key:
            continue
        for ident in _ids(rec.doi, rec.get("pmid")):
            if claim(i, rec, by_id.get(ident, ())):
                break
            given = next((w.key for w in by_id.get(ident, ()) if w.key in given_at), None)
            if given is not None:
                not_kept.append((rec, given, f"the input gives it to {given_at[given].source.where()}"))
    # (no written key left free, as in a build writing a new file: no title to compare, 5,000 of them in a build)
    if any(w.key not in used for w in written) and any(not rec.key and rec.title for rec in records):
        by_title: dict[tuple[str, str], list[WrittenKey]] = {}
        for w in written:
            if w.key not in used and (tid := _title_id(w.title_text(), w.year)):
                by_title.setdefault(tid, []).append(w)
        for i, rec in enumerate(records):
            if not rec.key and (tid := _title_id(rec.title, rec.get("year"))):
                claim(i, rec, [w for w in by_title.get(tid, ()) if _same_first_author(rec, w)])
    # 3. new keys; a written key is never handed to another work
    used |= {w.key for w in written}
    fresh = [(i, rec) for i, rec in enumerate(records) if not rec.key]
    made = made or {}
    base = {i: made.get(id(rec)) or citation_key(rec, formula) for i, rec in fresh}
    plain = set(base.values())
    next_n: dict[str, int] = {}
    for i, rec in fresh:
        b = base[i]
        key = b
        if key in used:
            # the first record keeps the plain key; later ones get a, b, c… (never another record's plain
            # key); each base resumes where its last postfix stopped: linear in the collisions
            n = next_n.get(b, 0)
            key = b + _suffix(n)
            while key in used or key in plain:
                n += 1
                key = b + _suffix(n)
            next_n[b] = n + 1
        rec.key = key
        used.add(key)
    return KeyAssignment(origins, not_kept)


def _suffix(n: int) -> str:
    """0 → 'a', 25 → 'z', 26 → 'aa'."""
    s = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(97 + r) + s
    return s
