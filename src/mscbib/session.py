"""The clients a run talks through, made from its settings: Crossref's (with its cache), NCBI's and the DOI
resolver's. Library code (``mscbib build``, the papis importer, ``check --enrich``) and the CLI make them here, with
the one settings resolver (:func:`mscbib.config.setting`: option, environment, mscbib.toml, default); a setting
that cannot be used is a :class:`SettingError` naming it, raised before any cache is opened or request sent.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from ._io import OutputError
from .config import ConfigError, load_config, setting
from .services.crossref import Cache, CrossrefClient
from .services.crossref.cache import default_cache_path
from .services.crossref.client import check_base_url

__all__ = ["SettingError", "parse_age", "crossref_client", "services"]


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
    try:
        config, _ = load_config()
    except ConfigError as exc:
        raise SettingError(str(exc)) from exc
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
        cache = Cache(path)
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


def services(client: CrossrefClient, ncbi_api_key: str | None = None) -> dict[str, Any]:
    """The NCBI and DOI-resolver clients that go with ``client`` (same cache, offline and age settings),
    as keyword arguments of :func:`mscbib.pipeline.build.build`."""
    from .enrich.agencies import AgencyClient
    from .services.ncbi import NcbiClient

    return {"ncbi": NcbiClient.like(client, api_key=ncbi_api_key), "agencies": AgencyClient.like(client)}
