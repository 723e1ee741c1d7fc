"""The page readers' shortcuts (issue 13's speed work) give what the plain patterns give: a search started at a
label's first word finds what a search of the whole line finds, an anchored pattern's first-character test
passes over only lines it cannot match, the guard before the letter-marks pattern never skips a line it would
change, and the last word of a line is where the old pattern found it. Synthetic strings, made from the pieces
these patterns care about (labels, digits, punctuation, letters outside ASCII whose case folding is not
``lower``: "ſ", "ı", "İ", the Kelvin sign), a fixed seed."""

from __future__ import annotations

import random
import re

import pytest

from mscbib.identifiers import _last_word_start
from mscbib.sources import page as P
from mscbib.sources.base import Lines
from mscbib.text import clean_lines, clean_text

_PIECES = [
    *("Vol", "vol.", "Volume", "V.", "v.1", "Band", "Bd.", "Jg", "Tome", "Svazek", "Том", "卷"),
    *("No", "no.", "Nr", "Issue", "Number", "Num", "Heft", "Ausgabe", "№", "Article ", "article "),
    *("Published", "published online", "Publication Date", "Date of Web Publication", "First published"),
    *("Available online", "Epub", "EPUB", "Erschienen", "publié", "Date de publication", "by Elsevier"),
    *(" ", "12", "3", "2020", ":", "(", ")", "/", ".", ",", "-", "–", "’", "x", "a", "Jan"),
    *("ſ", "ı", "İ", "\u212a", "é", "\u1c80"),
]


def _strings(seed: int, n: int = 6000):
    rnd = random.Random(seed)
    for _ in range(n):
        yield "".join(rnd.choice(_PIECES) for _ in range(rnd.randint(1, 9)))


def _same(a: re.Match[str] | None, b: re.Match[str] | None) -> bool:
    return (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict()))


@pytest.mark.parametrize(
    "rx, words",
    [(P._VOL, P._VOL_WORDS), (P._ISS, P._ISS_WORDS), (P._PUBLISHED, P._PUBLISHED_WORDS)],
    ids=["volume", "issue", "published"],
)
def test_a_label_search_from_its_first_word_finds_what_a_whole_search_finds(rx, words):
    found = 0
    for s in _strings(13):
        low = s.lower()
        whole, short = rx.search(s), rx.search(s, P._first_word(s, low, words))
        assert _same(whole, short), s
        found += whole is not None
    assert found > 50  # the strings do hold labels: the comparison is not between two misses


def test_the_first_word_of_a_line_with_letters_outside_ascii_is_not_trusted():
    assert P._first_word("Vol. 12", "vol. 12", P._VOL_WORDS) == 0
    assert P._first_word("x – Vol. 12", "x – vol. 12", P._VOL_WORDS) == 4  # a dash is no letter
    assert P._first_word("Éditions Vol. 12", "éditions vol. 12", P._VOL_WORDS) == 0
    # "ſ" is "s" to a case-blind pattern, not to lower(): "Firſt published" is found where lower() sees no "first"
    s = "Firſt published: 2020"
    assert P._PUBLISHED.search(s).start() == 0
    assert P._first_word(s, s.lower(), P._PUBLISHED_WORDS) == 0
    assert _same(P._PUBLISHED.search(s, P._first_word(s, s.lower(), P._PUBLISHED_WORDS)), P._PUBLISHED.search(s))


def test_an_anchored_pattern_passes_over_only_lines_it_cannot_match():
    anchored = [v for v in vars(P).values() if isinstance(v, P._Anchored)]
    assert len(anchored) >= 5
    for a in anchored:
        for cp in list(range(0x250)) + list(range(0x400, 0x460)) + [0x1E9E, 0x212A, 0x2116, 0x4E00, 0x53C2, 0xCC38]:
            s = chr(cp) + "x"
            plain = a._rx.match(s) if s[:1].lower() in a._firsts else None
            assert (plain is None) == (a.match(s) is None), (a.pattern[:30], hex(cp))
        assert a.match("") is None


def test_the_letter_marks_guard_never_skips_a_line_the_pattern_changes():
    rnd = random.Random(7)
    pieces = ["a", "z", "B", "1", ",", " ", "\t", "*", "\xa0", "é", "\u2003", ".", "Ruiz", " a, b"]
    changed = 0
    for _ in range(6000):
        t = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 10)))
        if P._RX46.search(t):
            changed += 1
            assert P._ends_on_letter_marks(t), repr(t)
    assert changed > 200


def test_the_last_word_of_a_line_is_where_the_pattern_found_it():
    last_word = re.compile(r"""[^\s"']*[ \t\r]*\Z""")
    rnd = random.Random(11)
    pieces = ["a", "1", ".", "/", " ", "\t", "\r", '"', "'", "\xa0", "\x0c", "\u2003", "é", "<", "\x1f", "\x85"]
    for _ in range(6000):
        line = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 20)))
        lo = rnd.randint(0, len(line))
        m = last_word.search(line, lo)
        assert _last_word_start(line, lo) == (m.start() if m else len(line)), (line, lo)


