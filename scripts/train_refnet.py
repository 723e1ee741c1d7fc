#!/usr/bin/env python3
"""Train the reference-string network (``src/mscbib/data/refnet.npz``): a BiLSTM-CRF over the CRF's own features.

    nice .venv/bin/python scripts/train_refnet.py --dev 0.1         # tune: early-stop on a dev part of TRAIN
    nice .venv/bin/python scripts/train_refnet.py --epochs N        # all of TRAIN, N epochs; scores the held-out split

Needs PyTorch (``pip install -e '.[train]'``); the package runs the trained network in numpy
(:mod:`mscbib.sources.refnet`). Each token's input is the sum (an embedding bag) of the embeddings of the
attributes :func:`mscbib.sources.refmodel.features` gives it (its own part, its place, what its neighbours show),
from a vocabulary of the attributes seen at least ``--min-count`` times in the training part (the rest share one
UNK row); a one-layer BiLSTM reads the whole string; a linear layer of its states and the token's input gives the
21 labels' emissions; a transition matrix (no start or end weights, as crfsuite's) makes it a linear-chain CRF,
trained by its log-likelihood with Adam on batches of references of similar length. Reproducible: fixed seed,
one thread.

The figures are the project's scorer's (:func:`mscbib.sources.refmodel_data.score`) on what
:func:`mscbib.sources.refstring.parse_many` gives when the network tags (the same path as the package's), next to
the shipped CRF's on the same strings. With ``--dev`` the CRF was trained on those dev strings (all of TRAIN): its
figures there are optimistic. Without ``--dev`` the network is trained on all of TRAIN and scored once on the
held-out split (the one ``benchmarks/refstrings.py`` uses), with the weights as shipped (float16).
The pack is read in place and never copied into the project.
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import torch  # noqa: E402
from torch import nn  # noqa: E402
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence  # noqa: E402

from mscbib.sources import crf, refmodel, refstring  # noqa: E402
from mscbib.sources.refmodel_data import Example, read_pack, score, split_pack  # noqa: E402

LABELS = refmodel.LABELS
FIELDS_SHOWN = ("authors", "first_author", "title", "journal", "year", "volume", "issue", "pages", "doi")


# -- the network ------------------------------------------------------------------------------------------------------
class Net(nn.Module):
    """Embedding bag of a token's attributes → BiLSTM → linear (states and input) → emissions; CRF transitions."""

    def __init__(self, n_vocab: int, dim: int, hidden: int, dropout: float = 0.0) -> None:
        super().__init__()
        self.emb = nn.EmbeddingBag(n_vocab + 1, dim, mode="sum")  # the last row: UNK
        nn.init.normal_(self.emb.weight, 0.0, 0.1)
        self.lstm = nn.LSTM(dim, hidden, bidirectional=True)
        self.out = nn.Linear(2 * hidden + dim, len(LABELS))
        self.trans = nn.Parameter(torch.zeros(len(LABELS), len(LABELS)))
        self.drop = nn.Dropout(dropout)

    def emissions(self, ids: torch.Tensor, offsets: torch.Tensor, lengths: Sequence[int]) -> torch.Tensor:
        """``(L, B, K)`` emissions of a batch (the longest reference first): ``ids`` the attribute ids of every
        token, reference after reference, ``offsets`` where each token's start; 0 past a reference's end."""
        x = self.drop(self.emb(ids, offsets))
        n_b, n_l = len(lengths), lengths[0]
        step, seq = _where(lengths)
        pad = x.new_zeros(n_l, n_b, x.shape[1])
        pad[step, seq] = x
        h, _ = pad_packed_sequence(self.lstm(pack_padded_sequence(pad, torch.tensor(lengths)))[0], total_length=n_l)
        return self.out(torch.cat([self.drop(h), pad], dim=2))

    def nll(self, em: torch.Tensor, lengths: Sequence[int], gold: torch.Tensor) -> torch.Tensor:
        """The CRF's negative log-likelihood of the gold labels (``(L, B)``), summed over the batch."""
        n_l, n_b, _ = em.shape
        mask = (torch.arange(n_l)[:, None] < torch.tensor(lengths)[None, :]).to(em.dtype)  # (L, B)
        picked = em.gather(2, gold[:, :, None])[:, :, 0]
        gold_score = (picked * mask).sum(0) + (self.trans[gold[:-1], gold[1:]] * mask[1:]).sum(0)
        alpha = em[0]
        for t in range(1, n_l):
            nxt = torch.logsumexp(alpha[:, :, None] + self.trans[None], dim=1) + em[t]
            m = mask[t][:, None]
            alpha = nxt * m + alpha * (1 - m)
        return (torch.logsumexp(alpha, dim=1) - gold_score).sum()


