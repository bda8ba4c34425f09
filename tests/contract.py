"""The project's own statement of CONTRACT.md for `voc analyze` records, used by the tests."""
from __future__ import annotations

FIELDS = ("id", "text", "lang", "sentiment", "frustration", "touchpoints", "pillars", "costs", "signals",
          "topic", "flags", "conversation_id", "speaker", "meta")
LANGS = {"zh", "en", "mixed", "other"}
LABELS = {"negative", "neutral", "positive"}
DEFAULT_IDS = {
    "touchpoints": {"awareness", "purchase", "delivery", "product", "support", "billing", "returns", "account", "renewal"},
    "pillars": {"humanity", "transparency", "capability", "reliability"},
    "costs": {"money", "time", "effort", "risk"},
    "signals": {"churn_risk", "escalation", "repeat_contact", "advocacy"},
}


def check_record(r: dict, n: int, errs: list[str], default_taxonomy: bool = True) -> None:
    w = f"record {n}"
    missing = [k for k in FIELDS if k not in r]
    if missing:
        errs.append(f"{w}: missing {missing}")
        return
    text = r["text"]
    if not isinstance(r["id"], str) or not r["id"] or not isinstance(text, str):
        errs.append(f"{w}: id must be a non-empty string and text a string")
        return
    if r["lang"] not in LANGS:
        errs.append(f"{w}: lang {r['lang']!r}")
    s = r["sentiment"]
    if set(s) != {"label", "score"} or s["label"] not in LABELS or not -1 <= s["score"] <= 1:
        errs.append(f"{w}: sentiment {s!r}")
    if isinstance(r["frustration"], bool) or not 0 <= r["frustration"] <= 1:
        errs.append(f"{w}: frustration {r['frustration']!r}")
    for group, ids in DEFAULT_IDS.items():
        seen = set()
        for item in r[group]:
            if default_taxonomy and item["id"] not in ids:
                errs.append(f"{w}: {group} id {item['id']!r} not in the default taxonomy")
            if item["id"] in seen:
                errs.append(f"{w}: {group} id {item['id']!r} listed twice")
            seen.add(item["id"])
            if group == "touchpoints" and item.get("sentiment") not in LABELS:
                errs.append(f"{w}: touchpoint sentiment {item.get('sentiment')!r}")
            if group == "pillars" and item.get("polarity") not in ("violated", "honoured"):
                errs.append(f"{w}: pillar polarity {item.get('polarity')!r}")
            if not item["evidence"]:
                errs.append(f"{w}: {group}/{item['id']} has no evidence")
            for e in item["evidence"]:
                if not (0 <= e["start"] < e["end"] <= len(text)) or text[e["start"]:e["end"]] != e["text"]:
                    errs.append(f"{w}: {group}/{item['id']} evidence {e!r} does not point into the text")
    if r["topic"] is not None and not {"id", "label"} <= set(r["topic"]):
        errs.append(f"{w}: topic {r['topic']!r}")
    if not isinstance(r["flags"], list) or not all(isinstance(f, str) for f in r["flags"]):
        errs.append(f"{w}: flags must be a list of strings")
    if not isinstance(r["meta"], dict):
        errs.append(f"{w}: meta must be an object")
