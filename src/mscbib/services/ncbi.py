"""The one NCBI client: PubMed records through E-utilities, PMCID ↔ PMID ↔ DOI through the PMC ID Converter.

* ``efetch`` (``{eutils}/efetch.fcgi?db=pubmed&id=A,B,…&rettype=medline&retmode=text``) answers PubMed's
  MEDLINE text for up to :data:`BATCH_SIZE` (200) PMIDs a request; the records are read by the MEDLINE reader
  (:class:`mscbib.sources.medline.MedlineFile`), so a PubMed record fetched here and one exported by hand
  give the same fields (MeSH headings → ``mesh``, publication types, abstract, PMID, PMCID, DOI). A PMID
  missing from a complete answer is "not in PubMed".
* the ID Converter (``{idconv}?ids=PMC1,PMC2,…&idtype=pmcid&format=json``) maps up to 200 PMCIDs (or PMIDs) a
  request to their PMID, PMCID and DOI (``{"records": [{"pmcid", "pmid", "doi"}…]}``; an unknown one carries
  ``"status": "error"``).

NCBI's published limits: 3 requests a second without an API key, 10 with one (``--ncbi-api-key``, env
``NCBI_API_KEY``); every request names ``tool=mscbib`` and, when known, the ``email`` (``--mailto``), as NCBI
asks. Both endpoints share the one pacer. Answers are cached per identifier (:mod:`mscbib.services.service_client`):
a warm re-run sends nothing, ``--offline`` sends nothing. Base URLs: ``$MSCBIB_EUTILS_URL`` and
``$MSCBIB_IDCONV_URL`` (the tests' stand-in, :mod:`mscbib.testing.ncbi_standin`).
"""

from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..identifiers import normalize_doi, normalize_pmcid, normalize_pmid
from ..model import Provenance, Record
from ..sources.medline import MedlineFile
from .crossref.ratelimit import Limits
from .service_client import ServiceClient

__all__ = [
    "NcbiClient",
    "IdStatus",
    "PubmedAnswer",
    "ConvertAnswer",
    "BATCH_SIZE",
    "DEFAULT_EUTILS_URL",
    "DEFAULT_IDCONV_URL",
    "WITHOUT_KEY",
    "WITH_KEY",
]

DEFAULT_EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
DEFAULT_IDCONV_URL = "https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles"
#: IDs per request: E-utilities take up to 200 in a GET (NCBI asks for POST beyond), the ID Converter 200.
BATCH_SIZE = 200
#: NCBI's published limits (https://www.ncbi.nlm.nih.gov/books/NBK25497/): requests a second.
WITHOUT_KEY = Limits(single_rate=3, list_rate=3, concurrency=1)
WITH_KEY = Limits(single_rate=10, list_rate=10, concurrency=1)
TOOL = "mscbib"

_PMID_LINE = re.compile(r"^PMID- ?(\d+)\s*$", re.MULTILINE)
#: how efetch says, in a complete answer, that a PMID does not exist
_NOT_AVAILABLE = re.compile(r"Error occurred: The following PMID is not available|not available", re.IGNORECASE)


class IdStatus(str, enum.Enum):
    FOUND = "found"
    NOT_FOUND = "not-found"  # NCBI answered: no such PMID / PMCID
    FAILED = "failed"  # NCBI could not be asked, or answered with an error
    OFFLINE = "offline"  # --offline and the cache has no answer


@dataclass
class PubmedAnswer:
    status: IdStatus
    pmid: str
    record: Record | None = None  # the PubMed record, every value stamped "pubmed"
    error: str | None = None
    from_cache: bool = False


@dataclass
class ConvertAnswer:
    status: IdStatus
    asked: str  # the PMCID or PMID asked
    ids: dict[str, str] = field(default_factory=dict)  # {"pmid", "pmcid", "doi"} as the converter gives them
    error: str | None = None
    from_cache: bool = False


