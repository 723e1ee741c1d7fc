"""Saved web pages (``.html``/``.htm``, "Save page as…"): read first by the metadata the page embeds, as Zotero's
Embedded Metadata translator does, then by its visible text for what the tags lack.

Tag families, most trusted first (for each field the first family that states it wins, whole: authors are never
mixed from two families):

1. Highwire Press ``citation_*`` meta tags (Google Scholar's list: ``citation_doi``, ``citation_title``,
   ``citation_author``, ``citation_journal_title``, ``citation_journal_abbrev``, ``citation_volume``,
   ``citation_issue``, ``citation_firstpage``/``citation_lastpage``, ``citation_publication_date``/``citation_date``/
   ``citation_online_date``, ``citation_issn``, ``citation_isbn``, ``citation_pmid``, ``citation_keywords``,
   ``citation_publisher``, ``citation_language``, ``citation_abstract_html_url``, ``citation_reference``,
   ``citation_conference_title``, ``citation_arxiv_id``…), as HighWire, PMC, Springer, Elsevier, Wiley and arXiv
   print them;
2. Dublin Core (``DC.*``, ``dc.*``, ``DCTERMS.*``);
3. PRISM (``prism.*``);
4. schema.org JSON-LD (``ScholarlyArticle`` and its kin);
5. COinS (``<span class="Z3988" title="ctx_ver=Z39.88-2004&…">``);
6. Open Graph (``og:title``, ``og:url``) as a last resort.

Then, only when the tags lack the title, the authors, the journal or the year, the page's visible text goes through
the page readers (:func:`mscbib.sources.read_text`, as a copied page would), and fills the fields the tags lack.

Every value's provenance names the file, the source line of its tag (or of its text) and, in ``detail``, the tag
(``citation_title``, ``DC.creator``, ``JSON-LD author``, ``COinS rft.atitle``, ``visible text``).

The HTML goes through lxml's HTML parser (libxml2), which loads no DTD and resolves no external entity; JSON-LD
through :mod:`json`. No untrusted markup reaches an XML parser.
"""

from __future__ import annotations

import json
import re
from typing import Callable
from urllib.parse import parse_qsl

from ..identifiers import find_dois, normalize_doi, normalize_isbn, normalize_issn, normalize_pmcid, normalize_pmid
from ..model import FailedInput, Person, Provenance, Record, Reference
from ..text import clean_text, drop_declared_entities, normalize_pages, person_from_display
from ._common import iso_date, join_pages, parse_date, person_from_inverted
from .base import ReadResult, one_record
from .refstring import parse_citation

__all__ = ["HtmlPage", "page_metadata"]

_SIGN = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html|<head|<meta)", re.IGNORECASE | re.DOTALL
)
_TAG_SIGN = re.compile(r"<meta\s[^>]*(?:name|property)\s*=\s*[\"']?(?:citation_|dc\.|prism\.|og:)", re.IGNORECASE)
#: the fields for which a missing value sends the page's visible text through the page readers
CORE = ("title", "authors", "journal", "year")
_BLOCK = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
_SKIP = frozenset(("script", "style", "noscript", "template", "svg", "head", "title", "iframe", "object"))
_TYPES = {
    "citation_journal_title": "journal-article",
    "citation_conference_title": "proceedings-article",
    "citation_dissertation_institution": "dissertation",
    "citation_technical_report_institution": "report",
    "citation_inbook_title": "book-chapter",
    "citation_book_title": "book-chapter",
}
_JSONLD_TYPES = frozenset(
    (
        "scholarlyarticle",
        "article",
        "medicalscholarlyarticle",
        "newsarticle",
        "report",
        "chapter",
        "book",
        "thesis",
        "creativework",
        "techarticle",
        "dataset",
    )
)


class _Meta:
    """The page's tags: ``{lower-cased name: [(value, line, name as written)]}``."""

    def __init__(self) -> None:
        self.tags: dict[str, list[tuple[str, int | None, str]]] = {}

    def add(self, name: str, value: str, line: int | None, written: str | None = None) -> None:
        value = clean_text(value)
        if value:
            self.tags.setdefault(name.lower(), []).append((value, line, written or name))

    def all(self, *names: str) -> list[tuple[str, int | None, str]]:
        for name in names:
            if self.tags.get(name.lower()):
                return self.tags[name.lower()]
        return []

    def first(self, *names: str) -> tuple[str, int | None, str] | None:
        got = self.all(*names)
        return got[0] if got else None


