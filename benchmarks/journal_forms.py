"""``--journal full|iso4`` on the real Crossref records of ../shared/crossref-samples (issue 21): how many journal
articles get each form and from which source, how many are left, and how the ISO 4 form the LTWA rules give
compares with the ``short-container-title`` Crossref holds (the same once full stops, case and spacing are set
aside, or another abbreviation: NLM's, an acronym, the full title).

    .venv/bin/python benchmarks/journal_forms.py
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from mscbib.journals import journal_forms, ltwa_abbreviator
from mscbib.services.crossref.mapping import record_from_work

SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "crossref-samples"


def _fold(text: str) -> str:
    return re.sub(r"[\s.]+", " ", text).strip().casefold()


def main() -> int:
    if not SAMPLES.is_dir():
        print(f"{SAMPLES} is absent", file=sys.stderr)
        return 1
    records = []
    seen = set()
    for path in sorted(SAMPLES.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        msg = data.get("message", data) if isinstance(data, dict) else {}
        items = msg.get("items") if isinstance(msg, dict) and "items" in msg else [msg]
        for work in items or []:
            if isinstance(work, dict) and work.get("DOI") and work["DOI"].lower() not in seen:
                seen.add(work["DOI"].lower())
                rec = record_from_work(work)
                rec.key = f"k{len(records)}"
                records.append(rec)
    articles = [r for r in records if r.get("type") == "journal-article"]
    t = time.perf_counter()
    abbreviate = ltwa_abbreviator()
    load = time.perf_counter() - t
    print(f"{len(records)} distinct Crossref works, {len(articles)} journal articles")
    print(f"  with a short-container-title: {sum(1 for r in articles if r.get('journal_abbrev'))}")
    print(f"LTWA rules (pyiso4): {'loaded in %.2f s' % load if abbreviate else 'not installed'}")
    for form in ("full", "iso4"):
        t = time.perf_counter()
        out, summary = journal_forms(articles, form)
        took = time.perf_counter() - t
        print(f"{summary.text() or form + ': nothing to do'}  [{took * 1000:.1f} ms]")
    if abbreviate:
        kinds: Counter[str] = Counter()
        examples: dict[str, list[str]] = {}
        for r in articles:
            short = r.get("journal_abbrev")
            if not short:
                continue
            iso = abbreviate(r.get("journal"))
            kind = "same" if iso == short else "same but for full stops/case" if _fold(iso) == _fold(short) else "other"
            kinds[kind] += 1
            examples.setdefault(kind, [])
            if len(examples[kind]) < 4:
                examples[kind].append(f"{r.get('journal')!r}: Crossref {short!r}, LTWA {iso!r}")
        print("ISO 4 by the LTWA against Crossref's short-container-title:")
        for kind, n in kinds.most_common():
            print(f"  {kind}: {n}")
            for e in examples[kind]:
                print(f"      {e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
