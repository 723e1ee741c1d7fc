from __future__ import annotations

from mscbib.enrich.match import choose, verify
from mscbib.model import Person, Provenance, Record

SRC = Provenance("page")


def rec(doi=None, **fields):
    r = Record(source=SRC)
    if doi:
        r.set("doi", doi, SRC)
    for k, v in fields.items():
        r.set(k, v, SRC)
    return r


PAGE = rec(
    title="Mesenchymal Stromal Cells' Role in Tumor Microenvironment: Involvement of Signaling Pathways",
    authors=[Person("Kamdje", "Armel Herve Nwabo")],
    journal_abbrev="Cancer Biol Med",
    volume="14",
    pages="129--141",
)
TRUE = rec(
    "10.1/true",
    title="Mesenchymal stromal cells' role in tumor microenvironment: involvement of signaling pathways",
    authors=[Person("Nwabo Kamdje", "Armel Herve")],
    journal="Cancer Biology & Medicine",
    journal_abbrev="Cancer Biol Med",
    volume="14",
    pages="129--141",
    year="2017",
)


def test_true_match_is_accepted_with_reasons():
    c = verify(PAGE, TRUE)
    assert c.accepted
    assert c.agree == ["volume", "first page", "first author", "journal"] and c.contradict == []


def test_similar_title_but_other_volume_is_rejected():
    other = rec("10.1/other", title=TRUE.title, volume="15", pages="129--141", journal_abbrev="Cancer Biol Med")
    c = verify(PAGE, other)
    assert not c.accepted and c.contradict == ["volume"]


def test_title_alone_is_not_enough():
    bare = rec(title=PAGE.title)
    assert not verify(bare, TRUE).accepted


def test_two_verified_candidates_are_ambiguous():
    twin = rec("10.1/twin", **{k: v.value for k, v in TRUE.values.items() if k != "doi"})
    result = choose(PAGE, [TRUE, twin])
    assert result.ambiguous and result.accepted is None


def test_year_tolerates_online_first():
    page = rec(title=TRUE.title, year="2016", volume="14", pages="129--141")
    assert verify(page, TRUE).accepted
    page = rec(title=TRUE.title, year="2014", volume="14", pages="129--141")
    assert not verify(page, TRUE).accepted


def test_an_iso4_abbreviation_agrees_with_the_full_journal_title():
    from mscbib.enrich.match import abbreviates, journal_agrees

    assert abbreviates("J Orthop Res", "Journal of Orthopaedic Research")
    assert abbreviates("Cancer Biol. Med.", "Cancer Biology & Medicine")
    assert not abbreviates("J Orthop Res", "Journal of Orthodontic Reviews and Surgery")
    assert not abbreviates("Bone", "Bone")
    page = rec(journal="J Orthop Res")
    assert journal_agrees(page, rec(journal="Journal of Orthopaedic Research")) is True
    assert journal_agrees(page, rec(journal="Journal of Gerontology")) is False
