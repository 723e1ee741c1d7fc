#!/usr/bin/env python3
"""Does this checkout's reference-string parser give exactly what another checkout's gives, on every string of
the training pack? Run it before timing a change meant to make the parser faster, not different.

    .venv/bin/python benchmarks/refstrings_same.py --against REV_OR_DIR [--pack ../shared/refstrings-train]

``--against`` is a git revision (its ``src/mscbib`` is taken with ``git archive``, model file included) or the
folder of another checkout. Each side runs in a fresh process of its own and gives, for every reference of the
pack (all of it, 20,273 strings, duplicates included):

- ``parse``: the whole :class:`~mscbib.sources.refstring.Citation` that
  :func:`~mscbib.sources.refstring.parse` gives from the bare string (its ``repr``: every field, every person);
- ``batch-vs-parse``: the same from :func:`~mscbib.sources.refstring.parse_many` over all the strings at once
  (where this checkout has it), against the other side's ``parse``;
- ``tags``: the labels and confidences (every bit of each float) :func:`~mscbib.sources.refmodel.tag_many` gives
  for all the strings at once;
- ``labels``: what :func:`~mscbib.sources.refstring.fields_from_labels` makes of the hand labels, as the
  benchmark's expected values are made (no repairs, no confidence bar), and the same with the repairs;
- ``reflist``: for each pack file, what the reference-list reader (``mscbib extract --format references``) makes
  of its references, one per line: every record's values and printed text, and every failure.

The two sides' outputs are compared item by item; the first differences are printed, and the exit status is 1
when there is any.

``--time`` then times the two on the held-out strings of ``benchmarks/refstrings.py`` (the same split), in
lockstep: both sides' processes are started and load their model, and they take turns on chunks of ``--chunk``
strings (ABBA order), each measuring its own CPU time; a first pass over all strings (the caches cold, as the
benchmark measures) and a second (warm). On a machine shared with other work the load changes within seconds, so
fresh processes timed one after the other differ by 15 % even for the same code (measured: the same revision
against itself, best of 4 alternating rounds of ``--baseline``: 1.16x); turns of a fraction of a second put both
sides under the same load (the same revision against itself: 0.98-1.01x). ``--batch`` parses each turn's strings
at once (``parse_many``, where a side has it: a side without it parses them one by one), as reference lists are.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from _revision import revision_src  # benchmarks/_revision.py: another revision's src/, side by side

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mscbib.sources.refmodel_data import read_pack  # noqa: E402

# run in a fresh process with one side's sources first on the path: argv = src, input json, output json
_WORKER = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from mscbib.sources import refmodel
from mscbib.sources.refstring import fields_from_labels, parse
from mscbib.sources.reflist import ReferenceList

pack = json.load(open(sys.argv[2], encoding="utf-8"))
try:
    from mscbib.sources.refstring import parse_many
except ImportError:  # a side without the batch parser
    parse_many = None
out = {"parse": [], "labels": [], "reflist": []}
for text in pack["texts"]:
    out["parse"].append(repr(parse(text)))
out["batch"] = [repr(c) for c in parse_many(pack["texts"])] if parse_many else out["parse"]
# the batch tagger's labels and confidences, to the last bit (a side without it: crfsuite's, one by one)
tag_many = getattr(refmodel, "tag_many", None) or (lambda ts: [refmodel.tag(t) for t in ts])
out["tags"] = [[t.labels, [c.hex() for c in t.confidence]] for t in tag_many(pack["texts"])]
for text, spans, tokens, labels in pack["labelled"]:
    row = []
    for repair in (False, True):
        tagged = refmodel.Tagged(
            text=text, spans=[tuple(s) for s in spans], tokens=tokens, labels=list(labels),
            confidence=[1.0] * len(labels),
        )
        row.append(repr(fields_from_labels(tagged, min_conf=0.0, repair=repair)))
    out["labels"].append(row)
reader = ReferenceList()
for name, lines in pack["files"]:
    result = reader.read("\n".join(lines), name)
    out["reflist"].append(
        [repr((r.printed, sorted((k, repr(v.value), repr(v.source)) for k, v in r.values.items())))
         for r in result.records]
        + [repr(f) for f in result.failures]
    )
json.dump(out, open(sys.argv[3], "w", encoding="utf-8"))
"""


# one side's timer: parses the chunks of strings it is sent and answers with the CPU time each took
_TIMER = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from mscbib.sources import refstring
texts = json.load(open(sys.argv[2], encoding="utf-8"))
parse = refstring.parse
# --batch: each chunk parsed at once where the side can (parse_many), else one by one
many = getattr(refstring, "parse_many", None) if sys.argv[3] == "batch" else None
parse(texts[0]), many and many(texts[:8])  # load the model
print("ready", flush=True)
for line in sys.stdin:
    a, b = map(int, line.split())
    c0 = time.process_time()
    if many:
        many(texts[a:b])
    else:
        for t in texts[a:b]:
            parse(t)
    print(time.process_time() - c0, flush=True)
