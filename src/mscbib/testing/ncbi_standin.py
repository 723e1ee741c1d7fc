"""A local stand-in for NCBI's E-utilities and the PMC ID Converter, for tests and benchmarks (never the network).

* ``GET /entrez/eutils/efetch.fcgi?db=pubmed&id=A,B&rettype=medline&retmode=text`` — the MEDLINE text of the
  known PMIDs, separated by blank lines, as PubMed sends it; an unknown PMID gets PubMed's
  ``id: N Error occurred: The following PMID is not available: N`` line instead;
* ``GET /tools/idconv/api/v1/articles/?ids=PMC1,PMC2&format=json`` — the ID Converter's JSON
  (``{"status": "ok", "records": [{"requested-id", "pmcid", "pmid", "doi"}…]}``, an unknown ID with
  ``"status": "error", "errmsg": …``).

More than ``rate`` requests within a second are answered ``429`` (as NCBI does beyond its limits) and counted in
:attr:`NcbiStandIn.over_limit`. :func:`synthetic_medline` makes made-up PubMed records (titles say "Synthetic").
"""

from __future__ import annotations

import json
from typing import Iterable

from ._http import Request, StandInServer

__all__ = ["NcbiStandIn", "synthetic_medline"]


def synthetic_medline(pmid: str, doi: str | None = None, pmcid: str | None = None, n: int = 0) -> str:
    """A made-up PubMed record in MEDLINE format (synthetic; not a real work)."""
    lines = [
        f"PMID- {pmid}",
        "OWN - NLM",
        "STAT- MEDLINE",
        "IS  - 1234-5679 (Electronic)",
        "VI  - 12",
        f"IP  - {1 + n % 12}",
        f"DP  - {2000 + n % 25} Mar",
        f"TI  - Synthetic PubMed record {pmid} on stromal",
        "      cell signalling.",
        f"PG  - {100 + n}-{110 + n}",
        f"AB  - Synthetic abstract of record {pmid}; generated for mscbib's tests.",
        "FAU - Synthetic, Ada",
        "AU  - Synthetic A",
        "FAU - Placeholder, Ben B",
        "AU  - Placeholder BB",
        "LA  - eng",
        "PT  - Journal Article",
        "PT  - Review",
        "TA  - J Synth Rec",
        "JT  - Journal of synthetic records",
        "MH  - Humans",
        "MH  - Mesenchymal Stem Cells/*metabolism",
        "MH  - Signal Transduction",
    ]
    if pmcid:
        lines.append(f"PMC - {pmcid}")
    if doi:
        lines += [f"LID - {doi} [doi]", f"AID - {doi} [doi]"]
    lines.append("SO  - J Synth Rec. 2000 Mar;12(1):100-110.")
    return "\n".join(lines) + "\n"


class NcbiStandIn(StandInServer):
    EUTILS = "/entrez/eutils"
    IDCONV = "/tools/idconv/api/v1/articles"

    def __init__(
        self, medline: dict[str, str] | None = None, idconv: Iterable[dict[str, str]] = (), rate: int = 3
    ) -> None:
        super().__init__()
        self.medline = dict(medline or {})
        self.idconv = {}
        for r in idconv:  # found by PMCID and by PMID, as the real converter does (idtype)
            self.idconv.update({r[k].upper(): r for k in ("pmcid", "pmid") if r.get(k)})
        self.rate = rate
        self.over_limit = 0
        self._starts: list[float] = []

    @property
    def eutils_url(self) -> str:
        return self.url + self.EUTILS

    @property
    def idconv_url(self) -> str:
        return self.url + self.IDCONV

    def _limited(self, req: Request) -> bool:
        with self._lock:
            self._starts = [t for t in self._starts if t > req.at - 1.0] + [req.at]
            if len(self._starts) > self.rate:
                self.over_limit += 1
                return True
        return False

    def answer(self, req: Request):
        if self._limited(req):
            return 429, "application/json", b'{"error":"API rate limit exceeded"}', {"Retry-After": "1"}
        ids = [i.strip() for i in ",".join(req.query.get("id", []) + req.query.get("ids", [])).split(",") if i.strip()]
        if req.path == f"{self.EUTILS}/efetch.fcgi":
            if req.query.get("db") != ["pubmed"] or req.query.get("rettype") != ["medline"]:
                return 400, "text/plain", b"unsupported efetch parameters in this stand-in", {}
            parts = [
                self.medline[i]
                if i in self.medline
                else f"id: {i} Error occurred: The following PMID is not available: {i}\n"
                for i in ids
            ]
            return 200, "text/plain; charset=UTF-8", ("\n" + "\n".join(parts)).encode(), {}
        if req.path.rstrip("/") == self.IDCONV:
            records = []
            for i in ids:
                known = self.idconv.get(i.upper())
                records.append(
                    {"requested-id": i, **known}
                    if known
                    else {"requested-id": i, "status": "error", "errmsg": "Identifier not found in PMC"}
                )
            body = {
                "status": "ok",
                "responseDate": "2026-12-01 00:00:00",
                "request": f"ids={','.join(ids)};format=json",
                "records": records,
            }
            return 200, "application/json", json.dumps(body).encode(), {}
        return 404, "text/plain", b"not found", {}
