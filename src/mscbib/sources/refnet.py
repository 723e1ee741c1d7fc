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

import numpy as np

from . import crf, refmodel

__all__ = ["tag_many", "tag", "available"]

_NAME = "refnet.npz"


@functools.cache
def _path() -> str | None:
    return refmodel._data_file(_NAME)


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
        self.b_in = np.concatenate([gates(b_ih[: 4 * h]), gates(b_ih[4 * h :])])
        self.w_hh = (
            np.ascontiguousarray(gates(w["w_hh_forward"]).T),
            np.ascontiguousarray(gates(w["w_hh_backward"]).T),
        )
        # a lone reference's steps (:meth:`_forward_one`): a step's cost is its numpy calls, so one product of
        # both directions' states with both directions' weights (zeros between them), its columns by gate, then
        # direction (i, f, o, g; forward, backward): the three sigmoid gates of both are one contiguous slice
        by_gate = np.arange(8 * h).reshape(2, 4, h).transpose(1, 0, 2).ravel()
        both = np.zeros((2 * h, 8 * h), np.float32)
        both[:h, : 4 * h], both[h:, 4 * h :] = self.w_hh
        self.w_hh_one = np.ascontiguousarray(both[:, by_gate])
        self.by_gate = by_gate
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
        x = x64.reshape(n_l * n_b, d).take(at, axis=0)
        with self.one_thread():
            em = self._forward(x, lengths, where, at) if n_b > 1 else self._forward_one(x)
        out = np.zeros((n_l * n_b, em.shape[1]))
        out[at] = em
        return out.reshape(n_l, n_b, -1), lengths, where

    def _forward_one(self, x64: np.ndarray) -> np.ndarray:
        """:meth:`_forward` of a lone reference (``x64``: its tokens' inputs, in order): the same arithmetic on
        vectors, both directions in one product a step (see ``w_hh_one``), no batch bookkeeping."""
        x = x64.astype(np.float32)
        n, h = len(x), self.hidden
        h2, h4, h6 = 2 * h, 4 * h, 6 * h
        pre = np.empty((n, 8 * h), np.float32)  # step t: the forward direction at token t, the backward at n-1-t
        pre[:, :h4] = x @ self.w_in_f
        pre[:, h4:] = x[::-1] @ self.w_in_b
        pre += self.b_in
        pre = pre[:, self.by_gate]
        states = np.empty((n, h2), np.float32)
        hid, cell, tmp = np.zeros(h2, np.float32), np.zeros(h2, np.float32), np.empty(h2, np.float32)
        g = np.empty(8 * h, np.float32)
        sig, g_i, g_f, g_o, g_c = g[:h6], g[:h2], g[h2:h4], g[h4:h6], g[h6:]
        w = self.w_hh_one
        tanh, multiply, matmul, add = np.tanh, np.multiply, np.matmul, np.add
        for t in range(n):
            matmul(hid, w, out=g)
            add(g, pre[t], out=g)
            tanh(g, out=g)
            sig += 1.0
            sig *= 0.5
            cell *= g_f
            multiply(g_i, g_c, out=tmp)
            cell += tmp
            tanh(cell, out=tmp)
            multiply(g_o, tmp, out=hid)
            states[t] = hid
        w_out = self.w_out
        em = states[:, :h] @ w_out[:h]
        em += states[::-1, h:] @ w_out[h:h2]
        em += x @ w_out[h2:]
        em += self.b_out
        return em.astype(np.float64)

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
        pre = np.empty((n, 8 * h), np.float32)  # the gate inputs of both directions side by side
        for half, rows, w_in in ((slice(0, h4), ahead, self.w_in_f), (slice(h4, 8 * h), behind, self.w_in_b)):
            xs = np.empty_like(x)
            xs[rows] = x
            pre[:, half] = xs @ w_in
        pre += self.b_in
        states = np.empty((n, 2 * h), np.float32)  # the two directions' states side by side, packed as the inputs
        hid = np.zeros((n_b, 2 * h), np.float32)  # the states of the step before
        cell = np.zeros((n_b, 2, h), np.float32)
        gate = np.empty((n_b, 8 * h), np.float32)
        spare = np.empty((n_b, 2, h), np.float32)
        w_f, w_b = self.w_hh
        tanh, multiply, matmul, add = np.tanh, np.multiply, np.matmul, np.add
        last = 0
        for o, a in zip(offset.tolist(), active):  # both directions at once: states and gates side by side
            if a != last:  # the views of the buffers' first a rows, made again only when a reference ends
                last = a
                g, c, tmp, h_a = gate[:a], cell[:a], spare[:a], hid[:a]
                gf, gb, hf, hb, h3 = g[:, :h4], g[:, h4:], h_a[:, :h], h_a[:, h:], h_a.reshape(a, 2, h)
                g4 = g.reshape(a, 2, 4, h)  # (reference, direction, gate, unit): gates input, forget, output, cell
                sig, g_i, g_f, g_o, g_c = g4[:, :, :3], g4[:, :, 0], g4[:, :, 1], g4[:, :, 2], g4[:, :, 3]
            matmul(hf, w_f, out=gf)
            matmul(hb, w_b, out=gb)
            add(g, pre[o : o + a], out=g)
            tanh(g, out=g)
            sig += 1.0
            sig *= 0.5
            c *= g_f
            multiply(g_i, g_c, out=tmp)
            c += tmp
            tanh(c, out=tmp)
            multiply(g_o, tmp, out=h3)
            states[o : o + a] = h_a
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
            ys = crf.viterbi(state, lengths, net.transition)[where]
            marginal = crf.marginals(state, lengths, net.transition, (where[0], where[1], ys)).tolist()
        except FloatingPointError:  # pragma: no cover - emissions this network cannot give
            for t in batch:
                refmodel._tag_crfsuite(t)
            continue
        labels = names[ys].tolist()
        i = 0
        for t, k in zip(batch, lengths.tolist()):
            lab = t.labels = labels[i : i + k]
            t.confidence = refmodel._confidence(t.tokens, lab, marginal[i : i + k].__getitem__)
            i += k
    return out


def tag(text: str) -> refmodel.Tagged:
    """:func:`tag_many` of one string."""
    return tag_many([text])[0]
