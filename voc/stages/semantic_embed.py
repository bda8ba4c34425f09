"""Semantic second pass, embedding variant: a softmax classifier over the shipped static embedder's
sentence vectors (voc/models/embedder.py) gives a touchpoint (or, opt-in, a pillar) to a record the
lexicon left without one.

Lexicon hits stay the evidence of record. This pass only acts on records with NO lexicon label of
its group, adds at most one label (the most probable one) and only when its probability reaches the
threshold; the evidence is the whole text. The pillar pass only acts on records with a polar
sentiment and only emits that polarity. It is trained on text the project writes itself and nothing
else: every cue phrase of the group's lexicon (each phrase is a tiny labelled example: "快递柜" ->
delivery, "on hold" -> support) plus the example sentences in lexicons/tests that expect exactly
one label of the group and the sentences of lexicons/semantic/. No customer data, no outside data.

The model file is a plain numpy archive (no pickle): a 256 x L weight matrix, L biases, the label
ids, the lexicon hash it was trained from and the training settings. Training is deterministic
(full-batch gradient descent from zeros, no randomness) and takes a few seconds:

    python -m voc.stages.semantic_embed train [LEXICON_DIR [touchpoints|pillars ...]]   # rebuild model files
    python -m voc.stages.semantic_embed predict "行李到现在还没找到"

Taxonomy as code: the model belongs to a lexicon directory. `EmbedFill.for_lexicons` uses
`<lexicons>/semantic/<group>.npz` when that directory has one (written by `train DIR`), else the
shipped model, and refuses (returns None with the reason) a model that could emit a label the active
taxonomy does not have, so a renamed or alternative journey never receives the default labels.
Thresholds per label live in `<lexicons>/semantic/<group>.toml` under `[thresholds]`
(`default = 0.6`, `billing = 0.7`, ...) and are read at load time, so tuning them needs no retraining.
The analyzer runs the pass when `[analyzer] semantic_touchpoints` is true (the default);
`benchmarks/taxonomy.py --semantic embed` measures it.
"""
from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import numpy as np

from voc.records import Label, Span
from voc.stages.taxonomy import without_mentions

DATA = Path(__file__).resolve().parent.parent / "models" / "data"
MODEL = DATA / "semantic_embed_touchpoints.npz"
PILLAR_MODEL = DATA / "semantic_embed_pillars.npz"
SHIPPED_LEXICONS = Path(__file__).resolve().parent.parent.parent / "lexicons"
GROUPS = ("touchpoints", "pillars")  # the groups this pass can fill


def authored(group: str = "touchpoints") -> Path:
    """Training sentences and [thresholds] of a group, relative to a lexicon dir."""
    return Path("semantic") / f"{group}.toml"


def local_model(group: str = "touchpoints") -> Path:
    """A model trained for one lexicon dir, relative to it."""
    return Path("semantic") / f"{group}.npz"


def shipped_model(group: str = "touchpoints") -> Path:
    return MODEL if group == "touchpoints" else PILLAR_MODEL


NONE = "none"  # the abstain class of the training sentences; never emitted
DEFAULT_THRESHOLD = 0.6
PILLAR_THRESHOLD = 0.5  # chosen on the tune halves of the outside data (benchmarks/taxonomy.py --dev-only)
MIN_CHARS = 6


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def read_thresholds(lexicon_dir: str | Path, group: str = "touchpoints") -> dict[str, float]:
    """The `[thresholds]` table of <lexicon_dir>/semantic/<group>.toml ({} if none)."""
    path = Path(lexicon_dir) / authored(group)
    if not path.exists():
        return {}
    table = tomllib.loads(path.read_text(encoding="utf-8")).get("thresholds", {})
    return {str(k): float(v) for k, v in table.items()}


def check_authored(lexicon_dir: str | Path, taxonomy_labels: list[str], group: str = "touchpoints") -> list[str]:
    """Problems in <lexicon_dir>/semantic/<group>.toml: unknown labels, thresholds out of range
    (what `voc lexicon check` reports). Pillar labels are written `humanity:violated`."""
    name = authored(group)
    path = Path(lexicon_dir) / name
    if not path.exists():
        return []
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return [f"{name}: not valid TOML: {exc}"]
    if group == "pillars":
        known = {f"{x}:{pol}" for x in taxonomy_labels for pol in ("violated", "honoured")} | {NONE}
    else:
        known = set(taxonomy_labels) | {NONE}
    what = "a label" if group == "pillars" else "a touchpoint"
    problems = [f"{name}: [labels.{lab}] is not {what} of this taxonomy (known: {', '.join(sorted(known))})"
                for lab in raw.get("labels", {}) if lab not in known]
    for lab, v in raw.get("thresholds", {}).items():
        if lab != "default" and lab not in known:
            problems.append(f"{name}: [thresholds] {lab} is not {what} of this taxonomy")
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not 0 < v <= 1:
            problems.append(f"{name}: [thresholds] {lab} = {v!r}: must be a number in (0, 1]")
    return problems


