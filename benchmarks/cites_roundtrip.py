"""Does a library keep its citations through every export format and back (issue 17, one Cites note)?

The library of the 56 REAL recorded Crossref works of ``../shared/crossref-samples`` (built against the local
Crossref stand-in serving those answers, as ``benchmarks/consumers.py`` does) and its cited works, plus the seeds'
``bib/library.bib`` and ``bib/cited.bib``: each read back from its ``.bib`` (what ``mscbib export`` starts from),
written as RIS, CSL-JSON, BibLaTeX and BibTeX for Zotero, and read again by mscbib's own reader of that format.
Counted per format: the entries read back, and those not read back but reported (a failure with its line), the
entries whose key comes back, the cite links (``cites``) and cited-by links kept, the noted
references kept (key, DOI, text), and the entries that gained an identifier (DOI, PMID, PMCID) on the way (a cited
work's, taken from the note). ``--against REV`` runs the same count, side by side, on the ``src/`` of a git revision
(exported with ``git archive`` into a temporary folder; nothing is checked out). Skips when shared/ is absent.

    python benchmarks/cites_roundtrip.py [--against REV]
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
SHARED = Path(os.environ.get("MSCBIB_SHARED", ROOT.parent / "shared"))
FORMATS = ("ris", "csljson", "biblatex", "zotero")
COLUMNS = (
    "entries",
    "read back",
    "not, said",
    "keys back",
    "cites",
    "cites kept",
    "cited-by",
    "cited-by kept",
    "noted",
    "noted kept",
    "ids gained",
)


def count() -> dict[str, dict[str, int]]:
    """The counts of the mscbib importable here (this checkout, or the revision's src/ on PYTHONPATH)."""
    from mscbib.pipeline.build import build
    from mscbib.refs import cited_entries
    from mscbib.services.crossref import Cache, CrossrefClient
    from mscbib.sources.bibtex import BibtexFile
    from mscbib.sources.csljson import CslJson
    from mscbib.sources.ris import RisFile
    from mscbib.testing.crossref_standin import CrossrefStandIn, load_works
    from mscbib.writers import render_as

    readers = {"ris": RisFile(), "csljson": CslJson(), "biblatex": BibtexFile(), "zotero": BibtexFile()}
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        works = [w for w in load_works(sorted((SHARED / "crossref-samples").glob("work-*.json"))) if w.get("DOI")]
        dois = tmp / "dois.txt"
        dois.write_text("\n".join(w["DOI"] for w in works) + "\n", encoding="utf-8")
        with CrossrefStandIn(works) as server:
            client = CrossrefClient(server.url, "benchmark@example.org", Cache(tmp / "cache.sqlite3"))
            result = build([str(dois)], str(tmp / "library.bib"), client)
        texts = [render_as(result.records, "bibtex"), render_as(cited_entries(result.records, result.cited), "bibtex")]
    texts += [(ROOT / "bib" / name).read_text(encoding="utf-8") for name in ("library.bib", "cited.bib")]
    sets = [BibtexFile().read(text, f"{i}.bib").records for i, text in enumerate(texts)]  # each its own file
    out = {}
    for fmt in FORMATS:
        c = dict.fromkeys(COLUMNS, 0)
        for records in sets:
            read = readers[fmt].read(render_as(records, fmt), f"out.{fmt}")
            back = read.records
            c["read back"] += len(back)
            c["not, said"] += len(read.failures)
            by_key = {r.key: r for r in back if r.key}
            # without the key read back (an older reader), a record is found again by its DOI, else its title
            by_id = {r.doi or r.title: r for r in back if r.doi or r.title}
            for rec in records:
                again = by_key.get(rec.key) or by_id.get(rec.doi or rec.title)
                c["entries"] += 1
                c["keys back"] += rec.key in by_key
                c["cites"] += len(rec.cites)
                c["cited-by"] += len(rec.cited_by)
                noted = [(x.key, x.doi, x.text) for x in rec.references if x.key]
                c["noted"] += len(noted)
                if again is None:
                    continue
                c["cites kept"] += sum(1 for k in rec.cites if k in again.cites)
                c["cited-by kept"] += sum(1 for k in rec.cited_by if k in again.cited_by)
                kept = {(x.key, x.doi, x.text) for x in again.references}
                c["noted kept"] += sum(1 for n in noted if n in kept)
                c["ids gained"] += any(again.get(f) and not rec.get(f) for f in ("doi", "pmid", "pmcid"))
        out[fmt] = c
    return out


def counts_at(rev: str) -> dict[str, dict[str, int]]:
    """:func:`count` run on the ``src/`` of ``rev`` in a child process."""
    with tempfile.TemporaryDirectory() as t:
        env = dict(os.environ, PYTHONPATH=str(revision_src(rev, Path(t))))
        run = subprocess.run(
            [sys.executable, __file__, "--json"], env=env, capture_output=True, text=True, check=True, cwd=ROOT
        )
    return json.loads(run.stdout)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--against", metavar="REV", help="also count on this git revision's src/, side by side")
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # the child's answer
    args = ap.parse_args(argv)
    if not (SHARED / "crossref-samples").is_dir():
        print(f"skipped: {SHARED / 'crossref-samples'} is not there")
        return 0
    if args.json:
        print(json.dumps(count()))
        return 0
    runs = {"this": count()}
    if args.against:
        runs[args.against] = counts_at(args.against)
    print("the 56 recorded works' library and cited works, and the seeds', exported and read back")
    print(f"{'format':<9} {'code':<10} " + " ".join(f"{c:>{max(len(c), 6)}}" for c in COLUMNS))
    for fmt in FORMATS:
        for name, got in runs.items():
            print(f"{fmt:<9} {name:<10} " + " ".join(f"{got[fmt][c]:>{max(len(c), 6)}}" for c in COLUMNS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
