"""The record model: what every stage of the pipeline reads and writes.

A :class:`Record` is a bag of named :class:`Value` objects. Every value knows where it came from
(:class:`Provenance`: the input file and line, or the Crossref work it was taken from), so that a
build report can say, field by field, what the page stated and what Crossref added or corrected.

Readers never raise on bad input: what they cannot read becomes a :class:`FailedInput` that
carries the file, the line and the reason, and the rest of the inputs carry on.

Findings (validation problems, disagreements, unverified entries) are data, not exceptions:
see :class:`Finding`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, fields
from typing import Any, Callable, Iterable, Iterator

__all__ = [
    "FIELDS",
    "LIST_FIELDS",
    "FailedInput",
    "finding_about",
    "Finding",
    "Library",
    "Person",
    "Provenance",
    "Record",
    "Reference",
    "Severity",
    "TagSource",
    "Value",
]

#: The bibliographic fields a record can hold, in the order they are reported.
FIELDS: tuple[str, ...] = (
    "doi",
    "pmid",
    "pmcid",
    "preprint",
    "title",
    "authors",
    "authors_complete",
    "editors",
    "editors_complete",
    "journal",
    "journal_abbrev",
    "issn",
    "isbn",
    "year",
    "month",
    "day",
    "received",
    "accepted",
    "published",
    "volume",
    "issue",
    "pages",
    "publisher",
    "address",
    "edition",
    "type",
    "publication_types",
    "language",
    "keywords",
    "mesh",
    "notices",
    "abstract",
    "url",
    "rights",
)

#: ``editors_complete`` is False where the editor list ended in "et al." (as ``authors_complete`` for authors);
#: ``address`` the publisher's place, ``edition`` the edition number, ``rights`` the licence (a URL or text).

#: ``received``, ``accepted`` and ``published`` are ISO dates (``2019-01-14``, or ``2019-01`` / ``2019`` when the
#: input states no more) from an article's history: submission, acceptance and first publication (online /
#: "Epub"), as the input states them. ``year``, ``month`` and ``day`` remain the date of the issue.

#: ``preprint`` is the DOI of the preprint an entry was written in place of (``--prefer-published``, mscbib.enrich.preprints).

#: ``type`` is a Crossref work type (``journal-article``, ``book``, ``book-chapter``, ``proceedings-article``,
#: ``dissertation``, ``report``, ``dataset``, ``posted-content``, ``other``…) whatever the input's own vocabulary;
#: ``publication_types`` keeps PubMed/MEDLINE publication types (``Review``, ``Clinical Trial, Phase II``,
#: ``Retracted Publication``…) as printed, which say more about a journal article than its work type.

#: Fields whose value is a list.
LIST_FIELDS = frozenset({"authors", "editors", "issn", "isbn", "keywords", "mesh", "notices", "publication_types"})
#: :data:`FIELDS` as a set: :meth:`Record.set` checks every name it is given (millions of times in a build)
_FIELD_SET = frozenset(FIELDS)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a value (or a whole record) came from.

    ``origin`` is the kind of source: ``"page"`` (a copied web page), ``"doi-list"``, ``"crossref"``…
    ``file`` and ``line`` point into the input (1-based line); for Crossref values ``detail`` holds
    the DOI of the work the value was taken from.
    """

    origin: str
    file: str | None = None
    line: int | None = None
    format: str | None = None
    detail: str | None = None

    def __init__(
        self,
        origin: str,
        file: str | None = None,
        line: int | None = None,
        format: str | None = None,
        detail: str | None = None,
    ) -> None:  # (what the dataclass would write, through the slots' own setters: _frozen_setters)
        _PROVENANCE_SET[0](self, origin)
        _PROVENANCE_SET[1](self, file)
        _PROVENANCE_SET[2](self, line)
        _PROVENANCE_SET[3](self, format)
        _PROVENANCE_SET[4](self, detail)

    def where(self) -> str:
        """A short human form: ``seeds/a.txt:12`` or ``crossref 10.1000/x``."""
        if self.file:
            return f"{self.file}:{self.line}" if self.line else self.file
        if self.detail:
            return f"{self.origin} {self.detail}"
        return self.origin

    def to_json(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "file": self.file,
            "line": self.line,
            "format": self.format,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class Person:
    """An author or editor. ``literal`` holds an organisation or a name that cannot be split."""

    family: str
    given: str = ""
    suffix: str = ""
    literal: str = ""
    orcid: str = ""

    def __init__(self, family: str, given: str = "", suffix: str = "", literal: str = "", orcid: str = "") -> None:
        _PERSON_SET[0](self, family)
        _PERSON_SET[1](self, given)
        _PERSON_SET[2](self, suffix)
        _PERSON_SET[3](self, literal)
        _PERSON_SET[4](self, orcid)

    @property
    def display(self) -> str:
        if self.literal:
            return self.literal
        return " ".join(p for p in (self.given, self.family, self.suffix) if p)

    def to_json(self) -> dict[str, str]:
        if self.literal:
            return {"family": None, "given": None, "literal": self.literal}  # type: ignore[dict-item]
        return {"family": self.family, "given": self.given}


@dataclass(frozen=True, slots=True)
class Value:
    """One field value and where it came from."""

    value: Any
    source: Provenance

    def __init__(self, value: Any, source: Provenance) -> None:
        _VALUE_SET[0](self, value)
        _VALUE_SET[1](self, source)


def _frozen_setters(cls: type) -> tuple[Callable[[Any, Any], None], ...]:
    """The setters of a frozen slotted dataclass's fields, in order, for its own ``__init__``: a warm build makes
    ~200,000 Values, Provenances and Persons, and the generated ``__init__`` of a frozen class calls
    ``object.__setattr__`` by name for each field (twice the time of the slot's setter)."""
    return tuple(getattr(cls, f.name).__set__ for f in fields(cls))


_PROVENANCE_SET = _frozen_setters(Provenance)
_PERSON_SET = _frozen_setters(Person)
_VALUE_SET = _frozen_setters(Value)


@dataclass(slots=True)
class Reference:
    """One entry of a record's cited-reference list, as printed on a page or deposited at Crossref."""

    text: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    authors: list[Person] = field(default_factory=list)
    authors_complete: bool = True
    title: str | None = None
    journal: str | None = None
    year: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    source: Provenance | None = None
    #: The citation key of the cited work, once :mod:`mscbib.refs` has linked it (library.bib or cited.bib).
    key: str | None = None
    #: The kind of work the reference states (Record ``type``), where it states one: Crossref's deposit of a book's
    #: title alone (``volume-title``, no article or journal title) is a ``book`` (issue 18: its cited entry was @misc)
    kind: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "doi": self.doi,
            "pmid": self.pmid,
            "pmcid": self.pmcid,
            "text": self.text,
            "authors": [a.to_json() for a in self.authors],
            "authors_complete": self.authors_complete,
            "title": self.title,
            "journal": self.journal,
            "year": self.year,
            "volume": self.volume,
            "issue": self.issue,
            "pages": self.pages,
            "line": self.source.line if self.source else None,
        }


