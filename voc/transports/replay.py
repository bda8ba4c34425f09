"""`voc watch --replay FILE [--report]`: run a recorded stream through the monitor as fast as it
goes, with the turns' own timestamps as the clock, and describe what happened."""
from __future__ import annotations

import time
from collections import defaultdict

from voc.monitor import WatchConfig
from voc.transports.engine import EventClock, Watch
from voc.transports.stdio import ListSink, file_lines


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in [0, 100]); 0.0 for no values."""
    if not values:
        return 0.0
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(-(-q * len(s) // 100)) - 1))
    return s[k]


def replay_report(analyzer, cfg: WatchConfig, path: str, sinks, report: bool = True) -> str:
    keep = ListSink()
    timelines: dict[str, list] = defaultdict(list)
    turn_ms: list[float] = []
    speakers = {"customer": 0, "agent": 0}
    w = Watch(analyzer, cfg, [keep, *sinks], clock=EventClock())

    def on_turn(fb, alert, arrival):
        turn_ms.append((time.perf_counter() - arrival) * 1000)
        speakers[fb.speaker] = speakers.get(fb.speaker, 0) + 1
        st = w.monitor.states.get(fb.conversation_id)
        timelines[fb.conversation_id].append((fb, st.level if st else 0.0, alert))

    w.on_turn = on_turn
    started = time.perf_counter()
    w.run(file_lines(path, cfg.max_line_bytes))
    seconds = time.perf_counter() - started
    if not report:
        return f"voc watch: replayed {path}: {w.stats()} in {seconds:.2f}s"
    return render(path, keep.alerts, timelines, turn_ms, speakers, w, seconds)


def render(path, alerts, timelines, turn_ms, speakers, w, seconds) -> str:
    n = sum(speakers.values())
    opened = [a for a in alerts if not a.get("escalated")]
    by_level = {lv: sum(a["level"] == lv for a in opened) for lv in ("warning", "critical")}
    updates = len(alerts) - len(opened)
    episodes = {(a["conversation_id"], a["episode"]) for a in alerts}
    alerted = {a["conversation_id"] for a in alerts}
    lat = [a["latency_ms"] for a in alerts]
    out = [f"voc watch replay: {path}",
           f"  turns {n} (customer {speakers.get('customer', 0)}, agent {speakers.get('agent', 0)}) in "
           f"{len(timelines)} conversations, {seconds:.2f}s ({n / seconds if seconds else 0:.0f} turns/s)",
           f"  alerts {len(opened)} (opened at warning {by_level['warning']}, at critical {by_level['critical']}), "
           f"escalated to critical later {updates} (updates of the same alert); episodes {len(episodes)}; "
           f"conversations alerted {len(alerted)}/{len(timelines)}",
           f"  counters: {w.stats()}", "",
           "latency, turn arrival -> alert emitted (ms): " + _pcts(lat),
           "latency, turn arrival -> decision, every turn (ms): " + _pcts(turn_ms), "",
           "timelines (level after each turn; alerts marked >>):"]
    order = sorted(timelines, key=lambda c: (c not in alerted, c))
    for cid in order:
        rows = timelines[cid]
        fired = [a for _, _, a in rows if a]
        head = f"  {cid}: {len(rows)} turns, peak {max(lv for _, lv, _ in rows):.2f}"
        head += ", alerts: " + ", ".join(f"{'escalated to ' if a.get('escalated') else ''}{a['level']}@{a['turn_id']}"
                                         for a in fired) if fired else ", no alert"
        out.append(head)
        if not fired:
            continue
        for fb, lv, a in rows:
            ts = (fb.ts or "")[11:19] or "--:--:--"
            text = fb.text if len(fb.text) <= 48 else fb.text[:47] + "…"
            out.append(f"    {ts} {fb.speaker:<8} {fb.turn_id:<12} {lv:.2f} {_bar(lv)} {text}")
            if a:
                why = "; ".join(f"{r['cue']} \"{r['text']}\"" for r in a["reasons"][:3])
                kind = f"UPDATE {a['alert_id']}: escalated to " if a.get("escalated") else f"ALERT {a['alert_id']}: "
                out.append(f"    >> {kind}{a['level'].upper()} score {a['score']:.2f} [{', '.join(a['pillars'])}] {why}")
                out.append(f"       suggestion: {a['suggestion']}")
    return "\n".join(out)


def _pcts(values) -> str:
    if not values:
        return "no samples"
    return (f"p50 {percentile(values, 50):.2f}  p90 {percentile(values, 90):.2f}  p99 {percentile(values, 99):.2f}"
            f"  max {max(values):.2f}  (n={len(values)})")


def _bar(level: float, width: int = 10) -> str:
    k = int(round(level * width))
    return "#" * k + "." * (width - k)
