"""Do `mscbib extract`, `check --offline` and `build --offline` stay linear in the input's size up to 10 MB,
at <= 2 s per MB on one core and <= 300 MB of memory for a 10 MB input? (issue 16)

Inputs are SYNTHETIC, made here at 1, 2, 5 and 10 MB (or the sizes given):

* ``bib``: real-looking entries (tests/fixtures/check/make_clean_corpus.py, the check_speed corpus);
* ``hostile``: the same, with the shapes the fuzz run found slow or fatal mixed in every ~100 kB: a field of
  5,000 digits, a 33 kB line of ``10.1000/``, an abstract of `` a < b`` runs, a 100 kB LaTeX field, a missing
  comma, a long ``%`` header, CR-only line ends in one part;
* ``ris``: RIS records (what EndNote exports), in Windows-1252 (detected, not UTF-8);
* ``zotero``: the ``bib`` entries as a Zotero (Better BibTeX) export has them: an abstract of 100-250 words,
  ``keywords``, ``url``, ``urldate``, ``langid``, a ``file`` path, names in LaTeX accents (``M{\\"u}ller``) in a
  quarter of them, ``@string`` journals in some. A real library has fewer, longer entries per MB than ``bib``
  (about 560 against 3,100): ``bib`` is the worst case for what each entry costs.

Each command runs in a fresh Python process (imports done before the clock starts) with an empty cache and
no network; CPU time (user + system of that process: one core) and peak resident memory are printed per MB,
with the ratio of the largest size's per-MB time to the smallest's (linear: about 1).

    python benchmarks/hostile_scaling.py [SIZE_MB ...] [--kinds bib,zotero,hostile,ris] [--commands extract,check,build]
                                         [--against REV]

``--against REV`` (a git revision, e.g. ``main``) runs every command a second time, side by side, with the
``src/`` of that revision (``git archive``; nothing is checked out), prints both times and their ratio, and
compares what the two wrote byte for byte (build: library.bib and cited.bib; extract and check: their output):
a speed-up must not change a byte.
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _revision import revision_src  # benchmarks/_revision.py: another revision's src/, side by side

ROOT = Path(__file__).resolve().parents[1]
TARGET_S_PER_MB, TARGET_MB = 2.0, 300

_RUNNER = r"""
import json, resource, sys, time
from mscbib.cli import main
import importlib
for name in ("mscbib.sources", "mscbib.validate.check", "mscbib.pipeline.build", "mscbib.bibfile",
             "mscbib.writers.bibtex", "mscbib.check", "mscbib.build"):  # imports off the clock (old and new layout)
    try:
        importlib.import_module(name)
    except ImportError:
        pass
args = json.loads(sys.argv[1])
c0 = time.process_time()
code = 0
try:
    main(args, standalone_mode=True)
except SystemExit as exc:
    code = exc.code or 0
cpu = time.process_time() - c0
print(json.dumps({"cpu": cpu, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "exit": code}),
      file=sys.__stderr__)
