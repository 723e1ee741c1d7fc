"""Identifiers: find, normalise and check DOIs, ISSNs, ISBNs, PMIDs and PMCIDs.

Check digits come from ``python-stdnum``; DOI handling follows the DOI Handbook and Crossref's
advice (case-insensitive, ``10.<registrant>/<suffix>``, no URL prefix in stored form).
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from stdnum import isbn as _isbn
from stdnum import issn as _issn
from stdnum.exceptions import ValidationError

__all__ = [
    "DOI_PATTERN",
    "find_dois",
    "normalize_doi",
    "is_valid_doi",
    "normalize_issn",
    "is_valid_issn",
    "normalize_isbn",
    "is_valid_isbn",
    "normalize_pmid",
    "normalize_pmcid",
]

#: A DOI as it appears in running text. Crossref's recommended pattern, widened to the characters
#: that real suffixes use (SICI DOIs contain ``<>;()``).
DOI_PATTERN = re.compile(r"\b10\.\d{4,9}/[^\s\"'<>]+", re.IGNORECASE)
_STRICT_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_PREFIXES = re.compile(
    r"^(?:doi\s*:\s*|https?://(?:dx\.)?doi\.org/|https?://doi\.org/|doi\.org/|info:doi/|urn:doi:)",
    re.IGNORECASE,
)
# punctuation that ends a sentence after a DOI, never part of it at the end
_TRAILING = ".,;:)]}>'\""


def normalize_doi(text: str | None) -> str | None:
    """Return the DOI in stored form (lower case, no prefix), or ``None`` if ``text`` holds none.

    >>> normalize_doi("https://doi.org/10.1186/S40164-025-00688-7.")
    '10.1186/s40164-025-00688-7'
    """
    if not text:
        return None
    s = text.strip()
    s = _PREFIXES.sub("", s).strip()
    if "%2f" in s.lower() or "%" in s:
        s = unquote(s)
    m = DOI_PATTERN.search(s)
    if not m:
        return None
    doi = m.group(0)
    # balanced parentheses may belong to the DOI (SICI); an unbalanced closer does not
    while doi and doi[-1] in _TRAILING:
        if doi[-1] == ")" and doi.count("(") >= doi.count(")"):
            break
        doi = doi[:-1]
    return doi.lower() if _STRICT_DOI.match(doi) else None


def is_valid_doi(doi: str | None) -> bool:
    return bool(doi) and bool(_STRICT_DOI.match(doi)) and doi == normalize_doi(doi)


def find_dois(text: str) -> list[str]:
    """All DOIs in a text, normalised, in order of appearance, without repeats."""
    seen: dict[str, None] = {}
    for m in DOI_PATTERN.finditer(text):
        doi = normalize_doi(m.group(0))
        if doi:
            seen.setdefault(doi, None)
    return list(seen)


#: An ISSN already in (nearly) stored form: the fast path of the two functions below, which still verify
#: the check digit (with stdnum's own calc_check_digit); anything else goes through stdnum's validate.
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
    if fast is not None:
        return f"{fast[:4]}-{fast[4:]}" if fast else None  # what _issn.format gives
    try:
        return _issn.format(_issn.validate(text.strip()))
    except ValidationError:
        return None


def is_valid_issn(text: str | None) -> bool:
    if not text:
        return False
    fast = _issn_fast(text.strip())
    return bool(fast) if fast is not None else _issn.is_valid(text)


def normalize_isbn(text: str | None) -> str | None:
    """ISBN-13 with hyphens where the ranges are known; ``None`` when invalid."""
    if not text:
        return None
    try:
        return _isbn.format(_isbn.validate(text.strip()), convert=True)
    except ValidationError:
        return None


def is_valid_isbn(text: str | None) -> bool:
    return bool(text) and _isbn.is_valid(text)


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
