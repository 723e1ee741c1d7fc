"""mscbib: turn copied article pages, exports and DOIs into a clean, Crossref-verified BibTeX library."""

__version__ = "0.1.0"
