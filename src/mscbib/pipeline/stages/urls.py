"""The landing-page stage: Crossref's landing-page URLs kept or dropped per ``mscbib build --url``
(:func:`mscbib.services.crossref.mapping.apply_url_option`); a URL the input had is never touched."""

from __future__ import annotations

from dataclasses import dataclass

from ...model import Library
from ...services.crossref.mapping import apply_url_option

__all__ = ["LandingPages"]


@dataclass
class LandingPages:
    option: str
    name: str = "urls"

    def __call__(self, library: Library) -> Library:
        apply_url_option(library.records + list(library.cited), self.option)
        return library