class EmbedFill:
    def __init__(self, weights: np.ndarray, bias: np.ndarray, labels: list[str], embedder=None,
                 threshold: float = DEFAULT_THRESHOLD, min_chars: int = MIN_CHARS, lexicon_hash: str = "",
                 thresholds: dict[str, float] | None = None, group: str = "touchpoints"):
        self.W, self.b, self.labels, self.group = weights, bias, labels, group
        self.threshold, self.min_chars, self.lexicon_hash = threshold, min_chars, lexicon_hash
        # per-label thresholds (label -> minimum probability); `default` or `threshold` for the rest
        self.thresholds = dict(thresholds or {})
        self._cut = np.array([self.thresholds.get(lab, self.thresholds.get("default", threshold)) for lab in labels])
        # pillars: the labels a negative / a positive record may receive
        self._polar = {pol: np.array([lab.endswith(":" + want) for lab in labels])
                       for pol, want in (("negative", "violated"), ("positive", "honoured"))}
        self._embedder = embedder

    @classmethod
    def for_lexicons(cls, lexicons, group: str = "touchpoints") -> tuple["EmbedFill | None", str]:
        """The pass of one group for this taxonomy (a voc.lexicon.LexiconSet), or (None, why it
        cannot run)."""
        root = Path(lexicons.root)
        # a copy or an edit of the shipped taxonomy may use the shipped model if its labels fit
        model = root / local_model(group) if (root / local_model(group)).exists() else shipped_model(group)
        fill = cls.load(model, thresholds=read_thresholds(root, group))
        unknown = sorted({x.split(":")[0] for x in fill.labels} - {NONE} - set(lexicons.label_ids(group)))
        if unknown or fill.group != group:
            what = f"labels this taxonomy ({root}) does not have: {', '.join(unknown)}" if unknown else \
                f"the {fill.group} group"
            return None, (f"the semantic {group} model {model} was trained for {what}; train one for it with "
                          f"`python -m voc.stages.semantic_embed train {root} {group}` or set "
                          f"[analyzer] semantic_{group} = false")
        return fill, ""

    @property
    def embedder(self):
        if self._embedder is None:
            from voc.models.embedder import load_embedder

            self._embedder = load_embedder()
        return self._embedder

    @classmethod
    def load(cls, model: str | Path = MODEL, threshold: float | None = None,
             thresholds: dict[str, float] | None = None) -> "EmbedFill":
        with np.load(model, allow_pickle=False) as z:
            W, b = z["weights"].astype(np.float32), z["bias"].astype(np.float32)
            labels = [str(x) for x in z["labels"]]
            th = float(z["threshold"]) if threshold is None else threshold
            group = str(z["group"]) if "group" in z.files else "touchpoints"
            if thresholds is None:
                thresholds = read_thresholds(SHIPPED_LEXICONS, group) if Path(model) == shipped_model(group) else {}
            return cls(W, b, labels, threshold=th, lexicon_hash=str(z["lexicon_hash"]), thresholds=thresholds,
                       group=group)

    def probabilities(self, texts: list[str]) -> np.ndarray:
        X = self.embedder.encode(texts)
        return _softmax(X @ self.W + self.b)

    def augment(self, fb) -> None:
        self.augment_many([fb])

    def augment_many(self, fbs) -> None:
        """Give the most probable label of the group to each record without one, when p >= its
        threshold. Pillars: only records with a polar sentiment, and only a label of that polarity
        (a negative record may gain `capability:violated`, never an honoured pillar)."""
        pillars = self.group == "pillars"
        todo, texts = [], []
        for fb in fbs:
            if getattr(fb, self.group) or (pillars and fb.sentiment_label not in ("negative", "positive")):
                continue
            text = without_mentions(fb.text or "").strip()
            if len(text) >= self.min_chars:
                todo.append(fb)
                texts.append(text)
        if not todo:
            return
        P = self.probabilities(texts)
        for fb, p in zip(todo, P):
            if pillars:
                p = np.where(self._polar[fb.sentiment_label], p, 0.0)
            k = int(np.argmax(p))
            if p[k] < self._cut[k] or self.labels[k] == NONE:
                continue
            whole = [Span(0, len(fb.text), fb.text)]
            if pillars:
                pid, pol = self.labels[k].split(":")
                fb.pillars.append(Label(pid, whole, polarity=pol, score=float(p[k])))
            else:
                fb.touchpoints.append(Label(self.labels[k], whole, sentiment=fb.sentiment_label, score=float(p[k])))


