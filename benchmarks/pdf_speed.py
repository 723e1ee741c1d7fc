#!/usr/bin/env python3
"""PDF reading speed: PDFs per second on one core, on the real article PDFs of ../shared/real-pdfs (no disk I/O in
the timed loop).

    python benchmarks/pdf_speed.py [--seconds N] [--folder DIR]

Three figures, each the fastest pass over the PDFs (other load on the machine only slows passes down):

* the first-pages read (metadata, first two pages' text with font sizes, header fields): the issue's target,
  >= 20 PDFs/s;
* the whole read, reference list included (every page's text);
* side by side, the first page's text through pypdf and pdfminer.six where they are installed (they are not
  mscbib's dependencies: the figures say why PDFium was chosen).
"""

from __future__ import annotations

import argparse
import io
import logging
import sys
import time
from pathlib import Path

from mscbib.sources.pdf import read_pdf_bytes

ROOT = Path(__file__).resolve().parents[1]
TARGET = 20.0


def best_rate(fn, items, seconds: float) -> tuple[float, int]:
    n, best = 0, float("inf")
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or n == 0:
        start = time.perf_counter()
        for item in items:
            fn(item)
        best = min(best, time.perf_counter() - start)
        n += len(items)
    return len(items) / best, n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=3.0, help="time per measurement (default 3)")
    ap.add_argument("--folder", type=Path, default=ROOT.parent / "shared" / "real-pdfs")
    args = ap.parse_args()
    files = sorted(args.folder.glob("*.pdf"))
    if not files:
        print(f"no PDFs in {args.folder}: nothing to measure", file=sys.stderr)
        sys.exit(0)
    datas = [(f.name, f.read_bytes()) for f in files]
    print(
        f"{len(datas)} PDFs ({sum(len(d) for _, d in datas) / len(datas) / 1024:.0f} KiB on average) in {args.folder}"
    )

    first, n = best_rate(lambda d: read_pdf_bytes(d[1], d[0], references=False), datas, args.seconds)
    print(
        f"first pages (mscbib, PDFium): {first:7.1f} PDFs/s  ({n} reads; target {TARGET:.0f}/s: "
        f"{'met' if first >= TARGET else 'MISSED'}, {first / TARGET:.1f}x)"
    )
    whole, n = best_rate(lambda d: read_pdf_bytes(d[1], d[0]), datas, args.seconds)
    print(f"whole read with references:   {whole:7.1f} PDFs/s  ({n} reads)")
    for name, data in datas:  # the slowest files, for whoever optimises next
        t = time.perf_counter()
        read_pdf_bytes(data, name, references=False)
        print(f"    {name:32} {1000 * (time.perf_counter() - t):6.1f} ms first pages")

    logging.disable(logging.WARNING)  # pypdf's font warnings
    try:
        from pypdf import PdfReader

        rate, _ = best_rate(lambda d: PdfReader(io.BytesIO(d[1])).pages[0].extract_text(), datas, args.seconds)
        print(
            f"pypdf, first page's text:     {rate:7.1f} PDFs/s  (PDFium's whole first-pages read is "
            f"{first / rate:.1f}x as fast)"
        )
    except ImportError:
        print("pypdf not installed: not compared")
    try:
        from pdfminer.high_level import extract_pages

        rate, _ = best_rate(lambda d: list(extract_pages(io.BytesIO(d[1]), maxpages=1)), datas, args.seconds)
        print(
            f"pdfminer.six, first page:     {rate:7.1f} PDFs/s  (PDFium's whole first-pages read is "
            f"{first / rate:.1f}x as fast)"
        )
    except ImportError:
        print("pdfminer.six not installed: not compared")


if __name__ == "__main__":
    main()
