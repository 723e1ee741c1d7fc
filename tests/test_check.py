"""mscbib check: the planted problems, the clean corpus, safe fixes, output formats and network checks."""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from mscbib.bibfile import parse_bib, read_bib
from mscbib.services.crossref import CrossrefClient
from mscbib.testing.crossref_standin import CrossrefStandIn
from mscbib.validate.check import (
    HandleClient,
    HandleStatus,
    apply_edits,
    fix_file,
    render_github,
    render_json,
    run_checks,
)

HERE = Path(__file__).resolve().parent / "fixtures" / "check"

#: code -> (entry key, field) of the one planted instance in broken.bib (field None: the entry's line)
PLANTED = {
    "STR001": ("str001", "journal"),
    "FLD003": ("fld003", "number"),
    "CRF001": ("crf001", "crossref"),
    "REQ001": ("req001", None),
    "FLD001": ("fld001", "note"),
    "FLD002": ("fld002", "booktitle"),
    "DOI001": ("doi001", "doi"),
    "DOI002": ("doi002", "doi"),
    "DOI003": ("doi003", "url"),
    "ISS001": ("iss001", "issn"),
    "ISS002": ("iss002", "issn"),
    "ISB001": ("isb001", "isbn"),
    "PMI001": ("pmi001", "pmid"),
    "DAT001": ("dat001", "year"),
    "DAT002": ("dat002", "year"),
    "DAT003": ("dat003", "month"),
    "DAT004": ("dat004", "month"),
    "PAG001": ("pag001", "pages"),
    "PAG002": ("pag002", "pages"),
    "VOL001": ("vol001", "volume"),
    "TXT001": ("txt001", "note"),
    "TXT002": ("txt002", "note"),
    "TXT003": ("txt003", "note"),
    "NAM001": ("nam001", "author"),
    "NAM002": ("nam002", "author"),
    "TTL001": ("ttl001", "title"),
    "TTL002": ("ttl002", "title"),
    "DUP001": ("dup001", "doi"),
    "DUP002": ("dup002b", None),
    "KEY001": ("key001", None),
    "KEY002": ("key 002", None),
    "PRS001": (None, None),
}


def _expected_line(text: str, key: str | None, field: str | None, last: bool = False) -> int:
    lines = text.splitlines()
    if key is None:
        return next(i for i, ln in enumerate(lines, 1) if ln.startswith("@article{prs001"))
    starts = [i for i, ln in enumerate(lines, 1) if re.match(r"@\w+\{" + re.escape(key) + ",", ln)]
    start = starts[-1] if last else starts[0]
    if field is None:
        return start
    return next(i for i, ln in enumerate(lines[start:], start + 1) if ln.strip().startswith(f"{field} ="))


def test_every_planted_problem_is_reported_once_with_code_and_line():
    bib = read_bib(HERE / "broken.bib")
    result = run_checks(bib)
    got = [(f.code, f.key, f.field, f.line) for f in result.findings]
    assert sorted(c for c, *_ in got) == sorted(PLANTED), got
    for code, key, field, line in got:
        want_key, want_field = PLANTED[code]
        assert key == want_key, code
        if want_field:
            assert field == want_field, code
        assert line == _expected_line(bib.text, want_key, want_field, last=code == "KEY001"), code


def test_clean_corpus_has_no_findings():
    bib = read_bib(HERE / "clean.bib")
    assert len(bib.entries) >= 300
    result = run_checks(bib)
    assert result.findings == []
    assert result.exit_code() == 0


