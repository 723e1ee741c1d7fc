"""Issue 21 on the shared real data: how the build report reads, and what `graph --svg` draws.

The works recorded from Crossref in ``../shared/crossref-samples`` are served by the local stand-in and built with
the 46 real pages of ``../shared/real-pages``; then it prints, side by side, the text report before issue 21 (the
report of commit 57d869a, if git has it) and now, with ``--quiet``: lines, the longest line, lines over 120
columns, internal field names shown; and for ``graph --svg`` on the library's 25 most citing entries: nodes drawn,
labels placed, overlapping labels (must be 0) and the time to lay it out. Nothing reaches the network.

    python benchmarks/report_and_graph.py
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from integrity import SHARED, recorded_works  # noqa: E402

from mscbib.library.graph import read_graph, svg  # noqa: E402
from mscbib.pipeline import report  # noqa: E402
from mscbib.pipeline.build import build  # noqa: E402
from mscbib.services.crossref import Cache, CrossrefClient  # noqa: E402
from mscbib.testing.crossref_standin import CrossrefStandIn  # noqa: E402

BEFORE = "57d869a"  # the branch point of issue 21


def old_report():
    try:
        text = subprocess.run(
            ["git", "show", f"{BEFORE}:src/mscbib/report.py"], cwd=HERE, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    path = Path(tempfile.mkdtemp()) / "report_before.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location("mscbib.report_before", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    except ImportError:  # the old report needs what the code no longer has
        return None
    return module


def measure(name: str, text: str) -> None:
    lines = text.splitlines()
    fields = sum(line.count("journal_abbrev") + line.count("authors_complete") for line in lines)
    print(
        f"  {name:16s} {len(lines):5d} lines, longest {max(map(len, lines)):4d}, over 120 columns: "
        f"{sum(len(x) > 120 for x in lines):4d}, internal field names: {fields:4d}, legend: {lines[0].startswith('[ok] verified')}"
    )


def main() -> int:
    if not (SHARED / "crossref-samples").is_dir():
        print(f"{SHARED} is absent: nothing to measure")
        return 0
    tmp = Path(tempfile.mkdtemp())
    works = recorded_works()
    dois = tmp / "dois.txt"
    dois.write_text("".join(w["DOI"] + "\n" for w in works))
    pages = SHARED / "real-pages" / "pages"
    with CrossrefStandIn(works) as server:
        t = time.monotonic()
        result = build(
            [str(dois), str(pages)], str(tmp / "lib.bib"), CrossrefClient(server.url, cache=Cache(tmp / "c"))
        )
        print(
            f"build: {len(works)} recorded DOIs + {len(list(pages.iterdir()))} real pages: {len(result.records)} "
            f"entries, {len(result.cited)} cited works, {time.monotonic() - t:.1f} s"
        )
    print("text report:")
    before = old_report()
    if before is not None:
        measure(f"before ({BEFORE})", before.report_text(result))
    measure("now", report.report_text(result))
    measure("now, --quiet", report.report_text(result, quiet=True))
    g = read_graph([tmp / "lib.bib", tmp / "lib.cited.bib"])
    top = {k for k, _ in Counter(a for a, _ in g.edges).most_common(25)}
    t = time.monotonic()
    drawing = svg(g, top)
    took = time.monotonic() - t
    boxes = drawing.boxes
    overlaps = sum(
        1
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    )
    print(
        f"graph --svg: {len(g.nodes)} works, {len(g.edges)} citations; the 25 most citing entries drawn with the "
        f"works they cite most: {len(drawing.shown)} nodes, {len(drawing.labelled)} labelled, {overlaps} labels "
        f"overlapping, laid out in {took:.2f} s"
    )
    (tmp / "graph.svg").write_text(drawing.text)
    print(f"  the drawing: {tmp / 'graph.svg'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
