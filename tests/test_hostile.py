"""Hostile input (issue 16, and issue 12 item 16): one bad value is one finding, one .bib reader for build and
check, encodings detected, concatenated inputs, output that re-parses, markup parsed, a BOM kept, bounded
patterns. Every input here is synthetic and made inline."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
from click.testing import CliRunner

from mscbib.bibfile import _decode, latex_to_text, parse_bib, read_bib, split_names
from mscbib.cli import main
from mscbib.identifiers import normalize_doi, rejoin_wrapped_dois
from mscbib.pipeline.build import build
from mscbib.services.crossref import Cache, CrossrefClient
from mscbib.sources import read_file, read_text
from mscbib.text import clean_text, normalize_pages, parse_month, small_int, strip_markup
from mscbib.textio import decode_bytes
from mscbib.validate.check import fix_file, run_checks

BIG = "9" * 5000


def offline(tmp_path):
    return CrossrefClient("http://127.0.0.1:9", cache=Cache(tmp_path / "c.sqlite3"), offline=True)


def reparse(path) -> bibtexparser.Library:
    lib = bibtexparser.parse_string(path.read_text(encoding="utf-8"))
    assert not lib.failed_blocks, [b.raw for b in lib.failed_blocks]
    return lib


# -- 1. one bad value is one finding on one field ----------------------------------------------------------
def test_values_of_5000_digits_lose_no_entry():
    text = (
        "@article{good, title={Good}, year={2001}, journal={J}}\n"
        + "".join(
            f"@article{{k{f}, title={{T {f}}}, year={{2001}}, {f}={{{BIG}}}}}\n"
            for f in ("day", "month", "pages", "year", "volume", "pmid", "doi", "date")
        )
        + f"@article{{range, title={{R}}, pages={{{BIG}-1{BIG}}}}}\n"
    )
    result = read_text(text, "digits.bib")
    assert not result.failures
    assert len(result.records) == 10
    assert result.records[0].title == "Good"
    # the bad values are kept as written, never turned into numbers
    by_key = {r.key: r for r in result.records}
    assert by_key["kpages"].get("pages") == BIG and by_key["kday"].get("day") is None


def test_ris_end_page_of_5000_digits_is_one_record_among_others():
    text = (
        f"TY  - JOUR\nTI  - Good one\nPY  - 2001\nSP  - 1\nEP  - {BIG}\nER  - \n\n"
        "TY  - JOUR\nTI  - Second\nPY  - 2002\nER  - \n"
    )
    result = read_text(text, "x.ris")
    assert [r.title for r in result.records] == ["Good one", "Second"] and not result.failures


def test_check_on_huge_month_and_pages_gives_findings_not_a_traceback():
    bib = parse_bib(
        f"@article{{a, author={{A, B}}, title={{T}}, journal={{J}}, year={{2000}}, month={{{BIG}}},"
        f" pages={{{BIG}-{BIG}1}}}}\n",
        "m.bib",
    )
    result = run_checks(bib, model="bibtex")
    month = [i.finding for i in result.issues if i.finding.code == "DAT003"]
    assert len(month) == 1 and month[0].field == "month" and month[0].line == 1


def test_small_int_and_number_helpers():
    assert small_int("07") == 7 and small_int(BIG) is None and small_int("1e3") is None and small_int("") is None
    assert parse_month(BIG) is None and parse_month("6") == 6
    assert normalize_pages(f"2{BIG}-1{BIG}") == f"2{BIG}-1{BIG}"  # ends before it starts: as written
    assert normalize_pages(f"1{BIG}-2{BIG}") == f"1{BIG}--2{BIG}"


def test_csl_json_with_a_5000_digit_number_is_one_bad_item(tmp_path):
    items = [
        {"type": "article-journal", "title": "Good", "author": [{"family": "A"}]},
        {"type": "article-journal", "title": "Bad", "issued": {"date-parts": [[2001, 1, 1]]}},
    ]
    text = json.dumps(items).replace("[[2001, 1, 1]]", f"[[2001, {BIG}, {BIG}]]")
    result = read_text(text, "x.json")
    assert [r.title for r in result.records] == ["Good", "Bad"] and not result.failures


# -- 2. one reader for .bib files; encodings ---------------------------------------------------------------
ENTRY = '@article{k1, author = {M{\\"u}ller, J}, title = {First}, journal = {J}, year = {2001}}\n'


def test_a_long_comment_header_is_read_by_build_as_by_check(tmp_path):
    text = "".join(f"% licence line {i} " + "x" * 60 + "\n" for i in range(400)) + ENTRY
    assert len(text) > 25000
    for name in ("refs.bib", "refs.txt"):
        result = read_text(text, name)
        assert [r.key for r in result.records] == ["k1"], name
        assert result.records[0].source.line == 401
    assert [e.line for e in parse_bib(text).entries] == [401]


def test_a_bib_file_is_read_as_bibtex_whatever_it_holds(tmp_path):
    result = read_text("nothing but a @broken{ block\n", "odd.bib")
    assert result.failures and "BibTeX block not parsed" in result.failures[0].reason


def test_old_mac_line_endings_keep_lines_and_spans():
    text = "% head\r@article{a,\r title = {T},\r year = 2001\r}\r\r@book{b,\r title={U}}\r"
    bib = parse_bib(text)
    assert [(e.key, e.line) for e in bib.entries] == [("a", 2), ("b", 7)]
    assert [f.line for f in bib.entries[0].fields] == [3, 4]
    assert all(text[f.span[0] : f.span[1]] == f.raw for f in bib.entries[0].fields)
    assert bib.text == text  # the file's own line endings, for a --fix rewrite
    assert [r.key for r in read_text(text, "mac.txt").records] == ["a", "b"]


def test_utf16_bib_is_read_by_check_and_build(tmp_path):
    for codec in ("utf-16", "utf-16-le", "utf-32"):
        p = tmp_path / f"x-{codec}.bib"
        p.write_bytes(ENTRY.encode(codec))
        assert [e.key for e in read_bib(p).entries] == ["k1"], codec
        result = read_file(p)
        assert [r.title for r in result.records] == ["First"] and not result.failures, codec
        assert result.records[0].authors[0].family == "Müller"
    out = CliRunner().invoke(main, ["check", "--offline", str(tmp_path / "x-utf-16.bib")])
    assert "1 entries" in out.output


def test_windows_1252_ris_and_latin1_bib_are_detected_and_named(tmp_path):
    ris = tmp_path / "endnote.ris"
    ris.write_bytes(
        "TY  - JOUR\nAU  - Müller, Jörg\nTI  - The “quoted” title – here\nPY  - 2001\nER  - \n".encode("cp1252")
    )
    result = read_file(ris)
    assert result.records[0].title == "The “quoted” title – here"
    assert result.records[0].authors[0].family == "Müller"
    assert result.warnings and "cp1252" in result.warnings[0].reason and result.warnings[0].file == str(ris)
    bib = tmp_path / "old.bib"
    bib.write_bytes("@article{k, title = {Über Größe}, year = 2001}\n".encode("latin-1"))
    assert read_file(bib).records[0].title == "Über Größe"
    built = build([str(ris), str(bib)], str(tmp_path / "lib.bib"), offline(tmp_path))
    assert len(built.records) == 2
    warned = [f for f in built.findings if f.code == "IN003"]
    assert {f.file for f in warned} == {str(ris), str(bib)}


def test_encoding_option_overrides_detection(tmp_path):
    p = tmp_path / "pl.bib"
    p.write_bytes("@article{k, title = {Zaż\u00f3łć}, year = 2001}\n".encode("cp1250"))
    out = CliRunner().invoke(main, ["extract", "--encoding", "cp1250", str(p)])
    assert out.exit_code == 0 and json.loads(out.stdout.splitlines()[0])["title"] == "Zażółć"
    out = CliRunner().invoke(main, ["extract", "--encoding", "nosuch", str(p)])
    assert out.exit_code == 2 and "unknown encoding" in out.output
    out = CliRunner().invoke(main, ["check", "--offline", "--encoding", "ascii", str(p)])
    assert out.exit_code == 2 and "not ascii text" in out.output and "Traceback" not in out.output


def test_check_on_a_binary_file_is_an_input_error(tmp_path):
    p = tmp_path / "binary.bin"
    p.write_bytes(bytes(range(256)) * 4)
    out = CliRunner().invoke(main, ["check", "--offline", str(p)])
    assert out.exit_code == 2 and "binary" in out.output


def test_decode_bytes_order():
    assert decode_bytes("\ufeffé".encode("utf-8")).encoding == "utf-8-sig"
    assert decode_bytes("é".encode("utf-8")).warning is None
    for western in ("x = é\n", "Müller, Jörg", "The “quoted” title – here"):  # too short for a detector
        d = decode_bytes(western.encode("cp1252"), "f.txt")
        assert d.text == western and "f.txt" in d.warning and "cp1252" in d.warning
    russian = "Привет мир, как дела? Это тест статьи о костном мозге и стволовых клетках." * 2
    assert decode_bytes(russian.encode("cp1251")).text == russian
    polish = "Zażółć gęślą jaźń: badanie komórek macierzystych szpiku kostnego" * 2
    assert decode_bytes(polish.encode("cp1250")).text == polish


# -- 3. concatenated inputs -------------------------------------------------------------------------------
def test_two_nbib_records_joined_with_cat():
    text = "PMID- 111\nTI  - First title\nFAU - Alpha, Ann\nPMID- 222\nTI  - Second title\nFAU - Beta, Bo\n\n"
    result = read_text(text, "ab.nbib")
    assert [(r.get("pmid"), r.title, r.source.line) for r in result.records] == [
        ("111", "First title", 1),
        ("222", "Second title", 4),
    ]


def test_csl_json_lines_give_every_item():
    lines = [
        {
            "type": "article-journal",
            "title": f"Title {i}",
            "author": [{"family": f"F{i}", "given": "G"}],
            "container-title": "J",
        }
        for i in range(3)
    ]
    text = "\n".join(json.dumps(x) for x in lines) + "\n"
    result = read_text(text, "x.jsonl")
    assert [(r.title, r.source.line) for r in result.records] == [("Title 0", 1), ("Title 1", 2), ("Title 2", 3)]
    joined = json.dumps(lines[:2]) + "\n" + json.dumps(lines[2:])  # two arrays, cat-ed
    assert len(read_text(joined, "y.json").records) == 3


# -- 4. output that re-parses -----------------------------------------------------------------------------
def test_a_missing_comma_is_two_fields_and_a_finding(tmp_path):
    for name in ("cites", "title"):
        text = f"@article{{a, journal = {{J}}, {name} = {{x}}\n author = {{B, A}}, year = {{2001}}}}\n"
        if name == "cites":
            text = text.replace("journal = {J}", "title = {T}, journal = {J}")
        bib = parse_bib(text, "mc.bib")
        e = bib.entries[0]
        assert e.get(name) == "x" and e.get("author") == "B, A"
        assert [(p[0], p[1]) for p in e.problems] == [("author", 2)]
        issues = [i.finding for i in run_checks(bib).issues if i.finding.code == "PRS002"]
        assert len(issues) == 1 and issues[0].line == 2 and issues[0].field == "author"
        src = tmp_path / f"{name}.bib"
        src.write_text(text, encoding="utf-8")
        out = tmp_path / f"out-{name}.bib"
        result = build([str(src)], str(out), offline(tmp_path))
        assert any(f.code == "IN002" and f.field == "author" for f in result.findings)
        lib = reparse(out)
        entry = lib.entries[0]
        assert entry["author"] == "B, A"
        assert "\n" not in entry["title"]


def test_decode_does_not_take_two_values_for_one():
    assert _decode("{x}\n author = {B}", {}) == (None, ("author = {B}",))
    assert _decode("{a {b} c}", {}) == ("a {b} c", ())
    assert _decode("{a} # {b}", {}) == ("ab", ())
    assert _decode('"an {unbalanced note"', {}) == ("an {unbalanced note", ())


def test_cites_with_braces_are_written_so_that_they_re_parse(tmp_path):
    src = tmp_path / "c.bib"
    src.write_text("@article{a, title = {T}, year = {2001}, cites = {x\\}y, z}, citedby = {q\\{}}\n", encoding="utf-8")
    out = tmp_path / "out.bib"
    build([str(src)], str(out), offline(tmp_path))
    lib = reparse(out)
    assert len(lib.entries) == 1 and {"cites", "citedby"} <= set(lib.entries[0].fields_dict)


# -- 5. markup parsed, not stripped -------------------------------------------------------------------------
def test_markup_keeps_less_and_greater_signs_that_are_text():
    assert strip_markup("Children aged <5 years and adults >65 years") == "Children aged <5 years and adults >65 years"
    assert (
        strip_markup("In group A p < 0.05 was seen; in group B (p > 0.2).")
        == "In group A p < 0.05 was seen; in group B (p > 0.2)."
    )
    assert (
        strip_markup(
            "<jats:title>Abstract</jats:title><jats:p>CO<jats:sub>2</jats:sub> in "
            "<jats:italic>E. coli</jats:italic></jats:p><jats:p>Second.</jats:p>"
        )
        == "CO2 in E. coli Second."
    )
    assert strip_markup("a &lt;5 b") == "a <5 b"
    # shapes from Crossref's own strings: a style tag that alone parts two words; MathML tokens; sub/sup join
    assert (
        strip_markup("immune responses to defined<italic>Plasmodium falciparum</italic> antigens")
        == "immune responses to defined Plasmodium falciparum antigens"
    )
    assert (
        strip_markup("negative results.<jats:italic>Method</jats:italic>. Using") == "negative results. Method. Using"
    )
    assert (
        strip_markup(
            "chi-square = 131.0,<mml:math><mml:mi>P</mml:mi><mml:mo>&lt;</mml:mo>"
            "<mml:mn>0.001</mml:mn></mml:math>) apart"
        )
        == "chi-square = 131.0, P < 0.001) apart"
    )
    assert (
        strip_markup("the Ca<sup>2+</sup>-binding helix of <i>H. pylori</i>-induced")
        == "the Ca2+-binding helix of H. pylori-induced"
    )


def test_double_escaped_markup_and_dtd_debris():
    assert strip_markup("&amp;lt;sup&amp;gt;13&amp;lt;/sup&amp;gt;C labelling") == "13C labelling"
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        "<title>Safe &lol9; title</title>"
    )
    out = strip_markup(bomb)
    assert out == "Safe title"
    assert "]>" not in strip_markup('<!DOCTYPE x [<!ENTITY a "b">]> text')


# -- 6. a UTF-8 BOM is kept by check --fix ------------------------------------------------------------------
def test_check_fix_keeps_a_utf8_bom(tmp_path):
    p = tmp_path / "bom.bib"
    p.write_bytes(
        b"\xef\xbb\xbf@article{a, author = {A, B}, title = {T}, journal = {J}, year = 2001, pages = {1-10}}\n"
    )
    bib = read_bib(p)
    diff, n = fix_file(run_checks(bib, model="bibtex"))
    assert n >= 1
    data = p.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"1--10" in data and data.count(b"\xef\xbb\xbf") == 1


# -- 7. bounded patterns: the inputs that took seconds, and what they give ---------------------------------
def test_hostile_sizes_give_the_right_answers():
    line = "10.1000/" * 4200  # 33 kB: 7 s before
    assert rejoin_wrapped_dois(line + "\nThe end") == line + "\nThe end"
    assert rejoin_wrapped_dois("doi: 10.1002/\nijc.33015. Epub") == "doi: 10.1002/ijc.33015.\nEpub"
    assert normalize_doi("10.1000/x" + ")" * 50000) == "10.1000/x"
    lt = " a < b" * 60000  # 360 kB: 20 s before
    assert strip_markup(lt) == lt.strip()
    latex = "M{\\\"u}ller \\'{e}t\\'e $\\beta$ \\emph{x} P\\&G " * 30000  # 1 MB of LaTeX: 17-20 s before
    text = latex_to_text(latex)
    assert text.startswith("Müller été β x P&G Müller") and "\\" not in text
    short = "M{\\\"u}ller \\'{e}t\\'e $\\beta$ \\emph{x} P\\&G " * 80  # the long path says what pylatexenc says
    assert latex_to_text(short * 2) == latex_to_text(short) * 2
    assert split_names("{WHO} " + " " * 40000 + "and Smith, J") == ["{WHO}", "Smith, J"]  # 90 s before
    blank = "x\n" + "\n" * 19000 + "@article{a, title={x}}\n"  # the .bib recogniser on a run of blank lines
    assert [r.key for r in read_text(blank, "blank.txt").records] == ["a"]


def test_many_works_with_one_base_key_get_a_b_c_in_order():
    from mscbib.keys import assign_keys
    from mscbib.model import Person, Provenance, Record

    src = Provenance("test")
    recs = []
    for _ in range(3000):  # one lab, one year, one title start: one base key (the suffix search was quadratic)
        r = Record(source=src)
        r.set("authors", [Person("Müller", "J")], src)
        r.set("title", "Quoted role of stromal cells", src)
        r.set("year", "2001", src)
        recs.append(r)
    assign_keys(recs)
    keys = [r.key for r in recs]
    assert len(set(keys)) == 3000
    base = keys[0]
    assert keys[1:4] == [base + "a", base + "b", base + "c"] and keys[27] == base + "aa"


# -- 8. check --fix writes the file back as it was read: encoding, byte-order mark, line endings -------------
FIXABLE = (
    "@article{a, author = {M\u00fcller, B}, title = {T}, journal = {J}, year = 2001,\n"
    " pages = {1-10}}\n\n@article{b, author = {C, D}, title = {U}, journal = {J}, year = 2002, doi = {10.1/x}}\n"
    "@article{c, author = {C, D}, title = {U}, journal = {J}, year = 2002, doi = {10.1/x},\n note = {N}}\n"
)


def test_check_fix_keeps_encoding_byte_order_mark_and_line_endings(tmp_path):
    cases = {  # name: (bytes of the file, how the fixed text must be encoded)
        "utf16be-bom": (b"\xfe\xff" + FIXABLE.encode("utf-16-be"), lambda t: b"\xfe\xff" + t.encode("utf-16-be")),
        "utf16le-bom": (b"\xff\xfe" + FIXABLE.encode("utf-16-le"), lambda t: b"\xff\xfe" + t.encode("utf-16-le")),
        "utf16be": (FIXABLE.encode("utf-16-be"), lambda t: t.encode("utf-16-be")),
        "utf16le": (FIXABLE.encode("utf-16-le"), lambda t: t.encode("utf-16-le")),
        "utf32be-bom": (
            b"\x00\x00\xfe\xff" + FIXABLE.encode("utf-32-be"),
            lambda t: b"\x00\x00\xfe\xff" + t.encode("utf-32-be"),
        ),
        "latin1": (FIXABLE.encode("latin-1"), lambda t: t.encode("latin-1")),
        "utf8-bom-crlf": (
            b"\xef\xbb\xbf" + FIXABLE.replace("\n", "\r\n").encode(),
            lambda t: b"\xef\xbb\xbf" + t.replace("\n", "\r\n").encode(),
        ),
        "cr-only": (FIXABLE.replace("\n", "\r").encode(), lambda t: t.replace("\n", "\r").encode()),
    }
    for name, (data, encode) in cases.items():
        p = tmp_path / f"{name}.bib"
        p.write_bytes(data)
        out = CliRunner().invoke(main, ["check", "--offline", "--fix", "--merge-duplicates", str(p)])
        assert "Traceback" not in out.output and "applied" in out.output, (name, out.output)
        assert (tmp_path / f"{name}.bib.bak").read_bytes() == data, name
        written = p.read_bytes()
        text = read_bib(p).text
        # the pages fixed, the duplicate merged (its note added with the file's line endings), nothing else
        assert "1--10" in text and "ids = {c}" in text and text.count("@article") == 2, (name, text)
        assert written == encode(text.replace("\r\n", "\n").replace("\r", "\n")), name


def test_a_fix_the_encoding_cannot_hold_is_refused_with_file_and_line(tmp_path):
    from mscbib._io import OutputError, atomic_write_text
    from mscbib.textio import encode_text

    p = tmp_path / "l1.bib"
    p.write_bytes(b"x\n")
    try:
        atomic_write_text(p, "ok\n\u03b2 here\n", encoding="latin-1")
    except OutputError as exc:
        assert str(p) in str(exc) and "line 2" in str(exc) and "U+03B2" in str(exc)
    else:
        raise AssertionError("written")
    assert p.read_bytes() == b"x\n" and [f.name for f in tmp_path.iterdir()] == ["l1.bib"]
    assert encode_text("a", "utf-16-be", bom=True) == b"\xfe\xff\x00a"
    assert encode_text("a", "utf-8-sig", bom=True) == b"\xef\xbb\xbfa"


# -- 9. every command that reads a .bib reads it as check does: UTF-16, Latin-1, CR-only ---------------------
LIBRARY = (
    "% SYNTHETIC\n@article{k1, author = {M\u00fcller, J\u00f6rg}, title = {Stem cells in Gr\u00f6\u00dfe},"
    " journal = {J}, year = 2001,\n  keywords = {stem cells}, cites = {k2}, doi = {10.1/a}}\n\n"
    "@article{k2, author = {B\u00e9, A}, title = {Second}, journal = {J}, year = 2002}\n"
)
ENCODED = {
    "utf16le-bom": "\ufeff" + LIBRARY,
    "utf16be-bom": "\ufeff" + LIBRARY,
    "utf16le": LIBRARY,
    "latin1": LIBRARY,
    "cr-only": LIBRARY.replace("\n", "\r"),
    "crlf": LIBRARY.replace("\n", "\r\n"),
}
CODEC = {
    "utf16le-bom": "utf-16-le",
    "utf16be-bom": "utf-16-be",
    "utf16le": "utf-16-le",
    "latin1": "latin-1",
    "cr-only": "utf-8",
    "crlf": "utf-8",
}


def test_every_command_reading_a_bib_reads_every_encoding(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "paper.aux").write_text("\\citation{k1}\n", encoding="utf-8")
    runs = {
        "export": lambda p: ["export", "--to", "csljson", p],
        "subset": lambda p: ["subset", "paper.aux", "--library", p],
        "tags": lambda p: ["tags", p],
        "tags --explain": lambda p: ["tags", "--explain", "k1", p],
        "refs": lambda p: ["refs", "k1", "-f", p],
        "graph": lambda p: ["graph", p, "-o", str(tmp_path / ("g-" + Path(p).stem))],
        "keys": lambda p: ["keys", "--explain", "k1", "-f", p],
    }
    (tmp_path / "utf8.bib").write_text(LIBRARY, encoding="utf-8")
    expected = {}
    for name, args in runs.items():
        out = CliRunner().invoke(main, args("utf8.bib"))
        assert out.exit_code == 0, (name, out.output)
        expected[name] = out.stdout.replace("utf8", "FILE")
    assert "Müller" in expected["export"] and "k1" in expected["subset"] and "stem cells" in expected["tags"]
    assert "k2" in expected["refs"]
    for kind, text in ENCODED.items():
        path = f"{kind}.bib"
        (tmp_path / path).write_bytes(text.encode(CODEC[kind]))
        for name, args in runs.items():
            out = CliRunner().invoke(main, args(path))
            assert out.exit_code == 0 and "Traceback" not in out.output, (kind, name, out.output)
            assert out.stdout.replace(kind, "FILE") == expected[name], (kind, name)
    graphs = sorted(p.name for p in tmp_path.glob("g-*.csv"))
    assert len(graphs) == 1 + len(ENCODED)
    assert len({(tmp_path / g).read_text(encoding="utf-8") for g in graphs}) == 1


# -- 10. entities: one bounded decoder wherever values are decoded -------------------------------------------
LAUGHS = '<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "' + (f"&lol{i - 1};" if i > 1 else "&lol;") * 10 + '">' for i in range(1, 10)
)


def test_the_entity_decoder_is_bounded_and_invents_nothing():
    from mscbib.text import decode_entities

    assert decode_entities("&amp; &eacute; &#233; &#x00E9; &#00065; &lt;i&gt; AT&T") == "& é é é A <i> AT&T"
    assert decode_entities("&lol9; x") == "&lol9; x" and decode_entities("&lol9; x", unknown="drop") == " x"
    # no character: kept as written, never U+FFFD; a reference of 5,000 digits is none (html.unescape raised)
    for ref in ("&#0;", "&#xD800;", "&#1114112;", "&#" + BIG + ";", "&#x" + "f" * 5000 + ";"):
        assert decode_entities(ref) == ref
    assert decode_entities("&#65533;") == "\ufffd"
    assert clean_text("a &#" + BIG + "; b") == "a &#" + BIG + "; b"
    assert strip_markup("<i>a</i> &#" + BIG + ";") == "a &#" + BIG + ";"


def test_billion_laughs_and_deep_nesting_in_pages_and_markup_expand_nothing():
    import time

    page = (
        "<!DOCTYPE html [" + LAUGHS + ']><html><head><meta name="citation_title" content="Bomb &lol9; title">'
        '<meta name="citation_doi" content="10.1000/bomb"><title>T &lol9;</title></head>'
        "<body><p>&lol9; &eacute;</p></body></html>"
    )
    started = time.process_time()
    result = read_text(page, "bomb.html")
    assert [(r.title, r.doi) for r in result.records] == [("Bomb title", "10.1000/bomb")]
    jats = '<?xml version="1.0"?><!DOCTYPE article [' + LAUGHS + "]><jats:p>Safe &lol9; &amp; sound</jats:p>"
    assert strip_markup(jats) == "Safe & sound"
    deep = "<i>" * 100_000 + "x" + "</i>" * 100_000
    assert strip_markup(deep) == "x"
    nested = (
        "<html><head><meta name='citation_title' content='Deep &amp; nested'>"
        "<meta name='citation_doi' content='10.1000/deep'></head><body>"
        + "<div>" * 50_000
        + "x"
        + "</div>" * 50_000
        + "</body></html>"
    )
    assert [r.title for r in read_text(nested, "deep.html").records] == ["Deep & nested"]
    assert time.process_time() - started < 20  # a bound against a hang, not a timing target
    # an ordinary page keeps what looks like an entity but is none of its DTD's
    from mscbib.text import drop_declared_entities

    assert drop_declared_entities("<!DOCTYPE x [<!ENTITY a 'b'>]><p>&a; &c; &amp;</p>") == "<p> &c; &amp;</p>"
    assert drop_declared_entities("<p>&a;</p>") == "<p>&a;</p>"


# -- 11. the writer's fast paths (issue 16 speed) write what its general ones do --------------------------
def test_writer_fast_paths_give_the_general_paths_text():
    from mscbib.writers import bibtex as w

    def general_protect(s):
        return w._TOKEN.sub(lambda m: "{" + m.group(0) + "}" if w.needs_protection(m.group(0)) else m.group(0), s)

    def general_latex(s, ascii):
        s = w._scripts_to_latex(s)
        return (w._NON_ASCII if ascii else w._PDFLATEX_SAFE).sub(lambda m: w._char_to_latex(m.group(0)), s)

    titles = [
        "During hypoxia in of the cells",
        "MSCs and TGFb1 in p53-MDM2 mice",
        "A",
        "A1 b2 C3",
        "x-Ray (X) [Y]",
        "DeClerck said: iPS",
        "Ünïcode TGFβ1 MSCs",
        "\\emph{Word} and {DNA}",
        "e.g. A.B. Smith",
        '"Q" Rx',
    ]
    for t in titles:
        assert w.protect_title(t) == general_protect(t), t
        for ascii in (False, True):
            assert w.to_latex(t, ascii) == general_latex(t, ascii), t


def _bib_corpus_records():
    """Every record of the project's own .bib files (the tests' corpus, the committed library and cited file, the
    check fixtures) and of 400 entries of the synthetic clean corpus (tests/fixtures/check/make_clean_corpus.py)."""
    import importlib.util

    root = Path(__file__).resolve().parents[1]
    paths = sorted((root / "tests" / "corpus").glob("*.bib")) + sorted(
        (root / "tests" / "fixtures" / "check").glob("*.bib")
    )
    records = []
    for path in paths + [root / "bib" / "library.bib", root / "bib" / "cited.bib"]:
        records += read_file(str(path)).records
    spec = importlib.util.spec_from_file_location("mk", root / "tests" / "fixtures" / "check" / "make_clean_corpus.py")
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    records += read_text(mk.corpus(400), "clean.bib").records
    assert len(records) > 400
    return records


def test_render_writes_each_entry_as_bibtexparser_s_writer_does():
    """render writes the entries itself (issue 16 speed): the text must be bibtexparser's, byte for byte."""
    from bibtexparser.library import Library
    from bibtexparser.writer import BibtexFormat

    from mscbib.writers.bibtex import entry_from_record, render

    records = _bib_corpus_records()
    seen, unique = set(), []
    for i, rec in enumerate(records):
        rec.key = rec.key or f"k{i}"
        if rec.key not in seen:
            seen.add(rec.key)
            unique.append(rec)
    fmt = BibtexFormat()
    fmt.indent, fmt.value_column, fmt.block_separator = "  ", 0, "\n"
    for dialect in ("bibtex", "biblatex", "zotero"):
        for ascii in (False, True):
            lib = Library()
            for rec in sorted(unique, key=lambda r: r.key):
                lib.add(entry_from_record(rec, dialect, ascii, ("abstract",)))
            expected = bibtexparser.write_string(lib, unparse_stack=[], bibtex_format=fmt)
            assert render(unique, dialect, ascii, drop=("abstract",)) == expected, (dialect, ascii)
    assert render([]) == ""


