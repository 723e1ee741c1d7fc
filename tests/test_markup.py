"""Italic, bold and small caps in titles (issue 18): kept from Crossref's markup (``<i>``, JATS ``<italic>``, ``<b>``,
``<scp>``/``<sc>``), written as each format holds them (BibTeX/BibLaTeX ``\\textit{}``/``\\textbf{}``/``\\textsc{}``,
CSL-JSON and Zotero items the HTML-like tags citeproc and Zotero read, RIS plain text), read back from a ``.bib``,
and never seen by keys or duplicate matching, which see the plain text. On real recorded works of
``../shared/crossref-samples/`` where they carry such markup, and on synthetic titles (marked) for the tags no
recorded work has."""

from __future__ import annotations

import json
import pickle

import pytest

from mscbib.enrich.match import title_similarity
from mscbib.integrations.zotero.items import zotero_item
from mscbib.keys import assign_keys
from mscbib.services.crossref.mapping import record_from_work, references_from_work
from mscbib.sources.bibtex import BibtexFile, latex_to_text
from mscbib.text import (
    RICH_TEXT_TAGS,
    Styled,
    comparable,
    latex_styled,
    render_styles,
    squash_spaces,
    strip_markup,
    style_runs,
    styled_concat,
)
from mscbib.writers import render_as

I, B, SC = frozenset({"i"}), frozenset({"b"}), frozenset({"sc"})
NONE: frozenset[str] = frozenset()


def work(shared, name):
    path = shared / "crossref-samples" / f"work-{name}.json"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return json.loads(path.read_text(encoding="utf-8"))["message"]


def keyed(*works):
    recs = [record_from_work(w) for w in works]
    assign_keys(recs)
    return recs


# -- reading markup -------------------------------------------------------------------------------------------
def test_styles_read_from_every_tag_crossref_uses():  # synthetic titles
    cases = {
        "The <i>Drosophila</i> gene": [("The ", NONE), ("Drosophila", I), (" gene", NONE)],
        "In <italic>vivo</italic>": [("In ", NONE), ("vivo", I)],
        "A <jats:italic>B</jats:italic>, c": [("A ", NONE), ("B", I), (", c", NONE)],
        "<b>Bold</b> and <bold>bolder</bold>": [("Bold", B), (" and ", NONE), ("bolder", B)],
        "<scp>Nasa</scp> and <sc>Esa</sc>": [("Nasa", SC), (" and ", NONE), ("Esa", SC)],
        "<i>x <b>y</b></i>": [("x ", I), ("y", I | B)],
        # Crossref's double escape: the tags come out of the second decoding
        "&amp;lt;i&amp;gt;E. coli&amp;lt;/i&amp;gt; strains": [("E. coli", I), (" strains", NONE)],
        # the space a tag alone set between two words (JATS "defined<italic>Plasmodium")
        "defined<italic>Plasmodium</italic>is": [("defined ", NONE), ("Plasmodium", I), (" is", NONE)],
        # the space inside the tag is not italic
        "<i>Plasmodium </i>falciparum": [("Plasmodium", I), (" falciparum", NONE)],
    }
    for markup, runs in cases.items():
        got = strip_markup(markup, scripts=True, styles=True)
        assert isinstance(got, Styled) and list(got.runs) == runs, markup
        # the text is exactly what the plain reading gives
        assert got == strip_markup(markup, scripts=True), markup


def test_what_has_no_style_stays_plain():  # synthetic
    # an underline has no form in Zotero's or CSL's rich text: its text, plain; sub/superscripts are Unicode
    for markup, text in {
        "no <u>under</u> line": "no under line",
        "CO<sub>2</sub> and <sup>13</sup>C": "CO₂ and ¹³C",
        "aged <5 years": "aged <5 years",
        "<i></i>empty": "empty",
    }.items():
        got = strip_markup(markup, scripts=True, styles=True)
        assert got == text and type(got) is str, markup
    # ... and a style whose place cannot be told exactly is dropped, the text kept as the plain reading has it
    odd = "a <i> b </i> ."
    assert type(strip_markup(odd, styles=True)) is str and strip_markup(odd, styles=True) == strip_markup(odd)


