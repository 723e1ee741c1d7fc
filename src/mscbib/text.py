"""Plain-text helpers shared by readers, the Crossref mapping, matching and writers.

Pure functions only: cleaning copied text, stripping markup from Crossref strings, forms for
comparison, page ranges, months and personal names.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Callable

from .model import Person

__all__ = [
    "plural",
    "clean_text",
    "clean_lines",
    "decode_entities",
    "drop_declared_entities",
    "strip_markup",
    "Styled",
    "STYLES",
    "RICH_TEXT_TAGS",
    "LATEX_STYLE_TAGS",
    "style_runs",
    "styled_concat",
    "squash_spaces",
    "render_styles",
    "latex_styled",
    "scripts_to_unicode",
    "script_runs",
    "SUPERSCRIPTS",
    "SUBSCRIPTS",
    "comparable",
    "fold_ascii",
    "normalize_pages",
    "parse_month",
    "small_int",
    "number_less",
    "MONTHS",
    "MONTH_NAMES",
    "person_from_display",
    "person_from_vancouver",
]

_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_SPECIAL = re.compile("[\ufb00-\ufb06\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_OTHER_SPACE = re.compile("[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")


#: an entity or character reference, bounded: a name of at most 32 characters, a number of at most 7 digits
#: (``&#1114111;`` is the last code point) or 6 hex digits after any leading zeros; a longer one is no
#: reference (it stays as written: ``&#`` and 5,000 digits made ``html.unescape`` raise)
_ENTITY = re.compile(r"&(?:#0*(\d{1,7})(?!\d)|#[xX]0*([0-9a-fA-F]{1,6})(?![0-9a-fA-F])|[A-Za-z][\w.-]{0,31})(;)?")


def decode_entities(s: str, *, unknown: str = "keep") -> str:
    """The one decoder of HTML/XML entity and character references, wherever a value is decoded (copied pages,
    RIS/MEDLINE/CSL text through :func:`clean_text`, Crossref's markup through :func:`strip_markup`).

    One pass, linear, and it never makes a text longer: ``&amp;`` → ``&``, ``&eacute;`` → ``é``, ``&#233;`` →
    ``é`` (the HTML5 table, as :func:`html.unescape`). Nothing is ever expanded into more than the one
    character or two a name stands for: an entity a document defines for itself (``<!ENTITY lol9 …>``, the
    billion laughs) is not known here. A reference to no character (``&#0;``, a surrogate, past U+10FFFF, or
    too long to be one) stays as written rather than becoming U+FFFD. A name that is no entity (``&lol9;``)
    stays as written with ``unknown="keep"``, or is removed with ``unknown="drop"`` (in markup it is DTD
    debris)."""
    if "&" not in s:
        return s
    drop = unknown == "drop"

    def one(m: re.Match) -> str:
        ref = m.group(0)
        got = html.unescape(ref)
        if m.group(1) is not None or m.group(2) is not None:  # a character reference
            code = int(m.group(1)) if m.group(1) is not None else int(m.group(2), 16)
            return ref if got == "\ufffd" and code != 0xFFFD else got
        if got == ref and drop and m.group(3):  # a name no table has, ended by ";"
            return ""
        return got

    return _ENTITY.sub(one, s)


_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[", re.I)
_SUBSET_END = re.compile(r"\]\s*>")
_DECLARED = re.compile(r"<!ENTITY\s+(?:%\s*)?([A-Za-z_:][\w.:-]*)")
_ENTITY_REF = re.compile(r"&([A-Za-z_:][\w.:-]{0,63});")


def drop_declared_entities(s: str) -> str:
    """A document without its DTD's internal subset (``<!DOCTYPE x [ <!ENTITY lol9 …> ]>``) and without the
    references to the entities it declares (``&lol9;``), which no reader of ours expands (the billion laughs):
    for a page parsed by lxml, whose HTML parser keeps them as text. Linear; anything else stays as it is."""
    m = _DOCTYPE_SUBSET.search(s) if "<!" in s else None
    if m is None:
        return s
    end = _SUBSET_END.search(s, m.end())
    if end is None:
        return s
    names = set(_DECLARED.findall(s, m.end(), end.start()))
    s = s[: m.start()] + s[end.end() :]
    return _ENTITY_REF.sub(lambda r: "" if r.group(1) in names else r.group(0), s) if names and "&" in s else s


_SPACE_RUNS = re.compile(r"  +")


def clean_text(s: str | None) -> str:
    """Decode HTML entities, undo ligatures, drop soft hyphens and zero-width characters, fold runs
    of (non-breaking) spaces into one, and trim. Letters outside ASCII are kept exactly."""
    if not s:
        return ""
    # each step only when it has something to do: this runs on every line of every page read
    if "&" in s:
        s = decode_entities(s)
    if s.isascii():  # ASCII: no ligature, nothing to normalise, and the same folding by str methods (the pattern
        # scanning a whole page cost more than the rest of its reading)
        if "\t" in s:
            s = s.replace("\t", " ")
        return (_SPACE_RUNS.sub(" ", s) if "  " in s else s).strip()
    if _SPECIAL.search(s):
        s = s.translate(_LIGATURES).translate(_INVISIBLE)
    if not unicodedata.is_normalized("NFC", s):
        s = unicodedata.normalize("NFC", s)
    # a single space is already what _SPACES makes of it: the substitution only where a run or another space is
    if "  " in s or "\t" in s or (not s.isascii() and _OTHER_SPACE.search(s)):
        s = _SPACES.sub(" ", s)
    return s.strip()


def clean_lines(lines: list[str]) -> list[str]:
    """:func:`clean_text` of each line (the same list as ``[clean_text(x) for x in lines]``), at less cost: a
    line of ASCII with nothing to decode nor fold (most lines of a page) is only trimmed, without the call.
    Line by line, not over the joined text: one line outside ASCII would send the whole text down the slow
    path (on the real pages, two in three hold one, and the joined text cost three times as much)."""
    return [
        x.strip() if x.isascii() and "  " not in x and "\t" not in x and "&" not in x else clean_text(x) for x in lines
    ]


#: tags that stand between words (a paragraph, a section title, a line break): they become a space; the
#: others (``<i>``, ``<sup>``, ``<scp>``…) join what they wrap to its neighbours (``CO<sub>2</sub>`` → ``CO2``)
_BLOCK_TAGS = frozenset(
    "p div sec title br hr li ul ol list list-item label caption table tr td th "
    "abstract trans-abstract disp-formula disp-quote fig def-list def term".split()
)
#: tags whose text belongs to the word before or after it: nothing comes in their place
_JOIN_TAGS = frozenset("sup sub inf".split())
#: MathML: each token apart, as Crossref's strings read best (``P < 0.001``, not ``P<0.001``)
_MATHML = frozenset(
    "math mi mo mn ms mtext mrow msub msup msubsup mfrac msqrt mroot mover munder munderover "
    "mstyle mspace mtable mtr mtd semantics annotation".split()
)
#: names of HTML / JATS / MathML tags we take as markup without a namespace prefix (a prefixed name,
#: ``jats:p`` or ``mml:mi``, always is): a ``<`` before anything else is text ("aged <5", "p <b and c")
_KNOWN_TAGS = _BLOCK_TAGS | frozenset(
    "a b i u s em strong sup sub scp sc span small big tt code font italic bold underline roman monospace "
    "sans-serif overline strike inline-formula inline-graphic graphic math mi mo mn ms mtext mrow msub msup "
    "msubsup mfrac msqrt mroot mover munder munderover mstyle mspace mtable mtr mtd semantics annotation "
    "named-content styled-content ext-link uri email xref break body html head meta".split()
)
_TAG_AT = re.compile(r"</?([A-Za-z][\w.-]*(?::[A-Za-z][\w.-]*)?)(?:\s[^<>]*)?/?>")
_MARKUP_START = re.compile(r"<[A-Za-z/!?]")
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=\S)\s+(?=[,.;:)])")
#: where :data:`_SPACE_BEFORE_PUNCT` can match at all: its look-behind made it try every position of every text
#: (4 % of a warm build's CPU); this pattern's first character lets the engine skip ahead
_SPACE_PUNCT = re.compile(r"\s[,.;:)]")
#: what one string may be unescaped more than once for: ``&amp;lt;sup&amp;gt;`` is ``<sup>`` twice escaped
_MAX_UNESCAPE = 3


def _between_words(out: list[str], s: str, after: int) -> bool:
    """Does a styling tag (``<i>``, ``<bold>``) stand between two words with no space, where the tag was all
    that set them apart? Crossref's JATS has ``defined<italic>Plasmodium``; a sub- or superscript
    (``CO<sub>2</sub>``) always joins."""
    nxt = s[after : after + 1]
    if not nxt.isalnum():
        return False
    prev = next((chunk[-1] for chunk in reversed(out[-5:]) if chunk and chunk not in _MARKS), "")
    return prev.isalnum() or prev in ".,;:!?)"


#: the tags of the rich text that CSL-JSON and Zotero write (and HTML's own inline tags): read as they are, in a
#: format whose markup they are (:func:`strip_markup`'s ``as_written``): ``x<i>y</i>`` is one word there
_AS_WRITTEN_TAGS = frozenset("i b em strong u s sup sub span small".split())


#: The inline styles a title keeps (:class:`Styled`): italic, bold, small caps. Sub- and superscripts are kept as
#: Unicode characters in the text itself (:func:`scripts_to_unicode`); an underline (``<u>``) has no form in
#: Zotero's rich text nor in CSL's, and is dropped as markup is (its text stays).
STYLES = ("i", "b", "sc")
#: the markup tags (HTML, JATS, any namespace prefix) of each style
_STYLE_OF_TAG = {
    "i": "i",
    "em": "i",
    "italic": "i",
    "b": "b",
    "strong": "b",
    "bold": "b",
    "scp": "sc",
    "sc": "sc",
    "small-caps": "sc",
}
#: while markup is dropped, each style's start and end stand in the text as a private-use character; they never
#: leave :func:`strip_markup` (they become a :class:`Styled`'s runs)
_OPEN = {style: chr(0xF8E0 + 2 * i) for i, style in enumerate(STYLES)}
_CLOSE = {style: chr(0xF8E1 + 2 * i) for i, style in enumerate(STYLES)}
_MARKS = frozenset(_OPEN.values()) | frozenset(_CLOSE.values())
_MARK_OF = {**{c: (st, True) for st, c in _OPEN.items()}, **{c: (st, False) for st, c in _CLOSE.items()}}
_MARK_RE = re.compile("[" + "".join(sorted(_MARKS)) + "]")
#: a style tag worth the styled pass at all (the common title has none)
_STYLE_TAG = re.compile(
    r"(?:<|&(?:amp;)*lt;)(?:[A-Za-z]+:)?(?:i|em|italic|b|strong|bold|scp|sc|small-caps)\b|small-caps", re.I
)


#: the HTML-like tags of each style that citeproc (CSL-JSON's rich text) and Zotero's rich text (its item titles)
#: read: ``<i>``, ``<b>``, ``<span style="font-variant:small-caps;">``
RICH_TEXT_TAGS = {
    "i": ("<i>", "</i>"),
    "b": ("<b>", "</b>"),
    "sc": ('<span style="font-variant:small-caps;">', "</span>"),
}
#: ... and the LaTeX commands (BibTeX, BibLaTeX; Zotero's BibTeX import reads them as its rich text)
LATEX_STYLE_TAGS = {"i": ("\\textit{", "}"), "b": ("\\textbf{", "}"), "sc": ("\\textsc{", "}")}


class Styled(str):
    """A text with inline styles (italic, bold, small caps: :data:`STYLES`). The string *is* the plain text — what
    keys, duplicate matching, comparisons, reports and RIS see — and :attr:`runs` the same text cut into runs of
    ``(text, styles)``, for the writers that hold styles (:func:`render_styles`: BibTeX ``\\textit{}``, CSL and
    Zotero ``<i>``). Whatever changes the text (``.lower()``, slicing, joining) gives a plain ``str``: a style is
    never carried onto a text it was not read with."""

    runs: tuple[tuple[str, frozenset[str]], ...]

    def __new__(cls, runs: list[tuple[str, frozenset[str]]] | tuple[tuple[str, frozenset[str]], ...]) -> Styled:
        obj = super().__new__(cls, "".join(text for text, _ in runs))
        obj.runs = tuple(runs)
        return obj

    def __reduce__(self) -> tuple[type, tuple[tuple[tuple[str, frozenset[str]], ...]]]:
        return (Styled, (self.runs,))


def _runs_of(marked: str) -> list[tuple[str, frozenset[str]]]:
    """The runs of a text holding the style marks; a style's end without its start is ignored."""
    runs: list[tuple[str, frozenset[str]]] = []
    depth = dict.fromkeys(STYLES, 0)
    pos = 0
    for m in _MARK_RE.finditer(marked):
        if m.start() > pos:
            runs.append((marked[pos : m.start()], frozenset(st for st, d in depth.items() if d > 0)))
        style, opens = _MARK_OF[m.group(0)]
        depth[style] = depth[style] + 1 if opens else max(0, depth[style] - 1)
        pos = m.end()
    if pos < len(marked):
        runs.append((marked[pos:], frozenset(st for st, d in depth.items() if d > 0)))
    return runs


def _tidy_runs(runs: list[tuple[str, frozenset[str]]]) -> list[tuple[str, frozenset[str]]]:
    """Runs as the plain text has them: one space where a mark stood between two (``a <i> b``), a space before
    punctuation gone as :func:`strip_markup` drops it, white space at a run's edge given only the styles its
    neighbour shares (``<i>Plasmodium </i>falciparum``: the space is not italic), empty runs dropped and
    neighbours of the same styles joined."""
    spaced: list[tuple[str, frozenset[str]]] = []
    for text, styles in runs:
        if spaced and spaced[-1][0].endswith((" ", "\n")) and text[:1] in (" ", "\n"):
            text = text.lstrip(" \n")
        if spaced and text[:1] in (" ", "\n") and _SPACE_BEFORE_PUNCT.match(spaced[-1][0][-1:] + text):
            text = text.lstrip(" \n")
        if text:
            spaced.append((text, styles))
    parts: list[tuple[str, frozenset[str]]] = []
    for n, (text, styles) in enumerate(spaced):
        core = text.strip()
        if not styles or core == text:
            parts.append((text, styles))
            continue
        before = spaced[n - 1][1] if n else frozenset[str]()
        after = spaced[n + 1][1] if n + 1 < len(spaced) else frozenset[str]()
        if not core:  # a run of white space alone: only the styles both neighbours share (``<b>.<i></b>a``)
            parts.append((text, styles & before & after))
            continue
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(lead) + len(core) :]
        parts += [(lead, styles & before), (core, styles), (trail, styles & after)]
    out: list[tuple[str, frozenset[str]]] = []
    for part, st in parts:
        if not part:
            continue
        if out and out[-1][1] == st:
            out[-1] = (out[-1][0] + part, st)
        else:
            out.append((part, st))
    # the text's own ends trimmed, as clean_text trims the plain text (``<i><b>a``: the space a tag left)
    while out and not out[0][0].strip():
        out.pop(0)
    while out and not out[-1][0].strip():
        out.pop()
    if out:
        out[0] = (out[0][0].lstrip(), out[0][1])
        out[-1] = (out[-1][0].rstrip(), out[-1][1])
    return out


