#!/usr/bin/env python3
"""Extraction speed: pages per second on one core, recognition included (no Crossref, no disk I/O in the
timed loop).

    python benchmarks/extract_speed.py [--seconds N]

Each figure is the fastest pass over its documents, timed in CPU time of this process (other load on a shared
machine only slows passes down, and CPU time is less disturbed by it than the wall clock).
"Pages" are the page-kind documents (PubMed, catalog, publisher landing pages, and prose read by the general
page reader) of the corpus plus the seeds; the structured formats are timed too and reported as documents per
second. Target (issues 3 and 13): >= 1,000 pages per second.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from mscbib.sources import detect, read_text
from mscbib.testing.corpus import load_corpus

ROOT = Path(__file__).resolve().parents[1]
PAGE_KINDS = {"pubmed", "catalog", "landing", "page"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=3.0, help="time per measurement (default 3)")
    args = ap.parse_args()
    docs = [(d.path.name, d.path.read_text(encoding="utf-8")) for d in load_corpus(ROOT / "tests" / "corpus")]
    docs += [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    by_kind: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name, text in docs:
        reader = detect(text)
        by_kind[reader.name if reader else "unrecognised"].append((name, text))

    def rate(items: list[tuple[str, str]]) -> tuple[float, int]:
        """Documents per second in the fastest pass over ``items`` (as timeit does: the machine's other
        load only ever slows a pass down), passes repeated for ``--seconds``."""
        n = 0
        best = float("inf")
        deadline = time.process_time() + args.seconds
        while time.process_time() < deadline or n == 0:
            start = time.process_time()
            for name, text in items:
                read_text(text, name)
            best = min(best, time.process_time() - start)
            n += len(items)
        return len(items) / best, n

    pages = [d for k in PAGE_KINDS for d in by_kind.get(k, [])]
    total_chars = sum(len(t) for _, t in pages)
    print(f"{len(pages)} pages ({total_chars / max(1, len(pages)) / 1024:.1f} KiB on average), "
          f"{len(docs) - len(pages)} structured documents")
    page_rate, n = rate(pages)
    print(f"pages:            {page_rate:8.0f} pages/s   ({n} reads; target 1000/s: "
          f"{'met' if page_rate >= 1000 else 'MISSED'}, {page_rate / 1000:.1f}x)")
    for kind in sorted(by_kind):
        r, n = rate(by_kind[kind])
        print(f"  {kind:<14}{r:8.0f} docs/s   ({len(by_kind[kind])} documents)")


if __name__ == "__main__":
    main()
