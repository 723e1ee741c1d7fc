"""Parse a printed reference string into a :class:`~mscbib.model.Reference`.

Handles the Vancouver / NLM style that PubMed and PMC print::

    Hass R, Kasper C, Böhm S, Jacobs R. Different populations ... MSC. Cell Commun Signal. 2011;9:12. - PMC - PubMed

Authors are ``Family Initials`` separated by commas and closed by a full stop (``et al.`` marks an
incomplete list); the journal is the NLM abbreviation before ``year;volume(issue):pages``. Whatever
the parser cannot place stays in ``text``; it never guesses a value the string does not hold.
"""

from __future__ import annotations

import re

from ..identifiers import find_dois, normalize_pmcid, normalize_pmid
from ..model import Provenance, Reference
from ..text import clean_text, normalize_pages, person_from_vancouver

__all__ = ["parse_reference", "strip_link_markers"]

# the link labels PubMed prints after a reference: "- DOI - PMC - PubMed"
_MARKERS = re.compile(r"(?:\s*-\s*(?:DOI|PMC|PubMed|Free PMC article|Google Scholar|CrossRef|Crossref))+\s*$")
_NUMBER = re.compile(r"^\s*(?:\[\d+\]|\d+\.)\s+")
_VANC_NAME = r"[^\s,.;][^,.;]*?\s[A-Z]{1,4}(?:\s(?:Jr|Sr|II|III|IV))?"
_AUTHORS = re.compile(rf"^(?P<authors>{_VANC_NAME}(?:,\s*{_VANC_NAME})*)(?P<etal>,?\s*et al)?\.\s+")
_TAIL = re.compile(
    r"(?P<journal>[^.]+?)\.\s*(?P<year>(?:19|20)\d{2})(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)?"
    r"(?:;\s*(?P<volume>[^:;()\s]+)?\s*(?:\((?P<issue>[^)]+)\))?)?"
    r"(?::\s*(?P<pages>[A-Za-z]?\d+[A-Za-z]?(?:\s*[-–]\s*[A-Za-z]?\d+[A-Za-z]?)?))?\.?"
    r"(?P<rest>.*)$"
)
_PMID = re.compile(r"\bPMID:\s*(\d+)", re.IGNORECASE)
_PMCID = re.compile(r"\b(PMC\d+)\b")


def strip_link_markers(text: str) -> tuple[str, list[str]]:
    """Remove PubMed's trailing link labels; return the text and the labels found (``['PMC', 'PubMed']``)."""
    m = _MARKERS.search(text)
    if not m:
        return text.strip(), []
    labels = [p.strip() for p in m.group(0).split("-") if p.strip()]
    return text[: m.start()].strip(), labels


def parse_reference(raw: str, source: Provenance | None = None) -> Reference:
    text = clean_text(_NUMBER.sub("", raw))
    text, _labels = strip_link_markers(text)
    ref = Reference(text=text, source=source)
    dois = find_dois(text)
    if dois:
        ref.doi = dois[0]
    m = _PMID.search(text)
    if m:
        ref.pmid = normalize_pmid(m.group(1))
    m = _PMCID.search(text)
    if m:
        ref.pmcid = normalize_pmcid(m.group(1))

    m = _AUTHORS.match(text)
    if not m:
        return ref
    ref.authors = [person_from_vancouver(a) for a in m.group("authors").split(",") if a.strip()]
    ref.authors_complete = not m.group("etal")
    body = text[m.end():]
    # the tail is the last "Journal. Year;..." in the string; the title is everything before it
    tail = None
    for t in _TAIL.finditer(body):
        tail = t
    if tail is None:
        ref.title = body.rstrip(". ") or None
        return ref
    # the title ends at the full stop before the journal abbreviation
    head = body[: tail.start("journal")].rstrip()
    journal = tail.group("journal").strip()
    if not head:  # the title itself was matched as the journal: split at its last full stop
        return ref
    ref.title = head.rstrip(".").strip() or None
    ref.journal = journal
    ref.year = tail.group("year")
    ref.volume = tail.group("volume")
    ref.issue = tail.group("issue")
    ref.pages = normalize_pages(tail.group("pages"))
    return ref

