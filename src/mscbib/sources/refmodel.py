"""The trained reference-string model: a linear-chain CRF (python-crfsuite) that labels each token of a printed
reference with its field, and the step from labels to fields.

The model file ``mscbib/data/refmodel.crfsuite`` ships in the package; ``scripts/train_refmodel.py`` makes it from
the hand-labelled data of AnyStyle and GROBID (see ``NOTICE``). Nothing is downloaded at run time. Many strings at
once (:func:`tag_many`) are tagged by :mod:`mscbib.sources.crf` (the same model's inference in numpy, on state
scores summed once per token text: several times faster per string); a lone one (:func:`tag`) by crfsuite.

Labels: ``author editor title journal container collection publisher location date volume issue pages edition
genre doi url isbn identifier number note other``.

Features, as in the field's parsers (GROBID, AnyStyle, ParsCit): the word, its shape, case, digits, the
punctuation it carries, its place in the string, whether it is a given-name initial, a month, a word of a
journal abbreviation, a publisher's place, ``et al.``, ``In:``, ``eds``, ``pp.``, ``vol.``; and the same of the
neighbouring tokens.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from itertools import chain, groupby, repeat
from operator import itemgetter
from typing import TypeVar, cast

import numpy as np

from ..text import MONTH_NAMES
from . import crf

__all__ = ["tokenize", "features", "LABELS", "Tagged", "tag", "tag_many", "model_available", "MAX_CHARS"]

LABELS = (
    "author",
    "editor",
    "title",
    "journal",
    "container",
    "collection",
    "publisher",
    "location",
    "date",
    "volume",
    "issue",
    "pages",
    "edition",
    "genre",
    "doi",
    "url",
    "isbn",
    "identifier",
    "number",
    "note",
    "other",
)

#: The longest reference the model reads (characters): past that a "reference" is a pasted page, and only its
#: start is labelled (the whole text is still kept). Bounds the time one string may take.
MAX_CHARS = 2000
MAX_TOKENS = 400

_TOKEN = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+"  # a URL, whole
    r"|\b(?:doi:\s?)?10\.\s?\d{4,9}/[^\s\"<>]+"  # a DOI, whole
    r"|[^\s,;:()\[\]\"“”]+"  # a word with its stops and hyphens
    r"|[,;:()\[\]\"“”]"  # a separator on its own
)


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, token)`` of ``text``: words keep their full stops and hyphens (``J.``, ``1761–1800``);
    commas, semicolons, colons, brackets and quotes are tokens of their own; a URL or DOI is one token."""
    return [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]


