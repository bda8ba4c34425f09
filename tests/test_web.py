"""`voc serve`: auth and roles, upload -> job -> report, drill-down evidence, exports (neutralised),
limits, alerts and SSE, OpenAPI; the report index against the report code; and one end-to-end run
in a real headless Chromium (upload, wait for the job, open the report, click a pain point)."""
from __future__ import annotations

import csv
import io
import json
import os
import socket
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import SAMPLE
from voc.cli import main
from voc.errors import ConfigError
from voc.web.app import create_app
from voc.web.config import WebConfig, is_loopback, load_tokens, token_hash

ADMIN, ANALYST, FEEDER = "admin-token-0123456789", "analyst-token-0123456789", "feeder-token-0123456789"
TOKENS_ENV = {"VOC_WEB_TOKENS": f"admin:{ADMIN},analyst:{ANALYST},feeder:{FEEDER}"}
A, N, F = ({"Authorization": f"Bearer {t}"} for t in (ADMIN, ANALYST, FEEDER))
CHROMIUM = "/usr/bin/chromium"


def make_app(tmp: Path, analyzer, tokens=True, **kw):
    cfg = WebConfig(store=tmp / "web.duckdb", tokens=load_tokens(env=TOKENS_ENV) if tokens else {},
                    upload_dir=tmp / "uploads", job_mode=kw.pop("job_mode", "thread"), **kw)
    return create_app(cfg, analyzer=analyzer)


@pytest.fixture(scope="module")
def client(tmp_path_factory, analyzer):
    app = make_app(tmp_path_factory.mktemp("web"), analyzer)
    with TestClient(app) as c:
        yield c


def upload_and_ingest(c: TestClient, name: str, data: bytes, mapping: dict | None = None, headers=A) -> dict:
    r = c.post("/api/uploads", headers=headers, files={"file": (name, data)})
    assert r.status_code == 201, r.text
    up = r.json()
    body = mapping if mapping is not None else {k: up["mapping"][k] for k in ("text", "id", "time", "scores")}
    r = c.post(f"/api/uploads/{up['upload_id']}/ingest", headers=headers, json=body)
    assert r.status_code == 202, r.text
    job = c.app.state.jobs.wait(r.json()["job_id"], timeout=120)
    assert job.state == "done", job.error
    return {"upload": up, "job": c.get(f"/api/jobs/{job.id}", headers=N).json()}


def wait_report(c: TestClient, url: str) -> dict:
    r = c.get(url, headers=N)
    if r.status_code == 202:
        job = c.app.state.jobs.wait(r.json()["job_id"], timeout=120)
        assert job.state == "done", job.error
        r = c.get(url, headers=N)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture(scope="module")
def survey(client):
    return upload_and_ingest(client, "survey_2026.csv", (SAMPLE / "survey_2026.csv").read_bytes())


# ---------------------------------------------------------------------- configuration
def test_tokens_from_env_and_file_and_refusals(tmp_path, runner):
    f = tmp_path / "tokens.toml"
    f.write_text(f'[[token]]\nname = "li.na"\nrole = "admin"\nsha256 = "{token_hash("x" * 20)}"\n'
                 f'[[token]]\nrole = "analyst"\ntoken = "{"y" * 20}"\n', encoding="utf-8")
    toks = load_tokens(f, env={"VOC_WEB_TOKENS": f"feeder:{'z' * 20}"})
    assert sorted(p.role for p in toks.values()) == ["admin", "analyst", "feeder"]
    assert toks[token_hash("x" * 20)].name == "li.na"
    with pytest.raises(ConfigError, match="at least 16"):
        load_tokens(env={"VOC_WEB_TOKENS": "admin:short"})
    with pytest.raises(ConfigError, match="role"):
        load_tokens(env={"VOC_WEB_TOKENS": f"root:{'a' * 20}"})
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and not is_loopback("0.0.0.0")
    with pytest.raises(ConfigError, match="without tokens"):
        WebConfig(store=tmp_path / "s.duckdb", host="0.0.0.0").check()
    res = runner.invoke(main, ["serve", "--store", str(tmp_path / "s.duckdb"), "--host", "0.0.0.0"], env={"VOC_WEB_TOKENS": ""})
    assert res.exit_code == 1 and "refusing to serve on 0.0.0.0 without tokens" in res.output


