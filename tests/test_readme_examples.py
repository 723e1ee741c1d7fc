"""Every example command of the README's command section and of each command's ``--help`` is run, so none can go
stale (issue 21: the README's `mscbib refs` example named a key the committed library does not have).

Each runs in a folder holding copies of the committed ``bib/`` and ``seeds/`` and small synthetic stand-ins for the
files the examples name (``paper.aux``, ``dois.txt``, ``pages/`` …), with Crossref served by the local stand-in
(``MSCBIB_CROSSREF_URL``; the README's ``http://127.0.0.1:8080`` becomes the stand-in's address). Examples that need
Zotero or zotero.org are skipped, each with its reason.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conftest import ROOT, SHARED
from mscbib.cli import main

README = ROOT / "README.md"


def readme_examples() -> list[str]:
    """The ``mscbib …`` lines of the code blocks between the README's ``## Commands`` and the next ``## `` heading."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    out, in_block = [], False
    for line in section.splitlines():
        if line.startswith("```"):
            in_block = not in_block
        elif in_block and line.strip().startswith("mscbib "):
            out.append(line.strip())
    return out


def _commands() -> dict[str, click.Command]:
    """Every command of ``mscbib`` (they are imported when asked for: mscbib.cli.Main.get_command)."""
    ctx = click.Context(main)
    return {name: main.get_command(ctx, name) for name in main.list_commands(ctx)}


def help_examples() -> list[str]:
    """The lines under ``Examples:`` of every command's ``--help``."""
    out = []
    commands = []
    for name, cmd in _commands().items():
        if isinstance(cmd, click.Group):
            commands += [[name, sub] for sub in cmd.commands]
        else:
            commands.append([name])
    for path in commands:
        text = CliRunner().invoke(main, path + ["--help"]).output
        if "Examples:" not in text:
            continue
        for line in text.split("Examples:", 1)[1].split("\n\n", 1)[0].splitlines():
            if "mscbib " in line:
                out.append(line.strip())
    return out


def _skip_reason(example: str) -> str | None:
    if "--web" in example:
        return "needs zotero.org"
    if example.split("#")[0].split() == ["mscbib", "zotero", "push"] or (
        "zotero push" in example and "--dry-run" not in example
    ):
        return "needs a running Zotero desktop"
    if "../shared/" in example and not SHARED.is_dir():
        return f"{SHARED} is absent"
    return None


def _argv(example: str, home: Path, standin_url: str) -> tuple[list[str], str | None]:
    """The example as an argument list (its comment, a trailing pipe and a ``> FILE`` redirection taken off)."""
    line = re.sub(r"\s+#\s.*$", "", example).split(" | ")[0]
    redirect = None
    if " > " in line:
        line, redirect = (part.strip() for part in line.split(" > ", 1))
    line = line.replace("http://127.0.0.1:8080", standin_url).replace("../shared/", f"{SHARED}/")
    argv = [os.path.expanduser(a) if a.startswith("~") else a for a in shlex.split(line)]
    assert argv[0] == "mscbib", example
    return argv[1:], redirect


RIS = """TY  - JOUR
AU  - Synthetic, Ada
TI  - A synthetic record for the README examples
JO  - Journal of Examples
PY  - 2020
DO  - 10.1186/1478-811x-9-12
ER  - 
"""

NBIB = """PMID- 20000001
TI  - A synthetic MEDLINE record for the README examples.
AU  - Synthetic A
DP  - 2020 Jun
TA  - J Examples
VI  - 3
PG  - 1-9
LID - 10.1186/1478-811x-9-12 [doi]
"""


@pytest.fixture
def sandbox(tmp_path, monkeypatch, standin):
    """A folder with the committed library and seeds, and synthetic stand-ins for the files the examples name."""
    shutil.copytree(ROOT / "bib", tmp_path / "bib")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    catalog, pubmed = sorted((ROOT / "seeds").iterdir())[:2]  # a catalog record, a PubMed page
    (tmp_path / "pages").mkdir()
    shutil.copy(catalog, tmp_path / "pages" / catalog.name)
    shutil.copy(pubmed, tmp_path / "clip.txt")
    for name in ("refs.bib", "lib.bib"):
        shutil.copy(ROOT / "bib" / "library.bib", tmp_path / name)
    shutil.copy(ROOT / "bib" / "cited.bib", tmp_path / "refs.cited.bib")
    shutil.copy(ROOT / "bib" / "cited.bib", tmp_path / "cited.bib")
    shutil.copy(ROOT / "src" / "mscbib" / "data" / "vocabulary.toml", tmp_path / "my-topics.toml")
    (tmp_path / "dois.txt").write_text("# synthetic\n10.1007/s10555-010-9222-7\n10.1186/1478-811x-9-12\n")
    (tmp_path / "paper.aux").write_text("\\citation{bergfeldBoneMarrowderivedMesenchymal2010}\n")
    (tmp_path / "paper.tex").write_text("See \\cite{kamdjeMesenchymalStromalCells}.\n")
    for name in ("thesis.md", "chapter1.md", "chapter2.md"):
        (tmp_path / name).write_text("As shown [@bergfeldBoneMarrowderivedMesenchymal2010].\n")
    (tmp_path / "export.ris").write_text(RIS)
    (tmp_path / "pubmed.nbib").write_text(NBIB)
    # a PDF and a saved page (synthetic: the PDF reader's own test makers and fixtures)
    from test_pdf import ARTICLE, XMP, _pdf

    (tmp_path / "paper.pdf").write_bytes(_pdf([ARTICLE], xmp=XMP))
    shutil.copy(ROOT / "tests" / "fixtures" / "html" / "highwire_springer.html", tmp_path / "saved-page.html")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("MSCBIB_CROSSREF_URL", standin.url)
    return tmp_path, standin.url


