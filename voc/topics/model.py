"""A fitted topic model: topics with their prototypes, the centring means, and one assignment rule.

A topic is one or more prototypes (unit vectors in the centred space); a record goes to the topic of
its most similar prototype. Each prototype also keeps a radius: the cosine that 95% of the records it
won at fit time reach. A refit keeps a record on its old topic when it is at least that close
(voc.topics.fit), so stable themes keep their ids and only what the old topics do not cover is
clustered again.

Saved as a directory holding `topics.json` (everything readable: version, embedder, parameters,
topics with labels and terms) and `vectors.npz` (centroids, prototypes and language means; arrays
only, loaded with allow_pickle=False). No pickle anywhere, so a model file can be shared and
inspected safely. A model saved before prototypes existed loads with one prototype per topic (its
centroid).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from voc.errors import ConfigError
from voc.topics.embed import apply_centering, normalize

FORMAT = 1
OTHER_ID = -1
OTHER_LABEL = "other"
RESIDUE = "_residue"  # the scope of records without a touchpoint
DEFAULT_RADIUS = 0.5  # for models saved without prototype radii
ALL = "*"  # the scope of a flat (ungoverned) model


@dataclass
class Topic:
    id: int
    label: str  # top phrases, space-separated, in the topic's language
    short_label: str
    terms: list[tuple[str, float]]
    scope: str  # a touchpoint id, RESIDUE, or ALL
    size: int = 0  # records assigned at fit time
    parent: int | None = None  # the id of the matching topic of the model this one was refitted from

    def to_dict(self) -> dict:
        return {"id": self.id, "label": self.label, "short_label": self.short_label, "scope": self.scope,
                "size": self.size, "terms": [[t, round(s, 6)] for t, s in self.terms], "parent": self.parent}

    @classmethod
    def from_dict(cls, d: dict) -> "Topic":
        return cls(id=int(d["id"]), label=str(d["label"]), short_label=str(d["short_label"]),
                   terms=[(str(t), float(s)) for t, s in d["terms"]], scope=str(d["scope"]),
                   size=int(d.get("size", 0)), parent=d.get("parent"))


@dataclass
class TopicModel:
    topics: list[Topic]
    centroids: np.ndarray  # (k, d): in the centred space, normalised; row i <-> topics[i]
    raw_centroids: np.ndarray  # (k, d): mean of the members' uncentred vectors (for refit matching)
    means: dict[str, np.ndarray]  # language-group centring means
    embedder: str
    params: dict
    seed: int
    meta: dict = field(default_factory=dict)
    prototypes: np.ndarray | None = None  # (p, d) centred space, normalised; None: the centroids
    proto_ids: np.ndarray | None = None  # (p,) topic id of each prototype
    proto_radius: np.ndarray | None = None  # (p,) cosine reached by 95% of its fit-time records

    def __post_init__(self):
        if self.prototypes is None:
            self.prototypes = self.centroids
            self.proto_ids = np.array([t.id for t in self.topics], dtype=np.int64)
        if self.proto_radius is None:
            self.proto_radius = np.full(len(self.prototypes), DEFAULT_RADIUS, dtype=np.float32)
        self.proto_ids = np.asarray(self.proto_ids, dtype=np.int64)

    # ---------------------------------------------------------------- assignment
    def nearest(self, centred: np.ndarray, scopes: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The one assignment rule: each record goes to the topic of the most similar prototype
        of its scope (a scope the model has no topic for falls back to the residue topics, then to
        all topics); below `min_similarity`, or without a vector, it is "other" (-1).
        Returns (ids, cosines to the nearest prototype)."""
        proto, best = self.nearest_prototype(centred, scopes)
        return self.ids_of(proto, best), best

    def ids_of(self, proto: np.ndarray, sims: np.ndarray) -> np.ndarray:
        """Topic ids for nearest-prototype indices and cosines (the `min_similarity` floor)."""
        ids = np.full(len(proto), OTHER_ID, dtype=np.int64)
        floor = float(self.params.get("min_similarity", 0.0))
        ok = (proto >= 0) & (sims >= floor)
        ids[ok] = self.proto_ids[proto[ok]]
        return ids

    def nearest_prototype(self, centred: np.ndarray, scopes: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Index of the most similar prototype of each record's scope (-1: no vector, or no
        prototype) and the cosine to it."""
        n = len(centred)
        ids = np.full(n, -1, dtype=np.int64)
        best = np.zeros(n, dtype=np.float32)
        if not self.topics or n == 0 or not len(self.prototypes):
            return ids, best
        scope_of = {t.id: t.scope for t in self.topics}
        by_scope: dict[str, np.ndarray] = {}
        for i, tid in enumerate(self.proto_ids.tolist()):
            by_scope.setdefault(scope_of[tid], []).append(i)
        by_scope = {s: np.array(v) for s, v in by_scope.items()}
        fallback = by_scope.get(RESIDUE, by_scope.get(ALL, np.arange(len(self.prototypes))))
        scopes_arr = np.array(scopes, dtype=object)
        live = np.linalg.norm(centred, axis=1) > 0
        groups: dict[str, list[int]] = {}
        for i, s in enumerate(scopes_arr):
            if live[i]:
                key = s if s in by_scope else (ALL if ALL in by_scope else "\0fallback")
                groups.setdefault(key, []).append(i)
        for key, rows in groups.items():
            cols = fallback if key == "\0fallback" else by_scope[key]
            rows = np.array(rows)
            for lo in range(0, len(rows), 65536):  # bounded memory for 1M records
                r = rows[lo:lo + 65536]
                sims = centred[r] @ self.prototypes[cols].T
                j = sims.argmax(axis=1)
                ids[r] = cols[j]
                best[r] = sims[np.arange(len(r)), j]
        return ids, best

    def centre(self, vectors: np.ndarray, langs: list[str]) -> np.ndarray:
        return apply_centering(vectors, langs, self.means)

    def topic(self, topic_id: int) -> Topic | None:
        for t in self.topics:
            if t.id == topic_id:
                return t
        return None

    def label_of(self, topic_id: int) -> dict:
        """The contract's `topic` field value for an id."""
        if topic_id == OTHER_ID:
            return {"id": OTHER_ID, "label": OTHER_LABEL}
        t = self.topic(topic_id)
        return {"id": int(topic_id), "label": t.label if t else OTHER_LABEL}

    # ---------------------------------------------------------------- persistence
    def save(self, directory: str | Path) -> Path:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        keys = sorted(self.means)
        doc = {"format": FORMAT, "embedder": self.embedder, "seed": self.seed, "params": self.params,
               "mean_keys": keys, "meta": self.meta, "topics": [t.to_dict() for t in self.topics]}
        (d / "topics.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
        dim = self.centroids.shape[1] if self.centroids.ndim == 2 else 0
        np.savez_compressed(d / "vectors.npz",
                            centroids=self.centroids.astype(np.float32).reshape(-1, dim),
                            raw_centroids=self.raw_centroids.astype(np.float32).reshape(-1, dim),
                            prototypes=self.prototypes.astype(np.float32).reshape(-1, dim),
                            prototype_ids=self.proto_ids.astype(np.int64),
                            prototype_radius=self.proto_radius.astype(np.float32),
                            means=np.stack([self.means[k] for k in keys]).astype(np.float32))
        return d

    @classmethod
    def load(cls, directory: str | Path) -> "TopicModel":
        d = Path(directory)
        try:
            doc = json.loads((d / "topics.json").read_text(encoding="utf-8"))
            with np.load(d / "vectors.npz", allow_pickle=False) as z:
                cents, raw, means = z["centroids"], z["raw_centroids"], z["means"]
                protos = z["prototypes"] if "prototypes" in z.files else None
                proto_ids = z["prototype_ids"] if "prototype_ids" in z.files else None
                radius = z["prototype_radius"] if "prototype_radius" in z.files else None
        except FileNotFoundError as exc:
            raise ConfigError(f"{d}: not a topic model directory ({exc.filename} missing)") from None
        except (ValueError, KeyError, json.JSONDecodeError) as exc:
            raise ConfigError(f"{d}: unreadable topic model: {exc}") from None
        if doc.get("format") != FORMAT:
            raise ConfigError(f"{d}: topic model format {doc.get('format')!r}, this voc reads {FORMAT}")
        topics = [Topic.from_dict(t) for t in doc["topics"]]
        if len(topics) != len(cents):
            raise ConfigError(f"{d}: {len(topics)} topics but {len(cents)} centroids")
        if protos is not None:
            known = {t.id for t in topics}
            if proto_ids is None or len(proto_ids) != len(protos) or not set(proto_ids.tolist()) <= known \
                    or (radius is not None and len(radius) != len(protos)):
                raise ConfigError(f"{d}: prototypes do not match the topics")
            protos = normalize(protos.astype(np.float32))
        return cls(topics=topics, centroids=normalize(cents.astype(np.float32)), raw_centroids=raw,
                   means=dict(zip(doc["mean_keys"], means)), embedder=doc["embedder"],
                   params=doc["params"], seed=int(doc["seed"]), meta=doc.get("meta", {}),
                   prototypes=protos, proto_ids=proto_ids if protos is not None else None,
                   proto_radius=radius.astype(np.float32) if protos is not None and radius is not None else None)