def test_open_mode_is_loopback_only_and_checks_the_host(tmp_path, analyzer):
    with TestClient(make_app(tmp_path, analyzer, tokens=False), base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/me").json() == {"name": "local", "role": "admin", "open_mode": True}
        assert c.get("/api/me", headers={"Host": "evil.example:8000"}).status_code == 421  # DNS rebinding
        assert c.put("/api/settings", json={"report_lang": "en"}).status_code == 403  # no X-Voc-Request: cross-site?


# ---------------------------------------------------------------------- auth
def test_roles_401_403(client):
    assert client.get("/api/reports/pain-points").status_code == 401
    assert client.get("/api/reports/pain-points", headers={"Authorization": "Bearer wrong-token-000000000"}).status_code == 401
    assert client.get("/api/reports/pain-points", headers=N).status_code == 200
    assert client.get("/api/reports/pain-points", headers=F).status_code == 403  # feeder only feeds alerts
    r = client.post("/api/uploads", headers=N, files={"file": ("x.csv", b"comment\nhello\n")})
    assert r.status_code == 403 and "admin" in r.json()["detail"]
    assert client.put("/api/settings", headers=N, json={"report_lang": "zh"}).status_code == 403
    assert client.get("/api/settings", headers=A).status_code == 200
    assert client.get("/api/me", headers=F).json()["role"] == "feeder"
    # pages: anonymous -> login; an analyst cannot open admin pages
    r = client.get("/reports", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=/reports")
    assert client.get("/upload", headers=N).status_code == 403


def test_browser_session_cookie_needs_the_csrf_header(client):
    c = TestClient(client.app)  # its own cookie jar
    assert c.post("/login", data={"token": "nope-nope-nope-nope", "next": "/"}, follow_redirects=False).status_code == 401
    r = c.post("/login", data={"token": ANALYST, "next": "https://evil.example/"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"  # no open redirect
    assert "httponly" in r.headers["set-cookie"].lower() and "samesite=strict" in r.headers["set-cookie"].lower()
    assert c.get("/api/me").json()["role"] == "analyst"
    assert c.post("/api/analyze", json={"text": "物流太慢了"}).status_code == 403  # cookie + no X-Voc-Request
    assert c.post("/api/analyze", json={"text": "物流太慢了"}, headers={"X-Voc-Request": "1"}).status_code == 200
    c.post("/logout")
    assert c.get("/api/me").status_code == 401


# ---------------------------------------------------------------------- upload -> job -> report
def test_upload_job_report_matches_the_report_code(client, survey, analyzer):
    up, job = survey["upload"], survey["job"]
    assert up["mapping"] == {"text": "comment", "id": "response_id", "time": "submitted_at",
                             "scores": {"nps": "nps", "csat": "csat"}}
    assert 400 <= up["estimated_rows"] <= 402 and len(up["rows"]) == 5  # a line count: quoted newlines count
    assert job["state"] == "done" and job["result"]["inserted"] == 400 and job["fraction"] == 1.0
    body = client.get("/api/reports/pain-points?top=500", headers=N).json()
    # the same records through the project's own report code give the same ranked pain points
    from voc.io.readers import read_inputs
    from voc.reports.build import build_report

    recs = [fb.to_contract() for fb in analyzer.pipe(read_inputs([str(SAMPLE / "survey_2026.csv")]))]
    ref = build_report(recs, analyzer.lexicons, analyzer.provenance, [])
    mine = {(p["touchpoint"], p["pillar"]): p for p in body["pain_points"]}
    assert set(mine) == {(p["touchpoint"], p["pillar"]) for p in ref["pain_points"]}
    for a in ref["pain_points"]:
        b = mine[(a["touchpoint"], a["pillar"])]
        assert (a["volume"], a["trend"]) == (b["volume"], b["trend"])
        for k in ("share", "negativity", "frustration", "priority"):  # means rounded to 4 places: ties may differ
            assert a[k] == pytest.approx(b[k], abs=2e-3)
        assert abs(a["rank"] - b["rank"]) <= 1 or a["priority"] == pytest.approx(b["priority"], abs=2e-3)
    assert body["summary"] == ref["summary"]
    # filters: a segment and a language narrow the view
    app_only = client.get("/api/reports/pain-points?seg=channel:app&lang=zh", headers=N).json()
    assert 0 < app_only["summary"]["records"] < 400 and app_only["filters"]["seg"] == ["channel:app"]
    assert client.get("/api/reports/pain-points?from=2026-13-01", headers=N).status_code == 400
    facets = client.get("/api/facets", headers=N).json()
    assert facets["records"] == 400 and "channel" in facets["segments"] and facets["weeks"]


def test_drill_down_records_carry_evidence_that_indexes_the_text(client, survey):
    top = client.get("/api/reports/pain-points", headers=N).json()["pain_points"][0]
    r = client.get(f"/api/reports/pain-points/{top['touchpoint']}/{top['pillar']}?limit=50", headers=N).json()
    assert r["volume"] == top["volume"] and len(r["records"]) == min(50, top["volume"]) and r["top_cues"]
    for rec in r["records"]:
        assert rec["evidence"]
        for e in rec["evidence"]:
            assert rec["text"][e["start"]:e["end"]] == e["text"]
    rank = [x["frustration"] - 0.5 * x["sentiment"]["score"] - 0.5 * (x["full_length"] > 320) for x in r["records"]]
    assert rank == sorted(rank, reverse=True)  # most telling first: the report's quote order
    page2 = client.get(f"/api/reports/pain-points/{top['touchpoint']}/{top['pillar']}?limit=5&offset=5", headers=N).json()
    assert [x["id"] for x in page2["records"]] == [x["id"] for x in r["records"][5:10]]


def test_full_and_weekly_reports_are_built_in_a_job_and_cached(client, survey):
    full = wait_report(client, "/api/reports/full?seg=channel:app")
    assert full["header"]["records"] == 178 and full["pain_points"] and full["journey"]["stages"]
    assert client.get("/api/reports/full?seg=channel:app", headers=N).status_code == 200  # cached
    html = client.get("/reports/full?seg=channel:app", headers=N)
    assert html.status_code == 200 and "<mark>" in html.text
    weekly = wait_report(client, "/api/reports/weekly?week=2026-W47")
    assert weekly["header"]["week"] == "2026-W47" and weekly["header"]["days"] == {"from": "2026-11-16", "to": "2026-11-22"}
    assert "movers" in weekly and weekly["header"]["records"]["this_week"] > 0
    assert client.get("/api/reports/weekly?week=47", headers=N).status_code == 400
    import openpyxl

    xlsx = client.get("/api/reports/weekly/export?week=2026-W47&format=xlsx", headers=N)
    assert xlsx.status_code == 200 and {"movers", "pain_points"} <= set(openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames)
    movers = client.get("/api/reports/weekly/export?week=2026-W47&format=csv&table=movers", headers=N)
    assert movers.content.decode("utf-8-sig").splitlines()[1].startswith("theme,this_week")
    assert client.get("/api/reports/weekly/export?week=2026-W40", headers=N).status_code == 409  # not built yet


def test_mapping_can_be_corrected_in_the_browser(client):
    data = ("编号,备注,什么时候,满意\nm-1,物流太慢了，等了一周还没到,2026-11-02 10:00,2\n"
            "m-2,客服态度很好，问题很快解决了,2026-11-03 11:00,5\n").encode("utf-8")
    r = client.post("/api/uploads", headers=A, files={"file": ("custom.csv", data)})
    up = r.json()
    assert up["mapping"]["text"] is None and "no text column" in up["problem"]
    bad = client.post(f"/api/uploads/{up['upload_id']}/ingest", headers=A, json={"text": "nope"})
    assert bad.status_code == 400
    r = client.post(f"/api/uploads/{up['upload_id']}/ingest", headers=A,
                    json={"text": "备注", "id": "编号", "time": "什么时候", "scores": {"满意": "csat"}})
    job = client.app.state.jobs.wait(r.json()["job_id"])
    assert job.state == "done", job.error
    rec = client.app.state.db.records_by_id(["m-1"])["m-1"]
    assert rec["ts"] == "2026-11-02 10:00" and rec["scores"] == {"csat": 2} and rec["touchpoints"]
    assert client.post(f"/api/uploads/{up['upload_id']}/ingest", headers=A, json={"text": "备注"}).status_code == 404


def test_preview_of_xlsx_and_chat_jsonl(client):
    r = client.post("/api/uploads", headers=A, files={"file": ("reviews.xlsx", (SAMPLE / "reviews_ecommerce.xlsx").read_bytes())})
    up = r.json()
    assert up["format"] == "xlsx" and up["estimated_rows"] == 200 and up["sheets"] == ["评价导出", "说明"]
    assert up["mapping"]["text"] == "评价内容" and up["mapping"]["scores"] == {"星级": "stars"}
    from voc.web import preview  # the quick XLSX look (no shared-strings load) reads what openpyxl reads

    for sheet in (None, "说明"):
        fast = preview._xlsx(SAMPLE / "reviews_ecommerce.xlsx", "r.xlsx", sheet)
        assert fast[:3] == preview._xlsx_openpyxl(SAMPLE / "reviews_ecommerce.xlsx", "r.xlsx", sheet)[:3]
    chats = upload_and_ingest(client, "chats.jsonl", (SAMPLE / "chats.jsonl").read_bytes(), mapping={})
    assert chats["upload"]["chat_turns"] and chats["job"]["result"]["records"] == 197
    turn = client.app.state.db.records_by_id(["c-01-1"])["c-01-1"]
    assert turn["conversation_id"] == "c-01" and turn["speaker"] == "customer"


# ---------------------------------------------------------------------- analysis API
def test_analyze_text_explain_and_taxonomy(client):
    r = client.post("/api/analyze", headers=N, json={"texts": ["物流太慢了，客服也不回复", "The delivery was late again and the support agent was rude.",
                                                                "电话 13812345678 打不通"]})
    recs = r.json()["records"]
    assert [x["lang"] for x in recs][:2] == ["zh", "en"] and recs[0]["sentiment"]["label"] == "negative"
    assert "13812345678" not in recs[2]["text"] and "pii_masked" in recs[2]["flags"]
    assert client.post("/api/analyze", headers=N, json={}).status_code == 400
    ex = client.post("/api/explain", headers=N, json={"text": "物流太慢了"}).json()
    assert any(h["group"] == "touchpoints" and h["label"] == "delivery" for h in ex["hits"])
    tax = client.get("/api/taxonomy", headers=N).json()
    groups = {g["name"]: g for g in tax["groups"]}
    assert {"touchpoints", "pillars", "costs", "signals"} <= set(groups)
    delivery = next(lab for lab in groups["touchpoints"]["labels"] if lab["id"] == "delivery")
    assert delivery["cue_count"] > 10 and delivery["samples"]


# ---------------------------------------------------------------------- exports
def test_exports_neutralise_formula_injection(client):
    tail = "物流太慢了，客服态度很差，没人处理"
    texts = [f'=HYPERLINK("http://evil.example","x") {tail}', f"+1+2 {tail}", f"-2+3 {tail}", f"@SUM(1) {tail}"]
    data = "id,comment,channel,note\n" + "".join(
        f'x-{i},"{t.replace(chr(34), chr(34) * 2)}",evil,"=cmd|""/c calc""!A1"\n' for i, t in enumerate(texts))
    upload_and_ingest(client, "evil.csv", data.encode("utf-8"))
    q = "seg=channel:evil&view=records&touchpoint=support&pillar=humanity"
    r = client.get(f"/api/reports/export?{q}&format=csv", headers=N)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == 4
    for row in rows:
        assert row["text"][0] == "'" and row["text"][1] in "=+-@"
    import openpyxl

    r = client.get(f"/api/reports/export?{q}&format=xlsx", headers=N)
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    col = header.index("text")
    cells = [row[col].value for row in ws.iter_rows(min_row=2)]
    assert len(cells) == 4 and all(v.startswith("'") for v in cells)
    assert all(row[col].data_type != "f" for row in ws.iter_rows(min_row=2))
    r = client.get("/api/reports/export?view=pain-points&format=csv", headers=N)
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[1].startswith("rank,touchpoint") and len(lines) > 10


# ---------------------------------------------------------------------- limits
def test_upload_size_limit(tmp_path, analyzer):
    with TestClient(make_app(tmp_path, analyzer, max_upload_bytes=64 << 10)) as c:
        big = b"comment\n" + b"x" * (100 << 10) + b"\n"
        r = c.post("/api/uploads", headers=A, files={"file": ("big.csv", big)})
        assert r.status_code == 413 and "limit" in r.json()["detail"]
        assert not any((tmp_path / "uploads").iterdir())  # nothing kept on disk
        assert c.post("/api/uploads", headers=A, files={"file": ("ok.csv", b"comment\nfine\n")}).status_code == 201
        assert c.put("/api/settings", headers=A, json={"max_upload_mb": 1}).json()["max_upload_mb"] == 1
        assert c.post("/api/uploads", headers=A, files={"file": ("big.csv", big)}).status_code == 201
        assert c.post("/api/alerts", headers=A, content=b"{" + b" " * (9 << 20) + b"}").status_code == 413


# ---------------------------------------------------------------------- alerts
ALERT = {"conversation_id": "c-17", "turn_id": "c-17-4", "ts": "2026-11-24T10:02:11Z", "level": "warning",
         "score": 0.55, "reasons": [{"cue": "repeat_contact", "turn_id": "c-17-4", "text": "第三次问了"}],
         "pillars": ["reliability"], "suggestion": "Give a concrete refund date.", "latency_ms": 0.9,
         "alert_id": "c-17#1@c-17-4"}


def test_alerts_feed_board_ack_and_sse(client):
    r = client.post(f"/api/alerts?token={FEEDER}", json=ALERT)  # how `voc watch --sink webhook:` calls
    assert r.status_code == 201
    # the webhook sink's key is <alert_id>/<revision>; without a header the board derives the same
    again = client.post("/api/alerts", headers={**F, "Idempotency-Key": "c-17#1@c-17-4/1"}, json=ALERT)
    assert again.status_code == 200 and again.json()["duplicate"]
    assert client.post("/api/alerts", headers=N, json=ALERT).status_code == 403  # analysts do not feed
    assert client.post("/api/alerts", headers=F, json={**ALERT, "score": 7}).status_code == 422
    crit = {**ALERT, "conversation_id": "c-20", "turn_id": "c-20-3", "level": "critical", "score": 0.9,
            "alert_id": "c-20#1@c-20-3", "reasons": [{"cue": "agent_blame_shifting", "turn_id": "c-20-2", "text": "这是系统问题"}]}
    assert client.post("/api/alerts", headers=F, json=crit).status_code == 201
    board = client.get("/api/alerts", headers=N).json()["conversations"]
    assert [c["conversation_id"] for c in board][:2] == ["c-20", "c-17"]  # most frustrated first
    acked = client.post("/api/alerts/c-20/ack", headers=N).json()
    assert acked["status"] == "acknowledged" and acked["status_by"] == "analyst-2"
    assert [c["conversation_id"] for c in client.get("/api/alerts", headers=N).json()["conversations"]][:2] == ["c-17", "c-20"]
    with client.stream("GET", "/api/alerts/stream?limit=1", headers=N) as s:
        text = "".join(s.iter_text())
    assert text.startswith("id: 1\nevent: snapshot\ndata: ") and '"c-17"' in text
    assert client.post("/api/alerts/c-20/resolve", headers=N).json()["status"] == "resolved"
    assert "c-20" not in [c["conversation_id"] for c in client.get("/api/alerts", headers=N).json()["conversations"]]


def test_an_escalation_updates_the_alert_on_the_board(client):
    """warning -> critical in one episode arrives as revision 2 of the same alert_id: the card turns
    critical but still counts one alert; the update delivered twice is taken once."""
    first = {**ALERT, "conversation_id": "c-31", "turn_id": "c-31-2", "alert_id": "c-31#1@c-31-2"}
    update = {**first, "turn_id": "c-31-5", "level": "critical", "score": 0.91, "revision": 2, "escalated": True,
              "previous_level": "warning",
              "reasons": [{"cue": "threat", "turn_id": "c-31-5", "text": "我要投诉到工信部"}]}
    assert client.post("/api/alerts", headers=F, json=first).status_code == 201
    assert client.post("/api/alerts", headers=F, json=update).status_code == 201
    again = client.post("/api/alerts", headers=F, json=update)
    assert again.status_code == 200 and again.json()["duplicate"]
    card = next(c for c in client.get("/api/alerts", headers=N).json()["conversations"]
                if c["conversation_id"] == "c-31")
    assert card["level"] == "critical" and card["alerts"] == 1
    assert {r["cue"] for r in card["reasons"]} == {"repeat_contact", "threat"}
    assert client.post("/api/alerts", headers=F, json={**update, "revision": "2"}).status_code == 422


# ---------------------------------------------------------------------- API description
def test_openapi_documents_the_api(client):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for p in ("/api/analyze", "/api/uploads", "/api/uploads/{upload_id}/ingest", "/api/jobs/{job_id}",
              "/api/reports/pain-points", "/api/reports/pain-points/{touchpoint}/{pillar}", "/api/reports/export",
              "/api/reports/full", "/api/reports/weekly", "/api/alerts", "/api/alerts/stream", "/api/facets"):
        assert p in paths, p
    assert "/login" not in paths and client.get("/docs").status_code == 404  # Swagger UI would need a CDN
    page = client.get("/api", headers=N)
    assert page.status_code == 200 and "/api/reports/pain-points" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]


# ---------------------------------------------------------------------- the index vs the store
def test_index_follows_the_store(tmp_path, analyzer):
    from voc.io.readers import read_inputs
    from voc.io.store import Store
    from voc.web import index, queries

    recs = [fb.to_contract() for fb in analyzer.pipe(read_inputs([str(SAMPLE / "tickets_gbk.csv")]))]
    with Store(tmp_path / "s.duckdb") as s:  # records written by `voc ingest` (not the app) appear too
        s.upsert(recs)
        assert index.sync(s.con)["indexed"] == 60
        assert index.sync(s.con)["indexed"] == 0
        before = queries.summary(s.con, queries.Filters())
        s.con.execute("DELETE FROM records WHERE id = ?", [recs[5]["id"]])
        s.upsert([{**recs[1], "pillars": [], "touchpoints": []}])
        assert {k: v for k, v in index.sync(s.con).items() if k != "reclustered"} == {"indexed": 1, "removed": 1}
        assert queries.summary(s.con, queries.Filters())["records"] == before["records"] - 1 == 59
        s.con.execute("UPDATE web_index_meta SET value = 1 WHERE key = 'schema'")  # an older index layout
        index.ensure(s.con)
        assert index.sync(s.con)["indexed"] == 59  # rebuilt from the records


# ---------------------------------------------------------------------- a real browser
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="/usr/bin/chromium is not installed (.ci/run installs it)")
def test_end_to_end_in_headless_chromium(tmp_path, analyzer):
    import urllib.request

    import uvicorn
    from playwright.sync_api import sync_playwright

    port = _free_port()
    cfg = WebConfig(store=tmp_path / "e2e.duckdb", port=port, tokens=load_tokens(env=TOKENS_ENV),
                    upload_dir=tmp_path / "uploads", job_mode="process")
    server = uvicorn.Server(uvicorn.Config(create_app(cfg, analyzer=analyzer), host="127.0.0.1", port=port,
                                           log_level="warning", timeout_graceful_shutdown=1))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    shots = Path(os.environ.get("VOC_WEB_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.05)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
            page.on("request", lambda r: problems.append(f"off-site request: {r.url}") if not r.url.startswith((base, "data:")) else None)
            page.goto(f"{base}/upload")  # -> the login page first
            page.fill("input[name=token]", ADMIN)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/upload")
            page.set_input_files("#file", str(SAMPLE / "survey_2026.csv"))
            page.click("#upload-form button[type=submit]")
            page.wait_for_selector("#mapping:not([hidden])")
            assert page.input_value("#map-text") == "comment" and page.input_value("#map-time") == "submitted_at"
            page.click("#start")
            page.wait_for_selector("body[data-job-done='1']", timeout=90_000)
            assert "400 records" in page.inner_text("#job-status")
            page.click("#job-links a[href='/reports']")
            page.wait_for_selector("body[data-ready='1']")
            rows = page.locator("#pains tbody tr.cell-row")
            assert rows.count() > 10
            first = page.locator("#pains tbody tr.cell-row").first
            first.locator("a.cell-link").click()
            page.wait_for_selector("#drawer:not([hidden]) #records .record mark")
            marks = page.locator("#records .record mark")
            assert marks.count() >= 3 and marks.first.inner_text().strip()
            page.screenshot(path=str(shots / "e2e_report.png"), full_page=True)
            # the live board: an alert posted by `voc watch`'s webhook appears without a reload
            page.goto(f"{base}/alerts")
            page.wait_for_selector("body[data-ready='1']")
            req = urllib.request.Request(f"{base}/api/alerts?token={FEEDER}", data=json.dumps(ALERT).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
            assert urllib.request.urlopen(req, timeout=10).status == 201
            page.wait_for_selector("article.alert[data-cid='c-17']", timeout=10_000)
            page.click("article.alert[data-cid='c-17'] button:has-text('acknowledge')")
            page.wait_for_selector("article.alert.acknowledged[data-cid='c-17']")
            page.screenshot(path=str(shots / "e2e_alerts.png"), full_page=True)
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert problems == []
    assert (shots / "e2e_report.png").stat().st_size > 50_000
