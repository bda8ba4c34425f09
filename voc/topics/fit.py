"""Fit a topic model on texts (optionally split into scopes), and assign texts to a fitted model.

Scale: the clustering sees at most `sample_size` records (a seeded sample, stratified by scope);
every record is then embedded and assigned in chunks of `CHUNK`, so time is linear in N and memory
is bounded by the chunk, not by N (1M records never hold 1M vectors at once).
Determinism: the sample, PCA, HDBSCAN and ids depend only on the input and the seed.
"""
from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

import numpy as np

from voc import __version__
from voc.errors import ConfigError
from voc.topics.cluster import ClusterParams, fit_scope
from voc.topics.embed import apply_centering, fit_centering, get_embedder, lang_group, normalize
from voc.topics.model import ALL, OTHER_ID, RESIDUE, Topic, TopicModel
from voc.topics.stable import MATCH_THRESHOLD, match_ids
from voc.topics.terms import phrase, pick_terms

log = logging.getLogger("voc")
CHUNK = 50_000


@dataclass
class Assignment:
    ids: np.ndarray  # topic id per text, -1 = other
    similarity: np.ndarray  # cosine to the assigned (or nearest) topic centroid


def _bar(total: int, enabled: bool, desc: str):
    from tqdm import tqdm

    return tqdm(total=total, disable=not enabled, file=sys.stderr, unit=" rec", desc=desc,
                mininterval=0.5, dynamic_ncols=True)


def _sample(scopes: list[str], nonempty: np.ndarray, size: int, seed: int) -> np.ndarray:
    """Seeded sample of record indices, proportional per scope, every scope at least 1,000."""
    idx = np.flatnonzero(nonempty)
    if len(idx) <= size:
        return idx
    rng = np.random.default_rng(seed)
    sc = np.array(scopes, dtype=object)[idx]
    out = []
    for s in sorted(set(sc.tolist())):
        members = idx[sc == s]
        want = min(len(members), max(1000, round(size * len(members) / len(idx))))
        out.append(np.sort(rng.choice(members, size=want, replace=False)))
    return np.sort(np.concatenate(out))


def fit_topic_model(texts: list[str], langs: list[str], scopes: list[str] | None = None, *,
                    embedder="static", params: ClusterParams | None = None, seed: int = 0,
                    user_words: list[str] | None = None, previous: TopicModel | None = None,
                    progress: bool = False) -> tuple[TopicModel, Assignment]:
    """Cluster `texts` (within each scope) and assign every text. With `previous`, topics matching
    one of its topics keep that topic's id (voc.topics.stable). `embedder` is a name
    (voc.topics.embed.EMBEDDERS) or an object with encode/dim/model_id."""
    params = params or ClusterParams()
    n = len(texts)
    texts = [t if isinstance(t, str) else "" for t in texts]
    scopes = list(scopes) if scopes is not None else [ALL] * n
    emb = get_embedder(embedder) if isinstance(embedder, str) else embedder  # a name, or an object
    nonempty = np.array([bool(t.strip()) for t in texts], dtype=bool)

    # governed scopes too small for their own topics join the residue
    if any(s != ALL for s in scopes):
        sizes: dict[str, int] = {}
        for s, ok in zip(scopes, nonempty):
            sizes[s] = sizes.get(s, 0) + int(ok)
        small = {s for s, c in sizes.items() if c < 2 * params.min_topic_size and s != RESIDUE}
        scopes = [RESIDUE if s in small else s for s in scopes]

    # 1. sample -> vectors -> centring means -> clusters per scope
    sample = _sample(scopes, nonempty, params.sample_size, seed)
    with _bar(len(sample), progress, "topics: embed sample") as bar:
        svec = np.zeros((len(sample), emb.dim), dtype=np.float32)
        for lo in range(0, len(sample), 8192):
            part = sample[lo:lo + 8192]
            svec[lo:lo + len(part)] = emb.encode([texts[i] for i in part])
            bar.update(len(part))
    slangs = [langs[i] for i in sample]
    means = fit_centering(svec, slangs) if len(sample) else {"*": np.zeros(emb.dim, np.float32)}
    scen = apply_centering(svec, slangs, means)
    live = np.linalg.norm(scen, axis=1) > 0
    sscopes = np.array([scopes[i] for i in sample], dtype=object)
    provisional: list[tuple[str, np.ndarray, list]] = []
    for s in sorted(set(sscopes.tolist())):
        rows = np.flatnonzero(live & (sscopes == s))
        log.debug("topics: scope %s: clustering %d sampled records", s, len(rows))
        fit = fit_scope([texts[sample[r]] for r in rows], scen[rows], params, seed, user_words)
        if fit is None:
            continue
        for j in range(len(fit.centroids)):
            provisional.append((s, fit.centroids[j], fit.terms[j]))

    base = TopicModel(
        topics=[Topic(id=i, label="", short_label="", terms=t, scope=s) for i, (s, _, t) in enumerate(provisional)],
        centroids=np.stack([c for _, c, _ in provisional]) if provisional else np.zeros((0, emb.dim), np.float32),
        raw_centroids=np.zeros((len(provisional), emb.dim), np.float32),
        means=means, embedder=emb.model_id, params=params.to_dict(), seed=seed,
        meta={"voc_version": __version__, "fitted_on": n, "sampled": int(len(sample))})

    # 2. assign everyone with the one rule; accumulate what the table and refits need
    reuse = svec if len(sample) == n else None
    k = len(provisional)
    raw_sum = np.zeros((k, emb.dim), dtype=np.float64)
    lang_counts = np.zeros((k, 3), dtype=np.int64)  # zh, en, other
    result = assign_vectors(base, texts, langs, scopes, emb, progress, reuse=reuse,
                            on_chunk=lambda rows, vec, ids: _accumulate(rows, vec, ids, langs, raw_sum, lang_counts))
    counts = np.bincount(result.ids[result.ids >= 0], minlength=k) if k else np.zeros(0, np.int64)

    # 3. final ids: by size (largest first), ties by scope then provisional order; empty topics dropped
    order = sorted((j for j in range(k) if counts[j] > 0), key=lambda j: (-counts[j], provisional[j][0], j))
    raw = normalize(raw_sum[order].astype(np.float32)) if order else np.zeros((0, emb.dim), np.float32)
    if previous is not None:
        prev_ids = [t.id for t in previous.topics]
        next_id = max([int(previous.meta.get("next_id", 0))] + [i + 1 for i in prev_ids])
        new_ids, parents = match_ids(raw, [provisional[j][0] for j in order], previous.raw_centroids,
                                     [t.scope for t in previous.topics], prev_ids, next_id, MATCH_THRESHOLD)
    else:
        new_ids, parents = list(range(len(order))), [None] * len(order)
    topics = []
    for pos, j in enumerate(order):
        scope, _, terms = provisional[j]
        zh, en, _other = lang_counts[j]
        lang = "zh" if zh >= 0.7 * counts[j] else "en" if en >= 0.7 * counts[j] else None
        phrases = pick_terms(terms, 10, lang)
        label = " ".join(phrases[:3]) if phrases else f"topic {new_ids[pos]}"
        score: dict[str, float] = {}
        for t, s in terms:
            score.setdefault(phrase(t), float(s))
        topics.append(Topic(id=new_ids[pos], label=label, short_label=phrases[0] if phrases else label,
                            terms=[(p, score.get(p, 0.0)) for p in phrases], scope=scope, size=int(counts[j]),
                            parent=parents[pos]))
    remap = np.full(k + 1, OTHER_ID, dtype=np.int64)  # provisional id -> final id (index k: other)
    for pos, j in enumerate(order):
        remap[j] = new_ids[pos]
    ids = remap[np.where(result.ids >= 0, result.ids, k)]
    model = TopicModel(
        topics=topics, centroids=base.centroids[order] if order else base.centroids, raw_centroids=raw,
        means=means, embedder=emb.model_id, params=params.to_dict(), seed=seed,
        meta={**base.meta, "next_id": max([0] + [i + 1 for i in new_ids] +
                                          ([int(previous.meta.get("next_id", 0))] if previous else [])),
              "refit_of": previous.meta.get("model_hash") if previous else None})
    model.meta["model_hash"] = _hash(model)
    return model, Assignment(ids, result.similarity)


