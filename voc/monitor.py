"""Real-time frustration alerts: a pure per-conversation state machine, and a bounded store of states.

`step(state, turn, now, cfg) -> (state, alert | None)` takes one analysed chat turn (a `Feedback`
from the same analyzer `voc analyze` uses) and the arrival clock `now` (seconds; injected, never
read here), and returns the conversation's next state and at most one alert. It never mutates its
inputs, so the same state and turn always give the same result: a redelivered turn replayed from a
persisted state produces the identical alert (same `alert_id` and `revision`), which is what lets the
Redis driver promise one alert per episode across crashes (voc/transports/redis_streams.py).
`advance` is the same transition applied in place (the Monitor and the Redis driver own their
states, so they skip the copy).

The model (thresholds in pipelines/watch.toml): customer turns move an EWMA level with their
frustration plus bonuses (threat/escalation cues, repeated question, rising negativity, a long wait
for a reply); agent turns move it by their cues (blame shifting and stock replies raise it, empathy
and ownership lower it; no acknowledgement of a frustrated customer raises it).

Episodes (what a supervisor sees): the level crossing `warning` (or `critical` directly) opens an
episode and raises ONE alert, with an `alert_id` of its own. If the same episode later crosses
`critical`, the alert is UPDATED: a second line with the same `alert_id`, `revision` 2,
`escalated: true` and `previous_level: "warning"` (a board replaces the card; it is not a new
alert). Nothing else is sent for the episode. It closes (re-arms) only when a customer turn leaves
the level below `rearm`, i.e. the customer has calmed down: an agent's apology alone does not close
it. A conversation that ends (idle past `idle_timeout_s`, evicted) starts afresh; alert ids carry
the turn that opened the episode, so a conversation that comes back never reuses an old id.
"""
from __future__ import annotations

import re
from collections import OrderedDict
from functools import lru_cache
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path

from voc.errors import ConfigError
from voc.records import Feedback
from voc.settings import check_labels, read_settings_toml
from voc.text import fold

_POSITIVE_AGENT = ("acknowledges", "apologises", "takes_ownership")
_PILLAR_ORDER = ("humanity", "transparency", "capability", "reliability")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
QUOTE_CHARS = 80


@dataclass
class WatchConfig:
    warning: float = 0.42
    critical: float = 0.62
    rearm: float = 0.22
    min_customer_turns: int = 1
    alpha: float = 0.55
    negativity_weight: float = 0.0
    positivity_weight: float = 0.0
    first_alpha: float = 0.75
    cue_bonus: dict = field(default_factory=lambda: {"threat": 0.1, "escalate_request": 0.15})
    rising_delta: float = 0.35
    rising_bonus: float = 0.1
    repeat_similarity: float = 0.5
    repeat_bonus: float = 0.25
    repeat_min_chars: int = 6
    silence_s: float = 180.0
    silence_bonus: float = 0.15
    agent_scale: float = 0.12
    no_ack_bonus: float = 0.06
    no_ack_min_x: float = 0.45
    calm_decay: float = 0.0
    max_conversations: int = 100000
    idle_timeout_s: float = 3600.0
    history_turns: int = 6
    history_chars: int = 200
    reason_window: int = 6
    reasons_max: int = 5
    seen_turns: int = 64
    max_line_bytes: int = 1_000_000
    max_turn_chars: int = 4000
    max_batch: int = 16              # stdin/file: waiting turns analysed together, at most
    out_of_order_s: float = 0.0
    # [analysis]: what the analyzer computes per turn (Analyzer.narrow): the state machine reads a
    # customer turn's sentiment, frustration, cues and signals, and an agent turn's agent cues only.
    labels: tuple = ("signals",)
    model_for_agent_turns: bool = False
    # language -> {"warning", "critical", "rearm"} overriding the defaults ([levels.<lang>] tables)
    lang_levels: dict = field(default_factory=dict)
    # reason cue -> {"pillars": [...], "suggestion": str}; filled from the lexicons and [reasons]
    reasons: dict = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path | None = None, lexicons=None, **overrides) -> "WatchConfig":
        path, data = read_settings_toml(path, "watch", "watch settings not found")
        known = {f.name for f in fields(cls)} - {"reasons"}
        values: dict = {}
        lang_levels = {}
        for table in ("levels", "score", "limits", "analysis"):
            for key, val in (data.get(table) or {}).items():
                if table == "levels" and isinstance(val, dict):
                    lang_levels[key] = {k: float(val[k]) for k in ("warning", "critical", "rearm") if k in val}
                    continue
                if key not in known:
                    raise ConfigError(f"{path}: unknown setting [{table}] {key} (known: {sorted(known)})")
                values[key] = val
        unknown = set(data) - {"levels", "score", "limits", "analysis", "reasons"}
        if unknown:
            raise ConfigError(f"{path}: unknown tables {sorted(unknown)}")
        values.update({k: v for k, v in overrides.items() if v is not None})
        values.setdefault("lang_levels", lang_levels)
        cfg = cls(**values)
        for lang in (None, *cfg.lang_levels):
            rearm, warning, critical = cfg.levels(lang)
            if not 0 < rearm < warning <= critical <= 1:
                raise ConfigError(f"{path}: need 0 < rearm < warning <= critical <= 1 (levels {lang or ''})")
        if not 0 < cfg.alpha <= 1:
            raise ConfigError(f"{path}: need 0 < alpha <= 1")
        if int(cfg.max_batch) < 1:
            raise ConfigError(f"{path}: need max_batch >= 1")
        cfg.labels = check_labels(cfg.labels, f"{path}: [analysis] labels")
        cfg.reasons = reason_catalogue(lexicons, data.get("reasons") or {})
        return cfg


    def levels(self, lang: str | None) -> tuple[float, float, float]:
        """(rearm, warning, critical) for a conversation in this language."""
        o = self.lang_levels.get(lang) or {}
        return o.get("rearm", self.rearm), o.get("warning", self.warning), o.get("critical", self.critical)


