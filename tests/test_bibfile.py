from __future__ import annotations

from mscbib.bibfile import latex_to_text, parse_bib, read_bib

TEXT = r"""% a comment before everything
@string{jbc = "J. Biol. Chem."}
@preamble{"\newcommand{\noop}[1]{}"}
@article{a1,
  author = {M{\"u}ller, J{\"o}rg and Smith, John},
  title = "A {DNA} study",
  journal = jbc,
  month = jun,
  pages = {1-10},
  note = "x" # jbc # {y}
}
@book{broken, title = {oops
@inproceedings(p1, crossref = {proc}, pages = {3--4})
@proceedings{proc, title={Proc of X}, year=2020, publisher = nomacro}
@comment{explicit comment}
@article{a1, title={dup}}
"""


def test_entries_fields_lines_and_spans():
    bib = parse_bib(TEXT, "x.bib")
    assert [(e.type, e.key, e.line) for e in bib.entries] == [
        ("article", "a1", 4), ("inproceedings", "p1", 13), ("proceedings", "proc", 14), ("article", "a1", 16)]
    a1 = bib.entries[0]
    assert [f.name for f in a1.fields] == ["author", "title", "journal", "month", "pages", "note"]
    assert [f.line for f in a1.fields] == [5, 6, 7, 8, 9, 10]
    for f in a1.fields:  # each span holds exactly the raw value
        assert TEXT[f.span[0]:f.span[1]] == f.raw
    assert TEXT[a1.span[0]:a1.span[1]].startswith("@article{a1,") and TEXT[a1.span[1] - 1] == "}"


def test_decoding_macros_months_concatenation_and_latex():
    a1 = parse_bib(TEXT).entries[0]
    assert a1.get("journal") == "J. Biol. Chem."
    assert a1.get("month") == "June"
    assert a1.get("note") == "xJ. Biol. Chem.y"
    assert a1.get("title") == "A {DNA} study"
    assert a1.field("author").text() == "Müller, Jörg and Smith, John"
    assert latex_to_text(r"Caf\'e \& bar") == "Café & bar"
    # math as text (Greek in titles), and a tie is a no-break space, with or without a backslash elsewhere
    assert latex_to_text(r"{$\beta$}-catenin and TGF-$\beta$1") == "β-catenin and TGF-β1"
    assert latex_to_text("J.~Smith") == "J.\u00a0Smith" and latex_to_text(r"M{\"u}ller~J") == "Müller\u00a0J"


def test_undefined_macro_is_kept_raw():
    proc = parse_bib(TEXT).entries[2]
    f = proc.field("publisher")
    assert f.value is None and f.undefined_macros == ("nomacro",) and f.raw == "nomacro"


def test_failed_block_has_line_reason_and_raw_and_parsing_goes_on():
    bib = parse_bib(TEXT)
    assert len(bib.failed) == 1
    fb = bib.failed[0]
    assert fb.line == 12 and fb.raw.startswith("@book{broken") and "closing" in fb.reason
    assert TEXT[fb.span[0]:fb.span[1]] == fb.raw


def test_strings_preamble_comments_and_duplicates():
    bib = parse_bib(TEXT)
    assert bib.strings == {"jbc": "J. Biol. Chem."}
    assert bib.preambles == ['"\\newcommand{\\noop}[1]{}"']
    assert "% a comment before everything" in bib.comments and "explicit comment" in bib.comments
    assert [e.duplicate_key for e in bib.entries] == [False, False, False, True]


def test_crossref_inheritance():
    bib = parse_bib(TEXT)
    fields = bib.resolved(bib.entries[1])
    assert fields["booktitle"].value == "Proc of X" and fields["booktitle"].inherited_from == "proc"
    assert fields["year"].value == "2020" and "title" not in fields
    assert fields["pages"].inherited_from is None


def test_xdata_inheritance_several_keys():
    bib = parse_bib("@xdata{pub, publisher={P}}\n@xdata{loc, address={A}}\n"
                    "@book{b, xdata={pub, loc}, title={T}}\n")
    fields = bib.resolved(bib.entries[2])
    assert fields["publisher"].value == "P" and fields["address"].value == "A"


def test_paren_entry_and_quoted_comma_and_escaped_quote():
    text = '@article(k, title = "a, b {"} c", year = 1999)\n'
    e = parse_bib(text).entries[0]
    assert e.get("title") == 'a, b {"} c' and e.get("year") == "1999"
    assert [text[f.span[0]:f.span[1]] for f in e.fields] == ['"a, b {"} c"', "1999"]


def test_read_bib_latin1_and_crlf(tmp_path):
    p = tmp_path / "x.bib"
    p.write_bytes("@article{k,\r\n  title = {Caf\xe9},\r\n}\r\n".encode("latin-1"))
    bib = read_bib(p)
    # detected (charset-normalizer): the single-byte encodings that decode é alike are named as cp1252
    assert bib.encoding == "cp1252" and bib.entries[0].get("title") == "Café"
    assert bib.warning and "x.bib" in bib.warning and "cp1252" in bib.warning
    assert bib.entries[0].field("title").line == 2
