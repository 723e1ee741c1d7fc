"""The writer options of issue 21: ``--drop-fields`` and ``--sort`` on ``mscbib build`` and ``mscbib export``,
on the committed library, on the seeds and on the shared real Crossref records."""

from __future__ import annotations

import bibtexparser
import pytest
from click.testing import CliRunner

from conftest import ROOT, SEEDS
from mscbib.cli import main
from mscbib.keys import assign_keys
from mscbib.model import Person
from mscbib.services.crossref.mapping import record_from_work
from mscbib.sources.bibtex import BibtexFile
from mscbib.writers import render_as
from mscbib.writers.options import ordered, parse_drop_fields, required_among
from test_check_real import shared_works
from test_export import record

LIBRARY = ROOT / "bib" / "library.bib"


def entries(text: str) -> dict[str, dict[str, str]]:
    """Key → {field: value} of a ``.bib`` text, in the file's order."""
    lib = bibtexparser.parse_string(text)
    assert not lib.failed_blocks
    return {e.key: {f.key: f.value for f in e.fields} for e in lib.entries}


def export(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, ["export", *args], env=env)


@pytest.fixture
def real_records(shared):
    """The shared real Crossref works as records with keys, as a .bib gives them back."""
    records = [record_from_work(w) for w in shared_works(shared)]
    assign_keys(records)
    return BibtexFile().read(render_as(records, "bibtex"), "samples.bib").records


def test_drop_fields_leaves_out_those_fields_and_changes_nothing_else():
    full = export("--to", "bibtex", str(LIBRARY))
    slim = export("--to", "bibtex", "--drop-fields", "abstract,Keywords, annote", str(LIBRARY))
    assert full.exit_code == slim.exit_code == 0, slim.output
    before, after = entries(full.stdout), entries(slim.stdout)
    dropped = {"abstract", "keywords", "annote"}
    assert all(dropped & set(fields) for fields in before.values())  # the committed library has them
    assert list(after) == list(before)
    for key, fields in before.items():
        assert after[key] == {k: v for k, v in fields.items() if k not in dropped}
    assert slim.stderr == ""  # none of them is required: no warning


def test_drop_fields_unknown_name_is_a_usage_error_naming_the_option(tmp_path):
    out = tmp_path / "out.bib"
    res = export("--to", "bibtex", "--drop-fields", "abstract,abstrct", "-o", str(out), str(LIBRARY))
    assert res.exit_code == 2
    assert "--drop-fields" in res.stderr and "'abstrct'" in res.stderr and "did you mean abstract" in res.stderr
    assert "Traceback" not in res.output and not out.exists()
    with pytest.raises(ValueError, match="'jornal'"):
        parse_drop_fields("jornal")


def test_drop_fields_of_a_required_field_warns_and_drops_it():
    res = export("--to", "bibtex", "--drop-fields", "title,abstract", str(LIBRARY))
    assert res.exit_code == 0
    assert res.stderr.count("\n") == 1 and "warning" in res.stderr and "title" in res.stderr
    assert "abstract" not in res.stderr  # only the required one is named
    assert all("title" not in fields for fields in entries(res.stdout).values())
    assert required_among({"abstract", "keywords"}, "biblatex") == []
    assert required_among({"journaltitle", "date", "keywords"}, "biblatex") == ["date", "journaltitle"]
    assert required_among({"journaltitle", "date"}, "bibtex") == []  # not BibTeX's names


def test_drop_fields_setting_option_then_env_then_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mscbib.toml").write_text('drop_fields = ["keywords"]\n', encoding="utf-8")

    def fields(*args, env=None):
        res = export("--to", "bibtex", *args, str(LIBRARY), env=env)
        assert res.exit_code == 0, res.output
        return set().union(*entries(res.stdout).values())

    assert "keywords" not in fields() and "abstract" in fields()  # mscbib.toml
    env = {"MSCBIB_DROP_FIELDS": "abstract"}
    assert "abstract" not in fields(env=env) and "keywords" in fields(env=env)  # env over config
    assert "doi" not in fields("--drop-fields", "doi", env=env) and "abstract" in fields(
        "--drop-fields", "doi", env=env
    )
    (tmp_path / "mscbib.toml").write_text('drop_fields = "abstrakt"\n', encoding="utf-8")
    res = export("--to", "bibtex", str(LIBRARY))
    assert res.exit_code == 2 and "drop_fields" in res.stderr and "'abstrakt'" in res.stderr


