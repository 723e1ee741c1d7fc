"""The reference-string network: a BiLSTM-CRF over the CRF's own features, run in numpy.

The CRF (:mod:`mscbib.sources.refmodel`) sees a token and its neighbours two away; most of its misses are titles
running into the next field or ending early, structure a ±2 window does not see. This network reads the whole
string: each token's input is the sum of the embeddings of the attributes :func:`refmodel.features` gives it (an
embedding bag: its own part, its place, what its neighbours show of themselves), a one-layer BiLSTM reads the
inputs both ways, a linear layer of its two states and the input gives each label's emission, and the CRF's
transition matrix joins them: labels by :func:`crf.viterbi`, confidences by :func:`crf.marginals` and
:func:`refmodel._confidence`, exactly as for the CRF.

The weights (``mscbib/data/refnet.npz``, float16) are made by ``scripts/train_refnet.py`` with PyTorch (the
``train`` extra); running them needs numpy only. Because a sum of embeddings is linear, a token's input is
gathered like the CRF's state scores (:class:`refmodel._Scorer`): the embedding sums of each token text's own
part and of each view its neighbours get of it, and of each place key, are computed once and kept
(:class:`crf.Rows`), so a batch's inputs are a few gathers and adds; the LSTM runs over the whole batch, the
longest reference first, one ``(B, H)`` matrix product per step and direction.

Without the weights file the CRF tags (:func:`tag_many` is then :func:`refmodel.tag_many`).
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Iterable, Iterator
from importlib import resources

import numpy as np

from . import crf, refmodel

__all__ = ["tag_many", "tag", "available"]

_NAME = "refnet.npz"


@functools.cache
def _path() -> str | None:
    try:
        p = resources.files("mscbib") / "data" / _NAME
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover
        return None
    return str(p) if p.is_file() else None


def available() -> bool:
    """Is the network's weights file in the package?"""
    return _path() is not None


