"""Writers: records out to files. Each format in its own module."""

from .bibtex import render, write_bibtex

__all__ = ["render", "write_bibtex"]
