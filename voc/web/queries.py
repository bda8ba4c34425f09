"""Report queries on the index (voc/web/index.py): filters, facets, the ranked pain points, drill-down.

The pain-point numbers are those of `voc.reports.sections.pain_points` (same cells, share,
negativity, frustration, trend, priority and order), computed with one GROUP BY over `web_cell`
instead of pandas, so they stay interactive on millions of records. tests/test_web.py checks that
both give the same table on the sample data.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from voc.reports import stats
from voc.reports.sections import excerpt
from voc.web.index import SEP

NEG = "least(greatest(-score, 0), 1)"


@dataclass(frozen=True)
class Filters:
    """What a report view is restricted to. Dates are inclusive UTC days; no filter = everything."""

    date_from: date | None = None
    date_to: date | None = None
    langs: tuple[str, ...] = ()
    segments: tuple[tuple[str, tuple[str, ...]], ...] = field(default_factory=tuple)

    @classmethod
    def parse(cls, date_from: str | None = None, date_to: str | None = None, lang: list[str] | None = None,
              seg: list[str] | None = None) -> "Filters":
        """From query parameters: from=2026-10-01, to=2026-10-31, lang=zh (repeatable), seg=channel:app
        (repeatable; values of one key are OR-ed, keys are AND-ed)."""
        by_key: dict[str, set[str]] = {}
        for s in seg or []:
            if ":" not in s:
                raise ValueError(f"seg {s!r}: use KEY:VALUE, e.g. channel:app")
            k, v = s.split(":", 1)
            by_key.setdefault(k, set()).add(v)
        return cls(_day(date_from, "from"), _day(date_to, "to"),
                   tuple(sorted({x for x in lang or [] if x})),
                   tuple((k, tuple(sorted(v))) for k, v in sorted(by_key.items())))

    def sql(self, segments: bool = True) -> tuple[str, list]:
        """WHERE over web_rec / web_cell (or, without the segments, over the cubes)."""
        parts, params = ["TRUE"], []
        if self.date_from:
            parts.append("day >= ?")
            params.append(self.date_from)
        if self.date_to:
            parts.append("day <= ?")
            params.append(self.date_to)
        if self.langs:
            parts.append("lang IN (SELECT unnest(?))")
            params.append(list(self.langs))
        for key, values in self.segments if segments else ():
            # one list_contains per value: much faster in DuckDB than list_has_any with a parameter
            parts.append("(" + " OR ".join(["list_contains(segs, ?)"] * len(values)) + ")")
            params.extend(f"{key}{SEP}{v}" for v in values)
        return " AND ".join(parts), params

    def key(self) -> str:
        return repr((self.date_from, self.date_to, self.langs, self.segments))

    def to_dict(self) -> dict:
        return {"from": self.date_from and self.date_from.isoformat(), "to": self.date_to and self.date_to.isoformat(),
                "lang": list(self.langs), "seg": [f"{k}:{v}" for k, vs in self.segments for v in vs]}


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise ValueError(f"{name} {value!r}: use a date like 2026-10-01") from None


# ---------------------------------------------------------------------- sources
def _cube_where(f: Filters) -> tuple[str, list] | None:
    """WHERE over the cubes, or None when the filter names two or more segment keys (the cubes hold
    one segment value per row; such views are answered from the per-record tables)."""
    if len(f.segments) > 1:
        return None
    parts, params = [], []
    if f.segments:
        key, values = f.segments[0]
        parts.append("seg IN (SELECT unnest(?))")
        params.append([f"{key}{SEP}{v}" for v in values])
    else:
        parts.append("seg = ''")
    where, p = f.sql(segments=False)
    return " AND ".join(parts + [where]), params + p


_REC_SUMS = ("sum(n), sum(live), sum(template), sum(negative), sum(frus), sum(nps_n), sum(nps_p), sum(nps_d), "
             "sum(csat_n), sum(csat_k), sum(ces_n), sum(ces_s), sum(ces_ss), sum(stars_n), sum(stars_s), sum(stars_ss)")
_REC_RAW = ("count(*), count(*) FILTER (live), count(*) FILTER (template), count(*) FILTER (live AND label = 'negative'), "
            "coalesce(sum(frustration) FILTER (live), 0), count(nps) FILTER (live), count(*) FILTER (live AND nps >= 9), "
            "count(*) FILTER (live AND nps <= 6), count(csat) FILTER (live), count(*) FILTER (live AND csat >= 4), "
            "count(ces) FILTER (live), sum(ces) FILTER (live), sum(ces * ces) FILTER (live), "
            "count(stars) FILTER (live), sum(stars) FILTER (live), sum(stars * stars) FILTER (live)")


def _rec_query(f: Filters, select_cube: str, select_raw: str, tail: str = "") -> tuple[str, list]:
    cw = _cube_where(f)
    if cw is not None:
        return f"SELECT {select_cube} FROM web_cube_rec WHERE {cw[0]} {tail}", cw[1]
    where, params = f.sql()
    return f"SELECT {select_raw} FROM web_rec WHERE {where} {tail}", params


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
    sql, params = _rec_query(f, "week, lang, " + _REC_SUMS, "week, lang, " + _REC_RAW, "GROUP BY week, lang")
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
    cw = _cube_where(f)
    if cw is not None:
        table, (where, params), count, neg, frus = "web_cube", cw, "sum(n)", "sum(neg)", "sum(frus)"
    else:
        table, (where, params), count, neg, frus = "web_cell", f.sql(), "count(*)", f"sum({NEG})", "sum(frustration)"
    in_recent = "week IN (SELECT unnest(?))"
    rows_sql = (f"SELECT tp, pillar, {count}, {neg}, {frus}, "
                f"coalesce({count} FILTER ({in_recent}), 0), coalesce({count} FILTER (week IS NOT NULL AND NOT {in_recent}), 0) "
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
    """Volume, costs and the most frequent evidence cues of one pain cell (one round trip)."""
    where, params = f.sql()
    rows = cur.execute(f"""
        WITH c AS MATERIALIZED (SELECT costs, cues FROM web_cell WHERE {where} AND tp = ? AND pillar = ?)
        SELECT 'n', NULL, count(*) FROM c
        UNION ALL SELECT 'cost', x, count(*) FROM (SELECT unnest(costs) AS x FROM c) GROUP BY x
        UNION ALL (SELECT 'cue', x, count(*) AS k FROM (SELECT unnest(cues) AS x FROM c) GROUP BY x ORDER BY k DESC, x LIMIT 8)
        """, params + [tp, pillar]).fetchall()
    n = next(k for kind, _, k in rows if kind == "n")
    costs = sorted(((x, k) for kind, x, k in rows if kind == "cost"), key=lambda t: (-t[1], t[0]))
    cues = sorted(((x, k) for kind, x, k in rows if kind == "cue"), key=lambda t: (-t[1], t[0]))
    return {"touchpoint": tp, "pillar": pillar, "volume": n, "costs": dict(costs),
            "top_cues": [{"cue": c, "count": k} for c, k in cues]}


def cell_record_ids(cur, f: Filters, tp: str, pillar: str, offset: int = 0, limit: int = 50) -> list[str]:
    """The cell's record ids, most telling first (the report's quote order: frustrated and negative
    first, long texts last)."""
    where, params = f.sql()
    sql = f"SELECT id FROM web_cell WHERE {where} AND tp = ? AND pillar = ? ORDER BY qrank DESC, id"
    args = params + [tp, pillar]
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


def filtered_ids_sql(f: Filters) -> tuple[str, list]:
    """SQL selecting the ids of all filtered records (for rebuilding a full report on them)."""
    where, params = f.sql()
    return f"SELECT id FROM web_rec WHERE {where}", params


def _r(x, nd: int = 4):
    return None if x is None else round(float(x), nd)
