"""A list of printed references, one per line or per numbered item (a manuscript's reference list, a
reading list copied from a paper): each becomes a record, parsed by
:func:`~mscbib.sources.refstring.parse_many` (the trained reference model: any style — Vancouver/NLM, APA, Harvard,
Chicago, IEEE, ACS, physics, Springer, MDPI, Frontiers — and any kind: articles, books, chapters, theses,
reports, preprints, web pages). Every reference gives a record, which keeps the printed text (``printed``) when
it has no title; only a line in which the model finds nothing at all (no author, title, container, year,
identifier or URL) is reported, with its number. A heading (``References``) is skipped."""

from __future__ import annotations

import re

from ..model import FailedInput, Record
from ..text import clean_text
from ._common import Gated
from .base import Lines, ReadResult
from .refstring import Citation, parse_many

__all__ = ["ReferenceList"]

_ITEM = re.compile(r"^\s*(?:\[\d+\]|\d+\.|\d+\))\s+")
_HEADING = re.compile(
    r"^(?:(?:list of |cited )?references?(?: cited)?|bibliography|literature(?: cited)?|works cited|"
    r"sources|notes|referencias(?: bibliográficas)?|referências(?: bibliográficas)?|"
    r"références(?: bibliographiques)?|literatur(?:verzeichnis)?|bibliographie|bibliograf[ií]a|"
    r"література|список (?:використаної )?літератури|литература|список литературы|参考文献|참고문헌)"
    r"\s*:?$",
    re.IGNORECASE,
)
#: searched from each "(", "19" and "20" (where every match starts): ``re`` skips to them, where the pattern's
#: ``\\b`` had it tried at every place of the line
_YEARISH = Gated(r"(?:\((?:19|20)\d{2}[a-z]?\)|\b(?:19|20)\d{2}\s*;|\b(?:19|20)\d{2}\.|\b(?:19|20)\d{2},)", r"\(|19|20")


_NUM = re.compile(r"^\s*[\[(]?(\d{1,5})")


def _numbered(lines: list[str]) -> bool:
    """Is this a numbered list, whose unnumbered lines continue the item above (a wrapped copy)? Yes when its
    numbers run on (1, 2, 3…) or nearly every line is numbered; a list of one reference per line, some of which
    happen to start with their own old number (``52. Gallagher SK…``, ``8070. Brownrigg…``), is not."""
    # the pattern only on lines that can start an item ("[" or a digit after the white space)
    nums = [
        int(num.group(1))
        for line in lines
        if ((c := line.lstrip()[:1]) == "[" or c.isdecimal()) and _ITEM.match(line) and (num := _NUM.match(line))
    ]
    filled = sum(1 for line in lines if line.strip())
    if not nums:
        return False
    if len(nums) == 1:
        return bool(_ITEM.match(next(line for line in lines if line.strip())))
    steps = sum(1 for a, b in zip(nums, nums[1:]) if b == a + 1)
    return steps >= 0.6 * (len(nums) - 1) or len(nums) >= 0.8 * filled


def _items(text: str, lines: list[str] | None = None, cleaned: list[str] | None = None):
    """``(line, text)`` per reference: a numbered item runs on until the next number or a blank line; in an
    unnumbered list each line is one reference. ``lines`` and ``cleaned``: the text's lines and each through
    :func:`~mscbib.text.clean_text`, where the caller has them."""
    current: list = []
    if lines is None:
        lines = text.splitlines()
    numbered = _numbered(lines[:400])  # else: one reference per line
    for n, raw in enumerate(lines, 1):
        s = clean_text(raw) if cleaned is None else cleaned[n - 1]
        if not s or s.startswith("#"):
            if current:
                yield current[0], " ".join(current[1:])
                current = []
            continue
        if _ITEM.match(s) or not current or not numbered:
            if current:
                yield current[0], " ".join(current[1:])
            current = [n, _ITEM.sub("", s)]
        else:
            current.append(s)
    if current:
        yield current[0], " ".join(current[1:])


class ReferenceList:
    name = "references"

    def match(self, text: str) -> bool:
        head = text[:20000]
        # a text that fits is split and cleaned as the page readers do, once (Lines keeps the last text's lines):
        # the general page reader, which reads most texts refused here, finds them done
        page = Lines(head, "", self.name) if head is text else None
        lines = page.lines if page is not None else head.splitlines()
        # there are at most as many items as lines: more misses than 20 % of the lines can never make 80 %
        # hits, so the count stops there (a page is refused after a few lines, not after all of them)
        most_misses = 0.2 * sum(1 for line in lines if line.strip()) + 0.5
        hits = misses = 0
        cleaned = page.cleaned() if page is not None else None
        if cleaned is not None and not _numbered(lines[:400]):
            # one reference per line, as _items gives them: the number pattern only where a line can start one
            items = (_ITEM.sub("", s) if s[0] == "[" or s[0].isdigit() else s for s in cleaned if s and s[0] != "#")
        else:
            items = (s for _, s in _items(head, lines, cleaned))
        for s in items:
            if len(s) > 40 and s.count(" ") > 5 and ("19" in s or "20" in s) and _YEARISH.search(s):  # cheap first
                hits += 1
            else:
                misses += 1
                if misses > most_misses:
                    return False
        return hits + misses > 0 and hits >= max(1, round(0.8 * (hits + misses)))

    def read(self, text: str, path: str) -> ReadResult:
        page = Lines(text, path, self.name)
        result = ReadResult()
        items = [(n, s) for n, s in _items(text) if not _HEADING.match(s)]
        # the whole list parsed at once (the model tags a batch several times faster per reference); a reference
        # printed twice in one list (the same text once cleaned) is parsed once: the records take copies of its
        # values (Record.set copies lists), so one Citation serves both
        texts = list(dict.fromkeys(s for _, s in items))
        parsed: dict[str, Citation] = dict(zip(texts, parse_many(texts)))
        for n, s in items:
            c = parsed[s]
            if not (
                c.title
                or c.doi
                or c.pmid
                or c.pmcid
                or c.arxiv
                or c.isbn
                or c.url
                or c.authors
                or c.year
                or c.container
            ):
                result.failures.append(
                    FailedInput(path, "a reference this reader cannot split into its parts", line=n, raw=s)
                )
                continue
            src = page.at(n, self.name)
            rec = Record(source=src)
            if not c.title:  # kept as printed, so the reference is not lost (the BibTeX writer notes it)
                rec.printed = c.text
            for name in (
                "doi",
                "pmid",
                "pmcid",
                "title",
                "year",
                "volume",
                "issue",
                "pages",
                "publisher",
                "type",
                "url",
            ):
                rec.set(name, getattr(c, name), src)
            if c.isbn:
                rec.set("isbn", [c.isbn], src)
            if c.container:
                journal = c.container
                abbreviated = c.container_kind == "journal" and (
                    "." in journal
                    or not re.search(r"\b(?:of|and|the|in)\b", journal)
                    and all(len(w) <= 8 for w in journal.split())
                    and len(journal.split()) > 1
                )
                rec.set("journal_abbrev" if abbreviated else "journal", journal, src)
            if c.authors:
                rec.set("authors", c.authors, src)
                rec.set("authors_complete", c.authors_complete, src)
            if c.editors:
                rec.set("editors", c.editors, src)
            result.records.append(rec)
        return result
