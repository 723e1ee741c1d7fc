"""How fast is `assign_keys` when keys collide (issue 15 item 5)?

N SYNTHETIC records sharing one key (same first author and year, formula ``auth.lower + year``), keyed by
mscbib.keys.assign_keys and, side by side, by the loop it replaced (each colliding record restarted its postfix
at ``a``: quadratic). Prints both times (best of 3, CPU) and their ratio for growing N; linear time shows as a
time per record that stays flat.

Then the formula itself (issue 18: Better BibTeX's rules, transliteration included) on N records made from the
SYNTHETIC items of tests/fixtures/bbt_keys.json (every language and type, each title made distinct): CPU time of
assign_keys for growing N, whose time per record stays flat too.

    python benchmarks/keys_speed.py [N ...]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from mscbib.keys import _suffix, assign_keys, citation_key
from mscbib.model import Person, Provenance, Record

TABLE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "bbt_keys.json"

SRC = Provenance("page", "synthetic", 1)


def records(n: int) -> list[Record]:
    out = []
    for _ in range(n):
        r = Record(source=SRC)
        r.set("authors", [Person("Doe", "J")], SRC)
        r.set("year", "2020", SRC)
        out.append(r)
    return out


def replaced(recs: list[Record], formula: str) -> None:
    """The loop of mscbib 0.x before issue 15: every colliding record counts up from 'a' again."""
    base = [citation_key(r, formula) for r in recs]
    taken, used = set(base), set()
    for rec, b in zip(recs, base):
        key, n = b, 0
        while key in used or (key != b and key in taken):
            key = b + _suffix(n)
            n += 1
        rec.key = key
        used.add(key)


def best(fn, n: int) -> float:
    times = []
    for _ in range(3):
        recs = records(n)
        t = time.process_time()
        fn(recs, "auth.lower + year")
        times.append(time.process_time() - t)
    return min(times)


def table_records(n: int) -> list[Record]:
    """n records cycling through the table's items, the i-th title ending in its number (keys mostly distinct)."""
    items = json.loads(TABLE.read_text(encoding="utf-8"))["items"]
    out = []
    for i in range(n):
        item, r = items[i % len(items)], Record(source=SRC)
        for f in ("year", "journal", "publisher", "doi", "language"):
            if item.get(f):
                r.set(f, item[f], SRC)
        r.set("title", f"{item.get('title', '')} {i}", SRC)
        for f in ("authors", "editors"):
            if item.get(f):
                r.set(
                    f,
                    [
                        Person("", literal=p["literal"]) if isinstance(p, dict) else Person(*p.split(", ", 1))
                        for p in item[f]
                    ],
                    SRC,
                )
        out.append(r)
    return out


def best_formula(n: int) -> float:
    times = []
    for _ in range(3):
        recs = table_records(n)
        t = time.process_time()
        assign_keys(recs)
        times.append(time.process_time() - t)
    return min(times)


def main() -> None:
    if any(a in ("-h", "--help") for a in sys.argv[1:]):
        print(
            __doc__.strip() + "\n\nusage: python benchmarks/keys_speed.py [N ...]   (sizes, default 500 1000 2000 4000)"
        )
        return
    sizes = [int(a) for a in sys.argv[1:]] or [500, 1000, 2000, 4000]
    print(f"{'N':>6} {'assign_keys s':>14} {'per record µs':>14} {'replaced loop s':>16} {'ratio':>7}")
    for n in sizes:
        new = best(lambda r, f: assign_keys(r, f), n)
        old = best(replaced, n)
        print(f"{n:>6} {new:>14.4f} {1e6 * new / n:>14.1f} {old:>16.4f} {old / max(new, 1e-9):>7.0f}x")
    print(f"\n{'N':>6} {'default formula s':>18} {'per record µs':>14}   (table items, every language)")
    for n in sizes:
        t = best_formula(n)
        print(f"{n:>6} {t:>18.4f} {1e6 * t / n:>14.1f}")


if __name__ == "__main__":
    main()
