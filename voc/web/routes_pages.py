"""HTML pages, log in / log out, the app's own static files, and the full report rendered as HTML."""
from __future__ import annotations

import json
from html import escape
from pathlib import Path
from urllib.parse import quote, urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from voc.web import pages
from voc.web.auth import COOKIE, page_user, principal_for_token
from voc.web.routes_reports import cached_or_job, full_spec, view_filters

router = APIRouter(include_in_schema=False)
STATIC = Path(__file__).parent / "static"
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


def _page(request: Request, role: str, title: str, body: str, page: str, scripts=()):
    who = page_user(request)
    if who is None:
        return RedirectResponse(f"/login?next={quote(request.url.path + ('?' + request.url.query if request.url.query else ''))}", 303)
    if not who.can(role):
        return HTMLResponse(pages.layout("not allowed", f"<h1>Not allowed</h1><p>This page needs the {role} role; "
                                         f"you are {who.role}.</p>", who, page, (), request.app.state.cfg.open_mode), 403)
    return HTMLResponse(pages.layout(title, body, who, page, scripts, request.app.state.cfg.open_mode))


@router.get("/")
def home(request: Request):
    st = request.app.state
    cur = st.db.cursor()
    stats = {"records": cur.execute("SELECT count(*) FROM records").fetchone()[0],
             "weeks": cur.execute("SELECT count(DISTINCT week) FROM records").fetchone()[0],
             "open_alerts": sum(1 for c in st.board.board() if c["status"] == "open"),
             "ingests": cur.execute("SELECT strftime(started_at, '%Y-%m-%d %H:%M'), source, inserted, updated, unchanged "
                                    "FROM ingests ORDER BY started_at DESC LIMIT 8").fetchall()}
    return _page(request, "analyst", "home", pages.home(stats), "", ("home.js",))


@router.get("/reports")
def reports(request: Request):
    return _page(request, "analyst", "pain points", pages.reports_page(), "reports", ("report.js",))


@router.get("/weekly")
def weekly(request: Request):
    return _page(request, "analyst", "weekly", pages.weekly_page(), "weekly", ("report.js", "weekly.js"))


@router.get("/upload")
def upload(request: Request):
    return _page(request, "admin", "upload", pages.upload_page(request.app.state.settings["max_upload_mb"]),
                 "upload", ("upload.js",))


@router.get("/taxonomy")
def taxonomy(request: Request):
    return _page(request, "analyst", "taxonomy", pages.taxonomy_page(), "taxonomy", ("taxonomy.js",))


@router.get("/alerts")
def alerts(request: Request):
    return _page(request, "analyst", "alerts", pages.alerts_page(), "alerts", ("alerts.js",))


@router.get("/settings")
def settings(request: Request):
    st = request.app.state
    return _page(request, "admin", "settings", pages.settings_page(st.settings, st.cfg), "settings", ("settings.js",))


@router.get("/api")
def api_doc(request: Request):
    return _page(request, "analyst", "API", pages.api_page(request.app.openapi()), "api")


@router.get("/reports/full")
def full_report_page(request: Request, f=Depends(view_filters), report_lang: str | None = None):
    from voc.reports.render_html import render

    who = page_user(request)
    if who is None or not who.can("analyst"):
        return _page(request, "analyst", "full report", "", "reports")
    key, build, title = full_spec(request.app.state, f, report_lang)
    result = cached_or_job(request, who, key, build, title)
    if result.status_code == 202:  # being built
        job = json.loads(result.body)["job"]
        return _page(request, "analyst", "building", pages.building_page(job), "reports", ("building.js",))
    back = f'<p class="noprint"><a href="/reports?{escape(request.url.query)}">← back to the interactive view</a></p>'
    html = render(json.loads(result.body)).replace("<body>", "<body>" + back, 1)
    return HTMLResponse(html)


@router.get("/login")
def login_form(request: Request, next: str = "/"):
    if request.app.state.cfg.open_mode:
        return RedirectResponse(_safe_next(next), 303)
    return HTMLResponse(pages.layout("log in", pages.login_page(_safe_next(next))))


@router.post("/login")
def login(request: Request, token: str = Form(...), next: str = Form("/")):
    st = request.app.state
    who = principal_for_token(st.cfg, token.strip())
    if who is None:
        return HTMLResponse(pages.layout("log in", pages.login_page(_safe_next(next), "Unknown token.")), 401)
    resp = RedirectResponse(_safe_next(next), 303)
    resp.set_cookie(COOKIE, st.sessions.create(who), max_age=int(st.cfg.session_hours * 3600), httponly=True,
                    samesite="strict", secure=st.cfg.cookie_secure, path="/")
    return resp


@router.post("/logout")
def logout(request: Request):
    request.app.state.sessions.drop(request.cookies.get(COOKIE))
    resp = RedirectResponse("/login", 303)
    resp.delete_cookie(COOKIE, path="/")
    return resp


def _safe_next(url: str) -> str:
    """Only same-site paths: no open redirect to another host."""
    p = urlparse(url or "/")
    if p.scheme or p.netloc or not (url or "/").startswith("/") or url.startswith("//") or "\\" in url:
        return "/"
    return url


@router.get("/favicon.ico")
def favicon():
    return Response(status_code=204)


@router.get("/static/{name}")
def static(name: str):
    path = STATIC / name
    if "/" in name or name.startswith(".") or path.suffix not in TYPES or not path.is_file():
        return Response("not found", 404, media_type="text/plain")
    return Response(path.read_bytes(), media_type=TYPES[path.suffix], headers={"Cache-Control": "max-age=300"})