def test_clean_corpus_is_what_the_script_makes():
    import importlib.util

    spec = importlib.util.spec_from_file_location("mk", HERE / "make_clean_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.corpus(320) == (HERE / "clean.bib").read_text(encoding="utf-8")


def test_fix_edits_only_the_fixed_spans(tmp_path):
    src = (HERE / "broken.bib").read_text(encoding="utf-8")
    p = tmp_path / "b.bib"
    p.write_text(src, encoding="utf-8")
    result = run_checks(read_bib(p))
    diff, n = fix_file(result)
    assert n == 5  # DOI002, ISS002, DAT004, PAG002, TTL002
    new = p.read_text(encoding="utf-8")
    assert (tmp_path / "b.bib.bak").read_text(encoding="utf-8") == src
    assert "doi = {10.1000/urlform.2}" in new and "month = mar\n" in new and "pages = {101--110}" in new
    assert "issn = {0378-5955}" in new and "{The role of {TGFB} in repair}" in new
    assert "-  month = {March}" in diff and "+  month = mar" in diff
    # every line the diff does not show is byte-identical, including the failed block and comments
    changed = {ln[1:] for ln in diff.splitlines() if ln.startswith("-") and not ln.startswith("---")}
    kept_old = [ln for ln in src.splitlines(keepends=True) if ln.rstrip("\n") not in changed]
    kept_new = [ln for ln in new.splitlines(keepends=True)]
    assert all(ln in kept_new for ln in kept_old)
    assert len(new.splitlines()) == len(src.splitlines())
    # fixed: those findings are gone, the others remain
    again = {f.code for f in run_checks(read_bib(p)).findings}
    assert not again & {"DOI002", "ISS002", "DAT004", "PAG002", "TTL002"}
    assert {"PRS001", "DOI001", "KEY001"} <= again


def test_dry_run_writes_nothing(tmp_path):
    p = tmp_path / "b.bib"
    p.write_text("@article{k,\n  pages = {1-2} ,\n}\n", encoding="utf-8")
    diff, n = fix_file(run_checks(read_bib(p), ignore={"REQ001"}), dry_run=True)
    assert n == 1 and "+  pages = {1--2} ," in diff
    assert p.read_text() == "@article{k,\n  pages = {1-2} ,\n}\n" and not (tmp_path / "b.bib.bak").exists()


def test_apply_edits_skips_overlaps():
    from mscbib.validate.check import Edit

    new, applied = apply_edits("abcdef", [Edit(1, 3, "X"), Edit(2, 4, "Y"), Edit(5, 6, "Z")])
    assert new == "aXdeZ" and len(applied) == 2


def test_biblatex_model_detected_and_required_fields():
    bib = parse_bib(
        "@online{w, author = {A, B}, title = {T}, date = {2020}}\n"
        "@article{a, author = {A, B}, title = {Another}, journaltitle = {J}, date = {2020-05}}\n"
    )
    result = run_checks(bib)
    assert result.model == "biblatex"
    assert [(f.code, f.key) for f in result.findings] == [("REQ001", "w")]  # online needs doi, eprint or url
    result = run_checks(bib, model="bibtex")
    assert ("REQ001", "a") in [(f.code, f.key) for f in result.findings]


def test_json_and_github_formats():
    result = run_checks(parse_bib("@article{k, title = {T}, year = {20x0}}\n", "x.bib"))
    data = json.loads(render_json(result))
    assert {"code", "severity", "key", "field", "line", "message", "fix"} <= set(data[0])
    assert any(d["code"] == "DAT001" and d["line"] == 1 and d["field"] == "year" for d in data)
    gh = render_github(result)
    assert "::error file=x.bib,line=1,title=DAT001 k::" in gh


def test_cli_exit_codes_and_fail_on(tmp_path):
    from mscbib.commands.check import command

    p = tmp_path / "x.bib"
    p.write_text(
        "@article{k,\n  author = {A, B},\n  title = {T},\n  journal = {J},\n  year = 2020,\n"
        "  pages = {1-2},\n  doi = {10.1000/x}\n}\n"
    )
    runner = CliRunner()
    r = runner.invoke(command, ["--offline", str(p)])
    assert r.exit_code == 0, r.output
    assert "skipped: offline" in r.output
    r = runner.invoke(command, ["--offline", "--fail-on", "info", str(p)])
    assert r.exit_code == 1
    r = runner.invoke(command, ["--offline", str(tmp_path / "missing.bib")])
    assert r.exit_code == 2
    r = runner.invoke(command, ["--offline", "--fix", str(p)])
    assert r.exit_code == 0 and "applied 1 fix;" in r.output and "pages = {1--2}" in p.read_text()


# -- network: Crossref stand-in and a DOI handle stand-in (both on 127.0.0.1; works are SYNTHETIC) ----------
WORKS = [
    {
        "_synthetic": "made up for tests",
        "DOI": "10.5555/ok.1",
        "type": "journal-article",
        "title": ["Bone repair in mice"],
        "author": [{"family": "Smith", "given": "Anna"}],
        "container-title": ["Bone"],
        "ISSN": ["8756-3282"],
        "volume": "12",
        "issue": "3",
        "page": "101-110",
        "issued": {"date-parts": [[2019, 3]]},
    },
    {
        "_synthetic": "made up for tests",
        "DOI": "10.5555/retracted.2",
        "type": "journal-article",
        "title": ["Fabricated results"],
        "author": [{"family": "Fake", "given": "F."}],
        "container-title": ["Bone"],
        "issued": {"date-parts": [[2015]]},
        "updated-by": [
            {
                "DOI": "10.5555/notice.9",
                "type": "retraction",
                "source": "retraction-watch",
                "updated": {"date-parts": [[2016, 1, 2]]},
            }
        ],
    },
    {
        "_synthetic": "made up for tests",
        "DOI": "10.5555/other.3",
        "type": "journal-article",
        "title": ["Something else entirely about fish"],
        "author": [{"family": "Other", "given": "O."}],
        "container-title": ["Bone"],
        "issued": {"date-parts": [[2001]]},
    },
]


class _Handles(BaseHTTPRequestHandler):
    known = {"10.5281/zenodo.42"}
    hits: list[str] = []  # DOIs asked, in order (cleared per test by the fixture)

    def do_GET(self):  # noqa: N802
        doi = self.path.split("/api/handles/", 1)[-1].lower()
        self.hits.append(doi)
        ok = doi in self.known
        body = json.dumps({"responseCode": 1 if ok else 100, "handle": doi}).encode()
        self.send_response(200 if ok else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def handle_server():
    _Handles.hits.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handles)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


NET_BIB = """@article{ok,
  author = {Smith, Anna},
  title = {Bone repair in mice},
  journal = {Bone},
  year = 2019,
  doi = {10.5555/ok.1}
}
@article{retracted, author = {Fake, F.}, title = {Fabricated results}, journal = {Bone}, year = 2015,
  doi = {10.5555/retracted.2}}
@article{wrongmeta, author = {Smith, Anna}, title = {Bone repair in mice}, journal = {Bone}, year = 2019,
  doi = {10.5555/other.3}}
@misc{datacite, author = {Data, D.}, title = {A data set}, year = 2020, doi = {10.5281/zenodo.42}}
@misc{nowhere, author = {No, N.}, title = {Invented}, year = 2020, doi = {10.5555/nowhere.4}}
"""


def test_network_checks(tmp_path, cache, handle_server):
    with CrossrefStandIn(WORKS) as cr:
        client = CrossrefClient(base_url=cr.url, cache=cache)
        result = run_checks(parse_bib(NET_BIB, "n.bib"), client=client, handles=HandleClient(handle_server))
    got = {(f.code, f.key) for f in result.findings}
    assert ("CR020", "retracted") in got
    # wrongmeta gives the DOI of another work (other title, author, year): one error, CR011 (issue 12 item 3)
    assert ("CR011", "wrongmeta") in got and not any(k == "ok" and c in ("CR010", "CR011") for c, k in got)
    assert ("DOI005", "datacite") in got and ("CR002", "nowhere") in got
    assert not any(c == "CR002" and k == "datacite" for c, k in got)
    assert ("ENR001", "ok") in got  # volume, number, pages, issn are in the record, not the entry
    assert result.skipped == []


def test_enrich_fills_missing_fields_only_with_enrich(tmp_path, cache, handle_server):
    p = tmp_path / "n.bib"
    p.write_text(NET_BIB, encoding="utf-8")
    with CrossrefStandIn(WORKS) as cr:
        result = run_checks(
            read_bib(p), client=CrossrefClient(base_url=cr.url, cache=cache), handles=HandleClient(handle_server)
        )
    assert fix_file(result, dry_run=True)[1] == 0
    diff, n = fix_file(result, enrich=True)
    text = p.read_text()
    assert n == 1 and "  doi = {10.5555/ok.1},\n  volume = {12},\n  number = {3},\n  pages = {101--110}," in text
    assert text.endswith(NET_BIB[NET_BIB.index("@article{retracted") :])


def test_offline_client_says_what_it_skipped(cache):
    client = CrossrefClient(base_url="http://127.0.0.1:9", cache=cache, offline=True)
    result = run_checks(parse_bib(NET_BIB), client=client, handles=None)
    assert result.skipped and "5 of 5 DOIs not looked up" in result.skipped[0]
    assert not any(f.code.startswith("CR") for f in result.findings)


# -- DOI handle answers in the Crossref client's cache ------------------------------------------------
def _codes(result) -> set[tuple[str, str]]:
    return {(f.code, f.key) for f in result.findings if f.code in ("DOI005", "CR002")}


def test_handle_answers_are_cached_a_second_run_asks_nothing(cache, handle_server):
    url, hits = handle_server, _Handles.hits
    with CrossrefStandIn(WORKS) as cr:  # only the two DOIs Crossref lacks go to the handles
        first = run_checks(
            parse_bib(NET_BIB),
            client=CrossrefClient(base_url=cr.url, cache=cache),
            handles=HandleClient(url, cache=cache),
        )
        assert sorted(hits) == ["10.5281/zenodo.42", "10.5555/nowhere.4"]
        handles = HandleClient(url, cache=cache)
        second = run_checks(parse_bib(NET_BIB), client=CrossrefClient(base_url=cr.url, cache=cache), handles=handles)
    assert handles.requests == 0 and len(hits) == 2
    assert _codes(first) == _codes(second) == {("DOI005", "datacite"), ("CR002", "nowhere")}


def test_handle_cache_honours_refresh_and_max_age(cache, handle_server):
    url, hits = handle_server, _Handles.hits
    assert HandleClient(url, cache=cache).lookup("10.5281/zenodo.42") is HandleStatus.EXISTS
    assert HandleClient(url, cache=cache).lookup("10.5281/zenodo.42") is HandleStatus.EXISTS
    assert len(hits) == 1
    assert HandleClient(url, cache=cache, refresh=True).lookup("10.5281/zenodo.42") is HandleStatus.EXISTS
    assert len(hits) == 2
    time.sleep(0.05)
    assert HandleClient(url, cache=cache, max_age=0.01).lookup("10.5281/zenodo.42") is HandleStatus.EXISTS
    assert len(hits) == 3
    assert HandleClient(url, cache=cache, max_age=3600).lookup("10.5281/zenodo.42") is HandleStatus.EXISTS
    assert len(hits) == 3
    # offline: the cache answers, an unknown DOI is not asked
    offline = HandleClient(url, cache=cache, offline=True)
    assert offline.lookup("10.5281/zenodo.42") is HandleStatus.EXISTS
    assert offline.lookup("10.5555/never.asked") is HandleStatus.FAILED and len(hits) == 3


def test_a_failed_handle_request_is_not_cached(cache):
    down = HandleClient("http://127.0.0.1:9", cache=cache)  # nothing listens on the discard port
    assert down.lookup("10.5281/zenodo.42") is HandleStatus.FAILED
    assert cache.get("handle:10.5281/zenodo.42") is None


# -- check --fix --merge-duplicates (issue 21): the entries of one DOI merged, every key and field kept -------------
DUPS = """% synthetic: three entries of one DOI, written three ways
@article{smith2020,
  author = {Smith, Jane},
  title = {Cells and more cells},
  doi = {10.1234/abc.1},
  year = {2020}
}

@string{jc = {Journal of Cells}}
@article{Smith_2020_cells,
  author = {Smith, J.},
  title = {Cells and  more cells},
  journal = jc,
  doi = {https://doi.org/10.1234/ABC.1},
  year = {2021},
  pages = {1--5},
}

@article{other, title = {Other}, year = {2019}}
@article{smith-cells, doi = {10.1234/abc.1}, ids = {sc2020}, note = {read twice}}
"""


def test_merge_duplicates_keeps_every_key_and_field(tmp_path):
    from mscbib.validate.check import plan_merges

    p = tmp_path / "d.bib"
    p.write_text(DUPS, encoding="utf-8")
    result = run_checks(read_bib(p))
    assert [i.finding.code for i in result.issues].count("DUP001") == 2
    merges = plan_merges(result.bib)
    assert len(merges) == 1
    m = merges[0]
    assert (m.kept, m.merged, m.filled) == (
        "smith2020",
        ["Smith_2020_cells", "smith-cells"],
        ["journal", "pages", "note"],
    )
    # a conflicting value is reported, the kept entry's stays; whitespace and the DOI's form are no conflict
    assert [(c[0], c[1], c[2], c[3]) for c in m.conflicts] == [
        ("author", "Smith, Jane", "Smith_2020_cells", "Smith, J."),
        ("year", "2020", "Smith_2020_cells", "2021"),
    ]
    text = "\n".join(m.describe(str(p)))
    assert "merge Smith_2020_cells, smith-cells into smith2020" in text and "smith2020's value stays" in text

    diff, n = fix_file(result, merges=merges)
    # written as the entry writes its fields (indent, "=" aligned on its first field)
    assert n >= 1 and "+  ids    = {Smith_2020_cells, smith-cells, sc2020},\n+  journal = {Journal of Cells}," in diff
    assert (tmp_path / "d.bib.bak").read_text(encoding="utf-8") == DUPS
    after = read_bib(p)
    assert [e.key for e in after.entries] == ["smith2020", "other"]
    kept = after.entries[0]
    assert kept.get("ids") == "Smith_2020_cells, smith-cells, sc2020"
    # the macro is defined after the kept entry (BibTeX reads them in order): its value is written
    assert kept.get("journal") == "Journal of Cells" and kept.field("journal").raw == "{Journal of Cells}"
    assert (kept.get("author"), kept.get("year"), kept.get("note"), kept.get("pages")) == (
        "Smith, Jane",
        "2020",
        "read twice",
        "1--5",
    )
    # the rest of the file is as it was, and the merged file checks clean of DUP001
    assert (
        "@string{jc = {Journal of Cells}}" in p.read_text()
        and "@article{other, title = {Other}, year = {2019}}" in p.read_text()
    )
    again = run_checks(read_bib(p))
    assert "DUP001" not in {i.finding.code for i in again.issues}
    assert not after.failed


def test_merge_into_an_entry_with_ids_and_a_trailing_comma(tmp_path):
    from mscbib.validate.check import plan_merges

    src = (
        "@string{jb = {J B}}\n@article{a,\n\tdoi = {10.1/x},\n\tids = {old},\n}\n"  # synthetic
        "@article{b,\n\tdoi = {10.1/X},\n\ttitle = {T},\n\tjournal = jb # { } # jan,\n}\n"
    )
    p = tmp_path / "t.bib"
    p.write_text(src)
    result = run_checks(read_bib(p))
    fix_file(result, merges=plan_merges(result.bib))
    # a macro defined before the kept entry stays a macro
    assert p.read_text() == (
        "@string{jb = {J B}}\n@article{a,\n\tdoi = {10.1/x},\n\tids = {old, b},\n\ttitle = {T},\n"
        "\tjournal = jb # { } # jan,\n}\n"
    )


def test_cli_merge_duplicates(tmp_path):
    from mscbib.cli import main

    p = tmp_path / "d.bib"
    p.write_text(DUPS, encoding="utf-8")
    run = CliRunner().invoke
    res = run(main, ["check", "--offline", "--merge-duplicates", str(p)])
    assert res.exit_code == 2 and "go with --fix" in res.output
    res = run(main, ["check", "--offline", "--fix", "--merge-duplicates", "--dry-run", str(p)])
    assert "merge Smith_2020_cells, smith-cells into smith2020" in res.output and "conflict in year" in res.output
    assert "-@article{Smith_2020_cells," in res.output and "Traceback" not in res.output
    assert p.read_text(encoding="utf-8") == DUPS and not (tmp_path / "d.bib.bak").exists()
    # without the flag, --fix merges nothing; with --ignore DUP001 nothing is merged either
    for extra in ([], ["--merge-duplicates", "--ignore", "DUP001"]):
        res = run(main, ["check", "--offline", "--fix", "--dry-run", *extra, str(p)])
        assert "-@article{Smith_2020_cells," not in res.output and "merge " not in res.output
    res = run(main, ["check", "--offline", "--fix", "--merge-duplicates", str(p)])
    assert [e.key for e in read_bib(p).entries] == ["smith2020", "other"]
    assert (tmp_path / "d.bib.bak").read_text(encoding="utf-8") == DUPS


@pytest.mark.parametrize("update_type", ["retraction", "retracted", "removal", "withdrawal", "withdrawn"])
def test_build_and_check_read_one_retraction_list(cache, update_type):
    """enrich.py knew 3 retraction types and check/network.py 5: a 'withdrawn' work was an error under
    `check` and a warning under `build`. Now both read match.RETRACTION_TYPES (works SYNTHETIC)."""
    from mscbib.enrich import enrich_record
    from mscbib.model import Person, Provenance, Record

    work = {**WORKS[1], "updated-by": [{**WORKS[1]["updated-by"][0], "type": update_type}]}
    with CrossrefStandIn([work]) as cr:
        client = CrossrefClient(base_url=cr.url, cache=cache)
        checked = run_checks(parse_bib(NET_BIB, "n.bib"), client=client)
        src = Provenance("page", "p.txt", 1)
        rec = Record(source=src, key="retracted")
        for name, value in (
            ("doi", "10.5555/retracted.2"),
            ("title", "Fabricated results"),
            ("year", "2015"),
            ("authors", [Person("Fake", "F.")]),
            ("journal", "Bone"),
        ):
            rec.set(name, value, src)
        built = enrich_record(rec, client).record.findings
    from_check = [f.severity.value for f in checked.findings if f.key == "retracted" and f.code.startswith("CR02")]
    from_build = [f.severity.value for f in built if f.code.startswith("CR02")]
    assert from_check == from_build == ["error"]


def test_one_issn_splitter_reads_a_field_alike_everywhere(cache):
    """identifiers.split_identifiers is the one splitter: the readers, ISS002 and ISS003 read the ISSNs of
    'a b' as two. ISS003 split on commas only, so a second ISSN after a space went unchecked."""
    from mscbib.identifiers import split_identifiers
    from mscbib.sources._common import split_issn_isbn

    value = "8756-3282 0028-0836; 1549-4918"
    assert split_identifiers(value) == ["8756-3282", "0028-0836", "1549-4918"]
    assert split_issn_isbn([value])[0] == split_identifiers(value)
    bib = NET_BIB.replace("  doi = {10.5555/ok.1}", "  issn = {8756-3282 0028-0836},\n  doi = {10.5555/ok.1}")
    with CrossrefStandIn(WORKS) as cr:
        result = run_checks(parse_bib(bib, "n.bib"), client=CrossrefClient(base_url=cr.url, cache=cache))
    iss003 = [f.message for f in result.findings if f.code == "ISS003" and f.key == "ok"]
    assert len(iss003) == 1 and "ISSN 0028-0836 is not an ISSN of the journal" in iss003[0]


@pytest.mark.parametrize(
    "title, warned, noted",
    [
        ("Bone repair in mice: a pilot study", False, ["info"]),  # a subtitle more: Crossref's title is written
        ("BONE REPAIR IN MICE", False, []),  # the same comparable title: the input's is kept
        ("Bone healing in aged mice", True, ["warning"]),
    ],
)
def test_build_and_check_read_one_title_rule(cache, title, warned, noted):
    """A title that differs from the registered one is a warning under both commands below match's
    TITLE_AGREEMENT, and below it neither warns (build still notes the change it makes, as info). build warned
    on any difference, check below 80 (works SYNTHETIC)."""
    from mscbib.enrich import enrich_record
    from mscbib.model import Person, Provenance, Record

    bib = NET_BIB.replace(
        "title = {Bone repair in mice},\n  journal = {Bone},\n  year = 2019,\n  doi = {10.5555/ok.1}",
        f"title = {{{title}}},\n  journal = {{Bone}},\n  year = 2019,\n  doi = {{10.5555/ok.1}}",
    )
    with CrossrefStandIn(WORKS) as cr:
        client = CrossrefClient(base_url=cr.url, cache=cache)
        checked = run_checks(parse_bib(bib, "n.bib"), client=client)
        src = Provenance("page", "p.txt", 1)
        rec = Record(source=src, key="ok")
        for name, value in (
            ("doi", "10.5555/ok.1"),
            ("title", title),
            ("year", "2019"),
            ("authors", [Person("Smith", "Anna")]),
            ("journal", "Bone"),
        ):
            rec.set(name, value, src)
        built = enrich_record(rec, client).record.findings
    in_check = [f for f in checked.findings if f.key == "ok" and f.code == "CR010" and "title" in f.message]
    in_build = [f for f in built if f.code == "CR010" and f.field == "title"]
    assert bool(in_check) == warned
    assert [f.severity.value for f in in_build] == noted
