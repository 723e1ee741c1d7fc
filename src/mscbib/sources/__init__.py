"""Readers: one module per input kind, all behind the :class:`~mscbib.sources.base.Reader` contract.

:func:`read_inputs` expands folders, decodes files, picks the reader by content (or by the
``format`` asked for) and gathers records and failures. It never raises on bad input. Before a reader
sees the text, DOIs a copy broke across lines are put back together
(:func:`~mscbib.identifiers.rejoin_wrapped_dois`), unless the reader sets ``rejoins_wrapped_dois = False``
(the identifier list, whose lines are independent by definition).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from ..identifiers import rejoin_wrapped_dois
from ..model import FailedInput
from ..plugins import plugin_readers
from ..textio import NotText, decode_bytes
from .base import BinaryReader, Lines, Reader, ReadResult
from .bibtex import BibtexFile
from .catalog import CatalogRecord
from .csljson import CslJson
from .html import HtmlPage
from .idlist import IdentifierList
from .landing import LandingPage
from .medline import MedlineFile
from .page import PageReader, add_evidence, states_a_page
from .pdf import PdfFile
from .pubmed import PubMedPage
from .reflist import ReferenceList
from .ris import RisFile

__all__ = ["READERS", "Reader", "ReadResult", "detect", "read_text", "read_file", "read_inputs", "expand_inputs"]

#: Built-in readers, most specific first: the first whose ``match`` says yes reads the text.
#: Structured formats come first (their signatures are unambiguous), then page layouts.
READERS: list[Reader] = [
    PdfFile(),
    HtmlPage(text_reader=lambda text, path: _read_visible_text(text, path)),
    IdentifierList(),
    RisFile(),
    MedlineFile(),
    CslJson(),
    BibtexFile(),
    CatalogRecord(),
    LandingPage(),
    PubMedPage(),
    ReferenceList(),
]
#: Readers other packages install (entry-point group ``mscbib.sources``), tried after the built-ins.
READERS += plugin_readers(READERS)
#: The general page reader last: any prose text the others do not claim is read by the evidence it states.
READERS.append(PageReader())
#: Site readers (one page layout each): what they read first, the general page reader fills in after them.
PAGE_READERS = frozenset({"catalog", "landing", "pubmed"})


def _by_name(name: str) -> Reader:
    for r in READERS:
        if r.name == name:
            return r
    raise ValueError(f"unknown input format {name!r}; known: {', '.join(r.name for r in READERS)}")


def detect(text: str) -> Reader | None:
    for reader in READERS:
        if reader.match(text):
            if reader.name == "references" and states_a_page(text):
                return READERS[-1]  # an article's page whose lines pass for references: read by its evidence
            return reader
    return None


def _read_visible_text(text: str, path: str) -> ReadResult | None:
    """A saved web page's visible text, read as a copied page (:class:`~mscbib.sources.html.HtmlPage`); text
    that reads as markup again is not followed."""
    reader = detect(text)
    if reader is None or reader.name in ("html", "pdf"):
        return None
    return read_text(text, path)


def read_text(text: str, path: str, format: str | None = None) -> ReadResult:
    # a .bib file is BibTeX whatever it starts with: `build` reads what `check` reads (one .bib reader)
    reader = _by_name(format) if format else (_by_name("bibtex") if path.lower().endswith(".bib") else detect(text))
    if reader is None:
        kinds = ", ".join(r.name for r in READERS)
        return ReadResult(failures=[FailedInput(path, f"not a recognised input (looked for: {kinds})")])
    if getattr(reader, "rejoins_wrapped_dois", True):
        text = rejoin_wrapped_dois(text)  # line count kept: line numbers still point into the file
    try:
        result = reader.read(text, path)
        if reader.name in PAGE_READERS and not format:
            result = _with_page_evidence(result, text, path, reader.name)
    except Exception as exc:  # a reader bug must not stop the other inputs; it is reported, with its cause
        return ReadResult(failures=[FailedInput(path, f"{reader.name} reader failed: {type(exc).__name__}: {exc}")])
    if not result.records and not result.failures and text.strip():  # `--format bibtex` on a DOI list
        result.failures.append(FailedInput(path, f"the {reader.name} reader found nothing to read in it"))
    elif reader.name not in _REPORT_OWN_LEFTOVERS and (format or reader.name not in _PROSE_READERS):
        # a page that a reader recognised by its evidence prints other works' identifiers (references, "cited
        # by", related articles): not unread input. A format forced on a file is checked (a DOI list as pubmed)
        result.failures += unread_identifiers(text, path, result, reader.name)
    return result


#: readers whose format has blocks, each block read or reported as a failure by the reader itself
_REPORT_OWN_LEFTOVERS = {"doi-list", "csl-json", "bibtex", "ris", "medline"}
#: readers of prose pages, recognised by what the page states
_PROSE_READERS = PAGE_READERS | {"page", "html"}


def unread_identifiers(text: str, path: str, result: ReadResult, reader: str) -> list[FailedInput]:
    """Lines that hold nothing but a DOI, PMID or PMCID that no record read from the file carries (nor any of its
    references): what a reader left unread (``--format pubmed`` on a DOI list reads one record of twenty). One
    failure naming the first such line and how many there are; none when every identifier was read."""
    from .idlist import _content_lines, parse_identifier

    known: set[str] = set()
    for rec in result.records:
        for name in ("doi", "pmid", "pmcid"):
            if rec.get(name):
                known.add(str(rec.get(name)).lower())
        for ref in rec.references:
            known.update(str(v).lower() for v in (ref.doi, ref.pmid, ref.pmcid) if v)
    unread = []
    for n, line in _content_lines(text):
        ident = parse_identifier(line)
        # a bare number is a PMID only in a list; on a page it is a volume, a page, a count
        if ident is None or (ident[0] != "doi" and line.strip().rstrip(".,;").isdigit()):
            continue
        if ident[1].lower() not in known:
            unread.append((n, ident[1]))
    if not unread:
        return []
    n, first = unread[0]
    more = f" and {len(unread) - 1} more lines like it" if len(unread) > 1 else ""
    return [
        FailedInput(
            path,
            f"left unread by the {reader} reader: {first}{more} (no record read from the file "
            "carries it; a list of identifiers is read as doi-list without --format)",
            line=n,
        )
    ]


def _with_page_evidence(result: ReadResult, text: str, path: str, site: str) -> ReadResult:
    """A site reader's record, completed by the general page reader; a page the site reader could not read
    is read by the general reader alone."""
    page = Lines(text, path, site)
    if result.records:
        for rec in result.records[:1]:
            add_evidence(page, rec, site)
        return result
    general = READERS[-1].read(text, path)
    return general if general.records else result


def decode(data: bytes, path: str, encoding: str | None = None) -> tuple[str | None, FailedInput | None]:
    """The file's text (:func:`mscbib.textio.decode_bytes`: BOMs, UTF-16/32, UTF-8, else detected), or why not."""
    try:
        return decode_bytes(data, path, encoding).text, None
    except NotText as exc:
        return None, FailedInput(path, exc.reason, line=exc.line)