"""


def _corpus_module():
    spec = importlib.util.spec_from_file_location("mk", ROOT / "tests" / "fixtures" / "check" / "make_clean_corpus.py")
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    return mk


def _sized(make, size: int) -> str:
    """``make(n)`` with n grown until the text is about ``size`` characters (then cut at an entry)."""
    n = 64
    text = make(n)
    while len(text) < size:
        n = int(n * size / max(len(text), 1) * 1.05) + 1
        text = make(n)
    cut = text.rfind("\n@", 0, size)
    return text[: cut + 1] if cut > 0 else text


_LATEX = 'M{\\"u}ller $\\beta$ \\emph{x} P\\&G ' * 3500


def _hostile_block(r: random.Random, i: int) -> str:
    shapes = [
        f"@article{{digits{i}, title = {{Digits {i}}}, year = 2001, month = {{{'9' * 5000}}}, "
        f"pages = {{{'1' * 4400}-{'2' * 4400}}}, day = {{{'3' * 4500}}}}}\n",
        f"@misc{{wrap{i}, title = {{Wrapped {i}}}, year = 2001, note = {{{'10.1000/' * 4200}\n"
        f"2019.01.023 and more}}}}\n",
        f"@article{{lt{i}, title = {{Children aged <5 years and adults >65 years {i}}}, year = 2002, "
        f"abstract = {{{' a < b' * 20000}}}}}\n",
        f"@article{{tex{i}, title = {{Tex {i}}}, year = 2003, abstract = {{{_LATEX}}}}}\n",
        f"@article{{comma{i}, title = {{T {i}}}, cites = {{x{i}}}\n author = {{B, A}}, year = 2004}}\n",
        "".join(f"% header line {k} {'-' * 60}\n" for k in range(300)),
        f"@article{{cr{i},\r title = {{Old Mac {i}}},\r year = 2005\r}}\r",
    ]
    return shapes[i % len(shapes)]


_ACCENTED = {"Müller": 'M{\\"u}ller', "Sensebé": "Senseb{\\'e}", "García-López": "Garc{\\'\\i}a-L{\\'o}pez"}


def _zotero(mk, n: int) -> str:
    """``n`` entries of the clean corpus as a Zotero export gives them (module docstring: ``zotero``)."""
    r = random.Random(7)
    out = ["@string{jeh = {Journal of Experimental Haematology}}\n\n"]
    for i in range(n):
        e = mk.entry(r, i)
        if r.random() < 0.25:
            for plain, tex in _ACCENTED.items():
                e = e.replace(plain, tex)
        e = e.replace("journal = {Journal of Experimental Haematology}", "journal = jeh")
        words = [r.choice(mk.WORDS) for _ in range(r.randrange(100, 250))]
        abstract = ". ".join(" ".join(words[k : k + 12]).capitalize() for k in range(0, len(words), 12)) + "."
        extra = [
            ("abstract", "{" + abstract + "}"),
            ("keywords", "{" + ", ".join(r.sample(mk.WORDS, 4)) + "}"),
            ("url", f"{{https://example.org/articles/{i}}}"),
            ("urldate", "{2024-03-0" + str(1 + i % 9) + "}"),
            ("langid", "{english}"),
            ("file", f"{{Full Text PDF:/home/user/Zotero/storage/{i:08X}/paper{i}.pdf:application/pdf}}"),
        ]
        e = e.rstrip()[:-1].rstrip() + ",\n" + ",\n".join(f"  {k} = {v}" for k, v in extra) + "\n}\n"
        out.append(e + "\n")
    return "".join(out)


def make_input(kind: str, mb: float, tmp: Path) -> Path:
    size = int(mb * 1_000_000)
    r = random.Random(16)
    if kind == "ris":

        def ris(n: int) -> str:
            out = []
            for i in range(n):
                out.append(
                    f"TY  - JOUR\nAU  - Müller, Jörg\nAU  - Sánchez, José {i}\nTI  - The “quoted” role of "
                    f"stromal cells – study {i}\nT2  - Journal of Experimental Haematology\nPY  - {1990 + i % 30}"
                    f"\nVL  - {i % 90}\nIS  - {i % 12}\nSP  - {i % 900}\nEP  - {i % 900 + 9}\n"
                    f"DO  - 10.1000/ris.{i}\nAB  - {'Bone marrow cells regulate growth. ' * 8}\nER  - \n\n"
                )
            return "".join(out)

        path = tmp / f"ris-{mb}.ris"
        path.write_bytes(_sized(lambda n: "\n@" + ris(n), size)[2:].encode("cp1252"))
        return path
    mk = _corpus_module()
    if kind == "bib":
        text = _sized(mk.corpus, size)
    elif kind == "zotero":
        text = _sized(lambda n: _zotero(mk, n), size)
    else:

        def hostile(n: int) -> str:
            clean = mk.corpus(n)
            parts, pos, i = [], 0, 0
            while pos < len(clean):  # a hostile block after every ~100 kB of clean entries
                cut = clean.find("\n@", pos + 100_000)
                cut = len(clean) if cut < 0 else cut + 1
                parts.append(clean[pos:cut])
                parts.append(_hostile_block(r, i))
                pos, i = cut, i + 1
            return "".join(parts)

        text = _sized(hostile, size)
    path = tmp / f"{kind}-{mb}.bib"
    path.write_text(text, encoding="utf-8")
    return path


def run(args: list[str], env: dict, src: Path | None = None) -> dict:
    """Measure one command in a fresh process (``src``: the ``src/`` folder to import mscbib from). The
    result has ``cpu``, ``rss_mb``, ``exit`` and ``out`` (what it printed on standard output)."""
    if src is not None:
        env = dict(env, PYTHONPATH=str(src))
    proc = subprocess.run(
        [sys.executable, "-c", _RUNNER, json.dumps(args)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    err = proc.stderr.decode("utf-8", "replace")
    last = [line for line in err.splitlines() if line.startswith('{"cpu"')]
    if not last:
        raise SystemExit(f"{args}: no measurement; stderr:\n{err[-2000:]}")
    return dict(json.loads(last[-1]), out=proc.stdout)


def baseline_src(rev: str, tmp: Path) -> Path:
    """The ``src/`` folder of git revision ``rev``, unpacked in ``tmp`` (the checkout is not touched)."""
    src = revision_src(rev, tmp / "against")
    # compiled now, as the checkout's modules are: else the first runs would time the compiler
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)], check=True)
    return src


def _written(args: list[str], result: dict) -> list[bytes]:
    """What a command wrote: its exit code and build's two files, or what the others printed."""
    if args[0] == "build":
        out = Path(args[args.index("-o") + 1])
        return [str(result["exit"]).encode()] + [
            f.read_bytes() if f.is_file() else b"(not written)" for f in (out, out.with_name("cited.bib"))
        ]
    return [str(result["exit"]).encode(), result["out"]]


