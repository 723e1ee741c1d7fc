"""subset: citations from .aux, .bcf, .tex and pandoc Markdown; crossref/xdata parents; missing keys."""

from __future__ import annotations

from click.testing import CliRunner

from mscbib.cli import main
from mscbib.library.subset import (
    citations_from_aux,
    citations_from_bcf,
    citations_from_markdown,
    citations_from_tex,
    subset,
)

# synthetic library: a chapter inheriting from its book through crossref, and an xdata set
LIBRARY = r"""@book{smithBook2001, title = {The Book}, author = {Smith, Ann}, year = {2001}, publisher = {P}}
@xdata{pubdata, publisher = {Q}}
@incollection{doeChapter2001, title = {A Chapter}, author = {Doe, Jane}, crossref = {smithBook2001}, pages = {1--9}}
@article{leeArticle2010, title = {An Article}, author = {Lee, Kim}, journal = {J}, year = {2010}, xdata = {pubdata}}
@article{kimOther2011, title = {Other}, author = {Kim, Lee}, journal = {J}, year = {2011}}
"""


def keys(cs):
    return [c.key for c in cs]


def test_tex_every_cite_variant():
    tex = r"""\citet[p.~3]{a,b} \citep*[see][12]{c} \parencite{d} \textcite{e} \autocite[5]{f} \footcite{g}
\citeauthor{h} \citeyear{i} \Citet{j} \citealp{k} \cites[1]{l}[2]{m, n} \nocite{o} % \cite{commented}
\begin{verbatim}\cite{verb}\end{verbatim} 100\% \cite{p}"""
    assert keys(citations_from_tex(tex)) == list("abcdefghijklmnop")
    assert [c.line for c in citations_from_tex(tex)][-1] == 3


def test_markdown_citations_without_emails_or_code():
    md = "As [@a, p. 3; -@b] say, @c. Write to me@example.org.\n`@notakey`\n```\n@fenced\n```\n[see @{d.e}]\n"
    assert keys(citations_from_markdown(md)) == ["a", "b", "c", "d.e"]


def test_aux_and_bcf():
    aux = "\\relax\n\\citation{a,b}\n\\citation{*}\n\\abx@aux@cite{0}{c}\n\\bibdata{x}\n"
    assert keys(citations_from_aux(aux)) == ["a", "b", "*", "c"]
    bcf = (
        '<bcf:section number="0">\n<bcf:citekey order="1" intorder="1">a</bcf:citekey>\n'
        '<bcf:citekey order="2" intorder="1">*</bcf:citekey>\n</bcf:section>'
    )
    assert keys(citations_from_bcf(bcf)) == ["a", "*"]


def test_subset_takes_parents_and_lists_missing_keys(tmp_path):
    lib = tmp_path / "lib.bib"
    lib.write_text(LIBRARY, encoding="utf-8")
    tex = tmp_path / "paper.tex"
    tex.write_text("\\cite{doeChapter2001}\n\\cite{leeArticle2010,leeArticle2011}\n", encoding="utf-8")
    result = subset(str(lib), [str(tex)])
    assert sorted(r.key for r in result.records) == ["doeChapter2001", "leeArticle2010", "pubdata", "smithBook2001"]
    assert sorted(result.dependencies) == ["pubdata", "smithBook2001"]
    [missing] = result.missing
    assert (missing.citation.key, missing.citation.line) == ("leeArticle2011", 2)
    assert missing.closest[0] == "leeArticle2010"


def test_subset_star_takes_everything(tmp_path):
    lib = tmp_path / "lib.bib"
    lib.write_text(LIBRARY, encoding="utf-8")
    aux = tmp_path / "p.aux"
    aux.write_text("\\citation{*}\n", encoding="utf-8")
    assert len(subset(str(lib), [str(aux)]).records) == 5


def test_subset_command_strict(tmp_path):
    lib = tmp_path / "lib.bib"
    lib.write_text(LIBRARY, encoding="utf-8")
    md = tmp_path / "p.md"
    md.write_text("See @kimOther2011 and @nobody.\n", encoding="utf-8")
    out = tmp_path / "out.bib"
    runner = CliRunner()
    res = runner.invoke(main, ["subset", "--library", str(lib), "-o", str(out), "--dialect", "biblatex", str(md)])
    assert res.exit_code == 0
    assert "p.md:1: key 'nobody' is not in" in res.stderr
    text = out.read_text(encoding="utf-8")
    assert "@article{kimOther2011," in text and "journaltitle = {J}" in text and "leeArticle2010" not in text
    res = runner.invoke(main, ["subset", "--library", str(lib), "--strict", str(md)])
    assert res.exit_code == 1
