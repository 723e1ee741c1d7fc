"""The general page reader: a copied page read by the evidence it states, wherever it stands.

A copy of a web page (a publisher's article page, a PubMed clone, a catalog record, an aggregator, a PDF
viewer) is read line by line, once, for what it states, in any site's layout:

* **labelled values**, in the catalogs' common languages: ``DOI:`` / ``doi.org/…``, ``PMID``, ``PMCID`` /
  ``PMC:``, ``ISSN`` (print / online, ``p-ISSN``, ``e-ISSN``), volume (``Vol.``, ``Volume``, ``vol.``, ``Tập``,
  ``Том``, ``Band``, ``Jg.``), issue (``No.``, ``Number``, ``Issue``, ``no.``, ``№``, ``Số``, ``Heft``,
  ``Ausgabe``, ``Вип.``), pages (``pp.``, ``pages``, ``Page :``, ``p.``, ``P``, ``Trang``, ``с.``, ``S.``),
  dates (``Published``, ``Published online``, ``Publication Date``, ``Erschienen``, ``Publicado``, ``Publié``,
  ``발행``, ``出版``; never ``Received``/``Accepted``), the title (``Title:``, ``Titel``, ``Título``, ``Titre``,
  ``Název``, ``Назва``, ``标题``, ``題名``, ``제목``, a catalog's ``Text this:``), authors (``Authors``,
  ``Autores``, ``Auteurs``, ``Autoren``, ``verfasst von``, ``Автори``, ``Авторы``, ``作者``, ``著者``, ``저자``,
  ``Main Authors``, ``Listed:``) and keywords (``Keywords``, ``Palabras clave``, ``Palavras-chave``,
  ``Schlüsselwörter``, ``Mots-clés``, ``Klíčová slova``, ``Ключові слова``, ``关键词``, ``キーワード``,
  ``키워드``, ``Từ khóa``, ``Kata kunci``);
* **citation lines** in the common styles: NLM/PubMed ``Mol Cancer. 2019 Apr 2;18(1):75. doi: …`` (also with
  the journal lost, ``. 2016 Aug 23;16(9):582-98.``), ``Pediatrics 2012;129;256``, ``World J Cardiol. Jul 26,
  2013; 5(7): 215-227``, ``Science 284 (5411), 143-147, 1999-04-02``, ``Journal, 12(3), 45-67``,
  ``Vol. 12 No. 3 (2020)``, labelled runs such as ``Volume 15, Number 1, February 2024, pages 37-46`` or
  ``2017, Human Molecular Genetics, № 18, p. 3639-3650``, and "Cite this article" / "How to cite" lines
  (parsed by :func:`~mscbib.sources.refstring.parse_citation`);
* **the title by structure**: a line printed twice, the line above an author line, next to the citation line
  or above "Abstract", the page's first substantial line;
* **author lines by the shapes of name lists**: ``Family AB, Family CD``, ``Given Family1,2``, ``Family, G.``,
  one name per line or bullet, "et al.".

The page's own identifiers come from the page's own part: the reference list (from its heading on), notices
(``Erratum in``, ``Comment in``, "Similar articles", "Cited by") and reference-like lines are left out, and a
labelled DOI wins over a bare one. Nothing is guessed: a value is taken only where the page states it, and
each keeps the line it came from. Site readers (:mod:`.landing`, :mod:`.pubmed`, :mod:`.catalog`) add what
they know of one layout first; :func:`add_evidence` fills in what they did not find.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..identifiers import find_dois, normalize_pmcid, normalize_pmid
from ..model import FailedInput, Person, Provenance, Record
from ..text import clean_text, normalize_pages, parse_month, person_from_display
from ._common import issns_in, person_from_inverted
from .base import Lines, ReadResult, is_boilerplate
from .refstring import parse_citation, split_author_list

__all__ = ["PageReader", "add_evidence", "page_facts", "EVIDENCE_LOOKED_FOR"]

#: What the refusal message names (a text with none of it is not a bibliographic page).
EVIDENCE_LOOKED_FOR = ("a DOI", "a PMID or PMCID", "an arXiv ID", "a citation line (journal, year, volume, "
                       "issue, pages)", "a labelled title", "a title with an author line")

_YEAR = r"(?:1[89]\d{2}|20\d{2})"
_MON = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_REF_HEAD = re.compile(
    r"^(?:\d+\.?\s+)?(?:References?(?: list)?|List of references|Bibliography|Literature cited|Cited literature|"
    r"Literatur(?:verzeichnis)?|Références(?: bibliographiques)?|Referencias(?: bibliográficas)?|Referências|"
    r"Bibliografía|Bibliografia|Literatura|Seznam literatury|Список літератури|Список литературы|Література|"
    r"Литература|Tài liệu tham khảo|参考文献|被引用文献.*|引用文献|참고문헌|Daftar Pustaka|REFERENCES)\s*:?$",
    re.IGNORECASE)
_NOTICE_HEAD = re.compile(
    r"^(?:Erratum in|Erratum for|Comment in|Comment on|Retraction in|Retraction of|Update in|Update of|"
    r"Expression of concern in|Similar articles|Cited by.*|Related articles|Recommended articles|Citing articles|"
    r"Related content|You may also like|People also read|More like this|Similar articles in PubMed)\s*:?$",
    re.IGNORECASE)
_SECTION = re.compile(
    r"^(?:Abstract|Summary|Resumen|Resumo|Résumé|Zusammenfassung|Abstrakt|Анотація|Аннотация|摘要|抄録|초록|"
    r"Tóm tắt|Abstrak|RESUMEN|ABSTRACT|Background|Introduction|1\.?\s+Introduction|Keywords?|Publication types|"
    r"MeSH terms|Full text|Details|Affiliations?)\s*:?$", re.IGNORECASE)
_ABSTRACT_HEAD = re.compile(r"^(?:Abstract|Summary|Resumen|Resumo|Résumé|Zusammenfassung|Abstrakt|Анотація|"
                            r"Аннотация|摘要|抄録|초록|Tóm tắt|Abstrak|Short Description)\s*:?$", re.IGNORECASE)
_REFLIKE = re.compile(r"-\s*(?:PubMed|PMC|Google Scholar|Crossref)\s*$|\[(?:PubMed|Google Scholar|CrossRef)\]",
                      re.IGNORECASE)
_NUMBERED_REF = re.compile(r"^(?:\d{1,3}[.)]|\[\d{1,3}\])\s+\S.*\b" + _YEAR + r"\b")

# -- identifiers ------------------------------------------------------------------------------
_DOI_LABELLED = re.compile(r"(?:\bdoi\b\s*[:：]?\s*|doi\.org/)(?:https?://(?:dx\.)?doi\.org/)?10\.", re.IGNORECASE)
_PMID = re.compile(r"\bPMID\s*[:：]?\s*(\d{1,9})\b")
_PMCID = re.compile(r"\bPMCID\s*[:：]?\s*(PMC\s*\d+)|\bPMC\s*[:：]\s*(\d{3,})|\b(PMC\d{5,})\b")
_ARXIV = re.compile(r"\barXiv\s*:\s*(\d{4}\.\d{4,5}(?:v\d+)?)", re.IGNORECASE)
_ISSN_LABEL = re.compile(r"(?<![A-Za-z])(?:[pe]-?|print\s+|online\s+|electronic\s+)?ISSN(?:-L)?\b", re.IGNORECASE)

# -- citation lines ---------------------------------------------------------------------------
_DATE_NLM = rf"(?P<year>{_YEAR})(?:\s+(?P<mon>{_MON})(?:-{_MON})?(?:\s+(?P<day>\d{{1,2}}))?)?"
_DATE_MDY = rf"(?P<mon2>{_MON})\s+(?P<day2>\d{{1,2}}),\s*(?P<year2>{_YEAR})"
#: Acta Pharm Sin B. 2021 Aug;11(8):2114-2135.   . 2016 Aug 23;16(9):582-98.   World J Cardiol. Jul 26, 2013; 5(7): 215-227
#: Pediatrics 2012;129;256   Jurnal INKOM. 2011 ;5(2):113-118.   Intell Based Med. 2021 Mar 10;5:100028.
_NLM = re.compile(
    rf"(?:^|(?<=[:.]\s)|(?<=^\.))(?P<journal>[^\d;:]{{0,120}}?)[.,]?\s*(?:{_DATE_NLM}|{_DATE_MDY})\s*;\s*"
    rf"(?P<volume>[A-Za-z]?\d[\w-]*)?\s*(?:\((?P<issue>[^)]{{1,20}})\))?\s*(?:[:;]\s*(?P<pages>[A-Za-z]{{0,2}}\d+"
    rf"(?:\s*[-–]\s*[A-Za-z]{{0,2}}\d+)?))?")
#: Science 284 (5411), 143-147, 1999-04-02    Journal Name, 12(3), 45-67    Journal 14 (2), 129-141
_COMPACT = re.compile(
    r"^(?P<journal>[A-Z][^\d()]{1,100}?),?\s+(?P<volume>\d{1,5})\s*\((?P<issue>[\w-]{1,12})\)\s*[,:]\s*"
    r"(?P<pages>[A-Za-z]?\d+(?:\s*[-–]\s*[A-Za-z]?\d+)?)(?:\s*,\s*(?P<date>" + _YEAR + r"[-/.\d]*))?\.?$")
#: BMC's run-together "BMC Research Notes20147:395" (journal, year, volume:article)
_GLUED = re.compile(rf"^(?P<journal>[A-Z][A-Za-z &]{{2,80}}[a-z])(?P<year>{_YEAR})(?P<volume>\d{{1,4}}):(?P<pages>\d+)$")
#: "vol. 2 (2) (2020) 75-81"
_VOL_PAREN = re.compile(rf"\bvol\.?\s*(?P<volume>\d+)\s*\((?P<issue>[\w-]+)\)\s*\((?P<year>{_YEAR})\)\s*"
                        r"(?P<pages>\d+\s*[-–]\s*\d+)", re.IGNORECASE)
_VOL = re.compile(r"(?:(?<![A-Za-z])(?:Volume|Vol|vol|v|Tập|Том|Band|Bd|Jg|Jahrgang|卷|Svazek|Ročník|Tome|Volumen)"
                  r"(?:\.|\b)\s*[:：]?\s*(?P<v>[A-Za-z]?\d[\w-]*)|(?P<v2>\d{1,4})\s*卷)")
_ISS = re.compile(r"(?:(?<![A-Za-z])(?:Issue|Number|No|no|Nr|n|Heft|Ausgabe|Số|Вип|Выпуск|Číslo|Núm|Num|Fascicule)"
                  r"(?:\.|\b)\s*[:：]?\s*|№\s*)(?P<i>[A-Za-z]?\d[\w-]*(?:/(?=" + _YEAR + r"))?)")
_PAGES_LABEL = re.compile(r"(?:(?<![A-Za-z])(?:pages|Pages|pp|Page|page|Trang|Seiten|S|p|P|с|стр)(?:\.|\b)\s*[:：]?\s*"
                          r"(?P<p>[A-Za-z]{0,2}\d+(?:\s*[-–]\s*[A-Za-z]{0,2}[\d.]+)?)|"
                          r"Article number\s*:?\s*(?P<a>[A-Za-z]?\d+))")
_ARTNO = re.compile(r"(?:Article number|Article No\.?|Art\. ?No\.?|e-?location)\s*:?\s*(?P<a>[A-Za-z]?\d+)", re.IGNORECASE)
_ISSUE_YEAR = re.compile(rf"(?P<i>\d{{1,3}})/(?P<y>{_YEAR})\b")  # Springer Medizin's "Ausgabe 5/2018"
_YEAR_ANY = re.compile(rf"(?<![\d.])({_YEAR})(?![\d])")
_ARTICLE_TYPES = frozenset(s.lower() for s in (
    "Review", "Review Article", "Research", "Research Article", "Original Article", "Original Research", "Article",
    "Articles", "Editorial", "Letter", "Communication", "Opinion", "Commentary", "Case Report", "Open Access",
    "Paper", "Brief Report", "Short Communication", "Perspective", "Journal Article", "Artículo de investigación"))

# -- dates, titles, authors, keywords ---------------------------------------------------------
_PUBLISHED = re.compile(
    r"(?:Published(?: online)?(?: by [^:]{1,60})?|Publication Date(?: \(Web\))?|Date of (?:Web )?Publication|"
    r"First published(?: online)?|Available online|Published Online|Publicado|Publié|Veröffentlicht|Erschienen|"
    r"Epub|발행|出版日|公開日|Опубліковано|Опубликовано|Date de publication|Data de publicação)\s*[:：]?\s*"
    r"(?P<date>.{4,40})", re.IGNORECASE)
_NOT_PUBLISHED = re.compile(r"\b(?:Received|Accepted|Revised|Submitted|Submission|Diterima|Direvisi|Disetujui|"
                            r"투고|심사|Recibido|Aceptado|Recebido|Aceito|Eingegangen|Angenommen)\b", re.IGNORECASE)
_DATE_IN = re.compile(
    rf"(?P<d1>\d{{1,2}})[-. ](?P<m1>{_MON}|\d{{1,2}})[-., ]+(?P<y1>{_YEAR})|"
    rf"(?P<y2>{_YEAR})[-./](?P<m2>\d{{1,2}})(?:[-./](?P<d2>\d{{1,2}}))?|"
    rf"(?P<m3>{_MON})\s+(?:(?P<d3>\d{{1,2}}),?\s+)?(?P<y3>{_YEAR})|"
    rf"(?P<y4>{_YEAR})\s+(?P<m4>{_MON})|"
    rf"(?P<y5>{_YEAR})", re.IGNORECASE)
_TITLE_LABEL = re.compile(r"^(?:Title|Titel|Título|Titre|Titolo|Název|Назва|Название|Tiêu đề|Judul|标题|題名|제목|"
                          r"Text this|Article title)\s*[:：]\s*(?P<t>.{10,})$", re.IGNORECASE)
_IMAGE_OF = re.compile(r"^image of\s+(?P<t>.{15,})$", re.IGNORECASE)
_AUTHOR_LABEL = re.compile(
    r"^(?:Authors?|Author\(s\)|Main Authors?|Other Authors|Autores?|Auteurs?|Autoren|Autor(?:en|innen)?|"
    r"verfasst von|Автори|Авторы|Автор|作\s*者|著者|저자|Tác giả|Penulis|By)\s*[:：]?\s*(?P<v>.*)$",
    re.IGNORECASE)
_LISTED = re.compile(r"^Listed\s*:$", re.IGNORECASE)
_KW_LABEL = re.compile(
    r"(?:^|\s)(?P<lab>Keywords?|Key words|Palabras clave|Palavras-chave|Schlüsselwörter|Mots-clés|Mots clés|"
    r"Klíčová slova|Ключові слова|Ключевые слова|关键词|關鍵詞|キーワード|키워드|Từ khóa|Kata kunci|Parole chiave)"
    r"\s*[:：]\s*(?P<kw>.*)$|^(?P<lab2>Keywords?|Key words|Palabras clave|Palavras-chave|Schlüsselwörter|"
    r"Mots-clés|Ключові слова|关键词|キーワード|키워드|Từ khóa|Kata kunci)$", re.IGNORECASE)
_AFFIL = re.compile(r"\b(?:Universit\w*|Department|Dept|Institut\w*|Hospital|School|Cent(?:er|re)|Clinic\w*|"
                    r"College|Faculty|Laborator\w*|Division|Unit|Academy|Foundation|Ministry|Therapeutics|Inc|Ltd|"
                    r"Street|Road|USA|UK|China|Italy|Cuba|Colombia|Australia|Germany|France|Spain|India|Japan|"
                    r"Korea|Canada|Brazil|Indonesia)\b")
_NAME_WORD = r"(?:[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’.-]*|(?:de|da|do|dos|das|del|della|di|du|van|von|der|den|la|le|ter|bin|al|el)\b)"
_NAME = re.compile(rf"^{_NAME_WORD}(?:[\s-]+{_NAME_WORD}){{1,4}}$")
_INV_NAME = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w'’ -]+,\s*[A-ZÀ-ÖØ-Þ][\w.'’ -]*$")
_VANC_NAME = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w'’-]+(?:\s+[A-ZÀ-ÖØ-Þa-z][\w'’-]+)*\s+[A-Z]{1,3}$")
_MARKS = re.compile(r"(?<=[^\W\d_])\s*(?:[\d,]+(?:\s+\d+)*|[*#†‡§]+)+\s*$")
_GROUP = re.compile(r"\b(?:Consortium|Group|Collaborat\w*|Network|Investigators|Committee|Team|Society|Initiative)\b")
_CITE_HEAD = re.compile(r"^(?:Cite this article|How to cite(?: this article)?|Citation|Cite as|Suggested Citation|"
                        r"Recommended citation|To cite this article|Cómo citar|Como citar|Zitierweise)\s*:?\s*(?P<rest>.*)$",
                        re.IGNORECASE)
_CHROME = re.compile(r"^(?:Skip to|Jump to|Download|Loading|Advertisement|Home\b|Back to|You are on page|Subscriber access|"
                     r"Open Access|Article Text|Table of Contents|IDEAS home|Send to|Choose Destination|See comment|"
                     r"\d+ downloads|Journal List|Hostname:|Print|Email|Share|Cite|Full text|Show|More options|"
                     r"Attention|Les informations|Identifieur|Copyright|©|http|www\.)", re.IGNORECASE)


@dataclass
class Facts:
    """What the general reader found, each value with the line it came from (filled in page order)."""
    values: dict[str, tuple[object, int]] = field(default_factory=dict)

    def put(self, name: str, value, n: int) -> None:
        if value not in (None, "", []) and name not in self.values:
            self.values[name] = (value, n)


def _strip(s: str) -> str:
    return s.strip(" \t•·*-–—|:;,").strip()


def _own_mask(lines: list[str]) -> tuple[list[bool], int]:
    """Which lines are the page's own (not a reference list, notice or "similar articles" block), and where
    the reference list begins (len+1 when there is none)."""
    n_lines = len(lines)
    own = [True] * n_lines
    refs_at = n_lines
    for i, s in enumerate(lines):
        if s and len(s) < 60 and _REF_HEAD.match(s) and i > 0:
            nxt = next((t for t in lines[i + 1:i + 4] if t), "")
            if nxt and (len(nxt) > 25 or re.match(r"^(?:\d{1,3}[.)]|\[\d+\]|[-•])", nxt)):
                refs_at = i
                break
    for i in range(refs_at, n_lines):
        own[i] = False
    i = 0
    while i < refs_at:
        s = lines[i]
        if s and _NOTICE_HEAD.match(s):
            own[i] = False
            j, seen = i + 1, 0
            while j < refs_at and seen < 6:
                t = lines[j]
                if t and (_SECTION.match(t) or _ABSTRACT_HEAD.match(t)):
                    break
                own[j] = False
                seen += 1 if t else 0
                j += 1
            i = j
            continue
        if s and (_REFLIKE.search(s) or (_NUMBERED_REF.match(s) and i > 3 and len(s) < 400)):
            own[i] = False
        i += 1
    return own, refs_at


def _date_parts(s: str) -> tuple[str | None, int | None]:
    m = _DATE_IN.search(s)
    if not m:
        return None, None
    g = m.groupdict()
    if g["y1"]:
        return g["y1"], parse_month(g["m1"]) if not g["m1"].isdigit() else parse_month(g["m1"])
    if g["y2"]:
        return g["y2"], parse_month(g["m2"])
    if g["y3"]:
        return g["y3"], parse_month(g["m3"])
    if g["y4"]:
        return g["y4"], parse_month(g["m4"])
    return g["y5"], None


def _journal_before(s: str, end: int) -> str | None:
    """The journal name printed just before a citation's first number part (``Nutrition & Metabolism volume 7``,
    ``2017, Human Molecular Genetics, № 18``, ``Luz vol.21``): the last segment before ``end`` that is a name."""
    head = s[:end]
    head = re.sub(r"^(?:Published in|Erschienen in|Journal|Source|Publicado en|Видання|出\s*处|Revista)\s*[:：]?\s*", "",
                  head, flags=re.IGNORECASE)
    quoted = re.search(r"[\"“”]\s*,?\s*(?P<j>[^,\"“”]{3,100}?),", head)
    if quoted:  # RePEc: '"Title," European Journal of Political Economy, Elsevier, vol. 52(C)'
        return quoted.group("j").strip()
    # split on separators outside parentheses
    parts, depth, cur = [], 0, ""
    for ch in head:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if depth == 0 and ch in ",|;":
            parts.append(cur)
            cur = ""
            continue
        cur += ch
    parts.append(cur)
    parts = [re.split(r"\s+-\s+", p)[-1] for p in parts]
    for p in reversed(parts):
        p = re.sub(r"\[[^\]]*\]", "", p)
        p = re.sub(rf"\b{_YEAR}(?:\s+{_MON}(?:\s+\d{{1,2}})?)?\s*$", "", p).strip(" .,;:")
        if not p:
            continue
        if re.fullmatch(r"[\d\s./-]+", p):
            continue
        if p.lower() in _ARTICLE_TYPES or len(p) > 120 or not re.search(r"[^\W\d_]{2}", p):
            return None
        if p.lower().startswith(("p-issn", "e-issn", "issn")):
            return None
        return p
    return None


def _citation(s: str) -> dict | None:
    """The parts of a citation line (journal, year, month, volume, issue, pages), or None."""
    m = _NLM.search(s) if ";" in s else None
    if m and (m.group("volume") or m.group("pages")):
        journal = _strip(m.group("journal") or "")
        journal = re.sub(r"^(?:Published in final edited form as|Published as|Source|出\s*处)\s*[:：]?\s*", "", journal)
        return {"journal_abbrev": journal if 1 < len(journal) < 100 and not re.search(r"[:]", journal) else None,
                "year": m.group("year") or m.group("year2"),
                "month": parse_month(m.group("mon") or m.group("mon2") or None),
                "volume": m.group("volume"), "issue": m.group("issue"), "pages": m.group("pages"),
                "at": m.start()}
    m = _COMPACT.match(s)
    if m and not _AFFIL.search(m.group("journal")):
        return {"journal": m.group("journal").strip(), "volume": m.group("volume"), "issue": m.group("issue"),
                "pages": m.group("pages"), "year": (m.group("date") or "")[:4] or None, "at": 0}
    m = _GLUED.match(s)
    if m:
        return {"journal": m.group("journal"), "year": m.group("year"), "volume": m.group("volume"),
                "pages": m.group("pages"), "at": 0}
    m = _VOL_PAREN.search(s)
    if m:
        return {"journal": _journal_before(s, m.start()), "volume": m.group("volume"), "issue": m.group("issue"),
                "year": m.group("year"), "pages": m.group("pages"), "at": m.start()}
    vm, im = _VOL.search(s), _ISS.search(s)
    if not vm and not im:
        return None
    first = min(x.start() for x in (vm, im) if x)
    window = s[first:first + 160]
    pm = _PAGES_LABEL.search(window)
    am = _ARTNO.search(s)
    out = {"volume": (vm.group("v") or vm.group("v2")) if vm else None, "at": first}
    if im:
        iss = im.group("i")
        iy = _ISSUE_YEAR.match(iss + s[im.end():im.end() + 5]) if iss.endswith("/") else None
        if iy:
            out["issue"], out["year"] = iy.group("i"), iy.group("y")
        else:
            out["issue"] = iss.rstrip("/")
    if pm and pm.group("p") and (not vm or pm.start() + first > vm.start()):
        out["pages"] = pm.group("p")
    elif am:
        out["pages"] = am.group("a")
    if "year" not in out:
        ym = _YEAR_ANY.search(s[max(0, first - 40):first + 120])
        if ym:
            out["year"] = ym.group(1)
            mm = re.search(rf"\b({_MON})\s+(?:\d{{1,2}},\s*)?{ym.group(1)}", s)
            if mm:
                out["month"] = parse_month(mm.group(1))
    out["journal"] = _journal_before(s, first)
    if out["journal"] and re.match(rf"^{_YEAR}$", out["journal"]):
        out["journal"] = None
    return out


def _clean_name(x: str) -> str:
    x = re.sub(r"\S+@\S+", "", x)
    x = re.sub(r"https?://\S+", "", x)
    x = _MARKS.sub("", x.strip()).strip(" ,;*")
    return x


def _people_from_list(s: str) -> tuple[list[Person], bool] | None:
    """A line that is a list of names (and nothing else), as people and an "et al." flag; None otherwise."""
    s = re.sub(r"\s+", " ", s).strip(" ,;")
    if not s or len(s) > 3000 or s.endswith(".") and not re.search(r"\b[A-Z]\.$|et al\.$", s):
        return None
    etal = bool(re.search(r",?\s*(?:et al\.?|and others|…)$", s))
    s = re.sub(r",?\s*(?:et al\.?|and others|…)$", "", s)
    if ";" in s:
        parts = [p for p in (x.strip() for x in s.split(";")) if p]
        names = [_clean_name(p) for p in parts]
        if all(_NAME.match(n) or _INV_NAME.match(n) or _GROUP.search(n) for n in names) and names:
            return [person_from_inverted(n) if "," in n else person_from_display(n) for n in names], etal
        return None
    s = re.sub(r",?\s+(?:and|&|und|y|et|e)\s+", ", ", s)
    parts = [p.strip() for p in re.split(r",(?!\s*\d)", s) if p.strip()]
    names = []
    for p in parts:
        n = _clean_name(p)
        if not n:
            continue
        if _GROUP.search(n) and len(n) < 80:
            names.append(("group", n))
        elif _NAME.match(n) and not _AFFIL.search(n):
            names.append(("display", n))
        elif _VANC_NAME.match(n):
            names.append(("vanc", n))
        else:
            return None
    if not names or sum(1 for k, _ in names if k != "group") == 0:
        return None
    people: list[Person] = []
    seen = set()
    for kind, n in names:
        if n in seen:  # a list printed twice (clones repeat each name)
            continue
        seen.add(n)
        if kind == "group":
            people.append(Person(family="", literal=n))
        elif kind == "vanc":
            people.extend(split_author_list(n)[0])
        else:
            people.append(person_from_display(n))
    return people, etal


def _is_single_name(s: str) -> bool:
    n = _clean_name(s)
    return bool(n) and len(n) < 60 and bool(_NAME.match(n)) and not _AFFIL.search(n)


def page_facts(page: Lines) -> Facts:
    """Read every piece of evidence the page states (one pass over its lines, plus look-arounds)."""
    n_lines = len(page)
    lines = [page.clean(k) for k in range(1, n_lines + 1)]
    own, refs_at = _own_mask(lines)
    facts = Facts()
    put = facts.put
    labelled_doi = bare_doi = None
    citation_at: int | None = None
    author_at: int | None = None
    abstract_at: int | None = None
    first_line: int | None = None
    seen: dict[str, int] = {}
    repeated: int | None = None
    for i in range(min(refs_at, n_lines)):
        s = lines[i]
        if not s:
            continue
        n = i + 1
        if not own[i]:
            continue
        low = s.lower()
        # identifiers
        if "10." in s:
            dois = find_dois(s)
            if not dois and re.search(r"doi\.org/10\.\d{4,9}/$", s):
                # a DOI the copy broke with other text between (two-column PDFs): the suffix ends a later line
                for j in range(i + 1, min(n_lines, i + 4)):
                    tail = re.search(r"(?:^|\s)(S?[\dA-Za-z][\w().-]*\(\d\d\)[\w.-]+|[a-z][\w.-]*\.\d[\w.-]*)$", lines[j])
                    if tail:
                        dois = find_dois(re.search(r"10\.\d{4,9}/$", s).group(0) + tail.group(1))
                        break
            if dois:
                doi = dois[0].split("?")[0]
                if _DOI_LABELLED.search(s) and labelled_doi is None:
                    labelled_doi = (doi, n)
                elif bare_doi is None:
                    bare_doi = (doi, n)
        if "PMID" in s:
            m = _PMID.search(s)
            if m:
                put("pmid", normalize_pmid(m.group(1)), n)
        if "PMC" in s:
            m = _PMCID.search(s)
            if m:
                put("pmcid", normalize_pmcid((m.group(1) or "").replace(" ", "") or
                                             ("PMC" + m.group(2) if m.group(2) else m.group(3))), n)
        if "arxiv" in low:
            m = _ARXIV.search(s)
            if m:
                put("arxiv", m.group(1), n)
        if "issn" in low:
            for m in _ISSN_LABEL.finditer(s):
                rest = s[m.end():m.end() + 40]
                found = issns_in(re.split(r"[A-Za-z]{4,}(?<!print)(?<!online)", rest)[0] if rest else "")
                if not found and not rest.strip(" :") and i + 1 < n_lines:
                    found = issns_in(lines[i + 1][:20])
                if not found and not rest.strip(" :") and i + 2 < n_lines and not lines[i + 1]:
                    found = issns_in(lines[i + 2][:20])
                if found:
                    known = facts.values.get("issn", ([], n))[0]
                    facts.values["issn"] = (known + [x for x in found if x not in known],
                                            facts.values.get("issn", (None, n))[1])
            m2 = re.search(r"\bISSN\s+(\d{4}-\d{3}[\dXx])\s+print,\s*(\d{4}-\d{3}[\dXx])\s+online", s)
            if m2:
                known = facts.values.get("issn", ([], n))[0]
                facts.values["issn"] = (known + [x for x in issns_in(m2.group(2)) if x not in known],
                                        facts.values.get("issn", (None, n))[1])
        # the page's own citation ("Cite this article", "How to cite", "Suggested Citation")
        cm = _CITE_HEAD.match(s)
        if cm:
            body = cm.group("rest") or ""
            k = i + 1
            while k < n_lines and len(body) < 400 and (not body or not lines[k - 1].endswith((".", "]"))
                                                      or len(body) < 40):
                if lines[k]:
                    if _CITE_HEAD.match(lines[k]) or _SECTION.match(lines[k]):
                        break
                    body = (body + " " + lines[k]).strip()
                k += 1
            if body:
                ref = parse_citation(body)
                if ref.title and ref.journal:
                    put("cite_title", (ref.title, ref.authors, ref.authors_complete), n)
        # citation lines
        if len(s) < 600 and re.search(r"\d", s):
            c = _citation(s if len(s) < 300 else s[:300])
            if c and (c.get("volume") or (c.get("issue") and (c.get("year") or c.get("pages")))) \
                    and len(c.get("volume") or "") <= 6 and len(c.get("issue") or "") <= 6:
                for name in ("journal", "journal_abbrev", "year", "month", "volume", "issue", "pages"):
                    if c.get(name):
                        put(name, c[name], n)
                if citation_at is None:
                    citation_at = n
        if "year" not in facts.values and ("ubli" in low or "epub" in low or "erschienen" in low or "발행" in s
                                           or "online" in low or "出版" in s):
            pm = _PUBLISHED.search(s)
            if pm and not _NOT_PUBLISHED.search(s[:pm.start()][-20:]):
                y, mo = _date_parts(pm.group("date"))
                if y:
                    put("pub_year", y, n)
                    if mo:
                        put("pub_month", mo, n)
        if "(" in s and "pub_year" not in facts.values:
            jm = re.match(rf"^(?P<j>[A-Z][^()\d]{{3,100}}?)\s*\((?P<y>{_YEAR})\)$", s)
            if jm and not _AFFIL.search(jm.group("j")) and len(jm.group("j").split()) >= 2:
                put("journal", jm.group("j").strip(), n)
                put("pub_year", jm.group("y"), n)
        # title by label
        tm = _TITLE_LABEL.match(s) or _IMAGE_OF.match(s)
        if tm:
            put("title_label", tm.group("t").strip().rstrip("."), n)
        # authors
        am = _AUTHOR_LABEL.match(s)
        if am and "authors" not in facts.values:
            value = am.group("v").strip()
            got = None
            if value:
                got = _people_labelled(value, s)
            else:
                block = [lines[k] for k in range(i + 1, min(n_lines, i + 80))]
                got = _people_block(block)
            if got:
                put("authors", got, n)
                author_at = author_at or n
        if _LISTED.match(s) and "authors" not in facts.values:
            got = _people_block(lines[i + 1:i + 60], inverted=True)
            if got:
                put("authors", got, n)
        # keywords
        if "ey" in low or "clave" in low or "chave" in low or "wörter" in low or "mots" in low or not s.isascii():
            km = _KW_LABEL.search(s)
            if km and ("keywords" not in facts.values or facts.values["keywords"][0][1] != "en"):
                kw = km.group("kw") if km.group("lab") else ""
                if not kw:
                    kw = next((t for t in lines[i + 1:i + 4] if t), "")
                    if _SECTION.match(kw) or len(kw) > 400:
                        kw = ""
                words = _keywords(kw)
                lab = (km.group("lab") or km.group("lab2") or "").lower()
                if words:
                    lang = "en" if lab.startswith("key") else "other"
                    if "keywords" not in facts.values or lang == "en":
                        facts.values["keywords"] = ((words, lang), n)
        if abstract_at is None and _ABSTRACT_HEAD.match(s):
            abstract_at = n
        # structure
        if len(s) >= 20 and not is_boilerplate(s):
            key = s.rstrip(".").lower()
            if key in seen and repeated is None and not _CHROME.match(s):
                repeated = seen[key]
            seen.setdefault(key, n)
        if first_line is None and _substantial(s):
            first_line = n
    if labelled_doi or bare_doi:
        doi, n = labelled_doi or bare_doi
        put("doi", doi, n)
    facts.values["_struct"] = ({"citation_at": citation_at, "author_at": author_at, "abstract_at": abstract_at,
                                "first_line": first_line, "repeated": repeated, "own": own, "lines": lines}, 0)
    return facts


def _substantial(s: str) -> bool:
    words = s.split()
    return (3 <= len(words) <= 60 and len(s) <= 400 and not _CHROME.match(s) and not is_boilerplate(s)
            and not re.match(r"^[^:]{1,30}[:：]", s) and not s.endswith(("...", "…")) and sum(c.isdigit() for c in s)
            < len(s) / 5 and not _SECTION.match(s) and s.lower() not in _ARTICLE_TYPES
            and not re.search(r"\bet al\b|@|https?://", s))


def _keywords(kw: str) -> list[str]:
    kw = kw.strip()
    if not kw:
        return []
    # a label run into the list ("digital systems learning corresponding author: ati …")
    cut = re.search(r"\s(?:[a-z]+\s)?[a-z]+:\s", kw)
    if cut and cut.start() > 3:
        kw = kw[:cut.start()]
    sep = ";" if ";" in kw else ("," if "," in kw else ("·" if "·" in kw else ("|" if "|" in kw else None)))
    parts = [p.strip(" .") for p in kw.split(sep)] if sep else [kw.strip(" .")]
    if not sep and len(parts) == 1 and re.search(r"[a-z][A-Z]", parts[0]) and " " not in parts[0]:
        parts = re.split(r"(?<=[a-z])(?=[A-Z])", parts[0])  # "RetractionTime-lag": the copy lost the separators
    parts = [p for p in parts if p]
    if not parts or any(len(p) > 80 for p in parts):
        return []
    return parts


def _people_labelled(value: str, line: str) -> list[Person] | None:
    """Names after an author label on the same line: ``Xia, Liliang, Liu, Yuanyong`` (a catalog's inverted pairs),
    ``ST, Herlan`` (one inverted name), ``Shan H. Siddiqi ; Natalia K. Abraham``, ``Gary P. Morris, Ian A. Clark``."""
    value = value.strip(" :")
    if ";" not in value:
        toks = [t.strip() for t in value.split(",") if t.strip()]
        if toks and len(toks) % 2 == 0 and all(len(t.split()) <= 2 for t in toks) \
                and all(not _NAME.match(t) or len(t.split()) == 1 for t in toks[::2]) \
                and all(len(t.split()) == 1 for t in toks[::2]):
            return [person_from_inverted(f"{toks[k]}, {toks[k + 1]}") for k in range(0, len(toks), 2)]
    got = _people_from_list(value)
    return got[0] if got else None


def _people_block(block: list[str], inverted: bool = False) -> list[Person] | None:
    """Names one per line (or one list line) below an author label or a "Listed:" heading."""
    first = next((t for t in block if t), "")
    got = _people_from_list(first) if first and not inverted else None
    if got and (len(got[0]) > 1 or "," in first):
        return got[0]
    people = []
    for t in block:
        if not t:
            if people and len(people) > 0 and inverted:
                continue
            continue
        t2 = _strip(t)
        if inverted and _INV_NAME.match(t2):
            people.append(person_from_inverted(t2))
            continue
        if _VANC_NAME.match(t2) or (_NAME.match(_clean_name(t2)) and not _AFFIL.search(t2)):
            people.extend(split_author_list(_clean_name(t2))[0])
            continue
        break
    return people or None


def _title_candidates(facts: Facts, page: Lines) -> tuple[str, int] | None:
    st = facts.values["_struct"][0]
    lines, own = st["lines"], st["own"]
    if "title_label" in facts.values:
        return facts.values["title_label"]
    if "cite_title" in facts.values:
        (title, _a, _c), n = facts.values["cite_title"]
        return title, n
    journal = {str(facts.values[k][0]).lower() for k in ("journal", "journal_abbrev") if k in facts.values}

    def ok(k: int | None) -> bool:
        if k is None or k < 1 or k > len(lines):
            return False
        s = lines[k - 1]
        return bool(s) and own[k - 1] and _substantial(s) and s.lower() not in journal \
            and _people_from_list(s) is None and not _citation(s)

    if st["repeated"] and ok(st["repeated"]):
        return lines[st["repeated"] - 1].rstrip("."), st["repeated"]
    # the line above an author line
    for k in range(1, min(len(lines), 150) + 1):
        s = lines[k - 1]
        if not s or not own[k - 1] or len(s) > 2000:
            continue
        got = _people_from_list(s)
        if got and (len(got[0]) >= 2 or _MARKS.search(s)):
            above = next((j for j in range(k - 1, max(0, k - 4), -1) if lines[j - 1]), None)
            if ok(above):
                facts.put("authors_struct", (got, k), k)
                return lines[above - 1].rstrip("."), above
            break
    c = st["citation_at"]
    if c:
        for j in list(range(c - 1, max(0, c - 4), -1)) + list(range(c + 1, min(len(lines), c + 5) + 1)):
            if lines[j - 1] and ok(j):
                return lines[j - 1].rstrip("."), j
            if lines[j - 1] and j < c and not ok(j) and not is_boilerplate(lines[j - 1]):
                continue
    a = st["abstract_at"]
    if st["first_line"] and ok(st["first_line"]) and (a or c or "doi" in facts.values or "pmid" in facts.values):
        k = st["first_line"]
        return lines[k - 1].rstrip("."), k
    return None


def add_evidence(page: Lines, rec: Record, origin: str | None = None) -> Facts:
    """Fill in ``rec`` (set only what it lacks) from the evidence the page states."""
    facts = page_facts(page)
    fmt = origin or page.format

    def src(n: int) -> Provenance:
        return Provenance(origin="page", file=page.path, line=n or None, format=fmt)

    v = facts.values
    # a book's series line ("Series: …, v. 2, no. 2") is not a journal's citation
    container = not (rec.get("isbn") and not rec.get("issn")) and rec.get("type") not in ("book", "edited-book",
                                                                                          "monograph")
    if not container:
        for name in ("journal", "journal_abbrev", "volume", "issue", "pages", "year", "month"):
            v.pop(name, None)
    for name in ("doi", "pmid", "pmcid", "volume", "issue"):
        if name in v:
            rec.set_if_absent(name, str(v[name][0]), src(v[name][1]))
    if "issn" in v:
        rec.set_if_absent("issn", v["issn"][0], src(v["issn"][1]))
    if "pages" in v:
        rec.set_if_absent("pages", normalize_pages(re.sub(r"\s+", "", str(v["pages"][0]))), src(v["pages"][1]))
    if "journal" not in rec and "journal_abbrev" not in rec:
        for name in ("journal", "journal_abbrev"):
            if name in v:
                rec.set(name, clean_text(str(v[name][0])).strip(" .,;") if name == "journal" else
                        clean_text(str(v[name][0])).strip(" ,;"), src(v[name][1]))
                break
    if "year" not in rec:
        if "year" in v:
            rec.set("year", str(v["year"][0]), src(v["year"][1]))
            if "month" in v:
                rec.set_if_absent("month", v["month"][0], src(v["month"][1]))
        elif "pub_year" in v:
            rec.set("year", str(v["pub_year"][0]), src(v["pub_year"][1]))
            if "pub_month" in v:
                rec.set_if_absent("month", v["pub_month"][0], src(v["pub_month"][1]))
    if "keywords" in v:
        rec.set_if_absent("keywords", v["keywords"][0][0], src(v["keywords"][1]))
    if "title" not in rec:
        t = _title_candidates(facts, page)
        if t:
            rec.set("title", t[0], src(t[1]))
    if "authors" not in rec:
        if "authors" in v:
            rec.set("authors", v["authors"][0], src(v["authors"][1]))
            rec.set_if_absent("authors_complete", True, src(v["authors"][1]))
        elif "authors_struct" in v:
            (people, etal), n = v["authors_struct"][0]
            rec.set("authors", people, src(n))
            rec.set_if_absent("authors_complete", not etal, src(n))
        elif "cite_title" in v and v["cite_title"][0][1]:
            (_t, people, complete), n = v["cite_title"]
            rec.set("authors", people, src(n))
            rec.set_if_absent("authors_complete", complete, src(n))
    return facts


def has_evidence(rec: Record, facts: Facts) -> bool:
    v = facts.values
    if any(k in rec for k in ("doi", "pmid", "pmcid")) or "arxiv" in v or "title_label" in v:
        return True
    if "year" in rec and any(k in rec for k in ("volume", "issue", "pages", "journal", "journal_abbrev")):
        return True
    return "title" in rec and ("authors" in rec or v["_struct"][0]["abstract_at"] is not None)


class PageReader:
    """Any prose text: a page read by its evidence alone (tried when no site or format reader claims it)."""

    name = "page"

    def match(self, text: str) -> bool:
        return bool(text.strip())

    def read(self, text: str, path: str) -> ReadResult:
        page = Lines(text, path, self.name)
        rec = Record(source=page.at(1, self.name))
        facts = add_evidence(page, rec)
        if has_evidence(rec, facts):
            return ReadResult(records=[rec])
        return ReadResult(failures=[FailedInput(
            path, "not a recognised input: no bibliographic evidence found (looked for " + ", ".join(EVIDENCE_LOOKED_FOR) + "); if this is "
                  "an export, name its format with --format (ris, medline, csl-json, bibtex, doi-list, references)")])
