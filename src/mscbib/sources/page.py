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
from functools import lru_cache
from typing import Any, Callable

from ..identifiers import find_dois, normalize_pmcid, normalize_pmid
from ..model import FailedInput, Person, Provenance, Record
from ..text import clean_text, normalize_pages, parse_month, person_from_display
from ._common import Gated, issns_in, person_from_inverted
from .base import Lines, ReadResult, is_boilerplate
from .refstring import parse_citation, split_author_list

# inline patterns, compiled once
_RX0 = re.compile(r"\b\d{4,6}\b|^\W?\d|^[a-z][A-Z]")
_RX1 = re.compile(r"^(?:\d{1,3}[.)]|\[\d+\]|[-•])")
_RX2 = re.compile(
    r"^(?:Published in|Erschienen in|Journal|Source|Publicado en|Видання|出\s*处|Revista)\s*[:：]?\s*", re.IGNORECASE
)
_RX3 = re.compile(r"[,.?!][\"”]\s*(?P<j>[^,\"“”]{3,100}?),")
_RX4 = re.compile(r"\s+-(?:\s+|$)")
_RX5 = re.compile(r"\[[^\]]*\]")
_RX6 = re.compile(r"[\d\s./-]+")
_RX7 = re.compile(r"[^\W\d_]{2}")
_RX8 = re.compile(r"^(?:Published in final edited form as|Published as|Source|出\s*处)\s*[:：]?\s*")
_RX9 = re.compile(r"[:]")
_RX10 = re.compile(r"\s*\((?P<i>[\w-]{1,8})\)")
_RX11 = re.compile(r"\S+@\S+")
_RX12 = re.compile(r"https?://\S+")
_RX13 = re.compile(r"\s+[a-z](?:\s*,\s*[a-z*])*,?\s*\*?$")
_RX14 = re.compile(r"[a-z]")
_RX15 = re.compile(r"\s+")
_RX16 = re.compile(r"\b[A-Z]\.$|et al\.$")
_RX18 = re.compile(r",?\s+(?:and|&|und|y|et|e)\s+(?!the\b)")
_RX19 = re.compile(r",?\s+(?:and|for)\s+(?=the\s+[A-Z])")
_RX20 = re.compile(r",(?!\s*\d)")
_RX21 = re.compile(r"[:?]")
_RX22 = re.compile(r"^(?:for|and|on behalf of)?\s*the\s+")
_RX23 = re.compile(r"doi\.org/10\.\d{4,9}/$")
_RX24 = re.compile(r"(?:^|\s)(S?[\dA-Za-z][\w().-]*\(\d\d\)[\w.-]+|[a-z][\w.-]*\.\d[\w.-]*)$")
_RX25 = re.compile(r"10\.\d{4,9}/$")
_RX26 = re.compile(r"[A-Za-z]{4,}(?<!print)(?<!online)")
_RX27 = re.compile(r"\bISSN\s+(\d{4}-\d{3}[\dXx])\s+print,\s*(\d{4}-\d{3}[\dXx])\s+online")
_RX28 = re.compile(r"\d")
#: ``\d`` in a line of ASCII (the only decimal digits there): a character class ``re`` skips to, where ``\d`` (a
#: category) is tried at every place
_ASCII_DIGIT = re.compile(r"[0-9]")
_RX29 = re.compile(r"^(?:Volume|Vol\.)\s*\d+\s*,\s*(?:Number|Issue|No\.)\s*\d")
_RX30 = re.compile(r"\d|https?:|[.:;]$")
_RX31 = re.compile(r"^(?P<j>[A-Z][^,|]{2,80}?),?\s+(?:[pe]-?|print\s+|online\s+)?ISSN\b")
_RX32 = re.compile(r"(?:^|\s)(?P<v>\d{1,4}):\s*(?P<p>[A-Za-z]?\d+(?:\s*[-–]\s*[A-Za-z]?\d+)?)$")
_RX33 = re.compile(r"(?P<j>(?:[A-Z][a-z]{0,6}\.\s?){2,8}),\s+Just Accepted Manuscript")
_RX34 = re.compile(r"^(?P<j>.{3,120}?) logoLink to (?P=j)$")
_RX35 = re.compile(r"^(?P<a>(?:[A-ZÀ-Þ][\w'’-]+, ){3,}.*?):\s+(?P<t>[A-Z].{15,})$")
_RX36 = re.compile(r",\s*(?:and\s+)?")
_RX37 = re.compile(r"[A-ZÀ-Þ][\w'’-]+")
_RX38 = re.compile(r"^the\s+")
_RX39 = re.compile(r"^(?:#\s+)?(?P<t>[^=#*]{10,400}?)\s*(?:={3,}|$)(?P<rest>.*)$")
_RX40 = re.compile(r"={3,}")
_RX41 = re.compile(r"^\s*\*\s+(?P<a>.+?)\s*(?:#|$)")
_RX42 = Gated(r"\bet al\b|@|https?://", "et al|@|http")
_RX43 = re.compile(r"\s(?:[a-z]+\s)?[a-z]+:\s")
_RX44 = re.compile(r"[a-z][A-Z]")
_RX45 = re.compile(r"(?<=[a-z])(?=[A-Z])")
_RX46 = re.compile(r"\s+[a-z](?:\s*,\s*[a-z*])*,?\s*$")
_RX47 = re.compile(r"^([^:：]{1,40})[:：]\s*(.*)$")
_RX48 = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\s]{1,12}")
_RX49 = re.compile(r"[A-ZÀ-Þ][\w'’-]+(?:-[A-Z][\w'’-]+)?")
_RX50 = re.compile(
    r"^(?P<a>[^.]+?(?: et al)?)\.\s+(?P<j>[A-Z][\w .()&-]{1,60}?)\.\s*(?:(?:19|20)\d{2}[^.]*)?\.?\s*\.?$"
)
_RX51 = re.compile(r"\s+et al$")


def _summary_shape(t: str) -> bool:
    """What a match of ``_RX50`` (PubMed's one-line summary, "Names. Journal. …") needs: its first "." (the names
    hold none) after something, then white space and a capital. Most lines fail it at once."""
    i = t.find(".")
    return i > 0 and t[i + 1 : i + 2].isspace() and t[i + 1 :].lstrip()[:1] in _ASCII_CAPITALS


_ASCII_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_RX52 = re.compile(r"^(?P<t>.{15,}?)\s+[-|–]\s+[^-|–]{2,40}$")


class _Anchored:
    """A pattern anchored on a label ("Abstract", "Title:", …) and tried only on lines whose first character can
    start one (case-folded): most lines are passed over without running the pattern."""

    __slots__ = ("_rx", "_firsts", "_hit", "pattern", "match", "search")

    match: Callable[[str], re.Match[str] | None]
    search: Callable[[str], re.Match[str] | None]  # the patterns are anchored with "^": a search is a match

    def __init__(self, firsts: str, pattern: str, flags: int = 0) -> None:
        self._rx = re.compile(pattern, flags)
        self._firsts = frozenset(firsts)
        #: the first characters in either case whose lower case is one of ``firsts``: an ASCII character not
        #: among them cannot start a match, with no ``lower()`` to call
        self._hit = frozenset(c for f in firsts for c in (f, f.upper()) if len(c) == 1 and c.lower() == f)
        self.pattern = pattern

        # a plain function, its constants bound as defaults: the test runs on most lines of every page, and a
        # method's attribute look-ups cost more than the test itself
        def match(s: str, hit=self._hit, firsts=self._firsts, rx_match=self._rx.match) -> re.Match[str] | None:
            c = s[:1]
            if c in hit:
                return rx_match(s)
            if c.isascii():
                return None
            return rx_match(s) if c.lower() in firsts else None

        self.match = self.search = match


__all__ = ["PageReader", "add_evidence", "page_facts", "states_a_page", "EVIDENCE_LOOKED_FOR"]

#: What the refusal message names (a text with none of it is not a bibliographic page).
EVIDENCE_LOOKED_FOR = (
    "a DOI",
    "a PMID or PMCID",
    "an arXiv ID",
    "a citation line (journal, year, volume, issue, pages)",
    "a labelled title",
    "a title with an author line",
)

_YEAR = r"(?:1[89]\d{2}|20\d{2})"
_MON = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_REF_HEAD = _Anchored(
    "0123456789rlbcsслt参被引참d",
    r"^(?:\d+\.?\s+)?(?:References?(?: list)?|List of references|Bibliography|Literature cited|Cited literature|"
    r"Literatur(?:verzeichnis)?|Références(?: bibliographiques)?|Referencias(?: bibliográficas)?|Referências|"
    r"Bibliografía|Bibliografia|Literatura|Seznam literatury|Список літератури|Список литературы|Література|"
    r"Литература|Tài liệu tham khảo|参考文献|被引用文献.*|引用文献|참고문헌|Daftar Pustaka|REFERENCES)\s*:?$",
    re.IGNORECASE,
)
_NOTICE_HEAD = _Anchored(
    "ecrusypm",
    r"^(?:Erratum in|Erratum for|Comment in|Comment on|Retraction in|Retraction of|Update in|Update of|"
    r"Expression of concern in|Similar articles|Cited by.*|Related articles|Recommended articles|Citing articles|"
    r"Related content|You may also like|People also read|More like this|Similar articles in PubMed)\s*:?$",
    re.IGNORECASE,
)
_SECTION = re.compile(
    r"^(?:Background and (?:Purpose|Aims?|Objectives?)|Methods?|Results?|Conclusions?|Objectives?|Aims?|Purpose|"
    r"Materials and Methods|Findings|Design|Setting|Highlights|Abstract|Summary|Resumen|Resumo|Résumé|Zusammenfassung|Abstrakt|Анотація|Аннотация|摘要|抄録|초록|"
    r"Tóm tắt|Abstrak|RESUMEN|ABSTRACT|Background|Introduction|1\.?\s+Introduction|Keywords?|Publication types|"
    r"MeSH terms|Full text|Details|Affiliations?)\s*:?$",
    re.IGNORECASE,
)
_KNOWN_HEAD = re.compile(
    r"^(?:Online Access.*|Subjects|Full description|Details|Tags.*|Publication types|MeSH terms|"
    r"Similar articles|Cited by.*|\d+\.\s+[A-Z][A-Z ]+)$"
)
_JOURNAL_YEAR = re.compile(rf"^(?P<j>[A-Z][^()\d]{{3,100}}?)\s*\((?P<y>{_YEAR})\)$")
_EDITORS = re.compile(r"^(?:Editors?[- ]in[- ]Chief|Herausgeber(?:in)?|Managing Editor)\s*:", re.IGNORECASE)
_TRAILING_DATE = re.compile(rf"\b{_YEAR}(?:\s+{_MON}(?:\s+\d{{1,2}})?)?\s*$")
_KW_STEMS = re.compile(
    "keyword|key word|clave|chave|wörter|mots|klíčová|ключов|关键词|關鍵詞|キーワード|키워드|từ khóa|"
    "kata kunci|parole chiave"
)
#: what any citation line has (a cheap test before the citation patterns): a ";", a parenthesised issue, a
#: volume/issue/pages label in a catalog language, "V:P", or a year run into a volume ("Notes20147:395")
#: a year, perhaps a month and day, then ";" (NLM's date before the volume)
_NLM_HINT = re.compile(r"(?:1[89]|20)\d{2}(?:\s+[A-Z][a-z]{2,8}\.?(?:-[A-Z][a-z]{2})?)?(?:\s+\d{1,2})?\s*;")
_COMPACT_HINT = re.compile(r"\d\s*\([\w-]{1,12}\)\s*[,:]")
_FAST_RX = re.compile(
    r"10\.|pmid|pmc|issn|arxiv|key|clave|chave|mots|kunci|chiave|wörter|klíčová|ключов|关键词|"
    r"關鍵詞|キーワード|키워드|từ khóa"
)


def _hinted_lines(lines: list[str], stop: int) -> list[int]:
    """The indexes (below ``stop``) of the lines that hold a trace of an identifier or a keywords label: one
    pattern pass over the whole text instead of a test per line."""
    joined = "\n".join(lines[:stop])
    low = joined.lower()
    if len(low) != len(joined):  # a character whose lower case is longer: test line by line
        return list(range(stop))
    out: list[int] = []
    line, pos = 0, 0
    for m in _FAST_RX.finditer(low):
        line += low.count("\n", pos, m.start())
        pos = m.start()
        if not out or out[-1] != line:
            out.append(line)
    return out


def _kw_hint(low: str) -> bool:
    """Could this (lower-cased) line hold a keywords label? Substring tests: fast on long lines."""
    if "key" in low or "clave" in low or "chave" in low or "mots" in low or "kunci" in low or "chiave" in low:
        return True
    return not low.isascii() and any(map(low.__contains__, _KW_STEMS_NON_ASCII))


_VOL_WORDS = ("vol", "tập", "том", "band", "bd", "jg", "jahrgang", "svazek", "ročník", "tome", "v.")
_ISS_WORDS = (
    "issue",
    "number",
    "no",
    "nr",
    "heft",
    "ausgabe",
    "số",
    "вип",
    "выпуск",
    "číslo",
    "núm",
    "num",
    "fascicule",
    "№",
)
_KW_STEMS_NON_ASCII = ("wörter", "klíčová", "ключов", "关键词", "關鍵詞", "キーワード", "키워드", "từ khóa")
_CITE_WORDS = (
    "vol",
    "issue",
    "number",
    "no.",
    "nr.",
    "heft",
    "ausgabe",
    "pages",
    "pp.",
    "page",
    "tập",
    "số",
    "том",
    "вип",
    "выпуск",
    "№",
    "卷",
    "期",
    "article number",
    "v.",
)