def _batches(items: list[str], n: int) -> Iterable[list[str]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def split_medline(text: str) -> dict[str, str]:
    """PubMed's MEDLINE answer → ``{pmid: that record's text}`` (records are separated by blank lines)."""
    out: dict[str, str] = {}
    for chunk in re.split(r"\n[ \t]*\r?\n", text.replace("\r\n", "\n")):
        m = _PMID_LINE.search(chunk)
        if m and (pmid := normalize_pmid(m.group(1))):
            out.setdefault(pmid, chunk.strip("\n") + "\n")
    return out


def pubmed_record(pmid: str, medline: str) -> Record | None:
    """The record the MEDLINE reader makes of one PubMed record, with every value's provenance
    ``pubmed`` (``detail="PMID <pmid>"``) instead of a file line."""
    read = MedlineFile().read(medline, f"PubMed PMID {pmid}")
    if not read.records:
        return None
    src = Provenance(origin="pubmed", detail=f"PMID {pmid}", format="medline")
    rec = Record(source=src)
    for name, value in read.records[0].items():
        rec.set(name, value.value, src)
    return rec


class NcbiClient:
    """PubMed records by PMID (:meth:`pubmed`) and PMCID conversion (:meth:`convert`), batched and cached."""

    def __init__(
        self,
        eutils_url: str | None = None,
        idconv_url: str | None = None,
        *,
        api_key: str | None = None,
        email: str | None = None,
        cache=None,
        offline: bool = False,
        refresh: bool = False,
        max_age: float | None = None,
        batch_size: int = BATCH_SIZE,
        **kwargs: Any,
    ) -> None:
        # the settings come resolved (mscbib.session.services: option > environment > mscbib.toml > default)
        self.eutils_url = (eutils_url or DEFAULT_EUTILS_URL).rstrip("/")
        self.idconv_url = (idconv_url or DEFAULT_IDCONV_URL).rstrip("/")
        self.api_key = api_key or None
        self.email = email or None
        self.batch_size = max(1, min(batch_size, BATCH_SIZE))
        self.service = ServiceClient(
            "NCBI",
            self.eutils_url,
            WITH_KEY if self.api_key else WITHOUT_KEY,
            cache=cache,
            offline=offline,
            refresh=refresh,
            max_age=max_age,
            **kwargs,
        )
        self._memo: dict[str, PubmedAnswer | ConvertAnswer] = {}

    @classmethod
    def like(cls, crossref: Any, **kwargs: Any) -> "NcbiClient":
        """A client that shares ``crossref``'s cache, offline, refresh and max-age settings (and mailto)."""
        return cls(
            cache=crossref.cache,
            offline=crossref.offline,
            refresh=crossref.refresh,
            max_age=crossref.max_age,
            email=kwargs.pop("email", None) or crossref.mailto,
            **kwargs,
        )

    @property
    def stats(self):
        return self.service.stats

    @property
    def offline(self) -> bool:
        return self.service.offline

    def _params(self) -> dict[str, str]:
        params = {"tool": TOOL}
        if self.email:
            params["email"] = self.email
        if self.api_key:
            params["api_key"] = self.api_key
        return params

    def _refused(self) -> tuple[IdStatus, str] | None:
        why = self.service.refusal()
        if why is None:
            return None
        return (IdStatus.OFFLINE if self.service.offline else IdStatus.FAILED), why

    # -- PubMed records -------------------------------------------------------------------------
    def pubmed(self, pmids: Iterable[str]) -> dict[str, PubmedAnswer]:
        """The PubMed record of each PMID (normalised), in ``ceil(n / 200)`` requests for those not cached."""
        wanted = list(dict.fromkeys(p for p in (normalize_pmid(x) for x in pmids) if p))
        answers: dict[str, PubmedAnswer] = {}
        todo: list[str] = []
        for pmid in wanted:
            memo = self._memo.get(f"pubmed:{pmid}")
            if memo is None:
                hit = self.service.cached(f"pubmed:{pmid}")
                if hit is not None:
                    memo = self._pubmed_answer(pmid, hit.status, hit.body, from_cache=True)
                    self._memo[f"pubmed:{pmid}"] = memo
            if memo is not None:
                answers[pmid] = memo  # type: ignore[assignment]
            else:
                todo.append(pmid)
        for batch in _batches(todo, self.batch_size):
            answers.update(self._fetch_pubmed(batch))
        return answers

    @staticmethod
    def _pubmed_answer(pmid: str, status: int, body: Any, from_cache: bool = False) -> PubmedAnswer:
        if status == 200 and isinstance(body, str):
            rec = pubmed_record(pmid, body)
            if rec is not None:
                return PubmedAnswer(IdStatus.FOUND, pmid, rec, from_cache=from_cache)
            return PubmedAnswer(IdStatus.FAILED, pmid, error="PubMed's MEDLINE record could not be read")
        return PubmedAnswer(IdStatus.NOT_FOUND, pmid, from_cache=from_cache)

    def _fetch_pubmed(self, pmids: list[str]) -> dict[str, PubmedAnswer]:
        refused = self._refused()
        if refused:
            return {p: PubmedAnswer(refused[0], p, error=refused[1]) for p in pmids}
        params = {"db": "pubmed", "id": ",".join(pmids), "rettype": "medline", "retmode": "text", **self._params()}
        r = self.service.get(f"{self.eutils_url}/efetch.fcgi", params)
        if r.error is None and not r.ok:
            r.error = f"E-utilities answered HTTP {r.status}"
        records = split_medline(r.text) if r.error is None else {}
        if r.error is None and not records and not _NOT_AVAILABLE.search(r.text):
            # an empty or unrecognised answer (E-utilities sends empty bodies under load) proves nothing: not cached
            r.error = f"E-utilities' answer holds no MEDLINE record: {r.text.strip()[:200]!r}"
        if r.error is not None:
            failed = {p: PubmedAnswer(IdStatus.FAILED, p, error=r.error) for p in pmids}
            self._memo.update({f"pubmed:{p}": a for p, a in failed.items()})
            return failed
        store = [(f"pubmed:{p}", 200, records[p]) if p in records else (f"pubmed:{p}", 404, None) for p in pmids]
        self.service.store(store)
        answers = {p: self._pubmed_answer(p, status, body) for (_, status, body), p in zip(store, pmids)}
        self._memo.update({f"pubmed:{p}": a for p, a in answers.items()})
        return answers

    # -- PMCID / PMID → the others ------------------------------------------------------------
    def convert(self, ids: Iterable[str]) -> dict[str, ConvertAnswer]:
        """The PMID, PMCID and DOI of each PMCID or PMID (normalised: ``PMC…`` or digits), in ``ceil(n / 200)``
        requests per kind for those not cached. Answers are keyed by the normalised ID asked."""
        wanted = list(
            dict.fromkeys(
                p
                for p in (normalize_pmcid(x) if str(x).upper().startswith("PMC") else normalize_pmid(x) for x in ids)
                if p
            )
        )
        answers: dict[str, ConvertAnswer] = {}
        todo: dict[str, list[str]] = {"pmcid": [], "pmid": []}
        for ident in wanted:
            what = f"idconv:{self.idconv_url}:{ident}"
            memo = self._memo.get(what)
            if memo is None:
                hit = self.service.cached(what)
                if hit is not None:
                    memo = ConvertAnswer(
                        IdStatus.FOUND if hit.status == 200 else IdStatus.NOT_FOUND,
                        ident,
                        dict(hit.body or {}),
                        from_cache=True,
                    )
                    self._memo[what] = memo
            if memo is not None:
                answers[ident] = memo  # type: ignore[assignment]
            else:
                todo["pmcid" if ident.startswith("PMC") else "pmid"].append(ident)
        for idtype, idents in todo.items():
            for batch in _batches(idents, self.batch_size):
                answers.update(self._fetch_convert(batch, idtype))
        return answers

    def _fetch_convert(self, idents: list[str], idtype: str) -> dict[str, ConvertAnswer]:
        refused = self._refused()
        if refused:
            return {p: ConvertAnswer(refused[0], p, error=refused[1]) for p in idents}
        r = self.service.get(
            f"{self.idconv_url}/", {"ids": ",".join(idents), "idtype": idtype, "format": "json", **self._params()}
        )
        body: Any = None
        if r.error is None:
            try:
                body = json.loads(r.text)
            except ValueError:
                r.error = "the ID Converter's answer is not JSON"
        if r.error is None and not (r.ok and isinstance(body, dict) and isinstance(body.get("records"), list)):
            r.error = f"the ID Converter answered HTTP {r.status} without records" + (
                f": {body.get('message') or body.get('status')}" if isinstance(body, dict) else ""
            )
        if r.error is not None:
            return {p: ConvertAnswer(IdStatus.FAILED, p, error=r.error) for p in idents}
        norm = normalize_pmcid if idtype == "pmcid" else normalize_pmid
        found: dict[str, dict[str, str]] = {}
        for item in body["records"]:
            if not isinstance(item, dict):
                continue
            asked = norm(str(item.get("requested-id") or item.get(idtype) or ""))
            if not asked or item.get("status") == "error":
                continue
            got: dict[str, str] = {}
            if pmid := normalize_pmid(str(item.get("pmid") or "")):
                got["pmid"] = pmid
            if pmcid := normalize_pmcid(str(item.get("pmcid") or "")):
                got["pmcid"] = pmcid
            if doi := normalize_doi(str(item.get("doi") or "")):
                got["doi"] = doi
            found[asked] = got
        store = [
            (f"idconv:{self.idconv_url}:{p}", 200, found[p])
            if p in found
            else (f"idconv:{self.idconv_url}:{p}", 404, None)
            for p in idents
        ]
        self.service.store(store)
        answers = {
            p: ConvertAnswer(IdStatus.FOUND, p, found[p]) if p in found else ConvertAnswer(IdStatus.NOT_FOUND, p)
            for p in idents
        }
        self._memo.update({f"idconv:{self.idconv_url}:{p}": a for p, a in answers.items()})
        return answers
