"""The reference-string network (mscbib.sources.refnet): its numpy forward pass gives what PyTorch's gives for the
same weights (the network scripts/train_refnet.py trains), on real pack strings and on synthetic ones; the parser
uses it; without its file the CRF tags."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from conftest import SHARED
from mscbib.sources import crf, refmodel, refnet, refstring
from mscbib.sources.refmodel_data import read_pack, split_pack

ROOT = Path(__file__).resolve().parents[1]
PACK = SHARED / "refstrings-train"

# synthetic: the styles the pack has (Vancouver, APA, a book chapter, IEEE, a thesis), and edge cases
SYNTHETIC = [
    "Hass R, Kasper C, Böhm S, Jacobs R. Different populations of cells. Cell Commun Signal. 2011;9:12.",
    "Romero, C., & Dweck, C. (2011). Brainology in the classroom. Journal of Minds, 33(2), 327–335.",
    "Doe J. The chapter. In: Roe R, Poe P, eds. The Big Book. 2nd ed. London: Springer; 2001:12-19.",
    '[4] A. Smith and B. Jones, "A fast parser for references," IEEE Trans. Inf. Theory, vol. 12, no. 3, '
    "pp. 100–110, Mar. 2019, doi: 10.1109/TIT.2019.123456.",
    "Martin WF. Endosymbiotic theories [PhD thesis]. Düsseldorf: Heinrich Heine University; 2015.",
    "Nature",
    "x",
    "(",
    "Smith J, " + "et al. " * 300 + "A title. Nature. 2001;1:2.",
]


def _script():
    pytest.importorskip("torch")
    spec = importlib.util.spec_from_file_location("train_refnet", ROOT / "scripts" / "train_refnet.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def torch_net():
    """The shipped weights in PyTorch's network (float64), its vocabulary, and the training script."""
    if not refnet.available():
        pytest.skip("no refnet.npz in the package")
    mod = _script()
    net, vocab = mod.load(Path(refnet._path() or ""))
    return net.double(), vocab, mod


def _compare(texts: list[str], torch_net) -> int:
    """numpy's and torch's emissions, labels and marginals of ``texts``, batch by batch; the tokens compared."""
    import torch

    net, vocab, mod = torch_net
    ours = refnet._net()
    assert ours is not None
    todo = sorted((t for t in map(refmodel._tokens, texts) if t.tokens), key=lambda t: -len(t.tokens))
    trans = net.trans.detach().numpy()
    assert np.abs(trans - ours.transition).max() == 0  # the same float16 weights
    compared = 0
    for s in range(0, len(todo), 64):
        part = todo[s : s + 64]
        em_np, lengths, _ = ours.emissions([t.tokens for t in part])
        ids, offsets, lens = mod.batch_inputs([mod.encode(t.tokens, vocab) for t in part])
        with torch.no_grad():
            em_t = net.emissions(ids, offsets, lens).numpy()
        mask = np.arange(len(em_np))[:, None] < lengths[None, :]
        assert np.abs(em_np - em_t)[mask].max() < 1e-4  # numpy's forward runs in float32, torch's here in float64
        best_np, best_t = crf.viterbi(em_np, lengths, trans), crf.viterbi(em_t, lengths, trans)
        assert (best_np[mask] == best_t[mask]).all()
        m_np, m_t = crf.marginals(em_np, lengths, trans), crf.marginals(em_t, lengths, trans)
        assert np.abs(m_np - m_t).max() <= 1e-4
        compared += int(lengths.sum())
    return compared


def test_numpy_forward_is_torchs_on_synthetic_strings(torch_net):
    assert _compare(SYNTHETIC, torch_net) > 100


def test_numpy_forward_is_torchs_on_pack_strings(torch_net):
    if not PACK.is_dir():
        pytest.skip(f"{PACK} is absent")
    _, test = split_pack(read_pack(PACK))
    assert _compare([ex.text for ex in test[::12]], torch_net) > 5_000


