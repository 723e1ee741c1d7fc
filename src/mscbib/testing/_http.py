"""A small threaded HTTP server on 127.0.0.1 for the stand-ins of services other than Crossref
(:mod:`.ncbi_standin`, :mod:`.doi_standin`): it records every request (path, query, headers, time) and
can answer the next requests with injected faults (``"503"`` with ``Retry-After``, ``"429"``)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

__all__ = ["StandInServer", "Request"]


@dataclass
class Request:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)


def serve_loopback(
    handle: Callable[[BaseHTTPRequestHandler], None], dropped: tuple[type[BaseException], ...] = ()
) -> ThreadingHTTPServer:
    """An HTTP server on 127.0.0.1 (a free port) whose GET requests go to ``handle``, served from a daemon thread.
    ``dropped``: exceptions that mean the connection was dropped (on purpose, or the client gave up) — the
    connection is closed and the server reports nothing. The one server loop of every stand-in."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            try:
                handle(self)
            except dropped:
                self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            if not dropped:  # a stand-in that drops connections on purpose: a client going away is fine
                super().handle_error(request, client_address)

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


class Lifecycle:
    """``with stand_in:`` / ``stop()`` / ``url`` for a stand-in whose ``start()`` sets ``_server``."""

    _server: ThreadingHTTPServer | None

    def start(self):  # pragma: no cover - each stand-in starts its own way
        raise NotImplementedError

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the stand-in first"
        host, port = self._server.server_address[:2]
        assert isinstance(host, str)  # an AF_INET server's address: (host, port)
        return f"http://{host}:{port}"


class StandInServer(Lifecycle):
    """Subclasses implement :meth:`answer` ``(request) -> (status, content type, body, headers)``."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.faults: list[tuple[str, float]] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def answer(self, request: Request) -> tuple[int, str, bytes, dict[str, str]]:  # pragma: no cover
        raise NotImplementedError

    def fault(self, kind: str, times: int = 1, retry_after: float = 0.2) -> None:
        """Answer the next ``times`` requests with ``kind`` (``"503"`` or ``"429"``, with ``Retry-After``)."""
        with self._lock:
            self.faults.extend([(kind, retry_after)] * times)

    def count(self, path_part: str = "") -> int:
        with self._lock:
            return sum(1 for r in self.requests if path_part in r.path)

    def max_per_window(self, seconds: float = 1.0) -> int:
        """The most requests that started within any ``seconds``-long window."""
        with self._lock:
            times = sorted(r.at for r in self.requests)
        best, j = 0, 0
        for i, t in enumerate(times):
            while times[j] <= t - seconds:
                j += 1
            best = max(best, i - j + 1)
        return best

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        req = Request(parts.path, parse_qs(parts.query), {k.lower(): v for k, v in h.headers.items()})
        with self._lock:
            self.requests.append(req)
            fault = self.faults.pop(0) if self.faults else None
        if fault is not None:
            status, ctype, body, headers = (
                int(fault[0]),
                "text/plain",
                b"try again later",
                {"Retry-After": str(fault[1])},
            )
        else:
            status, ctype, body, headers = self.answer(req)
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)

    def start(self):
        self._server = serve_loopback(self._handle)
        return self
