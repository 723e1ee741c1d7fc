"""Ask the DOI handle service whether a DOI exists, whoever registered it (Crossref, DataCite, mEDRA…).

``GET {base}/api/handles/{doi}`` answers ``{"responseCode": 1, ...}`` for a registered DOI and
HTTP 404 with ``responseCode 100`` for an unknown one. The base URL is configurable
(``MSCBIB_DOI_HANDLE_URL``) so that tests use a local stand-in.

Answers (registered or not) are kept in the Crossref client's SQLite cache under ``handle:<DOI>``
(:func:`mscbib.crossref.cache.handle_key`) and follow the same ``--max-age`` / ``--refresh`` rules; a
failed request is not cached.
"""

from __future__ import annotations

import enum
import os
from urllib.parse import quote

import requests

from ..crossref.cache import Cache, handle_key
from ..crossref.client import USER_AGENT

__all__ = ["HandleStatus", "HandleClient", "DEFAULT_HANDLE_URL"]

DEFAULT_HANDLE_URL = "https://doi.org"


class HandleStatus(str, enum.Enum):
    EXISTS = "exists"
    MISSING = "missing"
    FAILED = "failed"


class HandleClient:
    def __init__(self, base_url: str | None = None, timeout: float = 15, *, cache: Cache | None = None,
                 max_age: float | None = None, refresh: bool = False, offline: bool = False) -> None:
        self.base_url = (base_url or os.environ.get("MSCBIB_DOI_HANDLE_URL") or DEFAULT_HANDLE_URL).rstrip("/")
        self.timeout = timeout
        self.cache, self.max_age, self.refresh, self.offline = cache, max_age, refresh, offline
        self.unreachable: str | None = None
        self.requests = 0  # HTTP requests sent
        self._session = requests.Session()
        self._session.headers["User-Agent"] = USER_AGENT

    def lookup(self, doi: str) -> HandleStatus:
        """Is ``doi`` (normalised) registered with any DOI agency? The cache answers first."""
        key = handle_key(doi)
        if self.cache is not None and not self.refresh:
            hit = self.cache.get(key, self.max_age)
            if hit is not None:
                return HandleStatus.EXISTS if hit.status == 200 else HandleStatus.MISSING
        if self.offline:
            return HandleStatus.FAILED
        status = self._ask(doi)
        if self.cache is not None and status is not HandleStatus.FAILED:
            self.cache.put(key, 200 if status is HandleStatus.EXISTS else 404, None)
        return status

    def _ask(self, doi: str) -> HandleStatus:
        if self.unreachable:
            return HandleStatus.FAILED
        self.requests += 1
        try:
            r = self._session.get(f"{self.base_url}/api/handles/{quote(doi, safe='/')}", timeout=self.timeout)
        except requests.RequestException as exc:
            self.unreachable = f"{type(exc).__name__}: {exc}"[:300]
            return HandleStatus.FAILED
        try:
            code = r.json().get("responseCode")
        except ValueError:
            code = None
        if r.status_code == 200 and code == 1:
            return HandleStatus.EXISTS
        if r.status_code == 404 or code == 100:
            return HandleStatus.MISSING
        return HandleStatus.FAILED