def reason_catalogue(lexicons, table: dict) -> dict:
    """cue -> {pillars, suggestion}: lexicon labels first, then watch.toml [reasons] (with aliases)."""
    out: dict[str, dict] = {}
    if lexicons is not None:
        for group, prefix in (("frustration", ""), ("agent", "agent_")):
            g = lexicons.groups.get(group)
            for lid, info in (g.labels.items() if g else ()):
                out[prefix + lid] = {"pillars": list(info.extra.get("pillars", [])),
                                     "suggestion": info.extra.get("suggestion", "")}
    for cue, body in table.items():
        base = dict(out.get(body.get("alias", ""), {}))
        entry = out.setdefault(cue, {"pillars": [], "suggestion": ""})
        entry.update({k: v for k, v in base.items() if v})
        entry.update({k: v for k, v in body.items() if k in ("pillars", "suggestion")})
    return out


@dataclass(slots=True)
class ConvState:
    """Everything remembered about one conversation. Plain data: `to_dict`/`from_dict` persist it."""

    conversation_id: str
    level: float = 0.0
    customer_turns: int = 0
    episode: int = 0                 # episodes opened so far
    active: str | None = None        # level alerted in the open episode: warning | critical | None
    alert_id: str | None = None      # the open episode's alert (updated in place on escalation)
    last_t: float | None = None      # event time of the latest turn (ts, else arrival)
    last_seen: float = 0.0           # arrival clock of the latest turn (for idle eviction)
    waiting_since: float | None = None  # first customer turn still without an agent reply
    last_x: float = 0.0              # the customer's latest turn score
    last_neg: float = 0.0            # the customer's latest negativity
    history: list = field(default_factory=list)  # earlier customer texts (folded, cut)
    reasons: list = field(default_factory=list)  # [turn_index, cue, turn_id, text, weight, detail]
    seen: list = field(default_factory=list)     # recent turn ids
    turns: int = 0
    lang: str | None = None          # language of the first customer turn (selects the levels)

    def to_dict(self) -> dict:
        return {f: getattr(self, f) for f in self.__slots__}

    @classmethod
    def from_dict(cls, d: dict) -> "ConvState":
        return cls(**{k: v for k, v in d.items() if k in cls.__slots__})

    def copy(self) -> "ConvState":
        return ConvState(self.conversation_id, self.level, self.customer_turns, self.episode, self.active,
                         self.alert_id, self.last_t, self.last_seen, self.waiting_since, self.last_x, self.last_neg,
                         list(self.history), list(self.reasons), list(self.seen), self.turns, self.lang)


