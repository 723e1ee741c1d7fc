"""`check`'s near-duplicate check (DUP002) compares only what can be a duplicate (issue 15 item 5): entries that
both carry a DOI are never compared, so a (year, first author) block full of DOI-carrying entries costs what its
entries without a DOI cost. All entries here are SYNTHETIC."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest
from rapidfuzz import fuzz

from mscbib.bibfile import parse_bib
from mscbib.text import comparable
from mscbib.validate.check import run_checks


def _bib(entries):
    return "\n".join(
        f"@article{{{k},\n  author = {{Smith, John}},\n  title = {{{t}}},\n  year = {{2001}},\n"
        + (f"  doi = {{{d}}},\n" if d else "")
        + "  journal = {J Synth},\n}\n"
        for k, t, d in entries
    )


def _dup002(text):
    return sorted(
        (i.key, i.message.split(" as ")[1].split(" ")[0])
        for i in run_checks(parse_bib(text, "s.bib")).findings
        if i.code == "DUP002"
    )


def _brute(entries):
    """Every earlier entry against every later one, as the check promises (the first match wins)."""
    out = []
    for j, (kj, tj, dj) in enumerate(entries):
        for ki, ti, di in entries[:j]:
            if di and dj:
                continue
            if comparable(ti) and fuzz.ratio(comparable(ti), comparable(tj)) >= 95:
                out.append((kj, ki))
                break
    return sorted(out)


def test_a_block_of_doi_entries_compares_only_the_entries_without_one():
    rng = random.Random(2001)
    vocab = [
        w + s
        for w in ("growth", "muscle", "stromal", "marrow", "signal", "hormone", "kinase", "tissue")
        for s in ("", "s", "al", "ic", "ed", "ing")
    ]
    titles = [" ".join(rng.sample(vocab, 6)) for _ in range(2000)]
    entries = [(f"s{i}", t, f"10.5555/s{i}") for i, t in enumerate(titles)]  # all DOIs: never compared
    entries += [("bare1", titles[7], None), ("bare2", titles[7] + ".", None), ("bare3", "Unrelated", None)]
    assert _dup002(_bib(entries)) == _brute(entries) == [("bare1", "s7"), ("bare2", "s7")]


def test_the_same_findings_as_comparing_every_pair():
    rng = random.Random(15)
    words = "cell stem bone marrow stromal growth factor signal muscle rats old".split()
    entries = []
    for i in range(300):
        title = " ".join(rng.choice(words) for _ in range(5))
        entries.append((f"e{i}", title, f"10.5555/e{i}" if rng.random() < 0.6 else None))
    assert _dup002(_bib(entries)) == _brute(entries)


def test_check_offline_imports_neither_habanero_nor_numpy(tmp_path):
    (tmp_path / "a.bib").write_text(_bib([("a", "A title", "10.5555/a")]))
    code = (
        "import sys; from mscbib.cli import main\n"
        "try:\n    main(['check', '--offline', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('habanero', 'numpy', 'httpx2') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "a.bib")], capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout + out.stderr


@pytest.mark.parametrize(
    "value, family",
    [
        ("Smith, John and Doe, J.", "Smith"),
        ("John Smith and Jane Doe", "Smith"),
        ("de la Fontaine, Jean", "de la Fontaine"),
        ("Anna {van der Berg}", "van der Berg"),  # a braced group is one word (the last: the family)
        ("{World Health Organization} and Doe, J.", "World Health Organization"),
        ("{Smith, Jones and Co}", "Smith, Jones and Co"),  # a comma inside braces splits nothing
        ("Smith, Jr., John", "Smith"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_one_reading_of_the_first_family_name(value, family):
    """bibfile.first_family: the first author's family name as BibTeX reads it, for build's written keys and
    check's DUP002 blocks and CR011 (three readings before, which split '{Smith, Jones and Co}' at its comma or
    took 'Berg' for the family of 'Anna {van der Berg}')."""
    from mscbib.bibfile import first_family

    assert first_family(value) == family
