"""What the commands share: option sets and the construction of the Crossref client."""

from __future__ import annotations

import click

from ..config import ConfigError, load_config, setting
from ..crossref import Cache, CrossrefClient

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def crossref_options(fn):
    """The options every command that talks to Crossref shares."""
    options = [
        click.option("--crossref-url", metavar="URL", help="Crossref REST API base URL "
                     "[env MSCBIB_CROSSREF_URL; default https://api.crossref.org]."),
        click.option("--mailto", metavar="EMAIL", help="Contact address for Crossref's polite pool "
                     "[env MSCBIB_MAILTO, or 'mailto' in mscbib.toml]."),
        click.option("--cache", "cache_path", metavar="PATH", type=click.Path(dir_okay=False),
                     help="SQLite cache of Crossref answers [env MSCBIB_CACHE; default: the per-user cache folder]."),
        click.option("--offline", is_flag=True, help="Ask Crossref nothing: use cached answers only."),
        click.option("--refresh", is_flag=True, help="Ignore cached answers and ask Crossref again."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def make_client(crossref_url, mailto, cache_path, offline, refresh) -> CrossrefClient:
    try:
        config, _ = load_config()
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    cache = Cache(setting("cache", cache_path, config))
    return CrossrefClient(
        base_url=setting("crossref_url", crossref_url, config),
        mailto=setting("mailto", mailto, config),
        cache=cache,
        offline=offline,
        refresh=refresh,
    )
