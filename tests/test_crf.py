"""The CRF's inference done in numpy (mscbib.sources.crf) against crfsuite's own tagger: the weights read from the
shipped model file, the labels, the marginals, and the batch paths that use them (refmodel.tag_many,
refstring.parse_many, the reference-list reader, ParsedTexts.preload).

The strings marked synthetic are made up here; the others are the held-out part of ../shared/refstrings-train."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pycrfsuite
import pytest

from conftest import SHARED
from mscbib.refs.parsed_refs import ParsedTexts
from mscbib.sources import crf, refmodel
from mscbib.sources.refstring import parse, parse_citation, parse_many

PACK = SHARED / "refstrings-train"

# synthetic: printed references in several styles, and strings at the edges of what the tagger takes
SYNTHETIC = [
    "Placeholder A, Synthetic B. A made-up study of nothing in particular. J Synth Rec. 2011;12(3):345-350.",
    "Nobody, N., & Somebody, S. (1999). Another invented work on stromal things. Made-up Journal, 3(2), 10–20.",
    'A. Fictive, B. Notreal, and C. Imaginary, "An unreal method for pretend signals," IEEE Trans. Synth., '
    "vol. 7, no. 4, pp. 101-109, Jan. 2005.",
    "Madeup, Q. 2015. Pretend Monographs. 2nd ed. London: Invented Press.",
    "Doe J. Chapter title that does not exist. In: Roe R, eds. A Book Never Written. Berlin: Springer; 2001. p. 5-9.",
    "Smith J, personal communication",
    "Anon. Thesis on nothing [PhD thesis]. Nowhere University; 2010. doi:10.5555/made.up.1",
    "x",
    "(",
    ", ; :",
    "One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen 1987 " * 30,
]


@pytest.fixture(scope="module")
def tagger():
    t = pycrfsuite.Tagger()
    t.open(refmodel._model_path())
    return t


@pytest.fixture(scope="module")
def held_out():
    if not PACK.is_dir():
        pytest.skip(f"{PACK} is absent: the shared material is not beside this checkout")
    from mscbib.sources.refmodel_data import read_pack, split_pack

    return [ex.text for ex in split_pack(read_pack(PACK), 0.2, 14)[1]]


def test_the_weights_read_from_the_model_file_are_crfsuites(tagger):
    model = crf.read_model(refmodel._model_path())
    info = tagger.info()  # crfsuite's own dump of the model (its weights printed with 6 decimals)
    assert model.labels == tuple(tagger.labels()) and len(model.attributes) == len(info.attributes)
    lab = {name: i for i, name in enumerate(model.labels)}
    for (attr, label), w in info.state_features.items():
        assert model.state[model.attributes[attr.encode()], lab[label]] == pytest.approx(w, rel=5e-7, abs=5e-7)
    for (a, b), w in info.transitions.items():
        assert model.transition[lab[a], lab[b]] == pytest.approx(w, rel=5e-7, abs=5e-7)
    # every weight the file holds is one of those (none made up): as many non-zero weights as crfsuite lists
    assert np.count_nonzero(model.state) == len(info.state_features)
    assert np.count_nonzero(model.transition) == len(info.transitions)
    assert not model.state[model.unknown].any()


def test_a_file_that_is_not_a_model_is_refused_with_its_name(tmp_path):
    bad = tmp_path / "not-a-model.crfsuite"
    bad.write_bytes(b"lCRF" + b"\0" * 10)
    with pytest.raises(crf.ModelFileError, match="not-a-model.crfsuite"):
        crf.read_model(bad)
    bad.write_bytes(b"BibTeX, not a CRF" * 10)
    with pytest.raises(crf.ModelFileError, match="not a crfsuite CRF model"):
        crf.read_model(bad)
    truncated = tmp_path / "cut.crfsuite"
    truncated.write_bytes(Path(refmodel._model_path()).read_bytes()[:100_000])
    with pytest.raises(crf.ModelFileError):
        crf.read_model(truncated)


def _brute_force(state, trans):
    """The best path (the first of equal ones in crfsuite's order) and the marginals, by trying every path."""
    n, k = state.shape
    paths = list(itertools.product(range(k), repeat=n))
    scores = np.array(
        [sum(state[t, y] for t, y in enumerate(p)) + sum(trans[a, b] for a, b in zip(p, p[1:])) for p in paths]
    )
    probs = np.exp(scores - scores.max())
    probs /= probs.sum()
    marg = np.zeros((n, k))
    for p, pr in zip(paths, probs):
        marg[np.arange(n), p] += pr
    return paths, scores, marg


def test_viterbi_and_marginals_against_every_path():
    rng = np.random.default_rng(14)
    k = 3
    lengths = np.array([5, 4, 4, 2, 1])  # a batch, the longest first
    state = rng.normal(size=(5, len(lengths), k))
    trans = rng.normal(size=(k, k))
    best = crf.viterbi(state, lengths, trans)
    marg = crf.marginals(state, lengths, trans)
    for b, n in enumerate(lengths):
        paths, scores, expected = _brute_force(state[:n, b], trans)
        assert tuple(best[:n, b]) == paths[int(np.argmax(scores))]
        assert np.allclose(marg[:n, b], expected, atol=1e-12)
        assert not best[n:, b].any() and not marg[n:, b].any()  # past its end: nothing
    # the marginals of the best paths alone (as the tagger asks for them): the same numbers, to the last bit
    steps, seqs = np.nonzero(np.arange(5)[:, None] < lengths[None, :])
    at = (steps, seqs, best[steps, seqs])
    assert (crf.marginals(state, lengths, trans, at) == marg[at]).all()
    with pytest.raises(ValueError, match="longest"):
        crf.viterbi(state, lengths[::-1].copy(), trans)


def test_viterbi_takes_the_lowest_label_among_equal_scores_as_crfsuite():
    state = np.zeros((4, 1, 3))
    assert crf.viterbi(state, np.array([4]), np.zeros((3, 3)))[:, 0].tolist() == [0, 0, 0, 0]
    state[2, 0] = [1.0, 2.0, 2.0]  # labels 1 and 2 tie at step 2: label 1
    assert crf.viterbi(state, np.array([4]), np.zeros((3, 3)))[:, 0].tolist() == [0, 0, 1, 0]


def _crfsuite_marginals(tagger, text):
    toks = refmodel._tokens(text).tokens
    labels = tagger.tag(refmodel.features(toks))
    names = tagger.labels()
    return labels, np.array([[tagger.marginal(y, t) for y in names] for t in range(len(toks))])


def _same_as_crfsuite(tagger, texts):
    """tag_many's labels and marginals of ``texts`` are crfsuite's (up to float rounding), and so is tag's."""
    batch = refmodel.tag_many(texts)
    scorer = refmodel._scorer()
    order = sorted(range(len(texts)), key=lambda i: -len(batch[i].tokens))
    state, lengths, _ = scorer.state([batch[i].tokens for i in order])
    marg = crf.marginals(state, lengths, scorer.model.transition)
    for b, i in enumerate(order):
        labels, expected = _crfsuite_marginals(tagger, texts[i])
        assert batch[i].labels == labels, texts[i]
        assert np.allclose(marg[: len(labels), b], expected, rtol=1e-9, atol=1e-12), texts[i]
        alone = refmodel.tag(texts[i])  # crfsuite's path for a lone string: the same labels and confidences
        assert alone.labels == labels and np.allclose(alone.confidence, batch[i].confidence, rtol=1e-9, atol=1e-12)
        assert all(0.0 <= c <= 1.0 + 1e-12 for c in batch[i].confidence)


def test_the_batch_gives_crfsuites_labels_and_marginals_on_synthetic_strings(tagger):
    _same_as_crfsuite(tagger, [t for t in SYNTHETIC if refmodel._tokens(t).tokens])


def test_the_batch_gives_crfsuites_labels_and_marginals_on_real_references(tagger, held_out):
    _same_as_crfsuite(tagger, held_out[:300])


def test_strings_with_nothing_to_tag_are_kept_and_a_long_one_is_cut():
    batch = refmodel.tag_many(SYNTHETIC + ["", "   "])
    assert [t.text for t in batch] == SYNTHETIC + ["", "   "]
    assert [(t.tokens, t.labels, t.confidence) for t in batch[-2:]] == [([], [], []), ([], [], [])]
    long = batch[len(SYNTHETIC) - 1]
    assert len(long.text) > refmodel.MAX_CHARS and long.spans[-1][1] <= refmodel.MAX_CHARS
    assert len(long.labels) == len(long.tokens) == len(long.confidence) > 0


def test_batches_split_by_size_and_a_small_table_give_the_same(monkeypatch):
    whole = refmodel.tag_many(SYNTHETIC)
    monkeypatch.setattr(refmodel, "_BATCH_TOKENS", 40)  # one or two references per batch
    fresh = refmodel._Scorer(crf.read_model(refmodel._model_path()))
    fresh.tokens.limit = 30  # the token table starts again many times
    monkeypatch.setitem(refmodel._scorers, "default", fresh)
    split = refmodel.tag_many(SYNTHETIC * 2)
    for a, b in zip(whole * 2, split):
        assert a.labels == b.labels and np.allclose(a.confidence, b.confidence, rtol=1e-12)
    assert len(fresh.tokens) <= 30 + 400


def test_parse_many_is_parse_of_each(held_out):
    texts = SYNTHETIC + ["", "  [1] ", "Smith J, personal communication"] + held_out[:200] + SYNTHETIC[:3]
    assert [repr(c) for c in parse_many(texts)] == [repr(parse(t)) for t in texts]


def test_the_preload_parses_the_texts_no_run_stored_at_once():
    texts = SYNTHETIC[:6]
    parsed = ParsedTexts()  # the real parser, no cache
    parsed.preload(texts + texts[:2])
    assert parsed.parsed == 6
    for t in texts:
        got, expected = parsed.parse(t), parse_citation(t)
        assert (got.title, got.journal, got.year, [a.family for a in got.authors]) == (
            expected.title,
            expected.journal,
            expected.year,
            [a.family for a in expected.authors],
        )
    assert parsed.parsed == 6  # nothing parsed again


def _features_as_trained(tok):
    """A token's ``_word_features`` as the shipped model was trained with them: the implementation of 66e0642,
    kept here as it was (the word lists and patterns are refmodel's), so a faster one must give the same."""
    R = refmodel
    core = tok.strip(R._STRIP)
    low = core.lower()
    shape = R._RUNS.sub("", tok.translate(R._SHAPE_TABLE))
    word = b"w=" + (low[:20] or tok).encode()
    f = [word, b"shape=" + shape[:8].encode()]
    if R.SUFFIX and len(low) > 3:
        f.append(b"suf=" + low[-3:].encode())
    flags = 0
    first, last = tok[0], tok[-1]
    initial = False
    if "d" in shape:
        if core.isdigit():
            f.append(R._DIGITS[min(len(core), 5)])
        if shape[:8] in R._NUMBER_SHAPES:
            flags |= R._F_NUMBER
        if R._YEAR.match(tok):
            f.append(b"year")
            flags |= R._F_YEAR
        if R._RANGE.match(tok):
            f.append(b"range")
    elif first.isupper():
        if len(tok) <= 8 and R._INITIAL.match(tok):
            f.append(b"initial")
            initial = True
        if first in "IVXLC" and R._ROMAN.match(tok):
            f.append(b"roman")
    listed = R._WORDS_B.get(low, ())
    lt = tok.lower()
    exact = R._EXACT_B.get(lt)
    if exact:
        listed = listed + tuple(x for x in exact if x not in listed)
    if b"jword" not in listed and last == "." and 1 < len(core) <= 7 and core[0].isupper() and core[1:].islower():
        listed += (b"jword",)
    f.extend(listed)
    if first == "I" and lt in R._IN_WORDS:
        f.append(b"In")
    if "/" in tok and ("10." in tok or "://" in tok or tok.startswith("www.")):
        f.append(b"link")
    if last == "." and len(tok) > 3 and not initial:
        f.append(b"stop")
        flags |= R._F_STOP
    if tok in ("(", "["):
        flags |= R._F_PAREN_OPEN
    elif tok in (")", "]"):
        flags |= R._F_PAREN_CLOSE
    quote = False
    if first in R._OPEN_QUOTES and (len(tok) > 1 or first in '"“„«‘'):
        flags |= R._F_OPEN
        quote = True
    if last in R._CLOSE_QUOTES and (len(tok) > 1 or last in '"”»’'):
        flags |= R._F_CLOSE
        quote = True
    if quote:
        f.append(b"quote")
    n = [word, b"shape=" + shape[:6].encode()]
    n.extend(x for x in f[2:] if x in R._NEIGHBOUR_VIEW)
    return (
        tuple(f),
        tuple([b"-1" + x for x in n]),
        tuple([b"+1" + x for x in n]),
        (b"-2" + word,) if R.WINDOW2 else (),
        (b"+2" + word,) if R.WINDOW2 else (),
        flags,
    )


@pytest.fixture(scope="module")
def pack_references():
    if not PACK.is_dir():
        pytest.skip(f"{PACK} is absent: the shared material is not beside this checkout")
    from mscbib.sources.refmodel_data import read_pack

    texts = [ex.text for ex in read_pack(PACK)] + SYNTHETIC
    return [toks for toks in (refmodel._tokens(text).tokens for text in texts) if toks]


@pytest.fixture(scope="module")
def pack_tokens(pack_references):
    return list(dict.fromkeys(t for toks in pack_references for t in toks))


def _fresh_features(monkeypatch, window2, suffix):
    monkeypatch.setattr(refmodel, "WINDOW2", window2)
    monkeypatch.setattr(refmodel, "SUFFIX", suffix)
    refmodel._word_features.cache_clear()
    refmodel._word_parts.cache_clear()


def test_the_features_of_every_pack_token_are_those_the_model_was_trained_with(pack_tokens, monkeypatch):
    assert len(pack_tokens) > 50_000
    synthetic = ["«Titre»", "„Zitat“", "(1999a)", "IV.", "Ph.D.", "pp.", "In:", "10.5555/x", "https://x.y/z", "Ü."]
    for window2, suffix in ((True, True), (False, True), (True, False)):  # the shipped model, and the ablations
        _fresh_features(monkeypatch, window2, suffix)
        for tok in pack_tokens + synthetic:
            assert refmodel._word_features(tok) == _features_as_trained(tok), tok
    _fresh_features(monkeypatch, True, True)
    # the numpy path reads the flags without the features for crfsuite: the same flags
    assert [refmodel._word_parts(t)[2] for t in pack_tokens] == [_features_as_trained(t)[5] for t in pack_tokens]


def test_the_batch_places_are_those_of_each_reference(pack_references):
    """The place keys the batch path computes for many references at once in numpy are, token for token, those
    features() computes for each reference alone (crfsuite's path and training), on every pack string, in
    three orders, and on synthetic runs of quotation marks and brackets."""
    import random

    refs = pack_references + [
        ['"', "a", '"', '"', "b", '"'],
        ["(", "(", ")", ")", ")", "(", "x", "]"],
        ["«Titre»", "1999", '"', "„Zitat“", "12", "3"],
        ['"x', 'y"', '"', '"z"', "(1999).", "Doe"],
    ]
    for order in (refs, refs[::-1], random.Random(14).sample(refs, len(refs))):
        flat = [t for toks in order for t in toks]
        flags = np.array([refmodel._word_parts(t)[2] for t in flat], dtype=np.intp)
        lengths = np.array([len(toks) for toks in order])
        got = refmodel._places_many(flat, flags, lengths).tolist()
        assert got == [k for toks in order for k in refmodel._parts(toks)[1]]


def test_the_scorers_token_rows_are_the_sums_of_the_features_to_the_last_bit(held_out):
    """The state-score vectors the batch path keeps per token text are, exactly, each part of its
    _word_features summed attribute after attribute (as crfsuite adds them): no float rounding moves."""
    scorer = refmodel._Scorer(crf.read_model(refmodel._model_path()))
    model = scorer.model
    toks = [None] + list(dict.fromkeys(t for text in held_out[:800] for t in refmodel._tokens(text).tokens))
    rows = scorer.tokens.ids(toks)
    tables, tags = scorer.tokens, scorer.tokens.tags()
    for tok, r in zip(toks, rows.tolist()):
        parts = refmodel._EDGE_TOKEN if tok is None else refmodel._word_features(tok)
        assert tags[r, 0] == parts[5]  # the flags
        # what state() adds for the token's own part, then for each view of it a neighbour gets
        kept = [(0, tables.table(0)[r])] + [
            (part, tables.table(j)[r] if j else model.state[tags[r, c]]) for _, part, j, c in scorer._views
        ]
        for part, got in kept:
            expected = np.zeros(len(model.labels))
            for a in parts[part]:
                expected = expected + model.state[model.attributes.get(a, model.unknown)]
            assert (got == expected).all(), (tok, part)


def test_by_prefix_and_sums_on_a_small_model():
    # synthetic: five attributes, two labels
    attrs = [b"w=a", b"-1w=a", b"+1shape=X", b"year", b"-1year"]
    state = np.vstack([np.arange(10, dtype=float).reshape(5, 2) + 0.5, np.zeros((1, 2))])
    model = crf.Model(("x", "y"), {a: i for i, a in enumerate(attrs)}, state, np.zeros((2, 2)))
    rows, ids = model.by_prefix((b"", b"-1", b"+1"))
    assert set(rows) == {b"w=a", b"shape=X", b"year"} and len(ids) == 4
    assert ids[rows[b"w=a"]].tolist() == [0, 1, model.unknown]
    assert ids[rows[b"shape=X"]].tolist() == [model.unknown, model.unknown, 2]
    assert ids[rows[b"year"]].tolist() == [3, 4, model.unknown]
    assert (ids[-1] == model.unknown).all()  # the row of a stem the model does not know
    with pytest.raises(ValueError):
        model.by_prefix((b"-1", b""))
    # groups of 2, 0 and 3 attributes (one twice), and the same with a first attribute before each
    got = model.sums(np.array([0, 3, 1, 1, 4]), np.array([2, 0, 3]))
    assert got.tolist() == [(state[0] + state[3]).tolist(), [0.0, 0.0], (state[1] + state[1] + state[4]).tolist()]
    first = model.sums(np.array([0, 3, 1, 1, 4]), np.array([2, 0, 3]), first=np.array([2, 4, model.unknown]))
    assert first[0].tolist() == (state[2] + state[0] + state[3]).tolist() and first[1].tolist() == state[4].tolist()
    assert model.sums(np.array([], dtype=np.intp), np.array([0, 0])).tolist() == [[0.0, 0.0], [0.0, 0.0]]


def test_rows_keep_each_keys_scores_and_tags_and_start_again_past_their_limit():
    # synthetic: a key's two score vectors are its length and its length + 1, its tag its first letter's code
    asked = []

    def rows(keys, into):
        asked.append(list(keys))
        for i, k in enumerate(keys):
            into[0][i], into[1][i] = len(k), len(k) + 1
        return np.array([[ord(k[0])] for k in keys], dtype=np.intp)

    kept = crf.Rows(rows, 2, 3, tags=1, limit=4)
    ids = kept.ids(["ab", "c", "ab"])
    assert ids[0] == ids[2] != ids[1] and asked == [["ab", "c"]]
    assert (
        kept.table(0)[ids].tolist() == [[2.0] * 3, [1.0] * 3, [2.0] * 3] and kept.table(1)[ids[1]].tolist() == [2.0] * 3
    )
    assert kept.tags()[ids, 0].tolist() == [97, 99, 97]
    assert (kept.ids(["c"]) == ids[1]).all() and len(asked) == 1  # nothing new: nothing asked
    ids = kept.ids(["defg", "hi", "jkl"])  # past the limit: the tables start again with these keys
    assert asked[-1] == ["defg", "hi", "jkl"] and len(kept) == 3
    assert kept.table(0)[ids, 0].tolist() == [4.0, 2.0, 3.0] and kept.tags()[ids, 0].tolist() == [100, 104, 106]
    many = [chr(97 + i) * (i + 1) for i in range(9)]  # more new keys at once than the limit: the tables grow
    ids = kept.ids(many)
    assert kept.table(1)[ids, 0].tolist() == [i + 2.0 for i in range(9)] and len(kept) == 9
