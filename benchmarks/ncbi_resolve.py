"""PMIDs to full records: one efetch per PMID versus mscbib's batched NCBI client, against local stand-ins.

The NCBI stand-in answers 429 beyond 3 requests a second (NCBI's limit without an API key) and serves N
SYNTHETIC PubMed records (``synthetic_medline``; no real data), each with the DOI of one of the Crossref stand-in's
N synthetic works. Side by side:

(a) a plain loop: one ``efetch`` request per PMID, paced at NCBI's 3 requests/s (the fewest seconds it can take);
(b) ``mscbib build`` of an identifier list of the N PMIDs, cold cache: NCBI requests, Crossref requests, time;
(c) the same build again with the same cache: a warm re-run (0 requests to any service is the target).

Targets (issue 19): N = 200 PMIDs in <= 2 E-utilities requests plus the Crossref batches; 0 requests beyond the
limits; warm re-run 0 requests.

    python benchmarks/ncbi_resolve.py [--n 200]
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

import requests

from mscbib.pipeline.build import build
from mscbib.services.crossref import Cache, CrossrefClient
from mscbib.services.crossref.client import BATCH_SIZE
from mscbib.services.ncbi import NcbiClient
from mscbib.testing.crossref_standin import CrossrefStandIn, synthetic_works
from mscbib.testing.ncbi_standin import NcbiStandIn, synthetic_medline


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    args = ap.parse_args()
    n = args.n
    works = synthetic_works(n)
    medline = {str(1000 + i): synthetic_medline(str(1000 + i), doi=w["DOI"], n=i) for i, w in enumerate(works)}
    tmp = Path(tempfile.mkdtemp())
    ids = tmp / "pmids.txt"
    ids.write_text("".join(f"PMID: {p}\n" for p in medline), encoding="utf-8")
    with NcbiStandIn(medline) as ncbi, CrossrefStandIn(works) as crossref:
        # (a) one request per PMID, at 3/s
        t0, session = time.perf_counter(), requests.Session()
        for k, pmid in enumerate(list(medline)[: min(n, 30)]):  # 30 are enough to measure the rate
            while time.perf_counter() < t0 + k / 3 * 1.1:
                time.sleep(0.005)
            session.get(f"{ncbi.eutils_url}/efetch.fcgi", params={"db": "pubmed", "id": pmid, "rettype": "medline"})
        per = (time.perf_counter() - t0) / min(n, 30)
        a_time, a_requests = per * n, n
        ncbi.requests.clear()
        time.sleep(1.1)  # (a)'s last second must not count against (b)'s first request
        ncbi.over_limit = 0
        # (b) mscbib build, cold
        cache = Cache(tmp / "cache.sqlite3")
        runs = []
        for label in ("(b) mscbib build, cold cache", "(c) warm re-run"):
            n0, c0 = ncbi.count(), len(crossref.requests)
            client = CrossrefClient(base_url=crossref.url, mailto="bench@example.org", cache=cache)
            nc = NcbiClient(ncbi.eutils_url, ncbi.idconv_url, cache=cache, email="bench@example.org")
            t = time.perf_counter()
            result = build([str(ids)], str(tmp / "out.bib"), client, ncbi=nc, references=False)
            runs.append(
                (
                    label,
                    ncbi.count() - n0,
                    len(crossref.requests) - c0,
                    time.perf_counter() - t,
                    sum(1 for r in result.records if r.title),
                    len(result.records),
                )
            )
        over = ncbi.over_limit
    print(f"N = {n} PMIDs (synthetic)")
    print(f"{'run':40} {'NCBI req':>9} {'Crossref req':>13} {'time s':>8} {'full records':>13}")
    print(f"{'(a) one efetch per PMID at 3/s':40} {a_requests:>9} {'-':>13} {a_time:>8.2f} {'-':>13}")
    for label, nreq, creq, secs, full, total in runs:
        print(f"{label:40} {nreq:>9} {creq:>13} {secs:>8.2f} {full:>7}/{total:<5}")
    b, c = runs
    print(f"b/a time = {b[3] / a_time:.3f}; NCBI requests beyond the limit: {over}")
    ok = b[1] <= 2 and b[2] <= math.ceil(n / BATCH_SIZE) + 2 and c[1] == 0 and c[2] == 0 and over == 0 and b[4] == n
    print("targets:", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
