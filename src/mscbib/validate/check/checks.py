"""The offline checks of ``mscbib check``: everything that needs no network.

Codes (stable; README lists them): PRS001 parse failure · STR001 undefined macro · CRF001 missing
crossref/xdata parent · FLD001 empty field · FLD002 field not used by the type/data model · FLD003
field given twice · REQ001 required field missing · DOI001 malformed DOI (validate.py) · DOI002 DOI
written as URL or with a prefix · DOI003 DOI and URL disagree · ISS001/ISB001 check digits
(validate.py) · ISS002 ISSN not in ``NNNN-NNNN`` form · PMI001 PMID/PMCID form · DAT001-003
(validate.py) · DAT004 month written as text · PAG001 reversed range (validate.py) · PAG002 range with
one hyphen or a dash · VOL001 volume/number form · TXT001 unbalanced braces · TXT002 unescaped
``& % # _`` · TXT003 mojibake · NAM001 ``and others`` · NAM002 name orders mixed · TTL001 all-caps
title · TTL002 acronym unprotected from lowercasing · DUP001/KEY001 (validate.py) · DUP002 same work
under two keys · KEY002 key characters that break LaTeX or pandoc.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from rapidfuzz import fuzz, process

from ... import registry
from ... import validate as _validate_checks  # noqa: F401  (registers the record checks this module runs)
from ...bibfile import BibEntry, BibField, braces_balanced, first_family, split_names
from ...datamodel import BIBLATEX_ONLY_FIELDS as _BIBLATEX_ONLY_FIELDS
from ...datamodel import BIBLATEX_ONLY_TYPES as _BIBLATEX_ONLY_TYPES
from ...datamodel import NOT_FOR_TYPE as _NOT_FOR_TYPE
from ...datamodel import REQUIRED, missing_required, required_message
from ...identifiers import normalize_doi as _normalize_doi
from ...identifiers import normalize_issn, normalize_pmcid, normalize_pmid, split_identifiers
from ...model import Provenance, Record, Severity
from ...rules import CAPITALS_MESSAGE, in_capitals, mojibake, mojibake_message
from ...text import MONTHS, comparable, normalize_pages, parse_month
from ...writers.bibtex import needs_protection
from .registry import CheckContext, Edit, entry_check, issue, library_check

__all__ = ["REQUIRED", "record_of", "split_names", "mojibake", "in_capitals"]

_VERBATIM = {
    "url",
    "doi",
    "file",
    "eprint",
    "pdf",
    "urldate",
    "crossref",
    "xdata",
    "ids",
    "keywords",
    "mendeley-tags",
    "groups",
    "owner",
    "timestamp",
    "eprinttype",
    "archiveprefix",
    "langid",
    "isbn",
    "issn",
    "pmid",
    "pmcid",
}


def detect_model(bib) -> str:
    """``biblatex`` if the file uses BibLaTeX-only types or fields (``date``, ``journaltitle``…)."""
    for e in bib.entries:
        if e.type in _BIBLATEX_ONLY_TYPES:
            return "biblatex"
        for f in e.fields:
            if f.name in ("date", "journaltitle", "location", "institution") and e.type not in ("techreport",):
                if f.name != "institution":
                    return "biblatex"
    return "bibtex"


def _rewrap(f: BibField, new_value: str) -> str:
    """The raw form of ``new_value`` in the same enclosing as ``f`` (a bare value gets braces)."""
    if f.raw.startswith('"') and f.raw.endswith('"'):
        return f'"{new_value}"'
    return "{" + new_value + "}"


def _edit(f: BibField, raw: str) -> Edit | None:
    return Edit(f.span[0], f.span[1], raw) if f.span and f.inherited_from is None else None


#: identifiers.normalize_doi, once per distinct string: the doi-form, validate and duplicate checks all read it
normalize_doi = lru_cache(maxsize=1 << 16)(_normalize_doi)


# -- the parse --------------------------------------------------------------------------------------
def parse_failures(ctx: CheckContext):
    for fb in ctx.bib.failed:
        first = fb.raw.splitlines()[0][:60] if fb.raw else ""
        yield issue(
            ctx,
            None,
            "PRS001",
            Severity.ERROR,
            f"this block could not be read ({fb.reason}); it is kept as written: {first!r}",
            line=fb.line,
        )


@entry_check("parse", "STR001", "FLD003", "PRS002")
def _parse(ctx: CheckContext, e: BibEntry):
    for name, line, message in e.problems:  # what the parse repaired (bibfile: a missing comma)
        yield issue(ctx, e, "PRS002", Severity.ERROR, message, fld=name, line=line)
    for f in e.fields:
        if f.undefined_macros:
            yield issue(
                ctx,
                e,
                "STR001",
                Severity.ERROR,
                f"{f.name} uses {', '.join(f.undefined_macros)}, which no @string defines "
                "(a value needs braces or quotes unless it is a number or a macro)",
                fld=f,
            )
    for name in e.duplicate_fields:
        yield issue(ctx, e, "FLD003", Severity.ERROR, f"field {name} is given twice; tools keep one of them", fld=name)


@entry_check("inheritance", "CRF001")
def _inheritance(ctx: CheckContext, e: BibEntry):
    for rel, key, parent in ctx.bib.parents(e):
        if parent is None:
            yield issue(ctx, e, "CRF001", Severity.ERROR, f"{rel} = {key}, but no entry has that key", fld=rel)


# -- fields -----------------------------------------------------------------------------------------
@entry_check("fields", "REQ001", "FLD001", "FLD002")
def _fields(ctx: CheckContext, e: BibEntry):
    model = ctx.model
    fields = e.by_name if not ("crossref" in e or "xdata" in e) else ctx.bib.resolved(e)
    # a field given but empty is FLD001, not REQ001
    missing = missing_required(e.type, fields.__contains__, model)
    if missing is None and e.type not in ("xdata", "set"):
        known = REQUIRED["biblatex" if model == "bibtex" else "bibtex"].get(e.type)
        hint = f" (a {'BibLaTeX' if model == 'bibtex' else 'BibTeX'} type)" if known is not None else ""
        yield issue(
            ctx, e, "FLD002", Severity.WARNING, f"@{e.type} is not an entry type of the {model} data model{hint}"
        )
    for options in missing or ():
        yield issue(ctx, e, "REQ001", Severity.WARNING, required_message(e.type, options, model))
    misplaced = _NOT_FOR_TYPE.get(e.type, ())
    biblatex_only = _BIBLATEX_ONLY_FIELDS if model == "bibtex" else ()
    for f in e.fields:
        v = f.value
        if v is not None and not v.strip():
            yield issue(ctx, e, "FLD001", Severity.WARNING, f"{f.name} is empty", fld=f)
        if f.name in misplaced:
            yield issue(
                ctx, e, "FLD002", Severity.WARNING, f"@{e.type} has no use for {f.name}; styles ignore it", fld=f
            )
        elif f.name in biblatex_only:
            yield issue(
                ctx, e, "FLD002", Severity.WARNING, f"{f.name} is a BibLaTeX field; BibTeX styles ignore it", fld=f
            )


# -- identifiers ------------------------------------------------------------------------------------
_DOI_URL = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi\s*:\s*|doi\.org/|info:doi/|urn:doi:)", re.I)


@entry_check("doi-form", "DOI002", "DOI003")
def _doi_form(ctx: CheckContext, e: BibEntry):
    f = e.field("doi")
    if f is None or not f.value:
        return
    doi = normalize_doi(f.value)
    if doi and _DOI_URL.match(f.value):
        bare = _DOI_URL.sub("", f.value).strip()
        yield issue(
            ctx,
            e,
            "DOI002",
            Severity.WARNING,
            f"DOI written as a URL or with a prefix: {f.value!r}",
            fld=f,
            fix=f"write it as {bare}",
            edit=_edit(f, _rewrap(f, bare)),
        )
    url = e.get("url")
    if doi and url and "doi.org/" in url.lower():
        url_doi = normalize_doi(url)
        if url_doi and url_doi != doi:
            yield issue(
                ctx,
                e,
                "DOI003",
                Severity.WARNING,
                f"the url points at DOI {url_doi}, the doi field is {doi}",
                fld="url",
            )


#: An ``issn`` field's ISSNs as written: the one splitter (identifiers.split_identifiers)
issn_parts = split_identifiers


@entry_check("issn-form", "ISS002")
def _issn_form(ctx: CheckContext, e: BibEntry):
    f = e.field("issn")
    if f is None or not f.value:
        return
    parts = issn_parts(f.value)
    fixed = [normalize_issn(p) for p in parts]
    if all(fixed) and [x for x in fixed] != parts:
        new = ", ".join(fixed)  # type: ignore[arg-type]
        yield issue(
            ctx,
            e,
            "ISS002",
            Severity.INFO,
            f"ISSN {f.value!r} is not in the form NNNN-NNNN",
            fld=f,
            fix=f"write it as {new}",
            edit=_edit(f, _rewrap(f, new)),
        )


@entry_check("pubmed-ids", "PMI001")
def _pubmed_ids(ctx: CheckContext, e: BibEntry):
    for name, norm, form in (("pmid", normalize_pmid, "digits only"), ("pmcid", normalize_pmcid, "PMC and digits")):
        f = e.field(name)
        if f is not None and f.value and not norm(f.value.strip()):
            yield issue(ctx, e, "PMI001", Severity.ERROR, f"{name} {f.value!r} is not a {name.upper()} ({form})", fld=f)
    if (e.get("eprinttype") or "").lower() == "pubmed" and e.get("eprint") and not normalize_pmid(e.get("eprint")):
        yield issue(ctx, e, "PMI001", Severity.ERROR, f"eprint {e.get('eprint')!r} is not a PMID", fld="eprint")


# -- the registry's record checks (validate.py's and the plug-ins') on each entry (one place per check) ----------
# REQ001 runs per data model; TXT003 and TTL001 run here on the entry's fields (validate.py's record checks of
# the same codes call mscbib.rules' functions for `mscbib build`: one check set)
_ENTRY_OWN = ("required-fields", "mojibake", "capitals")


_ID_LIST = re.compile(r"[,;]|\s+(?=\d{3,})")
_YEAR_START = re.compile(r"\s*(\d{4})")
_DASHES = re.compile(r"\s*(?:-+|–|—)\s*")


def _doi_of(v: str) -> str:
    return normalize_doi(v) or v.strip()


def _ids_of(v: str) -> list[str]:
    return [p.strip() for p in _ID_LIST.split(v) if p.strip()]


def _month_of(v: str):
    return parse_month(v) or v.strip()


def _pages_of(v: str) -> str:
    return _DASHES.sub("--", v.strip())


class EntryRecord:
    """The entry as validate.py's record checks read a :class:`~mscbib.model.Record`: ``get``,
    ``origin_of``, ``source``, ``key``, ``label()``, with the values those checks read (``doi``,
    ``issn``, ``isbn``, ``year``, ``month``, ``pages``) taken from the entry's fields (with crossref/xdata
    inheritance) and a :class:`~mscbib.model.Provenance` made only for a field a finding names.
    Building a full Record per entry was a third of a check run."""

    __slots__ = ("_path", "_line", "_values", "key")

    def __init__(self, ctx: CheckContext, e: BibEntry) -> None:
        self._path, self._line, self.key = ctx.bib.path, e.line, e.key
        fields = e.by_name if not ("crossref" in e or "xdata" in e) else ctx.bib.resolved(e)
        values: dict[str, tuple] = {}  # record field -> (value, the field it came from); blank ones left out
        get = fields.get
        if (f := get("doi")) is not None and (v := f.value) and v.strip():
            values["doi"] = (_doi_of(v), f)
        for name in ("issn", "isbn"):
            if (f := get(name)) is not None and (v := f.value) and v.strip() and (ids := split_identifiers(v)):
                values[name] = (ids, f)
        if (f := get("year")) is not None and (v := f.value) and v.strip():
            values["year"] = (v.strip(), f)
        elif (f := get("date")) is not None and (v := f.value):
            m = _YEAR_START.match(v)
            if year := (m.group(1) if m else v.strip()):
                values["year"] = (year, f)
        if (f := get("month")) is not None and (v := f.value) and v.strip():
            values["month"] = (_month_of(v), f)
        if (f := get("pages")) is not None and (v := f.value) and (pages := _pages_of(v)):
            values["pages"] = (pages, f)
        self._values = values

    def get(self, name: str, default=None):
        v = self._values.get(name)
        return default if v is None else v[0]

    def __contains__(self, name: str) -> bool:
        return name in self._values

    @property
    def doi(self) -> str | None:
        return self.get("doi")

    @property
    def source(self) -> Provenance:
        return Provenance("bibtex", self._path, self._line, "bibtex")

    def origin_of(self, name: str) -> Provenance | None:
        v = self._values.get(name)
        if v is None:
            return None
        f = v[1]
        return Provenance("bibtex", self._path, f.line if f.inherited_from is None else self._line, "bibtex")

    def label(self) -> str:
        return self.key or self.doi or self.source.where()


def record_of(ctx: CheckContext, e: BibEntry) -> EntryRecord:
    """The entry as validate.py's checks read a record (made once per entry and run)."""
    slot = ctx.network.get(id(e))
    if slot is None:
        slot = ctx.network[id(e)] = {}
    rec = slot.get("record")
    if rec is None:
        rec = slot["record"] = EntryRecord(ctx, e)
    return rec


