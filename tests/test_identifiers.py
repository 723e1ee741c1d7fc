from __future__ import annotations

import pytest

from mscbib.identifiers import (
    find_dois,
    is_valid_doi,
    normalize_doi,
    normalize_isbn,
    normalize_issn,
    normalize_pmcid,
    normalize_pmid,
    rejoin_wrapped_dois,
)


@pytest.mark.parametrize(
    "raw,doi",
    [
        ("10.1186/S40164-025-00688-7", "10.1186/s40164-025-00688-7"),
        ("https://doi.org/10.1186/s40164-025-00688-7", "10.1186/s40164-025-00688-7"),
        ("http://dx.doi.org/10.1007/s10555-010-9222-7.", "10.1007/s10555-010-9222-7"),
        ("doi: 10.1007/s10555-010-9222-7.", "10.1007/s10555-010-9222-7"),
        ("https://doi.org/10.1002%2Fjor.1100150407", "10.1002/jor.1100150407"),
        ("(see 10.1038/ng.3834)", "10.1038/ng.3834"),
        ("10.1890/0012-9658(2006)87[2832:TIOPMA]2.0.CO;2", "10.1890/0012-9658(2006)87[2832:tiopma]2.0.co;2"),
        ("not a doi", None),
        ("", None),
    ],
)
def test_normalize_doi(raw, doi):
    assert normalize_doi(raw) == doi


def test_valid_doi_is_stored_form():
    assert is_valid_doi("10.1038/ng.3834")
    assert not is_valid_doi("https://doi.org/10.1038/ng.3834")
    assert not is_valid_doi("10.12/x")


def test_find_dois_in_order_without_repeats():
    assert find_dois("a 10.1/x? no; 10.1038/NG.3834, then 10.1038/ng.3834 and 10.1186/1471-2164-7-187.") == [
        "10.1038/ng.3834",
        "10.1186/1471-2164-7-187",
    ]


def test_issn_check_digit():
    assert normalize_issn("21623619") == "2162-3619"
    assert normalize_issn("1554-527x") == "1554-527X"
    assert normalize_issn("2162-3618") is None


def test_isbn():
    assert normalize_isbn("9783034887205") == "978-3-0348-8720-5"
    assert normalize_isbn("9783034887206") is None


def test_pubmed_ids():
    assert normalize_pmid("PMID: 020140600") == "20140600"
    assert normalize_pmid("abc") is None
    assert normalize_pmcid("pmc3123456") == "PMC3123456"
    assert normalize_pmcid("3123456") == "PMC3123456"


# -- DOIs a copy broke across lines (synthetic strings in the shapes browser and PDF copies give) -------------
@pytest.mark.parametrize(
    "text,doi",
    [
        ("https://doi.org/10.1016/j.canlet.\n2019.01.023", "10.1016/j.canlet.2019.01.023"),
        ("doi: 10.1002/\nijc.33015", "10.1002/ijc.33015"),
        ("doi: 10.1186/s13287-019-\n1165-5. Epub 2019 Mar 5.", "10.1186/s13287-019-1165-5"),
        ("Cancer Lett. 2019;449:1-9. doi:10.1016/j.canlet\n.2019.01.023", "10.1016/j.canlet.2019.01.023"),
        ("  https://doi.org/10.1111/j.1365-2141.2010.08097.  \n  x\n", "10.1111/j.1365-2141.2010.08097.x"),
        ("doi: 10.1016/\nj.stem.\n2020.05.009", "10.1016/j.stem.2020.05.009"),  # wrapped twice
        (
            "10.1002/(SICI)1097-0142(\n19990101)85:1<1::AID-CNCR1>3.0.CO;2-#",
            "10.1002/(sici)1097-0142(19990101)85:1<1::aid-cncr1>3.0.co;2-#",
        ),
    ],
)
def test_wrapped_doi_rejoined(text, doi):
    assert find_dois(text) == [doi]
    assert normalize_doi(text[text.index("10.") :]) == doi


