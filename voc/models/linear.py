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

Optional dense block ("token embeddings", model files from version 2 of the recipe): every Han
1-3-gram and Latin word that is a token of the shipped static zh+en embedder
(voc/models/embedder.py, distilled from multilingual USE) has a short vector (the embedder's
vector projected onto its top principal directions, stored as float16 in the model file). A
text's dense feature is the L2-normalised sum of the vectors of its distinct tokens, and a small
matrix (dim x 3) adds its logits to the n-gram logits. The vectors put "难吃", "tasteless" and
"bland" near each other, so wording never seen in the labelled data still gets a sensible score,
and zh and en share what they learn. No tokenizer is needed: the Han grams are the same packed
keys the n-gram lookup already computed.

Inference: Han n-grams of a whole batch are packed into integer keys and looked up with one numpy
searchsorted; the few word and symbol features go through a dict; weights are summed per text
with bincount.
"""
from __future__ import annotations

import hashlib
import json
import re
from operator import add
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


def featurize(folded: str, han: bool = True) -> list[str]:
    """Feature strings of an already folded text (duplicates removed, order of first sight).
    With han=False the Han n-grams are left out (the batch path computes those with numpy)."""
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
            if han:
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


def _is_han(codes: np.ndarray) -> np.ndarray:
    return (((codes >= 0x3400) & (codes <= 0x4DBF)) | ((codes >= 0x4E00) & (codes <= 0x9FFF))
            | ((codes >= 0xF900) & (codes <= 0xFAFF)))


_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


def han_key(gram: str) -> int | None:
    """The integer key of a Han 1-3-gram (code points packed 21 bits apart; the three lengths fall
    in disjoint ranges, so keys never collide), or None for any other feature."""
    if not 1 <= len(gram) <= 3 or not all(any(a <= ord(c) <= b for a, b in _HAN_RANGES) for c in gram):
        return None
    key = 0
    for c in gram:
        key = (key << 21) | ord(c)
    return key


def featurize_text(text: str) -> list[str]:
    return featurize(fold(text))


_EMB_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*|[0-9]+")
_NUM = "<num>"


def emb_words(folded: str) -> list[str]:
    """The Latin-script tokens of a folded text that the dense block looks up (Han grams are taken
    from the packed keys): lower-case words, and "<num>" for a run of digits."""
    return [w if not w[0].isdigit() else _NUM for w in _EMB_WORD.findall(folded)]


class TokenVectors:
    """The dense block of a model: token -> short vector, and the (dim x 3) head.

    Han tokens are looked up by packed key (han_key), Latin words through a dict with a stem
    fallback (the embedder's: "refunds" -> "refund")."""

    def __init__(self, han_keys: np.ndarray, han_vecs: np.ndarray, words: list[str], word_vecs: np.ndarray,
                 head: np.ndarray):
        if len(han_keys) > 1 and np.any(han_keys[1:] <= han_keys[:-1]):
            raise ValueError("token vector keys must be sorted and distinct")
        self.han_keys = np.asarray(han_keys, dtype=np.uint64)
        self.words = dict(zip(words, range(len(han_keys), len(han_keys) + len(words))))
        # stored as float16; held as float32 (a few tens of MB) so the per-batch product needs no cast
        self.vecs = np.vstack([np.asarray(han_vecs, dtype=np.float32), np.asarray(word_vecs, dtype=np.float32)])
        self.head = np.asarray(head, dtype=np.float32)
        self.dim = self.vecs.shape[1]
        # Each token's vector projected on the head, once: a text's logits are then the sum of its
        # tokens' projections over the norm of the sum of its vectors (= head . normalised sum),
        # computed by sums that round the same for a batch of 256 and a text alone.
        self.proj = self.vecs.astype(np.float64) @ self.head.astype(np.float64) if len(self.vecs) else \
            np.zeros((0, self.head.shape[1]))
        self._cache: dict[str, int] = {}
        # Han gram (as a string) -> row: a dict lookup is ~40 ns, where one numpy searchsorted call
        # costs microseconds before its first comparison (a live chat turn comes alone or in a few)
        self.han_row = dict(zip(grams_of_keys(self.han_keys), range(len(self.han_keys))))

    def word_row(self, w: str) -> int:
        r = self._cache.get(w)
        if r is None:
            from voc.models.embedder import _stems

            r = self.words.get(w)
            if r is None and "'" in w:
                r = self.words.get(w.split("'", 1)[0])
            if r is None:
                r = next((self.words[s] for s in _stems(w) if s in self.words), -1)
            if len(self._cache) < 200_000:
                self._cache[w] = r
        return r

    def rows(self, folded: str, grams: list[str]) -> list[int]:
        """Sorted distinct token rows of one text (grams: its Han 1-3-grams, from han_grams)."""
        rows = {r for r in map(self.word_row, emb_words(folded)) if r >= 0}
        if grams:
            rows.update(map(self.han_row.get, grams))
            rows.discard(None)
        return sorted(rows)

    def logits_groups(self, n: int, groups) -> np.ndarray:
        """(n texts x classes) logits of the block: head . normalised sum of the distinct token
        vectors of each text; zero rows for texts with no known token. groups: (texts that have
        tokens, their sorted rows concatenated, where each text's rows start), see _groups."""
        out = np.zeros((n, self.proj.shape[1]))
        have, flat, starts = groups
        if not len(have):
            return out
        # Per-text sums by reduceat: row after row in the same order for a text alone and in a
        # batch of any size, on either path, so its score is bit-identical either way.
        norms = _row_norms(np.add.reduceat(self.vecs[flat], starts, axis=0))
        sums = np.add.reduceat(self.proj[flat], starts, axis=0)
        ok = norms > 0
        out[np.asarray(have)[ok]] = sums[ok] / norms[ok, None]
        return out

    def _distinct_rows(self, keys: np.ndarray, key_tids: np.ndarray, folded: list[str]):
        rows_py, tids_py = [], []
        row = self.word_row
        for tid, f in enumerate(folded):
            for w in emb_words(f):
                r = row(w)
                if r >= 0:
                    rows_py.append(r)
                    tids_py.append(tid)
        if len(self.han_keys) and len(keys):
            pos = np.minimum(np.searchsorted(self.han_keys, keys), len(self.han_keys) - 1)
            hit = self.han_keys[pos] == keys
            rows = np.concatenate([pos[hit].astype(np.int64), np.asarray(rows_py, dtype=np.int64)])
            tids = np.concatenate([key_tids[hit], np.asarray(tids_py, dtype=np.int64)])
        else:
            rows, tids = np.asarray(rows_py, dtype=np.int64), np.asarray(tids_py, dtype=np.int64)
        if not len(rows):
            return rows, tids
        m = len(self.vecs) + 1
        code = _distinct(tids * m + rows)  # distinct tokens per text, sorted by text then row
        return code % m, code // m

    def features(self, keys: np.ndarray, key_tids: np.ndarray, folded: list[str]) -> np.ndarray:
        """(n texts x dim) L2-normalised sums of the distinct token vectors of each text; zero rows
        for texts with no known token (what the head is trained on). keys/key_tids: the packed Han
        1-3-gram keys of the batch and the text each came from."""
        rows, tids = self._distinct_rows(keys, key_tids, folded)
        n = len(folded)
        out = np.zeros((n, self.dim), dtype=np.float32)
        if not len(rows):
            return out
        sums = _bag_sum(self.vecs, rows, tids, n)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        np.divide(sums, norms, out=out, where=norms > 0)
        return out


_NUMPY_BATCH = 12  # from this many texts on, the numpy path is cheaper per text (CPU instructions, measured)


def _runs(rows: np.ndarray, tids: np.ndarray):
    """_groups' triple from rows sorted by text id (tids), as numpy arrays."""
    if not len(rows):
        return rows, rows, rows
    starts = np.flatnonzero(np.r_[True, tids[1:] != tids[:-1]])
    return tids[starts], rows, starts


def _groups(rows_per_text: list[list[int]]) -> tuple[list[int], list[int], list[int]]:
    """(indices of the texts that have rows, their rows concatenated, where each text's rows start)."""
    have, flat, starts = [], [], []
    for i, rows in enumerate(rows_per_text):
        if rows:
            have.append(i)
            starts.append(len(flat))
            flat.extend(rows)
    return have, flat, starts


def _row_norms(x: np.ndarray) -> np.ndarray:
    """Euclidean norm of each row (np.linalg.norm's arithmetic without its Python overhead)."""
    return np.sqrt(np.add.reduce(x * x, axis=1))


def _distinct(codes: np.ndarray) -> np.ndarray:
    """Sorted distinct values (np.unique's hash path is ~50x slower on these int64 codes)."""
    codes = np.sort(codes)
    return codes[np.r_[True, codes[1:] != codes[:-1]]] if len(codes) else codes


def _bag_sum(vecs: np.ndarray, rows: np.ndarray, tids: np.ndarray, n: int) -> np.ndarray:
    """Per-text sums of vecs[rows] (rows sorted by text): a sparse product when scipy is there,
    else gather and reduce."""
    try:
        from scipy import sparse
    except ImportError:
        out = np.zeros((n, vecs.shape[1]), dtype=np.float32)
        starts = np.flatnonzero(np.r_[True, tids[1:] != tids[:-1]])
        out[tids[starts]] = np.add.reduceat(vecs[rows], starts, axis=0)
        return out
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(tids, minlength=n), out=indptr[1:])
    mat = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), rows, indptr), shape=(n, len(vecs)))
    return np.asarray(mat @ vecs, dtype=np.float32)


