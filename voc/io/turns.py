"""Chat turns (CONTRACT.md): parse one JSON object into a Feedback, accepting common aliases."""
from __future__ import annotations

from voc.errors import InputError
from voc.records import Feedback

_CUSTOMER = {"customer", "user", "client", "visitor", "buyer", "consumer", "caller", "human", "客户", "顾客", "用户", "买家"}
_AGENT = {"agent", "assistant", "helpdesk", "support", "staff", "operator", "bot", "system", "rep",
          "representative", "seller", "客服", "坐席", "商家", "卖家"}
_CONV_KEYS = ("conversation_id", "conversation", "session_id", "dialog_id", "dialogue_id", "chat_id", "thread_id")
_SPEAKER_KEYS = ("speaker", "role", "sender", "from", "author")
_TEXT_KEYS = ("text", "content", "message", "body", "utterance")


def normalize_speaker(value) -> str | None:
    v = str(value).strip().lower() if value is not None else ""
    if v in _CUSTOMER:
        return "customer"
    if v in _AGENT:
        return "agent"
    return None


def looks_like_turn(obj: dict) -> bool:
    return any(k in obj for k in _CONV_KEYS) and any(k in obj for k in _SPEAKER_KEYS)


def parse_turn(obj: dict, fallback_id: str) -> Feedback:
    """A turn record; raises InputError when the object cannot be a turn at all."""
    if not isinstance(obj, dict):
        raise InputError("turn is not a JSON object")
    conv = next((obj[k] for k in _CONV_KEYS if obj.get(k) not in (None, "")), None)
    if conv is None:
        raise InputError("turn has no conversation_id")
    raw_speaker = next((obj[k] for k in _SPEAKER_KEYS if k in obj), None)
    text = next((obj[k] for k in _TEXT_KEYS if k in obj), None)
    turn_id = obj.get("turn_id") or obj.get("id") or fallback_id
    used = set(_CONV_KEYS) | set(_SPEAKER_KEYS) | set(_TEXT_KEYS) | {"turn_id", "id", "ts"}
    fb = Feedback(
        id=str(turn_id), raw_text=text if isinstance(text, str) else ("" if text is None else str(text)),
        conversation_id=str(conv), speaker=normalize_speaker(raw_speaker), turn_id=str(turn_id),
        ts=str(obj["ts"]) if obj.get("ts") is not None else None,
        meta={k: v for k, v in obj.items() if k not in used},
    )
    if fb.speaker is None:
        fb.flag("unknown_speaker")
        fb.meta["speaker_raw"] = raw_speaker
    if text is None:
        fb.flag("missing_text")
    return fb