def _cite_hint(head: str) -> bool:
    """What any citation line has: a ";", "(", ":" (NLM, "V(I)", "V:P"), or a volume/issue/pages label in a
    catalog language (one search for any of these substrings of the lower-cased head of the line)."""
    return ";" in head or "(" in head or ":" in head or any(map(head.__contains__, _CITE_WORDS))


_FAST_HINT = re.compile(
    r"10\.|PMID|PMC|(?i:arxiv|issn|keyword|key word|clave|chave|wörter|mots|klíčová|ключов)|"
    r"关键词|關鍵詞|キーワード|키워드|(?i:từ khóa|kata kunci|parole chiave)"
)
_CITE_HINT = re.compile(
    r";|\(\w{1,12}\)|\d:\s?[A-Za-z]?\d|(?i:vol|issue|number|no\.|nr\.|heft|ausgabe|pages|pp\.|page|"
    r"tập|số|том|вип|выпуск|№|卷|期|article number)"
)
_ABBREVIATED = re.compile(r"(?:^|\s)[A-Za-z]{1,7}\.(?:\s|$)")
_ABSTRACT_HEAD = _Anchored(
    "asrzа摘抄초t",
    r"^(?:Abstract|Summary|Resumen|Resumo|Résumé|Zusammenfassung|Abstrakt|Анотація|"
    r"Аннотация|摘要|抄録|초록|Tóm tắt|Abstrak|Short Description)\s*:?$",
    re.IGNORECASE,
)
_REFLIKE = re.compile(
    r"-\s*(?:PubMed|PMC|Google Scholar|Crossref)\s*$|\[(?:PubMed|Google Scholar|CrossRef)\]", re.IGNORECASE
)
_NUMBERED_REF = re.compile(r"^(?:\d{1,3}[.)]|\[\d{1,3}\])\s+\S.*\b" + _YEAR + r"\b")

# -- identifiers ------------------------------------------------------------------------------
#: every match starts with "doi" in either case (no letter but "d" and "D" is "d" to a case-blind pattern)
_DOI_LABELLED = Gated(r"(?:\bdoi\b\s*[:：]?\s*|doi\.org/)(?:https?://(?:dx\.)?doi\.org/)?10\.", "d|D", re.IGNORECASE)
_PMID = re.compile(r"\bPMID\s*[:：]?\s*(\d{1,9})\b")
_PMCID = re.compile(r"\bPMCID\s*[:：]?\s*(PMC\s*\d+)|\bPMC\s*[:：]\s*(\d{5,})|\b(PMC\d{5,})\b")
_ARXIV = re.compile(r"\barXiv\s*:\s*(\d{4}\.\d{4,5}(?:v\d+)?)", re.IGNORECASE)
_ISSN_LABEL = re.compile(r"(?<![A-Za-z])(?:[pe]-?|print\s+|online\s+|electronic\s+)?ISSN(?:-L)?\b", re.IGNORECASE)

# -- citation lines ---------------------------------------------------------------------------
_DATE_NLM = rf"(?P<year>{_YEAR})(?:\s+(?P<mon>{_MON})(?:-{_MON})?(?:\s+(?P<day>\d{{1,2}}))?)?"
_DATE_MDY = rf"(?P<mon2>{_MON})\s+(?P<day2>\d{{1,2}}),\s*(?P<year2>{_YEAR})"
#: Acta Pharm Sin B. 2021 Aug;11(8):2114-2135.   . 2016 Aug 23;16(9):582-98.   World J Cardiol. Jul 26, 2013; 5(7): 215-227
#: Pediatrics 2012;129;256   Jurnal INKOM. 2011 ;5(2):113-118.   Intell Based Med. 2021 Mar 10;5:100028.
_NLM = re.compile(
    rf"(?:^|(?<=[:.]\s)|(?<=^\.)|(?<=[:：]))(?P<journal>[^\d;:]{{0,120}}?)[.,]?\s*(?:{_DATE_NLM}|{_DATE_MDY})\s*;\s*"
    rf"(?P<volume>[A-Za-z]?\d[\w-]*)?\s*(?:\((?P<issue>[^)]{{1,20}})\))?\s*(?:[:;]\s*(?P<pages>[A-Za-z]{{0,2}}\d+"
    rf"(?:\s*[-–]\s*[A-Za-z]{{0,2}}\d+)?))?"
)
#: Science 284 (5411), 143-147, 1999-04-02    Journal Name, 12(3), 45-67    Journal 14 (2), 129-141
_COMPACT = re.compile(
    r"(?:^|(?<=\.\s))(?P<journal>[A-Z](?:[^\d.;()]|\([^\d()]{1,30}\)){1,100}?),?\s+(?P<volume>\d{1,5})\s*"
    r"\((?P<issue>[\w-]{1,12})\)\s*[,:]\s*"
    r"(?P<pages>[A-Za-z]?\d+(?:\s*[-–]\s*[A-Za-z]?\d+(?:\.\d{3})?)?)(?:\s*,\s*(?P<date>" + _YEAR + r"[-/.\d]*))?\.?$"
)
#: Europe PMC's "Nature Communications, 06 Sep 2019, 10(1):4047" (journal, date, volume(issue):pages)
_JOURNAL_DATE = re.compile(
    rf"^(?P<journal>[A-Z][^\d;()]{{1,100}}?),\s*(?:\d{{1,2}}\s+)?(?:(?P<mon>{_MON})\s+)?(?P<year>{_YEAR}),\s*"
    r"(?P<volume>\d{1,5})\s*\((?P<issue>[\w-]{1,12})\)\s*:\s*(?P<pages>[A-Za-z]?\d+(?:\s*[-–]\s*[A-Za-z]?\d+)?)\.?$"
)
#: an NLM line without volume and pages (ahead of print): "Nat Med. 2024 Mar 12." or ". 2024 Mar 12."
_NLM_AHEAD = re.compile(rf"^(?P<journal>[A-Z][^\d;:.]{{1,80}})?\.\s*{_DATE_NLM}\.(?:\s|$)")
#: BMC's run-together "BMC Research Notes20147:395" (journal, year, volume:article)
_GLUED = re.compile(
    rf"^(?P<journal>[A-Z][A-Za-z &]{{2,80}}[a-z])(?P<year>{_YEAR})(?P<volume>\d{{1,4}}):(?P<pages>\d+)$"
)
#: "vol. 2 (2) (2020) 75-81"
_VOL_PAREN = re.compile(
    rf"\bvol\.?\s*(?P<volume>\d+)\s*\((?P<issue>[\w-]+)\)\s*\((?P<year>{_YEAR})\)\s*"
    r"(?P<pages>\d+\s*[-–]\s*\d+)",
    re.IGNORECASE,
)
_VOL = re.compile(
    r"(?:(?<![^\W\d_])(?i:Volume|Vol|Tập|Том|Band|Bd|Jg|Jahrgang|Svazek|Ročník|Tome|Volumen|v(?=\.\d))"
    r"(?:\.|\b|(?=\d))\s*[:：]?\s*(?P<v>[A-Za-z]?\d+(?:[-–]\d+)?[A-Za-z]?(?![a-z]))|(?P<v2>\d{1,4})\s*卷)"
)
_ISS = re.compile(
    r"(?:(?<![^\W\d_])(?<!Article )(?<!article )(?i:Issue|Number|No|Nr|Heft|Ausgabe|Số|Вип|Выпуск|Číslo|Núm|Num|Fascicule)"
    r"(?:\.|\b|(?=\d))\s*[:：]?\s*|№\s*)(?P<i>[A-Za-z]?\d+(?:[-–]\d+)?(?:[A-Za-z](?!\w))?(?:/(?=" + _YEAR + r"))?)"
)
_PAGES_LABEL = re.compile(
    r"(?:(?<![^\W\d_])(?:(?i:pages|pp|page|Trang|Seiten|стр)(?:\.|\b)|S\.|[pP](?:\.|(?=\d))|с\.?)\s*[:：]?\s*"
    r"(?P<p>[A-Za-z]{0,2}\d+(?:\s*[-–]\s*[A-Za-z]{0,2}\d+(?:\.\d+)?)?)|"
    r"Article number\s*:?\s*(?P<a>[A-Za-z]?\d+))"
)
_ARTNO = re.compile(
    r"(?:Article number|Article No\.?|Art\. ?No\.?|e-?location)\s*:?\s*(?P<a>[A-Za-z]?\d+)", re.IGNORECASE
)
_ISSUE_YEAR = re.compile(rf"(?P<i>\d{{1,3}})/(?P<y>{_YEAR})\b")  # Springer Medizin's "Ausgabe 5/2018"
_YEAR_ANY = re.compile(rf"(?<![\d.pP–-])({_YEAR})(?![\d])(?!\s*[-–]\s*\d)")  # not a page range "1888-1902"
_ARTICLE_TYPES = frozenset(
    s.lower()
    for s in (
        "Review",
        "Review Article",
        "Research",
        "Research Article",
        "Original Article",
        "Original Research",
        "Article",
        "Articles",
        "Editorial",
        "Letter",
        "Communication",
        "Opinion",
        "Commentary",
        "Case Report",
        "Open Access",
        "Paper",
        "Brief Report",
        "Short Communication",
        "Perspective",
        "Journal Article",
        "Artículo de investigación",
    )
)

# -- dates, titles, authors, keywords ---------------------------------------------------------
_PUBLISHED = re.compile(
    r"(?:Published(?: online)?(?: by [^:]{1,60})?|Publication Date(?: \(Web\))?|Date of (?:Web )?Publication|"
    r"First published(?: online)?|Available online|Published Online|Publicado|Publié|Veröffentlicht|Erschienen|"
    r"Epub|발행|出版日|公開日|Опубліковано|Опубликовано|Date de publication|Data de publicação)\s*[:：]?\s*"
    r"(?P<date>.{4,80})",
    re.IGNORECASE,
)
#: what each ASCII label of ``_PUBLISHED`` starts with (where its search may start in an ASCII line)
_PUBLISHED_WORDS = ("publi", "date", "first", "available", "erschienen", "epub")
_NOT_PUBLISHED = re.compile(
    r"\b(?:Received|Accepted|Revised|Submitted|Submission|Diterima|Direvisi|Disetujui|"
    r"투고|심사|Recibido|Aceptado|Recebido|Aceito|Eingegangen|Angenommen)\b",
    re.IGNORECASE,
)
_DATE_IN = re.compile(
    rf"(?P<d1>\d{{1,2}})[-. ](?P<m1>{_MON}|\d{{1,2}})[-., ]+(?P<y1>{_YEAR})|"
    rf"(?P<y2>{_YEAR})[-./](?P<m2>\d{{1,2}})(?:[-./](?P<d2>\d{{1,2}}))?|"
    rf"(?P<m3>{_MON})\s+(?:(?P<d3>\d{{1,2}}),?\s+)?(?P<y3>{_YEAR})|"
    rf"(?P<y4>{_YEAR})\s+(?P<m4>{_MON})|"
    rf"(?P<y5>{_YEAR})",
    re.IGNORECASE,
)
_TITLE_LABEL = _Anchored(
    "tnнj标題제a",
    r"^(?:Title|Titel|Título|Titre|Titolo|Název|Назва|Название|Tiêu đề|Judul|标题|題名|제목|"
    r"Text this|Article title)\s*[:：]\s*(?P<t>.{10,})$",
    re.IGNORECASE,
)
_IMAGE_OF = _Anchored("i", r"^image of\s+(?P<t>.{15,})$", re.IGNORECASE)
_AUTHOR_LABEL = _Anchored(
    "amovа作著저tpb",
    r"^(?:Authors?|Author\(s\)|Main Authors?|Other Authors|Autores?|Auteurs?|Autoren|Autor(?:en|innen)?|"
    r"verfasst von|Автори|Авторы|Автор|作\s*者|著者|저자|Tác giả|Penulis|By)\s*[:：]?\s*(?P<v>.*)$",
    re.IGNORECASE,
)
_LISTED = re.compile(r"^Listed\s*:$", re.IGNORECASE)
_KW_LABEL = re.compile(
    r"(?:^|\s)(?P<lab>Keywords?|Key words|Palabras clave|Palavras-chave|Schlüsselwörter|Mots-clés|Mots clés|"
    r"Klíčová slova|Ключові слова|Ключевые слова|关键词|關鍵詞|キーワード|키워드|Từ khóa|Kata kunci|Parole chiave)"
    r"\s*[:：]\s*(?P<kw>.*)$|^(?P<lab2>Keywords?|Key words|Palabras clave|Palavras-chave|Schlüsselwörter|"
    r"Mots-clés|Ключові слова|关键词|キーワード|키워드|Từ khóa|Kata kunci)$",
    re.IGNORECASE,
)


def _words(alternatives: str) -> Gated:
    """``\\b(?:alternatives)\\b``, searched from where an alternative starts (each starts with a literal letter:
    ``re`` skips to those letters, where a pattern opening on ``\\b`` is tried at every place)."""
    return Gated(rf"\b(?:{alternatives})\b", alternatives)


_AFFIL = _words(
    r"Universit\w*|Department|Dept|Institut\w*|Hospital|School|Cent(?:er|re)|Clinic\w*|"
    r"College|Faculty|Laborator\w*|Division|Unit|Academy|Foundation|Ministry|Therapeutics|Inc|Ltd|"
    r"Street|Road|USA|UK|China|Italy|Cuba|Colombia|Australia|Germany|France|Spain|India|Japan|"
    r"Korea|Canada|Brazil|Indonesia"
)
_COUNTRY = _words(
    r"USA|U\.S\.A\.|UK|United Kingdom|United States|China|Italy|Cuba|Colombia|Australia|Germany|"
    r"Deutschland|France|Spain|España|India|Japan|Korea|Canada|Brazil|Brasil|Indonesia|Mexico|México|"
    r"Netherlands|Sweden|Switzerland|Austria|Belgium|Denmark|Norway|Finland|Poland|Portugal|Russia|"
    r"Ukraine|Iran|Israel|Turkey|Egypt|Nigeria|Kenya|South Africa|Argentina|Chile|Peru|Vietnam|"
    r"Thailand|Malaysia|Singapore|Taiwan|Pakistan|Bangladesh|New Zealand|Ireland|Greece|Czech Republic"
)


