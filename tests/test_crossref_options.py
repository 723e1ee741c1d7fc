"""Crossref settings on the command line: --max-age, --plus-token, the progress bar's counts."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import SEEDS
from mscbib.cli import main
from mscbib.commands._common import LookupBar, parse_age
from mscbib.pipeline.build import build
from mscbib.services.crossref import Cache, CrossrefClient


def test_parse_age():
    assert parse_age("30d") == 30 * 86400 and parse_age("12h") == 43200 and parse_age("90m") == 5400
    assert parse_age("3600") == 3600 and parse_age("2w") == 14 * 86400 and parse_age(None) is None
    with pytest.raises(ValueError):
        parse_age("soon")


def test_plus_token_and_max_age_from_the_command_line(standin, tmp_path):
    cache = tmp_path / "c.sqlite3"
    args = ["build", str(SEEDS), "-o", str(tmp_path / "x.bib"), "--crossref-url", standin.url, "--cache", str(cache)]
    result = CliRunner().invoke(main, args + ["--plus-token", "tok-123"])
    assert result.exit_code == 0, result.output
    assert all(r.headers.get("Crossref-Plus-API-Token") == "Bearer tok-123" for r in standin.requests)
    asked = standin.count()
    assert CliRunner().invoke(main, args).exit_code == 0
    assert standin.count() == asked  # warm: nothing asked
    assert CliRunner().invoke(main, args + ["--max-age", "0s"]).exit_code == 0
    assert standin.count() > asked  # every cached answer was too old
    bad = CliRunner().invoke(main, args + ["--max-age", "soon"])
    assert bad.exit_code == 2 and "--max-age" in bad.output


def test_plus_token_from_environment_and_config(standin, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mscbib.toml").write_text(f'plus_token = "from-config"\ncrossref_url = "{standin.url}"\n')
    assert CliRunner().invoke(main, ["build", str(SEEDS), "-o", "a.bib"]).exit_code == 0
    assert standin.requests[-1].headers.get("Crossref-Plus-API-Token") == "Bearer from-config"
    monkeypatch.setenv("MSCBIB_PLUS_TOKEN", "from-env")
    assert CliRunner().invoke(main, ["build", str(SEEDS), "-o", "b.bib", "--refresh"]).exit_code == 0
    assert standin.requests[-1].headers.get("Crossref-Plus-API-Token") == "Bearer from-env"


def test_the_progress_counts_found_not_found_and_failed(standin, tmp_path):
    doi_list = tmp_path / "dois.txt"
    doi_list.write_text("10.1007/s10555-010-9222-7\n10.5555/not-registered\n", encoding="utf-8")
    bar = LookupBar(enabled=False)  # CliRunner's stderr is not a terminal: the bar is off, the counts kept
    build(
        [str(doi_list)],
        str(tmp_path / "x.bib"),
        CrossrefClient(standin.url, cache=Cache(tmp_path / "c")),
        lookup_progress=bar,
    )
    assert bar.counts == {"found": 1, "not found": 1, "failed": 0}
    url = standin.url
    standin.stop()  # nothing answers now
    bar = LookupBar(enabled=False)
    doi_list.write_text("10.5555/other-one\n10.5555/other-two\n", encoding="utf-8")
    build(
        [str(doi_list)], str(tmp_path / "y.bib"), CrossrefClient(url, cache=Cache(tmp_path / "c")), lookup_progress=bar
    )
    assert bar.counts == {"found": 0, "not found": 0, "failed": 2}
