"""`mscbib extract`: the JSON it prints, failures on stderr with file and line, --format, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mscbib.cli import main

CORPUS = Path(__file__).resolve().parent / "corpus"
KEYS = [
    "doi",
    "pmid",
    "pmcid",
    "title",
    "authors",
    "authors_complete",
    "journal",
    "journal_abbrev",
    "issn",
    "isbn",
    "year",
    "month",
    "received",
    "accepted",
    "published",
    "volume",
    "issue",
    "pages",
    "publisher",
    "type",
    "keywords",
    "abstract",
    "references",
    "source",
]


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_prints_one_json_object_per_record_with_the_stable_fields():
    result = run("extract", str(CORPUS / "two_records.nbib"), str(CORPUS / "pubmed_full_authors.txt"))
    assert result.exit_code == 0, result.output
    objs = [json.loads(line) for line in result.output.splitlines()]
    assert len(objs) == 3
    for obj in objs:
        assert all(k in obj for k in KEYS)
    assert objs[0]["authors"][0] == {"family": "Zhou", "given": "Peng"}
    assert objs[2]["source"] == {"file": str(CORPUS / "pubmed_full_authors.txt"), "format": "pubmed", "line": 1}
    assert objs[2]["abstract"].startswith("Bacteria and archaea")


def test_absent_values_are_null_or_empty():
    obj = json.loads(run("extract", str(CORPUS / "pubmed_citation_block_only.txt")).output)
    assert obj["title"] is None and obj["authors"] == [] and obj["keywords"] == [] and obj["references"] == []


def test_unreadable_input_is_named_and_the_rest_still_printed(tmp_path):
    bad = tmp_path / "bad.ris"
    bad.write_text("TY  - JOUR\nTI  - Only a title\n")
    result = run("extract", str(bad), str(CORPUS / "reading_list.txt"))
    assert result.exit_code == 2
    assert len(result.stdout.splitlines()) == 5  # the truncated record and the four DOIs
    assert f"{bad}:1: RIS record not closed by an ER line" in result.stderr


def test_format_override_and_unknown_format(tmp_path):
    clip = tmp_path / "clip.txt"
    clip.write_text("Cell. 2016 Jan 14;164(1-2):337-40.\n")
    assert json.loads(run("extract", "--format", "pubmed", str(clip)).output)["volume"] == "164"
    result = run("extract", "--format", "nope", str(clip))
    assert result.exit_code == 2 and "unknown format" in result.output


def test_pretty_and_no_references():
    result = run("extract", "--pretty", "--no-references", str(CORPUS / "pubmed_cut_top_with_refs.txt"))
    obj = json.loads(result.output)
    assert "references" not in obj and result.output.startswith("{\n  ")


def test_article_history_dates_are_printed_as_iso_dates():
    result = run("extract", str(CORPUS / "two_records.nbib"))
    first = json.loads(result.output.splitlines()[0])
    assert (first["received"], first["accepted"], first["published"]) == ("2020-01-20", "2020-01-29", "2020-02-03")
    assert (first["year"], first["month"]) == ("2020", 3)  # the date stays apart
