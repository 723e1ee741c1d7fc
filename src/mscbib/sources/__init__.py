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
from .base import Lines, Reader, ReadResult
from .bibtex import BibtexFile
from .catalog import CatalogRecord
from .csljson import CslJson
from .idlist import IdentifierList
from .landing import LandingPage
from .medline import MedlineFile
from .page import PageReader, add_evidence
from .pubmed import PubMedPage
from .reflist import ReferenceList
from .ris import RisFile

__all__ = ["READERS", "Reader", "ReadResult", "detect", "read_text", "read_file", "read_inputs", "expand_inputs"]

#: Built-in readers, most specific first: the first whose ``match`` says yes reads the text.
#: Structured formats come first (their signatures are unambiguous), then page layouts.
READERS: list[Reader] = [IdentifierList(), RisFile(), MedlineFile(), CslJson(), BibtexFile(), CatalogRecord(),
                         LandingPage(), PubMedPage(), ReferenceList()]
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
            return reader
    return None


def read_text(text: str, path: str, format: str | None = None) -> ReadResult:
    reader = _by_name(format) if format else detect(text)
    if reader is None:
        kinds = ", ".join(r.name for r in READERS)
        return ReadResult(failures=[FailedInput(path, f"not a recognised input (looked for: {kinds})")])
    if getattr(reader, "rejoins_wrapped_dois", True):
        text = rejoin_wrapped_dois(text)  # line count kept: line numbers still point into the file
    try:
        result = reader.read(text, path)
        if reader.name in PAGE_READERS and not format:
            result = _with_page_evidence(result, text, path, reader.name)
        return result
    except Exception as exc:  # a reader bug must not stop the other inputs; it is reported, with its cause
        return ReadResult(failures=[FailedInput(path, f"{reader.name} reader failed: {type(exc).__name__}: {exc}")])


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


def decode(data: bytes, path: str) -> tuple[str | None, FailedInput | None]:
    if b"\x00" in data[:8192]:
        return None, FailedInput(path, "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, FailedInput(path, f"not UTF-8 text (byte {exc.start}: {exc.reason})", line=line)


def read_file(path: str | os.PathLike[str], format: str | None = None) -> ReadResult:
    p = str(path)
    try:
        data = Path(p).read_bytes()
    except OSError as exc:
        return ReadResult(failures=[FailedInput(p, f"cannot read: {exc.strerror or exc}")])
    text, failure = decode(data, p)
    if failure:
        return ReadResult(failures=[failure])
    if not text.strip():
        return ReadResult(failures=[FailedInput(p, "empty file")])
    return read_text(text, p, format)


def expand_inputs(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Files named, and the files inside folders named (sorted, hidden files skipped)."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out += sorted(str(f) for f in path.rglob("*") if f.is_file()
                          and not any(part.startswith(".") for part in f.relative_to(path).parts))
        else:
            out.append(str(path))
    return out


def read_inputs(paths: Iterable[str | os.PathLike[str]], format: str | None = None) -> ReadResult:
    result = ReadResult()
    for f in expand_inputs(paths):
        result.extend(read_file(f, format))
    return result
