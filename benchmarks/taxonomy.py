"""Taxonomy benchmark: touchpoints, trust pillars, costs and signals against gold labels.

    .venv/bin/python benchmarks/taxonomy.py [--lexicons DIR] [--only labelled|outside|agent|speed]
                                            [--dev-only] [--semantic {embed,pillars,off,ngram}]

Every table says which half it scores: "tune" halves may be looked at while editing lexicons,
"held-out" halves are for the final figures only (--dev-only, alias --tune-only, hides them).

Prints markdown tables:
  1. the project's own labelled set (benchmarks/data/labelled_mixed.jsonl, written and labelled by
     hand; see benchmarks/data/ANNOTATION.md): macro-F1 per group and per-label P/R/F1, separately for
     zh, en and mixed and for the dev and test halves;
  2. outside data read at run time from ../shared/data/dev (never copied into the repository):
     airline tweets' negativereason -> touchpoints, SemEval restaurant aspect categories ->
     touchpoints, each split by a hash of the id into a tune half and a held-out half; STC-3
     customer turns (zh, mixed) with a hand-labelled tune file and a held-out file;
  3. agent behaviour on 60 hand-annotated STC-3 helpdesk turns (referenced by dialogue id);
  4. precision of churn_risk and escalation;
  5. lexicon-pass cost: microseconds per ~40-character record, all groups, one thread.

Scoring: multi-label; per label TP/FP/FN over the sentences of a slice. Pillars are scored on
(id, polarity): a pillar found with the wrong polarity is one FP and one FN. Macro-F1 averages the
labels that occur in the slice's gold or predictions (a label predicted but absent from gold
counts with F1 = 0). Outside data only annotates some labels, so predictions are restricted to the
labels the mapping can produce.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import time
import zlib
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DEV = Path(os.environ.get("VOC_DEV_DATA", REPO.parent / "shared" / "data" / "dev"))
DATA = REPO / "benchmarks" / "data"
GROUPS = ("touchpoints", "pillars", "costs", "signals")
LANGS = ("zh", "en", "mixed")
SPLITS = ("dev", "test")  # --dev-only hides the test half while tuning
HALVES = ("tune", "held-out")  # outside data; --dev-only hides the held-out half
SHOW = {"dev": "tune (dev)", "test": "held-out (test)", "all": "all"}

AIRLINE_MAP = {  # ../shared/data/README.md
    "Late Flight": "delivery", "Cancelled Flight": "delivery", "longlines": "delivery",
    "Customer Service Issue": "support", "Flight Booking Problems": "purchase",
    "Lost Luggage": "delivery", "Damaged Luggage": "delivery", "Bad Flight": "product",
    "Flight Attendant Complaints": "support",
}
AIRLINE_JOURNEY_MAP = {  # the same tweets against lexicons/journeys/airline
    "Late Flight": "delay_disruption", "Cancelled Flight": "delay_disruption", "longlines": "check_in",
    "Customer Service Issue": "customer_service", "Flight Booking Problems": "booking",
    "Lost Luggage": "baggage", "Damaged Luggage": "baggage", "Bad Flight": "inflight",
    "Flight Attendant Complaints": "inflight",
}
AGENT_LABELS = ("apologises", "acknowledges", "gives_time", "takes_ownership", "blame_shifting",
                "scripted_non_answer")


# ----------------------------------------------------------------------------- scoring
class Scores:
    def __init__(self):
        self.tp, self.fp, self.fn = defaultdict(int), defaultdict(int), defaultdict(int)
        self.n = 0

    def add(self, gold: set, pred: set, key=lambda x: x):
        self.n += 1
        for x in pred & gold:
            self.tp[key(x)] += 1
        for x in pred - gold:
            self.fp[key(x)] += 1
        for x in gold - pred:
            self.fn[key(x)] += 1

    def labels(self):
        return sorted(set(self.tp) | set(self.fp) | set(self.fn))

    def prf(self, label):
        tp, fp, fn = self.tp.get(label, 0), self.fp.get(label, 0), self.fn.get(label, 0)
        p = tp / (tp + fp) if tp + fp else float("nan")
        r = tp / (tp + fn) if tp + fn else float("nan")
        f = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
        return p, r, f, tp + fn

    def macro(self):
        fs = [self.prf(lab)[2] for lab in self.labels()]
        return sum(fs) / len(fs) if fs else float("nan")

    def micro(self):
        tp, fp, fn = (sum(d.values()) for d in (self.tp, self.fp, self.fn))
        return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")


def fmt(x, digits=2):
    return "–" if x != x else f"{x:.{digits}f}"


def table(header: list[str], rows: list[list]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def pillar_key(x):
    return x[0]


# ----------------------------------------------------------------------------- analyzer
def make_analyzer(lexicons: str | None, backend: str | None = None, semantic: str = "embed"):
    """The analyzer as `voc analyze` builds it (semantic "embed": its default second passes; "off":
    lexicons only; "pillars": the opt-in pillar pass on as well); if the configured sentiment backend cannot load, fall back to
    the rule layer (taxonomy labels do not depend on the model score, except for touchpoint
    sentiment, which is not scored here)."""
    from voc.analyzer import Analyzer
    from voc.errors import VocError

    extra = {"embed": {}, "ngram": {"semantic_touchpoints": False},
             "off": {"semantic_touchpoints": False, "semantic_pillars": False},
             "pillars": {"semantic_touchpoints": True, "semantic_pillars": True}}[semantic]
    try:
        return Analyzer.from_settings(lexicons=lexicons, sentiment_backend=backend, **extra)
    except VocError as exc:
        print(f"(sentiment backend unavailable: {exc}; using rules)", file=sys.stderr)
        return Analyzer.from_settings(lexicons=lexicons, sentiment_backend="rules", **extra)


def predict(analyzer, texts: list[str], speaker: str | None = None, semantic=None):
    from voc.records import Feedback

    recs = [Feedback(id=str(i), raw_text=t, speaker=speaker) for i, t in enumerate(texts)]
    out = list(analyzer.pipe(recs))
    if semantic is not None:  # the older n-gram pass (voc.stages.semantic), applied from outside
        for fb in out:
            semantic.augment(fb)
    return out


def labels_of(fb) -> dict[str, set]:
    return {
        "touchpoints": {x.id for x in fb.touchpoints},
        "pillars": {(x.id, x.polarity) for x in fb.pillars},
        "costs": {x.id for x in fb.costs},
        "signals": {x.id for x in fb.signals},
    }


def gold_of(rec: dict) -> dict[str, set]:
    return {
        "touchpoints": set(rec["touchpoints"]),
        "pillars": {(p["id"], p["polarity"]) for p in rec["pillars"]},
        "costs": set(rec["costs"]),
        "signals": set(rec["signals"]),
    }


# ----------------------------------------------------------------------------- 1. own set
def bench_labelled(analyzer, semantic=None) -> dict:
    recs = [json.loads(line) for line in open(DATA / "labelled_mixed.jsonl", encoding="utf-8")]
    fbs = predict(analyzer, [r["text"] for r in recs], semantic=semantic)
    scores = {(lang, split, g): Scores() for lang in LANGS for split in ("dev", "test") for g in GROUPS}
    for rec, fb in zip(recs, fbs):
        gold, pred = gold_of(rec), labels_of(fb)
        for g in GROUPS:
            scores[(rec["lang"], rec["split"], g)].add(gold[g], pred[g], pillar_key if g == "pillars" else (lambda x: x))
    print("## 1. Own labelled set (benchmarks/data/labelled_mixed.jsonl)\n")
    print("Macro-F1 per group (pillars scored on id + polarity); n = sentences.\n")
    rows = []
    for lang in LANGS:
        for split in SPLITS:
            s = [scores[(lang, split, g)] for g in GROUPS]
            rows.append([lang, SHOW[split], s[0].n] + [fmt(x.macro()) for x in s] + [fmt(s[0].micro()), fmt(s[1].micro())])
    print(table(["lang", "split", "n", "touchpoints", "pillars", "costs", "signals", "tp micro-F1", "pillars micro-F1"], rows))
    for g in GROUPS:
        for split in SPLITS:
            print(f"\n**{g}, {SHOW[split]} half**: P / R / F1 (gold support)\n")
            labs = sorted(set().union(*(scores[(lang, split, g)].labels() for lang in LANGS)))
            rows = []
            for lab in labs:
                row = [lab]
                for lang in LANGS:
                    p, r, f, n = scores[(lang, split, g)].prf(lab)
                    row.append(f"{fmt(p)} / {fmt(r)} / {fmt(f)} ({n})")
                rows.append(row)
            print(table([g] + list(LANGS), rows))
    return {"fbs": fbs, "recs": recs, "scores": scores}


# ----------------------------------------------------------------------------- 2. outside data
def half(key: str) -> str:
    return "tune" if zlib.crc32(key.encode()) % 2 == 0 else "held-out"


def airline_rows() -> list[tuple[str, str, set]]:
    rows = []
    with open(DEV / "en_sentiment" / "airline_tweets.csv", encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            reason = (r.get("negativereason") or "").strip()
            if reason in AIRLINE_MAP:
                rows.append((r["tweet_id"], r["text"], {AIRLINE_MAP[reason]}))
    return rows


def semeval_rows() -> dict[str, list[tuple[str, str, set]]]:
    from defusedxml import ElementTree as ET

    def cat_new(c: str) -> str | None:
        ent, _, attr = c.partition("#")
        if ent == "SERVICE":
            return "support"
        if attr == "PRICES":
            return "billing"
        if ent in ("FOOD", "DRINKS", "AMBIENCE"):
            return "product"
        return None

    def cat_old(c: str) -> str | None:
        return {"service": "support", "price": "billing", "food": "product", "ambience": "product"}.get(c)

    out: dict[str, list] = {"2015-16": [], "2014": []}
    seen: set[str] = set()
    for name in ("SemEval2016_Restaurants_Train_SB1_v2.xml", "SemEval2015_Restaurants_Test.xml"):
        root = ET.parse(DEV / "aspects" / name).getroot()
        for s in root.iter("sentence"):
            text = (s.findtext("text") or "").strip()
            if not text or text in seen:
                continue
            seen.add(text)
            gold = {m for o in s.iter("Opinion") if (m := cat_new(o.get("category", "")))}
            out["2015-16"].append((s.get("id"), text, gold))
    root = ET.parse(DEV / "aspects" / "SemEval2014_Restaurants_Train_v2.xml").getroot()
    for s in root.iter("sentence"):
        text = (s.findtext("text") or "").strip()
        if not text or text in seen:
            continue
        gold = {m for c in s.iter("aspectCategory") if (m := cat_old(c.get("category", "")))}
        out["2014"].append((s.get("id"), text, gold))
    return out


def score_outside(analyzer, name: str, rows, allowed: set[str], semantic=None, split=True):
    fbs = predict(analyzer, [t for _, t, _ in rows], semantic=semantic)
    by_half: dict[str, Scores] = defaultdict(Scores)
    for (rid, _, gold), fb in zip(rows, fbs):
        pred = {x.id for x in fb.touchpoints} & allowed
        by_half[half(rid) if split else "held-out"].add(gold, pred)
    return by_half


def bench_outside(analyzer, semantic=None):
    print("\n## 2. Outside data: touchpoints (../shared/data/dev, read at run time)\n")
    print("Predictions restricted to the labels each mapping can produce. Halves by crc32(id) parity.\n")
    results = []
    air = airline_rows()
    res = score_outside(analyzer, "airline", air, set(AIRLINE_MAP.values()), semantic)
    results.append(("airline tweets (negativereason)", res))
    sem = semeval_rows()
    journey = REPO / "lexicons" / "journeys" / "airline"
    if journey.is_dir():
        j_an = make_analyzer(str(journey), semantic="off")
        j_rows = []
        with open(DEV / "en_sentiment" / "airline_tweets.csv", encoding="utf-8-sig", newline="") as f:
            for r in csv.DictReader(f):
                reason = (r.get("negativereason") or "").strip()
                if reason in AIRLINE_JOURNEY_MAP:
                    j_rows.append((r["tweet_id"], r["text"], {AIRLINE_JOURNEY_MAP[reason]}))
        res = score_outside(j_an, "airline-journey", j_rows, set(AIRLINE_JOURNEY_MAP.values()))
        results.append(("airline tweets, airline journey lexicons", res))
    res = score_outside(analyzer, "semeval", sem["2015-16"], {"support", "billing", "product"}, semantic)
    results.append(("SemEval-2015/16 restaurants", res))
    res = score_outside(analyzer, "semeval14", sem["2014"], {"support", "billing", "product"}, semantic, split=False)
    results.append(("SemEval-2014 restaurants (other scheme)", res))
    rows = []
    for name, res in results:
        for h in HALVES:
            if h not in res:
                continue
            s = res[h]
            per = ", ".join(f"{lab} {fmt(s.prf(lab)[2])}" for lab in s.labels())
            rows.append([name, h, s.n, fmt(s.macro()), fmt(s.micro()), per])
    print(table(["dataset", "half", "n", "macro-F1", "micro-F1", "per-label F1"], rows))
    shown = HALVES[-1]
    print(f"\nPer-label P / R on the {shown} halves:\n")
    rows = []
    for name, res in results:
        if shown not in res:
            continue
        s = res[shown]
        for lab in s.labels():
            p, r, f, n = s.prf(lab)
            rows.append([name, lab, n, fmt(p), fmt(r), fmt(f)])
    print(table(["dataset", "label", "gold", "P", "R", "F1"], rows))


def bench_stc3_customers(analyzer, semantic=None, halves=("tune", "held-out")):
    """zh and mixed outside data: STC-3 customer turns (Weibo complaints to telecom, phone, software
    and travel helpdesks), touchpoints and pillars labelled by hand, by reference. Two disjoint
    files: the tune set (stc3_customer_tune.jsonl, may be inspected while tuning) and the held-out
    set (stc3_customer_turns.jsonl, only scored, in full runs)."""
    files = {"tune": "stc3_customer_tune.jsonl", "held-out": "stc3_customer_turns.jsonl"}
    dialogues = {}
    with open(DEV / "dialogues" / "stc3_zh.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            dialogues[d["id"]] = d
    print("\n**STC-3 customer turns (zh and mixed outside data, hand-labelled; tune = "
          "benchmarks/data/stc3_customer_tune.jsonl, held-out = benchmarks/data/stc3_customer_turns.jsonl)**\n")
    rows = []
    for h in halves:
        path = DATA / files[h]
        if not path.exists():
            continue
        ann = [json.loads(line) for line in open(path, encoding="utf-8")]
        texts = [dialogues[a["dialogue_id"]]["turns"][a["turn"]]["text"] for a in ann]
        fbs = predict(analyzer, texts, semantic=semantic)
        scores = {(lang, g): Scores() for lang in ("zh", "mixed") for g in ("touchpoints", "pillars")}
        for a, fb in zip(ann, fbs):
            pred = labels_of(fb)
            scores[(a["lang"], "touchpoints")].add(set(a["touchpoints"]), pred["touchpoints"])
            scores[(a["lang"], "pillars")].add({(p["id"], p["polarity"]) for p in a["pillars"]}, pred["pillars"], pillar_key)
        for lang in ("zh", "mixed"):
            for g in ("touchpoints", "pillars"):
                s = scores[(lang, g)]
                per = ", ".join(f"{lab} {fmt(s.prf(lab)[2])}" for lab in s.labels())
                rows.append([h, lang, g, s.n, fmt(s.macro()), fmt(s.micro()), per])
    print(table(["half", "lang", "group", "n", "macro-F1", "micro-F1", "per-label F1"], rows))


def _outside_texts() -> dict[tuple, str]:
    """(source, id, turn) -> text for every STC-3 turn and airline tweet (read at run time)."""
    texts: dict[tuple, str] = {}
    for lang in ("zh", "en"):
        with open(DEV / "dialogues" / f"stc3_{lang}.jsonl", encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                for i, t in enumerate(d["turns"]):
                    texts[(f"stc3_{lang}", d["id"], i)] = t["text"]
    with open(DEV / "en_sentiment" / "airline_tweets.csv", encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            texts.setdefault(("airline", r["tweet_id"], 0), r["text"])
    return texts


def outside_labelled_items() -> list[dict]:
    """Every hand-labelled outside item, one per reference: the second round
    (benchmarks/data/outside_*.jsonl: STC-3 zh / mixed / en customer turns and airline tweets, all
    labelled multi-label with touchpoints, pillars and signals; the sample rule is
    benchmarks/annotation_sample.py) and the first round of STC-3 customer turns (touchpoints and
    pillars). A tweet that occurs twice in the airline file is scored once."""
    items, seen = [], set()
    rounds = [(DATA / "stc3_customer_tune.jsonl", "STC-3 round 1", "tune"),
              (DATA / "stc3_customer_turns.jsonl", "STC-3 round 1", "held-out")]
    rounds += [(path, None, None) for path in sorted(DATA.glob("outside_*.jsonl"))]
    for path, name, half_ in rounds:
        for line in open(path, encoding="utf-8"):
            a = json.loads(line)
            source = a.get("source", "stc3_zh")
            ref = (source, a.get("tweet_id") or a["dialogue_id"], a.get("turn", 0))
            if ref in seen:
                continue
            seen.add(ref)
            items.append({"ref": ref, "lang": a["lang"], "half": half_ or a["half"],
                          "set": name or ("airline tweets" if source == "airline" else "STC-3 round 2"),
                          "touchpoints": set(a["touchpoints"]),
                          "pillars": {(x["id"], x["polarity"]) for x in a["pillars"]},
                          "signals": set(a["signals"]) if "signals" in a else None})
    return items


def bench_outside_labelled(analyzer, semantic=None, halves=HALVES):
    """Outside data labelled by the project, every group multi-label: per language (the target is
    stated per language), per set, and per label on the held-out half."""
    texts = _outside_texts()
    items = [it for it in outside_labelled_items() if it["half"] in halves]
    fbs = predict(analyzer, [texts[it["ref"]] for it in items], semantic=semantic)
    groups = ("touchpoints", "pillars", "signals")
    pooled: dict[tuple, Scores] = defaultdict(Scores)
    by_set: dict[tuple, Scores] = defaultdict(Scores)
    for it, fb in zip(items, fbs):
        pred = labels_of(fb)
        for g in groups:
            if it[g] is None:
                continue
            key = pillar_key if g == "pillars" else (lambda x: x)
            pooled[(it["lang"], it["half"], g)].add(it[g], pred[g], key)
            by_set[(it["set"], it["lang"], it["half"], g)].add(it[g], pred[g], key)
    print("\n## 2b. Outside data labelled multi-label by the project, per language\n")
    print("STC-3 customer turns (zh, mixed = zh with Latin words, en = the STC-3 English translation of "
          "other dialogues) and airline tweets (en), every label the text supports (ANNOTATION.md), "
          "labelled before voc was run on them. Pillars scored on id + polarity; signals are not "
          "labelled in STC-3 round 1.\n")
    rows = []
    for lang in ("zh", "mixed", "en"):
        for h in halves:
            s = [pooled[(lang, h, g)] for g in groups]
            if not s[0].n:
                continue
            rows.append([lang, h, s[0].n, fmt(s[0].macro()), fmt(s[1].macro()), fmt(s[2].macro()),
                         fmt(s[0].micro()), fmt(s[1].micro())])
    print(table(["lang", "half", "n", "touchpoints macro-F1", "pillars macro-F1", "signals macro-F1",
                 "tp micro-F1", "pillars micro-F1"], rows))
    print("\nBy set:\n")
    rows = []
    for (name, lang, h, g), sc in sorted(by_set.items()):
        if g == "touchpoints":
            pil = by_set.get((name, lang, h, "pillars"))
            rows.append([name, lang, h, sc.n, fmt(sc.macro()), fmt(pil.macro()) if pil else "–"])
    print(table(["set", "lang", "half", "n", "touchpoints macro-F1", "pillars macro-F1"], rows))
    print("\nchurn_risk and escalation on these sets (signals labelled in round 2 only):\n")
    rows = []
    for sig in ("churn_risk", "escalation"):
        for h in halves:
            tp = fp = fn = 0
            for it, fb in zip(items, fbs):
                if it["half"] != h or it["signals"] is None:
                    continue
                g, p_ = sig in it["signals"], sig in {x.id for x in fb.signals}
                tp, fp, fn = tp + (g and p_), fp + (p_ and not g), fn + (g and not p_)
            rows.append([sig, h, tp + fp, tp + fn, fmt(tp / (tp + fp) if tp + fp else float("nan")),
                         fmt(tp / (tp + fn) if tp + fn else float("nan"))])
    print(table(["signal", "half", "predicted", "gold", "precision", "recall"], rows))
    shown = halves[-1]
    print(f"\nPer label, {shown} half: P / R / F1 (gold support)\n")
    for g in ("touchpoints", "pillars"):
        labs = sorted(set().union(*(pooled[(lang, shown, g)].labels() for lang in ("zh", "mixed", "en"))))
        rows = []
        for lab in labs:
            row = [lab]
            for lang in ("zh", "mixed", "en"):
                p_, r_, f_, n_ = pooled[(lang, shown, g)].prf(lab)
                row.append(f"{fmt(p_)} / {fmt(r_)} / {fmt(f_)} ({n_})")
            rows.append(row)
        print(table([g, "zh", "mixed", "en"], rows) + "\n")


# ----------------------------------------------------------------------------- 3. agent turns
def bench_agent(analyzer):
    ann = [json.loads(line) for line in open(DATA / "stc3_agent_turns.jsonl", encoding="utf-8")]
    dialogues = {}
    for lang in ("zh", "en"):
        with open(DEV / "dialogues" / f"stc3_{lang}.jsonl", encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                dialogues[(lang, d["id"])] = d
    texts = [dialogues[(a["lang"], a["dialogue_id"])]["turns"][a["turn"]]["text"] for a in ann]
    fbs = predict(analyzer, texts, speaker="agent")
    scores = {lang: Scores() for lang in ("zh", "en")}
    for a, fb in zip(ann, fbs):
        pred = {c["cue"] for c in fb.cues if c["group"] == "agent"}
        scores[a["lang"]].add(set(a["labels"]), pred)
    print("\n## 3. Agent behaviour on 60 hand-annotated STC-3 helpdesk turns (30 zh, 30 en)\n")
    rows = []
    for lab in AGENT_LABELS:
        row = [lab]
        for lang in ("zh", "en"):
            p, r, f, n = scores[lang].prf(lab)
            row.append(f"{fmt(p)} / {fmt(r)} / {fmt(f)} ({n})")
        rows.append(row)
    rows.append(["macro-F1", fmt(scores["zh"].macro()), fmt(scores["en"].macro())])
    print(table(["label: P / R / F1 (gold)", "zh", "en"], rows))


# ----------------------------------------------------------------------------- 4. signals
def bench_signals(lab: dict):
    print("\n## 4. Signal precision (own labelled set)\n")
    rows = []
    for sig in ("churn_risk", "escalation", "repeat_contact", "advocacy"):
        for split in (SPLITS + ("all",) if len(SPLITS) > 1 else SPLITS):
            tp = fp = fn = 0
            for rec, fb in zip(lab["recs"], lab["fbs"]):
                if split != "all" and rec["split"] != split:
                    continue
                g, p = sig in rec["signals"], sig in {x.id for x in fb.signals}
                tp += g and p
                fp += p and not g
                fn += g and not p
            prec = tp / (tp + fp) if tp + fp else float("nan")
            rec_ = tp / (tp + fn) if tp + fn else float("nan")
            rows.append([sig, SHOW[split], tp + fp, tp + fn, fmt(prec), fmt(rec_)])
    print(table(["signal", "split", "predicted", "gold", "precision", "recall"], rows))


def bench_signal_check(analyzer):
    """Outside precision of churn_risk / escalation: 32 + 32 predictions drawn at random from voc's
    output on airline tweets and STC-3 customer turns, each judged correct or not by hand
    (benchmarks/data/signal_precision_check.jsonl; see ANNOTATION.md). Precision is computed over
    the judged items voc still predicts today; items it no longer predicts are counted apart."""
    path = DATA / "signal_precision_check.jsonl"
    if not path.exists():
        return
    judged = [json.loads(line) for line in open(path, encoding="utf-8")]
    texts = _outside_texts()
    items = [j for j in judged if (j["source"], j["id"], j["turn"]) in texts]
    fbs = predict(analyzer, [texts[(j["source"], j["id"], j["turn"])] for j in items])
    print("\n**Outside precision check** (airline tweets + STC-3 customer turns; random predictions judged by hand)\n")
    rows = []
    for sig in ("churn_risk", "escalation"):
        sel = [(j, fb) for j, fb in zip(items, fbs) if j["signal"] == sig]
        judged_ok = sum(j["correct"] for j, _ in sel)
        still = [(j, fb) for j, fb in sel if sig in {x.id for x in fb.signals}]
        ok_now = sum(j["correct"] for j, _ in still)
        rows.append([sig, len(sel), fmt(judged_ok / len(sel) if sel else float("nan")), len(still),
                     fmt(ok_now / len(still) if still else float("nan"))])
    print(table(["signal", "judged", "precision when judged", "still predicted now", "precision now (of those)"], rows))


# ----------------------------------------------------------------------------- 5. speed
def bench_speed(analyzer):
    from voc.text import fold

    texts = []
    with open(DEV / "zh_sentiment" / "waimai_10k.csv", encoding="utf-8-sig", newline="") as f:
        for i, r in enumerate(csv.DictReader(f)):
            if i % 6 == 0 and len(r["review"]) >= 30:
                texts.append(r["review"][:40])
    with open(DEV / "en_sentiment" / "airline_tweets.csv", encoding="utf-8-sig", newline="") as f:
        for i, r in enumerate(csv.DictReader(f)):
            if i % 7 == 0:
                texts.append(r["text"].split(" ", 1)[-1][:40])
    folded = [fold(t) for t in texts]
    lex = analyzer.lexicons
    groups = list(lex.groups)
    engine = lex._engine  # the matcher behind LexiconSet.match (voc.matching.LexiconMatcher)
    for t in folded[:200]:  # warm-up (pattern alternations are compiled on first use)
        engine.match_all(t)
    # CPU time of this process (time.process_time), so other busy processes on the machine do not
    # inflate the figure as much as wall time would; best of 5 runs. Every group of the lexicon set
    # is matched (what the analyzer reads through LexiconSet.match), without the per-text cache.
    runs = []
    for _ in range(5):
        t0 = time.process_time()
        for t in folded:
            engine.match_all(t)
        runs.append((time.process_time() - t0) / len(folded) * 1e6)
    zh = [t for t in folded if not t.isascii()]
    en = [t for t in folded if t.isascii()]
    per_lang = []
    for subset in (zh, en):
        best = float("inf")
        for _ in range(5):
            t0 = time.process_time()
            for t in subset:
                engine.match_all(t)
            best = min(best, (time.process_time() - t0) / max(1, len(subset)) * 1e6)
        per_lang.append(best)
    n_hits = statistics.mean(sum(len(v) for v in engine.match_all(t).values()) for t in folded)
    print("\n## 5. Lexicon-pass cost (single thread)\n")
    print(table(["records", "mean chars", "groups", "cues", "hits per record", "all groups µs per record",
                 "zh records µs", "en records µs"],
                [[len(folded), fmt(statistics.mean(len(t) for t in folded), 1), len(groups),
                  sum(lex.groups[g].matcher.size for g in groups), fmt(n_hits, 1), fmt(min(runs), 1),
                  fmt(per_lang[0], 1), fmt(per_lang[1], 1)]]))
    print("\nµs per record, CPU time of this process (time.process_time), best of 5 runs, one thread.")
    print("\nCues per group: " + ", ".join(f"{g} {lex.groups[g].matcher.size}" for g in groups))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lexicons", default=None)
    ap.add_argument("--backend", default=None, help="sentiment backend (default: the pipeline's)")
    ap.add_argument("--only", default=None, choices=["labelled", "airline", "semeval", "outside", "agent", "speed"])
    ap.add_argument("--dev-only", "--tune-only", action="store_true",
                    help="hide the test / held-out halves (used while tuning the lexicons): only the tune halves are scored")
    ap.add_argument("--semantic", default="embed", choices=["embed", "pillars", "off", "ngram"],
                    help="second passes: embed = what `voc analyze` does by default (the analyzer's "
                         "voc.stages.semantic_embed touchpoint pass: records without a lexicon touchpoint), "
                         "pillars = also the opt-in pillar pass, off = lexicons only, ngram = lexicons + the older voc.stages.semantic n-gram touchpoint "
                         "pass (clauses without a touchpoint)")
    args = ap.parse_args(argv)
    global SPLITS, HALVES
    if args.dev_only:
        SPLITS, HALVES = ("dev",), ("tune",)
    analyzer = make_analyzer(args.lexicons, args.backend, semantic=args.semantic)
    semantic = None
    if args.semantic == "ngram":
        from voc.stages import semantic as semantic_mod

        semantic = semantic_mod.SemanticPass.load()
    passes = {"embed": "lexicons + the embedding touchpoint pass (the default)",
              "pillars": "lexicons + embedding passes for touchpoints and pillars (opt-in)",
              "off": "lexicons only", "ngram": "lexicons + n-gram touchpoint pass"}
    print(f"# Taxonomy benchmark (lexicons {analyzer.lexicons.root.name}, hash {analyzer.lexicons.hash}; "
          f"{passes[args.semantic]})\n")
    lab = None
    if args.only in (None, "labelled"):
        lab = bench_labelled(analyzer, semantic)
    if args.only in (None, "outside", "airline", "semeval"):
        bench_outside(analyzer, semantic)
        bench_stc3_customers(analyzer, semantic, ("tune",) if args.dev_only else ("tune", "held-out"))
        bench_outside_labelled(analyzer, semantic, HALVES)
    if args.only in (None, "agent"):
        bench_agent(analyzer)
    if lab is not None:
        bench_signals(lab)
        if not args.dev_only:
            bench_signal_check(analyzer)
    if args.only in (None, "speed"):
        bench_speed(analyzer)


if __name__ == "__main__":
    main()
