"""DOIs Crossref does not know, asked of the DOI resolver by content negotiation (stand-ins on 127.0.0.1;
every work here is synthetic)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mscbib.cli import main
from mscbib.enrich.agencies import AgencyClient, AgencyStatus
from mscbib.pipeline.build import build
from mscbib.services.crossref import CrossrefClient
from mscbib.testing.doi_standin import DoiStandIn, datacite_item

ZENODO = "10.5281/zenodo.4711"
ARXIV = "10.48550/arxiv.2101.00001"
MEDRA = "10.1400/12345"  # an agency that answers no CSL-JSON in this stand-in


@pytest.fixture
def doi_standin():
    works = {
        ZENODO: ("DataCite", datacite_item(ZENODO)),
        ARXIV: (
            "DataCite",
            datacite_item(
                "10.48550/arXiv.2101.00001", "Synthetic preprint on signalling", kind="article", publisher="arXiv"
            ),
        ),
        MEDRA: ("mEDRA", None),
    }
    with DoiStandIn(works) as server:
        yield server


def _build(tmp_path, lines, crossref, resolver, cache, **kw):
    ids = tmp_path / "ids.txt"
    ids.write_text("\n".join(lines) + "\n", encoding="utf-8")
    client = CrossrefClient(base_url=crossref.url, mailto="t@example.org", cache=cache)
    agencies = AgencyClient(resolver.url, cache=cache, **kw)
    return build([str(ids)], str(tmp_path / "out.bib"), client, agencies=agencies, references=False), agencies


def test_a_datacite_doi_is_enriched_from_datacite_not_an_error(tmp_path, standin, doi_standin, cache):
    result, _ = _build(tmp_path, [ZENODO], standin, doi_standin, cache)
    [rec] = result.records
    assert result.exit_code == 0 and not [f for f in result.findings if f.severity.value == "error"]
    assert rec.title == "Synthetic dataset of stromal cell signalling" and rec.get("publisher") == "Zenodo"
    assert rec.get("type") == "dataset" and rec.get("year") == "2021"
    assert rec.origin_of("title").origin == "datacite" and rec.origin_of("title").detail == ZENODO
    assert [f.code for f in rec.findings] == ["AGY001"] and "DataCite" in rec.findings[0].message
    # content negotiation asked for CSL-JSON and followed the resolver's redirect to the agency
    asked = [r for r in doi_standin.requests if not r.path.startswith("/ra/")]
    assert asked[0].headers["accept"] == "application/vnd.citationstyles.csl+json"
    assert asked[-1].path.startswith("/_agency/DataCite/")
    assert "Synthetic dataset" in (tmp_path / "out.bib").read_text()


def test_a_doi_no_agency_knows_stays_cr002(tmp_path, standin, doi_standin, cache):
    result, _ = _build(tmp_path, ["10.9999/nobody-registered-this"], standin, doi_standin, cache)
    assert [f.code for f in result.findings if f.severity.value == "error"] == ["CR002"]
    assert result.exit_code == 1
    assert doi_standin.count("/ra/") == 1 and doi_standin.count() == 1  # no content negotiation for it


def test_an_agency_without_csl_json_is_not_an_error(tmp_path, standin, doi_standin, cache):
    result, _ = _build(tmp_path, [MEDRA], standin, doi_standin, cache)
    [rec] = result.records
    assert result.exit_code == 0 and [f.code for f in rec.findings] == ["AGY001"]
    assert "mEDRA gives no metadata" in rec.findings[0].message and not rec.title


def test_an_arxiv_id_maps_to_its_datacite_doi(tmp_path, standin, doi_standin, cache):
    result, _ = _build(tmp_path, ["arXiv:2101.00001v2"], standin, doi_standin, cache)
    [rec] = result.records
    assert rec.doi == ARXIV and rec.title == "Synthetic preprint on signalling" and result.exit_code == 0


def test_warm_and_offline_runs_ask_nothing(tmp_path, standin, doi_standin, cache):
    _build(tmp_path, [ZENODO, "10.9999/nobody"], standin, doi_standin, cache)
    before = len(doi_standin.requests), len(standin.requests)
    result, agencies = _build(tmp_path, [ZENODO, "10.9999/nobody"], standin, doi_standin, cache)
    assert (len(doi_standin.requests), len(standin.requests)) == before and agencies.stats.requests == 0
    assert {r.doi: r.title for r in result.records}[ZENODO].startswith("Synthetic dataset")
    fresh = AgencyClient(doi_standin.url, offline=True)
    assert fresh.lookup(ZENODO).status is AgencyStatus.OFFLINE and len(doi_standin.requests) == before[0]


def test_resolver_unreachable_keeps_cr002_and_says_why(tmp_path, standin, cache):
    ids = tmp_path / "ids.txt"
    ids.write_text(ZENODO + "\n", encoding="utf-8")
    client = CrossrefClient(base_url=standin.url, mailto="t@example.org", cache=cache)
    result = build([str(ids)], None, client, agencies=AgencyClient("http://127.0.0.1:9", cache=cache), references=False)
    assert [f.code for f in result.findings] == ["AGY002", "CR002"]


def test_cli_build_and_check_agree_on_a_datacite_doi(tmp_path, standin, doi_standin, monkeypatch):
    monkeypatch.setenv("MSCBIB_DOI_RESOLVER_URL", doi_standin.url)
    ids = tmp_path / "ids.txt"
    ids.write_text(ZENODO + "\n", encoding="utf-8")
    out, cache = tmp_path / "lib.bib", str(tmp_path / "c.sqlite3")
    res = CliRunner().invoke(main, ["build", str(ids), "-o", str(out), "--crossref-url", standin.url, "--cache", cache])
    assert res.exit_code == 0, res.output
    assert "Synthetic dataset" in out.read_text() and "CR002" not in res.output
    monkeypatch.setenv("MSCBIB_DOI_HANDLE_URL", doi_standin.url)
    res = CliRunner().invoke(main, ["check", str(out), "-v", "--crossref-url", standin.url, "--cache", cache])
    assert res.exit_code == 0 and "DOI005" in res.output and "CR002" not in res.output, res.output


@pytest.mark.parametrize(
    "text, ident",
    [
        ("arXiv:2101.00001", "2101.00001"),
        ("arXiv:2101.00001v3", "2101.00001"),
        ("arxiv: 1501.00001", "1501.00001"),
        ("hep-th/9901001", "hep-th/9901001"),
        ("arXiv:math.GT/0309136v1", "math.GT/0309136"),
        ("https://arxiv.org/abs/hep-th/9901001v1", "hep-th/9901001"),
        ("arxiv.org/pdf/2101.00001v1.pdf", "2101.00001"),
        ("arXiv:cs.LG/1301.0604", "1301.0604"),
        ("2101.00001", None),
        ("pubmed/1234567", None),
        ("hepph/9905221", None),
        ("arXiv:21.0001", None),
    ],
)
def test_arxiv_identifiers(text, ident):
    from mscbib.identifiers import arxiv_doi, normalize_arxiv
    from mscbib.sources.idlist import parse_identifier

    assert normalize_arxiv(text) == ident
    assert parse_identifier(text) == (("doi", arxiv_doi(ident)) if ident else None)


def test_arxiv_ids_in_real_reference_strings(shared):
    """Every arXiv identifier form printed in the real training reference strings (anystyle, GROBID) is read,
    but for a misspelt archive name ('hepph')."""
    import re

    from mscbib.identifiers import normalize_arxiv

    found = set()
    for path in (shared / "refstrings-train").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            found |= {
                m.group(0)
                for m in re.finditer(
                    r"arxiv:? ?[a-z\-]*(?:\.[A-Z]{2})?/?[0-9]{4}\.?[0-9]{3,5}(?:v[0-9]+)?|arxiv\.org/abs/[^\s<\"]+",
                    text,
                    re.I,
                )
            }
    if not found:
        pytest.skip("no arXiv identifiers in the shared reference strings")
    missed = sorted(t for t in found if not normalize_arxiv(re.sub(r"(?i)^arxiv ", "arXiv:", t)))
    assert len(found) >= 200 and all("hepph" in t.lower() for t in missed), missed


def test_agencies_of_many_dois_are_asked_in_one_request(tmp_path, standin, doi_standin, cache):
    result, agencies = _build(tmp_path, [ZENODO, ARXIV, MEDRA, "10.9999/nobody"], standin, doi_standin, cache)
    assert doi_standin.count("/ra/") == 1  # one batch for the four; then content negotiation for the two with CSL
    assert doi_standin.count("/_agency/") == 2 and agencies.stats.requests == 1 + 3
    assert sorted(f.code for f in result.findings if f.severity.value == "error") == ["CR002"]


def test_a_crossref_doi_the_api_does_not_return_yet(tmp_path, standin, cache):
    doi = "10.5555/registered-yesterday"
    with DoiStandIn(
        {doi: ("Crossref", datacite_item(doi, "Synthetic article registered yesterday", kind="article-journal"))}
    ) as resolver:
        result, _ = _build(tmp_path, [doi], standin, resolver, cache)
    [rec] = result.records
    assert result.exit_code == 0 and rec.origin_of("title").origin == "crossref"
    assert "Crossref's API does not return it yet" in rec.findings[0].message


def test_a_cited_datacite_doi_becomes_a_full_cited_entry(tmp_path, doi_standin, cache):
    from mscbib.testing.crossref_standin import CrossrefStandIn, synthetic_works

    [work] = synthetic_works(1)
    work["reference"] = [{"key": "r1", "DOI": ZENODO, "unstructured": "Synthetic A. Dataset. Zenodo; 2021."}]
    with CrossrefStandIn([work]) as crossref:
        ids = tmp_path / "ids.txt"
        ids.write_text(work["DOI"] + "\n", encoding="utf-8")
        client = CrossrefClient(base_url=crossref.url, mailto="t@example.org", cache=cache)
        result = build(
            [str(ids)], str(tmp_path / "out.bib"), client, agencies=AgencyClient(doi_standin.url, cache=cache)
        )
    [cited] = result.cited
    assert cited.doi == ZENODO and cited.title == "Synthetic dataset of stromal cell signalling"
    assert cited.origin_of("title").origin == "datacite"
    assert "Synthetic dataset of stromal cell signalling" in Path(result.cited_output).read_text()