@pytest.mark.parametrize(
    "text",
    [
        "doi: 10.1002/ijc.33015.\nThe authors declare no competing interests.",  # a sentence follows
        "https://doi.org/10.1002/ijc.33015\nReceived: 3 March 2020",  # no break character at the wrap
        "doi: 10.1002/ijc.33015.\nPMID: 32100001",  # a label
        "SO  - Int J Cancer. 2020;147:1-9. doi: 10.1002/ijc.33015.\nPMID- 32100001",  # a MEDLINE tag
        "1. Smith J. Title. doi:10.1002/ijc.33015.\n2. Jones K. Another title.",  # the next numbered reference
        "doi: 10.1002/ijc.33015.\n2019 Mar 5;10(1):80.",  # a year and a date
        "doi: 10.1002/ijc.33015.\n10.1038/ng.3834",  # another DOI
        "doi: 10.1002/ijc.33015.\nhttps://example.org/x1",  # a URL
        "doi: 10.1002/ijc.33015.\n\n2020.01.023",  # a blank line between
        "doi: 10.1002/ijc.33015.\n[2] Jones K. Another title.",
    ],
)
def test_doi_at_line_end_not_joined_with_what_follows(text):
    assert rejoin_wrapped_dois(text) == text
    assert "10.1002/ijc.33015" in find_dois(text)


def test_rejoin_keeps_line_count_and_the_rest_of_the_line():
    text = "Title line\ndoi: 10.1016/j.canlet.\n2019.01.023. PMID: 30684591.\nnext"
    out = rejoin_wrapped_dois(text)
    assert out.splitlines() == ["Title line", "doi: 10.1016/j.canlet.2019.01.023.", "PMID: 30684591.", "next"]


@pytest.mark.parametrize(
    "text,doi",
    [
        (
            "10.1002/(SICI)1097-0142(19990101)85:1<1::AID-CNCR1>3.0.CO;2-#",
            "10.1002/(sici)1097-0142(19990101)85:1<1::aid-cncr1>3.0.co;2-#",
        ),
        (
            "doi:10.1002/(SICI)1097-4636(199603)30:3<353::AID-JBM9>3.0.CO;2-Q.",
            "10.1002/(sici)1097-4636(199603)30:3<353::aid-jbm9>3.0.co;2-q",
        ),
        (
            "(https://doi.org/10.1002/(SICI)1097-4636(199603)30:3<353::AID-JBM9>3.0.CO;2-Q)",
            "10.1002/(sici)1097-4636(199603)30:3<353::aid-jbm9>3.0.co;2-q",
        ),
        ("<https://doi.org/10.1038/ng.3834>", "10.1038/ng.3834"),
        ("10.1038/ng.3834<", "10.1038/ng.3834"),
    ],
)
def test_sici_doi_read_whole(text, doi):
    assert normalize_doi(text) == doi
    assert find_dois(f"See {text} for details.") == [doi]


def test_isbn_hyphenation_is_stdnum_s():
    """normalize_isbn looks stdnum's ISBN range table up by bisection (its own scan took ~0.3 ms an ISBN): the
    same text as ``stdnum.isbn.format(convert=True)`` for random ISBN-10s and -13s and for numbers at every
    range's ends of the group level and of the registrant levels below (overlapping ranges merged as stdnum does)."""
    import random

    from stdnum import ean, numdb
    from stdnum import isbn as stdnum_isbn

    r = random.Random(16)
    bodies = [r.choice(["978", "979"]) + "".join(r.choice("0123456789") for _ in range(9)) for _ in range(2000)]
    for _length, low, _high, _props, groups in numdb.get("isbn").prefixes:  # 978, 979
        for _l, g_low, g_high, _p, registrants in groups:
            for g in {g_low, g_high}:
                bodies += [(low + g + "".join(r.choice("0123456789") for _ in range(9)))[:12]]
                for _l2, r_low, r_high, _p2, _k in registrants[:: max(1, len(registrants) // 8)]:
                    bodies += [(low + g + x).ljust(12, fill)[:12] for x in (r_low, r_high) for fill in "09"]
    numbers = [b + ean.calc_check_digit(b) for b in bodies]
    tens = ["".join(r.choice("0123456789") for _ in range(9)) for _ in range(300)]
    numbers += [t + stdnum_isbn._calc_isbn10_check_digit(t) for t in tens]
    assert len(numbers) > 3000
    normalize_isbn.cache_clear()
    for number in numbers:
        assert normalize_isbn(number) == stdnum_isbn.format(number, convert=True), number