def _affiliation(t: str) -> bool:
    """An affiliation line: an institution word with a country, a postcode or a leading affiliation mark."""
    return bool(_AFFIL.search(t)) and bool(_COUNTRY.search(t) or _RX0.search(t))


#: the lower-case words a name may hold ("Ludwig van Beethoven", "Maria da Silva")
_NAME_PARTICLES: tuple[str, ...] = ("de", "da", "do", "dos", "das", "del", "della", "di", "du", "van", "von", "der")
_NAME_PARTICLES += ("den", "la", "le", "ter", "bin", "al", "el")
_NAME_WORD = rf"(?:[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’.-]*|(?:{'|'.join(_NAME_PARTICLES)})\b)"
#: a name in Han characters or Hangul, family and given names apart or not ("王 小明", "김민수")
_CJK_NAME = r"[\u4e00-\u9fff\u3400-\u4dbf]{1,4}(?:\s[\u4e00-\u9fff\u3400-\u4dbf]{1,3})?|[\uac00-\ud7af]{2,5}"
_NAME = re.compile(rf"^(?:{_NAME_WORD}(?:[\s-]+{_NAME_WORD}){{1,4}}|{_CJK_NAME})$")
_INV_NAME = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w'’ -]+,\s*[A-ZÀ-ÖØ-Þ][\w.'’ -]*$")
#: capital letters, Latin-1 and Latin Extended-A ("Wąsowska Ł", "Jørgensen SÆ": initials are not ASCII only)
_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
_VANC_NAME = re.compile(rf"^[{_UPPER}][\w'’-]+(?:\s+[{_UPPER}a-z][\w'’-]+)*\s+[{_UPPER}]{{1,3}}$")
#: the capital letters of ``_UPPER`` (every one below U+0180), and a line break (which ``$`` may stand before)
_UPPER_SET = frozenset(c for c in map(chr, range(0x180)) if re.fullmatch(f"[{_UPPER}]", c)) | {"\n"}


def _vanc_name(n: str) -> re.Match[str] | None:
    """``_VANC_NAME.match(n)``, tried only where ``n`` ends on what a match ends on (a capital: most names
    given first end on a small letter)."""
    return _VANC_NAME.match(n) if n[-1:] in _UPPER_SET else None


_MARKS = re.compile(r"(?<=[^\W\d_])(?:\s*(?:[\d,]+|[*#†‡§]+))+\s*$")
_GROUP = _words(
    r"Consortium|consortium|Group|group|Collaborat\w*|Network|Investigators|Committee|Team|Society|Initiative"
)
#: the words ``_RX18`` joins names with, between single spaces
_AND_WORDS = (" and ", " & ", " und ", " y ", " et ", " e ")


def _kw_label(s: str) -> re.Match[str] | None:
    """``_KW_LABEL.search(s)``; in a line of ASCII only where one of its ASCII labels' stems stands (the labels
    with letters outside ASCII cannot match such a line, and :func:`_kw_hint` looks for every other)."""
    if s.isascii():
        low = s.lower()
        return _kw_search(s, low) if _kw_hint(low) else None
    return _KW_LABEL.search(s)


#: the first words of ``_KW_LABEL``'s labels written in ASCII (the others hold a letter outside it)
_KW_FIRST_WORDS = ("key", "palabras", "palavras", "kata", "parole")


def _kw_search(s: str, low: str) -> re.Match[str] | None:
    """``_KW_LABEL.search(s)`` (``low`` is ``s`` lower-cased): in a line :func:`_first_word` trusts, a match
    starts at the line's start or at the white space before a label, so the pattern is tried there only."""
    return _label_search(_KW_LABEL, s, low, _KW_FIRST_WORDS, lead=1)


#: academic degrees after a name ("Ingrid Halvorsen MD, Paulo Mendes PhD"): not part of it
_DEGREES = re.compile(
    r"(?:,?\s+(?:MD|PhD|Ph\.D\.|MSc|M\.Sc\.|BSc|MPH|MBBS|DPhil|FRCP|FRCS|MA|MS|RN|DDS|DMD|"
    r"MBChB|FACS|FACC)\.?)+$"
)
_MIXED_DEGREE = re.compile(r"\s(?:PhD|Ph\.D\.|MSc|M\.Sc\.|BSc|DPhil|MBChB)\.?(?:,|$)")
#: a citation line that ends on its page range (``1(9): 995-1.002``, ``12, 45–67``)
_ENDS_ON_PAGES = re.compile(r"[:,]\s*[A-Za-z]?\d+\s*[-–—]\s*[A-Za-z]?[\d.]+$")
_CITE_HEAD = _Anchored(
    "chsrtz",
    r"^(?:Cite this article|How to cite(?: this article)?|Citation|Cite as|Suggested Citation|"
    r"Recommended citation|To cite this article|Cómo citar|Como citar|Zitierweise)(?![^\W\d_])"
    r"\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_CHROME = re.compile(
    r"^(?:Skip to|Jump to|Download|Loading|Advertisement|Home\b|Back to|You are on page|Subscriber access|"
    r"Open Access|Article Text|Table of Contents|IDEAS home|Send to|Choose Destination|See comment|"
    r"\d+ downloads|Journal List|Hostname:|Print|Email|Share|Cite|Full text|Show|More options|"
    r"Attention(?=\s*[,:!])|Les informations|Identifieur|Copyright|My bibliography|Author manuscript|Search|"
    r"Supplemental Digital Content|This article|The online version|See all|Article metrics|We gratefully acknowledge)(?![a-z])|^(?:[#*†‡©]|https?:|www\.)",
    re.IGNORECASE,
)


@dataclass
class Facts:
    """What the general reader found, each value with the line it came from (filled in page order)."""

    #: each kind of evidence has its own shape (a string, a list of people, a tuple…): the readers of a name
    #: know it
    values: dict[str, tuple[Any, int]] = field(default_factory=dict)

    def put(self, name: str, value, n: int) -> None:
        if value not in (None, "", []) and name not in self.values:
            self.values[name] = (value, n)


def _strip(s: str) -> str:
    return s.strip(" \t•·*-–—|:;,").strip()


_OWN_AGAIN = re.compile(
    r"^(?:About this (?:article|paper|chapter|book)|Cite this (?:article|paper|chapter)|"
    r"Rights and permissions|Article information|Bibliographic information)\s*:?$",
    re.IGNORECASE,
)


#: a citation that ends on its DOI is complete ("…, 70:2, 129-133, DOI: 10.1080/00031305.2016.1154108")
_ENDS_ON_DOI = re.compile(r"(?:\bdoi\s*:?\s*|doi\.org/)10\.\d{4,9}/\S+$", re.IGNORECASE)


_CORRESPONDING = re.compile(
    r"^\W{0,2}(?:Corresponding authors?|Correspondence(?: to)?)\s*[:：]?\s*(?P<v>.*)$", re.IGNORECASE
)
_NAME_MAIL = re.compile(r"^(?P<n>[^,;@:]{3,60}?)\s*[,;]?\s+(?:E-?mail:?\s*)?[\w.+-]+@[\w-]+\.[\w.-]+", re.IGNORECASE)


def _cite_line(s: str) -> bool:
    """A "To cite this article: …" line with the citation on it (not a bare "Cite" button)."""
    m = _CITE_HEAD.match(s)
    return m is not None and len(m.group("rest")) > 40 and not _RX12.fullmatch(m.group("rest"))


def _own_mask(lines: list[str]) -> tuple[list[bool], int]:
    """Which lines are the page's own (not a reference list, notice or "similar articles" block), and where
    the reference list begins (len+1 when there is none). One pass; the patterns run only on lines that can
    match them."""
    n_lines = len(lines)
    own = [True] * n_lines
    refs_at = n_lines
    notices: list[int] = []
    marked: list[int] = []
    for i, s in enumerate(lines):
        if not s:
            continue
        if len(s) < 60:
            if i > 0 and _REF_HEAD.match(s):
                nxt = next((t for t in lines[i + 1 : i + 4] if t), "")
                if nxt and (len(nxt) > 25 or _RX1.match(nxt)):
                    refs_at = i
                    break
            if _NOTICE_HEAD.match(s):
                notices.append(i)
                continue
        if (
            "PubMed" in s
            or "Scholar" in s
            or "PMC" in s
            or "Crossref" in s
            or "CrossRef" in s
            or s[0].isdigit()
            or s[0] == "["
        ):
            marked.append(i)
    # the page's own part may resume after its reference list ("About this article" / "Cite this article" with
    # the article's DOI, on Springer Nature's pages): from such a heading on, the lines are the page's again
    resume = next(
        (
            i
            for i in range(refs_at + 1, n_lines)
            if lines[i]
            and (
                len(lines[i]) < 40
                and _OWN_AGAIN.match(lines[i])
                or lines[i][:1] in "CcTtHhSsRr"
                and _cite_line(lines[i])
            )
        ),
        n_lines,
    )
    for i in range(refs_at, resume):
        own[i] = False
    for i in marked:
        s = lines[i]
        if i < refs_at and (
            _REFLIKE.search(s) or (s[0].isdigit() or s[0] == "[") and i > 3 and len(s) < 400 and _NUMBERED_REF.match(s)
        ):
            own[i] = False
    block_end = 0
    for i in notices:  # a notice's block: up to 6 lines, or the next section heading
        if i < block_end or i >= refs_at:
            continue
        own[i] = False
        if _tab_strip(lines, i):
            continue  # "Abstract / Free full text / Similar Articles" above the title: a site's tabs, no block
        j, seen = i + 1, 0
        while j < refs_at and seen < 6:
            t = lines[j]
            if t and (_SECTION.match(t) or _ABSTRACT_HEAD.match(t) or _CITE_HEAD.match(t)):
                break
            own[j] = False
            seen += 1 if t else 0
            j += 1
        block_end = j
    return own, (refs_at if resume == n_lines else n_lines)


_NOT_A_JOURNAL = re.compile(r"(?i)\b(?:list|issues?|browse|archive|home|current|all|full text links|links)\b")


def _journal_above(lines: list[str], own: list[bool], i: int) -> tuple[str, int] | None:
    """A journal's name printed on its own line above the citation line at index ``i``, and that line's index (an
    article-type label such as "Review" between them is passed over; PMC's banner "J logoLink to J" gives J),
    or None."""
    k, passed = i - 1, 0
    while k >= 0 and passed < 3:
        above = lines[k]
        if not above:
            k -= 1
            continue
        if above.lower() in _ARTICLE_TYPES:
            k -= 1
            passed += 1
            continue
        lm = _RX34.match(above) if "logoLink" in above else None
        if lm:
            return lm.group("j"), k
        if (
            own[k]
            and len(above) < 100
            and not _RX30.search(above)
            and not _CHROME.match(above)
            and not is_boilerplate(above)
            and not _SECTION.match(above)
            and 1 <= len(above.split()) <= 12
            and above[:1].isupper()
            and not _NOT_A_JOURNAL.search(above)
        ):
            return above, k
        return None
    return None


_LIST_NOTICE = re.compile(r"^(?:Similar|Cited|Related|Recommended|Citing|You may|People|More like)", re.IGNORECASE)


def _tab_strip(lines: list[str], i: int) -> bool:
    """Is the "Similar articles" / "Cited by" heading at index ``i`` one of a site's tabs (the short lines above it
    are other tabs, one of them a section such as "Abstract"; or the next line is another tab), not the head of
    a block of other works?"""
    if not _LIST_NOTICE.match(lines[i]):
        return False
    nxt = next((t for t in lines[i + 1 : i + 3] if t), "")
    if nxt and len(nxt) < 60 and _NOTICE_HEAD.match(nxt):
        return True
    prev = [t for t in lines[max(0, i - 6) : i] if t][-3:]
    return (
        len(prev) == 3
        and all(len(t) < 30 and len(t.split()) <= 4 for t in prev)
        and any(_ABSTRACT_HEAD.match(t) or _SECTION.match(t) for t in prev)
    )


def _heads_prose(lines: list[str], i: int) -> bool:
    """Is the heading at index ``i`` followed by prose (an abstract), not by the next of a site's tabs
    ("Abstract / Free full text / Citations & impact")?"""
    nxt = next((t for t in lines[i + 1 : i + 4] if t), "")
    return len(nxt) >= 60 or nxt.endswith(".") or not nxt


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
    head = _RX2.sub("", head)
    quoted = _RX3.search(head)
    if quoted:  # RePEc: '"Title," European Journal of Political Economy, Elsevier, vol. 52(C)'
        return quoted.group("j").strip()
    # split on separators outside parentheses
    parts, depth, cur = [], 0, ""
    for ch in head:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if depth == 0 and ch in ",|;>›":
            parts.append(cur)
            cur = ""
            continue
        cur += ch
    parts.append(cur)
    parts = [([x for x in _RX4.split(p) if x.strip()] or [""])[-1] for p in parts]
    for p in reversed(parts):
        p = _RX5.sub("", p)
        p = _TRAILING_DATE.sub("", p).strip(" ,;:")
        if p.endswith(".") and not _ABBREVIATED.search(p):
            p = p[:-1].strip()
        if not p:
            continue
        if _RX6.fullmatch(p):
            continue
        if p.lower() in _ARTICLE_TYPES or len(p) > 120 or not _RX7.search(p) or p.lower() in _LABEL_WORDS:
            return None  # a type, a sentence, or a label ("Year : 2022 | Volume : 25"): no journal before it
        if p.lower().startswith(("p-issn", "e-issn", "issn")):
            continue
        return p
    return None


