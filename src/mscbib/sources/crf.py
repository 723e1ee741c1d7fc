"""A linear-chain CRF's inference done here, in numpy, from a crfsuite model file: the same labels as crfsuite's
tagger and the same marginals (up to float rounding), for many sequences at once.

Why not crfsuite's own tagger: for the reference model (:mod:`mscbib.sources.refmodel`) three quarters of
crfsuite's time went to building each token's attribute strings in Python and handing them over, not to the
model's arithmetic. A token's state score is the sum of the weights of its attributes, and the attributes come in
groups that repeat (a token text's own features, what it shows its neighbours, the features of its place in the
string): :class:`Rows` keeps each group's score vector by what it is a function of, so the state scores of a batch
of sequences are a few numpy gathers and adds, and :func:`viterbi` and :func:`marginals` run over the whole
batch at once (shape ``(B, L, K)``: B sequences padded to L tokens, K labels).

crfsuite stays what trains the model (``scripts/train_refmodel.py``) and the reference the tests compare with.

The model file (crfsuite's ``crf1d_model.c``), little-endian: a 48-byte header (``lCRF``, size, ``FOMC``,
version, number of features, labels, attributes, and the offsets of the features, the label and attribute
string databases and two reference tables); a ``FEAT`` chunk of 20-byte features (int32 type, int32 source,
int32 destination, float64 weight: type 0 is a state feature, attribute → label, type 1 a transition, label →
label); the two string databases in crfsuite's CQDB layout (``cqdb.c``: a 24-byte header whose last two fields
are the number of strings and the offset of the "backward" array, which gives, for each id, the offset of its
record: uint32 id, uint32 size, the string and a NUL).
"""

from __future__ import annotations

import functools
import struct
import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt

__all__ = ["Model", "ModelFileError", "Rows", "viterbi", "marginals", "read_model"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.intp]

Key = TypeVar("Key", bound=Hashable)

_HEADER = struct.Struct("<4sI4sIIIIIIIII")
_FEATURE = np.dtype([("type", "<i4"), ("src", "<i4"), ("dst", "<i4"), ("weight", "<f8")])
_CQDB = struct.Struct("<4sIIIII")


class ModelFileError(ValueError):
    """The file is not a crfsuite CRF model this reader understands."""


@dataclass(frozen=True)
class Model:
    """A CRF's weights: ``labels[k]`` is label k; ``attributes`` maps an attribute (bytes, as crfsuite keeps
    them) to its row of ``state`` (``state[a, k]``: the weight of attribute a for label k; the last row is
    zeros, :attr:`pad`); ``transition[i, j]``: the weight of label i followed by j. An attribute the model does
    not know weighs :attr:`unknown`'s row: the zeros too, unless ``unknown_row`` names another (the network's
    embeddings, :mod:`mscbib.sources.refnet`, have a learnt row for every attribute they do not know)."""

    labels: tuple[str, ...]
    attributes: dict[bytes, int]
    state: Floats
    transition: Floats
    unknown_row: int = -1

    @functools.cached_property
    def by_label(self) -> Floats:
        """``state`` transposed (``by_label[k, a]``), each label's weights contiguous."""
        return np.ascontiguousarray(self.state.T)

    @property
    def unknown(self) -> int:
        """The row of ``state`` for an attribute the model does not know (the zeros of :attr:`pad` for a CRF)."""
        return self.unknown_row if self.unknown_row >= 0 else len(self.state) - 1

    @property
    def pad(self) -> int:
        """The last row of ``state``, all zeros: what a group padded to the length of another adds."""
        return len(self.state) - 1

    def by_prefix(self, prefixes: Sequence[bytes]) -> tuple[dict[bytes, int], Ints]:
        """The attributes as a prefix and a stem (``b"-1w=smith"``: ``b"-1"`` and ``b"w=smith"``), for
        ``prefixes`` (``b""`` first, for an attribute marked by none of the others, which are all as long): each
        stem's row (``rows[stem]``) and ``ids[row, p]``, the row of :attr:`state` of the attribute
        ``prefixes[p] + stem`` (:attr:`unknown` where the model has none; the last row, for a stem the model does
        not know, all unknown). So the features of a token and those of the views its neighbours get of it (the
        same features, marked) are found with one look-up of each. An attribute that begins with one of the
        marks is taken as marked by it."""
        if not prefixes or prefixes[0] != b"" or len({len(p) for p in prefixes[1:]}) > 1:
            raise ValueError("the prefixes are b'' and marks of one length")
        k = len(prefixes[1]) if len(prefixes) > 1 else 0
        marks = {p: j for j, p in enumerate(prefixes) if p}
        attrs = list(self.attributes)
        marked = list(map(marks.get, [a[:k] for a in attrs], repeat(0))) if k else [0] * len(attrs)
        stems = [a[k:] if j else a for a, j in zip(attrs, marked)]
        unique = dict.fromkeys(stems)
        rows = dict(zip(unique, range(len(unique))))
        ids = np.full((len(rows) + 1, len(prefixes)), self.unknown, dtype=np.intp)
        n = len(attrs)
        ids[np.fromiter(map(rows.__getitem__, stems), np.intp, n), np.array(marked, dtype=np.intp)] = np.fromiter(
            self.attributes.values(), np.intp, n
        )
        return rows, ids

    def sums(self, ids: Ints, sizes: Ints, first: Ints | None = None, out: Floats | None = None) -> Floats:
        """``(len(sizes), K)`` (into ``out`` if given): each group's state scores, the sum of its attributes'
        weights (``ids``: the rows of the attributes of every group, one group after the other, ``sizes[g]`` of
        group g, after ``first[g]`` if given; the row :attr:`pad` weighs nothing; one given twice counts
        twice, as in crfsuite). Added in the attributes' order, one attribute of every group at a time, so a
        group's sum is the same to the last bit whatever the other groups of the call."""
        n, k_n = len(sizes), len(self.labels)
        # the groups as the rows of an (n, widest) table of attribute rows, padded with the zeros (+ 0.0)
        lead = 0 if first is None else 1
        table = np.full((n, int(sizes.max(initial=0)) + lead), self.pad, dtype=np.intp)
        if first is not None:
            table[:, 0] = first
        if len(ids):
            owner = np.repeat(np.arange(n), sizes)
            table[owner, np.arange(len(ids)) - (np.cumsum(sizes) - sizes)[owner] + lead] = ids
        if out is None:
            out = np.empty((n, k_n))
        if not table.shape[1]:
            out[:] = 0.0
            return out
        state = self.state
        state.take(table[:, 0], axis=0, out=out)
        if table.shape[1] > 1:
            weights = np.empty_like(out)
            for column in table.T[1:]:
                out += state.take(column, axis=0, out=weights)
        return out


