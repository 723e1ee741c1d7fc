"""``--journal {as-is,full,iso4}`` (issue 21, mscbib.journals): journal names full or ISO 4-abbreviated, from what
the entries state and the ISO 4 rules (LTWA, via pyiso4), never invented. Records here are synthetic unless they
come from ../shared/crossref-samples (real Crossref answers)."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from conftest import SHARED
from mscbib.cli import main
from mscbib.journals import JournalSummary, journal_forms, ltwa_abbreviator, parse_journal_form
from mscbib.model import Provenance, Record
from mscbib.services.crossref.mapping import record_from_work
from mscbib.writers import render_as

SRC = Provenance("bibtex", file="lib.bib", line=1)
CR = Provenance("crossref", detail="10.1000/x")


def _rec(key: str, journal: str | None = None, abbrev: str | None = None, type_: str = "journal-article") -> Record:
    rec = Record(SRC)
    rec.key = key
    rec.set("title", f"A title of {key}", SRC)
    rec.set("type", type_, SRC)
    rec.set("year", "2020", SRC)
    if journal:
        rec.set("journal", journal, CR)
    if abbrev:
        rec.set("journal_abbrev", abbrev, CR)
    return rec


def _journal_of(bib: str, key: str) -> str | None:
    m = re.search(r"@\w+\{" + re.escape(key) + r",(.*?)\n\}", bib, re.S)
    assert m, bib
    j = re.search(r"^\s*journal = \{(.*)\},?$", m.group(1), re.M)
    return j.group(1) if j else None


def fake_iso4(title: str) -> str:
    """A stand-in for the LTWA rules, so these tests do not depend on the list's content."""
    table = {"Stem Cells and Development": "Stem Cells Dev.", "Nature": "Nature", "Stem Cells Dev": "Stem Cells Dev"}
    return table.get(title, title)


def test_as_is_changes_nothing_and_returns_the_same_records():
    recs = [_rec("a", "Stem Cells and Development", "Stem Cells Dev")]
    out, summary = journal_forms(recs, "as-is")
    assert out[0] is recs[0] and summary.text() == ""


def test_iso4_uses_the_rules_on_the_full_title_and_leaves_the_input_untouched():
    a = _rec("a", "Stem Cells and Development", "Stem Cells Dev")  # Crossref's short title: NLM's, no full stops
    out, summary = journal_forms([a], "iso4", abbreviate=fake_iso4)
    assert out[0].get("journal") == "Stem Cells Dev." and out[0].get("journal_abbrev") == "Stem Cells Dev."
    assert a.get("journal") == "Stem Cells and Development"  # the record given is not changed
    assert summary.changed == {"ltwa": 1} and summary.left == []
    assert _journal_of(render_as(out, "bibtex"), "a") == "Stem Cells Dev."
    assert "shortjournal" not in render_as(out, "bibtex")


def test_iso4_without_a_full_title_takes_the_stated_abbreviation_and_else_leaves_it():
    only_abbrev = _rec("b", None, "Cancer Biol Med")  # the journal is the abbreviation: written as it is
    full_only = _rec("c", "Journal of Nothing Known")
    out, summary = journal_forms([only_abbrev, full_only], "iso4", abbreviate=None)
    if ltwa_abbreviator() is None:  # without pyiso4: no rule to apply, and no abbreviation stated for c
        assert summary.left == ["c"] and out[1] is full_only
        assert "pip install 'mscbib[iso4]'" in summary.text()
    assert out[0].get("journal_abbrev") == "Cancer Biol Med"


def test_iso4_takes_crossrefs_short_title_when_no_rules_are_at_hand(monkeypatch):
    monkeypatch.setattr("mscbib.journals.ltwa_abbreviator", lambda: None)
    rec = _rec("a", "Physical Review Letters", "Phys. Rev. Lett.")
    out, summary = journal_forms([rec], "iso4")
    assert out[0].get("journal") == "Phys. Rev. Lett." and summary.changed == {"stated": 1}
    left, s2 = journal_forms([_rec("z", "Journal of Hello")], "iso4")
    assert left[0].get("journal") == "Journal of Hello"
    assert s2.left == ["z"] and "1 left as they are" in s2.text() and "mscbib[iso4]" in s2.text()


def test_full_recovers_the_title_another_entry_states_beside_the_abbreviation():
    # a real-looking pair: an export that gives the NLM abbreviation only, and Crossref's record of another paper
    # in the same journal stating both forms
    exported = _rec("exported", "Stem Cells Dev.")
    crossref = _rec("crossref", "Stem Cells and Development", "Stem Cells Dev")
    unknown = _rec("unknown", None, "Exp Hematol Oncol")  # a PubMed citation line: the abbreviation alone
    out, summary = journal_forms([exported, crossref, unknown], "full")
    assert out[0].get("journal") == "Stem Cells and Development"
    assert out[0].get("journal_abbrev") == "Stem Cells Dev."  # the abbreviation the entry had is kept beside it
    assert out[1] is crossref  # already the full title
    assert out[2] is unknown and summary.left == ["unknown"] and summary.changed == {"library": 1}
    bib = render_as(out, "bibtex")
    assert _journal_of(bib, "exported") == "Stem Cells and Development"
    assert "shortjournal = {Stem Cells Dev.}" in bib