#: exit codes an example may end with: 1 = done, with findings (the synthetic inputs have some)
FINDINGS_ALLOWED = {"build", "expand", "check"}


def _run(example: str, sandbox) -> None:
    reason = _skip_reason(example)
    if reason:
        pytest.skip(reason)
    home, url = sandbox
    argv, redirect = _argv(example, home, url)
    # KEY in an example is any key of the library
    argv = ["bergfeldBoneMarrowderivedMesenchymal2010" if a == "KEY" else a for a in argv]
    result = CliRunner().invoke(main, argv, catch_exceptions=True)
    allowed = {0, 1} if argv[0] in FINDINGS_ALLOWED else {0}
    assert result.exit_code in allowed, f"{example}\n-> exit {result.exit_code}\n{result.output}"
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), example
    assert "Traceback" not in result.output
    if redirect:
        (home / redirect).write_text(result.stdout)


@pytest.mark.network_standin
@pytest.mark.parametrize("example", readme_examples())
def test_readme_example_runs(example, sandbox):
    _run(example, sandbox)


@pytest.mark.network_standin
@pytest.mark.parametrize("example", help_examples())
def test_help_example_runs(example, sandbox):
    _run(example, sandbox)


def test_examples_are_found():
    """The collectors see the examples (a changed heading or help layout must not make the tests above vacuous)."""
    readme, helps = readme_examples(), help_examples()
    assert "mscbib refs kamdjeMesenchymalStromalCells" in " ".join(readme)
    assert len(readme) >= 20 and len(helps) >= 25
    assert {a.split()[1] for a in helps} >= {"build", "check", "subset", "export", "refs", "tags", "graph", "expand"}


def test_help_examples_are_one_per_line():
    """``\\b`` keeps click from running examples together (subset's help printed a literal ``\\b``)."""
    for name in _commands():
        text = CliRunner().invoke(main, [name, "--help"]).output
        assert "\\b" not in text, name
    assert "  mscbib subset paper.aux -o paper.bib\n" in CliRunner().invoke(main, ["subset", "--help"]).output


def test_refs_suggests_close_keys(sandbox):
    result = CliRunner().invoke(main, ["refs", "nwabokamdjeMesenchymalStromalCells2017"])
    assert result.exit_code == 1
    assert "closest: kamdjeMesenchymalStromalCells" in result.output


def test_readme_export_synopsis_lists_every_option():
    from mscbib.commands.export import command

    heading = next(line for line in README.read_text().splitlines() if line.startswith("### `mscbib export"))
    for param in command.params:
        for opt in param.opts:
            if opt.startswith("--") and param.name not in ("help",):
                assert opt in heading or any(o in heading for o in param.opts), (opt, heading)


def test_readme_shows_the_seeds_report(sandbox):
    """The report the README shows is what `mscbib build --offline` prints on the committed seeds."""
    shown = README.read_text(encoding="utf-8").split("#### The build report\n", 1)[1]
    shown = shown.split("```text\n", 1)[1].split("```", 1)[0]
    result = CliRunner().invoke(main, ["build", "--offline"])
    assert result.exit_code == 0, result.output
    assert result.stdout == shown


def _all_commands():
    for name, cmd in _commands().items():
        if isinstance(cmd, click.Group):
            yield from ((f"{name} {sub}", c) for sub, c in cmd.commands.items())
        else:
            yield name, cmd


def test_readme_names_every_option_of_every_command():
    """The README's command section is complete: each option of each command is named there (long or short form;
    the Crossref options are described once, in the Crossref section)."""
    text = README.read_text(encoding="utf-8").split("\n## Commands\n", 1)[1]
    text = text.split("\n## Development", 1)[0]
    missing = [
        (name, p.opts)
        for name, cmd in _all_commands()
        for p in cmd.params
        if isinstance(p, click.Option)
        and "--help" not in p.opts
        and not any(re.search(rf"`{re.escape(o)}[ `/=]|{re.escape(o)}\b", text) for o in p.opts)
    ]
    assert missing == []
    assert {name for name, _ in _all_commands()} >= {
        "build",
        "extract",
        "check",
        "subset",
        "export",
        "tags",
        "refs",
        "graph",
        "expand",
        "plugins",
        "zotero push",
    }
