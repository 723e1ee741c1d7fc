"""Read any BibTeX / BibLaTeX file, keeping everything it holds and where it is.

``bibtexparser`` v2's splitter cuts the text into blocks; this module adds what a checker and a
reader need on top of it, without ever re-serialising the file:

* every entry with its 1-based start line, its character span in the text, and each field with
  its line, its **raw** value (``{...}``, ``"..."``, a macro, a ``#`` concatenation) and the
  character span of that raw value, so that a fix can replace exactly those characters;
* the **decoded** value: enclosing removed, ``@string`` macros (and the standard month macros)
  resolved, ``#`` joined; :meth:`BibField.text` further turns LaTeX into Unicode (lazily: it is
  the slow part);
* ``@string``, ``@preamble`` and comments;
* ``crossref`` / ``xdata`` inheritance (:meth:`BibFile.resolved`);
* blocks that did not parse, as :class:`FailedBlock` with line, reason and raw text: nothing the
  user wrote is dropped.

Public API::

    bib = parse_bib(text, path="refs.bib")       # or read_bib(path)
    for entry in bib.entries:
        entry.key, entry.type, entry.line, entry.span
        entry.get("doi")                         # decoded value or None
        f = entry.field("title"); f.raw, f.value, f.text(), f.line, f.span
    bib.resolved(entry)                          # fields with crossref/xdata inheritance
    bib.failed                                   # [FailedBlock(line, reason, raw)]
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import logging
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ExplicitComment,
    ImplicitComment,
    ParsingFailedBlock,
    Preamble,
    String,
)
from bibtexparser.splitter import Splitter

__all__ = ["BibField", "BibEntry", "FailedBlock", "BibFile", "parse_bib", "read_bib", "MONTH_MACROS",
           "latex_to_text", "split_names", "gc_paused"]

#: BibTeX's predefined month macros and what they expand to.
MONTH_MACROS = {m[:3]: m for m in ("january", "february", "march", "april", "may", "june", "july", "august",
                                   "september", "october", "november", "december")}
_MONTH_TEXT = {k: v.capitalize() for k, v in MONTH_MACROS.items()}

_LATEX_NODES = None
_SPLITTER_LOG = logging.getLogger("bibtexparser.splitter")


def latex_to_text(s: str) -> str:
    """LaTeX → Unicode (``{\\\"u}`` → ``ü``, ``\\&`` → ``&``, ``$\\beta$`` → ``β``, ``~`` → a no-break space,
    braces dropped). Plain text passes through untouched and fast; only values with a backslash, ``$`` or
    ``~`` go through ``pylatexenc``."""
    if "\\" not in s and "$" not in s and "~" not in s:
        return s.replace("{", "").replace("}", "") if ("{" in s or "}" in s) else s
    global _LATEX_NODES
    if _LATEX_NODES is None:
        from pylatexenc.latex2text import LatexNodes2Text
        # math as text: a title's {$\beta$}-catenin is β-catenin to a reader and to Crossref
        _LATEX_NODES = LatexNodes2Text(math_mode="text", strict_latex_spaces=True)
    try:
        return _LATEX_NODES.latex_to_text(s)
    except Exception:  # pylatexenc gives up on some malformed input: keep the text, minus braces
        return s.replace("{", "").replace("}", "")


_UNSET = object()


@contextlib.contextmanager
def gc_paused():
    """Pause Python's cyclic garbage collector while a bulk of long-lived objects is built.

    A 20,000-entry file makes some half a million small objects that all stay alive; each collection
    pass walked all of them again and freed nothing, which cost a check run about a third of its time.
    Reference counting frees garbage as usual meanwhile; whatever cycles there are (an entry and its
    fields) are collected once the collector runs again. Restored as it was (not forced on) at the end."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class BibField:
    """One ``name = value`` of an entry. ``span`` is the (start, end) character span of ``raw``
    in the file text (``None`` if it could not be located); ``line`` is 1-based.

    Both ``value`` (the decoded value) and ``span`` are worked out lazily, on first use: a check run
    reads the decoded value of most fields but the span only of those a fix edits."""

    __slots__ = ("name", "raw", "line", "_span", "_value", "_undefined", "inherited_from", "_strings", "_entry")

    def __init__(self, name: str, raw: str, line: int, span: tuple[int, int] | None = None,
                 value: str | None = None, undefined_macros: tuple[str, ...] = (),
                 inherited_from: str | None = None, *, strings: dict[str, str] | None = None,
                 entry: "BibEntry | None" = None) -> None:
        self.name = name  # lower case
        self.raw = raw
        self.line = line
        self.inherited_from = inherited_from  # the key of the entry it was inherited from
        # with ``strings`` the value is decoded from ``raw`` on first use, against those @string macros
        self._strings = strings
        self._value = _UNSET if strings is not None else value
        self._undefined = undefined_macros
        # with ``entry`` the span is located on first use (all of that entry's spans at once)
        self._entry = entry
        self._span = _UNSET if entry is not None else span

    def _decode_now(self) -> None:
        self._value, self._undefined = _decode(self.raw, self._strings)
        self._strings = None

    @property
    def value(self) -> str | None:
        """Decoded: enclosing removed, macros resolved, ``#`` joined; None when it uses an undefined macro."""
        if self._value is _UNSET:
            self._decode_now()
        return self._value

    @value.setter
    def value(self, v: str | None) -> None:
        self._value, self._strings = v, None

    @property
    def undefined_macros(self) -> tuple[str, ...]:
        if self._value is _UNSET:
            self._decode_now()
        return self._undefined

    @undefined_macros.setter
    def undefined_macros(self, v: tuple[str, ...]) -> None:
        if self._value is _UNSET:
            self._decode_now()
        self._undefined = v

    @property
    def span(self) -> tuple[int, int] | None:
        if self._span is _UNSET:
            self._entry._locate_spans()
        return self._span

    @span.setter
    def span(self, v: tuple[int, int] | None) -> None:
        self._span, self._entry = v, None

    def text(self) -> str:
        """The value as Unicode text (LaTeX decoded)."""
        return latex_to_text(self.value or "")

    @property
    def braced(self) -> bool:
        return self.raw.startswith("{") and self.raw.endswith("}")

    def __repr__(self) -> str:
        return (f"BibField(name={self.name!r}, raw={self.raw!r}, line={self.line}, value={self.value!r}"
                + (f", inherited_from={self.inherited_from!r}" if self.inherited_from else "") + ")")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BibField):
            return NotImplemented
        return (self.name, self.raw, self.line, self.span, self.value, self.undefined_macros,
                self.inherited_from) == (other.name, other.raw, other.line, other.span, other.value,
                                         other.undefined_macros, other.inherited_from)

    __hash__ = None  # type: ignore[assignment]  (mutable, as the dataclass it replaces)


