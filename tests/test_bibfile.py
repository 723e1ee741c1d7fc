from __future__ import annotations

from pathlib import Path

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
        ("article", "a1", 4),
        ("inproceedings", "p1", 13),
        ("proceedings", "proc", 14),
        ("article", "a1", 16),
    ]
    a1 = bib.entries[0]
    assert [f.name for f in a1.fields] == ["author", "title", "journal", "month", "pages", "note"]
    assert [f.line for f in a1.fields] == [5, 6, 7, 8, 9, 10]
    for f in a1.fields:  # each span holds exactly the raw value
        assert TEXT[f.span[0] : f.span[1]] == f.raw
    assert TEXT[a1.span[0] : a1.span[1]].startswith("@article{a1,") and TEXT[a1.span[1] - 1] == "}"


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
    assert TEXT[fb.span[0] : fb.span[1]] == fb.raw


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
    bib = parse_bib("@xdata{pub, publisher={P}}\n@xdata{loc, address={A}}\n@book{b, xdata={pub, loc}, title={T}}\n")
    fields = bib.resolved(bib.entries[2])
    assert fields["publisher"].value == "P" and fields["address"].value == "A"


def test_paren_entry_and_quoted_comma_and_escaped_quote():
    text = '@article(k, title = "a, b {"} c", year = 1999)\n'
    e = parse_bib(text).entries[0]
    assert e.get("title") == 'a, b {"} c' and e.get("year") == "1999"
    assert [text[f.span[0] : f.span[1]] for f in e.fields] == ['"a, b {"} c"', "1999"]


def test_read_bib_latin1_and_crlf(tmp_path):
    p = tmp_path / "x.bib"
    p.write_bytes("@article{k,\r\n  title = {Caf\xe9},\r\n}\r\n".encode("latin-1"))
    bib = read_bib(p)
    # detected (charset-normalizer): the single-byte encodings that decode é alike are named as cp1252
    assert bib.encoding == "cp1252" and bib.entries[0].get("title") == "Café"
    assert bib.warning and "x.bib" in bib.warning and "cp1252" in bib.warning
    assert bib.entries[0].field("title").line == 2


# -- the faster splitter reads what bibtexparser's does ------------------------------------------------------
def split_blocks(splitter_class, text: str) -> list[tuple]:
    """Every block a splitter makes, with all it holds: kind, line, raw text, key, fields with their lines."""
    out = []
    for b in splitter_class(text).split().blocks:
        inner = getattr(b, "ignore_error_block", None) or b
        fields = [(f.key, f.value, f.start_line) for f in getattr(inner, "fields", [])]
        out.append(
            (
                type(b).__name__,
                b.start_line,
                b.raw,
                getattr(inner, "key", None),
                getattr(inner, "entry_type", None),
                fields,
                sorted(getattr(b, "duplicate_keys", ())),
            )
        )
    return out


HARD = r"""@article{a, title = {x {y {z}}} , note = "q {\"} r", pages = 1--2, month = jan # " 1",
  url = {a\}b}, doi = {10.1/x}}
@article{deep, title = {1{2{3{4{5{6{7{8}}}}}}}}, year = 2001}
@article{esc, title = {T}, note = {line\
two}, year = 2002}
@article{at, title = {see
@misc{inner, title = {I}}
@article{quote, title = "a {"} b", year = 2003}
@article{dup, title = {A}, title = {B}, Title = {C}}
@article{dangling, title = {A}, junk}
@article{nofields}
@article(paren, title = {P})
@article{missing, title = {T}, cites = {x}
 author = {B}}
@article{email, author = {A}, note = {mail a@b.org or @ {CLEF}}, year = 2004}
@article{trail, title = {T},
}
@article{eof, title = {never closed"""


def test_the_fast_splitter_gives_the_same_blocks_as_bibtexparsers():
    from bibtexparser.splitter import Splitter

    from mscbib.bibfile import _Splitter

    fixtures = Path(__file__).resolve().parent / "fixtures"
    texts = [TEXT, HARD] + [p.read_text(encoding="utf-8") for p in sorted(fixtures.rglob("*.bib"))]
    for text in texts:
        assert split_blocks(_Splitter, text) == split_blocks(Splitter, text)
    assert len(split_blocks(_Splitter, HARD)) >= 14


def test_numbers_and_macro_names_decode_as_the_general_path_does():
    from mscbib.bibfile import _decode

    strings = {"jbc": "J. Biol. Chem.", "mar": "Mars"}
    for raw in ("2001", "0042", "\u00b2", "mar", "MAR", "jun", "jbc", "JBC", "nomacro", "x1", "\u00e9t\u00e9"):
        # a trailing space takes the general path (the fast one needs the value alone): both read it the same
        assert _decode(raw, strings) == _decode(raw + " ", strings), raw
    assert _decode("mar", strings) == ("Mars", ()) and _decode("jun", {}) == ("June", ())
    assert _decode("nomacro", {}) == (None, ("nomacro",)) and _decode("2001", {}) == ("2001", ())
    bib = parse_bib("@article{a, year = 2001}\n@article{b, crossref = {a}}\n")
    assert bib.linked and [p[1] for p in bib.parents(bib.entries[1])] == ["a"]
    assert not parse_bib("@article{a, year = 2001}\n").linked


def test_latex_conversion_keeps_no_caller_s_locals_alive():
    """pylatexenc leaves a reference cycle per conversion whose frames held every caller's locals (in a build: the
    file read and its entries, 40 MB at the peak of a 10 MB build) until a collection: none is held now."""
    import gc
    import weakref

    from mscbib.bibfile import latex_to_text

    class Big:
        pass

    def caller() -> weakref.ref:
        big = Big()
        # a value converted by pylatexenc (not one seen before: the short ones are memoised)
        assert latex_to_text(f'P\\&G and M{{\\"u}}ller, {id(big)}').startswith("P&G and Müller")
        return weakref.ref(big)

    was = gc.isenabled()
    gc.disable()
    try:
        ref = caller()
        assert ref() is None
    finally:
        if was:
            gc.enable()
