"""Web app (`voc serve`) benchmarks, measured as a user sees them (HTTP to a real server process).

    nice -n 10 env OMP_NUM_THREADS=1 .venv/bin/python benchmarks/web.py [--rows 100000]
        [--store-records 1000000] [--requests 40] [--skip-upload] [--skip-store] [--workdir /tmp/voc-web-bench]

1. Upload: a synthetic XLSX of --rows rows (seeded; sentences drawn from the sample exports'
   feedback, mixed with short zh/en/mixed phrases), sent to /api/uploads, mapping confirmed, job
   polled until done. Prints upload, analysis+store+index and total times.
2. First paint of /reports once the job is done, in headless Chromium (Playwright, /usr/bin/chromium):
   first-contentful-paint and the moment the ranked table is rendered (data-ready), cold page each time.
3. Report-query latency on a store of --store-records records, built by duplicating analysed sample
   records with new ids and dates spread over 52 weeks (SQL inside DuckDB), then indexed by
   voc/web/index.py. A mix of report queries (facets, pain points with no / date / language /
   one-segment / two-segment filters, drill-downs, the cached weekly report) is sent sequentially;
   prints p50 / p95 / p99 / max per kind and overall.

The server runs as a child process (`voc serve`, open mode on 127.0.0.1, analysis jobs in their own
process) with OMP_NUM_THREADS=1. Nothing is downloaded.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
VOC = ROOT / ".venv" / "bin" / "voc"
SHORT = ["物流太慢了", "客服态度很差", "质量不错", "等了三天还没发货", "退款一直不到账", "包装破损", "第三次打电话了还是没解决",
         "价格有点贵", "会员积分不见了", "再也不买了", "app更新后闪退", "隐性收费太坑了", "售后推来推去", "delivery was late again",
         "the agent was rude", "still waiting for my refund", "package arrived damaged", "third time calling about this",
         "hidden fees everywhere", "support kept transferring me", "app更新之后login不了", "refund还没到账", "客服只会说reinstall"]


def log(msg: str) -> None:
    print(msg, flush=True)


def load_avg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def sample_sentences() -> list[str]:
    out = []
    with (SAMPLE / "survey_2026.csv").open(encoding="utf-8-sig", newline="") as fh:
        out += [r["comment"] for r in csv.DictReader(fh) if r["comment"].strip()]
    import openpyxl

    wb = openpyxl.load_workbook(SAMPLE / "reviews_ecommerce.xlsx", read_only=True)
    rows = wb[wb.sheetnames[0]].iter_rows(values_only=True)
    header = [str(h) for h in next(rows)]
    col = next(i for i, h in enumerate(header) if "评" in h and "内容" in h or h.lower() in ("comment", "review"))
    out += [str(r[col]) for r in rows if r and r[col]]
    wb.close()
    return out


def make_xlsx(path: Path, n: int, seed: int = 2026) -> None:
    import openpyxl

    rng = random.Random(seed)
    sentences = sample_sentences()
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("feedback")
    ws.append(["review_id", "created_at", "channel", "region", "product", "rating", "comment"])
    channels, regions = ["app", "web", "store", "hotline"], ["华东", "华南", "华北", "华中", "西南", "Overseas"]
    products = ["智能手表 X2", "扫地机器人 R5", "无线耳机 Buds 3", "净水器 P7", "会员 Plus"]
    for i in range(n):
        text = rng.choice(sentences) if rng.random() < 0.7 else "，".join(rng.sample(SHORT, rng.randint(1, 3)))
        day = 1 + (i * 182) // n
        ws.append([f"R-{i + 1:07d}", f"2026-{1 + (day - 1) // 30:02d}-{1 + (day - 1) % 28:02d} {rng.randint(0, 23):02d}:"
                   f"{rng.randint(0, 59):02d}", rng.choice(channels), rng.choice(regions), rng.choice(products),
                   rng.randint(1, 5), text])
    wb.save(path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, store: Path, log_path: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "OMP_NUM_THREADS": "1", "VOC_WEB_TOKENS": "", "VOC_WEB_TOKENS_FILE": ""}
        self.log = log_path.open("w")
        self.proc = subprocess.Popen([str(VOC), "serve", "--store", str(store), "--port", str(self.port)],
                                     env=env, stdout=self.log, stderr=subprocess.STDOUT)
        import httpx

        self.http = httpx.Client(base_url=self.base, timeout=600, headers={"X-Voc-Request": "1"})
        t0 = time.perf_counter()
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: see {log_path}")
            try:
                if self.http.get("/api/me").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.startup_s = time.perf_counter() - t0

    def stop(self) -> None:
        self.http.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()

    def wait_job(self, job_id: str) -> dict:
        while True:
            job = self.http.get(f"/api/jobs/{job_id}").json()
            if job["state"] in ("done", "failed", "cancelled"):
                return job
            time.sleep(0.5)


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(q * (len(s) - 1)))))]


# ---------------------------------------------------------------------- 1 + 2: upload and first paint
def bench_upload(work: Path, rows: int) -> None:
    xlsx = work / f"feedback_{rows}.xlsx"
    if not xlsx.exists():
        t = time.perf_counter()
        make_xlsx(xlsx, rows)
        log(f"generated {xlsx} ({xlsx.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f}s")
    store = work / "upload.duckdb"
    for p in (store, Path(str(store) + ".wal")):
        p.unlink(missing_ok=True)
    srv = Server(store, work / "serve-upload.log")
    try:
        log(f"server up in {srv.startup_s:.1f}s; load average {load_avg()}")
        t0 = time.perf_counter()
        with xlsx.open("rb") as fh:
            r = srv.http.post("/api/uploads", files={"file": (xlsx.name, fh)})
        r.raise_for_status()
        up = r.json()
        t_upload = time.perf_counter() - t0
        mapping = {k: up["mapping"][k] for k in ("text", "id", "time", "scores")}
        r = srv.http.post(f"/api/uploads/{up['upload_id']}/ingest", json=mapping)
        r.raise_for_status()
        job = srv.wait_job(r.json()["job_id"])
        t_total = time.perf_counter() - t0
        if job["state"] != "done":
            raise RuntimeError(f"job {job['state']}: {job['error']}")
        res = job["result"]
        log(f"\n== {rows:,}-row XLSX upload ({xlsx.stat().st_size / 1e6:.1f} MB), mapping {mapping}")
        log(f"upload + preview (HTTP, {up['estimated_rows']:,} rows estimated): {t_upload:8.1f} s")
        log(f"job: analyse + store + index:                         {job['elapsed_s']:8.1f} s  "
            f"({res['records'] / job['elapsed_s']:,.0f} records/s; inserted {res['inserted']:,})")
        log(f"total, file chosen -> report ready:                   {t_total:8.1f} s   load average {load_avg()}")
        first_paint(srv, "/reports", 5)
        queries(srv, 20, label=f"{rows:,}-record store")
    finally:
        srv.stop()


def first_paint(srv: Server, path: str, runs: int) -> None:
    from playwright.sync_api import sync_playwright

    fcp, ready, nav = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        for _ in range(runs):
            ctx = browser.new_context(viewport={"width": 1280, "height": 900})  # cold: no cache, no cookies
            page = ctx.new_page()
            t = time.perf_counter()
            page.goto(srv.base + path)
            page.wait_for_selector("body[data-ready='1']", timeout=60_000)
            nav.append(1000 * (time.perf_counter() - t))
            fcp.append(page.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime"))
            ready.append(float(page.get_attribute("body", "data-ready-ms")))
            ctx.close()
        browser.close()
    log(f"\n== first paint of {path} in headless Chromium ({runs} cold page loads; ms)")
    log(f"first-contentful-paint:   median {statistics.median(fcp):7.0f}   max {max(fcp):7.0f}")
    log(f"ranked table rendered:    median {statistics.median(ready):7.0f}   max {max(ready):7.0f}   (target < 2000)")
    log(f"navigation -> ready (client clock): median {statistics.median(nav):7.0f}   max {max(nav):7.0f}")


# ---------------------------------------------------------------------- 3: a 1M-record store
def build_store(work: Path, n: int) -> Path:
    import duckdb
    import pyarrow as pa

    from voc.analyzer import Analyzer
    from voc.io.readers import read_inputs
    from voc.io.store import SCHEMA
    from voc.reports.frame import parse_time

    store = work / f"store_{n}.duckdb"
    if store.exists():
        log(f"reusing {store}")
        return store
    t = time.perf_counter()
    analyzer = Analyzer.from_settings()
    files = [str(SAMPLE / f) for f in ("survey_2026.csv", "reviews_ecommerce.xlsx", "tickets_gbk.csv", "chats.jsonl")]
    base = [fb.to_contract() for fb in analyzer.pipe(read_inputs(files))]
    log(f"analysed {len(base)} sample records in {time.perf_counter() - t:.1f}s")
    ts = [parse_time(r.get("ts")) for r in base]
    table = pa.table({"rn": list(range(len(base))), "id": [r["id"] for r in base],
                      "ts": pa.array([x.to_pydatetime() if x is not None else None for x in ts], pa.timestamp("us")),
                      "record": [json.dumps(r, ensure_ascii=False) for r in base]})
    tmp = work / "building.duckdb"
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    con.execute(SCHEMA)
    con.register("base_arrow", table)
    copies = -(-n // len(base))
    t = time.perf_counter()
    con.execute(f"""
        INSERT INTO records
        SELECT id2, substr(md5(id2), 1, 24), ts2, CASE WHEN ts2 IS NULL THEN NULL ELSE strftime(ts2, '%G-W%V') END,
               json_merge_patch(record::JSON, json_object('id', id2, 'ts',
                   CASE WHEN ts2 IS NULL THEN NULL ELSE strftime(ts2, '%Y-%m-%dT%H:%M:%SZ') END))
        FROM (SELECT b.id || '~' || k AS id2,
                     b.ts - to_weeks(CAST(k % 52 AS INTEGER)) - to_minutes(CAST(k // 52 AS INTEGER)) AS ts2, b.record
              FROM base_arrow b, range({copies}) t(k) WHERE k * {len(base)} + b.rn < {n})""")
    con.execute("INSERT INTO ingests (source, inserted, updated, unchanged, voc_version) VALUES (?, ?, 0, 0, ?)",
                ["benchmarks/web.py synthetic", n, "bench"])
    log(f"built {n:,} records ({copies} copies of the sample, dates over 52 weeks) in {time.perf_counter() - t:.1f}s")
    from voc.web import index

    t = time.perf_counter()
    res = index.sync(con)
    log(f"report index (web_rec, web_cell, cubes) built in {time.perf_counter() - t:.1f}s: {res}")
    con.close()
    tmp.rename(store)
    return store


def queries(srv: Server, rounds: int, label: str, weekly: bool = False) -> None:
    facets = srv.http.get("/api/facets").json()
    segs = facets["segments"]
    days = (facets["from"], facets["to"])
    seg1 = next(iter(segs), None)
    v1 = next(iter(segs[seg1])) if seg1 else None
    seg2 = [k for k in segs if k != seg1][:1]
    mid_from = days[0][:8] + "01" if days[0] else None
    kinds = {
        "facets": "/api/facets",
        "pain points: all": "/api/reports/pain-points",
        "pain points: dates": f"/api/reports/pain-points?from={mid_from}&to={days[1]}",
        "pain points: languages": "/api/reports/pain-points?lang=zh&lang=mixed",
    }
    if seg1:
        kinds["pain points: 1 segment"] = f"/api/reports/pain-points?seg={seg1}:{v1}"
        kinds["pain points: dates+lang+segment"] = f"/api/reports/pain-points?from={mid_from}&lang=zh&seg={seg1}:{v1}"
    if seg2:
        k2, v2 = seg2[0], next(iter(segs[seg2[0]]))
        kinds["pain points: 2 segments"] = f"/api/reports/pain-points?seg={seg1}:{v1}&seg={k2}:{v2}"
    top = srv.http.get("/api/reports/pain-points?top=3").json()["pain_points"]
    if top:
        tp, pl = top[0]["touchpoint"], top[0]["pillar"]
        kinds["drill-down: top cell"] = f"/api/reports/pain-points/{tp}/{pl}?limit=20"
        if seg1:
            kinds["drill-down: filtered"] = f"/api/reports/pain-points/{tp}/{pl}?limit=20&lang=zh&seg={seg1}:{v1}"
    if weekly:
        t = time.perf_counter()
        r = srv.http.get("/api/reports/weekly")
        if r.status_code == 202:
            job = srv.wait_job(r.json()["job_id"])
            log(f"weekly report of the latest week built in {time.perf_counter() - t:.1f}s ({job['state']} {job['error'] or ''})")
        kinds["weekly report (cached)"] = "/api/reports/weekly"
    for url in kinds.values():  # warm-up: one call each
        srv.http.get(url).raise_for_status()
    times: dict[str, list[float]] = {k: [] for k in kinds}
    cpu: dict[str, list[float]] = {k: [] for k in kinds}
    slow = []
    for _ in range(rounds):
        for kind, url in kinds.items():
            t = time.perf_counter()
            r = srv.http.get(url)
            times[kind].append(1000 * (time.perf_counter() - t))
            r.raise_for_status()
            cpu[kind].append(server_cpu(r.headers.get("server-timing", "")))
            if times[kind][-1] > 100:
                slow.append(f"{kind} {times[kind][-1]:.0f} ms (server CPU {cpu[kind][-1]:.0f} ms, load {load_avg()})")
    every = [x for v in times.values() for x in v]
    every_cpu = [x for v in cpu.values() for x in v]
    log(f"\n== report API latency, {label}: {len(every)} sequential requests over HTTP (ms)   load average {load_avg()}")
    log("   wall = client-side, request sent -> body received; cpu = the server process's CPU time for it")
    log(f"{'query':34s} {'n':>4s} {'p50':>7s} {'p95':>7s} {'p99':>7s} {'max':>7s} | {'cpu p50':>7s} {'cpu p99':>7s}")
    for kind, v in times.items():
        log(f"{kind:34s} {len(v):4d} {pct(v, .5):7.1f} {pct(v, .95):7.1f} {pct(v, .99):7.1f} {max(v):7.1f} | "
            f"{pct(cpu[kind], .5):7.1f} {pct(cpu[kind], .99):7.1f}")
    log(f"{'all report queries':34s} {len(every):4d} {pct(every, .5):7.1f} {pct(every, .95):7.1f} {pct(every, .99):7.1f} "
        f"{max(every):7.1f} | {pct(every_cpu, .5):7.1f} {pct(every_cpu, .99):7.1f}   (target p99 < 100)")
    for line in slow:
        log(f"   over 100 ms: {line}")


def server_cpu(header: str) -> float:
    for part in header.split(","):
        name, _, dur = part.strip().partition(";dur=")
        if name == "cpu":
            return float(dur)
    return float("nan")


def bench_store(work: Path, n: int, rounds: int) -> None:
    store = build_store(work, n)
    srv = Server(store, work / "serve-store.log")
    try:
        log(f"server up on the {n:,}-record store in {srv.startup_s:.1f}s")
        queries(srv, rounds, f"{n:,}-record store", weekly=True)
        first_paint(srv, "/reports", 5)
    finally:
        srv.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--store-records", type=int, default=1_000_000)
    ap.add_argument("--requests", type=int, default=40, help="rounds of the query mix")
    ap.add_argument("--skip-upload", action="store_true")
    ap.add_argument("--skip-store", action="store_true")
    ap.add_argument("--workdir", default="/tmp/voc-web-bench")
    ap.add_argument("--clean", action="store_true", help="delete the work directory afterwards")
    a = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if not Path("/usr/bin/chromium").exists():
        sys.exit("needs /usr/bin/chromium for the first-paint measurement")
    work = Path(a.workdir)
    work.mkdir(parents=True, exist_ok=True)
    log(f"voc web benchmark; {os.cpu_count()} CPUs, load average {load_avg()}; work dir {work}")
    if not a.skip_upload:
        bench_upload(work, a.rows)
    if not a.skip_store:
        bench_store(work, a.store_records, a.requests)
    if a.clean:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
