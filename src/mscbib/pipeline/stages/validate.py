"""The validate stage, once every key exists: the checks (:mod:`mscbib.validate`) and the inputs that could not be
read (IN001) or were read with a doubt (IN003) become ``library.findings``."""

from __future__ import annotations

from dataclasses import dataclass

from ...model import Finding, Library, Severity
from ...validate import validate

__all__ = ["Validate"]


@dataclass
class Validate:
    name: str = "validate"

    def __call__(self, library: Library) -> Library:
        library.findings.extend(validate(library.records))
        library.findings.extend(
            Finding("IN001", Severity.ERROR, f.reason, file=f.file, line=f.line) for f in library.failures
        )
        library.findings.extend(
            Finding("IN003", Severity.WARNING, f.reason, file=f.file, line=f.line) for f in library.warnings
        )
        return library
