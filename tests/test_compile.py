"""The written files build: pdflatex + BibTeX (plainnat), biblatex + biber (and biber's data-model check),
pandoc --citeproc — with no warning caused by the data. Skips where the programs are absent."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from mscbib.keys import assign_keys
from mscbib.model import Person
from mscbib.services.crossref.mapping import record_from_work
from mscbib.sources.bibtex import BibtexFile
from mscbib.testing.pandoc import PANDOC_MAJORS, pandocs
from mscbib.writers import render_as
from test_export import library_records, record, rich_records

# real Crossref works with Greek letters, sub/superscripts, italics and MathML in their titles
MARKUP_SAMPLES = [
    "work-10.1098_rspb.2017.0132.json",
    "work-10.1103_physrevb.89.140501.json",
    "work-10.1021_acs.orglett.7b03845.json",
    "work-10.1038_nnano.2014.279.json",
    # double-escaped <sup> (δ¹³C), MathML in the abstract; an editor "et al.", a place, an edition,
    # two ISBNs and ISSNs, an online-first date, licences (issue 18)
    "work-10.5194_cp-2020-95.json",
    "work-10.1155_2012_291294.json",
    "work-10.2973_odp.proc.ir.180.2000.json",
    "work-10.1007_978-3-319-75889-3_1.json",
    "work-10.1017_9781108348843.json",
    "work-10.1002_jor.1100150407.json",
]


def need(*programs):
    missing = [p for p in programs if shutil.which(p) is None]
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)}")


def records(shared=None):
    recs = rich_records() + library_records()
    if shared is not None:
        works = [
            json.loads((shared / "crossref-samples" / n).read_text(encoding="utf-8"))["message"]
            for n in MARKUP_SAMPLES
            if (shared / "crossref-samples" / n).exists()
        ]
        extra = [record_from_work(w) for w in works]
        assign_keys(extra)
        recs += extra
    # what every export starts from: the records as read from a .bib
    return BibtexFile().read(render_as(recs, "bibtex"), "lib.bib").records


@pytest.fixture
def recs(request):
    try:
        shared = request.getfixturevalue("shared")
    except pytest.skip.Exception:
        shared = None
    return records(shared)


def model_misfits():
    """Synthetic records holding what biblatex's data model has no field for in their entry type."""
    cited = record(
        "cited2019",
        title="A cited work",
        authors=[Person("Roe", "Ann")],
        year="2019",
        journal="J Cited",
        volume="Suppl 2",
        type="journal-article",
    )
    cited.cited_by = ["thesisKey2001"]
    thesis = record(
        "thesisKey2001",
        title="A thesis",
        authors=[Person("Doe", "Jane")],
        year="2001",
        publisher="Univ of X",
        volume="3",
        isbn=["978-3-319-53923-2"],
        type="dissertation",
    )
    thesis.cites = ["cited2019"]
    misc = record(
        "miscKey2005",
        title="A web page",
        authors=[Person("Poe", "Al")],
        year="2005",
        publisher="Zenodo",
        issue="4",
        pages="1--2",
        issn=["1066-5099"],
        type="other",
    )
    # BibLaTeX's @dataset (issue 17: it was @misc) takes a publisher and a number, not pages
    data = record(
        "dataKey2006",
        title="A dataset",
        authors=[Person("Poe", "Al")],
        year="2006",
        publisher="Zenodo",
        issue="5",
        pages="3--4",
        type="dataset",
    )
    proc = record(
        "procKey2010",
        title="Proceedings of a meeting",
        authors=[Person("Lee", "Kim")],
        year="2010",
        publisher="ACM",
        type="proceedings",
    )
    return [cited, thesis, misc, proc, data]


