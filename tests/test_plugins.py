"""Entry-point plug-ins: the built-ins are found the same way as others; tests/plugin_example (a synthetic
plug-in, put on sys.path with its .dist-info so importlib.metadata sees it as installed) proves the
contract; broken plug-ins are reported and skipped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mscbib import plugins, registry
from mscbib.cli import main
from mscbib.validate import validate

EXAMPLE = Path(__file__).resolve().parent / "plugin_example"


@pytest.fixture
def example(monkeypatch):
    monkeypatch.syspath_prepend(str(EXAMPLE))
    plugins.reset()
    import mscbib.validate.check  # noqa: F401  (its checks registered before the snapshot, so the teardown keeps them)

    before = dict(registry.CHECKS)
    yield
    plugins.reset()
    registry.CHECKS.clear(), registry.CHECKS.update(before)
    sys.modules.pop("mscbib_example_plugin", None)


def test_builtins_are_registered_as_entry_points():
    plugins.reset()
    readers = {p.name: p for p in plugins.discover("mscbib.sources")}
    from mscbib.sources import READERS

    assert {r.name for r in READERS} >= set(readers) >= {"pubmed", "catalog", "doi-list", "ris", "bibtex"}
    assert all(p.builtin and p.ok for p in readers.values())
    assert [p.name for p in plugins.discover("mscbib.checks")] == ["builtin"]
    assert "bibtex" in {p.name for p in plugins.discover("mscbib.writers")}


def test_example_plugin_loads_and_broken_ones_are_skipped(example, caplog):
    found = {(p.group, p.name): p for g in plugins.GROUPS for p in plugins.discover(g)}
    assert found[("mscbib.sources", "mini")].ok and not found[("mscbib.sources", "mini")].builtin
    assert found[("mscbib.sources", "mini")].dist == "mscbib-example-plugin 0.1"
    broken = found[("mscbib.sources", "broken")]
    assert not broken.ok and "ImportError" in broken.error and "not installed" in broken.error
    assert "not a reader" in found[("mscbib.sources", "not-a-reader")].error
    assert {p.name for p in plugins.failures()} == {"broken", "not-a-reader"}
    assert any("skipped" in r.message and "broken" in r.message for r in caplog.records)
    from mscbib.sources import READERS

    assert [r.name for r in plugins.plugin_readers(READERS)] == ["mini"]


def test_plugin_reader_check_and_writer_work(example, tmp_path):
    reader = plugins.plugin_readers([])[0]
    text = "%MINI\nTITLE: A synthetic title\nDOI: https://doi.org/10.5555/MINI.1\n"
    result = reader.read(text, "x.mini")
    rec = result.records[0]
    assert rec.title == "A synthetic title" and rec.doi == "10.5555/mini.1" and rec.origin_of("doi").line == 3
    findings = validate([rec])
    codes = {f.code for f in findings}
    assert "EXA001" in codes  # the plug-in check ran
    plg = [f for f in findings if f.code == "PLG001"]
    assert len(plg) == 1 and "always-fails" in plg[0].message and "broken on purpose" in plg[0].message
    writers = plugins.plugin_writers({"bibtex": None})
    assert writers["titles"]([rec]) == "A synthetic title\n"


def test_plugins_command_lists_and_reports_failures(example):
    result = CliRunner().invoke(main, ["plugins"])
    assert result.exit_code == 0
    assert "mini" in result.output and "mscbib-example-plugin 0.1" in result.output
    assert "FAILED: failed to load: ImportError" in result.output and "built-in" in result.output
    rows = json.loads(CliRunner().invoke(main, ["plugins", "--json"]).output)
    assert {r["name"] for r in rows if r["error"]} == {"broken", "not-a-reader"}


def test_plugin_reader_end_to_end_through_the_cli(tmp_path):
    """A fresh process with the example plug-in installed reads its format with `mscbib extract`."""
    page = tmp_path / "a.mini"
    page.write_text("%MINI\nTITLE: Synthetic\nYEAR: 2021\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(EXAMPLE), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run(
        [sys.executable, "-c", "from mscbib.cli import main; main()", "extract", str(page)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    out = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    assert out and out[0]["title"] == "Synthetic" and out[0]["year"] == "2021" and out[0]["source"]["format"] == "mini"
    assert "skipped" in proc.stderr  # the broken example plug-ins are reported, and the read still works


def test_a_plugin_check_runs_under_both_build_and_check(example, tmp_path):
    """One registry: the example's record checks (EXA001, and PLG001 from the one that raises), registered
    through the entry point, report under `mscbib build` and under `mscbib check` alike."""
    page = tmp_path / "a.mini"
    page.write_text("%MINI\nTITLE: A synthetic work without a year\n", encoding="utf-8")
    out = tmp_path / "out.bib"
    built = CliRunner().invoke(main, ["build", "--offline", "-v", "-o", str(out), str(page)])
    assert built.exception is None or isinstance(built.exception, SystemExit), built.output
    assert "EXA001" in built.output and "no year" in built.output
    assert "PLG001" in built.output and "always-fails" in built.output

    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{okafor2019,\n  author = {Okafor, Chidi},\n  title = {Stromal cells},\n  journal = {Bone},\n}\n",
        encoding="utf-8",
    )
    checked = CliRunner().invoke(main, ["check", "--offline", "--format", "json", str(bib)])
    rows = json.loads(checked.output)
    exa = [r for r in rows if r["code"] == "EXA001"]
    assert len(exa) == 1 and exa[0]["key"] == "okafor2019" and exa[0]["line"] == 1
    assert any(r["code"] == "PLG001" and "always-fails" in r["message"] for r in rows)
    # with the year given, the plug-in check is silent under check too: it reads the entry's fields
    bib.write_text(bib.read_text(encoding="utf-8").replace("},\n}", "},\n  year = {2019},\n}"), encoding="utf-8")
    rows = json.loads(CliRunner().invoke(main, ["check", "--offline", "--format", "json", str(bib)]).output)
    assert not [r for r in rows if r["code"] == "EXA001"]


def test_plugin_checks_are_registered_once_per_discovery(example):
    first = [c for c in registry.checks("record") if c.plugin]
    again = [c for c in registry.checks("record") if c.plugin]
    assert [c.name for c in first] == ["always-fails", "needs-year"] and first == again
    assert all(c.plugin == "mscbib-example-plugin 0.1" for c in first)
    plugins.reset()
    sys.path.remove(str(EXAMPLE))
    assert not [c for c in registry.checks("record") if c.plugin]  # uninstalled: gone from the registry


def test_a_plugin_library_check_reads_full_records_under_check(example, tmp_path):
    """A plug-in check over all records (``library = True``) gets, under `mscbib check`, the records the BibTeX
    reader makes of the entries: every field, crossref inherited (synthetic entries)."""
    from mscbib.bibfile import parse_bib
    from mscbib.model import Finding, Severity
    from mscbib.validate.check import run_checks

    seen = []

    def journals(records):
        seen.extend((r.key, r.get("journal"), r.get("abstract")) for r in records)
        return [Finding("EXA002", Severity.INFO, "library check ran", key=records[0].key)]

    registry.checks("records")  # the example's discovery registered first
    registry.register(registry.CheckInfo("journals", (), journals, "records", plugin="synthetic 0"))
    bib = parse_bib(
        "@proceedings{p, title = {Meeting}, year = 2020, booktitle = {Proc}}\n"
        "@inproceedings{a, author = {Roe, Ann}, title = {Talk}, crossref = {p}, abstract = {Short.}}\n",
        "x.bib",
    )
    found = run_checks(bib, model="bibtex").findings
    assert [f.code for f in found if f.code == "EXA002"] == ["EXA002"]
    assert ("a", "Proc", "Short.") in seen and len(seen) == 2  # booktitle inherited from p


def test_check_in_a_fresh_process_runs_the_plugin_check_and_loads_its_reader(tmp_path):
    """`mscbib check` imports the writers before the readers; the example module (reader, checks and writer in
    one) then imported mscbib.sources from inside its own import, and its reader was reported as 'skipped:
    partially initialized module' though nothing is wrong with it."""
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{k, author = {Roe, Ann}, title = {T}, journal = {J}}\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(EXAMPLE), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run(
        [sys.executable, "-c", "from mscbib.cli import main; main()", "check", "--offline", str(bib)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert "EXA001: no year" in proc.stdout and "PLG001" in proc.stdout, proc.stdout + proc.stderr
    assert "'mini'" not in proc.stderr and "partially initialized" not in proc.stderr, proc.stderr
    assert "'broken'" in proc.stderr  # the one that is broken is still reported
