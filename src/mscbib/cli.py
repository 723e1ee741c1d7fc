"""The ``mscbib`` command line: argument parsing, progress and exit codes only.

Each command lives in its own module under :mod:`mscbib.commands` and exposes a click command named
``command``; it calls a library function and prints what that returns. To add a command, add its module
name to :data:`COMMANDS`. A command's module is imported only when that command runs (or ``--help`` lists them).
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
import threading

from .exits import EXIT_INTERRUPTED, EXIT_OUTPUT  # first: the handler below exits with it


def _sigint_while_starting(signum, frame) -> None:  # nothing has been done yet: nothing to unwind
    os.write(2, b"mscbib: interrupted\n")
    os._exit(EXIT_INTERRUPTED)


# Run as the `mscbib` program (not imported by another one), Ctrl-C during the imports below (seconds on a busy
# machine) is exit code 130 too, not a traceback; Main.main then puts its own handler in place.
if (
    os.path.basename(getattr(sys.modules.get("__main__"), "__file__", None) or "") == "mscbib"
    and threading.current_thread() is threading.main_thread()
):
    signal.signal(signal.SIGINT, _sigint_while_starting)

import click  # noqa: E402

from . import __version__  # noqa: E402
from ._io import OutputError  # noqa: E402
from .commands._common import CONTEXT  # noqa: E402

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
    "keys",
    "graph",
    "expand",
]


def _stop(message: str, code: int) -> None:
    """Say why, and end the process now: worker threads (Crossref look-ups in flight) are not waited for. Every
    answer received is already committed to the cache, and outputs are only ever renamed into place whole."""
    try:
        click.echo(message, err=True)
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def _on_sigint(signum, frame) -> None:
    # unwind the main thread (an atomic write in progress removes its temporary file), but give it at most half
    # a second: the thread pools' shutdown would otherwise wait for every request already sent
    threading.Timer(0.5, _stop, ("mscbib: interrupted; outputs left as they were", EXIT_INTERRUPTED)).start()
    raise KeyboardInterrupt


class Main(click.Group):
    """The ``mscbib`` group: Ctrl-C stops within a second with exit code 130; an output that cannot be written is
    a message naming it, exit code 4, never a traceback."""

    def main(self, *args, **kwargs):
        previous = None
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGINT, _on_sigint)
        try:
            return super().main(*args, **kwargs)
        except KeyboardInterrupt:
            _stop("mscbib: interrupted; outputs left as they were", EXIT_INTERRUPTED)
        finally:
            if previous is not None:  # a caller in the same process (a test runner) gets its own handler back
                signal.signal(signal.SIGINT, previous)

    # commands are imported when asked for: `mscbib check` loads check's modules, not every reader and client
    def list_commands(self, ctx):
        return list(COMMANDS) + [n for n in super().list_commands(ctx) if n not in COMMANDS]

    def get_command(self, ctx, name):
        if name in COMMANDS and name not in self.commands:
            self.add_command(importlib.import_module(f"mscbib.commands.{name}").command, name)
        return super().get_command(ctx, name)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _stop("mscbib: interrupted; outputs left as they were", EXIT_INTERRUPTED)
        except OutputError as exc:
            name = f"mscbib {ctx.invoked_subcommand}" if ctx.invoked_subcommand else "mscbib"
            click.echo(f"{name}: {exc.path}: {exc.why}", err=True)
            ctx.exit(EXIT_OUTPUT)


@click.group(cls=Main, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="mscbib")
def main() -> None:
    """Turn copied article pages, exports and DOIs into a clean, Crossref-verified BibTeX library.

    Start with `mscbib build`: it reads seeds/ and writes bib/library.bib.
    """
