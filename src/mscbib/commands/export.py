"""`mscbib export`: the library in another format (RIS, CSL-JSON, BibLaTeX, BibTeX)."""

from __future__ import annotations

import sys

import click

from ..config import ConfigError, load_config, setting
from ..exits import EXIT_INPUT, EXIT_OK
from ..journals import JOURNAL_FORMS, journal_forms, parse_journal_form
from ..sources.bibtex import BibtexFile
from ..writers import DROP_FORMATS, WRITERS, write
from ..writers.options import (
    DEFAULT_LAYOUT,
    DEFAULT_SORT,
    FIELD_ORDER_PRESETS,
    SORT_ORDERS,
    Layout,
    parse_drop_fields,
    parse_field_order,
    parse_indent,
    required_among,
)
from ._common import CONTEXT, output_option, read_text_input, require_writable

_DROP_HINT = "--drop-fields / MSCBIB_DROP_FIELDS / drop_fields"

#: ``--drop-fields`` and ``--sort``, the writer options of ``build`` and ``export`` (mscbib.writers.options)
drop_fields_option = click.option(
    "--drop-fields",
    "drop_fields",
    metavar="FIELD[,FIELD...]",
    help="Fields not written, e.g. 'abstract,keywords,annote' (BibTeX field names; in RIS and CSL-JSON the tags and "
    "keys they are written as; a field a data model requires is dropped with a warning) [env MSCBIB_DROP_FIELDS, "
    "or 'drop_fields' in mscbib.toml].",
)
sort_option = click.option(
    "--sort",
    "sort",
    type=click.Choice(SORT_ORDERS),
    default=DEFAULT_SORT,
    show_default=True,
    help="The order entries are written in: by citation key, by year, by first author, by entry type, or as read.",
)


def layout_options(f):
    """``--field-order``, ``--indent``, ``--wrap N`` / ``--no-wrap``: the layout of a BibTeX entry, as
    bibtex-tidy's options set it (mscbib.writers.options.Layout); the defaults write what the library holds."""
    for option in reversed(
        [
            click.option(
                "--field-order",
                "field_order",
                metavar="PRESET|FIELD,...",
                help="BibTeX formats: the order of an entry's fields: a preset "
                f"({', '.join(FIELD_ORDER_PRESETS)}; default mscbib) or the fields written first, e.g. "
                "'title,author,year' (the others follow in mscbib's order).",
            ),
            click.option(
                "--indent",
                "indent",
                metavar="N|tab",
                help="BibTeX formats: indent each field by N spaces (0-8) or a tab [default: 2].",
            ),
            click.option(
                "--wrap",
                "wrap",
                type=click.IntRange(min=40),
                metavar="N",
                help="BibTeX formats: break field lines longer than N (40 or more) columns at spaces (continuation indented "
                "twice); a URL, DOI or note is never broken [default: --no-wrap].",
            ),
            click.option("--no-wrap", "no_wrap", is_flag=True, help="Never break a field's line (the default)."),
        ]
    ):
        f = option(f)
    return f


def resolve_layout(
    field_order: str | None, indent: str | None, wrap: int | None, no_wrap: bool, to: str = "bibtex"
) -> Layout:
    """The :class:`Layout` the options ask for; a bad value, ``--wrap`` with ``--no-wrap``, or a layout asked of a
    format that is not BibTeX: a usage error (exit code 2) naming the option."""
    if wrap is not None and no_wrap:
        raise click.BadParameter("give --wrap N or --no-wrap, not both", param_hint="--wrap / --no-wrap")
    if to not in DROP_FORMATS:
        asked = [name for name, v in (("--field-order", field_order), ("--indent", indent), ("--wrap", wrap)) if v]
        if asked:
            raise click.BadParameter(
                f"applies to --to {', '.join(DROP_FORMATS)} (the layout of a BibTeX entry), not to {to}",
                param_hint=" / ".join(asked),
            )
        return DEFAULT_LAYOUT
    if field_order is None and indent is None and wrap is None:
        return DEFAULT_LAYOUT
    try:
        order, alphabetical = parse_field_order(field_order)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--field-order") from exc
    try:
        spaces = parse_indent(indent)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--indent") from exc
    return Layout(field_order=order, indent=spaces, wrap=wrap, alphabetical=alphabetical)


