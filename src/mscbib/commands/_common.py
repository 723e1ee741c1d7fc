"""What the commands share: option sets and the construction of the Crossref client."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Any, Iterable, Iterator

import click

from .._io import check_writable, pending_pair
from ..config import ConfigError, load_config, setting
from ..exits import EXIT_INPUT
from ..services.crossref import CrossrefClient, LookupStatus
from ..session import SettingError, crossref_client, parse_age, services
from ..tags import Vocabulary, VocabularyError, load_vocabulary

__all__ = [
    "CONTEXT",
    "parse_age",
    "crossref_options",
    "vocabulary_option",
    "configured_vocabulary",
    "make_client",
    "service_options",
    "make_services",
    "LookupBar",
    "build_progress",
    "require_inputs",
    "require_writable",
    "read_text_input",
    "encoding_option",
]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    ctx.meta[f"mscbib.{param.name}"] = value
    return value


def crossref_options(fn):
    """The options every command that talks to Crossref shares."""
    options = [
        click.option(
            "--crossref-url",
            metavar="URL",
            help="Crossref REST API base URL [env MSCBIB_CROSSREF_URL; default https://api.crossref.org].",
        ),
        click.option(
            "--mailto",
            metavar="EMAIL",
            help="Contact address for Crossref's polite pool [env MSCBIB_MAILTO, or 'mailto' in mscbib.toml].",
        ),
        click.option(
            "--cache",
            "cache_path",
            metavar="PATH",
            type=click.Path(dir_okay=False),
            help="SQLite cache of Crossref answers [env MSCBIB_CACHE; default: the per-user cache folder].",
        ),
        click.option("--offline", is_flag=True, help="Ask Crossref nothing: use cached answers only."),
        click.option("--refresh", is_flag=True, help="Ignore cached answers and ask Crossref again."),
        # the next two reach make_client through the click context, so commands need no new parameters
        click.option(
            "--max-age",
            metavar="AGE",
            expose_value=False,
            callback=_remember,
            help="Ask Crossref again for cached answers older than AGE (e.g. 30d, 12h, 90m, 3600s) "
            "[env MSCBIB_MAX_AGE, or 'max_age' in mscbib.toml; default: never].",
        ),
        click.option(
            "--plus-token",
            metavar="TOKEN",
            expose_value=False,
            callback=_remember,
            help="Crossref Metadata Plus API token, sent as 'Crossref-Plus-API-Token: Bearer TOKEN' "
            "[env MSCBIB_PLUS_TOKEN, or 'plus_token' in mscbib.toml].",
        ),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def vocabulary_option(fn):
    """``--vocabulary FILE``, for the commands that apply the topic vocabulary; see :func:`configured_vocabulary`."""
    return click.option(
        "--vocabulary",
        "vocabulary_path",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help="The topic vocabulary (TOML) for the `keywords` tags [env MSCBIB_VOCABULARY, or 'vocabulary' in "
        "mscbib.toml; else ./mscbib-vocabulary.toml; else mscbib's own].",
    )(fn)


def configured_vocabulary(option_path: str | None) -> Vocabulary:
    """The vocabulary the option, MSCBIB_VOCABULARY, mscbib.toml, ./mscbib-vocabulary.toml or the default names
    (the first that does); a file that cannot be used stops the command with its name and the topic at fault."""
    try:
        return load_vocabulary(setting("vocabulary", option_path, load_config()[0]))
    except (ConfigError, VocabularyError) as exc:
        raise click.BadParameter(str(exc), param_hint="--vocabulary / MSCBIB_VOCABULARY / vocabulary") from exc


def make_client(crossref_url, mailto, cache_path, offline, refresh) -> CrossrefClient:
    """:func:`mscbib.session.crossref_client` with ``--max-age`` and ``--plus-token`` from the click context; a
    setting that cannot be used is a usage error naming it."""
    ctx = click.get_current_context(silent=True)
    meta = ctx.meta if ctx is not None else {}
    try:
        return crossref_client(
            crossref_url,
            mailto,
            cache_path,
            offline,
            refresh,
            max_age=meta.get("mscbib.max_age"),
            plus_token=meta.get("mscbib.plus_token"),
        )
    except SettingError as exc:
        if exc.hint is None:
            raise click.UsageError(str(exc)) from exc
        raise click.BadParameter(str(exc), param_hint=exc.hint) from exc


def service_options(fn):
    """``--ncbi-api-key`` and ``--prefer-published``: the services beyond Crossref (issue 19)."""
    fn = click.option(
        "--prefer-published",
        is_flag=True,
        help="Write a preprint that has a journal version as "
        "the journal version (the preprint's DOI kept in `preprint`); without it, it is only reported "
        "(PUB001).",
    )(fn)
    return click.option(
        "--ncbi-api-key",
        metavar="KEY",
        help="NCBI API key: 10 E-utilities requests a second instead of 3 [env NCBI_API_KEY].",
    )(fn)


#: the NCBI and DOI-resolver clients that go with a Crossref client (:func:`mscbib.session.services`)
make_services = services


def _terminal_width(stream: Any) -> int:
    """The width of the terminal ``stream`` writes to; 0 when it is not a terminal, or one with no size."""
    try:
        if not stream.isatty():
            return 0
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return 0


class LookupBar:
    """The one progress display of the Crossref look-ups, with found / not found / failed counts, on stderr.

    On a terminal it is a tqdm bar; elsewhere (a pipe, a CI log, a terminal with no size) a line every ``interval``
    seconds (``Crossref look-ups: 40/120 (33%): found 30, not found 5, failed 5``) and one when done, so a long run is
    never silent and a log is not flooded. ``enabled=False``: nothing shown, the counts kept. Pass it as
    ``build(..., lookup_progress=bar)``; close it (or use ``with``) after."""

    def __init__(
        self,
        enabled: bool | None = None,
        *,
        label: str = "Crossref look-ups",
        interval: float = 5.0,
        stream: Any = None,
        clock: Any = None,
    ) -> None:
        import threading
        import time

        self.stream = stream if stream is not None else sys.stderr
        self.label = label
        self.interval = interval
        self.clock = clock or time.monotonic
        self.enabled = True if enabled is None else enabled
        self.mode = ("bar" if _terminal_width(self.stream) else "lines") if self.enabled else "off"
        self.counts = {"found": 0, "not found": 0, "failed": 0}
        self.done = 0
        self.total = 0
        self._bar: Any = None
        self._last: float | None = None
        self._printed = False
        self._lock = threading.Lock()

    def __call__(self, answer: Any, total: int) -> None:
        status = answer.status
        key = "found" if status is LookupStatus.FOUND else "not found" if status is LookupStatus.NOT_FOUND else "failed"
        with self._lock:
            self.counts[key] += 1
            self._advance(self.done + 1, total)

    def advance(self, done: int, total: int) -> None:
        """``done`` of ``total`` steps, for a caller that counts its own (``check``'s DOI look-ups)."""
        with self._lock:
            self._advance(done, total)

    def _advance(self, done: int, total: int) -> None:
        step, self.done = done - self.done, done
        self.total = max(total, done)
        if self.mode == "bar":
            if self._bar is None:
                from tqdm import tqdm  # installed with habanero

                self._bar = tqdm(
                    total=total, desc=self.label, unit="look-up", file=self.stream, leave=False, dynamic_ncols=True
                )
            if any(self.counts.values()):
                self._bar.set_postfix(self.counts, refresh=False)
            self._bar.update(step)
        elif self.mode == "lines":
            now = self.clock()
            if self._last is None:
                self._last = now
            elif now - self._last >= self.interval:
                self._last = now
                self._line()

    def _line(self) -> None:
        pct = f" ({100 * self.done // self.total}%)" if self.total else ""
        counts = ": " + ", ".join(f"{k} {n}" for k, n in self.counts.items()) if any(self.counts.values()) else ""
        print(f"{self.label}: {self.done}/{self.total}{pct}{counts}", file=self.stream, flush=True)
        self._printed = True

    def close(self) -> None:
        with self._lock:
            if self._bar is not None:
                self._bar.close()
                self._bar = None
            if self.mode == "lines" and self._printed and self.done:  # a run long enough to report ends with one
                self._line()
                self._printed = False

    def __enter__(self) -> "LookupBar":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextlib.contextmanager
def build_progress() -> Iterator[dict[str, Any]]:
    """The progress keywords of :func:`mscbib.pipeline.build.build`: one display at a time, the entries' Crossref look-ups,
    then the cited references' (:class:`LookupBar`), closed when the block ends."""
    with LookupBar(label="Crossref look-ups") as bar, LookupBar(label="cited references") as refs_bar:

        def refs_progress(answer: Any, total: int) -> None:
            bar.close()
            refs_bar(answer, total)

        yield {"lookup_progress": bar, "reference_progress": refs_progress}


def require_inputs(command: str, paths: Iterable[str]) -> None:
    """Stop before any work when an input named does not exist (a typo must not become an empty library)."""
    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:
        for p in missing:
            click.echo(f"mscbib {command}: {p}: no such file or folder", err=True)
        click.echo(f"mscbib {command}: nothing done, nothing written", err=True)
        sys.exit(EXIT_INPUT)


def require_writable(*paths: str | os.PathLike[str] | None) -> None:
    """Stop before any work when an output could not be written (:class:`mscbib._io.OutputError`, exit code 4)."""
    for p in paths:
        if p is not None:
            check_writable(p)


def read_text_input(command: str, path: str) -> str:
    """A text file the command reads (a library, a manuscript): its text, or a message naming it and why it cannot
    be read (missing, a folder, binary, not UTF-8) with exit code 2 — never a traceback."""
    from ..sources import decode

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        click.echo(f"mscbib {command}: {path}: cannot read: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_INPUT)
    text, failure = decode(data, path)
    if failure is not None:
        click.echo(f"mscbib {command}: {failure.where()}: {failure.reason}", err=True)
        sys.exit(EXIT_INPUT)
    assert text is not None  # decode gives the text or why not
    if pending_pair(path):
        click.echo(
            f"mscbib {command}: {path}: warning: a build interrupted between writing this library and its "
            "cited file left them out of step; the next `mscbib build` of it completes the write",
            err=True,
        )
    return text


def encoding_option(ctx, param, value):
    """``--encoding``: a codec Python knows (checked before any work), or None (detect)."""
    if not value:
        return None
    from ..textio import check_encoding

    try:
        return check_encoding(value)
    except LookupError:
        raise click.BadParameter(f"unknown encoding {value!r}") from None


def output_option(help: str, default: str | None = None):
    """``-o/--output``: the one file a command writes (``build``, ``expand``: a default path; ``export``, ``subset``:
    standard output when not given). One declaration for every command that has it."""
    where: dict[str, Any] = {"default": default, "show_default": True} if default else {"metavar": "OUT"}
    return click.option("-o", "--output", type=click.Path(dir_okay=False), help=help, **where)


def input_encoding_option(help: str = "Read every input in this encoding (default: detected; a guess is reported)."):
    """``--encoding CODEC``: the codec a command's inputs are read in (checked first: :func:`encoding_option`)."""
    return click.option("--encoding", metavar="CODEC", callback=encoding_option, help=help)


def input_options(known: str = ""):
    """``--format NAME`` and ``--encoding CODEC``: how a command's inputs are read (``build``, ``extract``);
    ``known``: the reader names, when the help lists them."""

    def decorate(fn):
        fn = input_encoding_option()(fn)
        return click.option(
            "--format",
            "input_format",
            metavar="NAME",
            help="Read every input as this format (default: recognised from each file's content)." + known,
        )(fn)

    return decorate


def library_file_option(help: str, exists: bool = False):
    """``-f/--file LIBRARY``: the ``.bib`` a command reads an entry from (``keys``, ``refs``), default
    bib/library.bib."""
    return click.option(
        "-f",
        "--file",
        "library",
        default="bib/library.bib",
        show_default=True,
        type=click.Path(exists=exists, dir_okay=False),
        help=help,
    )
