"""Ask the DOI handle service whether a DOI exists, whoever registered it (Crossref, DataCite, mEDRA…).

``GET {base}/api/handles/{doi}`` answers ``{"responseCode": 1, ...}`` for a registered DOI and
HTTP 404 with ``responseCode 100`` for an unknown one. The base URL is configurable
(``MSCBIB_DOI_HANDLE_URL``) so that tests use a local stand-in.

The service publishes no rate limit; mscbib keeps to :data:`HANDLE_LIMITS` (10 look-ups a second, 3 at a time),
paced by the same :class:`~mscbib.services.crossref.ratelimit.Pacer` as Crossref's requests. A 429 or 5xx answer, a
timeout or a dropped connection is retried (``Retry-After`` honoured, else exponential backoff with jitter), up
to ``max_retries`` times; a connection refused before any answer opens the circuit breaker (no further request).
:meth:`HandleClient.lookup_many` asks many DOIs concurrently within those limits.

Answers (registered or not) are kept in the Crossref client's SQLite cache under :func:`handle_key` (keyed by the
service's base URL too: a test server's answers never serve another) and follow the same ``--max-age`` /
``--refresh`` rules; a failed request is not cached.
"""

from __future__ import annotations

import enum
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Iterable
from urllib.parse import quote

from .crossref.cache import Cache, handle_key
from .crossref.client import MAX_RETRY_AFTER, USER_AGENT, _retry_after
from .crossref.ratelimit import Limits, Pacer

__all__ = ["HandleStatus", "HandleClient", "DEFAULT_HANDLE_URL", "HANDLE_LIMITS"]

DEFAULT_HANDLE_URL = "https://doi.org"
#: What mscbib allows itself at the handle service: 10 look-ups a second, 3 in flight.
HANDLE_LIMITS = Limits(single_rate=10, list_rate=10, concurrency=3)
_RETRY = frozenset({429, 500, 502, 503, 504})


class HandleStatus(str, enum.Enum):
    EXISTS = "exists"
    MISSING = "missing"
    FAILED = "failed"


class HandleClient:
    def __init__(
        self,
        base_url: str | None = None,
        timeout: float = 15,
        *,
        cache: Cache | None = None,
        max_age: float | None = None,
        refresh: bool = False,
        offline: bool = False,
        limits: Limits = HANDLE_LIMITS,
        max_retries: int = 4,
        backoff: float = 0.5,
    ) -> None:
        # resolved by mscbib.session.handle_client (--doi-handle-url > MSCBIB_DOI_HANDLE_URL > mscbib.toml)
        self.base_url = (base_url or DEFAULT_HANDLE_URL).rstrip("/")
        self.timeout = timeout
        self.cache, self.max_age, self.refresh, self.offline = cache, max_age, refresh, offline
        self.unreachable: str | None = None
        self.requests = 0  # HTTP requests sent, retries included
        self.throttled = 0  # 429 answers received
        self.pacer = Pacer(limits)
        self.max_retries, self.backoff = max(0, max_retries), backoff
        self._local = threading.local()
        self._lock = threading.Lock()
        self._reached = False
        self._memo: dict[str, HandleStatus] = {}

    def _session(self):
        import requests  # only when a look-up is sent (start-up of commands that ask nothing)

        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            session.headers["User-Agent"] = USER_AGENT
        return session

    def _key(self, doi: str) -> str:
        return handle_key(doi, self.base_url)

    def _known(self, doi: str) -> HandleStatus | None:
        if doi in self._memo:
            return self._memo[doi]
        if self.cache is not None and not self.refresh:
            hit = self.cache.get(self._key(doi), self.max_age)
            if hit is not None:
                status = HandleStatus.EXISTS if hit.status == 200 else HandleStatus.MISSING
                self._memo[doi] = status
                return status
        return None

    def lookup(self, doi: str) -> HandleStatus:
        """Is ``doi`` (normalised) registered with any DOI agency? The cache answers first."""
        return self.lookup_many([doi])[doi]

    def lookup_many(self, dois: Iterable[str]) -> dict[str, HandleStatus]:
        """Many DOIs at once: cached answers first, the rest asked concurrently within :attr:`pacer`'s limits
        (the first alone, so that an unreachable service costs one request); each answer cached as it comes."""
        out: dict[str, HandleStatus] = {}
        todo: dict[str, None] = {}
        for doi in dois:
            if doi in out or doi in todo:
                continue
            known = self._known(doi)
            if known is not None:
                out[doi] = known
            else:
                todo[doi] = None
        if self.offline:
            out.update(dict.fromkeys(todo, HandleStatus.FAILED))
            return out
        pending = list(todo)
        if pending and not self._reached:
            first = pending.pop(0)
            out[first] = self._asked(first)
        if pending:
            with ThreadPoolExecutor(
                max_workers=min(len(pending), self.pacer.concurrency), thread_name_prefix="mscbib-handles"
            ) as pool:
                for doi, status in zip(pending, pool.map(self._asked, pending)):
                    out[doi] = status
        return out

    def _asked(self, doi: str) -> HandleStatus:
        status = self._ask(doi)
        if status is not HandleStatus.FAILED:
            self._memo[doi] = status
            if self.cache is not None:
                self.cache.put(self._key(doi), 200 if status is HandleStatus.EXISTS else 404, None)
        return status

    def _ask(self, doi: str) -> HandleStatus:
        import requests

        url = f"{self.base_url}/api/handles/{quote(doi, safe='/')}"
        for attempt in range(self.max_retries + 1):
            if self.unreachable:
                return HandleStatus.FAILED
            wait = None
            with self.pacer.slot("single"):
                with self._lock:
                    self.requests += 1
                try:
                    r = self._session().get(url, timeout=self.timeout)
                except requests.ConnectionError as exc:
                    if not self._reached and not isinstance(exc, requests.ConnectTimeout):
                        self.unreachable = f"{type(exc).__name__}: {exc}"[:300]  # nothing listens there
                        return HandleStatus.FAILED
                    r = None
                except requests.RequestException:
                    r = None
            if r is not None:
                self._reached = True
                if r.status_code not in _RETRY:
                    return _status(r)
                if r.status_code == 429:
                    with self._lock:
                        self.throttled += 1
                wait = _retry_after(r.headers) if r.status_code in (429, 503) else None
            if attempt == self.max_retries:
                return HandleStatus.FAILED
            if wait is not None:
                wait = min(wait, MAX_RETRY_AFTER)
                self.pacer.pause(wait)  # every look-up waits, not only this one
            else:
                wait = random.uniform(0, min(30.0, self.backoff * 2**attempt))
            time.sleep(wait)
        return HandleStatus.FAILED  # pragma: no cover


def _status(r) -> HandleStatus:
    try:
        body = r.json()
        code = body.get("responseCode") if isinstance(body, dict) else None
    except ValueError:
        code = None
    if r.status_code == 200 and code == 1:
        return HandleStatus.EXISTS
    if code == 100:  # the service's "not found" (a 404 with responseCode 100); a bare 404 proves nothing
        return HandleStatus.MISSING
    return HandleStatus.FAILED
