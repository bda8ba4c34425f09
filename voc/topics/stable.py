"""Stable topic ids across refits, so week-over-week comparisons hold.

A refit clusters the new corpus from scratch, then maps its topics onto the previous model's ids:
within each scope, the Hungarian algorithm (scipy's linear_sum_assignment) pairs new and old topics
to maximise the total cosine similarity of their raw centroids (mean of the members' uncentred
vectors: comparable across fits, unlike the centred ones whose language means move). A pair keeps
the old id only when its similarity is at least `match_threshold`; every other new topic gets a
fresh id above all ids the lineage has used, so a retired id is never reused for another theme.
"""
from __future__ import annotations

import numpy as np

MATCH_THRESHOLD = 0.8


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
