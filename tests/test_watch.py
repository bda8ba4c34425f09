"""`voc watch`: the per-conversation state machine (fake clock, never sleep), hysteresis, bounded
memory, interleaving, bad input, the CLI on sample_data, the webhook sink, and a Redis fault test
(kill -9 mid-stream, restart, nothing lost or duplicated)."""
from __future__ import annotations

import hashlib
import http.server
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voc.monitor import ConvState, Monitor, WatchConfig, step
from voc.records import Feedback
from voc.transports.engine import Watch
from voc.transports.stdio import ListSink

from .conftest import SAMPLE, SHARED

CHATS = SAMPLE / "chats.jsonl"


@pytest.fixture(scope="module")
def cfg(analyzer):
    return WatchConfig.load(None, analyzer.lexicons)


def turn(analyzer, cid, n, speaker, text, ts=None) -> Feedback:
    fb = Feedback(id=f"{cid}-{n}", raw_text=text, conversation_id=cid, turn_id=f"{cid}-{n}", speaker=speaker, ts=ts)
    return analyzer.analyze(fb)


def synthetic(cid, n, speaker="customer", frustration=0.0, sentiment=0.0, cues=(), ts=None) -> Feedback:
    """A turn with fixed scores (no analyzer), to drive the level exactly."""
    text = hashlib.sha1(f"{cid}/{n}".encode()).hexdigest()  # unrelated texts: never "repeated questions"
    fb = Feedback(id=f"{cid}-{n}", raw_text=text, text=text, conversation_id=cid,
                  turn_id=f"{cid}-{n}", speaker=speaker, ts=ts, lang="zh")
    fb.frustration, fb.sentiment_score = frustration, sentiment
    fb.cues = [dict(c) for c in cues]
    return fb


def run(cfg, turns, t0=1000.0):
    state, alerts = None, []
    for i, fb in enumerate(turns):
        state, alert = step(state, fb, t0 + i, cfg)
        if alert:
            alerts.append(alert)
    return state, alerts


def shared_checker():
    path = SHARED / "tools" / "check_contract.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("check_contract", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.check_alert


def check_alerts(alerts):
    errs: list[str] = []
    checker = shared_checker()
    for n, a in enumerate(alerts, 1):
        if checker:
            checker(a, n, errs)
        assert set(a) >= {"conversation_id", "turn_id", "ts", "level", "score", "reasons", "pillars",
                          "suggestion", "latency_ms"}
        assert a["level"] in ("warning", "critical") and 0 <= a["score"] <= 1
        assert a["suggestion"] and all(r["text"] and r["turn_id"] and r["cue"] for r in a["reasons"])
        assert set(a["pillars"]) <= {"humanity", "transparency", "capability", "reliability"}
    assert not errs, errs


# ---------------------------------------------------------------- the state machine
@pytest.mark.parametrize("lang,texts", [
    ("zh", ["你好，我的退款还没到账。", "我再问一遍，退款到底什么时候到账？？", "我要投诉！转人工！！"]),
    ("en", ["Hi, my refund still hasn't arrived.", "I already asked this. When will my refund arrive??",
            "This is ridiculous. Let me speak to a manager, I'll file a complaint!!"]),
])
def test_escalating_conversation_raises_explained_alerts(analyzer, cfg, lang, texts):
    agent = {"zh": "这是系统问题，我们也没办法。", "en": "It's the system, nothing we can do."}[lang]
    turns = [turn(analyzer, "c1", 1, "customer", texts[0]), turn(analyzer, "c1", 2, "agent", agent),
             turn(analyzer, "c1", 3, "customer", texts[1]), turn(analyzer, "c1", 4, "customer", texts[2])]
    state, alerts = run(cfg, turns)
    assert alerts, "an escalating conversation must alert"
    check_alerts([{**a, "latency_ms": 0.0} for a in alerts])
    assert [a["level"] for a in alerts] in (["warning", "critical"], ["critical"])
    cues = {r["cue"] for a in alerts for r in a["reasons"]}
    assert "agent_blame_shifting" in cues
    last = alerts[-1]
    assert last["conversation_id"] == "c1" and last["alert_id"] == f"c1#1@{alerts[0]['turn_id']}"
    assert len({a["alert_id"] for a in alerts}) == 1, "an escalation updates the episode's alert"
    assert [a["revision"] for a in alerts] == list(range(1, len(alerts) + 1))
    assert [a["escalated"] for a in alerts] == [False, True][: len(alerts)]
    for r in last["reasons"]:  # every reason quotes its turn
        src = next(t for t in turns if t.turn_id == r["turn_id"])
        assert r["text"].rstrip("…") in src.text


