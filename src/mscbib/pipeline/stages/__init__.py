"""The stages of a build: each a function ``Library -> Library`` (:class:`mscbib.model.Library`).

:func:`mscbib.pipeline.build.build` is their list, run in order, the way bibtexparser v2 runs its middlewares:

* ``read`` (:mod:`~mscbib.pipeline.stages.read`): input paths -> ``inputs``, ``records``, ``failures``, ``warnings``;
* ``identifiers`` (:mod:`~mscbib.pipeline.stages.enrich`): PMID/PMCID-only records -> full ones (NCBI);
* ``read-ahead`` (:mod:`~mscbib.pipeline.stages.references`): the cited DOIs asked for while enrichment looks works up;
* ``enrich`` (:mod:`~mscbib.pipeline.stages.enrich`): ``records`` -> ``items`` (each looked up, verified, merged);
* ``preprints`` (:mod:`~mscbib.pipeline.stages.enrich`): preprints -> reported (PUB001), or their journal version;
* ``duplicates`` (:mod:`~mscbib.pipeline.stages.enrich`): the same work read twice -> one entry (``merged``);
* ``key`` (:mod:`~mscbib.pipeline.stages.keys`): ``records`` -> keyed, in key order (``key_origins``, KEY003);
* ``references`` (:mod:`~mscbib.pipeline.stages.references`): reference lists -> ``cites``, the ``cited`` works;
* ``tag`` (:mod:`~mscbib.pipeline.stages.tags`): ``records``, ``cited`` -> ``keywords`` tags;
* plug-in stages (entry point ``mscbib.stages``): any ``Library -> Library``;
* ``validate`` (:mod:`~mscbib.pipeline.stages.validate`): -> ``findings`` (the checks, the inputs not read);
* ``write`` (:mod:`~mscbib.pipeline.stages.write`): -> the library and cited files (``output``, ``backups``, ``not_written``).

A stage is any callable ``Library -> Library`` with a ``name``; one that needs a client or a setting is an
object made with them (its ``__call__`` is the stage). A plug-in stage (:func:`mscbib.plugins.plugin_stages`)
runs after the built-in stage its ``after`` attribute names (default: ``tag``, so its findings come before
validation and the write); one that raises, or returns no Library, is a PLG001 finding and the build goes on.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Protocol, Sequence

from ...model import Finding, Library, Severity

__all__ = ["Stage", "run", "with_plugins", "stage_name", "DEFAULT_AFTER"]

#: where a plug-in stage runs when it does not say: after tagging, before validation and the write
DEFAULT_AFTER = "tag"


class Stage(Protocol):
    name: str

    def __call__(self, library: Library) -> Library: ...


def stage_name(stage: Callable[[Library], Library]) -> str:
    return getattr(stage, "name", None) or getattr(stage, "__name__", None) or type(stage).__name__


class _Guarded:
    """A plug-in stage whose own failure becomes a PLG001 finding, not an exception: the build goes on with the
    library as the stage left it (what it changed before it failed stays), and says so."""

    def __init__(self, stage: Callable[[Library], Library]) -> None:
        self.stage, self.name = stage, stage_name(stage)
        self.after = getattr(stage, "after", None)

    def __call__(self, library: Library) -> Library:
        try:
            out = self.stage(library)
        except Exception as exc:
            library.findings.append(
                Finding(
                    "PLG001",
                    Severity.WARNING,
                    f"plug-in stage {self.name!r} failed: {type(exc).__name__}: {exc}; the build went on without it",
                )
            )
            return library
        if not isinstance(out, Library):
            library.findings.append(
                Finding(
                    "PLG001",
                    Severity.WARNING,
                    f"plug-in stage {self.name!r} returned "
                    f"{type(out).__name__}, not a Library; the build went on without it",
                )
            )
            return library
        return out


def with_plugins(
    stages: Sequence[Callable[[Library], Library]], plugins: Iterable[Any] | None = None
) -> list[Callable[[Library], Library]]:
    """``stages`` with the plug-in stages (:func:`mscbib.plugins.plugin_stages`) each placed after the stage its
    ``after`` names (:data:`DEFAULT_AFTER`; a name no stage has: before the last stage, the write)."""
    if plugins is None:
        from ...plugins import plugin_stages

        plugins = plugin_stages()
    out = list(stages)
    for plugin in map(_Guarded, plugins):
        after = getattr(plugin, "after", None) or DEFAULT_AFTER
        names = [stage_name(s) for s in out]
        where = (len(names) - 1 - names[::-1].index(after)) + 1 if after in names else max(len(out) - 1, 0)
        out.insert(where, plugin)
    return out


def run(stages: Iterable[Callable[[Library], Library]], library: Library | None = None) -> Library:
    """Each stage in turn, on what the one before returned."""
    library = library if library is not None else Library()
    for stage in stages:
        library = stage(library)
    return library