def test_bib_text_fast_path_gives_the_general_text():
    """sources.bibtex.latex_to_text trims a plain ASCII value without the converters: what they would give."""
    from mscbib.bibfile import latex_to_text as general
    from mscbib.sources.bibtex import latex_to_text

    values = [
        "Plain",
        "  trim me \n",
        "two  spaces",
        "tab\there",
        "a\nb",
        "P\\&G",
        "{DNA} repair",
        "$x$",
        "a~b",
        "A &amp; B",
        "Müller",
        "Ｆｕｌｌ",
        "ﬁne",
        "\u00a0nbsp\u00a0",
        "x\u200by",
        "1990",
        "mar",
        "\x0cform\x1c",
    ]
    values += [v * 40 for v in values]  # past the memoised length too
    for v in values:
        assert latex_to_text(v) == clean_text(general(v)), v


def test_key_order_of_given_keys_does_not_depend_on_the_input_order():
    """Given unique keys, the key stage skips the formula's ordering (issue 16 speed): the result is the same."""
    import random

    from mscbib.model import Library
    from mscbib.pipeline.stages.keys import Key

    def keyed(order):
        records = _bib_corpus_records()
        seen = set()
        records = [r for r in records if r.key and not (r.key in seen or seen.add(r.key))]
        random.Random(order).shuffle(records)
        lib = Key(output=None)(Library(records=records))
        return [(r.key, r.title) for r in lib.records], sorted(lib.key_origins.items()), lib.findings

    assert keyed(1) == keyed(2)
    records = _bib_corpus_records()
    assert len({r.key for r in records}) < len(records)  # a key given twice: the formula's order decides
    lib = Key(output=None)(Library(records=records))
    assert len({r.key for r in lib.records}) == len(records)