_HAN_RUN = re.compile(f"[{_HAN}]+")


def han_grams(folded: str) -> list[str]:
    """Every Han 1-, 2- and 3-gram of a folded text, repeats included (the same grams as
    featurize's Han features), built by C-level maps over each run of Han characters."""
    if folded.isascii():
        return []
    out: list[str] = []
    for run in _HAN_RUN.findall(folded):
        out.extend(run)
        if len(run) > 1:
            pairs = list(map(add, run, run[1:]))
            out.extend(pairs)
            out.extend(map(add, pairs, run[2:]))
    return out


def grams_of_keys(keys: np.ndarray) -> list[str]:
    """The Han grams behind packed keys (han_key's inverse), decoded with numpy at load time: the
    1-3 code points of each key, left-aligned in a row of three UTF-32 units read as a string
    (numpy drops the trailing zeros of the shorter grams)."""
    keys = np.asarray(keys, dtype=np.uint64)
    mask, shift = np.uint64((1 << 21) - 1), np.uint64(21)
    parts = np.stack([(keys >> (shift * np.uint64(2))) & mask, (keys >> shift) & mask, keys & mask], axis=1)
    length = 1 + (parts[:, 1] > 0) + (parts[:, 0] > 0)  # code points are never 0
    rows = np.zeros((len(keys), 3), dtype=np.uint32)
    for n in (1, 2, 3):  # gram of length n: its code points are the last n parts
        sel = length == n
        rows[sel, :n] = parts[sel, 3 - n:]
    return rows.view("<U3").ravel().tolist()