def _styled_or_plain(marked: str, plain: str) -> str:
    """A :class:`Styled` of ``marked`` (the text with style marks) if its text is ``plain`` and any style is left,
    else ``plain``: a text whose styles cannot be placed exactly keeps none (never a changed text)."""
    runs = _tidy_runs(_runs_of(marked))
    if "".join(t for t, _ in runs) != plain or not any(st for _, st in runs):
        return plain
    return Styled(runs)


def style_runs(s: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """The runs of ``s``: a :class:`Styled`'s own, or one run of no style."""
    return s.runs if isinstance(s, Styled) else ((s, frozenset()),)


def styled_concat(*parts: str) -> str:
    """The parts joined, their styles kept (a title and its subtitle): a :class:`Styled` where any part is one."""
    if not any(isinstance(p, Styled) for p in parts):
        return "".join(parts)
    return Styled(_tidy_runs([run for p in parts for run in style_runs(p)]))


def _marked(s: Styled) -> str:
    """The text of ``s`` with its styles' marks (:func:`_runs_of` reads them back)."""
    out = []
    for text, styles in s.runs:
        out.append("".join(_OPEN[st] for st in STYLES if st in styles) + text)
        out.append("".join(_CLOSE[st] for st in reversed(STYLES) if st in styles))
    return "".join(out)


def squash_spaces(s: str) -> str:
    """``" ".join(s.split())`` (a line break deposited in a title is a space), its styles kept."""
    plain = " ".join(s.split())
    if not isinstance(s, Styled) or plain == s:
        return s if plain == s else plain
    return _styled_or_plain(" ".join(_marked(s).split()), plain)


def render_styles(s: str, tags: dict[str, tuple[str, str]], each: Callable[[str], str] = str) -> str:
    """``s`` in a format's own markup: each run's text through ``each`` (the format's escaping), inside the
    ``(start, end)`` of each of its styles that ``tags`` names, nested in :data:`STYLES` order (italic outermost:
    Zotero's BibTeX import closes ``\\textbf{\\textit{x}}`` in the wrong order) and kept open across runs that share
    them (``<i>claims <b>twice</b></i>``). A plain text is ``each(s)``."""
    if not isinstance(s, Styled):
        return each(s)
    out: list[str] = []
    stack: list[str] = []
    for text, styles in s.runs:
        want = [st for st in STYLES if st in styles and st in tags]
        keep = 0
        while keep < len(stack) and keep < len(want) and stack[keep] == want[keep]:
            keep += 1
        while len(stack) > keep:
            out.append(tags[stack.pop()][1])
        for st in want[keep:]:
            out.append(tags[st][0])
            stack.append(st)
        out.append(each(text))
    out.extend(tags[st][1] for st in reversed(stack))
    return "".join(out)


#: the LaTeX commands of each style that :func:`latex_styled` reads back
_LATEX_STYLE = re.compile(r"\\(textit|emph|textsl|textbf|textsc)\s*\{")
_LATEX_STYLE_OF = {"textit": "i", "emph": "i", "textsl": "i", "textbf": "b", "textsc": "sc"}


def latex_styled(raw: str, to_text: Callable[[str], str], plain: str | None = None) -> str:
    """The text of a LaTeX value (``to_text``: the readers' LaTeX → Unicode converter) with the styles its
    ``\\textit{}``, ``\\emph{}``, ``\\textbf{}``, ``\\textsc{}`` give: a :class:`Styled`, or the plain text
    (``plain``, when already converted) where there is none or they cannot be placed exactly."""
    if plain is None:
        plain = to_text(raw)
    if "\\" not in raw or not _LATEX_STYLE.search(raw):
        return plain
    out, pos = [], 0
    closers: list[tuple[int, str]] = []  # (depth at which the command's group closes, its end mark)
    depth = 0
    i = 0
    while i < len(raw):
        m = _LATEX_STYLE.match(raw, i) if raw[i] == "\\" else None
        if m:
            out.append(raw[pos:i])
            style = _LATEX_STYLE_OF[m.group(1)]
            out.append(_OPEN[style] + "{")
            closers.append((depth, _CLOSE[style]))
            depth += 1
            i = pos = m.end()
            continue
        c = raw[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if closers and closers[-1][0] == depth:
                out.append(raw[pos : i + 1] + closers.pop()[1])
                pos = i + 1
        i += 1
    out.append(raw[pos:])
    marked = to_text("".join(out))
    return _styled_or_plain(marked, plain)


def _drop_tags(s: str, styles: bool = False, as_written: bool = False) -> tuple[str, bool]:
    """Remove the markup of ``s`` in one pass from left to right, keeping every ``<`` that is text.

    Comments, ``<?…?>``, ``<!DOCTYPE …[…]>`` and other declarations (entity definitions included) go
    whole; CDATA keeps its text; a tag is a known HTML/JATS/MathML name or a prefixed one. Linear: each
    ``<`` is looked at once and every search starts where the last one ended. With ``as_written``, the tags
    of :data:`_AS_WRITTEN_TAGS` set no words apart (:func:`strip_markup`). Returns (text, saw a declaration)."""
    out: list[str] = []
    spans: list[bool] = []  # the open <span>s: is each a small caps one
    pos, n, declared = 0, len(s), False
    while True:
        found = _MARKUP_START.search(s, pos)
        if found is None:
            out.append(s[pos:])
            break
        i = found.start()
        out.append(s[pos:i])
        if s.startswith("<!--", i):
            end = s.find("-->", i + 4)
            pos = n if end < 0 else end + 3
            out.append(" ")
        elif s.startswith("<![CDATA[", i):
            end = s.find("]]>", i + 9)
            out.append(s[i + 9 :] if end < 0 else s[i + 9 : end])
            pos = n if end < 0 else end + 3
        elif s.startswith(("<!", "<?"), i):
            declared = True
            gt = s.find(">", i)
            bracket = s.find("[", i, gt if gt >= 0 else n)
            if bracket >= 0:  # an internal subset: <!DOCTYPE x [ <!ENTITY …> … ]>
                close = s.find("]", bracket)
                gt = s.find(">", close) if close >= 0 else -1
            pos = n if gt < 0 else gt + 1
            out.append(" ")
        else:
            m = _TAG_AT.match(s, i)
            name = m.group(1).lower() if m else ""
            if m and (declared or ":" in name or name in _KNOWN_TAGS):  # in an XML document, any name
                local = name.rpartition(":")[2]
                if local in _BLOCK_TAGS or local in _MATHML or name.startswith("mml:"):
                    out.append(" ")
                elif (
                    local not in _JOIN_TAGS
                    and not (as_written and name in _AS_WRITTEN_TAGS)
                    and _between_words(out, s, m.end())
                ):
                    out.append(" ")  # "defined<italic>Plasmodium", "results.<italic>Method": words apart
                if styles and local in _STYLE_OF_TAG and not m.group(0).endswith("/>"):
                    style = _STYLE_OF_TAG[local]
                    out.append(_CLOSE[style] if m.group(0).startswith("</") else _OPEN[style])
                elif styles and local == "span" and not m.group(0).endswith("/>"):
                    # CSL's and Zotero's small caps: <span style="font-variant:small-caps;">; other spans
                    # (<span class="nocase">) carry no style, but their </span> must close the right one
                    if m.group(0).startswith("</"):
                        if spans and spans.pop():
                            out.append(_CLOSE["sc"])
                    else:
                        spans.append("small-caps" in m.group(0).lower())
                        if spans[-1]:
                            out.append(_OPEN["sc"])
                pos = m.end()
            else:
                out.append("<")
                pos = i + 1
    return "".join(out), declared


#: What Unicode has a superscript / subscript form of, for every character a ``<sup>``/``<sub>`` may hold that
#: a plain text can carry so (digits, signs, brackets): ``<sup>13</sup>C`` → ``¹³C``, ``CO<sub>2</sub>`` → ``CO₂``
SUPERSCRIPTS = dict(zip("0123456789+-\u2212=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾"))
SUBSCRIPTS = dict(zip("0123456789+-\u2212=()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎"))
_SCRIPT_CHARS = {
    **{v: ("sup", k) for k, v in SUPERSCRIPTS.items() if k != "\u2212"},
    **{v: ("sub", k) for k, v in SUBSCRIPTS.items() if k != "\u2212"},
}
#: a sub- or superscript element (HTML, JATS ``<inf>``, prefixed ``jats:sup``) holding only text
_SCRIPT_TAG = re.compile(r"<((?:[A-Za-z]+:)?(sup|sub|inf))(?:\s[^<>]*)?>([^<>]{1,32})</\1>", re.I)
#: MathML ``<msup>``/``<msub>`` of two token elements (``x``, ``2``): base, then the script
_MATHML_SCRIPT = re.compile(
    r"<((?:mml:)?m(sup|sub))(?:\s[^<>]*)?>\s*<((?:mml:)?m[ion])(?:\s[^<>]*)?>([^<>]*)</\3>\s*"
    r"<((?:mml:)?m[ion])(?:\s[^<>]*)?>([^<>]{1,32})</\5>\s*</\1>"
)


def _script(kind: str, text: str) -> str | None:
    """``text`` in Unicode super- (``sup``) or subscript (``sub``/``inf``) characters, or None when one of its
    characters has no such form (``<sup>nd</sup>``: the text stays as it is, joined)."""
    table = SUPERSCRIPTS if kind.lower() == "sup" else SUBSCRIPTS
    text = text.strip()
    if not text or any(c not in table for c in text):
        return None
    return "".join(table[c] for c in text)


def scripts_to_unicode(s: str) -> str:
    """Sub- and superscript markup (HTML/JATS ``<sup>``, ``<sub>``, ``<inf>``, MathML ``<msup>``/``<msub>``) as
    the Unicode characters a plain text carries them in, where Unicode has them all: ``Ca<sup>2+</sup>`` →
    ``Ca²⁺``, ``δ<sup>13</sup>C`` → ``δ¹³C``. The rest of the markup is left for :func:`strip_markup`."""
    if "<" not in s:
        return s
    if "msu" in s:

        def mathml(m: re.Match[str]) -> str:
            script = _script("sup" if m.group(2) == "sup" else "sub", m.group(6))
            return m.group(0) if script is None else f" {m.group(4).strip()}{script} "

        s = _MATHML_SCRIPT.sub(mathml, s)

    def tag(m: re.Match[str]) -> str:
        script = _script("sup" if m.group(2).lower() == "sup" else "sub", m.group(3))
        return m.group(0) if script is None else script

    return _SCRIPT_TAG.sub(tag, s)


def script_runs(s: str) -> list[tuple[str, str | None]]:
    """``'δ¹³C'`` → ``[('δ', None), ('13', 'sup'), ('C', None)]``: the text split into runs of plain
    characters and of Unicode super-/subscripts (given back as the characters they raise or lower), for the
    writers to write each run in their format's own markup (BibTeX ``$^{13}$``, CSL ``<sup>13</sup>``)."""
    out: list[tuple[str, str | None]] = []
    for c in s:
        kind, plain = _SCRIPT_CHARS.get(c, (None, c))
        if out and out[-1][1] == kind:
            out[-1] = (out[-1][0] + plain, kind)
        else:
            out.append((plain, kind))
    return out


def strip_markup(s: str | None, scripts: bool = False, styles: bool = False, as_written: bool = False) -> str:
    """The text of a JATS/HTML/MathML string (Crossref titles and abstracts carry them), cleaned.

    With ``scripts``, sub- and superscripts become Unicode characters where Unicode has them all
    (:func:`scripts_to_unicode`: ``δ<sup>13</sup>C`` → ``δ¹³C``), else they join their neighbours (``δ13C``).
    With ``styles``, italic, bold and small caps (``<i>``, ``<italic>``, ``<b>``, ``<scp>``…) are kept: the text
    is then a :class:`Styled` (the same plain text, with its runs) where it has any.

    A styling tag between two words with no space sets them apart (Crossref's JATS lost the space there:
    ``defined<italic>Plasmodium``). With ``as_written`` (the readers of a format whose own markup the tags are:
    CSL-JSON, Zotero's rich text), the tags of that markup (``<i>``, ``<b>``, ``<span>``, ``<sup>``…) are read as
    they are written: ``é<i>é</i>`` is one word, as the CSL writer wrote it; any other tag there (JATS, which
    Crossref's text carries into a CSL-JSON file) keeps the rule.

    Markup is parsed, not pattern-stripped: ``<`` and ``>`` that are text stay ("Children aged <5 years
    and adults >65 years", "p < 0.05"). Entities are decoded (again where they were escaped twice,
    ``&amp;lt;i&amp;gt;``), none resolves to anything outside the string: a DTD and its entity
    definitions are dropped, and a reference to an entity nobody defines (``&lol9;``) is removed."""
    if not s:
        return ""
    plain = _strip(s, scripts, False, as_written)
    if not styles or ("<" not in s and "lt;" not in s) or not _STYLE_TAG.search(s):  # no tag, escaped or not
        return plain
    return _styled_or_plain(_strip(s, scripts, True, as_written), plain)


def _strip(s: str, scripts: bool, styles: bool, as_written: bool = False) -> str:
    if s.lstrip().startswith("<jats:title"):
        s = re.sub(r"<jats:title>[^<]*</jats:title>", " ", s, count=1)
    if styles and _MARK_RE.search(s):  # a text holding our marks already: they are no style of its own
        s = _MARK_RE.sub("", s)
    declared = False
    for _ in range(_MAX_UNESCAPE):
        if "<" in s:
            s, d = _drop_tags(scripts_to_unicode(s) if scripts else s, styles, as_written)
            declared = declared or d
        if "&" not in s:
            break
        unescaped = decode_entities(s)
        if unescaped == s:
            break
        s = unescaped
    else:
        if "<" in s:
            s, d = _drop_tags(scripts_to_unicode(s) if scripts else s, styles, as_written)
            declared = declared or d
    if "&" in s:  # what is left is text, or a reference to an entity nobody defines here: DTD debris, removed
        s = decode_entities(s, unknown="drop")
    if declared:
        s = s.replace("]]>", " ").replace("]>", " ")
    s = clean_text(s)
    return _SPACE_BEFORE_PUNCT.sub("", s) if _SPACE_PUNCT.search(s) else s


_FOLD_SPECIAL = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
    }
)