@lru_cache(maxsize=4096)
def parse_ts(ts: str | None) -> float | None:
    """ISO-8601 -> epoch seconds (naive times are UTC); None when absent or unreadable."""
    if not ts:
        return None
    try:
        dt = datetime.fromisoformat(ts)
    except (TypeError, ValueError):
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.timestamp()


@lru_cache(maxsize=16384)
def _bigrams(text: str) -> frozenset:
    """Character bigrams of a folded text without punctuation/space. Cached: a conversation's
    earlier turns are compared with each new one, and recomputing their sets was the monitor's
    largest cost (a pure function of the text, so the cache cannot change a result)."""
    s = _NON_WORD.sub("", text)
    return frozenset([s[i:i + 2] for i in range(len(s) - 1)])


def _similarity(a: frozenset, b: frozenset) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def _quote(text: str) -> str:
    return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS - 1] + "…"


# what `advance` did with a turn
APPLIED, DUPLICATE, IGNORED = "applied", "duplicate", "ignored"


def step(state: ConvState | None, turn: Feedback, now: float, cfg: WatchConfig):
    """One turn through the conversation's state machine -> (new state, alert dict | None).
    Pure: `state` is not touched (the new state is a copy)."""
    s = ConvState(turn.conversation_id) if state is None else state.copy()
    alert, _, _ = advance(s, turn, now, cfg)
    return s, alert


def advance(s: ConvState, turn: Feedback, now: float, cfg: WatchConfig) -> tuple[dict | None, str, bool]:
    """`step` in place on a state the caller owns -> (alert | None, APPLIED | DUPLICATE | IGNORED,
    the turn's ts is older than the conversation's latest)."""
    tid = turn.turn_id or turn.id
    if tid in s.seen:  # a redelivered turn: already applied
        return None, DUPLICATE, False
    s.seen.append(tid)
    if len(s.seen) > cfg.seen_turns:
        del s.seen[:-cfg.seen_turns]
    t = parse_ts(turn.ts)
    t = now if t is None else t
    late = s.last_t is not None and t < s.last_t - cfg.out_of_order_s
    s.last_t = t if s.last_t is None else max(s.last_t, t)
    s.last_seen = max(s.last_seen, now)
    s.turns += 1
    found: list[list] = []  # [cue, text, weight, detail]
    if turn.speaker == "customer":
        _customer(s, turn, t, late, cfg, found)
    elif turn.speaker == "agent":
        _agent(s, turn, t, late, cfg, found)
    else:
        return None, IGNORED, late
    for cue, text, weight, detail in found:
        s.reasons.append([s.turns, cue, tid, text, round(weight, 4), detail])
    oldest = s.turns - cfg.reason_window
    if s.reasons and (s.reasons[0][0] <= oldest or len(s.reasons) > 4 * cfg.reasons_max):
        s.reasons = [r for r in s.reasons if r[0] > oldest][-4 * cfg.reasons_max:]
    return _decide(s, turn, t, cfg), APPLIED, late


