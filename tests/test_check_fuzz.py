"""Hypothesis: random and mutated .bib text never crashes the checker, and a --fix rewrite keeps every
block (entries, failed blocks, comments) and every byte outside the edited spans."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mscbib.bibfile import parse_bib
from mscbib.check import apply_edits, run_checks

SEED = (Path(__file__).resolve().parent / "fixtures" / "check" / "broken.bib").read_text(encoding="utf-8")
TOKENS = st.sampled_from(list('@{}(),="#%&_\\ \n\tabcdeXYZ019-–Ãé$~') + ["@article", "@string", " and ",
                                                                         "doi", "title", "pages", "month"])


def _mutate(text: str, ops: list[tuple[int, int, str]]) -> str:
    for pos, cut, ins in ops:
        pos = pos % (len(text) + 1)
        text = text[:pos] + ins + text[pos + cut:]
    return text


def _blocks(bib) -> list[str]:
    return [e.raw for e in bib.entries] + [f.raw for f in bib.failed]


def _check_rewrite(text: str) -> None:
    bib = parse_bib(text, "fuzz.bib")
    result = run_checks(bib, model="auto")
    edits = [i.edit for i in result.issues if i.edit is not None]
    new, applied = apply_edits(text, edits)
    # bytes outside the edited spans are unchanged
    pos_old = pos_new = 0
    for ed in applied:
        assert new[pos_new:pos_new + ed.start - pos_old] == text[pos_old:ed.start]
        pos_new += ed.start - pos_old + len(ed.new)
        pos_old = ed.end
    assert new[pos_new:] == text[pos_old:]
    # no block lost: the rewritten file has as many entries and failed blocks, with the same keys
    again = parse_bib(new, "fuzz.bib")
    assert [e.key for e in again.entries] == [e.key for e in bib.entries]
    assert len(again.failed) == len(bib.failed)
    assert len(again.comments) == len(bib.comments)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TOKENS, max_size=120).map("".join))
def test_random_text_never_crashes(text):
    _check_rewrite(text)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(SEED)), st.integers(0, 8), st.lists(TOKENS, max_size=3).map("".join)),
                min_size=1, max_size=6))
def test_mutated_broken_bib_never_crashes_and_loses_nothing(ops):
    _check_rewrite(_mutate(SEED, ops))