def _citation(s: str) -> dict | None:
    c = _citation_cached(s)
    return dict(c) if c else None


def _first_word(s: str, low: str, words: tuple[str, ...]) -> int:
    """Where a search for a label among ``words`` may start in ``s`` (``low`` is ``s`` lower-cased): at the
    first of them, in a line whose letters are all ASCII (there a case-blind match is one of the words in
    ``low``, at the same place; a pattern that looks behind still sees what comes before); at 0 in any other
    line (case folding outside ASCII is not ``lower``: "ſ" matches "s")."""
    if not s.isascii() and (len(low) != len(s) or _NON_ASCII_LETTER.search(s)):
        return 0
    return min(filter(_FOUND, map(low.find, words)), default=0)  # C-level: no generator frame per line


#: ``str.find`` found it (not -1)
_FOUND = (-1).__ne__


def _label_search(rx: re.Pattern[str], s: str, low: str, words: tuple[str, ...], lead: int = 0) -> re.Match[str] | None:
    """``rx.search(s)`` for a label pattern each of whose matches starts at one of ``words`` (lower-cased) in a
    line :func:`_first_word` trusts: the pattern is tried at those places only, in order (a search runs it at
    every place after the first label word: a long line of prose holding "no" or "public" early on cost most).
    With ``lead`` 1, a match starts at the line's start or one character before a word (its white space)."""
    if not s.isascii() and (len(low) != len(s) or _NON_ASCII_LETTER.search(s)):
        return rx.search(s)
    starts = {0} if lead else set()
    for w in words:
        i = low.find(w, lead)
        while i >= 0:
            starts.add(i - lead)
            i = low.find(w, i + 1)
    for i in sorted(starts):
        m = rx.match(s, i)
        if m:
            return m
    return None


#: a letter (or a numeral) outside ASCII
_NON_ASCII_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")


#: patterns built from a value once, compiled once: a pattern made at each call is compiled again whenever the
#: ``re`` module's own cache (512 patterns, shared by the whole process) has let it go
_YEAR_RX = re.compile(_YEAR)
_YEAR_ONLY = re.compile(rf"^{_YEAR}$")
_JOURNAL_YEAR_SEMI = re.compile(rf"(?P<j>[A-Z][\w.]*(?:\s+[A-Z][\w.]*){{0,5}})\s+(?P<y>{_YEAR});$")
_MONTH_BEFORE: dict[str, re.Pattern[str]] = {}


def _month_before(year: str) -> re.Pattern[str]:
    """The month named before ``year`` ("March 2021", "Mar-Apr 2021", "March 3, 2021")."""
    rx = _MONTH_BEFORE.get(year)
    if rx is None:
        rx = _MONTH_BEFORE[year] = re.compile(rf"\b({_MON})(?:\s*[-–/]\s*{_MON})?\s+(?:\d{{1,2}},\s*)?{year}")
    return rx


@lru_cache(maxsize=8192)
def _citation_cached(s: str) -> dict | None:
    """The parts of a citation line (journal, year, month, volume, issue, pages), or None."""
    m = _NLM.search(s) if ";" in s and _NLM_HINT.search(s) else None
    if m and (m.group("volume") or m.group("pages")):
        journal = _strip(m.group("journal") or "")
        journal = _RX8.sub("", journal)
        head, dot, rest = journal.partition(". ")
        if dot and head.lower() in _ARTICLE_TYPES:  # "…: Review. Ann Indian Acad Neurol 2022;25:606-15"
            journal = rest
        if journal and "," in journal and _people_from_list(journal):
            return None  # "Shirley A. Russ, Kandyce Larson and Neal Halfon 2012;129;256": a running head
        return {
            "journal_abbrev": journal if 1 < len(journal) < 100 and not _RX9.search(journal) else None,
            "year": m.group("year") or m.group("year2"),
            "month": parse_month(m.group("mon") or m.group("mon2") or None),
            "volume": m.group("volume"),
            "issue": m.group("issue"),
            "pages": m.group("pages"),
            "at": m.start(),
        }
    compact = "(" in s and _COMPACT_HINT.search(s) is not None
    m = _COMPACT.search(s) if compact else None
    if m and not _AFFIL.search(m.group("journal")):
        return {
            "journal": m.group("journal").strip(),
            "volume": m.group("volume"),
            "issue": m.group("issue"),
            "pages": m.group("pages"),
            "year": (m.group("date") or "")[:4] or None,
            "at": 0,
        }
    m = _JOURNAL_DATE.match(s) if compact else None
    if m and not _AFFIL.search(m.group("journal")):
        return {
            "journal": m.group("journal").strip(),
            "volume": m.group("volume"),
            "issue": m.group("issue"),
            "pages": m.group("pages"),
            "year": m.group("year"),
            "month": parse_month(m.group("mon")),
            "at": 0,
        }
    m = _GLUED.match(s) if ":" in s else None
    if m:
        return {
            "journal": m.group("journal"),
            "year": m.group("year"),
            "volume": m.group("volume"),
            "pages": m.group("pages"),
            "at": 0,
        }
    low = s.lower()
    m = _VOL_PAREN.search(s) if "vol" in low else None
    if m:
        return {
            "journal": _journal_before(s, m.start()),
            "volume": m.group("volume"),
            "issue": m.group("issue"),
            "year": m.group("year"),
            "pages": m.group("pages"),
            "at": m.start(),
        }
    vm = _label_search(_VOL, s, low, _VOL_WORDS) if any(map(low.__contains__, _VOL_WORDS)) or "卷" in s else None
    im = _label_search(_ISS, s, low, _ISS_WORDS) if any(map(low.__contains__, _ISS_WORDS)) else None
    if not vm and not im:
        return None
    first = min(x.start() for x in (vm, im) if x)
    window = s[first : first + 160]
    pm = _PAGES_LABEL.search(window)
    out: dict[str, Any] = {"volume": (vm.group("v") or vm.group("v2")) if vm else None, "at": first}
    paren = _RX10.match(s[vm.end() :]) if vm else None
    if paren and not _YEAR_RX.fullmatch(paren.group("i")):
        out["issue"] = paren.group("i")
    elif im:
        iss = im.group("i")
        iy = _ISSUE_YEAR.match(iss + s[im.end() : im.end() + 5]) if iss.endswith("/") else None
        if iy:
            out["issue"], out["year"] = iy.group("i"), iy.group("y")
        else:
            out["issue"] = iss.rstrip("/")
    if pm and pm.group("p") and (not vm or pm.start() + first > vm.start()):
        out["pages"] = pm.group("p")
    elif am := _ARTNO.search(s):  # an article number only where no pages label gave the pages
        out["pages"] = am.group("a")
    if "year" not in out:
        before = _YEAR_ANY.findall(s[:first])
        ym = _YEAR_ANY.search(s, first, first + 120) if not before else None
        if before:
            out["year"] = before[-1]
        if ym:
            out["year"] = ym.group(1)
        if out.get("year"):
            mm = _month_before(out["year"]).search(s)
            if mm:
                out["month"] = parse_month(mm.group(1))
    out["journal"] = _journal_before(s, first)
    if out["journal"] and _YEAR_ONLY.match(out["journal"]):
        out["journal"] = None
    return out


@lru_cache(maxsize=8192)
def _clean_name(x: str) -> str:
    # each pattern only where it can match (an e-mail needs "@", a link "://", marks a mark at the end)
    if "@" in x:
        x = _RX11.sub("", x)
    if "://" in x:
        x = _RX12.sub("", x)
    x = x.strip()
    if x[-1:] in _MARK_END:
        x = _sub_at_end(_MARKS, x, _MARKS_RUN)
    x = x.strip(" ,;*")
    if x[-1:] in _LOWER_END:
        x = _sub_at_end(_RX13, x, _LETTER_MARKS_RUN)
    return x


#: white space as ``\s`` and ``str.strip`` know it, in ASCII
_ASCII_SPACE = "".join(c for c in map(chr, range(128)) if c.isspace())
#: the ASCII characters a match of ``_MARKS`` is made of (white space, digits, commas, "*", "#")
_MARKS_RUN = _ASCII_SPACE + "0123456789,*#"
#: the characters a match of ``_RX13`` / ``_RX46`` is made of (white space, lower-case letters, commas, "*")
_LETTER_MARKS_RUN = _ASCII_SPACE + "abcdefghijklmnopqrstuvwxyz,*"


def _sub_at_end(rx: re.Pattern[str], x: str, run: str) -> str:
    """``rx.sub("", x)`` for a pattern anchored at the end whose matches are made of ``run``'s characters only:
    in ASCII, the one match there can be starts inside the run of them that ends the string, so the search
    starts there (its look-behind still sees the character before) instead of trying every place."""
    if not x.isascii():
        return rx.sub("", x)
    m = rx.search(x, len(x.rstrip(run)))
    return x[: m.start()] + x[m.end() :] if m else x


#: the last characters a name's affiliation marks (``Ruiz1,2``, ``Chen*``) or letters (``Ruiz a, b``) end on
_MARK_END = frozenset("0123456789,*#†‡§ \t")
_LOWER_END = frozenset("abcdefghijklmnopqrstuvwxyz*, ")


def _unglue_letter_marks(parts: list[str]) -> list[str]:
    """Affiliation letters a copy ran onto the names ("Alex Rivera-Toquicaa, b, c, Clara Saldarriagad, …"):
    the letters run a, b, c, … through the list, each name's last letter being the next one."""
    if sum(1 for p in parts if _RX14.fullmatch(p)) < 2:
        return parts
    out, expected, hits = [], "a", 0
    for p in parts:
        if _RX14.fullmatch(p):
            if p == expected:
                expected = chr(ord(expected) + 1)
                continue
            return parts
        if len(p) > 3 and p[-1] == expected and p[-2:-1].isalpha():
            out.append(p[:-1])
            expected = chr(ord(expected) + 1)
            hits += 1
        else:
            out.append(p)
    return out if hits >= 3 else parts


#: words of a title in Title Case that no name has ("Attention Is All You Need" is not a person)
_TITLE_WORDS = frozenset(
    (
        "is",
        "are",
        "all",
        "you",
        "need",
        "the",
        "of",
        "and",
        "for",
        "with",
        "from",
        "on",
        "to",
        "in",
        "an",
        "by",
        "at",
        "as",
        "or",
        "not",
        "how",
        "what",
        "why",
        "when",
        "we",
        "our",
        "its",
        "new",
        "into",
        "via",
        "versus",
        "vs",
    )
)
_SUFFIXES = frozenset(("II", "III", "IV", "Jr", "Jr.", "Sr", "Sr."))
_ETAL_TAILS = ("et al.", "et al", "and others", "…")


def _without_etal(s: str) -> tuple[str, bool]:
    """``s`` without a closing "et al." (and the comma and spaces before it), and whether it had one: what
    ``_RX17`` removes, by str methods."""
    for tail in _ETAL_TAILS:
        if s.endswith(tail):
            base = s[: -len(tail)]
            stripped = base.rstrip()
            if stripped.endswith(","):
                stripped = stripped[:-1]
            elif len(stripped) == len(base) and base.endswith(","):
                stripped = base[:-1]
            return stripped, True
    return s, False


@lru_cache(maxsize=8192)
def _people_from_list(s: str, prefix: bool = False) -> tuple[list[Person], bool] | None:
    """A line that is a list of names (and nothing else), as people and an "et al." flag; None otherwise."""
    s = " ".join(s.split()).strip(" ,;")
    if " ∙ " in s or " · " in s:  # Cell Press: "Tim Stuart1,4 ∙ Andrew Butler1,2,4 ∙ …"
        s = s.replace(" ∙ ", ", ").replace(" · ", ", ")
    if not s or len(s) > 3000 or s.endswith(".") and not _RX16.search(s):
        return None
    s, etal = _without_etal(s)
    if ";" in s:
        parts = [p for p in (x.strip() for x in s.split(";")) if p]
        cleaned = [_clean_name(p) for p in parts]
        if all(_NAME.match(n) or _INV_NAME.match(n) or _GROUP.search(n) for n in cleaned) and cleaned:
            return [person_from_inverted(n) if "," in n else person_from_display(n) for n in cleaned], etal
        return None
    # the spaces are single (joined above): each pattern only where its words stand between two of them
    if any(map(s.__contains__, _AND_WORDS)):
        s = _RX18.sub(", ", s)
    if " and the " in s or " for the " in s:
        s = _RX19.sub(", ", s)
    degrees = bool(_MIXED_DEGREE.search(s))  # a degree no initials look like: the list prints degrees
    parts = [p.strip() for p in _RX20.split(s) if p.strip()]
    if degrees:
        parts = [_DEGREES.sub("", p) for p in parts]
        parts = [p for p in parts if p and not _DEGREES.fullmatch(" " + p)]
    parts = _unglue_letter_marks(parts)
    names: list[tuple[str, str]] = []
    for p in parts:
        n = _clean_name(p)
        if not n:
            continue
        if (
            _GROUP.search(n)
            and len(n) < 120
            and len(n.split()) <= 10
            and not _RX21.search(n)
            and n[:1].isupper()
            or n.lower().startswith(("for the ", "the ", "and the "))
            and _GROUP.search(n)
        ):
            names.append(("group", _RX22.sub("", n)))
        elif _vanc_name(n) and not _AFFIL.search(n) and n.rsplit(" ", 1)[-1] not in _SUFFIXES:
            # "Zhou P", "Jørgensen SÆ": family, then initials
            names.append(("vanc", n))
        elif _NAME.match(n) and not _AFFIL.search(n) and not any(w.lower() in _TITLE_WORDS for w in n.split()):
            names.append(("display", n))
        elif prefix and len(names) >= 2 and _AFFIL.search(n):
            break  # "Muhammad A Khan, Fozia Ahmed, Manchester Heart Centre, …": the names, then their affiliation
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
        elif n.rsplit(" ", 1)[-1] in _SUFFIXES and len(n.split()) >= 3:  # "William M. Mauck III"
            name, suffix = n.rsplit(" ", 1)
            one = person_from_display(name)
            people.append(Person(family=one.family, given=one.given, suffix=suffix))
        else:
            people.append(person_from_display(n))
    return people, etal