def test_step_is_pure_and_deterministic(analyzer, cfg):
    a = turn(analyzer, "c", 1, "customer", "等了半天还没人回，到底什么时候处理？？")
    s0 = ConvState("c", level=0.3, customer_turns=1)
    before = s0.to_dict()
    r1 = step(s0, a, 50.0, cfg)
    r2 = step(s0, a, 50.0, cfg)
    assert s0.to_dict() == before
    assert r1[0].to_dict() == r2[0].to_dict() and r1[1] == r2[1]
    again = step(r1[0], a, 51.0, cfg)  # the same turn redelivered: already applied
    assert again[1] is None and again[0].to_dict() == r1[0].to_dict()
    assert ConvState.from_dict(json.loads(json.dumps(r1[0].to_dict()))).to_dict() == r1[0].to_dict()


def test_hysteresis_one_alert_per_episode_then_rearm(cfg):
    hot = [synthetic("h", i, frustration=1.0, sentiment=-1.0) for i in range(1, 7)]
    calm = [synthetic("h", i, frustration=0.0, sentiment=0.8) for i in range(7, 12)]
    hot2 = [synthetic("h", i, frustration=1.0, sentiment=-1.0) for i in range(12, 16)]
    state, alerts = run(cfg, hot)
    assert [a["level"] for a in alerts] in (["warning", "critical"], ["critical"])
    assert {a["episode"] for a in alerts} == {1} and len({a["alert_id"] for a in alerts}) == 1
    state2, more = None, []
    state2 = state
    for i, fb in enumerate(calm + hot2):
        state2, a = step(state2, fb, 2000.0 + i, cfg)
        if a:
            more.append(a)
    assert more and {a["episode"] for a in more} == {2}, "re-armed after the level fell below rearm"
    assert len({a["level"] for a in more}) == len(more)
    assert len({a["alert_id"] for a in more}) == 1 and more[0]["alert_id"] != alerts[0]["alert_id"]


def test_warning_then_critical_in_one_episode(cfg):
    ramp = [synthetic("w", i, frustration=f) for i, f in enumerate([0.55, 0.6, 0.75, 0.95, 1.0], 1)]
    _, alerts = run(cfg, ramp)
    assert [a["level"] for a in alerts] == ["warning", "critical"]
    opened, update = alerts
    assert opened["alert_id"] == update["alert_id"] == f"w#1@{opened['turn_id']}", "one alert, updated"
    assert (opened["revision"], opened["escalated"], opened["previous_level"]) == (1, False, None)
    assert (update["revision"], update["escalated"], update["previous_level"]) == (2, True, "warning")
    assert update["score"] > opened["score"] and update["turn_id"] != opened["turn_id"]