def _where(lengths: Sequence[int]) -> tuple[torch.Tensor, torch.Tensor]:
    """Each token's (step, reference) in a padded ``(L, B)`` batch, token after token of one reference after the
    other (the order :meth:`mscbib.sources.refmodel._Scorer.state` uses)."""
    n = torch.tensor(lengths)
    seq = torch.repeat_interleave(torch.arange(len(lengths)), n)
    step = torch.arange(len(seq)) - torch.repeat_interleave(torch.cumsum(n, 0) - n, n)
    return step, seq


# -- inputs -------------------------------------------------------------------------------------------------------
def vocabulary(examples: list[Example], min_count: int) -> dict[bytes, int]:
    counts: Counter[bytes] = Counter()
    for ex in examples:
        for f in refmodel.features(ex.tokens):
            counts.update(f)
    kept = sorted(a for a, k in counts.items() if k >= min_count)
    return {a: i for i, a in enumerate(kept)}


def encode(tokens: list[str], vocab: dict[bytes, int]) -> tuple[np.ndarray, np.ndarray]:
    """A reference's attribute ids (UNK: ``len(vocab)``) and each token's number of attributes."""
    feats = refmodel.features(tokens)
    unk = len(vocab)
    ids = np.fromiter((vocab.get(a, unk) for f in feats for a in f), np.int64)
    return ids, np.fromiter(map(len, feats), np.int64, len(feats))


def batch_inputs(encoded: list[tuple[np.ndarray, np.ndarray]]) -> tuple[torch.Tensor, torch.Tensor, list[int]]:
    ids = torch.from_numpy(np.concatenate([e[0] for e in encoded]))
    sizes = np.concatenate([e[1] for e in encoded])
    offsets = torch.from_numpy(np.concatenate([[0], np.cumsum(sizes)[:-1]]))
    return ids, offsets, [len(e[1]) for e in encoded]


def torch_tagger(net: Net, vocab: dict[bytes, int], batch: int = 256) -> Callable[[list[str]], list]:
    """A ``refmodel.tag_many`` that tags with ``net`` (the torch forward, then the package's numpy Viterbi and
    marginals and its confidence rule): used to score the network while it trains, and by the tests."""

    def tag_many(texts: list[str]) -> list[refmodel.Tagged]:
        out = [refmodel._tokens(t) for t in texts]
        todo = sorted((t for t in out if t.tokens), key=lambda t: -len(t.tokens))
        net.eval()
        with torch.no_grad():
            for s in range(0, len(todo), batch):
                part = todo[s : s + batch]
                ids, offsets, lengths = batch_inputs([encode(t.tokens, vocab) for t in part])
                em = net.emissions(ids, offsets, lengths).double().numpy()
                tag_emissions(part, em, net.trans.detach().double().numpy())
        return out

    return tag_many


def tag_emissions(part: list[refmodel.Tagged], em: np.ndarray, trans: np.ndarray) -> None:
    """Labels and confidences of ``part`` (the longest first) from their ``(L, B, K)`` emissions."""
    lengths = np.array([len(t.tokens) for t in part], dtype=np.intp)
    best = crf.viterbi(em, lengths, trans)
    marg = crf.marginals(em, lengths, trans)
    for b, t in enumerate(part):
        k = len(t.tokens)
        ys = best[:k, b]
        t.labels = [LABELS[y] for y in ys]
        m = marg[np.arange(k), b, ys].tolist()
        t.confidence = refmodel._confidence(t.tokens, t.labels, m.__getitem__)


def parse_with(tag_many: Callable[[list[str]], list] | None, texts: list[str]) -> list:
    """``refstring.parse_many(texts)`` with ``tag_many`` as the tagger (the shipped CRF's when None)."""
    from mscbib.sources import refnet

    saved = refnet.tag_many
    if tag_many is not None:
        refnet.tag_many = tag_many  # type: ignore[assignment]
    else:
        refnet.tag_many = refmodel.tag_many  # type: ignore[assignment]
    try:
        return refstring.parse_many(texts)
    finally:
        refnet.tag_many = saved  # type: ignore[assignment]


