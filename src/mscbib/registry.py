"""The one check registry: every check of ``mscbib build`` and ``mscbib check``, built-in or plug-in, by name.

A check is a registered function with a stable name, the codes it reports and a scope:

``record``   ``Record -> Iterable[Finding]`` (:func:`mscbib.validate.record_check`);
``records``  ``list[Record] -> Iterable[Finding]`` (:func:`mscbib.validate.library_check`);
``entry``    ``(CheckContext, BibEntry) -> Iterable[Issue]`` (:func:`mscbib.validate.check.registry.entry_check`);
``library``  ``CheckContext -> Iterable[Issue]`` (:func:`mscbib.validate.check.registry.library_check`).

``build`` runs the record and records scopes on its records (:func:`mscbib.validate.validate`); ``check`` runs
the entry and library scopes on a ``.bib`` file, and the record scopes through them on each entry
(:mod:`mscbib.validate.check.checks`). The checks other packages install (entry-point group ``mscbib.checks``) are
registered here once per discovery (:func:`mscbib.plugins.discover`), the first time :func:`checks` is asked,
whichever command asks: a plug-in check runs under both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from . import plugins

__all__ = ["SCOPES", "CheckInfo", "CHECKS", "register", "checks"]

SCOPES = ("record", "records", "entry", "library")


@dataclass(frozen=True)
class CheckInfo:
    name: str
    codes: tuple[str, ...]
    fn: Callable[..., Any]
    scope: str
    network: bool = False
    #: the distribution that installed it ("package version"); None for mscbib's own
    plugin: str | None = None


#: Every check, by name, in registration order.
CHECKS: dict[str, CheckInfo] = {}


def register(info: CheckInfo) -> CheckInfo:
    """Add (or replace) a check. A plug-in never replaces a check of the same name that is already there."""
    if info.scope not in SCOPES:
        raise ValueError(f"unknown check scope {info.scope!r}; known: {', '.join(SCOPES)}")
    if info.plugin is None or info.name not in CHECKS:
        CHECKS[info.name] = info
    return info


_registered_from: list[Any] | None = None  # the discovery whose plug-in checks are in CHECKS


def _load_plugins() -> None:
    global _registered_from
    found = plugins.discover("mscbib.checks")  # cached: the same list until plugins.reset()
    if found is _registered_from:
        return
    for name in [n for n, c in CHECKS.items() if c.plugin is not None]:  # a discovery before reset()
        del CHECKS[name]
    for plugin, fn in plugins.plugin_checks(found):
        scope = "records" if getattr(plugin.obj, "library", False) else "record"
        register(CheckInfo(plugin.name, (), fn, scope, plugin=plugin.dist))
    _registered_from = found


def checks(*scopes: str) -> list[CheckInfo]:
    """The registered checks of ``scopes``, in registration order, plug-ins loaded."""
    _load_plugins()
    return [c for c in CHECKS.values() if c.scope in scopes]
