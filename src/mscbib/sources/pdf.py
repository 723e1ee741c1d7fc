"""Article PDFs: the record a paper's own file states, as Zotero's "Retrieve metadata for PDF" starts from.

Read through PDFium (``pypdfium2``: Apache-2.0/BSD-3, the PDF engine of Chromium, shipped inside its wheel).
Measured on the 9 real article PDFs of ``shared/real-pdfs`` (``benchmarks/pdf_speed.py``): PDFium reads the
first page's text with its character boxes in about 7 ms, pypdf (pure Python) in about 150 ms and pdfminer.six in
about 250 ms, so only PDFium meets the 20 PDFs/s target; its loose character boxes give the font size the title
is found by, and its reading order is as good as the others' on these files.

What is read, in order of trust:

1. the DOI from the document's metadata: the XMP packet (``prism:doi``, ``pdfx:doi``, ``dc:identifier``,
   ``crossmark:DOI``) and the Info dictionary (``/doi``, or a ``doi:`` in ``/Subject``); a DOI the first page
   prints with its label (``doi:``, ``DOI``, ``https://doi.org/``) wins over the metadata's, since a template's
   stale metadata is common and the printed one is what the reader sees;
2. else the DOI from the text of the first two pages, only where its position and label make it the
   article's own: labelled, outside the reference list, never on a line that reads as a reference;
3. the title from the metadata (XMP ``dc:title``, Info ``/Title``) when it is plausible ("Microsoft Word -
   draft.docx", a file name or "5" are not) *and* printed on the first page; else the first page's
   largest-font lines (a journal masthead and the arXiv margin stamp are never a title);
4. authors from the metadata when every name is printed on the first page, else from the line under the
   title when each part reads as a name; journal, year, volume, issue and pages from the citation line or
   running header the first page prints (``Z. Naturforsch. 54 a, 272-273 (1999)``, ``January 2007, Volume 18,
   Issue 3.``, ``JCAP10(2008)003``, IEEE's ``978-…/10 $26.00 © 2010 IEEE`` footer, PLOS' / Frontiers'
   ``Citation:`` line), the article's history (Received / Accepted / Published) and keywords;
5. the arXiv identifier from the margin stamp (``arXiv:0908.0054v1 [astro-ph.CO] 1 Aug 2009``), kept as the
   record's ``url`` (https://arxiv.org/abs/…);
6. the reference list (from the last "References" heading) split into items, each parsed by
   :func:`~mscbib.sources.refstring.parse_citation`.

Every value's provenance names the file, the line of the extracted text (pages' lines numbered one after the
other) and, in ``detail``, the page or the metadata key. Encrypted (password needed), image-only (no text
layer) and damaged PDFs become a :class:`~mscbib.model.FailedInput` with the reason; they never stop a build.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from ..identifiers import find_dois, normalize_doi, normalize_isbn
from ..model import FailedInput, Person, Provenance, Record
from ..text import clean_text, comparable, fold_ascii, person_from_display
from ._common import iso_date, parse_date, person_from_inverted
from .base import ReadResult, one_record
from .refstring import parse_citation, parse_citations, split_author_list

__all__ = ["PdfFile", "is_pdf", "read_pdf_bytes"]

#: How many pages the header (DOI, title, citation line) is looked for in.
HEAD_PAGES = 2
#: How many lines of the first page the title is looked for in.
TITLE_LINES = 40

_SOFT_HYPHEN = "\ufffe"  # PDFium's mark for a word hyphenated at a line end


def is_pdf(data: bytes) -> bool:
    """A PDF by content: ``%PDF-`` within the first 1024 bytes (the format allows a little junk before it)."""
    return b"%PDF-" in data[:1024]


@dataclass
class _Line:
    n: int  # 1-based, over the lines of all pages read
    page: int  # 1-based
    text: str
    x: float = 0.0
    y: float = 0.0
    size: float = 0.0  # font size (height of the loose character boxes), measured on the first page only


# -- metadata -----------------------------------------------------------------------------------------------------
_XMP_PACKET = re.compile(rb"<x:xmpmeta\b.*?</x:xmpmeta\s*>|<x:xapmeta\b.*?</x:xapmeta\s*>", re.DOTALL)


def _xmp_values(data: bytes) -> dict[str, list[str]]:
    """``{"prism:doi": [...], "dc:title": [...], ...}`` from the document's XMP packet(s).

    XMP is untrusted XML: it is parsed without DTDs, entities or network (lxml, ``resolve_entities=False``).
    Packets are found in the raw file: PDF asks for the metadata stream to be left unfiltered so that tools
    which do not parse PDF can find it (a Flate-compressed packet is not read; the Info dictionary still is).
    An image's own packet (``dc:format`` not ``application/pdf``) is skipped."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False, recover=True
    )
    out: dict[str, list[str]] = {}
    for m in _XMP_PACKET.finditer(data):
        try:
            root = etree.fromstring(m.group(0), parser)
        except (etree.XMLSyntaxError, ValueError):
            continue
        if root is None:
            continue
        found: dict[str, list[str]] = {}
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            for key, value in el.attrib.items():  # <rdf:Description pdfx:doi="10.…">
                name = _qname(key, el.nsmap)
                if name and value.strip():
                    found.setdefault(name, []).append(value.strip())
            name = _qname(el.tag, el.nsmap)
            if name and len(el) == 0 and el.text and el.text.strip():
                if name in ("rdf:li", "rdf:_1"):  # dc:title/rdf:Alt/rdf:li: the value of the grandparent
                    parent = el.getparent()
                    owner = parent.getparent() if parent is not None else None
                    name = _qname(owner.tag, owner.nsmap) if owner is not None else None
                if name:
                    found.setdefault(name, []).append(el.text.strip())
        fmt = found.get("dc:format", [])
        if fmt and not any("pdf" in f.lower() for f in fmt):
            continue
        for k, v in found.items():
            out.setdefault(k, []).extend(v)
    return out


