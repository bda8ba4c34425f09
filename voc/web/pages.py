"""Server-rendered HTML: one layout and the skeleton of each page; the page scripts in static/ fill
them from the JSON API. Every value interpolated here goes through html.escape."""
from __future__ import annotations

from html import escape

from voc import __version__

NAV = [("/reports", "Pain points", "analyst"), ("/weekly", "Weekly", "analyst"), ("/alerts", "Alerts", "analyst"),
       ("/taxonomy", "Taxonomy", "analyst"), ("/upload", "Upload", "admin"), ("/settings", "Settings", "admin"),
       ("/api", "API", "analyst")]


def layout(title: str, body: str, who=None, page: str = "", scripts: tuple[str, ...] = (), open_mode: bool = False) -> str:
    nav = ""
    if who is not None:
        links = "".join(f'<a href="{href}"{" class=on" if href == "/" + page else ""}>{escape(label)}</a>'
                        for href, label, role in NAV if who.can(role))
        logout = "" if open_mode else ('<form method="post" action="/logout" class="inline">'
                                       '<button class="link" type="submit">log out</button></form>')
        nav = (f'<nav>{links}</nav><span class="who">{escape(who.name)} · {escape(who.role)} {logout}</span>')
    banner = ('<div class="banner">Open mode: no tokens are configured, so everyone who can reach this '
              'loopback address is admin.</div>') if open_mode and who is not None else ""
    js = "".join(f'<script src="/static/{escape(s)}" defer></script>' for s in ("common.js",) + scripts)
    role = escape(who.role) if who else ""
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>voc · {escape(title)}</title>'
            f'<link rel="icon" href="data:,"><link rel="stylesheet" href="/static/app.css">{js}</head>'
            f'<body data-page="{escape(page)}" data-role="{role}"><header class="top"><a class="brand" href="/">voc</a>'
            f'{nav}</header>{banner}<main>{body}</main>'
            f'<footer class="muted">voc {escape(__version__)} · offline voice-of-customer analysis</footer></body></html>')


FILTERS = """
<form id="filters" class="filters" autocomplete="off">
  <label>From <input type="date" name="from"></label>
  <label>To <input type="date" name="to"></label>
  <fieldset id="f-lang" class="langs"><legend>Language</legend></fieldset>
  <span id="f-segs" class="segs"></span>
  <label>Labels <select name="labels"><option value="zh">中文</option><option value="en">English</option></select></label>
  <button type="submit">Apply</button> <button type="button" id="f-reset" class="link">reset</button>
</form>"""

DRAWER = """
<aside id="drawer" class="drawer" hidden aria-live="polite">
  <div class="drawer-head"><h2 id="cell-title"></h2><button type="button" id="drawer-close" class="link">close ✕</button></div>
  <div id="cell-meta" class="muted"></div>
  <div id="cell-cues"></div>
  <div class="actions" id="cell-export"></div>
  <div id="records"></div>
  <button type="button" id="more" hidden>more records</button>
</aside>"""


def home(stats: dict) -> str:
    ing = "".join(f"<tr><td>{escape(str(r[0]))}</td><td>{escape(str(r[1]))}</td><td class=num>{r[2]}</td>"
                  f"<td class=num>{r[3]}</td><td class=num>{r[4]}</td></tr>" for r in stats["ingests"])
    return (f'<h1>Voice of the customer</h1><div class="kpis">'
            f'<div class="kpi">records<b>{stats["records"]:,}</b></div><div class="kpi">weeks<b>{stats["weeks"]}</b></div>'
            f'<div class="kpi">open alerts<b>{stats["open_alerts"]}</b></div></div>'
            f'<p><a href="/reports">Pain points</a> · <a href="/weekly">Weekly report</a> · <a href="/alerts">Live alerts</a></p>'
            f'<h2>Recent ingests</h2><table><tr><th>when (UTC)</th><th>source</th><th class=num>inserted</th>'
            f'<th class=num>updated</th><th class=num>unchanged</th></tr>{ing or "<tr><td colspan=5 class=muted>none yet</td></tr>"}</table>'
            f'<h2>Jobs</h2><div id="jobs" class="muted">…</div>')


def reports_page() -> str:
    return (f'<h1>Pain points</h1>{FILTERS}<div id="status" class="muted"></div><div id="kpis" class="kpis"></div>'
            '<div class="actions"><a id="export-csv" href="#">export CSV</a> <a id="export-xlsx" href="#">export XLSX</a> '
            '<a id="full-link" href="/reports/full">full report (journey, trust, drivers, recommendations)</a></div>'
            '<table id="pains" class="pains"><thead><tr><th>#</th><th>touchpoint</th><th>pillar</th><th class=num>records</th>'
            '<th class=num>share</th><th class=num>negativity</th><th class=num>frustration</th><th class=num>trend</th>'
            '<th class=num>priority</th></tr></thead><tbody></tbody></table>' + DRAWER)


def weekly_page() -> str:
    return ('<h1>Weekly report</h1>'
            + FILTERS.replace('<label>From <input type="date" name="from"></label>\n  <label>To <input type="date" name="to"></label>',
                              '<label>Week <select name="week"></select></label>')
            + '<div id="status" class="muted"></div><div id="progress" class="progress" hidden><div></div></div>'
            '<div id="weekly"></div>' + DRAWER)


