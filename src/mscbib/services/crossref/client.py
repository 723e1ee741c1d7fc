"""The one Crossref client: every request mscbib sends to Crossref goes through here.

``habanero``'s :class:`~habanero.Crossref` builds the requests; this module wraps it once and gives
the rest of mscbib typed answers (:class:`WorkAnswer`, :class:`SearchAnswer`) instead of exceptions
and shapes that change with the input. It adds what habanero lacks:

* **one shared connection pool** (habanero calls ``httpx2.get`` per request; inside this client those
  calls go to one ``httpx2.Client``, which also carries the Metadata Plus token when configured);
* **batching**: :meth:`CrossrefClient.works` asks for up to :data:`BATCH_SIZE` DOIs per request with
  ``filter=doi:A,doi:B,…&rows=N``; a DOI a batch answer does not hold is asked for alone (an answer proves
  only what it holds, and is checked against what was asked: :func:`_not_a_work`);
* **concurrency and rate limits** (:mod:`.ratelimit`), adapted to each response's headers;
* **retries**: 429 and 503 honour ``Retry-After`` (else exponential backoff with full jitter);
  other 5xx, timeouts, connection resets and truncated or non-JSON bodies retry up to
  ``max_retries`` times; Crossref's own 404 (``Resource not found.``) is a definite "not found", any other
  404 a failure;
* **lean answers** (:meth:`CrossrefClient.lean`, and every search): ``select=`` :data:`LEAN_FIELDS` only;
* **the SQLite cache** (each answer committed as it arrives, keyed by base URL), ``--offline``, ``--refresh``, a
  maximum age, and a circuit breaker: an unreachable Crossref costs one failed request, not one per
  record.

``work(doi)`` and ``search(query, rows)`` keep their meaning; answers obtained earlier in the same
run (by :meth:`works` or :meth:`searches`) are remembered, so a prefetch followed by per-record
look-ups makes each request once.
"""

from __future__ import annotations

import contextlib
import email.utils
import enum
import functools
import json
import math
import random
import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import urlsplit

from ... import __version__
from ...identifiers import normalize_doi, normalize_issn
from .cache import Cache, CachedAnswer
from .ratelimit import POLITE, PUBLIC, Limits, Pacer

__all__ = [
    "CrossrefClient",
    "LookupStatus",
    "WorkAnswer",
    "SearchAnswer",
    "JournalAnswer",
    "ClientStats",
    "DEFAULT_BASE_URL",
    "USER_AGENT",
    "BATCH_SIZE",
    "LEAN_FIELDS",
    "check_base_url",
]

DEFAULT_BASE_URL = "https://api.crossref.org"
PROJECT_URL = "https://github.com/mscbib/mscbib"
USER_AGENT = f"mscbib/{__version__} (+{PROJECT_URL})"
#: DOIs per ``filter=doi:…`` request. Crossref caps ``rows`` at 1,000, but the limit that binds is the
#: URL: 100 DOIs make a query string of about 4 KB, well inside what Crossref's front end accepts
#: (8 KB request lines); larger batches risk HTTP 414. Not measured against the live API from here
#: (no network on the build machines) — see the README.
BATCH_SIZE = 100
#: What :meth:`CrossrefClient.lean` asks for (``select=``): every key :mod:`.mapping` and the verification
#: (:mod:`mscbib.enrich.match`) read of a cited work or a search candidate, and nothing else — above all no
#: ``reference`` list (a work with its references is about 15 kB; without, about 2 kB). ``language`` is not
#: one of the fields Crossref lets a ``select`` name, so lean works have none, nor ``edition-number`` (a cited
#: book's edition comes only with a full answer). ``license`` is asked (issue 18: the mapping gives a cited work its
#: Rights, as a library entry's; the list adds about 350 bytes to the 29 of the 56 recorded works that have one,
#: whose lean answer is about 1.8 kB).
LEAN_FIELDS = (
    "DOI",
    "title",
    "subtitle",
    "author",
    "editor",
    "container-title",
    "short-container-title",
    "ISSN",
    "issn-type",
    "ISBN",
    "published-print",
    "issued",
    "published-online",
    "published",
    "created",
    "volume",
    "issue",
    "page",
    "article-number",
    "publisher",
    "type",
    "abstract",
    "updated-by",
    "subject",
    "publisher-location",
    "original-title",
    "license",
)
#: Longest ``Retry-After`` honoured; a longer one is waited for this long, then retried.
MAX_RETRY_AFTER = 120.0


