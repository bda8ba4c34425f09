"""The fixed sample for the second round of outside annotation (benchmarks/data/outside_*.jsonl).

    .venv/bin/python benchmarks/annotation_sample.py {stc3_zh,stc3_mixed,stc3_en,airline} [--show]

Prints one JSON line per item to annotate: the reference (dialogue id + turn, or tweet id), the
half it belongs to and, with --show, the text (for the annotator's eyes only; texts are never
written into the repository). The rule is fixed and written before any label or output was seen:

* STC-3 dialogues already used by any earlier file in benchmarks/data are excluded, and zh / mixed
  items never share a dialogue with en items (stc3_en.jsonl is a translation of a subset of
  stc3_zh.jsonl with the same ids), so no text is scored twice in two languages.
* STC-3 zh and mixed: the first customer turn of 15-100 characters of a dialogue that has no
  English translation; "mixed" when the text without @handles and URLs has a run of two or more
  Latin letters, else "zh".
* STC-3 en: the first customer turn of 30-300 characters of a translated dialogue.
* airline: every tweet with a negativereason other than "Can't Tell" (the same rows as the
  negativereason benchmark), 120 of each crc32 half.
* Order: by crc32 of the reference, the first N; the half is the crc32 parity (even = tune,
  odd = held-out), as for the other outside data.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from benchmarks.taxonomy import AIRLINE_MAP, DATA, DEV  # noqa: E402

SIZES = {"stc3_zh": 120, "stc3_mixed": 120, "stc3_en": 120, "airline": 240}
_HANDLE_OR_URL = re.compile(r"@\S+|https?://\S+")
_LATIN_RUN = re.compile(r"[A-Za-z]{2,}")


def _crc(key: str) -> int:
    return zlib.crc32(key.encode())


def _half(key: str) -> str:
    return "tune" if _crc(key) % 2 == 0 else "held-out"


def _used_dialogues() -> set[str]:
    used = set()
    for name in ("stc3_customer_tune.jsonl", "stc3_customer_turns.jsonl", "stc3_agent_turns.jsonl"):
        for line in open(DATA / name, encoding="utf-8"):
            used.add(json.loads(line)["dialogue_id"])
    return used


def _dialogues(lang: str) -> list[dict]:
    with open(DEV / "dialogues" / f"stc3_{lang}.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def _first_customer_turn(d: dict, lo: int, hi: int) -> tuple[int, str] | None:
    for i, t in enumerate(d["turns"]):
        if t["sender"] == "customer":
            return (i, t["text"]) if lo <= len(t["text"]) <= hi else None
    return None


def sample(kind: str) -> list[dict]:
    items = []
    if kind.startswith("stc3_"):
        used = _used_dialogues()
        translated = {d["id"] for d in _dialogues("en")}
        if kind == "stc3_en":
            pool = [d for d in _dialogues("en") if d["id"] not in used]
            lo, hi = 30, 300
        else:
            pool = [d for d in _dialogues("zh") if d["id"] not in used and d["id"] not in translated]
            lo, hi = 15, 100
        for d in pool:
            found = _first_customer_turn(d, lo, hi)
            if found is None:
                continue
            turn, text = found
            if kind != "stc3_en":
                mixed = bool(_LATIN_RUN.search(_HANDLE_OR_URL.sub("", text)))
                if mixed != (kind == "stc3_mixed"):
                    continue
            lang = {"stc3_zh": "zh", "stc3_mixed": "mixed", "stc3_en": "en"}[kind]
            items.append({"source": f"stc3_{'en' if kind == 'stc3_en' else 'zh'}", "lang": lang,
                          "dialogue_id": d["id"], "turn": turn, "half": _half(d["id"]), "text": text})
        items.sort(key=lambda x: _crc(x["dialogue_id"]))
        return items[: SIZES[kind]]
    if kind == "airline":
        with open(DEV / "en_sentiment" / "airline_tweets.csv", encoding="utf-8-sig", newline="") as f:
            rows = [r for r in csv.DictReader(f) if (r.get("negativereason") or "").strip() in AIRLINE_MAP]
        rows.sort(key=lambda r: _crc(r["tweet_id"]))
        per_half = SIZES["airline"] // 2
        for h in ("tune", "held-out"):
            chosen = [r for r in rows if _half(r["tweet_id"]) == h][:per_half]
            items += [{"source": "airline", "lang": "en", "tweet_id": r["tweet_id"], "half": h,
                       "text": r["text"]} for r in chosen]
        return items
    raise SystemExit(f"unknown sample {kind!r}; choose one of {', '.join(SIZES)}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", choices=sorted(SIZES))
    ap.add_argument("--show", action="store_true", help="include the text (for annotating; never commit it)")
    args = ap.parse_args(argv)
    for item in sample(args.kind):
        if not args.show:
            item = {k: v for k, v in item.items() if k != "text"}
        print(json.dumps(item, ensure_ascii=False))


if __name__ == "__main__":
    main()
