"""`voc watch` benchmark: alert quality on STC-3 and streaming latency/throughput.

    python benchmarks/watch.py [--seconds 20] [--skip-redis] [--skip-quality] [--skip-latency]

(1) Quality. STC-3 (../shared/data/dev/dialogues/stc3_{zh,en}.jsonl, read in place, never copied):
    real Weibo customer-helpdesk threads, each rated by 19 annotators for customer satisfaction.
    Dissatisfied = S_mean <= -0.5 (should alert), satisfied = S_mean >= 0.5 (should not); the rest
    is left out. Each dialogue is streamed turn by turn through the same analyzer and the monitor;
    a dialogue "alerted" if any alert fired. The thresholds in pipelines/watch.toml were tuned on
    the TUNE half (crc32(id) even) and are reported separately on the HELD-OUT half (odd).
(2) Latency and throughput. The stream is the STC-3 threads' turns (zh and en interleaved, real
    customer and helpdesk texts, each distinct; --stream sample: sample_data/chats.jsonl) with fresh
    conversation ids (short chat turns, ~12% of them raise an alert), sent at a fixed rate to a
    `voc watch` process pinned to one core (threads = 1) via stdin, and via a local redis-server
    (started here on a free port) with a consumer group and a Redis-stream sink. Latency = alert
    received by this process - turn sent by this process (end to end, clock = CLOCK_MONOTONIC).
    Max sustained rate = a backlog of turns drained by one consumer as fast as it goes.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

for _v in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_v] = "1"

REPO = Path(__file__).resolve().parent.parent
DEV = Path(os.environ.get("VOC_DEV_DATA", REPO.parent / "shared" / "data" / "dev"))
CHATS = REPO / "sample_data" / "chats.jsonl"
CONSUMER_CPU = 1


def pct(values, q):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[max(0, min(len(s) - 1, int(-(-q * len(s) // 100)) - 1))]


# ---------------------------------------------------------------- (1) quality
def quality() -> None:
    sys.path.insert(0, str(REPO))
    from voc.analyzer import Analyzer
    from voc.monitor import WatchConfig, step
    from voc.records import Feedback

    analyzer = Analyzer.from_settings()
    cfg = WatchConfig.load(None, analyzer.lexicons)
    analyzer.narrow(cfg.labels, cfg.model_for_agent_turns)  # as voc watch runs it
    print("== STC-3 alert quality (dissatisfied S_mean <= -0.5 vs satisfied S_mean >= 0.5) ==")
    print(f"analyzer: {analyzer.provenance['sentiment_model']}, lexicons {analyzer.lexicons.hash}")
    head = (f"{'lang':<4} {'split':<9} {'dissat':>6} {'sat':>5} {'prec':>6} {'recall':>6} {'F1':>6} "
            f"{'alerts/ep':>9} {'max/ep':>6} {'updates/ep':>10} {'lines/ep':>8} {'alerts/dlg':>10} "
            f"{'fire turn (median, mean)':>25} {'turns/s':>8}")
    print(head)
    for lang in ("zh", "en"):
        rows = [json.loads(x) for x in open(DEV / "dialogues" / f"stc3_{lang}.jsonl", encoding="utf-8")]
        for split, part in (("tune", 0), ("held-out", 1)):
            tp = fp = fn = 0
            ids = lines = updates = episodes = alerted = most = turns = 0
            fire_at: list[int] = []
            t0 = time.perf_counter()
            for r in rows:
                if zlib.crc32(r["id"].encode()) % 2 != part:
                    continue
                cls = 1 if r["S_mean"] <= -0.5 else 0 if r["S_mean"] >= 0.5 else None
                if cls is None:
                    continue
                state, first, dlg_ids = None, None, {}
                for i, t in enumerate(r["turns"]):
                    fb = Feedback(id=f"{r['id']}-{i}", raw_text=t["text"], conversation_id=r["id"],
                                  turn_id=f"{r['id']}-{i}",
                                  speaker="customer" if t["sender"] == "customer" else "agent")
                    analyzer.analyze(fb)
                    state, alert = step(state, fb, float(i), cfg)
                    turns += 1
                    if alert:
                        lines += 1
                        updates += bool(alert["escalated"])
                        dlg_ids.setdefault(alert["episode"], set()).add(alert["alert_id"])
                        first = i + 1 if first is None else first
                episodes += state.episode  # episodes the state machine opened in this dialogue
                ids += sum(len(v) for v in dlg_ids.values())  # distinct alert ids: what a supervisor counts
                if dlg_ids:
                    most = max(most, max(len(v) for v in dlg_ids.values()))
                if first is not None:
                    alerted += 1
                    fire_at.append(first)
                tp += cls and first is not None
                fp += (not cls) and first is not None
                fn += cls and first is None
            secs = time.perf_counter() - t0
            p = tp / (tp + fp) if tp + fp else 0.0
            rc = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
            fire = f"{statistics.median(fire_at):.0f}, {statistics.mean(fire_at):.2f}" if fire_at else "-"
            ep = max(1, episodes)
            print(f"{lang:<4} {split:<9} {tp + fn:>6} {_satisfied(rows, part):>5} {p:>6.3f} {rc:>6.3f} {f1:>6.3f} "
                  f"{ids / ep:>9.2f} {most:>6} {updates / ep:>10.2f} {lines / ep:>8.2f} {ids / max(1, alerted):>10.2f} "
                  f"{fire:>25} {turns / secs:>8.0f}")
    print("fire turn: 1-based index of the turn (customer or helpdesk) at which the dialogue's first alert fired.")
    print("alerts/ep: distinct alert ids per episode (max/ep: the most in one episode); updates/ep: warning -> "
          "critical escalations sent as an update of the same alert; lines/ep: alert lines (new + updates); "
          "alerts/dlg: distinct alert ids per alerted dialogue.")
    print()


def _satisfied(rows, part) -> int:
    return sum(1 for r in rows if zlib.crc32(r["id"].encode()) % 2 == part and r["S_mean"] >= 0.5)


# ---------------------------------------------------------------- (2) streams
STREAM = "stc3"  # set by --stream


def _base_turns() -> list[dict]:
    """The turns a stream is made of. "stc3": the real STC-3 customer/helpdesk threads (zh and en
    interleaved, every text distinct, so the lexicon hit cache gets no free repeats); "sample": the
    ~200 turns of sample_data/chats.jsonl."""
    if STREAM == "stc3" and (DEV / "dialogues" / "stc3_zh.jsonl").exists():
        per_lang = []
        for lang in ("zh", "en"):
            rows = [json.loads(x) for x in open(DEV / "dialogues" / f"stc3_{lang}.jsonl", encoding="utf-8")]
            turns = []
            for d in rows:
                for i, t in enumerate(d["turns"]):
                    turns.append({"conversation_id": f"{lang}{d['id']}", "turn_id": f"{lang}{d['id']}-{i}",
                                  "speaker": "customer" if t["sender"] == "customer" else "agent",
                                  "text": t["text"]})
            per_lang.append(turns)
        zh, en = per_lang
        out = []
        for i in range(max(len(zh), len(en))):  # interleave whole positions, keep each thread's order
            out.extend(x[i] for x in (zh, en) if i < len(x))
        return out
    return [json.loads(x) for x in CHATS.read_text(encoding="utf-8").splitlines()]


_BASE: list[dict] = []


def chat_stream(n_turns: int, tag: str) -> list[tuple[str, str]]:
    """(turn_id, json line) pairs: the base turns with fresh conversation ids, repeated as often as
    needed; a repeat round marks its texts (" #k") so no text recurs exactly."""
    if not _BASE:
        _BASE.extend(_base_turns())
    out, k = [], 0
    while len(out) < n_turns:
        for obj in _BASE:
            o = dict(obj, conversation_id=f"{tag}{k}-{obj['conversation_id']}", turn_id=f"{tag}{k}-{obj['turn_id']}")
            if k:
                o["text"] = f"{obj['text']} #{k}"
            out.append((o["turn_id"], json.dumps(o, ensure_ascii=False)))
            if len(out) == n_turns:
                break
        k += 1
    return out


def _pin(cpu):
    def f():
        if hasattr(os, "sched_setaffinity") and os.cpu_count() and os.cpu_count() > cpu:
            os.sched_setaffinity(0, {cpu})
    return f


def _voc(args, **kw):
    code = "import sys; from voc.cli import main; sys.exit(main())"
    return subprocess.Popen([sys.executable, "-c", code, "watch", *args], cwd=REPO, preexec_fn=_pin(CONSUMER_CPU),
                            env=dict(os.environ), **kw)


def _wait_cpu(proc, timeout=600) -> float:
    """Wait for a child and return the CPU seconds (user + system) it used."""
    deadline = time.monotonic() + timeout
    while True:
        pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return ru.ru_utime + ru.ru_stime
        if time.monotonic() > deadline:
            proc.kill()
        time.sleep(0.01)


def _wait_ready(proc) -> None:
    for line in proc.stderr:
        if b"ready" in line:
            threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()  # drain
            return
    raise RuntimeError("voc watch did not start")


def paced_send(items, rate, send) -> dict:
    """Send at `rate` per second on a fixed schedule; returns turn_id -> send time."""
    sent, start = {}, time.perf_counter()
    for i, (tid, line) in enumerate(items):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        sent[tid] = time.perf_counter()
        send(line)
    return sent


def report_latency(name, rate, sent, got, warm_s=1.0) -> None:
    t_start = min(sent.values())
    lat = [(t - sent[tid]) * 1000 for tid, t, _ in got if tid in sent and sent[tid] - t_start >= warm_s]
    inner = [ms for tid, _, ms in got if tid in sent and sent[tid] - t_start >= warm_s]
    print(f"{name:<6} {rate:>6}/s {len(sent):>7} {len(lat):>7}  p50 {pct(lat, 50):6.2f}  p99 {pct(lat, 99):6.2f}  "
          f"p99.9 {pct(lat, 99.9):6.2f}  max {max(lat) if lat else float('nan'):7.2f}   "
          f"(in-process latency_ms p50 {pct(inner, 50):.2f} p99 {pct(inner, 99):.2f})")


def stdin_latency(rate, seconds) -> None:
    items = chat_stream(int(rate * seconds), f"s{rate}-")
    proc = _voc(["-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
    _wait_ready(proc)
    got = []

    def reader():
        for line in proc.stdout:
            t = time.perf_counter()
            a = json.loads(line)
            got.append((a["turn_id"], t, a["latency_ms"]))

    th = threading.Thread(target=reader, daemon=True)
    th.start()
    sent = paced_send(items, rate, lambda line: proc.stdin.write(line.encode("utf-8") + b"\n"))
    proc.stdin.close()
    proc.wait(120)
    th.join(10)
    report_latency("stdin", rate, sent, got)


def stdin_throughput(n) -> tuple[float, float]:
    """(turns per wall second, turns per CPU second) of one `voc watch -` draining n queued turns."""
    items = chat_stream(n, "tp-")
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"voc-watch-bench-{os.getpid()}.jsonl"
    rates = []
    for count in (0, n):  # an empty run first: its CPU time is the start-up cost
        path.write_text("".join(line + "\n" for _, line in items[:count]), encoding="utf-8")
        with open(path, "rb") as fh:
            proc = _voc(["-"], stdin=fh, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            err = []
            th = threading.Thread(target=lambda: err.append(proc.stderr.read().decode()), daemon=True)
            th.start()
            cpu = _wait_cpu(proc)
            th.join(10)
        line = [x for x in err[0].splitlines() if "conversations_in_memory" in x][-1]
        rates.append((float(line.rsplit(" in ", 1)[1].rstrip("s")), cpu))
    path.unlink()
    (_, cpu0), (secs, cpu) = rates
    return n / secs, n / max(1e-9, cpu - cpu0)


class RedisServer:
    def __init__(self):
        exe = shutil.which("redis-server")
        if exe is None:
            raise RuntimeError("redis-server not installed (apt-get install redis-server)")
        import redis

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.proc = subprocess.Popen([exe, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no"], stdout=subprocess.DEVNULL, preexec_fn=_pin(0))
        self.r = redis.Redis(port=self.port)
        for _ in range(200):
            try:
                self.r.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def url(self, **q) -> str:
        return f"redis://127.0.0.1:{self.port}/0?" + "&".join(f"{k}={v}" for k, v in q.items())

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def redis_latency(srv, rate, seconds) -> None:
    stream, alerts = f"turns-{rate}", f"alerts-{rate}"
    items = chat_stream(int(rate * seconds), f"r{rate}-")
    proc = _voc([srv.url(stream=stream, group="bench"), "--sink", srv.url(stream=alerts), "--block-ms", "100",
                 "--consumer", "c1"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _wait_ready(proc)
    got, stop = [], threading.Event()
    import redis

    rr = redis.Redis(port=srv.port)

    def reader():
        last = "0"
        while not stop.is_set():
            for _, entries in rr.xread({alerts: last}, block=200, count=1000) or []:
                t = time.perf_counter()
                for eid, f in entries:
                    last = eid
                    a = json.loads(f[b"alert"])
                    got.append((a["turn_id"], t, a["latency_ms"]))

    th = threading.Thread(target=reader, daemon=True)
    th.start()
    producer = redis.Redis(port=srv.port)
    sent = paced_send(items, rate, lambda line: producer.xadd(stream, {"turn": line}))
    deadline = time.monotonic() + 300  # let a consumer that fell behind drain its backlog
    while int(rr.get(f"voc:watch:{stream}:bench:processed") or 0) < len(items) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    stop.set()
    th.join(5)
    proc.terminate()
    proc.wait(30)
    report_latency("redis", rate, sent, got)


def redis_throughput(srv, n, startup_cpu: float) -> tuple[float, float]:
    stream = "turns-backlog"
    pipe = srv.r.pipeline(transaction=False)
    for _, line in chat_stream(n, "rb-"):
        pipe.xadd(stream, {"turn": line})
    pipe.execute()
    proc = _voc([srv.url(stream=stream, group="bench"), "--sink", srv.url(stream="alerts-backlog"),
                 "--consumer", "c1", "--batch", "200", "--stop-after-idle", "0.2"],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _wait_ready(proc)
    key, t_first, first_n = "voc:watch:turns-backlog:bench:processed", None, 0
    while True:
        done = int(srv.r.get(key) or 0)
        if done and t_first is None:
            t_first, first_n = time.perf_counter(), done
        if done >= n:
            t_last = time.perf_counter()
            break
        time.sleep(0.002)
    cpu = _wait_cpu(proc)
    return (n - first_n) / (t_last - t_first), n / max(1e-9, cpu - startup_cpu)


def breakdown(n=3000) -> None:
    """Per-turn CPU cost of each step of the pipeline, in this process (threads 1): JSON + turn
    parsing, the analyzer one turn at a time and in batches of max_batch (as `voc watch` runs it
    when turns are waiting), the state machine, and the whole `voc watch` loop without the analyzer
    (read checks, parse, monitor, alert serialisation and the flushed stdout write, to /dev/null)."""
    sys.path.insert(0, str(REPO))
    from voc.analyzer import Analyzer
    from voc.io.turns import parse_turn
    from voc.monitor import Monitor, WatchConfig
    from voc.transports.engine import Watch
    from voc.transports.stdio import StdoutSink

    analyzer = Analyzer.from_settings()
    cfg = WatchConfig.load(None, analyzer.lexicons)
    analyzer.narrow(cfg.labels, cfg.model_for_agent_turns)  # as voc watch runs it
    lines = [line for _, line in chat_stream(n, "bd-")]
    t = time.process_time()
    fbs = [parse_turn(json.loads(x), "x") for x in lines]
    t_parse = time.process_time() - t
    analyzer.analyze(fbs[0])
    t = time.process_time()
    for fb in fbs:
        analyzer.analyze(fb)
    t_an1 = time.process_time() - t
    fbs = [parse_turn(json.loads(x), "x") for x in lines]
    t = time.process_time()
    for i in range(0, n, cfg.max_batch):
        for _ in analyzer.pipe(fbs[i:i + cfg.max_batch]):
            pass
    t_an = time.process_time() - t
    mon = Monitor(cfg)
    t = time.process_time()
    for i, fb in enumerate(fbs):
        mon.process(fb, float(i))
    t_mon = time.process_time() - t
    done = {fb.turn_id: fb for fb in fbs}  # the stream's turn ids are unique

    class Analysed:  # copies the analyzer's results in: what is left is the watch loop itself
        def pipe(self, batch):
            for fb in batch:
                src = done[fb.turn_id]
                fb.text, fb.lang, fb.sentiment_score, fb.frustration = src.text, src.lang, src.sentiment_score, src.frustration
                fb.signals, fb.cues = src.signals, src.cues
                yield fb

    raw = [x.encode("utf-8") for x in lines]
    with open(os.devnull, "w", encoding="utf-8") as null:
        w = Watch(Analysed(), cfg, [StdoutSink(null)])
        t = time.process_time()
        for i in range(0, n, cfg.max_batch):
            now = time.perf_counter()
            w.feed_batch([(x, now) for x in raw[i:i + cfg.max_batch]])
        t_loop = time.process_time() - t
    us = lambda x: x / n * 1e6  # noqa: E731
    print(f"per turn, CPU: parse {us(t_parse):.0f} us, analyzer {us(t_an1):.0f} us one by one / {us(t_an):.0f} us "
          f"in batches of {cfg.max_batch}, monitor {us(t_mon):.0f} us (analyzer {analyzer.provenance['sentiment_model']})")
    print(f"  voc watch loop without the analyzer (checks, parse, monitor, {w.monitor.counters['alerts']} alerts + "
          f"{w.monitor.counters['alert_updates']} updates serialised and flushed): {us(t_loop):.0f} us per turn; "
          f"ceiling of one core with batched analysis: {n / (t_loop + t_an):,.0f} turns/s")


def streams(seconds: float, with_redis: bool) -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"== latency, turn sent -> alert received, ms (consumer pinned to CPU {CONSUMER_CPU}, threads 1, "
          f"{seconds:.0f} s per run, first second not counted; load average {load:.1f} on {os.cpu_count()} CPUs) ==")
    print(f"{'path':<6} {'rate':>8} {'turns':>7} {'alerts':>7}")
    srv = None
    try:
        for rate in (200, 1000):
            stdin_latency(rate, seconds)
        if with_redis:
            srv = RedisServer()
            for rate in (200, 1000):
                redis_latency(srv, rate, seconds)
        print()
        print("== maximum sustained rate of one consumer (a backlog drained as fast as it goes) ==")
        breakdown()
        wall, cpu = stdin_throughput(20000)
        print(f"stdin: {wall:,.0f} turns/s wall clock, {cpu:,.0f} turns per CPU second")
        if srv is not None:
            startup = _startup_cpu()
            wall, cpu = redis_throughput(srv, 20000, startup)
            print(f"redis: {wall:,.0f} turns/s wall clock, {cpu:,.0f} turns per CPU second "
                  f"(consumer group, state in Redis, transactional ack)")
    finally:
        if srv is not None:
            srv.stop()


def _startup_cpu() -> float:
    proc = _voc(["-"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return _wait_cpu(proc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=20.0, help="duration of each latency run")
    ap.add_argument("--skip-quality", action="store_true")
    ap.add_argument("--skip-latency", action="store_true")
    ap.add_argument("--skip-redis", action="store_true")
    ap.add_argument("--stream", choices=["stc3", "sample"], default="stc3",
                    help="turns for the latency/throughput runs: real STC-3 threads (default) or sample_data/chats.jsonl")
    args = ap.parse_args()
    global STREAM
    STREAM = args.stream
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {0})  # producer and measurement on the other core
    if not args.skip_quality:
        quality()
    if not args.skip_latency:
        streams(args.seconds, not args.skip_redis)


if __name__ == "__main__":
    main()
