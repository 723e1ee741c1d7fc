"""Read the hand-labelled reference strings of ``shared/refstrings-train/`` (AnyStyle ``<sequence>`` and GROBID
TEI ``<bibl>`` XML) into token sequences labelled with :mod:`mscbib.sources.refmodel`'s labels.

Used only to train and to measure the model (``scripts/train_refmodel.py``, ``benchmarks/refstrings.py``,
``tests/test_refmodel.py``); the package never reads the pack at run time and ships none of it.

Each example keeps the printed string, its tokens' labels, the file it came from and the *document* it belongs
to: a GROBID file of one article's reference list is one document; the files that gather references from many
sources (the five AnyStyle sets, ``citations.xml``, ``raw_ref_corrected``, ``kisti_*``, ``crossref_raw_*``) keep
consecutive entries of one source together, so a run of :data:`BLOCK` consecutive entries counts as one document.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from .refmodel import tokenize

__all__ = ["Example", "read_pack", "split_pack", "dedup_key", "BLOCK", "FIELDS", "expected", "found", "Score", "score"]

#: consecutive entries of a many-source file taken as one document for the split
BLOCK = 50
_MANY_SOURCES = re.compile(
    r"^(?:citations|raw_ref_corrected|kisti_|crossref_raw|bioRxiv-ids|multi_identifiers"
    r"|evaluation-citation)"
)
_MARKUP = re.compile(r"<[^>]{1,40}>")
_SPACE = re.compile(r"\s+")
_OPENING = set('(["“')


@dataclass
class Example:
    text: str
    tokens: list[str]
    labels: list[str]
    file: str
    doc: str
    #: AnyStyle or GROBID
    origin: str


# -- label maps ---------------------------------------------------------------------------------------------------
_ANYSTYLE = {
    "author": "author",
    "director": "author",
    "producer": "author",
    "editor": "editor",
    "translator": "note",
    "title": "title",
    "journal": "journal",
    "container-title": "container",
    "collection-title": "collection",
    "publisher": "publisher",
    "location": "location",
    "date": "date",
    "volume": "volume",
    "pages": "pages",
    "edition": "edition",
    "genre": "genre",
    "doi": "doi",
    "url": "url",
    "isbn": "isbn",
    "citation-number": "number",
    "note": "note",
    "source": "note",
    "medium": "note",
}


def _grobid_label(el: ET.Element, has_article_title: bool, seen_title: bool) -> str:
    tag = el.tag.rsplit("}", 1)[-1].lower()
    if tag in ("author", "authors"):
        return "author"
    if tag == "editor":
        return "editor"
    if tag == "title":
        level = el.get("level", "a")
        if level == "a":
            return "title"
        if level == "j":
            return "journal"
        if level == "m":
            return "container" if has_article_title else "title"
        return "collection"
    if tag == "date":
        return "date"
    if tag == "biblscope":
        unit = (el.get("unit") or el.get("type") or "").lower()
        return {
            "volume": "volume",
            "vol": "volume",
            "issue": "issue",
            "page": "pages",
            "pp": "pages",
            "pages": "pages",
        }.get(unit, "note")
    if tag in ("volumes",):
        return "volume"
    if tag == "idno":
        kind = (el.get("type") or "").lower()
        return {"doi": "doi", "isbn": "isbn"}.get(kind, "identifier")
    if tag in ("pubplace",):
        return "location"
    if tag in ("publisher", "publishe"):
        return "publisher"
    if tag == "orgname":
        return "publisher" if seen_title else "author"
    if tag == "ptr":
        return "url"
    if tag in ("note", "notes"):
        return "genre" if (el.get("type") or "").lower() == "report" else "note"
    return "note"


def _itertext_lb(el: ET.Element):
    """``el``'s text with ``<lb/>`` read as a space."""
    if el.tag.rsplit("}", 1)[-1] == "lb":
        yield " "
    if el.text:
        yield el.text
    for child in el:
        yield from _itertext_lb(child)
        if child.tail:
            yield child.tail