def figures(examples: list[Example], parsed: list) -> dict[str, float]:
    s = score(examples, parsed)
    out = {f: s.rate(f) for f in FIELDS_SHOWN}
    out["invented"] = s.invented / max(1, sum(s.produced.values()))
    return out


def print_table(rows: dict[str, dict[str, float]]) -> None:
    names = list(rows)
    print(f"  {'field':13} " + " ".join(f"{n:>12}" for n in names))
    for f in (*FIELDS_SHOWN, "invented"):
        fmt = "{:12.2%}" if f == "invented" else "{:12.1%}"
        print(f"  {f:13} " + " ".join(fmt.format(rows[n][f]) for n in names))


# -- weights file ---------------------------------------------------------------------------------------------------
#: reference strings we wrote (synthetic) whose emissions by torch's forward pass are stored beside the weights
#: (``check_texts``, ``check_emissions``), so that the tests check the numpy forward pass against torch's where torch
#: is not installed (tests/test_refnet.py)
CHECK_TEXTS = (
    "Hass A, Kasper B, Böhm C, Jacobs D. Reading the pile of papers again. J Synth Biol. 2019;12(3):45-67. "
    "doi:10.1234/jsb.2019.045",
    "Romero, C., & Dweck, C. (2011). Brainology in the classroom. Journal of Minds, 33(2), 327–335.",
    '[12] K. Tanaka and L. Moreau, "A made-up method for testing parsers," in Proc. Imaginary Conf. on Tests, '
    "Lyon, France, 2018, pp. 101–108.",
    "Okafor, N. 2007. Stories we wrote ourselves. 2nd ed. Springfield: Example Press.",
    "Müller, J.; Svensson, K. Ein erfundener Titel über Bibliotheken. Z. Erfund. Forsch. 1998, 7, 11–19.",
    "Smith J. A thesis nobody wrote [dissertation]. Nowhere (XX): University of Examples; 2001.",
)


def check_arrays(net: Net, vocab: dict[bytes, int]) -> dict[str, np.ndarray]:
    """:data:`CHECK_TEXTS` (``\\n``-joined UTF-8) and their ``(L, B, K)`` emissions by ``net`` in float64 (the
    texts are in the order of their token counts, the longest first, as one batch)."""
    toks = [refmodel._tokens(t).tokens for t in CHECK_TEXTS]
    order = sorted(range(len(toks)), key=lambda i: -len(toks[i]))
    texts = [CHECK_TEXTS[i] for i in order]
    ids, offsets, lengths = batch_inputs([encode(toks[i], vocab) for i in order])
    was = net.training
    net64 = copy.deepcopy(net).double().eval()
    with torch.no_grad():
        em = net64.emissions(ids, offsets, lengths).numpy()
    net.train(was)
    return {"check_texts": np.frombuffer("\n".join(texts).encode(), np.uint8), "check_emissions": em}


