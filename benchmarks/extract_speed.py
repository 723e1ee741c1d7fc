#!/usr/bin/env python3
"""Extraction speed: pages per second on one core, recognition included (no Crossref, no disk I/O in the
timed loop).

    python benchmarks/extract_speed.py [--seconds N] [--against CHECKOUT] [--real FOLDER] [--compare-only]

The real copied pages (``../shared/real-pages/pages``, read in place; ``--real`` names another folder) are
timed first when present: the figure that counts (issue 13: >= 1,000 pages/s on them), side by side with
``--against`` too.

Each figure is the fastest pass over its documents, timed in CPU time of this process (other load on a shared
machine only slows passes down, and CPU time is less disturbed by it than the wall clock).
"Pages" are the page-kind documents (PubMed, catalog, publisher landing pages, and prose read by the general
page reader) of the corpus plus the seeds; the structured formats are timed too and reported as documents per
second. Target (issues 3 and 13): >= 1,000 pages per second.

On a machine others share, figures from two runs are not comparable: ``--against CHECKOUT`` (another worktree,
e.g. ``../../main``) times that checkout's readers in the same run, its passes alternating with this one's, and
prints the ratio, and the same from the sum of each page's fastest read (steadier where others load the
machine); it also reads every document (the real pages, the corpus, the seeds) with both checkouts, with the site
readers on and off, and prints how many give the same result (every record, every field and its provenance,
every failure): a speed-up must not change what is read (``--compare-only``: that comparison alone, no timing;
exit 1 when a result differs). The share of the time spent in the reference parser (``refstring.parse``, the CRF model) is
printed too: the part of a page's cost that belongs to the parser, not to the page readers.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from real_pages import general_only  # the one switch of the site readers, shared with the real-pages score

from mscbib.sources import detect, read_text
from mscbib.testing.corpus import load_corpus

ROOT = Path(__file__).resolve().parents[1]
PAGE_KINDS = {"pubmed", "catalog", "landing", "page"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=3.0, help="time per measurement (default 3)")
    ap.add_argument("--against", type=Path, help="another checkout whose readers are timed side by side")
    ap.add_argument(
        "--real",
        type=Path,
        default=ROOT.parent / "shared" / "real-pages" / "pages",
        help="a folder of real page copies (default ../shared/real-pages/pages)",
    )
    ap.add_argument("--compare-only", action="store_true", help="with --against: compare the results, time nothing")
    args = ap.parse_args()
    other = _load_against(args.against) if args.against else None
    real = (
        [(p.name, p.read_text(encoding="utf-8")) for p in sorted(args.real.glob("*.txt"))] if args.real.is_dir() else []
    )
    docs = [(d.path.name, d.path.read_text(encoding="utf-8")) for d in load_corpus(ROOT / "tests" / "corpus")]
    docs += [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    if other is not None:
        import mscbib.sources as here

        differ = compare_results(real + docs, here, other)
        n = 2 * len(real + docs)
        print(f"results: {n - len(differ)} of {n} reads identical to {args.against} (site readers on and off)")
        for name in differ:
            print(f"  DIFFERS: {name}")
        if args.compare_only:
            sys.exit(1 if differ else 0)
    elif args.compare_only:
        sys.exit("--compare-only needs --against CHECKOUT")
    if real:
        print(f"real pages: {len(real)} in {args.real}")
        if other is not None:
            mine, theirs = side_by_side(real, read_text, other.read_text, args.seconds * 2)
            print(
                f"  side by side:   {mine:8.0f} pages/s here, {theirs:8.0f} pages/s in {args.against} "
                f"({mine / theirs:.2f}x)"
            )
            mine, theirs, rounds = per_page_minima(real, read_text, other.read_text, args.seconds * 2)
            print(
                f"  per-page best:  {mine:8.0f} pages/s here, {theirs:8.0f} pages/s in {args.against} "
                f"({mine / theirs:.2f}x; each page's fastest read of {rounds} alternating rounds)"
            )
        r = len(real) / _best_pass(real, read_text, args.seconds)
        print(
            f"  real pages:     {r:8.0f} pages/s   (target 1000/s: {'met' if r >= 1000 else 'MISSED'}, {r / 1000:.2f}x)"
        )
        print(f"    of which the reference parser: {parser_share(real):.0%} of the time")
    else:
        print(f"real pages: {args.real} is absent (skipped)")
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
    print(
        f"{len(pages)} pages ({total_chars / max(1, len(pages)) / 1024:.1f} KiB on average), "
        f"{len(docs) - len(pages)} structured documents"
    )
    if other is not None:
        mine, theirs = side_by_side(pages, read_text, other.read_text, args.seconds * 2)
        print(
            f"side by side:     {mine:8.0f} pages/s here, {theirs:8.0f} pages/s in {args.against} "
            f"({mine / theirs:.2f}x)"
        )
    page_rate, n = rate(pages)
    print(
        f"pages:            {page_rate:8.0f} pages/s   ({n} reads; target 1000/s: "
        f"{'met' if page_rate >= 1000 else 'MISSED'}, {page_rate / 1000:.1f}x)"
    )
    print(f"  of which the reference parser: {parser_share(pages):.0%} of the time")
    for kind in sorted(by_kind):
        r, n = rate(by_kind[kind])
        print(f"  {kind:<14}{r:8.0f} docs/s   ({len(by_kind[kind])} documents)")


def _best_pass(items: list[tuple[str, str]], read, seconds: float) -> float:
    """CPU seconds of the fastest pass over ``items``, passes repeated for ``seconds``."""
    best = float("inf")
    deadline = time.process_time() + seconds
    while time.process_time() < deadline or best == float("inf"):
        start = time.process_time()
        for name, text in items:
            read(text, name)
        best = min(best, time.process_time() - start)
    return best


def side_by_side(items: list[tuple[str, str]], read_a, read_b, seconds: float) -> tuple[float, float]:
    """Pages per second of two readers' fastest passes, their passes alternating (the same load on both)."""
    best = [float("inf"), float("inf")]
    deadline = time.process_time() + seconds
    while time.process_time() < deadline or best[1] == float("inf"):
        for i, read in enumerate((read_a, read_b)):
            start = time.process_time()
            for name, text in items:
                read(text, name)
            best[i] = min(best[i], time.process_time() - start)
    return len(items) / best[0], len(items) / best[1]


