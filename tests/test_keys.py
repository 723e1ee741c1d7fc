"""Citation keys: Better BibTeX's default formula on the seeds, collisions and postfixes, custom formulas,
and the formula chosen by `mscbib build --key-formula`, MSCBIB_KEY_FORMULA or key_formula in mscbib.toml."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import ROOT
from mscbib.cli import main
from mscbib.keys import DEFAULT_FORMULA, FormulaError, assign_keys, citation_key, parse_formula
from mscbib.model import Person, Provenance, Record
from mscbib.sources import expand_inputs, read_inputs
from mscbib.sources.bibtex import BibtexFile

SEEDS = ROOT / "seeds"
SRC = Provenance("page", "synthetic.txt", 1)  # hand-made records below: synthetic
SEED_KEYS = ["bergfeldBoneMarrowDerived2010", "kamdjeMesenchymalStromalCells", "sunTumorAssociatedMesenchymal2025"]


def record(**fields) -> Record:
    rec = Record(source=SRC)
    for k, v in fields.items():
        rec.set(k, v, SRC)
    return rec


def seed_records() -> list[Record]:
    return read_inputs(expand_inputs([str(SEEDS)]), None).records


def test_the_seeds_get_better_bibtex_default_keys():
    recs = seed_records()
    assign_keys(recs)
    assert sorted(r.key for r in recs) == SEED_KEYS
    # and these are the keys of the committed library
    library = BibtexFile().read((ROOT / "bib" / "library.bib").read_text(encoding="utf-8"), "library.bib").records
    assert sorted(r.key for r in library) == SEED_KEYS


def test_default_formula_parts():
    rec = record(authors=[Person("Nwabo Kamdje", "Armel")], year="2017",
                 title="The role of a marrow-derived stem cell in β-tumours")
    # function words (the, of, a, in) skipped; hyphenated words split; folded to ASCII
    assert citation_key(rec) == "nwabokamdjeRoleMarrowDerived2017"
    assert citation_key(rec) == citation_key(rec, DEFAULT_FORMULA)
    assert citation_key(record()) == "anon"


def test_collisions_get_a_b_postfixes_in_order():
    same = [record(authors=[Person("Doe", "Jane")], title="Stem cells in tumours", year="2020") for _ in range(3)]
    assign_keys(same)
    assert [r.key for r in same] == ["doeStemCellsTumours2020", "doeStemCellsTumours2020a",
                                     "doeStemCellsTumours2020b"]


def test_a_postfix_never_takes_another_records_plain_key():
    # the third record's plain key is what the second would get as a postfixed key
    recs = [record(authors=[Person("Doe", "J")], title="Cells", year="2020"),
            record(authors=[Person("Doe", "J")], title="Cells", year="2020"),
            record(authors=[Person("Doe", "J")], title="Cells", year="2020a")]
    assign_keys(recs, "auth.lower + year")
    assert len({r.key for r in recs}) == 3
    assert recs[2].key == "doe2020a" and recs[0].key == "doe2020" and recs[1].key == "doe2020b"


def test_twenty_seven_collisions_run_past_z():
    recs = [record(authors=[Person("Doe", "J")], year="2020") for _ in range(28)]
    assign_keys(recs, "auth.lower + year")
    assert [r.key for r in recs][-2:] == ["doe2020z", "doe2020aa"]


def test_custom_formulas():
    recs = seed_records()
    assign_keys(recs, 'auth.lower + "_" + veryshorttitle.lower + shortyear')
    assert sorted(r.key for r in recs) == ["bergfeld_bone10", "kamdje_mesenchymal", "sun_tumor25"]
    assign_keys(recs, "auth.upper + year")
    assert sorted(r.key for r in recs) == ["BERGFELD2010", "KAMDJE", "SUN2025"]


@pytest.mark.parametrize("bad", ["auth + nosuchfield", "auth.shout", "auth + (", ""])
def test_a_formula_that_cannot_be_read_is_refused(bad):
    with pytest.raises(FormulaError):
        parse_formula(bad)


def _build(tmp_path, monkeypatch, *args, env=None):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MSCBIB_KEY_FORMULA", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))  # no user config file
    out = tmp_path / "lib.bib"
    res = CliRunner().invoke(main, ["build", str(SEEDS), "-o", str(out), "--offline", "--cache",
                                    str(tmp_path / "c.sqlite3"), *args], env=env or {})
    return res, out


def _keys(path) -> list[str]:
    return sorted(r.key for r in BibtexFile().read(path.read_text(encoding="utf-8"), str(path)).records)


def test_build_default_keys_unchanged(tmp_path, monkeypatch):
    res, out = _build(tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    assert _keys(out) == SEED_KEYS


def test_build_key_formula_option_env_and_config(tmp_path, monkeypatch):
    res, out = _build(tmp_path, monkeypatch, "--key-formula", "auth + year")
    assert res.exit_code == 0, res.output
    assert _keys(out) == ["Bergfeld2010", "Kamdje", "Sun2025"]
    res, out = _build(tmp_path, monkeypatch, env={"MSCBIB_KEY_FORMULA": "auth.upper + shortyear"})
    assert _keys(out) == ["BERGFELD10", "KAMDJE", "SUN25"]
    (tmp_path / "mscbib.toml").write_text('key_formula = "auth + \\"-\\" + year"\n', encoding="utf-8")
    res, out = _build(tmp_path, monkeypatch)
    assert _keys(out) == ["Bergfeld-2010", "Kamdje-", "Sun-2025"]
    # the option wins over the config file
    res, out = _build(tmp_path, monkeypatch, "--key-formula", "auth + year")
    assert _keys(out) == ["Bergfeld2010", "Kamdje", "Sun2025"]


def test_build_refuses_a_bad_formula_before_doing_anything(tmp_path, monkeypatch):
    res, out = _build(tmp_path, monkeypatch, "--key-formula", "auth + nosuchfield")
    assert res.exit_code == 2 and "nosuchfield" in res.output
    assert not out.exists()
