"""Records → Zotero items, validated against Zotero's own schema (../shared/zotero-schema/schema.json;
these tests skip when it is absent). The records are synthetic, one per kind mscbib makes, plus the
seed pages and every real Crossref sample mapped through the same code."""

from __future__ import annotations

import json

import pytest

from conftest import SEEDS, SHARED
from mscbib.integrations.zotero import ITEM_FIELDS, item_problems, item_type, load_schema, zotero_item
from mscbib.integrations.zotero.items import extra_lines
from mscbib.keys import assign_keys
from mscbib.model import Person, Provenance, Record, Reference
from mscbib.services.crossref.mapping import record_from_work
from mscbib.sources import read_inputs

SRC = Provenance("page", file="synthetic.txt", line=1)  # synthetic records, made up for these tests

#: Crossref work type → the Zotero item type mscbib must make of it.
KINDS = {
    "journal-article": "journalArticle",
    "book-chapter": "bookSection",
    "book": "book",
    "proceedings-article": "conferencePaper",
    "dissertation": "thesis",
    "report": "report",
    "posted-content": "preprint",
    "dataset": "dataset",
    "other": "document",
}


@pytest.fixture(scope="module")
def schema():
    path = SHARED / "zotero-schema" / "schema.json"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return load_schema(path)


def full_record(kind: str) -> Record:
    """A record with every field mscbib knows filled, of the given Crossref type (synthetic)."""
    rec = Record(source=SRC)
    values = dict(
        doi="10.1000/xyz.1",
        pmid="12345",
        pmcid="PMC678",
        title="A study of {MSCs} & things",
        authors=[
            Person("Müller", "Jörg"),
            Person("", literal="GTEx Consortium"),
            Person("King", "Martin Luther", suffix="Jr"),
        ],
        authors_complete=False,
        journal="Journal of Things",
        journal_abbrev="J Things",
        issn=["2162-3619", "1756-8722"],
        isbn=["978-3-16-148410-0"],
        year="2020",
        month=6,
        day=3,
        volume="12",
        issue="3",
        pages="249--261",
        publisher="Springer",
        type=kind,
        language="en",
        keywords=["stem cells", "tumor"],
        abstract="Text.",
        url="https://example.org/x",
    )
    for name, value in values.items():
        rec.set(name, value, SRC)
    rec.references = [
        Reference(text="Hass R, et al. Cell Commun Signal. 2011;9:12.", doi="10.1186/1478-811x-9-12", pmid="21569606")
    ]
    rec.key = "mullerStudyMSCs2020"
    return rec


def test_the_field_table_is_zoteros(schema):
    for kind, fields in ITEM_FIELDS.items():
        assert kind in schema.fields, kind
        assert fields <= schema.fields[kind], (kind, sorted(fields - schema.fields[kind]))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_of_record_makes_a_valid_item(schema, kind):
    rec = full_record(kind)
    item = zotero_item(rec)
    assert item.data["itemType"] == KINDS[kind]
    assert item_problems(item.data, schema) == []
    for note in item.notes:
        assert item_problems({"itemType": "note", "note": note}, schema) == []
    data = item.data
    assert data["title"] == rec.title and data["DOI"] == "10.1000/xyz.1" and data["date"] == "2020-06-03"
    assert data["creators"][0] == {"creatorType": "author", "lastName": "Müller", "firstName": "Jörg"}
    assert data["creators"][1] == {"creatorType": "author", "name": "GTEx Consortium"}
    assert data["creators"][2]["lastName"] == "King, Jr"
    extra = extra_lines(data["extra"])
    assert extra["pmid"] == "12345" and extra["pmcid"] == "PMC678" and extra["citation key"] == rec.key
    assert [t["tag"] for t in data["tags"]] == ["stem cells", "tumor"]
    # nothing is dropped: every value sits in a field of the type or in Extra
    text = json.dumps(data, ensure_ascii=False)
    for value in (
        "Journal of Things",
        "J Things",
        "Springer",
        "12",
        "249-261",
        "2162-3619",
        "Text.",
        "https://example.org/x",
    ):
        assert value in text, (kind, value)
    assert "10.1186/1478-811x-9-12" in item.notes[0] and "21569606" in item.notes[0]


def test_container_and_publisher_go_to_the_types_own_fields():
    assert zotero_item(full_record("journal-article")).data["publicationTitle"] == "Journal of Things"
    assert zotero_item(full_record("book-chapter")).data["bookTitle"] == "Journal of Things"
    assert zotero_item(full_record("proceedings-article")).data["proceedingsTitle"] == "Journal of Things"
    assert zotero_item(full_record("dissertation")).data["university"] == "Springer"
    assert zotero_item(full_record("report")).data["institution"] == "Springer"
    assert zotero_item(full_record("posted-content")).data["repository"] == "Springer"


def test_item_type_without_crossref_type():
    rec = Record(source=SRC)
    rec.set("title", "T", SRC)
    assert item_type(rec) == "document"
    rec.set("isbn", ["978-3-16-148410-0"], SRC)
    assert item_type(rec) == "book"
    rec.set("journal", "J", SRC)
    assert item_type(rec) == "journalArticle"


def test_seed_records_make_valid_items(schema):
    records = read_inputs([SEEDS]).records
    assign_keys(records)
    assert len(records) == 3
    for rec in records:
        item = zotero_item(rec)
        assert item.data["itemType"] == "journalArticle"
        assert item_problems(item.data, schema) == [], rec.label()
    with_refs = [zotero_item(r) for r in records if r.references]
    assert with_refs and all(
        len(i.notes) == 1 and i.notes[0].count("<li>") == len(i.record.references) for i in with_refs
    )


