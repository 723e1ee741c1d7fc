#!/usr/bin/env python3
"""Score the reference-string parser per field on the held-out part of the training pack, and its speed.

    .venv/bin/python benchmarks/refstrings.py [--pack ../shared/refstrings-train] [--show FIELD]

The held-out part is the one ``scripts/train_refmodel.py`` kept out of training (same split: by source document,
after deduplication, fixed seed). For each reference the expected fields are what the hand labels give, turned
into fields by the same code as the parser's own labels (:func:`mscbib.sources.refstring.fields_from_labels`), and
compared with what :func:`mscbib.sources.refstring.parse` gives from the bare string, after folding case,
accents and punctuation. So a figure measures the labelling and its cleaning, not the person splitter (the pack
labels a whole author list at once): names are compared as the list of family names the splitter gives.

``correct`` is the share of the references whose labels give the field that get it exactly; ``spurious`` is the
share of the parser's values for a field that the labels do not give at all; ``not in text`` counts values that
are not a piece of the printed string (invented). Speed is references per second on one core, whole parse.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mscbib.identifiers import find_dois, normalize_pmid  # noqa: E402
from mscbib.sources import refmodel  # noqa: E402
from mscbib.sources.refmodel_data import read_pack, split_pack  # noqa: E402
from mscbib.sources.refstring import Citation, fields_from_labels, parse  # noqa: E402
from mscbib.text import comparable  # noqa: E402

FIELDS = ("authors", "first_author", "title", "journal", "container", "year", "volume", "issue", "pages", "doi",
          "pmid", "editors", "publisher", "place")
_BIOMED = re.compile(r"biol|bio|med|cell|cancer|clin|immun|neuro|genet|pharm|physiol|plant|ecol|health|lancet|"
                     r"jama|nature|science|sci|vir|bacter|microb|onc|cardi|pediatr|surg|nurs|epidem|gastro|hepat|"
                     r"nephro|endocr|dermat|psychiat|ophthalm|dent|vet|zool|botan|mol", re.IGNORECASE)


def values(c: Citation) -> dict[str, object]:
    fam = [comparable(p.literal or p.family) for p in c.authors]
    return {
        "authors": tuple(fam) or None,
        "first_author": fam[0] if fam else None,
        "title": comparable(c.title) or None,
        "journal": comparable(c.container) or None if c.container_kind == "journal" else None,
        "container": comparable(c.container) or None,
        "year": c.year, "volume": c.volume, "issue": c.issue, "pages": c.pages,
        "doi": c.doi, "pmid": c.pmid,
        "editors": tuple(comparable(p.literal or p.family) for p in c.editors) or None,
        "publisher": comparable(c.publisher) or None,
        "place": comparable(c.place) or None,
    }


def gold(ex) -> dict[str, object]:
    spans = [(s, e) for s, e, _ in refmodel.tokenize(ex.text)]
    tagged = refmodel.Tagged(text=ex.text, spans=spans, tokens=ex.tokens, labels=ex.labels,
                             confidence=[1.0] * len(ex.labels))
    out = values(fields_from_labels(tagged, min_conf=0.0, repair=False))
    doi_text = " ".join(ex.text[spans[i][0]:spans[i][1]] for i, lab in enumerate(ex.labels)
                        if lab in ("doi", "identifier", "url"))
    dois = find_dois(re.sub(r"\b10\.\s+(\d{4,9})/", r"10.\1/", doi_text))
    out["doi"] = dois[0] if dois else None
    pm = None
    for i, lab in enumerate(ex.labels):
        if lab in ("identifier", "note", "url"):
            window = ex.text[max(0, spans[i][0] - 12):spans[i][1]]
            m = re.search(r"PMID\s*:?\s*(\d+)", window, re.IGNORECASE)
            if m:
                pm = normalize_pmid(m.group(1))
                break
    out["pmid"] = pm
    return out


def in_text(value: object, text: str) -> bool:
    t = comparable(text).replace(" ", "")
    parts = value if isinstance(value, tuple) else (value,)
    for p in parts:
        q = comparable(str(p)).replace(" ", "")
        if q and q not in t and not str(p).replace("--", "-") in text.replace("–", "-").replace(" ", ""):
            if not re.fullmatch(r"[\d-]+", str(p)):
                return False
            # pages are normalised ("249-61" -> "249--261"): the first number must be printed
            if str(p).split("-")[0] not in text:
                return False
    return True


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pack", type=Path, default=ROOT.parent / "shared" / "refstrings-train")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--held-out", type=float, default=0.2)
    ap.add_argument("--show", help="print up to 15 misses of this field")
    ap.add_argument("--limit", type=int, default=0, help="score only the first N held-out references")
    args = ap.parse_args(argv)
    if not args.pack.is_dir():
        print(f"no training pack at {args.pack}: nothing to measure", file=sys.stderr)
        return 0
    _, test = split_pack(read_pack(args.pack), args.held_out, args.seed)
    if args.limit:
        test = test[:args.limit]
    texts = [ex.text for ex in test]
    parse(texts[0])  # load the model
    t0, c0 = time.perf_counter(), time.process_time()
    parsed = [parse(t) for t in texts]
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    groups = {"all": Counter(), "biomedical": Counter()}
    spurious, produced, invented, shown = Counter(), Counter(), 0, 0
    n_bio = 0
    for ex, c in zip(test, parsed):
        g, p = gold(ex), values(c)
        bio = bool(g["journal"] and _BIOMED.search(str(g["journal"])))
        n_bio += bio
        for f in FIELDS:
            if p[f] is not None:
                produced[f] += 1
                if g[f] is None:
                    spurious[f] += 1
                if not in_text(p[f], ex.text):
                    invented += 1
            if g[f] is None:
                continue
            for name, counter in (("all", groups["all"]), ("biomedical", groups["biomedical"])):
                if name == "biomedical" and not bio:
                    continue
                counter[f, "n"] += 1
                counter[f, "ok"] += p[f] == g[f]
            if args.show == f and p[f] != g[f] and shown < 15:
                shown += 1
                print(f"  {ex.file}\n    {ex.text}\n    expected {g[f]!r}\n    got      {p[f]!r}")
    print(f"held-out: {len(test)} references from {len({e.doc for e in test})} documents "
          f"({n_bio} with a biomedical journal); a reference for {sum(1 for c in parsed if c.text)} "
          f"of {len(test)} strings")
    print(f"{'field':13} {'correct':>8} {'of':>6} {'biomed':>7} {'of':>5} {'spurious':>9}")
    for f in FIELDS:
        a, b = groups["all"], groups["biomedical"]
        rate = a[f, "ok"] / a[f, "n"] if a[f, "n"] else float("nan")
        brate = b[f, "ok"] / b[f, "n"] if b[f, "n"] else float("nan")
        sp = spurious[f] / produced[f] if produced[f] else 0.0
        print(f"{f:13} {rate:8.1%} {a[f, 'n']:6d} {brate:7.1%} {b[f, 'n']:5d} {sp:9.1%}")
    total = sum(produced.values())
    print(f"values not in the printed string (invented): {invented} of {total} ({invented / max(total, 1):.2%})")
    print(f"speed: {len(texts) / cpu:,.0f} references per CPU second on one core ({cpu:.2f} s of CPU for "
          f"{len(texts)}; {len(texts) / elapsed:,.0f}/s by the wall clock, on a machine shared with others)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