@dataclass(frozen=True)
class TagSource:
    """Why a topic tag was applied to a record (see :mod:`mscbib.tags`).

    ``origin``: ``"vocabulary"`` (a vocabulary term matched in ``field``), ``"parent"`` (a parent topic of
    ``matched``), ``"keywords"`` (a keyword the input gave) or ``"crossref-subject"``. ``matched`` is the text
    that matched (or the child tag / original keyword); ``where`` names the input line or Crossref work.
    """

    tag: str
    origin: str
    field: str | None = None
    matched: str | None = None
    where: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "tag": self.tag,
            "origin": self.origin,
            "field": self.field,
            "matched": self.matched,
            "where": self.where,
        }


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True)
class Finding:
    """A problem or a notable fact about a record or the library.

    ``code`` is stable (e.g. ``DOI001``) so that users can filter on it; ``message`` is for people.
    """

    code: str
    severity: Severity
    message: str
    key: str | None = None
    field: str | None = None
    file: str | None = None
    line: int | None = None
    fix: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "key": self.key,
            "field": self.field,
            "file": self.file,
            "line": self.line,
            "message": self.message,
            "fix": self.fix,
        }


@dataclass
class FailedInput:
    """An input (or part of one) that could not be read. It is reported, never silently dropped."""

    file: str
    reason: str
    line: int | None = None
    raw: str | None = None

    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass
