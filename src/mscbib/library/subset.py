r"""The ``.bib`` for one manuscript: the library entries it cites, and nothing else.

Citations are read from (by file extension):

* ``.aux`` — BibTeX's ``\citation{a,b}`` lines (``\citation{*}`` means every entry) and biblatex's
  ``\abx@aux@cite{…}{key}``;
* ``.bcf`` — biber's control file (``<bcf:citekey>``; ``*`` for ``\nocite{*}``);
* ``.tex`` / ``.ltx`` — every ``\cite`` command of natbib and biblatex (``\citet``, ``\citep*``,
  ``\parencite``, ``\textcite``, ``\autocite``, ``\footcite``, ``\citeauthor``, ``\nocite`` …) with optional
  arguments ``[see][p. 3]``, several keys ``{a,b}``, and the multi-cite forms ``\cites[p. 1]{a}[ch. 2]{b}``;
  comments (``%``) and ``verbatim`` environments are skipped;
* anything else — pandoc Markdown: ``@key``, ``@{key}``, ``[@key, p. 3; -@other]``; e-mail addresses,
  fenced code blocks and inline code are ignored.

Entries a cited entry depends on (``crossref``, ``xdata``) come along. Cited keys missing from the library
are reported with the file and line that cites them and the closest keys the library has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from ..bibfile import parse_bib
from ..model import FailedInput, Record
from ..sources.bibtex import BibtexFile
from ..textio import NotText, read_text_file

__all__ = [
    "Citation",
    "Missing",
    "SubsetResult",
    "citations_in",
    "citations_from_aux",
    "citations_from_bcf",
    "citations_from_tex",
    "citations_from_markdown",
    "subset",
]

ALL = "*"


@dataclass(frozen=True)
class Citation:
    key: str
    file: str
    line: int


@dataclass
class Missing:
    citation: Citation
    closest: list[str]

    def message(self, library: str) -> str:
        hint = f"; closest: {', '.join(self.closest)}" if self.closest else ""
        return f"{self.citation.file}:{self.citation.line}: key {self.citation.key!r} is not in {library}{hint}"


@dataclass
class SubsetResult:
    records: list[Record]
    cited: list[Citation]
    missing: list[Missing] = field(default_factory=list)
    #: keys taken along because a cited entry depends on them (crossref / xdata)
    dependencies: list[str] = field(default_factory=list)
    failures: list[FailedInput] = field(default_factory=list)


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _split_keys(keys: str, path: str, line: int) -> list[Citation]:
    return [Citation(k.strip(), path, line) for k in keys.split(",") if k.strip()]


_AUX = re.compile(r"^\\citation\{([^}]*)\}|^\\abx@aux@cite\{[^}]*\}\{([^}]*)\}|^\\abx@aux@cite\{([^}]*)\}\s*$", re.M)


def citations_from_aux(text: str, path: str = "<aux>") -> list[Citation]:
    out: list[Citation] = []
    for m in _AUX.finditer(text):
        out += _split_keys(m.group(1) or m.group(2) or m.group(3) or "", path, _line_at(text, m.start()))
    return out


_BCF = re.compile(r"<bcf:citekey\b[^>]*>([^<]+)</bcf:citekey>")


def citations_from_bcf(text: str, path: str = "<bcf>") -> list[Citation]:
    return [Citation(m.group(1).strip(), path, _line_at(text, m.start())) for m in _BCF.finditer(text)]


_TEX_COMMENT = re.compile(r"(?<!\\)%.*$", re.M)
_VERBATIM = re.compile(r"\\begin\{(verbatim\*?|lstlisting|minted)\}.*?\\end\{\1\}", re.S)
_CITE_CMD = re.compile(r"\\([A-Za-z]*[cC]ite[A-Za-z]*|nocite)\*?(?![A-Za-z])")
_NOT_CITES = {"citestyle", "citesetup", "citereset", "defcitealias", "citetrackerfalse", "citetrackertrue"}
_SPACE = re.compile(r"\s*")


def _blank(m: re.Match[str]) -> str:
    """Replace a match by spaces and newlines, so that offsets and line numbers stay right."""
    return re.sub(r"[^\n]", " ", m.group(0))


def _group(text: str, i: int, open_: str, close: str) -> int | None:
    """End offset of a balanced ``open_ … close`` group starting at ``i``, or ``None``."""
    if i >= len(text) or text[i] != open_:
        return None
    depth = 0
    for j in range(i, len(text)):
        if text[j] == open_:
            depth += 1
        elif text[j] == close:
            depth -= 1
            if depth == 0:
                return j + 1
    return None


def citations_from_tex(text: str, path: str = "<tex>") -> list[Citation]:
    text = _VERBATIM.sub(_blank, _TEX_COMMENT.sub(_blank, text))
    out: list[Citation] = []
    for m in _CITE_CMD.finditer(text):
        name = m.group(1)
        if name.lower() in _NOT_CITES:
            continue
        multi = name.lower().endswith("cites")  # \cites, \parencites, \textcites … take several {keys}
        i = m.end()
        while True:
            space = _SPACE.match(text, i)
            assert space is not None  # \s* matches anywhere
            i = space.end()
            end = _group(text, i, "[", "]") or _group(text, i, "(", ")")
            if end:  # optional pre/post notes
                i = end
                continue
            end = _group(text, i, "{", "}")
            if not end:
                break
            out += _split_keys(text[i + 1 : end - 1], path, _line_at(text, i))
            i = end
            if not multi:
                break
    return out


_FENCE = re.compile(r"^(```+|~~~+)[^\n]*\n.*?^\1[ \t]*$", re.S | re.M)
_INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1", re.S)
# pandoc: a key starts with a letter, digit or _, and may hold :.#$%&-+?<>~/ inside (not at its end)
_PANDOC_KEY = re.compile(r"(?<![\w@.+-])-?@(?:\{([^{}\s]+)\}|([\w](?:[\w:.#$%&\-+?<>~/]*[\w])?))")


def citations_from_markdown(text: str, path: str = "<md>") -> list[Citation]:
    text = _INLINE_CODE.sub(_blank, _FENCE.sub(_blank, text))
    return [Citation(m.group(1) or m.group(2), path, _line_at(text, m.start())) for m in _PANDOC_KEY.finditer(text)]


def _manuscript_text(path: str) -> str:
    """A manuscript's text, its encoding detected as a library's is (:mod:`mscbib.textio`); one that is in no
    encoding we can tell is read as UTF-8 with what is not replaced (its keys are ASCII as a rule)."""
    try:
        return read_text_file(path).text
    except NotText:
        return Path(path).read_text(encoding="utf-8", errors="replace")


def citations_in(path: str) -> list[Citation]:
    """The citations in one manuscript file, chosen by its extension (see the module docstring)."""
    text = _manuscript_text(path)
    suffix = Path(path).suffix.lower()
    if suffix == ".aux":
        return citations_from_aux(text, path)
    if suffix == ".bcf":
        return citations_from_bcf(text, path)
    if suffix in (".tex", ".ltx", ".latex"):
        return citations_from_tex(text, path)
    return citations_from_markdown(text, path)


def closest_keys(key: str, keys: list[str], limit: int = 3) -> list[str]:
    """The ``limit`` keys of ``keys`` closest to ``key`` (a mistyped or outdated citation key), best first."""
    return [k for k, _, _ in process.extract(key, keys, scorer=fuzz.ratio, limit=limit)]


def subset(library: str, sources: list[str], *, closest: int = 3) -> SubsetResult:
    """The library entries the ``sources`` cite, with their ``crossref``/``xdata`` parents, in library order."""
    text = read_text_file(library).text  # the encoding detected, as for every .bib read (mscbib.textio)
    bib = parse_bib(text, library)
    read = BibtexFile().read(text, library)
    cited: list[Citation] = []
    for src in sources:
        cited += citations_in(src)
    wanted: dict[str, None] = {}
    missing: list[Missing] = []
    keys = [e.key for e in bib.entries]
    for c in cited:
        if c.key == ALL:
            wanted.update(dict.fromkeys(k.lower() for k in keys))
        elif c.key.lower() in bib.by_key:
            wanted.setdefault(c.key.lower(), None)
        elif not any(m.citation.key == c.key for m in missing):
            missing.append(Missing(c, closest_keys(c.key, keys, closest)))
    dependencies: list[str] = []
    queue = list(wanted)
    while queue:
        for _, key, parent in bib.parents(bib.by_key[queue.pop()]):
            if parent is not None and parent.key.lower() not in wanted:
                wanted[parent.key.lower()] = None
                dependencies.append(parent.key)
                queue.append(parent.key.lower())
    records = [r for r in read.records if (r.key or "").lower() in wanted]
    return SubsetResult(
        records=records, cited=cited, missing=missing, dependencies=dependencies, failures=read.failures
    )