def check_base_url(url: str) -> str:
    """``url`` without a trailing slash, if it is an http(s) URL with a host; else ``ValueError``."""
    url = str(url).strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not an http(s) URL (e.g. {DEFAULT_BASE_URL})")
    return url


class LookupStatus(str, enum.Enum):
    FOUND = "found"
    NOT_FOUND = "not-found"  # Crossref answered: no such work (404), or the search had no hits
    FAILED = "failed"  # Crossref could not be asked, or answered with an error
    OFFLINE = "offline"  # --offline and the cache has no answer


@dataclass
class WorkAnswer:
    status: LookupStatus
    doi: str
    message: dict[str, Any] | None = None
    error: str | None = None
    from_cache: bool = False


@dataclass
class SearchAnswer:
    status: LookupStatus
    query: dict[str, str]
    items: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    from_cache: bool = False


@dataclass
class JournalAnswer:
    """``GET /journals/{issn}``: the journal's ``message`` (``title``, ``ISSN``, ``issn-type``, ``publisher``…)."""

    status: LookupStatus
    issn: str  # NNNN-NNNN
    message: dict[str, Any] | None = None
    error: str | None = None
    from_cache: bool = False


@dataclass
class ClientStats:
    requests: int = 0  # HTTP requests sent, retries included
    cache_hits: int = 0
    failures: int = 0  # look-ups that failed after their retries
    retries: int = 0
    throttled: int = 0  # 429 answers received


# -- habanero's HTTP, through our connection pool -----------------------------------------------
_local = threading.local()


class _Httpx2Shim:
    """Stands in for the ``httpx2`` module inside ``habanero.request`` and ``habanero.request_class``.

    habanero calls ``httpx2.get(url, params=…, headers=…, timeout=…)`` for every request. Outside a
    :class:`CrossrefClient` call this is exactly ``httpx2.get``; inside one, the request goes through
    the client's shared ``httpx2.Client`` with its extra headers, and the response is kept so that the
    client can read its status and headers (habanero's exceptions drop them).
    """

    def __getattr__(self, name: str) -> Any:
        return getattr(httpx2, name)

    def get(self, url: str, params: Any = None, headers: Any = None, timeout: Any = None, **kwargs: Any) -> Any:
        binding = getattr(_local, "binding", None)
        if binding is None:
            return httpx2.get(url, params=params, headers=headers, timeout=timeout, **kwargs)
        session, extra = binding
        response = session.get(url, params=params, headers={**(headers or {}), **extra}, timeout=timeout)
        _local.response = response
        return response


#: habanero and httpx2, imported by the first request a :class:`CrossrefClient` sends (about 0.15 s of start-up
#: that a command or a run which asks Crossref nothing — ``check --offline``, ``build --offline``, a warm build —
#: does not pay)
habanero: Any = None
httpx2: Any = None


_load_lock = threading.Lock()


def _load_http() -> None:
    with _load_lock:
        _load_http_once()


def _load_http_once() -> None:
    global habanero, httpx2
    if habanero is not None:
        return
    import habanero as _habanero
    import habanero.request
    import habanero.request_class
    import httpx2 as _httpx2

    httpx2 = _httpx2
    # habanero sends single-record requests from habanero.request and list requests (filter, query) from
    # habanero.request_class; both look ``httpx2`` up as a module global at call time.
    for module in (_habanero.request, _habanero.request_class):
        if not isinstance(module.httpx2, _Httpx2Shim):
            module.httpx2 = _Httpx2Shim()
    habanero = _habanero


@functools.cache
def _tls_context() -> Any:
    """One verifying TLS context per process (loading the CA bundle takes about a second)."""
    return httpx2.create_ssl_context()


