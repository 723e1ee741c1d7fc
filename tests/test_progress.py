"""The one progress display (issue 21): a tqdm bar on a terminal; a line every few seconds elsewhere (a pipe, a
log, a terminal with no size); the per-record counter no longer written over the bar."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import struct
import subprocess
import sys
import termios

import pytest

from conftest import SEEDS
from mscbib.commands._common import LookupBar
from mscbib.services.crossref import LookupStatus


class Answer:
    def __init__(self, status):
        self.status = status


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_not_a_terminal_is_a_line_every_interval_and_one_when_done():
    out, clock = io.StringIO(), Clock()
    bar = LookupBar(stream=out, clock=clock, interval=5)
    assert bar.mode == "lines"
    for i in range(100):
        clock.now = i * 0.2  # 100 answers over 20 s
        bar(Answer(LookupStatus.FOUND if i % 10 else LookupStatus.NOT_FOUND), 100)
    bar.close()
    lines = out.getvalue().splitlines()
    assert len(lines) == 3 + 1, lines  # at 5, 10 and 15 s, and the closing line
    assert lines[0] == "Crossref look-ups: 26/100 (26%): found 23, not found 3, failed 0"
    assert lines[-1] == "Crossref look-ups: 100/100 (100%): found 90, not found 10, failed 0"


def test_a_short_run_prints_nothing():
    out = io.StringIO()
    with LookupBar(stream=out, clock=Clock()) as bar:
        for _ in range(30):
            bar(Answer(LookupStatus.FOUND), 30)
    assert out.getvalue() == "" and bar.counts["found"] == 30


def _pty(cols: int):
    try:
        master, slave = pty.openpty()
    except OSError as exc:  # a machine with no pseudo-terminals
        pytest.skip(f"no pseudo-terminal: {exc}")
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
    return master, slave


def test_a_terminal_gets_the_bar_and_one_with_no_size_gets_lines():
    master, slave = _pty(80)
    with os.fdopen(slave, "w", closefd=False) as stream:
        assert LookupBar(stream=stream).mode == "bar"
    os.close(master), os.close(slave)
    master, slave = _pty(0)
    with os.fdopen(slave, "w", closefd=False) as stream:
        assert LookupBar(stream=stream).mode == "lines"
    os.close(master), os.close(slave)


def test_build_on_a_terminal_shows_the_bar_without_the_record_counter(standin, tmp_path):
    master, slave = _pty(100)
    cli = [sys.executable, "-c", "from mscbib.cli import main; main()"]  # wherever pip put the `mscbib` script
    proc = subprocess.Popen(
        [*cli, "build", str(SEEDS), "-o", str(tmp_path / "x.bib"), "--crossref-url", standin.url],
        stdout=subprocess.PIPE,
        stderr=slave,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "TERM": "xterm"},
    )
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        seen += chunk
    out, _ = proc.communicate(timeout=120)
    os.close(master)
    assert proc.returncode in (0, 1), out
    text = seen.decode("utf-8", "replace")
    assert "Crossref look-ups" in text and "look-up" in text
    assert "records looked up" not in text
    assert b"Wrote " in out


def test_advance_counts_steps_a_caller_counts_itself():
    """`check` counts its DOI look-ups itself (n of total): the same display, lines when not a terminal."""
    out, clock = io.StringIO(), Clock()
    bar = LookupBar(stream=out, clock=clock, interval=5, label="refs.bib: DOIs looked up")
    for n in range(1, 41):
        clock.now = n * 0.25
        bar.advance(n, 40)
    bar.close()
    assert out.getvalue().splitlines() == [
        "refs.bib: DOIs looked up: 21/40 (52%)",
        "refs.bib: DOIs looked up: 40/40 (100%)",
    ]  # 5 s after the first