def test_agent_turns_alone_do_not_close_an_episode(cfg):
    """Hysteresis: the level dipping below `rearm` after an agent's apology does not re-arm; the
    customer's next complaint is still the same episode (no second alert). A calm customer turn does."""
    rearm = cfg.levels("zh")[0]
    hot = [synthetic("a", i, frustration=1.0, sentiment=-1.0) for i in range(1, 4)]
    state, alerts = run(cfg, hot)
    assert alerts and state.active is not None
    sorry = [synthetic("a", i, speaker="agent", cues=[{"group": "agent", "cue": "apologises", "weight": 2.0,
                                                       "text": "sorry"}]) for i in range(4, 12)]
    for i, fb in enumerate(sorry):
        state, a = step(state, fb, 2000.0 + i, cfg)
        assert a is None
    assert state.level < rearm and state.active is not None, "agent turns alone keep the episode open"
    state, a = step(state, synthetic("a", 12, frustration=1.0, sentiment=-1.0), 3000.0, cfg)
    assert a is None or a["alert_id"] == alerts[0]["alert_id"], "still the same episode"
    assert state.episode == 1
    calm = synthetic("a", 13, frustration=0.0, sentiment=0.9)
    state.level = rearm / 2 / cfg.alpha  # so that the calm customer turn lands below rearm
    state, a = step(state, calm, 3001.0, cfg)
    assert a is None and state.level < rearm and state.active is None, "a calm customer turn closes it"
    state, a = step(state, synthetic("a", 14, frustration=1.0, sentiment=-1.0), 3002.0, cfg)
    state, b = step(state, synthetic("a", 15, frustration=1.0, sentiment=-1.0), 3003.0, cfg)
    new = [x for x in (a, b) if x]
    assert new and new[0]["episode"] == 2 and new[0]["alert_id"] != alerts[0]["alert_id"]


def test_conversation_back_after_eviction_gets_a_new_alert_id(cfg):
    small = WatchConfig(**{**cfg.__dict__, "idle_timeout_s": 60.0})
    mon = Monitor(small)
    first = [mon.process(synthetic("e", i, frustration=1.0, sentiment=-1.0), now=float(i)) for i in range(1, 4)]
    again = [mon.process(synthetic("e", i, frustration=1.0, sentiment=-1.0), now=1000.0 + i) for i in range(4, 7)]
    ids1 = {a["alert_id"] for a in first if a}
    ids2 = {a["alert_id"] for a in again if a}
    assert mon.counters["evicted_idle"] == 1 and len(ids1) == 1 and len(ids2) == 1 and ids1 != ids2


def test_long_silence_from_ts_and_repeated_question(analyzer, cfg):
    q = "请问我的订单12345什么时候发货"
    turns = [turn(analyzer, "s", 1, "customer", q, ts="2026-11-24T10:00:00Z"),
             turn(analyzer, "s", 2, "customer", q + "？", ts="2026-11-24T10:09:00Z")]
    state, alerts = run(cfg, turns)
    reasons = [r for r in state.reasons]
    cues = {r[1] for r in reasons}
    assert {"long_silence", "repeated_question"} <= cues
    detail = next(r[5] for r in reasons if r[1] == "long_silence")
    assert "540 s" in detail


def test_agent_turns_count(analyzer, cfg):
    c = turn(analyzer, "g", 1, "customer", "气死了，退款到底什么时候到？")
    good = turn(analyzer, "g", 2, "agent", "非常抱歉，我理解您的心情，我来帮您处理，今天之内给您退款。")
    bad = turn(analyzer, "g", 2, "agent", "这是系统问题，不归我们管。")
    s1, _ = step(None, c, 0.0, cfg)
    s_good, _ = step(s1, good, 1.0, cfg)
    s_bad, _ = step(s1, bad, 1.0, cfg)
    assert s_good.level < s1.level < s_bad.level


# ---------------------------------------------------------------- bounded memory
def test_eviction_bounds_memory_with_100k_conversations(cfg):
    small = WatchConfig(**{**cfg.__dict__, "max_conversations": 1000, "idle_timeout_s": 60.0})
    mon = Monitor(small)
    for i in range(100_000):
        mon.process(synthetic(f"c{i}", 1, frustration=0.1), now=i * 0.001)  # 100 s of fake time
        assert len(mon) <= 1000
    assert mon.counters["evicted_lru"] + mon.counters["evicted_idle"] == 99_000
    mon.process(synthetic("late", 1), now=100.0 + 61.0)  # everything else idle past the timeout
    assert len(mon) == 1 and mon.counters["evicted_idle"] >= 1000


