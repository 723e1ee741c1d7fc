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
from ..model import Person, Provenance, Reference
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
    r"(?::\s*(?P<pages>[A-Za-z]{0,3}\d+[A-Za-z]?(?:\s*[-–]\s*[A-Za-z]{0,3}\d+[A-Za-z]?)?))?\.?"
    r"(?P<rest>.*)$"
)
_GROUP_AUTHOR = re.compile(r"^(?P<group>[^.,;]{0,60}\b(?:Collaboration|Consortium|Group|Committee|Organization|"
                           r"Organisation|Society|Association|Network|Investigators|Collaborators|Initiative|Team)"
                           r"[^.,;]{0,40})\.\s+")
_DOI_TEXT = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|\bdoi:\s*)?\b10\.\d{4,9}/\S+", re.IGNORECASE)
_GROUP_NAME = re.compile(r"\b(?:consortium|group|collaboration|collaborators|network|investigators|committee|"
                         r"initiative)\b", re.IGNORECASE)
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
    if m:
        ref.authors = [person_from_vancouver(a) for a in m.group("authors").split(",") if a.strip()]
        ref.authors_complete = not m.group("etal")
    else:
        m = _GROUP_AUTHOR.match(text)  # "Open Science Collaboration. Title. Science. 2015;..."
        if not m:
            return ref
        ref.authors = [Person(family="", literal=m.group("group"))]
    # a DOI's dots and digits must not read as "Journal. Year" ("…, DOI: 10.1080/00031305.2016.1154108")
    body = _DOI_TEXT.sub("", text[m.end():])
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



# -- author–year and publisher "cite this article" styles ---------------------------------------------------------
_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.[\s-]*|[A-Z](?:[\s-]+|$))+$")
_YEAR_PAREN = re.compile(r"\s*\((?P<year>(?:1[89]|20)\d{2})[a-z]?(?:,\s*[A-Z][a-z]+\.?(?:\s+\d{1,2})?)?\)\.?\s+")
_YEAR_COMMA = re.compile(r"(?<=\.),\s*(?P<year>(?:1[89]|20)\d{2})[a-z]?\.\s+")
_PAGES = r"(?P<pages>[A-Za-z]{0,2}\d+[A-Za-z]?(?:\s*[-–—]\s*[A-Za-z]{0,2}\d+[A-Za-z]?)?)"
# "Exp Hematol Oncol 14, 95 (2025)."  (Springer Nature)
_TAIL_SPRINGER = re.compile(rf"^(?P<journal>[^.]+(?:\.[^.\d]+)*?)\.?\s+(?P<volume>\d+),\s*{_PAGES}\s+\((?P<year>\d{{4}})\)\.?")
# "Journal Name, 12(3), 45–67."  (APA)   "J. Hepatol. 72, 558–577."  (Harvard/Elsevier)
_TAIL_APA = re.compile(rf"^(?P<journal>[^,]+?),?\s+(?P<volume>\d+)\s*(?:\((?P<issue>[^)]+)\))?(?:,|:)\s*{_PAGES}\.?")
# "Cells 2021, 10, 1234."  (MDPI)
_TAIL_MDPI = re.compile(rf"^(?P<journal>.+?)\s+(?P<year>(?:19|20)\d{{2}}),\s*(?P<volume>\d+)(?:\s*\((?P<issue>[^)]+)\))?,\s*{_PAGES}\.?")
# "Title, The American Statistician, 70:2, 129-133"  (Taylor & Francis: title and journal end at commas)
_TANDF = re.compile(rf"^(?P<title>.+?),\s+(?P<journal>[^,]+),\s+(?P<volume>\d+):(?P<issue>[\w-]+),\s+{_PAGES}[,.]?$")
# "Nat. Methods. 2017; 14:1083-1086"  (Cell Press reference lists)
_TAIL_CELL = re.compile(rf"^(?P<journal>[^;]+?)\.?\s+(?P<year>(?:19|20)\d{{2}});\s*(?P<volume>\d+):\s*{_PAGES}\.?$")
# "Front. Immunol. 14:1234567."  (Frontiers)
_TAIL_FRONTIERS = re.compile(rf"^(?P<journal>.+?)\s+(?P<volume>\d+)(?:\((?P<issue>[^)]+)\))?:\s*{_PAGES}\.?")