def _customer(s: ConvState, turn: Feedback, t: float, late: bool, cfg: WatchConfig, found: list) -> None:
    x = turn.frustration + cfg.negativity_weight * max(0.0, -turn.sentiment_score) \
        - cfg.positivity_weight * max(0.0, turn.sentiment_score)
    for c in turn.cues:
        if c["group"] in ("frustration", "typography"):
            found.append([c["cue"], c["text"], c["weight"], None])
            x += cfg.cue_bonus.get(c["cue"], 0.0)
    quoted = [r[1] for r in found]
    for sig in turn.signals:  # taxonomy signals (escalation, churn_risk, ...) unless a cue quotes the same words
        if sig.id == "advocacy" or not sig.evidence:
            continue
        text = sig.evidence[0].text
        if not any(q in text or text in q for q in quoted):
            found.append([sig.id, text, 0.8, None])
    neg = max(0.0, -turn.sentiment_score)
    if s.customer_turns and neg - s.last_neg >= cfg.rising_delta and neg >= 0.3:
        x += cfg.rising_bonus
        found.append(["rising_negativity", _quote(turn.text), 0.5, None])
    folded = fold(turn.text)[: cfg.history_chars]
    long_enough = len(_NON_WORD.sub("", folded)) >= cfg.repeat_min_chars
    if long_enough and s.history:
        mine = _bigrams(folded)
        best = max(_similarity(mine, _bigrams(h)) for h in s.history)
        if best >= cfg.repeat_similarity:
            x += cfg.repeat_bonus
            found.append(["repeated_question", _quote(turn.text), 0.9, f"similarity {best:.2f} to an earlier turn"])
    if s.waiting_since is not None and not late and t - s.waiting_since >= cfg.silence_s:
        x += cfg.silence_bonus
        found.append(["long_silence", _quote(turn.text), 0.7, f"no agent reply for {t - s.waiting_since:.0f} s"])
    if s.waiting_since is None and not late:
        s.waiting_since = t
    x = min(1.0, max(0.0, x))
    if s.lang is None and turn.lang in ("zh", "en", "mixed"):
        s.lang = turn.lang
    alpha = cfg.first_alpha if s.customer_turns == 0 else cfg.alpha
    s.level = (1 - alpha) * s.level + alpha * x
    s.customer_turns += 1
    s.last_x, s.last_neg = x, neg
    if long_enough:
        s.history.append(folded)
        if len(s.history) > cfg.history_turns:
            del s.history[:-cfg.history_turns]


def _agent(s: ConvState, turn: Feedback, t: float, late: bool, cfg: WatchConfig, found: list) -> None:
    cues = [c for c in turn.cues if c["group"] == "agent"]
    delta = 0.0
    for c in cues:
        delta -= cfg.agent_scale * c["weight"]
        if c["weight"] < 0:
            found.append(["agent_" + c["cue"], c["text"], -c["weight"], None])
    if s.waiting_since is not None and not late:
        if t - s.waiting_since >= cfg.silence_s:
            delta += cfg.silence_bonus * 0.5
            found.append(["long_silence", _quote(turn.text), 0.6,
                          f"agent replied after {t - s.waiting_since:.0f} s"])
        s.waiting_since = None
    if (s.customer_turns and s.last_x >= cfg.no_ack_min_x
            and not any(c["cue"] in _POSITIVE_AGENT for c in cues)):
        delta += cfg.no_ack_bonus
        found.append(["agent_no_acknowledgement", _quote(turn.text), 0.4, None])
    if not cues and cfg.calm_decay:
        s.level *= 1 - cfg.calm_decay
    s.level = min(1.0, max(0.0, s.level + delta))
    s.last_x = 0.0  # the customer's latest turn has now been answered


def _decide(s: ConvState, turn: Feedback, t: float, cfg: WatchConfig) -> dict | None:
    """Open an episode (new alert), escalate it (update of the same alert), close it, or nothing."""
    rearm, warning, critical = cfg.levels(s.lang)
    if s.active is not None:
        if s.level < rearm:
            if turn.speaker == "customer":  # the customer has calmed down: the episode is over
                s.active = s.alert_id = None
            return None
        if s.active == "warning" and s.level >= critical:
            s.active = "critical"  # same episode, same alert: an update, not a new alert
            return build_alert(s, turn, t, cfg, previous="warning")
        return None
    if s.customer_turns < cfg.min_customer_turns or s.level < warning:
        return None
    s.episode += 1
    s.active = "critical" if s.level >= critical else "warning"
    s.alert_id = f"{s.conversation_id}#{s.episode}@{turn.turn_id or turn.id}"
    return build_alert(s, turn, t, cfg)


def delivery_key(alert: dict) -> str:
    """One key per line a sink delivers (an alert and its escalation update are two lines of the same
    alert): the idempotency key for webhooks and the Redis sink's de-duplication."""
    return f"{alert.get('alert_id', '')}/{alert.get('revision', 1)}"


