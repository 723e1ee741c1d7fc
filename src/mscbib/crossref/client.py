"""The one Crossref client: every request mscbib sends to Crossref goes through here.

``habanero``'s :class:`~habanero.Crossref` does the HTTP; this module wraps it once and gives the
rest of mscbib typed answers (:class:`WorkAnswer`, :class:`SearchAnswer`) instead of exceptions and
shapes that change with the input. It adds what habanero lacks: the SQLite cache, ``--offline``,
a polite-pool identity, and a circuit breaker so that an unreachable Crossref costs one failed
request, not one per record.
"""

from __future__ import annotations

import enum
import json
import os
from dataclasses import dataclass, field
from typing import Any

import habanero

from .. import __version__
from ..identifiers import normalize_doi
from .cache import Cache

__all__ = ["CrossrefClient", "LookupStatus", "WorkAnswer", "SearchAnswer", "DEFAULT_BASE_URL", "USER_AGENT"]

DEFAULT_BASE_URL = "https://api.crossref.org"
PROJECT_URL = "https://github.com/mscbib/mscbib"
USER_AGENT = f"mscbib/{__version__} (+{PROJECT_URL})"


class LookupStatus(str, enum.Enum):
    FOUND = "found"
    NOT_FOUND = "not-found"  # Crossref answered: no such work (404), or the search had no hits
    FAILED = "failed"  # Crossref could not be asked, or answered with an error
    OFFLINE = "offline"  # --offline and the cache has no answer


@dataclass
class WorkAnswer:
    status: LookupStatus
    doi: str
    message: dict[str, Any] | None = None
    error: str | None = None
    from_cache: bool = False


@dataclass
class SearchAnswer:
    status: LookupStatus
    query: dict[str, str]
    items: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    from_cache: bool = False


@dataclass
class ClientStats:
    requests: int = 0
    cache_hits: int = 0
    failures: int = 0


def _status_of(exc: BaseException) -> int | None:
    """The HTTP status behind a habanero / httpx error, if the server answered at all."""
    code = getattr(exc, "status_code", None)
    if isinstance(code, int):
        return code
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None)


class CrossrefClient:
    """Look works up by DOI and search them by bibliographic query, through the cache.

    ``base_url`` defaults to ``$MSCBIB_CROSSREF_URL`` or the public API; ``mailto`` (the polite pool)
    to ``$MSCBIB_MAILTO``. With ``offline=True`` only the cache answers.
    """

    def __init__(
        self,
        base_url: str | None = None,
        mailto: str | None = None,
        cache: Cache | None = None,
        *,
        offline: bool = False,
        refresh: bool = False,
        max_age: float | None = None,
        timeout: float = 20,
    ) -> None:
        self.base_url = (base_url or os.environ.get("MSCBIB_CROSSREF_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.mailto = mailto or os.environ.get("MSCBIB_MAILTO") or None
        self.cache = cache
        self.offline = offline
        self.refresh = refresh
        self.max_age = max_age
        self.stats = ClientStats()
        #: set after a failure to connect: the reason, and no further request is tried
        self.unreachable: str | None = None
        self._cr = habanero.Crossref(base_url=self.base_url, mailto=self.mailto, ua_string=USER_AGENT,
                                     timeout=timeout)

    # -- cache plumbing -----------------------------------------------------------------------
    def _cached(self, key: str):
        if self.cache is None or self.refresh:
            return None
        hit = self.cache.get(key, self.max_age)
        if hit is not None:
            self.stats.cache_hits += 1
        return hit

    def _store(self, key: str, status: int, body: Any) -> None:
        if self.cache is not None:
            self.cache.put(key, status, body)

    def _may_request(self) -> str | None:
        if self.offline:
            return "offline: not in the cache"
        if self.unreachable:
            return f"Crossref unreachable ({self.unreachable})"
        return None

    def _failed(self, exc: BaseException) -> str:
        self.stats.failures += 1
        status = _status_of(exc)
        if status is None:  # no answer at all: DNS, refused connection, timeout
            self.unreachable = f"{type(exc).__name__}: {exc}"[:300]
            return f"Crossref unreachable at {self.base_url}: {exc}"
        return f"Crossref answered HTTP {status}: {exc}"[:500]

    # -- works by DOI -------------------------------------------------------------------------
    def work(self, doi: str) -> WorkAnswer:
        norm = normalize_doi(doi) or doi.strip().lower()
        key = f"work:{norm}"
        hit = self._cached(key)
        if hit is not None:
            if hit.status == 404:
                return WorkAnswer(LookupStatus.NOT_FOUND, norm, from_cache=True)
            return WorkAnswer(LookupStatus.FOUND, norm, hit.body, from_cache=True)
        refusal = self._may_request()
        if refusal:
            status = LookupStatus.OFFLINE if self.offline else LookupStatus.FAILED
            return WorkAnswer(status, norm, error=refusal)
        self.stats.requests += 1
        try:
            answer = self._cr.works(ids=norm)
        except Exception as exc:  # habanero raises httpx / RequestError / RuntimeError: classify, never crash
            if _status_of(exc) == 404:
                self._store(key, 404, None)
                return WorkAnswer(LookupStatus.NOT_FOUND, norm)
            return WorkAnswer(LookupStatus.FAILED, norm, error=self._failed(exc))
        message = answer.get("message") if isinstance(answer, dict) else None
        if not isinstance(message, dict):
            self.stats.failures += 1
            return WorkAnswer(LookupStatus.FAILED, norm, error="Crossref's answer holds no work message")
        self._store(key, 200, message)
        return WorkAnswer(LookupStatus.FOUND, norm, message)

    # -- bibliographic search -----------------------------------------------------------------
    def search(self, query: dict[str, str], rows: int = 5) -> SearchAnswer:
        """``query`` maps Crossref field queries (``"query.bibliographic"``, ``"query.author"``…) to text."""
        query = {k: v for k, v in sorted(query.items()) if v}
        key = "query:" + json.dumps({"q": query, "rows": rows}, sort_keys=True, ensure_ascii=False)
        hit = self._cached(key)
        if hit is not None:
            items = hit.body or []
            return SearchAnswer(LookupStatus.FOUND if items else LookupStatus.NOT_FOUND, query, items, from_cache=True)
        refusal = self._may_request()
        if refusal:
            status = LookupStatus.OFFLINE if self.offline else LookupStatus.FAILED
            return SearchAnswer(status, query, error=refusal)
        kwargs = {k.replace("query.", "query_").replace("-", "_"): v for k, v in query.items()}
        self.stats.requests += 1
        try:
            answer = self._cr.works(limit=rows, **kwargs)
        except Exception as exc:
            return SearchAnswer(LookupStatus.FAILED, query, error=self._failed(exc))
        items = (answer.get("message") or {}).get("items") if isinstance(answer, dict) else None
        if not isinstance(items, list):
            self.stats.failures += 1
            return SearchAnswer(LookupStatus.FAILED, query, error="Crossref's answer holds no item list")
        self._store(key, 200, items)
        return SearchAnswer(LookupStatus.FOUND if items else LookupStatus.NOT_FOUND, query, items)
