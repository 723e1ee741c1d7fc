"""`mscbib extract`: read inputs and print what was found, as JSON; Crossref is not asked."""

from __future__ import annotations

import json
import sys

import click

from ..exits import EXIT_INPUT, EXIT_OK
from ..sources import READERS, expand_inputs, read_file
from ._common import CONTEXT, input_options


@click.command("extract", context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@input_options(known=" Known: " + ", ".join(r.name for r in READERS) + ".")
@click.option("--pretty", is_flag=True, help="Indent each JSON object (default: one object per line).")
@click.option("--no-references", is_flag=True, help="Leave the printed reference lists out.")
def command(inputs, input_format, encoding, pretty, no_references) -> None:
    """Print the records read from INPUTS (files or folders) as JSON, one object per record.

    Nothing is looked up and nothing is guessed: every field holds what the input states, or null /
    an empty list. Each object has the fields doi, pmid, pmcid, title, authors [{family, given}],
    authors_complete, editors, journal, journal_abbrev, issn, isbn, year, month, day, received, accepted,
    published, volume, issue, pages, publisher, type (a Crossref work type), publication_types
    (PubMed's, as printed), keywords, abstract, references [{doi, pmid, text, ...}] and source
    {file, format, line}. year/month/day are the issue's date; received,
    accepted and published (first publication, online or "Epub") are ISO dates from the article's
    history (2019-01-22, or 2019-01 when no day is given).

    Inputs that cannot be read are named on stderr with file, line and reason; the others are
    still printed, and the exit code is 2.

    \b
    Examples:
      mscbib extract seeds/                       # every seed page
      mscbib extract export.ris pubmed.nbib --pretty
      mscbib extract paper.pdf saved-page.html    # PDFs and saved web pages
      mscbib extract clip.txt --format pubmed     # skip recognition
      mscbib extract refs.bib | jq -r .doi
    """
    if input_format and input_format not in {r.name for r in READERS}:
        raise click.BadParameter(
            f"unknown format {input_format!r}; known: {', '.join(r.name for r in READERS)}", param_hint="--format"
        )
    files = expand_inputs(inputs)
    if not files:
        click.echo(f"mscbib extract: no input files in {', '.join(inputs)}", err=True)
        sys.exit(EXIT_INPUT)
    failed = False
    for f in files:
        result = read_file(f, input_format, encoding)
        for warning in result.warnings:
            click.echo(f"mscbib extract: warning: {warning.where()}: {warning.reason}", err=True)
        for rec in result.records:
            data = rec.to_json()
            if no_references:
                data.pop("references", None)
            click.echo(json.dumps(data, ensure_ascii=False, indent=2 if pretty else None))
        for failure in result.failures:
            failed = True
            click.echo(f"{failure.where()}: {failure.reason}", err=True)
    sys.exit(EXIT_INPUT if failed else EXIT_OK)
