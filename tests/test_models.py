"""Sentiment backends: the contract every registered backend keeps, the shipped linear model, and
the local-transformers backend on a tiny randomly initialised BERT built here (never downloaded)."""
from __future__ import annotations

import json
import math
import time

import numpy as np
import pytest

from voc.errors import BackendError, ConfigError
from voc.models.linear import DEFAULT_MODEL, LinearSentiment, featurize_text, han_key, save_model
from voc.registry import REGISTRY, resolve

TEXTS = [
    "物流太慢了，客服也不回复",
    "The food was great but delivery took forever!!",
    "app更新之后一直闪退，login不了",
    "",
    "   ",
    "😡😡😡",
    "客服态度不错，很耐心",
    "not bad at all",
    "x" * 3000,
    "第三次问了，到底什么时候退款？",
]

TINY_VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "good", "bad", "not", "the", "service",
              "was", "is", "slow", "great", "好", "差", "慢", "客", "服", "不", "很", "!", ".", ","]


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory):
    """A 1-layer, 16-wide BERT with 3 labels and a 24-word vocabulary, saved like a fine-tuned model."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    root = tmp_path_factory.mktemp("tiny_bert")
    (root / "vocab.txt").write_text("\n".join(TINY_VOCAB) + "\n", encoding="utf-8")
    tokenizer = transformers.BertTokenizer(str(root / "vocab.txt"), do_lower_case=True)
    config = transformers.BertConfig(
        vocab_size=len(TINY_VOCAB), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=32, max_position_embeddings=64, num_labels=3,
        id2label={0: "NEG", 1: "NEU", 2: "POS"}, label2id={"NEG": 0, "NEU": 1, "POS": 2})
    torch.manual_seed(0)
    model = transformers.BertForSequenceClassification(config)
    model.save_pretrained(str(root))
    tokenizer.save_pretrained(str(root))
    return root


def _backends(tiny_bert_dir=None):
    out = {}
    for name in REGISTRY["sentiment"]:
        cls = resolve("sentiment", name)
        if name == "transformers":
            if tiny_bert_dir is None:
                continue
            out[name] = cls(model_dir=str(tiny_bert_dir), label_map={"negative": "NEG", "neutral": "NEU", "positive": "POS"},
                            threads=1, batch_size=4, max_length=48)
        else:
            out[name] = cls()
    return out


@pytest.fixture(scope="module")
def backends(tiny_bert):
    return _backends(tiny_bert)


# ------------------------------------------------------------------ contract, every registered backend
def test_every_registered_backend_is_covered(backends):
    assert set(backends) == set(REGISTRY["sentiment"])


@pytest.mark.parametrize("name", sorted(REGISTRY["sentiment"]))
class TestBackendContract:
    def test_model_id(self, backends, name):
        assert isinstance(backends[name].model_id, str) and backends[name].model_id

    def test_order_length_range(self, backends, name):
        scores = backends[name].predict(TEXTS)
        assert len(scores) == len(TEXTS)
        assert all(isinstance(s, float) and -1.0 <= s <= 1.0 and not math.isnan(s) for s in scores)

    def test_empty_batch(self, backends, name):
        assert backends[name].predict([]) == []

    def test_one_equals_batch_of_one(self, backends, name):
        b = backends[name]
        batch = b.predict(TEXTS)
        singles = [b.predict([t])[0] for t in TEXTS]
        assert np.allclose(batch, singles, atol=1e-5)

    def test_order_kept_under_permutation(self, backends, name):
        b = backends[name]
        scores = dict(zip(TEXTS, b.predict(TEXTS)))
        rev = list(reversed(TEXTS))
        assert np.allclose(b.predict(rev), [scores[t] for t in rev], atol=1e-5)

    def test_deterministic(self, backends, name):
        b = backends[name]
        assert b.predict(TEXTS) == b.predict(TEXTS)

    def test_empty_text_scores_zero(self, backends, name):
        assert backends[name].predict(["", "   ", "\n"]) == [0.0, 0.0, 0.0]

    def test_mixed_and_odd_text(self, backends, name):
        scores = backends[name].predict(["app很好用but太贵了", "\x00\ufeff", "😀" * 50, "ＡＢＣ全角", "繁體中文很好"])
        assert len(scores) == 5 and all(-1 <= s <= 1 for s in scores)


def test_unknown_backend_lists_the_known_ones():
    with pytest.raises(ConfigError, match="linear"):
        resolve("sentiment", "nope")


# ------------------------------------------------------------------ the shipped linear model
@pytest.fixture(scope="module")
def linear():
    return LinearSentiment()


def test_shipped_model_is_a_safe_small_file():
    assert DEFAULT_MODEL.is_file() and DEFAULT_MODEL.stat().st_size < 30e6
    with np.load(DEFAULT_MODEL, allow_pickle=False) as z:  # would raise if it needed pickle
        meta = json.loads(str(z["meta"]))
        assert {"features", "weights", "bias", "han_keys", "meta"} <= set(z.files)
    assert meta["classes"] == ["negative", "neutral", "positive"]
    assert meta["sha"] in LinearSentiment().model_id


def test_load_is_fast():
    t0 = time.process_time()
    LinearSentiment()
    assert time.process_time() - t0 < 1.0


def test_speed_on_short_texts(linear):
    texts = ["送餐太慢了，等了一个多小时，菜都凉了，客服电话也打不通，差评", "The flight was delayed 3 hours and nobody told us why"] * 1500
    linear.predict(texts[:10])
    t0 = time.process_time()  # CPU time: a busy CI machine must not fail a fast model
    linear.predict(texts)
    rate = len(texts) / max(1e-9, time.process_time() - t0)
    assert rate > 3000, f"{rate:.0f} texts per CPU-second"


def test_empty_text_is_neutral(linear):
    assert linear.predict(["", "  ", "\n"]) == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("text,sign", [
    ("很好吃，送餐也快", 1), ("太难吃了，再也不点了", -1), ("质量很差，退货", -1), ("物超所值，推荐", 1),
    ("great service, thank you", 1), ("terrible experience, never again", -1),
    ("this app is awesome", 1), ("the app keeps crashing", -1),
    ("app很好用", 1), ("app一直闪退", -1),
])
def test_linear_polarity(linear, text, sign):
    assert linear.predict([text])[0] * sign > 0.2


def test_traditional_fullwidth_and_case_fold_to_the_same_features():
    assert featurize_text("服務很好") == featurize_text("服务很好")
    assert featurize_text("ＧＲＥＡＴ Service") == featurize_text("great service")


def test_english_negation_scope_features():
    feats = featurize_text("not good at all")
    assert "~good" in feats and "not good" in feats
    assert "~good" not in featurize_text("good, not")


def test_han_keys_are_disjoint_by_length():
    assert han_key("好") < han_key("好吃") < han_key("好吃的")
    assert han_key("a") is None and han_key("好a") is None and han_key("一二三四") is None


TEXTS_ALONE_AND_IN_BATCH = [
    "物流太慢了，客服也不回复", "The agent was rude and my refund is still missing!!", "app更新后login不了，急",
    "好", "", "😡😡", "ok", "3 天了 still nothing", "ﾃｽﾄ", "𠀀𠀁", "不是不好，就是有点贵", "thanks a lot, great service",
]


def test_a_text_alone_scores_exactly_as_in_a_batch(linear):
    """A live chat turn is scored alone (the small-batch path), a file in batches of 256 (the numpy
    batch path): same text, bit-identical score, so batch output equals one-by-one output."""
    texts = TEXTS_ALONE_AND_IN_BATCH * 25  # 300 texts: more than one batch-path chunk
    together = linear.predict(texts)
    alone = [linear.predict([t])[0] for t in texts[:len(TEXTS_ALONE_AND_IN_BATCH)]]
    assert together[:len(alone)] == alone
    z_batch, _ = linear._logits(texts[:12])  # 12 > the small-batch limit
    z_alone = np.array([linear._logits([t])[0][0] for t in texts[:12]])
    assert np.array_equal(z_batch, z_alone)


def test_batch_path_equals_string_features(linear, tmp_path):
    """The numpy batch path must score exactly what the training featurizer describes."""
    feats = ["好", "很好", "不好", "太慢了", "good", "not good", "~good", "<zh>", "<en>", "<mix>", "!", "<burst>"]
    rng = np.random.default_rng(0)
    weights = rng.normal(size=(len(feats), 3)).astype(np.float32)
    bias = np.array([0.1, -0.2, 0.1])
    path = tmp_path / "m.npz"
    save_model(path, feats, weights, bias, {"name": "t", "version": "0"})
    m = LinearSentiment(path)
    w = dict(zip(feats, weights.astype(np.float64)))
    for text in ["很好!!", "不好，太慢了", "not good", "good 很好", "nothing known", "太慢了太慢了"]:
        known = [f for f in featurize_text(text) if f in w]
        expect = (sum(w[f] for f in known) / math.sqrt(len(known)) if known else np.zeros(3)) + bias
        assert np.allclose(m.logits([text])[0], expect, atol=1e-5), text


def test_dense_block_scores_what_its_definition_says(tmp_path):
    """Token-embedding block: logits gain head . normalise(sum of the vectors of the distinct Han
    1-3-grams and Latin words of the text that have a vector); texts without one gain nothing."""
    feats = ["好", "good", "<zh>", "<en>"]
    weights = np.array([[0, 0, 1], [0, 0, 1], [0, 0, 0], [0, 0, 0]], dtype=np.float32)
    bias = np.zeros(3)
    tokens = {"好": [1, 0], "很好": [0, 1], "慢": [-1, 1], "good": [2, 0], "refund": [0, 3], "<num>": [1, 1]}
    han = [t for t in tokens if han_key(t) is not None]
    words = [t for t in tokens if han_key(t) is None]
    head = np.array([[1.0, 0.0, -1.0], [0.5, 0.0, 0.5]], dtype=np.float32)
    dense = {"han_keys": [han_key(t) for t in han], "han_vecs": np.array([tokens[t] for t in han], dtype=np.float16),
             "words": words, "word_vecs": np.array([tokens[t] for t in words], dtype=np.float16), "head": head}
    path = tmp_path / "dense.npz"
    save_model(path, feats, weights, bias, {"name": "t", "version": "0"}, dense=dense)
    m = LinearSentiment(path)
    plain = tmp_path / "plain.npz"
    save_model(plain, feats, weights, bias, {"name": "t", "version": "0"})
    p = LinearSentiment(plain)
    assert m.model_id != p.model_id
    for text, toks in [("很好很好", ["好", "很好"]), ("太慢了 good", ["慢", "good"]), ("refunds 3", ["refund", "<num>"]),
                       ("nothing", []), ("", [])]:
        extra = np.zeros(3)
        if toks:
            v = np.sum([tokens[t] for t in toks], axis=0).astype(np.float64)
            extra = (v / np.linalg.norm(v)) @ head
        assert np.allclose(m.logits([text])[0], p.logits([text])[0] + extra, atol=1e-3), text
    assert m.predict(["", "好", "😡"]) == [0.0, m.predict(["好"])[0], 0.0]


def test_bad_model_file_is_a_backend_error(tmp_path):
    with pytest.raises(BackendError):
        LinearSentiment(tmp_path / "missing.npz")
    bad = tmp_path / "bad.npz"
    np.savez(bad, something=np.zeros(3))
    with pytest.raises(BackendError):
        LinearSentiment(bad)


# ------------------------------------------------------------------ transformers backend
def test_transformers_label_map_mismatch_lists_both(tiny_bert):
    cls = resolve("sentiment", "transformers")
    with pytest.raises(BackendError) as err:
        cls(model_dir=str(tiny_bert), label_map={"negative": "LABEL_0", "positive": "LABEL_1"})
    msg = str(err.value)
    assert "LABEL_0" in msg and "NEG" in msg and "POS" in msg


def test_transformers_bad_polarity_name(tiny_bert):
    cls = resolve("sentiment", "transformers")
    with pytest.raises(BackendError, match="unknown polarities"):
        cls(model_dir=str(tiny_bert), label_map={"negative": "NEG", "positive": "POS", "angry": "NEU"})


def test_transformers_needs_a_local_dir(tmp_path):
    cls = resolve("sentiment", "transformers")
    with pytest.raises(BackendError, match="never downloads"):
        cls(model_dir="bert-base-chinese")  # a hub name is not a directory here
    with pytest.raises(BackendError):
        cls()


def test_transformers_without_label_map_needs_meaningful_labels(tiny_bert):
    cls = resolve("sentiment", "transformers")
    with pytest.raises(BackendError, match="label_map"):
        cls(model_dir=str(tiny_bert))


def test_transformers_sets_threads_and_offline(tiny_bert, monkeypatch):
    import torch

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    before = torch.get_num_threads()
    try:
        resolve("sentiment", "transformers")(model_dir=str(tiny_bert), label_map={"negative": "NEG", "positive": "POS"},
                                             threads=1)
        import os

        assert os.environ["HF_HUB_OFFLINE"] == "1"
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


def test_transformers_batching_does_not_change_scores(tiny_bert):
    cls = resolve("sentiment", "transformers")
    lm = {"negative": "NEG", "positive": "POS"}
    a = cls(model_dir=str(tiny_bert), label_map=lm, batch_size=1).predict(TEXTS)
    b = cls(model_dir=str(tiny_bert), label_map=lm, batch_size=64).predict(TEXTS)
    assert np.allclose(a, b, atol=1e-4)


def test_transformers_in_the_analyzer(tiny_bert):
    from voc.analyzer import Analyzer
    from voc.records import Feedback
    from voc.settings import AnalyzerSettings

    settings = AnalyzerSettings.load()
    settings.sentiment_backend = "transformers"
    settings.sentiment_options = {"model_dir": str(tiny_bert), "label_map": {"negative": "NEG", "positive": "POS"}}
    a = Analyzer(settings)
    assert a.backend.model_id.startswith("transformers-")
    out = a.analyze(Feedback(id="1", raw_text="the service was slow"))
    assert -1 <= out.sentiment_score <= 1 and not any(f.startswith("error") for f in out.flags)


def test_the_two_row_paths_find_the_same_features(linear):
    """A few live turns go through Python dicts, a file's batches through numpy over the batch:
    both must find exactly the same sorted feature rows of every text (n-gram and dense blocks)."""
    from voc.text import fold

    folded = [fold(t) for t in TEXTS_ALONE_AND_IN_BATCH + ["繁體字的評論很好", "ＡＢＣ全角 ok!!", "a" * 300, "好" * 50]]
    small, batch = linear._rows_small(folded), linear._rows_batch(folded)
    for a, b in zip(small, batch):
        have_a, flat_a, starts_a = (list(map(int, x)) for x in a)
        have_b, flat_b, starts_b = (list(map(int, x)) for x in b)
        assert (have_a, flat_a, starts_a) == (have_b, flat_b, starts_b)