def _strings(data: bytes, offset: int, where: str) -> list[bytes]:
    """The strings of the CQDB at ``offset``, by id."""
    chunk, size, _flag, _order, count, bwd = _CQDB.unpack_from(data, offset)
    if chunk != b"CQDB" or offset + size > len(data) or offset + bwd + 4 * count > len(data):
        raise ModelFileError(f"the {where} string table is not a CQDB chunk")
    # each record: uint32 id, uint32 size (with its NUL), the string, a NUL; read all at once
    at = np.frombuffer(data, "<u4", count, offset + bwd).astype(np.intp) + offset
    if count and (at.min() < offset or at.max() + 8 > len(data)):
        raise ModelFileError(f"the {where} string table points outside the file")
    raw = np.frombuffer(data, np.uint8)

    def u32(pos: Ints) -> Ints:
        b = raw[pos[:, None] + np.arange(4)].astype(np.intp)
        return b[:, 0] | b[:, 1] << 8 | b[:, 2] << 16 | b[:, 3] << 24

    sid, n = u32(at), u32(at + 4)
    bad = np.flatnonzero((sid != np.arange(count)) | (n < 1) | (at + 8 + n > len(data)))
    if len(bad):
        raise ModelFileError(f"the {where} string table's record {int(bad[0])} is damaged")
    return [data[a : a + m] for a, m in zip((at + 8).tolist(), (n - 1).tolist())]  # without its NUL


def read_model(path: str | Path) -> Model:
    """The weights of the crfsuite model file at ``path`` (raises :class:`ModelFileError` if it is not one)."""
    data = Path(path).read_bytes()
    if len(data) < _HEADER.size:
        raise ModelFileError(f"{path}: too short for a crfsuite model")
    magic, size, kind, _version, _nf, n_labels, n_attrs, off_feat, off_labels, off_attrs, _lr, _ar = (
        _HEADER.unpack_from(data, 0)
    )
    if magic != b"lCRF" or kind != b"FOMC" or size > len(data):
        raise ModelFileError(f"{path}: not a crfsuite CRF model (header {magic!r} {kind!r})")
    chunk, _size, count = struct.unpack_from("<4sII", data, off_feat)
    if chunk != b"FEAT":
        raise ModelFileError(f"{path}: no FEAT chunk at {off_feat}")
    feats = np.frombuffer(data, _FEATURE, count, off_feat + 12)
    labels = tuple(s.decode("utf-8") for s in _strings(data, off_labels, "label"))
    attrs = _strings(data, off_attrs, "attribute")
    if len(labels) != n_labels or len(attrs) != n_attrs:
        raise ModelFileError(f"{path}: the header's counts do not match its string tables")
    state = np.zeros((n_attrs + 1, n_labels))
    trans = np.zeros((n_labels, n_labels))
    st, tr = feats[feats["type"] == 0], feats[feats["type"] == 1]
    if len(st) + len(tr) != count:
        raise ModelFileError(f"{path}: a feature of an unknown type")
    state[st["src"], st["dst"]] = st["weight"]
    trans[tr["src"], tr["dst"]] = tr["weight"]
    return Model(labels, dict(zip(attrs, range(len(attrs)))), state, trans)


