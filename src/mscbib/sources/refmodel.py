"""The trained reference-string model: a linear-chain CRF (python-crfsuite) that labels each token of a printed
reference with its field, and the step from labels to fields.

The model file ``mscbib/data/refmodel.crfsuite`` ships in the package; ``scripts/train_refmodel.py`` makes it from
the hand-labelled data of AnyStyle and GROBID (see ``NOTICE``). Nothing is downloaded at run time.

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
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

__all__ = ["tokenize", "features", "LABELS", "Tagged", "tag", "model_available", "MAX_CHARS"]

LABELS = ("author", "editor", "title", "journal", "container", "collection", "publisher", "location", "date",
          "volume", "issue", "pages", "edition", "genre", "doi", "url", "isbn", "identifier", "number", "note",
          "other")

#: The longest reference the model reads (characters): past that a "reference" is a pasted page, and only its
#: start is labelled (the whole text is still kept). Bounds the time one string may take.
MAX_CHARS = 2000
MAX_TOKENS = 400

_TOKEN = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+"                      # a URL, whole
    r"|\b(?:doi:\s?)?10\.\s?\d{4,9}/[^\s\"<>]+"           # a DOI, whole
    r"|[^\s,;:()\[\]\"“”]+"                              # a word with its stops and hyphens
    r"|[,;:()\[\]\"“”]"                                  # a separator on its own
)


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, token)`` of ``text``: words keep their full stops and hyphens (``J.``, ``1761–1800``);
    commas, semicolons, colons, brackets and quotes are tokens of their own; a URL or DOI is one token."""
    return [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]


# -- word lists ----------------------------------------------------------------------------------------------------
_MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "january",
           "february", "march", "april", "june", "july", "august", "september", "october", "november", "december",
           "spring", "summer", "autumn", "fall", "winter"}
_JOURNAL_WORDS = {
    "j", "journal", "proc", "proceedings", "rev", "review", "reviews", "lett", "letters", "phys", "med", "biol",
    "chem", "am", "soc", "int", "ann", "trans", "acad", "sci", "res", "clin", "eur", "natl", "nat", "cell", "mol",
    "appl", "math", "comput", "eng", "bull", "acta", "arch", "physiol", "neurosci", "immunol", "genet", "biochem",
    "biophys", "pharmacol", "opt", "mater", "astron", "astrophys", "nucl", "geophys", "ecol", "environ", "psychol",
    "stat", "econ", "quart", "q", "curr", "adv", "methods", "commun", "syst", "inf", "theor", "exp", "med.",
    "oncol", "cancer", "surg", "neurol", "cardiol", "pediatr", "endocrinol", "microbiol", "virol", "dent", "vet",
    "nurs", "public", "health", "epidemiol", "infect", "dis", "hepatol", "gastroenterol", "rheumatol", "radiol",
    "res.", "jpn", "br", "can", "aust", "zh", "z", "zeitschrift", "annals", "bulletin", "transactions", "ieee",
    "acm", "siam", "plos", "bmc", "nature", "science", "lancet", "jama", "bmj", "nejm", "engl", "magazine",
}
_PLACES = {
    "new", "york", "london", "oxford", "cambridge", "berlin", "paris", "amsterdam", "boston", "chicago",
    "heidelberg", "tokyo", "princeton", "washington", "dc", "philadelphia", "san", "francisco", "diego", "ny",
    "ma", "ca", "nj", "uk", "usa", "germany", "france", "netherlands", "switzerland", "basel", "geneva", "leipzig",
    "munich", "münchen", "wien", "vienna", "stuttgart", "dordrecht", "singapore", "hoboken", "baltimore",
    "toronto", "sydney", "moscow", "milan", "madrid", "barcelona", "beijing", "shanghai", "berkeley",
    "los", "angeles", "thousand", "oaks", "upper", "saddle", "river", "englewood", "cliffs", "reading", "edinburgh",
    "frankfurt", "hamburg", "zürich", "zurich", "bern", "stockholm", "copenhagen", "oslo", "helsinki", "rome",
    "tübingen", "göttingen", "cham", "norwell", "bristol", "manchester", "amherst", "ithaca", "austin",
    "seattle", "pittsburgh", "mahwah", "hillsdale", "newbury", "park", "belmont", "redwood", "city", "orlando",
}
_PUBLISHER_WORDS = {"press", "publishers", "publisher", "publishing", "springer", "elsevier", "wiley", "verlag",
                    "university", "univ", "academic", "books", "inc", "ltd", "co", "sons", "routledge", "sage",
                    "pergamon", "kluwer", "addison-wesley", "mcgraw-hill", "prentice", "hall", "blackwell",
                    "norton", "macmillan", "penguin", "taylor", "francis", "ed.", "éditions", "editions", "gmbh"}