def test_drop_fields_is_refused_for_formats_without_bibtex_field_names():
    res = export("--to", "ris", "--drop-fields", "abstract", str(LIBRARY))
    assert res.exit_code == 2 and "--drop-fields" in res.stderr and "not to ris" in res.stderr
    # from the environment (or mscbib.toml), meant for the .bib files: a warning, and every field written
    res = export("--to", "ris", str(LIBRARY), env={"MSCBIB_DROP_FIELDS": "abstract"})
    assert res.exit_code == 0 and "warning" in res.stderr and "not to ris" in res.stderr
    assert res.stdout == export("--to", "ris", str(LIBRARY)).stdout and "\nAB  - " in res.stdout


def test_sort_orders_on_real_records(real_records):
    records = real_records
    assert len(records) >= 150
    keys = [r.key for r in records]
    assert [r.key for r in ordered(records, "input")] == keys
    assert [r.key for r in ordered(records)] == sorted(keys)
    by_year = ordered(records, "year")
    years = [int(r.get("year")) for r in by_year if str(r.get("year") or "").isdigit()]
    assert years == sorted(years) and len(set(years)) > 5
    assert all(not str(r.get("year") or "").isdigit() for r in by_year[len(years) :])  # undated last
    by_author = ordered(records, "author")
    people = [r.get("authors") or r.get("editors") for r in by_author]
    names = [p[0] for p in people if p]
    firsts = [(p.literal or p.family).casefold() for p in names]
    assert firsts == sorted(firsts) and len(set(firsts)) > 50
    for order in ("key", "year", "author", "input"):  # nothing lost, nothing added, and the same each time
        assert sorted(r.key for r in ordered(records, order)) == sorted(keys)
        assert render_as(records, "bibtex", sort=order) == render_as(list(records), "bibtex", sort=order)


def test_sort_ties_and_gaps():
    recs = [
        record("c", year="2001", authors=[Person("Zed")]),
        record("a", year="2001", authors=[Person("", literal="ACME Group")]),
        record("b", title="Undated, anonymous"),
        record("d", year="1999", editors=[Person("zed")]),
    ]
    assert [r.key for r in ordered(recs, "year")] == ["d", "a", "c", "b"]
    assert [r.key for r in ordered(recs, "author")] == ["a", "d", "c", "b"]  # case-folded; no creator last
    with pytest.raises(ValueError, match="known: key, year, author, input"):
        ordered(recs, "type")


def test_export_sort_in_every_format():
    default = export("--to", "bibtex", str(LIBRARY))
    assert default.stdout == export("--to", "bibtex", "--sort", "key", str(LIBRARY)).stdout
    file_order = list(entries(LIBRARY.read_text(encoding="utf-8")))
    assert list(entries(export("--to", "bibtex", "--sort", "input", str(LIBRARY)).stdout)) == file_order
    by_year = list(entries(export("--to", "biblatex", "--sort", "year", str(LIBRARY)).stdout))
    ris = export("--to", "ris", "--sort", "year", str(LIBRARY)).stdout
    assert [line.split("  - ", 1)[1] for line in ris.splitlines() if line.startswith("ID  - ")] == by_year
    assert sorted(by_year) == sorted(file_order) and by_year != sorted(by_year)  # the seeds' years are not key order
    res = export("--to", "bibtex", "--sort", "type", str(LIBRARY))
    assert res.exit_code == 2 and "--sort" in res.stderr


def test_build_writes_with_drop_fields_and_sort(tmp_path):
    out = tmp_path / "slim.bib"
    res = CliRunner().invoke(
        main, ["build", str(SEEDS), "--offline", "-o", str(out), "--drop-fields", "abstract", "--sort", "year"]
    )
    assert res.exit_code == 0, res.output
    library = entries(out.read_text(encoding="utf-8"))
    cited = entries((tmp_path / "slim.cited.bib").read_text(encoding="utf-8"))
    committed = entries(LIBRARY.read_text(encoding="utf-8"))
    assert set(library) == set(committed)
    for key, fields in committed.items():
        assert library[key] == {k: v for k, v in fields.items() if k != "abstract"}
    for written in (library, cited):
        years = [int(f["year"].strip("{}")) for f in written.values() if f.get("year", "").strip("{}").isdigit()]
        assert years == sorted(years)
    bad = CliRunner().invoke(main, ["build", str(SEEDS), "--offline", "-o", str(out), "--drop-fields", "nope"])
    assert bad.exit_code == 2 and "--drop-fields" in bad.stderr and "Traceback" not in bad.output
