"""Shared test fixtures: the local Crossref stand-in, a fresh cache per test, and a guard that makes
any attempt to reach the real network fail loudly."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from mscbib.services.crossref import Cache, CrossrefClient
from mscbib.testing.crossref_standin import CrossrefStandIn, load_works, synthetic_works

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: ../shared beside the checkout (material others made; never copied into the project)
SHARED = Path(os.environ.get("MSCBIB_SHARED", ROOT.parent / "shared"))

_LOCAL = ("127.", "::1", "localhost")
_real_connect = socket.socket.connect
_real_getaddrinfo = socket.getaddrinfo


def _is_local(host: object) -> bool:
    return isinstance(host, str) and (host.startswith(_LOCAL) or host == "")


def _guarded_connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
        raise OSError(f"a test tried to reach the network: {address!r}")
    return _real_connect(self, address)


def _guarded_getaddrinfo(host, *args, **kwargs):
    if host is not None and not _is_local(host if isinstance(host, str) else host.decode()):
        raise socket.gaierror(socket.EAI_NONAME, f"a test tried to resolve {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True)
def no_network(monkeypatch, tmp_path):
    """No test reaches the real network; each gets its own cache and config folders."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", _guarded_getaddrinfo)
    monkeypatch.setenv("MSCBIB_CACHE", str(tmp_path / "cache" / "crossref.sqlite3"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.delenv("MSCBIB_CROSSREF_URL", raising=False)
    monkeypatch.delenv("MSCBIB_MAILTO", raising=False)


def fixture_works():
    """The hand-made Crossref records under tests/fixtures/crossref (each labelled ``_synthetic``)."""
    return load_works(sorted((FIXTURES / "crossref").glob("*.json")))


@pytest.fixture
def standin():
    with CrossrefStandIn(fixture_works()) as server:
        yield server


#: made-up works (each labelled ``_synthetic``) for tests that need many: batching, limits, faults
SYNTHETIC = synthetic_works(60)


@pytest.fixture
def synthetic_standin():
    """A stand-in serving the 60 works of :data:`SYNTHETIC`."""
    with CrossrefStandIn(list(SYNTHETIC)) as server:
        yield server


@pytest.fixture
def cache(tmp_path):
    c = Cache(tmp_path / "test-cache.sqlite3")
    yield c
    c.close()


@pytest.fixture
def client(standin, cache):
    return CrossrefClient(base_url=standin.url, mailto="tests@example.org", cache=cache)


@pytest.fixture
def shared():
    if not (SHARED / "crossref-samples").is_dir():
        pytest.skip(f"{SHARED} is absent: the shared material is not beside this checkout")
    return SHARED
