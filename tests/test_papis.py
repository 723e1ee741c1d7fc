"""`papis add --from mscbib FILE` with the real papis package (the optional `papis` extra), in a
temporary papis library, with Crossref played by the local stand-in; skipped when papis is absent."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from conftest import SEEDS

_WHY = (
    "the optional papis extra is not installed (pip install -e '.[test,papis]'); the test extra does not bring it: "
    "papis needs python-doi, which PyPI has only as a source archive"
)
yaml = pytest.importorskip("yaml", reason=_WHY)
pytest.importorskip("papis", reason=_WHY)

from mscbib.integrations.papis_importer import Importer, load_record, papis_data  # noqa: E402

BERGFELD = next(SEEDS.glob("004_*.txt"))  # PubMed page, "Scott A Bergfeld et al.", doi 10.1007/s10555-010-9222-7
KAMDJE = next(SEEDS.glob("002_*.txt"))  # PubMed page with a printed reference list


def papis_add(tmp_path, standin, *args):
    lib = tmp_path / "papers"
    lib.mkdir(exist_ok=True)
    conf = tmp_path / "papis-config"
    (conf / "papis").mkdir(parents=True, exist_ok=True)
    (conf / "papis" / "config").write_text(
        f"[settings]\ndefault-library = test\n\n[test]\ndir = {lib}\n", encoding="utf-8"
    )
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(conf),
        "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"),
        "MSCBIB_CROSSREF_URL": standin.url,
        # papis runs in its own process, outside the test's network guard: anything not on 127.0.0.1 fails
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "127.0.0.1",
    }
    papis = shutil.which("papis") or pytest.skip("the papis command is not installed")
    proc = subprocess.run(
        [papis, "add", "--batch", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
        timeout=120,
    )
    docs = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(lib.glob("*/info.yaml"))]
    return proc, docs


def test_papis_add_from_mscbib_imports_a_verified_page(tmp_path, standin):
    proc, docs = papis_add(tmp_path, standin, "--from", "mscbib", str(BERGFELD))
    assert proc.returncode == 0, proc.stderr
    assert len(docs) == 1
    doc = docs[0]
    assert doc["doi"] == "10.1007/s10555-010-9222-7"
    assert doc["title"] == "Bone marrow-derived mesenchymal stem cells and the tumor microenvironment"
    assert doc["volume"] == "29" and doc["number"] == "2" and doc["pages"] == "249--261"
    assert doc["mscbib_status"] == "verified"
    # the page printed "et al."; Crossref (the stand-in) supplied the full list and the ISSNs
    assert len(doc["author_list"]) == 2 and doc["author_list"][0]["family"] == "Bergfeld"
    assert "others" not in doc["author"]
    assert "0167-7659" in doc["issn"]
    assert standin.count() >= 1


def test_papis_add_from_mscbib_a_doi_list_picks_one_and_says_so(tmp_path, standin):
    dois = tmp_path / "dois.txt"
    dois.write_text("# synthetic list\n10.1007/s10555-010-9222-7\n10.1186/s40164-025-00688-7\n", encoding="utf-8")
    proc, docs = papis_add(tmp_path, standin, "--from", "mscbib", f"{dois}#2")
    assert proc.returncode == 0, proc.stderr
    assert [d["doi"] for d in docs] == ["10.1186/s40164-025-00688-7"]
    assert "10.1007/s10555-010-9222-7" in proc.stderr and "Not imported" in proc.stderr


def test_importer_matches_what_mscbib_reads(tmp_path):
    assert Importer.match(str(BERGFELD)) is not None
    assert Importer.match("10.1007/s10555-010-9222-7") is not None
    other = tmp_path / "notes.txt"
    other.write_text("just some words\n", encoding="utf-8")
    assert Importer.match(str(other)) is None


def test_papis_data_keeps_what_the_page_states_offline():
    rec, warnings = load_record(str(BERGFELD))
    assert warnings == []
    data = papis_data(rec)
    assert data["doi"] == "10.1007/s10555-010-9222-7" and data["author"].endswith(" and others")
    assert data["mscbib_source"].startswith(str(BERGFELD)) and data["type"] == "article"


def test_papis_add_keeps_the_printed_reference_list(tmp_path, standin):
    proc, docs = papis_add(tmp_path, standin, "--from", "mscbib", str(KAMDJE))
    assert proc.returncode == 0, proc.stderr
    rec, _ = load_record(str(KAMDJE))
    assert len(docs) == 1 and len(docs[0]["citations"]) == len(rec.references) >= 5
    assert docs[0]["citations"][0]["text"].startswith("Hass R")
