"""What the clients of services other than Crossref share: the cache, the pacing, retries, offline mode.

NCBI's E-utilities and PMC ID Converter (:mod:`mscbib.services.ncbi`) and the DOI resolver's content negotiation
(:mod:`mscbib.enrich.agencies`) are each asked through one :class:`ServiceClient`. It reuses, not copies, the
Crossref client's parts:

* the SQLite cache (:class:`mscbib.services.crossref.cache.Cache`), under keys ``<service>:<base URL>:<what>``, so a
  stand-in's answers never pass for the real service's; ``--max-age`` / ``--refresh`` apply as for Crossref;
* the pacer (:class:`mscbib.services.crossref.ratelimit.Pacer`) with the service's documented limits (every request
  is of kind ``single``);
* ``Retry-After`` on 429 and 503 (:func:`mscbib.services.crossref.client._retry_after`), exponential backoff with
  full jitter on other 5xx, timeouts and resets, at most ``max_retries`` retries; a 404 is a definite
  "not found";
* ``offline``: only the cache answers; a circuit breaker: a service that cannot be connected to costs one
  failed request, not one per record.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from typing import Any

import requests

from .crossref.cache import Cache, CachedAnswer
from .crossref.client import MAX_RETRY_AFTER, USER_AGENT, ClientStats, _retry_after
from .crossref.ratelimit import Limits, Pacer

__all__ = ["ServiceClient", "Response"]

_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass
class Response:
    """What one request came to: an answer (``status``, ``text``, ``headers``, final ``url``) or an ``error``."""

    status: int | None = None
    text: str = ""
    headers: Any = None
    url: str = ""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and self.status < 300

    @property
    def not_found(self) -> bool:
        return self.error is None and self.status in (404, 410)


class ServiceClient:
    """One HTTP service: ``name`` (for messages and cache keys), ``base_url``, ``limits``."""

    def __init__(
        self,
        name: str,
        base_url: str,
        limits: Limits,
        *,
        cache: Cache | None = None,
        offline: bool = False,
        refresh: bool = False,
        max_age: float | None = None,
        timeout: float = 20,
        max_retries: int = 3,
        backoff: float = 1.0,
    ) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.cache, self.offline, self.refresh, self.max_age = cache, offline, refresh, max_age
        self.timeout, self.max_retries, self.backoff = timeout, max(0, max_retries), backoff
        self.limits = limits
        self.pacer = Pacer(limits)
        self.stats = ClientStats()
        self.unreachable: str | None = None
        self._reached = False
        self._lock = threading.Lock()
        self._session = requests.Session()
        self._session.headers["User-Agent"] = USER_AGENT

    # -- the cache ----------------------------------------------------------------------------
    def key(self, what: str) -> str:
        return f"{self.name}:{self.base_url}:{what}"

    def cached(self, what: str) -> CachedAnswer | None:
        if self.cache is None or self.refresh:
            return None
        hit = self.cache.get(self.key(what), self.max_age)
        if hit is not None:
            with self._lock:
                self.stats.cache_hits += 1
        return hit

    def store(self, answers: list[tuple[str, int, Any]]) -> None:
        """Cache ``(what, status, body)`` answers in one transaction."""
        if self.cache is not None and answers:
            self.cache.put_many([(self.key(w), status, body) for w, status, body in answers])

    # -- requests -----------------------------------------------------------------------------
    def refusal(self) -> str | None:
        """Why no request may be sent now (offline, or the service could not be connected to), else None."""
        if self.offline:
            return "offline: not in the cache"
        if self.unreachable:
            return f"{self.name} unreachable ({self.unreachable})"
        return None

    def get(self, url: str, params: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> Response:
        """GET ``url`` within the limits, with retries. Never raises for a network or server problem."""
        for attempt in range(self.max_retries + 1):
            why_not = self.refusal()
            if why_not:
                return Response(error=why_not)
            with self.pacer.slot("single"):
                with self._lock:
                    self.stats.requests += 1
                try:
                    r = self._session.get(url, params=params, headers=headers, timeout=self.timeout)
                    exc = None
                except requests.RequestException as e:
                    r, exc = None, e
            if r is not None:
                self._reached = True
                if r.status_code < 300 or r.status_code in (404, 410):
                    return Response(r.status_code, r.text, r.headers, r.url)
                if r.status_code not in _RETRY_STATUS:
                    with self._lock:
                        self.stats.failures += 1
                    return Response(
                        r.status_code, r.text, r.headers, r.url, error=f"{self.name} answered HTTP {r.status_code}"
                    )
                why = f"HTTP {r.status_code}"
                if r.status_code == 429:
                    with self._lock:
                        self.stats.throttled += 1
            else:
                why = f"{type(exc).__name__}: {exc}"[:300]
                if (
                    isinstance(exc, requests.ConnectionError)
                    and not isinstance(exc, requests.ConnectTimeout)
                    and not self._reached
                    and "Connection aborted" not in str(exc)
                ):
                    self.unreachable = why  # nothing listens there: no retry, no further request this run
                    with self._lock:
                        self.stats.failures += 1
                    return Response(error=f"{self.name} unreachable at {self.base_url}: {why}")
            if attempt == self.max_retries:
                with self._lock:
                    self.stats.failures += 1
                return Response(error=f"{self.name} failed after {attempt + 1} attempts: {why}")
            wait = _retry_after(r.headers) if r is not None and r.status_code in (429, 503) else None
            if wait is not None:
                wait = min(wait, MAX_RETRY_AFTER)
                self.pacer.pause(wait)
            else:
                wait = random.uniform(0, min(60.0, self.backoff * 2**attempt))
            with self._lock:
                self.stats.retries += 1
            time.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        self._session.close()
