"""The format detection's and the page reader's cheap tests (issue 13's speed work) decide what the plain checks
they stand before decide: a text without "@" is no BibTeX, a line of three words without a colon is no
identifier, a search started from a C-level find of what its pattern must hold finds what the whole search
finds. Synthetic strings (a fixed seed; hypothesis where the space of strings is wide), made from the pieces
these checks care about."""

from __future__ import annotations

import math
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from mscbib.sources import bibtex, idlist

_ID_PIECES = [
    *("10.1000/x", "doi:", "DOI: ", "PMID", "pmid:", "PMC123456", "arXiv:2101.00001", "hep-th/9901001"),
    *("https://doi.org/", "%2F", " ", "  ", "\t", ".", ",", ";", ":", "#", "\ufeff", "a", "word", "12345678"),
    *(" ", " ", " the ", "word", "10.1000/y", " .", " ;", "\u2003", "\xa0"),
]


def _strings(pieces: list[str], seed: int, n: int = 5000):
    rnd = random.Random(seed)
    for _ in range(n):
        yield "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 10)))


def test_a_line_of_three_words_without_a_colon_is_never_an_identifier():
    prose = 0
    for s in _strings(_ID_PIECES, 11, 20000):
        for line in filter(None, map(idlist._content, s.splitlines())):
            if idlist._prose(line):
                prose += 1
                assert idlist.parse_identifier(line) is None, line
    assert prose > 500  # the strings do hold such lines: the check is not made on misses alone


@given(st.lists(st.sampled_from(_ID_PIECES + ["\n", "\r\n", "# note"]), max_size=40).map("".join))
@settings(max_examples=400, deadline=None)
def test_the_identifier_lists_lines_are_the_content_lines(text):
    assert [s for s in map(idlist._content, text.splitlines()) if s] == [s for _, s in idlist._content_lines(text)]


@given(st.lists(st.sampled_from(["@", "article", "{", "(", "x,", " ", "\t", "\n", "%", "comment", "a"])).map("".join))
@settings(max_examples=400, deadline=None)
def test_a_text_without_an_at_sign_is_refused_as_the_patterns_refuse_it(text):
    header = bibtex._HEADER.match(text)
    head = text[header.end() : header.end() + 20000]
    plain = bool(bibtex._ENTRY_START.search(head)) and bool(bibtex._FIRST_ENTRY.search(head))
    assert bibtex.BibtexFile().match(text) == plain


def test_a_bibtex_entry_is_still_recognised_after_the_at_sign_test():
    assert bibtex.BibtexFile().match("% header\n\n  @article{key,\n  title = {T}\n}\n")
    assert not bibtex.BibtexFile().match("mail me: someone@example.org, {not an entry}")


_GATED_PIECES = [
    *("University", "Universität", "Dept", "Department", "Centre", "UK", "USA", "U.S.A.", "South Africa", "México"),
    *("Group", "group", "consortium", "Collaborative", "Team", "xGroup", "Group_", "et al", "et alia", "@", "http"),
    *(
        "https://",
        "doi",
        "DOI",
        "dOi",
        "doi.org/",
        "10.",
        "10.1000/x",
        ": ",
        "：",
        "1999",
        "(2020)",
        "(1999a)",
        "2019;",
    ),
    *(
        "2018.",
        "2017,",
        "20",
        "19",
        "(",
        ")",
        " ",
        "  ",
        ",",
        ".",
        ":",
        ";",
        "a",
        "Z",
        "1",
        "_",
        "é",
        "İ",
        "ı",
        "\u212a",
    ),
]


def _gated_patterns():
    from mscbib.sources import _common, page, reflist

    found = [(m.__name__, k, v) for m in (page, reflist) for k, v in vars(m).items() if isinstance(v, _common.Gated)]
    assert len(found) >= 6
    return found


@given(st.lists(st.sampled_from(_GATED_PIECES), max_size=14).map("".join))
@settings(max_examples=500, deadline=None)
def test_a_gated_search_finds_what_the_plain_search_finds(s):
    import re

    for _module, _name, gated in _gated_patterns():
        plain = re.compile(gated.pattern, gated.flags)
        for pos in (0, 1, 3):
            a, b = gated.search(s, pos), plain.search(s, pos)
            assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), (gated.pattern[:40], s, pos)


def test_the_gated_patterns_find_their_words_at_all():
    hits = {name: 0 for _m, name, _g in _gated_patterns()}
    for s in _strings(_GATED_PIECES, 5, 4000):
        for _m, name, gated in _gated_patterns():
            hits[name] += gated.search(s) is not None
    assert all(n > 20 for n in hits.values()), hits  # the comparison above is not made between misses alone


def test_a_pmcid_line_holds_pmc_once_lower_cased():
    from mscbib.sources import pubmed

    pieces = ["PMCID:", "pmcid:", "PmCİD:", "PMCıD:", "PMC", "123456", "PMC123", " ", "\t", "x", "İ"]
    matched = 0
    for s in _strings(pieces, 3, 8000):
        if pubmed._PMCID_LINE.search(s):
            matched += 1
            assert "pmc" in s.lower(), s
    assert matched > 50


@given(
    st.lists(st.sampled_from(["1", "9", "0", "a", " ", "²", "٣", "߀", "①", "x1", "é", "1.5"]), max_size=30).map("".join)
)
@settings(max_examples=300, deadline=None)
def test_the_digits_of_a_line_are_counted_as_isdigit_counts_them(s):
    from mscbib.sources import page

    assert page._digits(s) == sum(map(str.isdigit, s))


