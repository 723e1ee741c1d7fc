"""Run the registered checks over a file, apply the safe fixes, and render the findings."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from ..._io import atomic_write_text, backup
from ..._perf import fewer_collections
from ...bibfile import BibFile
from ...model import Finding, Severity
from ...registry import checks as _registered
from ...textio import line_ending
from . import checks as _checks  # noqa: F401  (registers the offline checks)
from . import network as _network
from .registry import CheckContext, Edit, Issue

__all__ = [
    "CheckResult",
    "run_checks",
    "apply_edits",
    "fix_file",
    "render_text",
    "render_json",
    "render_github",
    "EXIT_OK",
    "EXIT_FINDINGS",
    "EXIT_INPUT",
]

from ...exits import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, EXIT_UNREACHABLE  # noqa: E402  (one set: mscbib.exits)


@dataclass
class CheckResult:
    bib: BibFile
    issues: list[Issue] = field(default_factory=list)
    model: str = "bibtex"
    skipped: list[str] = field(default_factory=list)  # what was not checked, and why
    network: dict = field(default_factory=dict)

    @property
    def findings(self) -> list[Finding]:
        return [i.finding for i in self.issues]

    def count(self, severity: Severity) -> int:
        return sum(1 for i in self.issues if i.finding.severity is severity)

    @property
    def unreachable(self) -> bool:
        """Crossref could not be reached (not ``--offline``) and DOIs were left unchecked for it."""
        return bool(self.network.get("skipped") and self.network.get("unreachable"))

    def exit_code(self, fail_on: str = "error") -> int:
        if self.unreachable:  # as `build`: CI must not pass with DOIs unchecked
            return EXIT_UNREACHABLE
        if fail_on == "never":
            return EXIT_OK
        rank = Severity(fail_on).rank
        return EXIT_FINDINGS if any(i.finding.severity.rank >= rank for i in self.issues) else EXIT_OK


def run_checks(
    bib: BibFile,
    *,
    model: str = "auto",
    client=None,
    handles=None,
    ignore: Collection[str] = frozenset(),
    progress=None,
) -> CheckResult:
    """Every registered check over ``bib``. With ``client=None`` the network checks are skipped (and
    the result says so)."""
    with (
        fewer_collections()
    ):  # the checks add a few objects per entry and free none of the file's: see _perf.fewer_collections
        return _run_checks(bib, model=model, client=client, handles=handles, ignore=ignore, progress=progress)


def _run_checks(bib: BibFile, *, model: str, client, handles, ignore, progress) -> CheckResult:
    ctx = CheckContext(bib, _checks.detect_model(bib) if model == "auto" else model)
    result = CheckResult(bib, model=ctx.model)
    issues = list(_checks.parse_failures(ctx))
    dois = sum(1 for e in bib.entries if e.get("doi"))
    if client is not None:
        summary = _network.lookup_all(ctx, client, handles, progress)
        result.network = summary
        if summary["skipped"]:
            why = "offline, not in the cache" if client.offline else f"Crossref unreachable ({summary['unreachable']})"
            result.skipped.append(
                f"{summary['skipped']} of {dois} DOIs not looked up ({why}): existence, "
                "metadata agreement and retraction status unchecked for them"
            )
        if summary.get("journals_skipped"):
            why = "offline, not in the cache" if client.offline else f"Crossref unreachable ({summary['unreachable']})"
            result.skipped.append(
                f"{summary['journals_skipped']} entries without a DOI: whether their ISSN is "
                f"the ISSN of the journal named (ISS003) unchecked ({why})"
            )
    else:
        if dois:
            result.skipped.append(
                f"offline: existence, metadata agreement and retraction status of {dois} DOIs not checked"
            )
        named = sum(
            1 for e in bib.entries if e.get("issn") and not e.get("doi") and (e.get("journal") or e.get("journaltitle"))
        )
        if named:
            result.skipped.append(
                f"offline: whether the ISSN of {named} entries without a DOI is the ISSN of the "
                "journal named (ISS003) not checked"
            )
    for info in _registered("entry", "library"):  # the record checks run inside `validate` (check/checks.py)
        if info.network and client is None:
            continue
        if info.scope == "entry":
            fn = info.fn
            for e in bib.entries:
                issues.extend(fn(ctx, e))
        else:
            issues.extend(info.fn(ctx))
    issues = [i for i in issues if i.finding.code not in ignore]
    issues.sort(key=lambda i: (i.finding.line or 0, i.finding.code))
    result.issues = issues
    return result


def apply_edits(text: str, edits: list[Edit]) -> tuple[str, list[Edit]]:
    """Apply non-overlapping edits (later ones that overlap an earlier one are skipped).
    Every character outside the edited spans is kept as it was. Returns (new text, applied)."""
    applied: list[Edit] = []
    for ed in sorted(set(edits), key=lambda x: (x.start, x.end)):
        if applied and ed.start < applied[-1].end:
            continue
        if applied and ed.start == applied[-1].end == ed.end == applied[-1].start:
            continue
        applied.append(ed)
    out, pos = [], 0
    for ed in applied:
        out.append(text[pos : ed.start])
        out.append(ed.new)
        pos = ed.end
    out.append(text[pos:])
    return "".join(out), applied


_LF = re.compile(r"\r?\n")


def fix_file(
    result: CheckResult, *, enrich: bool = False, dry_run: bool = False, backup_suffix: str = ".bak", merges=()
) -> tuple[str, int]:
    """Apply the safe fixes of ``result`` to its file. Returns (unified diff, number of fixes).

    ``merges`` (:func:`.merge.plan_merges`) are applied with them, each counting as one fix. The new text
    is written atomically after the original is copied to ``<file><backup_suffix>``; with ``dry_run``
    nothing is written."""
    bib = result.bib
    edits = [i.edit for i in result.issues if i.edit is not None and (enrich or not i.enrich)]
    merge_edits = [ed for m in merges for ed in m.edits]
    if merge_edits:
        # a fix inside an entry merged away goes with it
        removed = [ed for ed in merge_edits if not ed.new]
        edits = merge_edits + [ed for ed in edits if not any(r.start <= ed.start < r.end for r in removed)]
    newline = line_ending(bib.text)
    if newline != "\n":  # what a fix adds ends its lines as the file's do (CR LF, or CR alone)
        edits = [Edit(ed.start, ed.end, _LF.sub(newline, ed.new)) if "\n" in ed.new else ed for ed in edits]
    new, applied = apply_edits(bib.text, edits)
    if new == bib.text:
        return "", 0
    name = bib.path or "<text>"
    diff = "".join(
        difflib.unified_diff(bib.text.splitlines(keepends=True), new.splitlines(keepends=True), name, f"{name} (fixed)")
    )
    if not dry_run and bib.path:
        backup(bib.path, backup_suffix)  # through a symlink: the target's text; raises OutputError if it cannot
        # in the file's encoding, with its byte-order mark if it had one; through a symlink: the target, the link kept
        atomic_write_text(bib.path, new, encoding=bib.encoding, bom=bib.bom)
    return diff, len(applied) - len(merge_edits) + len(merges) if merge_edits else len(applied)


# -- output ---------------------------------------------------------------------------------------------
_COLOUR = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def summary_line(result: CheckResult) -> str:
    e, w, i = (result.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    fixable = sum(1 for x in result.issues if x.edit is not None and not x.enrich)
    name = result.bib.path or "input"
    return (
        f"{name}: {len(result.bib.entries)} entries, {len(result.bib.failed)} unreadable blocks; "
        f"{e} errors, {w} warnings, {i} notes; {fixable} fixable with --fix ({result.model} data model)."
    )


def render_text(result: CheckResult, *, colour: bool = False, verbose: bool = False) -> str:
    import click

    def style(s: str, **kw) -> str:
        return click.style(s, **kw) if colour else s

    lines: list[str] = []
    current = object()
    for it in result.issues:
        f = it.finding
        if f.severity is Severity.INFO and not verbose:
            continue
        if f.key != current:
            current = f.key
            lines.append(style(f"{f.key}" if f.key else "(outside any entry)", bold=True))
        where = f"{result.bib.path or ''}:{f.line}" if f.line else ""
        fld = f" [{f.field}]" if f.field else ""
        lines.append(f"  {where} {style(f.severity.value, fg=_COLOUR[f.severity])} {f.code}{fld}: {f.message}")
        if f.fix:
            lines.append(f"      fix: {f.fix}")
    for s in result.skipped:
        lines.append(f"skipped: {s}")
    lines.append(summary_line(result))
    return "\n".join(lines)


def render_json(result: CheckResult) -> str:
    keys = ("code", "severity", "key", "field", "line", "message", "fix")
    data = []
    for it in result.issues:
        d = it.finding.to_json()
        data.append({k: d[k] for k in keys} | {"file": d["file"]})
    return json.dumps(data, indent=2, ensure_ascii=False)


def _gh_escape(s: str, prop: bool = False) -> str:
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return s.replace(":", "%3A").replace(",", "%2C") if prop else s


def render_github(result: CheckResult) -> str:
    """GitHub Actions workflow commands: one ``::error file=…,line=…,title=CODE::message`` per finding."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for it in result.issues:
        f = it.finding
        props = [f"file={_gh_escape(f.file or '', True)}"]
        if f.line:
            props.append(f"line={f.line}")
        props.append(f"title={_gh_escape(f.code + (' ' + f.key if f.key else ''), True)}")
        lines.append(f"::{level[f.severity]} {','.join(props)}::{_gh_escape(f.message)}")
    lines.append(summary_line(result))
    return "\n".join(lines)
