"""No cyclic garbage collection while a build holds its records: a warm ``build`` of 1,000 works with real
reference lists allocates millions of small objects (records, references, decoded answers) that live until it
ends, and CPython's collector walked them again and again, finding next to nothing to free: with its default
thresholds a quarter of the build's CPU; with the youngest generation's threshold raised to 20,000 (this module's
first form) still about a fifth (26 young, 3 middle and 1 full collection, 1.2-1.9 s of a 6 s warm build at
load 2-7, measured with ``gc.callbacks``). None of those objects are in cycles: a collection after a warm
1,000-work build finds about 12,700 objects to free (a few MB, against the build's 500 MiB).

:func:`fewer_collections` switches the cyclic collector off for the duration of a call (a context manager and a
decorator) and restores the caller's state afterwards; reference counting still frees every object as it goes,
and what cycles there are are collected after the block, by the collector's next run. It is the one such
switch: the build, the ``.bib`` reader and splitter (a 20,000-entry file makes half a million small objects that
all stay alive: collections walking them cost a check run a third of its time), the check engine and the writer
use it.
"""

from __future__ import annotations

import contextlib
import gc
import threading

__all__ = ["fewer_collections"]

_lock = threading.Lock()
_depth = 0
_was_enabled = False


class fewer_collections(contextlib.ContextDecorator):
    """Within this block (any thread, nested blocks too), no automatic cyclic collection; the caller's
    :func:`gc.isenabled` state is restored when the outermost block ends."""

    def __enter__(self) -> "fewer_collections":
        global _depth, _was_enabled
        with _lock:
            if _depth == 0:
                _was_enabled = gc.isenabled()
                gc.disable()
            _depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        global _depth
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                # what was made meanwhile goes to the oldest generation unwalked (gc.freeze then unfreeze: two
                # list splices): else the first young collection after the block walked all of it, to find it
                # alive (3-4 s after a 10 MB offline build; 4-5 s of reading 10 MB of .bib)
                gc.freeze()
                gc.unfreeze()
                gc.enable()
