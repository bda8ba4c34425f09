"""Stable topic ids across refits, so week-over-week comparisons hold.

A refit (fit_topic_model(..., previous=model)) does not cluster the new corpus from scratch:
  1. every sampled record is first assigned by the previous model's own rule (its centring means,
     its prototypes: exactly what assigning to the saved model would do). A record that lands at
     least as close to its prototype as 95% of that prototype's records did at fit time (the
     prototype's radius) stays on that topic (`keep_close`);
  2. the old prototypes are re-estimated from the records they kept, in the refit's centring space
     (so topics follow a slow drift of wording); a topic that kept no record is retired;
  3. only the remainder (records no old topic covers well) is clustered, and each new cluster is
     mapped onto an old id where it matches (`match_ids`): within a scope, the Hungarian algorithm
     (scipy's linear_sum_assignment) pairs new clusters and old topics to maximise the total cosine
     of their raw centroids (mean of the members' uncentred vectors, comparable across fits), and a
     pair at or above `MATCH_THRESHOLD` takes the old id. Every other new cluster gets a fresh id
     above all ids the lineage has used, so a retired id is never reused for another theme.
Everyone is then assigned with the refitted model's one rule. Same input, previous model and seed
give the same ids.
"""
from __future__ import annotations

import numpy as np

from voc.topics.embed import normalize

MATCH_THRESHOLD = 0.8


def keep_close(previous, vectors: np.ndarray, langs: list[str], scopes: list[str], centred: np.ndarray,
               live: np.ndarray) -> tuple[list[tuple[str, np.ndarray, int]], np.ndarray]:
    """Step 1-2: ([(scope, re-estimated prototypes, old id)] in the previous model's topic order,
    mask of the records left for clustering). `vectors` are uncentred, `centred` are the same
    records centred with the refit's means."""
    proto, sims = previous.nearest_prototype(previous.centre(vectors, langs), scopes)
    radius = previous.proto_radius[np.maximum(proto, 0)] if len(previous.proto_radius) else np.zeros(len(proto))
    close = live & (proto >= 0) & (sims >= radius)
    kept: dict[int, list[np.ndarray]] = {}
    for p in np.unique(proto[close]).tolist():
        members = close & (proto == p)
        kept.setdefault(int(previous.proto_ids[p]), []).append(centred[members].mean(axis=0))
    out = [(t.scope, normalize(np.stack(kept[t.id]).astype(np.float32)), t.id)
           for t in previous.topics if t.id in kept]
    return out, live & ~close


def match_ids(new_raw: np.ndarray, new_scopes: list[str], old_raw: np.ndarray, old_scopes: list[str],
              old_ids: list[int], next_id: int, threshold: float = MATCH_THRESHOLD) -> tuple[list[int], list[int | None]]:
    """Ids for the new topics (in their order) and, per new topic, the old id it continues (or None)."""
    from scipy.optimize import linear_sum_assignment

    n = len(new_raw)
    ids: list[int | None] = [None] * n
    parents: list[int | None] = [None] * n
    if len(old_raw) and n:
        a = _unit(new_raw)
        b = _unit(old_raw)
        sims = a @ b.T
        same = np.array(new_scopes, dtype=object)[:, None] == np.array(old_scopes, dtype=object)[None, :]
        sims = np.where(same, sims, -1.0)
        rows, cols = linear_sum_assignment(-sims)
        for r, c in zip(rows, cols):
            if sims[r, c] >= threshold:
                ids[r] = int(old_ids[c])
                parents[r] = int(old_ids[c])
    for i in range(n):
        if ids[i] is None:
            ids[i] = next_id
            next_id += 1
    return [int(x) for x in ids], parents


def _unit(x: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(x, axis=1, keepdims=True)
    return np.divide(x, n, out=np.zeros_like(x, dtype=np.float64), where=n > 0)