_AFFIL_HEAD = _Anchored(
    "ac", r"^(?:Affiliations?|Author information|Collaborators|Afiliaci[oó]n(?:es)?|Afiliações)\s*:?$", re.IGNORECASE
)


def _is_single_name(s: str) -> bool:
    n = _clean_name(s)
    return bool(n) and len(n) < 60 and bool(_NAME.match(n)) and not _AFFIL.search(n)


#: the kinds of evidence :func:`page_facts` can look for
ALL_NEEDS = frozenset({"ids", "citation", "title", "authors", "keywords"})


def page_facts(page: Lines, need: frozenset[str] = ALL_NEEDS) -> Facts:
    """Read the evidence the page states (one pass over its lines, plus look-arounds), of the kinds in
    ``need`` (what a site reader left to find)."""
    want_cite, want_title, want_auth = "citation" in need, "title" in need, "authors" in need
    want_kw = "keywords" in need
    want_cite = want_cite or want_title  # the title is looked for beside the citation line
    # only identifiers and keywords to find (the site reader found the rest): a line without a trace of them
    # is passed over at the cost of one search
    fast = not (want_cite or want_title or want_auth)
    n_lines = len(page)
    lines = page.cleaned()
    own, refs_at = _own_mask(lines)
    facts = Facts()
    put = facts.put
    labelled_doi = bare_doi = None
    citation_at: int | None = None
    author_at: int | None = None
    abstract_at: int | None = None
    first_line: int | None = None
    seen: dict[str, int] = {}
    counts: dict[str, int] = {}
    for i in _hinted_lines(lines, refs_at) if fast else range(min(refs_at, n_lines)):
        s = lines[i]
        if not s:
            continue
        n = i + 1
        if not own[i]:
            continue
        low = _low(s)
        if (
            fast
            and "10." not in s
            and "PMID" not in s
            and "PMC" not in s
            and "issn" not in low
            and "arxiv" not in low
            and not _kw_hint(low)
        ):
            continue
        # identifiers
        if "10." in s:
            dois = find_dois(s)
            if not dois and _RX23.search(s):
                # a DOI the copy broke with other text between (two-column PDFs): the suffix ends a later line
                for j in range(i + 1, min(n_lines, i + 4)):
                    tail = _RX24.search(lines[j])
                    head = _RX25.search(s) if tail else None  # always there where _RX23 is: its end
                    if tail and head:
                        dois = find_dois(head.group(0) + tail.group(1))
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
                put(
                    "pmcid",
                    normalize_pmcid(
                        (m.group(1) or "").replace(" ", "") or ("PMC" + m.group(2) if m.group(2) else m.group(3))
                    ),
                    n,
                )
        if "arxiv" in low:
            m = _ARXIV.search(s)
            if m:
                put("arxiv", m.group(1), n)
        if "issn" in low:
            for m in _ISSN_LABEL.finditer(s):
                rest = s[m.end() : m.end() + 40]
                found = issns_in(_RX26.split(rest)[0] if rest else "")
                if not found and not rest.strip(" :") and i + 1 < n_lines:
                    found = issns_in(lines[i + 1][:20])
                if not found and not rest.strip(" :") and i + 2 < n_lines and not lines[i + 1]:
                    found = issns_in(lines[i + 2][:20])
                if found:
                    known = facts.values.get("issn", ([], n))[0]
                    facts.values["issn"] = (
                        known + [x for x in found if x not in known],
                        facts.values.get("issn", (None, n))[1],
                    )
            m2 = _RX27.search(s)
            if m2:
                known = facts.values.get("issn", ([], n))[0]
                facts.values["issn"] = (
                    known + [x for x in issns_in(m2.group(2)) if x not in known],
                    facts.values.get("issn", (None, n))[1],
                )
        # the page's own citation ("Cite this article", "How to cite", "Suggested Citation")
        cm = _CITE_HEAD.match(s) if want_title or want_auth else None
        if cm and not _RX12.fullmatch(cm.group("rest") or ""):  # "Cite this article https://doi.org/…": a link
            body = cm.group("rest") or ""
            parts = [body] if body else []
            k = i + 1
            while (
                k < n_lines
                and len(body) < 400
                and (not body or not lines[k - 1].endswith((".", "]")) or len(body) < 40)
            ):
                if lines[k]:
                    # a label line ("E-ISSN:") starts another field; a citation whose line ends on its page range
                    # is complete ("…, 1(9): 995-1.002")
                    if (
                        _CITE_HEAD.match(lines[k])
                        or _SECTION.match(lines[k])
                        or lines[k].endswith(":")
                        or (len(body) >= 40 and (_ENDS_ON_PAGES.search(body) or _ENDS_ON_DOI.search(body)))
                    ):
                        break
                    body = (body + " " + lines[k]).strip()
                    parts.append(lines[k])
                k += 1
            # short lines run together from a menu under a "Cite" button are not a citation (nor parsed)
            if body and sum(1 for x in parts if len(x) < 25) * 2 <= len(parts):
                ref = parse_citation(body)
                if ref.title and ref.journal:
                    put("cite_title", (ref.title, ref.authors, ref.authors_complete), n)
                    # the page's own citation: its journal, year, volume, issue and pages where the page prints
                    # no citation line of its own (Springer Nature, PLOS, MDPI, Frontiers, T&F "cite" blocks)
                    put(
                        "cite_parts",
                        {
                            k: getattr(ref, k)
                            for k in ("journal", "year", "volume", "issue", "pages")
                            if getattr(ref, k)
                        },
                        n,
                    )
        # citation lines
        # every citation line has a number
        if want_cite and (_ASCII_DIGIT if s.isascii() else _RX28).search(s) and _cite_hint(low[:300]):
            c = _citation(s if len(s) < 300 else s[:300])
            if (
                c
                and (c.get("volume") or (c.get("issue") and (c.get("year") or c.get("pages"))))
                and len(c.get("volume") or "") <= 6
                and len(c.get("issue") or "") <= 6
            ):
                if (
                    not c.get("journal")
                    and not c.get("journal_abbrev")
                    and c.get("at") == 0
                    and i > 0
                    and (_RX29.match(s) or s[:1] == ".")
                ):
                    # the journal on the line above its citation: "Jurnal Sosial dan Teknologi (SOSTECH)" /
                    # "Volume 1, Number 9, September 2021"; PubMed's "Mol Cancer" / (a type label) /
                    # ". 2019 Apr 2;18(1):75." (the copy broke the NLM line after the journal)
                    above = _journal_above(lines, own, i)
                    if above is not None:
                        name = "journal" if _RX29.match(s) else "journal_abbrev"
                        c[name] = above[0]
                        put(name, above[0], above[1] + 1)
                for name in ("journal", "journal_abbrev", "year", "month", "volume", "issue", "pages"):
                    if c.get(name):
                        put(name, c[name], n)
                if citation_at is None:
                    citation_at = n
        if want_cite and "year" not in facts.values and (s[:1] == "." or "ahead of print" in low):
            # PubMed's ahead-of-print line: "Nat Med" / ". 2024 Mar 12." / "doi: …. Online ahead of print."
            ap = _NLM_AHEAD.match(s)
            if ap and ("ahead of print" in low or "ahead of print" in " ".join(lines[i + 1 : i + 3]).lower()):
                journal = (ap.group("journal") or "").strip()
                above = None if journal else _journal_above(lines, own, i)
                if journal or above:
                    if journal:
                        put("journal_abbrev", journal, n)
                    elif above is not None:
                        put("journal_abbrev", above[0], above[1] + 1)
                    put("year", ap.group("year"), n)
                    if ap.group("mon"):
                        put("month", parse_month(ap.group("mon")), n)
                    citation_at = citation_at or n
        if (
            want_cite
            and "year" not in facts.values
            and ("ubli" in low or "epub" in low or "erschienen" in low or "발행" in s or "online" in low or "出版" in s)
        ):
            pm = _label_search(_PUBLISHED, s, low, _PUBLISHED_WORDS)
            if pm and not _NOT_PUBLISHED.search(s[: pm.start()][-20:]):
                y, mo = _date_parts(pm.group("date"))
                if y:
                    put("pub_year", y, n)
                    if mo:
                        put("pub_month", mo, n)
        if want_cite and s.endswith(")") and "pub_year" not in facts.values:
            jm = _JOURNAL_YEAR.match(s)
            if jm and len(jm.group("j").split()) >= 2:
                put("journal", jm.group("j").strip(), n)
                put("pub_year", jm.group("y"), n)
        if want_cite and "ISSN" in s:
            jm2 = _RX31.match(s)
            if jm2 and not _ISSN_LABEL.match(jm2.group("j")):
                put("journal_banner", jm2.group("j").strip(), n)
        if want_cite and " published by " in s:
            pb = _PUBLISHED_BY.search(s)
            if pb:
                put("journal_banner", pb.group("j"), n)
        if want_cite and s.endswith(";") and i + 1 < n_lines:
            # a PDF's side column: "… Lancet Glob Health 2020;" / "8: e1380–89" (the citation broken over lines)
            lc = _JOURNAL_YEAR_SEMI.search(s)
            nx = _RX32.search(lines[i + 1])
            if lc and nx:
                for name, value in (
                    ("journal_abbrev", lc.group("j")),
                    ("year", lc.group("y")),
                    ("volume", nx.group("v")),
                    ("pages", nx.group("p")),
                ):
                    put(name, value, n)
        if want_cite and "Just Accepted" in s:  # ACS: "J. Am. Chem. Soc., Just Accepted Manuscript • DOI: …"
            ja = _RX33.search(s)
            if ja:
                put("journal_abbrev", ja.group("j").strip(), n)
        if want_cite and i > 0 and "dit" in low and _EDITORS.match(s):
            # a journal's home banner: the journal's name, then its editors
            k = i - 1
            while k > 0 and not lines[k]:
                k -= 1
            banner = lines[k]
            if (
                banner
                and len(banner) < 100
                and not _RX30.search(banner)
                and own[k]
                and not _CHROME.match(banner)
                and not is_boilerplate(banner)
                and banner[:1].isupper()
            ):
                put("journal_banner", banner, k + 1)
        lm = _RX34.match(s) if want_cite and "logoLink" in s else None  # PMC's journal banner
        if lm and "Author Manuscripts" not in lm.group("j"):
            put("journal_banner", lm.group("j"), n)
        if (want_title or want_auth) and i < 80 and ", " in s and ": " in s:
            # KoreaMed Synapse: "Salim, Yedavalli, …, and the MAD MT Investigators: Title"
            km = _RX35.match(s)
            if km:
                fam = [x.strip() for x in _RX36.split(km.group("a")) if x.strip()]
                if all(_RX37.fullmatch(x) or _GROUP.search(x) for x in fam):
                    put(
                        "authors",
                        [
                            Person(family="", literal=_RX38.sub("", x)) if _GROUP.search(x) else Person(family=x)
                            for x in fam
                        ],
                        n,
                    )
                    put("title_label", km.group("t").rstrip("."), n)
        if want_title and ("===" in s or s.startswith("# ")):
            # a Markdown rendering: "Title\n=====" (or "Title ===== * Name * Name ## Abstract" run together)
            mm = _RX39.match(s)
            nxt = lines[i + 1] if i + 1 < n_lines else ""
            if mm and ("===" in s or s.startswith("# ")) or _RX40.fullmatch(nxt):
                put("title_label", mm.group("t").strip() if mm else s, n)
                rest = mm.group("rest") if mm else ""
                am2 = _RX41.match(rest)
                if am2:
                    names = [_clean_name(x) for x in am2.group("a").split(" * ")]
                    if names and all(_namey(x) for x in names):
                        put("authors", [person_from_display(x) for x in names], n)
        # title by label
        tm = (_TITLE_LABEL.match(s) or _IMAGE_OF.match(s)) if want_title and len(s) > 12 else None
        if tm:
            put("title_label", tm.group("t").strip().rstrip("."), n)
        # authors
        am = _AUTHOR_LABEL.match(s) if want_auth else None
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
        if want_auth and "orrespond" in s and "authors_corr" not in facts.values:
            # "*Corresponding Author" / "Arun Swaminathan,  arun.swaminathan@unmc.edu": a name before an e-mail
            cr = _CORRESPONDING.match(s)
            if cr:
                value = cr.group("v") or next((t for t in lines[i + 1 : i + 3] if t), "")
                nm = _NAME_MAIL.match(value)
                if nm and _namey(_clean_name(nm.group("n"))):
                    put("authors_corr", person_from_display(_clean_name(nm.group("n"))), n)
        if want_auth and s[:1] == "L" and _LISTED.match(s) and "authors" not in facts.values:
            got = _people_block(lines[i + 1 : i + 60], inverted=True)
            if got:
                put("authors", got, n)
        # keywords
        if want_kw and _kw_hint(low):
            km = _kw_search(s, low)
            if km and ("keywords" not in facts.values or facts.values["keywords"][0][1] != "en"):
                kw = km.group("kw") if km.group("lab") else ""
                if not kw:
                    below = next((k for k in range(i + 1, min(n_lines, i + 4)) if lines[k]), None)
                    kw = lines[below] if below is not None and own[below] else ""
                    if _SECTION.match(kw) or _REF_HEAD.match(kw) or len(kw) > 400 or _KNOWN_HEAD.match(kw):
                        kw = ""
                words = _keywords(kw)
                lab = (km.group("lab") or km.group("lab2") or "").lower()
                if words:
                    lang = "en" if lab.startswith("key") else "other"
                    if "keywords" not in facts.values or lang == "en":
                        facts.values["keywords"] = ((words, lang), n)
        if abstract_at is None and len(s) < 30 and _ABSTRACT_HEAD.match(s) and _heads_prose(lines, i):
            abstract_at = n
        # structure
        if want_title and len(s) >= 20 and not is_boilerplate(s, low):  # s is stripped: low is what it lowers
            key = low.rstrip(".")  # s.rstrip(".").lower(): no letter lower-cases to a "."
            if key in seen and not _CHROME.match(s):
                counts[key] = counts.get(key, 1) + 1
            seen.setdefault(key, n)
        if want_title and first_line is None and _substantial(s) and _fragment(s):
            first_line = n
    found_doi = labelled_doi or bare_doi
    if found_doi:
        doi, n = found_doi
        put("doi", doi, n)
    # the title is the line printed twice (a line printed three times or more is the site's chrome: "Search for
    # more papers by this author")
    repeated = min((seen[k] for k, c in counts.items() if c == 2), default=None)
    facts.values["_struct"] = (
        {
            "citation_at": citation_at,
            "author_at": author_at,
            "abstract_at": abstract_at,
            "first_line": first_line,
            "repeated": repeated,
            "own": own,
            "lines": lines,
            "first_nonblank": next((k + 1 for k, x in enumerate(lines) if x), None),
        },
        0,
    )
    return facts


