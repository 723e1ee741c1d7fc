"""Settings: command-line option, then environment variable, then config file, then default.

The one resolver of every command's settings is :func:`setting` (each command, and the library code that makes
clients for them: :mod:`mscbib.session`, which hands them to the clients: no other module reads the environment);
:data:`ENV` names each setting's environment variable.

Config files (TOML, first found wins): ``./mscbib.toml``, then ``<user config dir>/mscbib/config.toml``.
Keys: ``mailto``, ``crossref_url``, ``cache``, ``key_formula`` (the citation-key formula, see
:mod:`mscbib.keys`), ``vocabulary`` (the topic vocabulary file, see :mod:`mscbib.tags`), ``references``
(``none``, ``doi`` or ``search``: how ``build`` resolves cited references, see :mod:`mscbib.refs`), ``drop_fields``
(fields ``build`` and ``export`` do not write: ``"abstract,keywords"`` or a list, see :mod:`mscbib.writers.options`),
``journal`` (``as-is``, ``full`` or ``iso4``: the form journal names are written in, see :mod:`mscbib.journals`),
``max_age``, ``plus_token``, the services beyond Crossref (``ncbi_api_key``, ``eutils_url``, ``idconv_url``,
``doi_resolver_url``, ``doi_handle_url``) and Zotero's (``zotero_user``, ``zotero_group``, ``zotero_api_key``,
``zotero_api_url``, ``zotero_connector_url``).
Example::

    mailto = "you@example.org"
    crossref_url = "https://api.crossref.org"
    key_formula = "auth + year"
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import platformdirs

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["load_config", "setting", "config_paths", "ConfigError"]

ENV = {
    "mailto": "MSCBIB_MAILTO",
    "crossref_url": "MSCBIB_CROSSREF_URL",
    "cache": "MSCBIB_CACHE",
    "key_formula": "MSCBIB_KEY_FORMULA",
    "vocabulary": "MSCBIB_VOCABULARY",
    "references": "MSCBIB_REFERENCES",
    "drop_fields": "MSCBIB_DROP_FIELDS",
    "journal": "MSCBIB_JOURNAL",
    "max_age": "MSCBIB_MAX_AGE",
    "plus_token": "MSCBIB_PLUS_TOKEN",
    "ncbi_api_key": "NCBI_API_KEY",
    "eutils_url": "MSCBIB_EUTILS_URL",
    "idconv_url": "MSCBIB_IDCONV_URL",
    "doi_resolver_url": "MSCBIB_DOI_RESOLVER_URL",
    "doi_handle_url": "MSCBIB_DOI_HANDLE_URL",
    "zotero_user": "MSCBIB_ZOTERO_USER",
    "zotero_group": "MSCBIB_ZOTERO_GROUP",
    "zotero_api_key": "MSCBIB_ZOTERO_API_KEY",
    "zotero_api_url": "MSCBIB_ZOTERO_API_URL",
    "zotero_connector_url": "MSCBIB_ZOTERO_CONNECTOR_URL",
}


class ConfigError(ValueError):
    pass


def config_paths() -> list[Path]:
    return [Path("mscbib.toml"), Path(platformdirs.user_config_dir("mscbib")) / "config.toml"]


def load_config() -> tuple[dict[str, Any], Path | None]:
    for path in config_paths():
        if path.is_file():
            try:
                return tomllib.loads(path.read_text(encoding="utf-8")), path
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    return {}, None


def setting(name: str, option: Any = None, config: dict[str, Any] | None = None, default: Any = None) -> Any:
    """The value of one setting, by precedence: option, environment (:data:`ENV`), config file, ``default``.
    ``config``: the config already loaded (:func:`load_config`); ``None`` loads it (a bad file:
    :class:`ConfigError`)."""
    if option not in (None, ""):
        return option
    env = os.environ.get(ENV.get(name, ""), "")
    if env:
        return env
    if config is None:
        config = load_config()[0]
    return config.get(name) or default
