#!/usr/bin/env python3
"""Per-field extraction accuracy over the corpus (tests/corpus/): how many expected values were read
exactly, and how many values were *invented* (extracted where the document states none).

    python benchmarks/extract_accuracy.py [CORPUS_DIR] [-v] [--general]

``--general``: only the page documents (PubMed, catalog, landing, general), read with the site readers switched
off — what the general page reader alone makes of them (targets are not enforced then; the format check is off).

Targets (issue 3): doi, title, year, volume, pages, journal >= 98% exact; authors >= 95%; 0 invented.
Exits 1 when a target is missed.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from mscbib.testing.corpus import CORE_FIELDS, compare_document, load_corpus

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {
    "doi": 98.0,
    "title": 98.0,
    "year": 98.0,
    "volume": 98.0,
    "pages": 98.0,
    "journal": 98.0,
    "journal_abbrev": 98.0,
    "authors": 95.0,
}


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    general = "--general" in argv
    args = [a for a in argv if a not in ("-v", "--general")]
    folder = Path(args[0]) if args else ROOT / "tests" / "corpus"
    docs = load_corpus(folder)
    if general:
        return _general(docs, verbose)
    stated = defaultdict(int)  # expected value present
    exact = defaultdict(int)
    invented = defaultdict(int)  # expected null, something extracted
    problems = []
    records = 0
    for doc in docs:
        cmp = compare_document(doc)
        problems += [f"{doc.name}: {p}" for p in cmp.problems]
        records += len(doc.expected.get("records", []))
        for i, name, want, got in cmp.checks:
            if want is None:
                if got is not None and name != "authors_complete":
                    invented[name] += 1
                    if verbose:
                        print(f"  invented  {doc.name}#{i} {name}: {got!r}")
                continue
            stated[name] += 1
            if want == got:
                exact[name] += 1
            elif verbose:
                print(f"  mismatch  {doc.name}#{i} {name}: expected {want!r}, got {got!r}")
    print(f"corpus: {len(docs)} documents, {records} records ({folder})")
    print(f"{'field':<16}{'stated':>8}{'exact':>8}{'accuracy':>10}{'invented':>10}{'target':>9}")
    missed = []
    names = list(CORE_FIELDS) + sorted(n for n in stated if n not in CORE_FIELDS)
    for name in names:
        n = stated[name]
        acc = 100.0 * exact[name] / n if n else 100.0
        target = TARGETS.get(name)
        flag = ""
        if target is not None and acc < target:
            flag = "  MISSED"
            missed.append(name)
        if invented[name]:
            flag += "  INVENTED"
            missed.append(name)
        print(
            f"{name:<16}{n:>8}{exact[name]:>8}{acc:>9.1f}%{invented[name]:>10}"
            f"{(f'{target:.0f}%' if target else '-'):>9}{flag}"
        )
    for p in problems:
        print("problem:", p)
    print("all targets met" if not missed and not problems else f"targets missed: {', '.join(sorted(set(missed)))}")
    return 1 if missed or problems else 0


def _general(docs, verbose: bool) -> int:
    """The page documents read by the general reader alone: per field exact/stated and invented."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from real_pages import general_only  # noqa: PLC0415  (the one switch, shared with the real-pages score)

    from mscbib.sources import PAGE_READERS

    docs = [d for d in docs if d.expected.get("format") in PAGE_READERS | {"page"}]
    stated, exact, invented = defaultdict(int), defaultdict(int), defaultdict(int)
    with general_only():
        for doc in docs:
            for i, name, want, got in compare_document(doc).checks:
                if name not in CORE_FIELDS or name == "authors_complete":
                    continue
                if want is None:
                    invented[name] += got is not None
                    if got is not None and verbose:
                        print(f"  invented  {doc.name}#{i} {name}: {got!r}")
                    continue
                stated[name] += 1
                exact[name] += want == got
                if want != got and verbose:
                    print(f"  mismatch  {doc.name}#{i} {name}: expected {want!r}, got {got!r}")
    print(f"corpus, general page reader alone (site readers off): {len(docs)} page documents")
    print(f"{'field':<16}{'stated':>8}{'exact':>8}{'accuracy':>10}{'invented':>10}")
    for name in CORE_FIELDS:
        if name == "authors_complete":
            continue
        n = stated[name]
        print(f"{name:<16}{n:>8}{exact[name]:>8}{100.0 * exact[name] / n if n else 100.0:>9.1f}%{invented[name]:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
