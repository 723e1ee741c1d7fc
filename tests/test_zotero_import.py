"""What Zotero stores when it imports what mscbib writes: Zotero's own BibTeX import translator (BibTeX.js, run
under Node by ``../shared/zotero-import/zotero-bibtex-import.js``; AGPL code, run, never copied) on files written
from the real recorded Crossref works of ``../shared/crossref-samples/`` and from the seeds (bib/library.bib,
bib/cited.bib). Per field: no TeX or HTML left, no creator "others"/"et al.", the cited and citing keys as notes,
nothing lost but the citation key. Skips where Node or the folder is absent."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from conftest import ROOT, SHARED
from mscbib.keys import assign_keys
from mscbib.services.crossref.mapping import apply_url_option, cased_title, record_from_work
from mscbib.sources.bibtex import BibtexFile
from mscbib.writers import render_as
from mscbib.writers.bibtex import ZOTERO_MATH_LETTERS, to_latex

IMPORTER = SHARED / "zotero-import" / "zotero-bibtex-import.js"
SAMPLES = SHARED / "crossref-samples"
#: TeX in a Zotero field: a control word, a brace, a dollar
TEX = re.compile(r"\\[A-Za-z]+|[{}$]")
#: HTML in a Zotero field, but for the rich-text tags Zotero itself stores in titles (<i>, <b>, <sup>, <sub>, a
#: small-caps <span>): it displays those formatted
HTML = re.compile(r"&(?:[a-z]+|#\d+);|<(?!/?(?:i|b|sup|sub|span)\b)/?[A-Za-z][^>]*>")
#: fields whose value is an identifier or a date, never text
NOT_TEXT = {"url", "DOI", "date", "_dateParsed", "ISSN", "ISBN", "itemType", "creators", "accessDate"}


def zotero_import(path):
    """Zotero's items for ``path`` (the shim's JSON), or skip."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    if not IMPORTER.exists():
        pytest.skip(f"{IMPORTER} is absent")
    out = path.with_name(path.name + ".json")
    with out.open("w", encoding="utf-8") as fh:  # a file, not a pipe: Node cuts long piped output short
        subprocess.run(["node", str(IMPORTER), str(path)], stdout=fh, stderr=subprocess.PIPE, timeout=600, check=True)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["errors"] == [] and data.get("notImported", []) == [] and data["itemsOut"] == data["entriesIn"]
    return {it["citekey"]: it for it in data["items"]}


def work(name):
    path = SAMPLES / f"work-{name}.json"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return json.loads(path.read_text(encoding="utf-8"))["message"]


def recorded_records():
    """The 56 recorded works as mscbib maps them, keyed, as read back from the library.bib they make."""
    if not SAMPLES.is_dir():
        pytest.skip(f"{SAMPLES} is absent")
    works = [json.loads(p.read_text(encoding="utf-8"))["message"] for p in sorted(SAMPLES.glob("work-*.json"))]
    recs = [record_from_work(w) for w in works if w.get("DOI")]
    assert len(recs) == 56
    assign_keys(recs)
    return BibtexFile().read(render_as(recs, "bibtex"), "library.bib").records


def seed_records(name):
    return BibtexFile().read((ROOT / "bib" / name).read_text(encoding="utf-8"), name).records


def imported(tmp_path, records, dialect, name="lib.bib"):
    path = tmp_path / name
    path.write_text(render_as(records, dialect), encoding="utf-8")
    return zotero_import(path)


def one(tmp_path, work_name, dialect="bibtex"):
    rec = record_from_work(work(work_name))
    assign_keys([rec])
    return rec, imported(tmp_path, [rec], dialect)[rec.key]


def text_fields(item):
    return {k: v for k, v in item["saved"].items() if isinstance(v, str) and k not in NOT_TEXT}


def names(item):
    return [(c.get("name") or c.get("lastName") or "").strip().lower() for c in item["saved"].get("creators", [])]


def notes(item):
    return " ".join(n["note"] for n in item["translated"]["notes"])


def lost(item):
    """What Zotero does not store, but the key (moved to Extra is kept; ISBN re-hyphenation is not emulated)."""
    out = [f"ignored {f['field']}" for f in item["lost"]["ignoredByTranslator"]]
    out += [
        f"{x['kind']} {x['field']}"
        for x in item["lost"]["onSave"] + item["lost"]["overwritten"]
        if x.get("kind") not in ("note", "toExtra", "fromExtra") and x.get("field") != "citekey"
    ]
    return out


