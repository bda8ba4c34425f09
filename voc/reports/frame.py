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


def parse_times(values: list) -> pd.Series:
    """`parse_time` of every value: ISO 8601 strings in one vectorised pass (a zone -> UTC, no zone
    kept as written), anything else one by one as before."""
    cleaned = [None if v in (None, "") else str(v).replace("/", "-") for v in values]
    out = pd.to_datetime(pd.Series(cleaned, dtype=object), format="ISO8601", errors="coerce", utc=True)
    out = out.dt.tz_localize(None).astype(object).where(out.notna(), None)
    for i in [i for i, (v, t) in enumerate(zip(cleaned, out)) if v is not None and t is None]:
        out.iat[i] = parse_time(values[i])
    return out


def to_frame(records: list[dict]) -> pd.DataFrame:
    if not records:
        return pd.DataFrame([])
    cols: dict[str, list] = {
        "id": [r["id"] for r in records], "text": [r["text"] for r in records], "lang": [r["lang"] for r in records],
        "score": [r["sentiment"]["score"] for r in records], "label": [r["sentiment"]["label"] for r in records],
        "frustration": [r["frustration"] for r in records],
        "tp": [{t["id"]: t["sentiment"] for t in r["touchpoints"]} for r in records],
        "tp_ev": [{t["id"]: t["evidence"] for t in r["touchpoints"]} for r in records],
        "pillars": [{p["id"]: p["polarity"] for p in r["pillars"]} for r in records],
        "pillar_ev": [{p["id"]: p["evidence"] for p in r["pillars"]} for r in records],
        "costs": [[c["id"] for c in r["costs"]] for r in records],
        "signals": [[s["id"] for s in r["signals"]] for r in records],
        "topic": [(r.get("topic") or {}).get("label") for r in records],
        "topic_id": [(r.get("topic") or {}).get("id") for r in records],
        "flags": [r["flags"] for r in records], "time": None, "meta": [r.get("meta") or {} for r in records],
    }
    times = parse_times([r.get("ts") for r in records])
    cols["time"] = list(times)
    for k in SCORE_KINDS:
        cols[k] = [(r.get("scores") or {}).get(k) for r in records]
    df = pd.DataFrame(cols)
    df["empty"] = [("empty_text" in f or any(x.startswith("error:") for x in f)) for f in cols["flags"]]
    df["template"] = ["template_review" in f for f in cols["flags"]]
    weeks: list = [None] * len(df)
    known = df["time"].notna().to_numpy()
    if known.any():
        iso = df.loc[known, "time"].dt.isocalendar()
        for i, y, w in zip(known.nonzero()[0], iso["year"].tolist(), iso["week"].tolist()):
            weeks[i] = f"{y}-W{w:02d}"
    df["week"] = weeks
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