# ---------------------------------------------------------------- interleaving
@pytest.fixture(scope="module")
def sample_turns(analyzer):
    from voc.io.turns import parse_turn

    by_conv: dict[str, list] = {}
    with open(CHATS, encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            fb = analyzer.analyze(parse_turn(json.loads(line), f"t{n}"))
            by_conv.setdefault(fb.conversation_id, []).append(fb)
    return by_conv


def _alerts_per_conversation(cfg, order):
    mon = Monitor(cfg)
    out: dict[str, list] = {}
    for fb in order:
        from voc.monitor import parse_ts

        a = mon.process(fb, parse_ts(fb.ts))
        if a:
            out.setdefault(a["conversation_id"], []).append({k: v for k, v in a.items() if k != "latency_ms"})
    return out


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.randoms(use_true_random=False))
def test_interleaving_does_not_change_alerts(cfg, sample_turns, rnd):
    convs = sorted(sample_turns)[:8]
    sequential = [fb for c in convs for fb in sample_turns[c]]
    queues = {c: list(sample_turns[c]) for c in convs}
    mixed = []
    while queues:  # a random interleaving that keeps each conversation's own order
        c = rnd.choice(sorted(queues))
        mixed.append(queues[c].pop(0))
        if not queues[c]:
            del queues[c]
    assert _alerts_per_conversation(cfg, mixed) == _alerts_per_conversation(cfg, sequential)


# ---------------------------------------------------------------- bad input
def test_bad_lines_are_counted_and_skipped(analyzer, cfg):
    small = WatchConfig(**{**cfg.__dict__, "max_line_bytes": 2000, "max_turn_chars": 300})
    sink = ListSink()
    w = Watch(analyzer, small, [sink], clock=lambda fb: 1000.0)
    good = [json.dumps({"conversation_id": "b", "turn_id": f"b-{i}", "speaker": "customer",
                        "ts": f"2026-11-24T10:0{i}:00Z", "text": t}, ensure_ascii=False)
            for i, t in enumerate(["我要投诉！！转人工！", "气死了，到底什么时候处理？？", "再也不买了，我要去12315投诉"], 1)]
    bad = ['{"conversation_id": "b", "speaker": ', "[1, 2]", '{"speaker": "customer", "text": "hi"}',
           '{"conversation_id": "b", "speaker": "customer"}',
           '{"conversation_id": "b", "speaker": "martian", "text": "hello"}',
           json.dumps({"conversation_id": "b", "speaker": "customer", "text": "x" * 5000}),
           json.dumps({"conversation_id": "h", "speaker": "customer", "text": "很生气" * 150}, ensure_ascii=False),
           json.dumps({"conversation_id": "t", "speaker": "customer", "text": "hi", "ts": "yesterday-ish"}),
           b"\xff\xfe not utf-8", ""]
    for line in [good[0], *bad, good[1], good[0], good[2]]:
        w.feed(line.encode("utf-8") if isinstance(line, str) else line)
    late = json.dumps({"conversation_id": "b", "turn_id": "b-0", "speaker": "customer",
                       "ts": "2026-11-24T09:00:00Z", "text": "hello"})
    w.feed(late)
    c = Counter(w.counts) + Counter(w.monitor.counters)
    assert c["bad_json"] == 3 and c["not_object"] == 1 and c["missing_field"] == 2
    assert c["unknown_speaker"] == 1 and c["oversized_line"] == 1 and c["huge_turn"] == 1
    assert c["bad_ts"] == 1 and c["duplicate_turn"] == 1 and c["out_of_order"] == 1
    assert sink.alerts and all(a["conversation_id"] in ("b", "h") for a in sink.alerts)
    check_alerts(sink.alerts)


def test_follow_reads_appended_lines_across_rotation(tmp_path):
    from voc.transports.stdio import follow_lines

    path = tmp_path / "turns.jsonl"
    path.write_bytes(b'{"n": 1}\n{"n": 2}\n')
    polls = []

    def fake_sleep(_):  # each poll: the writer does something, no real waiting
        polls.append(1)
        if len(polls) == 1:
            with open(path, "ab") as fh:
                fh.write(b'{"n": 3}\n{"n": ')  # a line still being written
        elif len(polls) == 2:
            with open(path, "ab") as fh:
                fh.write(b'4}\n')
        elif len(polls) == 3:
            path.rename(tmp_path / "turns.1")  # rotated: a new file takes its place
            path.write_bytes(b'{"n": 5}\n')

    got = [json.loads(line)["n"] for line, _ in
           follow_lines(str(path), 1000, sleep=fake_sleep, stop=lambda: len(polls) >= 5)]
    assert got == [1, 2, 3, 4, 5]