def fold_ascii(s: str) -> str:
    """``'Jørgensen Böhm'`` → ``'Jorgensen Bohm'`` (for keys and comparisons, never for output text)."""
    if s.isascii():
        return s
    s = s.translate(_FOLD_SPECIAL)
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


_NONWORD = re.compile(r"[\W_]+", re.UNICODE)


def comparable(s: str | None) -> str:
    """A form for comparing titles and names: no markup, accents or punctuation, lower case."""
    if not s:
        return ""
    s = fold_ascii(strip_markup(s)).lower()
    return _NONWORD.sub(" ", s).strip()


_RANGE = re.compile(r"^\s*([A-Za-z]*)(\d+)([A-Za-z]*)\s*(?:-+|–|—|‐|‑)\s*([A-Za-z]*)(\d+)([A-Za-z]*)\s*$")


def normalize_pages(pages: str | None) -> str | None:
    """``'249-61'`` → ``'249--261'`` (MEDLINE abbreviates the last page); ``'e12345'`` stays.

    A range whose end would come before its start after expansion is left as written.
    """
    if not pages:
        return None
    p = clean_text(pages)
    m = _RANGE.match(p)
    if not m:
        return p or None
    pre1, start, suf1, pre2, end, suf2 = m.groups()
    if len(end) < len(start) and not pre2:
        end = start[: len(start) - len(end)] + end
    if pre1 == pre2 and not suf1 and not suf2 and number_less(end, start):
        return p
    return f"{pre1}{start}{suf1}--{pre2 or pre1}{end}{suf2}"


MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
#: The months' English names, in order (BibTeX's month macros are their first three letters: :data:`MONTHS`).
MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def parse_month(s: str | None) -> int | None:
    """``'Jun'``, ``'June'``, ``'06'``, ``6`` → ``6``."""
    if s is None:
        return None
    t = str(s).strip().lower().rstrip(".")
    if t.isdigit():
        n = small_int(t)
        return n if n is not None and 1 <= n <= 12 else None
    return _MONTH_NAMES.get(t)


#: the most digits :func:`small_int` turns into a number: no day, month, page or year has more
SMALL_INT_DIGITS = 18


def small_int(s: str | int | None) -> int | None:
    """``'07'`` → ``7``; None for anything that is not a run of at most 18 ASCII digits (a value of
    5,000 digits is one bad value, never Python's "Exceeds the limit (4300 digits)" for the whole file)."""
    if isinstance(s, int):
        return s
    if s is None:
        return None
    t = str(s).strip()
    return int(t) if 0 < len(t) <= SMALL_INT_DIGITS and t.isascii() and t.isdigit() else None


def number_less(a: str, b: str) -> bool:
    """``a < b`` for two runs of digits of any length, compared as numbers (without converting them)."""
    a, b = a.lstrip("0"), b.lstrip("0")
    return (len(a), a) < (len(b), b)


