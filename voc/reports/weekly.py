"""The weekly insight report: this week vs last week and vs the trailing 8-week baseline.

Movers are themes (negative touchpoints, violated pillars, topics) whose share of feedback moved,
tested with a two-proportion z-test; emerging terms are words whose share jumped against the
baseline (what is new before anyone has named it); plus score changes and new follow-up cases."""
from __future__ import annotations

import math
from collections import Counter
from datetime import date, timedelta

import pandas as pd

from voc.reports import sections, stats
from voc.reports.frame import to_frame

Z_SIGNIFICANT = 1.96
BASELINE_WEEKS = 8


def week_range(week: str, back: int) -> list[str]:
    year, w = week.split("-W")
    monday = date.fromisocalendar(int(year), int(w), 1)
    out = []
    for i in range(1, back + 1):
        y, n, _ = (monday - timedelta(weeks=i)).isocalendar()
        out.append(f"{y}-W{n:02d}")
    return out


def _themes(df: pd.DataFrame, touchpoints, pillars) -> dict[str, pd.Series]:
    out = {}
    for tp in touchpoints:
        out[f"touchpoint:{tp}"] = df["tp"].map(lambda d, t=tp: d.get(t) == "negative")
    for p in pillars:
        out[f"pillar:{p}"] = df["pillars"].map(lambda d, p=p: d.get(p) == "violated")
    if df["topic"].notna().any():
        for t in df["topic"].dropna().unique():
            out[f"topic:{t}"] = df["topic"] == t
    return out


def movers(this: pd.DataFrame, prev: pd.DataFrame, base: pd.DataFrame, touchpoints, pillars) -> list[dict]:
    rows = []
    t_th, t_pr, t_ba = (_themes(d, touchpoints, pillars) if len(d) else {} for d in (this, prev, base))
    for name in sorted(set(t_th) | set(t_pr)):
        k1 = int(t_th[name].sum()) if name in t_th else 0
        k0 = int(t_pr[name].sum()) if name in t_pr else 0
        kb = int(t_ba[name].sum()) if name in t_ba else 0
        n1, n0, nb = len(this), len(prev), len(base)
        z_prev = stats.two_proportion_z(k1, n1, k0, n0)
        z_base = stats.two_proportion_z(k1, n1, kb, nb)
        rows.append({"theme": name, "this_week": k1, "share": _share(k1, n1), "prev_week": k0, "prev_share": _share(k0, n0),
                     "baseline_share": _share(kb, nb), "z_vs_prev": round(z_prev, 2), "z_vs_baseline": round(z_base, 2),
                     "direction": "up" if z_prev > 0 else "down" if z_prev < 0 else "flat",
                     "significant": abs(z_prev) >= Z_SIGNIFICANT or abs(z_base) >= Z_SIGNIFICANT})
    rows.sort(key=lambda r: -max(abs(r["z_vs_prev"]), abs(r["z_vs_baseline"])))
    return rows


def emerging_terms(this: pd.DataFrame, base: pd.DataFrame, segmenter, min_count: int = 5, top: int = 15) -> list[dict]:
    """Words (jieba / spaCy tokens) whose document share this week is significantly above the
    baseline's; new words (absent from the baseline) need min_count documents."""
    def doc_freq(texts):
        c = Counter()
        for text in texts:
            c.update({tok.lower() for tok in segmenter.tokens(text) if _content_word(tok)})
        return c

    f1, fb = doc_freq(this["text"]), doc_freq(base["text"])
    n1, nb = max(1, len(this)), max(1, len(base))
    out = []
    for term, k1 in f1.items():
        if k1 < min_count:
            continue
        kb = fb.get(term, 0)
        z = stats.two_proportion_z(k1, n1, kb, nb)
        if z >= 2.33:
            lift = (k1 / n1) / (kb / nb) if kb else math.inf
            out.append({"term": term, "this_week": k1, "baseline": kb, "z": round(z, 2),
                        "lift": None if lift == math.inf else round(lift, 2), "new": kb == 0,
                        "examples": this[this["text"].str.lower().str.contains(term, regex=False)]["id"].head(3).tolist()})
    out.sort(key=lambda r: -r["z"])
    return out[:top]


def _content_word(tok: str) -> bool:
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.zh.stop_words import STOP_WORDS as ZH

    t = tok.strip().lower()
    return len(t) >= 2 and t not in EN and t not in ZH and any(ch.isalnum() for ch in t) and not t.isdigit()


def _share(k: int, n: int):
    return round(k / n, 4) if n else None


def build_weekly(records_by_week: dict[str, list[dict]], week: str, lexicons, provenance: dict, segmenter,
                 cfg: dict, lang: str | None = None) -> dict:
    prev_week = week_range(week, 1)[0]
    base_weeks = week_range(week, BASELINE_WEEKS)
    frame = lambda ws: _live(to_frame([r for w in ws for r in records_by_week.get(w, [])]))  # noqa: E731
    this, prev, base = frame([week]), frame([prev_week]), frame(base_weeks)
    touchpoints = list(lexicons.groups["touchpoints"].labels)
    pillars = list(lexicons.groups["pillars"].labels)
    from voc.reports.build import label_names, report_language

    lang = report_language(this, lang)
    score_now, score_prev = (sections.score_block(d) if len(d) else {} for d in (this, prev))
    changes = {}
    for k in score_now:
        a, b = score_now[k], score_prev.get(k)
        if b and a["value"] is not None and b["value"] is not None:
            se = math.sqrt(((a["high"] - a["low"]) / (2 * stats.Z95)) ** 2 + ((b["high"] - b["low"]) / (2 * stats.Z95)) ** 2)
            diff = a["value"] - b["value"]
            changes[k] = {"this_week": a, "prev_week": b, "change": round(diff, 2),
                          "low": round(diff - stats.Z95 * se, 2), "high": round(diff + stats.Z95 * se, 2),
                          "significant": abs(diff) > stats.Z95 * se}
        else:
            changes[k] = {"this_week": a, "prev_week": b, "change": None}
    new_cases = sections.signals(this, this) if len(this) else {}
    return {
        "header": {"title": ("每周客户之声洞察" if lang == "zh" else "Weekly voice-of-customer insight") + f" {week}",
                   "week": week, "previous_week": prev_week, "baseline_weeks": base_weeks, "language": lang,
                   "records": {"this_week": len(this), "prev_week": len(prev), "baseline": len(base)},
                   "versions": provenance, "settings": cfg,
                   "method": "z: two-proportion z-test on the share of feedback; |z| >= 1.96 is significant"},
        "movers": movers(this, prev, base, touchpoints, pillars) if len(this) else [],
        "emerging_terms": emerging_terms(this, base, segmenter) if len(this) and len(base) else [],
        "scores": changes,
        "new_cases": {k: new_cases.get(k, []) for k in ("churn_risk", "escalation")},
        "pain_points": sections.pain_points(this, cfg)[: cfg["top_pain_points"]] if len(this) else [],
        "names": label_names(lexicons, lang),
    }


def _live(df: pd.DataFrame) -> pd.DataFrame:
    if df.empty:
        return df
    return df[~df["empty"] & ~df["template"]].reset_index(drop=True)
