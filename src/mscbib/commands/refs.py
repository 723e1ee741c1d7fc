"""`mscbib refs`: an entry's cited references, resolved and not, as a table (:func:`mscbib.library.views.reference_rows`)."""

from __future__ import annotations

import sys

import click

from ..exits import EXIT_FINDINGS
from ..library.views import NoSuchEntry, library_files, reference_rows
from ._common import CONTEXT, library_file_option, read_text_input


@click.command("refs", context_settings=CONTEXT)
@click.argument("key")
@library_file_option(
    "The library; its cited file is read from beside it (bib/cited.bib, paper.cited.bib).", exists=True
)
def command(key, library) -> None:
    """Print the references of entry KEY in order: number, cited key, status, DOI, and what is known.

    Status is `library` (the cited work is itself an entry of the library), `doi` (a cited.bib entry
    with a DOI: deposited at Crossref or found by the verified search) or `text` (no DOI: kept as the
    reference was printed).

    \b
    Examples:
      mscbib refs bergfeldBoneMarrowderivedMesenchymal2010
      mscbib refs KEY -f refs.bib          # its cited works from refs.cited.bib
    """
    for f in library_files(library):  # binary or not UTF-8: named, exit code 2
        read_text_input("refs", f)
    try:
        rows = reference_rows(key, library)
    except NoSuchEntry as exc:
        click.echo(f"mscbib refs: {exc}", err=True)
        sys.exit(EXIT_FINDINGS)
    if not rows:
        click.echo(f"{key}: no references known")
        return
    width = max(len(r.key) for r in rows)
    click.echo(f"{'#':>3}  {'key':<{width}}  {'status':<8}  {'doi':<28}  reference")
    for r in rows:
        doi = r.doi if r.doi is not None else "-"
        click.echo(
            f"{r.number:>3}  {r.key:<{width}}  {r.status:<8}  {doi:<28}  {r.what[:70]}"
            + (f" ({r.year})" if r.year else "")
        )