@dataclass
class BibEntry:
    type: str  # lower case, without "@"
    key: str
    line: int  # 1-based line of the "@"
    span: tuple[int, int]  # character span of the whole entry in the text
    fields: list[BibField] = field(default_factory=list)
    raw: str = ""
    duplicate_key: bool = False  # another entry earlier in the file has the same key
    duplicate_fields: tuple[str, ...] = ()

    #: first field per name, made on first use (the checks look fields up a dozen times per entry)
    _index: dict | None = dataclasses.field(default=None, repr=False, compare=False)

    @property
    def by_name(self) -> dict[str, BibField]:
        """The first field of each name (a name given twice is FLD003; tools keep the first). Read-only."""
        idx = self._index
        if idx is None:
            idx = self._index = {f.name: f for f in reversed(self.fields)}
        return idx

    def field(self, name: str) -> BibField | None:
        idx = self._index
        return (idx if idx is not None else self.by_name).get(name)

    def get(self, name: str, default: str | None = None) -> str | None:
        idx = self._index
        f = (idx if idx is not None else self.by_name).get(name)
        return default if f is None or f.value is None else f.value

    def __contains__(self, name: str) -> bool:
        idx = self._index
        return name in (idx if idx is not None else self.by_name)

    #: the file text the spans are located in (set by the parse; None for a hand-made entry)
    _text: str | None = dataclasses.field(default=None, repr=False, compare=False)

    def _locate_spans(self) -> None:
        """Find the character span of every field's raw value (the parse defers this: only fixes need it)."""
        spans = None
        if self._text is not None and self.span != (0, 0):
            spans = _field_spans(self._text, self.span[0], self.span[1], [f.name for f in self.fields])
        for i, f in enumerate(self.fields):
            if f._span is _UNSET:
                f._span, f._entry = (spans[i] if spans else None), None


