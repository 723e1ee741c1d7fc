"""DOIs Crossref does not know (arXiv/Zenodo-style DataCite DOIs): what ``mscbib build`` asks of the DOI resolver.

Local stand-ins only: the Crossref stand-in knows none of the N SYNTHETIC DataCite DOIs (``datacite_item``; no real
data), the DOI resolver stand-in knows them all. Prints the requests to each service, the wall time, the lower bound
the resolver pacing allows (5 requests/s: one ``/ra/`` batch per 50 DOIs + one content negotiation per DOI), and a
warm re-run (target: 0 requests).

    python benchmarks/agencies_resolve.py [--n 50]
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

from mscbib.enrich.agencies import LIMITS, RA_BATCH, AgencyClient
from mscbib.pipeline.build import build
from mscbib.services.crossref import Cache, CrossrefClient
from mscbib.testing.crossref_standin import CrossrefStandIn
from mscbib.testing.doi_standin import DoiStandIn, datacite_item


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=50)
    n = ap.parse_args().n
    dois = [f"10.48550/arxiv.2101.{i:05d}" for i in range(n)]
    tmp = Path(tempfile.mkdtemp())
    ids = tmp / "ids.txt"
    ids.write_text("".join(f"arXiv:2101.{i:05d}\n" for i in range(n)), encoding="utf-8")
    works = {
        d: ("DataCite", datacite_item(d, f"Synthetic preprint {i}", kind="article", publisher="arXiv"))
        for i, d in enumerate(dois)
    }
    cache = Cache(tmp / "cache.sqlite3")
    rows = []
    with DoiStandIn(works) as resolver, CrossrefStandIn([]) as crossref:
        for label in ("cold cache", "warm re-run"):
            r0, a0, c0 = (
                resolver.count() - resolver.count("/_agency/"),
                resolver.count("/_agency/"),
                len(crossref.requests),
            )
            client = CrossrefClient(base_url=crossref.url, mailto="bench@example.org", cache=cache)
            t = time.perf_counter()
            result = build(
                [str(ids)],
                str(tmp / "out.bib"),
                client,
                agencies=AgencyClient(resolver.url, cache=cache),
                references=False,
            )
            secs = time.perf_counter() - t
            errors = sum(1 for f in result.findings if f.severity.value == "error")
            rows.append(
                (
                    label,
                    resolver.count() - resolver.count("/_agency/") - r0,
                    resolver.count("/_agency/") - a0,
                    len(crossref.requests) - c0,
                    secs,
                    sum(1 for r in result.records if r.title),
                    errors,
                )
            )
    asked = math.ceil(n / RA_BATCH) + n
    bound = (asked - 1) / LIMITS.single_rate
    print(f"N = {n} DataCite DOIs (synthetic arXiv IDs)")
    print(
        f"{'run':14} {'resolver req':>13} {'agency req':>11} {'Crossref req':>13} {'time s':>8} {'full':>6} "
        f"{'errors':>7}"
    )
    for label, rreq, areq, creq, secs, full, errors in rows:
        print(f"{label:14} {rreq:>13} {areq:>11} {creq:>13} {secs:>8.2f} {full:>6} {errors:>7}")
    print(
        f"resolver requests expected {asked} (the agency answers each content negotiation after the resolver's "
        f"redirect); lower bound at {LIMITS.single_rate:g}/s: {bound:.2f} s; cold / bound = {rows[0][4] / bound:.2f}"
    )
    ok = rows[0][1] == asked and rows[0][5] == n and rows[0][6] == 0 and rows[1][1] + rows[1][2] + rows[1][3] == 0
    print("targets:", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
