"""Semantic second pass, embedding variant: a softmax classifier over the shipped static embedder's
sentence vectors (voc/models/embedder.py) gives a touchpoint to a record the lexicon left without one.

Lexicon hits stay the evidence of record. This pass only acts on records with NO lexicon touchpoint,
adds at most one label (the most probable one) and only when its probability reaches the threshold;
the evidence is the whole text. It is trained on text the project writes itself and nothing else:
every touchpoint cue phrase of the lexicon (each phrase is a tiny labelled example: "快递柜" ->
delivery, "on hold" -> support) plus the example sentences in lexicons/tests whose expected
touchpoints name exactly one label. No customer data, no outside data set.

The model file is a plain numpy archive (no pickle): a 256 x L weight matrix, L biases, the label
ids, the lexicon hash it was trained from and the training settings. Training is deterministic
(full-batch gradient descent from zeros, no randomness) and takes a few seconds:

    python -m voc.stages.semantic_embed train [LEXICON_DIR]     # rebuild the model file
    python -m voc.stages.semantic_embed predict "行李到现在还没找到"

Hook (not wired into the analyzer; the owner of voc/analyzer.py decides), after the lexicon
touchpoints are set:  if self.semantic is not None: self.semantic.augment(fb)
`benchmarks/taxonomy.py --semantic embed` measures it.
"""
from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import numpy as np

from voc.records import Label, Span

DATA = Path(__file__).resolve().parent.parent / "models" / "data"
MODEL = DATA / "semantic_embed_touchpoints.npz"
DEFAULT_THRESHOLD = 0.6
MIN_CHARS = 6


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


class EmbedFill:
    def __init__(self, weights: np.ndarray, bias: np.ndarray, labels: list[str], embedder=None,
                 threshold: float = DEFAULT_THRESHOLD, min_chars: int = MIN_CHARS, lexicon_hash: str = ""):
        self.W, self.b, self.labels = weights, bias, labels
        self.threshold, self.min_chars, self.lexicon_hash = threshold, min_chars, lexicon_hash
        self._embedder = embedder

    @property
    def embedder(self):
        if self._embedder is None:
            from voc.models.embedder import load_embedder

            self._embedder = load_embedder()
        return self._embedder

    @classmethod
    def load(cls, model: str | Path = MODEL, threshold: float | None = None) -> "EmbedFill":
        with np.load(model, allow_pickle=False) as z:
            W, b = z["weights"].astype(np.float32), z["bias"].astype(np.float32)
            labels = [str(x) for x in z["labels"]]
            th = float(z["threshold"]) if threshold is None else threshold
            return cls(W, b, labels, threshold=th, lexicon_hash=str(z["lexicon_hash"]))

    def probabilities(self, texts: list[str]) -> np.ndarray:
        X = self.embedder.encode(texts)
        return _softmax(X @ self.W + self.b)

    def augment(self, fb) -> None:
        self.augment_many([fb])

    def augment_many(self, fbs) -> None:
        """Give the most probable touchpoint to each record without one, when p >= threshold."""
        todo = [fb for fb in fbs if not fb.touchpoints and len((fb.text or "").strip()) >= self.min_chars]
        if not todo:
            return
        P = self.probabilities([fb.text for fb in todo])
        for fb, p in zip(todo, P):
            k = int(np.argmax(p))
            if p[k] >= self.threshold and self.labels[k] != NONE:
                fb.touchpoints.append(Label(self.labels[k], [Span(0, len(fb.text), fb.text)],
                                            sentiment=fb.sentiment_label, score=float(p[k])))


# ----------------------------------------------------------------------------- training
NONE = "none"  # the abstain class of the training sentences; never emitted


def training_examples(lexicon_dir: Path, cues: bool = True, sentence_weight: float = 1.0
                      ) -> tuple[list[str], list[str], list[float], str]:
    """(texts, labels, weights, lexicon hash): every touchpoint cue phrase (weight 1), every
    single-touchpoint example of tests/*.toml and every sentence of semantic/touchpoints.toml
    (weight `sentence_weight`; its `none` label is the abstain class)."""
    from voc.lexicon import LexiconSet
    from voc.lexicon_tests import load_cases

    lexicon_dir = Path(lexicon_dir)
    lex = LexiconSet.load(lexicon_dir)
    raw = tomllib.loads((lexicon_dir / "touchpoints.toml").read_text(encoding="utf-8"))
    texts, ys, ws = [], [], []
    if cues:
        for label, body in raw.get("labels", {}).items():
            for key in ("zh", "en"):
                for term in body.get(key, []):
                    texts.append(term.rstrip("*"))
                    ys.append(label)
                    ws.append(1.0)
    for _, _, case in load_cases(lexicon_dir):
        labs = {x.split(":")[1] for x in case.get("expect", []) if x.startswith("touchpoints:")}
        if len(labs) == 1:
            texts.append(case["text"])
            ys.append(next(iter(labs)))
            ws.append(sentence_weight)
    authored = lexicon_dir / "semantic" / "touchpoints.toml"
    if authored.exists():
        for label, body in tomllib.loads(authored.read_text(encoding="utf-8")).get("labels", {}).items():
            for key in ("zh", "en"):
                for sent in body.get(key, []):
                    texts.append(sent)
                    ys.append(label)
                    ws.append(sentence_weight)
    return texts, ys, ws, lex.hash


def fit(X: np.ndarray, y: np.ndarray, n_labels: int, l2: float, epochs: int = 1500, lr: float = 2.0,
        weights: np.ndarray | None = None):
    """Multinomial logistic regression, weighted mean cross-entropy + l2/2 * |W|^2, full-batch
    gradient descent from zeros with a fixed step (deterministic)."""
    n, d = X.shape
    W = np.zeros((d, n_labels), dtype=np.float64)
    b = np.zeros(n_labels, dtype=np.float64)
    Y = np.eye(n_labels)[y]
    X = X.astype(np.float64)
    sw = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    sw = (sw / sw.sum())[:, None]
    for _ in range(epochs):
        G = (_softmax(X @ W + b) - Y) * sw
        W -= lr * (X.T @ G + l2 * W)
        b -= lr * G.sum(axis=0)
    return W.astype(np.float32), b.astype(np.float32)


def train(lexicon_dir: Path, out: Path = MODEL, l2: float = 3e-4, threshold: float = DEFAULT_THRESHOLD,
          cues: bool = True, sentence_weight: float = 5.0, embedder=None) -> Path:
    from voc.models.embedder import load_embedder

    texts, ys, ws, lex_hash = training_examples(lexicon_dir, cues, sentence_weight)
    labels = sorted(set(ys))
    emb = embedder or load_embedder()
    X = emb.encode(texts)
    y = np.array([labels.index(v) for v in ys])
    W, b = fit(X, y, len(labels), l2, weights=np.array(ws))
    np.savez_compressed(out, weights=W, bias=b, labels=np.array(labels), lexicon_hash=np.array(lex_hash),
                        threshold=np.array(threshold), l2=np.array(l2), n_examples=np.array(len(texts)),
                        cues=np.array(cues), sentence_weight=np.array(sentence_weight))
    return out


def main(argv: list[str]) -> None:
    if argv[:1] == ["train"]:
        root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent.parent / "lexicons"
        print(train(root))
    elif argv[:1] == ["predict"]:
        sp = EmbedFill.load()
        p = sp.probabilities([" ".join(argv[1:])])[0]
        print({lab: round(float(x), 3) for lab, x in sorted(zip(sp.labels, p), key=lambda t: -t[1])})
    else:
        print(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