@dataclass
class FailedBlock:
    """A block the parser could not read; kept verbatim (``raw``) with its line and the reason."""

    line: int
    reason: str
    raw: str
    span: tuple[int, int] | None = None


@dataclass
class BibFile:
    path: str | None
    text: str
    entries: list[BibEntry] = field(default_factory=list)
    strings: dict[str, str] = field(default_factory=dict)  # lower-case macro name -> decoded value
    string_lines: dict[str, int] = field(default_factory=dict)
    preambles: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    failed: list[FailedBlock] = field(default_factory=list)
    encoding: str = "utf-8"  # how the file was decoded (a rewrite uses the same)
    #: :meth:`resolved` per entry: id(entry) -> (entry, fields)
    _resolved: dict = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def by_key(self) -> dict[str, BibEntry]:
        """First entry per key, case-insensitive (as BibTeX and biber look them up)."""
        out: dict[str, BibEntry] = {}
        for e in self.entries:
            out.setdefault(e.key.lower(), e)
        return out

    def parents(self, entry: BibEntry) -> list[tuple[str, str, BibEntry | None]]:
        """``[(relation, key, parent or None)]`` for the entry's ``crossref`` and ``xdata`` keys."""
        out = []
        for rel in ("crossref", "xdata"):
            v = entry.get(rel)
            if not v:
                continue
            for key in ([v.strip()] if rel == "crossref" else [k.strip() for k in v.split(",")]):
                if key:
                    out.append((rel, key, self.by_key.get(key.lower())))
        return out

    def resolved(self, entry: BibEntry, _depth: int = 0) -> dict[str, BibField]:
        """The entry's fields with those inherited through ``crossref`` / ``xdata`` added (its own win).

        A parent's ``title`` becomes the child's ``booktitle`` (BibLaTeX's default inheritance for
        ``@inproceedings``/``@incollection``/``@inbook``); other fields are inherited under their names.
        """
        if _depth == 0:
            cached = self._resolved.get(id(entry))
            if cached is not None and cached[0] is entry:
                return dict(cached[1])
        fields = {f.name: f for f in reversed(entry.fields)}
        if _depth > 8:  # a crossref cycle: stop, the checker reports it
            return fields
        if "crossref" not in fields and "xdata" not in fields:
            if _depth == 0:
                self._resolved[id(entry)] = (entry, fields)
                return dict(fields)
            return fields
        for _rel, key, parent in self.parents(entry):
            if parent is None or parent is entry:
                continue
            for name, f in self.resolved(parent, _depth + 1).items():
                if name in ("crossref", "xdata", "ids"):
                    continue
                target = name
                if name == "title" and entry.type in ("inproceedings", "incollection", "inbook", "bookinbook"):
                    target = "booktitle"
                if target not in fields:
                    fields[target] = BibField(target, f.raw, f.line, None, f.value, f.undefined_macros,
                                              inherited_from=parent.key)
        if _depth == 0:  # computed once per entry (the checks ask more than once); callers get a copy
            self._resolved[id(entry)] = (entry, fields)
            return dict(fields)
        return fields

    def line_of(self, offset: int) -> int:
        """1-based line of a character offset in :attr:`text`."""
        return bisect_right(self._line_starts, offset)

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0] + [m.end() for m in re.finditer("\n", self.text)]


