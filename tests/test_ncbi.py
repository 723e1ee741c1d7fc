"""PMIDs and PMCIDs resolved through NCBI (E-utilities efetch, PMC ID Converter) against local stand-ins.
Every PubMed record here is synthetic (mscbib.testing.ncbi_standin.synthetic_medline)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import SYNTHETIC
from mscbib.cli import main
from mscbib.enrich.resolve_ids import resolve_identifiers
from mscbib.pipeline.build import build
from mscbib.services.crossref import CrossrefClient
from mscbib.services.ncbi import IdStatus, NcbiClient, split_medline
from mscbib.sources.idlist import IdentifierList
from mscbib.testing.ncbi_standin import NcbiStandIn, synthetic_medline

#: PMID 1000+i <-> DOI of SYNTHETIC[i] (the Crossref stand-in's made-up works); PMC 5000+i
MEDLINE = {
    str(1000 + i): synthetic_medline(str(1000 + i), doi=SYNTHETIC[i]["DOI"], pmcid=f"PMC{5000 + i}", n=i)
    for i in range(len(SYNTHETIC))
}
IDCONV = [{"pmcid": f"PMC{5000 + i}", "pmid": str(1000 + i), "doi": SYNTHETIC[i]["DOI"]} for i in range(len(SYNTHETIC))]


@pytest.fixture
def ncbi_standin():
    with NcbiStandIn(MEDLINE, IDCONV) as server:
        yield server


def _ncbi(server, cache, **kw) -> NcbiClient:
    return NcbiClient(server.eutils_url, server.idconv_url, cache=cache, email="tests@example.org", **kw)


def _idlist(tmp_path, lines):
    p = tmp_path / "ids.txt"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return IdentifierList().read(p.read_text(), str(p)).records


def test_a_pmid_alone_becomes_a_full_record(ncbi_standin, cache, tmp_path):
    [rec] = _idlist(tmp_path, ["PMID: 1003"])
    counts = resolve_identifiers([rec], _ncbi(ncbi_standin, cache))
    assert counts == {"asked": 1, "resolved": 1, "unknown": 0, "unresolved": 0}
    assert rec.title == "Synthetic PubMed record 1003 on stromal cell signalling"
    assert [a.family for a in rec.authors] == ["Synthetic", "Placeholder"]
    assert rec.doi == SYNTHETIC[3]["DOI"] and rec.get("pmcid") == "PMC5003"
    assert rec.get("mesh") == ["Humans", "Mesenchymal Stem Cells/*metabolism", "Signal Transduction"]
    assert rec.get("publication_types") == ["Journal Article", "Review"]
    assert rec.get("abstract").startswith("Synthetic abstract of record 1003")
    # the input's own value keeps its line; what PubMed added names PubMed
    assert rec.origin_of("pmid").line == 1 and rec.origin_of("title").origin == "pubmed"
    assert rec.origin_of("title").detail == "PMID 1003"
    req = ncbi_standin.requests[0]
    assert req.query["tool"] == ["mscbib"] and req.query["email"] == ["tests@example.org"]
    assert req.query["db"] == ["pubmed"] and req.query["rettype"] == ["medline"]


def test_a_pmcid_goes_through_the_id_converter_then_pubmed(ncbi_standin, cache, tmp_path):
    [rec] = _idlist(tmp_path, ["PMC5007"])
    resolve_identifiers([rec], _ncbi(ncbi_standin, cache))
    assert rec.get("pmid") == "1007" and rec.origin_of("pmid").origin == "pmc-idconv"
    assert rec.doi == SYNTHETIC[7]["DOI"] and rec.title.startswith("Synthetic PubMed record 1007")
    assert ncbi_standin.count("idconv") == 1 and ncbi_standin.count("efetch") == 1


def test_unknown_ids_are_errors_naming_the_line(ncbi_standin, cache, tmp_path):
    recs = _idlist(tmp_path, ["PMID: 1001", "PMID: 99999", "PMC77777"])
    counts = resolve_identifiers(recs, _ncbi(ncbi_standin, cache))
    assert counts["resolved"] == 1 and counts["unknown"] == 2
    [f1] = recs[1].findings
    assert (f1.code, f1.severity.value, f1.line, f1.field) == ("NCB002", "error", 2, "pmid")
    assert "99999" in f1.message
    assert recs[2].findings[0].code == "NCB002" and recs[2].findings[0].line == 3
    assert not recs[1].title  # nothing invented


def test_200_pmids_take_one_request_and_a_warm_run_none(cache):
    many = {str(10_000 + i): synthetic_medline(str(10_000 + i), n=i) for i in range(200)}
    # the count of requests is what is tested here, not pacing (test_ncbi_limits_*): a stand-in that limits at
    # 3/s by arrival time answers 429 to an on-time request after a late first one on a loaded machine
    with NcbiStandIn(many, rate=1000) as server:
        got = _ncbi(server, cache).pubmed(list(many))
        assert server.count("efetch") == 1 and all(a.status is IdStatus.FOUND for a in got.values())
        again = _ncbi(server, cache).pubmed(list(many))
        assert server.count() == 1 and all(a.from_cache for a in again.values())
        # 201 take five requests of 50 (the rate actually kept is measured in benchmarks/ncbi_resolve.py)
        _ncbi(server, cache, batch_size=50).pubmed([str(20_000 + i) for i in range(201)])
        assert server.count("efetch") == 1 + 5


def test_ncbi_limits_without_and_with_an_api_key(cache, monkeypatch):
    """NCBI's published limits: request starts at least 1/3 s apart without a key, 1/10 s with one (sent as api_key)."""
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    assert NcbiClient("http://127.0.0.1:9", cache=cache).service.pacer.spacing("single") >= 1 / 3
    keyed = NcbiClient("http://127.0.0.1:9", cache=cache, api_key="k")
    assert 1 / 10 <= keyed.service.pacer.spacing("single") < 1 / 3 and keyed._params()["api_key"] == "k"


