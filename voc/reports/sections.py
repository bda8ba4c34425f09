"""The report's sections, each computed from the flat table (voc.reports.frame) as plain dicts.

Every number here is written to the JSON report and can be recomputed from it and the records."""
from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from voc.reports import stats

PILLAR_NONE = "none"  # a negative touchpoint mention that names no trust pillar


def summary(df: pd.DataFrame, live: pd.DataFrame) -> dict:
    out = {"records": int(len(df)), "analysed": int(len(live)),
           "negative_share": _r(float((live["label"] == "negative").mean()) if len(live) else 0.0),
           "mean_frustration": _r(float(live["frustration"].mean()) if len(live) else 0.0),
           "template_share": _r(float(df["template"].mean()) if len(df) else 0.0),
           "languages": {k: int(v) for k, v in live["lang"].value_counts().items()}}
    out.update(score_block(live))
    return out


def score_block(d: pd.DataFrame) -> dict:
    out = {}
    if "nps" in d and d["nps"].notna().any():
        out["nps"] = stats.nps(d["nps"].dropna().tolist()).to_dict()
    if "csat" in d and d["csat"].notna().any():
        out["csat"] = stats.share_top2(d["csat"].dropna().tolist()).to_dict()
    if "ces" in d and d["ces"].notna().any():
        out["ces"] = stats.mean_ci(d["ces"].dropna().tolist()).to_dict()
    if "stars" in d and d["stars"].notna().any():
        out["stars"] = stats.mean_ci(d["stars"].dropna().tolist()).to_dict()
    return out


def pain_cells(live: pd.DataFrame) -> dict[tuple[str, str], list[int]]:
    """touchpoint x pillar -> row positions. A record joins a cell when the touchpoint is negative
    in it; the pillar is each violated pillar of the record, or 'none' when it violates none."""
    cells: dict[tuple[str, str], list[int]] = {}
    for pos, (tp, pillars) in enumerate(zip(live["tp"], live["pillars"])):
        violated = [p for p, pol in pillars.items() if pol == "violated"] or [PILLAR_NONE]
        for t, sent in tp.items():
            if sent == "negative":
                for p in violated:
                    cells.setdefault((t, p), []).append(pos)
    return cells


def trend(live: pd.DataFrame, positions: list[int], halves: tuple | None = None) -> float | None:
    """Relative growth of the cell's weekly share: recent half of the weeks vs the earlier half.
    `halves` (from `week_halves(live)`) saves recomputing the split for every cell."""
    halves = halves if halves is not None else week_halves(live)
    if halves is None:
        return None
    recent_row, earlier_row, base_n, rec_n = halves
    rec_k, base_k = int(recent_row[positions].sum()), int(earlier_row[positions].sum())
    if base_n == 0 or rec_n == 0:
        return None
    base, rec = base_k / base_n, rec_k / rec_n
    if base == 0:
        return 3.0 if rec > 0 else 0.0
    return round(min(3.0, rec / base - 1), 3)