# -- the parse ------------------------------------------------------------------------------------

_VALUE_MARK = re.compile(r'(?<!\\)[{}",]')
_PAREN_VALUE_MARK = re.compile(r'(?<!\\)[{}",)]')
_TOKEN_SPLIT = re.compile(r"\s*#\s*")


def _value_end(text: str, pos: int, closing: str) -> int:
    """Index of the ``,`` or closing delimiter ending the value starting at ``pos`` (as the splitter)."""
    marks = (_PAREN_VALUE_MARK if closing == ")" else _VALUE_MARK).finditer(text, pos)
    depth, quoted = 0, False
    for m in marks:
        c = m.group(0)
        i = m.start()
        if c == '"' and depth == 0:
            if quoted and i > 0 and text[i - 1] == "{" and text[i + 1:i + 2] == "}":
                continue
            quoted = not quoted
        elif c == "{" and not quoted:
            depth += 1
        elif c == "}" and not quoted and depth > 0:
            depth -= 1
        elif (c == "," or c == closing) and not quoted and depth == 0:
            return i
    return -1


def _field_spans(text: str, start: int, end: int, names: list[str]) -> list[tuple[int, int]] | None:
    """Character spans of the raw values of an entry's fields, in order; ``None`` when they cannot be
    matched one-to-one with ``names`` (then no fix touches that entry)."""
    opener = re.compile(r"@\s*\w*\s*([{(])").match(text, start)
    if not opener:
        return None
    closing = "}" if opener.group(1) == "{" else ")"
    comma = text.find(",", opener.end(), end)
    if comma < 0:
        return [] if not names else None
    pos = comma + 1
    spans = []
    for name in names:
        eq = text.find("=", pos, end)
        if eq < 0 or text[pos:eq].strip().lower() != name:
            return None
        vend = _value_end(text, eq + 1, closing)
        if vend < 0 or vend > end:
            return None
        vstart = eq + 1
        while vstart < vend and text[vstart].isspace():
            vstart += 1
        vstop = vend
        while vstop > vstart and text[vstop - 1].isspace():
            vstop -= 1
        spans.append((vstart, vstop))
        pos = vend + 1
    return spans


def _decode(raw: str, strings: dict[str, str]) -> tuple[str | None, tuple[str, ...]]:
    """Decode a raw value: ``{x}``/``"x"`` → ``x``; numbers stay; macros resolve; ``#`` joins."""
    if raw.startswith("{") and raw.endswith("}") and "#" not in raw:
        return raw[1:-1], ()
    parts: list[str] = []
    missing: list[str] = []
    for token in _split_concat(raw):
        if len(token) >= 2 and ((token[0] == "{" and token[-1] == "}") or (token[0] == '"' and token[-1] == '"')):
            parts.append(token[1:-1])
        elif token.isdigit():
            parts.append(token)
        else:
            name = token.lower()
            if name in strings:
                parts.append(strings[name])
            elif name in _MONTH_TEXT:
                parts.append(_MONTH_TEXT[name])
            else:
                missing.append(token)
    if missing:
        return None, tuple(missing)
    return "".join(parts), ()


def _split_concat(raw: str) -> list[str]:
    """Split ``a # {b} # "c"`` at the ``#`` outside braces and quotes."""
    if "#" not in raw:
        return [raw.strip()]
    out, depth, quoted, cur = [], 0, False, []
    for ch in raw:
        if ch == '"' and depth == 0:
            quoted = not quoted
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        if ch == "#" and depth == 0 and not quoted:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur).strip())
    return [t for t in out if t]


