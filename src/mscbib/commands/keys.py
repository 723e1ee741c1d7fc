"""`mscbib keys --explain KEY`: where a library key came from, and which formula term gave which part."""

from __future__ import annotations

import json
import sys

import click

from ..config import ConfigError, load_config, setting
from ..exits import EXIT_FINDINGS, EXIT_INPUT
from ..keys import DEFAULT_FORMULA, KEY_GIVEN, KEY_NEW, KEY_WRITTEN, FormulaError, explain_key, parse_formula
from ..library.subset import closest_keys
from ..sources.bibtex import BibtexFile
from ._common import CONTEXT, library_file_option, read_text_input

_FROM = {
    KEY_GIVEN: "given by the input{where}: kept as it is",
    KEY_WRITTEN: "kept from the library as written before (a key once written stays with its work)",
}


@click.command("keys", context_settings=CONTEXT)
@click.option("--explain", "key", required=True, metavar="KEY", help="The key to explain.")
@library_file_option("The library the key is in.")
@click.option(
    "--key-formula",
    metavar="FORMULA",
    help="The formula to explain it by [env MSCBIB_KEY_FORMULA, or "
    "'key_formula' in mscbib.toml; default: Better BibTeX's 'auth.lower + shorttitle(3,3) + year'].",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(exists=True, dir_okay=False),
    metavar="FILE",
    help="The JSON report of the build that wrote the library (build --report): says whether the key "
    "was given by an input, kept from the file, or made.",
)
def command(key, library, key_formula, report_path) -> None:
    """Say where KEY of the library came from: the part of it each term of the key formula gives, and
    whether it is the formula's key; with --report, whether the input gave it, the library had it
    already, or the build made it.

    \b
    Examples:
      mscbib keys --explain bergfeldBoneMarrowderivedMesenchymal2010
      mscbib keys --explain KEY --key-formula 'auth + year'   # what that formula would give
    """
    try:
        formula = setting("key_formula", key_formula, load_config()[0]) or DEFAULT_FORMULA
        parse_formula(formula)  # a bad formula is refused first, whatever the key
        records = BibtexFile().read(read_text_input("keys", library), library).records
        rec = next((r for r in records if r.key == key), None)
        if rec is None:
            near = closest_keys(key, [r.key for r in records if r.key])
            hint = f"; closest: {', '.join(near)}" if near else ""
            click.echo(f"mscbib keys: no entry {key!r} in {library}{hint}", err=True)
            sys.exit(EXIT_FINDINGS)
        ex = explain_key(rec, key, formula)
    except (ConfigError, FormulaError) as exc:
        raise click.BadParameter(str(exc), param_hint="--key-formula / MSCBIB_KEY_FORMULA / key_formula") from exc
    click.echo(f"{key} ({rec.source.where()})")
    entry = _entry(report_path, key) or {}
    origin = entry.get("key_from")
    if origin in _FROM:
        src = entry.get("source") or {}
        where = ":".join(str(src[k]) for k in ("file", "line") if src.get(k))
        click.echo("  " + _FROM[origin].format(where=f" ({where})" if where else ""))
    if ex.by_formula:
        click.echo(
            f"  made by the formula {formula}:"
            if origin == KEY_NEW
            else f"  {'also ' if origin in _FROM else ''}the key the formula {formula} gives:"
        )
    else:
        click.echo(f"  not the key of the formula {formula} (it gives {ex.base}):")
    width = max(len(t) for t, _ in ex.parts)
    for term, part in ex.parts:
        click.echo(f"    {term:<{width}}  -> {part or '(nothing: the entry has no value for it)'}")
    for rule in ex.rules:
        click.echo(f"    {'rule':<{width}}  -> {rule}")
    if ex.fallback:
        click.echo(f"    {'fallback':<{width}}  -> {ex.base} ({ex.fallback}, as Better BibTeX does: never a bare year)")
    if ex.postfix:
        click.echo(f"    {'postfix':<{width}}  -> {ex.postfix} (another work has the key {ex.base})")
    if not ex.by_formula and origin not in _FROM:
        click.echo(
            "  so an input gave it, or the library had it already (a key once written stays);\n"
            "  with the report of the build (build --report FILE), keys --report FILE says which"
        )


def _entry(report_path: str | None, key: str) -> dict | None:
    if not report_path:
        return None
    try:
        data = json.loads(read_text_input("keys", report_path))
    except json.JSONDecodeError as exc:
        click.echo(f"mscbib keys: {report_path}:{exc.lineno}: not a JSON report: {exc.msg}", err=True)
        sys.exit(EXIT_INPUT)
    entries = data.get("entries") if isinstance(data, dict) else None
    return next((e for e in entries or () if isinstance(e, dict) and e.get("key") == key), None)