def test_the_tagger_gives_torchs_labels_and_confidences(torch_net):
    """What :func:`refnet.tag_many` returns (labels, confidences by the CRF's rule) is the torch tagger's."""
    net, vocab, mod = torch_net
    ours = refnet.tag_many(SYNTHETIC)
    theirs = mod.torch_tagger(net, vocab)(SYNTHETIC)
    for a, b in zip(ours, theirs):
        assert (a.text, a.tokens, a.labels) == (b.text, b.tokens, b.labels)
        assert np.allclose(a.confidence, b.confidence, atol=1e-4, rtol=0)


def test_weights_file_is_small_and_half_precision():
    if not refnet.available():
        pytest.skip("no refnet.npz in the package")
    path = Path(refnet._path() or "")
    assert path.stat().st_size < 8_000_000
    with np.load(path) as z:
        assert z["embedding"].dtype == np.float16 and tuple(z["labels"]) == refmodel.LABELS


def test_the_parser_tags_with_the_network(monkeypatch):
    """parse and parse_many go through the network when its file is there (and agree); without it, the CRF's
    labels come out unchanged."""
    if not refnet.available():
        pytest.skip("no refnet.npz in the package")
    calls = []
    real = refnet.tag_many
    monkeypatch.setattr(refnet, "tag_many", lambda texts: calls.append(1) or real(texts))
    many = refstring.parse_many(SYNTHETIC[:5])
    one = [refstring.parse(t) for t in SYNTHETIC[:5]]
    assert len(calls) == 6 and [repr(c) for c in many] == [repr(c) for c in one]
    assert many[1].title == "Brainology in the classroom" and many[1].volume == "33" and many[1].issue == "2"
    assert [p.family for p in many[0].authors] == ["Hass", "Kasper", "Böhm", "Jacobs"]


def test_without_the_file_the_crf_tags(monkeypatch):
    monkeypatch.setattr(refnet, "_path", lambda: None)
    got, crf_labels = refnet.tag_many(SYNTHETIC), refmodel.tag_many(SYNTHETIC)
    assert [(t.labels, t.confidence) for t in got] == [(t.labels, t.confidence) for t in crf_labels]
    assert refnet.tag(SYNTHETIC[0]).labels == refmodel.tag(SYNTHETIC[0]).labels


def test_a_weights_file_of_other_labels_is_refused(tmp_path):
    if not refnet.available():
        pytest.skip("no refnet.npz in the package")
    with np.load(refnet._path() or "") as z:
        w = {k: z[k] for k in z.files}
    w["labels"] = w["labels"][::-1]
    bad = tmp_path / "refnet.npz"
    np.savez(bad, **w)
    with pytest.raises(ValueError, match="labels"):
        refnet._Net(str(bad))


def test_a_lone_string_is_tagged_as_in_a_batch(monkeypatch):
    """:func:`refnet.tag` of one string runs the single-reference path (``_Net._forward_one``: vectors, both
    directions in one product a step); its emissions, labels and confidences are those of the same string in a
    batch (``_Net._forward``), to float32's rounding."""
    if not refnet.available():
        pytest.skip("no refnet.npz in the package")
    net = refnet._net()
    assert net is not None
    texts = SYNTHETIC + ([ex.text for ex in split_pack(read_pack(PACK))[1][::40]] if PACK.is_dir() else [])
    calls: list[int] = []
    real = net._forward_one

    def counted(x64: np.ndarray) -> np.ndarray:
        calls.append(len(x64))
        return real(x64)

    monkeypatch.setattr(net, "_forward_one", counted)
    lone = [refnet.tag(t) for t in texts]
    monkeypatch.undo()
    assert len(calls) == sum(1 for t in lone if t.tokens)
    many = refnet.tag_many(texts)
    for a, b in zip(lone, many):
        assert (a.tokens, a.labels) == (b.tokens, b.labels)
        assert np.allclose(a.confidence, b.confidence, atol=1e-5, rtol=0)
    toks = [t.tokens for t in sorted(many, key=lambda t: -len(t.tokens)) if t.tokens]
    batch, _, _ = net.emissions(toks)
    for i in range(0, len(toks), max(1, len(toks) // 20)):
        one, _, _ = net.emissions([toks[i]])
        assert np.abs(one[:, 0] - batch[: len(toks[i]), i]).max() < 1e-4
