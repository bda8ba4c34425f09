"""Redis Streams: a consumer-group source with at-least-once input and one alert per episode, and a sink.

How a batch of turns is handled (`RedisConsumer._process`):
1. XREADGROUP (or XAUTOCLAIM) hands the consumer entries; they stay in the group's pending list
   (PEL) until XACKed. Each turn is parsed and analysed; its `now` is the entry id's millisecond
   time, fixed by the server at XADD, so a redelivered turn sees exactly the same clock.
2. WATCH the state keys of the batch's conversations, MGET their states (JSON of `ConvState`),
   run the state machine (`monitor.advance`) over the turns in stream order. A turn whose id is in the state's `seen`
   list was already applied (a redelivery after a crash between commit and ... nothing: see 3) and
   is skipped.
3. MULTI: SET every new state (with EX = idle timeout, the Redis-side eviction), XADD each alert to
   the alert stream(s) on this server and/or the outbox, INCRBY the processed counter (and RPUSH the
   applied turn ids when `audit=1`), XACK the entries; EXEC. State, alerts and acks commit together
   or not at all. If another consumer changed one of the states meanwhile, EXEC fails (WATCH) and
   the batch is recomputed from the fresh states, where the other consumer's turns are `seen`.
   A consumer killed before EXEC leaves its entries pending with the old states: whoever claims
   them recomputes the same transition and the same alert line (same `alert_id` and `revision`); killed after EXEC,
   everything is already durable. Hence: no turn lost, each applied once, one alert per episode.
4. Alerts for sinks that are not streams on this server (stdout, webhook) are written to the outbox
   stream inside the transaction, delivered after EXEC, then XDELed. A consumer killed between EXEC
   and delivery leaves them in the outbox; the next consumer to start delivers outbox entries older
   than `claim_idle_ms` (at-least-once: a receiver drops repeats by (`alert_id`, `revision`); an
   escalation is the same `alert_id` with revision 2, an update, not a repeat).
Crashed consumers' pending entries are taken over with XAUTOCLAIM once idle for `claim_idle_ms`;
a restarted consumer with the same name first re-reads its own pending entries (id 0).
Turns of one conversation handled concurrently by two consumers are applied once each, in commit
order (which, for such a race, may differ from stream order).
"""
from __future__ import annotations

import json
import logging
import os
import socket
import time

from voc.monitor import DUPLICATE, ConvState, WatchConfig, advance, delivery_key, parse_ts
from voc.transports import redis_params
from voc.transports.engine import Counts, TurnReader

log = logging.getLogger("voc.watch")


def _client(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10,
                                health_check_interval=30)


def alert_fields(alert: dict) -> dict:
    return {"alert": json.dumps(alert, ensure_ascii=False), "alert_id": alert.get("alert_id") or "",
            "revision": alert.get("revision", 1), "conversation_id": alert["conversation_id"],
            "level": alert["level"]}


class RedisStreamSink:
    """XADD alerts to a stream. Outside a consumer transaction the write is deduplicated by alert_id and
    revision (SET NX and XADD in one Lua call), so redelivered lines are not appended twice while an
    escalation update (same alert_id, revision 2) still goes through."""

    _LUA = ("if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then "
            "return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', unpack(ARGV, 3)) end "
            "return false")

    def __init__(self, spec: str):
        url, p = redis_params(spec, {"stream": "voc-alerts"})
        self.url, self.stream = url, p["stream"]
        self.maxlen = int(p.get("maxlen", 1_000_000))
        self.dedupe_ttl = int(p.get("dedupe_ttl", 7 * 86400))
        self.redis_target = (url, self.stream)
        self.r = _client(url)
        self._script = self.r.register_script(self._LUA)
        self.count = 0

    def write(self, alert: dict) -> None:
        flat = [x for kv in alert_fields(alert).items() for x in kv]
        key = f"voc:alert-sent:{self.stream}:{delivery_key(alert)}"
        if self._script(keys=[key, self.stream], args=[self.dedupe_ttl, self.maxlen, *flat]):
            self.count += 1

    def close(self) -> None:
        self.r.close()