def test_the_grouped_markers_are_counted_as_each_marker_is():
    from mscbib.sources import catalog, landing

    for markers in (catalog._MARKER_SET, landing._MARKER_SET):
        pieces = [*markers.phrases, *markers.ANCHORS, " ", ":", "x", "details", "cite", "online"]
        pieces += [p[: len(p) // 2] for p in markers.phrases] + [p[len(p) // 2 :] for p in markers.phrases]
        counted = 0
        for s in _strings(pieces, 17, 3000):
            plain = sum(p in s for p in markers.phrases)
            assert markers.count(s) == plain, s
            counted += plain >= 2
        assert counted > 100


@given(
    st.lists(st.sampled_from(_ID_PIECES + ["\n", "\n", "\n", "# note", "10.1000/abc\n", "PMID: 123\n"]), max_size=60)
)
@settings(max_examples=500, deadline=None)
def test_an_identifier_list_is_recognised_as_its_line_count_says(pieces):
    text = "".join(pieces)
    lines = [s for _, s in idlist._content_lines(text[:20000])]
    misses = sum(1 for s in lines if len(s) > 120 or not idlist.parse_identifier(s))
    plain = bool(lines) and misses <= len(lines) - max(1, math.ceil(0.8 * len(lines)))
    assert idlist.IdentifierList().match(text) == plain


def test_a_list_of_identifiers_is_still_one_and_a_page_is_not():
    ids = "10.1000/a\n\n10.1000/b\nPMID: 123\nPMC123456\narXiv:2101.00001\n10.1000/c\n"
    assert idlist.IdentifierList().match("# my list\n" + ids + "some note here\n")  # 1 miss in 7: allowed
    page = "A title of an article\nBy Some Author and Another One\n" + "Prose of the abstract goes on here.\n" * 30
    assert not idlist.IdentifierList().match(page + "10.1000/a\n")


_NAME_PIECES = [
    *("Smith", "John", "Maria", "da", "de", "van", "von", "della", "dell", "to", "main", "the", "The", "Details"),
    *("details", "journal", "Journal", "Ruiz", "Łukasz", "Ōno", "ā", "王", "小明", "김민수", "A.", "J", "AB", "-", "–"),
    *(
        " ",
        "  ",
        "\t",
        "\xa0",
        "\u3000",
        ",",
        ", ",
        ";",
        "*",
        "#",
        "†",
        "1",
        "1,2",
        "a",
        " a, b",
        " b",
        ".",
        "...",
        ":",
    ),
    *("(", ")", "/", "|", "&", "@", "x@y.org", "https://x.org", "://", "• ", "- ", "1. ", "12. ", "Jean-pierre"),
    *("Fox-Robichaud", "-Smith", "d'", "O'Neil", "et al.", "Tập", "ſ", "İ", "\u212a"),
]


def _name_lines(seed: int, n: int):
    rnd = random.Random(seed)
    for _ in range(n):
        yield "".join(rnd.choice(_NAME_PIECES) for _ in range(rnd.randint(1, 7))).strip()


@given(st.lists(st.sampled_from(_NAME_PIECES), min_size=1, max_size=9).map(lambda p: "".join(p).strip()))
@settings(max_examples=600, deadline=None)
def test_a_line_told_no_name_line_by_the_cheap_test_is_none_to_the_name_test(t):
    from mscbib.sources import page

    assert not page._no_name(t) or page._line_name(t) is None, t


def test_the_cheap_name_test_passes_over_most_lines_and_keeps_every_name():
    from mscbib.sources import page

    told = names = 0
    for t in _name_lines(29, 20000):
        if page._no_name(t):
            told += 1
            assert page._line_name(t) is None, t
        names += page._line_name(t) is not None
    assert told > 8000 and names > 500  # both kinds are made: the check is not made on one kind alone
    for t in ("John Smith", "• Maria da Silva1,2", "Ludwig von,", "Ruiz Gómez a, b", "Jean-pierre Smith*", "王 小明"):
        assert not page._no_name(t) and page._name_line(t), t


def test_the_cheap_name_test_keeps_what_the_name_test_says_on_the_real_pages(shared):
    from mscbib.sources import page
    from mscbib.sources.base import Lines

    pages = sorted((shared / "real-pages" / "pages").glob("*.txt"))
    if not pages:
        import pytest

        pytest.skip("no real pages in the shared folder")
    for p in pages:
        for t in Lines(p.read_text(encoding="utf-8"), p.name, "page").cleaned():
            if t and page._no_name(t):
                assert page._line_name(t) is None, (p.name, t)


@given(st.lists(st.sampled_from(_NAME_PIECES + ["AB", "ÅØ", "Ž", "\n", "J.", "Nat Med", "2019", ". "]), max_size=9))
@settings(max_examples=600, deadline=None)
def test_the_initials_and_summary_tests_refuse_only_what_their_patterns_refuse(pieces):
    from mscbib.sources import page

    t = "".join(pieces)
    assert (
        page._vanc_name(t) == page._VANC_NAME.match(t) or page._vanc_name(t).span() == page._VANC_NAME.match(t).span()
    )
    assert page._summary_shape(t) or page._RX50.match(t) is None, t


def test_the_initials_and_summary_tests_let_their_lines_through():
    from mscbib.sources import page

    for t in ("Zhou P", "Jørgensen SÆ", "Souza de Lima Ž", "Smith AB\n"):
        assert page._vanc_name(t) is not None, t
    for t in ("Raghu Kalluri. Nat Rev Cancer. .", "Scott A Bergfeld et al. Cancer Metastasis Rev."):
        assert page._summary_shape(t) and page._RX50.match(t), t
