"""Report API: facets, ranked pain points, drill-down into one pain point, exports, full and weekly
reports (built in a job and cached; 202 + job id while they are being built)."""
from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.background import BackgroundTask

from voc.errors import InputError
from voc.web import exports, queries, reports
from voc.web.auth import require
from voc.web.config import Principal
from voc.web.queries import Filters

router = APIRouter(tags=["reports"])
MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def view_filters(date_from: str | None = Query(None, alias="from", description="First day, e.g. 2026-10-01"),
                 date_to: str | None = Query(None, alias="to", description="Last day (inclusive)"),
                 lang: list[str] = Query([], description="zh, en, mixed, other (repeatable)"),
                 seg: list[str] = Query([], description="KEY:VALUE, e.g. channel:app (repeatable)")) -> Filters:
    try:
        return Filters.parse(date_from, date_to, lang, seg)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None


def names_for(request: Request, lang: str | None) -> tuple[str, dict]:
    from voc.reports.build import label_names

    st = request.app.state
    lang = lang if lang in ("zh", "en") else (st.settings.get("report_lang") if st.settings.get("report_lang") in ("zh", "en") else "zh")
    return lang, label_names(st.analyzer.lexicons, lang)


def cached_facets(st) -> dict:
    version = st.db.version()
    cached = st.facets_cache.get(version)
    if cached is None:
        cached = {**queries.facets(st.db.cursor()), "version": version}
        st.facets_cache.clear()
        st.facets_cache[version] = cached
    return cached


@router.get("/api/facets", summary="What views exist: date range, languages, weeks, segment keys and values")
def get_facets(request: Request, who: Principal = Depends(require("analyst"))):
    return JSONResponse(cached_facets(request.app.state))


@router.get("/api/reports/pain-points", summary="Ranked pain points (touchpoint x pillar) and KPIs of a view")
def pain_points(request: Request, f: Filters = Depends(view_filters), top: int = Query(50, ge=1, le=500),
                labels: str | None = Query(None, description="Language of label names: zh | en"),
                who: Principal = Depends(require("analyst"))):
    cur = request.app.state.db.cursor()
    t0 = time.perf_counter()
    stats = queries.view_stats(cur, f)
    pains = queries.pain_points(cur, f, top, stats)
    summ = queries.summary(cur, f, stats)
    lang, names = names_for(request, labels)
    return JSONResponse({"filters": f.to_dict(), "summary": summ, "pain_points": pains, "names": names,
                         "language": lang, "query_ms": round(1000 * (time.perf_counter() - t0), 1),
                         "priority_formula": "100 * share * (0.5 + negativity) * (1 + frustration) * (1 + 0.5 * max(0, trend))"})


@router.get("/api/reports/pain-points/{touchpoint}/{pillar}",
            summary="One pain point: volume, costs, top cues, and its records (most telling first) with evidence spans")
def pain_point_records(touchpoint: str, pillar: str, request: Request, f: Filters = Depends(view_filters),
                       offset: int = Query(0, ge=0), limit: int = Query(20, ge=1, le=200),
                       who: Principal = Depends(require("analyst"))):
    st = request.app.state
    cur = st.db.cursor()
    detail = queries.cell_detail(cur, f, touchpoint, pillar)
    ids = queries.cell_record_ids(cur, f, touchpoint, pillar, offset, limit)
    recs = st.db.records_by_id(ids)
    items = [queries.record_item(recs[i], touchpoint, pillar) for i in ids if i in recs]
    if who.role == "admin":
        originals = st.db.unmasked(ids)
        for it in items:
            if it["id"] in originals:
                it["unmasked_text"] = originals[it["id"]]
    return JSONResponse({**detail, "filters": f.to_dict(), "offset": offset, "limit": limit, "records": items})


@router.get("/api/reports/export", summary="Export the current view as CSV or XLSX (formula cells neutralised)",
            response_class=FileResponse)
def export(request: Request, f: Filters = Depends(view_filters),
           view: str = Query("pain-points", pattern="^(pain-points|records)$"),
           format: str = Query("csv", pattern="^(csv|xlsx)$"), touchpoint: str | None = None,
           pillar: str | None = None, labels: str | None = None, who: Principal = Depends(require("analyst"))):
    st = request.app.state
    cur = st.db.cursor()
    folder = Path(tempfile.mkdtemp(prefix="voc-export-"))
    stamp = time.strftime("%Y%m%d-%H%M%S")
    if view == "pain-points":
        _, names = names_for(request, labels)
        path = folder / f"voc-pain-points-{stamp}.{format}"
        rows = exports.pain_point_rows(queries.pain_points(cur, f), names)
        exports.write_table(path, format, exports.PAIN_COLUMNS, rows, "pain_points",
                            header_note=f"voc pain points: {reports.describe(f)}")
    else:
        if not touchpoint or not pillar:
            raise HTTPException(400, "a records export needs touchpoint and pillar")
        ids = queries.cell_record_ids(cur, f, touchpoint, pillar, 0, exports.MAX_EXPORT_RECORDS)
        path = folder / f"voc-{_slug(touchpoint)}-{_slug(pillar)}-{stamp}.{format}"

        def records():
            for i in range(0, len(ids), 2000):
                chunk = ids[i:i + 2000]
                found = st.db.records_by_id(chunk)
                yield from (found[x] for x in chunk if x in found)

        exports.write_records(path, format, records())
    return FileResponse(path, media_type=MEDIA[format], filename=path.name,
                        background=BackgroundTask(_cleanup, folder))


