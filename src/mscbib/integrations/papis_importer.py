"""A papis importer: ``papis add --from mscbib FILE`` with mscbib's extraction and verified enrichment.

FILE is anything mscbib reads (a copied PubMed or catalog page, RIS, MEDLINE/.nbib, CSL-JSON, BibTeX,
a DOI list), or a bare DOI. The record is looked up at Crossref exactly as ``mscbib build`` does
(same settings: ``MSCBIB_CROSSREF_URL``, ``MSCBIB_MAILTO``, ``MSCBIB_CACHE``, ``mscbib.toml``), and
what was verified fills what the input lacks. ``papis add`` makes one document per call: when FILE
holds several records, the first is imported and the others are named in a warning; ``FILE#N``
picks the N-th (1-based).

Registered under papis' ``papis.importer`` entry point (see ``pyproject.toml``); needs the optional
``papis`` extra: ``pip install 'mscbib[papis]'``.
"""

from __future__ import annotations

import os
import re
from typing import Any

import papis.importer

from ..identifiers import normalize_doi
from ..keys import citation_key
from ..model import Provenance, Record
from ..sources import read_file
from ..writers.bibtex import entry_type

__all__ = ["Importer", "papis_data", "load_record"]

_PICK = re.compile(r"^(?P<path>.+)#(?P<n>\d+)$")


def papis_data(record: Record, status: str | None = None) -> dict[str, Any]:
    """The papis document fields for a record (papis' own key names: author_list, journal, number…)."""
    data: dict[str, Any] = {"type": entry_type(record)}
    if record.authors:
        data["author_list"] = [
            {"family": p.literal or p.family, "given": "" if p.literal else p.given} for p in record.authors
        ]
        data["author"] = " and ".join(
            p.literal or (f"{p.family}, {p.given}" if p.given else p.family) for p in record.authors
        )
        if record.get("authors_complete") is False:
            data["author"] += " and others"
    simple = {
        "title": "title",
        "journal": "journal",
        "journal_abbrev": "journal_abbrev",
        "year": "year",
        "volume": "volume",
        "issue": "number",
        "pages": "pages",
        "publisher": "publisher",
        "doi": "doi",
        "pmid": "pmid",
        "pmcid": "pmcid",
        "url": "url",
        "language": "language",
        "abstract": "abstract",
    }
    for name, key in simple.items():
        value = record.get(name)
        if value not in (None, ""):
            data[key] = str(value)
    if isinstance(record.get("month"), int):
        data["month"] = record.get("month")
    for name in ("issn", "isbn"):
        if record.get(name):
            data[name] = ", ".join(record.get(name))
    tags = list(dict.fromkeys([*(record.get("keywords") or []), *(record.get("mesh") or [])]))
    if tags:
        data["tags"] = tags
    if record.references:
        data["citations"] = [
            {k: v for k, v in (("doi", r.doi), ("pmid", r.pmid), ("title", r.title), ("text", r.text)) if v}
            for r in record.references
        ]
    data["mscbib_key"] = citation_key(record)
    if status:
        data["mscbib_status"] = status
    src = record.source
    data["mscbib_source"] = src.where()
    return data


def load_record(uri: str) -> tuple[Record | None, list[str]]:
    """The record a URI names and the warnings for the user (unreadable parts, records not imported)."""
    m = _PICK.match(uri)
    path, pick = (m.group("path"), int(m.group("n"))) if m and not os.path.exists(uri) else (uri, 1)
    if not os.path.exists(path):
        doi = normalize_doi(uri)
        if not doi:
            return None, [f"{uri}: neither a file nor a DOI"]
        rec = Record(source=Provenance("papis", detail=uri))
        rec.set("doi", doi, rec.source)
        return rec, []
    result = read_file(path)
    warnings = [f"{f.where()}: {f.reason}" for f in result.failures]
    if not result.records:
        return None, warnings or [f"{path}: no record found"]
    if not 1 <= pick <= len(result.records):
        return None, warnings + [f"{path} holds {len(result.records)} records; there is no record #{pick}"]
    others = [r.label() for i, r in enumerate(result.records, 1) if i != pick]
    if others:
        warnings.append(
            f"{path} holds {len(result.records)} records; papis add imports one: #{pick}. Not imported "
            f"(use {path}#N): " + "; ".join(others)
        )
    return result.records[pick - 1], warnings


class Importer(papis.importer.Importer):
    """``papis add --from mscbib FILE``: mscbib's readers and Crossref verification for papis."""

    def __init__(self, uri: str = "") -> None:
        super().__init__(uri=uri, name="mscbib")

    @classmethod
    def match(cls, uri: str) -> "Importer | None":
        m = _PICK.match(uri)
        path = m.group("path") if m and not os.path.exists(uri) else uri
        if os.path.isfile(path):
            from ..sources import detect

            try:
                with open(path, encoding="utf-8-sig") as fh:
                    text = fh.read(200_000)
            except (OSError, UnicodeDecodeError):
                return None
            return cls(uri) if detect(text) else None
        return cls(uri) if normalize_doi(uri) and not os.path.exists(uri) else None

    def fetch_data(self) -> None:
        from ..enrich import enrich_record
        from ..session import SettingError, crossref_client

        record, warnings = load_record(self.uri)
        for w in warnings:
            self.logger.warning("%s", w)
        if record is None:
            return
        try:
            client = crossref_client()  # the settings `mscbib build` reads: environment, mscbib.toml
        except SettingError as exc:
            self.logger.error("%s%s", exc, f" ({exc.hint})" if exc.hint else "")
            return
        item = enrich_record(record, client)
        for f in record.findings:
            self.logger.warning("%s %s: %s", f.code, record.label(), f.message)
        self.ctx.data = papis_data(record, item.status.value)
