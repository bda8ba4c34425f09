"""Clustering one scope's records the BERTopic way, sub-models swapped for offline CPU-friendly ones.

A sample (at most `sample_size` records) with precomputed embeddings is reduced and clustered by
BERTopic's "umap_model" and "hdbscan_model" slots. With the default clusterer (OverMerge) voc calls
the two itself, exactly as BERTopic would, because it reads nothing else of BERTopic's fit and
`import bertopic` costs ~10 s; the HDBSCAN / k-means options still run through BERTopic. Topic
terms are BERTopic's c-TF-IDF (ClassTfidfTransformer, loaded without the rest of the package).
  - "umap_model": `SmoothedPCA`: each vector is averaged with its 5 nearest neighbours, twice (a
    cheap kNN-graph diffusion that pulls paraphrases together, the part of UMAP that matters for
    topics here), then PCA to 64 dimensions. No numba JIT, and O(n^2 d) only on the sample.
    `reducer="umap"` is available for small corpora (40-60 s JIT, ~N^1.3; see ARCHITECTURE.md);
  - "hdbscan_model": `OverMerge` (default): k-means over-clustering into many small cells (about
    2 x min_topic_size records each, at most `max_clusters`), whose centroids are then merged by
    average-linkage agglomeration (cosine). Where to cut the merge tree is chosen per corpus: each
    cut in `MERGE_GRID` is scored by the silhouette of the sampled records (cosine, on a seeded
    subsample) and the best cut wins, so 77 fine intents stay apart while 9 broad product
    categories merge, without a threshold tuned to either (a fixed `merge_similarity` is still
    accepted). `algorithm="hdbscan"` (HDBSCAN on the reduced vectors) is kept as an option;
  - "vectorizer_model": a jieba/spaCy CountVectorizer with zh+en stop words (voc.topics.terms);
  - language="multilingual" (with "english", BERTopic strips every Chinese word).
Topics are sets of prototypes: each surviving over-clustering cell keeps the mean of its members'
centred vectors as a prototype of its topic (a broad topic such as "phones" is several prototypes:
screens, batteries, crashes), and a record goes to the topic of its nearest prototype. A single
mean per topic would misplace the records of a topic that is not one round blob. Topics smaller than
`min_topic_size` are dissolved; every record, sampled or not, is then assigned by one rule
(voc.topics.model.TopicModel.nearest), so fitting and assigning cannot disagree.
Outlier reduction: no record is left out because a density estimate called it noise; each goes to
its nearest centroid, and only records whose cosine to it is below `min_similarity` (or that have
no vector: empty, or no known token) are "other" (-1).
"""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from functools import lru_cache

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
    merge_similarity: float | None = None  # overmerge: None = choose the cut by silhouette over
    # MERGE_GRID; a number = cells at least this similar (cosine, reduced space) become one topic
    max_clusters: int = 300  # overmerge: the over-clustering's size cap
    n_init: int = 1  # overmerge: k-means restarts
    n_clusters: int | None = None  # kmeans: this many clusters
    min_samples: int | None = 5  # hdbscan only
    min_similarity: float = 0.2  # below this cosine to the nearest centroid a record is "other"
    top_n_terms: int = 10

    def to_dict(self) -> dict:
        return asdict(self)


# Candidate cuts of the merge tree (cosine similarity of merged cells). Below 0.4 unrelated themes
# merge; above 0.75 a topic is hardly more than one over-clustering cell.
MERGE_GRID = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75)
SILHOUETTE_SAMPLE = 3000


