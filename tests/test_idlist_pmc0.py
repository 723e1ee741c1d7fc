"""Identifier lists: a PMCID of zero (``PMC0``) is no identifier (synthetic lines)."""

from __future__ import annotations

import pytest

from mscbib.sources.idlist import IdentifierList, parse_identifier


@pytest.mark.parametrize("line", ["PMC0", "PMC000", "pmcid: PMC0", "https://europepmc.org/article/PMC/PMC0"])
def test_a_pmcid_of_zero_is_no_identifier(line):
    # it was ("pmcid", None): a record with no identifier at all, and no line reported
    assert parse_identifier(line) is None


def test_a_pmc0_line_is_reported_with_its_line_and_the_others_read():
    result = IdentifierList().read("PMC0\nPMC12\nPMID: 7\n", "ids.txt")
    assert [(r.get("pmcid"), r.get("pmid")) for r in result.records] == [("PMC12", None), (None, "7")]
    assert [(f.line, f.raw) for f in result.failures] == [(1, "PMC0")]
    assert "PMC0" in result.failures[0].reason
