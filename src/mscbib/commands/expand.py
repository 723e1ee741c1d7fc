"""`mscbib expand`: snowballing — add the works the library cites as full, enriched entries."""

from __future__ import annotations

import sys

import click

from ..pipeline.expand import expand
from ..pipeline.report import report_text
from ..refs import cited_path
from ._common import (
    CONTEXT,
    build_progress,
    crossref_options,
    make_client,
    output_option,
    require_inputs,
    require_writable,
)


@click.command("expand", context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, type=click.Path())
@output_option("The BibTeX file to write.", default="bib/library.bib")
@click.option(
    "--depth",
    default=1,
    show_default=True,
    type=click.IntRange(0, 5),
    help="Levels of citations to follow (1: what the inputs cite; 2: also what those cite).",
)
@click.option("--cap", default=100, show_default=True, type=click.IntRange(0), help="At most this many works added.")
@click.option(
    "--list",
    "list_path",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="The DOI list of added works [default: expanded-dois.txt beside OUTPUT]; what is known of "
    "them goes to the same name with .bib.",
)
@crossref_options
def command(inputs, output, depth, cap, list_path, crossref_url, mailto, cache_path, offline, refresh) -> None:
    """Build the library from INPUTS [default: seeds/], then add the cited works that have a DOI as entries.

    The works most cited in the library come first (then by key). Their DOIs are kept in a DOI list (with
    the keys citing each as a comment), and what is known of each (title, authors, year, journal) in a .bib
    beside it that is read as an input, so each added work is looked up, verified, tagged and keyed like
    any other entry; its own references then feed the next level. Works cited only as text (no DOI) are
    not added.

    \b
    Examples:
      mscbib expand                                  # one level, at most 100 works
      mscbib expand --depth 2 --cap 300 --mailto you@example.org
      mscbib expand pages/ -o paper.bib --list paper-cited-dois.txt
    """
    inputs = list(inputs) or ["seeds"]
    require_inputs("expand", inputs)
    require_writable(output, cited_path(output), list_path)
    client = make_client(crossref_url, mailto, cache_path, offline, refresh)

    def build_level(level_inputs, level_output, level_client):  # each level's build with the progress display
        from ..pipeline.build import build

        with build_progress() as progress:
            return build(level_inputs, level_output, level_client, **progress)

    result = expand(inputs, output, client, depth=depth, cap=cap, list_path=list_path, build_fn=build_level)
    click.echo(report_text(result))
    if result.not_written:
        click.echo(f"mscbib expand: {result.not_written}", err=True)
    sys.exit(result.exit_code)
