"""Pacing of Crossref requests: a request rate per kind and a shared concurrency limit.

Crossref's published limits (since 1 December 2025) distinguish two kinds of request:

* ``single`` — one record, ``GET /works/{doi}``;
* ``list`` — everything that returns a list: ``filter=`` (our DOI batches) and ``query`` searches.

=========  ==============  ============  ====================
pool       single per sec  list per sec  concurrent (all kinds)
=========  ==============  ============  ====================
public     5               1             1
polite     10              3             3
=========  ==============  ============  ====================

The :class:`Pacer` spaces request *starts* of each kind at least ``interval / limit`` apart (plus a
safety margin, so that arrival jitter never puts ``limit + 1`` requests into one interval at the
server; a start is when the request leaves, :meth:`Pacer.sent`, not when its slot was granted) and never lets more than ``concurrency`` requests be in flight. Every response's
``x-rate-limit-limit``, ``x-rate-limit-interval`` and ``x-concurrency-limit`` headers update the
limits of that kind as they change; announced values may lower the published ones, and raise them
only when the server is trusted to (a Metadata Plus token). A ``Retry-After`` pauses every kind.

Pure threading and arithmetic: no I/O. ``clock`` is injectable for tests.
"""

from __future__ import annotations

import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator, Mapping

__all__ = ["Limits", "PUBLIC", "POLITE", "Pacer", "KINDS", "parse_interval"]

KINDS = ("single", "list")


@dataclass(frozen=True)
class Limits:
    single_rate: float  # single-record requests per interval
    list_rate: float  # list requests (filter=, query) per interval
    concurrency: int  # requests in flight at once, all kinds together
    interval: float = 1.0  # seconds

    def rate(self, kind: str) -> float:
        return self.single_rate if kind == "single" else self.list_rate


#: Crossref's published limits without a contact address, and with one (the polite pool).
PUBLIC = Limits(single_rate=5, list_rate=1, concurrency=1)
POLITE = Limits(single_rate=10, list_rate=3, concurrency=3)

_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$", re.IGNORECASE)
_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_interval(text: str | None) -> float | None:
    """``"1s"`` → 1.0, ``"500ms"`` → 0.5, ``"2"`` → 2.0; anything else → ``None``."""
    m = _INTERVAL.match(text or "")
    if not m:
        return None
    value = float(m.group(1)) * _UNIT[(m.group(2) or "s").lower()]
    return value if value > 0 else None


def _positive(text: str | None) -> float | None:
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    return value if value and value > 0 else None


class Pacer:
    def __init__(
        self,
        limits: Limits = POLITE,
        *,
        trust_headers: bool = False,
        margin: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.published = limits
        self.trust_headers = trust_headers
        self.margin = margin
        self._clock = clock
        self._rate = {k: float(limits.rate(k)) for k in KINDS}
        self._interval = {k: float(limits.interval) for k in KINDS}
        self._concurrency = int(limits.concurrency)
        self._next = {k: 0.0 for k in KINDS}
        self._last = {k: float("-inf") for k in KINDS}
        self._paused_until = 0.0
        self._in_flight = 0
        self._cond = threading.Condition()

    # -- what is in force ---------------------------------------------------------------------
    def spacing(self, kind: str) -> float:
        """Seconds between two starts of ``kind``."""
        return self._interval[kind] / self._rate[kind] * (1 + self.margin)

    def rate(self, kind: str) -> float:
        """Requests of ``kind`` per second in force (without the margin)."""
        return self._rate[kind] / self._interval[kind]

    @property
    def concurrency(self) -> int:
        return self._concurrency

    # -- taking a slot ------------------------------------------------------------------------
    @contextmanager
    def slot(self, kind: str) -> Iterator[None]:
        """Wait until a request of ``kind`` may start; hold a concurrency slot while it runs."""
        with self._cond:
            while True:
                now = self._clock()
                ready = max(self._next[kind], self._paused_until)
                if self._in_flight < self._concurrency and now >= ready:
                    break
                self._cond.wait(timeout=ready - now if ready > now else None)
            self._last[kind], self._next[kind] = now, now + self.spacing(kind)
            self._in_flight += 1
        try:
            yield
        finally:
            with self._cond:
                self._in_flight -= 1
                self._cond.notify_all()

    def sent(self, kind: str) -> None:
        """A request of ``kind`` holding a slot leaves now: the next one of its kind starts a spacing after it, not
        after the moment its slot was granted. A sender held up between the two (a loaded machine, another thread
        holding the interpreter) would otherwise arrive closer to the next request than the spacing; measured
        with the stand-in on a loaded machine, 120 ms late, which the margin did not cover: a 429."""
        with self._cond:
            now = self._clock()
            if now + self.spacing(kind) > self._next[kind]:
                self._last[kind], self._next[kind] = now, now + self.spacing(kind)

    def pause(self, seconds: float) -> None:
        """No request of any kind starts in the next ``seconds`` (a ``Retry-After``)."""
        with self._cond:
            self._paused_until = max(self._paused_until, self._clock() + seconds)
            self._cond.notify_all()

    # -- adapting to what the server announces ------------------------------------------------
    def observe(self, kind: str, headers: Mapping[str, str]) -> None:
        """Take the limits a response of ``kind`` announces (header names are case-insensitive)."""
        lower = {k.lower(): v for k, v in headers.items()}
        limit = _positive(lower.get("x-rate-limit-limit"))
        interval = parse_interval(lower.get("x-rate-limit-interval"))
        concurrency = _positive(lower.get("x-concurrency-limit"))
        with self._cond:
            if limit and interval:
                per_second = limit / interval
                ceiling = self.published.rate(kind) / self.published.interval
                if not self.trust_headers and per_second > ceiling:
                    limit, interval = self.published.rate(kind), self.published.interval
                self._rate[kind], self._interval[kind] = limit, interval
                self._next[kind] = self._last[kind] + self.spacing(kind)  # the new spacing, from the last start
            if concurrency:
                c = int(concurrency)
                if not self.trust_headers:
                    c = min(c, self.published.concurrency)
                self._concurrency = max(1, c)
            self._cond.notify_all()