def build_alert(s: ConvState, turn: Feedback, t: float, cfg: WatchConfig, previous: str | None = None) -> dict:
    """The contract alert (CONTRACT.md) plus alert_id, episode, revision, escalated, previous_level;
    latency_ms is set by the emitter."""
    ranked, seen = [], set()
    for r in sorted(s.reasons, key=lambda r: (-r[4], -r[0])):
        key = (r[1], r[2], r[3])
        if key not in seen:
            seen.add(key)
            ranked.append(r)
    ranked = ranked[: cfg.reasons_max]
    pillar_w: dict[str, float] = {}
    suggestions: list[str] = []
    for r in ranked:
        info = cfg.reasons.get(r[1], {})
        for p in info.get("pillars", []):
            pillar_w[p] = pillar_w.get(p, 0.0) + r[4]
        sug = info.get("suggestion")
        if sug and sug not in suggestions:
            suggestions.append(sug)
    pillars = sorted(pillar_w, key=lambda p: (-pillar_w[p], _PILLAR_ORDER.index(p) if p in _PILLAR_ORDER else 9))
    reasons = []
    for r in ranked:
        item = {"cue": r[1], "turn_id": r[2], "text": r[3]}
        if r[5]:
            item["detail"] = r[5]
        reasons.append(item)
    if not reasons:  # the level rose from negativity alone: quote the turn
        reasons = [{"cue": "negative_sentiment", "turn_id": turn.turn_id or turn.id, "text": _quote(turn.text)}]
    suggestion = " ".join(suggestions[:2]) or \
        "Acknowledge the customer's frustration, take ownership and give a concrete next step and time."
    ts = turn.ts or datetime.fromtimestamp(t, timezone.utc).isoformat().replace("+00:00", "Z")
    return {"conversation_id": s.conversation_id, "turn_id": turn.turn_id or turn.id, "ts": ts,
            "level": s.active, "score": round(min(1.0, max(0.0, s.level)), 4), "reasons": reasons,
            "pillars": pillars, "suggestion": suggestion, "latency_ms": None,
            "alert_id": s.alert_id, "episode": s.episode, "revision": 1 if previous is None else 2,
            "escalated": previous is not None, "previous_level": previous}


class Monitor:
    """In-memory states of many conversations, bounded: LRU beyond `max_conversations`, and states
    idle for `idle_timeout_s` (arrival clock) are dropped. `counters` tallies what happened
    (`alerts` counts new alerts, `alert_updates` their escalations)."""

    def __init__(self, cfg: WatchConfig):
        self.cfg = cfg
        self.states: OrderedDict[str, ConvState] = OrderedDict()
        self.counters = {"turns": 0, "alerts": 0, "alert_updates": 0, "evicted_lru": 0, "evicted_idle": 0,
                         "out_of_order": 0, "duplicate_turn": 0, "unknown_speaker": 0}

    def __len__(self) -> int:
        return len(self.states)

    def process(self, turn: Feedback, now: float) -> dict | None:
        counters, states = self.counters, self.states
        if states:
            self.evict_idle(now)
        counters["turns"] += 1
        if turn.speaker is None:
            counters["unknown_speaker"] += 1
            return None
        cid = turn.conversation_id
        st = states.get(cid)
        if st is None:
            st = states[cid] = ConvState(cid)
            if len(states) > self.cfg.max_conversations:
                states.popitem(last=False)
                counters["evicted_lru"] += 1
        else:
            states.move_to_end(cid)
        alert, status, late = advance(st, turn, now, self.cfg)  # the monitor owns its states: no copy
        if status == DUPLICATE:
            counters["duplicate_turn"] += 1
        elif late and parse_ts(turn.ts) is not None:  # by its own timestamp (not a ts-less turn's arrival)
            counters["out_of_order"] += 1
        if alert is not None:
            counters["alert_updates" if alert["escalated"] else "alerts"] += 1
        return alert

    def evict_idle(self, now: float) -> None:
        """States are kept in arrival order (LRU), so the idle ones are at the front."""
        limit = now - self.cfg.idle_timeout_s
        states = self.states
        while states:
            st = states[next(iter(states))]
            if st.last_seen > limit:
                break
            states.popitem(last=False)
            self.counters["evicted_idle"] += 1
