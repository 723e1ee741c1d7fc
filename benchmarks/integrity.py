"""Nothing lost, failing well (issue 12): the figures, measured on the shared real data.

(1) Ctrl-C. The works recorded from Crossref in ``../shared/crossref-samples`` are served by the local stand-in
    (every answer after ``--latency`` seconds, within the polite pool's limits); ``mscbib build`` is run as a
    subprocess on a DOI list of them plus the real pages of ``../shared/real-pages``. First uncut (how long the whole
    build takes, with ``--full``: minutes), then with SIGINT sent at each of ``--after`` seconds (during start-up,
    during the look-ups): time from SIGINT to exit, exit code, answers kept in the cache, whether the output was
    left as it was.
(2) The library, kept. An offline build of the real pages is the user's library; then, each printed with the
    exit code and whether the library and its cited file are byte-identical afterwards: a typo in the input path,
    an input that reads as nothing, the library built onto itself with a block that does not parse, and
    ``--format pubmed`` on the DOI list (how many identifiers are reported unread).

    python benchmarks/integrity.py                 # SIGINT at 0.5, 3 and 8 s
    python benchmarks/integrity.py --after 1 2 4 --full
"""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mscbib.testing.crossref_standin import CrossrefStandIn, load_works

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MSCBIB_SHARED", ROOT.parent / "shared"))
_SCRIPT = Path(sys.executable).parent / "mscbib"  # the installed program, as a user runs it
CLI = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-c", "from mscbib.cli import main; main()"]


def mscbib(*args, env=None, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *map(str, args)], env=env, cwd=cwd, capture_output=True, text=True)


def recorded_works() -> list[dict]:
    works = load_works(
        p
        for p in sorted((SHARED / "crossref-samples").glob("*.json"))
        if not p.name.startswith(("error-", "journal-1803", "journal-1932-6203.json"))
    )
    return [w for w in works if isinstance(w, dict) and w.get("DOI")]


def cached(path: Path) -> int:
    if not path.exists():
        return 0
    with sqlite3.connect(path) as db:
        try:
            return db.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
        except sqlite3.OperationalError:  # interrupted before the table was made
            return 0


def interrupt(args, tmp: Path) -> None:
    works = recorded_works()
    dois = tmp / "dois.txt"
    dois.write_text("".join(w["DOI"] + "\n" for w in works))
    pages = SHARED / "real-pages" / "pages"
    with CrossrefStandIn(works, latency=args.latency) as server:
        env = dict(os.environ, HOME=str(tmp), XDG_CACHE_HOME=str(tmp / "xdg"), MSCBIB_CACHE=str(tmp / "full.sqlite3"))
        print(
            f"(1) {len(works)} recorded DOIs + {len(list(pages.iterdir()))} real pages, {args.latency:.2f} s per answer"
        )
        if args.full:
            t = time.monotonic()
            full = mscbib("build", dois, pages, "-o", tmp / "full.bib", "--crossref-url", server.url, env=env)
            print(
                f"    uncut: the whole build takes {time.monotonic() - t:.1f} s ({server.count()} requests, "
                f"exit {full.returncode})"
            )
        for run, after in enumerate(args.after):
            lib = tmp / f"lib{run}.bib"
            before = "% the library before this build\n"
            lib.write_text(before)
            cache = tmp / f"cache{run}.sqlite3"
            env["MSCBIB_CACHE"] = str(cache)
            proc = subprocess.Popen(
                [*CLI, "build", str(dois), str(pages), "-o", str(lib), "--force", "--crossref-url", server.url],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            time.sleep(after)
            sent = time.monotonic()
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate()
            took = time.monotonic() - sent
            print(
                f"    run {run + 1}: SIGINT at {after:.1f} s -> exit {proc.returncode} after {took:.2f} s; "
                f"{cached(cache)} answers kept in the cache; output untouched: {lib.read_text() == before}; "
                f"no traceback: {'Traceback' not in err}; temporary files left: "
                f"{len(list(tmp.glob('.lib*.tmp')))}"
            )


def kept(lib: Path, cited: Path, snapshot: tuple[bytes, bytes]) -> str:
    return "kept byte for byte" if (lib.read_bytes(), cited.read_bytes()) == snapshot else "CHANGED"


def library(tmp: Path) -> None:
    env = dict(os.environ, HOME=str(tmp), XDG_CACHE_HOME=str(tmp / "xdg2"), MSCBIB_CACHE=str(tmp / "off.sqlite3"))
    lib, cited = tmp / "precious.bib", tmp / "precious.cited.bib"
    r = mscbib("build", "--offline", SHARED / "real-pages" / "pages", "-o", lib, env=env)
    snap = (lib.read_bytes(), cited.read_bytes())
    n = lib.read_text().count("\n@")
    print(
        f"(2) the library: {n + 1} entries from the real pages, {len(snap[0]):,} + {len(snap[1]):,} bytes "
        f"(library + cited; build exit {r.returncode})"
    )
    r = mscbib("build", "--offline", tmp / "dosi.txt", "-o", lib, env=env)
    print(f"    build dosi.txt (a typo) -o precious.bib: exit {r.returncode}; {kept(lib, cited, snap)}")
    (tmp / "notes.txt").write_text("no reference in here\n")
    r = mscbib("build", "--offline", tmp / "notes.txt", "-o", lib, env=env)
    print(f"    build notes.txt (reads as nothing) -o precious.bib: exit {r.returncode}; {kept(lib, cited, snap)}")
    x = tmp / "x.bib"
    x.write_bytes(snap[0] + b"\n@article{broken,\n  title = {never closed\n")
    before = x.read_text().count("@")
    r = mscbib("build", "--offline", x, "-o", x, env=env)
    print(
        f"    build x.bib -o x.bib with an unreadable block: exit {r.returncode}; @-blocks {before} -> "
        f"{x.read_text().count('@')}; the block kept verbatim: {'title = {never closed' in x.read_text()}"
    )
    dois = tmp / "dois20.txt"
    dois.write_text("".join(f"doi:{w['DOI']}\n" for w in recorded_works()[:20]))
    r = mscbib("extract", "--format", "pubmed", dois, env=env)
    print(
        f"    extract --format pubmed on 20 DOIs: {len(r.stdout.splitlines())} record(s), exit {r.returncode}: "
        f"{r.stderr.strip().splitlines()[-1][:150]}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--after",
        type=float,
        nargs="+",
        default=[0.5, 3.0, 8.0],
        help="seconds before SIGINT, one interrupted build each (default 0.5 3 8)",
    )
    ap.add_argument("--full", action="store_true", help="also time the uncut build (minutes)")
    ap.add_argument("--latency", type=float, default=0.3, help="seconds per stand-in answer (default 0.3)")
    args = ap.parse_args(argv)
    if not (SHARED / "crossref-samples").is_dir():
        print(f"{SHARED} is absent: nothing to measure")
        return 0
    with tempfile.TemporaryDirectory() as d:
        interrupt(args, Path(d))
        library(Path(d))
    return 0


if __name__ == "__main__":
    sys.exit(main())