def test_full_does_not_guess_between_two_titles_for_one_abbreviation():
    recs = [
        _rec("x", None, "J Phys"),
        _rec("p", "Journal of Physics", "J Phys"),
        _rec("q", "Journal de Physique", "J Phys"),
    ]
    out, summary = journal_forms(recs, "full")
    assert out[0] is recs[0] and summary.left == ["x"]


def test_a_book_title_or_series_is_not_a_journal():
    chapter = _rec("ch", "Stem Cells and Development", type_="book-chapter")  # written as booktitle
    out, summary = journal_forms([chapter], "iso4", abbreviate=fake_iso4)
    assert out[0] is chapter and summary.changed == {} and summary.left == []


def test_a_bad_form_names_the_known_ones():
    with pytest.raises(ValueError, match="as-is, full, iso4"):
        parse_journal_form("short")
    assert JournalSummary("iso4").text().startswith("--journal iso4: 0 journal names changed")


@pytest.mark.skipif(ltwa_abbreviator() is None, reason="pyiso4 (mscbib[iso4]) is not installed")
def test_the_ltwa_rules_abbreviate_real_crossref_titles():
    abbreviate = ltwa_abbreviator()
    assert abbreviate is not None
    assert abbreviate("Physical Review Letters") == "Phys. Rev. Lett."
    assert abbreviate("Stem Cells and Development") == "Stem Cells Dev."
    assert abbreviate("Nature") == "Nature"  # one word: not abbreviated (ISO 4)
    assert abbreviate("Composites Part B: Engineering").startswith("Compos. Part B")  # "Part" kept


def _crossref_works() -> list[dict]:
    folder = SHARED / "crossref-samples"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    works = []
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        msg = data.get("message", data) if isinstance(data, dict) else {}
        items = msg.get("items") if isinstance(msg, dict) and "items" in msg else [msg]
        works += [w for w in items or [] if isinstance(w, dict) and w.get("DOI")]
    return works


@pytest.mark.skipif(ltwa_abbreviator() is None, reason="pyiso4 (mscbib[iso4]) is not installed")
def test_real_crossref_records_in_iso4_and_full():
    records = []
    for i, work in enumerate(_crossref_works()):
        rec = record_from_work(work)
        rec.key = f"k{i}"
        records.append(rec)
    journals = [r for r in records if r.get("journal") and r.get("type") == "journal-article"]
    assert len(journals) >= 50
    iso4, summary = journal_forms(records, "iso4")
    by_key = {r.key: r for r in iso4}
    # a journal article from Crossref always has its container-title: every one gets a form, none is left
    assert not [k for k in summary.left if by_key[k].get("type") == "journal-article"]
    prl = [r for r in iso4 if (r.get("journal_abbrev") or "").startswith("Phys. Rev. Lett")]
    assert prl and all(r.get("journal") == "Phys. Rev. Lett." for r in prl)
    full, fsummary = journal_forms(records, "full")
    assert [r.get("journal") for r in full] == [r.get("journal") for r in records]  # Crossref's titles are full
    assert fsummary.changed == {} and fsummary.left == []


def test_export_journal_option_and_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MSCBIB_JOURNAL", raising=False)
    (tmp_path / "lib.bib").write_text(
        "@article{a,\n  title = {One},\n  journal = {Stem Cells Dev.},\n  year = {2020},\n}\n\n"
        "@article{b,\n  title = {Two},\n  journal = {Stem Cells and Development},\n  shortjournal = {Stem Cells Dev},"
        "\n  year = {2021},\n}\n",
        encoding="utf-8",
    )
    res = CliRunner().invoke(main, ["export", "lib.bib", "--to", "bibtex", "--journal", "full"])
    assert res.exit_code == 0, res.output
    assert _journal_of(res.stdout, "a") == "Stem Cells and Development"
    assert "--journal full: 1 journal name changed" in res.stderr
    (tmp_path / "mscbib.toml").write_text('journal = "short"\n', encoding="utf-8")
    res = CliRunner().invoke(main, ["export", "lib.bib", "--to", "ris"])
    assert res.exit_code == 2 and "'short' is not one of as-is, full, iso4" in res.output
    assert "Traceback" not in res.output
    (tmp_path / "mscbib.toml").write_text('journal = "full"\n', encoding="utf-8")
    res = CliRunner().invoke(main, ["export", "lib.bib", "--to", "ris"])
    assert res.exit_code == 0 and "T2  - Stem Cells and Development" in res.stdout.split("ER  -")[0]


