"""Topic discovery (voc.topics) and the shipped static embedder (voc.models.embedder).

Tiny corpora with known themes, side by side in zh, en and code-mixed text. Each corpus is fitted
once (fixtures). Fitting imports neither bertopic nor spacy (seconds each); only the test that
checks the default clustering against BERTopic's own run imports bertopic."""
from __future__ import annotations

import json
import socket

import numpy as np
import pytest

from voc.records import Feedback

THEMES = {
    "delivery": {
        "zh": ["物流太慢了", "快递三天还没到", "配送速度太慢", "发货太慢了", "快递一直不送货", "物流信息一直不更新",
               "包裹还没送到", "快递员不送上门"],
        "en": ["the delivery was so slow", "my package has not arrived yet", "shipping took forever",
               "the courier never delivered my parcel", "delivery is late again", "tracking has not updated for days",
               "still waiting for my package", "the parcel arrived a week late"],
        "mixed": ["快递太慢了，delivery要一周", "物流tracking一直不更新", "包裹delay了三天", "courier一直不送货上门"],
    },
    "refund": {
        "zh": ["退款还没到账", "申请退款一周了还没退", "退货退款太麻烦", "钱一直没退回来", "退款被拒绝了",
               "要求退款没人处理", "退款流程太慢", "什么时候才能退款"],
        "en": ["my refund has not been received", "I want my money back", "the refund was rejected",
               "still no refund after two weeks", "how long does a refund take", "they refused to refund me",
               "refund process is too slow", "money has not been returned to my card"],
        "mixed": ["refund一直没到账", "申请了refund还没退钱", "退款的money还没回来", "refund被拒绝了"],
    },
    "battery": {
        "zh": ["电池不耐用", "手机电池掉电太快", "充电很慢，电池发热", "电池续航太差", "充一次电只能用半天",
               "电池鼓包了", "手表电池一天就没电", "充电器充不进电"],
        "en": ["the battery drains too fast", "battery life is terrible", "it will not charge anymore",
               "the battery dies after half a day", "charging is very slow", "the battery gets hot when charging",
               "battery barely lasts a day", "the charger does not work"],
        "mixed": ["battery续航太差了", "电池charge不进去", "手表battery一天就没电", "充电很慢battery发热"],
    },
}
FILLERS = {"zh": ["", "。", "，真的很失望", "，太差了", "！"], "en": ["", ".", ", very disappointed", "!", ", not happy"],
           "mixed": ["", "。", "，太差了", "!"]}


def corpus(lang: str) -> tuple[list[str], list[str]]:
    texts, gold = [], []
    for theme, by_lang in THEMES.items():
        for i, base in enumerate(by_lang[lang]):
            for filler in FILLERS[lang][: 3 if lang != "mixed" else 4]:
                texts.append(base + filler)
                gold.append(theme)
    return texts, gold


def langs_of(texts):
    from voc.text import detect_lang

    return [detect_lang(t) for t in texts]


@pytest.fixture(scope="session")
def no_network():
    """Any attempt to open a network connection fails the test that makes it."""
    real = socket.socket.connect

    def refuse(self, address):
        if isinstance(address, tuple) and address and address[0] not in ("127.0.0.1", "localhost", "::1"):
            raise AssertionError(f"voc tried to open a network connection to {address}")
        return real(self, address)

    socket.socket.connect = refuse
    yield
    socket.socket.connect = real


@pytest.fixture(scope="session")
def fitted(no_network):
    """One flat fit per language (min_topic_size 5), with its assignment."""
    from voc.topics import ClusterParams, fit_topic_model

    out = {}
    for lang in ("zh", "en", "mixed"):
        texts, gold = corpus(lang)
        model, res = fit_topic_model(texts, langs_of(texts), params=ClusterParams(min_topic_size=5), seed=0)
        out[lang] = (texts, gold, model, res)
    return out


