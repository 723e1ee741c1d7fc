#!/usr/bin/env python3
"""Does this checkout's reference-string parser give exactly what another checkout's gives, on every string of
the training pack? Run it before timing a change meant to make the parser faster, not different.

    .venv/bin/python benchmarks/refstrings_same.py --against REV_OR_DIR [--pack ../shared/refstrings-train]

``--against`` is a git revision (its ``src/mscbib`` is taken with ``git archive``, model file included) or the
folder of another checkout. Each side runs in a fresh process of its own and gives, for every reference of the
pack (all of it, 20,273 strings, duplicates included):

- ``parse``: the whole :class:`~mscbib.sources.refstring.Citation` that
  :func:`~mscbib.sources.refstring.parse` gives from the bare string (its ``repr``: every field, every person);
- ``labels``: what :func:`~mscbib.sources.refstring.fields_from_labels` makes of the hand labels, as the
  benchmark's expected values are made (no repairs, no confidence bar), and the same with the repairs;
- ``reflist``: for each pack file, what the reference-list reader (``mscbib extract --format references``) makes
  of its references, one per line: every record's values and printed text, and every failure.

The two sides' outputs are compared item by item; the first differences are printed, and the exit status is 1
when there is any. Nothing is timed here (``benchmarks/refstrings.py --baseline REV`` times the two).
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

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
out = {"parse": [], "labels": [], "reflist": []}
for text in pack["texts"]:
    out["parse"].append(repr(parse(text)))
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


def _side_src(against: str, tmp: Path) -> Path:
    """The ``src`` folder of the other side: a checkout's folder, or a revision unpacked into ``tmp``."""
    folder = Path(against)
    if folder.is_dir():
        return folder / "src" if (folder / "src" / "mscbib").is_dir() else folder
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", against, "src/mscbib"], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(tmp / "other", filter="data")
    return tmp / "other" / "src"


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
    args = ap.parse_args(argv)
    if not args.pack.is_dir():
        print(f"no training pack at {args.pack}: nothing to compare", file=sys.stderr)
        return 0
    examples = read_pack(args.pack)
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
    if args.limit:
        pack = {kind: items[: args.limit] for kind, items in pack.items()}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        pack_file = tmp / "pack.json"
        pack_file.write_text(json.dumps(pack), encoding="utf-8")
        other = _run(_side_src(args.against, tmp), pack_file, tmp / "other.json")
        this = _run(ROOT / "src", pack_file, tmp / "this.json")
    differ = 0
    for kind, what in (
        ("parse", "strings parsed"),
        ("labels", "hand-labelled strings made into fields"),
        ("reflist", "pack files read as reference lists"),
    ):
        pairs = list(zip(other[kind], this[kind], strict=True))
        bad = [i for i, (a, b) in enumerate(pairs) if a != b]
        differ += len(bad)
        print(f"{kind:8} {len(pairs) - len(bad):6,} of {len(pairs):6,} {what} give the same as {args.against}")
        for i in bad[: args.show]:
            print(f"  #{i}:\n    {args.against}: {str(pairs[i][0])[:600]}\n    this checkout: {str(pairs[i][1])[:600]}")
    print("identical" if not differ else f"{differ} differences")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
