"""A local stand-in for the Crossref REST API, for tests and benchmarks. It never touches the network.

An HTTP server on 127.0.0.1 (a free port) that answers, in Crossref's JSON shapes:

* ``GET /works/{doi}`` — the work, or 404 ``Resource not found.`` (plain text, as Crossref does);
* ``GET /works?filter=doi:A,doi:B&rows=N`` — the works among those DOIs that it knows;
* ``GET /works?query.bibliographic=…&rows=N`` (and ``query.author``, ``query.title``…) — works ranked
  by how many query words their title, authors, journal, year, volume and pages contain.

Works are plain Crossref ``message`` dicts; :func:`load_works` reads them from JSON files (each file
holds ``{"_synthetic": "...", "message": {...}}`` or a real recorded response). Every request is
recorded in :attr:`CrossrefStandIn.requests` so tests can count them.

It can also behave like the real service under load (all off by default):

* ``latency`` — seconds every answer takes;
* ``limits`` — a :class:`~mscbib.crossref.ratelimit.Limits`: more than ``single_rate`` single-record
  or ``list_rate`` list requests (``filter=``, ``query``) within ``interval`` seconds, or more than
  ``concurrency`` requests in flight, are answered ``429 Too Many Requests``, as Crossref does; every
  answer announces the limits of its kind in ``x-rate-limit-limit`` / ``x-rate-limit-interval`` /
  ``x-concurrency-limit``;
* injected faults (:meth:`CrossrefStandIn.fault`): ``"503"`` (with ``Retry-After``), ``"429"``,
  ``"reset"`` (the connection is dropped without an answer), ``"truncate"`` (the body is cut short of
  its ``Content-Length``), ``"badjson"`` (a complete answer whose JSON is cut), ``"slow"`` (the
  answer comes after ``delay`` seconds);
* counters: :meth:`count` by kind, :meth:`count_status` by HTTP status, :attr:`faults_fired`.
"""

from __future__ import annotations

import json
import re
import socket
import struct
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import parse_qs, unquote, urlsplit

from ..crossref.ratelimit import Limits

__all__ = ["CrossrefStandIn", "load_works", "RecordedRequest", "Fault", "FAULTS"]

FAULTS = ("503", "429", "reset", "truncate", "badjson", "slow")


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


@dataclass
class Fault:
    kind: str  # one of FAULTS
    times: int = 1  # how many matching requests it hits
    on: str | None = None  # request kind it hits: "work", "filter", "query", or None for any
    retry_after: str | None = "1"  # the Retry-After header of a 503 / 429 (None: no header)
    delay: float = 2.0  # seconds a "slow" answer takes


