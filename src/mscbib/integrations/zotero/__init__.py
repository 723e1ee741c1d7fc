"""mscbib inside Zotero: records → Zotero items, pushed to Zotero desktop or a zotero.org library.

* :mod:`.items` builds the items (Zotero's item types, fields and creator types);
* :mod:`.connector` sends them to a running Zotero desktop (the browser connector's local endpoint);
* :mod:`.webapi` sends them to a zotero.org library through the Web API, without duplicates;
* :mod:`.schema` checks items against Zotero's ``schema.json``;
* :mod:`.standin` holds local stand-ins of both endpoints, for tests.
"""

from .connector import DEFAULT_CONNECTOR_URL, ConnectorResult, ZoteroNotRunning, push_connector
from .items import ITEM_FIELDS, ZoteroItem, item_type, zotero_item
from .schema import Schema, item_problems, load_schema
from .webapi import BATCH, DEFAULT_API_URL, Library, WebAPIError, WebResult, push_web

__all__ = [
    "BATCH",
    "DEFAULT_API_URL",
    "DEFAULT_CONNECTOR_URL",
    "ITEM_FIELDS",
    "ConnectorResult",
    "Library",
    "Schema",
    "WebAPIError",
    "WebResult",
    "ZoteroItem",
    "ZoteroNotRunning",
    "item_problems",
    "item_type",
    "load_schema",
    "push_connector",
    "push_web",
    "zotero_item",
]