# -- word lists ----------------------------------------------------------------------------------------------------
#: month words of a date in a reference: each month's name (text.MONTH_NAMES), its three-letter form, ``sept``, seasons
_MONTHS = {*MONTH_NAMES, *(m[:3] for m in MONTH_NAMES), "sept", "spring", "summer", "autumn", "fall", "winter"}
_JOURNAL_WORDS = {
    "j",
    "journal",
    "proc",
    "proceedings",
    "rev",
    "review",
    "reviews",
    "lett",
    "letters",
    "phys",
    "med",
    "biol",
    "chem",
    "am",
    "soc",
    "int",
    "ann",
    "trans",
    "acad",
    "sci",
    "res",
    "clin",
    "eur",
    "natl",
    "nat",
    "cell",
    "mol",
    "appl",
    "math",
    "comput",
    "eng",
    "bull",
    "acta",
    "arch",
    "physiol",
    "neurosci",
    "immunol",
    "genet",
    "biochem",
    "biophys",
    "pharmacol",
    "opt",
    "mater",
    "astron",
    "astrophys",
    "nucl",
    "geophys",
    "ecol",
    "environ",
    "psychol",
    "stat",
    "econ",
    "quart",
    "q",
    "curr",
    "adv",
    "methods",
    "commun",
    "syst",
    "inf",
    "theor",
    "exp",
    "med.",
    "oncol",
    "cancer",
    "surg",
    "neurol",
    "cardiol",
    "pediatr",
    "endocrinol",
    "microbiol",
    "virol",
    "dent",
    "vet",
    "nurs",
    "public",
    "health",
    "epidemiol",
    "infect",
    "dis",
    "hepatol",
    "gastroenterol",
    "rheumatol",
    "radiol",
    "res.",
    "jpn",
    "br",
    "can",
    "aust",
    "zh",
    "z",
    "zeitschrift",
    "annals",
    "bulletin",
    "transactions",
    "ieee",
    "acm",
    "siam",
    "plos",
    "bmc",
    "nature",
    "science",
    "lancet",
    "jama",
    "bmj",
    "nejm",
    "engl",
    "magazine",
}
_PLACES = {
    "new",
    "york",
    "london",
    "oxford",
    "cambridge",
    "berlin",
    "paris",
    "amsterdam",
    "boston",
    "chicago",
    "heidelberg",
    "tokyo",
    "princeton",
    "washington",
    "dc",
    "philadelphia",
    "san",
    "francisco",
    "diego",
    "ny",
    "ma",
    "ca",
    "nj",
    "uk",
    "usa",
    "germany",
    "france",
    "netherlands",
    "switzerland",
    "basel",
    "geneva",
    "leipzig",
    "munich",
    "münchen",
    "wien",
    "vienna",
    "stuttgart",
    "dordrecht",
    "singapore",
    "hoboken",
    "baltimore",
    "toronto",
    "sydney",
    "moscow",
    "milan",
    "madrid",
    "barcelona",
    "beijing",
    "shanghai",
    "berkeley",
    "los",
    "angeles",
    "thousand",
    "oaks",
    "upper",
    "saddle",
    "river",
    "englewood",
    "cliffs",
    "reading",
    "edinburgh",
    "frankfurt",
    "hamburg",
    "zürich",
    "zurich",
    "bern",
    "stockholm",
    "copenhagen",
    "oslo",
    "helsinki",
    "rome",
    "tübingen",
    "göttingen",
    "cham",
    "norwell",
    "bristol",
    "manchester",
    "amherst",
    "ithaca",
    "austin",
    "seattle",
    "pittsburgh",
    "mahwah",
    "hillsdale",
    "newbury",
    "park",
    "belmont",
    "redwood",
    "city",
    "orlando",
}
_PUBLISHER_WORDS = {
    "press",
    "publishers",
    "publisher",
    "publishing",
    "springer",
    "elsevier",
    "wiley",
    "verlag",
    "university",
    "univ",
    "academic",
    "books",
    "inc",
    "ltd",
    "co",
    "sons",
    "routledge",
    "sage",
    "pergamon",
    "kluwer",
    "addison-wesley",
    "mcgraw-hill",
    "prentice",
    "hall",
    "blackwell",
    "norton",
    "macmillan",
    "penguin",
    "taylor",
    "francis",
    "ed.",
    "éditions",
    "editions",
    "gmbh",
}
_GENRE_WORDS = {
    "thesis",
    "dissertation",
    "phd",
    "ph.d",
    "msc",
    "master's",
    "doctoral",
    "report",
    "technical",
    "working",
    "paper",
    "preprint",
    "manuscript",
    "unpublished",
    "diss",
    "habilitation",
    "tech",
    "memorandum",
    "arxiv",
    "biorxiv",
    "medrxiv",
    "submitted",
    "press",
    "accessed",
    "retrieved",
    "available",
    "online",
    "cited",
}
_EDITOR_WORDS = {
    "ed",
    "eds",
    "ed.",
    "eds.",
    "(ed.)",
    "(eds.)",
    "editor",
    "editors",
    "edited",
    "hrsg",
    "hrsg.",
    "hg",
    "hg.",
    "dir",
    "dir.",
}
_VOLUME_WORDS = {"vol", "vol.", "volume", "vols", "vols.", "bd", "bd.", "band", "t.", "tome", "v."}
_ISSUE_WORDS = {"no", "no.", "nr", "nr.", "issue", "heft", "n.", "number", "num", "num."}
_PAGE_WORDS = {"p", "p.", "pp", "pp.", "pages", "page", "s.", "seiten"}
_EDITION_WORDS = {"edn", "edn.", "edition", "ed.", "aufl", "aufl.", "auflage", "éd", "éd."}
_IN_WORDS = {"in", "in:", "dans", "in:"}

_RUNS = re.compile(r"(?<=xx)x+|(?<=XX)X+|(?<=dd)d+")
_YEAR = re.compile(r"^\(?(?:1[5-9]|20)\d{2}[a-z]?\)?[.,;:]?$")
_RANGE = re.compile(r"^[A-Za-z]{0,3}\d+[A-Za-z]?[-–—‐]{1,2}[A-Za-z]{0,3}\d+[A-Za-z]?[.,;]?$")
_INITIAL = re.compile(r"^(?:[A-Z][a-z]?\.(?:-?[A-Z]\.)*|[A-Z]{1,3})[,.]?$")
_ROMAN = re.compile(r"^[IVXLC]+[.,]?$")


