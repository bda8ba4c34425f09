"""Loaders and fixed splits for the development data in ../shared/data/dev (never the repository).

Every split here is deterministic (seeded), so the benchmark, the training script's de-duplication
and the "in-domain recipe" rows all see the same held-out rows.
"""
from __future__ import annotations

import csv
import json
import os
import random
import re
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEV = Path(os.environ.get("VOC_DEV_DATA", REPO.parent / "shared" / "data" / "dev"))
SEED = 13
HELD_OUT_CATEGORY = "衣服"  # online_shopping category held out (clothing, 10,000 balanced reviews)
GO_POSITIVE = {"admiration", "amusement", "approval", "caring", "desire", "excitement", "gratitude", "joy",
               "love", "optimism", "pride", "relief"}
GO_NEGATIVE = {"anger", "annoyance", "disappointment", "disapproval", "disgust", "embarrassment", "fear",
               "grief", "nervousness", "remorse", "sadness"}
GO_ANGER = {"anger", "annoyance"}


def _csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _split(rows: list, test_frac: float = 0.2, seed: int = SEED) -> tuple[list, list]:
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    n_test = int(round(len(rows) * test_frac))
    test = set(order[:n_test])
    return [r for i, r in enumerate(rows) if i not in test], [r for i, r in enumerate(rows) if i in test]


def _clean(s: str) -> str:
    return (s or "").replace("\ufeff", "").strip()


# ------------------------------------------------------------------ zh sentiment (binary: 1 / 0)
def waimai() -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    rows = [(_clean(r["review"]), int(r["label"])) for r in _csv(DEV / "zh_sentiment" / "waimai_10k.csv")]
    return _split([r for r in rows if r[0]])


def online_shopping(held: str = HELD_OUT_CATEGORY) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    rows = [(r["cat"], _clean(r["review"]), int(r["label"])) for r in _csv(DEV / "zh_sentiment" / "online_shopping_9cats.csv")]
    rows = [r for r in rows if r[1]]
    return [(t, y) for c, t, y in rows if c != held], [(t, y) for c, t, y in rows if c == held]


def weibo() -> list[tuple[str, int]]:
    return [(_clean(r["review"]), int(r["label"])) for r in _csv(DEV / "zh_sentiment" / "weibo_senti_2400.csv")]


# ------------------------------------------------------------------ en sentiment
_THREE = {"negative": -1, "neutral": 0, "positive": 1}


def airline() -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """3-way (-1 / 0 / 1) US airline tweets; fixed 80/20 split (the test part is what we report)."""
    rows = [(_clean(r["text"]), _THREE[r["airline_sentiment"]]) for r in _csv(DEV / "en_sentiment" / "airline_tweets.csv")]
    return _split([r for r in rows if r[0]])


def sst2() -> list[tuple[str, int]]:
    out = []
    with open(DEV / "en_sentiment" / "sst2_dev.tsv", encoding="utf-8") as f:
        next(f)
        for line in f:
            text, _, label = line.rstrip("\n").rpartition("\t")
            out.append((text.strip(), int(label)))
    return out


# ------------------------------------------------------------------ dialogues
def stc3(lang: str) -> list[tuple[list[str], int]]:
    """(customer turns, 1 = dissatisfied (S_mean <= -0.5) / 0 = satisfied (S_mean >= 0.5)); the
    dialogues in between are left out."""
    out = []
    with open(DEV / "dialogues" / f"stc3_{lang}.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            s = d["S_mean"]
            if -0.5 < s < 0.5:
                continue
            turns = [t["text"] for t in d["turns"] if t["sender"] == "customer" and t["text"].strip()]
            if turns:
                out.append((turns, 1 if s <= -0.5 else 0))
    return out


def stc3_texts(lang: str) -> list[str]:
    out = []
    with open(DEV / "dialogues" / f"stc3_{lang}.jsonl", encoding="utf-8") as f:
        for line in f:
            out.extend(t["text"] for t in json.loads(line)["turns"])
    return out


# ------------------------------------------------------------------ emotion
def goemotions_labels() -> list[str]:
    return (DEV / "en_emotion" / "goemotions_labels.txt").read_text(encoding="utf-8").split()


def goemotions(split: str) -> list[tuple[str, set[str]]]:
    names = goemotions_labels()
    out = []
    with open(DEV / "en_emotion" / f"goemotions_{split}.tsv", encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                continue
            out.append((parts[0], {names[int(i)] for i in parts[1].split(",") if i}))
    return out


def smp2020() -> list[tuple[str, str]]:
    data = json.loads((DEV / "zh_emotion" / "smp2020_usual_eval.txt").read_text(encoding="utf-8"))
    return [(d["content"], d["label"]) for d in data]


def clue_emotion() -> list[tuple[str, str]]:
    out = []
    with open(DEV / "zh_emotion" / "clue_emotion_valid.txt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                out.append((d["content"], d["label"]))
    return out


# ------------------------------------------------------------------ de-duplication
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def dedup_key(text: str) -> str:
    """Near-duplicate key: NFKC, lower case, punctuation and spaces removed, first 40 characters."""
    s = _NON_WORD.sub("", unicodedata.normalize("NFKC", text).lower())
    return s[:40]


def evaluation_keys() -> set[str]:
    """Keys of every text in every evaluation set, to keep them out of any shipped training data."""
    texts: list[str] = []
    for part in waimai():
        texts += [t for t, _ in part]
    for part in online_shopping():
        texts += [t for t, _ in part]
    texts += [t for t, _ in weibo()]
    for part in airline():
        texts += [t for t, _ in part]
    texts += [t for t, _ in sst2()]
    texts += stc3_texts("zh") + stc3_texts("en")
    texts += [t for t, _ in goemotions("dev")]
    texts += [t for t, _ in smp2020()] + [t for t, _ in clue_emotion()]
    return {k for k in map(dedup_key, texts) if len(k) >= 4}