# ---------------------------------------------------------------- CLI
def test_cli_watch_sample_chats(runner):
    from voc.cli import main

    res = runner.invoke(main, ["watch", str(CHATS)])
    assert res.exit_code == 0, res.output
    alerts = [json.loads(x) for x in res.stdout.splitlines()]
    assert alerts, "the sample chats contain escalating conversations"
    check_alerts(alerts)
    lines = [(a["alert_id"], a["revision"]) for a in alerts]
    assert len(set(lines)) == len(lines)
    by_id: dict[str, list] = {}
    for a in alerts:
        by_id.setdefault(a["alert_id"], []).append(a)
    for aid, group in by_id.items():  # one alert per episode: opened once, escalated at most once
        assert [a["revision"] for a in group] in ([1], [1, 2]), aid
        assert group[0]["escalated"] is False and all(a["escalated"] for a in group[1:])
        assert len({(a["conversation_id"], a["episode"]) for a in group}) == 1
    huge = json.dumps({"conversation_id": "z", "speaker": "customer", "text": "啊" * 1_200_000}) + "\n"
    res2 = runner.invoke(main, ["watch", "-"], input=huge + CHATS.read_text(encoding="utf-8") + "not json\n")
    assert res2.exit_code == 0
    assert [json.loads(x)["alert_id"] for x in res2.stdout.splitlines()] == [a["alert_id"] for a in alerts]
    assert "bad_json=1" in res2.stderr and "oversized_line=1" in res2.stderr


def test_cli_replay_report(runner):
    from voc.cli import main

    res = runner.invoke(main, ["watch", "--replay", str(CHATS), "--report"])
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert "alerts" in out and "p99" in out and "timelines" in out and ">> " in out


# ---------------------------------------------------------------- webhook
class _Hook(http.server.BaseHTTPRequestHandler):
    plan: list = []
    got: list = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        code = self.plan.pop(0) if self.plan else 200
        _Hook.got.append((code, self.headers.get("Idempotency-Key"), json.loads(body)))
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_webhook_retries_with_backoff_and_dead_letters(tmp_path):
    from voc.transports.webhook import WebhookSink

    srv = http.server.HTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    waits: list[float] = []
    dead = tmp_path / "dead.jsonl"
    sink = WebhookSink(f"http://127.0.0.1:{srv.server_port}/alerts", str(dead), retries=3, backoff_s=0.2,
                       sleep=waits.append)
    alert = {"conversation_id": "c", "turn_id": "c-1", "alert_id": "c#1@c-1", "revision": 1, "level": "warning"}
    try:
        _Hook.plan[:] = [500, 503]
        assert sink.write(alert) is True
        assert waits == [0.2, 0.4] and _Hook.got[-1][1] == "c#1@c-1/1"
        update = {**alert, "turn_id": "c-3", "revision": 2, "level": "critical", "escalated": True}
        assert sink.write(update) is True and _Hook.got[-1][1] == "c#1@c-1/2", "an update has its own key"
        _Hook.plan[:] = [400]
        assert sink.write(alert) is False  # permanent: no retry
        _Hook.plan[:] = [500] * 10
        waits.clear()
        assert sink.write(alert) is False
        assert waits == [0.2, 0.4, 0.8]
    finally:
        srv.shutdown()
    lines = [json.loads(x) for x in dead.read_text(encoding="utf-8").splitlines()]
    assert [x["error"] for x in lines] == ["HTTP 400", "HTTP 500"] and lines[0]["alert"] == alert
    from voc.transports import open_sink

    assert open_sink("webhook:http://127.0.0.1:9/api/alerts?token=t").url == "http://127.0.0.1:9/api/alerts?token=t"
    assert [x["attempts"] for x in lines] == [1, 4]


