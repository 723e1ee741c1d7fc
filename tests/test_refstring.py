"""Seed 002's printed reference list, parsed exactly."""

from __future__ import annotations

from mscbib.sources import read_file
from mscbib.sources.refstring import parse_reference, strip_link_markers
from conftest import SEEDS

EXPECTED = [
    (["Hass", "Kasper", "Böhm", "Jacobs"], True,
     "Different populations and sources of human mesenchymal stem cells (MSC): A comparison of adult and "
     "neonatal tissue-derived MSC", "Cell Commun Signal", "2011", "9", None, "12"),
    (["Jin", "Bae", "Kim", "Kwon", "Jeon", "Choi"], False,
     "Comparative analysis of human mesenchymal stem cells from bone marrow, adipose tissue, and umbilical cord "
     "blood as sources of cell therapy", "Int J Mol Sci", "2013", "14", None, "17986--18001"),
    (["Phinney", "Sensebé"], True, "Mesenchymal stromal cells: misconceptions and evolving concepts",
     "Cytotherapy", "2013", "15", None, "140--145"),
    (["Oswald", "Boxberger", "Jørgensen", "Feldmann", "Ehninger", "Bornhäuser"], False,
     "Mesenchymal stem cells can be differentiated into endothelial cells in vitro", "Stem Cells", "2004", "22",
     None, "377--384"),
    (["Portalska", "Groen", "Krenning", "Georgi", "Mentink", "Harmsen"], False,
     "The effect of donor variation and senescence on endothelial differentiation of human mesenchymal stromal "
     "cells", "Tissue Eng Part A", "2013", "19", None, "2318--2329"),
]


def test_seed_002_references_parse_exactly():
    refs = read_file(SEEDS / "002_e98953a2bc270a0f.txt").records[0].references
    got = [([a.family for a in r.authors], r.authors_complete, r.title, r.journal, r.year, r.volume, r.issue,
            r.pages) for r in refs]
    assert got == EXPECTED


def test_initials_become_given_names():
    ref = parse_reference("1. Jin HJ, Bae YK. A title. Int J Mol Sci. 2013;14(3):17986-8001. - PMC - PubMed")
    assert [(a.family, a.given) for a in ref.authors] == [("Jin", "H. J."), ("Bae", "Y. K.")]
    assert ref.issue == "3"
    assert ref.text == "Jin HJ, Bae YK. A title. Int J Mol Sci. 2013;14(3):17986-8001."


def test_link_markers_are_not_text():
    assert strip_link_markers("X. Y. 2011;9:12. - DOI - PMC - PubMed") == ("X. Y. 2011;9:12.", ["DOI", "PMC", "PubMed"])


def test_unparseable_reference_keeps_its_text_and_invents_nothing():
    ref = parse_reference("World Health Organization report on something, unpublished")
    assert ref.text == "World Health Organization report on something, unpublished"
    assert ref.authors == [] and ref.title is None and ref.year is None and ref.doi is None


def test_printed_doi_and_pmid_are_kept():
    ref = parse_reference("Smith J. Title here. J Foo. 2020;1:2-3. doi: 10.1000/xyz.1. PMID: 12345678")
    assert ref.doi == "10.1000/xyz.1" and ref.pmid == "12345678"