def _parse(text: str):
    import lxml.html

    # lxml refuses a str with an XML encoding declaration; the text is already decoded
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    # a DTD's own entities (the billion laughs) are neither expanded nor left in a value as "&lol9;"
    return lxml.html.document_fromstring(drop_declared_entities(text))


def page_metadata(doc) -> dict[str, _Meta]:
    """The embedded metadata of a parsed page, by family: ``highwire``, ``dc``, ``prism``, ``jsonld``, ``coins``,
    ``og``, plus ``link`` (``<link rel="canonical">``)."""
    fam = {k: _Meta() for k in ("highwire", "dc", "prism", "jsonld", "coins", "og", "link")}
    for el in doc.iter("meta"):
        name = el.get("name") or el.get("property") or el.get("itemprop") or ""
        content = el.get("content")
        if not name or content is None:
            continue
        low = name.lower()
        if low.startswith("citation_"):
            fam["highwire"].add(name, content, el.sourceline)
        elif low.startswith(("dc.", "dcterms.", "dc:", "dcterms:")):
            short = "dc." + re.split(r"[.:]", low, maxsplit=1)[1]
            scheme = (el.get("scheme") or "").strip()
            if scheme and short == "dc.identifier" and not content.lower().startswith(scheme.lower()):
                content = f"{scheme}:{content}"  # <meta name="DC.Identifier" scheme="doi" content="10.…">
            fam["dc"].add(short, content, el.sourceline, name)
        elif low.startswith(("prism.", "prism:")):
            fam["prism"].add("prism." + low[6:], content, el.sourceline, name)
        elif low.startswith("og:") or low.startswith("article:"):
            fam["og"].add(name, content, el.sourceline)
    for el in doc.iter("link"):
        if (el.get("rel") or "").lower() == "canonical" and el.get("href"):
            fam["link"].add("canonical", el.get("href"), el.sourceline)
    for el in doc.iter("script"):
        if (el.get("type") or "").lower() == "application/ld+json" and el.text:
            _jsonld(el.text, el.sourceline, fam["jsonld"])
    for el in doc.iter("span"):
        if "Z3988" in (el.get("class") or "").split() and el.get("title"):
            for k, v in parse_qsl(el.get("title"), keep_blank_values=False):
                fam["coins"].add(k, v, el.sourceline)
    return fam


def _jsonld(raw: str, line: int | None, out: _Meta) -> None:
    try:
        data = json.loads(raw)
    except ValueError:
        return
    items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
    for item in items:
        if not isinstance(item, dict):
            continue
        types = item.get("@type")
        types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
        if not any(isinstance(t, str) and t.lower() in _JSONLD_TYPES for t in types):
            continue
        for key in (
            "headline",
            "name",
            "datePublished",
            "description",
            "abstract",
            "url",
            "inLanguage",
            "pageStart",
            "pageEnd",
            "pagination",
            "volumeNumber",
            "issueNumber",
            "issn",
            "isbn",
            "keywords",
        ):
            v = item.get(key)
            if isinstance(v, (str, int)):
                out.add(key, str(v), line)
            elif isinstance(v, list) and key == "keywords":
                for k in v:
                    if isinstance(k, str):
                        out.add(key, k, line)
        ident = item.get("identifier") or item.get("sameAs") or item.get("@id")
        for v in ident if isinstance(ident, list) else [ident]:
            if isinstance(v, dict):
                v = v.get("value") or v.get("@id") or v.get("url")
            if isinstance(v, str) and find_dois(v):
                out.add("doi", find_dois(v)[0], line)
        authors = item.get("author") or item.get("creator") or []
        for a in authors if isinstance(authors, list) else [authors]:
            if isinstance(a, str):
                out.add("author", a, line)
            elif isinstance(a, dict) and (a.get("@type") in (None, "Person") or a.get("familyName")):
                if a.get("familyName"):
                    out.add("author", f"{a['familyName']}, {a.get('givenName', '')}".strip(", "), line)
                elif isinstance(a.get("name"), str):
                    out.add("author", a["name"], line)
        pub = item.get("publisher")
        if isinstance(pub, dict) and isinstance(pub.get("name"), str):
            out.add("publisher", pub["name"], line)
        part = item.get("isPartOf")
        while isinstance(part, dict):
            t = part.get("@type")
            t = t if isinstance(t, str) else (t[0] if isinstance(t, list) and t else "")
            if t == "PublicationVolume" and part.get("volumeNumber"):
                out.add("volumeNumber", str(part["volumeNumber"]), line)
            elif t == "PublicationIssue" and part.get("issueNumber"):
                out.add("issueNumber", str(part["issueNumber"]), line)
            elif t in ("Periodical", "PublicationVolume", "PublicationIssue") and isinstance(part.get("name"), str):
                out.add("periodical", part["name"], line)
            if part.get("issn") and isinstance(part.get("issn"), (str, list)):
                for v in part["issn"] if isinstance(part["issn"], list) else [part["issn"]]:
                    out.add("issn", str(v), line)
            part = part.get("isPartOf")
        return  # the first scholarly item is the page's article