def _one_blas_thread() -> Callable[[], contextlib.AbstractContextManager]:
    """A context that keeps numpy's BLAS to one thread: the network's products are small, and OpenBLAS's threads,
    waiting for a core on a busy machine, cost several times the work (3x the CPU time measured on 4,164
    references at load 5; 6x for a lone string). threadpoolctl is a dependency; without it (an environment not
    updated) the products run as numpy is set. The libraries' thread counts are set and restored directly
    (microseconds): ``ThreadpoolController.limit`` looks the libraries up again each time (~0.4 ms)."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover
        return contextlib.nullcontext
    libs = ThreadpoolController().select(user_api="blas").lib_controllers

    @contextlib.contextmanager
    def one() -> Iterator[None]:
        before = [lib.num_threads for lib in libs]
        for lib in libs:
            lib.set_num_threads(1)
        try:
            yield
        finally:
            for lib, n in zip(libs, before):
                lib.set_num_threads(n)

    return one


class _Net:
    """The weights of a ``refnet.npz`` arranged for the numpy forward pass (float32; the embedding sums and the emissions float64, as the CRF's tables and inference take them)."""

    def __init__(self, path: str) -> None:
        with np.load(path) as z:
            w = {k: z[k] for k in z.files}
        labels = tuple(str(x) for x in w["labels"])
        if labels != refmodel.LABELS:
            raise ValueError(f"{path}: the network's labels are not the reference model's")
        attributes = w["attributes"].tobytes().split(b"\n")
        emb = w["embedding"].astype(np.float64)  # its last row: the UNK attribute's
        if len(emb) != len(attributes) + 1:
            raise ValueError(f"{path}: the embedding table and the vocabulary do not match")
        dims = tuple(str(i) for i in range(emb.shape[1]))
        # the CRF scorer's gathering, on the embedding table: each token's input, the sum of its attributes'
        # embeddings (an attribute not in the vocabulary: the UNK row; a row of zeros after it pads the sums)
        table = np.concatenate([emb, np.zeros((1, emb.shape[1]))])
        vocabulary = dict(zip(attributes, range(len(attributes))))
        self.inputs = refmodel._Scorer(crf.Model(dims, vocabulary, table, np.zeros((0, 0)), unknown_row=len(emb) - 1))
        h = self.hidden = w["w_hh_forward"].shape[1]
        # torch's gate order i, f, g, o becomes i, f, o, g, and the sigmoid gates' rows are halved: one tanh of
        # the whole (B, 4H) step gives tanh(x/2) for i, f, o (sigmoid(x) = (1 + tanh(x/2)) / 2) and tanh(x) for g
        order = np.r_[0 : 2 * h, 3 * h : 4 * h, 2 * h : 3 * h]
        scale = np.r_[np.full(3 * h, 0.5), np.ones(h)]

        def gates(m: np.ndarray) -> np.ndarray:
            return (m.astype(np.float32)[order] * (scale[:, None] if m.ndim == 2 else scale)).astype(np.float32)

        w_ih, b_ih = w["w_ih"], w["b_ih"]
        self.w_in_f = np.ascontiguousarray(gates(w_ih[: 4 * h]).T)  # (D, 4H), the forward direction's
        self.w_in_b = np.ascontiguousarray(gates(w_ih[4 * h :]).T)
        self.b_in_f, self.b_in_b = gates(b_ih[: 4 * h]), gates(b_ih[4 * h :])
        self.w_hh = (
            np.ascontiguousarray(gates(w["w_hh_forward"]).T),
            np.ascontiguousarray(gates(w["w_hh_backward"]).T),
        )
        self.w_out = np.ascontiguousarray(w["w_out"].astype(np.float32).T)  # (2H + D, K): states, then input
        self.b_out = w["b_out"].astype(np.float32)
        self.transition = w["transition"].astype(np.float64)
        self.one_thread = _one_blas_thread()

    def emissions(self, batch: list[list[str]]) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, ...]]:
        """The ``(L, B, K)`` emissions of a batch of tokenized references (the longest first), their lengths and
        where each token is (as :meth:`refmodel._Scorer.state`)."""
        x64, lengths, where = self.inputs.state(batch)
        n_l, n_b, d = x64.shape
        at = where[0] * n_b + where[1]  # each token's row of an (L * B, …) array: rows are cheap to gather
        with self.one_thread():
            em = self._forward(x64.reshape(n_l * n_b, d).take(at, axis=0), lengths, where, at)
        out = np.zeros((n_l * n_b, em.shape[1]))
        out[at] = em
        return out.reshape(n_l, n_b, -1), lengths, where

    def _forward(
        self, x64: np.ndarray, lengths: np.ndarray, where: tuple[np.ndarray, ...], at: np.ndarray
    ) -> np.ndarray:
        """``(N, K)`` emissions of the batch's N tokens (``x64``: their inputs, token after token of one
        reference after the other, at ``where``, row ``at`` of the padded batch)."""
        x = x64.astype(np.float32)  # float32 from here: numpy's tanh and products are several times faster
        step, seq = where
        n_b, h = len(lengths), self.hidden
        h4 = 4 * h
        active = crf._active(lengths, int(lengths[0]))
        # packed by step (as torch's packed sequences): step t's rows are offset[t] … offset[t] + active[t], the
        # references still going at t being the first ones; no padding. The backward direction reads each
        # reference from its last token (at its step t, token len - 1 - t), so both directions have the same rows.
        offset = np.cumsum([0, *active])
        ahead = offset[step] + seq
        behind = offset[lengths[seq] - 1 - step] + seq
        n = len(x)
        # each direction's inputs in its order (64 numbers a token: cheap to move), projected there: the gate
        # inputs are then contiguous slices, with no (N, 8H) product scattered
        pre = []
        for rows, w_in, b_in in ((ahead, self.w_in_f, self.b_in_f), (behind, self.w_in_b, self.b_in_b)):
            xs = np.empty_like(x)
            xs[rows] = x
            p = xs @ w_in
            p += b_in
            pre.append(p)
        pre_f, pre_b = pre
        states = np.empty((n, 2 * h), np.float32)  # the two directions' states side by side, packed as the inputs
        prev = np.zeros((n_b, 2 * h), np.float32)  # the states before the first step
        cell = np.zeros((n_b, 2, h), np.float32)
        gate = np.empty((n_b, 8 * h), np.float32)
        spare = np.empty((n_b, 2, h), np.float32)
        w_f, w_b = self.w_hh
        tanh, multiply, matmul, add = np.tanh, np.multiply, np.matmul, np.add
        for o, a in zip(offset.tolist(), active):  # both directions at once: states and gates side by side
            g, p, c, tmp = gate[:a], prev[:a], cell[:a], spare[:a]
            gf, gb = g[:, :h4], g[:, h4:]
            matmul(p[:, :h], w_f, out=gf)
            matmul(p[:, h:], w_b, out=gb)
            add(gf, pre_f[o : o + a], out=gf)
            add(gb, pre_b[o : o + a], out=gb)
            tanh(g, out=g)
            g4 = g.reshape(a, 2, 4, h)  # (reference, direction, gate, unit): gates input, forget, output, cell
            s = g4[:, :, :3]
            s += 1.0
            s *= 0.5
            c *= g4[:, :, 1]
            multiply(g4[:, :, 0], g4[:, :, 3], out=tmp)
            c += tmp
            tanh(c, out=tmp)
            prev = states[o : o + a]
            multiply(g4[:, :, 2], tmp, out=prev.reshape(a, 2, h))
        w_out = self.w_out
        em = states[ahead, :h] @ w_out[:h]
        em += states[behind, h:] @ w_out[h : 2 * h]
        em += x @ w_out[2 * h :]
        em += self.b_out
        return em.astype(np.float64)


