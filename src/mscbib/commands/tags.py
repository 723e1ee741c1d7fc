"""`mscbib tags`: the topic tags of a library, with counts, and why each was applied (:mod:`mscbib.library.views`)."""

from __future__ import annotations

import sys

import click

from ..exits import EXIT_FINDINGS
from ..library.graph import read_entries
from ..library.views import NoSuchEntry, explain_tags, find_entry, tag_counts
from ..text import plural
from ._common import CONTEXT, configured_vocabulary, read_text_input, vocabulary_option


@click.command("tags", context_settings=CONTEXT)
@click.argument("file", default="bib/library.bib", type=click.Path(exists=True, dir_okay=False))
@click.option("--explain", "explain_key", metavar="KEY", help="Show why each tag of entry KEY was applied.")
@vocabulary_option
def command(file, explain_key, vocabulary_path) -> None:
    """List the tags (the `keywords` field) of FILE [default: bib/library.bib] with their counts.

    With --explain KEY, re-apply the vocabulary to the entry's title, abstract and keywords and say, for
    each tag, which words matched where; a tag the vocabulary does not give came from the input's keywords
    or Crossref's subjects.

    \b
    Examples:
      mscbib tags                                    # tags of bib/library.bib, most used first
      mscbib tags bib/cited.bib
      mscbib tags --explain bergfeldBoneMarrowderivedMesenchymal2010
      mscbib tags --explain KEY --vocabulary my-topics.toml
    """
    read_text_input("tags", file)  # binary or not UTF-8: named, exit code 2
    entries = read_entries([file])
    if explain_key is None:
        counts = tag_counts(entries)
        for tag, n in counts:
            click.echo(f"{n:5d}  {tag}")
        click.echo(f"{plural(len(counts), 'tag')} on {plural(len(entries), 'entry', 'entries')} of {file}", err=True)
        return
    try:
        fields = find_entry(entries, explain_key, [file])
    except NoSuchEntry as exc:
        click.echo(
            f"mscbib tags: {file}: no entry {exc.key!r}" + (f"; closest: {', '.join(exc.near)}" if exc.near else ""),
            err=True,
        )
        sys.exit(EXIT_FINDINGS)
    for item in explain_tags(fields, configured_vocabulary(vocabulary_path), file):
        if not item.reasons:
            text = (
                f"a keyword of the input or a Crossref subject (the topic {item.topic!r})"
                if item.topic
                else "a keyword of the input or a Crossref subject"
            )
            click.echo(f"{item.tag}\n    {text}")
            continue
        click.echo(item.tag)
        for w in item.reasons:
            if w.origin == "parent":
                click.echo(f"    parent topic of {w.matched!r} ({w.field})")
            else:
                click.echo(f"    {w.field}: {w.matched!r}")