def _cleanup(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


def _slug(s: str) -> str:
    return re.sub(r"[^\w\-]+", "_", s)[:40]


def cached_or_job(request: Request, who: Principal, key: str, build, title: str) -> Response:
    """200 with the cached JSON as stored (no re-encoding), or 202 with the job building it."""
    st = request.app.state
    text = st.db.cache_get_text(key)
    if text is not None:
        return Response(text, media_type="application/json")
    job = st.jobs.submit("report", who.name, lambda job: _build_and_cache(st, key, build, job), title=title, key=key)
    return JSONResponse({"status": "building", "job_id": job.id, "job": job.to_dict()}, status_code=202)


def _build_and_cache(st, key: str, build, job) -> dict:
    cur = st.db.cursor()
    body = build(cur, job)
    st.db.cache_put(key, body)
    return {"cache_key": key}


def full_spec(st, f: Filters, lang: str | None):
    """(cache key, build function, title) of the full report of a view."""
    lang = _report_lang(st, lang)
    key = reports.cache_key("full", f, st.db.version(), st.analyzer.lexicons.hash, lang=lang)

    def build(cur, job):
        return reports.build_full(cur, f, st.analyzer.lexicons, st.analyzer.provenance, lang, st.cfg.report_settings, job)

    return key, build, f"full report: {reports.describe(f)}"


@router.get("/api/reports/full", summary="The full pain-point report of a view (journey, trust, drivers, "
            "segments, signals, recommendations): 200 when ready, else 202 with the job building it")
def full_report(request: Request, f: Filters = Depends(view_filters),
                report_lang: str | None = Query(None, description="zh | en (default: settings, else the feedback's)"),
                who: Principal = Depends(require("analyst"))):
    key, build, title = full_spec(request.app.state, f, report_lang)
    return cached_or_job(request, who, key, build, title)


def _weekly_spec(request: Request, f: Filters, week: str | None, report_lang: str | None):
    """(week, cache key, build function, title) of the weekly report of a view."""
    from voc.web.app import segmenter

    st = request.app.state
    if week is not None and not re.fullmatch(r"\d{4}-W\d{2}", week):
        raise HTTPException(400, "week: use the ISO form 2026-W47")
    if week is None:
        weeks = cached_facets(st)["weeks"]
        if not weeks:
            raise HTTPException(404, "no dated records in the store: weekly reports need a time column")
        week = weeks[-1]
    lang = _report_lang(st, report_lang)
    key = reports.cache_key("weekly", f, st.db.version(), st.analyzer.lexicons.hash, lang=lang, week=week)
    seg = segmenter(request.app)

    def build(cur, job):
        rep = reports.build_weekly_view(cur, week, f, st.analyzer.lexicons, seg, lang, st.cfg.report_settings, job)
        monday, sunday = reports.week_days(week)
        rep["header"]["days"] = {"from": monday.isoformat(), "to": sunday.isoformat()}
        return rep

    return week, key, build, f"weekly report {week}: {reports.describe(f)}"


@router.get("/api/reports/weekly", summary="The weekly report (this week vs last week and the 8-week baseline) "
            "of a view: 200 when ready, else 202 with the job building it")
def weekly_report(request: Request, f: Filters = Depends(view_filters),
                  week: str | None = Query(None, description="ISO week like 2026-W47 (default: the latest)"),
                  report_lang: str | None = Query(None, description="zh | en (default: settings, else the feedback's)"),
                  who: Principal = Depends(require("analyst"))):
    _, key, build, title = _weekly_spec(request, f, week, report_lang)
    try:
        return cached_or_job(request, who, key, build, title)
    except InputError as exc:
        raise HTTPException(400, str(exc)) from None


@router.get("/api/reports/weekly/export", response_class=FileResponse,
            summary="Export the weekly report of a view (once built): XLSX with one sheet per table, or one "
                    "table as CSV (formula cells neutralised)")
def weekly_export(request: Request, f: Filters = Depends(view_filters), week: str | None = None,
                  report_lang: str | None = None, format: str = Query("xlsx", pattern="^(csv|xlsx)$"),
                  table: str = Query("movers", pattern="^(movers|emerging_terms|scores|new_cases|pain_points)$"),
                  who: Principal = Depends(require("analyst"))):
    from voc.reports.render_weekly import weekly_tables

    week, key, _, _ = _weekly_spec(request, f, week, report_lang)
    text = request.app.state.db.cache_get_text(key)
    if text is None:
        raise HTTPException(409, "this weekly report is not built yet: GET /api/reports/weekly first")
    tables = weekly_tables(json.loads(text))
    folder = Path(tempfile.mkdtemp(prefix="voc-export-"))
    path = folder / f"voc-weekly-{week}{'' if format == 'xlsx' else '-' + table}.{format}"
    note = f"voc weekly report {week}: {reports.describe(f)}"
    if format == "xlsx":
        exports.write_sheets(path, tables, header_note=note)
    else:
        rows = tables[table]
        exports.write_table(path, "csv", list(rows[0]) if rows else ["(none)"], rows, table, header_note=note)
    return FileResponse(path, media_type=MEDIA[format], filename=path.name, background=BackgroundTask(_cleanup, folder))


def _report_lang(st, lang: str | None) -> str | None:
    if lang in ("zh", "en"):
        return lang
    return st.settings.get("report_lang") if st.settings.get("report_lang") in ("zh", "en") else None
