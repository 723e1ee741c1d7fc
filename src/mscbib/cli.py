"""The ``mscbib`` command line: argument parsing, progress and exit codes only.

Each command lives in its own module under :mod:`mscbib.commands` and exposes a click command named
``command``; it calls a library function and prints what that returns. To add a command, add its module
name to :data:`COMMANDS`.
"""

from __future__ import annotations

import importlib

import click

from . import __version__
from .commands._common import CONTEXT

#: Modules under mscbib.commands, one command each, in the order --help lists them.
COMMANDS = [
    "build",
    "extract",
    "check",
    "zotero",
    "plugins",
    "export",
    "subset",
    "tags",
    "refs",
    "graph",
    "expand",
]


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="mscbib")
def main() -> None:
    """Turn copied article pages, exports and DOIs into a clean, Crossref-verified BibTeX library.

    Start with `mscbib build`: it reads seeds/ and writes bib/library.bib.
    """


for _name in COMMANDS:
    main.add_command(importlib.import_module(f"mscbib.commands.{_name}").command)
