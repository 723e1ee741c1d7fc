"""The build report as text (issue 21): a legend for the markers, wrapped lines, words instead of field names,
plurals right, errors first, ``--quiet``, and the merge of a duplicate shown."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from conftest import SEEDS
from mscbib.cli import main
from mscbib.model import FIELDS
from mscbib.pipeline.build import build
from mscbib.pipeline.report import FIELD_WORDS, LEGEND, WIDTH, plural, report_text

PUBMED_SEED = SEEDS / "004_899c7bae68d53af6.txt"  # doi:10.1007/s10555-010-9222-7, in the stand-in's fixtures


def _finding(line: str) -> bool:
    return line.startswith("[xx] ") or line.startswith(("     error ", "     warning ", "     info "))


@pytest.fixture
def mixed(tmp_path):
    """Synthetic inputs: a seed page, a DOI list repeating its DOI (a duplicate) and naming one the stand-in does not
    know (an error), and a binary file (unreadable)."""
    shutil.copy(PUBMED_SEED, tmp_path / "page.txt")
    (tmp_path / "dois.txt").write_text("# synthetic\n10.1007/s10555-010-9222-7\n10.9999/synthetic-unknown-doi\n")
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\x02binary\xff")
    return tmp_path


def test_report_of_a_mixed_build(mixed, client):
    result = build(
        [str(mixed / "page.txt"), str(mixed / "dois.txt"), str(mixed / "blob.txt")], str(mixed / "out.bib"), client
    )
    text = report_text(result)
    lines = text.splitlines()
    assert lines[0] == LEGEND
    # errors first: the unreadable input, then the entry with the unknown DOI, then the verified one
    marks = [line[:4] for line in lines[1:] if line[:1] == "["]
    assert marks[:2] == ["[xx]", "[!!]"] and "[ok]" in marks[2:]
    assert lines[1].startswith("[xx]") and "blob.txt" in lines[1]
    unknown = next(line for line in lines if line.startswith("[!!]"))
    assert "10.9999/synthetic-unknown-doi" in unknown and "DOI unknown to Crossref" in unknown
    # the duplicate merge is in the text report, with both places and the entry kept
    joined = " ".join(line.strip() for line in lines)  # the phrases, whatever the wrapping
    merged = joined.split("merged: ", 1)[1]
    assert "dois.txt:2" in merged and "page.txt" in merged and "bergfeldBoneMarrowderivedMesenchymal2010" in merged
    assert "1 duplicate merged" in joined
    # plurals right
    assert "1 input not read" in joined and "2 errors, 0 warnings" in joined
    assert "1 inputs" not in text and "1 errors" not in text and "1 warnings" not in text
    # lists wrapped (a finding stays on one line, so grep finds it whole), no internal field names
    assert max(len(line) for line in lines if not _finding(line)) <= WIDTH + 20
    verified = next(line for line in lines if line.startswith("     from Crossref: "))
    assert "journal_abbrev" not in text and "authors_complete" not in text and "_" not in verified


def test_quiet_is_errors_and_summary_only(mixed, client):
    result = build(
        [str(mixed / "page.txt"), str(mixed / "dois.txt"), str(mixed / "blob.txt")], str(mixed / "out.bib"), client
    )
    quiet = report_text(result, quiet=True).splitlines()
    assert quiet[0] == LEGEND and quiet[1].startswith("[xx]")
    assert [line[:4] for line in quiet[1:] if line[:1] == "["] == ["[xx]", "[!!]"]
    assert [line for line in quiet if line.startswith("     ")] == [
        line for line in quiet if line.startswith("     error ") or line.startswith("       ")
    ]
    assert not any("tags:" in line or "from Crossref" in line or line.startswith("[ok]") for line in quiet[1:])
    assert any(line.startswith("Wrote ") for line in quiet[-3:])


def test_build_quiet_on_the_command_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(main, ["build", str(SEEDS), "-o", "x.bib", "--offline", "-q"])
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines() == ["Wrote x.bib: 3 entries (3 not verified); 0 errors, 4 warnings."]


def test_seeds_report_reads_at_a_glance(tmp_path):
    """The report a newcomer's first build prints (offline: the committed library): legend, short lines."""
    res = CliRunner().invoke(main, ["build", str(SEEDS), "-o", str(tmp_path / "x.bib"), "--offline"])
    lines = res.output.splitlines()
    assert lines[0] == LEGEND
    assert max(len(line) for line in lines if not _finding(line)) <= WIDTH, max(lines, key=len)
    assert all(len(line) < 200 for line in lines)
    assert any(line.startswith("     tags: angiogenesis, bone marrow-derived MSCs, cancer,") for line in lines)
    assert "Crossref (offline, cache only): 0 requests, 0 answers from cache." in lines


def test_plural():
    assert [plural(n, "request") for n in (0, 1, 2)] == ["0 requests", "1 request", "2 requests"]
    assert plural(1, "entry", "entries") == "1 entry" and plural(3, "entry", "entries") == "3 entries"


def test_every_field_name_with_an_underscore_has_words():
    assert {f for f in FIELDS if "_" in f} <= set(FIELD_WORDS)


def test_command_summaries_say_one_in_the_singular(tmp_path, monkeypatch):
    """`subset` and `tags` on a one-entry library: "1 entry", "1 cited key missing", not "1 entries"."""
    monkeypatch.chdir(tmp_path)
    lib = tmp_path / "one.bib"
    lib.write_text("@article{only2020,\n  title = {A synthetic entry},\n  keywords = {alone}\n}\n")
    (tmp_path / "paper.aux").write_text("\\citation{only2020}\n\\citation{absent2021}\n")
    r = CliRunner().invoke(main, ["subset", "paper.aux", "--library", str(lib), "-o", "out.bib"])
    assert "1 entry (0 as crossref/xdata parents), 1 cited key missing" in r.output, r.output
    r = CliRunner().invoke(main, ["tags", str(lib)])
    assert f"1 tag on 1 entry of {lib}" in r.output, r.output


def test_a_line_that_fits_is_wrapped_as_textwrap_wraps_it():
    """_wrap gives a line that fits (single spaces, nothing to fold) without textwrap, the same list textwrap gives."""
    import random
    import textwrap

    from mscbib.pipeline.report import _wrap

    r = random.Random(16)
    texts = ["", " ", "tags: a, b", " lead", "trail ", "x" * 120] + [
        "".join(r.choice("ab ,:\t\n\u00a0é") for _ in range(r.randrange(0, 130))) for _ in range(3000)
    ]
    fits = 0
    for text in texts:
        for indent in ("", "     "):
            want = textwrap.wrap(
                text,
                WIDTH,
                initial_indent=indent,
                subsequent_indent=indent + "  ",
                break_long_words=False,
                break_on_hyphens=False,
            ) or [indent.rstrip()]
            assert _wrap(text, indent) == want, (text, indent)
            fits += len(want) == 1 and want[0] == indent + text
    assert fits > 100  # the fast path taken (deterministic: 161 of them)
