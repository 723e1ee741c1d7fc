"""Crossref enrichment speed: a plain habanero loop versus mscbib, against the local stand-in.

The stand-in answers every request after ``--latency`` seconds (default 150 ms) and enforces the
polite pool's limits (10 single-record requests/s, 3 list requests/s, 3 at a time), answering 429
beyond them as Crossref does. It serves N SYNTHETIC works (generated, labelled ``_synthetic``; no
real data). In one process, side by side:

(a) a plain loop of ``habanero.Crossref().works(ids=doi)``, one request per DOI;
(b) ``mscbib`` enrichment of the records read from a DOI list: :func:`mscbib.enrich.prefetch`
    (batched look-ups) and :func:`mscbib.enrich.enrich_record` for each record (verify and merge);
(b') the whole ``mscbib build`` (b's work plus validation, keys, tags, references and the BibTeX
    file), on a cold cache, for the record;
(c) (b') again with the same cache: a warm re-run.

It prints requests, 429s, wall time, the ratio b/a, and the lower bound the limits allow for the
requests (b) made, then checks the issue's targets. No assertion on a timer anywhere in the tests:
this script is where speed is measured.

    python benchmarks/crossref_enrich.py            # N = 1,000 (about three minutes, mostly (a))
    python benchmarks/crossref_enrich.py --n 200    # quicker
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

import habanero

from mscbib.enrich import EnrichStatus, enrich_record, prefetch
from mscbib.pipeline.build import build
from mscbib.services.crossref import Cache, CrossrefClient
from mscbib.services.crossref.client import BATCH_SIZE
from mscbib.services.crossref.ratelimit import POLITE
from mscbib.sources import read_inputs
from mscbib.testing.crossref_standin import CrossrefStandIn, synthetic_works

MAILTO = "benchmark@example.org"


def lower_bound(singles: int, lists: int, latency: float) -> float:
    """The least wall time Crossref's polite-pool limits allow for that many requests: starts of each
    kind spaced by its rate, the last one then taking one latency (3 at a time is never binding here:
    at 150 ms a request, 3 list requests/s keep fewer than one in flight)."""
    spans = [(n - 1) / rate for n, rate in ((singles, POLITE.single_rate), (lists, POLITE.list_rate)) if n]
    return (max(spans) if spans else 0.0) + latency


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="number of synthetic DOIs (default 1000)")
    ap.add_argument("--latency", type=float, default=0.15, help="seconds per answer (default 0.15)")
    ap.add_argument("--batch", type=int, default=BATCH_SIZE, help=f"DOIs per request (default {BATCH_SIZE})")
    ap.add_argument("--skip-habanero", action="store_true", help="do not run (a) (no ratio then)")
    args = ap.parse_args(argv)

    works = synthetic_works(args.n)
    dois = [w["DOI"] for w in works]
    print(
        f"stand-in: {args.n} synthetic works, latency {args.latency * 1000:.0f} ms, polite-pool limits "
        f"({POLITE.single_rate:g} single/s, {POLITE.list_rate:g} list/s, {POLITE.concurrency} at a time)"
    )
    with CrossrefStandIn(works, latency=args.latency, limits=POLITE) as server, tempfile.TemporaryDirectory() as tmp:
        # (a) habanero, one request per DOI
        a_time = None
        if not args.skip_habanero:
            cr = habanero.Crossref(base_url=server.url, mailto=MAILTO)
            t = time.perf_counter()
            found_a = sum(1 for doi in dois if cr.works(ids=doi).get("message"))
            a_time = time.perf_counter() - t
            a_req, a_429 = server.count(), server.count_status(429)
            print(f"(a) habanero loop : {a_req:5d} requests, {a_429} × 429, {a_time:8.2f} s, {found_a} found")
            server.reset_counters()

        # (b) mscbib enrichment: the records read from a DOI list, prefetched in batches, then merged
        doi_file = Path(tmp) / "dois.txt"
        doi_file.write_text("# synthetic DOIs (benchmark)\n" + "\n".join(dois) + "\n", encoding="utf-8")
        records = read_inputs([doi_file]).records
        client = CrossrefClient(server.url, MAILTO, Cache(Path(tmp) / "enrich.sqlite3"), batch_size=args.batch)
        t = time.perf_counter()
        prefetch(records, client)
        verified = sum(1 for rec in records if enrich_record(rec, client).status is EnrichStatus.VERIFIED)
        b_time = time.perf_counter() - t
        b_req, b_429 = server.count(), server.count_status(429)
        lists, singles = server.count("filter") + server.count("query"), server.count("work")
        print(
            f"(b) mscbib enrich : {b_req:5d} requests, {b_429} × 429, {b_time:8.2f} s, {verified} verified "
            f"({lists} list, {singles} single)"
        )
        server.reset_counters()

        # (b') the whole `mscbib build` (enrichment, validation, keys, BibTeX), cold cache
        cache_path = Path(tmp) / "cache.sqlite3"
        client = CrossrefClient(server.url, MAILTO, Cache(cache_path), batch_size=args.batch)
        t = time.perf_counter()
        build([str(doi_file)], str(Path(tmp) / "out.bib"), client)
        full_time = time.perf_counter() - t
        full_req, full_429 = server.count(), server.count_status(429)
        print(f"(b') mscbib build : {full_req:5d} requests, {full_429} × 429, {full_time:8.2f} s (whole pipeline)")
        server.reset_counters()

        # (c) warm re-run
        warm = CrossrefClient(server.url, MAILTO, Cache(cache_path), batch_size=args.batch)
        t = time.perf_counter()
        build([str(doi_file)], str(Path(tmp) / "warm.bib"), warm)
        c_time = time.perf_counter() - t
        c_req = server.count()
        print(f"(c) warm re-run   : {c_req:5d} requests, {c_time:8.2f} s")

    bound = lower_bound(singles, lists, args.latency)
    allowed = math.ceil(args.n / args.batch) + 2
    print(f"lower bound for {b_req} requests under the limits: {bound:.2f} s; (b) / bound = {b_time / bound:.2f}")
    checks = [
        (f"requests ≤ ⌈N / batch⌉ + 2 = {allowed}", b_req <= allowed),
        ("wall time within 1.5× the lower bound", b_time <= 1.5 * bound),
        ("zero 429s caused by mscbib", b_429 == 0 and full_429 == 0),
        ("warm re-run makes 0 requests", c_req == 0),
        ("every DOI verified", verified == args.n),
    ]
    if a_time is not None:
        print(f"ratio b/a = {b_time / a_time:.4f}  (mscbib is {a_time / b_time:.1f}× faster)")
        checks.append(("at least 20× faster than (a)", a_time / b_time >= 20))
    for what, ok in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {what}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
