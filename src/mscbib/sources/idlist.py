"""Plain lists of identifiers: one DOI (or DOI URL, ``doi:`` form) per line, ``#`` comments allowed.

Every line that is not blank or a comment must hold exactly one identifier; a line that does not is
reported with its number, and the others are still read.
"""

from __future__ import annotations

import re

from ..identifiers import DOI_PATTERN, normalize_doi
from ..model import FailedInput, Record
from .base import Lines, ReadResult

__all__ = ["IdentifierList"]

_COMMENT = re.compile(r"\s+#.*$")


def _content_lines(text: str):
    for n, line in enumerate(text.splitlines(), 1):
        s = _COMMENT.sub("", line).strip()
        if s and not s.startswith("#"):
            yield n, s


class IdentifierList:
    name = "doi-list"

    def match(self, text: str) -> bool:
        lines = [s for _, s in _content_lines(text[:20000])]
        if not lines:
            return False
        hits = sum(1 for s in lines if len(s.split()) == 1 and DOI_PATTERN.search(s))
        return hits >= max(1, int(0.8 * len(lines)))

    def read(self, text: str, path: str) -> ReadResult:
        page = Lines(text, path, self.name)
        result = ReadResult()
        for n, s in _content_lines(text):
            doi = normalize_doi(s) if len(s.split()) == 1 else None
            if doi is None:
                result.failures.append(FailedInput(path, f"not a DOI: {s!r}", line=n, raw=s))
                continue
            rec = Record(source=page.at(n, origin=self.name))
            rec.set("doi", doi, page.at(n, origin=self.name))
            result.records.append(rec)
        return result