def _accumulate(rows, vec, ids, langs, raw_sum, lang_counts) -> None:
    ok = ids >= 0
    if not ok.any():
        return
    np.add.at(raw_sum, ids[ok], normalize(vec[ok]))
    g = np.array([{"zh": 0, "en": 1}.get(lang_group(langs[r]), 2) for r in rows[ok]])
    np.add.at(lang_counts, (ids[ok], g), 1)


def assign_vectors(model: TopicModel, texts: list[str], langs: list[str], scopes: list[str] | None,
                   emb=None, progress: bool = False, reuse: np.ndarray | None = None,
                   on_chunk=None) -> Assignment:
    """Embed (in chunks), centre with the model's means and assign with the model's rule."""
    n = len(texts)
    emb = emb or get_embedder(_embedder_name(model.embedder))
    if emb.model_id != model.embedder:
        raise ConfigError(f"the topic model was fitted with embedder {model.embedder!r}, "
                          f"this voc has {emb.model_id!r}: refit the topic model")
    scopes = list(scopes) if scopes is not None else [ALL] * n
    ids = np.full(n, OTHER_ID, dtype=np.int64)
    sims = np.zeros(n, dtype=np.float32)
    with _bar(n, progress, "topics: assign") as bar:
        for lo in range(0, n, CHUNK):
            rows = np.arange(lo, min(n, lo + CHUNK))
            vec = reuse[rows] if reuse is not None else emb.encode([t if isinstance(t, str) else "" for t in texts[lo:lo + CHUNK]])
            cen = model.centre(vec, langs[lo:lo + CHUNK])
            i, s = model.nearest(cen, scopes[lo:lo + CHUNK])
            ids[rows], sims[rows] = i, s
            if on_chunk is not None:
                on_chunk(rows, vec, i)
            bar.update(len(rows))
    return Assignment(ids, sims)


def _embedder_name(model_id: str) -> str:
    return "use" if model_id.startswith("use-") else "static"


def _hash(model: TopicModel) -> str:
    import hashlib

    h = hashlib.sha256()
    h.update(np.ascontiguousarray(model.centroids, dtype=np.float32).tobytes())
    h.update(",".join(f"{t.id}:{t.scope}" for t in model.topics).encode())
    return h.hexdigest()[:16]
