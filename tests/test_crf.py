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
    state, lengths, _ = scorer.state([(batch[i].tokens, refmodel._parts(batch[i].tokens)[1]) for i in order])
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
    fresh = refmodel._Scorer(refmodel._model_path())
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
