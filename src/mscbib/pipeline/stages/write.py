"""The write stage: the library and its cited file, atomically; the blocks no reader could parse written back
(:func:`mscbib.writers.write_library`). A refusal (fewer entries than the file holds) is ``library.not_written``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Collection, Mapping

from ...journals import DEFAULT_JOURNAL_FORM, issns_to_ask, journal_forms
from ...model import Finding, Library, Severity
from ...refs import cited_entries, cited_path
from ...writers import OutputRefused, write_library
from ...writers.options import DEFAULT_LAYOUT, DEFAULT_SORT, Layout

__all__ = ["Write"]


@dataclass
class Write:
    output: str | None
    cited_output: str | None = None
    force: bool = False
    sort: str = DEFAULT_SORT  # --sort, --drop-fields: mscbib.writers.options
    drop: Collection[str] = ()
    journal: str = DEFAULT_JOURNAL_FORM  # --journal: mscbib.journals
    layout: Layout = DEFAULT_LAYOUT  # --field-order, --indent, --wrap: mscbib.writers.options
    #: ISSNs -> the journal titles Crossref holds (mscbib.journals.crossref_journal_titles), for --journal full
    journal_titles: Callable[[list[str]], Mapping[str, str]] | None = None
    name: str = "write"

    def __call__(self, library: Library) -> Library:
        if self.output is None:
            return library
        # --journal (mscbib.journals): the library and its cited works as one pool, so that a cited work's
        # abbreviation gets the full title a library entry states beside it, and the other way round
        # (a library entry that is cited is in both files: one record, counted once)
        cited_all = cited_entries(library.records, library.cited)
        n = len(library.records)
        mine = {id(r): i for i, r in enumerate(library.records)}
        outside = [r for r in cited_all if id(r) not in mine]
        pool = [*library.records, *outside]
        issns = issns_to_ask(pool, self.journal) if self.journal_titles else []
        titles = self.journal_titles(issns) if self.journal_titles and issns else {}
        pool, summary = journal_forms(pool, self.journal, issn_titles=titles)
        records, rest = pool[:n], iter(pool[n:])
        cited = [records[mine[id(r)]] if id(r) in mine else next(rest) for r in cited_all]
        if summary.text():  # what it did, and how many it left (JRN001, printed by the build command)
            library.findings.append(Finding("JRN001", Severity.INFO, summary.text(), field="journal"))
        try:
            backups = write_library(
                records,
                cited,
                self.output,
                self.cited_output or cited_path(self.output),
                failed=library.failures,
                force=self.force,
                sort=self.sort,
                drop=self.drop,
                layout=self.layout,
            )
        except OutputRefused as exc:
            library.not_written = str(exc)
        else:
            library.backups = [str(b) for b in backups]
            library.output = self.output
        return library
