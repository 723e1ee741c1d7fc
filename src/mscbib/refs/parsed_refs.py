"""Printed references parsed once: a run parses each distinct text once, and a warm run not at all.

Parsing a reference string (:func:`mscbib.sources.refstring.parse_citation`: the trained sequence model) is the
largest CPU cost of resolving cited references that Crossref holds without a DOI: a warm ``build`` of 1,000
works with real reference lists spent a third of its time re-parsing texts it had parsed the run before.
:class:`ParsedTexts` keeps what the parser made of each text, in this run's memory and in the answer cache's
file (:class:`mscbib.services.crossref.cache.Cache`, under :func:`mscbib.services.crossref.cache.parsed_key`), and hands every
caller a fresh :class:`~mscbib.model.Reference` holding it.

What is stored is the parser's output, never an answer of a server, so it is not dated (``--max-age`` does not
apply); ``--refresh`` parses again. The key holds :func:`parser_version`: a digest of mscbib's own code and the
reference model, so a changed parser, model or any module it reads never reuses an older parse.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import resources
from typing import Any, Callable, Iterable

from ..model import Person, Reference
from ..services.crossref.cache import Cache, parsed_key

__all__ = ["ParsedTexts", "parser_version"]

#: the parts of a parsed reference that are kept (its ``source`` and ``key`` are the caller's)
_PARTS = ("text", "doi", "pmid", "pmcid", "title", "journal", "year", "volume", "issue", "pages")


@functools.cache
def parser_version() -> str:
    """A digest of every module of mscbib and of the reference model (``data/refmodel.crfsuite``): the parse of a
    text depends on the parser, its model and the helpers it calls; any change to them is a new version."""
    digest = hashlib.sha1()
    root = resources.files("mscbib")
    paths = sorted(p for p in _walk(root) if p.name.endswith(".py") or p.name == "refmodel.crfsuite")
    for path in paths:
        digest.update(str(path).rsplit("mscbib", 1)[-1].encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _walk(folder: Any) -> Iterable[Any]:
    for item in folder.iterdir():
        if item.is_dir():
            if item.name not in ("__pycache__",):
                yield from _walk(item)
        else:
            yield item


def _to_json(ref: Reference) -> dict[str, Any]:
    out: dict[str, Any] = {name: getattr(ref, name) for name in _PARTS if getattr(ref, name) is not None}
    out["authors"] = [[p.family, p.given, p.suffix, p.literal, p.orcid] for p in ref.authors]
    out["authors_complete"] = ref.authors_complete
    return out


def _from_json(data: dict[str, Any]) -> Reference:
    ref = Reference(**{name: data.get(name) for name in _PARTS})  # type: ignore[arg-type]
    ref.authors = [Person(*p) for p in data.get("authors") or ()]
    ref.authors_complete = bool(data.get("authors_complete", True))
    return ref


class ParsedTexts:
    """``parse(text)``: what ``parser(text)`` makes of it, each distinct text parsed once (a new
    :class:`~mscbib.model.Reference` every call: callers fill and change it). With a ``cache``,
    :meth:`preload` reads the parses of earlier runs in bulk and :meth:`flush` stores this run's new ones."""

    def __init__(
        self,
        cache: Cache | None = None,
        *,
        refresh: bool = False,
        parser: Callable[[str], Reference] | None = None,
        many: Callable[[list[str]], list[Reference]] | None = None,
    ) -> None:
        if parser is None:
            from ..sources.refstring import parse_citation, parse_citations

            parser, many = parse_citation, many or parse_citations
        self.cache = cache
        self.refresh = refresh
        self.parser: Callable[[str], Reference] = parser
        #: the same parser for many texts at once (the reference model tags a batch several times faster per
        #: text than one by one): :meth:`preload` parses with it what no earlier run stored
        self.many = many
        self._known: dict[str, dict[str, Any]] = {}
        self._new: dict[str, dict[str, Any]] = {}
        self.parsed = 0  # texts this run parsed (the others came from memory or the cache)

    def _key(self, text: str) -> str:
        return parsed_key(text, parser_version())

    def preload(self, texts: Iterable[str]) -> None:
        """The stored parses of ``texts`` (in few queries), before they are asked for one by one; with a parser
        for many (:attr:`many`), the others parsed at once."""
        todo = [t for t in dict.fromkeys(texts) if t and t not in self._known]
        if self.cache is not None and not self.refresh and todo:
            wanted = {self._key(t): t for t in todo}
            for key, hit in self.cache.get_many(list(wanted)).items():
                if hit.status == 200 and isinstance(hit.body, dict):
                    self._known[wanted[key]] = hit.body
            todo = [t for t in todo if t not in self._known]
        if self.many is not None and todo:
            for text, ref in zip(todo, self.many(todo), strict=True):
                self._known[text] = self._new[text] = _to_json(ref)
            self.parsed += len(todo)

    def parse(self, text: str) -> Reference:
        data = self._known.get(text)
        if data is None:
            data = self._known[text] = self._new[text] = _to_json(self.parser(text))
            self.parsed += 1
        return _from_json(data)

    def flush(self) -> None:
        """Store the parses made since the last flush (one transaction)."""
        if self.cache is not None and self._new:
            self.cache.put_many([(self._key(t), 200, data) for t, data in self._new.items()])
        self._new.clear()
