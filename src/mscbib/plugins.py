"""Plug-in points: readers, checks, writers and build stages that other packages install, found through entry points.

Four entry-point groups; mscbib registers its own built-ins in them the same way (``pyproject.toml``):

``mscbib.sources``
    A reader: a class (instantiated without arguments) or an instance with ``name``, ``match(text)``
    and ``read(text, path) -> ReadResult`` (:class:`mscbib.sources.base.Reader`). Plug-in readers are
    tried after the built-ins, and ``--format NAME`` picks one by name.
``mscbib.checks``
    A function ``Record -> Iterable[Finding]`` registered under the entry-point name (a function with
    ``library = True`` takes the whole list of records instead), or a module whose import registers
    checks with :func:`mscbib.validate.record_check` / :func:`~mscbib.validate.library_check`. Either way
    it lands in the one registry (:mod:`mscbib.registry`) and runs under ``mscbib build`` and ``mscbib check``.
``mscbib.writers``
    A function ``records -> text``, registered under the entry-point name as an output format.
``mscbib.stages``
    A build stage: a function ``Library -> Library`` (:class:`mscbib.model.Library`), or a class instantiated
    without arguments whose instances are; it runs in every build after the stage its ``after`` attribute names
    (default ``tag``: before validation and the write; :func:`mscbib.pipeline.stages.with_plugins`).

A plug-in that cannot be loaded, or is not what its group expects, is reported (logged as a warning,
and listed by ``mscbib plugins``) and skipped: it never stops mscbib. A plug-in check that raises
while running becomes a ``PLG001`` finding instead of an exception.

Example ``pyproject.toml`` of a plug-in package::

    [project.entry-points."mscbib.sources"]
    endnote-xml = "mscbib_endnote:EndnoteXml"
    [project.entry-points."mscbib.checks"]
    has-abstract = "mscbib_endnote:has_abstract"
    [project.entry-points."mscbib.writers"]
    endnote-xml = "mscbib_endnote:render"
    [project.entry-points."mscbib.stages"]
    flag-retracted = "mscbib_endnote:FlagRetracted"
"""

from __future__ import annotations

import inspect
import logging
import sys
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from types import ModuleType
from typing import Any, Callable, Iterable

__all__ = [
    "GROUPS",
    "Plugin",
    "discover",
    "cached",
    "plugin_readers",
    "plugin_writers",
    "plugin_checks",
    "plugin_stages",
    "failures",
    "reset",
]

GROUPS = ("mscbib.sources", "mscbib.checks", "mscbib.writers", "mscbib.stages")
log = logging.getLogger("mscbib.plugins")


@dataclass
class Plugin:
    group: str
    name: str
    value: str  # "module:attribute", as registered
    dist: str  # "package version" that installed it
    builtin: bool
    obj: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


_CACHE: dict[str, list[Plugin]] = {}


def reset() -> None:
    """Forget what was discovered (after installing or removing a plug-in, and in tests)."""
    _CACHE.clear()


def _check_shape(group: str, obj: Any) -> tuple[Any, str | None]:
    if group == "mscbib.sources":
        if inspect.isclass(obj):
            obj = obj()
        missing = [a for a in ("name", "match", "read") if not hasattr(obj, a)]
        if missing:
            return None, f"not a reader: no {', '.join(missing)}"
        if not isinstance(obj.name, str) or not obj.name:
            return None, "not a reader: its name is not a non-empty string"
        return obj, None
    if group == "mscbib.checks":
        if isinstance(obj, ModuleType) or callable(obj):
            return obj, None
        return None, "not a check: neither a function nor a module"
    if group == "mscbib.writers":
        if callable(obj):
            return obj, None
        return None, "not a writer: not a function records -> text"
    if group == "mscbib.stages":
        if inspect.isclass(obj):
            obj = obj()
        if callable(obj):
            if not getattr(obj, "name", None):
                try:
                    obj.name = getattr(obj, "__name__", None) or type(obj).__name__
                except (AttributeError, TypeError):
                    pass
            return obj, None
        return None, "not a stage: not a function Library -> Library"
    return obj, None  # pragma: no cover


