"""Clustering one scope's records with BERTopic, sub-models swapped for offline CPU-friendly ones.

BERTopic runs on a sample (at most `sample_size` records) with precomputed embeddings:
  - "umap_model": `SmoothedPCA`: each vector is averaged with its 5 nearest neighbours, twice (a
    cheap kNN-graph diffusion that pulls paraphrases together, the part of UMAP that matters for
    topics here), then PCA to 64 dimensions. No numba JIT, and O(n^2 d) only on the sample.
    `reducer="umap"` is available for small corpora (40-60 s JIT, ~N^1.3; see ARCHITECTURE.md);
  - "hdbscan_model": `OverMerge` (default): MiniBatchKMeans-style over-clustering into many small
    clusters (about 2 x min_topic_size records each, at most 300), whose centroids are then merged
    by average-linkage agglomeration while their cosine similarity is >= `merge_similarity`; the
    number of topics follows the data (77 fine intents stay apart, 9 broad categories merge) and,
    unlike HDBSCAN on PCA output, it does not jump between 3 and 75 topics when a parameter moves.
    `algorithm="hdbscan"` (HDBSCAN on the reduced vectors) is kept as an option;
  - "vectorizer_model": a jieba/spaCy CountVectorizer with zh+en stop words (voc.topics.terms);
  - language="multilingual" (with "english", BERTopic strips every Chinese word).
The clusters become centroids (mean of their members' centred vectors); clusters smaller than
`min_topic_size` are dissolved; and every record, sampled or not, is then assigned by one rule
(voc.topics.model.TopicModel.nearest), so fitting and assigning cannot disagree.
Outlier reduction: no record is left out because a density estimate called it noise; each goes to
its nearest centroid, and only records whose cosine to it is below `min_similarity` (or that have
no vector: empty, or no known token) are "other" (-1).
"""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

import numpy as np

from voc.topics.embed import normalize

log = logging.getLogger("voc")


@dataclass
class ClusterParams:
    min_topic_size: int = 10
    sample_size: int = 10_000
    algorithm: str = "overmerge"  # overmerge | hdbscan | kmeans
    reducer: str = "smoothed_pca"  # smoothed_pca | pca | umap
    n_components: int = 64
    neighbours: int = 5  # kNN smoothing: neighbours averaged in
    smoothing_steps: int = 2
    merge_similarity: float = 0.65  # overmerge: clusters at least this similar (cosine in the
    # reduced space) become one topic; higher -> more, finer topics
    max_clusters: int = 300  # overmerge: the over-clustering's size cap
    n_init: int = 1  # overmerge: k-means restarts
    n_clusters: int | None = None  # kmeans: this many clusters
    min_samples: int | None = 5  # hdbscan only
    min_similarity: float = 0.2  # below this cosine to the nearest centroid a record is "other"
    top_n_terms: int = 10

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ScopeFit:
    """What one scope's fit produced: member centroids and c-TF-IDF terms per cluster."""

    centroids: np.ndarray  # (k, d) centred space, normalised
    terms: list[list[tuple[str, float]]]
    counts: list[int]  # sample members per cluster (after reassignment)


def knn_smooth(x: np.ndarray, k: int, steps: int, block: int = 1024) -> np.ndarray:
    """Average every row with its k most similar rows (cosine), `steps` times; rows normalised."""
    n = len(x)
    if n <= k + 1 or steps <= 0 or k <= 0:
        return x
    idx = np.empty((n, k), dtype=np.int64)
    for lo in range(0, n, block):
        sims = x[lo:lo + block] @ x.T
        sims[np.arange(len(sims)), np.arange(lo, lo + len(sims))] = -np.inf
        part = np.argpartition(-sims, k, axis=1)[:, :k]
        # a stable order inside the k (argpartition's order is an implementation detail)
        order = np.lexsort((part, -np.take_along_axis(sims, part, axis=1)), axis=1)
        idx[lo:lo + block] = np.take_along_axis(part, order, axis=1)
    for _ in range(steps):
        x = normalize(x + x[idx].mean(axis=1))
    return x


