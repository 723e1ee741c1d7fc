"""The clients a run talks through, made from its settings: Crossref's (with its cache), NCBI's, the DOI
resolver's and the DOI handle service's. The clients take their settings as parameters and read no environment. Library code (``mscbib build``, the papis importer, ``check --enrich``) and the CLI make them here, with
the one settings resolver (:func:`mscbib.config.setting`: option, environment, mscbib.toml, default); a setting
that cannot be used is a :class:`SettingError` naming it, raised before any cache is opened or request sent.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._io import OutputError
from .config import ConfigError, load_config, setting
from .services.crossref import Cache, CrossrefClient
from .services.crossref.cache import default_cache_path
from .services.crossref.client import check_base_url

if TYPE_CHECKING:
    from .services.handles import HandleClient

__all__ = ["SettingError", "parse_age", "crossref_client", "services", "handle_client"]


class SettingError(ValueError):
    """A setting that cannot be used: ``hint`` names where it is set (option, environment variable, config key)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$", re.IGNORECASE)
_AGE_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_age(text: Any) -> float | None:
    """``"30d"`` → 2592000.0 seconds; a bare number is seconds. Raises ``ValueError`` on anything else."""
    if text in (None, ""):
        return None
    m = _AGE.match(str(text))
    if not m:
        raise ValueError(f"{text!r} is not an age such as 30d, 12h, 90m or 3600s")
    return float(m.group(1)) * _AGE_UNIT[m.group(2).lower()]


def crossref_client(
    crossref_url: str | None = None,
    mailto: str | None = None,
    cache_path: str | None = None,
    offline: bool = False,
    refresh: bool = False,
    *,
    max_age: Any = None,
    plus_token: str | None = None,
) -> CrossrefClient:
    """The Crossref client of a run: each argument resolved (argument > environment > mscbib.toml > default).
    A bad config file, age or URL: :class:`SettingError`; a cache that cannot be opened:
    :class:`mscbib._io.OutputError` (exit code 4)."""
    config = _config()
    try:
        age = parse_age(setting("max_age", max_age, config))
    except ValueError as exc:
        raise SettingError(str(exc), "--max-age / MSCBIB_MAX_AGE / max_age") from exc
    base_url = setting("crossref_url", crossref_url, config)
    try:
        if base_url:
            check_base_url(base_url)  # before the cache is opened: a bad URL stops here
    except ValueError as exc:
        raise SettingError(str(exc), "--crossref-url / MSCBIB_CROSSREF_URL / crossref_url") from exc
    path = setting("cache", cache_path, config)
    try:
        cache = Cache(Path(path).expanduser() if path else None)
    except (OSError, sqlite3.Error) as exc:  # a read-only folder, a file in the way, not a database
        raise OutputError(
            path or default_cache_path(),
            f"cannot open the Crossref cache: "
            f"{getattr(exc, 'strerror', None) or exc} (--cache / MSCBIB_CACHE picks another)",
        ) from exc
    return CrossrefClient(
        base_url=base_url,
        mailto=setting("mailto", mailto, config),
        cache=cache,
        offline=offline,
        refresh=refresh,
        max_age=age,
        plus_token=setting("plus_token", plus_token, config),
    )


def _config() -> dict[str, Any]:
    try:
        return load_config()[0]
    except ConfigError as exc:
        raise SettingError(str(exc)) from exc


def services(
    client: CrossrefClient,
    ncbi_api_key: str | None = None,
    *,
    eutils_url: str | None = None,
    idconv_url: str | None = None,
    doi_resolver_url: str | None = None,
) -> dict[str, Any]:
    """The NCBI and DOI-resolver clients that go with ``client`` (same cache, offline and age settings, and its
    mailto), as keyword arguments of :func:`mscbib.pipeline.build.build`; each setting resolved (argument > environment
    ``NCBI_API_KEY``, ``MSCBIB_EUTILS_URL``, ``MSCBIB_IDCONV_URL``, ``MSCBIB_DOI_RESOLVER_URL`` > mscbib.toml >
    the service's own address)."""
    from .enrich.agencies import AgencyClient
    from .services.ncbi import NcbiClient

    config = _config()
    ncbi = NcbiClient.like(
        client,
        eutils_url=setting("eutils_url", eutils_url, config),
        idconv_url=setting("idconv_url", idconv_url, config),
        api_key=setting("ncbi_api_key", ncbi_api_key, config),
    )
    return {
        "ncbi": ncbi,
        "agencies": AgencyClient.like(client, base_url=setting("doi_resolver_url", doi_resolver_url, config)),
    }


def handle_client(client: CrossrefClient, doi_handle_url: str | None = None) -> HandleClient:
    """The DOI handle service's client that goes with ``client`` (its answers share the Crossref cache, its
    ``--max-age`` and ``--refresh``); the URL resolved (argument > ``MSCBIB_DOI_HANDLE_URL`` > mscbib.toml
    ``doi_handle_url`` > https://doi.org)."""
    from .services.handles import HandleClient

    url = setting("doi_handle_url", doi_handle_url, _config())
    return HandleClient(url, cache=client.cache, max_age=client.max_age, refresh=client.refresh)
