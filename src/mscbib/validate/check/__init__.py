"""``mscbib check``: a BibTeX/BibLaTeX library and DOI checker fit for CI, with safe fixes.

* :mod:`.registry` — ``check``'s side of the one registry (:mod:`mscbib.registry`): :class:`Issue` with an
  optional :class:`Edit`, entry and library checks;
* :mod:`.checks` — the offline checks (the registry's record checks, validate.py's and plug-ins', run on each
  entry: reused, not copied);
* :mod:`.network` — Crossref and DOI-handle checks; :mod:`.handles` — the handle-service client;
* :mod:`.engine` — running, fixing (span edits only, atomic, with a backup) and output formats;
* :mod:`.merge` — merging the entries DUP001 reports (``--fix --merge-duplicates``), keys kept as ``ids``.
"""

from ...services.handles import HandleClient, HandleStatus
from .engine import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_OK,
    CheckResult,
    apply_edits,
    fix_file,
    render_github,
    render_json,
    render_text,
    run_checks,
    summary_line,
)
from .merge import Merge, plan_merges
from .registry import CHECKS, Edit, Issue

__all__ = [
    "CHECKS",
    "CheckResult",
    "Edit",
    "Issue",
    "HandleClient",
    "HandleStatus",
    "run_checks",
    "apply_edits",
    "fix_file",
    "render_text",
    "render_json",
    "render_github",
    "summary_line",
    "EXIT_OK",
    "EXIT_FINDINGS",
    "EXIT_INPUT",
    "Merge",
    "plan_merges",
]
