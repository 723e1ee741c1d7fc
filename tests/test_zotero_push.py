"""Both Zotero pushes against local stand-ins (127.0.0.1, started here) that check every item against
Zotero's schema and record the requests."""

from __future__ import annotations

import socket

import pytest

from conftest import SEEDS, SHARED
from mscbib.integrations.zotero import (
    BATCH,
    Library,
    WebAPIError,
    ZoteroNotRunning,
    load_schema,
    push_connector,
    push_web,
    zotero_item,
)
from mscbib.integrations.zotero.standin import ConnectorStandIn, WebAPIStandIn
from mscbib.keys import assign_keys
from mscbib.model import Provenance, Record
from mscbib.sources import read_inputs


@pytest.fixture(scope="module")
def schema():
    path = SHARED / "zotero-schema" / "schema.json"
    return load_schema(path) if path.is_file() else None  # the stand-ins then check the shape only


def seed_items():
    records = read_inputs([SEEDS]).records
    assign_keys(records)
    return [zotero_item(r) for r in records]


def many_items(n):
    """``n`` synthetic journal articles with distinct DOIs."""
    src = Provenance("synthetic")
    records = []
    for i in range(n):
        rec = Record(source=src)
        rec.set("title", f"Synthetic article number {i}", src)
        rec.set("doi", f"10.5555/synthetic.{i}", src)
        rec.set("journal", "Journal of Synthetic Tests", src)
        rec.set("year", "2020", src)
        records.append(rec)
    assign_keys(records)
    return [zotero_item(r) for r in records]


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# -- desktop connector -----------------------------------------------------------------------------


def test_connector_push_sends_valid_items_with_notes_and_a_session(schema):
    items = seed_items()
    with ConnectorStandIn(schema) as zot:
        result = push_connector(items, zot.url)
    assert result.ok and result.method == "saveItems" and result.status == 201
    assert zot.paths() == ["POST /connector/ping", "POST /connector/saveItems"]
    body = zot.requests[1].json()
    assert body["sessionID"] == result.session and len(result.session) == 32
    assert zot.problems == [] and len(zot.saved) == 3
    assert {i["DOI"] for i in zot.saved if "DOI" in i} == {"10.1007/s10555-010-9222-7", "10.1186/s40164-025-00688-7"}
    notes = [n for i in zot.saved for n in i["notes"]]
    assert result.notes == len(notes) >= 1 and all(n["note"].startswith("<h1>References") for n in notes)
    assert zot.requests[1].headers["X-Zotero-Connector-API-Version"] == "3"


def test_connector_falls_back_to_import_when_save_is_refused(schema):
    items = seed_items()
    with ConnectorStandIn(schema, refuse_save=True) as zot:
        result = push_connector(items, zot.url)
    assert result.ok and result.method == "import" and result.refused.startswith("500")
    assert zot.paths()[-1] == "POST /connector/import"
    bib = zot.imported[0].decode()
    assert bib.count("@article{") == 3 and "10.1007/s10555-010-9222-7" in bib
    assert "could not be sent that way" in result.messages[0]


def test_connector_says_zotero_is_not_running():
    with pytest.raises(ZoteroNotRunning, match="Zotero is not running"):
        push_connector(seed_items(), f"http://127.0.0.1:{free_port()}")


def test_connector_stand_in_refuses_an_invalid_item(schema):
    if schema is None:
        pytest.skip("the Zotero schema is absent")
    item = seed_items()[0]
    item.data["bookTitle"] = "not a journalArticle field"
    with ConnectorStandIn(schema) as zot:
        result = push_connector([item], zot.url)
    assert result.method == "import" and any("no field 'bookTitle'" in p for p in zot.problems)


# -- Web API ---------------------------------------------------------------------------------------


def test_web_push_creates_items_and_notes_then_no_duplicates(schema):
    items = seed_items()
    lib = Library("users", "475425")
    with WebAPIStandIn("secret", schema) as api:
        first = push_web(items, lib, "secret", api_url=api.url, sleep=lambda s: None)
        second = push_web(seed_items(), lib, "secret", api_url=api.url, sleep=lambda s: None)
        stored = api.library("/users/475425").items
    assert first.ok and len(first.created) == 3 and first.notes >= 1 and api.problems == []
    assert second.created == {} and sorted(second.skipped.values()) == sorted(first.created.values())
    assert len(stored) == 3 + first.notes
    notes = [v["data"] for v in stored.values() if v["data"]["itemType"] == "note"]
    assert all(n["parentItem"] in first.created.values() for n in notes)
    writes = [r for r in api.requests if r.method == "POST"]
    assert all(r.path == "/users/475425/items" and len(r.headers["Zotero-Write-Token"]) == 32 for r in writes)
    assert all(r.headers["Zotero-API-Key"] == "secret" and r.headers["Zotero-API-Version"] == "3" for r in api.requests)


