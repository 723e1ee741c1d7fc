"""Fewer garbage collections while a build holds its records: a warm ``build`` of 1,000 works with real reference
lists allocates millions of small objects (records, references, decoded answers) that live until it ends, and
CPython's default thresholds (a collection every 700 allocations, every tenth of them a deeper one) spent a
quarter of its CPU walking them again and again, finding nothing to free (none of them are in cycles).

:func:`fewer_collections` raises the first threshold for the duration of a call (a context manager and a
decorator) and restores the caller's afterwards; reference counting still frees every object as it goes, and
cycles are still collected, less often.
"""

from __future__ import annotations

import contextlib
import gc
import threading

__all__ = ["fewer_collections", "THRESHOLD"]

#: allocations between two collections of the youngest generation inside :func:`fewer_collections`
THRESHOLD = 20_000

_lock = threading.Lock()
_depth = 0
_saved: tuple[int, int, int] | None = None


class fewer_collections(contextlib.ContextDecorator):
    """Within this block (any thread, nested blocks too), the youngest generation is collected every
    :data:`THRESHOLD` allocations instead of the caller's threshold (never more often than it)."""

    def __enter__(self) -> "fewer_collections":
        global _depth, _saved
        with _lock:
            if _depth == 0:
                _saved = gc.get_threshold()
                gc.set_threshold(max(_saved[0], THRESHOLD), *_saved[1:])
            _depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        global _depth, _saved
        with _lock:
            _depth -= 1
            if _depth == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                _saved = None
