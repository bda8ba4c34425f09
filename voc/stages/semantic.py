"""Semantic second pass for touchpoints: a small linear model over character and word n-grams that
adds a touchpoint to a clause the lexicon left without one.

Lexicon hits stay the evidence of record; this pass only ADDS labels the lexicon missed, with the
clause as the evidence, and only above a per-label probability threshold (voc/models/data/semantic.toml).
It is trained on data the project writes itself and nothing else: every touchpoint cue phrase of the
lexicon (each phrase is a tiny labelled example: "快递柜" -> delivery) plus the example sentences in
lexicons/tests. So it generalises the vocabulary to unseen compounds and spellings ("快件", "配送站",
"deliveries were") rather than learning from customer data. The model file is a plain numpy archive
(no pickle): vocabulary, weight matrix, bias, label ids, and the lexicon hash it was trained from.

    python -m voc.stages.semantic train            # rebuild voc/models/data/semantic_touchpoints.npz
    python -m voc.stages.semantic predict "快件三天了还在路上"

Hook (one line, in voc/analyzer.py Analyzer._finish after `fb.touchpoints = ...`, when enabled):
    if self.semantic is not None: self.semantic.augment(fb)

Status: NOT wired into the analyzer, on measurement. On the tune halves of benchmarks/taxonomy.py
(airline tweets, SemEval-2015/16, the own set's dev half, the STC-3 tune file), with the lexicon of
commit 9e4ee2a, a model retrained on that lexicon added nothing at any threshold from 0.9 down to
0.4 (touchpoint macro-F1 at 0.9 / best / at 0.4): airline 0.553 / 0.553 / 0.523, SemEval 0.726 /
0.728 / 0.719, STC-3 zh 0.714 / 0.714 / 0.681, STC-3 mixed 0.678 / 0.678 / 0.578; the own dev half
moved by at most +0.009 in one language and lost up to 0.024 in another. The shipped model
(trained on an older lexicon) behaved the same. A prototype variant (cosine of a clause to each
label's cue phrases with the static embedder, voc/models/embedder.py, top-5 mean) moved airline by
+-0.002 and lifted only one 28-turn slice. The clauses the lexicon leaves without a touchpoint are
mostly about no touchpoint at all, so the pass trades precision for little recall.
`benchmarks/taxonomy.py --semantic` re-measures it.
"""
from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import numpy as np

from voc.records import Label, Span
from voc.text import fold