def test_biblatex_moves_what_the_model_has_no_field_for():
    text = render_as(model_misfits() + rich_records()[:1], "biblatex")
    assert "addendum = {Vol. Suppl 2}" in text and "volume = {Suppl 2}" not in text
    # the citing keys, ISBNs a thesis has no field for, ISSNs beyond the one `issn` holds: in `annote`, which
    # biber reads as the annotation and Zotero's import keeps as a note (it ignores `annotation`)
    assert "annote = {Cited by (mscbib): thesisKey2001}" in text and "citedby" not in text
    assert "institution = {Univ of X}" in text and "addendum = {Vol. 3}" in text
    # the cited key too (BibLaTeX has no `cites`: the one Cites note, model.zotero_note, carries it)
    assert "annote = {Cites (mscbib):\n[1] cited2019\nISBN: 978-3-319-53923-2}" in text
    assert "howpublished = {Zenodo}" in text and "addendum = {No. 4. pp. 1--2}" in text
    assert "editor = {Lee, Kim}" in text
    assert "@dataset{dataKey2006" in text and "publisher = {Zenodo}" in text and "number = {5}" in text
    assert "addendum = {pp. 3--4}" in text
    assert "issn = {1066-5099}" in text and "ISSN: 1066-5099, 1549-4918" in text and "Wiley" not in text
    # the BibTeX dialect keeps every field where it was
    plain = render_as(model_misfits() + rich_records()[:1], "bibtex")
    assert "volume = {Suppl 2}" in plain and "citedby = {thesisKey2001}" in plain and "publisher = {Wiley}" in plain
    # ... but names a thesis's publishing body where BibTeX requires it (its `school`)
    assert "school = {Univ of X}" in plain and "publisher = {Univ of X}" not in plain


def run(cmd, cwd):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_pdflatex_bibtex_plainnat(recs, tmp_path):
    need("pdflatex", "bibtex")
    text = render_as(recs, "bibtex")
    # DOIs and URLs stay literal (biber, pandoc and Zotero read them as they are: no `\_`) ...
    assert "doi = {10.1000/x_y}" in text
    (tmp_path / "refs.bib").write_text(text, encoding="utf-8")
    # ... so the document loads `url`, as plainnat.bst asks ("works best with url.sty"): its \doi and \url
    # then typeset `_`, `%`, `#` as they are (without it, \doi{10.1000/x_y} stops on "Missing $")
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\\usepackage[utf8]{inputenc}\\usepackage[T1]{fontenc}"
        "\\usepackage{url}\\usepackage{natbib}\\begin{document}\\nocite{*}"
        "\\bibliographystyle{plainnat}\\bibliography{refs}\\end{document}\n"
    )
    first = run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], tmp_path)
    assert first.returncode == 0, first.stdout[-2000:]
    bib = run(["bibtex", "doc"], tmp_path)
    # a year the library does not have is reported by the build (REQ001), not caused by the writer
    no_year = {f"Warning--empty year in {r.key}" for r in recs if not r.get("year")}
    warnings = [l for l in bib.stdout.splitlines() if l.startswith("Warning") and l not in no_year]
    assert bib.returncode == 0 and warnings == [], bib.stdout
    done = run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], tmp_path)
    assert done.returncode == 0, done.stdout[-3000:]
    assert (tmp_path / "doc.bbl").read_text(encoding="utf-8").count("\\bibitem") == len(recs)


def test_biblatex_biber_and_datamodel(recs, tmp_path):
    need("pdflatex", "biber")
    recs = recs + model_misfits()
    (tmp_path / "refs.bib").write_text(render_as(recs, "biblatex"), encoding="utf-8")
    check = run(["biber", "--tool", "--validate-datamodel", "--output-file", "checked.bib", "refs.bib"], tmp_path)
    assert check.returncode == 0, check.stdout
    # a date the library does not have is reported by the build (REQ001), not caused by the writer
    no_date = {
        f"Entry '{r.key}' (refs.bib): Missing mandatory field - one of 'date, year' must be defined"
        for r in recs
        if not r.get("year")
    }
    # ... and so is a name Crossref does not have (a book that names only editors, a chapter with no editor)
    no_date |= {
        f"Entry '{r.key}' (refs.bib): Missing mandatory field '{name}'"
        for r in recs
        for name, value in (("author", r.authors), ("editor", r.get("editors")))
        if not value
    }
    warnings = [
        l
        for l in check.stdout.splitlines()
        if l.startswith(("WARN", "ERROR")) and l.split("Datamodel: ")[-1] not in no_date
    ]
    assert warnings == [], check.stdout
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\\usepackage[T1]{fontenc}"
        "\\usepackage[backend=biber]{biblatex}\\addbibresource{refs.bib}"
        "\\begin{document}\\nocite{*}\\printbibliography\\end{document}\n"
    )
    assert run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], tmp_path).returncode == 0
    biber = run(["biber", "doc"], tmp_path)
    assert biber.returncode == 0 and [l for l in biber.stdout.splitlines() if "WARN" in l] == [], biber.stdout
    done = run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], tmp_path)
    assert done.returncode == 0, done.stdout[-3000:]