def _digits(s: str) -> int:
    """How many characters of ``s`` are digits (``str.isdigit``): in ASCII, ten counts in C instead of a call per
    character."""
    return sum(map(s.count, "0123456789")) if s.isascii() else sum(map(str.isdigit, s))


@lru_cache(maxsize=8192)
def _substantial(s: str) -> bool:
    words = s.split()
    return (
        3 <= len(words) <= 60
        and len(s) <= 400
        and _plain(s)
        and not s.endswith(("...", "…"))
        and _digits(s) < len(s) / 5
        and not _RX42.search(s)
    )


#: a line lower-cased, once while a page is read (its evidence pass, its title and boilerplate tests all need it)
_low = lru_cache(maxsize=8192)(str.lower)


@lru_cache(maxsize=8192)
def _plain(t: str) -> bool:
    """Not the site's chrome, boilerplate, a section heading, an article type or a label line: what a title
    line and a substantial line both are not (one test per line for both)."""
    return not (
        _CHROME.match(t)
        or is_boilerplate(t, _low(t.strip()))
        or _SECTION.match(t)
        or _low(t) in _ARTICLE_TYPES
        or _is_label_line(t)
    )


def _keywords(kw: str) -> list[str]:
    kw = kw.strip()
    if not kw:
        return []
    # a label run into the list ("digital systems learning corresponding author: ati …")
    cut = _RX43.search(kw)
    if cut and cut.start() > 3:
        kw = kw[: cut.start()]
    sep = ";" if ";" in kw else ("," if "," in kw else ("·" if "·" in kw else ("|" if "|" in kw else None)))
    parts = [p.strip(" .") for p in kw.split(sep)] if sep else [kw.strip(" .")]
    if not sep and len(parts) == 1 and _RX44.search(parts[0]) and " " not in parts[0]:
        parts = _RX45.split(parts[0])  # "RetractionTime-lag": the copy lost the separators
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
        if (
            toks
            and len(toks) % 2 == 0
            and all(len(t.split()) <= 2 for t in toks)
            and all(not _NAME.match(t) or len(t.split()) == 1 for t in toks[::2])
            and all(len(t.split()) == 1 for t in toks[::2])
        ):
            return [person_from_inverted(f"{toks[k]}, {toks[k + 1]}") for k in range(0, len(toks), 2)]
    got = _people_from_list(value)
    return got[0] if got else None


def _people_block(block: list[str], inverted: bool = False) -> list[Person] | None:
    """Names one per line (or one list line) below an author label or a "Listed:" heading."""
    first = next((t for t in block if t), "")
    got = _people_from_list(first) if first and not inverted else None
    if got and (len(got[0]) > 1 or "," in first):
        return got[0]
    people: list[Person] = []
    for t in block:
        if not t:
            if people and len(people) > 0 and inverted:
                continue
            continue
        t2 = _strip(t)
        if inverted and _INV_NAME.match(t2):
            people.append(person_from_inverted(t2))
            continue
        if _vanc_name(t2) or (_NAME.match(_clean_name(t2)) and not _AFFIL.search(t2)):
            people.extend(split_author_list(_clean_name(t2))[0])
            continue
        break
    return people or None


_NOT_NAME_WORDS = frozenset(
    (
        "details",
        "content",
        "contents",
        "text",
        "sources",
        "source",
        "access",
        "search",
        "article",
        "articles",
        "journal",
        "review",
        "abstract",
        "open",
        "free",
        "full",
        "more",
        "home",
        "online",
        "research",
        "original",
        "literature",
        "medical",
        "commons",
        "main",
        "data",
        "cover",
        "services",
        "links",
        "share",
        "save",
        "email",
        "download",
        "table",
        "pubmed",
        "google",
        "scholar",
        "crossref",
        "view",
        "pdf",
        "support",
        "center",
        "help",
        "information",
        "library",
        "navigation",
        "menu",
        "issue",
        "issues",
        "volume",
        "current",
        "previous",
        "next",
        "related",
        "similar",
        "cited",
        "citations",
        "metrics",
        "publisher",
        "published",
        "keywords",
        "references",
        "supplemental",
        "supplementary",
        "material",
        "figures",
        "tables",
        "options",
        "formats",
        "pricing",
        "editor",
        "chief",
        "author",
        "authors",
        "affiliations",
        "correspondence",
        "corresponding",
        "correspondence:",
        "notes",
        "introduction",
        "background",
        "methods",
        "results",
        "conclusions",
        "discussion",
        "summary",
        "highlights",
        "systematic",
        "cancer",
        "disease",
        "study",
        "trial",
        "analysis",
        "health",
        "clinical",
        "the",
        "of",
        "and",
        "in",
        "for",
        "with",
        "on",
        "to",
        "doi",
        "qr",
        "code",
        "pmc",
        "pmid",
        "logolink",
        "service",
        "system",
        "systems",
        "science",
        "sciences",
        "society",
        "press",
        "university",
        "details",
        "language",
        "english",
        "format",
        "subjects",
        "abstracts",
        "bibliographic",
        "tags",
        "cite",
        "export",
        "print",
        "add",
        "remove",
        "account",
        "login",
        "register",
        "sign",
        "sections",
        "tools",
        "permissions",
        "comments",
        "letters",
        "news",
        "about",
        "contact",
        "submit",
        "submission",
        "guide",
        "indexed",
        "number",
        "works",
        "list",
        "association",
        "american",
        "european",
        "national",
        "international",
        "general",
        "type",
        "publication",
        "reviews",
        "protocols",
        "editorial",
        # the words of journal names (a publisher's menu of its journals, one per line, is not a list of people)
        "cell",
        "biology",
        "genomics",
        "chemical",
        "chemistry",
        "metabolism",
        "reports",
        "medicine",
        "structure",
        "immunity",
        "neuron",
        "microbe",
        "molecular",
        "developmental",
        "physics",
        "genetics",
        "immunology",
        "neuroscience",
        "ecology",
        "engineering",
        "materials",
        "communications",
        "proceedings",
        "annals",
        "bulletin",
        "advances",
        "trends",
        "biochemistry",
        "pharmacology",
        "nutrition",
        "psychology",
        "economics",
        "education",
        "technology",
        "microbiology",
        "oncology",
        "cardiology",
        "neurology",
        "pediatrics",
        "surgery",
        "nursing",
        "alert",
        "alerts",
        "rights",
        "get",
        "set",
        "claim",
        "subscribe",
    )
)


@lru_cache(maxsize=8192)
def _namey(n: str) -> bool:
    """A string shaped like one person's name (given names first): 2-5 capitalised words, no common words."""
    return (
        bool(n)
        and len(n) < 60
        and bool(_NAME.match(n))
        and not _AFFIL.search(n)
        and not any(w.lower().strip(".,") in _NOT_NAME_WORDS for w in n.split())
    )


_PARTICLE_WORDS = frozenset(
    (
        "de",
        "da",
        "do",
        "dos",
        "das",
        "del",
        "della",
        "di",
        "du",
        "van",
        "von",
        "der",
        "den",
        "la",
        "le",
        "ter",
        "bin",
        "al",
        "el",
        "and",
        "et",
        "e",
        "y",
        "und",
        "&",
    )
)
_BULLET = re.compile(r"^(?:[•·*\-–]+\s*|\d{1,3}\.\s+)")
_SKIPPABLE = re.compile(
    r"^(?:https?://|www\.|orcid|\S+@\S+|e-?mail|corresponding author|other articles by|"
    r"search for more papers|de gruyter online|google scholar|view orcid|\*|†|#|\d)",
    re.IGNORECASE,
)


_BULLET_START = frozenset("•·*-–0123456789")


def _unbullet(t: str) -> str:
    """``t`` without a leading bullet or item number (the pattern only where the line starts with one)."""
    return _BULLET.sub("", t) if t[:1] in _BULLET_START or t[:1].isdigit() else t


def _ends_on_letter_marks(t: str) -> bool:
    """What ``_RX46`` needs to match (affiliation letters closing the line: "Ruiz a, b"): the line's last
    character, after its closing white space and one comma, a lower-case letter or "*"."""
    u = t.rstrip()
    if u.endswith(","):
        u = u[:-1]
    return u[-1:] in _LOWER_STAR


_LOWER_STAR = frozenset("abcdefghijklmnopqrstuvwxyz*")


#: characters no name (``_NAME``) holds that none of the cleaning of a name line (its bullet, affiliation marks
#: and letters, closing commas) takes away
_NEVER_IN_A_NAME = frozenset(':()/|?!"[]{}<>+=%&“”©®$^~`\\')
#: what the cleaning of a name line may take from the end of its last word (marks, commas), and a full stop
_WORD_TAIL = "0123456789,;*#†‡§."
_NAME_PARTICLE_SET = frozenset(_NAME_PARTICLES)


def _no_name(t: str) -> bool:
    """Told without cleaning it: is ``t`` no name line (``_name_line`` gives None)? In a line without an e-mail or
    a link, the cleaning takes only a bullet or item number from the start and marks, letters and commas from the
    end: every word but the first (where a bullet may stand) stays whole, its tail aside. A line is none when it
    holds a character no name holds, is one word (a name has two, or is written in Han or Hangul), or a word that
    stays holds what a name's word never starts with (two lower-case letters but a particle's: "to", "main") or is
    a word no name holds ("details", "journal")."""
    if "@" in t or "://" in t:
        return False
    if not _NEVER_IN_A_NAME.isdisjoint(t):
        return True
    words = t.split()
    if len(words) == 1 and "-" not in t and t.isascii():
        return True
    c = t[:1]
    for w in words if c.isascii() and c.isalpha() else words[1:]:
        if w.lower().strip(".,") in _NOT_NAME_WORDS:
            return True
        v = w.lstrip("-").rstrip(_WORD_TAIL)
        h = v[:2]
        if len(h) == 2 and h.isascii() and h.isalpha() and h.islower() and v.split("-", 1)[0] not in _NAME_PARTICLE_SET:
            return True
    return False


@lru_cache(maxsize=8192)
def _name_line(t: str) -> str | None:
    """The name a line holds alone (cleaned of its bullet and marks), or None."""
    return None if _no_name(t) else _line_name(t)


def _line_name(t: str) -> str | None:
    """:func:`_name_line` without the cheap test before it."""
    t = _unbullet(t).strip()
    n = _clean_name(_sub_at_end(_RX46, t, _LETTER_MARKS_RUN) if _ends_on_letter_marks(t) else t)
    return n if _namey(n) else None


def _author_block(lines: list[str], own: list[bool], k: int) -> tuple[list[Person], bool, int] | None:
    """The author names starting at line index ``k``: a name list on one line (``Given Family1,2, …``,
    ``Family AB, Family CD``, wrapped over lines ending in commas), or one name per line or bullet, with
    affiliation, ORCID and e-mail lines between them. Returns people, "et al.", the index after the block."""
    s = lines[k]
    if not s or not own[k] or len(s) > 3000:
        return None
    head = _unbullet(s)[:1]
    if not head.isupper() and not (head == "*" or head.isdigit()):
        return None
    words = s.split()
    most, lower = 3 + len(words) // 6, 0
    for at in range(0, len(words), 32):  # counted in runs of words: a long line of prose is left after its first
        lower += len([w for w in words[at : at + 32] if w[0].islower() and w not in _PARTICLE_WORDS])
        if lower > most:
            return None  # prose, not a list of names
    joined, j = s, k
    while joined.endswith(",") and j + 1 < len(lines) and lines[j + 1]:
        j += 1
        joined += " " + lines[j]
    nxt = lines[k + 1] if k + 1 < len(lines) else ""  # the next line, or the one after a blank line
    under = _AFFIL_HEAD.match(nxt or (lines[k + 2] if k + 2 < len(lines) else ""))
    # a line with no separator between names is one name at most, which counts only with its marks or the
    # heading under it: the list parse is skipped for the titles and chrome lines that are most lines
    if _LIST_SEP.search(joined) or under or s[-1:] in _MARK_END and _MARKS.search(s):
        got = _people_from_list(_unbullet(joined), prefix=True)
    else:
        got = None
    if got and got[0] and len(got[0]) >= 2:
        return got[0], got[1], j + 1
    # one name alone: confirmed by its affiliation marks, or by the "Affiliations" heading under it (a group
    # author too: "GTEx Consortium" / "Affiliations")
    if not got and under and _GROUP.search(s) and len(s) < 100 and len(s.split()) <= 8 and not _RX21.search(s):
        got = ([Person(family="", literal=_RX22.sub("", _clean_name(s)))], False)
    single = got[0] if got and got[0] and len(got[0]) == 1 and (_MARKS.search(s) or under) else None
    first = _name_line(s)
    if not first:
        return (single, False, k + 1) if single else None
    names = [first]  # made into people once the block is confirmed (most first names are not)
    j, skipped, confirmed = k + 1, 0, False
    while j < len(lines) and skipped <= 8:
        t = lines[j]
        if not t:
            j += 1
            continue
        n = _name_line(t)
        affil = _AFFIL.search(t) is not None
        if n and not affil:
            names.append(n)
            confirmed = True
            skipped = 0
        elif affil or _SKIPPABLE.match(_unbullet(t)) or (_BULLET.match(t) and len(t) < 120):
            confirmed = True
            skipped += 1
        else:
            break
        j += 1
    if not confirmed:
        return (single, False, k + 1) if single else None
    return [person_from_display(n) for n in names], False, j


