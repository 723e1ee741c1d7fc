"""How fast is `mscbib check --offline` next to a bare bibtexparser parse of the same file?

Builds a 20,000-entry SYNTHETIC .bib (tests/fixtures/check/make_clean_corpus.py), then times, in this
process, bibtexparser.parse_string (its default parse stack) and mscbib's read + all offline checks.
Prints both figures and the ratio; the target is a ratio within 2x.

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
from mscbib.check import run_checks

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    spec = importlib.util.spec_from_file_location("mk", ROOT / "tests" / "fixtures" / "check" / "make_clean_corpus.py")
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.bib"
        path.write_text(mk.corpus(n), encoding="utf-8")
        size = path.stat().st_size
        best_parse = best_check = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            lib = bibtexparser.parse_string(path.read_text(encoding="utf-8"))
            best_parse = min(best_parse, time.perf_counter() - t0)
            t0 = time.perf_counter()
            result = run_checks(read_bib(path))
            best_check = min(best_check, time.perf_counter() - t0)
    assert len(lib.entries) == n and len(result.bib.entries) == n
    ratio = best_check / best_parse
    print(f"{n} entries, {size / 1e6:.1f} MB; best of 3")
    print(f"bare bibtexparser.parse_string : {best_parse:6.2f} s")
    print(f"mscbib check --offline         : {best_check:6.2f} s  ({len(result.findings)} findings)")
    print(f"ratio                          : {ratio:6.2f}x  (target <= 2.00x: {'met' if ratio <= 2 else 'NOT met'})")


if __name__ == "__main__":
    main()