class RedisConsumer:
    def __init__(self, spec: str, reader: TurnReader, cfg: WatchConfig, sinks, counts: Counts,
                 consumer: str | None = None, batch: int = 100, block_ms: int = 500,
                 claim_idle_ms: int = 30000, claim_every_s: float = 5.0, on_alert=None):
        url, p = redis_params(spec, {"stream": None, "group": None})
        self.url, self.stream, self.group = url, p["stream"], p["group"]
        self.consumer = consumer or p.get("consumer") or f"{socket.gethostname()}-{os.getpid()}"
        self.start_id = p.get("start", "0")
        self.audit = p.get("audit", "0") in ("1", "true", "yes")
        self.r = _client(url)
        self.reader, self.cfg, self.counts, self.on_alert = reader, cfg, counts, on_alert
        self.batch, self.block_ms = batch, block_ms
        self.claim_idle_ms, self.claim_every_s = claim_idle_ms, claim_every_s
        ns = f"voc:watch:{self.stream}:{self.group}"
        self.k_state, self.k_outbox = ns + ":state:", ns + ":outbox"
        self.k_processed, self.k_applied = ns + ":processed", ns + ":applied"
        self.tx_sinks = [s for s in sinks if s.redis_target and s.redis_target[0] == url]
        self.external = [s for s in sinks if s not in self.tx_sinks]
        self.ttl = max(1, int(cfg.idle_timeout_s))

    # ------------------------------------------------------------------ loop
    def run(self, stop_after_idle: float | None = None, max_entries: int | None = None) -> None:
        self._ensure_group()
        self.flush_outbox(self.claim_idle_ms)
        last = "0"
        while True:  # our own pending entries first (a restart under the same name)
            entries = self._entries(self.r.xreadgroup(self.group, self.consumer, {self.stream: last},
                                                      count=self.batch))
            if not entries:
                break
            self._process(entries)
            last = entries[-1][0]
        self.claim()
        last_claim = idle_since = time.monotonic()
        block = self.block_ms if stop_after_idle is None else min(self.block_ms, int(stop_after_idle * 1000) or 1)
        while max_entries is None or self.counts["entries"] < max_entries:
            entries = self._entries(self.r.xreadgroup(self.group, self.consumer, {self.stream: ">"},
                                                      count=self.batch, block=block))
            if entries:
                self._process(entries)
                idle_since = time.monotonic()
            if time.monotonic() - last_claim >= self.claim_every_s:
                self.claim()
                last_claim = time.monotonic()
            if not entries and stop_after_idle is not None and time.monotonic() - idle_since >= stop_after_idle:
                break

    def claim(self) -> int:
        """Take over entries other consumers left pending for `claim_idle_ms` (XAUTOCLAIM)."""
        start, total = "0-0", 0
        while True:
            res = self.r.xautoclaim(self.stream, self.group, self.consumer, self.claim_idle_ms,
                                    start_id=start, count=self.batch)
            start, entries = res[0], res[1]
            if entries:
                total += len(entries)
                self._process(entries)
            if start in (b"0-0", "0-0"):
                break
        if total:
            self.counts["claimed"] += total
            log.warning("claimed %d pending entries from other consumers", total)
        return total

    def _ensure_group(self) -> None:
        import redis

        try:
            self.r.xgroup_create(self.stream, self.group, id=self.start_id, mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    @staticmethod
    def _entries(resp) -> list:
        return list(resp[0][1]) if resp else []

    # ------------------------------------------------------------------ one batch
    def _process(self, entries) -> None:
        """Entries from one read: parsed, analysed together, applied and committed in ONE transaction.
        (Committing in smaller chunks was measured: at 16 entries per transaction the consumer spent
        ~60 us more CPU per turn, mostly reading and writing each conversation's state once per chunk
        instead of once per read; the read size, `--batch`, bounds the wait instead.) Every entry's
        arrival is the moment the read returned."""
        arrival = time.perf_counter()
        items, ack = [], []
        for eid, fields in entries:
            ack.append(eid)
            self.counts["entries"] += 1
            if not fields:
                self.counts.problem("deleted_entry", f"entry {eid!r}")
                continue
            data = fields.get(b"turn") or fields.get(b"json") or fields.get(b"data")
            if data is None:
                data = json.dumps({k.decode("utf-8", "replace"): v.decode("utf-8", "replace")
                                   for k, v in fields.items()}, ensure_ascii=False)
            sid = eid.decode() if isinstance(eid, bytes) else eid
            fb = self.reader.parse(data, where=f"entry {sid}")
            if fb is None:
                continue
            ms = int(sid.split("-", 1)[0])
            items.append((fb, ms / 1000.0, arrival))
        # The read is analysed in one `pipe` call: the same code path as a batch of one, but the
        # sentiment model sees the turns together (cheaper per turn).
        for _ in self.reader.analyzer.pipe([fb for fb, _, _ in items]):
            pass
        convs = sorted({fb.conversation_id for fb, _, _ in items})
        keys = [self.k_state + c for c in convs]
        import redis

        while True:
            try:
                with self.r.pipeline(transaction=True) as pipe:
                    if keys:
                        pipe.watch(*keys)
                        raw = pipe.mget(keys)
                    else:
                        raw = []
                    states = {c: (ConvState.from_dict(json.loads(v)) if v else None) for c, v in zip(convs, raw)}
                    alerts, applied = self._apply(items, states)
                    pipe.multi()
                    for c in convs:
                        if states[c] is not None:
                            pipe.set(self.k_state + c, json.dumps(states[c].to_dict(), ensure_ascii=False), ex=self.ttl)
                    if applied:
                        pipe.incrby(self.k_processed, len(applied))
                        if self.audit:
                            pipe.rpush(self.k_applied, *applied)
                    outbox_at = []
                    for alert, arrival in alerts:
                        alert["latency_ms"] = round((time.perf_counter() - arrival) * 1000, 3)
                        for s in self.tx_sinks:
                            pipe.xadd(s.stream, alert_fields(alert), maxlen=s.maxlen, approximate=True)
                        if self.external:
                            outbox_at.append(len(pipe.command_stack))
                            pipe.xadd(self.k_outbox, alert_fields(alert))
                    if ack:
                        pipe.xack(self.stream, self.group, *ack)
                    res = pipe.execute()
                break
            except redis.WatchError:
                self.counts["state_conflicts"] += 1
        self.counts["turns"] += len(applied)
        updates = sum(1 for alert, _ in alerts if alert.get("escalated"))
        self.counts["alerts"] += len(alerts) - updates
        if updates:
            self.counts["alert_updates"] += updates
        if self.external and alerts:
            for (alert, arrival), pos in zip(alerts, outbox_at):
                self._deliver(alert, arrival)
                self.r.xdel(self.k_outbox, res[pos])
        if self.on_alert is not None:
            for alert, _ in alerts:
                self.on_alert(alert)

    def _apply(self, items, states) -> tuple[list, list]:
        """The batch's turns through the state machine, in place on `states` (read from Redis for
        this attempt only, so a retried transaction starts again from fresh copies)."""
        alerts, applied = [], []
        for fb, now, arrival in items:
            st = states.get(fb.conversation_id)
            if st is None:
                st = states[fb.conversation_id] = ConvState(fb.conversation_id)
            alert, status, late = advance(st, fb, now, self.cfg)
            if status == DUPLICATE:
                self.counts["duplicate_turn"] += 1
                continue
            if late and parse_ts(fb.ts) is not None:
                self.counts["out_of_order"] += 1
            applied.append(fb.turn_id)
            if alert is not None:
                alerts.append((alert, arrival))
        return alerts, applied

    def _deliver(self, alert: dict, arrival: float | None) -> None:
        if arrival is not None:
            alert["latency_ms"] = round((time.perf_counter() - arrival) * 1000, 3)
        for sink in self.external:
            sink.write(alert)

    def flush_outbox(self, min_age_ms: int) -> int:
        """Deliver alerts committed by a consumer that died before delivering them."""
        cutoff = int(time.time() * 1000) - min_age_ms
        n = 0
        for eid, fields in self.r.xrange(self.k_outbox, "-", f"{cutoff}"):
            if fields and self.external:
                self._deliver(json.loads(fields[b"alert"]), None)
                n += 1
            self.r.xdel(self.k_outbox, eid)
        if n:
            self.counts["outbox_redelivered"] += n
            log.warning("delivered %d alerts left in the outbox by a stopped consumer", n)
        return n