def _initializing(ep: EntryPoint) -> bool:
    """The entry point's module is being imported right now, further up this very call: asked for one of its
    names now, it has none yet (a plug-in module that imports mscbib.sources, whose import discovers readers)."""
    module = sys.modules.get(ep.value.split(":")[0].strip())
    return bool(module is not None and getattr(getattr(module, "__spec__", None), "_initializing", False))


def _load(group: str, ep: EntryPoint) -> Plugin:
    dist = f"{ep.dist.name} {ep.dist.version}" if ep.dist else "?"
    plugin = Plugin(group, ep.name, ep.value, dist, builtin=ep.value.split(":")[0].split(".")[0] == "mscbib")
    try:
        obj, problem = _check_shape(group, ep.load())
    except Exception as exc:  # a broken plug-in must not stop mscbib: it is reported and skipped
        obj, problem = None, f"failed to load: {type(exc).__name__}: {exc}"
    plugin.obj, plugin.error = obj, problem
    if problem:
        log.warning("mscbib: plug-in %r (%s = %s, from %s) skipped: %s", ep.name, group, ep.value, dist, problem)
    return plugin


def discover(group: str) -> list[Plugin]:
    """Every plug-in registered in ``group`` (built-ins included), loaded, in name order."""
    if group not in GROUPS:
        raise ValueError(f"unknown plug-in group {group!r}; known: {', '.join(GROUPS)}")
    if group not in _CACHE:
        seen: dict[tuple[str, str], EntryPoint] = {}
        for ep in entry_points(group=group):
            seen.setdefault((ep.name, ep.value), ep)  # an editable install can list a distribution twice
        eps = [ep for _, ep in sorted(seen.items())]
        busy = [ep for ep in eps if _initializing(ep)]
        found = [_load(group, ep) for ep in eps if ep not in busy]
        if busy:  # asked from inside a plug-in module's own import: found whole on the next ask, not cached now
            return found
        _CACHE[group] = found
    return _CACHE[group]


def cached(group: str) -> list[Plugin] | None:
    """What :func:`discover` found in ``group``, or None when it has not looked yet (or since :func:`reset`)."""
    return _CACHE.get(group)


def failures() -> list[Plugin]:
    return [p for g in GROUPS for p in discover(g) if not p.ok]


def plugin_readers(builtin: Iterable[Any]) -> list[Any]:
    """Readers from other packages, skipping any whose name a reader in ``builtin`` already has."""
    taken = {r.name for r in builtin}
    out = []
    for p in discover("mscbib.sources"):
        if p.ok and not p.builtin and p.obj.name not in taken:
            taken.add(p.obj.name)
            out.append(p.obj)
    return out


def plugin_writers(builtin: dict[str, Any]) -> dict[str, Callable[..., str]]:
    """Writers from other packages (name → ``records -> text``), skipping names already taken."""
    return {p.name: p.obj for p in discover("mscbib.writers") if p.ok and not p.builtin and p.name not in builtin}


def plugin_stages() -> list[Callable[..., Any]]:
    """The build stages other packages install (``Library -> Library``), in name order."""
    return [p.obj for p in discover("mscbib.stages") if p.ok and not p.builtin]


def _guarded(name: str, fn: Callable[..., Iterable[Any]]) -> Callable[..., list[Any]]:
    """A plug-in check whose own failure becomes a PLG001 finding instead of an exception."""
    from .model import Finding, Severity

    def run(arg: Any) -> list[Any]:
        try:
            return list(fn(arg))
        except Exception as exc:
            label = arg.label() if hasattr(arg, "label") else None
            return [
                Finding(
                    "PLG001", Severity.WARNING, f"plug-in check {name!r} failed: {type(exc).__name__}: {exc}", key=label
                )
            ]

    return run


def plugin_checks(found: list[Plugin] | None = None) -> list[tuple[Plugin, Callable[..., list[Any]]]]:
    """The check functions other packages install, each guarded (its failure is a PLG001 finding), with the
    plug-in that installed it; ``found`` is a :func:`discover` of ``mscbib.checks``. A module plug-in is not
    among them: importing it registered its checks. :mod:`mscbib.registry` registers these, once per discovery."""
    found = discover("mscbib.checks") if found is None else found
    return [(p, _guarded(p.name, p.obj)) for p in found if p.ok and not p.builtin and not isinstance(p.obj, ModuleType)]