_nets: dict[str, _Net] = {}
_lock = threading.Lock()


def _net() -> _Net | None:
    path = _path()
    if path is None:
        return None
    net = _nets.get(path)
    if net is None:
        with _lock:
            net = _nets.get(path)
            if net is None:
                net = _nets[path] = _Net(path)
    return net


def tag_many(texts: Iterable[str]) -> list[refmodel.Tagged]:
    """Label the tokens of each reference string (its first :data:`refmodel.MAX_CHARS` characters), many at once,
    with the network: the same :class:`refmodel.Tagged` as :func:`refmodel.tag_many` gives (labels, and the
    confidence of each token's run by the same rule). Without the network's file, :func:`refmodel.tag_many`."""
    net = _net()
    if net is None:
        return refmodel.tag_many(texts)
    out = [refmodel._tokens(text) for text in texts]
    todo = [t for t in out if t.tokens]
    todo.sort(key=lambda t: -len(t.tokens))  # the longest first: the references still going at a step come first
    names = np.array(refmodel.LABELS, dtype=object)
    start = 0
    while start < len(todo):
        batch = todo[start : start + max(1, refmodel._BATCH_TOKENS // len(todo[start].tokens))]
        start += len(batch)
        state, lengths, where = net.emissions([t.tokens for t in batch])
        try:
            best = crf.viterbi(state, lengths, net.transition)
            marg = crf.marginals(state, lengths, net.transition)
        except FloatingPointError:  # pragma: no cover - emissions this network cannot give
            for t in batch:
                refmodel._tag_crfsuite(t)
            continue
        ys = best[where]
        labels = names[ys].tolist()
        marginal = marg[where[0], where[1], ys].tolist()
        i = 0
        for t, k in zip(batch, lengths.tolist()):
            lab = t.labels = labels[i : i + k]
            t.confidence = refmodel._confidence(t.tokens, lab, marginal[i : i + k].__getitem__)
            i += k
    return out


def tag(text: str) -> refmodel.Tagged:
    """:func:`tag_many` of one string."""
    return tag_many([text])[0]
