"""Push items to a zotero.org library through the Zotero Web API (v3).

* The library is ``users/<id>`` or ``groups/<id>``; the key goes in the ``Zotero-API-Key`` header.
* Writes go in batches of at most :data:`BATCH` items (the API's limit), each with a write token so a
  retried batch is never created twice.
* ``Backoff: N`` in any answer means: wait N seconds before the next request; ``429``/``503`` with
  ``Retry-After: N`` means: wait N seconds and send the same request again.
* Before writing, the library's top-level items are read, and a record whose DOI or citation key
  (the ``Citation Key:`` line in Extra, or the ``citationKey`` field) is already there is not sent
  again: a second push creates no duplicates.
* The cited-reference list is created as a child note of the new item.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import requests

from ... import __version__
from ...identifiers import normalize_doi
from .items import KEY_LINE, ZoteroItem, extra_lines

__all__ = ["DEFAULT_API_URL", "BATCH", "WebAPIError", "WebResult", "Library", "push_web", "existing_index"]

DEFAULT_API_URL = "https://api.zotero.org"
#: Most objects the Web API accepts in one write request.
BATCH = 50
MAX_RETRIES = 5


class WebAPIError(RuntimeError):
    pass


@dataclass(frozen=True)
class Library:
    kind: str  # "users" or "groups"
    id: str

    @property
    def path(self) -> str:
        return f"/{self.kind}/{self.id}"


@dataclass
class WebResult:
    library: Library
    created: dict[str, str] = field(default_factory=dict)  # mscbib label -> Zotero item key
    skipped: dict[str, str] = field(default_factory=dict)  # mscbib label -> key of the item already there
    failed: dict[str, str] = field(default_factory=dict)  # mscbib label -> Zotero's message
    notes: int = 0
    notes_failed: dict[str, str] = field(default_factory=dict)
    requests: int = 0
    waited: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed and not self.notes_failed


class _Client:
    def __init__(
        self,
        base: str,
        library: Library,
        api_key: str,
        http: requests.Session | None,
        sleep: Callable[[float], None],
        timeout: float,
    ) -> None:
        self.base = base.rstrip("/") + library.path
        self.http = http or requests.Session()
        self.headers = {"Zotero-API-Key": api_key, "Zotero-API-Version": "3", "User-Agent": f"mscbib/{__version__}"}
        self.sleep = sleep
        self.timeout = timeout
        self.backoff = 0.0
        self.requests = 0
        self.waited = 0.0

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self.waited += seconds
            self.sleep(seconds)

    def request(self, method: str, path: str, **kw: Any) -> requests.Response:
        headers = {**self.headers, **kw.pop("headers", {})}
        for attempt in range(MAX_RETRIES + 1):
            self._wait(self.backoff)  # the server asked for a pause before the next request
            self.backoff = 0.0
            self.requests += 1
            try:
                resp = self.http.request(method, self.base + path, headers=headers, timeout=self.timeout, **kw)
            except requests.ConnectionError as exc:
                raise WebAPIError(f"the Zotero Web API at {self.base} could not be reached: {exc}") from exc
            backoff = _seconds(resp.headers.get("Backoff"))
            if backoff:
                self.backoff = backoff
            if resp.status_code in (429, 503) and attempt < MAX_RETRIES:
                self._wait(_seconds(resp.headers.get("Retry-After")) or 2**attempt)
                continue
            if resp.status_code == 403:
                raise WebAPIError(
                    f"{method} {self.base}{path}: 403 — the API key is not valid for this library or lacks write access"
                )
            if resp.status_code == 404:
                raise WebAPIError(f"{method} {self.base}{path}: 404 — no such library")
            if resp.status_code >= 400:
                raise WebAPIError(f"{method} {self.base}{path}: {resp.status_code} {resp.text[:300]}")
            return resp
        raise WebAPIError(f"{method} {self.base}{path}: still refused after {MAX_RETRIES} retries")  # pragma: no cover


def _seconds(value: str | None) -> float:
    try:
        return max(0.0, float(value)) if value else 0.0
    except ValueError:
        return 0.0


def existing_index(client: _Client) -> tuple[dict[str, str], dict[str, str]]:
    """DOI → item key and citation key → item key for the library's top-level items."""
    by_doi: dict[str, str] = {}
    by_key: dict[str, str] = {}
    start = 0
    while True:
        resp = client.request("GET", "/items/top", params={"format": "json", "limit": 100, "start": start})
        page = resp.json()
        for obj in page:
            data = obj.get("data", obj)
            doi = normalize_doi(data.get("DOI") or extra_lines(data.get("extra")).get("doi"))
            if doi:
                by_doi.setdefault(doi, obj.get("key") or data.get("key"))
            ckey = data.get("citationKey") or extra_lines(data.get("extra")).get(KEY_LINE.lower())
            if ckey:
                by_key.setdefault(ckey, obj.get("key") or data.get("key"))
        total = resp.headers.get("Total-Results")
        start += len(page)
        if not page or len(page) < 100 or (total and total.isdigit() and start >= int(total)):
            return by_doi, by_key


def _write(client: _Client, objects: list[dict[str, Any]]) -> dict[str, Any]:
    token = uuid.uuid4().hex  # the same token on a retry: Zotero creates the batch once
    resp = client.request("POST", "/items", json=objects, headers={"Zotero-Write-Token": token})
    return resp.json()


def _message(failed: dict[str, Any], i: int) -> str | None:
    f = failed.get(str(i))
    return None if f is None else f"{f.get('code', '?')} {f.get('message', '')}".strip()


def push_web(
    items: Sequence[ZoteroItem],
    library: Library,
    api_key: str,
    *,
    api_url: str = DEFAULT_API_URL,
    http: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
    timeout: float = 30.0,
) -> WebResult:
    """Create the items (and their reference-list notes) that the library does not hold yet."""
    client = _Client(api_url, library, api_key, http, sleep, timeout)
    result = WebResult(library)
    by_doi, by_key = existing_index(client)
    todo: list[ZoteroItem] = []
    for item in items:
        label = item.record.label()
        doi = normalize_doi(item.doi)
        there = (doi and by_doi.get(doi)) or (item.key and by_key.get(item.key))
        if there:
            result.skipped[label] = there
        else:
            todo.append(item)
            if doi:  # the same DOI twice in one push is sent once
                by_doi[doi] = "(this push)"
    notes: list[tuple[str, str, str]] = []  # (label, parent key, html)
    for start in range(0, len(todo), BATCH):
        batch = todo[start : start + BATCH]
        answer = _write(client, [i.data for i in batch])
        success = answer.get("success", {})
        for n, item in enumerate(batch):
            label = item.record.label()
            key = success.get(str(n)) or (answer.get("unchanged") or {}).get(str(n))
            if key:
                result.created[label] = key
                notes += [(label, key, html) for html in item.notes]
            else:
                result.failed[label] = _message(answer.get("failed", {}), n) or "not in Zotero's answer"
    for start in range(0, len(notes), BATCH):
        batch_notes = notes[start : start + BATCH]
        answer = _write(
            client, [{"itemType": "note", "note": h, "parentItem": k, "tags": []} for _, k, h in batch_notes]
        )
        for n, (label, _key, _h) in enumerate(batch_notes):
            if str(n) in answer.get("success", {}):
                result.notes += 1
            else:
                result.notes_failed[label] = _message(answer.get("failed", {}), n) or "not in Zotero's answer"
    result.requests, result.waited = client.requests, client.waited
    return result