class Record:
    """One bibliographic work, with per-field provenance."""

    source: Provenance
    values: dict[str, Value] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)
    key: str | None = None
    #: Facts gathered while the record moved through the pipeline (disagreements, unverified…).
    findings: list[Finding] = field(default_factory=list)
    #: Why each topic tag in ``keywords`` was applied (:mod:`mscbib.tags`).
    tags: list[TagSource] = field(default_factory=list)
    #: The citation keys of the works this record cites, in reference-list order (:mod:`mscbib.refs`).
    cites: list[str] = field(default_factory=list)
    #: For a cited work: the keys of the library entries that cite it.
    cited_by: list[str] = field(default_factory=list)
    #: For a cited work not found at Crossref: the reference as printed, kept as text.
    printed: str | None = None
    #: Words or phrases the input braced in its title (``{Parkinson}``): their case is protected in whatever title
    #: is written, Crossref's included (:func:`mscbib.writers.bibtex.protect_title`).
    protected: list[str] = field(default_factory=list)

    # -- access -------------------------------------------------------------------------------
    def get(self, name: str, default: Any = None) -> Any:
        v = self.values.get(name)
        return default if v is None else v.value

    def __contains__(self, name: str) -> bool:
        return name in self.values

    def origin_of(self, name: str) -> Provenance | None:
        v = self.values.get(name)
        return v.source if v else None

    def set(self, name: str, value: Any, source: Provenance) -> None:
        """Set a field; empty values (``None``, ``""``, ``[]``) are not stored."""
        if name not in _FIELD_SET:
            raise KeyError(f"unknown record field {name!r}")
        if value is None or value == "" or value == []:
            self.values.pop(name, None)
            return
        if name in LIST_FIELDS:
            value = list(value)
        self.values[name] = Value(value, source)

    def set_if_absent(self, name: str, value: Any, source: Provenance) -> bool:
        if name in self.values:
            return False
        self.set(name, value, source)
        return name in self.values

    def items(self) -> Iterator[tuple[str, Value]]:
        for name in FIELDS:
            if name in self.values:
                yield name, self.values[name]

    # -- convenience --------------------------------------------------------------------------
    # (each reads ``values`` itself: the commonest reads of a build, not worth a second call each)
    @property
    def doi(self) -> str | None:
        v = self.values.get("doi")
        return None if v is None else v.value

    @property
    def title(self) -> str | None:
        v = self.values.get("title")
        return None if v is None else v.value

    @property
    def authors(self) -> list[Person]:
        v = self.values.get("authors")
        return [] if v is None else v.value

    def first_page(self) -> str | None:
        pages = self.get("pages")
        if not pages:
            return None
        return pages.split("-")[0].strip() or None

    def label(self) -> str:
        """How to name this record to a person: its key, else its DOI, else its file and line."""
        return self.key or self.doi or self.source.where()

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form used by ``mscbib extract`` and the build report."""
        out: dict[str, Any] = {}
        for name in FIELDS:
            value = self.get(name)
            if name in LIST_FIELDS:
                value = value or []
                if name in ("authors", "editors"):
                    value = [p.to_json() for p in value]
            elif name == "authors_complete":
                value = bool(value) if value is not None else None
            out[name] = value
        out["references"] = [r.to_json() for r in self.references]
        out["source"] = {"file": self.source.file, "format": self.source.format, "line": self.source.line}
        return out


@dataclass
class Library:
    """What the stages of a build pass on, each a function ``Library -> Library`` (:mod:`mscbib.pipeline.stages`).

    ``inputs``: the files read (folders expanded, once); ``records``: the library's entries, in the order the
    stage before left them; ``failures`` / ``warnings``: the inputs (or parts) that could not be read, or were
    read with a doubt: kept, never dropped, and written back; ``findings``: the findings about the library as a
    whole or its inputs (each record holds its own in :attr:`Record.findings`) — the validate stage gathers both.

    What a stage hands on to a later one lives here too: ``items`` (each record's enrichment,
    :class:`mscbib.enrich.Enriched`, in the order of ``records``), ``merged`` (the same work read twice: kept,
    merged source pairs), ``cited`` (the cited works outside the library, :mod:`mscbib.refs`), ``key_origins``
    (key -> where it came from, :mod:`mscbib.keys`), ``written`` (the keys the library and cited files being
    rebuilt hold, and why they could not be read), ``backups`` and ``not_written`` (what the write stage did).
    """

    inputs: list[str] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    failures: list[FailedInput] = field(default_factory=list)
    warnings: list[FailedInput] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    items: list[Any] = field(default_factory=list)
    merged: list[tuple[str, str]] = field(default_factory=list)
    cited: list[Record] = field(default_factory=list)
    key_origins: dict[str, str] = field(default_factory=dict)
    written: dict[str, Any] = field(default_factory=dict)
    backups: list[str] = field(default_factory=list)
    not_written: str | None = None
    output: str | None = None

    def all_findings(self) -> list[Finding]:
        """Every finding: each record's, in the records' order, then the library's."""
        return [f for rec in self.records for f in rec.findings] + self.findings