def pandoc(major):
    """The pandoc of this major version (Debian's 2.17, the ``pypandoc_binary`` wheel's 3.x), or skip naming it."""
    found = pandocs().get(major)
    if found is None:
        pytest.skip(f"no pandoc {major}.x here (Debian's package gives 2.x, the pypandoc_binary wheel 3.x)")
    return found[0]


#: how pandoc reads each format we write
PANDOC_READER = {"bibtex": "bibtex", "zotero": "bibtex", "biblatex": "biblatex", "csljson": "csljson"}


@pytest.mark.parametrize("major", PANDOC_MAJORS)
@pytest.mark.parametrize("fmt", ["bibtex", "biblatex", "csljson", "zotero"])
def test_pandoc_citeproc_renders_every_entry(recs, tmp_path, fmt, major):
    exe = pandoc(major)
    name = "refs.json" if fmt == "csljson" else "refs.bib"
    text = render_as(recs, fmt)
    (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "doc.md").write_text("---\nnocite: '@*'\n---\n\nText.\n", encoding="utf-8")
    res = run([exe, "--citeproc", "--bibliography", name, "-t", "plain", "doc.md"], tmp_path)
    assert res.returncode == 0 and res.stderr.strip() == "", res.stderr
    rendered = " ".join(res.stdout.split()).lower()
    for rec in recs:
        if rec.doi:
            assert rec.doi in rendered, rec.key
    # every entry as pandoc's citeproc reads it: one CSL item each, with a CSL type — but a @misc, which pandoc's
    # BibTeX and BibLaTeX readers map to no type at all (2.17 and 3.x alike): Crossref's "other", and in the BibTeX
    # dialects a dataset or preprint (BibTeX's styles know no such type; its `type` field keeps the kind for the
    # BibLaTeX and CSL-JSON exports read from the .bib: @dataset, @unpublished; "dataset", "manuscript")
    as_csl = run([exe, "-f", PANDOC_READER[fmt], "-t", "csljson", name], tmp_path)
    assert as_csl.returncode == 0 and as_csl.stderr.strip() == "", as_csl.stderr
    items = {item["id"]: item for item in json.loads(as_csl.stdout)}
    assert sorted(items) == sorted(r.key for r in recs)
    misc = set(re.findall(r"^@misc\{([^,]+),", text, re.M)) if fmt != "csljson" else set()
    untyped = {k for k, item in items.items() if not item.get("type")}
    assert untyped == misc, untyped
    if fmt == "csljson":  # what we wrote is what pandoc reads
        assert {k: i["type"] for k, i in items.items()} == {i["id"]: i["type"] for i in json.loads(text)}
    if fmt in ("biblatex", "csljson"):  # a preprint or dataset read back from the .bib: typed (issue 18)
        typed = {"posted-content": "manuscript", "dataset": "dataset"}
        for r in (r for r in recs if r.get("type") in typed):
            assert items[r.key].get("type") == typed[r.get("type")], r.key


# -- italic, bold, small caps (issue 18) -----------------------------------------------------------------------
STYLED_WORK = {  # synthetic: no recorded work has <b> or <scp>
    "DOI": "10.5555/styled",
    "type": "journal-article",
    "title": ["The <scp>Nasa</scp> survey of <b>bold</b> <i>claims <b>twice</b></i>"],
    "author": [{"family": "Roe", "given": "Ann"}],
    "container-title": ["J Styles"],
    "issued": {"date-parts": [[2020]]},
}


@pytest.fixture
def styled(shared):
    """The real work with an italic species name, and the synthetic one with bold and small caps, as read back
    from the library.bib they make."""
    path = shared / "crossref-samples" / "work-10.1098_rspb.2017.0132.json"
    recs = [record_from_work(json.loads(path.read_text(encoding="utf-8"))["message"]), record_from_work(STYLED_WORK)]
    assign_keys(recs)
    return BibtexFile().read(render_as(recs, "bibtex"), "lib.bib").records