def test_every_crossref_sample_makes_a_valid_item(schema, shared):
    count = 0
    kinds = set()
    for path in sorted((shared / "crossref-samples").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        works = (
            [data["message"]]
            if data.get("message-type") == "work"
            else data["message"]["items"]
            if data.get("message-type") == "work-list"
            else []
        )
        for work in works:
            rec = record_from_work(work)
            assign_keys([rec])
            item = zotero_item(rec)
            assert item_problems(item.data, schema) == [], (path.name, item_problems(item.data, schema))
            kinds.add(item.data["itemType"])
            count += 1
    assert count >= 170 and "journalArticle" in kinds


def test_schema_check_finds_what_zotero_refuses(schema):
    bad = {
        "itemType": "journalArticle",
        "bookTitle": "x",
        "date": "June 2020",
        "volume": 3,
        "creators": [{"creatorType": "bookAuthor", "lastName": "X"}, {"creatorType": "author", "firstName": "Y"}],
        "tags": ["plain"],
    }
    problems = item_problems(bad, schema)
    assert len(problems) == 6, problems
    assert item_problems({"itemType": "nonsense"}, schema) == ["unknown item type 'nonsense'"]


def test_the_cited_list_reaches_zotero_as_a_note_both_ways(client, tmp_path):
    """The BibTeX `annote` field (which Zotero's BibTeX import makes a child note: /work/shared/ZOTERO-IMPORT.md)
    and mscbib's own item mapping carry the same cited list, in `cites` order."""
    import bibtexparser

    from conftest import SEEDS
    from mscbib.pipeline.build import build

    out = tmp_path / "library.bib"
    result = build([str(SEEDS)], str(out), client)
    written = {e.key: {f.key: f.value for f in e.fields} for e in bibtexparser.parse_file(str(out)).entries}
    citing = [r for r in result.records if r.cites]
    assert len(citing) == 2
    for rec in citing:
        annote = written[rec.key]["annote"]
        # a note, not Extra: Zotero files a note starting with PMID:/PMCID:/LCCN:/MR:/Zbl: in Extra instead
        assert not annote.startswith(("PMID:", "PMCID:", "LCCN:", "MR:", "Zbl:"))
        lines = annote.splitlines()
        assert lines[0] == "Cites (mscbib):"
        # (the note's other lines, after the list: the citing keys, the online-first date)
        assert [l.split()[1] for l in lines[1:] if l.startswith("[")] == rec.cites
        assert all(l.startswith(("[", "Cited by (mscbib):", "Published online:")) for l in lines[1:])
        item = zotero_item(rec)
        assert len(item.notes) == 1
        note = item.notes[0]
        positions = [note.index(f"<code>{k}</code>") for k in rec.cites]
        assert positions == sorted(positions)  # every cited key, in order
        assert note.count("<li>") == len(rec.references)
        for ref in rec.references:
            if ref.doi:
                assert ref.doi in note


def test_a_bib_read_back_carries_its_cited_list_to_zotero(client, tmp_path):
    """`mscbib zotero push bib/library.bib`: the BibTeX reader rebuilds the reference list from mscbib's
    `Cites (mscbib):` note, so the pushed item's note names the same works, by key, in the same order."""
    from mscbib.pipeline.build import build

    out = tmp_path / "library.bib"
    built = {r.key: r for r in build([str(SEEDS)], str(out), client).records}
    again = [r for r in read_inputs([str(out)]).records if r.cites]
    assert again and {r.key for r in again} == {k for k, r in built.items() if r.cites}
    for rec in again:
        assert [ref.key for ref in rec.references] == [ref.key for ref in built[rec.key].references if ref.key]
        assert [ref.doi for ref in rec.references] == [ref.doi for ref in built[rec.key].references if ref.key]
        note = zotero_item(rec).notes[0]
        positions = [note.index(f"<code>{k}</code>") for k in rec.cites]
        assert positions == sorted(positions) and len(positions) == len(built[rec.key].cites)


def _recorded(name: str) -> Record:
    path = SHARED / "crossref-samples" / f"work-{name}.json"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    rec = record_from_work(json.loads(path.read_text(encoding="utf-8"))["message"])
    assign_keys([rec])
    return rec


def test_place_edition_rights_and_online_date_reach_the_item(schema):
    """Issue 18, on real recorded works: what Crossref holds and Zotero has a field for is sent in that field."""
    book = zotero_item(_recorded("10.1017_9781108348843"))  # monograph: edition 1, online 2019-07-01, licence
    assert book.data["edition"] == "1" and book.data["rights"] == "https://www.cambridge.org/core/terms"
    assert extra_lines(book.data["extra"])["available date"] == "2019-07-01"
    chapter = zotero_item(_recorded("10.1007_978-3-0348-8720-5_13"))
    assert chapter.data["place"] == "Basel"
    for item in (book, chapter):
        assert item_problems(item.data, schema) == []


def test_an_incomplete_editor_list_and_the_citing_keys_are_said(schema):
    rec = _recorded("10.2973_odp.proc.ir.180.2000")  # editors end in a deposited "et al."
    rec.cited_by = ["someCitingKey2001"]
    item = zotero_item(rec)
    editors = [c for c in item.data["creators"] if c["creatorType"] == "editor"]
    assert editors and not any("et al" in (c.get("lastName") or c.get("name") or "") for c in editors)
    assert "mscbib: editor list incomplete (the input printed et al.)" in item.data["extra"]
    assert any("someCitingKey2001" in n and n.startswith("<h1>Cited by") for n in item.notes)
    for note in item.notes:
        assert item_problems({"itemType": "note", "note": note}, schema) == []
