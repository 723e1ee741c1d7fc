"""The ``mscbib`` command: argument parsing, progress and exit codes only. Each command calls a
library function and prints what it returns."""

from __future__ import annotations

import json
import sys

import click

from . import __version__
from ._io import atomic_write_text
from .build import EXIT_INPUT, build
from .config import ConfigError, load_config, setting
from .crossref import Cache, CrossrefClient
from .report import report_json, report_text
from .sources import expand_inputs

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="mscbib")
def main() -> None:
    """Turn copied article pages, exports and DOIs into a clean, Crossref-verified BibTeX library.

    Start with `mscbib build`: it reads seeds/ and writes bib/library.bib.
    """


def crossref_options(fn):
    """The options every command that talks to Crossref shares."""
    options = [
        click.option("--crossref-url", metavar="URL", help="Crossref REST API base URL "
                     "[env MSCBIB_CROSSREF_URL; default https://api.crossref.org]."),
        click.option("--mailto", metavar="EMAIL", help="Contact address for Crossref's polite pool "
                     "[env MSCBIB_MAILTO, or 'mailto' in mscbib.toml]."),
        click.option("--cache", "cache_path", metavar="PATH", type=click.Path(dir_okay=False),
                     help="SQLite cache of Crossref answers [env MSCBIB_CACHE; default: the per-user cache folder]."),
        click.option("--offline", is_flag=True, help="Ask Crossref nothing: use cached answers only."),
        click.option("--refresh", is_flag=True, help="Ignore cached answers and ask Crossref again."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def make_client(crossref_url, mailto, cache_path, offline, refresh) -> CrossrefClient:
    try:
        config, _ = load_config()
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    cache = Cache(setting("cache", cache_path, config))
    return CrossrefClient(
        base_url=setting("crossref_url", crossref_url, config),
        mailto=setting("mailto", mailto, config),
        cache=cache,
        offline=offline,
        refresh=refresh,
    )


@main.command(context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("-o", "--output", default="bib/library.bib", show_default=True, type=click.Path(dir_okay=False),
              help="The BibTeX file to write (atomically).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Also write the build report as JSON to FILE.")
@click.option("--format", "input_format", metavar="NAME", help="Read every input as this format "
              "(default: recognised from each file's content).")
@click.option("-v", "--verbose", is_flag=True, help="Also list informational findings.")
@crossref_options
def build_cmd(inputs, output, report_path, input_format, verbose, crossref_url, mailto, cache_path, offline,
              refresh) -> None:
    """Build a verified BibTeX library from INPUTS (files or folders; default: seeds/).

    Every input is recognised by its content (PubMed page, library-catalog record, DOI list);
    each record is looked up at Crossref by DOI, or found by a verified bibliographic search, and
    what Crossref knows fills what the input lacks. Disagreements keep Crossref's value and are
    reported. Answers are cached, so a second build asks Crossref nothing.

    \b
    Exit codes:
      0  the library was written and every entry is fine
      1  written, with errors (e.g. a DOI Crossref does not know)
      2  an input could not be read (the others were built)
      3  Crossref could not be reached: entries written from the inputs alone

    \b
    Examples:
      mscbib build                              # seeds/ -> bib/library.bib
      mscbib build dois.txt pages/ -o refs.bib --mailto you@example.org
      mscbib build --offline --report build.json
    """
    client = make_client(crossref_url, mailto, cache_path, offline, refresh)
    inputs = list(inputs) or ["seeds"]
    show = sys.stderr.isatty()
    done = [0]

    def progress(rec, item) -> None:
        done[0] += 1
        if show:
            click.echo(f"\r  {done[0]} records looked up ({item.status.value}: {rec.label()[:50]})\033[K",
                       err=True, nl=False)

    if not expand_inputs(inputs):
        click.echo(f"mscbib build: no input files in {', '.join(inputs)}; nothing written", err=True)
        sys.exit(EXIT_INPUT)
    result = build(inputs, output, client, format=input_format, progress=progress)
    if show and done[0]:
        click.echo("\r\033[K", err=True, nl=False)
    click.echo(report_text(result, verbose=verbose))
    if report_path:
        atomic_write_text(report_path, json.dumps(report_json(result), indent=2, ensure_ascii=False) + "\n")
    sys.exit(result.exit_code)


build_cmd.name = "build"
