"""Check items against Zotero's schema (``schema.json`` from zotero/zotero-schema).

mscbib does not ship the schema; :func:`load_schema` reads a copy the user (or a test) points at,
and :func:`item_problems` lists everything in an item that a Zotero using that schema would refuse.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Schema", "load_schema", "item_problems"]

#: Keys of an item that are not fields: the item's identity, people, tags, links and (connector) notes.
_NOT_FIELDS = frozenset(
    {
        "itemType",
        "creators",
        "tags",
        "collections",
        "relations",
        "key",
        "version",
        "parentItem",
        "notes",
        "attachments",
        "id",
        "seeAlso",
        "deleted",
        "dateAdded",
        "dateModified",
    }
)
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


@dataclass(frozen=True)
class Schema:
    version: int
    fields: dict[str, frozenset[str]]
    creator_types: dict[str, frozenset[str]]


def load_schema(path: str | os.PathLike[str]) -> Schema:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    fields = {t["itemType"]: frozenset(f["field"] for f in t.get("fields", [])) for t in data["itemTypes"]}
    creators = {
        t["itemType"]: frozenset(c["creatorType"] for c in t.get("creatorTypes", [])) for t in data["itemTypes"]
    }
    return Schema(int(data.get("version", 0)), fields, creators)


def item_problems(item: dict[str, Any], schema: Schema) -> list[str]:
    """Every reason Zotero would refuse ``item`` (an empty list when it is valid)."""
    kind = item.get("itemType")
    if kind not in schema.fields:
        return [f"unknown item type {kind!r}"]
    problems: list[str] = []
    if kind == "note":
        if not isinstance(item.get("note"), str):
            problems.append("a note without note text")
        allowed: set[str] | frozenset[str] = {"note"}
    else:
        allowed = schema.fields[kind]
    for name, value in item.items():
        if name in _NOT_FIELDS:
            continue
        if name not in allowed:
            problems.append(f"{kind} has no field {name!r}")
        elif not isinstance(value, str):
            problems.append(f"{kind}.{name} must be a string, not {type(value).__name__}")
        elif name == "date" and value and not _DATE.match(value):
            problems.append(f"{kind}.date {value!r} is not YYYY[-MM[-DD]]")
    for i, c in enumerate(item.get("creators") or []):
        ctype = c.get("creatorType")
        if ctype not in schema.creator_types.get(kind, ()):
            problems.append(f"creator {i}: {kind} has no creator type {ctype!r}")
        if "name" in c:
            if "lastName" in c or "firstName" in c or not c["name"]:
                problems.append(f"creator {i}: a single-field name must have only 'name'")
        elif not c.get("lastName"):
            problems.append(f"creator {i}: no lastName")
        unknown = set(c) - {"creatorType", "name", "lastName", "firstName"}
        if unknown:
            problems.append(f"creator {i}: unknown keys {sorted(unknown)}")
    for t in item.get("tags") or []:
        if not isinstance(t, dict) or not isinstance(t.get("tag"), str) or not t["tag"]:
            problems.append(f"tag {t!r} is not {{'tag': text}}")
    return problems