# -- from labelled pieces to labelled tokens -----------------------------------------------------------------------
def _labelled(pieces: list[tuple[str, str | None]], file: str, doc: str, origin: str) -> Example | None:
    chars: list[str] = []
    labs: list[str | None] = []
    for text, label in pieces:
        text = _MARKUP.sub("", text)
        for ch in text:
            if ch.isspace():
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    labs.append(None)
                continue
            chars.append(ch)
            labs.append(label)
    while chars and chars[-1] == " ":
        chars.pop()
        labs.pop()
    text = "".join(chars)
    if not text.strip():
        return None
    tokens: list[str] = []
    labels: list[str | None] = []
    for start, end, tok in tokenize(text):
        counts: dict[str, int] = {}
        for ch, lab in zip(text[start:end], labs[start:end]):
            if lab is not None and ch.isalnum():
                counts[lab] = counts.get(lab, 0) + 1
        if not counts:
            for lab in labs[start:end]:
                if lab is not None:
                    counts[lab] = counts.get(lab, 0) + 1
        label = max(counts, key=counts.__getitem__) if counts else None
        if label is None and any(c.isalnum() for c in tok):
            label = "other"
        tokens.append(tok)
        labels.append(label)
    # untagged punctuation belongs to its neighbour: an opening bracket to the next token, the rest to the previous
    for i, lab in enumerate(labels):
        if lab is None and tokens[i][0] in _OPENING:
            j = i + 1
            while j < len(labels) and labels[j] is None:
                j += 1
            labels[i] = labels[j] if j < len(labels) else "other"
    for i, lab in enumerate(labels):
        if lab is None:
            labels[i] = labels[i - 1] if i else "other"
    return Example(text, tokens, cast("list[str]", labels), file, doc, origin)  # no None is left


