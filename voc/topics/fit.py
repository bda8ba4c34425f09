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
from voc.topics.cluster import ClusterParams, ctfidf_terms, fit_scope
from voc.topics.embed import apply_centering, fit_centering, get_embedder, lang_group, normalize
from voc.topics.model import ALL, DEFAULT_RADIUS, OTHER_ID, RESIDUE, Topic, TopicModel
from voc.topics.stable import keep_close, match_ids
from voc.topics.terms import phrase, pick_terms

log = logging.getLogger("voc")
CHUNK = 50_000
RADIUS_QUANTILE = 0.05  # a prototype's radius: the cosine 95% of its fit-time records reach


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
    """Cluster `texts` (within each scope) and assign every text. With `previous`, records its
    topics still cover keep their ids and only the rest is clustered (voc.topics.stable).
    `embedder` is a name (voc.topics.embed.EMBEDDERS) or an object with encode/dim/model_id."""
    from voc.topics.terms import TopicTokenizer

    params = params or ClusterParams()
    n = len(texts)
    texts = [t if isinstance(t, str) else "" for t in texts]
    scopes = list(scopes) if scopes is not None else [ALL] * n
    emb = get_embedder(embedder) if isinstance(embedder, str) else embedder  # a name, or an object
    if previous is not None and previous.embedder != emb.model_id:
        raise ConfigError(f"the previous topic model was fitted with embedder {previous.embedder!r}, "
                          f"this fit uses {emb.model_id!r}: fit without --model")
    nonempty = np.array([bool(t.strip()) for t in texts], dtype=bool)

    # governed scopes too small for their own topics join the residue
    if any(s != ALL for s in scopes):
        sizes: dict[str, int] = {}
        for s, ok in zip(scopes, nonempty):
            sizes[s] = sizes.get(s, 0) + int(ok)
        small = {s for s, c in sizes.items() if c < 2 * params.min_topic_size and s != RESIDUE}
        scopes = [RESIDUE if s in small else s for s in scopes]

    # 1. sample -> vectors -> centring means
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
    tokenizer = TopicTokenizer(user_words)  # one instance: its cache serves BERTopic and the terms

    # 2. provisional topics [scope, prototypes, old id or None]: with a previous model, what it
    #    still covers keeps its topics, and only the remainder is clustered (per scope)
    provisional: list[list] = []
    todo = live
    if previous is not None:
        kept, todo = keep_close(previous, svec, slangs, sscopes.tolist(), scen, live)
        provisional = [[s, protos, tid] for s, protos, tid in kept]
    new: list[list] = []
    for s in sorted(set(sscopes.tolist())):
        rows = np.flatnonzero(todo & (sscopes == s))
        log.debug("topics: scope %s: clustering %d sampled records", s, len(rows))
        fit = fit_scope([texts[sample[r]] for r in rows], scen[rows], params, seed, tokenizer)
        if fit is None:
            continue
        sims = scen[rows] @ fit.prototypes.T
        member = fit.proto_topic[sims.argmax(axis=1)]
        for j in range(len(fit.centroids)):
            raw = normalize(svec[rows[member == j]]).sum(axis=0) if (member == j).any() else np.zeros(emb.dim)
            new.append([s, fit.prototypes[fit.proto_topic == j], None, raw])
    if previous is not None and new:  # a new cluster matching an old topic continues its id
        _, parents = match_ids(np.stack([c[3] for c in new]), [c[0] for c in new], previous.raw_centroids,
                               [t.scope for t in previous.topics], [t.id for t in previous.topics], 0)
        at = {c[2]: i for i, c in enumerate(provisional)}
        for c, parent in zip(new, parents):
            if parent is None:
                continue
            if parent in at:
                provisional[at[parent]][1] = np.concatenate([provisional[at[parent]][1], c[1]])
            else:
                at[parent] = len(provisional)
                provisional.append([c[0], c[1], parent])
            c[2] = parent
    provisional += [c[:3] for c in new if c[2] is None]
    k = len(provisional)

    protos = np.concatenate([c[1] for c in provisional]) if k else np.zeros((0, emb.dim), np.float32)
    proto_topic = np.concatenate([np.full(len(c[1]), j, dtype=np.int64) for j, c in enumerate(provisional)]) \
        if k else np.zeros(0, np.int64)
    # centroids and terms from the sample, assigned by the prototype rule
    stopics = [Topic(id=j, label="", short_label="", terms=[], scope=c[0]) for j, c in enumerate(provisional)]
    probe = TopicModel(topics=stopics, centroids=np.zeros((k, emb.dim), np.float32),
                       raw_centroids=np.zeros((k, emb.dim), np.float32), means=means, embedder=emb.model_id,
                       params=params.to_dict(), seed=seed, prototypes=protos, proto_ids=proto_topic)
    sids, _ = probe.nearest(scen, sscopes.tolist())
    cents = np.zeros((k, emb.dim), np.float32)
    for j in range(k):
        cents[j] = scen[sids == j].mean(axis=0) if (sids == j).any() else provisional[j][1].mean(axis=0)
    cents = normalize(cents)
    terms = _scope_terms(texts, sample, sids, sscopes, [c[0] for c in provisional], params, tokenizer)

    base = TopicModel(
        topics=[Topic(id=j, label="", short_label="", terms=terms[j], scope=c[0]) for j, c in enumerate(provisional)],
        centroids=cents, raw_centroids=np.zeros((k, emb.dim), np.float32), means=means, embedder=emb.model_id,
        params=params.to_dict(), seed=seed, prototypes=protos, proto_ids=proto_topic,
        meta={"voc_version": __version__, "fitted_on": n, "sampled": int(len(sample))})

    # 3. assign everyone with the one rule; accumulate what the table and refits need
    reuse = svec if len(sample) == n else None
    raw_sum = np.zeros((k, emb.dim), dtype=np.float64)
    lang_counts = np.zeros((k, 3), dtype=np.int64)  # zh, en, other
    near = np.full(n, -1, dtype=np.int64)  # nearest prototype per record, for the radii
    near_sim = np.zeros(n, dtype=np.float32)

    def on_chunk(rows, vec, ids, proto, sims):
        _accumulate(rows, vec, ids, langs, raw_sum, lang_counts)
        near[rows], near_sim[rows] = np.where(ids >= 0, proto, -1), sims

    result = assign_vectors(base, texts, langs, scopes, emb, progress, reuse=reuse, on_chunk=on_chunk)
    counts = np.bincount(result.ids[result.ids >= 0], minlength=k) if k else np.zeros(0, np.int64)

    # 4. final ids: old ids stay; new topics by size (largest first), ties by scope then provisional
    #    order, numbered from the lineage's next id; empty topics (and their prototypes) dropped
    alive = [j for j in range(k) if counts[j] > 0]
    next_id = 0
    if previous is not None:
        next_id = max([int(previous.meta.get("next_id", 0))] + [t.id + 1 for t in previous.topics])
    fresh = sorted((j for j in alive if provisional[j][2] is None), key=lambda j: (-counts[j], provisional[j][0], j))
    final = {j: provisional[j][2] for j in alive if provisional[j][2] is not None}
    for pos, j in enumerate(fresh):
        final[j] = next_id + pos
    order = sorted(alive, key=lambda j: (-counts[j], provisional[j][0], j)) if previous is None else \
        sorted(alive, key=lambda j: final[j])
    raw = normalize(raw_sum[order].astype(np.float32)) if order else np.zeros((0, emb.dim), np.float32)
    old_ids = {t.id for t in previous.topics} if previous is not None else set()
    topics = []
    for j in order:
        scope, tid = provisional[j][0], final[j]
        zh, en, _other = lang_counts[j]
        lang = "zh" if zh >= 0.7 * counts[j] else "en" if en >= 0.7 * counts[j] else None
        phrases = pick_terms(terms[j], 10, lang)
        label = " ".join(phrases[:3]) if phrases else f"topic {tid}"
        score: dict[str, float] = {}
        for t, s in terms[j]:
            score.setdefault(phrase(t), float(s))
        topics.append(Topic(id=tid, label=label, short_label=phrases[0] if phrases else label,
                            terms=[(p, score.get(p, 0.0)) for p in phrases], scope=scope, size=int(counts[j]),
                            parent=tid if tid in old_ids else None))
    remap = np.full(k + 1, OTHER_ID, dtype=np.int64)  # provisional id -> final id (index k: other)
    for j in order:
        remap[j] = final[j]
    ids = remap[np.where(result.ids >= 0, result.ids, k)]
    keep_p = np.flatnonzero(np.isin(proto_topic, order))
    radius = _radii(near, near_sim, len(protos))[keep_p]
    used_ids = [final[j] for j in order]
    model = TopicModel(
        topics=topics, centroids=cents[order] if order else cents, raw_centroids=raw,
        means=means, embedder=emb.model_id, params=params.to_dict(), seed=seed,
        prototypes=protos[keep_p], proto_ids=remap[proto_topic[keep_p]], proto_radius=radius,
        meta={**base.meta, "next_id": max([next_id] + [i + 1 for i in used_ids]),
              "refit_of": previous.meta.get("model_hash") if previous else None})
    model.meta["model_hash"] = _hash(model)
    return model, Assignment(ids, result.similarity)