_GENRE_WORDS = {"thesis", "dissertation", "phd", "ph.d", "msc", "master's", "doctoral", "report", "technical",
                "working", "paper", "preprint", "manuscript", "unpublished", "diss", "habilitation", "tech",
                "memorandum", "arxiv", "biorxiv", "medrxiv", "submitted", "press", "accessed", "retrieved",
                "available", "online", "cited"}
_EDITOR_WORDS = {"ed", "eds", "ed.", "eds.", "(ed.)", "(eds.)", "editor", "editors", "edited", "hrsg", "hrsg.",
                 "hg", "hg.", "dir", "dir."}
_VOLUME_WORDS = {"vol", "vol.", "volume", "vols", "vols.", "bd", "bd.", "band", "t.", "tome", "v."}
_ISSUE_WORDS = {"no", "no.", "nr", "nr.", "issue", "heft", "n.", "number", "num", "num."}
_PAGE_WORDS = {"p", "p.", "pp", "pp.", "pages", "page", "s.", "seiten"}
_EDITION_WORDS = {"edn", "edn.", "edition", "ed.", "aufl", "aufl.", "auflage", "éd", "éd."}
_IN_WORDS = {"in", "in:", "dans", "in:"}

_RUNS = re.compile(r"(.)\1{2,}")
_YEAR = re.compile(r"^\(?(?:1[5-9]|20)\d{2}[a-z]?\)?[.,;:]?$")
_RANGE = re.compile(r"^[A-Za-z]{0,3}\d+[A-Za-z]?[-–—‐]{1,2}[A-Za-z]{0,3}\d+[A-Za-z]?[.,;]?$")
_INITIAL = re.compile(r"^(?:[A-Z][a-z]?\.(?:-?[A-Z]\.)*|[A-Z]{1,3})[,.]?$")
_ROMAN = re.compile(r"^[IVXLC]+[.,]?$")


_SHAPE_TABLE = {c: "X" for c in range(0x2500) if chr(c).isupper()}
_SHAPE_TABLE.update({c: "x" for c in range(0x2500) if chr(c).islower()})
_SHAPE_TABLE.update({c: "d" for c in range(0x2500) if chr(c).isdigit()})


def _shape(word: str) -> str:
    """``Smith,`` → ``Xxx,``; ``1761–1800.`` → ``dd–dd.``: case and digits, runs cut to two."""
    return _RUNS.sub(r"\1\1", word.translate(_SHAPE_TABLE))


@lru_cache(maxsize=200_000)
def _word_features(tok: str) -> tuple[tuple[str, ...], ...]:
    """The token's own features, then what its neighbours see of it (as the token before, after, two before and
    two after them), cached by token text."""
    core = tok.strip(".,;:()[]\"“”'")
    low = core.lower()
    shape = _shape(tok)
    f = ["w=" + (low[:20] or tok), "shape=" + shape[:8]]
    if len(low) > 3:
        f.append("suf=" + low[-3:])
    last = tok[-1]
    if not last.isalnum():
        f.append("end=" + last)
    if not tok[0].isalnum():
        f.append("start=" + tok[0])
    if core:
        if core.isdigit():
            f.append("digits=%d" % min(len(core), 5))
        elif any(c.isdigit() for c in core):
            f.append("hasdigit")
        if core[0].isupper():
            f.append("cap")
            if core.isupper() and len(core) > 1:
                f.append("allcap")
        elif core[0].islower():
            f.append("lower")
    if "d" in shape:
        if _YEAR.match(tok):
            f.append("year")
        if _RANGE.match(tok):
            f.append("range")
    if tok[0].isupper():
        if len(tok) <= 8 and _INITIAL.match(tok):
            f.append("initial")
        if tok[0] in "IVXLC" and _ROMAN.match(tok):
            f.append("roman")
    if low in _MONTHS:
        f.append("month")
    if low in _JOURNAL_WORDS or (tok.endswith(".") and 1 < len(core) <= 7 and core[:1].isupper()
                                 and core[1:].islower()):
        f.append("jword")
    if low in _PLACES:
        f.append("place")
    if low in _PUBLISHER_WORDS:
        f.append("pubword")
    if low in _GENRE_WORDS:
        f.append("genre")
    lt = tok.lower()
    if lt in _EDITOR_WORDS or low in _EDITOR_WORDS:
        f.append("eds")
    if lt in _VOLUME_WORDS:
        f.append("vol")
    if lt in _ISSUE_WORDS:
        f.append("no")
    if lt in _PAGE_WORDS:
        f.append("pp")
    if lt in _EDITION_WORDS:
        f.append("edn")
    if lt in _IN_WORDS and tok[0] == "I":
        f.append("In")
    if low in ("et", "al", "al.", "others") or lt == "al.":
        f.append("etal")
    if "/" in tok and ("10." in tok or "://" in tok or tok.startswith("www.")):
        f.append("link")
    if low in ("doi", "pmid", "pmcid", "isbn", "issn", "arxiv", "url", "http"):
        f.append("idword=" + low)
    if low in ("and", "&", "und", "et", "y"):
        f.append("and")
    if tok.endswith(".") and "initial" not in f and len(tok) > 3:
        f.append("stop")  # a full stop that may end a segment (not an initial's)
    # what a neighbour sees of this token
    n = ["w=" + (low[:20] or tok), "shape=" + shape[:6]]
    n.extend(x for x in f if x in ("year", "initial", "month", "jword", "etal", "eds", "In", "pp", "vol", "no",
                                   "range", "cap", "place", "pubword", "genre"))
    return (tuple(f), tuple("-1" + x for x in n), tuple("+1" + x for x in n), ("-2" + n[0],), ("+2" + n[0],))