class SmoothedPCA:
    """BERTopic "umap_model": kNN smoothing, then PCA (fit/transform, like UMAP's interface)."""

    def __init__(self, n_components: int, neighbours: int, steps: int, seed: int):
        self.n_components, self.neighbours, self.steps, self.seed = n_components, neighbours, steps, seed
        self._pca = None

    def fit_transform(self, x, y=None):  # what BERTopic calls
        return self._reduce(x, fit=True)

    def fit(self, x, y=None):
        self._reduce(x, fit=True)
        return self

    def transform(self, x):
        return self._reduce(x, fit=False)

    def _reduce(self, x, fit: bool):
        from sklearn.decomposition import PCA

        x = knn_smooth(np.asarray(x, dtype=np.float32), self.neighbours, self.steps)
        k = max(1, min(self.n_components, x.shape[0] - 1, x.shape[1]))
        if fit:
            self._pca = PCA(n_components=k, svd_solver="full", random_state=self.seed).fit(x)
        return normalize(self._pca.transform(x).astype(np.float32))


class OverMerge:
    """BERTopic "hdbscan_model": over-cluster with k-means, merge similar centroids, keep labels_."""

    def __init__(self, min_topic_size: int, merge_similarity: float, max_clusters: int, seed: int,
                 n_init: int = 1):
        self.min_topic_size, self.merge_similarity = min_topic_size, merge_similarity
        self.max_clusters, self.seed, self.n_init = max_clusters, seed, n_init

    def fit(self, x, y=None):
        from sklearn.cluster import AgglomerativeClustering, KMeans

        x = np.asarray(x, dtype=np.float32)
        n = len(x)
        k0 = int(min(max(2, n // (2 * self.min_topic_size)), self.max_clusters, n))
        km = KMeans(n_clusters=k0, n_init=self.n_init, max_iter=100, random_state=self.seed).fit(x)
        first = km.labels_
        used = np.unique(first)
        cents = normalize(np.stack([x[first == j].mean(axis=0) for j in used]))
        if len(used) > 1:
            agg = AgglomerativeClustering(n_clusters=None, distance_threshold=1 - self.merge_similarity,
                                          metric="cosine", linkage="average").fit(cents)
            merged = agg.labels_
        else:
            merged = np.zeros(1, dtype=np.int64)
        lut = np.full(first.max() + 1, -1, dtype=np.int64)
        lut[used] = merged
        self.labels_ = lut[first]
        return self

    def predict(self, x):  # BERTopic calls it only for transform(), which voc never uses
        raise NotImplementedError("voc assigns records with TopicModel.nearest")


def _reducer(params: ClusterParams, n: int, dim: int, seed: int):
    k = max(2, min(params.n_components, n - 1, dim))
    if params.reducer == "umap":
        from umap import UMAP

        return UMAP(n_neighbors=15, n_components=min(k, 5), min_dist=0.0, metric="cosine",
                    random_state=seed, n_jobs=1, low_memory=True)
    if params.reducer == "pca":
        return SmoothedPCA(k, 0, 0, seed)
    return SmoothedPCA(k, params.neighbours, params.smoothing_steps, seed)


def _clusterer(params: ClusterParams, n: int, seed: int):
    if params.algorithm == "kmeans" or params.n_clusters:
        from sklearn.cluster import MiniBatchKMeans

        return MiniBatchKMeans(n_clusters=min(params.n_clusters or 20, n), random_state=seed, n_init=3,
                               batch_size=4096)
    if params.algorithm == "hdbscan":
        from hdbscan import HDBSCAN

        mcs = max(2, min(params.min_topic_size, n // 2))
        ms = min(params.min_samples or mcs, mcs)
        return HDBSCAN(min_cluster_size=mcs, min_samples=ms, metric="euclidean",
                       cluster_selection_method="eom", core_dist_n_jobs=1)
    return OverMerge(params.min_topic_size, params.merge_similarity, params.max_clusters, seed, params.n_init)


def fit_scope(docs: list[str], vectors: np.ndarray, params: ClusterParams, seed: int,
              user_words: list[str] | None = None) -> ScopeFit | None:
    """Cluster one scope's sampled docs (vectors: centred, normalised, no all-zero rows).
    None when the scope is too small for a topic."""
    n = len(docs)
    if n < params.min_topic_size:
        return None
    from voc.topics.terms import TopicTokenizer

    tokenizer = TopicTokenizer(user_words)  # one instance: its cache serves BERTopic and the terms
    labels = _bertopic_labels(docs, vectors, params, seed, tokenizer) if n >= 2 * params.min_topic_size \
        else np.zeros(n, dtype=np.int64)
    # clusters smaller than min_topic_size are dissolved: their records go to the nearest topic
    sizes = {k: int((labels == k).sum()) for k in set(labels.tolist()) - {-1}}
    ks = sorted(k for k, c in sizes.items() if c >= params.min_topic_size)
    if not ks and sizes:  # nothing big enough: the largest cluster stands for the scope
        ks = [min(sizes, key=lambda k: (-sizes[k], k))]
    if not ks:  # no cluster at all (HDBSCAN called everything noise): the scope is one topic
        labels = np.zeros(n, dtype=np.int64)
        ks = [0]
    cents = normalize(np.stack([vectors[labels == k].mean(axis=0) for k in ks]))
    # the one assignment rule (TopicModel.nearest) for every record, noise points included
    sims = vectors @ cents.T
    assigned = sims.argmax(axis=1)
    assigned[sims.max(axis=1) < params.min_similarity] = -1
    keep = ks
    terms = ctfidf_terms(docs, assigned, len(keep), params.top_n_terms, tokenizer)
    counts = np.bincount(assigned[assigned >= 0], minlength=len(keep)).tolist()
    return ScopeFit(cents.astype(np.float32), terms, counts)


def _bertopic_labels(docs, vectors, params: ClusterParams, seed: int, tokenizer) -> np.ndarray:
    from bertopic import BERTopic
    from bertopic.vectorizers import ClassTfidfTransformer

    from voc.topics.terms import make_vectorizer

    n = len(docs)
    model = BERTopic(
        language="multilingual",
        embedding_model=None,
        umap_model=_reducer(params, n, vectors.shape[1], seed),
        hdbscan_model=_clusterer(params, n, seed),
        vectorizer_model=make_vectorizer(tokenizer, min_df=2 if n >= 200 else 1),
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
        min_topic_size=params.min_topic_size,
        top_n_words=params.top_n_terms,
        calculate_probabilities=False,
        verbose=False,
    )
    try:
        topics, _ = model.fit_transform(docs, embeddings=vectors)
    except ValueError as exc:  # e.g. an empty vocabulary on a tiny, stop-word-only scope
        log.debug("BERTopic failed on %d docs (%s); clustering without terms", n, exc)
        reducer = _reducer(params, n, vectors.shape[1], seed)
        topics = _clusterer(params, n, seed).fit(reducer.fit_transform(vectors)).labels_
    return np.asarray(topics, dtype=np.int64)


def ctfidf_terms(docs: list[str], labels: np.ndarray, k: int, top_n: int,
                 tokenizer=None) -> list[list[tuple[str, float]]]:
    """Class-based TF-IDF (BERTopic's ClassTfidfTransformer) of the final assignment: the terms
    describe the records a topic actually holds, not HDBSCAN's core points."""
    from bertopic.vectorizers import ClassTfidfTransformer
    from scipy import sparse

    from voc.topics.terms import make_vectorizer

    out: list[list[tuple[str, float]]] = [[] for _ in range(k)]
    classes = np.where(labels >= 0, labels, k)  # the outliers form one extra class
    vec = make_vectorizer(tokenizer, min_df=1)
    try:
        doc_counts = vec.fit_transform(docs)  # per document: no bigrams across documents
    except ValueError:  # empty vocabulary (only stop words)
        return out
    member = sparse.csr_matrix((np.ones(len(docs)), (classes, np.arange(len(docs)))), shape=(k + 1, len(docs)))
    counts = (member @ doc_counts).tocsr()
    ctfidf = ClassTfidfTransformer(reduce_frequent_words=True).fit_transform(counts)
    ctfidf = ctfidf.toarray() if sparse.issparse(ctfidf) else np.asarray(ctfidf)
    words = vec.get_feature_names_out()
    for j in range(k):
        row = ctfidf[j]
        top = np.argsort(-row, kind="stable")[: top_n * 3]
        out[j] = [(str(words[i]), float(row[i])) for i in top if row[i] > 0]
    return out
