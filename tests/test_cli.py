from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from conftest import SEEDS
from mscbib.cli import main


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
    result = CliRunner().invoke(
        main, ["build", str(SEEDS), "-o", str(tmp_path / "x.bib"), "--crossref-url", "http://127.0.0.1:9"]
    )
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


# -- one settings resolver, one client factory (issue 17) -------------------------------------------------------


def test_one_settings_resolver_option_env_toml_default(tmp_path, monkeypatch):
    from mscbib.config import setting
    from mscbib.session import crossref_client

    monkeypatch.chdir(tmp_path)
    for name in ("MSCBIB_MAILTO", "MSCBIB_MAX_AGE", "MSCBIB_ZOTERO_USER", "MSCBIB_PLUS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "mscbib.toml").write_text(
        'mailto = "toml@example.org"\nmax_age = "1h"\nzotero_user = "7"\n', encoding="utf-8"
    )
    assert setting("mailto") == "toml@example.org" and setting("zotero_user") == "7"
    assert setting("plus_token", default="none set") == "none set"
    monkeypatch.setenv("MSCBIB_MAILTO", "env@example.org")
    monkeypatch.setenv("MSCBIB_ZOTERO_USER", "8")
    assert setting("mailto") == "env@example.org" and setting("zotero_user") == "8"
    assert setting("mailto", "option@example.org") == "option@example.org"
    client = crossref_client(cache_path=str(tmp_path / "c.sqlite3"), offline=True)
    assert client.mailto == "env@example.org" and client.max_age == 3600
    monkeypatch.setenv("MSCBIB_MAX_AGE", "2h")  # the environment above mscbib.toml, for every setting alike
    assert crossref_client(cache_path=str(tmp_path / "c.sqlite3"), offline=True).max_age == 7200
    assert crossref_client(cache_path=str(tmp_path / "c.sqlite3"), offline=True, max_age="30m").max_age == 1800


def test_a_bad_setting_names_where_it_is_set(tmp_path, monkeypatch):
    from mscbib.session import SettingError, crossref_client

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MSCBIB_MAX_AGE", "soon")
    try:
        crossref_client(cache_path=str(tmp_path / "c.sqlite3"))
    except SettingError as exc:
        assert "soon" in str(exc) and exc.hint == "--max-age / MSCBIB_MAX_AGE / max_age"
    else:
        raise AssertionError("a bad age was accepted")
    res = CliRunner().invoke(
        main, ["build", str(SEEDS), "-o", str(tmp_path / "l.bib"), "--offline", "--cache", str(tmp_path / "c.sqlite3")]
    )
    assert res.exit_code == 2 and "MSCBIB_MAX_AGE" in res.output and "Traceback" not in res.output


def test_papis_importer_makes_its_client_without_the_cli(monkeypatch, tmp_path, standin):
    """papis' importer (papis stood in by the smallest module it needs: papis itself is an optional extra) asks
    Crossref through mscbib.session with the settings of the environment, and never loads the CLI's modules."""
    import logging
    import sys
    import types

    class PapisImporter:
        def __init__(self, uri: str = "", name: str = "") -> None:
            self.uri, self.name = uri, name
            self.ctx = types.SimpleNamespace(data={})
            self.logger = logging.getLogger("papis-stand-in")

    papis = types.ModuleType("papis")
    papis.importer = types.ModuleType("papis.importer")
    papis.importer.Importer = PapisImporter
    monkeypatch.setitem(sys.modules, "papis", papis)
    monkeypatch.setitem(sys.modules, "papis.importer", papis.importer)
    for name in [
        m for m in sys.modules if m == "mscbib.integrations.papis_importer" or m.startswith("mscbib.commands")
    ]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MSCBIB_CROSSREF_URL", standin.url)
    monkeypatch.setenv("MSCBIB_CACHE", str(tmp_path / "c.sqlite3"))
    from mscbib.integrations.papis_importer import Importer

    importer = Importer.match("https://doi.org/10.1007/s10555-010-9222-7")
    importer.fetch_data()
    assert importer.ctx.data["doi"] == "10.1007/s10555-010-9222-7"
    assert importer.ctx.data["mscbib_status"] == "verified" and importer.ctx.data["journal"]
    assert standin.count("work") == 1
    assert not [m for m in sys.modules if m.startswith("mscbib.commands")]
