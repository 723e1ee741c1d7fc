"""Issue 19's target "every PMID/PMCID input in the seeds and corpus becomes a full record against the stand-ins".

Every input of ``seeds/`` and ``tests/corpus/`` that is known only by a PubMed or PMC identifier is resolved against
an NCBI stand-in that knows each of them: the real MEDLINE records the corpus itself holds (two_records.nbib) and,
for the other identifiers, made-up records (``synthetic_medline``: their titles say "Synthetic"). The PMC ID Converter
stand-in pairs the corpus's own PMCID/PMID/DOI triples, and made-up PMIDs for PMCIDs the corpus never pairs.
What is asserted is mscbib's side: every identifier form the readers accept reaches NCBI and comes back a full
record (title, authors, journal, year, PMID), in as few requests as the batching promises.
"""

from __future__ import annotations

from pathlib import Path

from mscbib.enrich.resolve_ids import needs_resolution, resolve_identifiers
from mscbib.services.ncbi import NcbiClient, split_medline
from mscbib.sources import expand_inputs, read_inputs
from mscbib.testing.ncbi_standin import NcbiStandIn, synthetic_medline

ROOT = Path(__file__).parent.parent
CORPUS = Path(__file__).parent / "corpus"


def test_every_pmid_and_pmcid_input_of_the_seeds_and_corpus_becomes_a_full_record(cache):
    everything = read_inputs(expand_inputs([str(CORPUS), str(ROOT / "seeds")]), None).records
    id_only = [r for r in everything if needs_resolution(r)]
    assert len(id_only) >= 5  # pubmed_ids.txt alone holds five, in four forms

    real = split_medline((CORPUS / "two_records.nbib").read_text(encoding="utf-8"))
    idconv = {
        r.get("pmcid"): {"pmcid": r.get("pmcid"), "pmid": r.get("pmid"), "doi": r.doi}
        for r in everything
        if r.get("pmcid") and r.get("pmid") and r.doi
    }
    for n, rec in enumerate(r for r in id_only if r.get("pmcid") and not r.get("pmid")):
        idconv.setdefault(rec.get("pmcid"), {"pmcid": rec.get("pmcid"), "pmid": str(990000 + n), "doi": None})
    pmids = {r.get("pmid") for r in id_only if r.get("pmid")} | {c["pmid"] for c in idconv.values()}
    medline = dict(real)
    for n, pmid in enumerate(sorted(pmids - set(real))):
        medline[pmid] = synthetic_medline(pmid, n=n)

    with NcbiStandIn(medline, list(idconv.values())) as server:
        client = NcbiClient(server.eutils_url, server.idconv_url, cache=cache, email="tests@example.org")
        counts = resolve_identifiers(id_only, client)
        assert server.count("efetch") == 1 and server.count("idconv") <= 1

    assert counts["resolved"] == len(id_only) and counts["unknown"] == counts["unresolved"] == 0, counts
    for rec in id_only:
        assert rec.title and rec.authors and rec.get("journal") and rec.get("year") and rec.get("pmid"), rec.source
    by = {r.get("pmid"): r for r in id_only}
    # the real records come back as PubMed holds them
    assert by["33301246"].title.startswith("Safety and Efficacy of the BNT162b2 mRNA Covid-19 Vaccine")
    assert by["32015507"].doi == "10.1038/s41586-020-2012-7"