# -- the whole library ----------------------------------------------------------------------------------------
def test_the_zotero_bib_of_the_recorded_works_and_seeds_loses_nothing_but_the_key(tmp_path):
    recs = recorded_records() + seed_records("library.bib") + seed_records("cited.bib")
    items = imported(tmp_path, recs, "zotero")
    assert len(items) == len(recs) == 64
    for rec in recs:
        item = items[rec.key]
        assert lost(item) == [], (rec.key, lost(item))
        for field, value in text_fields(item).items():
            assert not TEX.search(value) and not HTML.search(value), (rec.key, field, value)
        assert not {"others", "et al.", "et al"} & set(names(item)), rec.key
        for key in rec.cites + rec.cited_by:  # the cited and citing keys: in a note
            assert key in notes(item), (rec.key, key)


def test_the_bibtex_library_leaves_no_tex_in_zotero_and_keeps_cites_as_notes(tmp_path):
    recs = recorded_records() + seed_records("library.bib") + seed_records("cited.bib")
    items = imported(tmp_path, recs, "bibtex")
    for rec in recs:
        item = items[rec.key]
        for field, value in text_fields(item).items():
            assert not TEX.search(value) and not HTML.search(value), (rec.key, field, value)
        # `cites`/`citedby` are no Zotero fields: their keys are in the `annote` note it keeps
        assert {f["field"] for f in item["lost"]["ignoredByTranslator"]} <= {"cites", "citedby", "origdate"}, rec.key
        for key in rec.cites + rec.cited_by:
            assert key in notes(item), (rec.key, key)
    assert sum(bool(r.cited_by) for r in recs) >= 5 and sum(bool(r.cites) for r in recs) >= 1


def test_the_biblatex_export_keeps_its_notes_in_zotero(tmp_path):
    recs = seed_records("library.bib") + seed_records("cited.bib")
    items = imported(tmp_path, recs, "biblatex")
    for rec in recs:
        assert "annotation" not in items[rec.key]["lost"]["ignoredByTranslator"]
        for key in rec.cites + rec.cited_by:
            assert key in notes(items[rec.key]), (rec.key, key)


# -- garbled --------------------------------------------------------------------------------------------------
def test_et_al_deposited_as_an_editor_is_no_editor(tmp_path):
    rec = record_from_work(work("10.2973_odp.proc.ir.180.2000"))  # editors: … "Klaus, A.", {"name": "et al."}
    assert [p.family for p in rec.get("editors")][-1] == "Klaus" and rec.get("editors_complete") is False
    assign_keys([rec])
    assert "Klaus, A. and others}" in render_as([rec], "bibtex")  # the BibTeX convention
    item = imported(tmp_path, [rec], "zotero")[rec.key]
    assert names(item)[-1] == "klaus" and "et al." not in names(item)
    assert "Editor list incomplete" in notes(item)


def test_and_others_becomes_a_note_for_zotero(tmp_path):
    recs = [r for r in seed_records("library.bib") if r.get("authors_complete") is False]
    assert len(recs) == 2
    assert names(imported(tmp_path, recs, "bibtex", "b.bib")[recs[0].key])[-1] == "others"  # Zotero's reading
    items = imported(tmp_path, recs, "zotero")
    for rec in recs:
        assert names(items[rec.key]) == [p.family.lower() for p in rec.authors]
        assert "Author list incomplete" in notes(items[rec.key])


def test_double_escaped_superscript_reaches_every_format(tmp_path):
    rec, item = one(tmp_path, "10.5194_cp-2020-95")  # δ&amp;lt;sup&amp;gt;13&amp;lt;/sup&amp;gt;C
    assert "the δ¹³C Decline" in rec.title
    assert "{$\\delta$}{$^{13}$}C" in render_as([rec], "bibtex")
    assert "the δ<sup>13</sup>C Decline" in item["saved"]["title"]  # Zotero's rich text: a superscript
    assert "the δ¹³C Decline" in imported(tmp_path, [rec], "zotero", "z.bib")[rec.key]["saved"]["title"]
    assert "δ<sup>13</sup>C" in json.loads(render_as([rec], "csljson"))[0]["title"]
    assert "TI  - The Atmospheric Bridge Communicated the δ¹³C" in render_as([rec], "ris")