def test_build_says_how_many_journals_it_left_in_text_and_json(tmp_path):
    from conftest import SEEDS

    out, report = tmp_path / "lib.bib", tmp_path / "report.json"
    res = CliRunner().invoke(
        main, ["build", str(SEEDS), "--offline", "-o", str(out), "--journal", "full", "--report", str(report)]
    )
    assert res.exit_code == 0, res.output
    # the seeds' PubMed pages state the journal's abbreviation only, and offline no Crossref title is at hand
    line = "--journal full: 0 journal names changed; 2 left as they are (no full title stated for their abbreviation)"
    assert line in res.stdout
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["journal_forms"]["code"] == "JRN001" and line in data["journal_forms"]["message"]
    assert "journal = {Cancer Metastasis Rev}" in out.read_text(encoding="utf-8")  # left as it was
    plain = CliRunner().invoke(main, ["build", str(SEEDS), "--offline", "-o", str(tmp_path / "p.bib")])
    assert "--journal" not in plain.stdout  # as-is: nothing said


def test_iso4_abbreviates_the_full_title_another_entry_states_for_an_abbreviation():
    # a cited work as Crossref's reference list gives it (journal-title: an abbreviation) beside a library entry
    cited = _rec("cited", "Stem Cells Dev")
    entry = _rec("entry", "Stem Cells and Development", "Stem Cells Dev")
    out, summary = journal_forms([cited, entry], "iso4", abbreviate=fake_iso4)
    assert [r.get("journal") for r in out] == ["Stem Cells Dev.", "Stem Cells Dev."]
    assert summary.changed == {"ltwa": 2}


def test_the_write_stage_pools_library_and_cited_works(tmp_path):
    from mscbib.model import Library
    from mscbib.pipeline.stages.write import Write

    entry = _rec("entry", "Stem Cells and Development", "Stem Cells Dev")
    entry.cited_by = ["other"]  # a library entry that is cited: in both files, counted once
    cited = _rec("cited", "Stem Cells Dev")  # a cited work as Crossref's reference list names its journal
    library = Library(records=[entry], cited=[cited])
    out = tmp_path / "lib.bib"
    Write(str(out), journal="full")(library)
    assert library.output == str(out)
    cited_text = (tmp_path / "lib.cited.bib").read_text(encoding="utf-8")
    assert _journal_of(cited_text, "cited") == "Stem Cells and Development"
    assert _journal_of(cited_text, "entry") == "Stem Cells and Development"
    [finding] = [f for f in library.findings if f.code == "JRN001"]
    assert finding.message == "--journal full: 1 journal name changed (1 the full title another entry states)"
    assert cited.get("journal") == "Stem Cells Dev"  # the records themselves are not changed


def test_abbreviates_checks_an_abbreviation_against_a_title():
    from mscbib.journals import abbreviates

    assert abbreviates("Cancer Metastasis Rev", "Cancer and Metastasis Reviews")
    assert abbreviates("Stem Cells Dev.", "Stem Cells and Development")
    assert not abbreviates("Cancer Metastasis Rev", "Cancer Research")
    assert not abbreviates("J Phys", "Physics Letters")  # the words in the title's order only
    assert not abbreviates("", "Anything")


def test_full_takes_the_title_crossref_holds_for_the_issn_only_if_the_abbreviation_fits():
    fits = _rec("fits", None, "Cancer Metastasis Rev")
    fits.set("issn", ["0167-7659"], SRC)
    wrong = _rec("wrong", None, "Exp Hematol Oncol")
    wrong.set("issn", ["2162-3619"], SRC)
    titles = {"0167-7659": "Cancer and Metastasis Reviews", "2162-3619": "Journal of Something Else"}
    from mscbib.journals import issns_to_ask

    assert issns_to_ask([fits, wrong], "full") == ["0167-7659", "2162-3619"]
    assert issns_to_ask([fits, wrong], "iso4") == []
    out, summary = journal_forms([fits, wrong], "full", issn_titles=titles)
    assert out[0].get("journal") == "Cancer and Metastasis Reviews" and out[0].origin_of("journal").origin == "crossref"
    assert out[1] is wrong and summary.left == ["wrong"] and summary.changed == {"crossref": 1}


def test_build_full_asks_crossref_for_the_title_of_an_issn(tmp_path, standin, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    standin.add_journal({"title": "Cancer and Metastasis Reviews", "ISSN": ["0167-7659", "1573-7233"]})
    ris = tmp_path / "one.ris"
    ris.write_text(  # synthetic: a RIS export that names the journal by its abbreviation only
        "TY  - JOUR\nTI  - A synthetic title about nothing in particular\nAU  - Roe, Ann\nPY  - 2010\n"
        "J2  - Cancer Metastasis Rev\nSN  - 1573-7233\nER  - \n",
        encoding="utf-8",
    )
    out = tmp_path / "lib.bib"
    args = ["build", str(ris), "-o", str(out), "--crossref-url", standin.url, "--journal", "full"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code in (0, 1), res.output
    assert "1 the title Crossref holds for its ISSN" in res.stdout
    assert (
        _journal_of(out.read_text(encoding="utf-8"), "roeSyntheticTitleNothing2010") == "Cancer and Metastasis Reviews"
    )
    again = CliRunner().invoke(main, [*args, "--offline"])  # the answer is cached: offline gives the same
    assert "1 the title Crossref holds for its ISSN" in again.stdout