def save(net: Net, vocab: dict[bytes, int], path: Path, dtype: str = "float16") -> None:
    """The weights as :mod:`mscbib.sources.refnet` reads them (``np.savez_compressed``), with the torch forward
    pass's emissions of :data:`CHECK_TEXTS` (of the weights as saved, in ``dtype``)."""
    sd = {k: v.detach().numpy() for k, v in net.state_dict().items()}
    attrs = sorted(vocab, key=vocab.__getitem__)
    arrays = {
        "labels": np.array(LABELS),
        "attributes": np.frombuffer(b"\n".join(attrs), np.uint8),
        "embedding": sd["emb.weight"],
        "w_ih": np.concatenate([sd["lstm.weight_ih_l0"], sd["lstm.weight_ih_l0_reverse"]]),
        "w_hh_forward": sd["lstm.weight_hh_l0"],
        "w_hh_backward": sd["lstm.weight_hh_l0_reverse"],
        "b_ih": np.concatenate(
            [
                sd["lstm.bias_ih_l0"] + sd["lstm.bias_hh_l0"],
                sd["lstm.bias_ih_l0_reverse"] + sd["lstm.bias_hh_l0_reverse"],
            ]
        ),
        "w_out": sd["out.weight"],
        "b_out": sd["out.bias"],
        "transition": sd["trans"],
    }
    arrays = {k: (v.astype(dtype) if v.dtype == np.float32 else v) for k, v in arrays.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        np.savez_compressed(fh, **arrays)
    # the check: torch's emissions of the weights as saved (rounded to ``dtype``), so the numpy pass can match them
    saved, _ = load(path)
    arrays.update(check_arrays(saved, vocab))
    with open(path, "wb") as fh:
        np.savez_compressed(fh, **arrays)


def load(path: Path) -> tuple[Net, dict[bytes, int]]:
    """The torch network of a weights file (float32, as written), and its vocabulary."""
    z = np.load(path)
    attrs = z["attributes"].tobytes().split(b"\n")
    vocab = {a: i for i, a in enumerate(attrs)}
    emb = z["embedding"].astype(np.float32)
    hidden = z["w_hh_forward"].shape[1]
    net = Net(len(vocab), emb.shape[1], hidden)
    f32 = {k: torch.from_numpy(z[k].astype(np.float32)) for k in z.files if k not in ("labels", "attributes")}
    f32 = {k: v for k, v in f32.items() if not k.startswith("check_")}
    h4 = 4 * hidden
    with torch.no_grad():
        net.emb.weight.copy_(f32["embedding"])
        net.lstm.weight_ih_l0.copy_(f32["w_ih"][:h4])
        net.lstm.weight_ih_l0_reverse.copy_(f32["w_ih"][h4:])
        net.lstm.weight_hh_l0.copy_(f32["w_hh_forward"])
        net.lstm.weight_hh_l0_reverse.copy_(f32["w_hh_backward"])
        net.lstm.bias_ih_l0.copy_(f32["b_ih"][:h4])
        net.lstm.bias_ih_l0_reverse.copy_(f32["b_ih"][h4:])
        net.lstm.bias_hh_l0.zero_()
        net.lstm.bias_hh_l0_reverse.zero_()
        net.out.weight.copy_(f32["w_out"])
        net.out.bias.copy_(f32["b_out"])
        net.trans.copy_(f32["transition"])
    net.eval()
    return net, vocab


# -- training -------------------------------------------------------------------------------------------------------
def train(
    net: Net,
    data: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
    epochs: int,
    batch: int,
    lr: float,
    seed: int,
    decay: float = 1.0,
    after_epoch: Callable[[int], bool] | None = None,
) -> None:
    """Adam on batches of ``batch`` references of similar length, in a shuffled order each epoch;
    the learning rate times ``decay`` after each epoch; ``after_epoch(e)`` returning False stops."""
    rng = random.Random(seed)
    order = sorted(range(len(data)), key=lambda i: (-len(data[i][2]), i))
    batches = [order[i : i + batch] for i in range(0, len(order), batch)]
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    for epoch in range(1, epochs + 1):
        for group in opt.param_groups:
            group["lr"] = lr * decay ** (epoch - 1)
        net.train()
        rng.shuffle(batches)
        t0, total, n_tok = time.perf_counter(), 0.0, 0
        for b in batches:
            enc = [(data[i][0], data[i][1]) for i in b]
            ids, offsets, lengths = batch_inputs(enc)
            gold = torch.zeros(lengths[0], len(b), dtype=torch.long)
            for j, i in enumerate(b):
                gold[: len(data[i][2]), j] = torch.from_numpy(data[i][2])
            loss = net.nll(net.emissions(ids, offsets, lengths), lengths, gold)
            opt.zero_grad()
            (loss / len(b)).backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            total += loss.item()
            n_tok += sum(lengths)
        print(f"epoch {epoch}: loss {total / n_tok:.4f} per token, {time.perf_counter() - t0:.0f} s", flush=True)
        if after_epoch is not None and not after_epoch(epoch):
            break


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pack", type=Path, default=ROOT.parent / "shared" / "refstrings-train")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "mscbib" / "data" / "refnet.npz")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--held-out", type=float, default=0.2)
    ap.add_argument("--dev", type=float, default=0, help="tune: early-stop on this share of TRAIN (by document)")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--patience", type=int, default=3, help="with --dev: stop after this many epochs without gain")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--dim", type=int, default=64, help="embedding size")
    ap.add_argument("--hidden", type=int, default=64, help="LSTM size per direction")
    ap.add_argument("--decay", type=float, default=1.0, help="the learning rate times this after each epoch")
    ap.add_argument("--dropout", type=float, default=0.25)
    ap.add_argument("--min-count", type=int, default=5, help="attributes seen fewer times in TRAIN become UNK")
    ap.add_argument("--limit", type=int, default=0, help="train on the first N references only (a smoke test)")
    ap.add_argument(
        "--recheck", type=Path, help="write FILE again with torch's emissions of CHECK_TEXTS beside its weights"
    )
    ap.add_argument(
        "--checkpoints",
        action="store_true",
        help="without --dev: also write the weights after each epoch (OUT.eN.npz), to score the epoch --dev chose",
    )
    ap.add_argument("--score", type=Path, help="only score this weights file on the held-out split (and the CRF)")
    args = ap.parse_args(argv)
    if args.recheck:
        net, vocab = load(args.recheck)
        save(net, vocab, args.recheck)
        print(f"{args.recheck}: the same weights, with torch's emissions of {len(CHECK_TEXTS)} check strings")
        return 0
    if not args.pack.is_dir():
        print(f"no training pack at {args.pack}", file=sys.stderr)
        return 2
    try:
        os.nice(10)
    except OSError:  # pragma: no cover
        pass
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    t0 = time.perf_counter()
    train_set, test = split_pack(read_pack(args.pack), args.held_out, args.seed)
    if args.score:
        return score_file(args.score, test)
    if args.dev:
        train_set, test = split_pack(train_set, args.dev, args.seed + 1)
    if args.limit:
        train_set = train_set[: args.limit]
    vocab = vocabulary(train_set, args.min_count)
    index = {lab: i for i, lab in enumerate(LABELS)}
    data = [(*encode(ex.tokens, vocab), np.array([index[x] for x in ex.labels], np.int64)) for ex in train_set]
    print(
        f"train {len(train_set)} references, {'dev' if args.dev else 'held out'} {len(test)}; vocabulary "
        f"{len(vocab)} attributes (min count {args.min_count}); {time.perf_counter() - t0:.0f} s",
        flush=True,
    )
    net = Net(len(vocab), args.dim, args.hidden, args.dropout)
    texts = [ex.text for ex in test]
    crf_fig = figures(test, parse_with(None, texts))
    best: dict = {"key": -1.0, "epoch": 0, "state": None, "fig": None}
    stale = 0

    def on_dev(epoch: int) -> bool:
        nonlocal stale
        fig = figures(test, parse_with(torch_tagger(net, vocab), texts))
        print("  dev " + ", ".join(f"{f} {fig[f]:.1%}" for f in FIELDS_SHOWN), flush=True)
        key = fig["title"] + fig["journal"]
        if key > best["key"]:
            best.update(key=key, epoch=epoch, fig=fig, state={k: v.clone() for k, v in net.state_dict().items()})
            stale = 0
        else:
            stale += 1
        return stale < args.patience

    def checkpoint(epoch: int) -> bool:
        save(net, vocab, args.out.with_suffix(f".e{epoch}.npz"))
        return True

    after = on_dev if args.dev else (checkpoint if args.checkpoints else None)
    train(net, data, args.epochs, args.batch, args.lr, args.seed, args.decay, after)
    print(f"trained in {time.perf_counter() - t0:.0f} s")
    if args.dev:
        print(f"best dev epoch {best['epoch']} (title + journal); the CRF was trained on these dev strings:")
        print_table({"BiLSTM-CRF": best["fig"], "CRF (optim.)": crf_fig})
        return 0
    save(net, vocab, args.out)
    return score_file(args.out, test, crf_fig)


def score_file(path: Path, test: list[Example], crf_fig: dict[str, float] | None = None) -> int:
    """Score the weights file at ``path`` (as shipped: float16) and the shipped CRF on the held-out split."""
    print(f"weights: {path} ({path.stat().st_size / 1e6:.2f} MB)")
    texts = [ex.text for ex in test]
    if crf_fig is None:
        crf_fig = figures(test, parse_with(None, texts))
    net, vocab = load(path)
    fig = figures(test, parse_with(torch_tagger(net, vocab), texts))
    print(f"held-out split ({len(test)} references), the weights as shipped (float16):")
    print_table({"BiLSTM-CRF": fig, "CRF": crf_fig})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