def main() -> None:
    argv = sys.argv[1:]
    if any(a in ("-h", "--help") for a in argv):
        print(
            __doc__.strip() + "\n\nusage: python benchmarks/hostile_scaling.py [--kinds bib,zotero,hostile,ris] "
            "[--commands extract,check,build] [--against REV] [MB ...]"
        )
        return
    kinds, commands = ["bib", "zotero", "hostile", "ris"], ["extract", "check", "build"]
    sizes: list[float] = []
    against = None
    while argv:
        a = argv.pop(0)
        if a == "--kinds":
            kinds = argv.pop(0).split(",")
        elif a == "--commands":
            commands = argv.pop(0).split(",")
        elif a == "--against":
            against = argv.pop(0)
        else:
            sizes.append(float(a))
    sizes = sizes or [1, 2, 5, 10]
    print(
        f"{'input':8s} {'MB':>5s} {'command':8s} {'cpu s':>7s} {'s/MB':>6s} {'peak MB':>8s} exit"
        + (f"  | {against}: {'cpu s':>7s} {'s/MB':>6s} {'peak MB':>8s}  now/before  output" if against else "")
    )
    worst_rate, worst_rss, ratios, speedups, differ = 0.0, 0.0, [], [], 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = dict(
            os.environ,
            HOME=str(tmp / "home"),
            XDG_CACHE_HOME=str(tmp / "xdg"),
            XDG_CONFIG_HOME=str(tmp / "cfg"),
            MSCBIB_CACHE=str(tmp / "cache.sqlite3"),
        )
        env.pop("PYTHONPATH", None)
        before_src = baseline_src(against, tmp) if against else None
        for kind in kinds:
            rates: dict[str, list[float]] = {c: [] for c in commands}
            for mb in sizes:
                path = make_input(kind, mb, tmp)
                real_mb = path.stat().st_size / 1e6
                for command in commands:
                    if command == "check" and kind == "ris":
                        continue  # check reads .bib files
                    # a new output folder each run: over an earlier run's bigger library, build refuses to write
                    # (exit 4) and reads that library's keys first
                    out = tmp / f"out-{kind}-{mb:g}" / "library.bib"
                    args = {
                        "extract": ["extract", str(path)],
                        "check": ["check", "--offline", "--fail-on", "never", str(path)],
                        "build": ["build", "--offline", str(path), "-o", str(out)],
                    }[command]
                    (tmp / "cache.sqlite3").unlink(missing_ok=True)  # an empty cache each run
                    m = run(args, env)
                    rate = m["cpu"] / real_mb
                    rates[command].append(rate)
                    worst_rate, worst_rss = max(worst_rate, rate), max(worst_rss, m["rss_mb"])
                    line = (
                        f"{kind:8s} {real_mb:5.1f} {command:8s} {m['cpu']:7.2f} {rate:6.2f} {m['rss_mb']:8.0f} "
                        f"{m['exit']:4d}"
                    )
                    if before_src is not None:
                        now = _written(args, m)
                        (tmp / "cache.sqlite3").unlink(missing_ok=True)
                        shutil.rmtree(out.parent, ignore_errors=True)
                        b = run(args, env, before_src)
                        same = _written(args, b) == now
                        differ += not same
                        speedups.append((kind, mb, command, m["cpu"] / b["cpu"]))
                        line += (
                            f"  | {'':{len(against)}s}  {b['cpu']:7.2f} {b['cpu'] / real_mb:6.2f} {b['rss_mb']:8.0f}"
                            f"  {m['cpu'] / b['cpu']:10.2f}  {'identical' if same else 'DIFFERS'}"
                        )
                    print(line, flush=True)
                    shutil.rmtree(out.parent, ignore_errors=True)
                path.unlink()
            for command, r in rates.items():
                if len(r) > 1:
                    ratios.append((kind, command, r[-1] / r[0]))
    print()
    for kind, command, ratio in ratios:
        print(f"{kind:8s} {command:8s} s/MB at {sizes[-1]:g} MB over s/MB at {sizes[0]:g} MB: {ratio:4.2f}x")
    if against:
        for kind, mb, command, ratio in speedups:
            print(f"{kind:8s} {mb:5g} MB {command:8s} cpu now / cpu at {against}: {ratio:4.2f}")
        print(f"output: {'identical to' if not differ else f'{differ} run(s) DIFFER from'} {against}'s, byte for byte")
    print(
        f"worst: {worst_rate:.2f} s/MB (target <= {TARGET_S_PER_MB}: {'met' if worst_rate <= TARGET_S_PER_MB else 'NOT met'}),"
        f" peak {worst_rss:.0f} MB (target <= {TARGET_MB} for 10 MB: "
        f"{'met' if worst_rss <= TARGET_MB else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