_PREFIXES = {
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://prismstandard.org/namespaces/basic/2.0/": "prism",
    "http://prismstandard.org/namespaces/basic/2.1/": "prism",
    "http://prismstandard.org/namespaces/basic/3.0/": "prism",
    "http://ns.adobe.com/pdfx/1.3/": "pdfx",
    "http://crossref.org/crossmark/1.0/": "crossmark",
    "http://ns.adobe.com/pdf/1.3/": "pdf",
    "http://ns.adobe.com/xap/1.0/": "xmp",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
}


def _qname(tag: str, nsmap: dict) -> str | None:
    if not tag.startswith("{"):
        return None
    ns, local = tag[1:].split("}", 1)
    prefix = _PREFIXES.get(ns)
    if prefix is None:
        prefix = next((p for p, u in nsmap.items() if u == ns and p), None) or ns
    return f"{prefix}:{local}"


def _metadata_doi(xmp: dict[str, list[str]], info: dict[str, str]) -> tuple[str | None, str | None]:
    """The DOI the metadata states and the key it was found under."""
    for key in ("prism:doi", "pdfx:doi", "crossmark:DOI", "pdfx:DOI", "prism:DOI"):
        for v in xmp.get(key, []):
            doi = normalize_doi(v)
            if doi:
                return doi, f"XMP {key}"
    for v in xmp.get("dc:identifier", []):
        if re.match(r"^\s*(?:doi:\s*|https?://(?:dx\.)?doi\.org/|info:doi/)?10\.", v, re.IGNORECASE):
            doi = normalize_doi(v)
            if doi:
                return doi, "XMP dc:identifier"
    for key in ("doi", "DOI"):
        doi = normalize_doi(info.get(key) or "")
        if doi:
            return doi, f"Info /{key}"
    m = re.search(r"\bdoi:\s*(10\.\S+)", info.get("Subject") or "", re.IGNORECASE)
    if m:
        doi = normalize_doi(m.group(1))
        if doi:
            return doi, "Info /Subject"
    return None, None


_NOT_A_TITLE = re.compile(
    r"^(?:microsoft\s+(?:word|powerpoint)|untitled|title|document\d*|draft|slide\s*\d*|"
    r"manuscript|paper|article|template|abstract)\b|\.(?:docx?|pdf|tex|dvi|e?ps|rtf|odt|indd|qxd|"
    r"pages|txt)\b|^\S+_\S+$",
    re.IGNORECASE,
)


def plausible_title(title: str | None) -> bool:
    """A metadata title that could be a paper's: not a file name, a word processor's label or a number."""
    t = clean_text(title or "")
    if len(t) < 8 or len(t.split()) < 2 or _NOT_A_TITLE.search(t):
        return False
    letters = sum(c.isalpha() for c in t)
    return letters >= 0.6 * len(t.replace(" ", ""))


def _words(s: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold_ascii(s.replace(_SOFT_HYPHEN, "")).lower()))


def printed_in(value: str, text_words: str) -> bool:
    """``value``'s words appear, in order, in the page's words (``_words`` of the page)."""
    w = _words(value)
    if not w:
        return False
    if f" {w} " in f" {text_words} ":  # whole words: "Li" is not found in "lines"
        return True
    from rapidfuzz import fuzz

    return len(w) >= 12 and fuzz.partial_ratio(w, text_words, score_cutoff=92) > 0


