"""`mscbib subset`: the .bib for one manuscript — the entries it cites, and nothing else."""

from __future__ import annotations

import sys

import click

from ..exits import EXIT_FINDINGS, EXIT_OK
from ..library.subset import subset
from ..text import plural
from ..writers import write
from ..writers.bibtex import DIALECTS
from ._common import CONTEXT, output_option, read_text_input, require_writable


@click.command("subset", context_settings=CONTEXT)
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--library",
    default="bib/library.bib",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The library to take the entries from.",
)
@output_option("The .bib to write (atomically); default: standard output.")
@click.option(
    "--dialect",
    type=click.Choice(DIALECTS),
    default="bibtex",
    show_default=True,
    help="biblatex: journaltitle, date, eprint/eprinttype for PubMed IDs.",
)
@click.option("--ascii", "ascii_", is_flag=True, help="Write every non-ASCII character as LaTeX (for 8-bit BibTeX).")
@click.option("--strict", is_flag=True, help="Exit with code 1 when a cited key is not in the library.")
def command(sources, library, output, dialect, ascii_, strict) -> None:
    """Write the entries SOURCES cite (with their crossref/xdata parents) as a .bib.

    SOURCES are read by extension: .aux (\\citation lines, \\citation{*} for all), .bcf (biber),
    .tex (every natbib/biblatex \\cite variant and \\nocite), anything else as pandoc Markdown
    (@key, [@key, p. 3; -@other]; e-mail addresses and code are ignored).

    Cited keys that are not in the library are listed on stderr with the file and line that cite
    them and the closest keys the library has; with --strict the exit code is then 1. A LIBRARY that
    cannot be read is named, exit code 2; an OUT that cannot be written, exit code 4.

    \b
    Examples:
      mscbib subset paper.aux -o paper.bib
      mscbib subset paper.tex --dialect biblatex -o refs.bib
      mscbib subset chapter1.md chapter2.md --library ~/lib.bib -o book.bib --strict
    """
    read_text_input("subset", library)  # missing (no bib/library.bib here), binary, not UTF-8: named, exit code 2
    require_writable(output)
    result = subset(library, list(sources))
    for failure in result.failures:
        click.echo(f"{failure.where()}: {failure.reason}", err=True)
    for missing in result.missing:
        click.echo(missing.message(library), err=True)
    text = write(result.records, "bibtex" if dialect == "bibtex" else dialect, output, ascii=ascii_)
    if output is None:
        click.echo(text, nl=False)
    click.echo(
        f"{plural(len(result.records), 'entry', 'entries')} ({len(result.dependencies)} as crossref/xdata "
        f"parents), {plural(len(result.missing), 'cited key')} missing",
        err=True,
    )
    sys.exit(EXIT_FINDINGS if strict and result.missing else EXIT_OK)
