"""`mscbib build`: the main job."""

from __future__ import annotations

import json
import sys

import click

from .._io import atomic_write_text
from ..build import EXIT_INPUT, build
from ..config import ConfigError, load_config, setting
from ..keys import DEFAULT_FORMULA, FormulaError, parse_formula
from ..report import report_json, report_text
from ..sources import expand_inputs
from ._common import CONTEXT, LookupBar, encoding_option, configured_vocabulary, crossref_options, make_client, vocabulary_option


@click.command("build", context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("-o", "--output", default="bib/library.bib", show_default=True, type=click.Path(dir_okay=False),
              help="The BibTeX file to write (atomically).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Also write the build report as JSON to FILE.")
@click.option("--format", "input_format", metavar="NAME", help="Read every input as this format "
              "(default: recognised from each file's content).")
@click.option("--encoding", metavar="CODEC", callback=encoding_option,
              help="Read every input in this encoding (default: detected; a guess is reported).")
@click.option("-v", "--verbose", is_flag=True, help="Also list informational findings.")
@click.option("--key-formula", metavar="FORMULA", help="Citation-key formula, e.g. 'auth + year' "
              "[env MSCBIB_KEY_FORMULA, or 'key_formula' in mscbib.toml; default: Better BibTeX's "
              f"'{DEFAULT_FORMULA}'].")
@vocabulary_option
@crossref_options
def command(inputs, output, report_path, input_format, encoding, verbose, key_formula, vocabulary_path, crossref_url, mailto,
            cache_path, offline, refresh) -> None:
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
      mscbib build --key-formula 'auth.lower + "_" + year'   # keys such as bergfeld_2010
      mscbib build --vocabulary my-topics.toml   # tag with your own topics
    """
    try:
        config = load_config()[0]
        key_formula = setting("key_formula", key_formula, config) or DEFAULT_FORMULA
        parse_formula(key_formula)
    except (ConfigError, FormulaError) as exc:
        raise click.BadParameter(str(exc), param_hint="--key-formula / MSCBIB_KEY_FORMULA / key_formula") from exc
    vocabulary = configured_vocabulary(vocabulary_path)  # before any work: a bad file stops here
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
    with LookupBar() as bar, LookupBar() as refs_bar:  # Crossref look-ups: found / not found / failed, on a terminal
        def refs_progress(answer, total) -> None:  # the cited references' look-ups, after the entries' ones
            bar.close()
            refs_bar(answer, total)

        result = build(inputs, output, client, format=input_format, progress=progress, lookup_progress=bar,
                       key_formula=key_formula, reference_progress=refs_progress, vocabulary=vocabulary,
                       encoding=encoding)
    if show and done[0]:
        click.echo("\r\033[K", err=True, nl=False)
    click.echo(report_text(result, verbose=verbose))
    if report_path:
        atomic_write_text(report_path, json.dumps(report_json(result), indent=2, ensure_ascii=False) + "\n")
    sys.exit(result.exit_code)