def test_sub_and_superscript_ions(tmp_path):
    rec = record_from_work(work("10.1016_j.compositesb.2018.01.027"))
    for ref in rec.references:
        assert "<sup>" not in (ref.title or "") and "&lt;" not in (ref.title or "")
    titles = [r.title for r in rec.references if r.title and "²⁺" in r.title]
    assert titles == [] or all("Ca²⁺" in t for t in titles)


def test_mathml_in_an_abstract_stays_readable(tmp_path):
    rec, item = one(tmp_path, "10.1155_2012_291294")
    assert "P < 0.001" in rec.get("abstract") and "mml" not in rec.get("abstract")
    assert "P < 0.001" in item["saved"]["abstractNote"]


def test_greek_letters_zotero_reads_from_what_the_bibtex_writer_writes(tmp_path):
    """The measurement behind ZOTERO_MATH_LETTERS: each letter written as the BibTeX writer writes it comes back
    from Zotero's import as the same letter; θ (which Zotero reads in no TeX form) comes back in the zotero
    dialect, UTF-8."""
    path = tmp_path / "greek.bib"
    letters = sorted(ZOTERO_MATH_LETTERS)
    path.write_text(
        "".join(f"@misc{{g{i}, title = {{X{to_latex(c)}Y}}}}\n" for i, c in enumerate(letters)), encoding="utf-8"
    )
    items = zotero_import(path)
    assert {c: items[f"g{i}"]["saved"]["title"] for i, c in enumerate(letters)} == {c: f"X{c}Y" for c in letters}
    assert to_latex("θ") == "{\\ensuremath{\\theta}}"  # what Zotero mangles ("þeta") is not written so


def test_all_caps_titles_are_not_braced_word_by_word(tmp_path):
    rec, item = one(tmp_path, "10.1890_0012-9658_2006_87_2832_tiopma_2.0.co_2")
    text = render_as([rec], "bibtex")
    assert "title = {THE IMPACT OF PARASITE MANIPULATION" in text and "{THE}" not in text
    assert item["saved"]["title"].startswith("THE IMPACT OF PARASITE")
    # where Crossref also holds the title in proper case (synthetic second form of the real title), that one
    cased = "The Impact of Parasite Manipulation and Predator Foraging Behavior on Predator–Prey Communities"
    assert cased_title([rec.title, cased]) == cased
    assert cased_title([rec.title, "Another title entirely"]) == rec.title


# -- lost -----------------------------------------------------------------------------------------------------
def test_publisher_location_reaches_zotero_place(tmp_path):
    rec, item = one(tmp_path, "10.1007_978-3-0348-8720-5_13")
    assert rec.get("address") == "Basel" and item["saved"]["place"] == "Basel"
    assert "location = {Basel}" in render_as([rec], "biblatex")


def test_edition_number_reaches_zotero_edition(tmp_path):
    rec, item = one(tmp_path, "10.1017_9781108348843")
    assert rec.get("edition") == "1" and item["saved"]["edition"] == "1"


def test_original_title_when_the_title_is_empty(tmp_path):
    rec, item = one(tmp_path, "10.7600_jspfsm.56.60")
    assert rec.title == "自律神経・循環器応答" and item["saved"]["title"] == "自律神経・循環器応答"


def test_licence_reaches_zotero_rights(tmp_path):
    rec, item = one(tmp_path, "10.1038_srep16696")
    assert item["saved"]["rights"] == "https://creativecommons.org/licenses/by/4.0" == rec.get("rights")


def test_landing_page_url_per_option(tmp_path):
    for option, kept in (("always", True), ("no-doi", False), ("never", False)):
        rec = record_from_work(work("10.3390_publications6020015"))
        assert rec.get("url") == "https://www.mdpi.com/2304-6775/6/2/15"
        apply_url_option([rec], option)
        assert (rec.get("url") is not None) is kept, option
    rec = record_from_work(work("10.3390_publications6020015"))
    assign_keys([rec])
    item = imported(tmp_path, [rec], "bibtex")[rec.key]
    assert item["saved"]["url"] == "https://www.mdpi.com/2304-6775/6/2/15"


