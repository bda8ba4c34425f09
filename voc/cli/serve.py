"""`voc serve`: the web app for CX teams (upload, interactive reports, taxonomy, live alerts, JSON API)."""
from __future__ import annotations

import click

from voc.cli.common import lexicons_option, pipeline_option


@click.command()
@click.option("--store", "store_path", default="voc.duckdb", show_default=True, type=click.Path(dir_okay=False),
              help="DuckDB store (created if missing). The server owns it while it runs.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--tokens", "tokens_file", default=None, type=click.Path(dir_okay=False),
              help="TOML file of access tokens and roles (default: $VOC_WEB_TOKENS_FILE).")
@click.option("--max-upload-mb", default=None, type=click.FloatRange(0.01, 10240),
              help="Largest accepted upload in MB (default: what an admin saved on /settings, else 200).")
@click.option("--jobs", "job_mode", type=click.Choice(["process", "thread"]), default="process", show_default=True,
              help="Run upload analysis in a child process (keeps the server responsive) or a thread.")
@click.option("--report-settings", default=None, type=click.Path(dir_okay=False),
              help="Report settings TOML (default: pipelines/report.toml).")
@click.option("--secure-cookies", is_flag=True, help="Mark the session cookie Secure (serving over https via a proxy).")
@pipeline_option
@lexicons_option
def serve(store_path, host, port, tokens_file, max_upload_mb, job_mode, report_settings, secure_cookies,
          pipeline, lexicons):
    """Serve the web app: upload exports, interactive pain-point and weekly reports, the taxonomy with
    explain, and a live alerts board fed by `voc watch --sink webhook:http://HOST:PORT/api/alerts?token=T`.

    \b
    Access tokens (roles: analyst reads reports; admin also uploads and edits settings and sees
    unmasked originals; feeder only posts alerts) come from --tokens FILE / $VOC_WEB_TOKENS_FILE:
        [[token]]
        name = "li.na"
        role = "admin"
        sha256 = "<sha256 hex of the token>"
    and/or from $VOC_WEB_TOKENS="admin:TOKEN,analyst:TOKEN,feeder:TOKEN" (at least 16 characters).
    Without tokens the server only binds to a loopback address, and everyone there is admin.
    API: /openapi.json (and /api as a page).
    """
    from pathlib import Path

    from voc.web.config import DEFAULT_MAX_UPLOAD_MB, WebConfig, load_tokens

    cfg = WebConfig(store=Path(store_path), host=host, port=port, tokens=load_tokens(tokens_file),
                    max_upload_bytes=int((max_upload_mb or DEFAULT_MAX_UPLOAD_MB) * (1 << 20)),
                    pipeline=pipeline, lexicons=lexicons, report_settings=report_settings, job_mode=job_mode,
                    cookie_secure=secure_cookies)
    cfg.check()  # before loading anything: refuse a non-loopback bind without tokens at once
    import uvicorn

    from voc.web.app import create_app

    app = create_app(cfg)
    if max_upload_mb:  # given on the command line: it wins over a value saved on /settings
        app.state.settings["max_upload_mb"] = max_upload_mb
    mode = "open mode (no tokens; loopback only)" if cfg.open_mode else f"{len(cfg.tokens)} access tokens"
    click.echo(f"voc: serving {store_path} on http://{host}:{port}/ ({mode}); Ctrl-C stops", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=3)