def full_record_of(ctx: CheckContext, e: BibEntry) -> Record:
    """The entry as a :class:`~mscbib.model.Record` (the BibTeX reader's, crossref/xdata inherited), for the
    checks plug-ins install: they may read any field. Made once per entry, only when a plug-in check runs."""
    slot = ctx.network.setdefault(id(e), {})
    rec = slot.get("full record")
    if rec is None:
        from ...sources.bibtex import record_from_entry  # the one .bib → Record bridge

        fields = ctx.bib.resolved(e) if ("crossref" in e or "xdata" in e) else None
        rec = slot["full record"] = record_from_entry(e, ctx.bib.path, fields=fields)
        rec.key = e.key
    return rec


@entry_check("validate", "DOI001", "ISS001", "ISB001", "DAT001", "DAT002", "DAT003", "PAG001")
def _validate(ctx: CheckContext, e: BibEntry):
    if ctx.record_checks is None:
        ctx.record_checks = [c for c in registry.checks("record") if c.name not in _ENTRY_OWN]
    for info in ctx.record_checks:
        rec = full_record_of(ctx, e) if info.plugin else record_of(ctx, e)
        for finding in info.fn(rec):
            fld = e.field(finding.field) if finding.field else None
            yield issue(ctx, e, finding.code, finding.severity, finding.message, fld=fld, line=finding.line)


