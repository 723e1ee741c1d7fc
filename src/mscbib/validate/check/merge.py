"""``check --fix --merge-duplicates``: merge the entries DUP001 reports (one DOI under several keys) and those DUP002
reports (near duplicates: the same first author, year and title, no two DOIs), losing nothing.

Of each group of entries with one DOI, the first in the file is kept with its key; the others' keys go to its
``ids`` field (biblatex's entry-key aliases, so ``\\cite`` of any of them still works), together with any ``ids``
they had; every field the kept entry lacks is copied from the first other entry that has it (as written: its
raw text, macros and braces included, except a macro defined only after the kept entry: its value, braced); a
field both have with different values is a *conflict*: it is reported and the kept entry's value stays. The other entries are then removed. Everything is a span edit of the file text
(:class:`~.registry.Edit`), applied with the safe fixes by :func:`~.engine.fix_file`: one diff, one backup, one
atomic write, and ``--dry-run`` changes nothing.

A near duplicate (DUP002, :func:`plan_near_merges`) is merged the same way, and as its values differ more often
(a journal abbreviated in one entry and full in the other, a title's case), nothing of the other entry is lost there
either: a conflicting ``journal`` that is the shorter goes into ``shortjournal`` when the kept entry has none, and
every other conflicting value into the kept entry's ``annote`` (``Merged from KEY: field = value``). A group whose
entries carry two different DOIs is not merged (two DOIs: two works).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from ...bibfile import BibEntry, BibField, BibFile, _split_concat, braces_balanced
from .checks import _doi_of, _ids_of, near_duplicates
from .registry import Edit

__all__ = ["Merge", "plan_merges", "plan_near_merges"]

_SPACE = re.compile(r"\s+")


@dataclass
class Merge:
    """What merging one DOI's entries does."""

    doi: str
    kept: str  # the key kept
    merged: list[str]  # the other keys, now in ``ids``
    line: int  # the kept entry's line
    filled: list[str] = field(default_factory=list)  # fields copied from the others
    #: (field, the kept value, another key, its value): reported, the kept value stays
    conflicts: list[tuple[str, str, str, str]] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    near: bool = False  # a DUP002 merge: the others' conflicting values are kept (shortjournal, annote)
    #: where each conflicting value of the others went, in a near merge: field -> "shortjournal" or "annote"
    kept_as: dict[str, str] = field(default_factory=dict)

    def describe(self, path: str | None = None) -> list[str]:
        where = f"{path}:{self.line}: " if path else ""
        why = "same first author, year and title" if self.near else f"DOI {self.doi}"
        lines = [
            f"{where}merge {', '.join(self.merged)} into {self.kept} ({why}): "
            f"ids = {{{', '.join(self.merged)}}}"
            + (f"; fields added from the others: {', '.join(self.filled)}" if self.filled else "")
        ]
        for name, kept, key, other in self.conflicts:
            stays = f"{self.kept}'s value stays"
            if name in self.kept_as:
                stays += f", {key}'s goes into {self.kept_as[name]}"
            lines.append(f"  conflict in {name}: {self.kept} has {kept!r}, {key} has {other!r}; {stays}")
        return lines


def _same(name: str, a: str | None, b: str | None) -> bool:
    if name == "doi":
        return _doi_of(a or "").lower() == _doi_of(b or "").lower()
    if name == "ids":
        return True  # unioned, never a conflict
    return _SPACE.sub(" ", (a or "").strip()) == _SPACE.sub(" ", (b or "").strip())


def _raw_at(bib: BibFile, f: BibField, line: int) -> str:
    """The field's value as written, to be written at ``line``: as it is, unless it names an @string macro
    defined after that line (BibTeX reads macros in order): then its value, braced."""
    later = [
        t
        for t in _split_concat(f.raw)
        if t[:1] not in ("{", '"') and not t.isdigit() and bib.string_lines.get(t.strip().lower(), 0) > line
    ]
    return "{" + f.value + "}" if later and f.value is not None else f.raw


def _groups(bib: BibFile) -> list[list[BibEntry]]:
    by_doi: dict[str, list[BibEntry]] = {}
    for e in bib.entries:
        v = e.get("doi")
        if v and v.strip():
            by_doi.setdefault(_doi_of(v).lower(), []).append(e)
    return [g for g in by_doi.values() if len(g) > 1]


def _removal(text: str, e: BibEntry) -> Edit:
    """Remove the entry and the blank space after it (up to the next line's text)."""
    end = e.span[1]
    while end < len(text) and text[end] in " \t\r\n":
        end += 1
    return Edit(e.span[0], end, "")


def _layout(text: str, e: BibEntry) -> tuple[str, int, str]:
    """How the entry writes a field: (indent, width of the name and the spaces before ``=``, what follows it),
    from its first field: ``  pages        = {…}`` gives ``("  ", 13, " ")``."""
    first = e.fields[0] if e.fields else None
    if first is not None and first.span is not None:
        start = text.rfind("\n", 0, first.span[0]) + 1
        m = re.fullmatch(r"([ \t]*)(\S+?[ \t]*)=([ \t]*)", text[start : first.span[0]])
        if m and m.group(1):
            return m.group(1), len(m.group(2)), m.group(3)
    return "  ", 0, " "  # name = value


def _field(layout: tuple[str, int, str], name: str, raw: str) -> str:
    indent, width, after = layout
    head = name.ljust(width) if len(name) < width else name + (" " if after else "")
    return f"{indent}{head}={after}{raw}"


