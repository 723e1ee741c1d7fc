#!/usr/bin/env python3
"""Score the reference-string parser per field on the held-out part of the training pack, and its speed.

    .venv/bin/python benchmarks/refstrings.py [--pack ../shared/refstrings-train] [--show FIELD]

The held-out part is the one ``scripts/train_refmodel.py`` kept out of training (same split: by source document,
after deduplication, fixed seed). For each reference the expected fields are what the hand labels give, turned
into fields by the same code as the parser's own labels (:func:`mscbib.sources.refstring.fields_from_labels`), and
compared with what :func:`mscbib.sources.refstring.parse` gives from the bare string, after folding case,
accents and punctuation. So a figure measures the labelling and its cleaning, not the person splitter (the pack
labels a whole author list at once): names are compared as the list of family names the splitter gives.

``correct`` is the share of the references whose labels give the field that get it exactly; ``spurious`` is the
share of the parser's values for a field that the labels do not give at all; ``not in text`` counts values that
are not a piece of the printed string (invented). Speed is references per second on one core, whole parse
(CPU time of this process), of :func:`~mscbib.sources.refstring.parse_many` over all the held-out strings (the
batch path: reference lists, Crossref's references) and of :func:`~mscbib.sources.refstring.parse` of each
(the single path: the page readers); the figures of the fields are the batch path's (the two give the same).

``--baseline REV`` also times the parser of another revision (``git archive REV src/mscbib``, model file included)
side by side with this checkout's: each side parses the same held-out strings in a fresh process, by both paths,
each a first pass (cold caches) and a second (warm); the two sides alternate ``--rounds`` times, and the best
round of each is printed with the ratios and the load average. The machine is shared,
so only figures measured side by side are compared.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _revision import revision_src  # benchmarks/_revision.py: another revision's src/, side by side

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mscbib.sources.refmodel_data import FIELDS, read_pack, score, split_pack  # noqa: E402
from mscbib.sources.refstring import parse, parse_many  # noqa: E402

_TIMER = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from mscbib.sources import refstring
texts = json.load(open(sys.argv[2], encoding="utf-8"))
# the batch path: parse_many where the side has it, else what its reference-list reader did (parse one by one)
many = getattr(refstring, "parse_many", None) or (lambda ts: [refstring.parse(t) for t in ts])
one = refstring.parse
one(texts[0]), many(texts[:8])  # load the model (both paths)
out = {}
for name, run in (("batch", lambda: many(texts)), ("single", lambda: [one(t) for t in texts])):
    cpu = []
    for _ in range(2):  # the first pass with cold caches, the second warm
        c0 = time.process_time()
        run()
        cpu.append(time.process_time() - c0)
    out[name] = cpu
    if name == "batch":  # the single path starts cold too: the token caches emptied
        from mscbib.sources import refmodel
        for cached in vars(refmodel).values():  # every per-token-text cache (_word_features, what it is made of)
            if hasattr(cached, "cache_clear") and not isinstance(cached, type):
                cached.cache_clear()
        for s in getattr(refmodel, "_scorers", {}).values():
            s.tokens._index.clear()
print(json.dumps(out))
"""

_PATHS = ("batch", "single")


def _time_parser(src: Path, texts_file: Path) -> dict[str, list[float]]:
    """CPU seconds the parser under ``src`` takes on the strings in ``texts_file``, in a fresh process: for each
    path (``batch``: ``parse_many`` of all; ``single``: ``parse`` of each), a cold pass and a warm one."""
    out = subprocess.run(
        [sys.executable, "-c", _TIMER, str(src), str(texts_file)],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "0", "PATH": "/usr/bin:/bin"},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _load() -> str:
    return "load average %.2f %.2f %.2f" % os.getloadavg()