def test_offline_asks_nothing_and_says_so(ncbi_standin, cache, tmp_path):
    [rec] = _idlist(tmp_path, ["PMID: 1002"])
    resolve_identifiers([rec], _ncbi(ncbi_standin, cache, offline=True))
    assert ncbi_standin.count() == 0
    assert [f.code for f in rec.findings] == ["NCB001"] and "offline" in rec.findings[0].message


def test_retry_after_is_honoured(ncbi_standin, cache, tmp_path):
    ncbi_standin.fault("503", retry_after=0.3)
    [rec] = _idlist(tmp_path, ["PMID: 1004"])
    client = _ncbi(ncbi_standin, cache)
    resolve_identifiers([rec], client)
    assert rec.title and client.stats.retries == 1 and ncbi_standin.count("efetch") == 2
    first, second = ncbi_standin.requests[:2]
    assert second.at - first.at >= 0.3


def test_unreachable_ncbi_costs_one_request_and_keeps_the_input(cache, tmp_path):
    recs = _idlist(tmp_path, ["PMID: 1", "PMC2"])
    client = NcbiClient("http://127.0.0.1:9", "http://127.0.0.1:9/idconv", cache=cache)
    resolve_identifiers(recs, client)
    assert client.stats.requests == 1
    assert [f.code for r in recs for f in r.findings] == ["NCB001", "NCB001"]
    assert recs[0].get("pmid") == "1" and recs[1].get("pmcid") == "PMC2"


def test_split_medline_keeps_each_record_whole():
    text = "\n" + MEDLINE["1000"] + "\n" + MEDLINE["1001"]
    parts = split_medline(text)
    assert list(parts) == ["1000", "1001"] and parts["1001"] == MEDLINE["1001"]


def test_build_resolves_pmids_then_crossref_enriches(ncbi_standin, synthetic_standin, cache, tmp_path):
    ids = tmp_path / "ids.txt"
    ids.write_text("PMID: 1005\nPMC5006\n", encoding="utf-8")
    client = CrossrefClient(base_url=synthetic_standin.url, mailto="t@example.org", cache=cache)
    result = build([str(ids)], str(tmp_path / "out.bib"), client, ncbi=_ncbi(ncbi_standin, cache), references=False)
    recs = {r.get("pmid"): r for r in result.records}
    assert set(recs) == {"1005", "1006"}
    assert all(e.status.value == "verified" for e in result.enriched)
    # Crossref's values where it has them, PubMed's MeSH and PMCID kept
    assert recs["1005"].origin_of("title").origin == "crossref" and recs["1005"].get("mesh")
    # MeSH headings become topic tags through the vocabulary ("Signal Transduction" -> signaling pathways)
    assert any(t.origin == "mesh" and t.matched == "Signal Transduction" for t in recs["1005"].tags)
    bib = (tmp_path / "out.bib").read_text()
    assert "pmid = {1005}" in bib and "pmcid = {PMC5006}" in bib and "anon" not in bib