#: what separates the names of a list (a comma, ";", "and", "&", …; "Smith AB Jones CD" has initials between)
_NOT_TITLE = re.compile(r"https?://|@|\bdoi\b|ISSN|\bet al\b|logoLink to", re.IGNORECASE)
#: what each of ``_NOT_TITLE``'s alternatives holds, lower-cased
_NOT_TITLE_WORDS = ("http", "@", "doi", "issn", "et al", "logolink to")


def _not_title(t: str) -> bool:
    """``_NOT_TITLE.search(t)``: in a line of ASCII (where case-blind is ``lower``) the pattern only where one
    of its words stands."""
    if t.isascii() and not any(map(t.lower().__contains__, _NOT_TITLE_WORDS)):
        return False
    return _NOT_TITLE.search(t) is not None


#: a catalog's statement of responsibility after the title ("… revolutions / Thomas S. Kuhn")
_RESPONSIBILITY = re.compile(r"^(?P<t>.{10,}?)\s+/\s+(?P<a>[^/]{3,200})$")
_PUBLISHED_BY = re.compile(
    r"(?:^|[.©]\s*(?:\d{4}\s+)?(?:[\w-]+\.\s+)?)(?P<j>[A-Z][\w&:-]*(?:\s+[A-Z&][\w&:-]*){0,6})"
    r" published by "
)
_LIST_SEP = re.compile(r"[,;∙·]|\s(?:and|&|und|y|et|e)\s|\s[A-Z]{1,3}\s")


_LABEL_WORDS = frozenset(
    (
        "doi",
        "pmid",
        "pmcid",
        "issn",
        "isbn",
        "journal",
        "publisher",
        "source",
        "author",
        "authors",
        "published",
        "received",
        "accepted",
        "revised",
        "keywords",
        "keyword",
        "title",
        "year",
        "volume",
        "issue",
        "pages",
        "page",
        "language",
        "format",
        "date",
        "citation",
        "handle",
        "copyright",
        "correspondence",
        "email",
        "e-mail",
        "url",
        "link",
        "links",
        "subjects",
        "abstract",
        "tel",
        "fax",
        "telephone",
        "editor",
        "editor-in-chief",
        "rbid",
        "identifier",
        "identifieur interne",
        "auteurs",
        "autores",
        "source of support",
        "conflict of interest",
        "correspondence address",
        "publication date",
        "publication type",
        "document type",
        "article type",
        "series",
        "note",
        "notes",
        "funding",
        "published online",
        "available online",
        "first published",
        "epub",
        "online",
        "print",
        "how to cite",
        "suggested citation",
        "citation",
        "cite this article",
        "cite",
        "to cite",
        "corresponding author",
        "summary",
        "résumé",
        "resumen",
        "resumo",
        "objective",
        "objectives",
        "methods",
        "results",
        "conclusions",
        "conclusion",
        "background",
        "design",
        "setting",
        "introduction",
        "aim",
        "aims",
    )
)


@lru_cache(maxsize=8192)
def _is_label_line(t: str) -> bool:
    """``Label: value`` (a known label, or any short label before a number or nothing)."""
    t = _unbullet(t)
    m = _RX47.match(t)
    if not m:
        return False
    if _RX48.fullmatch(m.group(1)):
        return True  # "出 版 社:", "作 者:"
    label, value = m.group(1).strip().lower(), m.group(2).strip()
    return label in _LABEL_WORDS or (len(label.split()) <= 3 and (not value or value[:1].isdigit()))


@lru_cache(maxsize=8192)
def _citation_parts(t: str) -> bool:
    if not (_ASCII_DIGIT if t.isascii() else _RX28).search(t):
        return False
    if ";" in t and _NLM.search(t):
        return True
    c = _citation(t[:300])
    return bool(c and (c.get("volume") or (c.get("issue") and (c.get("year") or c.get("pages")))))


@lru_cache(maxsize=8192)
def _fragment(s: str) -> bool:
    """Could this line be (part of) a title?"""
    t = s.strip()
    if not t or len(t) > 400 or not _plain(t) or _affiliation(t) or _citation_parts(t):
        return False
    if _AUTHOR_LABEL.match(t) and ":" in t or _kw_label(t):
        return False
    if _not_title(t) or t.endswith(("...", "…")):
        return False
    if t.endswith(".") and len(t.split()) > 20 or len(t) > 320:
        return False  # a sentence of the abstract
    if t.count("; ") >= 2 and all(len(x.split()) <= 4 for x in t.split("; ")):
        return False  # a list of subject terms ("Ocean acidification; Carbon dioxide; Marine ecology")
    if (
        t[:1] == "["
        and t.endswith("]")
        or " > " in t
        or " | " in t
        and len(t) < 40
        and all(len(x.split()) <= 3 for x in t.split(" | "))
    ):
        return False  # a bracketed note ("[Submitted on 12 Jun 2017 …]"), a breadcrumb, a menu ("Help | Search")
    return _digits(t) < max(4, len(t) / 5)


_FUNCTION_END = re.compile(
    r"(?:,|:|-|\b(?:of|in|and|the|to|for|on|with|a|an|at|by|from|or|into|via|between|among|"
    r"de|la|el|en|y|der|die|und|von|du|et))$",
    re.IGNORECASE,
)


_BARE_LABELS = frozenset(
    (
        "publisher",
        "journal",
        "source",
        "authors",
        "author",
        "publication type",
        "language",
        "format",
        "published",
        "editor",
        "видавець",
        "видання",
        "автори",
        "тип публікації",
        "издатель",
        "журнал",
        "details",
        "series",
        "publication year",
        "document type",
        "database",
        "subjects",
        "online access",
    )
)


def _label_value(lines: list[str], j: int) -> bool:
    """Is line ``j`` the value under a bare label line ("Publisher" / "Oxford University Press (OUP)")?"""
    k = j - 1
    while k >= 0 and not lines[k]:
        k -= 1
    return k >= 0 and lines[k].strip(" :").lower() in _BARE_LABELS


def _title_above(lines: list[str], own: list[bool], k: int, first_line: int | None) -> tuple[str, int] | None:
    """The title printed above an author line at index ``k``: one line, a title wrapped over several lines
    (joined), or the first of a title's translations stacked one above the other."""
    block: list[int] = []
    j, blanks, skipped_dates = k - 1, 0, 0
    while j >= 0 and len(block) < 8:
        t = lines[j]
        if not t:
            blanks += 1
            if blanks > 3:
                break
            j -= 1
            continue
        if own[j] and (_PUBLISHED.match(t) or _DOI_LABELLED.search(t)) and not block and skipped_dates < 2:
            skipped_dates += 1  # "Published online by Cambridge University Press: 21 June 2021" between title and names
            j -= 1
            continue
        if not own[j] or not _fragment(t) or _people_from_list(t) or _label_value(lines, j):
            break
        block.insert(0, j)
        blanks = 0
        j -= 1
    if not block:
        return None
    # a title wrapped over lines: each break falls after a function word or comma, or before a lower-case word,
    # or (PDF copies) the lines have the width of a column, the first being the page's first substantial line
    chain = [block[-1]]
    for a in reversed(block[:-1]):
        b = chain[0]
        if (
            _FUNCTION_END.search(lines[a])
            or lines[b][:1].islower()
            or (
                first_line is not None
                and a == first_line
                and len(lines[a]) >= 35
                and all(len(lines[x]) >= 35 for x in block[:-1])
            )
        ):
            chain.insert(0, a)
        else:
            break
    if len(chain) > 1 and (chain[0] != block[0] or len(block) == len(chain)):
        text = " ".join(lines[x] for x in chain)
        if len(text.split()) >= 3:
            return text.rstrip("."), chain[0] + 1
    # translations stacked: the topmost of the lines of similar length
    top = block[-1]
    for a in reversed(block[:-1]):
        if len(lines[a]) >= 0.6 * len(lines[top]) and len(lines[a].split()) >= 3:
            top = a
        else:
            break
    if len(lines[top].split()) < 2:
        return None
    return lines[top].rstrip("."), top + 1


def _doubled_run(s: str) -> tuple[str, int] | None:
    """A run of 5 to 30 words printed twice in a row near the start of a long line, and where its second copy
    ends; None when there is none."""
    words = list(re.finditer(r"\S+", s[:1200]))
    toks = [w.group().lower() for w in words]
    for a in range(min(len(toks), 40)):
        for n in range(5, 31):
            if a + 2 * n > len(toks):
                break
            if (
                toks[a : a + n] == toks[a + n : a + 2 * n]
                and any(len(t) > 3 for t in toks[a : a + n])
                and not any(ch.isdigit() for t in toks[a : a + n] for ch in t)
            ):
                return s[words[a].start() : words[a + n - 1].end()], words[a + 2 * n - 1].end()
    return None


_MARKED_NAME = re.compile(
    r"^(?P<n>(?:[^\W\d_]\.\s*)?[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’.-]*){1,3})(?P<m>\d{1,2}(?:,\d{1,2})*)\*?$"
)


def _marked_names(s: str) -> list[Person] | None:
    """Names each ending in an affiliation number, in a comma list at the start of ``s`` ("r. ati sukmawati1, mitra
    pramita2, harja santanapurba3, bekti utami4 1,2,3,4department …"): the shape alone says they are names (a
    lower-cased copy has no capitals to go by). At least two, the list ending where a part is not one."""
    people = []
    for part in s.strip(" ,;").split(","):
        part = part.strip()
        m = _MARKED_NAME.match(part.split(" 1")[0].strip()) if part else None
        if not m or _AFFIL.search(m.group("n")) or any(w in _NOT_NAME_WORDS for w in m.group("n").lower().split()):
            break
        people.append(person_from_display(m.group("n")))
        if part != m.group(0):  # the list ended inside this part ("bekti utami4 1,2,3,4department …")
            break
    return people if len(people) >= 2 else None