@library_check("validate-library", "DUP001", "KEY001")
def _validate_library(ctx: CheckContext):
    entries = ctx.bib.entries
    entry_of = {e.key: e for e in entries}  # a key's last entry
    for info in registry.checks("records"):
        records = [full_record_of(ctx, e) if info.plugin else record_of(ctx, e) for e in entries]
        for finding in info.fn(records):
            e = entry_of.get(finding.key) if finding.key else None
            # the second of two entries with one key: find it by its line
            if e is not None and finding.code == "KEY001":
                e = next((x for x in entries if x.key == finding.key and x.duplicate_key), e)
                finding_line = e.line
            else:
                finding_line = finding.line
            yield issue(ctx, e, finding.code, finding.severity, finding.message, fld=finding.field, line=finding_line)


# -- dates, pages, volumes ----------------------------------------------------------------------------
@entry_check("month-form", "DAT004")
def _month_form(ctx: CheckContext, e: BibEntry):
    f = e.field("month")
    if f is None or f.value is None or not (f.raw.startswith(("{", '"'))):
        return
    n = parse_month(f.value)
    if n and not f.value.strip().isdigit():
        yield issue(
            ctx,
            e,
            "DAT004",
            Severity.INFO,
            f"month {f.raw} written as text; the macro lets styles abbreviate and translate it",
            fld=f,
            fix=f"write month = {MONTHS[n - 1]}",
            edit=_edit(f, MONTHS[n - 1]),
        )


