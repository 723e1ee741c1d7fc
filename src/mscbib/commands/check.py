"""`mscbib check`: check BibTeX/BibLaTeX files and their DOIs; fit for CI; --fix applies safe fixes."""

from __future__ import annotations

import sys

import click

from ..bibfile import read_bib
from ..exits import EXIT_OK, worst
from ..session import handle_client
from ..text import plural
from ..textio import NotText
from ..validate.check import EXIT_INPUT, fix_file, plan_merges, render_github, render_json, render_text, run_checks
from ..validate.check.merge import plan_near_merges
from ._common import CONTEXT, LookupBar, crossref_options, input_encoding_option, make_client


def _not_bibtex(path: str, bib) -> str | None:
    """Why a file read as BibTeX is no BibTeX file at all (text without a single ``@`` block), else ``None``:
    such a file must not pass as "0 entries, 0 errors". (A binary file is refused by the reader itself,
    :class:`mscbib.textio.NotText`; UTF-16 is text.)"""
    if not bib.entries and not bib.failed and bib.text.strip() and "@" not in bib.text:
        return "no BibTeX entry in it (no '@type{' block): not a BibTeX file"
    return None


@click.command("check", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text: grouped by entry; json: a list of {code, severity, key, field, line, message, fix}; "
    "github: workflow annotations.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info", "never"]),
    default="error",
    show_default=True,
    help="Exit 1 when a finding has this severity or a higher one.",
)
@click.option(
    "--model",
    type=click.Choice(["auto", "bibtex", "biblatex"]),
    default="auto",
    show_default=True,
    help="The data model for required and known fields (auto: biblatex if the file uses its types or fields).",
)
@click.option(
    "--fix",
    is_flag=True,
    help="Apply the safe fixes (DOI form, page dashes, ISSN form, month macros, "
    "braced acronyms); keeps FILE.bak, writes atomically, prints the diff.",
)
@click.option("--dry-run", is_flag=True, help="With --fix: print the diff, change nothing.")
@click.option(
    "--enrich",
    is_flag=True,
    help="With --fix: also add fields the entry lacks from the Crossref "
    "record of its DOI (only when that record agrees with the entry).",
)
@click.option(
    "--merge-duplicates",
    is_flag=True,
    help="With --fix: merge the entries of one DOI (DUP001), and near duplicates (DUP002: same first author, "
    "year and title, no two DOIs), into the first: the other keys go to its ids field, fields it lacks are added "
    "from them, conflicting values are reported and its own stay (a near duplicate's go into shortjournal or "
    "annote: nothing is lost).",
)
@click.option("--ignore", multiple=True, metavar="CODE", help="Do not report this code (repeatable).")
@click.option(
    "--doi-handle-url",
    metavar="URL",
    help="DOI handle service base URL, asked for DOIs Crossref does "
    "not know [env MSCBIB_DOI_HANDLE_URL; default https://doi.org].",
)
@input_encoding_option("Read FILES in this encoding (default: detected; a guess is reported; --fix writes it back).")
@click.option("-v", "--verbose", is_flag=True, help="Text format: also list notes (info findings).")
@crossref_options
def command(
    files,
    fmt,
    fail_on,
    model,
    fix,
    dry_run,
    enrich,
    merge_duplicates,
    ignore,
    doi_handle_url,
    encoding,
    verbose,
    crossref_url,
    mailto,
    cache_path,
    offline,
    refresh,
) -> None:
    """Check BibTeX/BibLaTeX FILES: syntax, fields, identifiers, names and text, duplicates, and each DOI
    (exists, matches the entry, not retracted) at Crossref and the DOI handle service.

    Every finding has a stable code, a severity, the entry key, field and line. Nothing is changed
    unless --fix is given; then only fixes that lose nothing are applied, each by editing the
    characters of that field alone, and the original is kept as FILE.bak.

    \b
    Exit codes:
      0    no finding at or above --fail-on (default: error)
      1    findings at or above --fail-on
      2    a file could not be read (missing, binary, not BibTeX)
      3    Crossref could not be reached: DOIs left unchecked (not with --offline)
      4    --fix could not write FILE or its FILE.bak
      130  interrupted (Ctrl-C)

    \b
    Examples:
      mscbib check refs.bib                      # all checks, Crossref answers cached
      mscbib check --offline refs.bib            # no network (says what it skipped)
      mscbib check --format github refs.bib      # annotations in GitHub Actions
      mscbib check --fix --dry-run refs.bib      # show the diff of the safe fixes
      mscbib check --fix --enrich refs.bib       # fix, and fill missing fields from Crossref
      mscbib check --fix --merge-duplicates --dry-run refs.bib   # show how entries of one DOI merge
    """
    if (dry_run or enrich or merge_duplicates) and not fix:
        raise click.UsageError("--dry-run, --enrich and --merge-duplicates go with --fix")
    client = None if offline else make_client(crossref_url, mailto, cache_path, offline, refresh)
    # the handle service's answers share the Crossref cache and its --max-age / --refresh
    handles = None if client is None else handle_client(client, doi_handle_url)
    exit_code = EXIT_OK
    for path in files:
        try:
            bib = read_bib(path, encoding)
            why = _not_bibtex(path, bib)
        except OSError as exc:
            why = f"cannot read: {exc.strerror or exc}"
        except NotText as exc:  # a binary file, or not in the --encoding given
            why = exc.reason
        if why:
            click.echo(f"mscbib check: {path}: {why}", err=True)
            exit_code = worst(exit_code, EXIT_INPUT)
            continue
        if bib.warning:
            click.echo(f"mscbib check: warning: {bib.warning}", err=True)

        with LookupBar(label=f"{path}: DOIs looked up") as bar:  # the one progress display, as build's
            result = run_checks(
                bib, model=model, client=client, handles=handles, ignore=set(ignore), progress=bar.advance
            )
        if fmt == "json":
            click.echo(render_json(result))
        elif fmt == "github":
            click.echo(render_github(result))
        else:
            click.echo(render_text(result, colour=sys.stdout.isatty(), verbose=verbose))
        if fix:
            out = sys.stderr if fmt != "text" else sys.stdout
            merges = []
            codes = {i.finding.code for i in result.issues}
            if merge_duplicates and "DUP001" in codes:  # --ignore DUP001: none
                merges = plan_merges(bib)
            if merge_duplicates and "DUP002" in codes:  # near duplicates; --ignore DUP002: none
                merges += plan_near_merges(bib, exclude=merges)
            if merges:
                for m in merges:
                    click.echo("\n".join(m.describe(path)), file=out)
            diff, n = fix_file(result, enrich=enrich, dry_run=dry_run, merges=merges)
            if diff:
                click.echo(diff, file=out, nl=False)
            verb = "would apply" if dry_run else "applied"
            backup = "" if dry_run or not n else f"; the original is kept as {path}.bak"
            click.echo(f"{path}: {verb} {plural(n, 'fix', 'fixes')}{backup}", file=out)
        exit_code = worst(exit_code, result.exit_code(fail_on))
    sys.exit(exit_code)
