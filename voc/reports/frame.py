"""Analysed records (contract dicts) -> one flat table that every report section reads."""
from __future__ import annotations

from datetime import datetime

import pandas as pd

SCORE_KINDS = ("nps", "csat", "ces", "stars")
_NOT_SEGMENTS = {"submitted_at", "created_at", "date", "time", "timestamp", "ts"}


def parse_time(value) -> pd.Timestamp | None:
    if value in (None, ""):
        return None
    try:
        ts = pd.Timestamp(str(value).replace("/", "-"))
    except (ValueError, TypeError):
        return None
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return ts


def to_frame(records: list[dict]) -> pd.DataFrame:
    rows = []
    for r in records:
        scores = r.get("scores") or {}
        row = {
            "id": r["id"], "text": r["text"], "lang": r["lang"],
            "score": r["sentiment"]["score"], "label": r["sentiment"]["label"], "frustration": r["frustration"],
            "tp": {t["id"]: t["sentiment"] for t in r["touchpoints"]},
            "tp_ev": {t["id"]: t["evidence"] for t in r["touchpoints"]},
            "pillars": {p["id"]: p["polarity"] for p in r["pillars"]},
            "pillar_ev": {p["id"]: p["evidence"] for p in r["pillars"]},
            "costs": [c["id"] for c in r["costs"]], "signals": [s["id"] for s in r["signals"]],
            "topic": (r.get("topic") or {}).get("label"), "topic_id": (r.get("topic") or {}).get("id"),
            "flags": r["flags"], "time": parse_time(r.get("ts")), "meta": r.get("meta") or {},
        }
        for k in SCORE_KINDS:
            row[k] = scores.get(k)
        rows.append(row)
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    df["empty"] = df["flags"].map(lambda f: "empty_text" in f or any(x.startswith("error:") for x in f))
    df["template"] = df["flags"].map(lambda f: "template_review" in f)
    df["week"] = df["time"].map(lambda t: None if t is None or pd.isna(t) else f"{t.isocalendar()[0]}-W{t.isocalendar()[1]:02d}")
    return df


def segment_columns(df: pd.DataFrame, max_values: int = 20) -> list[str]:
    """Meta columns that look like segments (channel, region, product...): 2..max_values values."""
    if df.empty:
        return []
    keys: dict[str, set] = {}
    for meta in df["meta"]:
        for k, v in meta.items():
            if isinstance(v, (str, int)) and not isinstance(v, bool):
                keys.setdefault(k, set()).add(v)
    score_like = {k for k in keys if k.lower() in SCORE_KINDS} | _NOT_SEGMENTS
    out = []
    for k, values in keys.items():
        if k in score_like or k.startswith("_") or k.lower() in {"nps", "csat", "ces", "星级", "评分", "rating"}:
            continue
        if 2 <= len(values) <= max_values and all(isinstance(v, str) for v in values):
            out.append(k)
    return out


def week_of(ts: datetime) -> str:
    y, w, _ = ts.isocalendar()
    return f"{y}-W{w:02d}"
