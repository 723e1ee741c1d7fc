#!/usr/bin/env python3
"""Time the reference parser's own steps around the model, apart from the model: the label-to-field step
(:func:`~mscbib.sources.refstring.fields_from_labels`) and the pre/post steps of ``parse()`` (cleaning, the
not-a-work test, identifiers), this checkout's against another revision's, in one process.

    .venv/bin/python benchmarks/refstring_fields.py --against REV_OR_FILE [--rounds 8]

The held-out strings of ``benchmarks/refstrings.py`` (the same split) are cleaned and tagged once by this
checkout's model; each side then makes fields of copies of the same ``Tagged`` objects, so the model's time does
not blur the figures. The other side is only ``src/mscbib/sources/refstring.py`` of ``REV`` (``git show``) or the
file given, loaded beside this checkout's package (the helpers it imports are this checkout's), so a revision
whose module needs other helpers cannot be compared this way. The two take turns on chunks of 200 strings (ABBA
order) and each turn's CPU time is added up: both sides see the same load on a shared machine. Before timing, the
two sides' citations are compared on every string (``repr``); the exit status is 1 when any differs.
"""

from __future__ import annotations

import argparse
import importlib.util
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mscbib.sources import refmodel  # noqa: E402
from mscbib.sources import refstring as this  # noqa: E402
from mscbib.sources.refmodel_data import read_pack, split_pack  # noqa: E402


def _other_module(against: str, tmp: Path):
    """The other side's refstring module, loaded as ``mscbib.sources._refstring_other``."""
    path = Path(against)
    if not path.is_file():
        path = tmp / "refstring.py"
        path.write_bytes(
            subprocess.run(
                ["git", "-C", str(ROOT), "show", f"{against}:src/mscbib/sources/refstring.py"],
                capture_output=True,
                check=True,
            ).stdout
        )
    spec = importlib.util.spec_from_file_location("mscbib.sources._refstring_other", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # (dataclasses look their module up)
    spec.loader.exec_module(module)
    return module


def _fields(module, tagged: list) -> float:
    f = module.fields_from_labels
    c0 = time.process_time()
    for t in tagged:
        f(t)
    return time.process_time() - c0


def _around(module, texts: list[str]) -> float:
    """CPU time of parse()'s steps around the model and the label-to-field step, for ``texts``."""
    c0 = time.process_time()
    for raw in texts:
        text = module._clean(raw)
        if text:
            module._search(module._NOT_A_WORK, module._NOT_A_WORK_WORDS, text, module._folded(text))
            module._identifiers(text[: refmodel.MAX_CHARS])
    return time.process_time() - c0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--against", required=True, help="a git revision, or another refstring.py")
    ap.add_argument("--pack", type=Path, default=ROOT.parent / "shared" / "refstrings-train")
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--chunk", type=int, default=200)
    args = ap.parse_args(argv)
    if not args.pack.is_dir():
        print(f"no training pack at {args.pack}: nothing to time", file=sys.stderr)
        return 0
    texts = [ex.text for ex in split_pack(read_pack(args.pack), 0.2, 14)[1] if this._clean(ex.text)]
    tagged = [refmodel.tag(this._clean(x)) for x in texts]
    frozen = pickle.dumps(tagged)  # each side repairs the labels in place: fresh copies for every pass
    with tempfile.TemporaryDirectory() as tmp_name:
        other = _other_module(args.against, Path(tmp_name))
    sides = {args.against: other, "this checkout": this}
    a, b = pickle.loads(frozen), pickle.loads(frozen)
    differ = sum(repr(other.fields_from_labels(x)) != repr(this.fields_from_labels(y)) for x, y in zip(a, b))
    print(f"{len(tagged) - differ:,} of {len(tagged):,} held-out strings give the same fields as {args.against}")
    cpu = {name: [0.0, 0.0] for name in sides}
    names = list(sides)
    for r in range(args.rounds):
        copies = {name: pickle.loads(frozen) for name in names}
        for k, s in enumerate(range(0, len(tagged), args.chunk)):
            for name in names if (r + k) % 2 == 0 else names[::-1]:
                cpu[name][0] += _fields(sides[name], copies[name][s : s + args.chunk])
                cpu[name][1] += _around(sides[name], texts[s : s + args.chunk])
    n = len(tagged) * args.rounds
    print(f"CPU µs per reference, {args.rounds} rounds over {len(tagged):,} held-out strings, in turns:")
    for i, what in enumerate(("fields_from_labels", "cleaning, not-a-work test, identifiers")):
        o, w = (cpu[name][i] / n * 1e6 for name in names)
        print(f"  {what:40} {args.against}: {o:6.1f}   this checkout: {w:6.1f}   ratio {o / w:.3f}x")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