_ONE_DASH = re.compile(r"^\s*[A-Za-z]?\d+[A-Za-z]?\s*(?:-|–|—|‐|‑|---)\s*[A-Za-z]?\d+[A-Za-z]?\s*$")


@entry_check("page-form", "PAG002")
def _page_form(ctx: CheckContext, e: BibEntry):
    f = e.field("pages")
    if f is None or not f.value or not _ONE_DASH.match(f.value):
        return
    fixed = normalize_pages(f.value.replace("---", "-"))
    if fixed and "--" in fixed and fixed != f.value:
        yield issue(
            ctx,
            e,
            "PAG002",
            Severity.INFO,
            f"page range {f.value!r} needs an en dash: --",
            fld=f,
            fix=f"write it as {fixed}",
            edit=_edit(f, _rewrap(f, fixed)),
        )


_VOLUME_BAD = re.compile(r"(?i)^\s*(?:vol|no|nr|issue|iss)\b\.?|\(|\s\d")


@entry_check("volume-form", "VOL001")
def _volume_form(ctx: CheckContext, e: BibEntry):
    for name in ("volume", "number", "issue"):
        f = e.field(name)
        if f is not None and f.value and _VOLUME_BAD.search(f.value.strip()):
            yield issue(
                ctx,
                e,
                "VOL001",
                Severity.WARNING,
                f"{name} {f.value!r} holds more than the {name} (a label, an issue, or two numbers)",
                fld=f,
            )