# -- from tags to fields -------------------------------------------------------------------------------------------
_INLINE_TAG = re.compile(r"</?(?:i|b|em|strong|sub|sup|span|u|sc|small|mml:\w+|math)\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[A-Za-z][\w:-]*\b[^>]*>")


def _untag(value: str) -> str | None:
    """A tag's value with the markup some publishers leave in it removed: inline tags (``<i>``, ``<sub>``)
    without a trace (``H<sub>2</sub>O`` is ``H2O``), block tags (``<p>``) as a space."""
    if "<" not in value:
        return value
    return clean_text(_ANY_TAG.sub(" ", _INLINE_TAG.sub("", value))) or None


def _person(name: str) -> Person:
    name = clean_text(name)
    return person_from_inverted(name) if "," in name else person_from_display(name)


def _split_keywords(values: list[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        for k in re.split(r"\s*[;,]\s*" if len(values) == 1 else r"\s*;\s*", v):
            k = k.strip(" .")
            if k and k not in out:
                out.append(k)
    return out


def _highwire_reference(value: str, src: Provenance) -> Reference:
    """``citation_reference``: Springer/HighWire's ``citation_title=…; citation_author=…; …`` or a printed
    reference (parsed by :func:`~mscbib.sources.refstring.parse_citation`)."""
    if "citation_" not in value:
        return parse_citation(value, src)
    parts: dict[str, list[str]] = {}
    for m in re.finditer(r"(citation_\w+)\s*=\s*(.*?)(?=;\s*citation_\w+\s*=|$)", value):
        parts.setdefault(m.group(1).lower(), []).append(m.group(2).strip().rstrip(";").strip())

    def one(k: str) -> str | None:
        got = parts.get(k)
        return got[0] if got else None

    ref = Reference(text=value, source=src)
    ref.title = one("citation_title") or one("citation_article_title")
    ref.journal = one("citation_journal_title") or one("citation_journal_abbrev")
    ref.doi = normalize_doi(one("citation_doi") or "")
    ref.pmid = normalize_pmid(one("citation_pmid") or "")
    ref.volume = one("citation_volume")
    ref.issue = one("citation_issue")
    ref.pages = normalize_pages(
        join_pages(one("citation_firstpage"), one("citation_lastpage")) or one("citation_pages")
    )
    date = one("citation_publication_date") or one("citation_date") or one("citation_year")
    ref.year = parse_date(date)[0] if date else None
    ref.authors = [_person(a) for a in parts.get("citation_author", [])]
    return ref


def _fields(fam: dict[str, _Meta], path: str, rec: Record) -> None:
    hw, dc, prism, jl, coins, og = (fam[k] for k in ("highwire", "dc", "prism", "jsonld", "coins", "og"))
    names: tuple[str, ...]

    def src(line: int | None, name: str) -> Provenance:
        return Provenance(origin="html", file=path, line=line, format="html", detail=name)

    def put(field: str, *choices: tuple[_Meta, tuple[str, ...]], conv=lambda v: v) -> None:
        if field in rec:
            return
        for meta, names in choices:
            got = meta.first(*names)
            if got:
                value = conv(got[0])
                if value:
                    rec.set(field, value, src(got[1], got[2]))
                    return

    def doi_of(v: str) -> str | None:
        found = find_dois(v)
        return normalize_doi(found[0]) if found else None

    put(
        "doi",
        (hw, ("citation_doi",)),
        (dc, ("dc.identifier.doi",)),
        (prism, ("prism.doi",)),
        (jl, ("doi",)),
        conv=doi_of,
    )
    if "doi" not in rec:
        for value, line, name in dc.all("dc.identifier") + coins.all("rft_id", "rft.doi"):
            if re.match(r"^\s*(?:doi:|info:doi/|https?://(?:dx\.)?doi\.org/|10\.)", value, re.IGNORECASE):
                doi = doi_of(value)
                if doi:
                    rec.set("doi", doi, src(line, name))
                    break
    put(
        "title",
        (hw, ("citation_title",)),
        (dc, ("dc.title",)),
        (prism, ("prism.title",)),
        (jl, ("headline", "name")),
        (coins, ("rft.atitle", "rft.title", "rft.btitle")),
        (og, ("og:title",)),
        conv=_untag,
    )
    # authors: one family, whole
    for meta, names in (
        (hw, ("citation_author", "citation_authors")),
        (dc, ("dc.creator", "dc.creator.personalname", "dc.contributor")),
        (jl, ("author",)),
        (coins, ("rft.au",)),
    ):
        got = meta.all(*names)
        if got and got[0][2].lower() == "citation_authors":  # the older form: all names in one tag, ";" between
            got = [(v, line, name) for value, line, name in got for v in value.split(";") if v.strip()]
        if got:
            people = [_person(v) for v, _l, _n in got]
            people = [p for p in people if p.display]
            if people:
                rec.set("authors", people, src(got[0][1], got[0][2]))
                break
    last, first = coins.first("rft.aulast"), coins.first("rft.aufirst")
    if "authors" not in rec and last:
        rec.set("authors", [Person(family=last[0], given=first[0] if first else "")], src(last[1], last[2]))
        rec.set("authors_complete", False, src(last[1], last[2]))
    put(
        "journal",
        (hw, ("citation_journal_title", "citation_conference_title", "citation_inbook_title", "citation_book_title")),
        (prism, ("prism.publicationname",)),
        (jl, ("periodical",)),
        (coins, ("rft.jtitle",)),
        (dc, ("dc.source",)),
        conv=lambda v: None if re.match(r"^(?:https?:|www\.)", v) else v,
    )
    put("journal_abbrev", (hw, ("citation_journal_abbrev",)), (coins, ("rft.stitle",)))
    put(
        "volume",
        (hw, ("citation_volume",)),
        (prism, ("prism.volume",)),
        (jl, ("volumeNumber",)),
        (coins, ("rft.volume",)),
        (dc, ("dc.source.volume",)),
    )
    put(
        "issue",
        (hw, ("citation_issue",)),
        (prism, ("prism.number", "prism.issueidentifier")),
        (jl, ("issueNumber",)),
        (coins, ("rft.issue",)),
        (dc, ("dc.source.issue",)),
    )
    # pages: first and last page of one family
    for meta, a, b, whole in (
        (hw, "citation_firstpage", "citation_lastpage", None),
        (prism, "prism.startingpage", "prism.endingpage", "prism.pagerange"),
        (jl, "pageStart", "pageEnd", "pagination"),
        (coins, "rft.spage", "rft.epage", "rft.pages"),
        (dc, "", "", "dc.identifier.pagenumber"),
    ):
        first, last = (meta.first(a), meta.first(b)) if a else (None, None)
        if first:
            rec.set("pages", normalize_pages(join_pages(first[0], last[0] if last else None)), src(first[1], first[2]))
            break
        w = meta.first(whole) if whole else None
        if w:
            rec.set("pages", normalize_pages(w[0]), src(w[1], w[2]))
            break
    # date of the issue
    for meta, names in (
        (hw, ("citation_publication_date", "citation_date", "citation_cover_date", "citation_year")),
        (dc, ("dc.date", "dc.issued", "dc.date.issued")),
        (prism, ("prism.publicationdate", "prism.coverdate")),
        (jl, ("datePublished",)),
        (dc, ("dc.date.created",)),
        (coins, ("rft.date",)),
    ):
        hit = meta.first(*names)
        if hit:
            year, month, day = parse_date(hit[0])
            if year:
                s = src(hit[1], hit[2])
                rec.set("year", year, s)
                rec.set("month", month, s)
                rec.set("day", day, s)
                break
    hit = hw.first("citation_online_date") or prism.first("prism.onlinedate")
    if hit:
        rec.set("published", iso_date(hit[0]), src(hit[1], hit[2]))
    for meta, names in (
        (hw, ("citation_issn", "citation_eissn")),
        (prism, ("prism.issn", "prism.eissn")),
        (dc, ("dc.source.issn",)),
        (jl, ("issn",)),
        (coins, ("rft.issn", "rft.eissn")),
    ):
        got = [g for n in names for g in meta.all(n)]
        issns = []
        for v, _l, _n in got:
            i = normalize_issn(v)
            if i and i not in issns:
                issns.append(i)
        if issns:
            rec.set("issn", issns, src(got[0][1], got[0][2]))
            break
    for meta, names in ((hw, ("citation_isbn",)), (prism, ("prism.isbn",)), (jl, ("isbn",)), (coins, ("rft.isbn",))):
        got = meta.all(*names)
        isbns = [i for i in (normalize_isbn(v) for v, _l, _n in got) if i]
        if isbns:
            rec.set("isbn", isbns, src(got[0][1], got[0][2]))
            break
    put("pmid", (hw, ("citation_pmid",)), conv=normalize_pmid)
    put("pmcid", (hw, ("citation_pmcid",)), conv=normalize_pmcid)
    put(
        "publisher",
        (hw, ("citation_publisher",)),
        (dc, ("dc.publisher",)),
        (prism, ("prism.publisher",)),
        (jl, ("publisher",)),
        (coins, ("rft.pub",)),
    )
    put("language", (hw, ("citation_language",)), (dc, ("dc.language",)), (jl, ("inLanguage",)))
    put("abstract", (hw, ("citation_abstract",)), (dc, ("dc.description",)), (jl, ("abstract",)), conv=_untag)
    put(
        "url",
        (hw, ("citation_abstract_html_url", "citation_fulltext_html_url", "citation_public_url")),
        (prism, ("prism.url",)),
        (jl, ("url",)),
        (og, ("og:url",)),
        (fam["link"], ("canonical",)),
    )
    hit = hw.first("citation_arxiv_id")
    if "url" not in rec and hit:
        rec.set("url", f"https://arxiv.org/abs/{hit[0]}", src(hit[1], hit[2]))
    for meta, names in (
        (hw, ("citation_keywords", "citation_keyword")),
        (dc, ("dc.subject",)),
        (prism, ("prism.keyword",)),
        (jl, ("keywords",)),
    ):
        got = meta.all(*names)
        if got:
            rec.set("keywords", _split_keywords([v for v, _l, _n in got]), src(got[0][1], got[0][2]))
            break
    for name, kind in list(_TYPES.items()) + [("citation_arxiv_id", "posted-content")]:
        hit = hw.first(name)
        if hit:
            rec.set("type", kind, src(hit[1], hit[2]))
            break
    for value, line, name in hw.all("citation_reference"):
        rec.references.append(_highwire_reference(value, src(line, name)))


# -- visible text --------------------------------------------------------------------------------------------------
def visible_lines(doc) -> list[tuple[str, int | None]]:
    """The page's visible text, one line per block element, each with the source line it starts on."""
    lines: list[tuple[str, int | None]] = []
    cur: list[str] = []
    cur_line: list[int | None] = [None]

    def flush() -> None:
        s = clean_text(" ".join(cur))
        if s:
            lines.append((s, cur_line[0]))
        cur.clear()
        cur_line[0] = None

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP or (el.get("hidden") is not None if tag else False) or not tag:
            return
        block = tag in _BLOCK
        if block:
            flush()
        if el.text and el.text.strip():
            cur_line[0] = cur_line[0] or el.sourceline
            cur.append(el.text)
        for child in el:
            walk(child)
            if child.tail and child.tail.strip():
                cur_line[0] = cur_line[0] or child.sourceline
                cur.append(child.tail)
        if block:
            flush()

    body = doc.find("body")
    walk(body if body is not None else doc)
    flush()
    return lines


class HtmlPage:
    """A saved web page (see the module's docstring).

    ``text_reader``: how the page's visible text is read when its tags lack a core field — the package's own
    dispatch over every text reader (:mod:`mscbib.sources` hands it in, so this module does not import its
    package); it answers ``None`` for text it does not follow. Without one, only the tags are read."""

    name = "html"
    #: a tag's value is whole; the visible text, read as a page, has its wrapped DOIs rejoined there
    rejoins_wrapped_dois = False

    def __init__(self, text_reader: Callable[[str, str], ReadResult | None] | None = None) -> None:
        self.text_reader = text_reader

    def match(self, text: str) -> bool:
        head = text[:4096]
        return bool(_SIGN.match(head) or (head.lstrip().startswith("<") and _TAG_SIGN.search(text[:65536])))

    def match_bytes(self, data: bytes) -> bool:
        """Only a page that is not UTF-8 (an older page saved in its own charset) is read from its bytes; a
        UTF-8 page is decoded and read as text like any input."""
        head = data[:4096].lstrip()
        if head[:1] != b"<" or not self.match(head.decode("latin-1")):
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return True
        return False

    def read_bytes(self, data: bytes, path: str) -> ReadResult:
        """A page decoded by the charset its ``<meta charset>`` / ``http-equiv`` declares (``iso-8859-1`` read as
        ``windows-1252``, as browsers do); one that declares none, or whose bytes do not fit it, is reported."""
        try:
            return self.read(data.decode("utf-8-sig"), path)  # ``--format html`` hands every page's bytes here
        except UnicodeDecodeError:
            pass
        m = re.search(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([\w.:-]+)", data[:16384], re.IGNORECASE)
        if not m:
            return ReadResult(failures=[_failed(path, "a web page that is not UTF-8 and declares no charset")])
        label = m.group(1).decode("ascii", "replace").lower()
        codec = {
            "iso-8859-1": "cp1252",
            "latin1": "cp1252",
            "latin-1": "cp1252",
            "us-ascii": "cp1252",
            "ascii": "cp1252",
        }.get(label, label)
        try:
            text = data.decode(codec)
        except LookupError:
            return ReadResult(failures=[_failed(path, f"a web page in an unknown charset {label!r}")])
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            return ReadResult(
                failures=[
                    FailedInput(
                        path, f"not {label} text as the page declares (byte {exc.start}: {exc.reason})", line=line
                    )
                ]
            )
        return self.read(text, path)

    def read(self, text: str, path: str) -> ReadResult:
        try:
            doc = _parse(text)
        except Exception as exc:  # lxml's own errors (an empty document, a broken encoding)
            return ReadResult(failures=[_failed(path, f"not a readable HTML page: {exc}")])
        rec = Record(source=Provenance(origin="html", file=path, line=1, format="html"))
        _fields(page_metadata(doc), path, rec)
        if self.text_reader is not None and any(f not in rec for f in CORE):
            self._from_text(doc, path, rec, self.text_reader)
        return one_record(rec, path, "a saved web page")

    @staticmethod
    def _from_text(doc, path: str, rec: Record, text_reader: Callable[[str, str], ReadResult | None]) -> None:
        """The fields the tags lack, from the page's visible text read as a copied page."""
        lines = visible_lines(doc)
        if not lines:
            return
        text = "\n".join(s for s, _ in lines)
        got = text_reader(text, path)
        if got is None or not got.records:
            return
        page = got.records[0]
        if page.source.format in ("html", "pdf"):
            return

        def mapped(p: Provenance) -> Provenance:
            n = p.line
            line = lines[n - 1][1] if n and 0 < n <= len(lines) else None
            return Provenance(
                origin="html", file=path, line=line, format="html", detail=f"visible text ({page.source.format})"
            )

        for name, value in page.items():
            if name not in rec and not (name == "authors_complete" and "authors" in rec):
                rec.set(name, value.value, mapped(value.source))
        if not rec.references:
            for ref in page.references:
                ref.source = mapped(ref.source) if ref.source else None
                rec.references.append(ref)


def _failed(path: str, reason: str) -> FailedInput:
    return FailedInput(path, reason)
