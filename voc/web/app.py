"""The `voc serve` application: FastAPI, server-rendered pages plus small vanilla JS, no CDN.

    from voc.web.app import create_app
    app = create_app(WebConfig(store=Path("voc.duckdb")))

State on `app.state`: cfg, db (the store + the app's tables), analyzer (shared, for analyze-text and
explain; guarded by a lock), jobs, uploads, board (alerts), sessions. OpenAPI is at /openapi.json;
/api renders it as a page (Swagger UI would load scripts from a CDN, so it is off).
"""
from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from voc import __version__
from voc.errors import VocError
from voc.web import routes_alerts, routes_api, routes_pages, routes_reports
from voc.web.alerts import AlertBoard
from voc.web.auth import Sessions
from voc.web.config import WebConfig
from voc.web.db import Database
from voc.web.ingest import Uploads
from voc.web.jobs import JobManager
from voc.web.middleware import BodyLimit, SecurityHeaders

log = logging.getLogger("voc.web")

DESCRIPTION = """The voc web API: analyse text, upload exports, follow jobs, query reports, feed and
work live alerts. Authenticate with `Authorization: Bearer <token>` (roles: analyst, admin, feeder;
see `voc serve --help`). Report views take the same filters everywhere: `from`, `to` (dates,
inclusive), `lang` (repeatable), `seg=KEY:VALUE` (repeatable; values of a key are OR-ed, keys AND-ed).
"""
TAGS = [{"name": "analysis", "description": "Analyse or explain text with the active taxonomy."},
        {"name": "uploads", "description": "Upload an export, confirm the column mapping, follow the job."},
        {"name": "reports", "description": "Pain points, drill-down, exports, full and weekly reports."},
        {"name": "alerts", "description": "Live frustration alerts from `voc watch`."},
        {"name": "admin", "description": "Settings and the caller's identity."}]


def create_app(cfg: WebConfig, analyzer=None) -> FastAPI:
    cfg.check()
    if analyzer is None:
        from voc.analyzer import Analyzer

        analyzer = Analyzer.from_settings(cfg.pipeline, lexicons=cfg.lexicons)
    db = Database(cfg.store)
    synced = db.sync_index()
    if synced["indexed"] or synced["removed"]:
        log.warning("report index: %s", synced)
    board = AlertBoard(db)
    board.load()
    upload_root = cfg.upload_dir or Path(tempfile.mkdtemp(prefix="voc-uploads-"))

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        app.state.jobs.shutdown()
        db.close()
        if cfg.upload_dir is None:  # our own temporary folder: uploads hold unmasked personal data
            shutil.rmtree(upload_root, ignore_errors=True)

    app = FastAPI(title="voc", version=__version__, description=DESCRIPTION, openapi_tags=TAGS,
                  docs_url=None, redoc_url=None, lifespan=lifespan)
    st = app.state
    st.cfg, st.db, st.analyzer, st.board = cfg, db, analyzer, board
    st.analyzer_lock = threading.Lock()
    st.jobs = JobManager(("ingest", "report"))
    st.uploads = Uploads(upload_root)
    st.sessions = Sessions(cfg.session_hours)
    st.facets_cache = {}
    st.segmenter = None
    settings = {"max_upload_mb": cfg.max_upload_bytes / (1 << 20), "report_lang": "auto", "keep_unmasked": False}
    settings.update(db.get_settings())
    st.settings = settings

    app.add_middleware(BodyLimit, upload_limit=lambda: int(st.settings["max_upload_mb"] * (1 << 20)))
    app.add_middleware(SecurityHeaders, open_mode=cfg.open_mode, host=cfg.host)

    @app.exception_handler(VocError)
    async def voc_error(request: Request, exc: VocError):
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        errs = [{"loc": list(e.get("loc", [])), "msg": e.get("msg")} for e in exc.errors()]
        return JSONResponse({"detail": "invalid request", "errors": errs}, status_code=422)

    for module in (routes_api, routes_reports, routes_alerts, routes_pages):
        app.include_router(module.router)
    return app


def segmenter(app) -> object:
    """The weekly report's word segmenter, built once (jieba loads its dictionary on first use)."""
    if app.state.segmenter is None:
        from voc.text import Segmenter

        app.state.segmenter = Segmenter(app.state.analyzer.lexicons.protected_words)
    return app.state.segmenter