def read_file(path: str | os.PathLike[str], format: str | None = None, encoding: str | None = None) -> ReadResult:
    p = str(path)
    try:
        data = Path(p).read_bytes()
    except OSError as exc:
        return ReadResult(failures=[FailedInput(p, f"cannot read: {exc.strerror or exc}")])
    for reader in READERS:  # a binary format (PDF) is read from the bytes, before any decoding as text
        if isinstance(reader, BinaryReader) and (reader.name == format if format else reader.match_bytes(data)):
            try:
                return reader.read_bytes(data, p)
            except Exception as exc:  # as in read_text: a reader bug is reported, never raised
                reason = f"{reader.name} reader failed: {type(exc).__name__}: {exc}"
                return ReadResult(failures=[FailedInput(p, reason)])
    try:
        decoded = decode_bytes(data, p, encoding)
    except NotText as exc:
        return ReadResult(failures=[FailedInput(p, exc.reason, line=exc.line)])
    text = decoded.text
    if not text.strip():
        return ReadResult(failures=[FailedInput(p, "empty file")])
    result = read_text(text, p, format)
    if decoded.warning:  # the encoding was guessed: say which, naming the file
        result.warnings.insert(0, FailedInput(p, decoded.warning.removeprefix(f"{p}: ")))
    return result


def expand_inputs(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Files named, and the files inside folders named (sorted, hidden files skipped)."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out += sorted(
                str(f)
                for f in path.rglob("*")
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(path).parts)
            )
        else:
            out.append(str(path))
    return out


def read_inputs(
    paths: Iterable[str | os.PathLike[str]], format: str | None = None, encoding: str | None = None
) -> ReadResult:
    result = ReadResult()
    for f in expand_inputs(paths):
        result.extend(read_file(f, format, encoding))
    return result