@dataclass
class ScopeFit:
    """What one scope's fit produced: topic centroids and the prototypes that stand for them."""

    centroids: np.ndarray  # (k, d) centred space, normalised: mean of each topic's members
    prototypes: np.ndarray  # (p, d) centred space, normalised
    proto_topic: np.ndarray  # (p,) index into centroids
    counts: list[int]  # sample members per topic (after reassignment by the prototype rule)


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
    """BERTopic "hdbscan_model": over-cluster with k-means, merge similar cells, keep labels_.

    After fit: `labels_` (merged topic per point), `cells_` (over-clustering cell per point,
    0..c-1), `cell_topic_` (merged topic per cell) and `merge_similarity_` (the cut used)."""

    def __init__(self, min_topic_size: int, merge_similarity: float | None, max_clusters: int, seed: int,
                 n_init: int = 1):
        self.min_topic_size, self.merge_similarity = min_topic_size, merge_similarity
        self.max_clusters, self.seed, self.n_init = max_clusters, seed, n_init

    def fit(self, x, y=None):
        from sklearn.cluster import KMeans

        x = np.asarray(x, dtype=np.float32)
        n = len(x)
        k0 = int(min(max(2, n // (2 * self.min_topic_size)), self.max_clusters, n))
        first = KMeans(n_clusters=k0, n_init=self.n_init, max_iter=100, random_state=self.seed).fit(x).labels_
        used, cells = np.unique(first, return_inverse=True)
        cents = normalize(np.stack([x[cells == j].mean(axis=0) for j in range(len(used))]))
        if len(used) > 1:
            tree = _merge_tree(cents)
            if self.merge_similarity is not None:
                cut = float(self.merge_similarity)
            else:
                cut = _best_cut(tree, x, cells, self.seed)
            merged = _cut(tree, cut)
        else:
            cut, merged = float(self.merge_similarity or 0.0), np.zeros(1, dtype=np.int64)
        self.cells_, self.cell_topic_, self.merge_similarity_ = cells, merged, cut
        self.labels_ = merged[cells]
        return self

    def predict(self, x):  # BERTopic calls it only for transform(), which voc never uses
        raise NotImplementedError("voc assigns records with TopicModel.nearest")


def _merge_tree(cents: np.ndarray):
    """Average-linkage (cosine) merge tree of the cell centroids (scipy linkage matrix)."""
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import pdist

    d = np.clip(pdist(cents.astype(np.float64), metric="cosine"), 0.0, 2.0)
    return linkage(d, method="average")


def _cut(tree, similarity: float) -> np.ndarray:
    """Cells joined at cosine >= similarity share a topic; topics numbered by first cell."""
    from scipy.cluster.hierarchy import fcluster

    raw = fcluster(tree, t=1.0 - similarity, criterion="distance")
    _, first_pos, inv = np.unique(raw, return_index=True, return_inverse=True)
    rank = np.argsort(np.argsort(first_pos))  # label order = order of first appearance
    return rank[inv].astype(np.int64)


def _best_cut(tree, x: np.ndarray, cells: np.ndarray, seed: int) -> float:
    """The cut in MERGE_GRID with the highest mean silhouette (cosine) of a seeded subsample;
    ties go to the coarser cut."""
    n = len(x)
    rng = np.random.default_rng(seed)
    sub = np.sort(rng.choice(n, size=min(SILHOUETTE_SAMPLE, n), replace=False))
    dist = 1.0 - x[sub] @ x[sub].T
    best, best_s = MERGE_GRID[0], -np.inf
    for sim in MERGE_GRID:
        s = silhouette(dist, _cut(tree, sim)[cells[sub]])
        log.debug("topics: merge cut %.2f silhouette %.4f", sim, s)
        if s > best_s + 1e-9:
            best, best_s = sim, s
    return best


def silhouette(dist: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette from a precomputed distance matrix (points alone in their cluster score 0)."""
    u, inv = np.unique(labels, return_inverse=True)
    if len(u) < 2:
        return -1.0
    onehot = np.zeros((len(labels), len(u)), dtype=np.float32)
    onehot[np.arange(len(labels)), inv] = 1.0
    size = onehot.sum(axis=0)
    total = dist.astype(np.float32) @ onehot  # summed distance of each point to each cluster
    rows = np.arange(len(labels))
    n_own = size[inv] - 1
    a = np.where(n_own > 0, total[rows, inv] / np.maximum(n_own, 1), 0.0)
    mean_other = total / size
    mean_other[rows, inv] = np.inf
    b = mean_other.min(axis=1)
    s = np.where(n_own > 0, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(s.mean())


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
              tokenizer=None) -> ScopeFit | None:
    """Cluster one scope's sampled docs (vectors: centred, normalised, no all-zero rows).
    None when the scope is too small for a topic."""
    n = len(docs)
    if n < params.min_topic_size:
        return None
    if tokenizer is None:
        from voc.topics.terms import TopicTokenizer

        tokenizer = TopicTokenizer()
    if n >= 2 * params.min_topic_size:
        labels, cells = _cluster_labels(docs, vectors, params, seed, tokenizer)
    else:
        labels, cells = np.zeros(n, dtype=np.int64), None
    # topics smaller than min_topic_size are dissolved: their records go to the nearest topic
    sizes = {k: int((labels == k).sum()) for k in set(labels.tolist()) - {-1}}
    ks = sorted(k for k, c in sizes.items() if c >= params.min_topic_size)
    if not ks and sizes:  # nothing big enough: the largest cluster stands for the scope
        ks = [min(sizes, key=lambda k: (-sizes[k], k))]
    if not ks:  # no cluster at all (HDBSCAN called everything noise): the scope is one topic
        labels = np.zeros(n, dtype=np.int64)
        ks = [0]
        cells = None
    cents = normalize(np.stack([vectors[labels == k].mean(axis=0) for k in ks]))
    if cells is not None:  # one prototype per over-clustering cell of a surviving topic
        pos = {k: i for i, k in enumerate(ks)}
        protos, owner = [], []
        for c in range(int(cells.max()) + 1):
            members = cells == c
            k = int(labels[members][0]) if members.any() else -1
            if k in pos:
                protos.append(vectors[members].mean(axis=0))
                owner.append(pos[k])
        prototypes, proto_topic = normalize(np.stack(protos)), np.array(owner, dtype=np.int64)
    else:
        prototypes, proto_topic = cents, np.arange(len(ks), dtype=np.int64)
    # the one assignment rule (TopicModel.nearest) for every record, noise points included
    sims = vectors @ prototypes.T
    best = sims.argmax(axis=1)
    assigned = proto_topic[best]
    assigned[sims[np.arange(n), best] < params.min_similarity] = -1
    counts = np.bincount(assigned[assigned >= 0], minlength=len(ks)).tolist()
    return ScopeFit(cents.astype(np.float32), prototypes.astype(np.float32), proto_topic, counts)


def _cluster_labels(docs, vectors, params: ClusterParams, seed: int, tokenizer):
    """(topic label per doc, over-clustering cell per doc or None).

    OverMerge (the default): the reducer, then the clusterer, called exactly as BERTopic calls them
    (fit_transform, nan_to_num, fit). Through BERTopic the only difference was work whose result
    voc never read (BERTopic's topic ids, c-TF-IDF and representative documents: voc keeps the
    clusterer's own labels to pair them with its cells, and ctfidf_terms describes the final
    assignment), for ~10 s of imports (sentence-transformers, transformers, umap, hdbscan, plotting).
    HDBSCAN and k-means still go through BERTopic, whose topic ids (renumbered by size) voc uses."""
    n = len(docs)
    clusterer = _clusterer(params, n, seed)
    if isinstance(clusterer, OverMerge):
        reduced = _reducer(params, n, vectors.shape[1], seed).fit_transform(vectors)
        clusterer.fit(np.nan_to_num(reduced))
        return np.asarray(clusterer.labels_, dtype=np.int64), np.asarray(clusterer.cells_, dtype=np.int64)
    return _bertopic_labels(docs, vectors, params, seed, tokenizer, clusterer)


def _bertopic_labels(docs, vectors, params: ClusterParams, seed: int, tokenizer, clusterer):
    """BERTopic's topic per doc (renumbered by size) with the HDBSCAN / k-means clusterer."""
    from bertopic import BERTopic

    from voc.topics.terms import make_vectorizer

    n = len(docs)
    model = BERTopic(
        language="multilingual",
        embedding_model=None,
        umap_model=_reducer(params, n, vectors.shape[1], seed),
        hdbscan_model=clusterer,
        vectorizer_model=make_vectorizer(tokenizer, min_df=2 if n >= 200 else 1),
        ctfidf_model=class_tfidf()(reduce_frequent_words=True),
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
    return np.asarray(topics, dtype=np.int64), None


def ctfidf_terms(docs: list[str], labels: np.ndarray, k: int, top_n: int,
                 tokenizer=None) -> list[list[tuple[str, float]]]:
    """Class-based TF-IDF (BERTopic's ClassTfidfTransformer) of the final assignment: the terms
    describe the records a topic actually holds, not HDBSCAN's core points."""
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
    ctfidf = class_tfidf()(reduce_frequent_words=True).fit_transform(counts)
    ctfidf = ctfidf.toarray() if sparse.issparse(ctfidf) else np.asarray(ctfidf)
    words = vec.get_feature_names_out()
    for j in range(k):
        row = ctfidf[j]
        top = np.argsort(-row, kind="stable")[: top_n * 3]
        out[j] = [(str(words[i]), float(row[i])) for i in top if row[i] > 0]
    return out


@lru_cache(maxsize=1)
def class_tfidf():
    """BERTopic's ClassTfidfTransformer class, loaded from its own module file
    (bertopic/vectorizers/_ctfidf.py: numpy, scipy and scikit-learn only) without running
    bertopic/__init__.py, which imports all of BERTopic (~10 s). find_spec("bertopic") locates the
    package without executing it. If the file is gone or no longer loads on its own (another
    BERTopic layout), the ordinary import."""
    import sys

    from voc.standalone import module_file

    if "bertopic" not in sys.modules:
        module = module_file("bertopic", "vectorizers/_ctfidf.py", "voc.topics._bertopic_ctfidf",
                             "topic discovery needs BERTopic's c-TF-IDF, and bertopic is not installed "
                             "(pip install -e '.[models]')")
        if module is not None:
            return module.ClassTfidfTransformer
    from bertopic.vectorizers import ClassTfidfTransformer

    return ClassTfidfTransformer
