from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from mscbib.cli import main
from conftest import SEEDS


def test_help_lists_build():
    out = CliRunner().invoke(main, ["--help"]).output
    assert "build" in out
    out = CliRunner().invoke(main, ["build", "--help"]).output
    assert "Exit codes" in out and "--crossref-url" in out and "--offline" in out


def test_build_defaults_to_seeds_and_bib_library(standin, tmp_path, monkeypatch):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "--crossref-url", standin.url, "--report", "report.json"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "bib" / "library.bib").is_file()
    assert "3 entries (3 verified" in result.output
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["summary"]["verified"] == 3


def test_crossref_url_from_environment(standin, tmp_path, monkeypatch):
    monkeypatch.setenv("MSCBIB_CROSSREF_URL", standin.url)
    result = CliRunner().invoke(main, ["build", str(SEEDS), "-o", str(tmp_path / "x.bib")])
    assert result.exit_code == 0, result.output
    assert standin.count() == 10  # 3 entries (one asked whole after its lean search), 6 cited references


def test_mailto_from_config_file(standin, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mscbib.toml").write_text(f'mailto = "cfg@example.org"\ncrossref_url = "{standin.url}"\n')
    result = CliRunner().invoke(main, ["build", str(SEEDS), "-o", "x.bib"])
    assert result.exit_code == 0, result.output
    assert "mailto:cfg@example.org" in standin.requests[0].headers["User-Agent"]


def test_unreachable_exit_code(tmp_path):
    result = CliRunner().invoke(main, ["build", str(SEEDS), "-o", str(tmp_path / "x.bib"),
                                       "--crossref-url", "http://127.0.0.1:9"])
    assert result.exit_code == 3
    assert "could not be reached" in result.output


def test_no_inputs_found(tmp_path):
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(main, ["build", str(tmp_path / "empty"), "-o", str(tmp_path / "x.bib"), "--offline"])
    assert result.exit_code == 2
    assert "no input files" in result.output and not (tmp_path / "x.bib").exists()


def test_every_exit_code_in_the_help_is_one_of_mscbib_exits():
    import re

    from mscbib import exits

    for command in ("build", "check"):
        out = CliRunner().invoke(main, [command, "--help"]).output
        block = out.split("Exit codes:", 1)[1].split("\n\n", 1)[0]
        codes = {int(m) for m in re.findall(r"^\s+(\d+)\s", block, re.M)}
        assert codes == set(exits.PRECEDENCE), (command, codes)
