"""Every real Crossref response in ../shared/crossref-samples maps through the same code as live
answers; several are checked field by field against values read by hand from the JSON."""

from __future__ import annotations

import json

import pytest

from mscbib.keys import assign_keys
from mscbib.services.crossref.client import CrossrefClient
from mscbib.services.crossref.mapping import record_from_work, update_relations
from mscbib.testing.crossref_standin import CrossrefStandIn
from mscbib.writers.bibtex import entry_from_record


def _messages(shared):
    for path in sorted((shared / "crossref-samples").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        message = data.get("message")
        if data.get("message-type") == "work":
            yield path.name, message
        elif data.get("message-type") == "work-list":
            for i, item in enumerate(message["items"]):
                yield f"{path.name}[{i}]", item


def test_every_sample_work_maps_and_writes(shared):
    count = 0
    for name, work in _messages(shared):
        rec = record_from_work(work)
        assert rec.doi == work["DOI"].lower(), name
        assert rec.source.origin == "crossref"
        assign_keys([rec])
        entry = entry_from_record(rec)  # every mapped work can be written
        assert entry.key
        count += 1
    assert count >= 170  # 56 single works and the items of the work lists


HAND_CHECKED = {
    "work-10.1002_jor.1100150407.json": dict(
        title="Growth hormone secretagogue increases muscle strength during remobilization after canine hindlimb "
        "immobilization",
        first=("Lieber", "Richard L."),
        n_authors=12,
        journal="Journal of Orthopaedic Research",
        year="1997",
        month=7,
        volume="15",
        issue="4",
        pages="519--527",
        issn=["0736-0266", "1554-527X"],
    ),
    "work-10.1103_physrevlett.120.117701.json": dict(
        title="Prediction of a Large-Gap and Switchable Kane-Mele Quantum Spin Hall Insulator",
        first=("Marrazzo", "Antimo"),
        journal="Physical Review Letters",
        journal_abbrev="Phys. Rev. Lett.",
        year="2018",
        volume="120",
        issue="11",
        pages="117701",
    ),  # an article number stands for the pages
    "work-10.1038_ng.3834.json": dict(
        title="The impact of structural variation on human gene expression",
        first=("Chiang", "Colby"),
        journal="Nature Genetics",
        journal_abbrev="Nat Genet",
        year="2017",
        volume="49",
        issue="5",
        pages="692--699",
    ),
    "work-10.1007_978-3-0348-8720-5_13.json": dict(
        type="book-chapter",
        isbn=["978-3-0348-9742-6", "978-3-0348-8720-5"],
        year="1999",
        pages="113--118",
        journal="Hyperbolic Problems: Theory, Numerics, Applications",
    ),
}


@pytest.mark.parametrize("filename", sorted(HAND_CHECKED))
def test_hand_checked_fields(shared, filename):
    work = json.loads((shared / "crossref-samples" / filename).read_text(encoding="utf-8"))["message"]
    rec = record_from_work(work)
    expected = dict(HAND_CHECKED[filename])
    first = expected.pop("first", None)
    n_authors = expected.pop("n_authors", None)
    if first:
        assert (rec.authors[0].family, rec.authors[0].given) == first
    if n_authors:
        assert len(rec.authors) == n_authors
    for name, value in expected.items():
        assert rec.get(name) == value, name


def test_organisation_author_is_one_literal_name(shared):
    work = json.loads((shared / "crossref-samples" / "work-10.1038_ng.3834.json").read_text())["message"]
    literals = [p.literal for p in record_from_work(work).authors if p.literal]
    assert literals == ["GTEx Consortium"]


def test_correction_relation_is_read(shared):
    work = json.loads((shared / "crossref-samples" / "work-10.1371_journal.pone.0033693.json").read_text())["message"]
    assert [r["type"] for r in update_relations(work)] == ["correction"]


def test_real_responses_served_by_the_standin_go_through_the_client(shared, tmp_path):
    """The client reads real answer shapes: serve three recorded works and look them up."""
    names = ["work-10.1038_ng.3834.json", "work-10.1002_jor.1100150407.json", "work-10.1155_2012_291294.json"]
    works = [json.loads((shared / "crossref-samples" / n).read_text())["message"] for n in names]
    with CrossrefStandIn(works) as server:
        client = CrossrefClient(server.url)
        for w in works:
            answer = client.work(w["DOI"].upper())
            assert answer.status.value == "found"
            assert record_from_work(answer.message).title == record_from_work(w).title
        assert client.work("10.1038/not-there").status.value == "not-found"
