"""A local stand-in for the Crossref REST API, for tests and benchmarks. It never touches the network.

An HTTP server on 127.0.0.1 (a free port) that answers, in Crossref's JSON shapes:

* ``GET /works/{doi}`` — the work, or 404 ``Resource not found.`` (plain text, as Crossref does);
* ``GET /works?filter=doi:A,doi:B&rows=N`` — the works among those DOIs that it knows;
* ``GET /works?query.bibliographic=…&rows=N`` (and ``query.author``, ``query.title``…) — works ranked
  by how many query words their title, authors, journal, year, volume and pages contain.

Works are plain Crossref ``message`` dicts; :func:`load_works` reads them from JSON files (each file
holds ``{"_synthetic": "...", "message": {...}}`` or a real recorded response). Every request is
recorded in :attr:`CrossrefStandIn.requests` so tests can count them.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = ["CrossrefStandIn", "load_works", "RecordedRequest"]


def load_works(paths: Iterable[str | Path]) -> list[dict[str, Any]]:
    works = []
    for p in paths:
        data = json.loads(Path(p).read_text(encoding="utf-8"))
        message = data.get("message", data)
        if isinstance(message, dict) and "items" in message:
            works.extend(message["items"])
        else:
            works.append(message)
    return works


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    params: dict[str, list[str]]
    headers: dict[str, str]
    status: int


_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if len(w) > 1 or w.isdigit()}


def _searchable(work: dict[str, Any]) -> set[str]:
    parts: list[str] = []
    for key in ("title", "subtitle", "container-title", "short-container-title"):
        parts += work.get(key) or []
    for a in work.get("author") or []:
        parts += [a.get("family", ""), a.get("given", ""), a.get("name", "")]
    for key in ("volume", "issue", "page"):
        parts.append(str(work.get(key) or ""))
    parts.append(" ".join(str(p) for p in ((work.get("issued") or {}).get("date-parts") or [[]])[0]))
    return _words(" ".join(parts))


@dataclass
class CrossrefStandIn:
    works: list[dict[str, Any]] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_doi = {w["DOI"].lower(): w for w in self.works}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> "CrossrefStandIn":
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                standin._handle(self)

            def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "CrossrefStandIn":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the stand-in first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def add(self, work: dict[str, Any]) -> None:
        self.works.append(work)
        self._by_doi[work["DOI"].lower()] = work

    def count(self, kind: str | None = None) -> int:
        """Requests received; ``kind`` is ``"work"`` (by DOI), ``"filter"`` or ``"query"``."""
        with self._lock:
            reqs = list(self.requests)
        if kind is None:
            return len(reqs)
        return sum(1 for r in reqs if _kind(r) == kind)

    # -- answering ----------------------------------------------------------------------------
    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        params = parse_qs(parts.query)
        path = unquote(parts.path)
        status, body, ctype = self._answer(path, params)
        with self._lock:
            self.requests.append(RecordedRequest(path, params, dict(h.headers.items()), status))
        data = body.encode("utf-8")
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(data)))
        h.send_header("X-Rate-Limit-Limit", "50")
        h.send_header("X-Rate-Limit-Interval", "1s")
        h.end_headers()
        h.wfile.write(data)

    def _answer(self, path: str, params: dict[str, list[str]]) -> tuple[int, str, str]:
        if path.startswith("/works/"):
            doi = path[len("/works/"):].strip("/").lower()
            work = self._by_doi.get(doi)
            if work is None:
                return 404, "Resource not found.", "text/plain"
            return 200, _envelope("work", work), "application/json"
        if path.rstrip("/") == "/works":
            rows = int((params.get("rows") or ["20"])[0])
            filters = (params.get("filter") or [""])[0]
            if filters:
                dois = [f.split(":", 1)[1].lower() for f in filters.split(",") if f.startswith("doi:")]
                items = [self._by_doi[d] for d in dois if d in self._by_doi][:rows]
                return 200, _list(items, len(items), {"filter": filters}), "application/json"
            query = " ".join(v[0] for k, v in params.items() if k.startswith("query"))
            wanted = _words(query)
            scored = []
            for w in self.works:
                hits = len(wanted & _searchable(w))
                if hits:
                    scored.append((hits, w))
            scored.sort(key=lambda t: (-t[0], t[1]["DOI"]))
            items = [dict(w, score=float(s)) for s, w in scored[:rows]]
            return 200, _list(items, len(scored), {"query": query}), "application/json"
        return 404, "Resource not found.", "text/plain"


def _kind(r: RecordedRequest) -> str:
    if r.path.startswith("/works/"):
        return "work"
    if "filter" in r.params:
        return "filter"
    return "query"


def _envelope(kind: str, message: Any) -> str:
    return json.dumps({"status": "ok", "message-type": kind, "message-version": "1.0.0", "message": message},
                      ensure_ascii=False)


def _list(items: list[dict[str, Any]], total: int, query: dict[str, str]) -> str:
    message = {"facets": {}, "total-results": total, "items": items, "items-per-page": len(items),
               "query": {"start-index": 0, "search-terms": query.get("query")}}
    return _envelope("work-list", message)