# -- names and text ---------------------------------------------------------------------------------


_UNESCAPED = re.compile(r"(?<!\\)[&%#_]")
_MATH = re.compile(r"(?<!\\)\$.*?(?<!\\)\$|\\(?:url|href|path|verb)\{[^}]*\}")


@entry_check("text", "TXT001", "TXT002", "TXT003")
def _text(ctx: CheckContext, e: BibEntry):
    for f in e.fields:
        v = f.value
        if not v:
            continue
        if ("{" in v or "}" in v) and not braces_balanced(v):
            yield issue(ctx, e, "TXT001", Severity.ERROR, f"{f.name} has unbalanced braces", fld=f)
        if f.name not in _VERBATIM and _UNESCAPED.search(v):
            bare = _MATH.sub("", v) if ("$" in v or "\\" in v) else v
            chars = sorted(set(_UNESCAPED.findall(bare)))
            if chars:
                yield issue(
                    ctx,
                    e,
                    "TXT002",
                    Severity.WARNING,
                    f"{f.name} has unescaped {' '.join(chars)}; LaTeX needs {' '.join(chr(92) + c for c in chars)}",
                    fld=f,
                )
        seq = mojibake(v)
        if seq:
            yield issue(ctx, e, "TXT003", Severity.WARNING, mojibake_message(f.name, seq), fld=f)


