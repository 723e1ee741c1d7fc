#!/usr/bin/env python3
"""Train the reference-string model (``src/mscbib/data/refmodel.crfsuite``) from the hand-labelled pack.

    .venv/bin/python scripts/train_refmodel.py [--pack ../shared/refstrings-train] [--out src/mscbib/data/refmodel.crfsuite]

Reproducible: the split (by source document, see :func:`mscbib.sources.refmodel_data.split_pack`) is fixed by
``--seed`` and crfsuite's L-BFGS training is deterministic. The model is trained on the training part only, so
``benchmarks/refstrings.py`` measures it on references it never saw. Prints token-level per-label figures on the
held-out part; the per-field figures (what a user sees) come from ``benchmarks/refstrings.py``.
The pack is read in place and never copied into the project.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import pycrfsuite  # noqa: E402

from mscbib.sources import refmodel  # noqa: E402
from mscbib.sources.refmodel import features  # noqa: E402
from mscbib.sources.refmodel_data import read_pack, split_pack  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pack", type=Path, default=ROOT.parent / "shared" / "refstrings-train")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "mscbib" / "data" / "refmodel.crfsuite")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--held-out", type=float, default=0.2)
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--c1", type=float, default=0.1)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--minfreq", type=float, default=0, help="crfsuite's feature.minfreq: drop rarer features")
    ap.add_argument(
        "--dev",
        type=float,
        default=0,
        help="tune: hold out this share of the TRAINING part (by document, seed + 1) and report on it; the test "
        "split stays unseen",
    )
    ap.add_argument("--verbose", action="store_true", help="crfsuite's progress, iteration by iteration")
    ap.add_argument("--no-window2", action="store_true", help="ablation: without the words two tokens away")
    ap.add_argument("--no-suffix", action="store_true", help="ablation: without the three-letter suffix")
    ap.add_argument(
        "--citations-weight",
        type=float,
        default=1.0,
        help="share of grobid/citations.xml's entries kept (the pack README: partly generated)",
    )
    args = ap.parse_args(argv)
    if not args.pack.is_dir():
        print(f"no training pack at {args.pack}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    examples = read_pack(args.pack)
    train, test = split_pack(examples, args.held_out, args.seed)
    if args.dev:
        train, test = split_pack(train, args.dev, args.seed + 1)
        print(f"tuning: the figures below are on {len(test)} references of the training part, not the test split")
    # the module's switches: a model trained without a feature needs them set so when it is used
    refmodel.WINDOW2, refmodel.SUFFIX = not args.no_window2, not args.no_suffix
    if args.citations_weight < 1:  # keep every n-th entry of the regular, partly generated file
        step = round(1 / args.citations_weight)
        kept, n = [], 0
        for ex in train:
            if ex.file == "grobid/citations.xml":
                n += 1
                if n % step:
                    continue
            kept.append(ex)
        train = kept
    print(
        f"pack: {len(examples)} references; train {len(train)}, held out {len(test)} "
        f"({len({e.doc for e in train})} / {len({e.doc for e in test})} documents)"
    )
    trainer = pycrfsuite.Trainer(verbose=args.verbose)
    for ex in train:
        trainer.append(features(ex.tokens), ex.labels)
    trainer.set_params(
        {
            "c1": args.c1,
            "c2": args.c2,
            "max_iterations": args.iterations,
            "feature.possible_transitions": True,
            "feature.minfreq": args.minfreq,
        }
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(args.out))
    print(f"trained in {time.perf_counter() - t0:.0f} s: {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")

    tagger = pycrfsuite.Tagger()
    tagger.open(str(args.out))
    tp, fp, fn, confused = Counter(), Counter(), Counter(), Counter()
    for ex in test:
        pred = tagger.tag(features(ex.tokens))
        for g, p in zip(ex.labels, pred):
            if g == p:
                tp[g] += 1
            else:
                fp[p] += 1
                fn[g] += 1
                confused[g, p] += 1
    total = sum(tp.values()) + sum(fn.values())
    c0 = time.process_time()
    for ex in test:
        tagger.tag(features(ex.tokens))
    cpu = time.process_time() - c0
    print(
        f"held-out token accuracy {sum(tp.values()) / total:.3f}; features and tagging {len(test) / cpu:,.0f} refs/CPU-s"
    )
    print(f"{'label':12} {'prec':>6} {'recall':>6} {'F1':>6} {'tokens':>7}")
    for lab in sorted(set(tp) | set(fn), key=lambda x: -(tp[x] + fn[x])):
        p = tp[lab] / (tp[lab] + fp[lab]) if tp[lab] + fp[lab] else 0
        r = tp[lab] / (tp[lab] + fn[lab]) if tp[lab] + fn[lab] else 0
        f1 = 2 * p * r / (p + r) if p + r else 0
        print(f"{lab:12} {p:6.3f} {r:6.3f} {f1:6.3f} {tp[lab] + fn[lab]:7d}")
    print("most frequent confusions (hand label -> model's label: tokens)")
    for (g, p), k in confused.most_common(15):
        print(f"  {g:>10} -> {p:10} {k:6d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
