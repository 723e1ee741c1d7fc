"""The tag stage: the topic vocabulary applied to every entry and cited work (:mod:`mscbib.tags`)."""

from __future__ import annotations

from dataclasses import dataclass

from ...model import Library
from ...tags import Vocabulary, apply_tags

__all__ = ["Tag"]


@dataclass
class Tag:
    vocabulary: Vocabulary
    name: str = "tag"

    def __call__(self, library: Library) -> Library:
        for item in library.items:
            apply_tags(item.record, self.vocabulary, item.work)
        for work in library.cited:
            apply_tags(work, self.vocabulary)
        return library
