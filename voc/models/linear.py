"""A fast linear sentiment model over character n-grams (zh) and word n-grams (en), shipped as a
plain numpy archive (no pickle).

Features (on `voc.text.fold`ed text, so full-width, traditional and upper-case forms share weights):
  - Han runs: character 1-, 2- and 3-grams inside each run ("不太好" gives 不 太 好 不太 太好 不太好);
  - Latin words: unigrams and bigrams of consecutive words, and, after an English negator, the next
    few words again with a "~" prefix ("not good" also gives ~good), which is how a bag of words
    sees negation scope;
  - other symbols (emoji, kaomoji parts, "!", "?") as single characters, and "!!"/"??" bursts;
  - one script feature (<zh>, <en>, <mix>) so each script has its own prior.
A text's feature set is binary and L2-normalised (each present feature counts 1/sqrt(n)), so long
and short texts live on the same scale. Three classes (negative, neutral, positive); the score is
P(positive) - P(negative), in [-1, 1], near 0 when the model thinks the text is neutral.

Inference is a dict lookup per feature and one numpy gather + segment sum per batch.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import numpy as np

from voc.errors import BackendError
from voc.text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_MODEL = DATA_DIR / "sentiment_linear.npz"
CLASSES = ("negative", "neutral", "positive")
FEATURE_VERSION = 1

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"([{_HAN}]+)|([a-z0-9]+(?:['’][a-z]+)*)|([^\s{_HAN}a-z0-9])")
_EN_NEGATORS = frozenset(
    "not no never nothing nobody none nor neither without cannot cant dont doesnt didnt isnt wasnt "
    "arent werent wont wouldnt couldnt shouldnt hardly barely".split()
)
_NEG_SCOPE = 3  # words after an English negator that also get a negated feature
_BURST = frozenset("!?")


def featurize(folded: str) -> list[str]:
    """Feature strings of an already folded text (duplicates removed, order of first sight)."""
    feats: list[str] = []
    add = feats.append
    han_chars = 0
    words = 0
    prev_word = None  # previous Latin word, for bigrams; reset by anything that is not a word
    neg_left = 0
    prev_sym = ""
    for m in _TOKEN.finditer(folded):
        run, word, sym = m.group(1), m.group(2), m.group(3)
        if run is not None:
            n = len(run)
            han_chars += n
            for i in range(n):
                add(run[i])
                if i + 1 < n:
                    add(run[i:i + 2])
                    if i + 2 < n:
                        add(run[i:i + 3])
            prev_word, neg_left, prev_sym = None, 0, ""
        elif word is not None:
            words += 1
            word = word.replace("’", "'")
            add(word)
            if prev_word is not None:
                add(prev_word + " " + word)
            if neg_left:
                add("~" + word)
                neg_left -= 1
            if word.replace("'", "") in _EN_NEGATORS or word.endswith("n't"):
                neg_left = _NEG_SCOPE
            prev_word, prev_sym = word, ""
        else:
            add(sym)
            if sym in _BURST and prev_sym in _BURST:
                add("<burst>")
            if sym in ".,;:!?":
                neg_left = 0
            prev_word, prev_sym = None, sym
    if han_chars and words:
        add("<mix>")
    elif han_chars:
        add("<zh>")
    elif words:
        add("<en>")
    return list(dict.fromkeys(feats))


def featurize_text(text: str) -> list[str]:
    return featurize(fold(text))


class LinearSentiment:
    """Shipped default model: `LinearSentiment()`; or `LinearSentiment(path="my.npz")` for a model
    trained with training/train_sentiment.py on your own data."""

    def __init__(self, path: str | Path | None = None, **_options):
        path = Path(path) if path else DEFAULT_MODEL
        try:
            with np.load(path, allow_pickle=False) as z:
                blob = z["features"].tobytes().decode("utf-8")
                features = blob.split("\n") if blob else []
                weights = np.asarray(z["weights"], dtype=np.float32)
                bias = np.asarray(z["bias"], dtype=np.float64)
                meta = json.loads(str(z["meta"]))
        except FileNotFoundError:
            raise BackendError(f"linear sentiment model not found: {path}") from None
        except (KeyError, ValueError, OSError) as exc:
            raise BackendError(f"{path}: not a voc linear sentiment model ({exc})") from None
        if meta.get("feature_version") != FEATURE_VERSION or tuple(meta.get("classes", ())) != CLASSES:
            raise BackendError(f"{path}: model was built for feature version {meta.get('feature_version')} "
                               f"and classes {meta.get('classes')}; this voc expects {FEATURE_VERSION} {CLASSES}")
        if weights.shape != (len(features), len(CLASSES)):
            raise BackendError(f"{path}: weights shape {weights.shape} does not match {len(features)} features")
        # Row 0 is a zero row every text includes, so no text has an empty feature segment.
        self._w = np.vstack([np.zeros((1, len(CLASSES)), dtype=np.float32), weights])
        self._index = dict(zip(features, range(1, len(features) + 1)))
        self._bias = bias
        self.meta = meta
        self.path = path
        digest = meta.get("sha") or hashlib.sha256(self._w.tobytes()).hexdigest()[:12]
        self.model_id = f"linear-{meta.get('name', 'custom')}-{meta.get('version', '0')}-{digest}"

    def logits(self, texts: list[str]) -> np.ndarray:
        index = self._index
        idx: list[int] = []
        starts: list[int] = []
        counts: list[int] = []
        for text in texts:
            starts.append(len(idx))
            idx.append(0)
            found = [i for i in map(index.get, featurize(fold(text or ""))) if i is not None]
            idx.extend(found)
            counts.append(len(found))
        if not texts:
            return np.zeros((0, len(CLASSES)))
        sums = np.add.reduceat(self._w[np.asarray(idx, dtype=np.int64)], np.asarray(starts, dtype=np.int64),
                               axis=0).astype(np.float64)
        scale = 1.0 / np.sqrt(np.maximum(np.asarray(counts, dtype=np.float64), 1.0))
        return sums * scale[:, None] + self._bias

    def probabilities(self, texts: list[str]) -> np.ndarray:
        z = self.logits(texts)
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, texts: list[str]) -> list[float]:
        if not texts:
            return []
        p = self.probabilities(texts)
        return [float(min(1.0, max(-1.0, s))) for s in (p[:, 2] - p[:, 0])]


def save_model(path: str | Path, features: list[str], weights: np.ndarray, bias: np.ndarray, meta: dict) -> str:
    """Write a model archive (no pickled objects: UTF-8 feature list, float arrays, JSON metadata)
    and return its content hash."""
    if any("\n" in f for f in features):
        raise ValueError("feature strings must not contain newlines")
    weights = np.asarray(weights, dtype=np.float32)
    bias = np.asarray(bias, dtype=np.float64)
    h = hashlib.sha256()
    h.update("\n".join(features).encode("utf-8"))
    h.update(weights.tobytes())
    h.update(bias.tobytes())
    sha = h.hexdigest()[:12]
    meta = dict(meta, sha=sha, feature_version=FEATURE_VERSION, classes=list(CLASSES))
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    blob = np.frombuffer("\n".join(features).encode("utf-8"), dtype=np.uint8)
    np.savez_compressed(path, features=blob, weights=weights, bias=bias,
                        meta=np.array(json.dumps(meta, ensure_ascii=False)))
    return sha
