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
    names = ("id", "text", "lang", "score", "label", "frustration", "tp", "tp_ev", "pillars", "pillar_ev", "costs",
             "signals", "topic", "topic_id", "flags", "time", "meta")
    cols: dict[str, list] = {k: [] for k in names}
    (ids, texts, langs, score, label, frus, tp, tp_ev, pil, pil_ev, costs, sigs, topic, topic_id, flags, _,
     meta) = cols.values()
    for r in records:  # one pass, appending to every column
        ids.append(r["id"])
        texts.append(r["text"])
        langs.append(r["lang"])
        score.append(r["sentiment"]["score"])
        label.append(r["sentiment"]["label"])
        frus.append(r["frustration"])
        tp.append({t["id"]: t["sentiment"] for t in r["touchpoints"]})
        tp_ev.append({t["id"]: t["evidence"] for t in r["touchpoints"]})
        pil.append({p["id"]: p["polarity"] for p in r["pillars"]})
        pil_ev.append({p["id"]: p["evidence"] for p in r["pillars"]})
        costs.append([c["id"] for c in r["costs"]])
        sigs.append([x["id"] for x in r["signals"]])
        t = r.get("topic") or {}
        topic.append(t.get("label"))
        topic_id.append(t.get("id"))
        flags.append(r["flags"])
        meta.append(r.get("meta") or {})
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
