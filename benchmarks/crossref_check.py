"""`mscbib check --offline` next to a bare bibtexparser parse, both as fresh processes (start-up included),
at 20,000 entries and up to 100,000 (is it linear?).

The .bib files are SYNTHETIC real-looking entries (tests/fixtures/check/make_clean_corpus.py: 25 family names,
so at 100k entries a (year, first author) block holds a hundred or more DOI-carrying entries — the shape that
made the near-duplicate check quadratic). Each figure is the best of ``--repeat`` runs (CPU time of the child
process: on a shared machine wall time swings with the others' load; both are printed).

    python benchmarks/crossref_check.py                 # 20k, 50k, 100k
    python benchmarks/crossref_check.py --sizes 20000
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _corpus():
    spec = importlib.util.spec_from_file_location("mk", ROOT / "tests" / "fixtures" / "check" / "make_clean_corpus.py")
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    return mk.corpus


def run(argv: list[str], env: dict) -> tuple[float, float, int]:
    """Wall and CPU seconds of a child process, and its exit code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done.returncode


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="20000,50000,100000", help="entry counts (default 20000,50000,100000)")
    ap.add_argument("--repeat", type=int, default=2, help="runs per figure, best kept (default 2)")
    args = ap.parse_args(argv)
    corpus = _corpus()
    mscbib = str(Path(sys.executable).with_name("mscbib"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, HOME=tmp, XDG_CACHE_HOME=tmp, XDG_CONFIG_HOME=tmp, MSCBIB_CACHE=f"{tmp}/c.sqlite3")
        for n in (int(x) for x in args.sizes.split(",")):
            path = Path(tmp) / f"{n}.bib"
            path.write_text(corpus(n), encoding="utf-8")
            parse = [sys.executable, "-c", "import sys, bibtexparser; bibtexparser.parse_file(sys.argv[1])", str(path)]
            check = [mscbib, "check", "--offline", "--format", "json", str(path)]
            best = {}
            for name, cmd in (("parse", parse), ("check", check)):
                runs = [run(cmd, env) for _ in range(args.repeat)]
                best[name] = (min(r[0] for r in runs), min(r[1] for r in runs), runs[0][2])
            rows.append((n, path.stat().st_size, best))
            print(
                f"{n:7d} entries ({path.stat().st_size / 1e6:5.1f} MB): bare parse {best['parse'][1]:6.2f} s cpu "
                f"({best['parse'][0]:6.2f} wall); check --offline {best['check'][1]:6.2f} s cpu "
                f"({best['check'][0]:6.2f} wall, exit {best['check'][2]}); ratio {best['check'][1] / best['parse'][1]:.2f}x",
                flush=True,
            )
    ok = True
    first = rows[0]
    if first[0] == 20000:
        ratio = first[2]["check"][1] / first[2]["parse"][1]
        ok &= ratio <= 2
        print(
            f"  [{'ok' if ratio <= 2 else 'MISSED'}] check --offline of 20k entries within 2x a bare parse "
            f"(start-up included): {ratio:.2f}x"
        )
    if len(rows) > 1:
        per = [r[2]["check"][1] / r[0] * 1e6 for r in rows]  # CPU ms per 1,000 entries
        linear = max(per) <= 1.3 * min(per)
        ok &= linear
        print(
            f"  [{'ok' if linear else 'MISSED'}] linear: CPU ms per 1,000 entries "
            + ", ".join(f"{r[0] // 1000}k: {p:.0f}" for r, p in zip(rows, per))
            + " (within 1.3x of each other)"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
