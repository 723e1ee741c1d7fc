"""Push items into a running Zotero desktop through its local connector server (127.0.0.1:23119).

This is the endpoint Zotero's browser connector uses: ``/connector/ping`` says Zotero is running,
``/connector/saveItems`` takes items in Zotero's JSON form with a session id (notes inline), and
``/connector/import`` runs Zotero's import translators on a posted file. mscbib tries saveItems and
falls back to posting the records as BibTeX to import when saveItems is refused.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any, Sequence

import requests

from ... import __version__
from ...writers.bibtex import render
from .items import ZoteroItem

__all__ = ["DEFAULT_CONNECTOR_URL", "ZoteroNotRunning", "ConnectorResult", "push_connector", "connector_payload"]

DEFAULT_CONNECTOR_URL = "http://127.0.0.1:23119"
_HEADERS = {
    "User-Agent": f"mscbib/{__version__}",
    # what Zotero's connector sends; Zotero refuses some requests without an allowed-request marker
    "X-Zotero-Connector-API-Version": "3",
    "Zotero-Allowed-Request": "1",
}


class ZoteroNotRunning(RuntimeError):
    """Nothing answered on the connector port: Zotero desktop is not running (or not on this port)."""


@dataclass
class ConnectorResult:
    url: str
    session: str
    sent: int
    notes: int
    method: str  # "saveItems" or "import"
    status: int
    answer: Any = None
    #: what saveItems answered when import had to be used
    refused: str | None = None
    ok: bool = True
    messages: list[str] = field(default_factory=list)


def connector_payload(items: Sequence[ZoteroItem], session: str, uri: str = "") -> dict[str, Any]:
    """The body of ``/connector/saveItems``: items with their notes inline, and the session id."""
    out = []
    for i, item in enumerate(items):
        data = dict(item.data)
        data["id"] = item.key or f"mscbib-{i}"
        data["notes"] = [{"itemType": "note", "note": n} for n in item.notes]
        data["attachments"] = []
        out.append(data)
    return {"sessionID": session, "uri": uri or "mscbib:push", "items": out}


def _answer(resp: requests.Response) -> Any:
    try:
        return resp.json()
    except ValueError:
        return resp.text.strip()


def push_connector(
    items: Sequence[ZoteroItem],
    url: str = DEFAULT_CONNECTOR_URL,
    *,
    timeout: float = 30.0,
    session: str | None = None,
    http: requests.Session | None = None,
) -> ConnectorResult:
    """Send ``items`` to Zotero desktop. Raises :class:`ZoteroNotRunning` when nothing answers."""
    url = url.rstrip("/")
    http = http or requests.Session()
    session = session or uuid.uuid4().hex
    try:
        ping = http.post(f"{url}/connector/ping", json={}, headers=_HEADERS, timeout=timeout)
    except requests.ConnectionError as exc:
        raise ZoteroNotRunning(
            f"Zotero is not running: nothing answered at {url}/connector/ping. Start Zotero desktop (7 or later) "
            f"and try again, or send to zotero.org with --web."
        ) from exc
    if ping.status_code >= 400:
        # very old Zotero versions only answer GET
        ping = http.get(f"{url}/connector/ping", headers=_HEADERS, timeout=timeout)
        if ping.status_code >= 400:
            raise ZoteroNotRunning(
                f"{url}/connector/ping answered {ping.status_code}: this is not a Zotero connector server"
            )
    n_notes = sum(len(i.notes) for i in items)
    body = json.dumps(connector_payload(items, session), ensure_ascii=False).encode("utf-8")
    resp = http.post(
        f"{url}/connector/saveItems",
        data=body,
        timeout=timeout,
        headers={**_HEADERS, "Content-Type": "application/json"},
    )
    if resp.status_code in (200, 201):
        return ConnectorResult(url, session, len(items), n_notes, "saveItems", resp.status_code, _answer(resp))
    refused = f"{resp.status_code} {str(_answer(resp))[:300]}"
    # fallback: Zotero's own BibTeX import (notes are not carried by BibTeX)
    bib = render([i.record for i in items]).encode("utf-8")
    resp2 = http.post(
        f"{url}/connector/import",
        params={"session": session + "-import"},
        data=bib,
        timeout=timeout,
        headers={**_HEADERS, "Content-Type": "application/x-bibtex"},
    )
    ok = resp2.status_code in (200, 201)
    result = ConnectorResult(
        url, session, len(items), 0, "import", resp2.status_code, _answer(resp2), refused=refused, ok=ok
    )
    result.messages.append(
        f"saveItems was refused ({refused}); sent the entries as BibTeX to /connector/import"
        + ("" if ok else f", which answered {resp2.status_code}")
        + (f"; {n_notes} reference-list notes could not be sent that way" if n_notes else "")
    )
    return result
