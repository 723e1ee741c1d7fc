"""Ask the DOI handle service whether a DOI exists, whoever registered it (Crossref, DataCite, mEDRA…).

``GET {base}/api/handles/{doi}`` answers ``{"responseCode": 1, ...}`` for a registered DOI and
HTTP 404 with ``responseCode 100`` for an unknown one. The base URL is configurable
(``MSCBIB_DOI_HANDLE_URL``) so that tests use a local stand-in.
"""

from __future__ import annotations

import enum
import os
from urllib.parse import quote

import requests

from ..crossref.client import USER_AGENT

__all__ = ["HandleStatus", "HandleClient", "DEFAULT_HANDLE_URL"]

DEFAULT_HANDLE_URL = "https://doi.org"


class HandleStatus(str, enum.Enum):
    EXISTS = "exists"
    MISSING = "missing"
    FAILED = "failed"


class HandleClient:
    def __init__(self, base_url: str | None = None, timeout: float = 15) -> None:
        self.base_url = (base_url or os.environ.get("MSCBIB_DOI_HANDLE_URL") or DEFAULT_HANDLE_URL).rstrip("/")
        self.timeout = timeout
        self.unreachable: str | None = None
        self._session = requests.Session()
        self._session.headers["User-Agent"] = USER_AGENT

    def lookup(self, doi: str) -> HandleStatus:
        if self.unreachable:
            return HandleStatus.FAILED
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