# -- text ---------------------------------------------------------------------------------------------------------
def _page_lines(page, pno: int, first: int, sizes: bool) -> list[_Line]:
    """The lines PDFium reads on one page, with the x/y of their first character (and, on the first page, the
    median height of their loose character boxes: the font size)."""
    tp = page.get_textpage()
    try:
        text = tp.get_text_range()
        count = tp.count_chars()
        out: list[_Line] = []
        pos = 0
        for k, raw in enumerate(text.split("\r\n")):
            start, pos = pos, pos + len(raw) + 2
            s = raw.replace("\r", " ").replace("\n", " ")
            if not s.strip():
                continue
            line = _Line(first + len(out), pno, s)
            lead = start + (len(s) - len(s.lstrip()))
            if lead < count:
                left, bottom, _r, _t = tp.get_charbox(lead)
                line.x, line.y = left, bottom
                if sizes and k < TITLE_LINES * 2:
                    idx = [i for i in range(lead, min(start + len(s), count)) if not text[i].isspace()]
                    step = max(1, len(idx) // 12)
                    hs = []
                    for i in idx[::step]:
                        _l, b, _r, t = tp.get_charbox(i, loose=True)
                        hs.append(t - b)
                    line.size = round(statistics.median(hs), 1) if hs else 0.0
            out.append(line)
        return out
    finally:
        tp.close()


def _has_images(page) -> bool:
    import pypdfium2.raw as raw

    return any(obj.type == raw.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=2))


