"""The one record type that flows through the analyzer, for batch rows and chat turns alike."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True, frozen=True)
class Span:
    """A stretch of the analysed text, `text[start:end]` (Python indices, end exclusive)."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True)
class Label:
    """One label from a taxonomy group with the spans that justify it.

    `sentiment` is set for touchpoints, `polarity` for pillars (violated | honoured)."""

    id: str
    evidence: list[Span] = field(default_factory=list)
    sentiment: str | None = None
    polarity: str | None = None
    score: float = 0.0  # internal strength; not part of the contract

    def to_dict(self, group: str) -> dict:
        out: dict[str, Any] = {"id": self.id}
        if group == "touchpoints":
            out["sentiment"] = self.sentiment or "neutral"
        if group == "pillars":
            out["polarity"] = self.polarity or "violated"
        out["evidence"] = [s.to_dict() for s in self.evidence]
        return out


GROUPS = ("touchpoints", "pillars", "costs", "signals")


@dataclass(slots=True)
class Feedback:
    """A review row, survey answer, ticket or chat turn, and everything the analyzer found in it."""

    id: str
    raw_text: str  # as read, before cleaning and masking; never emitted unless --keep-pii
    text: str = ""  # as analysed and emitted: cleaned, personal data masked
    lang: str = "other"
    sentiment_label: str = "neutral"
    sentiment_score: float = 0.0
    frustration: float = 0.0
    touchpoints: list[Label] = field(default_factory=list)
    pillars: list[Label] = field(default_factory=list)
    costs: list[Label] = field(default_factory=list)
    signals: list[Label] = field(default_factory=list)
    topic: dict | None = None
    flags: list[str] = field(default_factory=list)
    conversation_id: str | None = None
    speaker: str | None = None
    turn_id: str | None = None
    ts: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)  # nps / csat / ces / stars, typed
    # Internals shared between stages; not emitted.
    clauses: list[Span] = field(default_factory=list)
    cues: list[dict] = field(default_factory=list)  # frustration/agent cues with spans, for alerts

    def flag(self, name: str) -> None:
        if name not in self.flags:
            self.flags.append(name)

    def to_contract(self) -> dict:
        """The record as CONTRACT.md defines it (field order kept for readable JSONL)."""
        out = {
            "id": self.id,
            "text": self.text,
            "lang": self.lang,
            "sentiment": {"label": self.sentiment_label, "score": round(self.sentiment_score, 4)},
            "frustration": round(self.frustration, 4),
        }
        for group in GROUPS:
            out[group] = [lab.to_dict(group) for lab in getattr(self, group)]
        out["topic"] = self.topic
        out["flags"] = list(self.flags)
        out["conversation_id"] = self.conversation_id
        out["speaker"] = self.speaker
        if self.turn_id is not None:
            out["turn_id"] = self.turn_id
        if self.ts is not None:
            out["ts"] = self.ts
        if self.scores:
            out["scores"] = dict(self.scores)
        out["meta"] = self.meta
        return out
