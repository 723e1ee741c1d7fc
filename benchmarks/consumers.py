"""What the real consumers receive from a library built from the 56 recorded Crossref works and the seeds.

``mscbib build`` of the DOIs of ``../shared/crossref-samples/work-*.json`` against the local Crossref stand-in
serving those recorded answers, plus ``mscbib build --offline`` of ``seeds/``; the written files are then run
through Zotero's own BibTeX import (``../shared/zotero-import``, under Node), ``biber --tool
--validate-datamodel`` and pandoc ``--citeproc`` of each major version there is (Debian's 2.17, the
``pypandoc_binary`` wheel's 3.x: :mod:`mscbib.testing.pandoc`), and the figures printed: what Zotero stores, loses
or keeps with TeX/HTML in it, the creators named "others"/"et al.", the titles whose italic/bold/small caps reach it
as its rich text, biber's warnings by kind, and pandoc's warnings, entries read and CSL types (with the titles
holding their styles). Nothing of shared/ is copied: the script skips when it is absent.

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

from mscbib.datamodel import type_in
from mscbib.pipeline.build import build
from mscbib.refs import cited_entries
from mscbib.services.crossref import Cache, CrossrefClient
from mscbib.sources.bibtex import BibtexFile
from mscbib.testing.crossref_standin import CrossrefStandIn, load_works
from mscbib.testing.pandoc import pandocs
from mscbib.writers import render_as

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MSCBIB_SHARED", ROOT.parent / "shared"))
IMPORTER = SHARED / "zotero-import" / "zotero-bibtex-import.js"
#: TeX left in a Zotero field: a control word, or braces
TEX_LEFT = re.compile(r"\\[A-Za-z]+|[{}]|\$")
#: HTML left in a Zotero field (Zotero's rich-text subset for titles excepted: it displays those)
HTML_LEFT = re.compile(r"&[a-z]+;|&#\d+;|<(?!/?(?:i|b|sup|sub|span)\b)[a-z/][^>]*>")
#: a title's style in Zotero's rich text (from \textit{}, \textbf{}, \textsc{}) or in CSL-JSON (pandoc's reading)
RICH = re.compile(r"<(?:i|b)>|<span style=\"(?:font-variant:)?small-caps;?\">")


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
    styled = 0
    for it in items:
        saved = it["saved"]
        styled += bool(RICH.search(saved.get("title") or ""))
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
        f"{len(data.get('notImported') or [])} not imported, {len(data['errors'])} errors, "
        f"{styled} titles with italic/bold/small caps as Zotero's rich text"
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


def report_bibtex(path: Path, style: str) -> dict[str, int]:
    """``bibtex`` with ``style`` on every entry of ``path`` (an ``.aux`` citing ``*``: no pdflatex needed): its
    warnings by kind."""
    stem = f"{path.stem}-{style}"
    (path.parent / f"{stem}.aux").write_text(
        f"\\citation{{*}}\n\\bibstyle{{{style}}}\n\\bibdata{{{path.stem}}}\n", encoding="utf-8"
    )
    out = subprocess.run(["bibtex", stem], capture_output=True, text=True, timeout=900, cwd=path.parent)
    kinds = collections.Counter(
        re.sub(r" in \S+$", "", line) for line in out.stdout.splitlines() if line.startswith("Warning--")
    )
    print(f"  bibtex {style} on {path.name}: exit {out.returncode}, {sum(kinds.values())} warnings")
    for what, n in kinds.most_common():
        print(f"    {n:4d} x {what}")
    return dict(kinds)


def report_pandoc(exe: str, version: str, path: Path) -> dict[str, int]:
    """pandoc's --citeproc of ``path``: its warnings; and pandoc's reading of it (``-t csljson``): entries, those
    with no CSL type (by entry type), titles holding a style."""
    reader = "csljson" if path.suffix == ".json" else "biblatex" if "biblatex" in path.name else "bibtex"
    doc = path.parent / "nocite.md"
    doc.write_text("---\nnocite: '@*'\n---\n\nText.\n", encoding="utf-8")
    cite = subprocess.run(
        [exe, "--citeproc", "--bibliography", path.name, "-t", "plain", doc.name],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=path.parent,
    )
    warnings = [line for line in cite.stderr.splitlines() if line.strip()]
    read = subprocess.run(
        [exe, "-f", reader, "-t", "csljson", path.name], capture_output=True, text=True, timeout=900, cwd=path.parent
    )
    items = json.loads(read.stdout) if read.returncode == 0 else []
    entry_types = {
        key: kind.lower() for kind, key in re.findall(r"^@(\w+)\{([^,]+),", path.read_text(encoding="utf-8"), re.M)
    }
    untyped = collections.Counter(entry_types.get(i["id"], "?") for i in items if not i.get("type"))
    styled = sum(bool(RICH.search(i.get("title") or "")) for i in items)
    print(
        f"  pandoc {version} on {path.name}: exit {cite.returncode}, {len(warnings)} warnings, {len(items)} entries "
        f"read, {sum(untyped.values())} with no CSL type"
        + (f" ({', '.join(f'{n} @{t}' for t, n in untyped.most_common())})" if untyped else "")
        + f", {styled} titles with italic/bold/small caps"
    )
    for line in warnings[:5]:
        print(f"    {line[:110]}")
    return {"warnings": len(warnings), "entries": len(items), "untyped": sum(untyped.values()), "styled": styled}


def report_misc(name: str, records: list) -> dict[str, int]:
    """The entries the BibTeX dialect writes as ``@misc`` (pandoc's BibTeX reader gives those no CSL type), by what
    they are: the Crossref type, or for a cited work with none, what its reference states; and the types the same
    records have in BibLaTeX and CSL-JSON."""
    kinds: collections.Counter[str] = collections.Counter()
    for r in records:
        if type_in("bibtex", r) != "misc":
            continue
        if r.get("type"):
            deposit = " reference " in (r.source.detail or "")  # a cited work: the type its reference states
            what = f"{'the reference states: ' if deposit else 'Crossref type '}{r.get('type')}"
            what += " (no publisher)" if type_in("biblatex", r) == "book" else ""
        elif r.doi and not r.title:
            what = "a DOI alone (not served by the stand-in: an online build gets its Crossref type)"
        elif r.printed and not r.title:
            what = "the printed text alone"
        elif r.title:
            what = "a title with no journal, book title or type"
        else:
            what = "no title"
        kinds[f"{what} -> BibLaTeX @{type_in('biblatex', r)}, CSL {type_in('csl', r)}"] += 1
    print(f"  @misc in the BibTeX dialect of {name}: {sum(kinds.values())}")
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
        # what `mscbib export --to biblatex` / `--to csljson` write from cited.bib (for pandoc: the exports it is
        # given typed entries from; Zotero's BibTeX import reads neither as well as the zotero dialect)
        cited_read = BibtexFile().read(files["cited.bib"], "cited.bib").records
        extra_files = {"cited-biblatex.bib": render_as(cited_read, "biblatex")}
        # what `mscbib export --to csljson` writes (for pandoc; Zotero's BibTeX import does not read it)
        json_files = {
            "library.json": render_as(BibtexFile().read(files["library.bib"], "library.bib").records, "csljson"),
            "cited.json": render_as(cited_read, "csljson"),
        }
        for name, text in {**files, **extra_files, **json_files}.items():
            (tmp / name).write_text(text, encoding="utf-8")
        report_misc("library.bib", records)
        report_misc("cited.bib", cited)
        if shutil.which("node") and IMPORTER.exists():
            for name in files:
                report_zotero(name, tmp / name)
        else:
            print("  (no node or no zotero-import folder: Zotero import not measured)")
        if shutil.which("biber"):
            report_biber(tmp / "library-biblatex.bib")
        if shutil.which("bibtex"):
            for name in ("library.bib", "cited.bib", "seeds-library.bib", "seeds-cited.bib"):
                for style in ("plain", "plainnat"):
                    report_bibtex(tmp / name, style)
        found = pandocs()
        for major in ("2", "3"):
            if major not in found:
                print(f"  (no pandoc {major}.x here: not measured)")
                continue
            exe, version = found[major]
            names = ["library.bib", "library-biblatex.bib", "library-zotero.bib", "library.json", "cited.bib"]
            for name in [*names, "cited-biblatex.bib", "cited.json"]:
                report_pandoc(exe, version, tmp / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