# ------------------------------------------------------------------ embedder
def test_embedder_is_offline_deterministic_and_bilingual(no_network, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from voc.models.embedder import StaticEmbedder

    texts = ["物流太慢了", "the delivery was too slow", "app更新之后一直闪退", "", "🙂🙂", "退款还没到账",
             "the food was delicious"]
    a = StaticEmbedder().encode(texts)
    b = StaticEmbedder().encode(texts)
    assert a.dtype == np.float32 and a.shape == (len(texts), StaticEmbedder().dim)
    assert np.array_equal(a, b)
    norms = np.linalg.norm(a, axis=1)
    assert np.allclose(norms[[0, 1, 2, 5, 6]], 1, atol=1e-5)
    assert norms[3] == 0 and norms[4] == 0  # nothing to embed: an explicit zero vector
    # one text alone == the same text in a batch
    assert np.allclose(StaticEmbedder().encode([texts[2]])[0], a[2], atol=1e-6)
    # zh and en about the same thing sit closer than en about something else
    assert a[0] @ a[1] > a[0] @ a[6]
    assert a[0] @ a[1] > a[5] @ a[1]


def test_embedder_file_is_safe_and_small():
    from voc.models.embedder import DEFAULT_MODEL

    assert DEFAULT_MODEL.stat().st_size < 40e6
    with np.load(DEFAULT_MODEL, allow_pickle=False) as z:  # raises if anything needs pickle
        assert {"vectors_q", "scales", "vocab", "meta"} <= set(z.files)
        meta = json.loads(z["meta"].tobytes().decode("utf-8"))
    assert meta["teacher"].startswith("Google Universal Sentence Encoder")


# ------------------------------------------------------------------ topics
@pytest.mark.parametrize("lang", ["zh", "en", "mixed"])
def test_tiny_corpora_find_the_themes(fitted, lang):
    from sklearn.metrics import adjusted_rand_score

    texts, gold, model, res = fitted[lang]
    assert len(model.topics) >= 2
    assert (res.ids == -1).mean() <= 0.15
    assert adjusted_rand_score(gold, res.ids) >= 0.5, [t.label for t in model.topics]
    for t in model.topics:
        assert t.label and t.short_label and t.terms
    if lang == "zh":  # labels in the corpus language
        assert all(any("\u4e00" <= c <= "\u9fff" for c in t.label) for t in model.topics)


def test_same_seed_same_ids(fitted):
    from voc.topics import ClusterParams, fit_topic_model

    texts, _, model, res = fitted["en"]
    model2, res2 = fit_topic_model(texts, langs_of(texts), params=ClusterParams(min_topic_size=5), seed=0)
    assert res2.ids.tolist() == res.ids.tolist()
    assert [t.label for t in model2.topics] == [t.label for t in model.topics]
    assert np.array_equal(model2.centroids, model.centroids)


def test_save_load_round_trip_assigns_the_same_ids(fitted, tmp_path):
    from voc.topics import TopicModel, assign_vectors

    texts, _, model, res = fitted["mixed"]
    model.save(tmp_path / "m")
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["topics.json", "vectors.npz"]
    loaded = TopicModel.load(tmp_path / "m")
    assert np.array_equal(loaded.proto_ids, model.proto_ids) and np.allclose(loaded.prototypes, model.prototypes)
    assert np.array_equal(loaded.proto_radius, model.proto_radius)
    assert set(loaded.proto_ids.tolist()) == {t.id for t in model.topics}
    again = assign_vectors(loaded, texts, langs_of(texts), None)
    assert again.ids.tolist() == res.ids.tolist()
    # new records get existing ids
    new = assign_vectors(loaded, ["快递还是太慢", "refund still missing", "battery died again"],
                         ["zh", "en", "en"], None)
    assert set(new.ids.tolist()) <= {t.id for t in model.topics} | {-1}


def test_model_saved_without_prototypes_still_loads(fitted, tmp_path):
    """A model directory from before prototypes existed: one prototype per topic (its centroid)."""
    from voc.topics import TopicModel

    _, _, model, _ = fitted["en"]
    model.save(tmp_path / "m")
    with np.load(tmp_path / "m" / "vectors.npz", allow_pickle=False) as z:
        arrays = {k: z[k] for k in ("centroids", "raw_centroids", "means")}
    np.savez_compressed(tmp_path / "m" / "vectors.npz", **arrays)
    old = TopicModel.load(tmp_path / "m")
    assert old.proto_ids.tolist() == [t.id for t in model.topics]
    assert np.allclose(old.prototypes, model.centroids)
    ids, _ = old.nearest(model.centroids, ["*"] * len(model.topics))
    assert ids.tolist() == [t.id for t in model.topics]


def test_refit_on_overlapping_corpus_keeps_ids(fitted):
    from voc.topics import ClusterParams, fit_topic_model

    texts, _, model, res = fitted["zh"]
    rng = np.random.default_rng(1)
    keep = np.sort(rng.choice(len(texts), size=int(0.9 * len(texts)), replace=False))
    extra = ["物流太慢，等了好久", "退款一直不到账", "电池一天就没电了"]
    texts_b = [texts[i] for i in keep] + extra
    model_b, res_b = fit_topic_model(texts_b, langs_of(texts_b), params=ClusterParams(min_topic_size=5), seed=0,
                                     previous=model)
    same = np.mean([res.ids[i] == res_b.ids[k] for k, i in enumerate(keep)])
    assert same >= 0.9
    assert any(t.parent is not None for t in model_b.topics)


def test_fitting_imports_neither_bertopic_nor_spacy(tmp_path):
    """`import bertopic` (~10 s) and `import spacy` (~3-5 s) were most of a small report's topic step.
    The stop words are spaCy's own lists and the c-TF-IDF is BERTopic's own class, read from their files."""
    import subprocess
    import sys

    script = tmp_path / "fit.py"
    script.write_text(f"""
import sys
sys.path.insert(0, {str(__import__("pathlib").Path(__file__).resolve().parent.parent)!r})
from tests.test_topics import corpus, langs_of
from voc.topics import ClusterParams, fit_topic_model
from voc.topics.cluster import class_tfidf
from voc.topics.terms import spacy_stop_words

texts, _ = corpus("mixed")
model, res = fit_topic_model(texts, langs_of(texts), params=ClusterParams(min_topic_size=5), seed=0)
assert model.topics and all(t.terms for t in model.topics)
mine = {{lang: spacy_stop_words(lang) for lang in ("en", "zh")}}
heavy = sorted(m for m in ("bertopic", "spacy", "torch", "umap", "hdbscan", "sentence_transformers") if m in sys.modules)
assert not heavy, heavy
assert class_tfidf().__module__ == "voc.topics._bertopic_ctfidf"
from spacy.lang.en.stop_words import STOP_WORDS as EN
from spacy.lang.zh.stop_words import STOP_WORDS as ZH
assert mine["en"] == frozenset(EN) and mine["zh"] == frozenset(ZH)
print("ok")
""")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and proc.stdout.strip().endswith("ok"), proc.stderr[-3000:]


def test_default_clustering_is_what_bertopic_computes(no_network):
    """The default (OverMerge) path calls the reducer and clusterer itself: the same labels and cells as
    when BERTopic.fit_transform drives the same sub-models, and the same c-TF-IDF class."""
    from bertopic.vectorizers import ClassTfidfTransformer
    from scipy import sparse

    from voc.models.embedder import StaticEmbedder
    from voc.topics import ClusterParams
    from voc.topics.cluster import OverMerge, _bertopic_labels, _cluster_labels, class_tfidf
    from voc.topics.embed import normalize
    from voc.topics.terms import TopicTokenizer

    texts, _ = corpus("mixed")
    texts += corpus("en")[0]
    vectors = normalize(StaticEmbedder().encode(texts))
    params, tok = ClusterParams(min_topic_size=5), TopicTokenizer()
    labels, cells = _cluster_labels(texts, vectors, params, 0, tok)
    through = OverMerge(params.min_topic_size, params.merge_similarity, params.max_clusters, 0, params.n_init)
    topics, _ = _bertopic_labels(texts, vectors, params, 0, tok, through)
    assert labels.tolist() == through.labels_.tolist() and cells.tolist() == through.cells_.tolist()
    assert len(set(labels.tolist())) > 1
    # BERTopic's ids are the same partition, renumbered by size
    assert len(set(zip(labels.tolist(), topics.tolist()))) == len(set(labels.tolist()))
    counts = sparse.csr_matrix(np.random.default_rng(0).poisson(1.0, size=(4, 30)).astype(float))
    mine = class_tfidf()(reduce_frequent_words=True).fit_transform(counts.copy())  # it normalises in place
    theirs = ClassTfidfTransformer(reduce_frequent_words=True).fit_transform(counts.copy())
    assert np.array_equal(mine.toarray(), theirs.toarray())


def test_governed_discovery_and_assign_topics(analyzer, no_network):
    from voc.topics import assign_topics, discover, topic_table

    texts = []
    for lang in ("zh", "en"):
        texts += corpus(lang)[0]
    texts += ["会员积分怎么兑换不了", "积分兑换一直失败", "points cannot be redeemed", "积分过期了也没提醒",
              "会员积分清零了", "my loyalty points disappeared"] * 2
    records = list(analyzer.pipe(Feedback(id=f"r{i}", raw_text=t, ts=f"2026-11-{1 + i % 20:02d}")
                                 for i, t in enumerate(texts)))
    model, res = discover(records, min_topic_size=5)
    table = topic_table(records, model, res)
    assert table["records"] == len(records) and table["other_share"] <= 0.15
    statuses = {r["status"] for r in table["topics"]}
    assert statuses <= {"touchpoint", "proposed", "other"}
    for row in table["topics"]:
        assert {"id", "label", "size", "share", "sentiment", "terms", "example_ids", "growth"} <= set(row)
    used = assign_topics(records, model)
    assert used is model
    for fb in records:
        assert isinstance(fb.topic, dict) and set(fb.topic) == {"id", "label"}
        assert fb.topic["id"] == -1 and fb.topic["label"] == "other" or fb.topic["id"] >= 0
        assert fb.to_contract()["topic"] == fb.topic


def test_cli_topics_fit_save_and_assign(runner, tmp_path, no_network):
    from voc.cli import main
    from tests.conftest import SAMPLE

    out, model_dir = tmp_path / "topics.json", tmp_path / "model"
    args = ["topics", str(SAMPLE / "survey_2026.csv"), "-o", str(out), "--min-topic-size", "8"]
    r = runner.invoke(main, args + ["--model-out", str(model_dir)])
    assert r.exit_code == 0, r.output
    table = json.loads(out.read_text(encoding="utf-8"))
    assert table["records"] == 400 and table["topics"]
    assert any(row["growth"] is not None for row in table["topics"])  # the survey has timestamps
    r2 = runner.invoke(main, ["topics", str(SAMPLE / "survey_2026.csv"), "-o", str(tmp_path / "again.json"),
                              "--model", str(model_dir)])
    assert r2.exit_code == 0, r2.output
    again = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))
    assert [(t["id"], t["size"]) for t in again["topics"]] == [(t["id"], t["size"]) for t in table["topics"]]