_MONTH_NAMES = {name: i for i, name in enumerate(MONTHS, 1)}
_MONTH_NAMES.update(
    {
        full: i
        for i, full in enumerate(
            MONTH_NAMES,
            1,
        )
    }
)
_MONTH_NAMES["sept"] = 9


_PARTICLES = {
    "van",
    "von",
    "der",
    "den",
    "de",
    "del",
    "della",
    "da",
    "di",
    "du",
    "la",
    "le",
    "ter",
    "ten",
    "dos",
    "das",
    "bin",
    "al",
    "el",
}


def person_from_display(name: str) -> Person:
    """Split a name written given-names-first (``'Scott A Bergfeld'``, ``'Li Sun'``).

    The last word is the family name, with lower-case particles before it (``'Ludwig van Beethoven'``).
    A page gives no way to tell a compound family name (``'Nwabo Kamdje'``) from a middle name; Crossref
    corrects such cases and the build report shows the disagreement.
    """
    name = clean_text(name).strip(" ,;.")
    if "," in name:  # "Family, Given"
        family, _, given = name.partition(",")
        return Person(family=family.strip(), given=given.strip())
    words = name.split()
    if len(words) <= 1:
        return Person(family=name)
    i = len(words) - 1
    while i > 1 and words[i - 1].lower() in _PARTICLES:
        i -= 1
    return Person(family=" ".join(words[i:]), given=" ".join(words[:i]))


_VANCOUVER = re.compile(r"^(?P<family>.+?)\s+(?P<initials>[A-Z]{1,4})(?:\s+(?P<suffix>Jr|Sr|II|III|IV)\.?)?$")


def person_from_vancouver(name: str) -> Person:
    """Split a Vancouver-style name (``'Hass R'``, ``'Jin HJ'``, ``'Sensebé L'``): family name, then
    initials without stops. The initials are given as ``'H. J.'``."""
    name = clean_text(name).strip(" ,;.")
    m = _VANCOUVER.match(name)
    if not m:
        return Person(family=name)
    initials = " ".join(f"{c}." for c in m.group("initials"))
    return Person(family=m.group("family"), given=initials, suffix=m.group("suffix") or "")


def plural(n: int, one: str, many: str | None = None) -> str:
    """``1 request``, ``2 requests``, ``0 warnings``: the count with the word in the right number."""
    return f"{n} {one if n == 1 else many or one + 's'}"
