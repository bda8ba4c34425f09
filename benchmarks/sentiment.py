"""Sentiment and frustration benchmark: voc (shipped default) against SnowNLP and VADER, one run.

    .venv/bin/python benchmarks/sentiment.py              # full run (a few minutes, one thread)
    .venv/bin/python benchmarks/sentiment.py --limit 300  # quick look

Reads the development data from ../shared/data/dev (relative to the repository; VOC_DEV_DATA
overrides), never from the repository. Prints one markdown table plus load time, speed and peak
RSS. Columns:
  voc        the shipped default (pipelines/analyze.toml: rules blended with the linear model)
  voc rules  the rule layer alone (backend "rules")
  linear     the shipped linear model alone (no rules)
  SnowNLP / VADER  the packaged baselines, on their own language only
Rows marked "in-domain recipe" are NOT the shipped model: the same recipe (training/train_sentiment.py
fit_rows) trained on that dataset's own train split and tested on its held-out split, i.e. what a
user who fine-tunes on their own labelled feedback can expect.

Binary accuracy uses the sign of the score (score > 0 is positive, anything else negative);
3-way uses the emitted label (neutral when |score| < threshold). Dialogue rows are the ROC AUC of
the maximum customer-turn frustration, dissatisfied (S_mean <= -0.5) vs satisfied (>= 0.5), on all
dialogues and on the odd-numbered half alone (frustration weights are tuned on the even half only).
Emotion rows give recall of anger (and annoyance) at frustration >= --frustration-threshold, and in
brackets the share of positive/neutral texts flagged (false alarms).
"""
from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_v] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from benchmarks import devsets  # noqa: E402

FRUSTRATION_THRESHOLD = 0.4


# ------------------------------------------------------------------ metrics
def accuracy(y, p) -> float:
    y, p = np.asarray(y), np.asarray(p)
    return float((y == p).mean()) if len(y) else float("nan")


def macro_f1(y, p, labels=(-1, 0, 1)) -> float:
    y, p = np.asarray(y), np.asarray(p)
    f1s = []
    for c in labels:
        tp = np.sum((p == c) & (y == c))
        fp = np.sum((p == c) & (y != c))
        fn = np.sum((p != c) & (y == c))
        f1s.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(f1s))


