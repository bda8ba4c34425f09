"""The live alerts board: alerts from `voc watch` (CONTRACT.md) grouped by conversation, ranked by
frustration, with acknowledge / resolve, pushed to browsers as server-sent events.

Alerts arrive by `POST /api/alerts` (one alert JSON; `voc watch --sink webhook:URL`). The webhook
sink delivers at least once and names each alert in an `Idempotency-Key` header (its alert_id), so a
repeated delivery is acknowledged but not counted twice. Every alert and status change is kept in
the store (web_alerts, web_alert_state), so the board survives a restart.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import threading
import time
from collections import OrderedDict

LEVELS = {"warning": 1, "critical": 2}
STATUSES = ("open", "acknowledged", "resolved")
MAX_REASONS = 8
MAX_CONVERSATIONS = 5000
SEEN_KEYS = 20000


class AlertError(ValueError):
    pass


def validate(alert) -> dict:
    """The fields the board needs, checked; extra fields are kept (alert_id, episode, ...)."""
    if not isinstance(alert, dict):
        raise AlertError("an alert is one JSON object")
    problems = []
    for key in ("conversation_id", "turn_id"):
        if not isinstance(alert.get(key), str) or not alert.get(key):
            problems.append(f"{key} must be a non-empty string")
    if alert.get("level") not in LEVELS:
        problems.append("level must be warning or critical")
    score = alert.get("score")
    if not isinstance(score, (int, float)) or isinstance(score, bool) or not 0 <= score <= 1:
        problems.append("score must be a number in [0, 1]")
    reasons = alert.get("reasons", [])
    if not isinstance(reasons, list) or not all(isinstance(r, dict) and isinstance(r.get("cue"), str) for r in reasons):
        problems.append("reasons must be a list of {cue, turn_id, text}")
    if not isinstance(alert.get("pillars", []), list):
        problems.append("pillars must be a list")
    rev = alert.get("revision", 1)
    if not isinstance(rev, int) or isinstance(rev, bool) or rev < 1:
        problems.append("revision must be a whole number >= 1")
    if not isinstance(alert.get("suggestion", ""), (str, type(None))):
        problems.append("suggestion must be a string")
    if problems:
        raise AlertError("; ".join(problems))
    return alert


class AlertBoard:
    def __init__(self, db=None):
        self.db = db
        self._lock = threading.Lock()
        self.convs: OrderedDict[str, dict] = OrderedDict()
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._subs: list[tuple[asyncio.Queue, asyncio.AbstractEventLoop]] = []
        self.received = 0

    # ------------------------------------------------------------------ state
    def load(self) -> None:
        if self.db is None:
            return
        cur = self.db.cursor()
        rows = cur.execute("SELECT alert_id, body, epoch(received) FROM (SELECT * FROM web_alerts "
                           "ORDER BY received DESC LIMIT 20000) ORDER BY received").fetchall()
        for key, body, at in rows:
            self._apply(json.loads(body), key, at)
        for cid, status, by, at in cur.execute("SELECT conversation_id, status, by_name, epoch(changed_at) FROM web_alert_state").fetchall():
            if cid in self.convs:
                self.convs[cid].update(status=status, status_by=by, status_at=at)

    def add(self, alert: dict, key: str | None = None) -> tuple[dict, bool]:
        """Record one alert; returns (the conversation, duplicate?)."""
        alert = validate(alert)
        # one alert per episode; an escalation is the same alert_id with a higher revision
        key = key or (f"{alert['alert_id']}/{alert.get('revision', 1)}" if alert.get("alert_id") else None) \
            or hashlib.sha256(
            json.dumps([alert["conversation_id"], alert["turn_id"], alert["level"]]).encode()).hexdigest()[:24]
        with self._lock:
            if key in self._seen:
                return dict(self.convs.get(alert["conversation_id"], {})), True
            conv = self._apply(alert, key, time.time())
            self.received += 1
            if self.db is not None:
                self.db.cursor().execute("INSERT INTO web_alerts (alert_id, conversation_id, body) VALUES (?, ?, ?)",
                                         [key, alert["conversation_id"], json.dumps(alert, ensure_ascii=False)])
            out = dict(conv)
        self.broadcast({"type": "alert", "conversation": out, "alert": alert})
        return out, False

    def _apply(self, alert: dict, key: str, at: float) -> dict:
        self._seen[key] = None
        while len(self._seen) > SEEN_KEYS:
            self._seen.popitem(last=False)
        cid = alert["conversation_id"]
        conv = self.convs.get(cid)
        if conv is None:
            conv = {"conversation_id": cid, "status": "open", "alerts": 0, "first_at": at, "reasons": [],
                    "pillars": [], "level": alert["level"], "status_by": None, "status_at": None}
            self.convs[cid] = conv
        escalated = LEVELS[alert["level"]] > LEVELS.get(conv["level"], 0)
        if conv["status"] == "resolved" or (conv["status"] == "acknowledged" and escalated):
            conv.update(status="open", status_by=None, status_at=None)
        reasons = [dict(r) for r in alert.get("reasons", [])] + conv["reasons"]
        seen, merged = set(), []
        for r in reasons:
            k = (r.get("cue"), r.get("turn_id"), r.get("text"))
            if k not in seen:
                seen.add(k)
                merged.append(r)
        conv.update(level=alert["level"] if escalated or conv["alerts"] == 0 else conv["level"],
                    score=float(alert["score"]), turn_id=alert["turn_id"], ts=alert.get("ts"),
                    suggestion=alert.get("suggestion") or conv.get("suggestion"),
                    pillars=list(dict.fromkeys(list(alert.get("pillars", [])) + conv["pillars"])),
                    reasons=merged[:MAX_REASONS], latency_ms=alert.get("latency_ms"), last_at=at,
                    alerts=conv["alerts"] + (0 if _is_update(alert) else 1))
        self.convs.move_to_end(cid)
        while len(self.convs) > MAX_CONVERSATIONS:
            self.convs.popitem(last=False)
        return conv

    def set_status(self, cid: str, status: str, who: str) -> dict | None:
        if status not in STATUSES:
            raise AlertError(f"status must be one of {', '.join(STATUSES)}")
        with self._lock:
            conv = self.convs.get(cid)
            if conv is None:
                return None
            conv.update(status=status, status_by=who, status_at=time.time())
            if self.db is not None:
                self.db.cursor().execute("INSERT OR REPLACE INTO web_alert_state VALUES (?, ?, ?, current_timestamp)",
                                         [cid, status, who])
            out = dict(conv)
        self.broadcast({"type": "status", "conversation": out})
        return out

    def board(self, include_resolved: bool = False) -> list[dict]:
        """Open conversations first, the most frustrated on top; then acknowledged; resolved last."""
        with self._lock:
            convs = [dict(c) for c in self.convs.values() if include_resolved or c["status"] != "resolved"]
        order = {s: i for i, s in enumerate(STATUSES)}
        convs.sort(key=lambda c: (order[c["status"]], -c.get("score", 0), -LEVELS.get(c["level"], 0), -c["last_at"]))
        return convs

    # ------------------------------------------------------------------ push
    def subscribe(self, loop: asyncio.AbstractEventLoop) -> asyncio.Queue:
        q: asyncio.Queue = asyncio.Queue(maxsize=500)
        with self._lock:
            self._subs.append((q, loop))
        return q

    def unsubscribe(self, q: asyncio.Queue) -> None:
        with self._lock:
            self._subs = [(s, lp) for s, lp in self._subs if s is not q]

    def broadcast(self, msg: dict) -> None:
        with self._lock:
            subs = list(self._subs)
        for q, loop in subs:
            try:
                loop.call_soon_threadsafe(_offer, q, msg)
            except RuntimeError:  # the loop is closed: that browser is gone
                self.unsubscribe(q)


def _is_update(alert: dict) -> bool:
    """An escalation (warning -> critical) revises an alert already on the board, not a new one."""
    return bool(alert.get("escalated")) or alert.get("revision", 1) > 1


def _offer(q: asyncio.Queue, msg: dict) -> None:
    try:
        q.put_nowait(msg)
    except asyncio.QueueFull:  # a stalled browser: tell it to reload rather than grow without bound
        while not q.empty():
            q.get_nowait()
        q.put_nowait({"type": "resync"})


def sse(event: str, data: dict, event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
