"""Views of a written library (the ``.bib`` files a build made): the library functions behind ``mscbib tags`` and
``mscbib refs``. Pure but for reading the files; the commands only print what these return.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Provenance, Record, TagSource
from ..refs import cited_path
from ..tags import Vocabulary, tag_record
from .graph import read_entries
from .subset import closest_keys

__all__ = [
    "NoSuchEntry",
    "find_entry",
    "tag_counts",
    "TagExplanation",
    "explain_tags",
    "ReferenceRow",
    "reference_rows",
    "library_files",
]


class NoSuchEntry(KeyError):
    """No entry ``key`` in ``files``; ``near``: the closest keys there are (a mistyped or outdated key)."""

    def __init__(self, key: str, files: list[str], near: list[str]) -> None:
        super().__init__(key)
        self.key, self.files, self.near = key, files, near

    def __str__(self) -> str:
        hint = f"; closest: {', '.join(self.near)}" if self.near else ""
        return f"no entry {self.key!r} in {', '.join(self.files)}{hint}"


def _tags_of(fields: dict[str, str]) -> list[str]:
    return [t.strip() for t in fields.get("keywords", "").split(",") if t.strip()]


def tag_counts(entries: dict[str, dict[str, str]]) -> list[tuple[str, int]]:
    """Every tag of the entries (their ``keywords``) with how many entries have it, most used first."""
    counts = Counter(t for f in entries.values() for t in _tags_of(f))
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))


@dataclass
class TagExplanation:
    """Why an entry has ``tag``: the vocabulary's matches (``reasons``), or none — then it came from the input's
    keywords or Crossref's subjects, and ``topic`` is the vocabulary topic that phrase names, if any."""

    tag: str
    reasons: list[TagSource] = field(default_factory=list)
    topic: str | None = None


def find_entry(
    entries: dict[str, dict[str, str]], key: str, files: list[str], among: list[str] | None = None
) -> dict[str, str]:
    """Entry ``key``'s fields, or :class:`NoSuchEntry` with the closest keys ``among`` (default: all)."""
    if key not in entries:
        raise NoSuchEntry(key, files, closest_keys(key, among if among is not None else list(entries)))
    return entries[key]


def explain_tags(f: dict[str, str], vocabulary: Vocabulary, file: str) -> list[TagExplanation]:
    """The vocabulary re-applied to an entry's title and abstract (``f``: its fields, read from ``file``): for each
    of its tags, what matched where."""
    src = Provenance("bibtex", file)
    rec = Record(source=src)
    for name in ("title", "abstract"):
        rec.set(name, " ".join(f.get(name, "").replace("{", "").replace("}", "").split()), src)
    why = tag_record(rec, vocabulary)
    out = []
    for tag in _tags_of(f):
        reasons = [w for w in why if w.tag.casefold() == tag.casefold()]
        out.append(TagExplanation(tag, reasons, None if reasons else vocabulary.topic_of_phrase(tag)))
    return out


@dataclass
class ReferenceRow:
    """One reference of an entry: its number, the cited key, ``status`` (``library``: the cited work is an entry
    of the library; ``doi``: a cited work with a DOI; ``text``: kept as printed), DOI, title (or note) and year."""

    number: int
    key: str
    status: str
    doi: str | None
    what: str
    year: str


def library_files(library: str) -> list[str]:
    """The library and, when it exists, its cited file beside it (:func:`mscbib.refs.cited_path`)."""
    return [library] + [p for p in [cited_path(library)] if Path(p).is_file()]


def reference_rows(key: str, library: str) -> list[ReferenceRow]:
    """Entry ``key``'s references in order, read from ``library`` and its cited file. An entry in neither:
    :class:`NoSuchEntry` (the closest keys are the library's)."""
    files = library_files(library)
    entries = read_entries(files)
    own = [k for k, f in entries.items() if f.get("_file") == library]
    cites = [k.strip() for k in find_entry(entries, key, files, own).get("cites", "").split(",") if k.strip()]
    rows = []
    for i, k in enumerate(cites, 1):
        f = entries.get(k, {})
        status = "library" if f.get("_file") == library else ("doi" if f.get("doi") else "text")
        what = " ".join(f.get("title", f.get("note", "")).replace("{", "").replace("}", "").split())
        rows.append(ReferenceRow(i, k, status, f.get("doi"), what, f.get("year", "")))
    return rows