def _word_table() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Word-list features by the token's lower-cased core (``Phys.`` → ``phys``) and by the whole lower-cased
    token (``vol.``, ``pp.``, ``eds.``)."""
    by_core: dict[str, list[str]] = {}
    words: Iterable[str]
    for name, words in (
        ("month", _MONTHS),
        ("jword", _JOURNAL_WORDS),
        ("place", _PLACES),
        ("pubword", _PUBLISHER_WORDS),
        ("genre", _GENRE_WORDS),
        ("eds", _EDITOR_WORDS),
        ("etal", ("et", "al", "al.", "others")),
        ("and", ("and", "&", "und", "et", "y")),
    ):
        for w in words:
            by_core.setdefault(w, []).append(name)
    for w in ("doi", "pmid", "pmcid", "isbn", "issn", "arxiv", "url", "http"):
        by_core.setdefault(w, []).append("idword=" + w)
    by_token: dict[str, list[str]] = {}
    for name, words in (
        ("eds", _EDITOR_WORDS),
        ("vol", _VOLUME_WORDS),
        ("no", _ISSUE_WORDS),
        ("pp", _PAGE_WORDS),
        ("edn", _EDITION_WORDS),
        ("etal", ("al.",)),
    ):
        for w in words:
            by_token.setdefault(w, []).append(name)
    return ({k: tuple(v) for k, v in by_core.items()}, {k: tuple(v) for k, v in by_token.items()})


_WORDS, _EXACT = _word_table()


_NUMBER_SHAPES = frozenset(
    (
        "d",
        "dd",
        "d,",
        "dd,",
        "d.",
        "dd.",
        "d:",
        "dd:",
        "d;",
        "dd;",
        "(d",
        "(dd",
        "d)",
        "dd)",
        "dd-dd",
        "dd–dd",
        "dd-dd.",
        "dd–dd.",
        "dd-dd,",
        "dd–dd,",
        "Xd",
        "Xdd",
        "xdd",
        "dd(d",
    )
)


_SHAPE_TABLE = {c: "X" for c in range(0x2500) if chr(c).isupper()}
_SHAPE_TABLE.update({c: "x" for c in range(0x2500) if chr(c).islower()})
_SHAPE_TABLE.update({c: "d" for c in range(0x2500) if chr(c).isdigit()})


def _shape(word: str) -> str:
    """``Smith,`` → ``Xxx,``; ``1761–1800.`` → ``dd–dd.``: case and digits, runs cut to two."""
    return _RUNS.sub("", word.translate(_SHAPE_TABLE))


_STRIP = ".,;:()[]\"“”'‘’«»"
_OPEN_QUOTES = "\"“„«‘'"
_CLOSE_QUOTES = "\"”»’'"
# flags a token carries for the features that depend on what came before it (see :func:`features`)
_F_NUMBER, _F_YEAR, _F_STOP, _F_OPEN, _F_CLOSE, _F_PAREN_OPEN, _F_PAREN_CLOSE = 1, 2, 4, 8, 16, 32, 64
#: the neighbour-window and suffix features a model is trained with: ``scripts/train_refmodel.py --no-window2
#: --no-suffix`` drops them for an ablation (the shipped model and this module must agree)
WINDOW2 = True
SUFFIX = True
_DIGITS = tuple(b"digits=%d" % i for i in range(6))
# what a token's neighbours see of it, besides its word and shape
_NEIGHBOUR_VIEW = frozenset(
    x.encode()
    for x in (
        "year",
        "initial",
        "month",
        "jword",
        "etal",
        "eds",
        "In",
        "pp",
        "vol",
        "no",
        "range",
        "place",
        "pubword",
        "genre",
        "stop",
        "quote",
    )
)
_WORDS_B = {k: tuple(x.encode() for x in v) for k, v in _WORDS.items()}
_EXACT_B = {k: tuple(x.encode() for x in v) for k, v in _EXACT.items()}


Value = TypeVar("Value")


class _ByText(dict[str, Value]):
    """A function of a token text, kept for each text it was asked (``cache[text]``, or ``cache(text)``): a
    dict, so a token seen before costs one look-up (``map(cache.__getitem__, texts)`` stays in C), where
    ``lru_cache``'s bookkeeping of a bounded cache cost as much as a new text's features. Past ``limit`` texts it
    starts again (a long run meets ever new token texts)."""

    def __init__(self, of: Callable[[str], Value], limit: int = 200_000) -> None:
        super().__init__()
        self.of = of
        self.limit = limit
        self.__doc__ = of.__doc__

    def __missing__(self, text: str) -> Value:
        if len(self) >= self.limit:
            self.clear()
        value = self[text] = self.of(text)
        return value

    __call__ = dict.__getitem__

    def cache_clear(self) -> None:
        self.clear()


def _word_parts_of(tok: str) -> tuple[tuple[bytes, ...], tuple[bytes, ...], int]:
    """The token's own features, the features its neighbours see of it besides its word (the first of its own;
    not yet marked with the neighbour's offset: :data:`_VIEWS` does that) and its flags (:data:`_F_NUMBER`…);
    cached by token text. Features are bytes, which crfsuite takes without converting them.

    Own features: the word (lower case, without its punctuation), its shape (case, digits and punctuation,
    ``Smith,`` → ``Xxx,``: so no separate case or punctuation features), its last three letters, the number of
    digits of a number, year, page range, initial, Roman numeral, and the word lists (month, journal word, place,
    publisher word, genre, editor, volume, issue, pages, edition, ``In``, ``et al.``, ``and``, identifier words),
    a link, a full stop that may end a segment, a quotation mark. What the neighbours see: the word, the shape's
    first six characters and those of the own features in :data:`_NEIGHBOUR_VIEW`, in the same order."""
    core = tok.strip(_STRIP)
    low = core.lower()
    shape = _RUNS.sub("", tok.translate(_SHAPE_TABLE))
    word = b"w=" + (low[:20] or tok).encode()
    shape8 = b"shape=" + shape[:8].encode()
    f = [word, shape8]
    n = [shape8 if len(shape) <= 6 else b"shape=" + shape[:6].encode()]
    if SUFFIX and len(low) > 3:
        f.append(b"suf=" + low[-3:].encode())
    flags = 0
    first, last = tok[0], tok[-1]
    initial = False
    if "d" in shape:
        if core.isdigit():
            f.append(_DIGITS[min(len(core), 5)])
        if shape[:8] in _NUMBER_SHAPES:
            flags = _F_NUMBER
        if _YEAR.match(tok):
            f.append(b"year")
            n.append(b"year")
            flags |= _F_YEAR
        if _RANGE.match(tok):
            f.append(b"range")
            n.append(b"range")
    elif first.isupper():
        if len(tok) <= 8 and _INITIAL.match(tok):
            f.append(b"initial")
            n.append(b"initial")
            initial = True
        if first in "IVXLC" and _ROMAN.match(tok):
            f.append(b"roman")
    listed = _WORDS_B.get(low, ())
    lt = tok.lower()
    exact = _EXACT_B.get(lt)
    if exact:
        listed = listed + tuple(x for x in exact if x not in listed)
    if last == "." and 1 < len(core) <= 7 and b"jword" not in listed and core[0].isupper() and core[1:].islower():
        listed += (b"jword",)
    if listed:
        f.extend(listed)
        n.extend(x for x in listed if x in _NEIGHBOUR_VIEW)
    if first == "I" and lt in _IN_WORDS:
        f.append(b"In")
        n.append(b"In")
    if "/" in tok and ("10." in tok or "://" in tok or tok.startswith("www.")):
        f.append(b"link")
    if last == "." and len(tok) > 3 and not initial:
        f.append(b"stop")  # a full stop that may end a segment (not an initial's)
        n.append(b"stop")
        flags |= _F_STOP
    # quotes and brackets: the title of an article or chapter is often quoted, a year or a place bracketed
    if tok in _PARENS:
        flags |= _PARENS[tok]
    quote = False
    if first in _OPEN_QUOTES and (len(tok) > 1 or first in '"“„«‘'):
        flags |= _F_OPEN
        quote = True
    if last in _CLOSE_QUOTES and (len(tok) > 1 or last in '"”»’'):
        flags |= _F_CLOSE
        quote = True
    if quote:
        f.append(b"quote")
        n.append(b"quote")
    return tuple(f), tuple(n), flags


_PARENS = {"(": _F_PAREN_OPEN, "[": _F_PAREN_OPEN, ")": _F_PAREN_CLOSE, "]": _F_PAREN_CLOSE}
#: how a token's view (its word and what :func:`_word_parts` gives) becomes features of the token it neighbours,
#: for each part of :func:`_word_features` past the first: the prefix its features get, and whether it is the word
#: alone (the tokens two before and two after show only their word, when the model has them: :data:`WINDOW2`)
_VIEWS = ((b"-1", False), (b"+1", False), (b"-2", True), (b"+2", True))


_word_parts = _ByText(_word_parts_of)


def _word_features_of(tok: str) -> tuple:
    """The token's own features, what its neighbours see of it (as the token before, after, two before and two
    after them), and its flags (:data:`_F_NUMBER`…); cached by token text (see :func:`_word_parts`)."""
    own, rest, flags = _word_parts[tok]
    word = own[0]
    views = [
        ((prefix + word,) if WINDOW2 else ()) if alone else (prefix + word, *[prefix + x for x in rest])
        for prefix, alone in _VIEWS
    ]
    return (own, *views, flags)


_word_features = _ByText(_word_features_of)


# the edges of a string, as a neighbour: "BOS" before the first token, "EOS" after the last
_EDGE_TOKEN = ((), (b"BOS",), (b"EOS",), (), (), 0)


def _context(pos: int, i: int, after_year: bool, stops: int, ahead: int, quote: int, paren: bool) -> tuple:
    """The features of a token's place in the string: tenth of the string, first three tokens, after the year,
    full stops before it, distance to the next number, inside or after a quotation, inside brackets."""
    g = ["pos=%d" % pos, "stops=%d" % stops, "numahead=%d" % ahead]
    if i < 3:
        g.append("first%d" % i)
    if after_year:
        g.append("after_year")
    if quote:
        g.append(("inquote", "afterquote")[quote - 1])
    if paren:
        g.append("inparen")
    return tuple(x.encode() for x in g)


#: the :func:`_context` features made so far (of the 10 × 4 × 2 × 7 × 7 × 3 × 2 there are), by a small integer
#: key: a list index is the cheapest lookup there is, and this runs for every token
_CONTEXTS: list[tuple | None] = [None] * (10 * 4 * 2 * 7 * 7 * 3 * 2)
_NUMERIC = _F_NUMBER | _F_YEAR


_FLAGS = itemgetter(5)  # a token's flags in its _word_features


_PART_FLAGS = itemgetter(2)  # a token's flags in its _word_parts


#: the flags that change a token's place for the tokens after it
_EVENTS = _F_NUMBER | _F_YEAR | _F_STOP | _F_OPEN | _F_CLOSE | _F_PAREN_OPEN | _F_PAREN_CLOSE


#: what a token's features are made of besides its own part (``_word_features(t)[0]``) and its place
#: (:func:`_context`), in this order: (the neighbour's offset, the part of its ``_word_features`` it shows). Both
#: :func:`features` (training) and the tagger's scorer (:func:`tag_many`, which sums each part's weights once per
#: token text) read it, so the two see the same features
_WINDOW = ((-1, 1), (-2, 3), (1, 2), (2, 4))


def features(tokens: list[str]) -> list[list[bytes]]:
    """The CRF's features of each token of one reference (as bytes: ``b"w=smith"``, ``b"-1initial"``…)."""
    n = len(tokens)
    if not n:
        return []
    own, keys = _parts(tokens)
    ctx = cast(list[tuple], _CONTEXTS)  # _parts filled the keys' entries
    # one list per token (crfsuite takes any sequence, and a list unpacked from the parts is the cheapest to build):
    # its own features, its place, and what its neighbours show of themselves
    p = [_EDGE_TOKEN, _EDGE_TOKEN, *own, _EDGE_TOKEN, _EDGE_TOKEN]
    (a, pa), (b, pb), (c, pc), (d, pd) = _AT
    return [[*p[i + 2][0], *ctx[keys[i]], *p[i + a][pa], *p[i + b][pb], *p[i + c][pc], *p[i + d][pd]] for i in range(n)]


