"""Plain-text helpers shared by readers, the Crossref mapping, matching and writers.

Pure functions only: cleaning copied text, stripping markup from Crossref strings, forms for
comparison, page ranges, months and personal names.
"""

from __future__ import annotations

import html
import re
import unicodedata

from .model import Person

__all__ = [
    "clean_text",
    "strip_markup",
    "comparable",
    "fold_ascii",
    "normalize_pages",
    "parse_month",
    "MONTHS",
    "person_from_display",
    "person_from_vancouver",
]

_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_SPECIAL = re.compile("[\ufb00-\ufb06\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def clean_text(s: str | None) -> str:
    """Decode HTML entities, undo ligatures, drop soft hyphens and zero-width characters, fold runs
    of (non-breaking) spaces into one, and trim. Letters outside ASCII are kept exactly."""
    if not s:
        return ""
    # each step only when it has something to do: this runs on every line of every page read
    if "&" in s:
        s = html.unescape(s)
    if _SPECIAL.search(s):
        s = s.translate(_LIGATURES).translate(_INVISIBLE)
    if not unicodedata.is_normalized("NFC", s):
        s = unicodedata.normalize("NFC", s)
    return _SPACES.sub(" ", s).strip()


_TAG = re.compile(r"<[^>]+>")


def strip_markup(s: str | None) -> str:
    """Remove JATS/HTML/MathML tags (Crossref titles and abstracts carry them) and clean the text."""
    if not s:
        return ""
    s = re.sub(r"<jats:title>[^<]*</jats:title>", " ", s, count=1) if s.lstrip().startswith("<jats:title") else s
    s = _TAG.sub(" ", s)
    s = clean_text(s)
    return re.sub(r"\s+([,.;:)])", r"\1", s)


_FOLD_SPECIAL = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "Æ": "AE",
                               "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D", "ı": "i"})


def fold_ascii(s: str) -> str:
    """``'Jørgensen Böhm'`` → ``'Jorgensen Bohm'`` (for keys and comparisons, never for output text)."""
    if s.isascii():
        return s
    s = s.translate(_FOLD_SPECIAL)
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


_NONWORD = re.compile(r"[\W_]+", re.UNICODE)


def comparable(s: str | None) -> str:
    """A form for comparing titles and names: no markup, accents or punctuation, lower case."""
    if not s:
        return ""
    s = fold_ascii(strip_markup(s)).lower()
    return _NONWORD.sub(" ", s).strip()


_RANGE = re.compile(r"^\s*([A-Za-z]*)(\d+)([A-Za-z]*)\s*(?:-+|–|—|‐|‑)\s*([A-Za-z]*)(\d+)([A-Za-z]*)\s*$")


def normalize_pages(pages: str | None) -> str | None:
    """``'249-61'`` → ``'249--261'`` (MEDLINE abbreviates the last page); ``'e12345'`` stays.

    A range whose end would come before its start after expansion is left as written.
    """
    if not pages:
        return None
    p = clean_text(pages)
    m = _RANGE.match(p)
    if not m:
        return p or None
    pre1, start, suf1, pre2, end, suf2 = m.groups()
    if len(end) < len(start) and not pre2:
        end = start[: len(start) - len(end)] + end
    if pre1 == pre2 and not suf1 and not suf2 and int(end) < int(start):
        return p
    return f"{pre1}{start}{suf1}--{pre2 or pre1}{end}{suf2}"


MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def parse_month(s: str | None) -> int | None:
    """``'Jun'``, ``'June'``, ``'06'``, ``6`` → ``6``."""
    if s is None:
        return None
    t = str(s).strip().lower().rstrip(".")
    if t.isdigit():
        n = int(t)
        return n if 1 <= n <= 12 else None
    return _MONTH_NAMES.get(t)


_MONTH_NAMES = {name: i for i, name in enumerate(MONTHS, 1)}
_MONTH_NAMES.update({full: i for i, full in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"), 1)})
_MONTH_NAMES["sept"] = 9


_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le", "ter", "ten", "dos",
              "das", "bin", "al", "el"}


def person_from_display(name: str) -> Person:
    """Split a name written given-names-first (``'Scott A Bergfeld'``, ``'Li Sun'``).

    The last word is the family name, with lower-case particles before it (``'Ludwig van Beethoven'``).
    A page gives no way to tell a compound family name (``'Nwabo Kamdje'``) from a middle name; Crossref
    corrects such cases and the build report shows the disagreement.
    """
    name = clean_text(name).strip(" ,;.")
    if "," in name:  # "Family, Given"
        family, _, given = name.partition(",")
        return Person(family=family.strip(), given=given.strip())
    words = name.split()
    if len(words) <= 1:
        return Person(family=name)
    i = len(words) - 1
    while i > 1 and words[i - 1].lower() in _PARTICLES:
        i -= 1
    return Person(family=" ".join(words[i:]), given=" ".join(words[:i]))


_VANCOUVER = re.compile(r"^(?P<family>.+?)\s+(?P<initials>[A-Z]{1,4})(?:\s+(?P<suffix>Jr|Sr|II|III|IV)\.?)?$")


def person_from_vancouver(name: str) -> Person:
    """Split a Vancouver-style name (``'Hass R'``, ``'Jin HJ'``, ``'Sensebé L'``): family name, then
    initials without stops. The initials are given as ``'H. J.'``."""
    name = clean_text(name).strip(" ,;.")
    m = _VANCOUVER.match(name)
    if not m:
        return Person(family=name)
    initials = " ".join(f"{c}." for c in m.group("initials"))
    return Person(family=m.group("family"), given=initials, suffix=m.group("suffix") or "")