class Rows(Generic[Key]):
    """Score vectors kept by what they are a function of: :meth:`ids` gives each key's row of the G tables
    (:meth:`table`: ``(rows, K)`` each, K labels) and of :meth:`tags` (``(rows, T)`` integers), those of the keys
    seen for the first time computed all at once by ``rows(keys, into)``: it writes each key's score vector of
    group j into ``into[j]`` (``(len(keys), K)``, as :meth:`Model.sums` gives them) and gives its T integers (what
    the caller keeps of a key beside its scores). Up to ``limit`` keys are kept; past that the tables start again
    (a long run meets ever new token texts). Hold :attr:`lock` from :meth:`ids` to the last read of the tables
    (another thread's keys may start them again)."""

    def __init__(
        self,
        rows: Callable[[list[Key], list[Floats]], Ints],
        width: int,
        labels: int,
        tags: int = 0,
        limit: int = 60_000,
    ) -> None:
        self.rows = rows
        self.width = width
        self.limit = limit
        self.lock = threading.RLock()
        self._index: dict[Key, int] = {}
        # room for ``limit`` keys from the start: zeros are not memory until written, and growing copies them
        self._tables: list[Floats] = [np.zeros((limit, labels)) for _ in range(width)]
        self._tags: Ints = np.zeros((limit, tags), dtype=np.intp)

    def __len__(self) -> int:
        return len(self._index)

    def table(self, group: int) -> Floats:
        """``(rows, K)``: the scores of the attribute group ``group`` of every key, by row."""
        return self._tables[group]

    def tags(self) -> Ints:
        """``(rows, T)``: the integers ``rows`` gave of every key, by row."""
        return self._tags

    def ids(self, keys: Sequence[Key]) -> Ints:
        """Each key's row (the rows of new keys computed now)."""
        with self.lock:
            index = self._index
            found = list(map(index.get, keys))
            if None not in found:
                return np.array(found, dtype=np.intp)
            new = list(dict.fromkeys([k for k, x in zip(keys, found) if x is None]))
            if len(index) + len(new) > self.limit:
                index.clear()
                new = list(dict.fromkeys(keys))
            n, m = len(index), len(new)
            if n + m > len(self._tags):
                size = max(2 * len(self._tags), n + m)
                self._tables = [np.concatenate([t[:n], np.zeros((size - n, t.shape[1]))]) for t in self._tables]
                self._tags = np.concatenate([self._tags[:n], np.zeros((size - n, self._tags.shape[1]), np.intp)])
            tags = self.rows(new, [t[n : n + m] for t in self._tables])
            if tags.shape != (m, self._tags.shape[1]):
                raise ValueError(f"every key needs {self._tags.shape[1]} tags")
            self._tags[n : n + m] = tags
            index.update(zip(new, range(n, n + m)))
            return np.fromiter(map(index.__getitem__, keys), np.intp, len(keys))


def _active(lengths: Ints, steps: int) -> list[int]:
    """How many sequences are still going at each step (``lengths`` from the longest down)."""
    if len(lengths) > 1 and (np.diff(lengths) > 0).any():
        raise ValueError("the sequences of a batch go from the longest to the shortest")
    return np.searchsorted(-lengths, -np.arange(steps), side="left").tolist()


