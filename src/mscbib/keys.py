"""Citation keys, modelled on Better BibTeX's default formula ``auth.lower + shorttitle(3,3) + year``.

* ``auth``: the first author's family name (an organisation's name for a literal author), folded to
  ASCII, letters and digits only, lower case: ``Nwabo Kamdje`` → ``nwabokamdje``;
* ``shorttitle(3,3)``: the first three title words that are not function words (``a``, ``the``,
  ``of``, ``in``…), hyphenated words split, each with its first letter upper-cased:
  ``Bone marrow-derived mesenchymal …`` → ``BoneMarrowDerived``;
* ``year``: the year, when known.

As in Better BibTeX, the words of a title are the runs of letters and digits (so ``marrow-derived`` is two
words), and a one-letter word is skipped unless it is a capital. Keys are folded to ASCII (BBT's default
"force citation key to plain text").

When keys collide, the first keeps the plain key and the others get ``a``, ``b``… appended (BBT's default
postfix ``%a``: no postfix on the first, then ``a`` … ``z``, ``aa`` …), in the order of the records passed in,
which the build makes deterministic. A record without author, title or year gives ``anon``.

The formula is configurable (:data:`DEFAULT_FORMULA`; :func:`parse_formula`): terms joined by ``+``, each a
function with optional arguments and ``.filters``, or a quoted literal::

    auth.lower + shorttitle(3,3) + year          # the default (Better BibTeX's)
    auth + year                                  # Bergfeld2010
    auth.lower + "_" + veryshorttitle.lower + shortyear

Functions: ``auth`` (first author's family name), ``authors(n)`` (up to n family names), ``title`` (every
word), ``shorttitle(n,m)`` (n words, the first m capitalised), ``veryshorttitle`` (``shorttitle(1,1)``),
``year``, ``shortyear``, ``journal``. Filters: ``lower``, ``upper``.

Checked against Better BibTeX's documentation and formatter source as remembered, not against a running
BBT: edge cases (particles such as ``van``, apostrophes) may differ.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Iterable

from .model import Record
from .text import fold_ascii, strip_markup

__all__ = ["citation_key", "assign_keys", "SKIP_WORDS", "DEFAULT_FORMULA", "parse_formula", "FormulaError"]

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
_WORD = re.compile(r"[A-Za-z0-9]+")


def _ascii_words(text: str) -> list[str]:
    return _WORD.findall(fold_ascii(strip_markup(text)))


class FormulaError(ValueError):
    """A citation-key formula that cannot be read; the message names the term."""


def _name(p) -> str:
    return "".join(_ascii_words(p.family or p.literal))


def _title_words(record: Record) -> list[str]:
    return [w for w in _ascii_words(record.title or "")
            if w.lower() not in SKIP_WORDS and (len(w) > 1 or w.isupper())]


def _shorttitle(record: Record, n: int = 3, m: int = 0) -> str:
    words = _title_words(record)[:n]
    return "".join(w[:1].upper() + w[1:] if i < m else w for i, w in enumerate(words))


_FUNCTIONS: dict[str, Callable[..., str]] = {
    "auth": lambda r: _name(r.authors[0]) if r.authors else "",
    "authors": lambda r, n=99: "".join(_name(p) for p in r.authors[:n]),
    "title": lambda r: "".join(w[:1].upper() + w[1:] for w in _ascii_words(r.title or "")),
    "shorttitle": _shorttitle,
    "veryshorttitle": lambda r: _shorttitle(r, 1, 1),
    "year": lambda r: str(r.get("year") or ""),
    "shortyear": lambda r: str(r.get("year") or "")[-2:],
    "journal": lambda r: "".join(_ascii_words(r.get("journal_abbrev") or r.get("journal") or "")),
}
_FILTERS: dict[str, Callable[[str], str]] = {"lower": str.lower, "upper": str.upper}
_TERM = re.compile(r'^\s*(?:"(?P<lit>[^"]*)"|(?P<fn>[a-z]+)(?:\((?P<args>[\d,\s]*)\))?(?P<filters>(?:\.[a-z]+)*))\s*$')


@lru_cache(maxsize=32)
def parse_formula(formula: str) -> Callable[[Record], str]:
    """Compile a formula (see the module docstring) into ``record -> key``; :class:`FormulaError` if bad."""
    parts: list[Callable[[Record], str]] = []
    for term in formula.split("+"):
        m = _TERM.match(term)
        if not m:
            raise FormulaError(f"citation-key formula {formula!r}: cannot read the term {term.strip()!r}")
        if m.group("lit") is not None:
            lit = m.group("lit")
            parts.append(lambda r, lit=lit: lit)
            continue
        fn = _FUNCTIONS.get(m.group("fn"))
        if fn is None:
            raise FormulaError(f"citation-key formula {formula!r}: unknown function {m.group('fn')!r} "
                               f"(known: {', '.join(_FUNCTIONS)})")
        args = tuple(int(a) for a in (m.group("args") or "").replace(" ", "").split(",") if a)
        filters = [f for f in (m.group("filters") or "").split(".") if f]
        for f in filters:
            if f not in _FILTERS:
                raise FormulaError(f"citation-key formula {formula!r}: unknown filter {f!r} "
                                   f"(known: {', '.join(_FILTERS)})")
        parts.append(lambda r, fn=fn, args=args, filters=tuple(filters): _apply(fn(r, *args), filters))
    return lambda r: "".join(p(r) for p in parts)


def _apply(value: str, filters: tuple[str, ...]) -> str:
    for f in filters:
        value = _FILTERS[f](value)
    return value


def citation_key(record: Record, formula: str = DEFAULT_FORMULA) -> str:
    """The record's key by ``formula`` (default: Better BibTeX's), before disambiguation."""
    return parse_formula(formula)(record) or "anon"


def assign_keys(records: Iterable[Record], formula: str = DEFAULT_FORMULA, reserved: Iterable[str] = ()) -> None:
    """Give every record a unique key (in place), suffixing ``a``, ``b``… on collisions.

    ``reserved`` keys are already in use elsewhere (e.g. the library's, when keying cited works): no record
    gets one of them.
    """
    records = list(records)
    base = [citation_key(r, formula) for r in records]
    taken = set(base)
    used: set[str] = set(reserved)
    tried: dict[str, int] = {}  # per base, the suffixes before this one are all taken: not tried again
    for rec, b in zip(records, base):
        n = tried.get(b, 0)
        key = b if n == 0 else b + _suffix(n - 1)
        # the first record keeps the plain key; later ones get a, b, c… (never another record's plain key)
        while key in used or (key != b and key in taken):
            key = b + _suffix(n)
            n += 1
        tried[b] = n
        rec.key = key
        used.add(key)


def _suffix(n: int) -> str:
    """0 → 'a', 25 → 'z', 26 → 'aa'."""
    s = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(97 + r) + s
    return s