def test_styled_is_its_plain_text_everywhere_else():
    s = strip_markup("The <i>Drosophila</i> gene", styles=True)
    assert s == "The Drosophila gene" and hash(s) == hash("The Drosophila gene")
    assert type(s.lower()) is str and type(s[1:]) is str  # a changed text carries no style
    assert json.dumps({"t": s}) == '{"t": "The Drosophila gene"}'
    back = pickle.loads(pickle.dumps(s))
    assert isinstance(back, Styled) and back.runs == s.runs
    joined = styled_concat(s, ": ", strip_markup("a <b>bold</b> subtitle", styles=True))
    assert joined == "The Drosophila gene: a bold subtitle" and ("bold", B) in joined.runs
    assert squash_spaces(strip_markup("The\n  <i>Drosophila</i>\n gene", styles=True)).runs == s.runs
    assert style_runs("plain") == (("plain", NONE),)


def test_latex_styles_read_back():
    for raw, runs in {
        r"The \textit{Drosophila} gene": [("The ", NONE), ("Drosophila", I), (" gene", NONE)],
        r"\emph{E. coli} {$\beta$} \textbf{b \textit{bi}} \textsc{Nasa}": [
            ("E. coli", I),
            (" β ", NONE),
            ("b ", B),
            ("bi", I | B),
            (" ", NONE),
            ("Nasa", SC),
        ],
    }.items():
        got = latex_styled(raw, latex_to_text)
        assert got == latex_to_text(raw) and list(got.runs) == runs, raw
    assert type(latex_styled(r"No {Style} here", latex_to_text)) is str


# -- real recorded works ----------------------------------------------------------------------------------------
def test_real_titles_keep_their_italics(shared):
    beetle, panel = keyed(work(shared, "10.1098_rspb.2017.0132"), work(shared, "10.1136_jclinpath-2020-206745"))
    assert isinstance(beetle.title, Styled)
    assert beetle.title.runs[-1] == ("Callosobruchus maculatus", I)
    assert str(beetle.title).endswith("in the seed beetle Callosobruchus maculatus")  # a line break: a space
    assert [t for t, st in panel.title.runs if st == I] == ["KRAS", "NRAS", "EGFR", "BRAF", "MET"]
    # keys and duplicate matching see the plain text: the same key as the title without markup gives
    plain = record_from_work({**work(shared, "10.1098_rspb.2017.0132"), "title": [str(beetle.title)]})
    assign_keys([plain])
    assert type(plain.title) is str and plain.key == beetle.key == "doughertySexualConflictCorrelated2017"
    assert comparable(beetle.title) == comparable(str(beetle.title))
    assert title_similarity(beetle.title, str(beetle.title)) == title_similarity(str(beetle.title), str(beetle.title))


def test_real_cited_titles_keep_their_italics(shared):
    refs = references_from_work(work(shared, "10.1371_journal.pone.0000030"))
    styled = [r.title for r in refs if isinstance(r.title, Styled)]
    assert len(styled) == 9
    assert all(("Saccharomyces cerevisiae", I) in t.runs for t in styled[:2])


def test_each_format_writes_the_styles_as_it_holds_them(shared):
    beetle, panel = keyed(work(shared, "10.1098_rspb.2017.0132"), work(shared, "10.1136_jclinpath-2020-206745"))
    bib = render_as([beetle, panel], "bibtex")
    assert "in the seed beetle \\textit{Callosobruchus maculatus}}," in bib
    # an acronym in italics keeps its case protection inside the command
    assert "detecting \\textit{{KRAS}} / \\textit{{NRAS}}" in bib
    # read back from the .bib, written again: the same file, and the same styles in every other format
    back = BibtexFile().read(bib, "library.bib").records
    assert render_as(back, "bibtex") == bib
    assert back[0].title.runs == beetle.title.runs
    csl = {i["id"]: i for i in json.loads(render_as(back, "csljson"))}
    assert csl[beetle.key]["title"].endswith("seed beetle <i>Callosobruchus maculatus</i>")
    assert "<i>KRAS</i> / <i>NRAS</i>" in csl[panel.key]["title"]
    for dialect in ("biblatex", "zotero"):
        assert "seed beetle \\textit{Callosobruchus maculatus}}" in render_as(back, dialect)
    ris = render_as(back, "ris")
    assert "TI  - Sexual conflict" in ris and "<i>" not in ris and "textit" not in ris
    assert "in the seed beetle Callosobruchus maculatus\r\n" in ris
    assert zotero_item(back[0]).data["title"].endswith("seed beetle <i>Callosobruchus maculatus</i>")


