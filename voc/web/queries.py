"""Report queries on the index (voc/web/index.py): filters, facets, the ranked pain points, drill-down.

The pain-point numbers are those of `voc.reports.sections.pain_points` (same cells, share,
negativity, frustration, trend, priority and order), computed with one GROUP BY over `web_cell`
instead of pandas, so they stay interactive on millions of records. tests/test_web.py checks that
both give the same table on the sample data.
"""
from __future__ import annotations

import math

from voc.reports import stats
from voc.reports.sections import excerpt
from voc.web.filters import Filters, cube_source, record_where
from voc.web.index_sql import SEP

__all__ = ["Filters", "facets", "view_stats", "summary", "pain_points", "cell_detail", "cell_record_ids",
           "record_item", "filtered_ids_sql"]
_REC_SUMS = ("sum(n), sum(live), sum(template), sum(negative), sum(frus), sum(nps_n), sum(nps_p), sum(nps_d), "
             "sum(csat_n), sum(csat_k), sum(ces_n), sum(ces_s), sum(ces_ss), sum(stars_n), sum(stars_s), sum(stars_ss)")
TOP_CUES = 8


# ---------------------------------------------------------------------- facets
def facets(cur, max_values: int = 50) -> dict:
    """What the filter bar offers: date range, languages, weeks, and segment keys with their values."""
    n, live, lo, hi = cur.execute("SELECT sum(n), sum(live), min(day), max(day) FROM web_cube_rec WHERE seg = ''").fetchone()
    langs = dict(cur.execute("SELECT lang, sum(n) FROM web_cube_rec WHERE seg = '' GROUP BY lang ORDER BY 2 DESC").fetchall())
    weeks = [w for (w,) in cur.execute("SELECT DISTINCT week FROM web_cube_rec WHERE seg = '' AND week IS NOT NULL "
                                       "ORDER BY week").fetchall()]
    segs: dict[str, dict[str, int]] = {}
    for s, c in cur.execute("SELECT seg, sum(n) FROM web_cube_rec WHERE seg <> '' GROUP BY seg").fetchall():
        k, _, v = s.partition(SEP)
        segs.setdefault(k, {})[v] = int(c)
    segments = {k: dict(sorted(v.items(), key=lambda kv: (-kv[1], kv[0])))
                for k, v in sorted(segs.items()) if 2 <= len(v) <= max_values}
    return {"records": int(n or 0), "analysed": int(live or 0), "from": lo and lo.isoformat(), "to": hi and hi.isoformat(),
            "languages": {k: int(v) for k, v in langs.items()}, "weeks": weeks, "segments": segments}


# ---------------------------------------------------------------------- summary
def view_stats(cur, f: Filters) -> list[tuple]:
    """One query for a view's record-level numbers, by (week, lang): what the summary and the
    pain-point trend need (summing them in Python is cheaper than more round trips)."""
    _, rec_cube, where, params = cube_source(cur, f)
    sql = f"SELECT week, lang, {_REC_SUMS} FROM {rec_cube} WHERE {where} GROUP BY week, lang"
    return [tuple(x or 0 if i > 1 else x for i, x in enumerate(row)) for row in cur.execute(sql, params).fetchall()]


def summary(cur, f: Filters, rows: list[tuple] | None = None) -> dict:
    rows = view_stats(cur, f) if rows is None else rows
    row = [sum(r[i] for r in rows) for i in range(2, 18)]
    n, live, templates, neg, frus = row[:5]
    langs: dict[str, int] = {}
    for r in rows:
        if r[3]:
            langs[r[1]] = langs.get(r[1], 0) + int(r[3])
    langs = dict(sorted(langs.items(), key=lambda kv: (-kv[1], kv[0])))
    out = {"records": int(n), "analysed": int(live), "negative_share": _r(neg / live if live else 0.0),
           "mean_frustration": _r(frus / live if live else 0.0), "template_share": _r(templates / n if n else 0.0),
           "languages": langs}
    if row[5]:
        out["nps"] = _nps(row[6], row[7], int(row[5]))
    if row[8]:
        lo, hi = stats.wilson(int(row[9]), int(row[8]))
        out["csat"] = stats.Estimate(100 * row[9] / row[8], 100 * lo, 100 * hi, int(row[8]), _note(row[8])).to_dict()
    for kind, (k, s, ss) in (("ces", row[10:13]), ("stars", row[13:16])):
        if k:
            mean = s / k
            sd = math.sqrt(max(0.0, (ss - s * s / k) / (k - 1))) if k > 1 else float("nan")
            se = sd / math.sqrt(k)
            out[kind] = stats.Estimate(mean, mean - stats.Z95 * se, mean + stats.Z95 * se, int(k), _note(k)).to_dict()
    return out