def viterbi(state: Floats, lengths: Ints, transition: Floats) -> Ints:
    """``(L, B)``: the best label path of each sequence. ``state``: ``(L, B, K)`` state scores, time first, of B
    sequences from the longest to the shortest (sequence b is ``lengths[b]`` long: what is past its end is not
    read, and labelled 0), so the sequences still going at a step are the first ones. The same arithmetic as
    crfsuite's (``crf1dc_viterbi``: the best score into label j at t is ``max_i(best[t-1, i] + trans[i, j]) +
    state[t, j]``), and its choice among equal scores (the lowest label)."""
    l_n, b_n, k_n = state.shape
    if b_n == 1:  # a lone sequence (a tagger's single string): the same sums on vectors, no batch slicing
        return _viterbi_one(state[: int(lengths[0]), 0], transition, l_n)
    active = _active(lengths, l_n)
    score = np.empty_like(state)
    score[0] = state[0]
    steps = transition[:, None, :]  # [i, 1, j]
    tmp = np.empty((k_n, b_n, k_n))  # [i, b, j]: the max over i is over the outer, contiguous slabs
    add, scores, states = np.add, list(score), list(state)
    for t in range(1, l_n):
        a = active[t]
        w = tmp[:, :a]
        add(scores[t - 1][:a].T[:, :, None], steps, out=w)
        add(w.max(axis=0), states[t][:a], out=scores[t][:a])
    labels = np.zeros((l_n, b_n), dtype=np.intp)
    final = score[lengths - 1, np.arange(b_n)].argmax(axis=1)  # the first of equal maxima, as crfsuite
    into = np.ascontiguousarray(transition.T)  # into[j, i] = trans[i, j]
    # back from each sequence's end: the label before j is the first i that gave j its maximum (the same sums)
    going = 0  # the sequences that go on after t
    for t in range(l_n - 1, -1, -1):
        a = active[t]
        if going:
            labels[t, :going] = (scores[t][:going] + into[labels[t + 1, :going]]).argmax(axis=1)
        if a > going:  # these end at t
            labels[t, going:a] = final[going:a]
        going = a
    return labels


def _viterbi_one(state: Floats, transition: Floats, steps: int) -> Ints:
    """:func:`viterbi` of one sequence (``state``: its ``(n, K)`` scores), as ``(steps, 1)``."""
    n, k_n = state.shape
    score = np.empty_like(state)
    score[0] = state[0]
    w = np.empty((k_n, k_n))  # [i, j]
    add = np.add
    for t in range(1, n):
        add(score[t - 1][:, None], transition, out=w)
        add(w.max(axis=0), state[t], out=score[t])
    labels = np.zeros((steps, 1), dtype=np.intp)
    into = np.ascontiguousarray(transition.T)
    y = int(score[n - 1].argmax())
    labels[n - 1, 0] = y
    for t in range(n - 2, -1, -1):
        y = labels[t, 0] = int((score[t] + into[y]).argmax())
    return labels


def marginals(state: Floats, lengths: Ints, transition: Floats, at: tuple[Ints, Ints, Ints] | None = None) -> Floats:
    """``(L, B, K)``: the marginal probability of each label at each token (``state`` and ``lengths`` as for
    :func:`viterbi`): forward-backward with crfsuite's scaling (``crf1dc_alpha_score``, ``crf1dc_beta_score``,
    ``crf1dc_marginal_point``); past a sequence's end, 0. With ``at`` (steps, sequences, labels): only those
    marginals, the same numbers (a tagger asks for its path's labels only)."""
    l_n, b_n, k_n = state.shape
    active = _active(lengths, l_n)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        x = np.exp(state)
        e = np.exp(transition)
        et = np.ascontiguousarray(e.T)
        alpha = np.zeros_like(state)
        beta = np.zeros_like(state)
        scale = np.ones((l_n, b_n))
        alphas, betas, xs, scales = list(alpha), list(beta), list(x), list(scale)
        matmul, divide = np.matmul, np.divide
        alphas[0][:] = xs[0]
        for t in range(l_n):
            a = active[t]
            cur = alphas[t][:a]
            if t:
                matmul(alphas[t - 1][:a], e, out=cur)
                cur *= xs[t][:a]
            f = divide(1.0, cur.sum(axis=1), out=scales[t][:a])
            cur *= f[:, None]
        if not np.isfinite(scale).all():
            raise FloatingPointError("a sequence's forward scores all underflow")  # crfsuite's scale would be 1
        going = 0
        for t in range(l_n - 1, -1, -1):
            a = active[t]
            if going:
                cur = betas[t][:going]
                matmul(betas[t + 1][:going] * xs[t + 1][:going], et, out=cur)
                cur *= scales[t][:going, None]
            if a > going:  # these end at t: their backward pass starts here
                betas[t][going:a] = scales[t][going:a, None]
            going = a
        if at is not None:
            steps, seqs, labels = at
            return alpha[steps, seqs, labels] * beta[steps, seqs, labels] / scale[steps, seqs]
        return alpha * beta / scale[:, :, None]
