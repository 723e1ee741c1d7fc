"""How fast is the tag stage (`mscbib.tags.apply_tags`), against another revision's, on the same records?

Issues 15 and 16 measured tagging as a hot spot of a large build. This times `apply_tags` (the topic vocabulary
matched against each entry's title, abstract and keywords, and each cited work) of this checkout and, side by
side in the same process, the `src/mscbib/tags/__init__.py` of a git revision (``--against REV``, default ``main``; read with
``git show``, loaded as a module beside this one: nothing is checked out), on:

* ``seeds``: the seed pages of the committed library (``seeds/``);
* ``corpus``: the synthetic documents of ``tests/corpus/``;
* ``pages``: the REAL page copies of ``../shared/real-pages/pages`` (skipped when absent);
* ``crossref``: a library of ``--clones`` clones of the REAL recorded works of ``../shared/crossref-samples``
  (their titles, abstracts and Crossref subjects), each with its deposited references as cited works: cited works
  repeat across a library as they do in a real one (skipped when absent);
* ``bib``: ``--entries`` SYNTHETIC entries of ``tests/fixtures/check/make_clean_corpus.py`` (as the 10 MB inputs
  of ``benchmarks/hostile_scaling.py``);
* ``hostile``: that script's SYNTHETIC ``hostile`` input of ``--mb`` MB (the shapes the fuzz run found slow), read.

Each set is tagged ``--repeat`` times by each code, alternating, each time on fresh copies of the records and a
freshly loaded vocabulary (as one build does); the least CPU time of each is printed with the ratio. The tags,
their reasons (``mscbib tags --explain``) and the ``keywords`` written are compared record by record: a speed-up
must not change one.

    python benchmarks/tags_speed.py [--against REV] [--clones N] [--entries N] [--mb MB] [--repeat N]
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path
from typing import Any, Callable

import mscbib
from mscbib import tags as current
from mscbib.model import Record
from mscbib.refs import record_from_reference
from mscbib.services.crossref.mapping import work_from_json
from mscbib.sources import read_file, read_text

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

#: one set: (record, its Crossref work or None) for each entry, and its cited works
Items = tuple[list[tuple[Record, Any]], list[Record]]


def module_at(rev: str) -> types.ModuleType:
    """``src/mscbib/tags/__init__.py`` of ``rev``, as a module of the ``mscbib.tags`` package (its relative imports
    resolve); a revision from before the folders showed the stages (issue 17) has it as ``tags.py`` at the top, whose
    relative imports name the modules where they were then."""
    package = "mscbib.tags"
    shown = subprocess.run(
        ["git", "show", f"{rev}:src/mscbib/tags/__init__.py"], cwd=ROOT, capture_output=True, text=True
    )
    if shown.returncode:
        package = "mscbib"
        shown = subprocess.run(
            ["git", "show", f"{rev}:src/mscbib/tags.py"], cwd=ROOT, capture_output=True, text=True, check=True
        )
    source = shown.stdout
    name = f"{package}._tags_at_{abs(hash(rev))}"
    spec = importlib.util.spec_from_loader(name, loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    module.__package__ = package
    module.__file__ = str(Path(mscbib.__file__).parent / f"tags@{rev}.py")
    sys.modules[name] = module
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module


def _read(paths: list[Path]) -> list[tuple[Record, Any]]:
    out: list[tuple[Record, Any]] = []
    for p in paths:
        out += [(r, None) for r in read_file(p).records]
    return out


def sets(clones: int, entries: int, mb: float) -> dict[str, Items]:
    out: dict[str, Items] = {
        "seeds": (_read(sorted((ROOT / "seeds").glob("*.txt"))), []),
        "corpus": (_read(sorted(p for p in (ROOT / "tests" / "corpus").iterdir() if p.suffix != ".json")), []),
    }
    pages = SHARED / "real-pages" / "pages"
    if pages.is_dir():
        out["pages"] = (_read(sorted(pages.glob("*.txt"))), [])
    samples = sorted((SHARED / "crossref-samples").glob("work-*.json"))
    if samples:
        items: list[tuple[Record, Any]] = []
        cited: list[Record] = []
        for i in range(clones):
            answer = json.loads(samples[i % len(samples)].read_text(encoding="utf-8"))
            work = work_from_json(answer.get("message", answer))
            items.append((work.record, work))
            cited += [record_from_reference(ref) for ref in work.references]
        out["crossref"] = (items, cited)
    spec = importlib.util.spec_from_file_location("mk", ROOT / "tests" / "fixtures" / "check" / "make_clean_corpus.py")
    assert spec is not None and spec.loader is not None
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    out["bib"] = ([(r, None) for r in read_text(mk.corpus(entries), "synthetic.bib", "bibtex").records], [])
    if mb:
        spec = importlib.util.spec_from_file_location("hs", ROOT / "benchmarks" / "hostile_scaling.py")
        assert spec is not None and spec.loader is not None
        hs = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(hs)
        with tempfile.TemporaryDirectory() as tmp:
            path = hs.make_input("hostile", mb, Path(tmp))
            out["hostile"] = ([(r, None) for r in read_file(path).records], [])
    return out


def fresh(record: Record) -> Record:
    """A copy of ``record`` that tagging it leaves the original as it was (tagging sets ``tags`` and replaces the
    ``keywords`` value; it changes nothing else)."""
    out = copy.copy(record)
    out.values = dict(record.values)
    out.tags = []
    return out


def tag_all(module: types.ModuleType, items: Items) -> tuple[float, list[Any]]:
    """CPU seconds of tagging fresh copies of ``items`` with ``module`` (vocabulary loaded off the clock), and
    what it made: each record's tags with their reasons, and its keywords."""
    entries = [(fresh(r), w) for r, w in items[0]]
    cited = [fresh(r) for r in items[1]]
    vocabulary = module.load_vocabulary()
    apply: Callable[..., list[str]] = module.apply_tags
    t = time.process_time()
    for record, work in entries:
        apply(record, vocabulary, work)
    for record in cited:
        apply(record, vocabulary)
    cpu = time.process_time() - t
    made = [(r.tags, r.get("keywords")) for r, _ in entries] + [(r.tags, r.get("keywords")) for r in cited]
    return cpu, made


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--against", default="main", help="git revision whose tags.py is timed beside (default main)")
    ap.add_argument("--clones", type=int, default=1000, help="recorded Crossref works cloned (default 1000)")
    ap.add_argument("--entries", type=int, default=20000, help="synthetic .bib entries (default 20000)")
    ap.add_argument("--mb", type=float, default=2.0, help="size of the hostile input, MB (default 2; 0: none)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each, alternating; the least CPU counts")
    args = ap.parse_args(argv)
    old = module_at(args.against)
    print(f"apply_tags: this checkout against {args.against} (CPU s, least of {args.repeat})")
    print(f"{'set':<10} {'entries':>8} {'cited':>8} {'this':>8} {args.against:>8} {'ratio':>7}  output")
    all_same = True
    for name, items in sets(args.clones, args.entries, args.mb).items():
        new_t, old_t = [], []
        new_made = old_made = None
        for _ in range(args.repeat):
            cpu, new_made = tag_all(current, items)
            new_t.append(cpu)
            cpu, old_made = tag_all(old, items)
            old_t.append(cpu)
        same = new_made == old_made
        all_same &= same
        n, o = min(new_t), min(old_t)
        print(
            f"{name:<10} {len(items[0]):>8} {len(items[1]):>8} {n:>8.3f} {o:>8.3f} {o / max(n, 1e-9):>6.2f}x  "
            f"{'identical' if same else 'DIFFERENT'}"
        )
    return 0 if all_same else 1


if __name__ == "__main__":
    sys.exit(main())