class _TableEmbedder:
    """A stand-in embedder: fixed vectors per text (so a refit test controls the geometry)."""

    dim, model_id = 24, "table-test-embedder"

    def __init__(self, table: dict[str, np.ndarray]):
        self.table = table

    def encode(self, texts):
        return np.stack([self.table[t] for t in texts]).astype(np.float32)


def _blobs(rng, centres, per: int, spread: float, tag: str):
    texts, table, gold = [], {}, []
    for th, c in enumerate(centres):
        for i in range(per):
            v = c + spread * rng.normal(size=len(c))
            t = f"{tag} theme{th} word{th}x{i % 7} item{i}"
            texts.append(t)
            table[t] = v / np.linalg.norm(v)
            gold.append(th)
    return texts, table, gold


def test_refit_keeps_ids_of_overlapping_themes_and_gives_new_themes_new_ids(no_network):
    """8 noisy, overlapping themes: clustering from scratch again regroups them differently (a
    refit that only matched new clusters to old ones kept ~70% of the shared records on their id);
    a refit must keep >= 90%, give a theme that did not exist fresh ids, and be deterministic."""
    from voc.topics import ClusterParams, fit_topic_model

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(8, _TableEmbedder.dim))
    texts, table, _ = _blobs(rng, centres, 60, 1.3, "a")
    more, t2, _ = _blobs(rng, centres, 5, 1.3, "b")  # new records of the same themes
    novel, t3, _ = _blobs(rng, rng.normal(size=(2, _TableEmbedder.dim)) * 2.0, 20, 0.5, "c")  # new themes
    emb = _TableEmbedder({**table, **t2, **t3})
    params = ClusterParams(min_topic_size=5)
    model_a, res_a = fit_topic_model(texts, ["en"] * len(texts), embedder=emb, params=params, seed=0)
    keep = np.sort(np.random.default_rng(1).choice(len(texts), size=int(0.9 * len(texts)), replace=False))
    texts_b = [texts[i] for i in keep] + more + novel
    model_b, res_b = fit_topic_model(texts_b, ["en"] * len(texts_b), embedder=emb, params=params, seed=0,
                                     previous=model_a)
    same = np.mean([res_a.ids[i] == res_b.ids[k] for k, i in enumerate(keep)])
    assert same >= 0.9, same
    old_ids = {t.id for t in model_a.topics}
    novel_ids = res_b.ids[len(keep) + len(more):]
    assert np.mean([i not in old_ids and i != -1 for i in novel_ids]) >= 0.9
    assert all(t.parent == t.id for t in model_b.topics if t.id in old_ids)
    assert all(t.parent is None and t.id >= model_a.meta["next_id"] for t in model_b.topics if t.id not in old_ids)
    model_c, res_c = fit_topic_model(texts_b, ["en"] * len(texts_b), embedder=emb, params=params, seed=0,
                                     previous=model_a)
    assert res_c.ids.tolist() == res_b.ids.tolist()
    assert np.array_equal(model_c.prototypes, model_b.prototypes)