def test_cli_build_with_stand_ins(ncbi_standin, synthetic_standin, tmp_path, monkeypatch):
    monkeypatch.setenv("MSCBIB_EUTILS_URL", ncbi_standin.eutils_url)
    monkeypatch.setenv("MSCBIB_IDCONV_URL", ncbi_standin.idconv_url)
    ids = tmp_path / "ids.txt"
    ids.write_text("PMID: 20401627\nPMID: 1008\n", encoding="utf-8")
    out = tmp_path / "lib.bib"
    args = [
        "build",
        str(ids),
        "-o",
        str(out),
        "--crossref-url",
        synthetic_standin.url,
        "--cache",
        str(tmp_path / "c.sqlite3"),
    ]
    res = CliRunner().invoke(main, args)
    # 20401627 is not in this stand-in: an error finding (exit 1), not a crash; with no title there is nothing to
    # ask Crossref, which is no "Crossref unreachable" (exit 3, as it was)
    assert res.exit_code == 1, res.output
    assert "NCB002" in res.output and "Synthetic abstract of record 1008" in out.read_text()
    assert f"NCBI ({ncbi_standin.eutils_url}): 1 request," in res.output  # the report names the service
    before = len(ncbi_standin.requests), len(synthetic_standin.requests)
    res = CliRunner().invoke(main, args)  # warm: nothing asked of anyone
    assert (len(ncbi_standin.requests), len(synthetic_standin.requests)) == before
    # --offline with a fresh cache asks no service at all, and says what was not resolved
    res = CliRunner().invoke(main, args[:-1] + [str(tmp_path / "empty.sqlite3"), "--offline"])
    assert (len(ncbi_standin.requests), len(synthetic_standin.requests)) == before
    assert res.output.count("NCB001") == 2 and "offline" in res.output


def test_corpus_identifier_lists_against_a_stand_in_serving_the_corpus_own_medline():
    """The id-only records of the corpus (tests/corpus/pubmed_ids.txt: real PMIDs, PMCIDs, PubMed/PMC URLs), against
    an NCBI stand-in that serves the real MEDLINE records of the corpus (two_records.nbib) and converts the PMCIDs the
    corpus's own records pair with a PMID and DOI. What NCBI is given is found; the rest is an error, never invented."""
    from pathlib import Path

    from mscbib.enrich.resolve_ids import needs_resolution
    from mscbib.sources import expand_inputs, read_inputs

    corpus = Path(__file__).parent / "corpus"
    medline = split_medline((corpus / "two_records.nbib").read_text(encoding="utf-8"))
    everything = read_inputs(expand_inputs([str(corpus)]), None).records
    idconv = {
        r.get("pmcid"): {"pmcid": r.get("pmcid"), "pmid": r.get("pmid"), "doi": r.doi}
        for r in everything
        if r.get("pmcid") and r.get("pmid") and r.doi
    }
    recs = [r for r in read_inputs([str(corpus / "pubmed_ids.txt")], None).records if needs_resolution(r)]
    assert len(recs) == 5
    with NcbiStandIn(medline, idconv.values()) as server:
        counts = resolve_identifiers(recs, NcbiClient(server.eutils_url, server.idconv_url))
        assert server.count("efetch") == 1 and server.count("idconv") == 1
    by = {r.get("pmid"): r for r in recs}
    assert by["33301246"].title.startswith("Safety and Efficacy of the BNT162b2 mRNA Covid-19 Vaccine")
    assert by["33301246"].doi == "10.1056/nejmoa2034577" and by["33301246"].get("publication_types")
    assert by["32015507"].doi == "10.1038/s41586-020-2012-7"  # a PubMed URL in the list
    # the two PMCIDs became their PMID and DOI (PMC ID Converter); PubMed has no record for them in this stand-in
    assert by["33069327"].get("pmcid") == "PMC7566194" and by["33069327"].doi == "10.1016/s0140-6736(20)30752-2"
    assert by["31492848"].doi == "10.1038/s41467-019-11926-6"
    assert counts == {"asked": 5, "resolved": 2, "unknown": 3, "unresolved": 0}
    assert not by["25430774"].title and [f.code for f in by["25430774"].findings] == ["NCB002"]