def upload_page(max_mb: float) -> str:
    return (f'<h1>Upload an export</h1><p class="muted">CSV / TSV (UTF-8 or GB18030), XLSX, JSON or JSONL, up to '
            f'{max_mb:g} MB. Personal data is masked before anything is stored.</p>'
            '<form id="upload-form" class="card"><input type="file" name="file" id="file" required '
            'accept=".csv,.tsv,.txt,.xlsx,.json,.jsonl"> <label>Sheet <input name="sheet" id="sheet" size="12" '
            'placeholder="(first)"></label> <button type="submit">Upload</button>'
            '<div id="upload-progress" class="progress" hidden><div></div></div></form>'
            '<div id="upload-error" class="error" hidden></div>'
            '<section id="mapping" hidden><h2>Columns</h2><p id="map-note" class="muted"></p>'
            '<form id="map-form" class="card"><div id="map-roles" class="roles"></div>'
            '<div id="map-scores"></div><label id="keep-wrap"><input type="checkbox" id="keep"> also keep the unmasked '
            'originals (visible to admins only)</label><p><button type="submit" id="start">Analyse and store</button></p></form>'
            '<div class="scroll"><table id="preview"></table></div></section>'
            '<section id="job" hidden><h2>Analysis</h2><div id="job-progress" class="progress"><div></div></div>'
            '<p id="job-status" class="muted"></p><p id="job-links" hidden><a href="/reports">open the pain-point report</a> · '
            '<a href="/weekly">weekly report</a></p><button type="button" id="job-cancel" class="link">cancel</button></section>')


def taxonomy_page() -> str:
    return ('<h1>Taxonomy</h1><section class="card"><h2>Explain a text</h2>'
            '<form id="explain-form"><textarea id="explain-text" rows="3" placeholder="粘贴一条反馈 / paste any feedback">'
            '物流太慢了，客服也不回复，第三次打电话了</textarea><p><button type="submit">Explain</button></p></form>'
            '<div id="explain-out"></div></section><div id="lex-meta" class="muted"></div><div id="groups"></div>')


def alerts_page() -> str:
    return ('<h1>Live alerts</h1><p class="muted"><span id="conn" class="dot"></span> <span id="conn-text">connecting…</span> · '
            '<label><input type="checkbox" id="show-resolved"> show resolved</label> · '
            'fed by <code>voc watch --sink webhook:…/api/alerts?token=FEEDER_TOKEN</code></p>'
            '<div id="board" class="board"></div>')


def settings_page(settings: dict, cfg) -> str:
    sel = lambda v: " selected" if settings.get("report_lang") == v else ""  # noqa: E731
    return (f'<h1>Settings</h1><form id="settings-form" class="card">'
            f'<p><label>Upload limit (MB) <input type="number" step="any" min="0.01" name="max_upload_mb" '
            f'value="{settings["max_upload_mb"]:g}"></label></p>'
            f'<p><label>Report language <select name="report_lang"><option value="auto"{sel("auto")}>from the feedback</option>'
            f'<option value="zh"{sel("zh")}>中文</option><option value="en"{sel("en")}>English</option></select></label></p>'
            f'<p><label><input type="checkbox" name="keep_unmasked"{" checked" if settings.get("keep_unmasked") else ""}> '
            f'offer to keep unmasked originals by default on uploads</label></p>'
            f'<p><button type="submit">Save</button> <span id="saved" class="muted"></span></p></form>'
            f'<h2>Server</h2><ul><li>store: <code>{escape(str(cfg.store))}</code></li>'
            f'<li>bound to {escape(cfg.host)}:{cfg.port}; {"open mode (no tokens)" if cfg.open_mode else f"{len(cfg.tokens)} tokens"}</li>'
            f'<li>analysis jobs run in a {escape(cfg.job_mode)}</li></ul>'
            '<p class="muted">Tokens and roles are configured outside the app: <code>voc serve --tokens tokens.toml</code> '
            'or <code>VOC_WEB_TOKENS=role:token,…</code> (see <code>voc serve --help</code>).</p>')


def login_page(next_url: str, error: str = "") -> str:
    err = f'<p class="error">{escape(error)}</p>' if error else ""
    return (f'<h1>Log in</h1>{err}<form method="post" action="/login" class="card">'
            f'<input type="hidden" name="next" value="{escape(next_url)}">'
            '<p><label>Access token <input type="password" name="token" autocomplete="current-password" size="40" required autofocus>'
            '</label></p><p><button type="submit">Log in</button></p></form>')


def building_page(job: dict) -> str:
    return (f'<h1>Building the report…</h1><p class="muted">{escape(job.get("title", ""))}</p>'
            f'<div id="progress" class="progress" data-job="{escape(job["id"])}"><div></div></div>'
            '<p id="status" class="muted"></p>')


def api_page(spec: dict) -> str:
    rows = []
    for path, ops in spec.get("paths", {}).items():
        for method, op in ops.items():
            params = ", ".join(p["name"] for p in op.get("parameters", []))
            rows.append(f"<tr><td><code>{escape(method.upper())}</code></td><td><code>{escape(path)}</code></td>"
                        f"<td>{escape(', '.join(op.get('tags', [])))}</td><td>{escape(op.get('summary', ''))}"
                        f"{'<div class=muted>params: ' + escape(params) + '</div>' if params else ''}</td></tr>")
    return (f'<h1>API</h1><p>{escape(spec.get("info", {}).get("description", ""))}</p>'
            '<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI).</p>'
            f'<table><tr><th>method</th><th>path</th><th>tag</th><th>what</th></tr>{"".join(rows)}</table>')