def side_by_side(texts: list[str], baseline: str, rounds: int) -> None:
    """Time this checkout's parser and ``baseline``'s on ``texts``, alternating, and print both and the ratios."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        base = revision_src(baseline, tmp / "base")
        texts_file = tmp / "texts.json"
        texts_file.write_text(json.dumps(texts), encoding="utf-8")
        sides = {baseline: base, "this checkout": ROOT / "src"}
        best = {name: {p: [float("inf")] * 2 for p in _PATHS} for name in sides}
        before = _load()
        for _ in range(rounds):
            for name, src in sides.items():
                got = _time_parser(src, texts_file)
                for p in _PATHS:
                    best[name][p] = [min(a, b) for a, b in zip(best[name][p], got[p])]
    n = len(texts)
    print(
        f"side by side, best of {rounds} alternating rounds, fresh process each ({before} before, {_load()} after;"
        " 2 cores shared): references per CPU second"
    )
    print(f"  {'':15} {'batch cold':>11} {'batch warm':>11} {'single cold':>12} {'single warm':>12}")
    for name, cpu in best.items():
        cells = [f"{n / t:{w},.0f}" for p, w in zip(_PATHS, (11, 12)) for t in cpu[p]]
        print(f"  {name:15} " + " ".join(cells))
    ratios = [f"{best[baseline][p][i] / best['this checkout'][p][i]:.2f}x" for p in _PATHS for i in (0, 1)]
    print(f"  {'ratio':15} {ratios[0]:>11} {ratios[1]:>11} {ratios[2]:>12} {ratios[3]:>12}")
    print(
        "  (batch: parse_many of all the held-out strings, as reference lists and Crossref's references are parsed;"
        " the baseline's parse one by one where it has no parse_many. single: parse of each, as the page readers)"
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pack", type=Path, default=ROOT.parent / "shared" / "refstrings-train")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--held-out", type=float, default=0.2)
    ap.add_argument("--show", help="print up to 15 misses of this field")
    ap.add_argument("--limit", type=int, default=0, help="score only the first N held-out references")
    ap.add_argument("--baseline", help="a git revision whose parser to time side by side with this checkout's")
    ap.add_argument("--rounds", type=int, default=3, help="alternating timing rounds for --baseline")
    args = ap.parse_args(argv)
    if not args.pack.is_dir():
        print(f"no training pack at {args.pack}: nothing to measure", file=sys.stderr)
        return 0
    _, test = split_pack(read_pack(args.pack), args.held_out, args.seed)
    if args.limit:
        test = test[: args.limit]
    texts = [ex.text for ex in test]
    parse(texts[0]), parse_many(texts[:8])  # load the model (both paths)
    t0, c0 = time.perf_counter(), time.process_time()
    parsed = parse_many(texts)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    c1 = time.process_time()
    single = [parse(t) for t in texts]
    cpu_single = time.process_time() - c1
    if [repr(c) for c in single] != [repr(c) for c in parsed]:
        print("parse_many and parse differ on these strings", file=sys.stderr)
        return 1
    s = score(test, parsed)
    if args.show:
        for ex, g, p in s.misses[args.show][:15]:
            print(f"  {ex.file}\n    {ex.text}\n    expected {g!r}\n    got      {p!r}")
    print(
        f"held-out: {len(test)} references from {len({e.doc for e in test})} documents "
        f"({s.biomedical} with a biomedical journal); a reference for {sum(1 for c in parsed if c.text)} "
        f"of {len(test)} strings"
    )
    print(f"{'field':13} {'correct':>8} {'of':>6} {'biomed':>7} {'of':>5} {'spurious':>9}")
    for f in FIELDS:
        sp = s.spurious[f] / s.produced[f] if s.produced[f] else 0.0
        print(f"{f:13} {s.rate(f):8.1%} {s.n[f]:6d} {s.rate(f, True):7.1%} {s.bio_n[f]:5d} {sp:9.1%}")
    total = sum(s.produced.values())
    print(f"values not in the printed string (invented): {s.invented} of {total} ({s.invented / max(total, 1):.2%})")
    print(
        f"speed: {len(texts) / cpu:,.0f} references per CPU second on one core, all at once (parse_many; {cpu:.2f} s"
        f" of CPU for {len(texts)}; {len(texts) / elapsed:,.0f}/s by the wall clock); one by one (parse, the"
        f" caches warm): {len(texts) / cpu_single:,.0f}/CPU-s; {_load()}, on a machine shared with others"
    )
    if args.baseline:
        side_by_side(texts, args.baseline, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
