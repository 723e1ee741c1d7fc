"""How fast is `mscbib check --offline` next to a bare bibtexparser parse of the same file?

Builds a 20,000-entry SYNTHETIC .bib (tests/fixtures/check/make_clean_corpus.py), then times, in this
process, bibtexparser.parse_string (its default parse stack) and mscbib's read + all offline checks.
Prints both figures and the ratio; the target is a ratio within 2x. Wall-clock and CPU (process) time are
both measured, best of 3 each: on a shared machine the wall figures swing with the other load, the CPU ones
much less.

    python benchmarks/check_speed.py [N]
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
import time
from pathlib import Path

import bibtexparser

from mscbib.bibfile import read_bib
from mscbib.validate.check import run_checks

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    if any(a in ("-h", "--help") for a in sys.argv[1:]):
        print(__doc__.strip() + "\n\nusage: python benchmarks/check_speed.py [N]   (N entries, default 20000)")
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    spec = importlib.util.spec_from_file_location("mk", ROOT / "tests" / "fixtures" / "check" / "make_clean_corpus.py")
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.bib"
        path.write_text(mk.corpus(n), encoding="utf-8")
        size = path.stat().st_size
        best = {"parse": [float("inf")] * 2, "check": [float("inf")] * 2}  # [wall, cpu]

        def timed(name, fn):
            w0, c0 = time.perf_counter(), time.process_time()
            out = fn()
            w, c = time.perf_counter() - w0, time.process_time() - c0
            best[name] = [min(best[name][0], w), min(best[name][1], c)]
            return out

        for _ in range(3):
            lib = timed("parse", lambda: bibtexparser.parse_string(path.read_text(encoding="utf-8")))
            result = timed("check", lambda: run_checks(read_bib(path)))
    assert len(lib.entries) == n and len(result.bib.entries) == n
    print(f"{n} entries, {size / 1e6:.1f} MB; best of 3      wall      cpu")
    print(f"bare bibtexparser.parse_string : {best['parse'][0]:6.2f} s {best['parse'][1]:6.2f} s")
    print(
        f"mscbib check --offline         : {best['check'][0]:6.2f} s {best['check'][1]:6.2f} s  "
        f"({len(result.findings)} findings)"
    )
    for i, what in enumerate(("wall", "cpu")):
        ratio = best["check"][i] / best["parse"][i]
        print(
            f"ratio ({what:4s})                  : {ratio:6.2f}x  "
            f"(target <= 2.00x: {'met' if ratio <= 2 else 'NOT met'})"
        )


if __name__ == "__main__":
    main()