def test_the_lines_of_a_page_are_cleaned_each_as_clean_text_cleans_it():
    # clean_lines trims an ASCII line with nothing to fold or decode without calling clean_text: the same result
    rnd = random.Random(17)
    pieces = ["a", "Z", "1", " ", "  ", "\t", "&amp;", "&#10;", "&eacute;", "&", "\xa0", "\u2003", "\u3000", "é"]
    pieces += ["e\u0301", "\ufb01", "\u00ad", "\u200b", "\ufeff", ";", "#"]
    lines = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 8))) for _ in range(6000)]
    assert clean_lines(lines) == [clean_text(x) for x in lines]
    assert sum(1 for x in lines if x.isascii() and x.strip() == x and "&" not in x and "  " not in x) > 200


def test_a_line_cleaned_stays_on_its_line():
    # an entity that decodes to a line break ("&#10;") with blank lines after it: cleaning the joined text moved
    # every line below it up by one (its result was still as long as the page, so the fallback never ran)
    text = "Title&#10;of the page\nDOI: 10.1000/x\n\n"
    cleaned = Lines(text, "p.txt", "page").cleaned()
    assert cleaned == ["Title\nof the page", "DOI: 10.1000/x", ""]
    assert cleaned == [clean_text(x) for x in text.splitlines()]


def test_the_real_pages_are_cleaned_line_by_line(shared):
    pages = sorted((shared / "real-pages" / "pages").glob("*.txt"))
    if not pages:
        pytest.skip("no real pages in the shared folder")
    for p in pages:
        lines = p.read_text(encoding="utf-8").splitlines()
        assert clean_lines(lines) == [clean_text(x) for x in lines], p.name


_WORDY = [
    *("Keywords", "key words", "KEY", "Palabras clave", "Palavras-chave", "Kata kunci", "Parole chiave", "Mots-clés"),
    *("Schlüsselwörter", "Ключові слова", "关键词", ":", "：", " ", "  ", ",", "a", "The", "the", "Of"),
    *("https://x", "HTTP://", "@", "DOI", "doi", "Issn", "ET AL", "logoLink to", "LOGOLINK TO", "et al."),
    *("Group", "group", "Consortium", "consortium", "Collaborators", "Network", "Investigators", "Team", "Society"),
    *(" and ", " & ", " und ", " y ", " et ", " e ", " and the ", " for the ", "Smith", "J", ";"),
    *("ſ", "ı", "İ", "\u212a", "é", "\xa0", "\u3000", "–"),
]


def test_the_gated_patterns_find_what_their_patterns_find():
    rnd = random.Random(23)
    found = {"kw": 0, "not_title": 0}
    for _ in range(8000):
        s = "".join(rnd.choice(_WORDY) for _ in range(rnd.randint(1, 8)))
        assert _same(P._kw_label(s), P._KW_LABEL.search(s)), s
        assert _same(P._kw_search(s, s.lower()), P._KW_LABEL.search(s)), s
        assert P._not_title(s) == (P._NOT_TITLE.search(s) is not None), s
        found["kw"] += P._KW_LABEL.search(s) is not None
        found["not_title"] += P._NOT_TITLE.search(s) is not None
    assert min(found.values()) > 100, found  # each pattern does match: not a comparison of misses


def test_a_name_list_is_split_as_the_patterns_split_it():
    # _people_from_list runs its "and" patterns only where their words stand between single spaces
    rnd = random.Random(29)
    names = ["Smith J", "Ann Lee", "the GTEx Consortium", "John Smith", "Jones AB", "Ruiz1,2", "Zhou P"]
    joins = [", ", " and ", " & ", ", and ", " and the ", " for the ", " y ", " et ", " e ", "; ", " und "]
    for _ in range(3000):
        k = rnd.randint(1, 4)
        s = "".join(rnd.choice(names) + (rnd.choice(joins) if i < k - 1 else "") for i in range(k))
        plain = P._RX19.sub(", ", P._RX18.sub(", ", s))
        gated = P._RX18.sub(", ", s) if any(map(s.__contains__, P._AND_WORDS)) else s
        gated = P._RX19.sub(", ", gated) if " and the " in gated or " for the " in gated else gated
        assert gated == plain, s


@pytest.mark.parametrize(
    "rx, words",
    [(P._VOL, P._VOL_WORDS), (P._ISS, P._ISS_WORDS), (P._PUBLISHED, P._PUBLISHED_WORDS)],
    ids=["volume", "issue", "published"],
)
def test_a_label_pattern_tried_at_its_words_finds_what_a_search_finds(rx, words):
    found = 0
    for s in _strings(31):
        low = s.lower()
        assert _same(P._label_search(rx, s, low, words), rx.search(s)), s
        found += rx.search(s) is not None
    assert found > 50


@pytest.mark.parametrize(
    "rx, run", [(P._MARKS, P._MARKS_RUN), (P._RX13, P._LETTER_MARKS_RUN), (P._RX46, P._LETTER_MARKS_RUN)]
)
def test_a_pattern_anchored_at_the_end_removes_what_its_sub_removes(rx, run):
    rnd = random.Random(37)
    pieces = ["Ruiz", "Smith", "a", "b", "z", " ", ", ", ",", "1", "2,3", "*", "#", "†", "\t", "\n", "é", "ab", "-"]
    changed = 0
    for _ in range(6000):
        t = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 9)))
        assert P._sub_at_end(rx, t, run) == rx.sub("", t), repr(t)
        changed += rx.sub("", t) != t
    assert changed > 150  # the pattern does remove something: not a comparison of strings left alone
