"""`mscbib refs`: an entry's cited references, resolved and not, as a table."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..exits import EXIT_FINDINGS
from ..graph import read_entries
from ..refs import cited_path
from ..subset import closest_keys
from ._common import CONTEXT, read_text_input


@click.command("refs", context_settings=CONTEXT)
@click.argument("key")
@click.option("-f", "--file", "library", default="bib/library.bib", show_default=True,
              type=click.Path(exists=True, dir_okay=False),
              help="The library; its cited file is read from beside it (bib/cited.bib, paper.cited.bib).")
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
    files = [library] + [p for p in [cited_path(library)] if Path(p).is_file()]
    for f in files:  # binary or not UTF-8: named, exit code 2
        read_text_input("refs", f)
    entries = read_entries(files)
    if key not in entries:
        near = closest_keys(key, [k for k, f in entries.items() if f.get("_file") == library])
        hint = f"; closest: {', '.join(near)}" if near else ""
        click.echo(f"mscbib refs: no entry {key!r} in {', '.join(files)}{hint}", err=True)
        sys.exit(EXIT_FINDINGS)
    cites = [k.strip() for k in entries[key].get("cites", "").split(",") if k.strip()]
    if not cites:
        click.echo(f"{key}: no references known")
        return
    width = max(len(k) for k in cites)
    click.echo(f"{'#':>3}  {'key':<{width}}  {'status':<8}  {'doi':<28}  reference")
    for i, k in enumerate(cites, 1):
        f = entries.get(k, {})
        status = "library" if f.get("_file") == library else ("doi" if f.get("doi") else "text")
        what = " ".join(f.get("title", f.get("note", "")).replace("{", "").replace("}", "").split())
        year = f.get("year", "")
        click.echo(f"{i:>3}  {k:<{width}}  {status:<8}  {f.get('doi', '-'):<28}  {what[:70]}"
                   + (f" ({year})" if year else ""))