def iter_findings(records: Iterable[Record]) -> Iterator[Finding]:
    for r in records:
        yield from r.findings


#: The labels of mscbib's note on a record's citations, in every format that carries a note (BibTeX ``annote``,
#: BibLaTeX ``annotation``, RIS ``N1``, CSL-JSON ``note``, Zotero items): :func:`zotero_note` and
#: :func:`cited_by_line` write it, :func:`mscbib.sources.base.read_cites_note` reads it back.
CITES_LABEL = "Cites (mscbib):"
CITED_BY_LABEL = "Cited by (mscbib):"


def zotero_note(record: Record) -> str | None:
    """The cited-reference list in a form Zotero's imports keep (BibTeX's ``annote`` and RIS's ``N1`` become a
    child note, CSL's ``note`` Extra): one numbered line per reference, with the cited work's key and its DOI, or
    the printed text; a record whose ``cites`` no keyed reference names (a ``.bib`` with a ``cites`` field alone)
    lists those keys, numbered in their order. The one writer of the ``Cites (mscbib):`` note (the BibTeX, RIS and
    CSL-JSON writers, Zotero items); :func:`mscbib.sources.base.read_cites_note` reads it back."""
    lines = []
    for i, ref in enumerate(record.references, 1):
        if not ref.key:
            continue
        what = f"doi:{ref.doi}" if ref.doi else (ref.text or ref.title or "")
        lines.append(f"[{i}] {ref.key}" + (f" {' '.join(what.split())}" if what else ""))
    if not lines:
        lines = [f"[{i}] {key}" for i, key in enumerate(record.cites, 1)]
    if not lines:
        return None
    return CITES_LABEL + "\n" + "\n".join(lines)


def cited_by_line(record: Record) -> str | None:
    """The line ``Cited by (mscbib): key, key`` naming the entries that cite this work, or ``None``."""
    return f"{CITED_BY_LABEL} {', '.join(record.cited_by)}" if record.cited_by else None


def finding_about(
    rec: Any,
    code: str,
    severity: Severity,
    message: str,
    field: str | None = None,
    fix: str | None = None,
    at: Provenance | None = None,
) -> Finding:
    """A finding about ``rec``'s ``field`` (a :class:`Record`, or anything with its ``origin_of``, ``label`` and
    ``source``: ``check``'s entry records), placed where ``at`` says, else where the field's value came from, else
    where the record did: the one way the stages name the file and line of what they report."""
    where = at or (rec.origin_of(field) if field else None) or rec.source
    return Finding(code, severity, message, key=rec.label(), field=field, file=where.file, line=where.line, fix=fix)