def per_page_minima(items: list[tuple[str, str]], read_a, read_b, seconds: float) -> tuple[float, float, int]:
    """Pages per second of the sums of each page's fastest read, the two readers alternating page by page (who
    goes first alternating by round): on a loaded machine a whole pass is seldom undisturbed, a single page's
    read often is, so these sums vary less from run to run than the fastest passes. Also the rounds made."""
    best = [[float("inf")] * len(items), [float("inf")] * len(items)]
    deadline = time.process_time() + seconds
    rounds = 0
    while time.process_time() < deadline or rounds < 2:
        order = ((0, read_a), (1, read_b)) if rounds % 2 == 0 else ((1, read_b), (0, read_a))
        for i, (name, text) in enumerate(items):
            for k, read in order:
                start = time.process_time()
                read(text, name)
                best[k][i] = min(best[k][i], time.process_time() - start)
        rounds += 1
    return len(items) / sum(best[0]), len(items) / sum(best[1]), rounds


def parser_share(items: list[tuple[str, str]]) -> float:
    """The share of one pass's CPU time spent in the reference parser (``refstring.parse``)."""
    from mscbib.sources import refstring

    spent = [0.0]
    parse = refstring.parse

    def timed(raw):
        start = time.process_time()
        try:
            return parse(raw)
        finally:
            spent[0] += time.process_time() - start

    refstring.parse = timed
    try:
        start = time.process_time()
        for name, text in items:
            read_text(text, name)
        total = time.process_time() - start
    finally:
        refstring.parse = parse
    return spent[0] / total if total else 0.0


def compare_results(items: list[tuple[str, str]], mine, theirs) -> list[str]:
    """The documents that two checkouts' ``mscbib.sources`` read differently: every record (each field, its
    provenance, the references), failure and warning, compared on their ``repr`` (dataclasses: the class names
    and every field's value, not the module's name), with the site readers on and off."""
    differ = []
    for general in (False, True):
        for name, text in items:
            got = []
            for sources in (mine, theirs):
                with general_only(sources) if general else contextlib.nullcontext():
                    got.append(repr(sources.read_text(text, name)))
            if got[0] != got[1]:
                differ.append(f"{name}{' (site readers off)' if general else ''}")
    return differ


def _load_against(checkout: Path):
    """``mscbib.sources`` of another checkout, imported under another name (a copy of its package)."""
    src = checkout.resolve() / "src" / "mscbib"
    if not src.is_dir():
        sys.exit(f"--against: no src/mscbib in {checkout}")
    tmp = Path(tempfile.mkdtemp(prefix="mscbib-against-"))
    shutil.copytree(src, tmp / "mscbib_against")
    sys.path.insert(0, str(tmp))
    return importlib.import_module("mscbib_against.sources")


if __name__ == "__main__":
    main()
