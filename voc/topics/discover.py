"""Governed topic discovery over analysed records, and the topic table.

Governed: the taxonomy (touchpoints) comes first. Records are grouped by their primary touchpoint
(the strongest; ties go to the first found) and topics are found *within* each touchpoint; records
with no touchpoint form the residue, whose topics are themes the taxonomy does not cover yet: they
are reported as "proposed" topics (size, growth, sentiment, example quotes) for an analyst to
promote into the lexicons. A touchpoint with too few records for its own topics joins the residue.
`governed=False` clusters all records together (as the benchmarks do).
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from voc.records import Feedback
from voc.topics.cluster import ClusterParams
from voc.topics.fit import Assignment, assign_vectors, fit_topic_model
from voc.topics.model import ALL, OTHER_ID, OTHER_LABEL, RESIDUE, TopicModel

N_EXAMPLES = 3
EXAMPLE_CHARS = 200


def record_scope(fb: Feedback) -> str:
    if not fb.touchpoints:
        return RESIDUE
    best = max(range(len(fb.touchpoints)), key=lambda i: (fb.touchpoints[i].score, -i))
    return fb.touchpoints[best].id


def _inputs(records: list[Feedback], governed: bool):
    texts = [fb.text or "" for fb in records]
    langs = [fb.lang for fb in records]
    scopes = [record_scope(fb) for fb in records] if governed else [ALL] * len(records)
    return texts, langs, scopes


def discover(records: list[Feedback], *, model: TopicModel | str | Path | None = None, refit: bool = False,
             governed: bool = True, seed: int = 0, min_topic_size: int = 10, embedder: str = "static",
             params: ClusterParams | None = None, user_words: list[str] | None = None,
             progress: bool = False) -> tuple[TopicModel, Assignment]:
    """Fit (or, given a model and not `refit`, only assign) and return (model, assignment).
    With a model and `refit`, the new topics keep the ids of the model's topics they match."""
    if isinstance(model, (str, Path)):
        model = TopicModel.load(model)
    if model is not None and not refit:
        governed = model.meta.get("governed", governed)
        texts, langs, scopes = _inputs(records, governed)
        return model, assign_vectors(model, texts, langs, scopes, progress=progress)
    if model is not None:
        governed = model.meta.get("governed", governed)
    params = params or ClusterParams(min_topic_size=min_topic_size)
    texts, langs, scopes = _inputs(records, governed)
    fitted, result = fit_topic_model(texts, langs, scopes, embedder=embedder, params=params, seed=seed,
                                     user_words=user_words, previous=model, progress=progress)
    fitted.meta["governed"] = governed
    return fitted, result


def assign_topics(records: list[Feedback], model: TopicModel | str | Path | None = None, *,
                  seed: int = 0, min_topic_size: int = 10, governed: bool = True,
                  user_words: list[str] | None = None, progress: bool = False) -> TopicModel:
    """Fill `fb.topic` ({"id", "label"}; id -1 / "other" when no topic fits) for every record.

    Without a model, topics are fitted on these records first; with one (a TopicModel or a saved
    model directory), records get that model's existing ids. Returns the model used."""
    used, result = discover(records, model=model, seed=seed, min_topic_size=min_topic_size,
                            governed=governed, user_words=user_words, progress=progress)
    labels = {t.id: t.label for t in used.topics}
    for fb, tid in zip(records, result.ids.tolist()):
        fb.topic = {"id": int(tid), "label": labels.get(tid, OTHER_LABEL)} if tid != OTHER_ID \
            else {"id": OTHER_ID, "label": OTHER_LABEL}
    return used


# ------------------------------------------------------------------ the table
def _when(ts: str | None) -> float | None:
    if not ts:
        return None
    try:
        d = datetime.fromisoformat(str(ts).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=timezone.utc)
    return d.timestamp()


def topic_table(records: list[Feedback], model: TopicModel, result: Assignment) -> dict:
    """The topic table: one row per topic (largest first) and a final "other" row."""
    n = len(records)
    ids = result.ids
    sims = result.similarity
    times = np.array([_when(fb.ts) if _when(fb.ts) is not None else np.nan for fb in records], dtype=float)
    has_time = np.isfinite(times)
    mid = None
    if has_time.sum() >= 2 and np.nanmax(times) > np.nanmin(times):
        mid = (np.nanmax(times) + np.nanmin(times)) / 2
        early_all = int((times < mid).sum())
        late_all = int((times >= mid).sum())
    score = np.array([fb.sentiment_score for fb in records], dtype=float)
    label = np.array([fb.sentiment_label for fb in records], dtype=object)
    governed = bool(model.meta.get("governed", False))
    rows = []
    for t in sorted(model.topics, key=lambda t: (-int((ids == t.id).sum()), t.id)) + [None]:
        tid = OTHER_ID if t is None else t.id
        members = np.flatnonzero(ids == tid)
        if t is None and not len(members):
            continue
        row = {"id": tid, "label": OTHER_LABEL if t is None else t.label,
               "short_label": OTHER_LABEL if t is None else t.short_label,
               "scope": None if t is None or t.scope == ALL else t.scope,
               "status": "other" if t is None else ("proposed" if t.scope == RESIDUE else
                                                    "touchpoint" if governed else "discovered"),
               "size": int(len(members)), "share": round(len(members) / n, 4) if n else 0.0}
        if len(members):
            row["sentiment"] = {"mean": round(float(score[members].mean()), 4),
                                "negative": round(float((label[members] == "negative").mean()), 4),
                                "positive": round(float((label[members] == "positive").mean()), 4)}
        else:
            row["sentiment"] = {"mean": 0.0, "negative": 0.0, "positive": 0.0}
        row["growth"] = None
        if mid is not None and len(members):
            e = int((times[members] < mid).sum())
            late = int((times[members] >= mid).sum())
            se, sl = e / max(early_all, 1), late / max(late_all, 1)
            row["growth"] = {"earlier": e, "recent": late,
                             "change": round((sl - se) / se, 4) if se > 0 else None}
        row["terms"] = [] if t is None else [p for p, _ in t.terms]
        best = members[np.lexsort((members, -sims[members]))][:N_EXAMPLES] if len(members) else []
        row["example_ids"] = [records[i].id for i in best]
        row["examples"] = [{"id": records[i].id, "text": (records[i].text or "")[:EXAMPLE_CHARS]} for i in best]
        row["parent"] = None if t is None else t.parent
        rows.append(row)
    assigned = int((ids != OTHER_ID).sum())
    return {
        "records": n, "assigned": assigned, "other_share": round(1 - assigned / n, 4) if n else 0.0,
        "model": {"embedder": model.embedder, "seed": model.seed, "governed": governed,
                  "model_hash": model.meta.get("model_hash"), "refit_of": model.meta.get("refit_of"),
                  "fitted_on": model.meta.get("fitted_on"), "params": model.params},
        "topics": rows,
    }
