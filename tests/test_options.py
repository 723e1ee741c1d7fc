"""The writer options of issue 21: ``--drop-fields`` and ``--sort`` on ``mscbib build`` and ``mscbib export``,
on the committed library, on the seeds and on the shared real Crossref records."""

from __future__ import annotations

import json
import re

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
from mscbib.writers.options import NO_WRAP_FIELDS, Layout, ordered, parse_drop_fields, parse_field_order, required_among
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


def _ris_entries(text: str) -> list[list[str]]:
    return [[line for line in e.strip().splitlines() if line] for e in text.split("ER  - ") if e.strip()]


def test_drop_fields_in_ris_and_csljson_drops_what_those_fields_are_written_from(real_records):
    """BibTeX field names, mapped to each format's tags and keys: abstract -> AB / abstract, keywords -> KW /
    keyword, author -> AU / author, annote -> the notes of cited and citing works; nothing else changes."""
    from mscbib.writers import render_as

    full_ris = _ris_entries(render_as(real_records, "ris"))
    slim_ris = _ris_entries(render_as(real_records, "ris", drop=frozenset({"abstract", "keywords", "author"})))
    assert len(full_ris) == len(slim_ris) >= 150
    assert any(line.startswith("AB  - ") for e in full_ris for line in e)
    for full, slim in zip(full_ris, slim_ris):
        assert slim == [line for line in full if not line.startswith(("AB  - ", "KW  - ", "AU  - "))]
    full_csl = json.loads(render_as(real_records, "csljson"))
    slim_csl = json.loads(render_as(real_records, "csljson", drop=frozenset({"abstract", "keywords", "doi"})))
    assert any("abstract" in item for item in full_csl)
    for full, slim in zip(full_csl, slim_csl):
        assert slim == {k: v for k, v in full.items() if k not in ("abstract", "keyword", "DOI")}
    assert [r.get("abstract") for r in real_records].count(None) < len(real_records)  # the records are not changed


def test_drop_fields_on_the_export_command_for_ris_and_env(tmp_path):
    res = export("--to", "ris", "--drop-fields", "abstract", str(LIBRARY))
    assert res.exit_code == 0 and "\nAB  - " not in res.stdout and "\nTI  - " in res.stdout
    full = export("--to", "ris", str(LIBRARY)).stdout
    assert "\nAB  - " in full
    res = export("--to", "csljson", str(LIBRARY), env={"MSCBIB_DROP_FIELDS": "annote"})
    assert res.exit_code == 0 and "] hassDifferentPopulationsSources2011 " not in res.stdout
    assert "[1] hassDifferentPopulationsSources2011 " in export("--to", "csljson", str(LIBRARY)).stdout


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
    with pytest.raises(ValueError, match="known: key, year, author, type, input"):
        ordered(recs, "venue")


def test_export_sort_in_every_format():
    default = export("--to", "bibtex", str(LIBRARY))
    assert default.stdout == export("--to", "bibtex", "--sort", "key", str(LIBRARY)).stdout
    file_order = list(entries(LIBRARY.read_text(encoding="utf-8")))
    assert list(entries(export("--to", "bibtex", "--sort", "input", str(LIBRARY)).stdout)) == file_order
    by_year = list(entries(export("--to", "biblatex", "--sort", "year", str(LIBRARY)).stdout))
    ris = export("--to", "ris", "--sort", "year", str(LIBRARY)).stdout
    assert [line.split("  - ", 1)[1] for line in ris.splitlines() if line.startswith("ID  - ")] == by_year
    assert sorted(by_year) == sorted(file_order) and by_year != sorted(by_year)  # the seeds' years are not key order
    res = export("--to", "bibtex", "--sort", "venue", str(LIBRARY))
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


# -- the layout of a BibTeX entry: --field-order, --indent, --wrap / --no-wrap, and --sort type ---------------
def _values(text: str) -> dict[str, dict]:
    """Key -> the record's values as mscbib reads the text back (what a layout must not change)."""
    result = BibtexFile().read(text, "x.bib")
    assert not result.failures
    return {r.key: {n: v.value for n, v in r.items()} for r in result.records}


def _too_long(text: str, wrap: int) -> list[str]:
    """The lines longer than ``wrap`` that had a space to break at before it, outside the fields never wrapped."""
    field, long = "", []
    for line in text.splitlines():
        m = re.match(r"\s+(\w+) = \{", line)
        field = m.group(1) if m else field
        words = line.strip().split(" ")
        head = len(line.expandtabs(8)) - len(line.lstrip().expandtabs(8)) + len(" ".join(words[: 3 if m else 1]))
        if len(line.expandtabs(8)) > wrap and head < wrap and field not in NO_WRAP_FIELDS:
            long.append(line)
    return long


def test_sort_type_orders_by_entry_type_then_key(real_records):
    by_type = ordered(real_records, "type")
    text = render_as(real_records, "bibtex", sort="type")
    types = [line.split("{", 1)[0] for line in text.splitlines() if line.startswith("@")]
    assert types == sorted(types) and len(set(types)) >= 3
    assert sorted(r.key for r in by_type) == sorted(r.key for r in real_records)