def test_cited_references_with_a_pmid_or_pmcid_get_their_doi(ncbi_standin, cache, tmp_path):
    from mscbib.enrich.resolve_ids import resolve_reference_ids
    from mscbib.model import Reference

    page = tmp_path / "refs.nbib"  # a MEDLINE record (synthetic) whose work cites three others
    page.write_text(synthetic_medline("1010", doi=SYNTHETIC[10]["DOI"]), encoding="utf-8")
    ncbi = _ncbi(ncbi_standin, cache)
    from mscbib.sources import read_inputs

    [rec] = read_inputs([str(page)], None).records
    rec.references = [
        Reference(text="Synthetic A. A cited work. PMID: 1011", pmid="1011"),
        Reference(text="Synthetic A. Another. PMCID: PMC5012", pmcid="PMC5012"),
        Reference(text="Nobody. PMID: 424242", pmid="424242"),
    ]
    rec.references.append(Reference(text="Outside PMC. PMID: 1013", pmid="1013"))
    ncbi_standin.idconv.pop("1013")  # PubMed has it, PMC (the ID Converter) does not
    assert resolve_reference_ids([rec], ncbi) == 3
    assert [r.doi for r in rec.references] == [SYNTHETIC[11]["DOI"], SYNTHETIC[12]["DOI"], None, SYNTHETIC[13]["DOI"]]
    assert rec.references[1].pmid == "1012" and rec.references[3].pmcid == "PMC5013"
    assert ncbi_standin.count("idconv") == 2  # one per kind of ID (idtype=pmid, idtype=pmcid)
    assert ncbi_standin.count("efetch") == 1  # then one efetch for the PMIDs the converter did not know


def test_an_empty_efetch_answer_is_a_failure_not_a_not_found(cache, tmp_path):
    """E-utilities sometimes answers 200 with an empty body under load: that proves nothing and is not cached."""

    class Empty(NcbiStandIn):
        def answer(self, req):
            return 200, "text/plain", b"\n", {}

    with Empty() as server:
        got = _ncbi(server, cache).pubmed(["1234"])
        assert got["1234"].status is IdStatus.FAILED and "no MEDLINE record" in got["1234"].error
    with NcbiStandIn({"1234": synthetic_medline("1234")}) as server:  # asked again next time, and found
        assert _ncbi(server, cache).pubmed(["1234"])["1234"].status is IdStatus.FOUND and server.count() == 1


def test_ncbi_unreachable_is_exit_3_not_a_pass(synthetic_standin, tmp_path, monkeypatch):
    """A PMID alone, NCBI not answering (a closed port on 127.0.0.1): nothing was checked, so the build does not
    exit 0; it exits 3, as when Crossref cannot be reached (and 0 with --offline, which says so on purpose)."""
    monkeypatch.setenv("MSCBIB_EUTILS_URL", "http://127.0.0.1:9/entrez/eutils")
    monkeypatch.setenv("MSCBIB_IDCONV_URL", "http://127.0.0.1:9/tools/idconv/api/v1/articles")
    ids = tmp_path / "ids.txt"
    ids.write_text("PMID: 20401627\n", encoding="utf-8")
    args = [
        "build",
        str(ids),
        "-o",
        str(tmp_path / "lib.bib"),
        "--crossref-url",
        synthetic_standin.url,
        "--cache",
        str(tmp_path / "c.sqlite3"),
    ]
    res = CliRunner().invoke(main, args)
    assert "NCB001" in res.output and res.exit_code == 3, res.output
    res = CliRunner().invoke(main, args + ["--offline"])
    assert "NCB001" in res.output and res.exit_code == 0, res.output