def split_author_list(s: str):
    """Split an author list in any common style into :class:`Person` objects and an "et al." flag."""
    from ._common import person_from_inverted
    from ..text import person_from_display

    s = clean_text(s).strip(" ,")
    etal = bool(re.search(r"(?:,?\s*et al\.?|,?\s*and others)$", s))
    s = re.sub(r"(?:,?\s*et al\.?|,?\s*and others)$", "", s).strip(" ,")
    if not s:
        return [], etal
    if ";" in s:
        return [person_from_inverted(p) for p in re.split(r"\s*;\s*(?:and\s+|&\s+)?", s) if p.strip()], etal
    s = re.sub(r",?\s+(?:&|and)\s+", ", ", s)
    tokens = [t.strip() for t in s.split(",") if t.strip()]
    people = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is not None and _INITIALS.match(nxt) and not _INITIALS.match(tok) \
                and not re.search(r"\s[A-Z]{1,3}$", tok):
            people.append(person_from_inverted(f"{tok}, {nxt}"))
            i += 2
            continue
        last = tok.rsplit(" ", 1)[-1]
        if _GROUP_NAME.search(tok):  # "CMMID COVID-19 working group": an organisation, one literal name
            people.append(Person(family="", literal=tok))
        elif " " in tok and len(last) <= 4 and last.isalpha() and last.isupper():
            # "Jørgensen SÆ": family name, then initials (any script's capitals)
            people.append(Person(family=tok[: -len(last)].strip(), given=" ".join(f"{c}." for c in last)))
        else:
            people.append(person_from_display(tok))
        i += 1
    return people, etal


def _tail_fields(ref: Reference, tail: str, year: str | None) -> bool:
    tail = tail.strip()
    for pattern in (_TAIL_SPRINGER, _TAIL_MDPI, _TAIL_CELL, _TAIL_FRONTIERS, _TAIL_APA):
        m = pattern.match(tail)
        if not m:
            continue
        g = m.groupdict()
        ref.journal = g["journal"].strip(" ,")  # an abbreviation keeps its full stops ("J. Hepatol.")
        ref.year = g.get("year") or year
        ref.volume = g["volume"]
        ref.issue = g.get("issue")
        ref.pages = normalize_pages(g["pages"].replace(" ", ""))
        return True
    return False


def parse_citation(raw: str, source: Provenance | None = None) -> Reference:
    """Parse a reference in any of the common styles: Vancouver/NLM first (as :func:`parse_reference`),
    then author–year (APA, Harvard, Frontiers ``Smith J and Doe A (2023) Title. Front. Immunol. 14:1.``),
    Springer Nature's ``Sun, L., Cao, X. et al. Title. Exp Hematol Oncol 14, 95 (2025).`` and MDPI's
    ``Smith, J.; Doe, A. Title. Cells 2021, 10, 1234.``. Unplaced parts stay in ``text`` only."""
    ref = parse_reference(raw, source)
    if ref.journal and ref.year:
        return ref
    text = ref.text or ""
    body = re.sub(r"\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*|DOI:\s*)10\.\S+\s*$", "", text).strip()
    body = re.sub(r"\s*(?:PMID|PMCID):.*$", "", body).strip()
    out = Reference(text=text, doi=ref.doi, pmid=ref.pmid, pmcid=ref.pmcid, source=source)
    year = None
    m = _YEAR_PAREN.search(body)
    if m and m.start() < len(body) * 0.6:
        authors_part, rest, year = body[: m.start()], body[m.end():], m.group("year")
    else:
        m = _YEAR_COMMA.search(body)
        if m and m.start() < len(body) * 0.6:
            authors_part, rest, year = body[: m.start() + 0], body[m.end():], m.group("year")
        else:
            # Springer / MDPI: authors end at "et al. " or at the full stop after the last initial
            m = re.match(r"^(?P<a>.+?(?:\bet al\.|[A-Z]\.(?=\s+[A-Z0-9\"“])))\s+(?P<rest>.+)$", body)
            if not m:
                return ref
            authors_part, rest = m.group("a"), m.group("rest")
    out.authors, etal = split_author_list(authors_part)
    out.authors_complete = not etal
    # the title ends at the last ". " (or "? "/"! ") before a tail that parses
    for cut in [mm.end() for mm in re.finditer(r"[.?!]\s+", rest)]:
        title, tail = rest[:cut].strip(), rest[cut:]
        probe = Reference()
        if _tail_fields(probe, tail, year):
            out.title = title.rstrip(".").strip() or None
            for name in ("journal", "year", "volume", "issue", "pages"):
                setattr(out, name, getattr(probe, name))
            return out
    m = _TANDF.match(rest.strip())
    if m:
        out.title, out.journal, out.year = m.group("title").strip(), m.group("journal").strip(), year
        out.volume, out.issue, out.pages = m.group("volume"), m.group("issue"), normalize_pages(m.group("pages"))
        return out
    out.title = None
    out.year = year
    return out if out.authors else ref