# ---------------------------------------------------------------- Redis
def test_redis_sink_dedupes_redeliveries_but_takes_updates(redis_port):
    import redis

    from voc.transports.redis_streams import RedisStreamSink

    r = redis.Redis(port=redis_port)
    r.delete("sink-test")
    sink = RedisStreamSink(f"redis://127.0.0.1:{redis_port}/0?stream=sink-test&dedupe_ttl=60")
    base = {"conversation_id": "c", "turn_id": "c-1", "ts": "2026-11-24T10:00:00Z", "level": "warning",
            "score": 0.5, "reasons": [{"cue": "anger", "turn_id": "c-1", "text": "x"}], "pillars": [],
            "suggestion": "s", "latency_ms": 1.0, "alert_id": f"c#1@c-1-{time.time_ns()}", "revision": 1,
            "escalated": False, "previous_level": None}
    update = {**base, "turn_id": "c-2", "level": "critical", "revision": 2, "escalated": True,
              "previous_level": "warning"}
    for a in (base, base, update, update):  # each line delivered twice (at-least-once)
        sink.write(a)
    sink.close()
    got = [json.loads(f[b"alert"]) for _, f in r.xrange("sink-test")]
    assert [(a["revision"], a["level"]) for a in got] == [(1, "warning"), (2, "critical")]


# ---------------------------------------------------------------- Redis: kill -9 mid-stream
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory):
    exe = shutil.which("redis-server")
    if exe is None:
        pytest.skip("redis-server binary not found on PATH (apt-get install redis-server); CI installs it")
    redis = pytest.importorskip("redis")
    port = _free_port()
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(tmp_path_factory.mktemp("redis"))],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 15
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield port
    proc.terminate()
    proc.wait(10)


def _consumer(port, name, *extra):
    code = "import sys; from voc.cli import main; sys.exit(main())"
    url = f"redis://127.0.0.1:{port}/0?stream=turns&group=voc&audit=1"
    return subprocess.Popen([sys.executable, "-c", code, "watch", url, "--consumer", name, "--batch", "20",
                             "--sink", f"redis://127.0.0.1:{port}/0?stream=alerts", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "OMP_NUM_THREADS": "1"})


def _wait_processed(r, at_least, proc, limit=120.0):
    deadline = time.monotonic() + limit
    while int(r.get("voc:watch:turns:voc:processed") or 0) < at_least:
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "consumer too slow"
        time.sleep(0.005)


def _pending(r, name: bytes) -> int:
    return {c["name"]: c["pending"] for c in r.xinfo_consumers("turns", "voc")}.get(name, 0)


