"""Plain lists of identifiers, one per line: DOIs (bare, ``doi:``, ``https://doi.org/`` URLs), PMIDs
(``12345678``, ``PMID: 12345678``, PubMed URLs) and PMCIDs (``PMC1234567``, PMC / Europe PMC URLs) and arXiv IDs (``arXiv:2101.00001``, ``hep-th/9901001``, arXiv URLs:
read as their DataCite DOI ``10.48550/arXiv.…``).
``#`` comments allowed.

Every line that is not blank or a comment must hold exactly one identifier; a line that does not is
reported with its number, and the others are still read.
"""

from __future__ import annotations

import math
import re

from ..identifiers import DOI_PATTERN, arxiv_doi, normalize_arxiv, normalize_doi, normalize_pmcid, normalize_pmid
from ..model import FailedInput, Record
from .base import Lines, ReadResult

__all__ = ["IdentifierList", "parse_identifier"]

_COMMENT = re.compile(r"\s+#.*$")
_PMID = re.compile(
    r"^(?:pmid\s*:?\s*|https?://(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov/pubmed)/)"
    r"?(\d{1,9})/?$",
    re.IGNORECASE,
)
_PMCID = re.compile(
    r"^(?:pmcid\s*:?\s*|https?://(?:www\.)?(?:ncbi\.nlm\.nih\.gov/pmc/articles/|pmc\.ncbi\.nlm\.nih\.gov/"
    r"articles/|europepmc\.org/(?:article/PMC/|abstract/PMC/)))?(PMC\d{1,9})/?$",
    re.IGNORECASE,
)
_EUROPEPMC_MED = re.compile(r"^https?://europepmc\.org/(?:article|abstract)/MED/(\d{1,9})/?$", re.IGNORECASE)


def _content_lines(text: str):
    for n, line in enumerate(text.splitlines(), 1):
        s = (_COMMENT.sub("", line) if "#" in line else line).strip().strip("\ufeff")  # no "#", no comment
        if s and not s.startswith("#"):
            yield n, s


def _content(line: str) -> str:
    """The line as :func:`_content_lines` gives it, or "" for a blank or comment line."""
    s = (_COMMENT.sub("", line) if "#" in line else line).strip().strip("\ufeff")
    return s if s and s[0] != "#" else ""


def _prose(s: str) -> bool:
    """A (stripped) line of three words or more without a colon: never one identifier (what
    :func:`parse_identifier` refuses first, told without its call: most lines of a page)."""
    return ":" not in s and s.count(" ") >= 2 and len(s.split()) >= 3


_LABELLED_ID = re.compile(r"^(?:doi|pmid|pmcid|arxiv)\s*:\s*\S+$", re.IGNORECASE)


def parse_identifier(s: str) -> tuple[str, str] | None:
    """``('doi', '10.1000/x')``, ``('pmid', '123')`` or ``('pmcid', 'PMC123')`` for one identifier, else None."""
    s = s.strip().rstrip(".,;")
    if len(s.split()) != 1 and (":" not in s or not _LABELLED_ID.match(s)):  # prose: most lines of a page
        return None
    m = _PMCID.match(s)
    pmcid = normalize_pmcid(m.group(1)) if m else None
    if pmcid:  # not PMC0: no PMCID is zero, and a record with the identifier None is no record
        return "pmcid", pmcid
    m = _PMID.match(s) or _EUROPEPMC_MED.match(s)
    pmid = normalize_pmid(m.group(1)) if m else None
    if pmid:
        return "pmid", pmid
    arxiv = normalize_arxiv(s)
    if arxiv:  # arXiv:2101.00001, hep-th/9901001: their DataCite DOI 10.48550/arXiv.…
        return "doi", arxiv_doi(arxiv)
    if DOI_PATTERN.search(s) or "%2f" in s.lower():
        doi = normalize_doi(s)
        if doi:
            return "doi", doi
    return None


class IdentifierList:
    name = "doi-list"
    #: each line is one identifier: a DOI ending in "." is never continued by the PMID on the next line
    rejoins_wrapped_dois = False

    def match(self, text: str) -> bool:
        raw = text[:20000].splitlines()
        # the misses a text may have grow with its count of content lines, which is at most its count of lines: a
        # text with more misses than that many lines allow is refused after its first lines (most texts are not
        # identifier lists); a text read to its end is judged on its count of content lines, as before
        most, misses, n = len(raw) - max(1, math.ceil(0.8 * len(raw))), 0, 0
        for line in raw:
            s = _content(line)
            if not s:
                continue
            n += 1
            if len(s) > 120 or _prose(s) or not parse_identifier(s):
                misses += 1
                if misses > most:
                    return False
        return n > 0 and misses <= n - max(1, math.ceil(0.8 * n))

    def read(self, text: str, path: str) -> ReadResult:
        page = Lines(text, path, self.name)
        result = ReadResult()
        for n, s in _content_lines(text):
            found = parse_identifier(s)
            if found is None:
                result.failures.append(FailedInput(path, f"not a DOI, PMID or PMCID: {s!r}", line=n, raw=s))
                continue
            rec = Record(source=page.at(n, origin=self.name))
            rec.set(found[0], found[1], page.at(n, origin=self.name))
            result.records.append(rec)
        return result
