"""`mscbib plugins`: list the readers, checks and writers installed through entry points."""

from __future__ import annotations

import json
import sys

import click

from ..exits import EXIT_OK
from ..plugins import GROUPS, discover
from ._common import CONTEXT


@click.command("plugins", context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def command(as_json) -> None:
    """List mscbib's plug-ins: readers (mscbib.sources), checks (mscbib.checks) and writers (mscbib.writers).

    mscbib's own are registered the same way as those of other packages. A plug-in that failed to
    load is listed with the reason and skipped everywhere else; it never stops mscbib. The exit code
    is 0 either way.

    \b
    Examples:
      mscbib plugins
      mscbib plugins --json | jq '.[] | select(.error)'
    """
    rows = [p for g in GROUPS for p in discover(g)]
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "group": p.group,
                        "name": p.name,
                        "value": p.value,
                        "from": p.dist,
                        "builtin": p.builtin,
                        "error": p.error,
                    }
                    for p in rows
                ],
                indent=2,
            )
        )
        sys.exit(EXIT_OK)
    for group in GROUPS:
        click.echo(f"{group}:")
        for p in (p for p in rows if p.group == group):
            where = "built-in" if p.builtin else p.dist
            state = f"  FAILED: {p.error}" if p.error else ""
            click.echo(f"  {p.name:<16} {p.value}  ({where}){state}")
    failed = [p for p in rows if p.error]
    if failed:
        click.echo(f"{len(failed)} plug-in(s) could not be loaded and are skipped.", err=True)