def test_layout_defaults_write_the_committed_library():
    committed = LIBRARY.read_text(encoding="utf-8")
    for extra in ([], ["--no-wrap"], ["--field-order", "mscbib", "--indent", "2"]):
        res = export("--to", "bibtex", *extra, str(LIBRARY))
        assert res.exit_code == 0, res.output
        assert res.stdout == export("--to", "bibtex", str(LIBRARY)).stdout
    assert _values(export("--to", "bibtex", str(LIBRARY)).stdout) == _values(committed)


def test_wrap_breaks_long_lines_and_changes_no_value(real_records):
    plain = render_as(real_records, "bibtex")
    for dialect in ("bibtex", "biblatex"):
        for layout in (Layout(wrap=80), Layout(wrap=40, indent="\t"), Layout(wrap=100, indent="    ")):
            text = render_as(real_records, dialect, layout=layout)
            assert _values(text) == _values(render_as(real_records, dialect))  # what a reader sees: the same
            assert layout.wrap is not None
            long = _too_long(text, layout.wrap)
            assert long == []
    assert max(len(line) for line in plain.splitlines()) > 500  # the shared abstracts: a long line each unwrapped
    wrapped = render_as(real_records, "bibtex", layout=Layout(wrap=80))
    urls = [line for line in wrapped.splitlines() if line.strip().startswith(("url = ", "doi = "))]
    assert urls and all(line.rstrip(",").endswith("}") for line in urls)  # never broken


def test_field_order_presets_and_names():
    text = LIBRARY.read_text(encoding="utf-8")
    tidy = export("--to", "bibtex", "--field-order", "bibtex-tidy", str(LIBRARY)).stdout
    mine = export("--to", "bibtex", "--field-order", "title,year,author", str(LIBRARY)).stdout
    alpha = export("--to", "bibtex", "--field-order", "alphabetical", str(LIBRARY)).stdout
    for out in (tidy, mine, alpha):
        assert _values(out) == _values(text)  # only the order changes
    tidy_order = ["title", "author", "year", "month", "journal", "volume", "number", "pages", "doi"]
    for fields in entries(tidy).values():
        names = list(fields)
        assert names[0] == "title"
        assert [n for n in names if n in tidy_order] == [n for n in tidy_order if n in names]
    committed = entries(text)
    for key, fields in entries(mine).items():
        first = [n for n in ("title", "year", "author") if n in fields]
        assert list(fields)[: len(first)] == first
        assert list(fields)[len(first) :] == [n for n in committed[key] if n not in first]
    for fields in entries(alpha).values():
        assert list(fields) == sorted(fields)
    assert parse_field_order("Title, AUTHOR") == (("title", "author"), False)


def test_indent_spaces_and_tab():
    four = export("--to", "biblatex", "--indent", "4", str(LIBRARY)).stdout
    tab = export("--to", "zotero", "--indent", "tab", str(LIBRARY)).stdout
    assert "\n    title = {" in four and "\n  title" not in four
    assert "\n\ttitle = {" in tab
    assert _values(four) == _values(export("--to", "biblatex", str(LIBRARY)).stdout)


def test_layout_errors_are_usage_errors_naming_the_option():
    for args, named in (
        (["--wrap", "80", "--no-wrap"], "--no-wrap"),
        (["--wrap", "10"], "--wrap"),
        (["--indent", "9"], "--indent"),
        (["--indent", "wide"], "--indent"),
        (["--field-order", "title,autor"], "did you mean author"),
    ):
        res = export("--to", "bibtex", *args, str(LIBRARY))
        assert res.exit_code == 2 and named in res.stderr and "Traceback" not in res.output, (args, res.output)
    res = export("--to", "ris", "--wrap", "80", str(LIBRARY))
    assert res.exit_code == 2 and "not to ris" in res.stderr


def test_build_with_layout_writes_both_files_so(tmp_path):
    out = tmp_path / "tidy.bib"
    res = CliRunner().invoke(
        main,
        ["build", str(SEEDS), "--offline", "-o", str(out), "--field-order", "bibtex-tidy", "--wrap", "60"],
    )
    assert res.exit_code == 0, res.output
    for path in (out, tmp_path / "tidy.cited.bib"):
        text = path.read_text(encoding="utf-8")
        assert _too_long(text, 60) == [] and max(len(line) for line in text.splitlines()) > 60  # notes, URLs
    assert _values(out.read_text(encoding="utf-8")) == _values(LIBRARY.read_text(encoding="utf-8"))


def test_a_rebuild_of_a_wrapped_abbreviated_library_keeps_its_keys(tmp_path):
    """Key pinning (issue 21 item 5) holds whatever the layout and journal form of the library being rebuilt."""
    out = tmp_path / "lib.bib"
    args = ["build", str(SEEDS), "--offline", "-o", str(out), "--wrap", "40", "--journal", "iso4"]
    assert CliRunner().invoke(main, args).exit_code == 0
    keys = list(entries(out.read_text(encoding="utf-8")))
    res = CliRunner().invoke(main, [*args, "--key-formula", "auth.upper + shortyear"])
    assert res.exit_code == 0, res.output
    assert list(entries(out.read_text(encoding="utf-8"))) == keys
    assert sorted(keys) == sorted(entries(LIBRARY.read_text(encoding="utf-8")))