STYLED_LATEX = (
    "\\textit{Callosobruchus maculatus}",
    "\\textsc{Nasa}",
    "\\textbf{bold}",
    "\\textit{claims \\textbf{twice}}",
)


@pytest.mark.parametrize("style", ["plain", "plainnat"])
def test_bibtex_styles_typeset_the_title_styles(styled, tmp_path, style):
    need("pdflatex", "bibtex")
    (tmp_path / "refs.bib").write_text(render_as(styled, "bibtex"), encoding="utf-8")
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\\usepackage[T1]{fontenc}\\usepackage{url}"
        + ("\\usepackage{natbib}" if style == "plainnat" else "")
        + f"\\begin{{document}}\\nocite{{*}}\\bibliographystyle{{{style}}}\\bibliography{{refs}}\\end{{document}}\n"
    )
    assert run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], tmp_path).returncode == 0
    bib = run(["bibtex", "doc"], tmp_path)
    assert bib.returncode == 0 and "Warning" not in bib.stdout, bib.stdout
    bbl = " ".join((tmp_path / "doc.bbl").read_text(encoding="utf-8").split())
    for latex in STYLED_LATEX:  # the styles change the case around them, never inside the command's group
        assert latex in bbl, latex
    done = run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], tmp_path)
    assert done.returncode == 0, done.stdout[-3000:]


def test_biber_keeps_the_title_styles(styled, tmp_path):
    need("pdflatex", "biber")
    (tmp_path / "refs.bib").write_text(render_as(styled, "biblatex"), encoding="utf-8")
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\\usepackage[T1]{fontenc}\\usepackage[backend=biber]{biblatex}"
        "\\addbibresource{refs.bib}\\begin{document}\\nocite{*}\\printbibliography\\end{document}\n"
    )
    assert run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], tmp_path).returncode == 0
    biber = run(["biber", "doc"], tmp_path)
    assert biber.returncode == 0 and "WARN" not in biber.stdout, biber.stdout
    bbl = " ".join((tmp_path / "doc.bbl").read_text(encoding="utf-8").split())
    for latex in STYLED_LATEX:
        assert latex in bbl, latex
    assert run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], tmp_path).returncode == 0


@pytest.mark.parametrize("major", PANDOC_MAJORS)
@pytest.mark.parametrize("fmt", ["bibtex", "biblatex", "csljson", "zotero"])
def test_pandoc_renders_the_title_styles(styled, tmp_path, fmt, major):
    exe = pandoc(major)
    name = "refs.json" if fmt == "csljson" else "refs.bib"
    (tmp_path / name).write_text(render_as(styled, fmt), encoding="utf-8")
    (tmp_path / "doc.md").write_text("---\nnocite: '@*'\n---\n\nText.\n", encoding="utf-8")
    res = run([exe, "--citeproc", "--bibliography", name, "-t", "html", "doc.md"], tmp_path)
    assert res.returncode == 0 and res.stderr.strip() == "", res.stderr
    html = " ".join(res.stdout.split()).lower()  # the default style (Chicago) sets titles in title case
    assert "seed beetle <em>callosobruchus maculatus</em>" in html
    assert '<span class="smallcaps">nasa</span>' in html and "<strong>bold</strong>" in html
    assert "<em>claims <strong>twice</strong></em>" in html