class _Dropped(Exception):
    """The handler dropped the connection on purpose (a "reset" or "truncate" fault)."""


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
    latency: float = 0.0
    limits: Limits | None = None
    #: the most requests that were in flight at once
    peak_concurrency: int = 0
    faults_fired: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_doi = {w["DOI"].lower(): w for w in self.works}
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._in_flight = 0
        self._starts: dict[str, deque[float]] = {"single": deque(), "list": deque()}
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> "CrossrefStandIn":
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                try:
                    standin._handle(self)
                except (_Dropped, OSError):  # a dropped connection (on purpose, or the client gave up)
                    self.close_connection = True

            def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:  # a client went away: fine
                pass

        self._server = Server(("127.0.0.1", 0), Handler)
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

    def fault(self, kind: str, times: int = 1, on: str | None = None, *, retry_after: str | None = "1",
              delay: float = 2.0) -> None:
        """Answer the next ``times`` requests (of kind ``on``: "work", "filter", "query"; default any)
        with the fault ``kind`` (one of :data:`FAULTS`)."""
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; one of {', '.join(FAULTS)}")
        with self._lock:
            self._faults.append(Fault(kind, times, on, retry_after, delay))

    def count_status(self, status: int) -> int:
        """Requests answered with HTTP ``status`` (0: dropped without an answer)."""
        with self._lock:
            return sum(1 for r in self.requests if r.status == status)

    def reset_counters(self) -> None:
        with self._lock:
            self.requests.clear()
            self.faults_fired.clear()
            self.peak_concurrency = 0

    def count(self, kind: str | None = None) -> int:
        """Requests received; ``kind`` is ``"work"`` (by DOI), ``"filter"`` or ``"query"``."""
        with self._lock:
            reqs = list(self.requests)
        if kind is None:
            return len(reqs)
        return sum(1 for r in reqs if _kind(r) == kind)

    # -- answering ----------------------------------------------------------------------------
    def _take_fault(self, kind: str) -> Fault | None:
        with self._lock:
            for f in self._faults:
                if f.on in (None, kind):
                    f.times -= 1
                    if f.times <= 0:
                        self._faults.remove(f)
                    self.faults_fired.append(f.kind)
                    return f
        return None

    def _admit(self, pool: str) -> str | None:
        """Count the request in; the reason to answer 429, if the limits are exceeded."""
        now = time.monotonic()
        with self._lock:
            self._in_flight += 1
            self.peak_concurrency = max(self.peak_concurrency, self._in_flight)
            if self.limits is None:
                return None
            if self._in_flight > self.limits.concurrency:
                return f"more than {self.limits.concurrency} requests at a time"
            starts = self._starts[pool]
            while starts and now - starts[0] >= self.limits.interval:
                starts.popleft()
            if len(starts) >= self.limits.rate(pool):
                return f"more than {self.limits.rate(pool):g} {pool} requests per {self.limits.interval:g}s"
            starts.append(now)
            return None

    def _limit_headers(self, pool: str) -> list[tuple[str, str]]:
        if self.limits is None:
            return [("X-Rate-Limit-Limit", "50"), ("X-Rate-Limit-Interval", "1s")]
        return [("X-Rate-Limit-Limit", f"{self.limits.rate(pool):g}"),
                ("X-Rate-Limit-Interval", f"{self.limits.interval:g}s"),
                ("X-Concurrency-Limit", str(self.limits.concurrency))]

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        params = parse_qs(parts.query)
        path = unquote(parts.path)
        kind = _kind(RecordedRequest(path, params, {}, 0))
        pool = "single" if kind == "work" else "list"
        headers = dict(h.headers.items())
        status = 0
        try:
            refused = self._admit(pool)
            fault = None if refused else self._take_fault(kind)
            extra: list[tuple[str, str]] = []
            if refused:
                status, body, ctype = 429, json.dumps({"status": "error", "message-type": "rate-limit",
                                                       "message": f"Too Many Requests: {refused}"}), "application/json"
            elif fault and fault.kind in ("503", "429"):
                time.sleep(self.latency)
                status = int(fault.kind)
                body, ctype = ("Service Unavailable" if status == 503 else "Too Many Requests"), "text/plain"
                if fault.retry_after is not None:
                    extra.append(("Retry-After", fault.retry_after))
            else:
                time.sleep(self.latency + (fault.delay if fault and fault.kind == "slow" else 0))
                status, body, ctype = self._answer(path, params)
            data = body.encode("utf-8")
            if fault and fault.kind == "badjson":  # a whole answer, but its JSON is cut in the middle
                data = data[: max(1, len(data) // 2)]
            if fault and fault.kind == "reset":
                status = 0
                # SO_LINGER 0: close with a TCP reset, no answer at all
                h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                raise _Dropped
            h.send_response(status)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(data)))
            for name, value in self._limit_headers(pool) + extra:
                h.send_header(name, value)
            h.end_headers()
            if fault and fault.kind == "truncate":
                h.wfile.write(data[: len(data) // 2])
                h.wfile.flush()
                raise _Dropped
            h.wfile.write(data)
        finally:
            with self._lock:
                self._in_flight -= 1
                self.requests.append(RecordedRequest(path, params, headers, status))

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