def test_online_first_date_kept_beside_the_print_date(tmp_path):
    rec = record_from_work(work("10.1002_jor.1100150407"))  # print 1997-07, online 2005-02-18
    assign_keys([rec])
    assert (rec.get("year"), rec.get("month"), rec.get("published")) == ("1997", 7, "2005-02-18")
    assert "date = {1997-07}" in render_as([rec], "biblatex") and "origdate = {2005-02-18}" in render_as(
        [rec], "biblatex"
    )
    assert json.loads(render_as([rec], "csljson"))[0]["available-date"] == {"date-parts": [[2005, 2, 18]]}
    item = imported(tmp_path, [rec], "zotero")[rec.key]
    assert item["saved"]["date"] == "1997-07" and "Published online: 2005-02-18" in notes(item)
    back = BibtexFile().read(render_as([rec], "bibtex"), "x.bib").records[0]
    assert back.get("published") == "2005-02-18"


def test_biblatex_export_keeps_school_and_every_issn_and_isbn(tmp_path):
    recs = recorded_records()
    text = render_as(recs, "biblatex")
    thesis = next(r for r in recs if r.get("type") == "dissertation")
    assert thesis.get("publisher")  # read back from the `school` the BibTeX dialect wrote
    assert f"institution = {{{thesis.get('publisher')}}}" in text
    assert "issn = {0736-0266}" in text and "ISSN: 0736-0266, 1554-527X" in text
    assert "isbn = {978-1-108-34884-3}" in text and "ISBN: 978-1-108-34884-3, 978-1-108-42572-8" in text


