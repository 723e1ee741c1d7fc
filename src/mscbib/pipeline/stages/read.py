"""The read stage: input paths -> records, and what could not be read (kept, never dropped)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ...model import Library
from ...sources import expand_inputs, read_file

__all__ = ["Read"]


@dataclass
class Read:
    """Folders expanded once (``library.inputs``), then each file read by the reader its content names
    (or ``format``), in ``encoding`` (default: detected)."""

    inputs: Sequence[str]
    format: str | None = None
    encoding: str | None = None
    name: str = "read"

    def __call__(self, library: Library) -> Library:
        library.inputs = expand_inputs(self.inputs)
        for path in library.inputs:
            got = read_file(path, self.format, self.encoding)
            library.records.extend(got.records)
            library.failures.extend(got.failures)
            library.warnings.extend(got.warnings)
        return library
