"""What the real consumers receive from a library built from the 56 recorded Crossref works and the seeds.

``mscbib build`` of the DOIs of ``../shared/crossref-samples/work-*.json`` against the local Crossref stand-in
serving those recorded answers, plus ``mscbib build --offline`` of ``seeds/``; the written files are then run
through Zotero's own BibTeX import (``../shared/zotero-import``, under Node) and ``biber --tool
--validate-datamodel``, and the figures printed: what Zotero stores, loses or keeps with TeX/HTML in it, the
creators named "others"/"et al.", and biber's warnings by kind. Nothing of shared/ is copied: the script
skips when it is absent.

    python benchmarks/consumers.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mscbib.pipeline.build import build
from mscbib.refs import cited_entries
from mscbib.services.crossref import Cache, CrossrefClient
from mscbib.sources.bibtex import BibtexFile
from mscbib.testing.crossref_standin import CrossrefStandIn, load_works
from mscbib.writers import render_as

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MSCBIB_SHARED", ROOT.parent / "shared"))
IMPORTER = SHARED / "zotero-import" / "zotero-bibtex-import.js"
#: TeX left in a Zotero field: a control word, or braces
TEX_LEFT = re.compile(r"\\[A-Za-z]+|[{}]|\$")
#: HTML left in a Zotero field (Zotero's rich-text subset for titles excepted: it displays those)
HTML_LEFT = re.compile(r"&[a-z]+;|&#\d+;|<(?!/?(?:i|b|sup|sub|span)\b)[a-z/][^>]*>")


def built(tmp: Path) -> tuple[list, list]:
    """(library records, cited records) of the 56 works (online build against the stand-in) and the seeds."""
    works = [w for w in load_works(sorted((SHARED / "crossref-samples").glob("work-*.json"))) if w.get("DOI")]
    dois = tmp / "dois.txt"
    dois.write_text("\n".join(w["DOI"] for w in works) + "\n", encoding="utf-8")
    records, cited = [], []
    with CrossrefStandIn(works) as server:
        client = CrossrefClient(server.url, "benchmark@example.org", Cache(tmp / "cache.sqlite3"))
        result = build([str(dois)], str(tmp / "works" / "library.bib"), client)
        records += result.records
        cited += cited_entries(result.records, result.cited)
    return records, cited


def zotero(path: Path) -> dict:
    """Zotero's import of ``path`` (the JSON the shim prints; written to a file: Node cuts a long answer
    written to a pipe short when it exits)."""
    out = path.with_name(path.name + ".zotero.json")
    with out.open("w", encoding="utf-8") as fh:
        subprocess.run(
            ["node", str(IMPORTER), str(path)], stdout=fh, stderr=subprocess.DEVNULL, timeout=600, check=True
        )
    return json.loads(out.read_text(encoding="utf-8"))


def report_zotero(name: str, path: Path) -> dict[str, int]:
    data = zotero(path)
    items = data["items"]
    counts: collections.Counter[str] = collections.Counter()
    for it in items:
        saved = it["saved"]
        for f, v in saved.items():
            if not isinstance(v, str) or f in ("url", "DOI"):
                continue
            if TEX_LEFT.search(v):
                counts[f"TeX left in {f}"] += 1
            if HTML_LEFT.search(v):
                counts[f"HTML left in {f}"] += 1
        for c in saved.get("creators", []):
            if (c.get("name") or c.get("lastName") or "").strip().lower() in ("others", "et al.", "et al"):
                counts["creator 'others'/'et al.'"] += 1
        for f in it["lost"]["ignoredByTranslator"]:
            name_ = f if isinstance(f, str) else f.get("field", str(f))
            if name_ != "citekey":
                counts[f"lost (ignored by the translator): {name_}"] += 1
        for f in it["lost"]["onSave"] + it["lost"]["overwritten"]:
            kind, name_ = (f.get("kind"), f.get("field")) if isinstance(f, dict) else ("lost", str(f))
            if kind in ("note", "mangled", "fromExtra"):  # ISBN re-hyphenation (not emulated); TeX: counted above;
                # an Extra line Zotero moves into its field is kept
                continue
            counts[f"{'moved to Extra' if kind == 'toExtra' else 'lost (' + str(kind) + ')'}: {name_}"] += 1
    print(
        f"  Zotero import of {name}: {data['entriesIn']} entries, {data['itemsOut']} items, "
        f"{len(data.get('notImported') or [])} not imported, {len(data['errors'])} errors"
    )
    for what, n in sorted(counts.items()):
        print(f"    {n:4d} x {what}")
    if not counts:
        print("       nothing lost but the key, no TeX/HTML left, no creator 'others'")
    return dict(counts)


def report_biber(path: Path) -> dict[str, int]:
    out = subprocess.run(
        ["biber", "--tool", "--validate-datamodel", "--output-file", str(path) + ".checked", str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=path.parent,
    )
    kinds: collections.Counter[str] = collections.Counter()
    for line in out.stdout.splitlines():
        if line.startswith(("WARN", "ERROR")):
            msg = re.sub(r"Entry '[^']*' \([^)]*\): ", "", line.split("Datamodel: ")[-1])
            kinds[re.sub(r"'[^']*'$", "'…'", msg)[:90]] += 1
    print(f"  biber --validate-datamodel on {path.name}: {sum(kinds.values())} warnings")
    for what, n in kinds.most_common():
        print(f"    {n:4d} x {what}")
    return dict(kinds)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keep", help="write the files into this directory (kept)")
    args = ap.parse_args(argv)
    if not (SHARED / "crossref-samples").is_dir():
        print(f"skipped: {SHARED / 'crossref-samples'} is not there")
        return 0
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(args.keep or t)
        tmp.mkdir(parents=True, exist_ok=True)
        records, cited = built(tmp)
        print(f"{len(records)} library entries from the recorded works, {len(cited)} cited entries")
        files = {"library.bib": render_as(records, "bibtex"), "cited.bib": render_as(cited, "bibtex")}
        # what `mscbib export --to biblatex` writes: the library as read back from library.bib
        files["library-biblatex.bib"] = render_as(
            BibtexFile().read(files["library.bib"], "library.bib").records, "biblatex"
        )
        for seeds_name in ("library.bib", "cited.bib"):  # the seeds, as `mscbib build --offline` made them
            files["seeds-" + seeds_name] = (ROOT / "bib" / seeds_name).read_text(encoding="utf-8")
        # what `mscbib export --to zotero` writes from each: the .bib meant for Zotero's import
        for name in list(files):
            if name != "library-biblatex.bib":
                read = BibtexFile().read(files[name], name).records
                files[name.replace(".bib", "-zotero.bib")] = render_as(read, "zotero")
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")
        if shutil.which("node") and IMPORTER.exists():
            for name in files:
                report_zotero(name, tmp / name)
        else:
            print("  (no node or no zotero-import folder: Zotero import not measured)")
        if shutil.which("biber"):
            report_biber(tmp / "library-biblatex.bib")
    return 0


if __name__ == "__main__":
    sys.exit(main())
