"""Full reports for a filtered view: the pain-point report (voc.reports.build) and the weekly report
(voc.reports.weekly), built from the store's records by the project's own report code, in a
background job, and cached in `web_cache` under (view, data version, lexicon hash).

The interactive pages do not wait for these: the ranked pain points and drill-downs come from the
index (voc/web/queries.py) in milliseconds. A full build reads every filtered record into pandas,
so views larger than FULL_REPORT_MAX records are refused with advice to narrow the filters.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta

from voc.errors import InputError
from voc.web.filters import Filters, record_where
from voc.web.queries import filtered_ids_sql

FULL_REPORT_MAX = 300_000


def cache_key(kind: str, f: Filters, version: str, lex_hash: str, **extra) -> str:
    raw = json.dumps([kind, f.key(), version, lex_hash, sorted(extra.items())], default=str)
    return f"{kind}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def _records(cur, where_ids: str, params: list, job=None) -> list[dict]:
    n = cur.execute(f"SELECT count(*) FROM ({where_ids})", params).fetchone()[0]
    if n > FULL_REPORT_MAX:
        raise InputError(f"{n:,} records in this view; a full report is built on at most {FULL_REPORT_MAX:,}: "
                         "narrow the dates, languages or segments")
    out = []
    result = cur.execute(f"SELECT record FROM records WHERE id IN ({where_ids}) ORDER BY ts, id", params)
    while rows := result.fetchmany(5000):
        out.extend(json.loads(r) for (r,) in rows)
        if job is not None:
            job.progress(len(out), n, f"read {len(out):,} of {n:,} records")
    return out


def build_full(cur, f: Filters, lexicons, provenance: dict, lang: str | None, settings: str | None, job=None) -> dict:
    from voc.reports.build import build_report

    where_ids, params = filtered_ids_sql(cur, f)
    records = _records(cur, where_ids, params, job)
    if job is not None:
        job.progress(len(records), len(records), f"computing the report on {len(records):,} records")
    inputs = [{"file": "store (filtered: " + _describe(f) + ")", "format": "duckdb", "rows": len(records)}]
    return build_report(records, lexicons, provenance, inputs, lang, settings)


def week_days(week: str) -> tuple[date, date]:
    year, w = week.split("-W")
    monday = date.fromisocalendar(int(year), int(w), 1)
    return monday, monday + timedelta(days=6)


def build_weekly_view(cur, week: str, f: Filters, lexicons, segmenter, lang: str | None, settings: str | None,
                      job=None) -> dict:
    from voc.reports.build import load_report_settings
    from voc.reports.weekly import BASELINE_WEEKS, build_weekly, split_weeks, week_range

    wanted = [week] + week_range(week, BASELINE_WEEKS)
    where, params = record_where(cur, f)
    sub = f"SELECT id FROM web_rec WHERE week IN (SELECT unnest(?)) AND {where}"
    result = cur.execute(f"SELECT week, record FROM records WHERE id IN ({sub}) ORDER BY ts, id", [wanted] + params)
    counter = {"n": 0}

    def pairs():
        while rows := result.fetchmany(5000):
            for w, r in rows:
                yield w, json.loads(r)
            counter["n"] += len(rows)
            if job is not None:
                job.progress(counter["n"], None, f"read {counter['n']:,} records of {len(wanted)} weeks")

    this_records, prev, base = split_weeks(pairs(), week)
    n = counter["n"]
    cfg, _ = load_report_settings(settings)
    provenance = {"lexicon_hash": lexicons.hash, "store": "voc serve", "filters": _describe(f)}
    if job is not None:
        job.progress(n, n, "computing movers, emerging terms and scores")
    return build_weekly(this_records, prev, base, week, lexicons, provenance, segmenter, cfg, lang)


def _describe(f: Filters) -> str:
    d = f.to_dict()
    parts = []
    if d["from"] or d["to"]:
        parts.append(f"{d['from'] or '…'} – {d['to'] or '…'}")
    if d["lang"]:
        parts.append("lang " + "/".join(d["lang"]))
    parts += d["seg"]
    return ", ".join(parts) or "all records"


describe = _describe