def _nps(promoters: int, detractors: int, n: int) -> dict:
    p, d = promoters / n, detractors / n
    value = 100 * (p - d)
    se = 100 * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / n)
    return stats.Estimate(value, value - stats.Z95 * se, value + stats.Z95 * se, n, _note(n)).to_dict()


def _note(n: int) -> str:
    return "" if n >= stats.MIN_N else f"n<{stats.MIN_N}"


# ---------------------------------------------------------------------- pain points
def pain_points(cur, f: Filters, top: int | None = None, rows: list[tuple] | None = None) -> list[dict]:
    """The ranked touchpoint x pillar cells of the filtered records, as voc.reports.sections ranks them."""
    weeks_all: dict[str | None, int] = {}
    for r in (view_stats(cur, f) if rows is None else rows):
        weeks_all[r[0]] = weeks_all.get(r[0], 0) + int(r[3])
    n_all = max(1, sum(weeks_all.values()))
    weeks = {w: n for w, n in weeks_all.items() if w is not None and n}
    order = sorted(weeks)
    recent = order[len(order) // 2:]
    table, _, where, params = cube_source(cur, f)
    in_recent = "week IN (SELECT unnest(?))"
    rows_sql = (f"SELECT tp, pillar, sum(n), sum(neg), sum(frus), coalesce(sum(n) FILTER ({in_recent}), 0), "
                f"coalesce(sum(n) FILTER (week IS NOT NULL AND NOT {in_recent}), 0) "
                f"FROM {table} WHERE {where} GROUP BY tp, pillar")
    rows = []
    base_n = sum(n for w, n in weeks.items() if w not in set(recent))
    rec_n = sum(weeks[w] for w in recent)
    for tp, pillar, n, s_neg, s_frus, rec_k, base_k in cur.execute(rows_sql, [recent, recent] + params).fetchall():
        n = int(n)
        # rounded first, as the report does, so the priority is recomputable from the numbers shown
        share, negativity, fr = _r(n / n_all), _r(s_neg / n), _r(s_frus / n)
        tr = _trend(len(order), base_n, rec_n, int(base_k), int(rec_k))
        priority = 100 * share * (0.5 + negativity) * (1 + fr) * (1 + 0.5 * max(0.0, tr or 0.0))
        rows.append({"touchpoint": tp, "pillar": pillar, "volume": n, "share": share,
                     "negativity": negativity, "frustration": fr, "trend": tr, "priority": _r(priority)})
    rows.sort(key=lambda r: (-r["priority"], -r["volume"], r["touchpoint"], r["pillar"]))
    for i, r in enumerate(rows, 1):
        r["rank"] = i
    return rows[:top] if top else rows


def _trend(n_weeks: int, base_n: int, rec_n: int, base_k: int, rec_k: int) -> float | None:
    """voc.reports.sections.trend from counts: the cell's share in the recent half of the weeks
    (the later half of the distinct weeks of the view) vs the earlier half."""
    if n_weeks < 2 or base_n == 0 or rec_n == 0:
        return None
    base, rec = base_k / base_n, rec_k / rec_n
    if base == 0:
        return 3.0 if rec > 0 else 0.0
    return round(min(3.0, rec / base - 1), 3)


# ---------------------------------------------------------------------- drill-down
def cell_detail(cur, f: Filters, tp: str, pillar: str) -> dict:
    """Volume, costs and the most frequent evidence cues of one pain cell, in one round trip: from
    the cubes and the per-cell cue table when the view has no dates or languages, else from the
    cell's rows."""
    cube, _, where, params = cube_source(cur, f)
    head = f"SELECT 'n', NULL, sum(n) FROM {cube} WHERE {where} AND tp = ? AND pillar = ?"
    args = params + [tp, pillar]
    if f.only_segments and len(f.segments) <= 1:
        segs = [f"{k}{SEP}{v}" for k, vs in f.segments for v in vs] or [""]
        sql = (f"{head} UNION ALL SELECT kind, value, sum(n) FROM web_cues WHERE seg IN (SELECT unnest(?)) "
               "AND tp = ? AND pillar = ? GROUP BY kind, value")
        args += [segs, tp, pillar]
    else:
        rw, rp = record_where(cur, f)
        sql = f"""WITH c AS MATERIALIZED (SELECT costs, cues FROM web_cell WHERE {rw} AND tp = ? AND pillar = ?)
            {head} UNION ALL SELECT 'cost', x, count(*) FROM (SELECT unnest(costs) AS x FROM c) GROUP BY x
            UNION ALL SELECT 'cue', x, count(*) FROM (SELECT unnest(cues) AS x FROM c) GROUP BY x"""
        args = rp + [tp, pillar] + args
    rows = cur.execute(sql, args).fetchall()
    n = int(next((k for kind, _, k in rows if kind == "n"), 0) or 0)
    costs = sorted(((x, int(k)) for kind, x, k in rows if kind == "cost"), key=lambda t: (-t[1], t[0]))
    cues = sorted(((x, int(k)) for kind, x, k in rows if kind == "cue"), key=lambda t: (-t[1], t[0]))[:TOP_CUES]
    return {"touchpoint": tp, "pillar": pillar, "volume": n, "costs": dict(costs),
            "top_cues": [{"cue": c, "count": k} for c, k in cues]}


def cell_record_ids(cur, f: Filters, tp: str, pillar: str, offset: int = 0, limit: int | None = 50) -> list[str]:
    """The cell's record ids, most telling first (the report's quote order: frustrated and negative
    first, long texts last)."""
    where, params = record_where(cur, f)
    sql = f"SELECT id FROM web_cell WHERE tp = ? AND pillar = ? AND {where} ORDER BY qrank DESC, id"
    args = [tp, pillar] + params
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        args += [limit, offset]
    return [i for (i,) in cur.execute(sql, args).fetchall()]


def evidence_of(rec: dict, tp: str, pillar: str) -> list[dict]:
    ev = [e for t in rec.get("touchpoints", []) if t["id"] == tp for e in t["evidence"]]
    if pillar != "none":
        ev += [e for p in rec.get("pillars", []) if p["id"] == pillar for e in p["evidence"]]
    return ev


def record_item(rec: dict, tp: str | None = None, pillar: str | None = None, width: int = 400) -> dict:
    """A record as the browser shows it: an excerpt around the evidence, spans re-based onto it."""
    ev = evidence_of(rec, tp, pillar) if tp else [e for g in ("touchpoints", "pillars", "costs", "signals")
                                                  for x in rec.get(g, []) for e in x["evidence"]]
    text, spans = excerpt(rec.get("text", ""), ev, width)
    return {"id": rec["id"], "text": text, "evidence": spans, "full_length": len(rec.get("text", "")),
            "ts": rec.get("ts"), "lang": rec.get("lang"), "sentiment": rec.get("sentiment"),
            "frustration": rec.get("frustration"), "flags": rec.get("flags", []),
            "touchpoints": [{"id": t["id"], "sentiment": t["sentiment"]} for t in rec.get("touchpoints", [])],
            "pillars": [{"id": p["id"], "polarity": p["polarity"]} for p in rec.get("pillars", [])],
            "signals": [s["id"] for s in rec.get("signals", [])],
            "meta": {k: v for k, v in (rec.get("meta") or {}).items() if not str(k).startswith("_")}}


def filtered_ids_sql(cur, f: Filters) -> tuple[str, list]:
    """SQL selecting the ids of all filtered records (for rebuilding a full report on them)."""
    where, params = record_where(cur, f)
    return f"SELECT id FROM web_rec WHERE {where}", params


def _r(x, nd: int = 4):
    return None if x is None else round(float(x), nd)