def _scope_terms(texts, sample, sids, sscopes, topic_scopes, params, tokenizer) -> list[list[tuple[str, float]]]:
    """c-TF-IDF terms of each topic, against the other topics of its scope (sampled records)."""
    k = len(topic_scopes)
    terms: list[list[tuple[str, float]]] = [[] for _ in range(k)]
    tscope = np.array(topic_scopes + [None], dtype=object)
    assigned_scope = tscope[np.where(sids >= 0, sids, k)]
    for s in sorted(set(topic_scopes)):
        cols = [j for j in range(k) if topic_scopes[j] == s]
        local = np.full(k + 1, -1, dtype=np.int64)
        local[cols] = np.arange(len(cols))
        rows = np.flatnonzero((assigned_scope == s) | ((sids < 0) & (sscopes == s)))
        labels = local[np.where(sids[rows] >= 0, sids[rows], k)]
        out = ctfidf_terms([texts[sample[r]] for r in rows], labels, len(cols), params.top_n_terms, tokenizer)
        for j, t in zip(cols, out):
            terms[j] = t
    return terms


def _radii(near: np.ndarray, sims: np.ndarray, p: int) -> np.ndarray:
    """Per prototype: the cosine that 95% of its records reach (RADIUS_QUANTILE); a prototype
    that won no record gets the floor of its neighbours, DEFAULT_RADIUS."""
    out = np.full(p, DEFAULT_RADIUS, dtype=np.float32)
    ok = near >= 0
    if not ok.any():
        return out
    order = np.lexsort((sims[ok], near[ok]))
    pr, sv = near[ok][order], sims[ok][order]
    starts = np.searchsorted(pr, np.arange(p), side="left")
    ends = np.searchsorted(pr, np.arange(p), side="right")
    for j in range(p):
        if ends[j] > starts[j]:
            out[j] = sv[starts[j] + int(RADIUS_QUANTILE * (ends[j] - starts[j] - 1))]
    return out


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
            p, s = model.nearest_prototype(cen, scopes[lo:lo + CHUNK])
            i = model.ids_of(p, s)
            ids[rows], sims[rows] = i, s
            if on_chunk is not None:
                on_chunk(rows, vec, i, p, s)
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
