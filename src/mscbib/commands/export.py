"""`mscbib export`: the library in another format (RIS, CSL-JSON, BibLaTeX, BibTeX)."""

from __future__ import annotations

import sys

import click

from ..exits import EXIT_INPUT, EXIT_OK
from ..sources.bibtex import BibtexFile
from ..writers import WRITERS, write
from ._common import CONTEXT, read_text_input, require_writable


def read_library(path: str, command: str = "export"):
    """The records of a ``.bib`` library; unreadable blocks are named on stderr (file, line, reason). A library
    that cannot be read at all (missing, binary, not UTF-8) stops the command with its name, exit code 2."""
    text = read_text_input(command, path)
    result = BibtexFile().read(text, path)
    for failure in result.failures:
        click.echo(f"{failure.where()}: {failure.reason}", err=True)
    return result


@click.command("export", context_settings=CONTEXT)
@click.argument("library", default="bib/library.bib", type=click.Path(dir_okay=False))
@click.option("--to", "to", required=True, type=click.Choice(sorted(WRITERS)), help="The format to write.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    metavar="OUT",
    help="File to write (atomically); default: standard output.",
)
@click.option("--ascii", "ascii_", is_flag=True, help="bibtex/biblatex: write every non-ASCII character as LaTeX.")
def command(library, to, output, ascii_) -> None:
    """Write LIBRARY (default bib/library.bib) as RIS, CSL-JSON, BibLaTeX, BibTeX or BibTeX for Zotero.

    \b
    Which format for what:
      csljson   Zotero (most faithful: names, dates, PMID/PMCID, journal abbreviation,
                citation key), pandoc --citeproc
      ris       Zotero (tags from keywords), EndNote, Mendeley and most other managers
      biblatex  LaTeX with biblatex + biber (journaltitle, date, eprint for PubMed IDs)
      bibtex    LaTeX with BibTeX (natbib, plainnat)
      zotero    Zotero's BibTeX import (UTF-8; no "others" creator: a note says the
                list is incomplete; cited and citing keys as notes)

    Blocks of LIBRARY that cannot be read are named on stderr (exit code 2); the rest is written.
    An OUT that cannot be written is named, exit code 4.

    \b
    Examples:
      mscbib export --to csljson -o library.json          # import into Zotero
      mscbib export --to ris bib/library.bib > library.ris
      mscbib export --to biblatex -o refs.bib
      mscbib export --to bibtex --ascii -o refs-ascii.bib # for 8-bit BibTeX
    """
    require_writable(output)
    result = read_library(library)
    text = write(result.records, to, output, ascii=ascii_)
    if output is None:
        click.echo(text, nl=False)
    sys.exit(EXIT_INPUT if result.failures else EXIT_OK)
