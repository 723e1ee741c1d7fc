"""DOIs that Crossref does not know: asked of the DOI resolver, which answers for every registration agency.

Crossref registers most journal DOIs, not all: arXiv, Zenodo, Dryad and figshare DOIs are DataCite's,
others are mEDRA's, JaLC's, KISTI's, CNKI's… When Crossref answers 404 for a DOI, :class:`AgencyClient` asks

1. ``GET {resolver}/ra/{doi}`` — which agency registered it (``[{"DOI": …, "RA": "DataCite"}]``, or
   ``"status": "DOI does not exist"``); :meth:`AgencyClient.prefetch` asks for many at once (``/ra/A,B,…``);
2. ``GET {resolver}/{doi}`` with ``Accept: application/vnd.citationstyles.csl+json`` — content negotiation:
   the resolver hands the request to that agency, which answers the work as CSL-JSON.

The CSL-JSON is read by the CSL-JSON reader's own mapping (:class:`mscbib.sources.csljson.CslJson`), every
value stamped with the agency's name as its provenance (``origin="datacite"``, ``detail=<DOI>``), and merged
into the record as a Crossref record would be (:func:`mscbib.enrich.merge`). Only a DOI that no agency
knows stays the error ``CR002``. Findings:

* ``AGY001`` (info): registered at <agency>, not at Crossref; metadata from the agency;
* ``AGY002`` (warning): Crossref does not know the DOI and the resolver could not be asked (offline, unreachable);
* ``AGY010`` (warning / info): the input and the agency's record disagree; the agency's value is used.

Limits: the DOI resolver publishes none for content negotiation; DataCite's REST API allows 3,000 requests
in 5 minutes per address (10 a second). mscbib asks at most 5 a second, one at a time. Answers are cached
(:mod:`mscbib.services.service_client`); ``--offline`` asks nothing. Base URL: ``$MSCBIB_DOI_RESOLVER_URL`` (the tests'
stand-in, :mod:`mscbib.testing.doi_standin`).
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from typing import Any, Iterable
from urllib.parse import quote

from ..identifiers import normalize_doi
from ..model import Provenance, Record, Severity, finding_about
from ..services.crossref.ratelimit import Limits
from ..services.service_client import ServiceClient
from ..sources.csljson import CslJson
from . import Disagreement, Enriched, EnrichStatus, disagreement_findings, merge

__all__ = ["AgencyClient", "AgencyStatus", "AgencyAnswer", "DEFAULT_RESOLVER_URL", "LIMITS", "CSL_JSON"]

DEFAULT_RESOLVER_URL = "https://doi.org"
CSL_JSON = "application/vnd.citationstyles.csl+json"
LIMITS = Limits(single_rate=5, list_rate=5, concurrency=1)
#: DOIs per ``/ra/`` request (keeps the URL near 2 KB)
RA_BATCH = 50


class AgencyStatus(str, enum.Enum):
    FOUND = "found"  # an agency registered the DOI (its metadata may still be unavailable)
    NOT_FOUND = "not-found"  # no agency knows the DOI
    FAILED = "failed"
    OFFLINE = "offline"


@dataclass
class AgencyAnswer:
    status: AgencyStatus
    doi: str
    agency: str | None = None  # "DataCite", "mEDRA", "JaLC"…
    item: dict[str, Any] | None = None  # the CSL-JSON work, when the agency gives one
    error: str | None = None
    from_cache: bool = False


class AgencyClient:
    def __init__(
        self,
        base_url: str | None = None,
        *,
        cache=None,
        offline: bool = False,
        refresh: bool = False,
        max_age: float | None = None,
        **kwargs: Any,
    ) -> None:
        url = base_url or DEFAULT_RESOLVER_URL  # resolved by mscbib.session.services (MSCBIB_DOI_RESOLVER_URL…)
        self.service = ServiceClient(
            "DOI resolver", url, LIMITS, cache=cache, offline=offline, refresh=refresh, max_age=max_age, **kwargs
        )
        self._memo: dict[str, AgencyAnswer] = {}

    @classmethod
    def like(cls, crossref: Any, **kwargs: Any) -> "AgencyClient":
        """A client that shares ``crossref``'s cache, offline, refresh and max-age settings."""
        return cls(
            cache=crossref.cache, offline=crossref.offline, refresh=crossref.refresh, max_age=crossref.max_age, **kwargs
        )

    @property
    def stats(self):
        return self.service.stats

    def _ask(self, what: str, path: str, accept: str) -> tuple[int | None, Any, bool, str | None]:
        """``(status, body, from_cache, error)`` for one cached GET answering JSON."""
        hit = self.service.cached(what)
        if hit is not None:
            return hit.status, hit.body, True, None
        why = self.service.refusal()
        if why:
            return None, None, False, why
        r = self.service.get(f"{self.service.base_url}/{path}", headers={"Accept": accept})
        if r.not_found or r.status in (406, 415):  # 406: the agency answers no CSL-JSON
            self.service.store([(what, 404, None)])
            return 404, None, False, None
        if r.error is not None:
            return None, None, False, r.error
        try:
            body = json.loads(r.text)
        except ValueError:
            return None, None, False, f"the DOI resolver's answer to {path} is not JSON"
        self.service.store([(what, 200, body)])
        return 200, body, False, None

    def prefetch(self, dois: Iterable[str]) -> int:
        """Ask which agency registered each of ``dois`` in batches (``/ra/A,B,…``, :data:`RA_BATCH` a request),
        caching the answers :meth:`lookup` then reads. Returns the number of requests sent."""
        todo = [
            d
            for d in dict.fromkeys(dois)
            if d and d not in self._memo and "," not in d and self.service.cached(f"ra:{d}") is None
        ]
        sent = 0
        for i in range(0, len(todo), RA_BATCH):
            if self.service.refusal():
                break
            batch = todo[i : i + RA_BATCH]
            r = self.service.get(
                f"{self.service.base_url}/ra/" + ",".join(quote(d, safe="/") for d in batch),
                headers={"Accept": "application/json"},
            )
            sent += 1
            try:
                body = json.loads(r.text) if r.ok else None
            except ValueError:
                body = None
            if not isinstance(body, list):
                continue  # lookup() asks one by one
            answers = []
            for entry in body:
                doi = normalize_doi(str(entry.get("DOI") or "")) if isinstance(entry, dict) else None
                if doi in batch and (entry.get("RA") or "not exist" in str(entry.get("status", "")).lower()):
                    answers.append((f"ra:{doi}", 200, [entry]))
            self.service.store(answers)
        return sent

    def lookup(self, doi: str) -> AgencyAnswer:
        """Which agency registered ``doi`` (normalised), and its CSL-JSON record."""
        if doi in self._memo:
            return self._memo[doi]
        answer = self._lookup(doi)
        if answer.status in (AgencyStatus.FOUND, AgencyStatus.NOT_FOUND):
            self._memo[doi] = answer
        return answer

    def _lookup(self, doi: str) -> AgencyAnswer:
        offline_or_failed = AgencyStatus.OFFLINE if self.service.offline else AgencyStatus.FAILED
        status, body, cached, error = self._ask(f"ra:{doi}", "ra/" + quote(doi, safe="/"), "application/json")
        if error is not None:
            return AgencyAnswer(offline_or_failed, doi, error=error)
        entry = body[0] if isinstance(body, list) and body and isinstance(body[0], dict) else {}
        agency = str(entry.get("RA") or "").strip() or None
        if status == 404 or agency is None:
            if status == 200 and entry.get("status") and "not exist" not in str(entry.get("status")).lower():
                return AgencyAnswer(AgencyStatus.FAILED, doi, error=f"the DOI resolver says: {entry.get('status')}")
            return AgencyAnswer(AgencyStatus.NOT_FOUND, doi, from_cache=cached)
        status, item, cached2, error = self._ask(f"csl:{doi}", quote(doi, safe="/"), CSL_JSON)
        if error is not None:
            return AgencyAnswer(offline_or_failed, doi, agency, error=error)
        return AgencyAnswer(
            AgencyStatus.FOUND, doi, agency, item if isinstance(item, dict) else None, from_cache=cached and cached2
        )

    # -- the enrichment hook (mscbib.enrich, where Crossref says 404) ---------------------------
    def enrich(self, record: Record, from_cache: bool = False) -> Enriched | None:
        """Enrich ``record`` (whose DOI Crossref does not know) from the agency that registered it.

        ``None`` when no agency knows the DOI, or none could be asked (then ``AGY002`` says so): the caller
        reports ``CR002``."""
        assert record.doi is not None  # asked only for a record's DOI Crossref does not know
        answer = self.lookup(record.doi)
        label, at = record.label(), record.origin_of("doi") or record.source
        if answer.status in (AgencyStatus.FAILED, AgencyStatus.OFFLINE):
            record.findings.append(
                finding_about(
                    record,
                    "AGY002",
                    Severity.WARNING,
                    f"DOI {record.doi} is not at Crossref, and the DOI resolver could not be "
                    f"asked which agency registered it: {answer.error}",
                    field="doi",
                    at=at,
                )
            )
            return None
        if answer.status is AgencyStatus.NOT_FOUND:
            return None
        agency = answer.agency or "another agency"
        filled: list[str] = []
        disagreements: list[Disagreement] = []
        if answer.item is not None:
            theirs = CslJson._record(
                answer.item, Provenance(origin=agency.lower(), detail=record.doi, format="csl-json")
            )
            theirs.set("doi", record.doi, theirs.source)  # the DOI asked for, as the input wrote it (normalised)
            filled, disagreements = merge(record, theirs)
        what = (
            f"metadata from {agency}'s record"
            if answer.item is not None
            else f"{agency} gives no metadata by content negotiation; the entry keeps the input's"
        )
        where = (
            f"is registered at {agency}, not at Crossref"
            if agency.lower() != "crossref"
            else "is registered at Crossref (so says the DOI resolver) but Crossref's API does not return it yet"
        )
        record.findings.append(
            finding_about(
                record,
                "AGY001",
                Severity.INFO,
                f"DOI {record.doi} {where}; {what}",
                field="doi",
                at=at,
            )
        )
        record.findings += disagreement_findings(disagreements, "AGY010", agency, label)
        return Enriched(
            record,
            EnrichStatus.VERIFIED,
            filled=filled,
            disagreements=disagreements,
            reason=f"registered at {agency}",
            from_cache=from_cache and answer.from_cache,
        )
