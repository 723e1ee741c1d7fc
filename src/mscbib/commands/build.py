"""`mscbib build`: the main job."""

from __future__ import annotations

import json
import sys

import click

from .._io import atomic_write_text, recover_pair
from ..config import ConfigError, load_config, setting
from ..exits import EXIT_INPUT
from ..keys import DEFAULT_FORMULA, FormulaError, parse_formula
from ..pipeline.build import DEFAULT_URL_OPTION, build
from ..pipeline.report import report_json, report_text
from ..refs import DEFAULT_REFERENCE_MODE, REFERENCE_MODES, cited_path
from ..services.crossref.mapping import URL_OPTIONS
from ..sources import READERS, expand_inputs
from ._common import (
    CONTEXT,
    build_progress,
    configured_vocabulary,
    crossref_options,
    input_options,
    make_client,
    make_services,
    output_option,
    require_inputs,
    require_writable,
    service_options,
    vocabulary_option,
)
from .export import (
    drop_fields_option,
    journal_option,
    layout_options,
    resolve_drop_fields,
    resolve_journal,
    resolve_layout,
    sort_option,
)


@click.command("build", context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, type=click.Path())
@output_option("The BibTeX file to write (atomically).", default="bib/library.bib")
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Also write the build report as JSON to FILE.",
)
@input_options()
@click.option("-v", "--verbose", is_flag=True, help="Also list informational findings, and why each tag was applied.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the errors and the summary.")
@click.option(
    "--force",
    is_flag=True,
    help="Replace OUTPUT even when the build made fewer entries than it holds "
    "(the old OUTPUT and its cited file are kept as .bak).",
)
@click.option(
    "--key-formula",
    metavar="FORMULA",
    help="Citation-key formula, e.g. 'auth + year' "
    "[env MSCBIB_KEY_FORMULA, or 'key_formula' in mscbib.toml; default: Better BibTeX's "
    f"'{DEFAULT_FORMULA}'].",
)
@click.option(
    "--references",
    "references",
    type=click.Choice(REFERENCE_MODES),
    default=None,
    help="How cited references are resolved at Crossref: 'none' asks nothing (references kept as "
    "stated); 'doi' looks up every DOI they carry (1 request per 100) and searches the references "
    "printed on your pages; 'search' also searches the references Crossref holds without a DOI "
    "(1 request each, about 3 a second) [env MSCBIB_REFERENCES, or 'references' in mscbib.toml; "
    f"default: '{DEFAULT_REFERENCE_MODE}'].",
)
@click.option(
    "--url",
    "url",
    type=click.Choice(URL_OPTIONS),
    default=DEFAULT_URL_OPTION,
    show_default=True,
    help="When an entry gets the landing-page URL Crossref holds: 'always'; 'no-doi' only without a DOI "
    "(the DOI leads there already); 'never'. A URL your input gives is always kept.",
)
@drop_fields_option
@sort_option
@journal_option
@layout_options
@vocabulary_option
@crossref_options
@service_options
def command(
    inputs,
    output,
    report_path,
    input_format,
    encoding,
    verbose,
    quiet,
    force,
    key_formula,
    references,
    url,
    drop_fields,
    sort,
    journal,
    field_order,
    indent,
    wrap,
    no_wrap,
    vocabulary_path,
    crossref_url,
    mailto,
    cache_path,
    offline,
    refresh,
    ncbi_api_key,
    prefer_published,
) -> None:
    """Build a verified BibTeX library from INPUTS (files or folders; default: seeds/).

    Every input is recognised by its content (PubMed page, library-catalog record, DOI list);
    each record is looked up at Crossref by DOI, or found by a verified bibliographic search, and
    what Crossref knows fills what the input lacks. Disagreements keep Crossref's value and are
    reported. Answers are cached, so a second build asks Crossref nothing.

    A missing input stops the build before any work. OUTPUT is not replaced by a build that made no entry, or
    fewer entries than OUTPUT holds, unless --force is given (the old file is then kept as OUTPUT.bak). The
    cited works go to OUTPUT's cited file (bib/library.bib: bib/cited.bib; paper.bib: paper.cited.bib).

    \b
    Exit codes:
      0    the library was written and every entry is fine
      1    written, with errors (e.g. a DOI no DOI agency knows, a PMID not in PubMed)
      2    an input could not be read (missing: nothing done; else the others were built)
      3    Crossref could not be reached: entries written from the inputs alone
      4    OUTPUT not written: it cannot be written, or it holds more entries (see --force)
      130  interrupted (Ctrl-C): nothing written, the answers received are cached

    \b
    Examples:
      mscbib build                              # seeds/ -> bib/library.bib
      mscbib build dois.txt pages/ -o refs.bib --mailto you@example.org
      mscbib build --offline --report build.json
      mscbib build --key-formula 'auth.lower + "_" + year'   # keys such as bergfeld_2010
      mscbib build --vocabulary my-topics.toml   # tag with your own topics
      mscbib build --drop-fields abstract -o slim.bib   # no abstracts written
      mscbib build --sort year -o by-year.bib
      mscbib build --journal full -o full-journals.bib   # full journal titles
      mscbib build --field-order bibtex-tidy --wrap 80 -o tidy.bib
    """
    try:
        config = load_config()[0]
        key_formula = setting("key_formula", key_formula, config) or DEFAULT_FORMULA
        parse_formula(key_formula)
    except (ConfigError, FormulaError) as exc:
        raise click.BadParameter(str(exc), param_hint="--key-formula / MSCBIB_KEY_FORMULA / key_formula") from exc
    if input_format and input_format not in {r.name for r in READERS}:
        raise click.BadParameter(
            f"unknown format {input_format!r}; known: {', '.join(r.name for r in READERS)}", param_hint="--format"
        )
    references = str(setting("references", references, config) or DEFAULT_REFERENCE_MODE).strip().lower()
    if references not in REFERENCE_MODES:
        raise click.BadParameter(
            f"{references!r} is not one of {', '.join(REFERENCE_MODES)}",
            param_hint="--references / MSCBIB_REFERENCES / references",
        )
    drop = resolve_drop_fields(drop_fields, "build")
    journal = resolve_journal(journal)
    layout = resolve_layout(field_order, indent, wrap, no_wrap)
    vocabulary = configured_vocabulary(vocabulary_path)  # before any work: a bad file stops here
    inputs = list(inputs) or ["seeds"]
    require_inputs("build", inputs)  # a typo in a path must not become an empty library
    require_writable(output, cited_path(output), report_path)  # before any Crossref work, not after it
    for finished in recover_pair(output):  # a run killed between its two renames: finish them first
        click.echo(f"mscbib build: {finished}: completed the write an interrupted build left half done", err=True)
    client = make_client(crossref_url, mailto, cache_path, offline, refresh)
    files = expand_inputs(inputs)  # once: the build reads these files (its read stage expands nothing more)
    if not files:
        click.echo(f"mscbib build: no input files in {', '.join(inputs)}; nothing written", err=True)
        sys.exit(EXIT_INPUT)
    with build_progress() as progress:  # one display at a time; a bar on a terminal, periodic lines elsewhere
        result = build(
            files,
            output,
            client,
            format=input_format,
            key_formula=key_formula,
            vocabulary=vocabulary,
            force=force,
            prefer_published=prefer_published,
            **make_services(client, ncbi_api_key),
            references=references,
            url=url,
            sort=sort,
            drop_fields=drop,
            journal=journal,
            layout=layout,
            announce=lambda text: click.echo(text, err=True),
            encoding=encoding,
            **progress,
        )
    click.echo(report_text(result, verbose=verbose, quiet=quiet))
    journal_forms = [f for f in result.findings if f.code == "JRN001"]  # what --journal did (mscbib.journals)
    for finding in journal_forms:
        click.echo(finding.message)
    for bak in result.backups:
        click.echo(f"mscbib build: --force: the file replaced is kept as {bak}", err=True)
    if result.not_written:
        click.echo(f"mscbib build: {result.not_written}", err=True)
    if report_path:
        data = report_json(result)
        if journal_forms:  # how many journal names --journal changed, and which it left as they are
            data["journal_forms"] = journal_forms[0].to_json()
        atomic_write_text(report_path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    sys.exit(result.exit_code)