# ----------------------------------------------------------------------------- training
def training_examples(lexicon_dir: Path, cues: bool = True, sentence_weight: float = 1.0,
                      group: str = "touchpoints") -> tuple[list[str], list[str], list[float], str]:
    """(texts, labels, weights, lexicon hash): every cue phrase of the group (weight 1; pillars:
    the violated / honoured cues, labelled `id:polarity`), every example of tests/*.toml that
    expects exactly one label of the group, and every sentence of semantic/<group>.toml (weight
    `sentence_weight`; its `none` label is the abstain class; pillars without a `none` list of
    their own borrow the one of semantic/touchpoints.toml)."""
    from voc.lexicon import LexiconSet
    from voc.lexicon_tests import load_cases

    lexicon_dir = Path(lexicon_dir)
    lex = LexiconSet.load(lexicon_dir)
    raw = tomllib.loads((lexicon_dir / f"{group}.toml").read_text(encoding="utf-8"))
    texts, ys, ws = [], [], []

    def add(text: str, label: str, weight: float) -> None:
        texts.append(text)
        ys.append(label)
        ws.append(weight)

    if cues:
        for label, body in raw.get("labels", {}).items():
            sets = ([(f"{label}:{pol}", body.get(pol, {})) for pol in ("violated", "honoured")]
                    if group == "pillars" else [(label, body)])
            for name, cset in sets:
                for key in ("zh", "en"):
                    for term in cset.get(key, []):
                        add(term.rstrip("*"), name, 1.0)
    prefix = f"{group}:"
    for _, _, case in load_cases(lexicon_dir):
        labs = {x[len(prefix):] for x in case.get("expect", []) if x.startswith(prefix)}
        if group == "touchpoints":
            labs = {x.split(":")[0] for x in labs}
        if len(labs) == 1:
            add(case["text"], next(iter(labs)), sentence_weight)
    sentences = {}
    for name in dict.fromkeys((group, "touchpoints")):
        path = lexicon_dir / authored(name)
        if path.exists():
            for label, body in tomllib.loads(path.read_text(encoding="utf-8")).get("labels", {}).items():
                if name == group or (label == NONE and NONE not in sentences):
                    sentences.setdefault(label, [s for key in ("zh", "en") for s in body.get(key, [])])
    for label, sents in sentences.items():
        for sent in sents:
            add(sent, label, sentence_weight)
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
          cues: bool = True, sentence_weight: float = 5.0, embedder=None, group: str = "touchpoints") -> Path:
    from voc.models.embedder import load_embedder

    texts, ys, ws, lex_hash = training_examples(lexicon_dir, cues, sentence_weight, group)
    labels = sorted(set(ys))
    emb = embedder or load_embedder()
    X = emb.encode(texts)
    y = np.array([labels.index(v) for v in ys])
    W, b = fit(X, y, len(labels), l2, weights=np.array(ws))
    np.savez_compressed(out, weights=W, bias=b, labels=np.array(labels), lexicon_hash=np.array(lex_hash),
                        threshold=np.array(threshold), l2=np.array(l2), n_examples=np.array(len(texts)),
                        cues=np.array(cues), sentence_weight=np.array(sentence_weight), group=np.array(group))
    return out


def main(argv: list[str]) -> None:
    if argv[:1] == ["train"]:
        root = Path(argv[1]) if len(argv) > 1 else SHIPPED_LEXICONS
        groups = argv[2:] or list(GROUPS)
        for group in groups:
            if group not in GROUPS:
                raise SystemExit(f"unknown group {group!r}: choose from {', '.join(GROUPS)}")
            # the shipped taxonomy's models ship inside the package; any other taxonomy keeps its own
            out = shipped_model(group) if root.resolve() == SHIPPED_LEXICONS.resolve() else root / local_model(group)
            out.parent.mkdir(parents=True, exist_ok=True)
            threshold = PILLAR_THRESHOLD if group == "pillars" else DEFAULT_THRESHOLD
            print(train(root, out, group=group, threshold=threshold))
    elif argv[:1] == ["predict"]:
        for group in GROUPS:
            sp = EmbedFill.load(shipped_model(group))
            p = sp.probabilities([" ".join(argv[1:])])[0]
            print(group, {lab: round(float(x), 3) for lab, x in sorted(zip(sp.labels, p), key=lambda t: -t[1])[:5]})
    else:
        print(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
