"""Identifiers: find, normalise and check DOIs, ISSNs, ISBNs, PMIDs and PMCIDs.

Check digits come from ``python-stdnum``; DOI handling follows the DOI Handbook and Crossref's
advice (case-insensitive, ``10.<registrant>/<suffix>``, no URL prefix in stored form).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from urllib.parse import unquote

from stdnum import isbn as _isbn
from stdnum import issn as _issn
from stdnum.exceptions import ValidationError

__all__ = [
    "split_identifiers",
    "DOI_PATTERN",
    "find_dois",
    "rejoin_wrapped_dois",
    "normalize_doi",
    "is_valid_doi",
    "normalize_issn",
    "is_valid_issn",
    "normalize_isbn",
    "is_valid_isbn",
    "normalize_pmid",
    "normalize_pmcid",
    "normalize_arxiv",
    "arxiv_doi",
]

#: A DOI as it appears in running text. Crossref's recommended pattern, widened to the characters
#: that real suffixes use: SICI DOIs contain ``;()[]`` and a balanced ``<…>`` group
#: (``10.1002/(SICI)1097-0142(19990101)85:1<1::AID-CNCR1>3.0.CO;2-#``); a lone ``<`` or ``>`` ends the DOI,
#: so ``<https://doi.org/10.1000/x>`` gives ``10.1000/x``.
_SUFFIX_CHARS = r"""(?:[^\s"'<>]|<[^\s"'<>]*>)"""
DOI_PATTERN = re.compile(r"\b10\.\d{4,9}/" + _SUFFIX_CHARS + "+", re.IGNORECASE)
_STRICT_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_PREFIXES = re.compile(
    r"^(?:doi\s*:\s*|https?://(?:dx\.)?doi\.org/|https?://doi\.org/|doi\.org/|info:doi/|urn:doi:)",
    re.IGNORECASE,
)
# punctuation that ends a sentence after a DOI, never part of it at the end
_TRAILING = ".,;:)]}>'\""
_OPENERS = {")": "(", "]": "[", ">": "<"}


#: Where a copy breaks a long DOI: after these characters, or before the ones in _WRAP_BEFORE.
_LINE_END_DOI = re.compile(r"\b(10\.\d{4,9}/" + _SUFFIX_CHARS + r"*)[ \t\r]*$")
#: the next line's leading run of DOI characters (``2019.01.023`` of ``2019.01.023},``) and what follows it
_FIRST_WORD = re.compile(r"[ \t]*([A-Za-z0-9._\-/;:()<>\[\]#+]+)(.*)", re.DOTALL)
_WRAP_AFTER = "./-_(:;"
_WRAP_BEFORE = ".-_/)("
_LETTERS = re.compile(r"[A-Za-z]+")
_STARTS_ID = re.compile(r"^(?:10\.\d{4,9}/|https?:|www\.|doi:|urn:|info:)", re.IGNORECASE)


_DOI_START = re.compile(r"\b10\.\d{4,9}/")
#: no DOI is longer: a line's last word beyond this is looked at only in its last this many characters
_MAX_DOI = 1000


def _last_word_start(line: str, lo: int) -> int:
    """Where the line's last word (``[^\\s"']*[ \\t\\r]*\\Z``: no white space or quotes, then the line's closing
    spaces, tabs and CR) first matches at or after ``lo``: found backwards from the line's end, not by a pattern
    tried at every position of the line."""
    p = len(line.rstrip(" \t\r"))
    while p > lo:
        c = line[p - 1]
        if c.isspace() or c == '"' or c == "'":
            break
        p -= 1
    return max(p, lo)


def _line_end_doi(line: str) -> re.Match | None:
    """:data:`_LINE_END_DOI` searched in a bounded, linear way: a DOI ending a line lies within its last
    word (a DOI has no white space or quote), and only the last :data:`_MAX_DOI` characters of that.
    (A search of the whole line retried the suffix from every ``10.`` of a 33 kB word: 7 s.)"""
    start = _last_word_start(line, max(0, len(line) - _MAX_DOI - 8))
    if "<" not in line[start:] and ">" not in line[start:]:
        first = _DOI_START.search(line, start)  # every character of the word is a suffix character: the first wins
        return _LINE_END_DOI.match(line, first.start()) if first else None
    return _LINE_END_DOI.search(line, start)


def _continues_doi(doi: str, token: str, rest: str) -> bool:
    """Does ``token``, the first word of the next line, continue the ``doi`` that ends a line?

    Only when the break falls where copies break DOIs (after ``. / - _ ( : ;`` or before ``. - _ / ( )``)
    and the word is made of DOI characters and is not an ordinary word (letters only), a list number
    (``2.`` before an author name), a label (``PMID:``, ``ER  -``) or the start of another identifier.
    """
    if not (doi[-1] in _WRAP_AFTER or token[0] in _WRAP_BEFORE) or token[0] == "[":
        return False
    core = token.rstrip(".,;:)]}>-")
    if not core or _STARTS_ID.match(token) or rest[:1].isalnum():
        return False  # nothing of a DOI, another identifier, or a word with letters outside ASCII ("Müller")
    rest = rest.strip()
    if _LETTERS.fullmatch(core):
        # an ordinary word; the one exception is a short lower-case tail alone on its line after "." or
        # "/", as in Wiley's "10.1111/j.1365-2141.2010.08097." + "x"
        return not rest and core.islower() and len(core) <= 3 and doi[-1] in "./" and core == token
    if core.isdigit() and len(core) <= 4 and rest[:1].isalpha():
        return False  # "2. Smith J", "2019 Mar 5", "12 patients" (a longer number is a DOI's tail: "2541234. Code")
    return True


def rejoin_wrapped_dois(text: str) -> str:
    """Put back together the DOIs a browser or PDF copy broke across lines.

    ``'https://doi.org/10.1016/j.canlet.\\n2019.01.023'`` → ``'https://doi.org/10.1016/j.canlet.2019.01.023\\n'``:
    the continuation moves up onto the DOI's line and the rest of the next line stays where it was, so
    the text keeps its line count (every line number still points at the same line). A DOI followed by
    an ordinary word or another identifier is left alone (see :func:`_continues_doi`); a blank line
    never joins.

    >>> rejoin_wrapped_dois("doi: 10.1002/\\nijc.33015. Epub 2020.")
    'doi: 10.1002/ijc.33015.\\nEpub 2020.'
    >>> rejoin_wrapped_dois("doi: 10.1002/ijc.33015.\\nThe authors declare no conflict.")
    'doi: 10.1002/ijc.33015.\\nThe authors declare no conflict.'
    """
    if "\n" not in text or "10." not in text:
        return text
    lines = text.split("\n")
    changed = False
    for i in range(len(lines) - 1):
        line = lines[i]
        m = _line_end_doi(line) if "10." in line else None
        if not m:
            continue
        doi, eol = m.group(1), "\r" if line.endswith("\r") else ""
        line = line[: m.end(1)]
        j = i + 1
        while j < len(lines):
            w = _FIRST_WORD.match(lines[j])
            if not w or not _continues_doi(doi, w.group(1), w.group(2)):
                break
            doi += w.group(1)
            line += w.group(1)
            lines[j] = w.group(2).lstrip()
            changed = True
            if lines[j].strip():
                break  # the DOI ended on that line; else it may go on on the next one
            j += 1
        lines[i] = line + eol
    return "\n".join(lines) if changed else text


def normalize_doi(text: str | None) -> str | None:
    """Return the DOI in stored form (lower case, no prefix), or ``None`` if ``text`` holds none.

    >>> normalize_doi("https://doi.org/10.1186/S40164-025-00688-7.")
    '10.1186/s40164-025-00688-7'
    """
    if not text:
        return None
    s = text.strip()
    if "\n" in s:
        s = rejoin_wrapped_dois(s)
    s = _PREFIXES.sub("", s).strip()
    if "%2f" in s.lower() or "%" in s:
        s = unquote(s)
    m = DOI_PATTERN.search(s)
    if not m:
        return None
    doi = m.group(0)
    # balanced brackets may belong to the DOI (SICI); an unbalanced closer does not (counted once, not
    # once per character taken off: a DOI ending in 30,000 ")" is linear)
    counts = {c: doi.count(c) for c in "()[]<>"} if doi[-1] in _TRAILING else {}
    end = len(doi)
    while end and doi[end - 1] in _TRAILING:
        c = doi[end - 1]
        opener = _OPENERS.get(c)
        if opener and counts[opener] >= counts[c]:
            break
        if c in counts:
            counts[c] -= 1
        end -= 1
    doi = doi[:end]
    return doi.lower() if _STRICT_DOI.match(doi) else None


def is_valid_doi(doi: str | None) -> bool:
    return bool(doi) and bool(_STRICT_DOI.match(doi or "")) and doi == normalize_doi(doi)


def find_dois(text: str) -> list[str]:
    """All DOIs in a text, normalised, in order of appearance, without repeats."""
    seen: dict[str, None] = {}
    if "10." not in text:  # no DOI can be there: the common case, without a regex pass
        return []
    if "\n" in text:
        text = rejoin_wrapped_dois(text)
    for m in DOI_PATTERN.finditer(text):
        doi = normalize_doi(m.group(0))
        if doi:
            seen.setdefault(doi, None)
    return list(seen)


#: An ISSN already in (nearly) stored form: the fast path of the two functions below, which still verify
#: the check digit (with stdnum's own calc_check_digit); anything else goes through stdnum's validate.
_ID_SEPARATOR = re.compile(r"[,;]|\s+(?=\d)")


def split_identifiers(value: str) -> list[str]:
    """The ISSNs or ISBNs of one field as written, in order: ``"1066-5099, 1549-4918"``, with ``;`` or white
    space before a digit between them too (an ``issn``/``isbn`` field, RIS ``SN``, CSL ``ISSN``). The one
    splitter: the readers, ``mscbib check``'s form and Crossref checks all read a field's ISSNs with it."""
    return [p.strip() for p in _ID_SEPARATOR.split(value) if p.strip()]


_ISSN_FORM = re.compile(r"([0-9]{4})-?([0-9]{3}[0-9Xx])")


def _issn_fast(text: str) -> str | None | bool:
    """The compact ISSN if ``text`` is well formed with a right check digit, False if well formed with a
    wrong one, None if not well formed (then ask stdnum)."""
    m = _ISSN_FORM.fullmatch(text)
    if m is None:
        return None
    number = (m.group(1) + m.group(2)).upper()
    return number if _issn.calc_check_digit(number[:7]) == number[7] else False


def normalize_issn(text: str | None) -> str | None:
    """``'21623619'`` → ``'2162-3619'``; ``None`` when the check digit is wrong."""
    if not text:
        return None
    fast = _issn_fast(text.strip())
    if isinstance(fast, str):
        return f"{fast[:4]}-{fast[4:]}"  # what _issn.format gives
    if fast is False:
        return None
    try:
        return _issn.format(_issn.validate(text.strip()))
    except ValidationError:
        return None


def is_valid_issn(text: str | None) -> bool:
    if not text:
        return False
    fast = _issn_fast(text.strip())
    return bool(fast) if fast is not None else _issn.is_valid(text)


@lru_cache(maxsize=1 << 14)  # a library repeats its books' ISBNs
def normalize_isbn(text: str | None) -> str | None:
    """ISBN-13 with hyphens where the ranges are known; ``None`` when invalid."""
    if not text:
        return None
    try:
        number = _isbn.compact(_isbn.validate(text.strip()), convert=True)
    except ValidationError:
        return None
    return _isbn_format(number)


def _isbn_format(number: str) -> str:
    """``stdnum.isbn.format(number, convert=True)`` of a valid compact ISBN-13 (the same text: prefix, group,
    registrant, item and check digit, hyphenated where stdnum's range table knows them), its table looked up by
    bisection: stdnum scans each level's ranges in turn, ~0.3 ms an ISBN (3 % of a 10 MB ``build``)."""
    parts = _isbn_split(number[:-1])
    item = parts.pop() if parts else ""
    prefix = parts.pop(0) if parts else ""
    group = parts.pop(0) if parts else ""
    registrant = parts.pop(0) if parts else ""
    return "-".join(x for x in (prefix, group, registrant, item, number[-1]) if x)


def _isbn_split(number: str) -> list[str]:
    """``stdnum.numdb.get("isbn").split(number)``: at each level of the range table the shortest ranges that
    hold the number's next digits give the next part, their children (merged, in the table's order) the next
    level; where none does, the rest is one part."""
    parts: list[str] = []
    level = _isbn_level(None)
    while number:
        part, children = number, None
        for length, starts, covers in level:
            if length > len(number):
                break
            key = number[:length]
            i = bisect_right(starts, int(key)) - 1
            if i >= 0 and covers[i] is not None:
                part, children = key, covers[i]
                break
        parts.append(part)
        number = number[len(part) :]
        level = _isbn_level(children) if children else ()
    return parts


#: one level of stdnum's ISBN range table, by ascending length of its ranges: ``(length, starts, covers)``, the
#: numbers of that many digits cut where a range starts or ends, and for each piece from ``starts[i]`` on the
#: next level its ranges give (their children merged, as stdnum merges them), or None where no range covers it
_Level = tuple[tuple[int, list[int], list["list | None"]], ...]
_LEVELS: dict[int, tuple[list, _Level]] = {}


def _isbn_level(prefixes: list | None) -> _Level:
    if prefixes is None:
        from stdnum import numdb

        prefixes = numdb.get("isbn").prefixes
    got = _LEVELS.get(id(prefixes))
    if got is not None and got[0] is prefixes:
        return got[1]
    by_length: dict[int, list[tuple[int, int, list]]] = {}
    for length, low, high, _props, children in prefixes:
        by_length.setdefault(length, []).append((int(low), int(high), children))
    level = []
    for length in sorted(by_length):
        ranges = by_length[length]
        starts = sorted({lo for lo, _, _ in ranges} | {hi + 1 for _, hi, _ in ranges})
        covers: list[list | None] = []
        for start in starts:
            over = [kids for lo, hi, kids in ranges if lo <= start <= hi]
            covers.append([k for kids in over for k in kids] if over else None)
        level.append((length, starts, covers))
    _LEVELS[id(prefixes)] = (prefixes, tuple(level))
    return tuple(level)


def is_valid_isbn(text: str | None) -> bool:
    return bool(text) and _isbn.is_valid(text or "")


_PMID = re.compile(r"^(?:pmid\s*:?\s*)?(\d{1,9})$", re.IGNORECASE)
_PMCID = re.compile(r"^(?:pmcid\s*:?\s*)?(?:PMC)?(\d{1,9})$", re.IGNORECASE)


def normalize_pmid(text: str | None) -> str | None:
    if not text:
        return None
    m = _PMID.match(text.strip())
    return str(int(m.group(1))) if m and int(m.group(1)) > 0 else None


def normalize_pmcid(text: str | None) -> str | None:
    if not text:
        return None
    m = _PMCID.match(text.strip())
    return f"PMC{int(m.group(1))}" if m and int(m.group(1)) > 0 else None


#: arXiv's archives before 2007 (the old-style identifiers' prefixes), longest first.
_ARXIV_ARCHIVES = sorted(
    """acc-phys adap-org alg-geom ao-sci astro-ph atom-ph bayes-an chao-dyn chem-ph cmp-lg comp-gas
    cond-mat cs dg-ga funct-an gr-qc hep-ex hep-lat hep-ph hep-th math math-ph mtrl-th nlin nucl-ex nucl-th patt-sol
    physics plasm-ph q-alg q-bio quant-ph solv-int supr-con""".split(),
    key=len,
    reverse=True,
)
#: arXiv identifiers: ``2101.00001`` (since 2007; 5 digits since 2015) and old-style ``hep-th/9901001``, with an
#: optional version; written ``arXiv:…`` (also ``arXiv:cs.LG/1301.0604``, a category before a new-style number, as
#: some reference lists print it), as an abs/pdf URL, or (old-style only) bare.
_ARXIV = re.compile(
    r"^(?:arxiv\s*:\s*(?:[a-z\-]+(?:\.[A-Z]{2})?/(?=\d{4}\.))?|(?:https?://)?(?:www\.|export\.)?"
    r"arxiv\.org/(?:abs|pdf)/)?(\d{4}\.\d{4,5}|(?:"
    + "|".join(re.escape(a) for a in _ARXIV_ARCHIVES)
    + r")(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?/?$",
    re.IGNORECASE,
)


def normalize_arxiv(text: str | None) -> str | None:
    """``'arXiv:2101.00001v2'`` → ``'2101.00001'``; ``'hep-th/9901001'`` → itself; a bare new-style number
    (``2101.00001``) needs its ``arXiv:`` prefix or URL, else ``None``.

    >>> normalize_arxiv("https://arxiv.org/abs/hep-th/9901001v1")
    'hep-th/9901001'
    """
    if not text:
        return None
    s = text.strip()
    m = _ARXIV.match(s)
    if not m or (m.group(1)[0].isdigit() and m.start(1) == 0):
        return None
    ident = m.group(1)
    return ident if ident[0].isdigit() else ident[0].lower() + ident[1:]


def arxiv_doi(ident: str) -> str:
    """The DOI DataCite registered for an arXiv identifier: ``10.48550/arxiv.<id>`` (stored form)."""
    return f"10.48550/arxiv.{ident}".lower()
