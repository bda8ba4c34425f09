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
TERM_SAMPLE = 20_000  # texts per comparison window used for emerging-term statistics


class Tally:
    """What the comparison weeks contribute, without holding their records: theme counts, score
    values and a seeded, bounded sample of texts (for term statistics). Memory stays flat however
    many records the baseline weeks hold."""

    def __init__(self, sample_size: int = TERM_SAMPLE, seed: int = 2026):
        self.n = 0
        self.themes: Counter = Counter()
        self.scores: dict[str, list[float]] = {}
        self.sample: list[str] = []
        self._size, self._rng = sample_size, __import__("random").Random(seed)
        # randrange(n) for n > 0 is _randbelow(n): the same draws without randrange's argument checks
        self._below = getattr(self._rng, "_randbelow", self._rng.randrange)

    def add(self, rec: dict) -> None:
        flags = rec.get("flags")
        if flags and ("empty_text" in flags or "template_review" in flags
                      or any(f.startswith("error:") for f in flags)):
            return
        self.n += 1
        themes = self.themes
        for t in rec["touchpoints"]:
            if t.get("sentiment") == "negative":
                themes["touchpoint:" + str(t["id"])] += 1
        for p in rec["pillars"]:
            if p.get("polarity") == "violated":
                themes["pillar:" + str(p["id"])] += 1
        if rec.get("topic"):
            themes[f"topic:{rec['topic'].get('label')}"] += 1
        scores = rec.get("scores")
        if scores:
            for k, v in scores.items():
                self.scores.setdefault(k, []).append(v)
        if len(self.sample) < self._size:  # reservoir sampling
            self.sample.append(rec["text"])
        else:
            j = self._below(self.n)
            if j < self._size:
                self.sample[j] = rec["text"]

    def score_frame(self) -> pd.DataFrame:
        return pd.DataFrame({k: pd.Series(v, dtype=float) for k, v in self.scores.items()})


def week_range(week: str, back: int) -> list[str]:
    year, w = week.split("-W")
    monday = date.fromisocalendar(int(year), int(w), 1)
    out = []
    for i in range(1, back + 1):
        y, n, _ = (monday - timedelta(weeks=i)).isocalendar()
        out.append(f"{y}-W{n:02d}")
    return out


def split_weeks(pairs, week: str) -> tuple[list[dict], Tally, Tally]:
    """(week, record) pairs of the reported week and its baseline weeks -> the reported week's
    records (held in memory), and tallies of the previous week and of the whole baseline, built as
    the pairs stream by."""
    prev_week = week_range(week, 1)[0]
    this_records: list[dict] = []
    prev, base = Tally(), Tally()
    for w, rec in pairs:
        if w == week:
            this_records.append(rec)
            continue
        base.add(rec)
        if w == prev_week:
            prev.add(rec)
    return this_records, prev, base


def movers(this: Tally, prev: Tally, base: Tally) -> list[dict]:
    rows = []
    for name in sorted(set(this.themes) | set(prev.themes)):
        k1, k0, kb = this.themes.get(name, 0), prev.themes.get(name, 0), base.themes.get(name, 0)
        n1, n0, nb = this.n, prev.n, base.n
        z_prev = stats.two_proportion_z(k1, n1, k0, n0)
        z_base = stats.two_proportion_z(k1, n1, kb, nb)
        rows.append({"theme": name, "this_week": k1, "share": _share(k1, n1), "prev_week": k0, "prev_share": _share(k0, n0),
                     "baseline_share": _share(kb, nb), "z_vs_prev": round(z_prev, 2), "z_vs_baseline": round(z_base, 2),
                     "direction": "up" if z_prev > 0 else "down" if z_prev < 0 else "flat",
                     "significant": abs(z_prev) >= Z_SIGNIFICANT or abs(z_base) >= Z_SIGNIFICANT})
    rows.sort(key=lambda r: -max(abs(r["z_vs_prev"]), abs(r["z_vs_baseline"])))
    return rows


def emerging_terms(this: pd.DataFrame, base_texts: list[str], segmenter, min_count: int = 5, top: int = 15) -> list[dict]:
    """Words (jieba / spaCy tokens) whose document share this week is significantly above the
    baseline's; new words (absent from the baseline) need min_count documents."""
    def doc_freq(texts):
        c = Counter()
        for text in texts:
            c.update({tok.lower() for tok in segmenter.tokens(text) if _content_word(tok)})
        return c

    f1, fb = doc_freq(this["text"]), doc_freq(base_texts)
    n1, nb = max(1, len(this)), max(1, len(base_texts))
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
    from voc.topics.terms import spacy_stop_words  # spaCy's lists without importing spaCy (seconds)

    t = tok.strip().lower()
    return len(t) >= 2 and t not in spacy_stop_words("en") and t not in spacy_stop_words("zh") \
        and any(ch.isalnum() for ch in t) and not t.isdigit()


def _share(k: int, n: int):
    return round(k / n, 4) if n else None


def build_weekly(this_records: list[dict], prev: Tally, base: Tally, week: str, lexicons, provenance: dict,
                 segmenter, cfg: dict, lang: str | None = None) -> dict:
    """`this_records`: the week's analysed records; `prev` and `base`: tallies of the previous week
    and of the trailing baseline weeks (see `tally_weeks`)."""
    prev_week = week_range(week, 1)[0]
    base_weeks = week_range(week, BASELINE_WEEKS)
    this = _live(to_frame(this_records))
    now = Tally()
    for rec in this_records:
        now.add(rec)
    from voc.reports.build import label_names, report_language

    lang = report_language(this, lang)
    score_now = sections.score_block(this) if len(this) else {}
    score_prev = sections.score_block(prev.score_frame()) if prev.n else {}
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
                   "records": {"this_week": len(this), "prev_week": prev.n, "baseline": base.n},
                   "term_sample": {"this_week": len(this), "baseline": len(base.sample)},
                   "versions": provenance, "settings": cfg,
                   "method": "z: two-proportion z-test on the share of feedback; |z| >= 1.96 is significant; "
                             f"emerging terms against a seeded sample of up to {TERM_SAMPLE:,} baseline texts"},
        "movers": movers(now, prev, base) if len(this) else [],
        "emerging_terms": emerging_terms(this, base.sample, segmenter) if len(this) and base.sample else [],
        "scores": changes,
        "new_cases": {k: new_cases.get(k, []) for k in ("churn_risk", "escalation")},
        "pain_points": sections.pain_points(this, cfg)[: cfg["top_pain_points"]] if len(this) else [],
        "names": label_names(lexicons, lang),
    }


def _live(df: pd.DataFrame) -> pd.DataFrame:
    if df.empty:
        return df
    return df[~df["empty"] & ~df["template"]].reset_index(drop=True)