# -- the header ---------------------------------------------------------------------------------------------------
_REFS_HEAD = re.compile(
    r"^(?:(?:\d{1,2}|[IVX]{1,5}|[A-Z])\.?\s+)?(?:References(?: and Notes)?|REFERENCES(?: AND NOTES)?|"
    r"Bibliography|BIBLIOGRAPHY|Literature Cited|LITERATURE CITED|Works Cited|Reference List)\s*:?$"
)
_REFS_STOP = re.compile(
    r"^(?:(?:\d{1,2}|[A-Z])\.?\s+)?(?:Appendix|APPENDIX|Affiliations?:|Supplementary|SUPPLEMENTARY|"
    r"Biographies|BIOGRAPHIES|About the authors?|Author Biograph)",
    re.IGNORECASE,
)
_ARXIV_STAMP = re.compile(r"\barXiv:(?P<id>\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?P<v>v\d+)?\s+\[[\w.-]+\]")
_ARXIV_LABEL = re.compile(
    r"^(?:arXiv|ArXiv) ?(?:ePrint|e-print|preprint)?:\s*(?P<id>\d{4}\.\d{4,5}|[a-z-]+/\d{7})(?:v\d+)?$"
)
_DOI_LABELLED = re.compile(
    r"(?:\bdoi\s*:?\s*|\bDOI\s*:?\s*|https?://(?:dx\.)?doi\.org/)(?P<doi>10\.\d{4,9}/\S+)", re.IGNORECASE
)
_REFLIKE = re.compile(r"^\s*(?:\[\d{1,3}\]|\d{1,3}\.\s+[A-Z]|\(\d{1,3}\))")
_MASTHEAD = re.compile(
    r"^(?:[A-Z]{2,6}\s+)?(?:The\s+)?(?:Journal|Proceedings|Annals|Transactions|Bulletin|Archives)"
    r"\s+(?:of|on|in)\s",
    re.IGNORECASE,
)
#: a journal's name in a masthead ("Physical Review Letters", "IEEE Transactions on Medical Imaging")
_PUBLICATION = re.compile(r"\b(?:Journal|Proceedings|Transactions|Annals|Bulletin|Letters|Reviews?|Magazine)\b")
#: JCAP10(2008)003, JHEP05(2019)042: SISSA/IOP journals' running header (issue, year, article number)
_SISSA_HEADER = re.compile(
    r"^(?P<journal>JCAP|JHEP|JSTAT|JINST)(?P<issue>\d{2})\((?P<year>(?:19|20)\d{2})\)"
    r"(?P<pages>[A-Z]?\d{3,6})$"
)
#: "January 2007, Volume 18, Issue 3." (Journal of Statistical Software and others)
_VOLUME_LINE = re.compile(
    r"^(?:(?P<month>[A-Z][a-z]{2,8})\s+)?(?P<year>(?:19|20)\d{2}),\s*Volume\s+(?P<volume>\d+),\s*"
    r"(?:Issue|Number)\s+(?P<issue>\d+)\b"
)
#: "Z. Naturforsch. 54 a, 272-273 (1999);"  "Phys. Lett. B 12, 345-350 (2001)"
_ABBREV_CITATION = re.compile(
    r"^(?P<journal>(?:[A-Z][a-zäöü]{0,12}\.\s*){1,5})\s*(?P<series>[A-D]\s+)?(?P<volume>\d{1,4})"
    r"\s*(?P<series2>[a-d])?,\s*(?P<pages>\d{1,6}\s*[-–]\s*\d{1,6})\s*\((?P<year>(?:19|20)\d{2})\)"
)
#: "Journal Name, Vol. 12, No. 3, pp. 45-67, 2010" / "… Vol. 12 (2010) 45–67"
_VOL_NO = re.compile(
    r"^(?P<journal>[A-Z][^,;]{3,90}?),\s*Vol(?:ume|\.)\s*(?P<volume>\d+)(?:,\s*(?:No\.?|Issue|Number)\s*"
    r"(?P<issue>\w+))?,?\s*(?:pp?\.\s*(?P<pages>\d+\s*[-–]\s*\d+),?\s*)?"
    r"\(?(?:(?P<month>[A-Z][a-z]{2,8})\.?\s+)?(?P<year>(?:19|20)\d{2})\)?"
)
#: IEEE's first-page footer: "978-0-7695-3958-4/10 $26.00 © 2010 IEEE"
_IEEE_FOOTER = re.compile(
    r"^(?P<isbn>97[89][\d-]{10,14})/\d{2}\s*\$\d+\.\d{2}\s*(?:©|\(c\)|c)\s*(?P<year>(?:19|20)\d{2})\s+"
    r"(?P<publisher>IEEE)\b"
)
_EVENT = re.compile(r"^(?:(?:19|20)\d{2}\s+)?.*\b(?:Conference|Symposium|Workshop|Congress|Colloquium)\b.{0,80}$")
_HISTORY = re.compile(
    r"^(?P<label>Received|Accepted|Published(?: online)?|Revised)\s*:?\s+(?P<date>(?:\d{1,2}\s+)?"
    r"[A-Z][a-z]{2,8}\.?\s+(?:\d{1,2},\s+)?(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
_CITE_LABEL = re.compile(
    r"^(?:Citation|Cite this article|To cite this article|How to cite(?: this article)?|"
    r"Recommended citation|Cite as)\s*:\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_LABEL_LINE = re.compile(r"^(?:[A-Z][A-Za-z ]{2,30}:\s|Received\b|Accepted\b|Published\b|Copyright\b)")
_KEYWORDS = re.compile(r"^(?:Keywords?|Key words|Index Terms)\s*(?::|—|–|-|\.)\s*(?P<kw>.+)$", re.IGNORECASE)
_AFFILIATION = re.compile(
    r"\b(?:University|Universit[àéä]|Universidade|Universidad|Institut|Institute|Depart\w*|Dept\.|Facult\w*|"
    r"Laborator|College|School|Center|Centre|Faculty|Hospital|Academy|GmbH|Inc\.|Ltd|"
    r"Abstract|E-?mail|@)",
    re.IGNORECASE,
)
_NAME_TOKEN = re.compile(
    r"^(?:[A-Z][\w'’.-]*|(?:[A-Z]\.)+[A-Z]?[\w'’-]*|van|von|der|den|de|del|della|di|da|dos|du|la|le|ten|ter)$"
)
_MARKS = re.compile(r"(?<=[^\W\d_])(?:\d+(?:,\d+)*|[*∗†‡§¶#]+)+|[*∗†‡§¶]+|''")


def _dehyphen(s: str) -> str:
    """PDFium's mark of a word hyphenated at a line end: a capitalised first part is a compound that keeps its
    hyphen ("Market-driven"), a lower-case one a word cut in two ("compartmen-tal")."""

    def join(m: re.Match[str]) -> str:
        before, after = m.group(1), m.group(2)
        keep = before[:1].isupper() and not _SUFFIX.match(after)  # "Imag-ing" is one word, "Market-driven" two
        return before + ("-" if keep else "") + after

    return re.sub(r"(\w*)\ufffe\s*(\w*)", join, s)


_SUFFIX = re.compile(
    r"^(?:ing|ings|tion|tions|sion|ment|ments|ed|al|ally|ic|ics|ly|er|ers|es|ity|ities|ous|ive|"
    r"ance|ence|ism|ist|ure|able|ible|ant|ent|ize|ise|ized|ised|ogy|ical|ness)$"
)


def _clean_title(lines: list[_Line]) -> str:
    out = ""
    for line in lines:
        s = line.text.strip()
        if out.endswith(_SOFT_HYPHEN):
            out += s
        elif out.endswith("-") and not out.endswith(" -"):
            out += s
        else:
            out = f"{out} {s}" if out else s
    return clean_text(_dehyphen(out))


def _title_like(s: str) -> bool:
    s = s.strip()
    if len(s) < 6 or len(s.split()) < 2:
        return False
    letters = sum(c.isalpha() for c in s)
    if letters < 0.7 * len(s.replace(" ", "")):
        return False
    return not (
        _MASTHEAD.search(s)
        or _PUBLICATION.search(s)
        and len(s.split()) <= 5
        or _ARXIV_STAMP.search(s)
        or find_dois(s)
        or "http" in s
        or "@" in s
        or _AFFILIATION.search(s)
        and len(s.split()) < 12
    )


def _font_title(lines: list[_Line]) -> tuple[list[_Line], str]:
    """The first run of lines in the first page's largest title-like font (at most four lines), and how it was
    found. When no font stands out (an OCR layer prints everything in one size), the first title-like run among
    the page's first five lines."""
    page1 = [l for l in lines if l.page == 1]
    head = page1[:TITLE_LINES]
    cands = [l for l in head if l.size > 0 and _title_like(l.text)]
    if not cands:
        return [], ""
    top = max(l.size for l in cands)
    body = statistics.median([l.size for l in page1 if l.size > 0])
    how = "(largest font)"
    if top < body + 0.8:
        first = [l for l in head[:5] if l in cands]
        if not first:
            return [], ""
        top, how = first[0].size, "(first lines)"
    for i, line in enumerate(head):
        if line in cands and abs(line.size - top) < 0.6:
            group = [line]
            for nxt in head[i + 1 :]:
                if abs(nxt.size - top) < 0.6 and -1 < group[-1].y - nxt.y < 2.5 * top and len(group) < 4:
                    group.append(nxt)
                else:
                    break
            return group, how
    return [], ""


def _names(s: str) -> tuple[list[Person], bool] | None:
    """An author line ("Krzysztof Bolejko1,2 and Lars Andersson3,4") as people and whether the list is closed by
    "and"; ``None`` unless every part reads as a name."""
    s = _MARKS.sub("", s)
    s = re.sub(r"(?<=[^\W\d_]),\s?\d+(?:,\s?\d+)*(?=[\s,]|$)", ",", s)  # "Polyakov,2 Alex", "Borjemscala,2, 3"
    s = re.sub(r"\b((?:[A-Z][a-z]?\.){1,3})(?=[A-Z][a-z])", r"\1 ", s)  # "Yu.A.Pusep" -> "Yu.A. Pusep"
    s = re.sub(r",(?:\s*,)+", ",", clean_text(s)).strip(" ,")
    s = re.sub(r"^(?:Dr|Prof)\.?\s+", "", s)
    if not s or _AFFILIATION.search(s) or re.search(r"\d", s):
        return None
    closed = bool(re.search(r"(?:,|\s)\s*(?:and|&)\s+\S", s))
    people, etal = split_author_list(s)
    if not people or etal:
        return None
    for p in people:
        tokens = p.display.split()
        if p.literal or not 2 <= len(tokens) <= 5 or not all(_NAME_TOKEN.match(t) for t in tokens):
            return None
    return people, closed


class PdfFile:
    """A PDF article (see the module's docstring). ``read_bytes`` takes the file's bytes; ``read`` (the text
    contract every reader has) reads the file at ``path`` again as bytes, since a PDF is not text."""

    name = "pdf"
    rejoins_wrapped_dois = False

    def match(self, text: str) -> bool:
        return "%PDF-" in text[:1024]

    def match_bytes(self, data: bytes) -> bool:
        return is_pdf(data)

    def read(self, text: str, path: str) -> ReadResult:
        p = Path(path)
        try:
            data = p.read_bytes() if p.is_file() else text.encode("latin-1", "replace")
        except OSError as exc:
            return ReadResult(failures=[FailedInput(path, f"cannot read: {exc.strerror or exc}")])
        return self.read_bytes(data, path)

    def read_bytes(self, data: bytes, path: str, references: bool = True) -> ReadResult:
        return read_pdf_bytes(data, path, references=references)


def _fail(path: str, reason: str) -> ReadResult:
    return ReadResult(failures=[FailedInput(path, reason)])


def read_pdf_bytes(data: bytes, path: str, references: bool = True) -> ReadResult:
    """The record of one PDF, or a failure naming why it cannot be read. ``references=False`` reads the
    first pages only (what the speed target is about)."""
    import pypdfium2 as pdfium

    if not is_pdf(data):
        return _fail(path, "not a PDF (no %PDF- header)")
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            return _fail(path, "encrypted PDF: it cannot be opened without its password; save an unprotected copy")
        detail = re.sub(r"^Failed to load document \(PDFium: (.*?)\)\.?$", r"\1", msg)
        return _fail(path, f"damaged PDF: {detail.lower() if detail else msg}; the file may be truncated")
    try:
        return _read(doc, data, path, references)
    finally:
        doc.close()


def _read(doc, data: bytes, path: str, references: bool) -> ReadResult:
    import pypdfium2 as pdfium

    npages = len(doc)
    if npages == 0:
        return _fail(path, "damaged PDF: it has no pages")
    lines: list[_Line] = []
    try:
        for pno in range(min(npages if references else HEAD_PAGES, npages)):
            page = doc[pno]
            try:
                lines += _page_lines(page, pno + 1, len(lines) + 1, sizes=pno == 0)
                if pno == 0 and not lines and _has_images(page):
                    return _fail(
                        path,
                        "image-only PDF (a scan without a text layer): nothing to read; run OCR on "
                        "it first (e.g. ocrmypdf)",
                    )
            finally:
                page.close()
    except pdfium.PdfiumError as exc:
        if not lines:
            return _fail(path, f"damaged PDF: {exc}")
    head = [l for l in lines if l.page <= HEAD_PAGES]
    if not any(l.page == 1 for l in lines):
        return _fail(path, "PDF without text on its first page (an image or an empty page): nothing to read")

    rec = Record(source=Provenance(origin="pdf", file=path, line=1, format="pdf"))
    info = {k: v for k, v in doc.get_metadata_dict(skip_empty=True).items() if isinstance(v, str)}
    for info_key in ("doi", "DOI"):  # not one of the standard keys PDFium's dictionary lists
        value = doc.get_metadata_value(info_key)
        if value:
            info[info_key] = value
    xmp = _xmp_values(data)
    refs_at = next((l.n for l in reversed(lines) if _REFS_HEAD.match(l.text.strip())), None)
    if refs_at is None:  # no heading (REVTeX): the last "[1]" that a "[2]" follows
        firsts = [i for i, l in enumerate(lines) if re.match(r"^\s*\[1\]\s", l.text)]
        for i in reversed(firsts):
            if any(re.match(r"^\s*\[2\]\s", l.text) for l in lines[i + 1 : i + 12]):
                refs_at = lines[i].n - 1
                break
    own = [l for l in head if refs_at is None or l.n < refs_at]
    page1_words = _words(" ".join(l.text for l in own if l.page == 1))

    def meta(key: str) -> Provenance:
        return Provenance(origin="pdf", file=path, format="pdf", detail=key)

    def at(line: _Line, what: str = "") -> Provenance:
        return Provenance(
            origin="pdf",
            file=path,
            line=line.n,
            format="pdf",
            detail=f"page {line.page}" + (f" {what}" if what else ""),
        )

    # DOI: the metadata's, unless the first pages print another with its label
    doi, key = _metadata_doi(xmp, info)
    printed = _printed_doi(own)
    if printed and printed[0] != doi:
        rec.set("doi", printed[0], at(printed[1], "(printed)"))
    elif doi:
        assert key is not None  # _metadata_doi names where it found each DOI it gives
        rec.set("doi", doi, meta(key))

    _title(rec, own, xmp, info, page1_words, meta, at)
    _authors(rec, own, xmp, info, page1_words, meta, at)
    _citation_lines(rec, own, at)
    for line in own:
        m = _ARXIV_STAMP.search(line.text) or _ARXIV_LABEL.match(line.text.strip())
        if m:
            rec.set_if_absent("url", f"https://arxiv.org/abs/{m.group('id')}", at(line, "arXiv"))
            break
    if references and refs_at is not None:
        _references(rec, [l for l in lines if l.n > refs_at], at, _running_lines(lines))
    return one_record(rec, path, "a PDF")


def _printed_doi(lines: list[_Line]) -> tuple[str, _Line] | None:
    """The first labelled DOI of the first page (not on a line that reads as a reference or a footnote), else
    one in the running header or footer of the second (its first or last three lines)."""
    later = [l for l in lines if l.page > 1]
    edges = {id(l) for l in later[:3] + later[-3:]}
    for line in lines:
        if _REFLIKE.match(line.text) or line.page > 1 and id(line) not in edges:
            continue
        m = _DOI_LABELLED.search(line.text)
        if m:
            doi = normalize_doi(m.group("doi"))
            if doi:
                return doi, line
    return None


def _title(rec, own, xmp, info, page1_words, meta, at) -> None:
    for value, key in [(v, "XMP dc:title") for v in xmp.get("dc:title", [])] + [(info.get("Title"), "Info /Title")]:
        if value and plausible_title(value) and printed_in(value, page1_words):
            rec.set("title", clean_text(value), meta(key))
            return
    group, how = _font_title(own)
    if group:
        rec.set("title", _clean_title(group), at(group[0], how))


def _authors(rec, own, xmp, info, page1_words, meta, at) -> None:
    block = _author_block(own, rec)
    page_people = _names(" ".join(l.text for l in block)) if block else None
    candidates = [(xmp["dc:creator"], "XMP dc:creator")] if xmp.get("dc:creator") else []
    if info.get("Author"):
        candidates.append(([info["Author"]], "Info /Author"))
    for values, key in candidates:
        text = "; ".join(values) if len(values) > 1 else values[0]
        if ";" in text:  # "Smith, John; Doe, A." or "John Smith; Ann Doe"
            people = [
                person_from_inverted(p) if "," in p else person_from_display(p)
                for p in (clean_text(p) for p in text.split(";"))
                if p
            ]
        elif text.count(",") == 1 and len(text.split(",")[0].split()) == 1:  # "Smith, John"
            people = [person_from_inverted(clean_text(text))]
        else:
            people = [person_from_display(clean_text(p)) for p in re.split(r"\s*(?:,|\band\b|&)\s*", text) if p.strip()]
        people = [p for p in people if p.display]
        if people and all(len(p.display.split()) >= 2 and printed_in(p.family, page1_words) for p in people):
            if (
                page_people
                and len(page_people[0]) > len(people)
                and {comparable(p.family) for p in people} <= {comparable(p.family) for p in page_people[0]}
            ):
                break  # the metadata names only some of the authors the page prints: the page's list is used
            rec.set("authors", people, meta(key))
            rec.set("authors_complete", True, meta(key))
            return
    if page_people:
        people, closed = page_people
        rec.set("authors", people, at(block[0], "(under the title)"))
        rec.set("authors_complete", closed, at(block[0], "(under the title)"))


def _author_block(own: list[_Line], rec: Record) -> list[_Line]:
    """The lines right under the title on the first page, up to the first affiliation, e-mail or abstract line
    (footnote marks on lines of their own skipped), if the title was found there."""
    title = rec.title
    if not title:
        return []
    words = _words(title)
    acc = ""
    page1 = [l for l in own if l.page == 1]
    for i, line in enumerate(page1[:TITLE_LINES]):
        w = _words(line.text)
        if not w:
            continue
        if w in words:
            acc = f"{acc} {w}".strip()
            if acc.endswith(words[-min(len(words), 25) :]):
                block: list[_Line] = []
                for nxt in page1[i + 1 : i + 16]:
                    s = nxt.text.strip()
                    if re.fullmatch(r"[\d,*∗†‡§¶ ]+", s):
                        continue
                    if (
                        _AFFILIATION.search(s)
                        or re.match(r"^\d\s*[A-Z]", s)
                        or len(s.split()) > 14
                        or block
                        and abs(nxt.size - block[0].size) > 1.0
                    ):
                        break
                    block.append(nxt)
                return block
        else:
            acc = ""
    return []


def _citation_lines(rec: Record, own: list[_Line], at) -> None:
    prev: _Line | None = None
    for line in own:
        s = re.sub(r"\s+", " ", line.text).strip()  # the soft-hyphen mark kept for _dehyphen
        m = _SISSA_HEADER.match(s)
        if m:
            src = at(line, "(running header)")
            rec.set_if_absent("journal_abbrev", m.group("journal"), src)
            rec.set_if_absent("year", m.group("year"), src)
            rec.set_if_absent("issue", m.group("issue").lstrip("0") or m.group("issue"), src)
            rec.set_if_absent("pages", m.group("pages"), src)
            rec.set_if_absent("type", "journal-article", src)
        m = _VOLUME_LINE.match(s)
        if m:
            src = at(line, "(citation line)")
            for name in ("year", "volume", "issue"):
                rec.set_if_absent(name, m.group(name), src)
            if m.group("month"):
                month = parse_date(f"{m.group('month')} {m.group('year')}")[1]
                rec.set_if_absent("month", month, src)
            if prev is not None:
                j = re.search(
                    r"\b((?:The\s+)?(?:Journal|Annals|Transactions|Bulletin|Archives)\s+(?:of|on|in)\s.+)$",
                    clean_text(prev.text),
                )
                if j:
                    rec.set_if_absent("journal", j.group(1).strip(), at(prev, "(masthead)"))
            rec.set_if_absent("type", "journal-article", src)
        m = _ABBREV_CITATION.match(s)
        if m:
            src = at(line, "(citation line)")
            series = (m.group("series") or m.group("series2") or "").strip().upper()
            rec.set_if_absent("journal_abbrev", clean_text(m.group("journal")) + (f" {series}" if series else ""), src)
            rec.set_if_absent("volume", m.group("volume"), src)
            rec.set_if_absent("pages", re.sub(r"\s*[-–]\s*", "-", m.group("pages")), src)
            rec.set_if_absent("year", m.group("year"), src)
            rec.set_if_absent("type", "journal-article", src)
        m = _VOL_NO.match(s)
        if m and not _ABBREV_CITATION.match(s):
            src = at(line, "(citation line)")
            rec.set_if_absent("journal", m.group("journal").strip(), src)
            for name in ("volume", "issue", "year"):
                rec.set_if_absent(name, m.group(name), src)
            if m.group("pages"):
                rec.set_if_absent("pages", re.sub(r"\s*[-–]\s*", "-", m.group("pages")), src)
        m = _IEEE_FOOTER.match(s)
        if m:
            src = at(line, "(footer)")
            isbn = normalize_isbn(m.group("isbn"))
            if isbn:
                rec.set_if_absent("isbn", [isbn], src)
            rec.set_if_absent("year", m.group("year"), src)
            rec.set_if_absent("publisher", m.group("publisher"), src)
            if prev is not None and _EVENT.match(clean_text(prev.text)):
                rec.set_if_absent("journal", clean_text(prev.text), at(prev, "(footer)"))
                rec.set_if_absent("type", "proceedings-article", at(prev, "(footer)"))
        m = _CITE_LABEL.match(s)
        if m and line.page == 1:
            _own_citation(rec, own, line, m.group("rest"), at)
        m = _HISTORY.match(s)
        if m and line.page == 1:
            label = m.group("label").lower()
            date_field = {"received": "received", "accepted": "accepted", "revised": None}.get(label, "published")
            if date_field:
                rec.set_if_absent(date_field, iso_date(m.group("date")), at(line))
        m = _KEYWORDS.match(s)
        if m and line.page == 1 and "keywords" not in rec:
            kw = m.group("kw")
            k = own.index(line)
            for nxt in own[k + 1 : k + 4]:  # a list that runs on: "…, cosmological constant" / "experiments, …"
                t = clean_text(nxt.text)
                heading = bool(re.match(r"^(?:[IVX]+|\d+)\.?\s+[A-Z]", t)) or t.isupper()
                if not (kw.rstrip().endswith(",") or t[:1].islower()) or heading or _KEYWORDS.match(t) or not t:
                    break
                kw = f"{kw} {t}"
            kws = [clean_text(_dehyphen(k)).strip(" .") for k in re.split(r"\s*[;,·•]\s*", kw) if k.strip(" .")]
            rec.set("keywords", kws, at(line))
        prev = line


#: an appendix heading after an unnumbered reference list: "A. Partitioned vs. unpartitioned …", "B. New options"
_APPENDIX_HEAD = re.compile(r"^[A-H](?:\.\d)?\.\s+[A-Z][a-z]+(?:\s+[\w.-]+){0,9}$")


def _skeleton(s: str) -> str:
    return re.sub(r"\d+", "#", clean_text(s)).strip()


def _running_lines(lines: list[_Line]) -> set[str]:
    """Running headers and footers: a line that, digits aside, is printed on three pages or more."""
    pages: dict[str, set[int]] = {}
    for line in lines:
        pages.setdefault(_skeleton(line.text), set()).add(line.page)
    return {k for k, v in pages.items() if len(v) >= 3 and len(k) > 3}


def _own_citation(rec: Record, own: list[_Line], line: _Line, rest: str, at) -> None:
    """The article's own citation as its first page prints it (PLOS' and Frontiers' "Citation:", Taylor &
    Francis' "To cite this article:"), parsed by :func:`~mscbib.sources.refstring.parse_citation`: it fills the
    journal, year, volume, issue and pages the header did not give."""
    parts = [rest] if rest.strip() else []
    k = own.index(line)
    for nxt in own[k + 1 : k + 6]:
        t = clean_text(nxt.text)
        if not t or _LABEL_LINE.match(t) or "©" in t or nxt.page != line.page:
            break
        parts.append(t)
        if find_dois(t):
            break
    ref = parse_citation(_dehyphen(" ".join(parts)))
    if not (ref.journal and ref.year):
        return
    src = at(line, "(own citation)")
    rec.set_if_absent("journal_abbrev" if "." in ref.journal else "journal", ref.journal.strip(" ."), src)
    for name in ("year", "volume", "issue", "pages"):
        rec.set_if_absent(name, getattr(ref, name), src)
    if ref.doi:
        rec.set_if_absent("doi", ref.doi, src)


def _references(rec: Record, lines: list[_Line], at, running: set[str]) -> None:
    """The reference list: numbered items ([1], 1.) or, unnumbered, items whose first line starts at the
    column's left edge and whose other lines are indented (a hanging indent)."""
    numbered = sum(bool(re.match(r"^\s*(?:\[\d{1,3}\]|\d{1,3}\.\s)", l.text)) for l in lines[:60]) >= 2
    body: list[_Line] = []
    for line in lines:
        s = line.text.strip()
        if _REFS_STOP.match(s) or "@" in s or re.match(r"^(?:\*|∗)?\s*corresponding author", s, re.IGNORECASE):
            break
        if not numbered and _APPENDIX_HEAD.match(s):
            break
        if s and not re.fullmatch(r"\d{1,4}|[*∗†‡_]+", s) and _skeleton(s) not in running:  # page numbers, marks
            body.append(line)
    if not body:
        return
    items: list[list[_Line]] = []
    lefts: dict[int, float] = {}
    for l in body:
        lefts[l.page] = min(lefts.get(l.page, l.x), l.x)
    for line in body:
        s = line.text.strip()
        if numbered:
            start = bool(re.match(r"^(?:\[\d{1,3}\]|\d{1,3}\.\s)", s))
        else:
            # a new column's left edge is its own minimum: compare with lines near it in x
            start = (
                not items
                or line.x < items[-1][0].x + 3
                and (line.x <= lefts[line.page] + 3 or abs(line.x - items[-1][0].x) < 3)
            )
            if (
                start
                and items
                and len(items[-1]) >= 1
                and not re.search(r"[.)\]]\s*$", items[-1][-1].text.strip())
                and abs(line.x - items[-1][0].x) < 3
                and len(items[-1]) > 0
                and not re.match(r"^[A-Z][\w'’-]+,?\s", s)
            ):
                start = False
        if start or not items:
            items.append([line])
        else:
            items[-1].append(line)
    seen: set[str] = set()
    found: list[tuple[list[_Line], str]] = []  # parsed all at once below (parse_citations)
    for item in items:
        text = re.sub(r"^\s*(?:\[\d{1,3}\]|\d{1,3}\.)\s*", "", _clean_title(item))
        text = re.sub(r"\s*_{4,}\s*$", "", text)  # a footnote rule
        if len(text) < 20 or text in seen:  # a text layer that prints a column twice
            continue
        seen.add(text)
        found.append((item, text))
    rec.references.extend(parse_citations([t for _, t in found], [at(item[0], "(references)") for item, _ in found]))