def test_web_push_matches_on_citation_key_when_the_doi_differs(schema):
    items = seed_items()
    lib = Library("groups", "9")
    with WebAPIStandIn("k", schema) as api:
        push_web(items, lib, "k", api_url=api.url, sleep=lambda s: None)
        for obj in api.library("/groups/9").items.values():  # someone removed the DOIs in Zotero
            obj["data"].pop("DOI", None)
        again = push_web(seed_items(), lib, "k", api_url=api.url, sleep=lambda s: None)
    assert again.created == {} and len(again.skipped) == 3


def test_web_push_batches_of_fifty(schema):
    items = many_items(2 * BATCH + 7)
    with WebAPIStandIn("k", schema) as api:
        result = push_web(items, Library("users", "1"), "k", api_url=api.url, sleep=lambda s: None)
    sizes = [len(r.json()) for r in api.requests if r.method == "POST"]
    assert sizes == [50, 50, 7] and len(result.created) == 107


def test_web_push_honours_retry_after_and_backoff(schema):
    waits: list[float] = []
    with WebAPIStandIn("k", schema, throttle=2, backoff=7) as api:
        result = push_web(many_items(3), Library("users", "1"), "k", api_url=api.url, sleep=waits.append)
    assert result.ok and len(result.created) == 3
    # two 429s with Retry-After: 1 on the first GET, each followed by a 1 s wait and the same request
    assert api.paths()[:3] == ["GET /users/1/items/top"] * 3
    assert waits == [1.0, 1.0] or waits[:2] == [1.0, 1.0]
    assert 7.0 not in waits  # Backoff only comes with writes; there is no request after the only write


def test_web_push_waits_out_backoff_before_the_next_write(schema):
    waits: list[float] = []
    with WebAPIStandIn("k", schema, backoff=7) as api:
        push_web(many_items(BATCH + 1), Library("users", "1"), "k", api_url=api.url, sleep=waits.append)
    assert waits == [7.0]  # after the first batch's answer, before the second batch


def test_web_push_wrong_key_is_a_clear_error(schema):
    with WebAPIStandIn("right", schema) as api:
        with pytest.raises(WebAPIError, match="403"):
            push_web(seed_items(), Library("users", "1"), "wrong", api_url=api.url, sleep=lambda s: None)


def test_web_push_reports_items_zotero_refuses(schema):
    if schema is None:
        pytest.skip("the Zotero schema is absent")
    items = seed_items()
    items[0].data["proceedingsTitle"] = "invalid for a journal article"
    with WebAPIStandIn("k", schema) as api:
        result = push_web(items, Library("users", "1"), "k", api_url=api.url, sleep=lambda s: None)
    assert not result.ok and len(result.created) == 2
    assert "no field 'proceedingsTitle'" in result.failed[items[0].record.label()]


# -- the command -----------------------------------------------------------------------------------


def test_cli_push_desktop_and_web_and_not_running(schema, monkeypatch):
    from click.testing import CliRunner

    from mscbib.cli import main

    run = CliRunner().invoke
    with ConnectorStandIn(schema) as zot:
        result = run(main, ["zotero", "push", str(SEEDS), "--offline", "--connector-url", zot.url])
    assert result.exit_code == 0, result.output
    assert "sent 3 items" in result.output and len(zot.saved) == 3
    result = run(
        main, ["zotero", "push", str(SEEDS), "--offline", "--connector-url", f"http://127.0.0.1:{free_port()}"]
    )
    assert result.exit_code == 3 and "Zotero is not running" in result.output
    monkeypatch.setenv("MSCBIB_ZOTERO_API_KEY", "k")
    with WebAPIStandIn("k", schema) as api:
        first = run(main, ["zotero", "push", str(SEEDS), "--offline", "--web", "--user", "7", "--api-url", api.url])
        second = run(main, ["zotero", "push", str(SEEDS), "--offline", "--web", "--user", "7", "--api-url", api.url])
    assert first.exit_code == 0, first.output
    assert "3 created, 0 already there" in first.output and "0 created, 3 already there" in second.output
    result = run(main, ["zotero", "push", str(SEEDS), "--offline", "--web"])
    assert result.exit_code == 2 and "--user ID or --group ID" in result.output
