"""Every exit code of every ``mscbib`` command, in one place (the README's table is this list).

=====  ==========================================================================================================
code   meaning
=====  ==========================================================================================================
0      done, nothing wrong
1      done, with findings at or above the threshold (``build``: error findings; ``check``: ``--fail-on``);
       ``subset --strict``: a cited key is missing; ``zotero``: items refused; ``tags``/``refs``: no such entry
2      an input could not be read (missing, unreadable, binary, not a recognised format, or left partly unread), or
       the command line is wrong (click's usage errors)
3      Crossref (``zotero``: Zotero) could not be reached: ``build`` wrote entries from the inputs alone, ``check``
       left DOIs unchecked; ``build`` also when NCBI or the DOI resolver could not be asked (NCB001, AGY002)
4      an output was not written: it cannot be written (read-only folder, a file in the way), or ``build`` refused
       to replace a file with fewer entries than it holds (``--force`` replaces it, keeping it as ``.bak``)
130    interrupted (Ctrl-C): outputs left as they were, the Crossref answers received so far kept in the cache
=====  ==========================================================================================================
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_UNREACHABLE = 3
EXIT_OUTPUT = 4
EXIT_INTERRUPTED = 130

#: the same codes under the names commands used before they shared this module
EXIT_UNVERIFIED = EXIT_UNREACHABLE
EXIT_REFUSED = EXIT_FINDINGS

__all__ = [
    "EXIT_OK",
    "EXIT_FINDINGS",
    "EXIT_INPUT",
    "EXIT_UNREACHABLE",
    "EXIT_OUTPUT",
    "EXIT_INTERRUPTED",
    "EXIT_UNVERIFIED",
    "EXIT_REFUSED",
]

#: which code a command that did several things exits with: the first of these that any part gave
PRECEDENCE = (EXIT_INTERRUPTED, EXIT_OUTPUT, EXIT_INPUT, EXIT_UNREACHABLE, EXIT_FINDINGS, EXIT_OK)


def worst(*codes: int) -> int:
    """The exit code of a run whose parts gave ``codes`` (:data:`PRECEDENCE`; an unknown code wins)."""
    rank = {c: i for i, c in enumerate(PRECEDENCE)}
    return min(codes, key=lambda c: rank.get(c, -1), default=EXIT_OK)