def _transport_error(exc: BaseException | None) -> BaseException | None:
    """The httpx2 transport error (no answer, or an answer cut short) behind ``exc``, if any."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, httpx2.TransportError):
            return exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def _retry_after(headers: Any) -> float | None:
    value = headers.get("retry-after") if headers is not None else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


@dataclass
class _Outcome:
    body: Any = None  # the decoded JSON answer
    not_found: bool = False
    error: str | None = None


#: Crossref's answer to ``/works/{doi}`` (and ``/journals/{issn}``) for something it does not hold: HTTP 404 with
#: this plain-text body (``../shared/crossref-samples/not-found.txt``). A 404 of another shape (a proxy's HTML page,
#: a wrong ``--crossref-url`` path) says nothing about the DOI.
_CROSSREF_404 = "resource not found."


def _is_crossref_404(response: Any) -> bool:
    try:
        text = response.text
    except Exception:  # an unreadable body: not Crossref's 404
        return False
    return text.strip().lower() == _CROSSREF_404


def _not_a_work(message: Any, doi: str) -> str | None:
    """Why ``message`` is not the work asked for (``None`` when it is): a work is a dict with the DOI asked
    for (Crossref answers an alias or upper-case form with the DOI it holds, normalised the same) and a
    ``type`` or ``title``."""
    if not isinstance(message, dict):
        return "Crossref's answer holds no work message"
    got = normalize_doi(message.get("DOI"))
    if got != doi:
        return f"Crossref's answer for {doi} holds another work ({got or 'no DOI'}): not used"
    if not (message.get("type") or message.get("title")):
        return f"Crossref's answer for {doi} is not a work (no type, no title): not used"
    return None


def _leaving(pacer: Pacer, request: Any) -> None:
    """httpx2's hook as a request leaves (it holds the pacer, not the client, which the pool's finalizer must not
    keep alive): the next request of its kind is spaced from now (:meth:`Pacer.sent`)."""
    kind = getattr(_local, "kind", None)
    if kind is not None:
        pacer.sent(kind)


#: normalize_doi remembered (one DOI is asked, answered and checked more than once in a run)
_doi_of = functools.lru_cache(maxsize=1 << 16)(normalize_doi)

_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


class CrossrefClient:
    """Look works up by DOI (one, or many in batches) and search them by bibliographic query.

    ``base_url`` defaults to ``$MSCBIB_CROSSREF_URL`` or the public API; ``mailto`` (the polite pool)
    to ``$MSCBIB_MAILTO``; ``plus_token`` (Metadata Plus) to ``$MSCBIB_PLUS_TOKEN``. With
    ``offline=True`` only the cache answers; ``refresh=True`` ignores it; ``max_age`` (seconds) treats
    older cached answers as absent. ``limits`` defaults to the polite pool's with a ``mailto``, else
    the public pool's; each answer's rate-limit headers then adjust them (see :mod:`.ratelimit`).
    """

    def __init__(
        self,
        base_url: str | None = None,
        mailto: str | None = None,
        cache: Cache | None = None,
        *,
        offline: bool = False,
        refresh: bool = False,
        max_age: float | None = None,
        timeout: float = 20,
        plus_token: str | None = None,
        limits: Limits | None = None,
        batch_size: int = BATCH_SIZE,
        max_retries: int = 4,
        backoff: float = 1.0,
    ) -> None:
        # the settings come resolved (mscbib.session: option > environment > mscbib.toml > default)
        self.base_url = check_base_url(base_url or DEFAULT_BASE_URL)
        self.mailto = mailto or None
        self.plus_token = plus_token or None
        self.cache = cache
        self.offline = offline
        self.refresh = refresh
        self.max_age = max_age
        self.batch_size = max(1, batch_size)
        self.max_retries = max(0, max_retries)
        self.backoff = backoff
        self.stats = ClientStats()
        #: set after a failure to connect: the reason, and no further request is tried
        self.unreachable: str | None = None
        # Crossref's published limits bind at api.crossref.org: what its answers announce may lower them,
        # and raise them only for Metadata Plus. Another Crossref-compatible server (a mirror, the local
        # stand-in) states its own limits in the same headers, which are followed from its first answer.
        official = urlsplit(self.base_url).hostname == urlsplit(DEFAULT_BASE_URL).hostname
        self.pacer = Pacer(
            limits or (POLITE if self.mailto else PUBLIC), trust_headers=bool(self.plus_token) or not official
        )
        self._timeout = timeout
        self._habanero: Any = None  # habanero's Crossref, made (and habanero imported) by the first request
        self._extra_headers = {"Crossref-Plus-API-Token": f"Bearer {self.plus_token}"} if self.plus_token else {}
        self._session: httpx2.Client | None = None
        self._finalizer: Callable[[], Any] | None = None
        self._lock = threading.Lock()
        self._reached = False  # has any answer come back in this run?
        #: answers obtained in this run, by cache key (failures too: a failed DOI is not re-asked per record)
        self._memo: dict[str, WorkAnswer | SearchAnswer | JournalAnswer] = {}
        #: ``offline``: the cache keys the cache was asked for in this run and did not hold. An offline run stores
        #: nothing, so what the cache lacked at the first look (a preload's batch, mostly) is not asked of it again
        #: for each record. (Online, a key is looked up on disk each time: another run sharing the cache may have
        #: stored it since — above all a full work where this run holds a lean one: the full answer wins.)
        self._absent: set[str] = set()
        #: inside :meth:`lean` (per thread): cited-work batches and searches ask only for :data:`LEAN_FIELDS`
        self._thread = threading.local()
        #: called with each full work (one with its reference list) as it arrives (:class:`mscbib.refs.ReadAhead`)
        self.on_work: Callable[[dict[str, Any]], None] | None = None

    # -- plumbing -----------------------------------------------------------------------------
    @property
    def _cr(self) -> Any:
        """habanero's ``Crossref``, which builds every request: made when the first request is sent, so that a run
        the cache answers whole (``--offline``, a warm run) does not import habanero and httpx2 (about 0.15 s)."""
        with self._lock:
            if self._habanero is None:
                _load_http()
                self._habanero = habanero.Crossref(
                    base_url=self.base_url, mailto=self.mailto, ua_string=USER_AGENT, timeout=self._timeout
                )
            return self._habanero

    def _http(self) -> httpx2.Client:
        """The one pooled ``httpx2.Client`` of this client (kept alive between calls; closed by
        :meth:`close`, or when the client is collected)."""
        with self._lock:
            _load_http()
            if self._session is None:
                self._session = httpx2.Client(
                    verify=_tls_context(),
                    limits=httpx2.Limits(max_connections=8, max_keepalive_connections=8),
                    event_hooks={"request": [functools.partial(_leaving, self.pacer)]},
                )
                self._finalizer = weakref.finalize(self, self._session.close)
            return self._session

    def close(self) -> None:
        """Close the pooled connections (a later request opens new ones)."""
        with self._lock:
            if self._session is not None:
                if self._finalizer is not None:
                    self._finalizer()
                self._session = None

    def _count(self, name: str, n: int = 1) -> None:
        with self._lock:
            setattr(self.stats, name, getattr(self.stats, name) + n)

    def _scoped(self, key: str) -> str:
        """The cache key of an answer of this server: answers of one base URL never serve another."""
        return f"crossref@{self.base_url} {key}"

    def _cached(self, key: str) -> CachedAnswer | None:
        if self.cache is None or self.refresh or key in self._absent:
            return None
        hit = self.cache.get(self._scoped(key), self.max_age)
        if hit is not None:
            self._count("cache_hits")
        elif self.offline:
            self._absent.add(key)
        return hit

    def _counted(self, hit: CachedAnswer | None) -> CachedAnswer | None:
        if hit is not None:
            self._count("cache_hits")
        return hit

    def _store(self, answers: list[tuple[str, int, Any]]) -> None:
        if self.cache is not None and answers:
            self.cache.put_many([(self._scoped(k), status, body) for k, status, body in answers])
            self._absent.difference_update(k for k, _, _ in answers)

    @property
    def _lean(self) -> bool:
        return getattr(self._thread, "lean", False)

    @_lean.setter
    def _lean(self, value: bool) -> None:
        self._thread.lean = value

    @contextlib.contextmanager
    def lean(self) -> Iterator[None]:
        """Within this block (on this thread), DOI batches and searches ask Crossref only for :data:`LEAN_FIELDS` (no reference
        lists, licences, funders…): what mapping and verification read of a cited work or a candidate. A full
        answer already held still serves; lean answers are cached apart from full ones."""
        before, self._lean = self._lean, True
        try:
            yield
        finally:
            self._lean = before

    def _may_request(self) -> str | None:
        if self.offline:
            return "offline: not in the cache"
        if self.unreachable:
            return f"Crossref unreachable ({self.unreachable})"
        return None

    def _delay(self, attempt: int) -> float:
        """Exponential backoff with full jitter: uniform in [0, backoff × 2^attempt], at most 60 s."""
        return random.uniform(0, min(60.0, self.backoff * 2**attempt))

    def _call(self, kind: str, fn: Callable[[], Any]) -> _Outcome:
        """Send one request (``kind`` is ``"single"`` or ``"list"``) through habanero, with retries."""
        for attempt in range(self.max_retries + 1):
            refusal = self._may_request()
            if refusal:
                return _Outcome(error=refusal)
            _local.binding, _local.response = (self._http(), self._extra_headers), None
            with self.pacer.slot(kind):
                self._count("requests")
                _local.kind = kind
                try:
                    result, exc = fn(), None
                except Exception as e:  # habanero raises httpx2 / RequestError / RuntimeError / ValueError
                    result, exc = None, e
                finally:
                    response, _local.binding, _local.response, _local.kind = _local.response, None, None, None
            status = response.status_code if response is not None else None
            headers = response.headers if response is not None else None
            transport = _transport_error(exc)
            if response is not None and transport is None:
                self._reached = True
                self.pacer.observe(kind, response.headers)
            if exc is None and isinstance(result, dict):
                return _Outcome(body=result)
            if status == 404 and transport is None:
                if _is_crossref_404(response):
                    return _Outcome(not_found=True)
                self._count("failures")  # a 404 that is not Crossref's "no such work": a wrong URL, not an answer
                return _Outcome(
                    error=f"HTTP 404 from {self.base_url} that is not Crossref's 'Resource not found.' "
                    "(is --crossref-url right?)"
                )
            if isinstance(transport, httpx2.ConnectError) and not self._reached:
                # nothing listens there: the circuit breaker opens, no retry, no further request this run
                self.unreachable = f"{type(transport).__name__}: {transport}"[:300]
                self._count("failures")
                return _Outcome(error=f"Crossref unreachable at {self.base_url}: {transport}")
            if transport is not None:
                why = f"{type(transport).__name__}: {transport}"
            elif status in _RETRY_STATUS:
                why = f"HTTP {status}"
            elif status is not None and status < 300:
                why = f"an unreadable answer (HTTP {status}): {type(exc).__name__}: {exc}"
            else:  # a definite refusal (400, 401, 403, 414…): asking again will not help
                self._count("failures")
                return _Outcome(error=f"Crossref answered HTTP {status}: {exc}"[:500])
            if status == 429:
                self._count("throttled")
            if attempt == self.max_retries:
                self._count("failures")
                return _Outcome(error=f"Crossref failed after {attempt + 1} attempts: {why}"[:500])
            wait = _retry_after(headers) if status in (429, 503) else None
            if wait is not None:
                wait = min(wait, MAX_RETRY_AFTER)
                self.pacer.pause(wait)  # everyone waits, not only this request
            else:
                wait = self._delay(attempt)
            self._count("retries")
            time.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _run(self, tasks: list[Callable[[], Any]], on_result: Callable[[Any], None]) -> None:
        """Run ``tasks`` concurrently (the pacer keeps them within the limits), handing each result to
        ``on_result`` on this thread as it arrives. The first request of a run goes alone, so that an
        unreachable Crossref costs one request."""
        if not tasks:
            return
        first: list[Any] = []
        if not self._reached:
            first.append(tasks[0]())
            tasks = tasks[1:]
        if not tasks:
            for result in first:
                on_result(result)
            return
        workers = min(len(tasks), max(self.pacer.concurrency, POLITE.concurrency))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mscbib-crossref") as pool:
            futures = [pool.submit(t) for t in tasks]
            for result in first:  # handled while the others are in flight (not before they start)
                on_result(result)
            for future in as_completed(futures):
                on_result(future.result())

    # -- works by DOI -------------------------------------------------------------------------
    def _preload(self, norms: list[str]) -> dict[str, Any]:
        """The cache's answers for many DOIs at once (both kinds inside :meth:`lean`), by unscoped key."""
        if len(norms) < 2:
            return {}
        kinds = ("work", "lean") if self._lean else ("work",)
        return self._preload_keys([f"{k}:{n}" for n in norms for k in kinds])

    def _preload_keys(self, keys: list[str]) -> dict[str, CachedAnswer]:
        """The cache's answers under many (unscoped) keys at once, in few queries (:meth:`Cache.get_many`); the
        keys it lacks are remembered as absent for an offline run (:attr:`_absent`). A hit is counted where it is
        used."""
        if self.cache is None or self.refresh:
            return {}
        wanted = {self._scoped(k): k for k in keys if k not in self._memo and k not in self._absent}
        hits = {wanted[k]: v for k, v in self.cache.get_many(list(wanted), self.max_age).items()}
        if self.offline:
            self._absent.update(k for k in wanted.values() if k not in hits)
        return hits

    def _known_work(self, norm: str, preloaded: dict[str, Any] | None = None) -> WorkAnswer | None:
        """The answer held for ``norm`` (this run's, else the cache's); inside :meth:`lean` a lean one serves
        too, outside only a full one."""
        for key in (f"work:{norm}", f"lean:{norm}") if self._lean else (f"work:{norm}",):
            if key in self._memo:
                return self._memo[key]  # type: ignore[return-value]
            hit = self._cached(key) if preloaded is None else self._counted(preloaded.get(key))
            if hit is None:
                continue
            if hit.status == 404:
                answer = WorkAnswer(LookupStatus.NOT_FOUND, norm, from_cache=True)
            else:
                answer = WorkAnswer(LookupStatus.FOUND, norm, hit.body, from_cache=True)
            self._memo[key] = answer
            return answer
        return None

    def _refused(self, norm: str) -> WorkAnswer | None:
        refusal = self._may_request()
        if refusal:
            return WorkAnswer(LookupStatus.OFFLINE if self.offline else LookupStatus.FAILED, norm, error=refusal)
        return None

    def _fetch_one(self, norm: str) -> dict[str, WorkAnswer]:
        """``GET /works/{doi}`` (always the full work: Crossref's single route has no ``select``). The answer
        is used only if it is a work and carries the DOI asked for."""
        out = self._call("single", lambda: self._cr.works(ids=norm))
        if out.not_found:
            return {norm: WorkAnswer(LookupStatus.NOT_FOUND, norm)}
        message = out.body.get("message") if isinstance(out.body, dict) else None
        if out.error is None:
            out.error = _not_a_work(message, norm)
            if out.error is not None:
                self._count("failures")
        if out.error is not None:
            return {norm: WorkAnswer(LookupStatus.FAILED, norm, error=out.error)}
        return {norm: WorkAnswer(LookupStatus.FOUND, norm, message)}

    def _fetch_batch(self, dois: list[str], lean: bool) -> dict[str, WorkAnswer]:
        """``filter=doi:A,doi:B,…``: the works of the answer that are works and were asked for; every DOI the
        answer does not account for is then asked for alone (an empty or wrong answer proves nothing)."""
        select = {"select": list(LEAN_FIELDS)} if lean else {}
        out = self._call("list", lambda: self._cr.works(filter={"doi": dois}, limit=len(dois), **select))
        message = out.body.get("message") if isinstance(out.body, dict) else None
        items = message.get("items") if isinstance(message, dict) else None
        if out.error is None and not isinstance(items, list):
            self._count("failures")
            out.error = "Crossref's answer holds no item list" if not out.not_found else "HTTP 404 for a list"
        if out.error is not None or not isinstance(items, list):
            return {d: WorkAnswer(LookupStatus.FAILED, d, error=out.error) for d in dois}
        asked = set(dois)
        found: dict[str, dict[str, Any]] = {}
        for it in items:
            doi = _doi_of(it.get("DOI")) if isinstance(it, dict) else None
            if doi in asked and _not_a_work(it, doi) is None:
                found.setdefault(doi, it)
        answers = {d: WorkAnswer(LookupStatus.FOUND, d, found[d]) for d in dois if d in found}
        missing = [d for d in dois if d not in found]  # asked alone, concurrently within the limits
        self._run([functools.partial(self._fetch_one, d) for d in missing], answers.update)
        return answers

    def _plan(self, n_dois: int, n_queries: int = 0) -> bool:
        """Batch (True) or single requests (False) for ``n_dois`` look-ups, whichever finishes sooner
        within the limits in force, counting the ``n_queries`` searches that share the list budget."""
        if n_dois <= 1:
            return False
        lists = math.ceil(n_dois / self.batch_size) + n_queries
        batched = (lists - 1) * self.pacer.spacing("list")
        singles = max(
            (n_dois - 1) * self.pacer.spacing("single"),
            (n_queries - 1) * self.pacer.spacing("list") if n_queries else 0.0,
        )
        return batched <= singles

    def work(self, doi: str) -> WorkAnswer:
        """The work with this DOI: found, not found (404, cached as such), failed or offline."""
        norm = _doi_of(doi) or doi.strip().lower()
        held = self._memo.get(f"work:{norm}")
        if held is not None:  # the full work, asked earlier in this run: no look-up at all
            return held  # type: ignore[return-value]
        return self.works([doi])[norm]

    def works(
        self, dois: Iterable[str], *, queries_pending: int = 0, progress: Callable[[WorkAnswer], None] | None = None
    ) -> dict[str, WorkAnswer]:
        """Look up many DOIs at once; the answers are keyed by normalised DOI.

        Cached answers are used first; the rest go in batches of :attr:`batch_size` through
        ``filter=doi:…`` (or as single requests when that finishes sooner, e.g. for one DOI), run
        concurrently within the limits. Each answer is cached as it arrives. ``progress`` is called
        once per DOI answered, on this thread, while later batches are still in flight. Linear in the
        number of DOIs (the to-do list is an insertion-ordered dict).
        """
        answers: dict[str, WorkAnswer] = {}
        todo: dict[str, None] = {}
        norms = list(dict.fromkeys(_doi_of(doi) or doi.strip().lower() for doi in dois))
        preloaded = self._preload(norms) if len(norms) > 1 else None
        for norm in norms:
            known = self._known_work(norm, preloaded)
            if known is not None:
                answers[norm] = known
                if progress:
                    progress(known)
            else:
                todo[norm] = None
        if not todo:
            return answers
        refusal = self._may_request()
        if refusal:
            for d in todo:
                answers[d] = self._refused(d)  # type: ignore[assignment]
                if progress:
                    progress(answers[d])
            return answers
        lean = self._lean

        def take(batch: dict[str, WorkAnswer]) -> None:
            store = []
            for d, a in batch.items():
                refused = self._refused(d) if a.status is LookupStatus.FAILED and self.unreachable else None
                a = refused or a
                # a 404 is a 404, lean or full; a work without its reference list (select=) is cached apart
                key = (
                    f"lean:{d}"
                    if (a.status is LookupStatus.FOUND and lean and "reference" not in (a.message or ()))
                    or (a.status is LookupStatus.FAILED and lean)
                    else f"work:{d}"
                )
                if a.status is LookupStatus.FOUND:
                    store.append((key, 200, a.message))
                elif a.status is LookupStatus.NOT_FOUND:
                    store.append((key, 404, None))
                answers[d] = self._memo[key] = a
            self._store(store)
            hook = self.on_work
            if hook is not None:
                for a in batch.values():
                    if a.status is LookupStatus.FOUND and a.message is not None and a.message.get("reference"):
                        hook(a.message)
            if progress:
                for d in batch:
                    progress(answers[d])

        # a DOI holding a comma cannot be written in a filter: it goes alone
        single = [d for d in todo if "," in d]
        batchable = [d for d in todo if "," not in d]
        tasks: list[Callable[[], dict[str, WorkAnswer]]] = []
        if self._plan(len(batchable), queries_pending):
            for i in range(0, len(batchable), self.batch_size):
                chunk = batchable[i : i + self.batch_size]
                tasks.append(functools.partial(self._fetch_batch, chunk, lean))
        else:
            single = batchable + single
        tasks += [functools.partial(self._fetch_one, d) for d in single]
        self._run(tasks, take)
        return answers

    # -- journals by ISSN ---------------------------------------------------------------------
    def _fetch_journal(self, issn: str) -> JournalAnswer:
        out = self._call("single", lambda: self._cr.journals(ids=issn))
        if out.not_found:
            return JournalAnswer(LookupStatus.NOT_FOUND, issn)
        message = out.body.get("message") if isinstance(out.body, dict) else None
        if out.error is None and not isinstance(message, dict):
            self._count("failures")
            out.error = "Crossref's answer holds no journal message"
        if out.error is not None:
            return JournalAnswer(LookupStatus.FAILED, issn, error=out.error)
        return JournalAnswer(LookupStatus.FOUND, issn, message)

    def journal(self, issn: str) -> JournalAnswer:
        """The journal with this ISSN (``/journals/{issn}``): found, not found (404, cached as such),
        failed or offline."""
        return self.journals([issn])[normalize_issn(issn) or issn.strip().upper()]

    def journals(self, issns: Iterable[str]) -> dict[str, JournalAnswer]:
        """Many journals by ISSN, keyed by ``NNNN-NNNN``: cached answers first (key ``journal:<ISSN>``),
        each ISSN asked once; Crossref has no list route for ISSNs, so the rest go as single requests,
        concurrently within the limits."""
        answers: dict[str, JournalAnswer] = {}
        todo: list[str] = []
        for issn in issns:
            norm = normalize_issn(issn) or issn.strip().upper()
            key = f"journal:{norm}"
            if norm in answers or norm in todo:
                continue
            known = self._memo.get(key)
            if known is None and (hit := self._cached(key)) is not None:
                status = LookupStatus.NOT_FOUND if hit.status == 404 else LookupStatus.FOUND
                known = self._memo[key] = JournalAnswer(status, norm, hit.body, from_cache=True)
            if known is not None:
                answers[norm] = known  # type: ignore[assignment]
            else:
                todo.append(norm)
        refusal = self._may_request()
        if refusal:
            for n in todo:
                answers[n] = JournalAnswer(
                    LookupStatus.OFFLINE if self.offline else LookupStatus.FAILED, n, error=refusal
                )
            return answers

        def take(a: JournalAnswer) -> None:
            if a.status in (LookupStatus.FOUND, LookupStatus.NOT_FOUND):
                self._store([(f"journal:{a.issn}", 200 if a.status is LookupStatus.FOUND else 404, a.message)])
            elif self.unreachable:
                a.error = f"Crossref unreachable ({self.unreachable})"
            answers[a.issn] = self._memo[f"journal:{a.issn}"] = a

        self._run([functools.partial(self._fetch_journal, n) for n in todo], take)
        return answers

    # -- bibliographic search -----------------------------------------------------------------
    def _query_key(self, query: dict[str, str], rows: int) -> tuple[dict[str, str], str]:
        query = {k: v for k, v in sorted(query.items()) if v}
        asked = {"q": query, "rows": rows, "select": "lean"}  # a search is always lean
        return query, "query:" + json.dumps(asked, sort_keys=True, ensure_ascii=False)

    def _fetch_search(self, query: dict[str, str], rows: int, key: str, lean: bool) -> SearchAnswer:
        kwargs: dict[str, Any] = {k.replace("query.", "query_").replace("-", "_"): v for k, v in query.items()}
        if lean:
            kwargs["select"] = list(LEAN_FIELDS)
        out = self._call("list", lambda: self._cr.works(limit=rows, **kwargs))
        # (a message that is no object — a string, a list — holds no item list either: not an AttributeError)
        message = out.body.get("message") if isinstance(out.body, dict) else None
        items = message.get("items") if isinstance(message, dict) else None
        if out.error is None and not isinstance(items, list):
            self._count("failures")
            out.error = "Crossref's answer holds no item list"
        if out.error is not None or not isinstance(items, list):
            return SearchAnswer(LookupStatus.FAILED, query, error=out.error)
        # a candidate is a work with a DOI; anything else in the list is not one
        items = [it for it in items if isinstance(it, dict) and normalize_doi(it.get("DOI"))]
        self._store([(key, 200, items)])
        return SearchAnswer(LookupStatus.FOUND if items else LookupStatus.NOT_FOUND, query, items)

    def _keyed_search(self, query: dict[str, str], rows: int, key: str) -> tuple[str, SearchAnswer]:
        return key, self._fetch_search(query, rows, key, True)

    def search(self, query: dict[str, str], rows: int = 5) -> SearchAnswer:
        """``query`` maps Crossref field queries (``"query.bibliographic"``, ``"query.author"``…) to text.
        Candidates are always lean (:data:`LEAN_FIELDS`: no reference lists); the work a search verified is asked
        for whole by DOI where its references are wanted (:func:`mscbib.refs.link_references`)."""
        return self.searches([query], rows)[0]

    def searches(
        self, queries: list[dict[str, str]], rows: int = 5, progress: Callable[[SearchAnswer], None] | None = None
    ) -> list[SearchAnswer]:
        """Run many searches concurrently within the limits; answers in the order of ``queries``."""
        keyed = [self._query_key(q, rows) for q in queries]
        answers: dict[str, SearchAnswer] = {}
        todo: dict[str, dict[str, str]] = {}
        preloaded = self._preload_keys([key for _, key in keyed]) if len(keyed) > 1 else None
        for query, key in keyed:
            if key in answers or key in todo:
                continue
            known = self._memo.get(key)
            if known is None:
                hit = self._cached(key) if preloaded is None else self._counted(preloaded.get(key))
                if hit is not None:
                    items = hit.body or []
                    known = SearchAnswer(
                        LookupStatus.FOUND if items else LookupStatus.NOT_FOUND, query, items, from_cache=True
                    )
                    self._memo[key] = known
            if known is not None:
                answers[key] = known  # type: ignore[assignment]
                if progress:
                    progress(known)  # type: ignore[arg-type]
                continue
            todo[key] = query

        def take(pair: tuple[str, SearchAnswer]) -> None:
            key, answer = pair
            if answer.status is LookupStatus.FAILED and self.unreachable:
                answer.error = f"Crossref unreachable ({self.unreachable})"
            answers[key] = self._memo[key] = answer
            if progress:
                progress(answer)

        refusal = self._may_request()
        for key, query in list(todo.items()):
            if refusal:
                status = LookupStatus.OFFLINE if self.offline else LookupStatus.FAILED
                take((key, SearchAnswer(status, query, error=refusal)))
                del todo[key]
        self._run([functools.partial(self._keyed_search, q, rows, k) for k, q in todo.items()], take)
        return [answers[key] for _, key in keyed]
