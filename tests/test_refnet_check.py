"""The numpy forward pass of the reference-string network against torch's, without torch.

``scripts/train_refnet.py`` stores beside the weights torch's float64 emissions of a few reference strings we wrote
(``check_texts``, ``check_emissions``: its ``CHECK_TEXTS``, synthetic), computed from the weights as saved. So this
check runs wherever the package does (CI installs no torch); ``tests/test_refnet.py`` compares the two passes on
many more strings where torch is installed (the ``train`` extra)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mscbib.sources import crf, refmodel, refnet


@pytest.fixture(scope="module")
def stored():
    if not refnet.available():
        pytest.skip("no refnet.npz in the package")
    with np.load(Path(refnet._path() or "")) as z:
        if "check_emissions" not in z.files:
            pytest.fail("refnet.npz holds no check emissions: write it again with train_refnet.py --recheck FILE")
        return z["check_texts"].tobytes().decode().split("\n"), z["check_emissions"]


def test_the_stored_check_covers_real_work(stored):
    texts, em = stored
    assert len(texts) >= 5 and em.shape[1] == len(texts) and em.shape[2] == len(refmodel.LABELS)
    lengths = [len(refmodel._tokens(t).tokens) for t in texts]
    assert lengths == sorted(lengths, reverse=True) and em.shape[0] == lengths[0] and sum(lengths) > 100


def test_numpy_emissions_labels_and_marginals_are_torchs(stored):
    texts, em_t = stored
    net = refnet._net()
    assert net is not None
    em_np, lengths, _ = net.emissions([refmodel._tokens(t).tokens for t in texts])
    assert em_np.shape == em_t.shape
    mask = np.arange(len(em_np))[:, None] < lengths[None, :]
    assert np.abs(em_np - em_t)[mask].max() < 1e-4  # numpy's pass runs in float32, torch's stored one in float64
    trans = net.transition
    best_np, best_t = crf.viterbi(em_np, lengths, trans), crf.viterbi(em_t, lengths, trans)
    assert (best_np[mask] == best_t[mask]).all()
    assert np.abs(crf.marginals(em_np, lengths, trans) - crf.marginals(em_t, lengths, trans)).max() <= 1e-4


def test_a_changed_weight_is_caught(stored, monkeypatch):
    """The check can fail: one output weight moved makes the emissions differ from torch's stored ones."""
    texts, em_t = stored
    net = refnet._net()
    assert net is not None
    monkeypatch.setattr(net, "b_out", net.b_out + np.float32(0.01))
    em_np, lengths, _ = net.emissions([refmodel._tokens(t).tokens for t in texts])
    mask = np.arange(len(em_np))[:, None] < lengths[None, :]
    assert np.abs(em_np - em_t)[mask].max() > 1e-3
