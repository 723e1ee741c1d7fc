"""`mscbib tags`: the topic tags of a library, with counts, and why each was applied."""

from __future__ import annotations

import sys
from collections import Counter

import click

from ..graph import read_entries
from ..model import Provenance, Record
from ..subset import closest_keys
from ..tags import tag_record
from ..exits import EXIT_FINDINGS
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
        counts = Counter(t.strip() for f in entries.values() for t in f.get("keywords", "").split(",") if t.strip())
        for tag, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold())):
            click.echo(f"{n:5d}  {tag}")
        click.echo(f"{plural(len(counts), 'tag')} on {plural(len(entries), 'entry', 'entries')} of {file}", err=True)
        return
    if explain_key not in entries:
        near = closest_keys(explain_key, list(entries))
        hint = f"; closest: {', '.join(near)}" if near else ""
        click.echo(f"mscbib tags: {file}: no entry {explain_key!r}{hint}", err=True)
        sys.exit(EXIT_FINDINGS)
    vocabulary = configured_vocabulary(vocabulary_path)
    f = entries[explain_key]
    src = Provenance("bibtex", file)
    rec = Record(source=src)
    for name in ("title", "abstract"):
        rec.set(name, " ".join(f.get(name, "").replace("{", "").replace("}", "").split()), src)
    tags = [t.strip() for t in f.get("keywords", "").split(",") if t.strip()]
    why = tag_record(rec, vocabulary)
    for tag in tags:
        reasons = [w for w in why if w.tag.casefold() == tag.casefold()]
        if not reasons:
            topic = vocabulary.topic_of_phrase(tag)
            reasons_text = (f"a keyword of the input or a Crossref subject (the topic {topic!r})" if topic
                            else "a keyword of the input or a Crossref subject")
            click.echo(f"{tag}\n    {reasons_text}")
            continue
        click.echo(tag)
        for w in reasons:
            if w.origin == "parent":
                click.echo(f"    parent topic of {w.matched!r} ({w.field})")
            else:
                click.echo(f"    {w.field}: {w.matched!r}")
