"""The `voc watch` loop shared by every source: line -> turn -> analyzer -> monitor -> sinks.

Bad input never stops the stream: each problem is counted (and logged on stderr, rate-limited) under
one of `bad_json`, `not_object`, `missing_field`, `unknown_speaker`, `oversized_line`, `huge_turn`,
`bad_ts`; the monitor adds `out_of_order` and `duplicate_turn`.
"""
from __future__ import annotations

import json
import logging
import sys
import time
from collections import Counter

from voc.errors import InputError
from voc.io.turns import parse_turn
from voc.monitor import Monitor, WatchConfig, parse_ts
from voc.records import Feedback
from voc.stages import pii

log = logging.getLogger("voc.watch")
_LOG_FIRST = 5  # log the first few of each problem, then every 1000th


class Counts(Counter):
    def problem(self, kind: str, where: str, detail: str = "") -> None:
        self[kind] += 1
        n = self[kind]
        if n <= _LOG_FIRST or n % 1000 == 0:
            log.warning("%s (%s #%d)%s", where, kind, n, f": {detail}" if detail else "")

    def line(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in sorted(self.items()))


class TurnReader:
    """One input line (bytes or str) -> an analysed turn, or None after counting why not."""

    def __init__(self, analyzer, cfg: WatchConfig, counts: Counts):
        self.analyzer, self.cfg, self.counts = analyzer, cfg, counts
        self.n = 0

    def parse(self, data, where: str | None = None) -> Feedback | None:
        self.n += 1
        where = where or f"line {self.n}"
        if len(data) > self.cfg.max_line_bytes:
            self.counts.problem("oversized_line", where, f"{len(data)} bytes")
            return None
        try:
            obj = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            self.counts.problem("bad_json", where, str(exc)[:80])
            return None
        if not isinstance(obj, dict):
            self.counts.problem("not_object", where)
            return None
        try:
            fb = parse_turn(obj, f"turn-{self.n}")
        except InputError as exc:
            self.counts.problem("missing_field", where, str(exc))
            return None
        if "missing_text" in fb.flags:
            self.counts.problem("missing_field", where, f"turn {fb.turn_id} has no text")
            return None
        if fb.speaker is None:
            # the raw value may be a name or a phone number: logs get it masked and cut short
            self.counts.problem("unknown_speaker", where, _masked(fb.meta.get("speaker_raw")))
            return None
        if fb.ts is not None and parse_ts(fb.ts) is None:
            self.counts.problem("bad_ts", where, _masked(fb.ts))
            fb.ts = None
        if len(fb.raw_text) > self.cfg.max_turn_chars:
            self.counts.problem("huge_turn", where, f"{len(fb.raw_text)} chars, cut to {self.cfg.max_turn_chars}")
            fb.raw_text = fb.raw_text[: self.cfg.max_turn_chars]
        return fb


def emit(alert: dict, arrival: float, sinks) -> dict:
    """Stamp latency (turn arrival -> alert handed to the sinks) and write it everywhere."""
    alert["latency_ms"] = round((time.perf_counter() - arrival) * 1000, 3)
    for sink in sinks:
        sink.write(alert)
    return alert


class Watch:
    """Drives a line source through the monitor. `clock()` gives `now` for the state machine
    (wall time live; event time when replaying); it takes the turn and is injectable for tests."""

    def __init__(self, analyzer, cfg: WatchConfig, sinks, clock=None, counts: Counts | None = None,
                 on_turn=None, stats_every: float | None = None):
        self.counts = counts if counts is not None else Counts()
        self.reader = TurnReader(analyzer, cfg, self.counts)
        self.monitor = Monitor(cfg)
        self.sinks, self.clock, self.on_turn = sinks, clock or wall_clock, on_turn
        self.stats_every = stats_every
        self._next_stats = time.monotonic() + stats_every if stats_every else None

    def feed(self, data, arrival: float | None = None) -> dict | None:
        """One raw line -> the alert it raised (already written to the sinks), or None."""
        arrival = time.perf_counter() if arrival is None else arrival
        alerts = self.feed_batch([(data, arrival)])
        return alerts[0] if alerts else None

    def feed_batch(self, batch) -> list[dict]:
        """Lines that arrived together [(data, arrival)]: parsed, analysed in one `pipe` call (the
        analyzer's only code path), then stepped through the monitor one by one, in order."""
        parsed = []
        for data, arrival in batch:
            fb = self.reader.parse(data)
            if fb is not None:
                parsed.append((fb, arrival))
        for _ in self.reader.analyzer.pipe([fb for fb, _ in parsed]):
            pass
        alerts = []
        for fb, arrival in parsed:
            alert = self.monitor.process(fb, self.clock(fb))
            if alert is not None:
                alerts.append(emit(alert, arrival, self.sinks))
            if self.on_turn is not None:
                self.on_turn(fb, alert, arrival)
        if self._next_stats is not None and time.monotonic() >= self._next_stats:
            self._next_stats = time.monotonic() + self.stats_every
            print(f"voc watch: {self.stats()}", file=sys.stderr, flush=True)
        return alerts

    def run(self, source) -> None:
        """`source` yields raw lines, (line, arrival) pairs, or lists of such pairs (batches)."""
        for item in source:
            if isinstance(item, list):
                self.feed_batch(item)
            elif isinstance(item, tuple):
                self.feed(*item)
            else:
                self.feed(item)

    def stats(self) -> str:
        merged = Counts(self.counts)
        merged.update({k: v for k, v in self.monitor.counters.items() if v})
        merged["conversations_in_memory"] = len(self.monitor)
        return merged.line()


def wall_clock(fb: Feedback) -> float:
    return time.time()


class EventClock:
    """`now` from the turns' own timestamps (replays): never goes backwards, and a turn without a
    usable ts takes the latest time seen."""

    def __init__(self, start: float = 0.0):
        self.t = start

    def __call__(self, fb: Feedback) -> float:
        t = parse_ts(fb.ts)
        if t is not None and t > self.t:
            self.t = t
        return self.t


def _masked(value) -> str:
    """A field value fit for a log line: personal data masked, at most 40 characters."""
    text, _counts = pii.mask(str(value))
    return repr(text[:40])