def parse_bib(text: str, path: str | None = None) -> BibFile:
    """Parse BibTeX/BibLaTeX ``text``. Never raises on bad input: failed blocks are in ``.failed``."""
    if text.startswith("\ufeff"):
        text = text[1:]
    bib = BibFile(path=path, text=text)
    # the splitter logs each failed block as a warning on stderr; we report them ourselves, with lines
    level = _SPLITTER_LOG.level
    _SPLITTER_LOG.setLevel(logging.CRITICAL)
    with gc_paused():
        try:
            library = Splitter(text).split()
        finally:
            _SPLITTER_LOG.setLevel(level)
        _add_blocks(bib, library)
    # values are decoded on first use, when every @string is known (BibTeX wants them before use; biber
    # does not care); spans are located on first use too
    return bib


def _add_blocks(bib: BibFile, library) -> None:
    text = bib.text
    line_starts = bib._line_starts
    for block in library.blocks:
        raw = block.raw or ""
        line0 = block.start_line or 0
        base = line_starts[line0] if line0 < len(line_starts) else 0
        pos = text.find(raw, base) if raw else -1
        if pos < 0 and raw:
            pos = text.find(raw)
        span = (pos, pos + len(raw)) if pos >= 0 else None
        if isinstance(block, DuplicateFieldKeyBlock):
            _add_entry(bib, block.ignore_error_block, span, duplicate_fields=tuple(sorted(block.duplicate_keys)))
        elif isinstance(block, DuplicateBlockKeyBlock):
            inner = block.ignore_error_block
            if isinstance(inner, Entry):
                _add_entry(bib, inner, span, duplicate_key=True)
            elif isinstance(inner, String):
                _add_string(bib, inner)
        elif isinstance(block, ParsingFailedBlock):
            err = block.error
            reason = getattr(err, "abort_reason", None) or str(err)
            bib.failed.append(FailedBlock(line0 + 1, " ".join(reason.split()), raw, span))
        elif isinstance(block, Entry):
            _add_entry(bib, block, span)
        elif isinstance(block, String):
            _add_string(bib, block)
        elif isinstance(block, Preamble):
            bib.preambles.append(block.value)
        elif isinstance(block, (ExplicitComment, ImplicitComment)):
            bib.comments.append(block.comment)


def _add_string(bib: BibFile, block: String) -> None:
    value, _ = _decode(block.value, bib.strings)
    bib.strings[block.key.lower()] = value if value is not None else block.value
    bib.string_lines[block.key.lower()] = (block.start_line or 0) + 1


def _add_entry(bib: BibFile, block: Entry, span: tuple[int, int] | None, *, duplicate_key: bool = False,
               duplicate_fields: tuple[str, ...] = ()) -> None:
    entry = BibEntry(block.entry_type.lower(), block.key, (block.start_line or 0) + 1, span or (0, 0), [],
                     block.raw or "", duplicate_key, duplicate_fields, _text=bib.text if span else None)
    strings = bib.strings
    entry.fields = [BibField(f.key.lower(), f.value, (f.start_line or 0) + 1, strings=strings,
                             entry=entry if span else None) for f in block.fields]
    bib.entries.append(entry)


def read_bib(path: str | Path) -> BibFile:
    """Read a file as UTF-8 (falling back to Latin-1, which never fails) and parse it."""
    p = Path(path)
    data = p.read_bytes()
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
    bib = parse_bib(text, str(path))
    bib.encoding = encoding
    return bib


_AND = re.compile(r"\s+and\s+", re.I)
_AND_OR_BRACE = re.compile(r"[{}]|\s+and\s+", re.I)


def split_names(value: str) -> list[str]:
    """Split an ``author``/``editor`` value at ``and`` (any case, between white space) outside braces;
    the parts keep their LaTeX."""
    if "{" not in value and "}" not in value:
        return [n for n in (p.strip() for p in _AND.split(value)) if n]
    out, depth, start = [], 0, 0
    for m in _AND_OR_BRACE.finditer(value):
        c = m.group(0)
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0:
            out.append(value[start:m.start()].strip())
            start = m.end()
    out.append(value[start:].strip())
    return [n for n in out if n]