def week_halves(live: pd.DataFrame):
    """(row in the recent half of the weeks, row in the earlier half, earlier n, recent n), or None
    when fewer than 2 weeks are known."""
    weeks = live["week"]
    known = weeks.notna()
    order = sorted(weeks[known].unique())
    if len(order) < 2:
        return None
    recent = weeks.isin(set(order[len(order) // 2:])).to_numpy()
    earlier = ~recent & known.to_numpy()
    return recent, earlier, int(earlier.sum()), int(recent.sum())


QUOTE_CHARS = 160


def excerpt(text: str, evidence: list[dict], width: int = QUOTE_CHARS) -> tuple[str, list[dict]]:
    """A window of a long text around its first evidence span, with the spans re-based onto it."""
    if len(text) <= width:
        return text, evidence
    first = min((e["start"] for e in evidence), default=0)
    a = max(0, min(first - width // 3, len(text) - width))
    b = a + width
    pre, post = ("…" if a > 0 else ""), ("…" if b < len(text) else "")
    shift = len(pre) - a
    spans = [{"start": e["start"] + shift, "end": e["end"] + shift, "text": e["text"]}
             for e in evidence if a <= e["start"] and e["end"] <= b]
    return pre + text[a:b] + post, spans


def quotes(live: pd.DataFrame, positions: list[int], tp: str, pillar: str, k: int,
           used: set[str] | None = None) -> list[dict]:
    """Representative quotes: frustrated and negative first, short over long, distinct texts, and
    records not already quoted by a higher-ranked pain point; evidence kept for highlighting."""
    sub = live.iloc[positions, [live.columns.get_loc(c) for c in ("id", "text", "score", "frustration", "tp_ev",
                                                                   "pillar_ev")]]
    rank = sub["frustration"] - 0.5 * sub["score"] - (sub["text"].str.len() > 2 * QUOTE_CHARS) * 0.5
    sub = sub.assign(_rank=rank).sort_values(["_rank", "id"], ascending=[False, True])
    used = used if used is not None else set()
    fresh = sub[~sub["id"].isin(used)]
    ordered = pd.concat([fresh, sub[sub["id"].isin(used)]])
    out, seen = [], set()
    for _, row in ordered.iterrows():
        key = row["text"].strip()
        if key in seen or len(key) < 4:
            continue
        seen.add(key)
        ev = list(row["tp_ev"].get(tp, [])) + (list(row["pillar_ev"].get(pillar, [])) if pillar != PILLAR_NONE else [])
        text, spans = excerpt(row["text"], ev)
        out.append({"id": row["id"], "text": text, "evidence": spans, "frustration": _r(row["frustration"])})
        used.add(row["id"])
        if len(out) >= k:
            break
    return out


def pain_points(live: pd.DataFrame, cfg: dict, cells: dict | None = None) -> list[dict]:
    n_all = max(1, len(live))
    rows = []
    halves = week_halves(live)
    cols = live[["id", "score", "frustration", "costs", "tp_ev", "pillar_ev"]]
    for (tp, pillar), pos in (cells if cells is not None else pain_cells(live)).items():
        sub = cols.iloc[pos]
        # Rounded first, so the priority is exactly recomputable from the numbers the JSON shows.
        share = _r(len(pos) / n_all)
        negativity = _r(float(np.clip(-sub["score"], 0, 1).mean()))
        frus = _r(float(sub["frustration"].mean()))
        tr = trend(live, pos, halves)
        priority = 100 * share * (0.5 + negativity) * (1 + frus) * (1 + 0.5 * max(0.0, tr or 0.0))
        costs = Counter(c for cs in sub["costs"] for c in cs)
        cues = Counter(e["text"] for evs in sub["tp_ev"] for e in evs.get(tp, []))
        if pillar != PILLAR_NONE:
            cues.update(e["text"] for evs in sub["pillar_ev"] for e in evs.get(pillar, []))
        rows.append({
            "touchpoint": tp, "pillar": pillar, "volume": len(pos), "share": _r(share),
            "negativity": _r(negativity), "frustration": _r(frus), "trend": tr,
            "costs": dict(costs.most_common()), "top_cues": [c for c, _ in cues.most_common(6)],
            "priority": _r(priority), "record_ids": sub["id"].tolist(), "_pos": pos,
        })
    rows.sort(key=lambda r: (-r["priority"], -r["volume"], r["touchpoint"], r["pillar"]))
    used: set[str] = set()
    for i, r in enumerate(rows, 1):
        r["rank"] = i
        r["quotes"] = quotes(live, r.pop("_pos"), r["touchpoint"], r["pillar"], cfg["quotes"], used)
    return rows


def _mentions(live: pd.DataFrame, touchpoints: list[str]) -> dict[str, np.ndarray]:
    """touchpoint -> row positions of the records that mention it."""
    rows: dict[str, list[int]] = {tp: [] for tp in touchpoints}
    for pos, d in enumerate(live["tp"]):
        for t in d:
            if t in rows:
                rows[t].append(pos)
    return {t: np.asarray(r, dtype=np.int64) for t, r in rows.items()}


def journey(live: pd.DataFrame, order: list[str], min_n: int, mentions: dict | None = None) -> dict:
    mentions = mentions if mentions is not None else _mentions(live, order)
    tps, costs = live["tp"].tolist(), live["costs"].tolist()
    stages = []
    for tp in order:
        pos = mentions[tp]
        n = len(pos)
        neg = sum(1 for i in pos if tps[i].get(tp) == "negative")
        st = {"id": tp, "n": int(n), "negative": neg,
              "negativity": _r(neg / n) if n else None,
              "effort_share": _r(sum(1 for i in pos if "effort" in costs[i]) / n) if n else None}
        st.update({k: v for k, v in score_block(live.iloc[pos][["nps", "csat"]]).items() if k in ("nps", "csat")})
        stages.append(st)
    return {"stages": stages, "valley": stats.find_valley(stages, min_n=min_n),
            "valley_rule": f"negativity significantly above its neighbours' (one-sided z-test, 95%), n >= {min_n}"}


def trust(live: pd.DataFrame, pillars: list[str], touchpoints: list[str]) -> dict:
    known = set(pillars)
    total = {p: {"violated": 0, "honoured": 0} for p in pillars}
    heat = {tp: {p: {"violated": 0, "honoured": 0} for p in pillars} for tp in touchpoints}
    for tp_d, pil_d in zip(live["tp"], live["pillars"]):
        for p, pol in pil_d.items():
            if p not in known or pol not in ("violated", "honoured"):
                continue
            total[p][pol] += 1
            for t in tp_d:
                if t in heat:
                    heat[t][p][pol] += 1
    rows = []
    for p in pillars:
        v, h = total[p]["violated"], total[p]["honoured"]
        rows.append({"id": p, "violated": v, "honoured": h, "net": _r((h - v) / max(1, h + v))})
    return {"pillars": rows, "heatmap": heat}


def segments(live: pd.DataFrame, columns: list[str], min_n: int) -> dict:
    out = {}
    for col in columns:
        vals = live["meta"].map(lambda m, c=col: m.get(c))
        rows = []
        for value in sorted(v for v in vals.dropna().unique()):
            sub = live[vals == value]
            row = {"value": value, "n": int(len(sub)),
                   "negative_share": _r(float((sub["label"] == "negative").mean()))}
            row.update(score_block(sub))
            row["note"] = "" if len(sub) >= min_n else f"n<{min_n}: no verdict"
            rows.append(row)
        out[col] = rows
    return out


def drivers(live: pd.DataFrame, touchpoints: list[str], pillars: list[str], cfg: dict) -> dict:
    kind = next((k for k in ("nps", "csat", "stars", "ces") if k in live and live[k].notna().sum() > 0), None)
    if kind is None:
        return {"score": None, "note": "the export has no score column (NPS, CSAT, CES or stars)"}
    d = live[live[kind].notna()]
    s = d[kind].to_numpy(dtype=float)
    values = stats.nps_values(s) if kind == "nps" else (100.0 * (s >= 4) if kind in ("csat", "stars") else s)
    themes: dict[str, np.ndarray] = {}
    tp_neg = {tp: np.zeros(len(d), dtype=bool) for tp in touchpoints}
    for i, m in enumerate(d["tp"]):
        for t, sent in m.items():
            if sent == "negative" and t in tp_neg:
                tp_neg[t][i] = True
    pil_vio = {p: np.zeros(len(d), dtype=bool) for p in pillars}
    for i, m in enumerate(d["pillars"]):
        for p, pol in m.items():
            if pol == "violated" and p in pil_vio:
                pil_vio[p][i] = True
    for tp in touchpoints:
        themes[f"touchpoint:{tp} (negative)"] = tp_neg[tp]
    for p in pillars:
        themes[f"pillar:{p} (violated)"] = pil_vio[p]
    if d["topic"].notna().any():
        for t in sorted(d["topic"].dropna().unique()):
            themes[f"topic:{t}"] = (d["topic"] == t).to_numpy()
    rng = np.random.default_rng(cfg["seed"])
    present = [(name, mask) for name, mask in themes.items() if mask.any()]
    loo = [{"theme": name, **r} for (name, _), r in
           zip(present, stats.loo_impacts(values, [m for _, m in present], rng, cfg["n_boot"], cfg["min_n"]))]
    loo.sort(key=lambda r: (r["impact"] is None, r["impact"] if r["impact"] is not None else 0))
    names = [n for n, m in themes.items() if m.any()]
    X = np.column_stack([themes[n] for n in names]) if names else np.zeros((len(d), 0))
    reg = stats.ridge_drivers(values, X, names, np.random.default_rng(cfg["seed"]), n_boot=cfg["n_boot"] // 2,
                              min_n=cfg["min_n"]) if names else []
    reg.sort(key=lambda r: (r["coef"] is None, r["coef"] if r["coef"] is not None else 0))
    unit = "NPS points" if kind == "nps" else "percentage points of top-2 share" if kind in ("csat", "stars") else "scale points"
    return {"score": kind, "unit": unit, "n": int(len(d)), "min_n": cfg["min_n"], "loo": loo, "regression": reg,
            "method": "LOO impact = mean(all) - mean(without the theme); ridge (alpha 5) on theme indicators; "
                      "95% bootstrap intervals; no verdict under min_n"}


def signals(live: pd.DataFrame, df: pd.DataFrame) -> dict:
    out = {}
    for sig in ("churn_risk", "escalation", "repeat_contact"):
        has = np.fromiter((sig in s for s in live["signals"]), dtype=bool, count=len(live))
        sub = live.loc[has, ["id", "text", "frustration", "meta"]].sort_values(["frustration", "id"],
                                                                               ascending=[False, True])
        out[sig] = [{"id": i, "text": t[:200], "frustration": _r(f),
                     "segment": {k: v for k, v in m.items() if isinstance(v, str) and len(v) < 40}}
                    for i, t, f, m in zip(sub["id"], sub["text"], sub["frustration"], sub["meta"])]
    out["advocacy_count"] = int(live["signals"].map(lambda s: "advocacy" in s).sum())
    out["template_share"] = _r(float(df["template"].mean()) if len(df) else 0.0)
    out["template_ids"] = df[df["template"]]["id"].tolist()
    return out


def _r(x, nd: int = 4):
    return None if x is None else round(float(x), nd)