def han_gram_keys(folded: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Packed keys of every Han 1-, 2- and 3-gram of a batch of folded texts, and the index of the
    text each came from (the same keys han_key gives for one gram)."""
    n = len(folded)
    joined = "\n".join(folded)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(f) + 1 for f in folded), dtype=np.int64, count=n)
    tid_of = np.repeat(np.arange(n, dtype=np.int64), lengths)[: len(codes)]
    han = _is_han(codes)
    h2 = han[:-1] & han[1:]
    h3 = h2[:-1] & han[2:]
    keys = np.concatenate([
        codes[han],
        (codes[:-1][h2] << np.uint64(21)) | codes[1:][h2],
        (codes[:-2][h3] << np.uint64(42)) | (codes[1:-1][h3] << np.uint64(21)) | codes[2:][h3],
    ])
    tids = np.concatenate([tid_of[han], tid_of[:-1][h2], tid_of[:-2][h3]])
    return keys, tids


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
                han_keys = np.asarray(z["han_keys"], dtype=np.uint64)
                bias = np.asarray(z["bias"], dtype=np.float64)
                meta = json.loads(str(z["meta"]))
                dense = None
                if "emb_head" in z.files:
                    words_blob = z["emb_words"].tobytes().decode("utf-8")
                    dense = TokenVectors(z["emb_han_keys"], z["emb_han_vecs"], words_blob.split("\n") if words_blob else [],
                                         z["emb_word_vecs"], z["emb_head"])
        except FileNotFoundError:
            raise BackendError(f"linear sentiment model not found: {path}") from None
        except (KeyError, ValueError, OSError) as exc:
            raise BackendError(f"{path}: not a voc linear sentiment model ({exc})") from None
        if meta.get("feature_version") != FEATURE_VERSION or tuple(meta.get("classes", ())) != CLASSES:
            raise BackendError(f"{path}: model was built for feature version {meta.get('feature_version')} "
                               f"and classes {meta.get('classes')}; this voc expects {FEATURE_VERSION} {CLASSES}")
        if weights.shape != (len(features), len(CLASSES)):
            raise BackendError(f"{path}: weights shape {weights.shape} does not match {len(features)} features")
        self._w = np.vstack([np.zeros((1, len(CLASSES)), dtype=np.float32), weights])  # row 0 unused
        # save_model puts the other features first and the Han n-grams last, sorted by key.
        n_other = len(features) - len(han_keys)
        if n_other < 0 or (len(han_keys) > 1 and np.any(han_keys[1:] <= han_keys[:-1])):
            raise BackendError(f"{path}: corrupt model (Han n-gram keys)")
        self._index = dict(zip(features[:n_other], range(1, n_other + 1)))
        self._han_keys = han_keys  # sorted, for the batch path; the same as a dict for a few texts
        self._han_rows = np.arange(n_other + 1, len(features) + 1, dtype=np.int64)
        self._han_row = dict(zip(grams_of_keys(han_keys), range(n_other + 1, len(features) + 1)))
        self._n_rows = len(features) + 1
        self._bias = bias
        self.dense = dense
        if dense is not None and dense.head.shape != (dense.dim, len(CLASSES)):
            raise BackendError(f"{path}: dense head shape {dense.head.shape} does not match dim {dense.dim}")
        self.meta = meta
        self.path = path
        digest = meta.get("sha") or hashlib.sha256(self._w.tobytes()).hexdigest()[:12]
        self.model_id = f"linear-{meta.get('name', 'custom')}-{meta.get('version', '0')}-{digest}"

    def logits(self, texts: list[str]) -> np.ndarray:
        return self._logits(texts)[0]

    def _logits(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(logits per text, number of known features per text)."""
        n = len(texts)
        if not n:
            return np.zeros((0, len(CLASSES))), np.zeros(0)
        folded = [fold(t or "") for t in texts]
        # Two ways to find each text's feature rows, the same rows either way (tests/test_models.py):
        # a few live chat turns go through Python dicts (one numpy call costs microseconds before
        # doing anything), a file's batches through numpy over the whole batch (cheaper per text).
        sparse, dense = (self._rows_small if n < _NUMPY_BATCH else self._rows_batch)(folded)
        have, flat, starts = sparse
        counts = np.zeros(n)
        z = np.tile(self._bias, (n, 1))
        if len(have):
            # A text's features are a set: weights summed per text, over sqrt(number of features).
            sums = np.add.reduceat(self._w[flat], starts, axis=0, dtype=np.float64)
            counts[have] = np.diff(np.append(starts, len(flat)))
            z[have] += sums / np.sqrt(counts[have])[:, None]
        if self.dense is not None:
            z += self.dense.logits_groups(n, dense)
        return z, counts

    def _rows_small(self, folded: list[str]):
        index, han_row = self._index, self._han_row
        sparse_rows, dense_rows = [], []
        for f in folded:
            grams = han_grams(f)
            rows = set(map(index.get, featurize(f, han=False)))
            rows.update(map(han_row.get, grams))
            rows.discard(None)
            sparse_rows.append(sorted(rows))
            if self.dense is not None:
                dense_rows.append(self.dense.rows(f, grams))
        return _groups(sparse_rows), (_groups(dense_rows) if self.dense is not None else None)

    def _rows_batch(self, folded: list[str]):
        index = self._index
        py_rows: list[int] = []
        py_tids: list[int] = []
        for tid, f in enumerate(folded):  # non-Han features (words, symbols, script): few per text
            for i in map(index.get, featurize(f, han=False)):
                if i is not None:
                    py_rows.append(i)
                    py_tids.append(tid)
        keys, tids = han_gram_keys(folded)  # Han 1-3-grams of the whole batch as packed integer keys
        dense = _runs(*self.dense._distinct_rows(keys, tids, folded)) if self.dense is not None else None
        if len(self._han_keys) and len(keys):
            pos = np.minimum(np.searchsorted(self._han_keys, keys), len(self._han_keys) - 1)
            hit = self._han_keys[pos] == keys
            rows = np.concatenate([self._han_rows[pos[hit]], np.asarray(py_rows, dtype=np.int64)])
            tids = np.concatenate([tids[hit], np.asarray(py_tids, dtype=np.int64)])
        else:
            rows, tids = np.asarray(py_rows, dtype=np.int64), np.asarray(py_tids, dtype=np.int64)
        code = _distinct(tids * self._n_rows + rows)  # distinct rows per text, sorted by text then row
        return _runs(code % self._n_rows, code // self._n_rows), dense

    def probabilities(self, texts: list[str]) -> np.ndarray:
        return _softmax(self.logits(texts))

    def predict(self, texts: list[str]) -> list[float]:
        """P(positive) - P(negative) per text; 0.0 for a text with no known feature (empty text)."""
        if not texts:
            return []
        z, counts = self._logits(texts)
        p = _softmax(z)
        scores = np.where(counts > 0, np.clip(p[:, 2] - p[:, 0], -1.0, 1.0), 0.0)
        return [float(s) for s in scores]


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def save_model(path: str | Path, features: list[str], weights: np.ndarray, bias: np.ndarray, meta: dict,
               dense: dict | None = None) -> str:
    """Write a model archive (no pickled objects: UTF-8 feature list, float arrays, JSON metadata)
    and return its content hash. `dense` (optional): {"han_keys", "han_vecs", "words", "word_vecs",
    "head"} for the token-embedding block (see TokenVectors)."""
    if any("\n" in f for f in features):
        raise ValueError("feature strings must not contain newlines")
    weights = np.asarray(weights, dtype=np.float32)
    bias = np.asarray(bias, dtype=np.float64)
    keys = [han_key(f) for f in features]
    other = sorted((i for i, k in enumerate(keys) if k is None), key=lambda i: features[i])
    han = sorted((i for i, k in enumerate(keys) if k is not None), key=lambda i: keys[i])
    features = [features[i] for i in other + han]
    weights = weights[other + han] if len(features) else weights
    han_keys = np.array([keys[i] for i in han], dtype=np.uint64)
    h = hashlib.sha256()
    h.update("\n".join(features).encode("utf-8"))
    h.update(weights.tobytes())
    h.update(bias.tobytes())
    arrays = {}
    if dense is not None:
        order = np.argsort(np.asarray(dense["han_keys"], dtype=np.uint64), kind="stable")
        arrays = {"emb_han_keys": np.asarray(dense["han_keys"], dtype=np.uint64)[order],
                  "emb_han_vecs": np.asarray(dense["han_vecs"], dtype=np.float16)[order],
                  "emb_words": np.frombuffer("\n".join(dense["words"]).encode("utf-8"), dtype=np.uint8),
                  "emb_word_vecs": np.asarray(dense["word_vecs"], dtype=np.float16),
                  "emb_head": np.asarray(dense["head"], dtype=np.float32)}
        for k in sorted(arrays):
            h.update(arrays[k].tobytes())
    sha = h.hexdigest()[:12]
    meta = dict(meta, sha=sha, feature_version=FEATURE_VERSION, classes=list(CLASSES))
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    blob = np.frombuffer("\n".join(features).encode("utf-8"), dtype=np.uint8)
    np.savez_compressed(path, features=blob, weights=weights, bias=bias, han_keys=han_keys,
                        meta=np.array(json.dumps(meta, ensure_ascii=False)), **arrays)
    return sha