def _refine_volume(pieces: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """AnyStyle has no issue label: its volume segments hold ``33(2),`` or ``2009;108(2):``; give the bracketed
    number the ``issue`` label and a leading year the ``date`` label."""
    out = []
    for text, label in pieces:
        if label != "volume":
            out.append((text, label))
            continue
        m = re.match(r"^(\s*(?:19|20)\d{2}[a-z]?\s*[;:,]\s*)(.*)$", text, re.S)
        if m:
            out.append((m.group(1), "date"))
            text = m.group(2)
        m = re.match(r"^(.*?\d[\w.]*\s*)(\((?:[Nn]o\.?\s*)?[\w/–-]{1,12}\))(.*)$", text, re.S)
        if m:
            out.append((m.group(1), "volume"))
            out.append((m.group(2), "issue"))
            rest = m.group(3)
            m2 = re.match(r"^(\s*[:,]?\s*)(\S.*)$", rest, re.S)
            if m2 and re.search(r"\d", m2.group(2)):
                out.append((m2.group(1), "volume"))
                out.append((m2.group(2), "pages"))
            else:
                out.append((rest, "volume"))
        else:
            out.append((text, "volume"))
    return out


def _anystyle(path: Path) -> list[Example]:
    root = ET.parse(path).getroot()
    out = []
    for n, seq in enumerate(root.iter("sequence")):
        pieces: list[tuple[str, str | None]] = []
        for child in seq:
            label = _ANYSTYLE.get(child.tag, "note")
            pieces.append(("".join(_itertext_lb(child)), label))
            pieces.append((" ", None))
        ex = _labelled(
            _refine_volume(pieces), f"anystyle/{path.name}", f"anystyle/{path.name}#{n // BLOCK}", "anystyle"
        )
        if ex:
            out.append(ex)
    return out


def _grobid(path: Path) -> list[Example]:
    root = ET.parse(path).getroot()
    many = bool(_MANY_SOURCES.match(path.name))
    out = []
    bibls = [el for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "bibl"]
    for n, bibl in enumerate(bibls):
        kids = list(bibl)
        has_a = any(k.tag.rsplit("}", 1)[-1] == "title" and k.get("level", "a") == "a" for k in kids)
        pieces: list[tuple[str, str | None]] = [(bibl.text or "", None)]
        seen_title = False
        for child in kids:
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "lb":
                pieces.append((" ", None))
            else:
                label = _grobid_label(child, has_a, seen_title)
                seen_title = seen_title or tag == "title"
                pieces.append(("".join(_itertext_lb(child)), label))
            pieces.append((child.tail or "", None))
        doc = f"grobid/{path.name}#{n // BLOCK}" if many else f"grobid/{path.name}"
        ex = _labelled(pieces, f"grobid/{path.name}", doc, "grobid")
        if ex:
            out.append(ex)
    return out


def read_pack(folder: Path) -> list[Example]:
    """Every labelled reference of the pack, in file order."""
    folder = Path(folder)
    out: list[Example] = []
    for path in sorted((folder / "anystyle").glob("*.xml")):
        out.extend(_anystyle(path))
    for path in sorted((folder / "grobid").glob("*.xml")):
        out.extend(_grobid(path))
    return out


_KEY = re.compile(r"[\W_]+")


def dedup_key(text: str) -> str:
    """Letters and digits only, lower case: the pack README's test for the same reference printed twice."""
    return _KEY.sub("", text.lower())


def split_pack(examples: list[Example], held_out: float = 0.2, seed: int = 14) -> tuple[list[Example], list[Example]]:
    """Deduplicate, then split by document (:data:`BLOCK`): a document's references all go to one side, chosen by
    a hash of the document name and ``seed``. Deduplication goes first, so no reference is on both sides. Deterministic: the same pack and seed give the same split."""
    seen: set[str] = set()
    unique = []
    for ex in examples:
        k = dedup_key(ex.text)
        if k in seen:
            continue
        seen.add(k)
        unique.append(ex)

    def side(doc: str) -> bool:
        h = hashlib.sha256(f"{seed}:{doc}".encode()).digest()
        return int.from_bytes(h[:8], "big") / 2**64 < held_out

    train = [ex for ex in unique if not side(ex.doc)]
    test = [ex for ex in unique if side(ex.doc)]
    return train, test


# -- scoring the parser against the hand labels ---------------------------------------------------------------------
#: the fields scored, as :func:`found` gives them
FIELDS = (
    "authors",
    "first_author",
    "title",
    "journal",
    "container",
    "year",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "editors",
    "publisher",
    "place",
)
_BIOMED = re.compile(
    r"biol|bio|med|cell|cancer|clin|immun|neuro|genet|pharm|physiol|plant|ecol|health|lancet|"
    r"jama|nature|science|sci|vir|bacter|microb|onc|cardi|pediatr|surg|nurs|epidem|gastro|hepat|"
    r"nephro|endocr|dermat|psychiat|ophthalm|dent|vet|zool|botan|mol",
    re.IGNORECASE,
)
_PMID_NEAR = re.compile(r"PMID\s*:?\s*(\d+)", re.IGNORECASE)
_DOI_SPACE = re.compile(r"\b10\.\s+(\d{4,9})/")


def found(c) -> dict[str, object]:
    """A :class:`~mscbib.sources.refstring.Citation`'s fields in the form they are compared in: names and titles
    folded by :func:`mscbib.text.comparable` (case, accents, punctuation, spaces), persons as their family names."""
    from ..text import comparable

    fam = [comparable(p.literal or p.family) for p in c.authors]
    return {
        "authors": tuple(fam) or None,
        "first_author": fam[0] if fam else None,
        "title": comparable(c.title) or None,
        "journal": comparable(c.container) or None if c.container_kind == "journal" else None,
        "container": comparable(c.container) or None,
        "year": c.year,
        "volume": c.volume,
        "issue": c.issue,
        "pages": c.pages,
        "doi": c.doi,
        "pmid": c.pmid,
        "editors": tuple(comparable(p.literal or p.family) for p in c.editors) or None,
        "publisher": comparable(c.publisher) or None,
        "place": comparable(c.place) or None,
    }


def expected(ex: Example) -> dict[str, object]:
    """The fields the hand labels of ``ex`` give, turned into fields by the parser's own code
    (:func:`mscbib.sources.refstring.fields_from_labels`, without its repairs); the DOI and PMID from the text of
    the segments labelled as identifiers."""
    from ..identifiers import find_dois, normalize_pmid
    from . import refmodel
    from .refstring import fields_from_labels

    spans = [(s, e) for s, e, _ in tokenize(ex.text)]
    tagged = refmodel.Tagged(
        text=ex.text, spans=spans, tokens=ex.tokens, labels=list(ex.labels), confidence=[1.0] * len(ex.labels)
    )
    out = found(fields_from_labels(tagged, min_conf=0.0, repair=False))
    doi_text = " ".join(
        ex.text[spans[i][0] : spans[i][1]] for i, lab in enumerate(ex.labels) if lab in ("doi", "identifier", "url")
    )
    dois = find_dois(_DOI_SPACE.sub(r"10.\1/", doi_text))
    out["doi"] = dois[0] if dois else None
    pm = None
    for i, lab in enumerate(ex.labels):
        if lab in ("identifier", "note", "url"):
            m = _PMID_NEAR.search(ex.text[max(0, spans[i][0] - 12) : spans[i][1]])
            if m:
                pm = normalize_pmid(m.group(1))
                break
    out["pmid"] = pm
    return out


def in_text(value: object, text: str) -> bool:
    """Is ``value`` (or each of its parts) a piece of the printed ``text``? Pages may be normalised
    (``249-61`` → ``249--261``): their first number must be printed."""
    from ..text import comparable

    t = comparable(text).replace(" ", "")
    parts = value if isinstance(value, tuple) else (value,)
    for p in parts:
        q = comparable(str(p)).replace(" ", "")
        if q and q not in t and str(p).replace("--", "-") not in text.replace("–", "-").replace(" ", ""):
            if not re.fullmatch(r"[\d-]+", str(p)):
                return False
            if str(p).split("-")[0] not in text:
                return False
    return True


@dataclass
class Score:
    """Per field: how many references the labels give it for (``n``), how many the parser got exactly
    (``ok``); the same for those with a biomedical journal; the parser's values the labels do not give
    (``spurious`` of ``produced``) and those not in the printed string (``invented``)."""

    n: dict
    ok: dict
    bio_n: dict
    bio_ok: dict
    produced: dict
    spurious: dict
    invented: int = 0
    references: int = 0
    biomedical: int = 0
    misses: dict | None = None  # field → [(example, expected, found)]

    def rate(self, f: str, biomedical: bool = False) -> float:
        n, ok = (self.bio_n, self.bio_ok) if biomedical else (self.n, self.ok)
        return ok.get(f, 0) / n[f] if n.get(f) else float("nan")


def score(examples: list[Example], parsed: list) -> Score:
    """Compare what the parser gave (``parsed``, one Citation per example) with what the labels give."""
    from collections import Counter, defaultdict

    s = Score(Counter(), Counter(), Counter(), Counter(), Counter(), Counter(), misses=defaultdict(list))
    assert s.misses is not None
    for ex, c in zip(examples, parsed):
        g, p = expected(ex), found(c)
        s.references += 1
        bio = bool(g["journal"] and _BIOMED.search(str(g["journal"])))
        s.biomedical += bio
        for f in FIELDS:
            if p[f] is not None:
                s.produced[f] += 1
                s.spurious[f] += g[f] is None
                s.invented += not in_text(p[f], ex.text)
            if g[f] is None:
                continue
            s.n[f] += 1
            s.ok[f] += p[f] == g[f]
            if bio:
                s.bio_n[f] += 1
                s.bio_ok[f] += p[f] == g[f]
            if p[f] != g[f]:
                s.misses[f].append((ex, g[f], p[f]))
    return s