# -- library.bib and cited.bib, used as the README says -------------------------------------------------------
def built_library(client, tmp_path):
    """The seeds plus a DOI list naming a work the seeds cite, so that one cited work is also a library entry."""
    from conftest import SEEDS
    from mscbib.pipeline.build import build
    from mscbib.refs import cited_entries

    inputs = tmp_path / "in"
    inputs.mkdir()
    for seed in SEEDS.iterdir():
        (inputs / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    (inputs / "dois.txt").write_text("10.1186/1478-811x-9-12\n", encoding="utf-8")
    result = build([str(inputs)], str(tmp_path / "library.bib"), client)
    library = {r.key for r in result.records}
    cited = {r.key for r in cited_entries(result.records, result.cited)}
    cites = {k for r in result.records + result.cited for k in r.cites}
    assert cites and cites <= cited and library & cited  # a cited library entry is in both files
    return library, cited, cites


def latex_with(tmp_path, name, files, keys, biblatex=False):
    cite = "\\nocite{*}" if keys is None else "".join(f"\\nocite{{{k}}}" for k in sorted(keys))
    if biblatex:
        head = "\\usepackage[backend=biber]{biblatex}" + "".join(f"\\addbibresource{{{f}.bib}}" for f in files)
        tail = "\\printbibliography"
    else:
        head, tail = (
            "\\usepackage{url}\\usepackage{natbib}",
            f"\\bibliographystyle{{plainnat}}\\bibliography{{{','.join(files)}}}",
        )
    (tmp_path / f"{name}.tex").write_text(
        "\\documentclass{article}\\usepackage[T1]{fontenc}"
        + head
        + f"\\begin{{document}}{cite}{tail}\\end{{document}}\n",
        encoding="utf-8",
    )
    assert run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"], tmp_path).returncode == 0
    tool = run(["biber" if biblatex else "bibtex", name], tmp_path)
    bbl = (tmp_path / f"{name}.bbl").read_text(encoding="utf-8")
    found = (
        set(re.findall(r"\\entry\{([^}]+)\}", bbl))
        if biblatex
        else set(re.findall(r"\\bibitem\[[^\]]*\]\{([^}]+)\}", bbl))
    )
    return tool, found


def test_bibtex_with_either_file_alone(client, tmp_path):
    need("pdflatex", "bibtex")
    library, cited, cites = built_library(client, tmp_path)
    # cited.bib alone: every key of every `cites` field resolves, with no error or warning
    tool, found = latex_with(tmp_path, "cited_only", ["cited"], cites)
    assert tool.returncode == 0 and "Warning--I didn't find" not in tool.stdout, tool.stdout
    assert found == cites
    # library.bib alone: the library
    tool, found = latex_with(tmp_path, "library_only", ["library"], None)
    assert tool.returncode == 0 and found == library, tool.stdout


def test_bibtex_with_both_files_keeps_the_first_of_identical_duplicates(client, tmp_path):
    need("pdflatex", "bibtex")
    library, cited, cites = built_library(client, tmp_path)
    tool, found = latex_with(tmp_path, "both", ["library", "cited"], library | cites)
    assert found == library | cites
    # BibTeX says "Repeated entry" for each cited key defined in both files (exit code 2) and keeps the first;
    # the two definitions are the same entry, so nothing differs — and it is the only complaint
    repeated = set(re.findall(r"Repeated entry---line \d+ of file cited\.bib\n : @\w+\{(\S+?)\n", tool.stdout))
    assert repeated == library & cites, tool.stdout
    assert "Warning--I didn't find" not in tool.stdout
    assert f"(There {'was' if len(repeated) == 1 else 'were'} {len(repeated)} error message" in tool.stdout


def test_biber_with_both_files_skips_identical_duplicates(client, tmp_path):
    need("pdflatex", "biber")
    library, cited, cites = built_library(client, tmp_path)
    tool, found = latex_with(tmp_path, "both", ["library", "cited"], None, biblatex=True)
    assert tool.returncode == 0 and found == library | cited, tool.stdout
    warnings = [l for l in tool.stdout.splitlines() if l.startswith("WARN")]
    assert sorted(warnings) == sorted(
        f"WARN - Duplicate entry key: '{k}' in file 'cited.bib', skipping ..." for k in library & cited
    ), tool.stdout


# -- what a @misc is (issue 18) ---------------------------------------------------------------------------------
@pytest.fixture
def cited_books(shared):
    """The cited works of a real recorded work whose deposited references give a book's title alone (Sokal's
    *Biometry*: ``volume-title``, an author, a year; no publisher), as cited.bib holds them and reads them back."""
    from mscbib.refs import record_from_reference
    from mscbib.services.crossref.mapping import references_from_work

    path = shared / "crossref-samples" / "work-10.1002_jor.1100150407.json"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    refs = references_from_work(json.loads(path.read_text(encoding="utf-8"))["message"])
    recs = [record_from_reference(r) for r in refs if r.kind == "book"]
    assert recs and all(not r.get("publisher") for r in recs)
    assign_keys(recs)
    return recs


@pytest.mark.parametrize("style", ["plain", "plainnat"])
def test_a_cited_book_is_said_in_bibtex_without_a_warning(cited_books, tmp_path, style):
    need("bibtex")
    text = render_as(cited_books, "bibtex")
    # BibTeX's @book requires a publisher the reference does not give: a @misc saying it is a book
    assert text.count("@misc{") == len(cited_books) and text.count("type = {Book}") == len(cited_books)
    assert "title = {Biometry}" in text
    (tmp_path / "refs.bib").write_text(text, encoding="utf-8")
    (tmp_path / "doc.aux").write_text(f"\\citation{{*}}\n\\bibstyle{{{style}}}\n\\bibdata{{refs}}\n")
    bib = run(["bibtex", "doc"], tmp_path)
    # the data's own gaps only (a reference with no year): nothing the type asks for
    no_year = {f"Warning--empty year in {r.key}" for r in cited_books if not r.get("year")}
    warnings = [l for l in bib.stdout.splitlines() if l.startswith("Warning") and l not in no_year]
    assert bib.returncode == 0 and warnings == [], bib.stdout
    # read back from the .bib, each is a book again: typed in the exports that have the type
    back = BibtexFile().read(text, "cited.bib").records
    assert [r.get("type") for r in back] == ["book"] * len(cited_books)
    assert render_as(back, "biblatex").count("@book{") == len(cited_books)
    assert {i["type"] for i in json.loads(render_as(back, "csljson"))} == {"book"}
    assert render_as(back, "zotero").count("@book{") == len(cited_books)  # Zotero's import needs no publisher


@pytest.mark.parametrize("major", PANDOC_MAJORS)
def test_pandoc_types_the_cited_books_from_biblatex_and_csl_json(cited_books, tmp_path, major):
    exe = pandoc(major)
    back = BibtexFile().read(render_as(cited_books, "bibtex"), "cited.bib").records
    for fmt, name in (("biblatex", "refs.bib"), ("csljson", "refs.json"), ("bibtex", "plain.bib")):
        (tmp_path / name).write_text(render_as(back, fmt), encoding="utf-8")
        read = run([exe, "-f", PANDOC_READER[fmt], "-t", "csljson", name], tmp_path)
        assert read.returncode == 0, read.stderr
        types = {i.get("type") or "" for i in json.loads(read.stdout)}
        # pandoc's BibTeX reader gives a @misc no type (its `type` field is the CSL genre): the conflict
        assert types == ({""} if fmt == "bibtex" else {"book"}), (fmt, types)


@pytest.mark.parametrize("style", ["plain", "plainnat"])
def test_a_given_name_holding_and_is_one_name_to_bibtex(shared, tmp_path, style):
    """A real deposited reference's author "National Academies of Sciences, Engineering, and Medicine" is split at
    its first comma (the mapping's reading of a reference's one author string); the given name's "and" made BibTeX
    read two names, the first "with a comma at the end" (2 error messages on cited.bib: bibtex's exit 2)."""
    need("bibtex")
    from mscbib.refs import record_from_reference
    from mscbib.services.crossref.mapping import references_from_work

    path = shared / "crossref-samples" / "work-10.1007_978-3-319-75889-3_1.json"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    refs = references_from_work(json.loads(path.read_text(encoding="utf-8"))["message"])
    recs = [record_from_reference(r) for r in refs if r.authors and " and " in f" {r.authors[0].given} "]
    assert recs
    assign_keys(recs)
    text = render_as(recs, "bibtex")
    assert "{Engineering, and Medicine}" in text
    (tmp_path / "refs.bib").write_text(text, encoding="utf-8")
    (tmp_path / "doc.aux").write_text(f"\\citation{{*}}\n\\bibstyle{{{style}}}\n\\bibdata{{refs}}\n")
    bib = run(["bibtex", "doc"], tmp_path)
    assert bib.returncode in (0, 1) and "comma at the end" not in bib.stdout, bib.stdout  # 1: warnings only
    back = BibtexFile().read(text, "refs.bib").records
    assert [r.authors for r in back] == [r.authors for r in recs]