DATA = Path(__file__).resolve().parent.parent / "models" / "data"
MODEL = DATA / "semantic_touchpoints.npz"
CONFIG = DATA / "semantic.toml"
_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z][a-z']+")
_STOP = frozenset("the a an and or but is are was were be been to of in on at for with my me i you your it this that "
                  "not no so very too have has had do does did can will would they we our us he she his her them "
                  "just get got still after again from by as if".split())


def featurize(folded: str) -> list[str]:
    """Han runs -> character 1- and 2-grams; Latin words -> the word and its first five letters."""
    feats: set[str] = set()
    for run in _HAN_RUN.findall(folded):
        for i, ch in enumerate(run):
            feats.add(ch)
            if i + 1 < len(run):
                feats.add(run[i:i + 2])
    for w in _WORD.findall(folded):
        if w in _STOP:
            continue
        feats.add("w:" + w)
        if len(w) > 5:
            feats.add("p:" + w[:5])
    return sorted(feats)


class SemanticPass:
    def __init__(self, vocab: dict[str, int], weights: np.ndarray, bias: np.ndarray, labels: list[str],
                 thresholds: dict[str, float], min_chars: int = 4):
        self.vocab, self.W, self.b, self.labels = vocab, weights, bias, labels
        self.thresholds = np.array([thresholds.get(lab, thresholds.get("default", 0.9)) for lab in labels])
        self.min_chars = min_chars

    @classmethod
    def load(cls, model: str | Path = MODEL, config: str | Path = CONFIG) -> "SemanticPass":
        with np.load(model, allow_pickle=False) as z:
            vocab = {str(t): i for i, t in enumerate(z["vocab"])}
            W, b, labels = z["weights"].astype(np.float32), z["bias"].astype(np.float32), [str(x) for x in z["labels"]]
        cfg = tomllib.loads(Path(config).read_text(encoding="utf-8")) if Path(config).exists() else {}
        return cls(vocab, W, b, labels, dict(cfg.get("thresholds", {})), int(cfg.get("min_chars", 4)))

    def probabilities(self, folded: str) -> np.ndarray:
        idx = [self.vocab[f] for f in featurize(folded) if f in self.vocab]
        if not idx:
            return np.zeros(len(self.labels), dtype=np.float32)
        z = self.W[idx].sum(axis=0) / np.sqrt(len(idx)) + self.b
        return 1.0 / (1.0 + np.exp(-z))

    def augment(self, fb) -> None:
        """Add touchpoints to clauses without lexicon touchpoint evidence (the clause is the evidence)."""
        if not fb.text or not fb.clauses:
            return
        have = {lab.id for lab in fb.touchpoints}
        covered = [(e.start, e.end) for lab in fb.touchpoints for e in lab.evidence]
        added: dict[str, Label] = {}
        folded = fold(fb.text)
        for cl in fb.clauses:
            if cl.end - cl.start < self.min_chars or any(cl.start <= s < cl.end for s, _ in covered):
                continue
            p = self.probabilities(folded[cl.start:cl.end])
            for k in np.nonzero(p >= self.thresholds)[0]:
                lab = self.labels[k]
                if lab in have:
                    continue
                span = Span(cl.start, cl.end, fb.text[cl.start:cl.end])
                if lab in added:
                    added[lab].evidence.append(span)
                else:
                    added[lab] = Label(lab, [span], sentiment=fb.sentiment_label, score=float(p[k]))
        fb.touchpoints.extend(added.values())


# ----------------------------------------------------------------------------- training
def training_examples(lexicon_dir: Path) -> tuple[list[str], list[set[str]], str]:
    """(texts, label sets, lexicon hash): every touchpoint cue phrase and every example sentence."""
    from voc.lexicon import LexiconSet
    from voc.lexicon_tests import load_cases

    lex = LexiconSet.load(lexicon_dir)
    raw = tomllib.loads((lexicon_dir / "touchpoints.toml").read_text(encoding="utf-8"))
    texts, ys = [], []
    for label, body in raw.get("labels", {}).items():
        for key in ("zh", "en"):
            for term in body.get(key, []):
                texts.append(fold(term.rstrip("*")))
                ys.append({label})
        for term in body.get("exclude", []):
            texts.append(fold(term))
            ys.append(set())
    for _, _, case in load_cases(lexicon_dir):
        labs = {x.split(":")[1] for x in case.get("expect", []) if x.startswith("touchpoints:")}
        texts.append(fold(case["text"]))
        ys.append(labs)
    return texts, ys, lex.hash


def train(lexicon_dir: Path, out: Path = MODEL, epochs: int = 300, lr: float = 0.5, l2: float = 1e-4,
          seed: int = 13) -> Path:
    texts, ys, lex_hash = training_examples(lexicon_dir)
    labels = sorted({lab for y in ys for lab in y})
    feats = [featurize(t) for t in texts]
    vocab = sorted({f for fs in feats for f in fs})
    index = {f: i for i, f in enumerate(vocab)}
    X = np.zeros((len(texts), len(vocab)), dtype=np.float32)
    for r, fs in enumerate(feats):
        if fs:
            X[r, [index[f] for f in fs]] = 1.0 / np.sqrt(len(fs))
    Y = np.array([[lab in y for lab in labels] for y in ys], dtype=np.float32)
    rng = np.random.default_rng(seed)
    W = rng.normal(0, 0.01, (len(vocab), len(labels))).astype(np.float32)
    b = np.full(len(labels), -2.0, dtype=np.float32)
    for _ in range(epochs):  # full-batch gradient descent on the multi-label logistic loss
        P = 1.0 / (1.0 + np.exp(-(X @ W + b)))
        G = (P - Y) / len(texts)
        W -= lr * (X.T @ G + l2 * W) * 40
        b -= lr * G.sum(axis=0) * 40
    np.savez_compressed(out, vocab=np.array(vocab), weights=W.astype(np.float16), bias=b,
                        labels=np.array(labels), lexicon_hash=np.array(lex_hash))
    return out


def main(argv: list[str]) -> None:
    if argv[:1] == ["train"]:
        root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent.parent / "lexicons"
        print(train(root))
    elif argv[:1] == ["predict"]:
        sp = SemanticPass.load()
        p = sp.probabilities(fold(" ".join(argv[1:])))
        print({lab: round(float(x), 3) for lab, x in sorted(zip(sp.labels, p), key=lambda t: -t[1])})
    else:
        print(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