def test_bold_and_small_caps_in_every_format():  # synthetic work: no recorded one has <b> or <scp>
    w = {
        "DOI": "10.5555/styled",
        "type": "journal-article",
        "title": ["The <scp>Nasa</scp> survey of <b>bold</b> <i>claims <b>twice</b></i>"],
        "author": [{"family": "Roe", "given": "Ann"}],
        "issued": {"date-parts": [[2020]]},
    }
    (rec,) = keyed(w)
    assert rec.key == "roeNasaSurveyBold2020"  # the plain text's words
    bib = render_as([rec], "bibtex")
    assert "The \\textsc{Nasa} survey of \\textbf{bold} \\textit{claims \\textbf{twice}}" in bib
    item = json.loads(render_as([rec], "csljson"))[0]
    assert item["title"] == (
        'The <span style="font-variant:small-caps;">Nasa</span> survey of <b>bold</b> <i>claims <b>twice</b></i>'
    )
    assert zotero_item(rec).data["title"] == item["title"]
    assert render_styles(rec.title, RICH_TEXT_TAGS) == item["title"]
    assert "TI  - The Nasa survey of bold claims twice" in render_as([rec], "ris")


def test_csl_json_reads_back_its_styles():  # synthetic work
    from mscbib.sources.csljson import CslJson

    w = {
        "DOI": "10.5555/styled",
        "type": "journal-article",
        "title": ["The <scp>Nasa</scp> survey of <b>bold</b> <i>claims <b>twice</b></i>"],
        "author": [{"family": "Roe", "given": "Ann"}],
        "issued": {"date-parts": [[2020]]},
    }
    (rec,) = keyed(w)
    text = render_as([rec], "csljson")
    (back,) = CslJson().read(text, "lib.json").records
    assert isinstance(back.title, Styled) and back.title.runs == rec.title.runs
    # a span that is no style (Zotero's and CSL's <span class="nocase">) closes no other
    got = strip_markup(
        '<i>a <span class="nocase">iPhone</span> b</i> <span style="font-variant: small-caps">c</span>', styles=True
    )
    assert got.runs == (("a iPhone b", I), (" ", NONE), ("c", SC))


# -- properties -------------------------------------------------------------------------------------------------
from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from(
    ["<i>", "</i>", "<b>", "</b>", "<scp>", "</scp>", "<italic>", "</italic>", "<sup>", "</sup>", "<u>", "</u>",
     '<span style="font-variant:small-caps;">', '<span class="nocase">', "</span>", "&amp;lt;i&amp;gt;",
     "&amp;lt;/i&amp;gt;", " ", "  ", "\n", ".", ", ", ":", "a", "Word", "KRAS", "13", "<5", "&amp;", "{", "}", "é"]
)  # fmt: skip


@settings(max_examples=300, deadline=None, derandomize=True)  # fixed examples: CI must not flake (see below)
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_a_styled_title_is_always_the_plain_reading(markup):
    """Whatever the markup, keeping the styles never changes the text: it is the plain reading, exactly."""
    got = strip_markup(markup, scripts=True, styles=True)
    assert got == strip_markup(markup, scripts=True)
    if isinstance(got, Styled):
        assert "".join(t for t, _ in got.runs) == got and all(t for t, _ in got.runs)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(_PIECES, min_size=1, max_size=10).map("".join))