"""


def lockstep(
    sides: dict[str, Path], texts: list[str], chunk: int, tmp: Path, batch: bool = False
) -> dict[str, list[float]]:
    """CPU seconds each side's parser takes for ``texts``: [cold pass, warm pass], the sides taking turns."""
    texts_file = tmp / "texts.json"
    texts_file.write_text(json.dumps(texts), encoding="utf-8")
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-c", _TIMER, str(src), str(texts_file), "batch" if batch else "single"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={"PYTHONHASHSEED": "0", "PATH": "/usr/bin:/bin"},
        )
        for name, src in sides.items()
    }
    try:
        for proc in procs.values():
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        cpu = {name: [0.0, 0.0] for name in procs}
        names = list(procs)
        for rnd in range(2):
            for k, a in enumerate(range(0, len(texts), chunk)):
                for name in names if k % 2 == 0 else names[::-1]:
                    proc = procs[name]
                    assert proc.stdin is not None and proc.stdout is not None
                    proc.stdin.write(f"{a} {min(a + chunk, len(texts))}\n")
                    proc.stdin.flush()
                    cpu[name][rnd] += float(proc.stdout.readline())
    finally:
        for proc in procs.values():
            if proc.stdin:
                proc.stdin.close()
            proc.wait()
    return cpu


def _time(this: Path, other: Path, against: str, pack: Path, chunk: int, tmp: Path, batch: bool = False) -> None:
    from mscbib.sources.refmodel_data import split_pack

    texts = [ex.text for ex in split_pack(read_pack(pack), 0.2, 14)[1]]
    cpu = lockstep({against: other, "this checkout": this}, texts, chunk, tmp, batch)
    n = len(texts)
    how = "each turn's strings parsed at once (parse_many, where a side has it)" if batch else "parse of each"
    print(
        f"timed in lockstep ({n:,} held-out strings, turns of {chunk}, {how}; CPU time of each side's own process;"
        f" load average {os.getloadavg()[0]:.2f}):"
    )
    for i, what in enumerate(("first pass (cold caches)", "second pass (warm)")):
        print(f"  {what}:")
        for name, t in cpu.items():
            print(f"    {name:15} {n / t[i]:8,.0f} references per CPU second ({t[i]:.2f} s)")
        print(f"    ratio: {cpu[against][i] / cpu['this checkout'][i]:.3f}x")


def _side_src(against: str, tmp: Path) -> Path:
    """The ``src`` folder of the other side: a checkout's folder, or a revision unpacked into ``tmp``."""
    folder = Path(against)
    if folder.is_dir():
        return folder / "src" if (folder / "src" / "mscbib").is_dir() else folder
    return revision_src(against, tmp / "other")


def _run(src: Path, pack_file: Path, out_file: Path) -> dict:
    subprocess.run(
        [sys.executable, "-c", _WORKER, str(src), str(pack_file), str(out_file)],
        check=True,
        env={"PYTHONHASHSEED": "0", "PATH": "/usr/bin:/bin"},
    )
    return json.loads(out_file.read_text(encoding="utf-8"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--against", required=True, help="a git revision, or the folder of another checkout")
    ap.add_argument("--pack", type=Path, default=ROOT.parent / "shared" / "refstrings-train")
    ap.add_argument("--show", type=int, default=5, help="print up to N differences of each kind")
    ap.add_argument("--limit", type=int, default=0, help="compare only the first N of each kind (a quick look)")
    ap.add_argument("--time", action="store_true", help="then time the two parsers in lockstep")
    ap.add_argument("--chunk", type=int, default=50, help="strings per turn for --time")
    ap.add_argument("--no-compare", action="store_true", help="with --time: time only")
    ap.add_argument("--batch", action="store_true", help="with --time: each turn's strings parsed at once (parse_many)")
    args = ap.parse_args(argv)
    if not args.pack.is_dir():
        print(f"no training pack at {args.pack}: nothing to compare", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        other_src = _side_src(args.against, tmp)
        status = 0 if args.no_compare else compare(other_src, args.against, args.pack, args.limit, args.show, tmp)
        if args.time:
            _time(ROOT / "src", other_src, args.against, args.pack, args.chunk, tmp, args.batch)
    return status


def compare(other_src: Path, against: str, pack_dir: Path, limit: int, show: int, tmp: Path) -> int:
    """Run both sides on the pack and print how many items give the same; 1 if any differs."""
    examples = read_pack(pack_dir)
    from mscbib.sources.refmodel import tokenize

    files: dict[str, list[str]] = {}
    for ex in examples:
        files.setdefault(ex.file, []).append(ex.text)
    pack: dict[str, list] = {
        "texts": [ex.text for ex in examples],
        "labelled": [
            (ex.text, [(s, e) for s, e, _ in tokenize(ex.text)], ex.tokens, ex.labels)
            for ex in examples
            if len(tokenize(ex.text)) == len(ex.labels)
        ],
        "files": sorted(files.items()),
    }
    if limit:
        pack = {kind: items[:limit] for kind, items in pack.items()}
    pack_file = tmp / "pack.json"
    pack_file.write_text(json.dumps(pack), encoding="utf-8")
    other = _run(other_src, pack_file, tmp / "other.json")
    this = _run(ROOT / "src", pack_file, tmp / "this.json")
    differ = 0
    this["batch-vs-parse"], other["batch-vs-parse"] = this["batch"], other["parse"]
    for kind, what in (
        ("parse", "strings parsed"),
        ("batch-vs-parse", "strings parsed all at once (parse_many, against its parse)"),
        ("tags", "strings tagged all at once (tag_many: labels, confidences to the last bit)"),
        ("labels", "hand-labelled strings made into fields"),
        ("reflist", "pack files read as reference lists"),
    ):
        pairs = list(zip(other[kind], this[kind], strict=True))
        bad = [i for i, (a, b) in enumerate(pairs) if a != b]
        differ += len(bad)
        print(f"{kind:14} {len(pairs) - len(bad):6,} of {len(pairs):6,} {what} give the same as {against}")
        for i in bad[:show]:
            print(f"  #{i}:\n    {against}: {str(pairs[i][0])[:600]}\n    this checkout: {str(pairs[i][1])[:600]}")
    print("identical" if not differ else f"{differ} differences")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
