"""The on-disk cache of Crossref answers (SQLite, one row per answer).

Keys are semantic, not URLs: ``work:<normalised DOI>``, ``lean:<normalised DOI>`` (a work asked for
with ``select=``, without its reference list) and ``query:<canonical query>``, so the same DOI written two
ways is one entry; each is prefixed with the service and its base URL (``crossref@https://api.crossref.org``),
so that answers from one ``--crossref-url`` are never reused for another. A "not found" (404) is an answer too and is cached as such.
Other services' answers share the file under their own namespace (:func:`handle_key`: the DOI handle
service's ``handle:<normalised DOI>``), with the same ``--max-age`` / ``--refresh`` rules; what mscbib's
reference parser made of a printed reference is kept under :func:`parsed_key` (:mod:`mscbib.refs.parsed_refs`).
Every answer is committed as it arrives (a crash loses at most the request in flight), and the
database runs in WAL mode so that two runs can share it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

__all__ = ["Cache", "CachedAnswer", "default_cache_path", "handle_key", "parsed_key"]


def handle_key(doi: str, base_url: str = "https://doi.org") -> str:
    """The cache key of the DOI handle service's answer for a (normalised) DOI, at that service's base URL (the
    answers of one server never serve another)."""
    return f"handle@{base_url.rstrip('/')} {doi}"


def parsed_key(text: str, version: str) -> str:
    """The cache key of what the reference parser of ``version`` (:func:`mscbib.refs.parsed_refs.parser_version`) made
    of a printed reference: its text's digest (a reference is up to 2,000 characters)."""
    return f"refparse@{version} {hashlib.sha1(text.encode('utf-8')).hexdigest()}"


def default_cache_path() -> Path:
    """``<user cache dir>/mscbib/crossref.sqlite3``: the cache a run uses when no ``--cache``, ``MSCBIB_CACHE`` or
    ``cache`` in mscbib.toml names another (:func:`mscbib.session.crossref_client` resolves those)."""
    return Path(platformdirs.user_cache_dir("mscbib")) / "crossref.sqlite3"


@dataclass(frozen=True)
class CachedAnswer:
    status: int  # HTTP status of the answer: 200, or 404 for "not found"
    body: Any  # the decoded JSON message (None for a 404)
    fetched_at: float


class Cache:
    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path else default_cache_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        self._lock = threading.Lock()  # one connection, shared by the client's worker threads
        # two runs opening a new cache at once race for the switch to WAL, which SQLite's busy timeout does not
        # cover ("database is locked" at once): the loser waits and tries again, within the same 30 s
        deadline = time.monotonic() + 30
        while True:
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._db.execute(
                    "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, status INTEGER NOT NULL,"
                    " body TEXT, fetched_at REAL NOT NULL)"
                )
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def get(self, key: str, max_age: float | None = None) -> CachedAnswer | None:
        """The answer stored under ``key``, unless it is older than ``max_age`` seconds."""
        with self._lock:
            row = self._db.execute("SELECT status, body, fetched_at FROM answers WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        status, body, fetched_at = row
        if max_age is not None and time.time() - fetched_at > max_age:
            return None
        return CachedAnswer(status, json.loads(body) if body is not None else None, fetched_at)

    def get_many(self, keys: list[str], max_age: float | None = None) -> dict[str, CachedAnswer]:
        """The answers stored under any of ``keys`` (not older than ``max_age``), in few queries (500 keys each):
        a warm run of 40,000 DOIs is 80 queries, not 40,000."""
        out: dict[str, CachedAnswer] = {}
        now = time.time()
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            with self._lock:
                rows = self._db.execute(
                    f"SELECT key, status, body, fetched_at FROM answers WHERE key IN ({','.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
            for key, status, body, fetched_at in rows:
                if max_age is None or now - fetched_at <= max_age:
                    out[key] = CachedAnswer(status, json.loads(body) if body is not None else None, fetched_at)
        return out

    def put(self, key: str, status: int, body: Any) -> None:
        self.put_many([(key, status, body)])

    def put_many(self, answers: list[tuple[str, int, Any]]) -> None:
        """Store ``(key, status, body)`` answers in one transaction, committed before returning
        (a batch of 100 DOIs is one commit, not 100)."""
        now = time.time()
        rows = [(k, st, None if b is None else json.dumps(b, ensure_ascii=False), now) for k, st, b in answers]
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(
                    "INSERT OR REPLACE INTO answers (key, status, body, fetched_at) VALUES (?, ?, ?, ?)", rows
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM answers").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()