def auc(y, s) -> float:
    """ROC AUC by the rank-sum (Mann-Whitney) formula, ties given average ranks."""
    y, s = np.asarray(y), np.asarray(s, dtype=float)
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s))
    sorted_s = s[order]
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and sorted_s[j + 1] == sorted_s[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    n_pos, n_neg = int(y.sum()), int(len(y) - y.sum())
    if not n_pos or not n_neg:
        return float("nan")
    return float((ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


# ------------------------------------------------------------------ systems
class Voc:
    """An analyzer run over plain texts: (score, label, frustration) per text."""

    def __init__(self, name: str, backend_name: str | None = None, backend=None):
        from voc.analyzer import Analyzer
        from voc.settings import AnalyzerSettings

        settings = AnalyzerSettings.load()
        if backend_name:
            settings.sentiment_backend = backend_name
        self.analyzer = Analyzer(settings, backend=backend)
        self.name = name

    def run(self, texts: list[str], speaker: str | None = None):
        from voc.records import Feedback

        out = self.analyzer.pipe(Feedback(id=str(i), raw_text=t, speaker=speaker) for i, t in enumerate(texts))
        return [(fb.sentiment_score, fb.sentiment_label, fb.frustration) for fb in out]


class ModelOnly:
    def __init__(self, backend, threshold: float):
        self.backend, self.threshold = backend, threshold

    def run(self, texts, speaker=None):
        from voc.stages.sentiment import label_of

        return [(s, label_of(s, self.threshold), max(0.0, -s)) for s in self.backend.predict(texts)]


class SnowNLP:
    lang = "zh"

    def run(self, texts, speaker=None):
        from snownlp import SnowNLP as S

        out = []
        for t in texts:
            p = S(t).sentiments if t.strip() else 0.5
            s = 2 * p - 1
            out.append((s, "positive" if s >= 0.05 else "negative" if s <= -0.05 else "neutral", max(0.0, -s)))
        return out


class Vader:
    lang = "en"

    def __init__(self):
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self.sia = SentimentIntensityAnalyzer()

    def run(self, texts, speaker=None):
        out = []
        for t in texts:
            c = self.sia.polarity_scores(t)["compound"]
            out.append((c, "positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral", max(0.0, -c)))
        return out


# ------------------------------------------------------------------ tasks
def binary(system, rows):
    res = system.run([t for t, _ in rows])
    return accuracy([y for _, y in rows], [1 if s > 0 else 0 for s, _, _ in res])


def three_way(system, rows):
    res = system.run([t for t, _ in rows])
    code = {"negative": -1, "neutral": 0, "positive": 1}
    y, p = [y for _, y in rows], [code[lab] for _, lab, _ in res]
    return macro_f1(y, p), accuracy(y, p)


def dialogue_auc(system, dialogues):
    flat, owner = [], []
    for k, (turns, _) in enumerate(dialogues):
        flat += turns
        owner += [k] * len(turns)
    res = system.run(flat, speaker="customer")
    best = np.zeros(len(dialogues))
    for k, (_, _, f) in zip(owner, res):
        best[k] = max(best[k], f)
    return auc([y for _, y in dialogues], best)


def anger_recall(system, angry: list[str], calm: list[str], threshold: float):
    ra = [f >= threshold for _, _, f in system.run(angry)]
    rc = [f >= threshold for _, _, f in system.run(calm)]
    return float(np.mean(ra)), float(np.mean(rc))


def speed(system, texts: list[str], repeat_to: int = 3000) -> float:
    """Records per second of CPU time of this (single-threaded) process: on a shared machine, wall
    time measures the neighbours; CPU time measures the work."""
    batch = (texts * (repeat_to // max(1, len(texts)) + 1))[:repeat_to]
    system.run(batch[:100])
    t0 = time.process_time()
    system.run(batch)
    return len(batch) / max(1e-9, time.process_time() - t0)


def stage_speed(texts: list[str], repeat_to: int = 3000) -> float:
    """Records per CPU-second of the sentiment + frustration stages alone (model, rule clauses,
    document score, frustration) on texts already cleaned, folded and split (the text layer and the
    taxonomy stages are not counted)."""
    from voc.analyzer import Analyzer
    from voc.records import Feedback
    from voc.stages import frustration, sentiment
    from voc.stages.context import Work
    from voc.text import fold, split_clauses

    a = Analyzer.from_settings()
    texts = (texts * (repeat_to // max(1, len(texts)) + 1))[:repeat_to]
    works = []
    for i, t in enumerate(texts):
        fb = Feedback(id=str(i), raw_text=t)
        fb.text = t
        f = fold(t)
        works.append(Work(fb, f, a.lexicons, split_clauses(t, f)))
    a.backend.predict(texts[:50])
    t0 = time.process_time()
    for w, s in zip(works, a.backend.predict(texts)):
        w.model_score = s
        sentiment.score_clauses(w)
        rule = sentiment.rule_document_score(w)
        frustration.frustration(w, (1 - a.blend) * rule + a.blend * w.model_score)
    return len(texts) / max(1e-9, time.process_time() - t0)


def footprint() -> dict:
    """Load time and peak RSS of the shipped default, measured in a fresh process."""
    code = r"""
import os, sys, time, json
sys.path.insert(0, sys.argv[1])
import numpy
t0, c0 = time.perf_counter(), time.process_time()
from voc.models.linear import LinearSentiment
m = LinearSentiment()
t_model, c_model = time.perf_counter() - t0, time.process_time() - c0
from voc.analyzer import Analyzer
from voc.records import Feedback
t1, c1 = time.perf_counter(), time.process_time()
a = Analyzer.from_settings()
t_analyzer, c_analyzer = time.perf_counter() - t1, time.process_time() - c1
texts = json.loads(sys.stdin.read())
for _ in a.pipe(Feedback(id=str(i), raw_text=t) for i, t in enumerate(texts)):
    pass  # stream, as `voc analyze` does; keeping 20k records would measure the caller, not voc
# VmHWM, not ru_maxrss: ru_maxrss survives exec and would report the (large) benchmark parent.
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
print(json.dumps({"model_load_s": t_model, "model_load_cpu_s": c_model, "analyzer_init_s": t_analyzer,
                  "analyzer_init_cpu_s": c_analyzer, "peak_rss_mb": int(hwm) / 1024, "n": len(texts)}))
"""
    texts = [t for t, _ in devsets.waimai()[1]] + [t for t, _ in devsets.airline()[1]]
    texts = (texts * 4)[:20000]
    env = dict(os.environ)
    out = subprocess.run([sys.executable, "-c", code, str(REPO)], input=json.dumps(texts), text=True,
                         capture_output=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ main
def fmt(x, digits=3):
    if x is None:
        return "n/a"
    if isinstance(x, tuple):
        return f"{x[0]:.{digits}f} ({x[1]:.2f})"
    return f"{x:.{digits}f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="voc sentiment / frustration benchmark")
    ap.add_argument("--limit", type=int, default=0, help="use at most N rows of each set (quick run)")
    ap.add_argument("--frustration-threshold", type=float, default=FRUSTRATION_THRESHOLD)
    ap.add_argument("--no-baselines", action="store_true", help="skip SnowNLP and VADER")
    ap.add_argument("--no-in-domain", action="store_true", help="skip the in-domain recipe rows")
    args = ap.parse_args(argv)
    lim = (lambda rows: rows[: args.limit]) if args.limit else (lambda rows: rows)
    thr = args.frustration_threshold
    t_start = time.perf_counter()

    from voc.models.linear import LinearSentiment
    from voc.settings import AnalyzerSettings

    settings = AnalyzerSettings.load()
    shipped = Voc("voc")
    linear = LinearSentiment()
    systems = {"voc": shipped, "voc rules": Voc("voc rules", "rules"),
               "linear": ModelOnly(linear, settings.sentiment_threshold)}
    if not args.no_baselines:
        systems["SnowNLP"] = SnowNLP()
        systems["VADER"] = Vader()
    cols = list(systems)

    def applies(name, lang):
        s = systems[name]
        return getattr(s, "lang", lang) == lang

    table: list[tuple[str, str, int, dict]] = []

    def add(name, metric, n, lang, fn):
        table.append((name, metric, n, {c: (fn(systems[c]) if applies(c, lang) else None) for c in cols}))
        print(f"  done: {name}", file=sys.stderr)

    wm_train, wm_test = devsets.waimai()
    sh_train, sh_test = devsets.online_shopping()
    al_train, al_test = devsets.airline()
    wm_test, sh_test, al_test = lim(wm_test), lim(sh_test), lim(al_test)
    weibo, sst = lim(devsets.weibo()), lim(devsets.sst2())
    add("zh waimai (held-out 20%)", "accuracy", len(wm_test), "zh", lambda s: binary(s, wm_test))
    add(f"zh online_shopping, held-out category {devsets.HELD_OUT_CATEGORY}", "accuracy", len(sh_test), "zh",
        lambda s: binary(s, sh_test))
    add("zh weibo_senti (all)", "accuracy", len(weibo), "zh", lambda s: binary(s, weibo))
    add("en airline tweets 3-way (held-out 20%)", "macro-F1 (accuracy)", len(al_test), "en",
        lambda s: three_way(s, al_test))
    add("en SST-2 dev", "accuracy", len(sst), "en", lambda s: binary(s, sst))
    for lang in ("zh", "en"):
        dl = lim(devsets.stc3(lang))
        add(f"{lang} STC-3 dialogues: dissatisfied vs satisfied ({sum(y for _, y in dl)} / {sum(1 - y for _, y in dl)})",
            "AUC of max customer frustration", len(dl), lang, lambda s, dl=dl: dialogue_auc(s, dl))
        # Frustration weights may be tuned on the even-numbered dialogues only; the odd-numbered
        # half is the held-out figure.
        held = dl[1::2]
        add(f"{lang} STC-3, held-out half (odd-numbered dialogues; tuning used the even half)",
            "AUC of max customer frustration", len(held), lang, lambda s, held=held: dialogue_auc(s, held))
    go = devsets.goemotions("dev")
    go_angry = lim([t for t, labs in go if labs & devsets.GO_ANGER])
    go_calm = lim([t for t, labs in go if labs and labs <= (devsets.GO_POSITIVE | {"neutral"})])
    add("en GoEmotions dev: anger+annoyance", f"recall at frustration >= {thr} (false alarms)", len(go_angry), "en",
        lambda s: anger_recall(s, go_angry, go_calm, thr))
    smp = devsets.smp2020()
    smp_angry, smp_calm = lim([t for t, y in smp if y == "angry"]), lim([t for t, y in smp if y in ("happy", "neutral")])
    add("zh SMP2020-EWECT: angry", f"recall at frustration >= {thr} (false alarms)", len(smp_angry), "zh",
        lambda s: anger_recall(s, smp_angry, smp_calm, thr))
    clue = devsets.clue_emotion()
    clue_angry, clue_calm = lim([t for t, y in clue if y == "anger"]), lim([t for t, y in clue if y in ("happiness", "like")])
    add("zh CLUE emotion: anger", f"recall at frustration >= {thr} (false alarms)", len(clue_angry), "zh",
        lambda s: anger_recall(s, clue_angry, clue_calm, thr))

    # In-domain recipe rows (not the shipped model).
    recipe_rows = []
    if not args.no_in_domain:
        sys.path.insert(0, str(REPO / "training"))
        from train_sentiment import fit_rows, write_model

        def recipe(train_rows, code):
            fitted = fit_rows([(t, code[y]) for t, y in train_rows])
            path = Path(tempfile.mkdtemp()) / "recipe.npz"
            write_model(path, fitted, name="recipe")
            return Voc("recipe", backend=LinearSentiment(path))

        bin_code, tri_code = {0: 0, 1: 2}, {-1: 0, 0: 1, 1: 2}
        r = recipe(lim(wm_train) if args.limit else wm_train, bin_code)
        recipe_rows.append(("zh waimai (held-out 20%) — in-domain recipe: trained on waimai train 80%", "accuracy",
                            len(wm_test), binary(r, wm_test)))
        r = recipe(sh_train, bin_code)
        recipe_rows.append((f"zh online_shopping {devsets.HELD_OUT_CATEGORY} — in-domain recipe: trained on the other 8 categories",
                            "accuracy", len(sh_test), binary(r, sh_test)))
        r = recipe(al_train, tri_code)
        recipe_rows.append(("en airline 3-way (held-out 20%) — in-domain recipe: trained on airline train 80%",
                            "macro-F1 (accuracy)", len(al_test), three_way(r, al_test)))
        print("  done: in-domain recipes", file=sys.stderr)

    # Speed, one thread.
    zh_texts = [t for t, _ in wm_test][:1000]
    en_texts = [t for t, _ in al_test][:1000]
    forty = [t[:40] for t, _ in devsets.online_shopping()[1] if len(t) >= 40][:1000]
    speeds = {}
    for c in cols:
        speeds[c] = {
            "zh": speed(systems[c], zh_texts, 1000 if c == "SnowNLP" else 3000) if applies(c, "zh") else None,
            "en": speed(systems[c], en_texts) if applies(c, "en") else None,
            "40": speed(systems[c], forty, 1000 if c == "SnowNLP" else 3000) if applies(c, "zh") else None,
        }
    stages = {"zh": stage_speed(zh_texts), "en": stage_speed(en_texts), "40": stage_speed(forty)}
    fp = footprint()

    # ------------------------------------------------------------------ print
    print()
    print(f"voc sentiment benchmark — shipped default: backend={settings.sentiment_backend}, "
          f"blend={settings.sentiment_blend}, threshold={settings.sentiment_threshold}, "
          f"model {linear.model_id}; frustration threshold {thr}; 1 thread"
          + (f"; --limit {args.limit}" if args.limit else ""))
    print()
    print("| dataset | metric | n | " + " | ".join(cols) + " |")
    print("|---|---|---:|" + "---:|" * len(cols))
    for name, metric, n, vals in table:
        print(f"| {name} | {metric} | {n} | " + " | ".join(fmt(vals[c]) for c in cols) + " |")
    for name, metric, n, val in recipe_rows:
        print(f"| {name} | {metric} | {n} | " + fmt(val) + " |" + " |" * (len(cols) - 1))
    mean_len = lambda ts: sum(map(len, ts)) / max(1, len(ts))  # noqa: E731
    for key, label in (("zh", f"records/s, zh waimai (mean {mean_len(zh_texts):.0f} chars)"),
                       ("en", f"records/s, en tweets (mean {mean_len(en_texts):.0f} chars)"),
                       ("40", "records/s, 40-char zh texts")):
        print(f"| {label} | per CPU-second; voc columns = full analyzer | | " + " | ".join(
            "n/a" if speeds[c][key] is None else f"{speeds[c][key]:,.0f}" for c in cols) + " |")
    for key, label in (("zh", "zh waimai"), ("en", "en tweets"), ("40", "40-char zh texts")):
        print(f"| records/s, {label}: sentiment + frustration stages only (model, rules, frustration) | "
              f"per CPU-second | | {stages[key]:,.0f} |" + " |" * (len(cols) - 1))
    print()
    print(f"Shipped default, fresh process: model load {fp['model_load_s'] * 1000:.0f} ms wall / "
          f"{fp['model_load_cpu_s'] * 1000:.0f} ms CPU, analyzer init (lexicons + model) {fp['analyzer_init_s'] * 1000:.0f} ms "
          f"wall / {fp['analyzer_init_cpu_s'] * 1000:.0f} ms CPU, peak RSS (VmHWM) {fp['peak_rss_mb']:.0f} MB after "
          f"streaming {fp['n']} records.")
    print(f"Speeds are records per CPU-second of one thread; machine load average at the end: {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores.")
    print(f"Benchmark wall time {time.perf_counter() - t_start:.0f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