@pytest.mark.slow
def test_redis_kill9_mid_stream_loses_nothing_and_duplicates_nothing(redis_port, analyzer, cfg):
    import redis

    from voc.io.turns import parse_turn
    from voc.monitor import step as pure_step

    r = redis.Redis(port=redis_port)
    r.flushdb()
    lines = CHATS.read_text(encoding="utf-8").splitlines()
    copies = 12
    ids = []
    for k in range(copies):  # distinct conversations per copy, the sample's interleaving kept
        for line in lines:
            obj = json.loads(line)
            obj["conversation_id"] = f"{obj['conversation_id']}-{k}"
            obj["turn_id"] = f"{obj['turn_id']}-{k}"
            ids.append(r.xadd("turns", {"turn": json.dumps(obj, ensure_ascii=False)}))
    total = len(ids)

    # what a single consumer that never crashed must produce: the pure state machine in stream order
    expected, states = set(), {}
    for eid, fields in r.xrange("turns"):
        fb = analyzer.analyze(parse_turn(json.loads(fields[b"turn"]), "x"))
        now = int(eid.decode().split("-")[0]) / 1000
        states[fb.conversation_id], alert = pure_step(states.get(fb.conversation_id), fb, now, cfg)
        if alert:
            expected.add((alert["alert_id"], alert["revision"], alert["turn_id"]))
    assert expected

    a = _consumer(redis_port, "a")
    _wait_processed(r, total // 4, a)
    deadline = time.monotonic() + 30
    while _pending(r, b"a") == 0 and time.monotonic() < deadline:  # kill while it holds a batch
        time.sleep(0.001)
    a.send_signal(signal.SIGKILL)
    a.wait(30)
    if _pending(r, b"a") == 0:  # it committed in the instant before the kill: leave what a crash
        r.xreadgroup("voc", "a", {"turns": ">"}, count=20)  # between read and commit leaves
    pending_a = _pending(r, b"a")
    processed_at_kill = int(r.get("voc:watch:turns:voc:processed"))
    assert processed_at_kill < total, "the kill must come mid-stream"
    assert pending_a > 0, "a died holding turns it had read but not acknowledged"

    b = _consumer(redis_port, "b", "--claim-idle-ms", "0")  # another consumer takes over a's pending turns
    _wait_processed(r, processed_at_kill + total // 4, b)
    b.send_signal(signal.SIGKILL)
    b.wait(30)
    b2 = _consumer(redis_port, "b", "--claim-idle-ms", "0", "--stop-after-idle", "1.5")  # b restarts
    try:
        _, err = b2.communicate(timeout=180)
    finally:
        if b2.poll() is None:
            b2.kill()
    assert b2.returncode == 0, err.decode()

    applied = [x.decode() for x in r.lrange("voc:watch:turns:voc:applied", 0, -1)]
    assert len(applied) == total and len(set(applied)) == total, "every turn applied exactly once"
    assert int(r.get("voc:watch:turns:voc:processed")) == total
    assert r.xpending("turns", "voc")["pending"] == 0
    got = [(f[b"alert_id"].decode(), int(f[b"revision"]), json.loads(f[b"alert"])["turn_id"])
           for _, f in r.xrange("alerts")]
    assert len(got) == len(set(got)), "no duplicate alert"
    assert len({(aid, rev) for aid, rev, _ in got}) == len(got), "each alert opened once, updated at most once"
    assert set(got) == expected, "no alert lost, none invented"
    print(f"\nredis fault test: {total} turns, killed a at {processed_at_kill} "
          f"({pending_a} read, unacknowledged), killed b, restarted b; {len(got)} alerts, all once")


def test_the_narrowed_analyzer_raises_the_same_alerts(cfg):
    """`voc watch` skips what the state machine never reads (touchpoints/pillars/costs; the model on
    agent turns). Replaying the sample chats and STC-3-like threads must give the same alert lines
    as the full analyzer: if the monitor ever reads more, the [analysis] settings must change."""
    from voc.analyzer import Analyzer
    from voc.io.turns import parse_turn
    from voc.monitor import Monitor

    lines = CHATS.read_text(encoding="utf-8").splitlines()

    def alerts(narrow: bool) -> list[str]:
        an = Analyzer.from_settings()
        if narrow:
            an.narrow(cfg.labels, cfg.model_for_agent_turns)
        mon, out = Monitor(cfg), []
        fbs = [parse_turn(json.loads(x), "t") for x in lines]
        for i in range(0, len(fbs), 16):
            for j, fb in enumerate(an.pipe(fbs[i:i + 16])):
                if (a := mon.process(fb, float(i + j))) is not None:
                    a.pop("latency_ms", None)
                    out.append(json.dumps(a, sort_keys=True, ensure_ascii=False))
        return out

    full = alerts(False)
    assert len(full) >= 10
    assert alerts(True) == full
    assert cfg.labels == ("signals",) and cfg.model_for_agent_turns is False


def test_narrowing_skips_the_model_on_agent_turns_only(analyzer):
    from voc.analyzer import Analyzer

    an = Analyzer.from_settings().narrow(["signals"], False)
    text = "抱歉，这是系统问题，我们也没办法，please wait"
    agent = an.analyze(Feedback(id="a", raw_text=text, speaker="agent"))
    customer = an.analyze(Feedback(id="c", raw_text=text, speaker="customer"))
    full = analyzer.analyze(Feedback(id="f", raw_text=text, speaker="customer"))
    assert customer.sentiment_score == full.sentiment_score  # the model is still blended in
    assert agent.touchpoints == [] == customer.touchpoints and customer.signals == full.signals
    assert [c["cue"] for c in agent.cues if c["group"] == "agent"]  # blame-shifting is still seen
    with pytest.raises(Exception, match="unknown label groups"):
        an.narrow(["touchpoint"])
