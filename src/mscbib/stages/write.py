"""The write stage: the library and its cited file, atomically; the blocks no reader could parse written back
(:func:`mscbib.writers.write_library`). A refusal (fewer entries than the file holds) is ``library.not_written``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Collection

from ..journals import DEFAULT_JOURNAL_FORM, journal_forms
from ..model import Finding, Library, Severity
from ..refs import cited_entries, cited_path
from ..writers import OutputRefused, write_library
from ..writers.options import DEFAULT_LAYOUT, DEFAULT_SORT, Layout

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
    name: str = "write"

    def __call__(self, library: Library) -> Library:
        if self.output is None:
            return library
        records, summary = journal_forms(library.records, self.journal)
        cited, cited_summary = journal_forms(cited_entries(library.records, library.cited), self.journal)
        if summary.text():  # what --journal did, and how many it left (JRN001, printed by the build command)
            summary.changed = {
                s: summary.changed.get(s, 0) + cited_summary.changed.get(s, 0)
                for s in {*summary.changed, *cited_summary.changed}
            }
            summary.left += cited_summary.left
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