_AT = tuple((2 + off, part) for off, part in _WINDOW)  # a neighbour's place in features()'s padded list


def _parts(tokens: list[str]) -> tuple[list[tuple], list[int]]:
    """What the features of a non-empty reference are made of: each token's :func:`_word_features`, and the key
    of its place features in :data:`_CONTEXTS` (filled in here)."""
    own = list(map(_word_features.__getitem__, tokens))
    return own, _places(tokens, list(map(_FLAGS, own)))


def _places(tokens: list[str], flags: list[int]) -> list[int]:
    """The key of each token's place features in :data:`_CONTEXTS` (filled in here), from the tokens' flags."""
    n = len(tokens)
    # how far the next number is (a journal or book title runs up to its volume, year or pages): the key's part
    ahead = [0] * n
    d = 6
    for i in range(n - 1, -1, -1):
        ahead[i] = d
        d = 1 if flags[i] & _NUMERIC else (d + 1 if d < 6 else 6)
    # the key of _CONTEXTS: pos + 10 * (i + 4 * (after_year + 2 * (stops + 7 * (ahead + 7 * (quote + 3 * paren)))));
    # the part that changes only at an event (a year, a full stop, a quotation mark, a bracket) is kept as
    # ``state`` and computed again only there
    contexts = _CONTEXTS
    ctx = []
    after_year = stops = quote = paren = 0
    state = 0
    for i in range(n):
        fl = flags[i]
        opened = False
        if fl & _F_OPEN and quote != 1:
            quote, opened = 1, True
            state = 40 * (after_year + 2 * stops + 14 * 7 * (quote + 3 * (paren > 0)))
        k = 10 * i // n + (10 * i if i < 3 else 30) + 40 * 2 * 7 * ahead[i] + state
        if contexts[k] is None:
            contexts[k] = _context(10 * i // n, i if i < 3 else 3, after_year == 1, stops, ahead[i], quote, paren > 0)
        ctx.append(k)
        if fl & _EVENTS:
            if fl & _F_YEAR:
                after_year = 1
            if fl & _F_STOP and stops < 6:
                stops += 1
            if fl & _F_CLOSE and quote == 1 and not (opened and len(tokens[i]) == 1):
                quote = 2  # a lone '"' that just opened a quotation does not close it
            if fl & _F_PAREN_OPEN:
                paren += 1
            elif fl & _F_PAREN_CLOSE and paren:
                paren -= 1
            state = 40 * (after_year + 2 * stops + 14 * 7 * (quote + 3 * (paren > 0)))
    return ctx


def _places_many(tokens: Sequence[str | None], flags: crf.Ints, lengths: crf.Ints) -> crf.Ints:
    """:func:`_places` of many references at once, in numpy: ``flags`` of their tokens one reference after the
    other (``tokens``: the same, read only at quotation marks), ``lengths`` of each; the same keys (a test
    compares the two on every pack string), and :data:`_CONTEXTS` filled in for them."""
    n_all = len(flags)
    if not n_all:
        return np.zeros(0, dtype=np.intp)
    seg = np.repeat(np.arange(len(lengths)), lengths)
    starts = np.cumsum(lengths) - lengths
    first = starts[seg]
    local = np.arange(n_all) - first  # the token's place in its reference

    def before(mask: crf.Ints) -> crf.Ints:  # how many tokens of its reference before each have ``mask``
        c = np.cumsum(mask) - mask
        return c - c[first]

    after_year = before(((flags & _F_YEAR) > 0).astype(np.intp)) > 0
    stops = np.minimum(before(((flags & _F_STOP) > 0).astype(np.intp)), 6)
    # brackets open: a count that does not go below 0, the prefix sum less its lowest value so far (within the
    # reference: each reference's sums pushed below all those before it, so a running minimum stays in it)
    far = 2 * int(lengths.max(initial=0)) + 2
    sums = before(((flags & _F_PAREN_OPEN) > 0).astype(np.intp) - ((flags & _F_PAREN_CLOSE) > 0)) - seg * far
    paren = (sums - np.minimum.accumulate(sums)) > 0
    # how far the next number is, up to 6: a running minimum from the end of each token's next number's place
    numeric = (flags & _NUMERIC) > 0
    base = seg * (4 * far)  # each reference's numbers above all those of the references before it
    nearest = np.minimum.accumulate((base + np.where(numeric, local, 2 * far))[::-1])[::-1]
    ahead = np.minimum(np.append(nearest[1:], base[-1:] + 4 * far) - (base + local), 6)
    # quotation marks: a small machine, run over the tokens that carry one only
    quote = np.zeros(n_all, dtype=np.intp)
    events = np.flatnonzero(flags & (_F_OPEN | _F_CLOSE))
    if len(events):
        at_mark, after_mark = [], []
        q, last = 0, -1
        for i, fl, s in zip(events.tolist(), flags[events].tolist(), seg[events].tolist()):
            if s != last:
                q, last = 0, s
            opened = False
            if fl & _F_OPEN and q != 1:
                q, opened = 1, True
            at_mark.append(q)
            if fl & _F_CLOSE and q == 1 and not (opened and len(cast(str, tokens[i])) == 1):
                q = 2
            after_mark.append(q)
        mark = np.full(n_all, -1, dtype=np.intp)
        mark[events] = np.arange(len(events))
        latest = np.maximum.accumulate(mark)  # the last mark at or before each token
        same = (latest >= 0) & (seg[events[np.maximum(latest, 0)]] == seg)
        quote = np.where(same, np.array(after_mark, dtype=np.intp)[np.maximum(latest, 0)], 0)
        quote[events] = at_mark
    keys = 10 * local // lengths[seg] + 10 * np.minimum(local, 3) + 560 * ahead
    keys += 40 * after_year + 80 * stops + 3920 * (quote + 3 * paren)
    contexts = _CONTEXTS
    for k in np.unique(keys).tolist():
        if contexts[k] is None:
            contexts[k] = _context(
                k % 10, k // 10 % 4, k // 40 % 2 == 1, k // 80 % 7, k // 560 % 7, k // 3920 % 3, k // 11760 > 0
            )
    return keys


# -- the model ------------------------------------------------------------------------------------------------------
_MODEL_NAME = "refmodel.crfsuite"
_local = threading.local()


def _data_file(name: str) -> str | None:
    """The path of the package's data file ``name`` (``mscbib/data/``), if it is there."""
    try:
        p = resources.files("mscbib") / "data" / name
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover
        return None
    return str(p) if p.is_file() else None


def _model_path() -> str | None:
    return _data_file(_MODEL_NAME)


def model_available() -> bool:
    try:
        import pycrfsuite  # noqa: F401
    except ImportError:  # pragma: no cover - a declared dependency
        return False
    return _model_path() is not None


def _model_file(path: str | None) -> str:
    """``path``, else the shipped model's file (crfsuite's tagger and :func:`_scorer` open the same one)."""
    p = path or _model_path()
    if p is None:
        raise FileNotFoundError(f"the reference model {_MODEL_NAME} is missing from the mscbib package")
    return p


def _tagger(path: str | None = None):
    """One tagger per thread (a crfsuite tagger is not thread-safe)."""
    key = path or "default"
    taggers = getattr(_local, "taggers", None)
    if taggers is None:
        taggers = _local.taggers = {}
    t = taggers.get(key)
    if t is None:
        import pycrfsuite

        t = pycrfsuite.Tagger()
        t.open(_model_file(path))
        taggers[key] = t
    return t


@dataclass
class Tagged:
    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    #: the model's confidence in each token's label: the mean marginal probability of the ends of its run
    confidence: list[float] = field(default_factory=list)


class _Scorer:
    """A table of weights by attribute (a :class:`crf.Model`: the CRF's, :func:`crf.read_model`, a column per
    label; or the network's embeddings, :mod:`mscbib.sources.refnet`, a column per dimension) and the sums of what
    repeats: per token text, the sums of its own part and of each view its neighbours get of it (:data:`_WINDOW`),
    and per place key (:data:`_CONTEXTS`) those of its place features. A reference's state scores (or the
    network's inputs) are then a few gathers and adds, with no attribute built or looked up again."""

    def __init__(self, model: crf.Model) -> None:
        self.model = model
        self.labels = model.labels
        k_n = len(self.labels)
        # every attribute by its feature: own (column 0), or as part 1…4 of _word_features (the views' marks)
        self._rows, self._ids = self.model.by_prefix((b"", *(prefix for prefix, _ in _VIEWS)))
        # how each neighbour's view (_WINDOW) is kept per token text: its sums, in a table of self.tokens (j ≥ 1),
        # or, a view of the word alone, the row of model.state of that one attribute, in a column of the tags
        # (c ≥ 1; column 0: the flags): (offset, part, j or 0, c or 0)
        tabled = [part for _, part in _WINDOW if not _VIEWS[part - 1][1]]
        worded = [part for _, part in _WINDOW if _VIEWS[part - 1][1]]
        self._views = [
            (
                off,
                part,
                tabled.index(part) + 1 if part in tabled else 0,
                worded.index(part) + 1 if part in worded else 0,
            )
            for off, part in _WINDOW
        ]
        self.tokens: crf.Rows[str | None] = crf.Rows(self._token_rows, 1 + len(tabled), k_n, 1 + len(worded))
        self._places = np.zeros((len(_CONTEXTS), k_n))  # by place key, filled as keys come
        self._placed = np.zeros(len(_CONTEXTS), dtype=bool)
        self._places_lock = threading.Lock()

    def _token_rows(self, keys: list[str | None], into: list[crf.Floats]) -> crf.Ints:
        """The score vectors of each token text's own part (into ``into[0]``) and of the views of it its
        neighbours get (``None``: the string's edge), the sums of their attributes in the order of
        :func:`_word_features`'s (the same sums as of its parts, to the last bit); and its tags: its flags, and
        for each view of its word alone the row of :attr:`model`'s state of that attribute (see ``_views``)."""
        model, ids = self.model, self._ids
        texts = [k for k in keys if k is not None]
        parts = list(map(_word_parts.__getitem__, texts))
        own = [p[0] for p in parts]
        rest = [p[1] for p in parts]
        m = len(texts)
        row, none = self._rows.get, len(ids) - 1
        r_own = np.fromiter(map(row, chain.from_iterable(own), repeat(none)), np.intp)
        r_rest = np.fromiter(map(row, chain.from_iterable(rest), repeat(none)), np.intp)
        own_sizes = np.fromiter(map(len, own), np.intp, m)
        rest_sizes = np.fromiter(map(len, rest), np.intp, m)
        r_word = r_own[np.cumsum(own_sizes) - own_sizes]  # the word: the first of a token's own features
        tags = np.full((len(keys), 1 + sum(1 for *_, c in self._views if c)), model.pad, dtype=np.intp)
        if m < len(keys):  # the edge (first, as Rows asks for new keys in their order, and keys start with it)
            if keys.index(None):
                raise ValueError("the edge comes first")
            tags[0, 0] = 0
            into[0][0] = 0.0
            for _, part, j, _c in self._views:
                group = cast(tuple, _EDGE_TOKEN[part])  # "BOS" and "EOS"; no own part, no word
                edge_ids = np.fromiter(map(model.attributes.get, group, repeat(model.unknown)), np.intp, len(group))
                if j:
                    model.sums(edge_ids, np.array([len(group)]), out=into[j][:1])
                elif len(edge_ids):
                    raise ValueError("a view of the word alone at the edge")
            into = [t[1:] for t in into]
        texts_tags = tags[len(keys) - m :]
        model.sums(ids[r_own, 0], own_sizes, out=into[0])
        for _, part, j, c in self._views:
            if j:
                model.sums(ids[r_rest, part], rest_sizes, first=ids[r_word, part], out=into[j])
            elif WINDOW2:
                texts_tags[:, c] = ids[r_word, part]
        texts_tags[:, 0] = np.fromiter(map(_PART_FLAGS, parts), np.intp, m)
        return tags

    def _place_rows(self, keys: crf.Ints) -> crf.Floats:
        """``(len(_CONTEXTS), K)``: the score vectors of the place features by key, those of ``keys`` filled in."""
        with self._places_lock:
            new = np.unique(keys)
            new = new[~self._placed[new]]
            if len(new):
                groups = [cast(tuple, _CONTEXTS[k]) for k in new.tolist()]
                flat = np.fromiter(
                    map(self.model.attributes.get, chain.from_iterable(groups), repeat(self.model.unknown)), np.intp
                )
                self._places[new] = self.model.sums(flat, np.fromiter(map(len, groups), np.intp, len(groups)))
                self._placed[new] = True
        return self._places

    def state(self, batch: list[list[str]]) -> tuple[crf.Floats, crf.Ints, tuple[crf.Ints, ...]]:
        """The state scores of a batch of references' tokens, the longest first: ``(L, B, K)``, time first and
        padded to the longest (as :func:`crf.viterbi` takes them); the lengths; and where each token is in it
        (its step and its reference, token after token of one reference after the other)."""
        reach = max(abs(off) for off, _ in _WINDOW)
        edge: list[str | None] = [None] * reach
        keys = edge.copy()
        for toks in batch:  # the tokens of one reference after the other, between edges
            keys += toks
            keys += edge
        lengths = np.fromiter(map(len, batch), np.intp, len(batch))
        seq = np.repeat(np.arange(len(batch)), lengths)
        step = np.arange(len(seq)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        at = np.arange(len(seq)) + reach * (seq + 1)  # each token's place in keys
        tokens = self.tokens
        with tokens.lock:
            tid = tokens.ids(keys)
            own = tid[at]
            tags = tokens.tags()
            places = _places_many(list(chain.from_iterable(batch)), tags[own, 0], lengths)
            # in the order of features(): own part, place, then the neighbours' views
            score = tokens.table(0).take(own, axis=0)
            score += self._place_rows(places).take(places, axis=0)
            state = self.model.state
            for off, _, j, c in self._views:
                score += (
                    tokens.table(j).take(tid[at + off], axis=0) if j else state.take(tags[tid[at + off], c], axis=0)
                )
        out = np.zeros((int(lengths[0]), len(batch), score.shape[1]))
        out[step, seq] = score
        return out, lengths, (step, seq)


_scorers: dict[str, _Scorer] = {}
_scorers_lock = threading.Lock()


def _scorer(path: str | None = None) -> _Scorer:
    """The scorer of the model at ``path`` (the shipped one by default), made once and shared by all threads."""
    key = path or "default"
    s = _scorers.get(key)
    if s is None:
        with _scorers_lock:
            s = _scorers.get(key)
            if s is None:
                s = _scorers[key] = _Scorer(crf.read_model(_model_file(path)))
    return s


#: a batch of references tagged together holds up to this many tokens (its longest reference's length times the
#: number of references: the arrays of one batch stay within the processor's cache)
_BATCH_TOKENS = 16_384
#: fewer references than this are tagged by crfsuite, one by one: numpy's cost per step of a batch (the same for
#: one reference as for a hundred) makes a batch of one several times slower than crfsuite
_MIN_BATCH = 4


def tag_many(texts: Iterable[str], model: str | None = None) -> list[Tagged]:
    """Label the tokens of each reference string (its first :data:`MAX_CHARS` characters), many at once: the
    same labels as crfsuite's tagger gives for :func:`features`, and the same confidences up to float rounding
    (the CRF's inference in numpy, :mod:`mscbib.sources.crf`, on state scores summed once per token text)."""
    out = [_tokens(text) for text in texts]
    todo = [t for t in out if t.tokens]
    if len(todo) < _MIN_BATCH:
        for t in todo:
            _tag_crfsuite(t, model)
        return out
    scorer = _scorer(model)
    names = np.array(scorer.labels, dtype=object)
    trans = scorer.model.transition
    todo.sort(key=lambda t: -len(t.tokens))  # the longest first: the references still going at a step come first
    start = 0
    while start < len(todo):
        batch = todo[start : start + max(1, _BATCH_TOKENS // len(todo[start].tokens))]
        start += len(batch)
        state, lengths, where = scorer.state([t.tokens for t in batch])
        try:
            best = crf.viterbi(state, lengths, trans)
            # token after token of one reference after the other: each token's label and its marginal
            ys = best[where]
            marginal = crf.marginals(state, lengths, trans, (where[0], where[1], ys)).tolist()
        except FloatingPointError:  # pragma: no cover - scores this model cannot give
            for t in batch:
                _tag_crfsuite(t, model)
            continue
        labels = names[ys].tolist()
        i = 0
        for t, k in zip(batch, lengths.tolist()):
            lab = t.labels = labels[i : i + k]
            t.confidence = _confidence(t.tokens, lab, marginal[i : i + k].__getitem__)
            i += k
    return out


def _confidence(toks: list[str], labels: list[str], marginal: Callable[[int], float]) -> list[float]:
    """The model's confidence in each token's label: that of its run of one label, the mean of the marginals of
    the run's first and last words (a bracket or a comma at a run's edge says little); ``marginal(t)``: that of
    token t's label (asked only for the runs' ends)."""
    conf: list[float] = []
    i = 0
    for _, run in groupby(labels):
        k = len(list(run))
        a, b = i, i + k - 1
        while a < b and not toks[a][0].isalnum():
            a += 1
        while b > a and not toks[b][0].isalnum():
            b -= 1
        conf.extend([(marginal(a) + marginal(b)) / 2 if b > a else marginal(a)] * k)
        i += k
    return conf


def tag(text: str, model: str | None = None) -> Tagged:
    """Label the tokens of one reference string (its first :data:`MAX_CHARS` characters): what :func:`tag_many`
    gives for it; crfsuite tags a lone string (see :data:`_MIN_BATCH`)."""
    out = _tokens(text)
    if out.tokens:
        _tag_crfsuite(out, model)
    return out


def _tokens(text: str) -> Tagged:
    """``text`` tokenized (its first :data:`MAX_CHARS` characters, up to :data:`MAX_TOKENS` tokens), not labelled."""
    found = list(_TOKEN.finditer(text[:MAX_CHARS]))[:MAX_TOKENS]
    return Tagged(text=text, spans=list(map(_SPAN, found)), tokens=list(map(_GROUP, found)))


_SPAN, _GROUP = re.Match.span, re.Match.group


def _tag_crfsuite(out: Tagged, model: str | None = None) -> None:
    """Fill ``out``'s labels and confidences through crfsuite's own tagger, on :func:`features`."""
    tagger = _tagger(model)
    toks = out.tokens
    labels = out.labels = tagger.tag(features(toks))
    out.confidence = _confidence(toks, labels, lambda t: tagger.marginal(labels[t], t))
