"""``mscbib check``'s side of the one check registry (:mod:`mscbib.registry`): what a ``.bib`` check gets and gives.

An *entry check* gets ``(ctx, entry)`` and yields :class:`Issue`; a *library check* gets ``ctx``
and yields issues over all entries. Checks whose meaning is the same as one in
:mod:`mscbib.validate` (DOI001, ISS001, ISB001, DAT001-003, PAG001, DUP001, KEY001) are not
written twice: :mod:`mscbib.validate.check.checks` runs the registry's record checks on each entry — the
built-ins on a light view of it, the plug-ins' on a :class:`~mscbib.model.Record` read from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from ...bibfile import BibEntry, BibField, BibFile
from ...model import Finding, Severity
from ...registry import CHECKS, CheckInfo
from ...registry import register as _register

__all__ = ["Edit", "Issue", "CheckContext", "CHECKS", "CheckInfo", "entry_check", "library_check", "issue"]


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` by ``new``. Fixes only ever edit such spans."""

    start: int
    end: int
    new: str


@dataclass
class Issue:
    finding: Finding
    edit: Edit | None = None
    #: the fix needs --enrich (it adds data from Crossref rather than normalising the file's own)
    enrich: bool = False


@dataclass
class CheckContext:
    bib: BibFile
    model: str = "bibtex"  # "bibtex" or "biblatex"
    #: per-entry Crossref results filled by the network checks: id(entry) -> dict
    network: dict[int, dict] = field(default_factory=dict)
    #: the registry's record checks this file runs per entry (asked of :mod:`mscbib.registry` once per file)
    record_checks: list[CheckInfo] | None = None


def entry_check(name: str, *codes: str, network: bool = False):
    """Register ``(ctx, entry) -> issues`` in the one registry (:mod:`mscbib.registry`)."""

    def register(fn: Callable[[CheckContext, BibEntry], Iterable[Issue]]):
        _register(CheckInfo(name, codes, fn, "entry", network))
        return fn

    return register


def library_check(name: str, *codes: str, network: bool = False):
    """Register ``ctx -> issues`` (over the whole file) in the one registry."""

    def register(fn: Callable[[CheckContext], Iterable[Issue]]):
        _register(CheckInfo(name, codes, fn, "library", network))
        return fn

    return register


def issue(
    ctx: CheckContext,
    entry: BibEntry | None,
    code: str,
    severity: Severity,
    message: str,
    *,
    fld: BibField | str | None = None,
    line: int | None = None,
    fix: str | None = None,
    edit: Edit | None = None,
    enrich: bool = False,
) -> Issue:
    """Make an issue; the line is the field's, else the entry's, unless given."""
    if isinstance(fld, str):
        fld = entry.field(fld) if entry else None
        name = fld.name if fld else None
    else:
        name = fld.name if fld else None
    if line is None:
        line = fld.line if fld is not None and fld.inherited_from is None else (entry.line if entry else None)
    finding = Finding(
        code, severity, message, key=entry.key if entry else None, field=name, file=ctx.bib.path, line=line, fix=fix
    )
    return Issue(finding, edit if fix else None, enrich)