def _merge(bib: BibFile, group: list[BibEntry], near: bool = False) -> Merge:
    text = bib.text
    kept, others = group[0], group[1:]
    doi = next((d for d in (e.get("doi") for e in group) if d and d.strip()), "")
    m = Merge(doi=_doi_of(doi), kept=kept.key, merged=[], line=kept.line, near=near)
    aliases: list[str] = []
    for key in (
        _ids_of(kept.get("ids") or "")
        + [o.key for o in others]
        + [k for o in others for k in _ids_of(o.get("ids") or "")]
    ):
        if key != kept.key and key not in aliases:
            aliases.append(key)
    m.merged = [o.key for o in others if o.key != kept.key] or [o.key for o in others]
    own = {f.name for f in kept.fields}
    added: list[tuple[str, str]] = []  # (name, raw) to insert
    for o in others:
        for f in o.fields:
            if f.inherited_from or f.name == "ids":
                continue
            if f.name in own:
                kf = kept.field(f.name)
                if (
                    kf is not None
                    and not _same(f.name, kf.value, f.value)
                    and not any(c[0] == f.name and c[3] == f.value for c in m.conflicts)
                ):
                    m.conflicts.append((f.name, kf.value or "", o.key, f.value or ""))
                continue
            own.add(f.name)
            m.filled.append(f.name)
            added.append((f.name, _raw_at(bib, f, kept.line)))
    if near and m.conflicts:
        added += _keep_conflicts(kept, others, m, own)
    ids_value = "{" + ", ".join(aliases) + "}"
    kept_ids = kept.field("ids")
    if aliases and kept_ids is not None and kept_ids.span is not None:
        m.edits.append(Edit(kept_ids.span[0], kept_ids.span[1], ids_value))
    elif aliases:
        added.insert(0, ("ids", ids_value))
    if added:
        close = kept.span[1] - 1  # the entry's closing brace (or parenthesis)
        pos = close
        while pos > kept.span[0] and text[pos - 1] in " \t\r\n":
            pos -= 1
        layout = _layout(text, kept)
        trailing = text[pos - 1] == ","
        body = ",\n".join(_field(layout, name, raw) for name, raw in added)
        new = (f"\n{body}," if trailing else f",\n{body}") + text[pos:close]
        if "\n" not in text[pos:close]:
            new += "\n"
        m.edits.append(Edit(pos, close, new))
    m.edits.extend(_removal(text, o) for o in others)
    return m


def _as_written(entry: BibEntry, name: str, value: str) -> str:
    """The field's text as the file writes it (LaTeX kept), without its outer braces or quotes; else ``value``."""
    f = entry.field(name)
    raw = f.raw.strip() if f is not None else ""
    if len(raw) >= 2 and (raw[0], raw[-1]) in (("{", "}"), ('"', '"')) and braces_balanced(raw[1:-1]):
        return raw[1:-1]
    return value


def _keep_conflicts(kept: BibEntry, others: list[BibEntry], m: Merge, own: set[str]) -> list[tuple[str, str]]:
    """A near merge loses no value: the fields to add for the others' conflicting values (a shorter journal as
    ``shortjournal``, the rest as lines of ``annote``); an ``annote`` the kept entry has gets the lines (an edit)."""
    added: list[tuple[str, str]] = []
    notes: list[str] = []
    by_key = {o.key: o for o in others}
    for name, kept_value, key, value in m.conflicts:
        other = _as_written(by_key[key], name, value) if key in by_key else value
        if name == "journal" and _same(name, kept.get("shortjournal"), value):  # its abbreviation: there already
            m.kept_as[name] = "shortjournal"
        elif name == "journal" and "shortjournal" not in own and len(value) < len(kept_value):
            added.append(("shortjournal", "{" + other + "}"))
            own.add("shortjournal")
            m.kept_as[name] = "shortjournal"
        else:
            notes.append(f"Merged from {key}: {name} = {other}")
            m.kept_as[name] = "annote"
    if notes:
        annote = kept.field("annote")
        if annote is not None and annote.span is not None and annote.value is not None:
            own_text = _as_written(kept, "annote", annote.value)
            m.edits.append(Edit(annote.span[0], annote.span[1], "{" + "\n".join([own_text, *notes]) + "}"))
        else:
            added.append(("annote", "{" + "\n".join(notes) + "}"))
    return added


def plan_merges(bib: BibFile) -> list[Merge]:
    """The merges of every group of entries with one DOI (DUP001), in file order. Changes nothing."""
    return [_merge(bib, g) for g in _groups(bib)]


def plan_near_merges(bib: BibFile, exclude: Iterable[Merge] = ()) -> list[Merge]:
    """The merges of the near duplicates DUP002 reports (:func:`.checks.near_duplicates`), each group into its
    first entry, in file order; an entry of a merge in ``exclude`` (the DOI merges planned beside them) is left
    out, as is a group with two different DOIs. Changes nothing."""
    taken = {k for m in exclude for k in (m.kept, *m.merged)}
    groups: dict[int, list[BibEntry]] = {}
    first_of: dict[int, BibEntry] = {}
    for first, later in near_duplicates(bib):
        head = first_of.get(id(first), first)  # a chain a <- b <- c: one group, into a
        if head.key in taken or later.key in taken:
            continue
        groups.setdefault(id(head), [head])
        if later not in groups[id(head)]:
            groups[id(head)].append(later)
        first_of[id(later)] = head
    out = []
    for group in groups.values():
        dois = {_doi_of(d).lower() for d in (e.get("doi") for e in group) if d and d.strip()}
        if len(dois) > 1:
            continue
        group.sort(key=lambda e: e.span[0])
        out.append(_merge(bib, group, near=True))
    return sorted(out, key=lambda m: m.line)