journal_option = click.option(
    "--journal",
    "journal",
    type=click.Choice(JOURNAL_FORMS),
    default=None,
    help="The form journal names are written in: 'as-is' (as stated, the abbreviation beside it); 'full' (an "
    "abbreviation becomes the full title another entry states beside it); 'iso4' (the ISO 4 abbreviation by the "
    "LTWA rules with mscbib[iso4] installed, else the abbreviation the entry states). A journal with no source for "
    "the form stays as it is, and is counted [env MSCBIB_JOURNAL, or 'journal' in mscbib.toml; default: 'as-is'].",
)


def resolve_journal(option: str | None) -> str:
    """The ``--journal`` form, by :func:`mscbib.config.setting`; a bad one is a usage error (exit code 2)."""
    try:
        return parse_journal_form(setting("journal", option, load_config()[0]))
    except (ConfigError, ValueError) as exc:
        raise click.BadParameter(str(exc), param_hint="--journal / MSCBIB_JOURNAL / journal") from exc


def resolve_drop_fields(option: str | None, command: str, dialect: str = "bibtex") -> frozenset[str]:
    """The fields not to write, by :func:`mscbib.config.setting` (option, env ``MSCBIB_DROP_FIELDS``, mscbib.toml
    ``drop_fields``); an unknown name is a usage error (exit code 2) naming the option. A field the ``dialect``'s
    data model requires is dropped with a warning line on stderr."""
    try:
        drop = parse_drop_fields(setting("drop_fields", option, load_config()[0]))
    except (ConfigError, ValueError) as exc:
        raise click.BadParameter(str(exc), param_hint=_DROP_HINT) from exc
    required = required_among(drop, dialect)
    if required:
        click.echo(
            f"mscbib {command}: warning: --drop-fields drops {', '.join(required)}, required for some entry types "
            f"in the {'biblatex' if dialect == 'biblatex' else 'bibtex'} data model: such entries are incomplete",
            err=True,
        )
    return drop


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
@output_option("File to write (atomically); default: standard output.")
@click.option("--ascii", "ascii_", is_flag=True, help="bibtex/biblatex: write every non-ASCII character as LaTeX.")
@drop_fields_option
@sort_option
@journal_option
@layout_options
def command(library, to, output, ascii_, drop_fields, sort, journal, field_order, indent, wrap, no_wrap) -> None:
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
      mscbib export --to bibtex --drop-fields abstract,keywords,annote -o slim.bib
      mscbib export --to ris --sort year -o by-year.ris
      mscbib export --to bibtex --journal iso4 -o abbreviated.bib
      mscbib export --to bibtex --field-order bibtex-tidy --indent 4 --wrap 80 -o tidy.bib
      mscbib export --to biblatex --sort type -o by-type.bib
    """
    journal = resolve_journal(journal)
    layout = resolve_layout(field_order, indent, wrap, no_wrap, to)
    # BibTeX field names; in RIS and CSL-JSON what those fields are written from (mscbib.writers.options)
    drop = resolve_drop_fields(drop_fields, "export", to)
    require_writable(output)
    result = read_library(library)
    records, summary = journal_forms(result.records, journal)
    if summary.text():
        click.echo(f"mscbib export: {summary.text()}", err=True)
    text = write(records, to, output, ascii=ascii_, sort=sort, drop=drop, layout=layout)
    if output is None:
        click.echo(text, nl=False)
    sys.exit(EXIT_INPUT if result.failures else EXIT_OK)
