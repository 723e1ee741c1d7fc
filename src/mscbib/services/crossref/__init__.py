"""Everything that speaks to Crossref: the client (the only module that sends requests), the cache,
and the mapping from Crossref's JSON to records."""

from .cache import Cache, default_cache_path
from .client import CrossrefClient, LookupStatus, SearchAnswer, WorkAnswer
from .mapping import record_from_work

__all__ = [
    "Cache",
    "CrossrefClient",
    "LookupStatus",
    "SearchAnswer",
    "WorkAnswer",
    "default_cache_path",
    "record_from_work",
]
