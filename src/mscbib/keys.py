"""Citation keys, modelled on Better BibTeX's default formula ``auth.lower + shorttitle(3,3) + year``.

* ``auth``: the first author's family name (an organisation's name for a literal author), folded to
  ASCII, letters and digits only, lower case: ``Nwabo Kamdje`` → ``nwabokamdje``;
* ``shorttitle(3,3)``: the first three title words that are not function words (``a``, ``the``,
  ``of``, ``in``…), hyphenated words split, each with its first letter upper-cased:
  ``Bone marrow-derived mesenchymal …`` → ``BoneMarrowDerived``;
* ``year``: the year, when known.

When keys collide, the first keeps the plain key and the others get ``a``, ``b``… appended, in the order of the records passed in, which the
build makes deterministic. A record without author, title or year gives ``anon``.
"""

from __future__ import annotations

import re
from typing import Iterable

from .model import Record
from .text import fold_ascii, strip_markup

__all__ = ["citation_key", "assign_keys", "SKIP_WORDS"]

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


def citation_key(record: Record) -> str:
    auth = ""
    if record.authors:
        first = record.authors[0]
        auth = "".join(_ascii_words(first.family or first.literal)).lower()
    words = [w for w in _ascii_words(record.title or "") if w.lower() not in SKIP_WORDS][:3]
    short = "".join(w[:1].upper() + w[1:] for w in words)
    year = str(record.get("year") or "")
    return (auth + short + year) or "anon"


def assign_keys(records: Iterable[Record]) -> None:
    """Give every record a unique key (in place), suffixing ``a``, ``b``… on collisions."""
    records = list(records)
    base = [citation_key(r) for r in records]
    taken = set(base)
    used: set[str] = set()
    for rec, b in zip(records, base):
        key, n = b, 0
        # the first record keeps the plain key; later ones get a, b, c… (never another record's plain key)
        while key in used or (key != b and key in taken):
            key = b + _suffix(n)
            n += 1
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
