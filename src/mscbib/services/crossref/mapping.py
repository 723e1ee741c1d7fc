"""Crossref work JSON → :class:`~mscbib.model.Record`, as a table of (Crossref key → field, conversion).

Pure: no I/O. Every value is stamped with ``Provenance(origin="crossref", detail=<DOI>)``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from rapidfuzz import fuzz

from ...identifiers import find_dois, normalize_doi, normalize_isbn, normalize_issn

#: :func:`~mscbib.identifiers.normalize_doi`, remembered: a library's cited DOIs are normalised where they are
#: mapped, read ahead and asked for, and the same DOI is cited by many entries
doi_of = functools.lru_cache(maxsize=1 << 16)(normalize_doi)
from ...model import LIST_FIELDS, Person, Provenance, Record, Reference, Value
from ...text import (
    clean_text,
    comparable,
    normalize_pages,
    person_from_display,
    person_from_vancouver,
    squash_spaces,
    strip_markup,
    styled_concat,
)
from .client import LEAN_FIELDS

__all__ = [
    "record_from_work",
    "references_from_work",
    "reference_author",
    "date_parts",
    "update_relations",
    "FIELD_TABLE",
    "URL_OPTIONS",
    "apply_url_option",
    "cased_title",
    "online_date",
]


def _first(v: Any) -> Any:
    if isinstance(v, list):
        return v[0] if v else None
    return v


def _all_caps(text: str) -> bool:
    """No lower-case letter and at least four capitals: ``THE IMPACT OF…`` (not ``DNA``)."""
    letters = 0
    for c in text:  # (most titles show a lower-case letter within a few characters: done there)
        if c.isalpha():
            if c.islower():
                return False
            letters += 1
    return letters >= 4


def cased_title(titles: list[str]) -> str | None:
    """The first of ``titles`` (Crossref's ``title`` list, then ``original-title``/``short-title``), but in a
    properly cased form where the first is ALL CAPS and another gives the same words in mixed case."""
    titles = [t for t in titles if t]
    if not titles:
        return None
    first = titles[0]
    if _all_caps(first):
        for other in titles[1:]:
            if not _all_caps(other) and comparable(other) == comparable(first):
                return other
    return first


def _as_list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [v]


def _title(work: dict[str, Any]) -> str | None:
    titles = [
        strip_markup(t, scripts=True, styles=True)  # italic, bold, small caps kept (text.Styled)
        for key in ("title", "original-title", "short-title")
        for t in _as_list(work.get(key))
        if t
    ]
    # no title, but an original-language one: that is the work's title (Crossref files some works so)
    title = squash_spaces(cased_title(titles) or "")  # a deposited line break in a title is a space
    subtitle = squash_spaces(strip_markup(_first(work.get("subtitle")), scripts=True, styles=True))
    # a "subtitle" that only repeats the title's words is a running head, not part of the title
    if title and subtitle and fuzz.token_set_ratio(comparable(subtitle), comparable(title)) < 85:
        sep = " " if title.endswith((":", "?", "!", ".")) else ": "
        title = styled_concat(title, sep, subtitle)
    return title or None


def _person(a: dict[str, Any]) -> Person | None:
    orcid = (a.get("ORCID") or "").rsplit("/", 1)[-1]
    family = clean_text(a.get("family"))
    given = clean_text(a.get("given"))
    if family:
        return Person(family=family, given=given, suffix=clean_text(a.get("suffix")), orcid=orcid)
    name = clean_text(a.get("name")) or given
    return Person(family="", literal=name, orcid=orcid) if name else None


#: what a name list ends with when it is incomplete ("et al." deposited as a name): not a person
_ET_AL = re.compile(r"^(?:and\s+)?(?:et\.?\s*al\.?|others|u\.\s*a\.)$", re.I)


def _is_et_al(a: dict[str, Any]) -> bool:
    parts = [v for v in (a.get("given"), a.get("family"), a.get("name")) if v]
    raw = " ".join(parts) if all(type(v) is str for v in parts) else "&"  # (not text: the slow way)
    if raw.isascii() and "&" not in raw and not any(w in raw.lower() for w in ("al", "others", "u.")):
        # (every author of every work is asked, twice): ASCII without an entity cleans to the same letters and
        # marks, spaces folded, so the cleaned name is no "et al.", "others" nor "u. a." if the raw one is none
        return False
    name = " ".join(clean_text(a.get(k)) for k in ("given", "family", "name") if a.get(k))
    return bool(_ET_AL.match(name.strip()))


def _people(role: str) -> Callable[[dict[str, Any]], list[Person] | None]:
    """The work's ``author`` or ``editor`` list as Persons (None when it has none); an "et al." deposited as
    a name is no person (:func:`_complete` says the list is incomplete)."""

    def people(work: dict[str, Any]) -> list[Person] | None:
        return [p for p in (_person(a) for a in work.get(role) or [] if not _is_et_al(a)) if p] or None

    return people


def _complete(role: str) -> Callable[[dict[str, Any]], bool | None]:
    """``authors_complete`` / ``editors_complete``: False where the list ends in "et al.", True where it is a
    list of names, None where there is none."""

    def complete(work: dict[str, Any]) -> bool | None:
        names = work.get(role) or []
        if not names:
            return None
        return not any(_is_et_al(a) for a in names)

    return complete


def online_date(work: dict[str, Any]) -> str | None:
    """The online-first date (``published-online``) as ISO text where it is not the date a citation shows
    (:func:`date_parts`: the print issue's): Record ``published``, kept beside ``year``/``month``/``day``."""
    parts = ((work.get("published-online") or {}).get("date-parts") or [[None]])[0] or [None]
    try:
        online = [int(p) for p in parts if p is not None][:3]
    except (TypeError, ValueError):
        return None
    shown = date_parts(work)
    if not online or shown[: len(online)] == online or online[: len(shown)] == shown:
        return None  # the same date (or the same as far as both go)
    return "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(online))


#: which licence states the rights of the published version, best first (``tdm`` is a text-mining licence)
_LICENCE_ORDER = {"vor": 0, "unspecified": 1, "am": 2, "stm-asf": 3, "tdm": 4}


def _rights(work: dict[str, Any]) -> str | None:
    """The licence of the published version (Crossref ``license``: URL per content version) → Record ``rights``."""
    licences = [lic for lic in work.get("license") or [] if isinstance(lic, dict) and lic.get("URL")]
    if not licences:
        return None
    best = min(licences, key=lambda lic: _LICENCE_ORDER.get(str(lic.get("content-version")), 5))
    return clean_text(best["URL"]) or None


def _landing_url(work: dict[str, Any]) -> str | None:
    """The landing page (``resource.primary.URL``; not ``URL``, which is the DOI's own address)."""
    url = clean_text(((work.get("resource") or {}).get("primary") or {}).get("URL"))
    return url if url.startswith(("http://", "https://")) else None


_last_dates: tuple[Any, list[int]] = (None, [])


def date_parts(work: dict[str, Any]) -> list[int]:
    """The date a citation shows: the print issue's date for journal articles, else ``issued``.

    (``issued`` is the earliest of print and online; styles cite the issue, and PubMed pages print it.)
    While :func:`record_from_work` maps a work, its answer is computed once (year, month and day ask in turn).
    """
    last, parts = _last_dates
    if last is work:
        return list(parts)
    return _date_parts(work)


def _date_parts(work: dict[str, Any]) -> list[int]:
    for key in ("published-print", "issued", "published-online", "published", "created"):
        parts = ((work.get(key) or {}).get("date-parts") or [[None]])[0]
        if parts and parts[0] is not None:
            try:
                return [int(p) for p in parts if p is not None]
            except (TypeError, ValueError):
                continue
    return []


def _issns(work: dict[str, Any]) -> list[str] | None:
    typed = {t.get("value"): t.get("type") for t in work.get("issn-type") or []}
    order = {"print": 0, "electronic": 1}
    raw = sorted(work.get("ISSN") or [], key=lambda v: order.get(typed.get(v, ""), 2))
    out: list[str] = []
    for v in raw:
        n = normalize_issn(v)
        if n and n not in out:
            out.append(n)
    return out or None


def _isbns(work: dict[str, Any]) -> list[str] | None:
    out: list[str] = []
    for v in work.get("ISBN") or []:
        n = normalize_isbn(v)
        if n and n not in out:
            out.append(n)
    return out or None


def _pages(work: dict[str, Any]) -> str | None:
    return normalize_pages(work.get("page")) or clean_text(work.get("article-number")) or None


def _abstract(work: dict[str, Any]) -> str | None:
    text = strip_markup(work.get("abstract"), scripts=True)
    if text.lower().startswith("abstract "):
        text = text[len("abstract ") :]
    return text or None


#: (record field, conversion of the whole work JSON). Read top to bottom; ``None`` results are skipped.
FIELD_TABLE: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
    ("doi", lambda w: doi_of(w.get("DOI"))),
    ("title", _title),
    ("authors", _people("author")),
    ("authors_complete", _complete("author")),
    ("editors", _people("editor")),
    ("editors_complete", _complete("editor")),
    ("journal", lambda w: strip_markup(_first(w.get("container-title"))) or None),
    ("journal_abbrev", lambda w: strip_markup(_first(w.get("short-container-title"))) or None),
    ("issn", _issns),
    ("isbn", _isbns),
    ("year", lambda w: str(date_parts(w)[0]) if date_parts(w) else None),
    ("month", lambda w: date_parts(w)[1] if len(date_parts(w)) > 1 else None),
    ("day", lambda w: date_parts(w)[2] if len(date_parts(w)) > 2 else None),
    ("volume", lambda w: clean_text(w.get("volume")) or None),
    ("issue", lambda w: clean_text(w.get("issue")) or None),
    ("pages", _pages),
    ("publisher", lambda w: clean_text(w.get("publisher")) or None),
    ("address", lambda w: clean_text(w.get("publisher-location")) or None),
    ("edition", lambda w: clean_text(str(w.get("edition-number") or "")) or None),
    ("published", online_date),
    ("rights", _rights),
    ("url", _landing_url),
    ("type", lambda w: w.get("type") or None),
    ("language", lambda w: w.get("language") or None),
    ("abstract", _abstract),
]


#: the work's keys each of these fields is read from, where its conversion gives ``None`` without them all: a
#: cited work's lean answer holds about half the keys the table reads, and a build maps 4,000 works (the test
#: ``test_a_field_is_skipped_only_where_its_conversion_gives_nothing`` holds the table to it)
_READS: dict[str, tuple[str, ...]] = {
    "authors": ("author",),
    "authors_complete": ("author",),
    "editors": ("editor",),
    "editors_complete": ("editor",),
    "journal": ("container-title",),
    "journal_abbrev": ("short-container-title",),
    "issn": ("ISSN",),
    "isbn": ("ISBN",),
    "volume": ("volume",),
    "issue": ("issue",),
    "pages": ("page", "article-number"),
    "publisher": ("publisher",),
    "address": ("publisher-location",),
    "edition": ("edition-number",),
    "published": ("published-online",),
    "rights": ("license",),
    "url": ("resource",),
    "language": ("language",),
    "abstract": ("abstract",),
}


def record_from_work(work: dict[str, Any]) -> Record:
    doi = doi_of(work.get("DOI"))
    src = Provenance(origin="crossref", detail=doi, format="crossref")
    rec = Record(source=src)
    global _last_dates
    _last_dates = (work, _date_parts(work))
    values = rec.values  # what Record.set would store, without its checks: the table's names are record fields
    try:
        for name, convert in FIELD_TABLE:
            reads = _READS.get(name)
            if reads is not None:
                for k in reads:
                    if k in work:
                        break
                else:
                    continue  # none of the keys it reads: nothing to convert
            value = convert(work)
            if value is not None and value != "" and value != []:  # (a new record: nothing to remove)
                values[name] = Value(list(value) if name in LIST_FIELDS else value, src)
    finally:
        _last_dates = (None, [])
    rec.references = references_from_work(work)
    return rec


_INITIAL = re.compile(r"^(?:[A-Z]\.?-?){1,4}$")
_TRAILING_INITIALS = re.compile(r"^(?P<family>.+?)\s+(?P<initials>(?:[A-Z]\.?\s*-?){1,4})$")


def reference_author(text: str | None) -> Person | None:
    """The first author of a deposited reference: Crossref holds one string (``"Spillantini MG"``,
    ``"Spillantini, M. G."``, ``"M. G. Spillantini"``, ``"Smith"``), split into family and given names; a
    string with no initials to split at stays one family name."""
    name = clean_text(text).strip(" ,;")
    if not name:
        return None
    if "," in name:
        family, _, given = name.partition(",")
        return Person(family=family.strip(), given=given.strip()) if family.strip() else Person(family=name)
    m = _TRAILING_INITIALS.match(name)
    if m:  # "Spillantini MG", "Spillantini M. G."
        return person_from_vancouver(f"{m.group('family')} {re.sub(r'[^A-Z]', '', m.group('initials'))}")
    words = name.split()
    if len(words) > 1 and all(_INITIAL.match(w) for w in words[:-1]):  # "M. G. Spillantini", "MG Spillantini"
        return person_from_display(name)
    return Person(family=name)


#: :func:`reference_author`, remembered (a Person is immutable): a cited work's first author is named, the same way,
#: by every reference list that cites it
_reference_author = functools.lru_cache(maxsize=1 << 16)(reference_author)


def references_from_work(work: dict[str, Any]) -> list[Reference]:
    """The deposited reference list, in order: DOI where deposited, the structured parts, the raw string."""
    doi = doi_of(work.get("DOI"))
    out: list[Reference] = []
    # (37,391 references in a 1,000-work build: a part a reference lacks is not handed to clean_text, and the
    # first author is parsed once per distinct string)
    for i, ref in enumerate(work.get("reference") or [], 1):
        get = ref.get
        name = get("author")
        author = None if name is None else _reference_author(name) if isinstance(name, str) else reference_author(name)
        text, title = get("unstructured"), get("article-title") or get("volume-title")
        journal = get("journal-title") or get("series-title")
        year, volume, issue, pages = get("year"), get("volume"), get("issue"), get("first-page")
        out.append(
            Reference(
                text=(clean_text(text) or None) if text else None,
                doi=doi_of(d) if (d := get("DOI")) else None,
                authors=[author] if author else [],
                authors_complete=False,
                title=(strip_markup(title, scripts=True, styles=True) or None) if title else None,
                journal=(clean_text(journal) or None) if journal else None,
                year=(clean_text(year) or None) if year else None,
                volume=(clean_text(volume) or None) if volume else None,
                issue=(clean_text(issue) or None) if issue else None,
                pages=(clean_text(pages) or None) if pages else None,
                source=Provenance("crossref", None, None, "crossref", f"{doi} reference {get('key') or i}"),
                # a book's title alone (no article title, no journal): the reference states a book
                kind="book" if title and not get("article-title") and not get("journal-title") else None,
            )
        )
    return out


def update_relations(work: dict[str, Any]) -> list[dict[str, str]]:
    """Retractions, corrections and expressions of concern that point at this work.

    Crossref carries them as ``updated-by`` on the original (including Retraction Watch assertions)
    and ``update-to`` on the notice itself. Returns ``[{"type", "doi", "source", "date"}]``.
    """
    out = []
    for rel in work.get("updated-by") or []:
        parts = ((rel.get("updated") or {}).get("date-parts") or [[None]])[0]
        out.append(
            {
                "type": str(rel.get("type") or rel.get("update-type") or "").lower(),
                "doi": normalize_doi(rel.get("DOI")) or "",
                "source": str(rel.get("source") or rel.get("label") or ""),
                "date": "-".join(str(p) for p in parts if p) if parts else "",
            }
        )
    return out


# -- the typed work: what the stages after the mapping read, never the JSON (issue 17) ---------------------------


@dataclass
class Work:
    """A Crossref work, mapped by :func:`work_from_json`: what the stages after the mapping read, never the JSON.

    ``record``: its values as a :class:`~mscbib.model.Record` (``references``: its deposited reference list, the
    record's own); ``relations``: relation kind (``is-preprint-of``, ``has-preprint``…) -> the DOIs it names;
    ``subjects``: Crossref's subject list; ``updates``: the notices that point at it (:func:`update_relations`);
    ``cited_dois``: the DOIs its deposited references carry, or show in their text (:func:`cited_dois`);
    ``whole``: asked for whole (with its reference list), not lean; ``doi``: the DOI as Crossref states it. The
    parts beyond the record are mapped when first read (most cited works are never asked for their relations)."""

    record: Record
    _json: dict[str, Any] = field(repr=False)

    @property
    def doi(self) -> str | None:
        return self._json.get("DOI")

    @property
    def references(self) -> list[Reference]:
        return self.record.references

    @functools.cached_property
    def relations(self) -> dict[str, list[str]]:
        return _relations(self._json)

    @functools.cached_property
    def subjects(self) -> list[str]:
        return [s for s in self._json.get("subject") or [] if isinstance(s, str)]

    @functools.cached_property
    def updates(self) -> list[dict[str, str]]:
        return update_relations(self._json)

    @functools.cached_property
    def cited_dois(self) -> list[str]:
        return cited_dois(self._json)

    @functools.cached_property
    def whole(self) -> bool:
        # a work holding keys outside what a lean request asks for (client.LEAN_FIELDS) was asked for whole
        return "reference" in self._json or any(k not in LEAN_FIELDS and k != "score" for k in self._json)


def cited_dois(work: dict[str, Any]) -> list[str]:
    """The DOIs a work's deposited references carry, or show in their text, read straight from the JSON (the
    read-ahead of cited works asks for them as each work arrives, before it is mapped)."""
    out = []
    for ref in work.get("reference") or ():
        doi = doi_of(ref.get("DOI")) if isinstance(ref, dict) else None
        if doi is None and isinstance(ref, dict) and isinstance(ref.get("unstructured"), str):
            doi = next(iter(find_dois(ref["unstructured"])), None)
        if doi:
            out.append(doi)
    return out


def _relations(work: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for kind, rels in (work.get("relation") or {}).items():
        dois: list[str] = []
        for rel in rels if isinstance(rels, list) else []:
            if isinstance(rel, dict) and str(rel.get("id-type", "doi")).lower() == "doi":
                doi = normalize_doi(str(rel.get("id") or ""))
                if doi and doi not in dois:
                    dois.append(doi)
        out[kind] = dois
    return out


def work_from_json(work: dict[str, Any], record: Record | None = None) -> Work:
    """The typed work of one Crossref answer; ``record``: its :func:`record_from_work`, when already made."""
    return Work(record if record is not None else record_from_work(work), work)


def work_of(work: "Work | dict[str, Any] | None") -> Work | None:
    """A :class:`Work` as it is, a Crossref JSON work mapped, ``None`` as ``None``."""
    return work_from_json(work) if isinstance(work, dict) else work


__all__ += ["Work", "work_from_json", "work_of", "cited_dois"]
#: ``mscbib build --url``: when an entry gets the landing page Crossref has for it (``resource.primary.URL``)
URL_OPTIONS = ("always", "no-doi", "never")


def apply_url_option(records: list[Record], option: str) -> int:
    """Drop, per ``option`` (:data:`URL_OPTIONS`), the landing-page URLs Crossref gave; a URL the input had is
    never touched. ``no-doi`` keeps one only on an entry without a DOI (the DOI already leads to the page).
    Returns how many were dropped."""
    if option not in URL_OPTIONS:
        raise ValueError(f"unknown --url option {option!r}; known: {', '.join(URL_OPTIONS)}")
    dropped = 0
    for rec in records:
        origin = rec.origin_of("url")
        if option == "always" or origin is None or origin.origin != "crossref":
            continue
        if option == "never" or rec.doi:
            rec.set("url", None, origin)
            dropped += 1
    return dropped
