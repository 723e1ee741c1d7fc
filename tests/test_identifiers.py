from __future__ import annotations

import pytest

from mscbib.identifiers import (find_dois, is_valid_doi, normalize_doi, normalize_isbn, normalize_issn,
                                normalize_pmcid, normalize_pmid)


@pytest.mark.parametrize("raw,doi", [
    ("10.1186/S40164-025-00688-7", "10.1186/s40164-025-00688-7"),
    ("https://doi.org/10.1186/s40164-025-00688-7", "10.1186/s40164-025-00688-7"),
    ("http://dx.doi.org/10.1007/s10555-010-9222-7.", "10.1007/s10555-010-9222-7"),
    ("doi: 10.1007/s10555-010-9222-7.", "10.1007/s10555-010-9222-7"),
    ("https://doi.org/10.1002%2Fjor.1100150407", "10.1002/jor.1100150407"),
    ("(see 10.1038/ng.3834)", "10.1038/ng.3834"),
    ("10.1890/0012-9658(2006)87[2832:TIOPMA]2.0.CO;2", "10.1890/0012-9658(2006)87[2832:tiopma]2.0.co;2"),
    ("not a doi", None),
    ("", None),
])
def test_normalize_doi(raw, doi):
    assert normalize_doi(raw) == doi


def test_valid_doi_is_stored_form():
    assert is_valid_doi("10.1038/ng.3834")
    assert not is_valid_doi("https://doi.org/10.1038/ng.3834")
    assert not is_valid_doi("10.12/x")


def test_find_dois_in_order_without_repeats():
    assert find_dois("a 10.1/x? no; 10.1038/NG.3834, then 10.1038/ng.3834 and 10.1186/1471-2164-7-187.") == [
        "10.1038/ng.3834", "10.1186/1471-2164-7-187"]


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
