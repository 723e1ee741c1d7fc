"""Settings in one place: :func:`mscbib.config.setting` resolves them (option > environment > mscbib.toml > default),
:mod:`mscbib.session` hands them to the clients, and the clients take parameters and read no environment. Every
variable the README documents keeps working through the session (the clients made here send nothing)."""

from __future__ import annotations

import ast
import re

import pytest

from conftest import ROOT
from mscbib.config import ENV
from mscbib.enrich.agencies import DEFAULT_RESOLVER_URL, AgencyClient
from mscbib.services.crossref import CrossrefClient
from mscbib.services.crossref.client import DEFAULT_BASE_URL
from mscbib.services.handles import DEFAULT_HANDLE_URL, HandleClient
from mscbib.services.ncbi import DEFAULT_EUTILS_URL, DEFAULT_IDCONV_URL, NcbiClient
from mscbib.session import SettingError, crossref_client, handle_client, services

SRC = ROOT / "src" / "mscbib"

#: each client setting: its name in config.ENV, and how to read it off the clients the session makes
CLIENT_SETTINGS = {
    "crossref_url": lambda c, s, h: c.base_url,
    "mailto": lambda c, s, h: (c.mailto, s["ncbi"].email),
    "plus_token": lambda c, s, h: c.plus_token,
    "cache": lambda c, s, h: str(c.cache.path),
    "max_age": lambda c, s, h: c.max_age,
    "ncbi_api_key": lambda c, s, h: s["ncbi"].api_key,
    "eutils_url": lambda c, s, h: s["ncbi"].eutils_url,
    "idconv_url": lambda c, s, h: s["ncbi"].idconv_url,
    "doi_resolver_url": lambda c, s, h: s["agencies"].service.base_url,
    "doi_handle_url": lambda c, s, h: h.base_url,
}
VALUES = {
    "crossref_url": ("http://127.0.0.1:1/env", "http://127.0.0.1:2/toml", "http://127.0.0.1:3/option"),
    "mailto": ("env@example.org", "toml@example.org", "option@example.org"),
    "plus_token": ("env-token", "toml-token", "option-token"),
    "max_age": ("1h", "2h", "3h"),
    "ncbi_api_key": ("env-key", "toml-key", "option-key"),
    "eutils_url": ("http://127.0.0.1:1/eutils", "http://127.0.0.1:2/eutils", "http://127.0.0.1:3/eutils"),
    "idconv_url": ("http://127.0.0.1:1/idconv", "http://127.0.0.1:2/idconv", "http://127.0.0.1:3/idconv"),
    "doi_resolver_url": ("http://127.0.0.1:1/doi", "http://127.0.0.1:2/doi", "http://127.0.0.1:3/doi"),
    "doi_handle_url": ("http://127.0.0.1:1/hdl", "http://127.0.0.1:2/hdl", "http://127.0.0.1:3/hdl"),
}
SECONDS = {"1h": 3600.0, "2h": 7200.0, "3h": 10800.0}


def made(options=None):
    """The clients the session makes, with ``options`` as the command line would give them."""
    o = options or {}
    client = crossref_client(
        o.get("crossref_url"), o.get("mailto"), o.get("cache"), max_age=o.get("max_age"), plus_token=o.get("plus_token")
    )
    svc = services(
        client,
        o.get("ncbi_api_key"),
        eutils_url=o.get("eutils_url"),
        idconv_url=o.get("idconv_url"),
        doi_resolver_url=o.get("doi_resolver_url"),
    )
    return client, svc, handle_client(client, o.get("doi_handle_url"))


def read(name, clients):
    return CLIENT_SETTINGS[name](*clients)


def expected(name, value):
    if name == "max_age":
        return SECONDS[value]
    if name == "mailto":
        return (value, value)
    return value


def test_every_documented_variable_is_a_setting():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"\b(MSCBIB_[A-Z_]+[A-Z]|NCBI_API_KEY)\b", readme)) - {"MSCBIB_SHARED"}
    assert documented and documented <= set(ENV.values()), documented - set(ENV.values())


@pytest.mark.parametrize("name", sorted(VALUES))
def test_option_then_environment_then_config_file(name, tmp_path, monkeypatch):
    env, toml, option = VALUES[name]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mscbib.toml").write_text(f'{name} = "{toml}"\n', encoding="utf-8")
    assert read(name, made()) == expected(name, toml)
    monkeypatch.setenv(ENV[name], env)
    assert read(name, made()) == expected(name, env)
    assert read(name, made({name: option})) == expected(name, option)


def test_the_cache_from_option_environment_or_config_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MSCBIB_CACHE")
    (tmp_path / "mscbib.toml").write_text('cache = "toml.sqlite3"\n', encoding="utf-8")
    assert read("cache", made()) == "toml.sqlite3"
    monkeypatch.setenv("MSCBIB_CACHE", str(tmp_path / "env.sqlite3"))
    assert read("cache", made()) == str(tmp_path / "env.sqlite3")
    assert read("cache", made({"cache": str(tmp_path / "option.sqlite3")})) == str(tmp_path / "option.sqlite3")


def test_the_defaults_without_any_setting(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    client, svc, handles = made()
    assert client.base_url == DEFAULT_BASE_URL and client.mailto is None and client.plus_token is None
    assert svc["ncbi"].eutils_url == DEFAULT_EUTILS_URL and svc["ncbi"].idconv_url == DEFAULT_IDCONV_URL
    assert svc["ncbi"].api_key is None and svc["agencies"].service.base_url == DEFAULT_RESOLVER_URL
    assert handles.base_url == DEFAULT_HANDLE_URL
    assert (handles.cache, handles.max_age, svc["ncbi"].service.cache) == (client.cache, client.max_age, client.cache)


def test_the_clients_read_no_environment(monkeypatch):
    """A client made in library code without the session takes what it is given: the environment is the session's."""
    for name in VALUES:
        monkeypatch.setenv(ENV[name], VALUES[name][0])
    assert CrossrefClient().base_url == DEFAULT_BASE_URL and CrossrefClient().mailto is None
    assert CrossrefClient().plus_token is None
    ncbi = NcbiClient()
    assert (ncbi.eutils_url, ncbi.idconv_url, ncbi.api_key, ncbi.email) == (
        DEFAULT_EUTILS_URL,
        DEFAULT_IDCONV_URL,
        None,
        None,
    )
    assert AgencyClient().service.base_url == DEFAULT_RESOLVER_URL and HandleClient().base_url == DEFAULT_HANDLE_URL


def test_a_bad_config_file_is_a_setting_error_for_every_client(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    client = crossref_client()
    (tmp_path / "mscbib.toml").write_text("mailto = \n", encoding="utf-8")
    for make in (crossref_client, lambda: services(client), lambda: handle_client(client)):
        with pytest.raises(SettingError, match="mscbib.toml"):
            make()


def test_only_the_resolver_reads_the_environment():
    """``os.environ`` / ``getenv`` in library code: in :mod:`mscbib.config` alone (the stand-ins of
    :mod:`mscbib.testing` are no library code)."""
    readers = []
    for path in sorted(SRC.rglob("*.py")):
        if "testing" in path.relative_to(SRC).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb")) or (
                isinstance(node, ast.Name) and node.id in ("environ", "getenv")
            ):
                readers.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert readers and all(r.startswith("config.py:") for r in readers), readers
