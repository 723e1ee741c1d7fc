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
from ..textio import NotText, decode_bytes
from ..plugins import plugin_readers
from .base import Reader, ReadResult
from .bibtex import BibtexFile
from .catalog import CatalogRecord
from .csljson import CslJson
from .idlist import IdentifierList
from .landing import LandingPage
from .medline import MedlineFile
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
    # a .bib file is BibTeX whatever it starts with: `build` reads what `check` reads (one .bib reader)
    reader = _by_name(format) if format else (_by_name("bibtex") if path.lower().endswith(".bib") else detect(text))
    if reader is None:
        kinds = ", ".join(r.name for r in READERS)
        return ReadResult(failures=[FailedInput(path, f"not a recognised input (looked for: {kinds})")])
    if getattr(reader, "rejoins_wrapped_dois", True):
        text = rejoin_wrapped_dois(text)  # line count kept: line numbers still point into the file
    try:
        return reader.read(text, path)
    except Exception as exc:  # a reader bug must not stop the other inputs; it is reported, with its cause
        return ReadResult(failures=[FailedInput(path, f"{reader.name} reader failed: {type(exc).__name__}: {exc}")])


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
            out += sorted(str(f) for f in path.rglob("*") if f.is_file()
                          and not any(part.startswith(".") for part in f.relative_to(path).parts))
        else:
            out.append(str(path))
    return out


def read_inputs(paths: Iterable[str | os.PathLike[str]], format: str | None = None,
                encoding: str | None = None) -> ReadResult:
    result = ReadResult()
    for f in expand_inputs(paths):
        result.extend(read_file(f, format, encoding))
    return result
