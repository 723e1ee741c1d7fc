"""What every reader shares: the reader contract, the result type and a line-numbered text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from ..identifiers import normalize_doi
from ..model import CITED_BY_LABEL, CITES_LABEL, FailedInput, Provenance, Record, Reference
from ..text import clean_lines

__all__ = [
    "BinaryReader",
    "Reader",
    "ReadResult",
    "Lines",
    "BOILERPLATE",
    "CitesNote",
    "given_key",
    "one_record",
    "read_cites_note",
]


@dataclass
class ReadResult:
    records: list[Record] = field(default_factory=list)
    failures: list[FailedInput] = field(default_factory=list)
    #: read, but with something to say (the file's encoding was guessed): not a failure
    warnings: list[FailedInput] = field(default_factory=list)

    def extend(self, other: "ReadResult") -> None:
        self.records.extend(other.records)
        self.failures.extend(other.failures)
        self.warnings.extend(other.warnings)


def one_record(rec: Record, path: str, what: str) -> ReadResult:
    """The result of a page reader: the record if it has a title or a DOI, else a failure naming ``what``."""
    if rec.title or rec.doi:
        return ReadResult(records=[rec])
    return ReadResult(failures=[FailedInput(path, f"{what}, but neither a title nor a DOI could be found")])


_NOTE_CITE = re.compile(r"\[\d+\]\s+(\S+)(?:[ \t]+(.*))?")
_NOTE_CITED_BY = re.compile(r"^" + re.escape(CITED_BY_LABEL) + r"[ \t]*(.+)$", re.M)


@dataclass
class CitesNote:
    """What mscbib's note on a record's citations says (:func:`read_cites_note`)."""

    #: the noted references, in order, each with the cited work's key (and its DOI or printed text)
    references: list[Reference] = field(default_factory=list)
    #: the cited works' keys, in order, each once (two references to one work: one key)
    cites: list[str] = field(default_factory=list)
    #: the keys of the entries citing this work
    cited_by: list[str] = field(default_factory=list)


def read_cites_note(note: str | None, src: Provenance | None = None) -> CitesNote:
    """The references and keys of the note :func:`mscbib.model.zotero_note` and :func:`mscbib.model.cited_by_line`
    write (``Cites (mscbib):`` then ``[1] key doi:10.…`` or ``[2] key the printed text``, one a line; ``Cited by
    (mscbib): key, key``), from a BibTeX ``annote``, a RIS ``N1`` or a CSL ``note``: the one reader of that note.
    The list ends at its first line of another form (the note may go on with other text)."""
    out = CitesNote()
    if not note:
        return out
    if CITES_LABEL in note:
        for line in note.split(CITES_LABEL, 1)[1].splitlines():
            line = line.strip()
            if not line:
                continue
            m = _NOTE_CITE.fullmatch(line)
            if m is None:
                break
            key, rest = m.group(1), (m.group(2) or "").strip()
            doi = normalize_doi(rest[4:]) if rest.startswith("doi:") else None
            out.references.append(Reference(text=None if doi else (rest or None), doi=doi, key=key, source=src))
        out.cites = list(dict.fromkeys(ref.key for ref in out.references if ref.key is not None))
    m = _NOTE_CITED_BY.search(note)
    if m:
        out.cited_by = [k for k in re.split(r"[\s,]+", m.group(1).strip()) if k]
    return out


#: what a citation key given by an input may be (BibTeX's key syntax): no space, comma, brace, quote, ``#``, ``%``,
#: ``~``, ``=`` or backslash, and not digits alone (EndNote's RIS ``ID`` numbers its records)
_GIVEN_KEY = re.compile(r"(?!\d+$)[^\s,{}()\"#%'=\\~]+")


def given_key(value: object) -> str | None:
    """The citation key an input gives (RIS ``ID``, CSL ``citation-key``), or ``None`` when it is no key."""
    text = str(value).strip() if isinstance(value, (str, int)) else ""
    return text if _GIVEN_KEY.fullmatch(text) else None


@runtime_checkable
class Reader(Protocol):
    """One input format. ``match`` answers "is this text mine?" cheaply; ``read`` never raises on bad
    input: what it cannot read goes into ``ReadResult.failures`` with the line and the reason."""

    #: format name, as given to ``--format`` and reported in ``source.format``
    name: str

    def match(self, text: str) -> bool: ...

    def read(self, text: str, path: str) -> ReadResult: ...


@runtime_checkable
class BinaryReader(Reader, Protocol):
    """A format read from the file's bytes, before any decoding as text (PDF; a page saved with its own charset):
    :func:`mscbib.sources.read_file` asks ``match_bytes`` (or takes it by ``--format``) and hands it the bytes.
    It is a :class:`Reader` too: ``match`` / ``read`` for a text already decoded."""

    def match_bytes(self, data: bytes) -> bool: ...

    def read_bytes(self, data: bytes, path: str) -> ReadResult: ...


#: Lines of web-page chrome that are never data (compared after stripping and lower-casing).
BOILERPLATE = frozenset(
    s.lower()
    for s in (
        "Skip to main page content",
        "Skip to main content",
        "An official website of the United States government",
        "Here's how you know",
        "Dot gov",
        "Https",
        "The .gov means it’s official.",
        "The .gov means it's official.",
        "The site is secure.",
        "Access keys NCBI Homepage MyNCBI Homepage Main Content Main Navigation",
        "Full description",
        "Saved in:",
        "Bibliographic Details",
        "Tags: Add Tag",
        "No Tags, Be the first to tag this record!",
        "Description",
        "PubMed Disclaimer",
        "LinkOut - more resources",
        "Similar articles",
        "See all similar articles",
        'See all "Cited by" articles',
        "Affiliations",
        "Abstract",
        "Publication types",
        "MeSH terms",
        "Substances",
        "Grants and funding",
        "Full text links",
        "Cite",
        "Share",
        "Figures",
        "References",
        "Search",
        "Search:",
        "Advanced Clipboard",
        "Advanced",
        "Clipboard",
        "User Guide",
        "Save",
        "Email",
        "Send to",
        "Display options",
        "Format",
        "Expand",
        "Affiliation",
        "Free PMC article",
        "Free article",
        "Full Text Sources",
        "Other Literature Sources",
        "Medical",
        "Related information",
        "Keywords",
        "Collapse",
        "Show details",
        "Hide details",
        "Download PDF",
        "View PDF",
        "Open in a new tab",
        "Add to Mendeley",
        "Share on",
        "U.S. flag",
        "Main menu",
        "Menu",
        "Log in",
        "Sign in",
        "Access through your institution",
        "Purchase PDF",
        "Get rights and content",
        "Check for updates",
        "Open Access",
        "Article metrics",
        "Metrics",
        "Download citation",
        "Copy to clipboard",
        "Copy citation",
    )
)

_CITED_BY = re.compile(r"^cited by \d+ articles?$", re.IGNORECASE)


def is_boilerplate(line: str, lowered: str | None = None) -> bool:
    """``lowered``: ``line.strip().lower()`` where the caller has it (a page reader lower-cases each line once)."""
    s = line.strip().lower() if lowered is None else lowered
    return (
        s in BOILERPLATE
        # in lower-cased ASCII the case-blind pattern matches only where the line starts with its own words
        or (s.startswith("cited by ") or not s.isascii())
        and bool(_CITED_BY.match(s))
        or s.startswith(_BOILERPLATE_STARTS)
    )


_BOILERPLATE_STARTS = (
    "federal government websites often end in",
    "the https:// ensures",
    "before sharing sensitive information",
)


#: the last text split and cleaned: the site reader and the general page reader read the same text, which is
#: split and cleaned once (one entry: nothing is kept beyond the text being read)
_LAST: list = [None, None, None]


class Lines:
    """A text split into lines, 1-based, with helpers that keep the line number of what they find."""

    def __init__(self, text: str, path: str, format: str) -> None:
        self.path = path
        self.format = format
        if _LAST[0] is text:
            self.lines = _LAST[1]
        else:
            self.lines = text.splitlines()
            _LAST[:] = [text, self.lines, None]
        self._text = text
        self._clean: list[str] | None = None

    def clean(self, lineno: int) -> str:
        """Line ``lineno`` through :func:`~mscbib.text.clean_text`, computed once for the whole text."""
        try:
            return self._clean[lineno - 1]  # type: ignore[index]
        except TypeError:
            return self.cleaned()[lineno - 1]

    def cleaned(self) -> list[str]:
        """Every line through :func:`~mscbib.text.clean_text` (index 0 is line 1)."""
        if self._clean is None:
            if _LAST[0] is self._text and _LAST[2] is not None and _LAST[1] is self.lines:
                self._clean = _LAST[2]
            else:
                self._clean = clean_lines(self.lines)
                if _LAST[0] is self._text and _LAST[1] is self.lines:
                    _LAST[2] = self._clean
        return self._clean

    def __len__(self) -> int:
        return len(self.lines)

    def __getitem__(self, lineno: int) -> str:
        return self.lines[lineno - 1]

    def numbered(self, start: int = 1, stop: int | None = None):
        """``(lineno, line)`` from ``start`` to ``stop`` (inclusive), as one C-level iterator."""
        stop = len(self.lines) if stop is None else min(stop, len(self.lines))
        start = max(start, 1)
        return zip(range(start, stop + 1), self.lines[start - 1 : stop])

    def at(self, lineno: int | None, origin: str = "page") -> Provenance:
        return Provenance(origin=origin, file=self.path, line=lineno, format=self.format)

    def find(self, pattern: re.Pattern[str], start: int = 1, stop: int | None = None):
        """First ``(lineno, match)`` for ``pattern`` (matched against the stripped line), or ``(None, None)``."""
        for n, line in self.numbered(start, stop):
            m = pattern.match(line.strip())
            if m:
                return n, m
        return None, None