@entry_check("names", "NAM001", "NAM002")
def _names(ctx: CheckContext, e: BibEntry):
    for name in ("author", "editor"):
        f = e.field(name)
        if f is None or not f.value:
            continue
        names = split_names(" ".join(f.value.split()))
        if names and names[-1].lower() == "others":
            yield issue(
                ctx, e, "NAM001", Severity.INFO, f"{name} list ends in 'and others': the full list is not given", fld=f
            )
            names = names[:-1]
        comma = [n for n in names if "," in _depth0(n)]
        plain = [n for n in names if "," not in _depth0(n) and len(_depth0(n).split()) >= 2]
        if comma and plain:
            yield issue(
                ctx,
                e,
                "NAM002",
                Severity.WARNING,
                f"{name} mixes 'Last, First' ({comma[0]!r}) with 'First Last' ({plain[0]!r}); "
                "check each name splits as meant",
                fld=f,
            )


def _depth0(s: str) -> str:
    """The characters of ``s`` outside braces (a braced group becomes one 'X')."""
    if "{" not in s and "}" not in s:
        return s
    out, depth = [], 0
    for c in s:
        if c == "{":
            if depth == 0:
                out.append("X")
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0:
            out.append(c)
    return "".join(out)


_TOKEN = re.compile(r"[^\s:;,.?!()\[\]\"{}]+")
_CAPITAL_INSIDE = re.compile(r"[^\s:;,.?!()\[\]\"{}][A-Z]")


@entry_check("title", "TTL001", "TTL002")
def _title(ctx: CheckContext, e: BibEntry):
    f = e.field("title")
    if f is None or not f.value:
        return
    text = f.text()
    if in_capitals(text):
        yield issue(ctx, e, "TTL001", Severity.WARNING, CAPITALS_MESSAGE, fld=f)
        return
    value = f.value
    if "$" in value or f.raw[1:-1] != value:
        return
    if value.isascii() and not _CAPITAL_INSIDE.search(value):
        return  # needs_protection wants a capital after a word's first character: there is none
    words: list[tuple[int, int, str]] = []
    for seg_start, seg_end in _depth0_segments(value):
        for m in _TOKEN.finditer(value, seg_start, seg_end):
            w = m.group(0)
            glued = (m.end() == seg_end and seg_end < len(value)) or (m.start() == seg_start and seg_start > 0)
            # w[1:].islower(): no capital after the first letter, which needs_protection asks for (fast path)
            if "\\" in w or glued or w[1:].islower() or not needs_protection(w):
                continue
            words.append((m.start(), m.end(), w))
    if words:
        new = value
        for s0, s1, w in reversed(words):
            new = new[:s0] + "{" + w + "}" + new[s1:]
        names = ", ".join(w for _, _, w in words)
        yield issue(
            ctx,
            e,
            "TTL002",
            Severity.WARNING,
            f"title words {names} are not braced: styles that lowercase titles will change them",
            fld=f,
            fix="brace " + ", ".join("{" + w + "}" for _, _, w in words),
            edit=_edit(f, _rewrap(f, new)),
        )


_UNESCAPED_BRACE = re.compile(r"(?<!\\)[{}]")


def _depth0_segments(value: str):
    """(start, end) of the stretches of ``value`` outside braces."""
    depth, start = 0, 0
    for m in _UNESCAPED_BRACE.finditer(value):
        i = m.start()
        if m.group(0) == "{":
            if depth == 0 and i > start:
                yield start, i
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                start = i + 1
    if depth == 0 and start < len(value):
        yield start, len(value)


# -- keys and the library -----------------------------------------------------------------------------
_KEY_SAFE = re.compile(r"^[A-Za-z0-9_:.\-+/]+$")
_KEY_BREAKS = re.compile(r"[\s,{}%#\\~$&^\"'=()]")