@example("<b>.<i></b>a")  # a space between two styles was given the first one's: \textbf{. } read back as \textbf{.}
def test_a_styled_title_reads_back_from_the_bib_it_writes(markup):
    """BibTeX written from a styled title reads back as the same text in the same styles, and writes the same."""
    rec = record_from_work({"DOI": "10.5555/p", "type": "journal-article", "title": [markup]})
    if not rec.title:
        return
    rec.key = "k"
    bib = render_as([rec], "bibtex")
    (back,) = BibtexFile().read(bib, "p.bib").records
    # the same text, each character but a space in the same styles (a space between two words of one style can be
    # left out of it where a braced word gets its own command)
    assert back.title == rec.title and per_char(back.title) == per_char(rec.title)
    assert render_as([back], "bibtex") == bib


def per_char(s):
    return [(c, styles) for text, styles in style_runs(s) for c in text if not c.isspace()]


# derandomized: a fixed set of examples each run, so CI does not flake (random runs found the style run joined to a
# letter below ~1 time in 10); run with --hypothesis-seed and without derandomize to look for more
@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(_PIECES, min_size=1, max_size=10).map("".join))
@example("<i><b><sup>a")  # the space the tags left before "a" kept the styled text from matching the plain one
@example("é<i><sup>é")  # a style run joined to a letter: written é<i>é</i>, read back as "é é" (one word now)
def test_a_styled_title_reads_back_from_the_csl_json_it_writes(markup):
    from mscbib.sources.csljson import CslJson

    rec = record_from_work({"DOI": "10.5555/p", "type": "journal-article", "title": [markup]})
    if not rec.title:
        return
    rec.key = "k"
    (back,) = CslJson().read(render_as([rec], "csljson"), "p.json").records
    assert back.title == rec.title and per_char(back.title) == per_char(rec.title)


def test_a_styled_run_joined_to_a_letter_reads_back_from_csl_json():
    """Crossref's ``é<i><sup>é`` (a superscript joins its neighbours) is ``éé`` with the second letter italic; the
    CSL writer writes ``é<i>é</i>``, and the CSL reader reads its own tags as they are: one word, as written (it
    read ``é é`` before, with the rule that parts two words a JATS tag runs together). Found by the property test
    above; synthetic."""
    from mscbib.sources.csljson import CslJson

    rec = record_from_work({"DOI": "10.5555/p", "type": "journal-article", "title": ["é<i><sup>é"]})
    rec.key = "k"
    assert rec.title == "éé" and rec.title.runs == (("é", NONE), ("é", I))
    written = render_as([rec], "csljson")
    assert json.loads(written)[0]["title"] == "é<i>é</i>"
    (back,) = CslJson().read(written, "p.json").records
    assert back.title == rec.title and back.title.runs == rec.title.runs


def test_only_crossrefs_markup_sets_words_apart():  # synthetic strings
    """The rule that a styling tag between two words parts them is Crossref's JATS's (its deposits lost the space:
    ``defined<italic>Plasmodium``); CSL-JSON's and Zotero's rich text (``x<i>y</i>``) is read as written, and a
    JATS tag Crossref's text carries into a CSL-JSON file still gets the rule."""
    from mscbib.sources.csljson import CslJson

    assert strip_markup("defined<italic>Plasmodium</italic>is", styles=True) == "defined Plasmodium is"
    assert strip_markup("pre<i>fix</i>ed", styles=True) == "pre fix ed"  # Crossref's reading: unchanged
    assert strip_markup("pre<i>fix</i>ed", styles=True, as_written=True).runs == (
        ("pre", NONE),
        ("fix", I),
        ("ed", NONE),
    )
    assert strip_markup("defined<jats:italic>Plasmodium</jats:italic>is", as_written=True) == "defined Plasmodium is"
    items = [
        {"id": "a", "type": "article-journal", "title": "pre<i>fix</i>ed <b>bold</b>er"},
        {"id": "b", "type": "article-journal", "title": "defined<italic>Plasmodium</italic>is"},
    ]
    a, b = CslJson().read(json.dumps(items), "x.json").records
    assert a.title == "prefixed bolder" and ("fix", I) in a.title.runs and ("bold", B) in a.title.runs
    assert b.title == "defined Plasmodium is"