def test_biber_finds_nothing_of_ours_in_the_biblatex_export(tmp_path):
    if shutil.which("biber") is None:
        pytest.skip("biber is not installed")
    recs = recorded_records()
    (tmp_path / "refs.bib").write_text(render_as(recs, "biblatex"), encoding="utf-8")
    out = subprocess.run(
        ["biber", "--tool", "--validate-datamodel", "--output-file", "checked.bib", "refs.bib"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout
    by_key = {r.key: r for r in recs}
    for line in out.stdout.splitlines():
        if not line.startswith(("WARN", "ERROR")):
            continue
        # only a name or title Crossref does not have (e.g. an edited book, a figure with no title)
        m = re.search(r"Entry '([^']+)' .*Missing mandatory field '(author|editor|title)'$", line)
        assert m, line
        rec = by_key[m.group(1)]
        assert not {"author": rec.authors, "editor": rec.get("editors"), "title": rec.title}[m.group(2)], line


def test_an_all_caps_input_title_takes_crossrefs_cased_one():
    from mscbib.enrich import merge
    from mscbib.model import Provenance, Record

    crossref = record_from_work(work("10.1038_ng.3834"))
    page = Provenance("page", "synthetic.txt", 1)  # the real title in capitals, as a page printed it: synthetic
    rec = Record(source=page)
    rec.set("title", crossref.title.upper(), page)
    filled, disagreements = merge(rec, crossref)
    assert rec.title == "The impact of structural variation on human gene expression" and "title" in filled
    assert disagreements == []
    # a title already in mixed case stays the input's
    rec.set("title", "The Impact of Structural Variation on Human Gene Expression", page)
    merge(rec, crossref)
    assert rec.title == "The Impact of Structural Variation on Human Gene Expression"


def test_the_inputs_brace_protection_survives_crossrefs_title(tmp_path):
    """The input braced a name; Crossref's title (the same words, other punctuation) replaces the input's: the
    name stays protected in what is written, and Zotero reads the title without the braces."""
    from mscbib.enrich import merge

    crossref = record_from_work(work("10.1098_rspb.2017.0132"))
    # the real title as a user's .bib had it, with its own braces and a typo: synthetic
    bib = (
        "@article{mine, title = {Sexual conflict and corelated evolution between male persistence and female "
        "resistance traits in the seed beetle {Callosobruchus} maculatus}, year = {2017}}\n"
    )
    rec = BibtexFile().read(bib, "mine.bib").records[0]
    assert rec.protected == ["Callosobruchus"]
    merge(rec, crossref)
    assert rec.title == crossref.title and "correlated" in rec.title  # Crossref's
    text = render_as([rec], "bibtex")
    # in Crossref's italics: a command for the braced word and one for the next (Zotero's import ends the italics
    # at a braced group inside \textit{})
    assert "the seed beetle \\textit{{Callosobruchus}} \\textit{maculatus}}" in text
    item = imported(tmp_path, [rec], "bibtex")["mine"]
    assert item["saved"]["title"].endswith("the seed beetle <i>Callosobruchus</i> <i>maculatus</i>")
    # a title braced whole protects no word apart
    assert BibtexFile().read("@misc{w, title = {{A Whole Title}}}\n", "w.bib").records[0].protected == []


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex", "zotero", "csljson", "ris"])
def test_superscripts_read_back_from_every_format(fmt):
    """What the writers make of ``¹³`` (``{$^{13}$}``, ``<sup>13</sup>``, UTF-8) reads back as ``¹³``, not ``^13``."""
    from mscbib.sources.csljson import CslJson
    from mscbib.sources.ris import RisFile

    rec = record_from_work(work("10.5194_cp-2020-95"))
    assign_keys([rec])
    reader = {"csljson": CslJson(), "ris": RisFile()}.get(fmt, BibtexFile())
    back = reader.read(render_as([rec], fmt), f"x.{fmt}").records[0]
    assert back.title == rec.title and "δ¹³C" in back.title


def test_the_biblatex_export_gives_zotero_the_online_date_too(tmp_path):
    rec = record_from_work(work("10.1002_jor.1100150407"))
    assign_keys([rec])
    item = imported(tmp_path, [rec], "biblatex")[rec.key]
    assert "Published online: 2005-02-18" in notes(item)  # Zotero ignores `origdate`


# -- italic, bold, small caps (issue 18) -----------------------------------------------------------------------
@pytest.mark.parametrize("dialect", ["bibtex", "zotero"])
def test_italics_reach_zotero_as_its_rich_text(tmp_path, dialect):
    """Crossref's ``<i>`` in real titles, written ``\\textit{}``: Zotero's import makes them its ``<i>`` again."""
    beetle = record_from_work(work("10.1098_rspb.2017.0132"))
    panel = record_from_work(work("10.1136_jclinpath-2020-206745"))
    assign_keys([beetle, panel])
    items = imported(tmp_path, [beetle, panel], dialect)
    assert items[beetle.key]["saved"]["title"].endswith("in the seed beetle <i>Callosobruchus maculatus</i>")
    assert "detecting <i>KRAS</i> / <i>NRAS</i> / <i>EGFR</i>" in items[panel.key]["saved"]["title"]
    # ... as read back from the library.bib: the same
    again = imported(tmp_path, BibtexFile().read(render_as([beetle], "bibtex"), "l.bib").records, dialect, "b.bib")
    assert again[beetle.key]["saved"]["title"] == items[beetle.key]["saved"]["title"]


def test_bold_and_small_caps_reach_zotero_well_nested(tmp_path):  # synthetic work: no recorded one has them
    rec = record_from_work(
        {
            "DOI": "10.5555/styled",
            "type": "journal-article",
            "title": ["The <scp>Nasa</scp> survey of <b>bold</b> <i>claims <b>twice</b></i>"],
            "author": [{"family": "Roe", "given": "Ann"}],
            "issued": {"date-parts": [[2020]]},
        }
    )
    assign_keys([rec])
    saved = imported(tmp_path, [rec], "zotero")[rec.key]["saved"]["title"]
    # italic outermost: Zotero's import closes \textbf{\textit{x}} as <b><i>x</b></i>
    assert saved == 'The <span style="small-caps">Nasa</span> survey of <b>bold</b> <i>claims <b>twice</b></i>'


# -- what a @misc is (issue 18) -----------------------------------------------------------------------------------
@pytest.mark.parametrize("dialect", ["bibtex", "zotero"])
def test_a_dataset_written_as_misc_says_so_in_zotero(tmp_path, dialect):
    """Classic BibTeX has no dataset type: a real recorded dataset is a @misc with ``type = {Dataset}``, which
    Zotero's import keeps as its document's Type (nothing lost: its translator discards a @dataset whole)."""
    rec, item = one(tmp_path, "10.2737_rds-2018-0001", dialect)
    assert rec.get("type") == "dataset"
    assert item["saved"]["itemType"] == "document" and item["saved"].get("type") == "Dataset"
    assert lost(item) == [], lost(item)