@entry_check("key-characters", "KEY002")
def _key_chars(ctx: CheckContext, e: BibEntry):
    if _KEY_SAFE.match(e.key):
        return
    bad = sorted(set(c for c in e.key if not re.match(r"[A-Za-z0-9_:.\-+/]", c)))
    severity = Severity.ERROR if (_KEY_BREAKS.search(e.key) or not e.key) else Severity.WARNING
    yield issue(
        ctx,
        e,
        "KEY002",
        severity,
        f"citation key {e.key!r} has characters that break LaTeX or pandoc: {' '.join(map(repr, bad)) or 'empty'}",
    )


def _first_family(e: BibEntry) -> str:
    """The last word of the comparable first family name (bibfile.first_family: the one reading of it)."""
    fam = first_family(e.get("author") or e.get("editor") or "")
    return _family_key(fam) if fam else ""


@lru_cache(maxsize=8192)
def _family_key(fam: str) -> str:
    """The last word of the comparable form of a family name (family names repeat: made once each)."""
    c = comparable(fam)
    return c.split()[-1] if c else ""


#: Titles at least this similar (rapidfuzz ratio, 0-100) with the same year and first author are one work.
DUP_TITLE_SCORE = 95


def near_duplicates(bib) -> list[tuple[BibEntry, BibEntry]]:
    """The pairs (first, later) of entries DUP002 reports: the same first author, year and title (ratio >=
    :data:`DUP_TITLE_SCORE`), not both with a DOI; each later entry once, with the first entry it matches. The
    one finding of them: the check and ``check --fix --merge-duplicates`` (:mod:`.merge`).

    Near-linear: entries are blocked by (year, first author's family name), and inside a block only the
    pairs that can be a duplicate are compared — two entries that both carry a DOI never are (same DOI is DUP001,
    different DOIs are different works) — so the entries without a DOI are scored against the whole block at
    once with ``rapidfuzz.process.cdist``: a block of k entries without a DOI and m with costs k × (k + m)."""
    out: list[tuple[BibEntry, BibEntry]] = []
    buckets: dict[tuple[str, str], list[BibEntry]] = defaultdict(list)
    for e in bib.entries:
        if e.type in ("xdata", "set") or e.duplicate_key:
            continue
        year = (e.get("year") or e.get("date") or "")[:4]
        if not year or not e.get("title"):
            continue
        fam = _first_family(e)
        if fam:
            buckets[(year, fam)].append(e)
    for group in buckets.values():
        if len(group) < 2:
            continue
        dois = [normalize_doi(x.get("doi")) for x in group]
        bare = [i for i, d in enumerate(dois) if not d]  # the entries without a DOI
        if not bare:
            continue
        titles = [comparable(t.text()) if (t := x.field("title")) is not None else "" for x in group]
        # candidates a little below the cut (cdist's scores are float32), each confirmed by fuzz.ratio
        scores = process.cdist([titles[i] for i in bare], titles, scorer=fuzz.ratio, score_cutoff=DUP_TITLE_SCORE - 1)
        pairs: dict[int, set[int]] = defaultdict(set)  # later entry j → earlier entries i it may duplicate
        for row, col in zip(*scores.nonzero()):
            a, b = bare[int(row)], int(col)
            if a != b:
                pairs[max(a, b)].add(min(a, b))
        for j in sorted(pairs):  # as before: j ascending, then i ascending; each entry reported once
            for i in sorted(pairs[j]):
                if titles[i] and fuzz.ratio(titles[i], titles[j], score_cutoff=DUP_TITLE_SCORE) >= DUP_TITLE_SCORE:
                    out.append((group[i], group[j]))
                    break
    return out


@library_check("fuzzy-duplicates", "DUP002")
def _fuzzy_duplicates(ctx: CheckContext):
    """DUP002: :func:`near_duplicates`."""
    for first, later in near_duplicates(ctx.bib):
        yield issue(
            ctx,
            later,
            "DUP002",
            Severity.WARNING,
            f"looks like the same work as {first.key} (line {first.line}): same first author, year and title",
        )