def features(tokens: list[str]) -> list[list[str]]:
    """The CRF's features of each token of one reference."""
    own = [_word_features(t) for t in tokens]
    n = len(tokens)
    # how far the next number is (a journal or book title runs up to its volume, year or pages)
    ahead = [0] * n
    d = 9
    for i in range(n - 1, -1, -1):
        ahead[i] = d
        d = 1 if own[i][0][1] in _NUMBER_SHAPES or "year" in own[i][0] else min(d + 1, 9)
    out = []
    seen_year = False
    stops = 0
    for i in range(n):
        f = own[i][0]
        g = list(f)
        g.append(_POS[10 * i // n])
        if i < 3:
            g.append(_FIRST[i])
        if seen_year:
            g.append("after_year")
        g.append(_STOPS[stops if stops < 6 else 6])
        g.append(_AHEAD[ahead[i] if ahead[i] < 6 else 6])
        if i:
            g += own[i - 1][1]
            if i > 1:
                g += own[i - 2][3]
        else:
            g.append("BOS")
        if i + 1 < n:
            g += own[i + 1][2]
            if i + 2 < n:
                g += own[i + 2][4]
        else:
            g.append("EOS")
        out.append(g)
        if "year" in f:
            seen_year = True
        if f[-1] == "stop":
            stops += 1
    return out


_POS = tuple("pos=%d" % i for i in range(10))
_FIRST = ("first0", "first1", "first2")
_STOPS = tuple("stops=%d" % i for i in range(7))
_AHEAD = tuple("numahead=%d" % i for i in range(7))
_NUMBER_SHAPES = frozenset("shape=" + x for x in ("d", "dd", "d,", "dd,", "d.", "dd.", "d:", "dd:", "d;", "dd;",
                                                  "(d", "(dd", "d)", "dd)", "dd-dd", "dd–dd", "dd-dd.", "dd–dd.",
                                                  "dd-dd,", "dd–dd,", "Xd", "Xdd", "xdd", "dd(d"))


# -- the model ------------------------------------------------------------------------------------------------------
_MODEL_NAME = "refmodel.crfsuite"
_local = threading.local()


def _model_path() -> str | None:
    try:
        p = resources.files("mscbib") / "data" / _MODEL_NAME
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover
        return None
    return str(p) if p.is_file() else None


def model_available() -> bool:
    try:
        import pycrfsuite  # noqa: F401
    except ImportError:  # pragma: no cover - a declared dependency
        return False
    return _model_path() is not None


def _tagger(path: str | None = None):
    """One tagger per thread (a crfsuite tagger is not thread-safe)."""
    key = path or "default"
    taggers = getattr(_local, "taggers", None)
    if taggers is None:
        taggers = _local.taggers = {}
    t = taggers.get(key)
    if t is None:
        import pycrfsuite

        p = path or _model_path()
        if p is None:
            raise FileNotFoundError(f"the reference model {_MODEL_NAME} is missing from the mscbib package")
        t = pycrfsuite.Tagger()
        t.open(p)
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


def tag(text: str, model: str | None = None) -> Tagged:
    """Label the tokens of one reference string (its first :data:`MAX_CHARS` characters)."""
    head = text[:MAX_CHARS]
    toks = tokenize(head)[:MAX_TOKENS]
    out = Tagged(text=text, spans=[(s, e) for s, e, _ in toks], tokens=[t for _, _, t in toks])
    if not toks:
        return out
    tagger = _tagger(model)
    labels = out.labels = tagger.tag(features(out.tokens))
    # the model's confidence in each run of one label: the marginals of its first and last words (a bracket or
    # a comma at a run's edge says little)
    marginal = tagger.marginal
    toks = out.tokens
    n = len(labels)
    conf = [0.0] * n
    i = 0
    while i < n:
        j = i
        y = labels[i]
        while j + 1 < n and labels[j + 1] == y:
            j += 1
        a, b = i, j
        while a < b and not toks[a][0].isalnum():
            a += 1
        while b > a and not toks[b][0].isalnum():
            b -= 1
        c = (marginal(y, a) + marginal(y, b)) / 2 if b > a else marginal(y, a)
        for k in range(i, j + 1):
            conf[k] = c
        i = j + 1
    out.confidence = conf
    return out
