"""``check --fix --merge-duplicates`` merges near duplicates too (DUP002, issue 21): the same first author, year and
title, no two DOIs; every key kept (the others as ``ids``), every field kept (a conflicting journal as
``shortjournal``, any other conflicting value in ``annote``), with the diff, ``.bak`` and ``--dry-run`` of the safe
fixes; ``--ignore DUP002`` merges none. The pairs are synthetic, or made from the real Crossref records of
../shared/crossref-samples as a second export of the same paper would give them (abbreviated journal, no DOI)."""

from __future__ import annotations

from click.testing import CliRunner

from mscbib.bibfile import read_bib
from mscbib.cli import main
from mscbib.keys import assign_keys
from mscbib.services.crossref.mapping import record_from_work
from mscbib.validate.check import run_checks
from mscbib.validate.check.merge import plan_near_merges
from mscbib.writers import render_as
from test_check_real import shared_works

PAIR = """@article{smith2020a,
  author = {Smith, Jane and Doe, John},
  title = {Mesenchymal stromal cells in the tumour niche},
  journal = {Stem Cells and Development},
  year = {2020},
  volume = {29},
  pages = {1--10},
}

@article{smith2020b,
  author = {Smith, J. and Doe, J.},
  title = {Mesenchymal Stromal Cells in the Tumour Niche},
  journal = {Stem Cells Dev},
  year = {2020},
  doi = {10.1089/scd.2020.0001},
  abstract = {Cells \\& niches.},
}

@article{other2020,
  author = {Smith, Jane},
  title = {Something else entirely},
  journal = {Other},
  year = {2020},
}
"""  # synthetic


def check(*args: str):
    return CliRunner().invoke(main, ["check", "--offline", *args])


def test_a_near_duplicate_pair_is_merged_losing_nothing(tmp_path):
    p = tmp_path / "lib.bib"
    p.write_text(PAIR, encoding="utf-8")
    res = check("--fix", "--merge-duplicates", "--dry-run", str(p))
    assert "merge smith2020b into smith2020a (same first author, year and title)" in res.output
    assert "smith2020b's goes into shortjournal" in res.output and "-@article{smith2020b," in res.output
    assert p.read_text(encoding="utf-8") == PAIR and not (tmp_path / "lib.bib.bak").exists()  # --dry-run
    res = check("--fix", "--merge-duplicates", str(p))
    assert "Traceback" not in res.output
    assert (tmp_path / "lib.bib.bak").read_text(encoding="utf-8") == PAIR
    after = read_bib(p)
    assert [e.key for e in after.entries] == ["smith2020a", "other2020"]
    kept = after.entries[0]
    assert kept.get("ids") == "smith2020b"
    assert kept.get("doi") == "10.1089/scd.2020.0001" and kept.field("abstract").raw == "{Cells \\& niches.}"
    assert kept.get("journal") == "Stem Cells and Development" and kept.get("shortjournal") == "Stem Cells Dev"
    assert kept.get("author") == "Smith, Jane and Doe, John"  # the kept entry's values stay
    annote = kept.get("annote")
    assert "Merged from smith2020b: author = Smith, J. and Doe, J." in annote
    assert "Merged from smith2020b: title = Mesenchymal Stromal Cells in the Tumour Niche" in annote
    assert "DUP002" not in {i.finding.code for i in run_checks(read_bib(p)).issues}
    assert not after.failed


def test_ignore_dup002_or_no_flag_merges_none(tmp_path):
    p = tmp_path / "lib.bib"
    p.write_text(PAIR, encoding="utf-8")
    for extra in (["--merge-duplicates", "--ignore", "DUP002"], []):
        res = check("--fix", "--dry-run", *extra, str(p))
        assert "merge " not in res.output and "-@article{smith2020b," not in res.output


def test_two_dois_in_one_group_are_two_works_not_merged(tmp_path):
    text = (
        "@article{a, author = {Roe, Ann}, title = {One title of a work}, year = {2019}, doi = {10.1/a}}\n"
        "@article{b, author = {Roe, A.}, title = {One title of a work}, year = {2019}}\n"
        "@article{c, author = {Roe, Ann}, title = {One title of a work.}, year = {2019}, doi = {10.1/c}}\n"
    )  # synthetic
    p = tmp_path / "t.bib"
    p.write_text(text, encoding="utf-8")
    assert plan_near_merges(read_bib(p)) == []
    res = check("--fix", "--merge-duplicates", str(p))
    assert p.read_text(encoding="utf-8") == text and "merge " not in res.output


def test_real_records_and_their_abbreviated_twins_merge_with_nothing_lost(tmp_path, shared):
    """Each real Crossref record with a journal abbreviation, beside a twin as a PubMed export gives it: another
    key, the abbreviated journal, no DOI, a note of its own."""
    records = [record_from_work(w) for w in shared_works(shared)]
    assign_keys(records)
    picked = [r for r in records if r.get("journal_abbrev") and r.get("journal") != r.get("journal_abbrev")]
    picked = [
        r for r in picked if r.authors and r.authors[0].family and r.authors[0].given and r.get("year") and r.title
    ]
    picked = picked[:25]
    assert len(picked) >= 15
    originals = render_as(picked, "bibtex").split("\n\n")
    twins = []
    for r, entry in zip(sorted(picked, key=lambda r: r.key or ""), originals):
        twin = [
            f"@article{{{r.key}_pm,",
            f"  author = {{{r.authors[0].family}, {r.authors[0].given[:1]}.}},",
            f"  title = {{{r.title}}},",
            f"  journal = {{{r.get('journal_abbrev')}}},",
            f"  year = {{{r.get('year')}}},",
            "  note = {From a PubMed export},",
            "}",
        ]
        twins.append(entry.rstrip("\n") + "\n\n" + "\n".join(twin))
    text = "\n\n".join(twins) + "\n"
    p = tmp_path / "real.bib"
    p.write_text(text, encoding="utf-8")
    before = read_bib(p)
    res = check("--fix", "--merge-duplicates", str(p))
    assert "Traceback" not in res.output
    after = read_bib(p)
    assert not after.failed and len(after.entries) == len(picked), res.output
    kept = {e.key: e for e in after.entries}
    for e in before.entries:
        if not e.key.endswith("_pm"):
            assert e.key in kept
            for f in e.fields:  # every field of the kept entry is there as it was (a note may have more lines)
                now = kept[e.key].get(f.name) or ""
                assert now == f.value or (f.name == "annote" and now.startswith(f.value + "\n")), (e.key, f.name)
            continue
        into = kept[e.key[: -len("_pm")]]
        assert e.key in (into.get("ids") or "")  # the twin's key: an alias
        written = {f.name: f.value for f in into.fields}
        for f in e.fields:  # every value of the twin: in a field, shortjournal, or a line of annote
            value = f.value or ""
            assert (
                written.get(f.name) == value
                or (f.name == "journal" and written.get("shortjournal") == value)
                or f"Merged from {e.key}: {f.name} = {value}" in (written.get("annote") or "")
            ), (e.key, f.name, value)
    assert "DUP002" not in {i.finding.code for i in run_checks(after).issues}
