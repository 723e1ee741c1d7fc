"""Test helpers that ship with mscbib (the Crossref stand-in), for our tests, benchmarks and plug-ins."""