def _structure(facts: Facts, page: Lines) -> None:
    """Title and authors by the page's structure (where no label or citation gave them)."""
    st = facts.values["_struct"][0]
    if st.get("known_title") and st.get("known_authors"):
        return  # the site reader found both
    lines, own = st["lines"], st["own"]
    journal = {str(facts.values[k][0]).lower() for k in ("journal", "journal_abbrev") if k in facts.values}
    first_line = (st["first_line"] - 1) if st["first_line"] else None

    def ok(k: int | None) -> bool:
        if k is None or k < 1 or k > len(lines):
            return False
        s = lines[k - 1]
        return (
            bool(s)
            and own[k - 1]
            and _substantial(s)
            and _fragment(s)
            and s.lower() not in journal
            and _people_from_list(s) is None
            and not _INV_NAME.match(s.rstrip("."))
        )

    # the first author block in the page's head, and the title above it
    author_k = None
    limit = min(len(lines), 200, (st["abstract_at"] - 1) if st["abstract_at"] else 200)
    if "authors" in facts.values and ("title_label" in facts.values or "cite_title" in facts.values):
        limit = 0  # the block would give nothing: the authors are known, and the title (what it is looked for above)
    label_at = st["author_at"]
    for k in range(limit):
        if label_at is not None and k == label_at - 1:
            author_k = k
            break
        # what _author_block needs first: a capital, a bullet or a digit to start the line (the call only then)
        c = lines[k][:1]
        block = (
            _author_block(lines, own, k)
            if c and own[k] and (c.isupper() or c in _BULLET_START or c.isdigit())
            else None
        )
        if block:
            author_k = k
            if "authors" not in facts.values:
                facts.put("authors_struct", block[:2], k + 1)
            break
    title: tuple[str, int] | None = None
    if "title_label" in facts.values:
        title = facts.values["title_label"]
    elif "cite_title" in facts.values:
        (t, _a, _c), n = facts.values["cite_title"]
        title = (t, n)
    if title is None and st["repeated"] and ok(st["repeated"]) and not _affiliation(lines[st["repeated"] - 1]):
        title = (lines[st["repeated"] - 1].rstrip("."), st["repeated"])
    if title is None and author_k is not None:
        above = _title_above(lines, own, author_k, first_line)
        if above and ok(above[1]) or above and len(above[0]) > len(lines[above[1] - 1]):
            title = above
    if (
        title is None
        and st["first_line"] == st["first_nonblank"]
        and ok(st["first_line"])
        and (st["abstract_at"] or st["citation_at"] or "doi" in facts.values or author_k is not None)
    ):
        title = (lines[st["first_line"] - 1].rstrip("."), st["first_line"])
    c = st["citation_at"]
    if title is None and c:
        for j in list(range(c - 1, max(0, c - 4), -1)) + list(range(c + 1, min(len(lines), c + 5) + 1)):
            if ok(j):
                title = (lines[j - 1].rstrip("."), j)
                break
    if (
        title is None
        and st["first_line"]
        and ok(st["first_line"])
        and (st["abstract_at"] or c or "doi" in facts.values or "pmid" in facts.values)
    ):
        title = (lines[st["first_line"] - 1].rstrip("."), st["first_line"])
    if title is None:
        # a copy whose line breaks were lost (a PDF's text in one line): the title is the run printed twice in a
        # row (running head, then title), and the names with their affiliation marks follow it
        for k in range(min(len(lines), 5)):
            run = _doubled_run(lines[k]) if len(lines[k]) > 200 and own[k] else None
            if run:
                title = (run[0], k + 1)
                if "authors" not in facts.values:
                    people = _marked_names(lines[k][run[1] :])
                    if people:
                        facts.put("authors_struct", (people, False), k + 1)
                break
    if title is None or "authors" not in facts.values and "authors_struct" not in facts.values:
        for k in range(min(len(lines), 60)):
            t = lines[k]
            if not t or not own[k]:
                continue
            # KoreaMed Synapse: "Salim, Yedavalli, …, and the MAD MT Investigators: Title"
            km = _RX35.match(t) if title is None and ", " in t and ":" in t else None  # what the pattern needs
            if km:
                fam = [x.strip() for x in _RX36.split(km.group("a")) if x.strip()]
                if all(_RX49.fullmatch(x) or _GROUP.search(x) for x in fam):
                    people = [
                        Person(family="", literal=_RX38.sub("", x)) if _GROUP.search(x) else Person(family=x)
                        for x in fam
                    ]
                    facts.put("authors_struct", (people, False), k + 1)
                    title = (km.group("t").rstrip("."), k + 1)
                    break
            # PubMed's one-line summary: "Raghu Kalluri. Nat Rev Cancer. ." / "Scott A Bergfeld et al. Cancer Metastasis Rev."
            dm = _RX50.match(t) if _summary_shape(t) else None
            if dm:
                listed = _people_from_list(_RX51.sub(" et al.", dm.group("a")))
                if listed and listed[0]:
                    facts.put("authors_struct", listed, k + 1)
                    facts.put("journal_abbrev", dm.group("j").strip(), k + 1)
                    break
    if title and "authors" not in facts.values and "authors_struct" not in facts.values:
        # a citation that starts with the names, then the title ("Lea Berrang-Ford, James D. Ford, Jaclyn
        # Paterson, Are we adapting to climate change?, Global Environmental Change, …")
        tt = title[0]
        journals = [str(facts.values[k][0]) for k in ("journal", "journal_abbrev") if k in facts.values]
        short = _RX52.match(tt)  # the title without a site name run onto it ("… Unit - Journal")
        for k in range(len(lines)):
            t = lines[k]
            at = t.find(tt) if own[k] and k + 1 != title[1] and len(t) > len(tt) + 5 else -1
            if at > 5:
                listed = _people_from_list(t[:at].strip(" ,.:;"))
                if listed and listed[0]:
                    facts.put("authors_struct", listed, k + 1)
                    break
            short_t = short.group("t") if short else None
            t_at = t.find(short_t) if at < 0 and short_t and own[k] and k + 1 != title[1] else -1
            if (at >= 0 or t_at >= 0) and journals:
                # a PDF's first page run into one line: the title, the names, then the journal ("… Building Unit
                # Sandeep Kumar Gupta, …, and Ramaswamy Murugavel J. Am. Chem. Soc., Just Accepted …")
                tail = t[at + len(tt) :] if at >= 0 else t[t_at + len(short_t or "") :]
                cut = min((tail.find(j) for j in journals if j in tail), default=-1)
                listed = _people_from_list(tail[:cut].strip(" ,.:;")) if cut > 5 else None
                if listed and len(listed[0]) >= 2:
                    facts.put("authors_struct", listed, k + 1)
                    break
    if title:
        t, n = title
        # a catalog's statement of responsibility: "The structure of scientific revolutions / Thomas S. Kuhn"
        rm = _RESPONSIBILITY.match(t) if " / " in t else None
        if rm and _people_from_list(rm.group("a").rstrip(".")):
            t = rm.group("t").rstrip(" .:")
        # a site's name run onto the title ("… Building Unit - Journal"): kept only where the page prints the
        # title without it too
        sm = _RX52.match(t)
        if sm and sum(1 for x in lines if sm.group("t") in x) >= 2:
            t = sm.group("t")
        facts.values["title_struct"] = ((t, n), n)


#: per-line results memoised while one page is read (a line is looked at by several rules), cleared after it:
#: nothing carries over from one page to the next
_MEMOISED = (
    _low,
    _people_from_list,
    _name_line,
    _clean_name,
    _fragment,
    _substantial,
    _plain,
    _is_label_line,
    _citation_parts,
    _namey,
    _citation_cached,
)


def add_evidence(page: Lines, rec: Record, origin: str | None = None) -> Facts:
    """Fill in ``rec`` (set only what it lacks) from the evidence the page states."""
    try:
        return _add_evidence(page, rec, origin)
    finally:
        for f in _MEMOISED:
            f.cache_clear()


def _needs(rec: Record) -> frozenset[str]:
    """What the general reader still has to look for, given what a site reader found."""
    need = {"ids"}
    if "title" not in rec:
        need.add("title")
    if "authors" not in rec:
        need.add("authors")
    if "keywords" not in rec:
        need.add("keywords")
    if any(f not in rec for f in ("year", "volume", "issue", "pages")) or (
        "journal" not in rec and "journal_abbrev" not in rec
    ):
        need.add("citation")
    return frozenset(need)


def _add_evidence(page: Lines, rec: Record, origin: str | None = None) -> Facts:
    facts = page_facts(page, _needs(rec))
    fmt = origin or page.format

    made: dict[int, Provenance] = {}

    def src(n: int) -> Provenance:
        # one per line: a Provenance is frozen, so the values from one line share it (each costs a frozen
        # dataclass's slow __init__)
        p = made.get(n)
        if p is None:
            p = made[n] = Provenance(origin="page", file=page.path, line=n or None, format=fmt)
        return p

    v = facts.values
    # a book's series line ("Series: …, v. 2, no. 2") is not a journal's citation
    container = not (rec.get("isbn") and not rec.get("issn")) and rec.get("type") not in (
        "book",
        "edited-book",
        "monograph",
    )
    if not container:
        for name in ("journal", "journal_abbrev", "volume", "issue", "pages", "year", "month"):
            v.pop(name, None)
    st = v["_struct"][0]
    st["known_title"], st["known_authors"] = "title" in rec, "authors" in rec
    _structure(facts, page)
    cite, cite_n = v.get("cite_parts", ({}, 0))
    if not container:
        cite = {}
    for name in ("doi", "pmid", "pmcid", "volume", "issue"):
        if name in v:
            rec.set_if_absent(name, str(v[name][0]), src(v[name][1]))
    if "issn" in v:
        rec.set_if_absent("issn", v["issn"][0], src(v["issn"][1]))
    if "pages" in v:
        rec.set_if_absent("pages", normalize_pages(_RX15.sub("", str(v["pages"][0]))), src(v["pages"][1]))
    if cite and all(str(v[name][0]) == str(cite[name]) for name in ("volume", "issue") if name in v and name in cite):
        # what the page's citation lines left out, from its "Cite this article" line (when they agree)
        for name in ("volume", "issue"):
            if cite.get(name):
                rec.set_if_absent(name, str(cite[name]), src(cite_n))
        if cite.get("pages"):
            rec.set_if_absent("pages", normalize_pages(str(cite["pages"])), src(cite_n))
    if "journal" not in rec and "journal_abbrev" not in rec:
        # the citation line's journal (full or abbreviated, whichever it printed first), else a banner
        found = sorted((v[name][1], name) for name in ("journal", "journal_abbrev") if name in v)
        if found:
            n, name = found[0]
            value = clean_text(str(v[name][0])).strip(" ,;")
            if name == "journal" and _ABBREVIATED.search(value):
                name = "journal_abbrev"  # "Rev. cuba. inf. cienc. salud": an abbreviation, kept as printed
            rec.set(name, value.strip(" .") if name == "journal" else value, src(n))
        elif cite.get("journal"):
            value = clean_text(str(cite["journal"])).strip(" ,;")
            rec.set(
                "journal_abbrev" if _ABBREVIATED.search(value) else "journal",
                value if _ABBREVIATED.search(value) else value.strip(" ."),
                src(cite_n),
            )
        elif "journal_banner" in v:
            rec.set("journal", v["journal_banner"][0], src(v["journal_banner"][1]))
    if "year" not in rec:
        if "year" in v:
            rec.set("year", str(v["year"][0]), src(v["year"][1]))
            if "month" in v:
                rec.set_if_absent("month", v["month"][0], src(v["month"][1]))
        elif cite.get("year"):
            rec.set("year", str(cite["year"]), src(cite_n))
        elif "pub_year" in v:
            rec.set("year", str(v["pub_year"][0]), src(v["pub_year"][1]))
            if "pub_month" in v:
                rec.set_if_absent("month", v["pub_month"][0], src(v["pub_month"][1]))
    if "keywords" in v:
        rec.set_if_absent("keywords", v["keywords"][0][0], src(v["keywords"][1]))
    if "title" not in rec and "title_struct" in v:
        t, n = v["title_struct"][0]
        rec.set("title", t, src(n))
    if "authors" not in rec:
        if "authors" in v:
            rec.set("authors", v["authors"][0], src(v["authors"][1]))
            rec.set_if_absent("authors_complete", True, src(v["authors"][1]))
        elif "cite_title" in v and v["cite_title"][0][1] and v["cite_title"][0][2]:
            # the page's own "How to cite" line, naming every author: stronger than names found by shape
            (_t, people, complete), n = v["cite_title"]
            rec.set("authors", people, src(n))
            rec.set_if_absent("authors_complete", complete, src(n))
        elif "authors_struct" in v:
            (people, etal), n = v["authors_struct"]
            rec.set("authors", people, src(n))
            rec.set_if_absent("authors_complete", not etal, src(n))
        elif "cite_title" in v and v["cite_title"][0][1]:
            (_t, people, complete), n = v["cite_title"]
            rec.set("authors", people, src(n))
            rec.set_if_absent("authors_complete", complete, src(n))
        elif "authors_corr" in v:  # only the corresponding author is named: one author, the list not complete
            rec.set("authors", [v["authors_corr"][0]], src(v["authors_corr"][1]))
            rec.set_if_absent("authors_complete", False, src(v["authors_corr"][1]))
    return facts


def has_evidence(rec: Record, facts: Facts) -> bool:
    v = facts.values
    if any(k in rec for k in ("doi", "pmid", "pmcid")) or "arxiv" in v or "title_label" in v:
        return True
    if "year" in rec and any(k in rec for k in ("volume", "issue", "pages", "journal", "journal_abbrev")):
        return True
    return "title" in rec and ("authors" in rec or v["_struct"][0]["abstract_at"] is not None)


def states_a_page(text: str) -> bool:
    """Does the text hold what only an article's page holds (a keywords label, an abstract heading, a reference
    heading below the page's own lines)? A copy that does is a page, even where its lines hold years enough to
    pass for a reference list (a PDF copy run into one line, a page whose header a numbered list swallowed)."""
    head = text[:20000]
    low = head.lower()
    if not ("key" in low or "abstract" in low or "summary" in low or "refer" in low or not low.isascii()):
        return False
    lines = [clean_text(x) for x in head.splitlines()]
    content = 0
    for i, s in enumerate(lines):
        if not s:
            continue
        kw = _kw_label(s)
        if kw and _keywords(kw.group("kw") or ""):
            return True
        if len(s) < 30 and _ABSTRACT_HEAD.match(s) and _heads_prose(lines, i):
            return True
        if len(s) < 60 and content >= 3 and _REF_HEAD.match(s):
            return True
        content += 1
    return False


class PageReader:
    """Any prose text: a page read by its evidence alone (tried when no site or format reader claims it)."""

    name = "page"

    def match(self, text: str) -> bool:
        return bool(text.strip())

    @staticmethod
    def _cited_works(page: Lines, text: str, path: str) -> ReadResult:
        """A copy that holds only other works (a reference list, a notice): each with a DOI or PMID becomes a
        record of what it states, read as a reference list (line numbers kept); the page itself is not one."""
        from .reflist import ReferenceList  # noqa: PLC0415  (a sibling reader, imported where needed)

        lines = page.cleaned()
        if "10." not in text and "PMID" not in text:
            return ReadResult()
        result = ReferenceList().read(text, path)
        records = [r for r in result.records if r.doi or r.get("pmid")]
        if not records:  # no list shape: each DOI printed is a work the text names
            for n, s in enumerate(lines, 1):
                for doi in find_dois(s) if "10." in s else ():
                    rec = Record(source=page.at(n, "page"))
                    rec.set("doi", doi.split("?")[0], page.at(n, "page"))
                    records.append(rec)
        return ReadResult(records=records)

    def read(self, text: str, path: str) -> ReadResult:
        page = Lines(text, path, self.name)
        rec = Record(source=page.at(1, self.name))
        facts = add_evidence(page, rec)
        if has_evidence(rec, facts):
            return ReadResult(records=[rec])
        cited = self._cited_works(page, text, path)
        if cited.records:
            return cited
        return ReadResult(
            failures=[
                FailedInput(
                    path,
                    "not a recognised input: no bibliographic evidence found (looked for "
                    + ", ".join(EVIDENCE_LOOKED_FOR)
                    + "); if this is "
                    "an export, name its format with --format (ris, medline, csl-json, bibtex, doi-list, references)",
                )
            ]
        )
