"""Issue 12, part B: nothing the user had is lost, no failure is silent, every way of failing has its exit code.

Every file written here is synthetic (made up in the test); the seeds are the project's own.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import mscbib._io as io_mod
from conftest import SEEDS, SYNTHETIC
from mscbib.cli import main
from mscbib.exits import EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK, EXIT_OUTPUT, EXIT_UNREACHABLE
from mscbib.refs import cited_path

SYNTH_BIB = """% synthetic entries, made up for this test
@article{alpha2001,
  author = {Alpha, Ann},
  title = {A first synthetic work},
  journal = {Journal of Synthetic Records},
  year = {2001},
  pages = {1-10},
}

@article{beta2002,
  author = {Beta, Bob},
  title = {A second synthetic work},
  journal = {Journal of Synthetic Records},
  year = {2002},
}
"""

BROKEN_BLOCK = "@article{broken2003,\n  author = {Gamma, Gus},\n  title = {Unclosed {brace,\n  year = 2003\n"


def run(*args, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], **kw)


def no_traceback(result):
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def n_entries(path: Path) -> int:
    from mscbib.writers import count_entries

    return count_entries(path.read_text(encoding="utf-8"))


# -- item 7: what a reader leaves unread is reported ---------------------------------------------------------
def test_forced_format_leaving_identifiers_unread_is_reported(tmp_path):
    dois = tmp_path / "dois.txt"
    dois.write_text("".join(f"doi:10.5555/mscbib-synth-{i:05d}\n" for i in range(20)))
    result = run("extract", "--format", "pubmed", dois)
    assert result.exit_code == EXIT_INPUT
    assert f"{dois}:2: left unread by the pubmed reader: 10.5555/mscbib-synth-00001 and 18 more" in result.stderr
    # build says the same, and does not pass it off as a 1-entry success
    result = run("build", "--offline", "--format", "pubmed", dois, "-o", tmp_path / "x.bib")
    assert result.exit_code == EXIT_INPUT
    assert "left unread" in result.output
    # a reader that finds nothing at all says so
    result = run("extract", "--format", "bibtex", dois)
    assert result.exit_code == EXIT_INPUT and "the bibtex reader found nothing to read in it" in result.stderr
    # read as what it is, nothing is left over
    result = run("extract", dois)
    assert result.exit_code == EXIT_OK and len(result.stdout.splitlines()) == 20


# -- item 9: a typo, nothing read, fewer entries: the library is kept ----------------------------------------
def test_missing_input_stops_before_any_work(tmp_path, standin):
    lib = tmp_path / "precious.bib"
    run("build", "--offline", SEEDS, "-o", lib)
    before, cited_before = lib.read_bytes(), (tmp_path / "precious.cited.bib").read_bytes()
    result = run("build", "--crossref-url", standin.url, tmp_path / "dosi.txt", "-o", lib)
    assert result.exit_code == EXIT_INPUT
    assert f"{tmp_path / 'dosi.txt'}: no such file or folder" in result.stderr
    assert standin.count() == 0  # before any work
    assert lib.read_bytes() == before and (tmp_path / "precious.cited.bib").read_bytes() == cited_before


def test_build_without_seeds_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("build", "--offline")
    assert result.exit_code == EXIT_INPUT
    assert "seeds: no such file or folder" in result.stderr
    assert not (tmp_path / "bib").exists()


def test_fewer_entries_do_not_replace_the_library_without_force(tmp_path):
    two = tmp_path / "two.bib"
    two.write_text(SYNTH_BIB)
    one = tmp_path / "one.bib"
    one.write_text(SYNTH_BIB.split("@article{beta2002")[0])
    lib = tmp_path / "lib.bib"
    assert run("build", "--offline", two, "-o", lib).exit_code == EXIT_OK
    before = lib.read_bytes()
    result = run("build", "--offline", one, "-o", lib)
    assert result.exit_code == EXIT_OUTPUT
    assert f"{lib}: holds 2 entries and this build made 1: not written" in result.stderr
    assert lib.read_bytes() == before and not Path(f"{lib}.bak").exists()
    result = run("build", "--offline", "--force", one, "-o", lib)
    assert result.exit_code == EXIT_OK
    assert n_entries(lib) == 1 and Path(f"{lib}.bak").read_bytes() == before
    assert f"kept as {lib}.bak" in result.stderr


def test_build_that_read_nothing_writes_nothing(tmp_path):
    empty = tmp_path / "notes.txt"
    empty.write_text("nothing bibliographic in here, just words\n")
    result = run("build", "--offline", empty, "-o", tmp_path / "lib.bib")
    assert result.exit_code == EXIT_OUTPUT
    assert not (tmp_path / "lib.bib").exists() and not (tmp_path / "lib.cited.bib").exists()


# -- items 9 and 11: a .bib block that does not parse is reported and written back ----------------------------
def test_build_onto_itself_keeps_the_unreadable_block(tmp_path):
    x = tmp_path / "x.bib"
    x.write_text(SYNTH_BIB + "\n" + BROKEN_BLOCK)
    result = run("build", "--offline", x, "-o", x)
    assert result.exit_code == EXIT_INPUT  # the block is reported ...
    assert "BibTeX block not parsed" in result.output
    text = x.read_text()
    assert BROKEN_BLOCK.strip() in text  # ... and kept, verbatim
    assert "A first synthetic work" in text and "A second synthetic work" in text and n_entries(x) == 3
    # a second build of the same file changes nothing and keeps it still
    again = x.read_text()
    run("build", "--offline", x, "-o", x)
    assert x.read_text() == again


def test_only_bibtex_blocks_are_written_back(tmp_path):
    dois = tmp_path / "dois.txt"
    # a list (four of five lines identifiers, as the doi-list reader wants), one line of it not an identifier
    dois.write_text(
        "10.5555/mscbib-synth-00001\n10.5555/mscbib-synth-00002\n10.5555/mscbib-synth-00003\n"
        "10.5555/mscbib-synth-00004\nnot an identifier at all\n"
    )
    ris = tmp_path / "x.ris"
    ris.write_text("TY  - JOUR\nTI  - A synthetic title never closed\n")
    bib = tmp_path / "b.bib"
    bib.write_text(SYNTH_BIB + "\n" + BROKEN_BLOCK)
    out = tmp_path / "out.bib"
    result = run("build", "--offline", dois, ris, bib, "-o", out)
    assert result.exit_code == EXIT_INPUT
    text = out.read_text()
    assert BROKEN_BLOCK.strip() in text
    assert "not an identifier" not in text and "TY  - JOUR" not in text


# -- item 10: the cited file is named after the library ---------------------------------------------------
def test_cited_file_is_named_after_the_library(tmp_path):
    assert cited_path("bib/library.bib") == os.path.join("bib", "cited.bib")
    assert cited_path(str(tmp_path / "paper.bib")) == str(tmp_path / "paper.cited.bib")
    (tmp_path / "a.bib").write_text(SYNTH_BIB)
    assert run("build", "--offline", SEEDS, "-o", tmp_path / "paper.bib").exit_code == EXIT_OK
    seeds_cited = (tmp_path / "paper.cited.bib").read_bytes()
    assert run("build", "--offline", tmp_path / "a.bib", "-o", tmp_path / "other.bib").exit_code == EXIT_OK
    assert (tmp_path / "paper.cited.bib").read_bytes() == seeds_cited  # not overwritten by the other library
    assert (tmp_path / "other.cited.bib").is_file() and not (tmp_path / "cited.bib").exists()
    # refs reads the cited file beside the library
    key = next(
        line.split("{")[1].rstrip(",")
        for line in (tmp_path / "paper.bib").read_text().splitlines()
        if line.startswith("@")
    )
    result = run("refs", key, "-f", tmp_path / "paper.bib")
    assert result.exit_code == EXIT_OK, result.output


# -- item 12: file mode kept, symlinks written through ----------------------------------------------------
def test_mode_is_kept_and_new_files_follow_the_umask(tmp_path):
    lib = tmp_path / "lib.bib"
    old = os.umask(0o022)
    try:
        assert run("build", "--offline", SEEDS, "-o", lib).exit_code == EXIT_OK
        assert stat.S_IMODE(lib.stat().st_mode) == 0o644
        assert stat.S_IMODE((tmp_path / "lib.cited.bib").stat().st_mode) == 0o644
        lib.chmod(0o640)
        assert run("build", "--offline", SEEDS, "-o", lib).exit_code == EXIT_OK
        assert stat.S_IMODE(lib.stat().st_mode) == 0o640
    finally:
        os.umask(old)


def test_check_fix_writes_through_a_symlink(tmp_path):
    target = tmp_path / "real" / "refs.bib"
    target.parent.mkdir()
    target.write_text(SYNTH_BIB)
    link = tmp_path / "link.bib"
    link.symlink_to(target)
    result = run("check", "--offline", "--fix", link)
    no_traceback(result)
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert "pages = {1--10}" in target.read_text()
    assert Path(f"{link}.bak").read_text() == SYNTH_BIB


def test_build_writes_through_a_symlinked_library(tmp_path):
    target = tmp_path / "store" / "library.bib"
    target.parent.mkdir()
    link = tmp_path / "lib.bib"
    link.symlink_to(target)
    assert run("build", "--offline", SEEDS, "-o", link).exit_code == EXIT_OK
    assert link.is_symlink() and n_entries(target) == 3


# -- issue 16's leftovers: stale temporary files, and the library/cited pair --------------------------------
def test_stale_temporary_files_of_killed_runs_are_removed(tmp_path):
    lib = tmp_path / "lib.bib"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = [
        tmp_path / f".lib.bib.{dead.pid}-0badc0de.tmp",
        tmp_path / ".lib.bib.k3x9q2ab.tmp",
        tmp_path / f".lib.cited.bib.{dead.pid}-0badc0de.tmp",
    ]
    for f in stale:
        f.write_text("half a library")
    old = time.time() - 3600
    os.utime(stale[1], (old, old))
    alive = tmp_path / f".lib.bib.{os.getppid()}-0badc0de.tmp"  # a live process's write in progress: kept
    alive.write_text("being written")
    other = tmp_path / ".notes.txt.k3x9q2ab.tmp"  # not a temporary file of ours: kept
    other.write_text("not ours")
    os.utime(other, (old, old))
    assert run("build", "--offline", SEEDS, "-o", lib).exit_code == EXIT_OK
    assert not any(f.exists() for f in stale)
    assert alive.exists() and other.exists()


def test_a_kill_between_the_two_renames_is_completed_by_the_next_write(tmp_path, monkeypatch):
    lib, cited = tmp_path / "lib.bib", tmp_path / "lib.cited.bib"
    lib.write_text("% old library\n")
    cited.write_text("% old cited\n")
    real_replace = os.replace
    calls = []

    class Killed(BaseException):
        pass

    def replace_then_die(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise Killed  # the process dies after the first rename
        real_replace(src, dst)

    monkeypatch.setattr(io_mod.os, "replace", replace_then_die)
    with pytest.raises(Killed):
        io_mod.atomic_write_pair(lib, "% new library\n", cited, "% new cited\n")
    monkeypatch.setattr(io_mod.os, "replace", real_replace)
    assert calls[0] == str(cited.resolve())  # the cited file is renamed first
    assert cited.read_text() == "% new cited\n" and lib.read_text() == "% old library\n"
    assert io_mod.pending_pair(lib) is not None  # the mismatch is known, and said by the commands that read it
    assert "left them out of step" in run("export", "--to", "ris", lib).stderr
    # the next build finishes the interrupted pair first, and says so
    monkeypatch.chdir(tmp_path)  # the journal's paths are absolute: another working folder finishes it too
    result = run("build", "--offline", SEEDS, "-o", "lib.bib")
    assert "completed the write an interrupted build left half done" in result.stderr
    assert io_mod.pending_pair(lib) is None
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert io_mod.recover_pair(lib) == []


def test_recover_pair_from_the_second_file(tmp_path):
    lib, cited = tmp_path / "lib.bib", tmp_path / "lib.cited.bib"
    tmp = tmp_path / ".lib.bib.1-00000000.tmp"
    tmp.write_text("% new library\n")
    cited.write_text("% new cited\n")
    lib.write_text("% old library\n")
    (tmp_path / ".lib.bib.pair").write_text(f'[["{tmp_path / "gone.tmp"}", "{cited}"], ["{tmp}", "{lib}"]]')
    assert io_mod.recover_pair(cited) == [lib]
    assert lib.read_text() == "% new library\n" and io_mod.pending_pair(lib) is None


# -- item 13: Ctrl-C ---------------------------------------------------------------------------------------
def test_ctrl_c_stops_within_a_second_keeps_the_cache_and_the_outputs(tmp_path, synthetic_standin):
    synthetic_standin.latency = 0.5  # every answer takes half a second: the build runs for many seconds
    dois = tmp_path / "dois.txt"
    dois.write_text("".join(w["DOI"] + "\n" for w in SYNTHETIC))
    titles = tmp_path / "titles.bib"  # no DOI: each is a search, one request each
    titles.write_text(
        "".join(
            f"@article{{t{i},\n  title = {{Synthetic study number {i} of stromal cell "
            f"signalling}},\n  author = {{Synthetic{i}, Ada}},\n  year = {{{2000 + i % 25}}},\n}}\n\n"
            for i in range(60)
        )
    )
    lib = tmp_path / "lib.bib"
    lib.write_text("% the library before\n@article{old, title = {Old}}\n")
    cache = tmp_path / "cache.sqlite3"
    env = dict(os.environ, MSCBIB_CACHE=str(cache), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from mscbib.cli import main; sys.argv[0] = 'mscbib'; main()",
            "build",
            str(dois),
            str(titles),
            "-o",
            str(lib),
            "--force",
            "--crossref-url",
            synthetic_standin.url,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 30
    while synthetic_standin.count() < 3 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(0.6)
    assert proc.poll() is None, "the build ended before it could be interrupted"
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    took = time.monotonic() - sent
    assert proc.returncode == EXIT_INTERRUPTED, err
    assert took < 3, f"stopped {took:.2f}s after Ctrl-C"  # within a second, as benchmarks/integrity.py measures
    assert "interrupted" in err and "Traceback" not in err
    assert lib.read_text() == "% the library before\n@article{old, title = {Old}}\n"
    assert not (tmp_path / "lib.cited.bib").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    with sqlite3.connect(cache) as db:  # what was received before Ctrl-C is kept
        assert db.execute("SELECT COUNT(*) FROM answers").fetchone()[0] >= 1


# -- item 14: messages, not tracebacks; outputs checked before the work -------------------------------------
@pytest.fixture
def blocked(tmp_path):
    """A path whose folder cannot exist: a file is in the way (fails for root too, unlike a read-only folder)."""
    (tmp_path / "afile").write_text("in the way\n")
    return tmp_path / "afile" / "sub"


def test_build_checks_its_outputs_before_asking_crossref(tmp_path, standin, blocked):
    for args in (["-o", blocked / "lib.bib"], ["-o", tmp_path / "ok.bib", "--report", blocked / "r.json"]):
        result = run("build", "--crossref-url", standin.url, SEEDS, *args)
        no_traceback(result)
        assert result.exit_code == EXIT_OUTPUT
        assert str(blocked) in result.stderr
        assert standin.count() == 0
        assert not (tmp_path / "ok.bib").exists()


@pytest.mark.skipif(
    os.geteuid() == 0, reason="root writes into a read-only folder (the 'file in the way' tests cover root)"
)
def test_read_only_folder_is_a_message(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    lib = tmp_path / "lib.bib"
    lib.write_text(SYNTH_BIB)
    aux = tmp_path / "paper.aux"
    aux.write_text("\\citation{alpha2001}\n")
    ro.chmod(0o555)
    try:
        for args in (
            ["build", "--offline", SEEDS, "-o", ro / "x.bib"],
            ["build", "--offline", SEEDS, "-o", tmp_path / "x.bib", "--report", ro / "r.json"],
            ["build", "--offline", SEEDS, "-o", tmp_path / "x.bib", "--cache", ro / "c" / "c.sqlite3"],
            ["export", "--to", "ris", "-o", ro / "x.ris", lib],
            ["graph", "-o", ro / "g", lib],
            ["subset", aux, "--library", lib, "-o", ro / "s.bib"],
        ):
            result = run(*args)
            no_traceback(result)
            assert result.exit_code == EXIT_OUTPUT, (args, result.output)
            assert str(ro) in result.stderr
    finally:
        ro.chmod(0o755)


def test_unusable_cache_is_a_message(tmp_path, blocked):
    result = run("build", "--cache", blocked / "c.sqlite3", SEEDS, "-o", tmp_path / "x.bib")
    no_traceback(result)
    assert result.exit_code == EXIT_OUTPUT
    assert "cannot open the Crossref cache" in result.stderr and str(blocked) in result.stderr
    result = run("check", "--cache", blocked / "c.sqlite3", SEEDS.parent / "bib" / "library.bib")
    no_traceback(result)
    assert result.exit_code == EXIT_OUTPUT


def test_export_graph_subset_into_an_unwritable_place(tmp_path, blocked):
    lib = tmp_path / "lib.bib"
    lib.write_text(SYNTH_BIB)
    aux = tmp_path / "paper.aux"
    aux.write_text("\\citation{alpha2001}\n")
    for args in (
        ["export", "--to", "ris", "-o", blocked / "x.ris", lib],
        ["graph", "-o", blocked / "g", lib],
        ["subset", aux, "--library", lib, "-o", blocked / "s.bib"],
    ):
        result = run(*args)
        no_traceback(result)
        assert result.exit_code == EXIT_OUTPUT, (args, result.output)
        assert str(blocked) in result.stderr


def test_check_fix_that_cannot_keep_its_backup(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(SYNTH_BIB)
    (tmp_path / "refs.bib.bak").mkdir()  # the backup cannot be written
    result = run("check", "--offline", "--fix", bib)
    no_traceback(result)
    assert result.exit_code == EXIT_OUTPUT
    assert "refs.bib.bak: cannot keep the original as a backup" in result.stderr
    assert bib.read_text() == SYNTH_BIB  # no backup, no change


def test_unknown_input_format_is_a_usage_error(tmp_path):
    result = run("build", "--offline", "--format", "nosuch", SEEDS, "-o", tmp_path / "x.bib")
    no_traceback(result)
    assert result.exit_code == EXIT_INPUT and "unknown format 'nosuch'" in result.output
    assert not (tmp_path / "x.bib").exists()


@pytest.mark.parametrize(
    "command", [["export", "--to", "ris"], ["tags"], ["refs", "somekey", "-f"], ["graph"], ["check", "--offline"]]
)
def test_binary_files_are_named_errors(tmp_path, command):
    binary = tmp_path / "binary.bin"
    binary.write_bytes(bytes(range(256)) * 8)
    result = run(*command, binary)
    no_traceback(result)
    assert result.exit_code == EXIT_INPUT, result.output
    assert str(binary) in result.stderr and "binary" in result.stderr


def test_check_of_a_text_file_that_is_no_bibtex(tmp_path):
    notes = tmp_path / "dois.txt"
    notes.write_text("10.5555/mscbib-synth-00001\n")
    result = run("check", "--offline", notes)
    assert result.exit_code == EXIT_INPUT and "not a BibTeX file" in result.stderr


def test_subset_without_a_library(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "paper.aux").write_text("\\citation{x}\n")
    result = run("subset", "paper.aux")
    no_traceback(result)
    assert result.exit_code == EXIT_INPUT
    assert "bib/library.bib: cannot read" in result.stderr


# -- item 15: check exits 3 when Crossref cannot be reached ----------------------------------------------
def test_check_exits_3_when_crossref_is_unreachable(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(SYNTH_BIB.replace("  pages = {1-10},\n", "  doi = {10.5555/mscbib-synth-00001},\n"))
    result = run("check", "--crossref-url", "http://127.0.0.1:9", "--doi-handle-url", "http://127.0.0.1:9", bib)
    assert result.exit_code == EXIT_UNREACHABLE, result.output
    assert "Crossref unreachable" in result.output
    assert run("check", "--offline", bib).exit_code == EXIT_OK


def test_exit_codes_in_the_readme_are_the_codes_of_mscbib_exits():
    from mscbib import exits

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Exit codes", 1)[1].split("\n## ", 1)[0]
    codes = {int(line.split("|")[1].strip().strip("`")) for line in table.splitlines() if line.startswith("| `")}
    assert codes == set(exits.PRECEDENCE)
    assert EXIT_FINDINGS == 1
