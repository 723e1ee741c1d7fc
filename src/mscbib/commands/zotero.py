"""`mscbib zotero push`: send the library's entries into Zotero desktop, or to zotero.org with --web."""

from __future__ import annotations

import json
import sys

import click

from ..config import ConfigError, load_config, setting
from ..exits import EXIT_INPUT, EXIT_OK, EXIT_REFUSED, EXIT_UNREACHABLE  # noqa: E402  (one set: mscbib.exits)
from ..integrations.zotero import (
    DEFAULT_API_URL,
    DEFAULT_CONNECTOR_URL,
    Library,
    WebAPIError,
    ZoteroNotRunning,
    item_problems,
    load_schema,
    push_connector,
    push_web,
    zotero_item,
)
from ..pipeline.build import build
from ..sources import expand_inputs
from ..text import plural
from ._common import CONTEXT, crossref_options, make_client, require_inputs

#: Web API settings: option, then environment variable, then mscbib.toml key (mscbib.config.setting, ENV)
_setting = setting


@click.group("zotero", context_settings=CONTEXT)
def command() -> None:
    """mscbib inside Zotero: send verified entries to Zotero desktop or a zotero.org library."""


@command.command("push", context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option(
    "--web", is_flag=True, help="Send to a zotero.org library through the Zotero Web API instead of Zotero desktop."
)
@click.option(
    "--user",
    "user_id",
    metavar="ID",
    help="zotero.org user library id [env MSCBIB_ZOTERO_USER; mscbib.toml zotero_user].",
)
@click.option(
    "--group",
    "group_id",
    metavar="ID",
    help="zotero.org group library id [env MSCBIB_ZOTERO_GROUP; mscbib.toml zotero_group].",
)
@click.option(
    "--api-key",
    metavar="KEY",
    help="zotero.org API key with write access [env MSCBIB_ZOTERO_API_KEY; mscbib.toml zotero_api_key].",
)
@click.option(
    "--api-url", metavar="URL", help=f"Web API base URL [env MSCBIB_ZOTERO_API_URL; default {DEFAULT_API_URL}]."
)
@click.option(
    "--connector-url",
    metavar="URL",
    help=f"Zotero desktop's connector server [env MSCBIB_ZOTERO_CONNECTOR_URL; default {DEFAULT_CONNECTOR_URL}].",
)
@click.option(
    "--schema",
    "schema_path",
    type=click.Path(exists=True, dir_okay=False),
    metavar="FILE",
    help="Check every item against this Zotero schema.json before sending; send nothing if one fails.",
)
@click.option("--dry-run", is_flag=True, help="Print the Zotero items as JSON and send nothing.")
@click.option("--format", "input_format", metavar="NAME", help="Read every input as this format.")
@crossref_options
def push(
    inputs,
    web,
    user_id,
    group_id,
    api_key,
    api_url,
    connector_url,
    schema_path,
    dry_run,
    input_format,
    crossref_url,
    mailto,
    cache_path,
    offline,
    refresh,
) -> None:
    """Send the entries read from INPUTS (default: seeds/) to Zotero.

    The inputs go through the same pipeline as `mscbib build` (reading, Crossref verification and
    enrichment, keys), and each entry becomes a Zotero item of the right type: creators, every field
    Zotero holds for the type (what it has no field for goes to Extra, nothing is dropped), tags
    from the keywords, PMID/PMCID and the citation key as Extra lines, and the cited-reference list
    as a child note.

    Without --web the items go to the running Zotero desktop (its connector server on
    127.0.0.1:23119, as the browser connector does; if Zotero refuses them, they are sent as BibTeX
    to its import endpoint). With --web they go to a zotero.org library through the Web API, 50 per
    request, honouring Backoff/Retry-After; items whose DOI or citation key is already in the
    library are not sent again.

    \b
    Exit codes: 0 sent · 1 some items refused · 2 no input · 3 Zotero or zotero.org not reachable
    (or the key refused)

    \b
    Examples:
      mscbib zotero push                                    # seeds/ -> Zotero desktop
      mscbib zotero push bib/library.bib --offline
      mscbib zotero push pages/ --web --user 475425 --api-key $KEY
      MSCBIB_ZOTERO_API_KEY=... mscbib zotero push refs.ris --web --group 12345
      mscbib zotero push dois.txt --dry-run --schema ../shared/zotero-schema/schema.json
    """
    try:
        config, _ = load_config()
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    inputs = list(inputs) or ["seeds"]
    require_inputs("zotero push", inputs)
    if not expand_inputs(inputs):
        click.echo(f"mscbib zotero push: no input files in {', '.join(inputs)}; nothing sent", err=True)
        sys.exit(EXIT_INPUT)
    library = None
    if web:
        user = _setting("zotero_user", user_id, config)
        group = _setting("zotero_group", group_id, config)
        key = _setting("zotero_api_key", api_key, config)
        if bool(user) == bool(group):
            raise click.UsageError(
                "--web needs exactly one of --user ID or --group ID (or MSCBIB_ZOTERO_USER / MSCBIB_ZOTERO_GROUP)"
            )
        if not key:
            raise click.UsageError(
                "--web needs an API key: --api-key, MSCBIB_ZOTERO_API_KEY or zotero_api_key in "
                "mscbib.toml (create one at https://www.zotero.org/settings/keys)"
            )
        library = Library("users", str(user)) if user else Library("groups", str(group))

    client = make_client(crossref_url, mailto, cache_path, offline, refresh)
    result = build(inputs, None, client, format=input_format)
    for failure in result.failures:
        click.echo(f"{failure.where()}: {failure.reason} (not sent)", err=True)
    items = [zotero_item(r) for r in result.records]
    unverified = sum(1 for e in result.enriched if e.status.value != "verified")
    if unverified:
        click.echo(
            f"{unverified} of {len(items)} entries are not verified at Crossref; they are sent as the "
            "inputs state them",
            err=True,
        )

    if schema_path:
        schema = load_schema(schema_path)
        bad = [(i.record.label(), p) for i in items for p in item_problems(i.data, schema)]
        if bad:
            for label, problem in bad:
                click.echo(f"{label}: {problem}", err=True)
            click.echo(f"mscbib zotero push: {len(bad)} problem(s) against {schema_path}; nothing sent", err=True)
            sys.exit(EXIT_REFUSED)
    if dry_run:
        for i in items:
            click.echo(json.dumps({**i.data, "notes": i.notes}, ensure_ascii=False))
        sys.exit(EXIT_OK)

    if library is None:
        url = _setting("zotero_connector_url", connector_url, config) or DEFAULT_CONNECTOR_URL
        try:
            res = push_connector(items, url)
        except ZoteroNotRunning as exc:
            click.echo(f"mscbib zotero push: {exc}", err=True)
            sys.exit(EXIT_UNREACHABLE)
        for m in res.messages:
            click.echo(m, err=True)
        via = "/connector/saveItems" if res.method == "saveItems" else "/connector/import (BibTeX)"
        click.echo(
            f"sent {res.sent} items ({res.notes} reference-list notes) to Zotero desktop at {res.url} via "
            f"{via}, session {res.session}; Zotero answered {res.status}"
        )
        sys.exit(EXIT_OK if res.ok else EXIT_REFUSED)

    try:
        pushed = push_web(items, library, key, api_url=_setting("zotero_api_url", api_url, config) or DEFAULT_API_URL)
    except WebAPIError as exc:
        click.echo(f"mscbib zotero push --web: {exc}", err=True)
        sys.exit(EXIT_UNREACHABLE)
    for label, zkey in sorted(pushed.created.items()):
        click.echo(f"  created  {label} -> {zkey}")
    for label, zkey in sorted(pushed.skipped.items()):
        click.echo(f"  already  {label} = {zkey} (same DOI or citation key; not sent again)")
    for label, msg in sorted(pushed.failed.items()):
        click.echo(f"  REFUSED  {label}: {msg}")
    for label, msg in sorted(pushed.notes_failed.items()):
        click.echo(f"  note REFUSED  {label}: {msg}")
    click.echo(
        f"zotero.org {library.path}: {len(pushed.created)} created, {len(pushed.skipped)} already there, "
        f"{len(pushed.failed)} refused, {plural(pushed.notes, 'note')}; {plural(pushed.requests, 'request')}"
        + (f", waited {pushed.waited:g} s as the API asked" if pushed.waited else "")
    )
    sys.exit(EXIT_OK if pushed.ok else EXIT_REFUSED)
