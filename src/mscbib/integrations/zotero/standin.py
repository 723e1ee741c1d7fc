"""Local stand-ins for Zotero's connector server and the Zotero Web API, for tests.

Both are HTTP servers on 127.0.0.1 (a random port), record every request, and check every item they
receive against Zotero's schema (when given one), refusing invalid items the way Zotero does. They
implement only what mscbib uses; they are not Zotero.
"""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .schema import Schema, item_problems

__all__ = ["ConnectorStandIn", "WebAPIStandIn", "Recorded"]


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class _Server:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _go(self) -> None:
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                parts = urlsplit(self.path)
                rec = Recorded(self.command, parts.path, parse_qs(parts.query), dict(self.headers.items()), body)
                with outer.lock:
                    outer.requests.append(rec)
                    status, headers, payload = outer.handle(rec)
                data = (
                    payload
                    if isinstance(payload, bytes)
                    else (payload.encode() if isinstance(payload, str) else json.dumps(payload).encode())
                )
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _go

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def handle(self, rec: Recorded) -> tuple[int, dict[str, str], Any]:  # pragma: no cover - overridden
        raise NotImplementedError

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def paths(self) -> list[str]:
        return [f"{r.method} {r.path}" for r in self.requests]


class ConnectorStandIn(_Server):
    """``/connector/ping``, ``/connector/saveItems`` (201, or 500 when an item is invalid or
    ``refuse_save`` is set; 409 on a reused session id) and ``/connector/import`` (201)."""

    def __init__(self, schema: Schema | None = None, refuse_save: bool = False) -> None:
        super().__init__()
        self.schema = schema
        self.refuse_save = refuse_save
        self.saved: list[dict[str, Any]] = []
        self.imported: list[bytes] = []
        self.sessions: set[str] = set()
        self.problems: list[str] = []

    def handle(self, rec: Recorded):
        if rec.path == "/connector/ping":
            if rec.method == "GET":
                return 200, {"Content-Type": "text/html"}, "Zotero is running"
            return 200, {"Content-Type": "application/json"}, {"prefs": {"automaticSnapshots": True}}
        if rec.path == "/connector/saveItems" and rec.method == "POST":
            data = rec.json()
            session = data.get("sessionID")
            if not session:
                return 400, {}, "sessionID required"
            if session in self.sessions:
                return 409, {}, f"Session ID {session} exists"
            self.sessions.add(session)
            problems = []
            if self.schema:
                for item in data.get("items", []):
                    problems += [f"{item.get('id')}: {p}" for p in item_problems(item, self.schema)]
                    for note in item.get("notes", []):
                        problems += [f"{item.get('id')} note: {p}" for p in item_problems(note, self.schema)]
            if problems or self.refuse_save:
                self.problems += problems
                return 500, {"Content-Type": "text/plain"}, "An error occurred: " + "; ".join(problems or ["refused"])
            self.saved += data.get("items", [])
            return 201, {"Content-Type": "application/json"}, {"items": data.get("items", [])}
        if rec.path == "/connector/import" and rec.method == "POST":
            if not rec.query.get("session"):
                return 400, {}, "session required"
            self.imported.append(rec.body)
            return 201, {"Content-Type": "application/json"}, [{"itemType": "journalArticle"}]
        return 404, {}, "No endpoint found"


_KEY_CHARS = "23456789ABCDEFGHIJKLMNPQRSTUVWXYZ"


@dataclass
class _Library:
    items: dict[str, dict[str, Any]] = field(default_factory=dict)
    version: int = 0


class WebAPIStandIn(_Server):
    """``GET /{users|groups}/{id}/items/top`` (paged) and ``POST /{users|groups}/{id}/items``.

    Answers 403 for a wrong API key, 413 for more than 50 objects, and fails each invalid object
    with code 400 in the ``failed`` map, as the Web API does. ``throttle`` answers the first N
    requests with 429 + ``Retry-After``; ``backoff`` adds a ``Backoff`` header to every write answer.
    Write tokens are remembered: a token seen before gets 412, as Zotero answers.
    """

    def __init__(
        self, api_key: str = "secret", schema: Schema | None = None, throttle: int = 0, backoff: int = 0
    ) -> None:
        super().__init__()
        self.api_key = api_key
        self.schema = schema
        self.throttle = throttle
        self.backoff = backoff
        self.libraries: dict[str, _Library] = {}
        self.tokens: set[str] = set()
        self._keys = (("".join(p)) for p in itertools.product(_KEY_CHARS, repeat=8))
        self.problems: list[str] = []

    def library(self, path: str) -> _Library:
        return self.libraries.setdefault(path, _Library())

    def handle(self, rec: Recorded):
        if self.throttle > 0:
            self.throttle -= 1
            return 429, {"Retry-After": "1"}, "Too many requests"
        if rec.headers.get("Zotero-API-Key") != self.api_key:
            return 403, {}, "Forbidden"
        parts = rec.path.strip("/").split("/")
        if len(parts) < 3 or parts[0] not in ("users", "groups") or parts[2] != "items":
            return 404, {}, "Not found"
        lib = self.library(f"/{parts[0]}/{parts[1]}")
        if rec.method == "GET" and parts[3:] == ["top"]:
            start = int(rec.query.get("start", ["0"])[0])
            limit = min(int(rec.query.get("limit", ["25"])[0]), 100)
            top = [v for v in lib.items.values() if v["data"]["itemType"] not in ("note", "attachment")]
            headers = {
                "Content-Type": "application/json",
                "Total-Results": str(len(top)),
                "Last-Modified-Version": str(lib.version),
            }
            return 200, headers, top[start : start + limit]
        if rec.method == "POST" and len(parts) == 3:
            token = rec.headers.get("Zotero-Write-Token")
            if token:
                if token in self.tokens:
                    return 412, {}, "Write token already used"
                self.tokens.add(token)
            objects = rec.json()
            if len(objects) > 50:
                return 413, {}, "Only 50 objects can be written per request"
            answer: dict[str, Any] = {"successful": {}, "success": {}, "unchanged": {}, "failed": {}}
            lib.version += 1
            for i, obj in enumerate(objects):
                problems = item_problems(obj, self.schema) if self.schema else []
                if obj.get("itemType") == "note" and obj.get("parentItem") not in lib.items:
                    problems.append(f"parent item {obj.get('parentItem')} not found")
                if problems:
                    self.problems += problems
                    answer["failed"][str(i)] = {"key": "", "code": 400, "message": "; ".join(problems)}
                    continue
                key = next(self._keys)
                stored = {"key": key, "version": lib.version, "data": {**obj, "key": key, "version": lib.version}}
                lib.items[key] = stored
                answer["successful"][str(i)] = stored
                answer["success"][str(i)] = key
            headers = {"Content-Type": "application/json", "Last-Modified-Version": str(lib.version)}
            if self.backoff:
                headers["Backoff"] = str(self.backoff)
            return 200, headers, answer
        return 405, {}, "Method not allowed"
