"""The write stage: the library and its cited file, atomically; the blocks no reader could parse written back
(:func:`mscbib.writers.write_library`). A refusal (fewer entries than the file holds) is ``library.not_written``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Collection

from ...model import Library
from ...refs import cited_entries, cited_path
from ...writers import OutputRefused, write_library
from ...writers.options import DEFAULT_SORT

__all__ = ["Write"]


@dataclass
class Write:
    output: str | None
    cited_output: str | None = None
    force: bool = False
    sort: str = DEFAULT_SORT  # --sort, --drop-fields: mscbib.writers.options
    drop: Collection[str] = ()
    name: str = "write"

    def __call__(self, library: Library) -> Library:
        if self.output is None:
            return library
        try:
            backups = write_library(
                library.records,
                cited_entries(library.records, library.cited),
                self.output,
                self.cited_output or cited_path(self.output),
                failed=library.failures,
                force=self.force,
                sort=self.sort,
                drop=self.drop,
            )
        except OutputRefused as exc:
            library.not_written = str(exc)
        else:
            library.backups = [str(b) for b in backups]
            library.output = self.output
        return library
