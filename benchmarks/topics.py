"""Topic discovery benchmark: quality against gold categories, stability, speed and memory.

    OMP_NUM_THREADS=1 nice .venv/bin/python benchmarks/topics.py            # everything
    .venv/bin/python benchmarks/topics.py --quick                           # quality, static only

Quality: NMI / ARI of the topic ids against gold categories, with "other" (-1) counted as one more
cluster (so outliers cost score), on
  - banking77 (../shared/data/dev/topics/banking77_train.csv: 10,003 en questions, 77 intents);
  - online_shopping_9cats (../shared/data/dev/zh_sentiment): 400 reviews per category, seeded
    sample, 9 product categories (书籍 平板 手机 水果 洗发水 热水器 蒙牛 衣服 计算机);
for the shipped static embedder and for its teacher (USE multilingual v3), with the same pipeline
(flat: no touchpoint scopes; defaults: min_topic_size 10, seed 0).
Stability: refit on a corpus sharing 90% of its records (same seed, the first model as `previous`)
keeps the same id for what share of the shared records; on both sets.
Scale: fit + assign on 10k / 50k / 100k records resampled from both sets (each in a fresh process,
peak RSS = VmHWM), and assignment of 1M records with the 100k model; wall and CPU seconds (the
machine is shared: CPU seconds are the comparable figure). Times start after the texts
and their languages are in memory (reading and analysing records is not the topic stage's cost). Resampled Chinese
texts get one character changed so the embedder's per-run cache cannot serve them for free.
Data are read at run time from ../shared/data/dev; nothing is copied into the repository.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
DEV = REPO.parent / "shared" / "data" / "dev"


# ------------------------------------------------------------------ data
def banking77() -> tuple[list[str], list[str]]:
    with open(DEV / "topics" / "banking77_train.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [r["text"] for r in rows], [r["category"] for r in rows]


def zh_shopping(per: int = 400, seed: int = 0) -> tuple[list[str], list[str]]:
    by: dict[str, list[str]] = {}
    with open(DEV / "zh_sentiment" / "online_shopping_9cats.csv", encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            t = (r["review"] or "").strip().lstrip("\ufeff")
            if t:
                by.setdefault(r["cat"], []).append(t)
    rng = random.Random(seed)
    texts, gold = [], []
    for cat in sorted(by):
        xs = sorted(set(by[cat]))
        rng.shuffle(xs)
        texts += xs[:per]
        gold += [cat] * len(xs[:per])
    return texts, gold


def langs_of(texts: list[str]) -> list[str]:
    from voc.text import detect_lang

    return [detect_lang(t) for t in texts]


# ------------------------------------------------------------------ quality
def quality(name: str, texts: list[str], gold: list[str], embedder: str) -> dict:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from voc.topics import ClusterParams, fit_topic_model
    from voc.topics.embed import get_embedder

    emb = get_embedder(embedder)
    langs = langs_of(texts)
    t0 = time.perf_counter()
    vec = emb.encode(texts)
    embed_s = time.perf_counter() - t0
    cache = _Cached(emb, texts, vec)
    t0, c0 = time.perf_counter(), time.process_time()
    _, res = fit_topic_model(texts, langs, embedder=cache, params=ClusterParams(), seed=0)
    fit_s, fit_cpu = time.perf_counter() - t0, time.process_time() - c0
    ids = res.ids
    return {"set": name, "embedder": embedder, "n": len(texts), "topics": len(set(ids.tolist()) - {-1}),
            "nmi": normalized_mutual_info_score(gold, ids), "ari": adjusted_rand_score(gold, ids),
            "outliers": float((ids == -1).mean()), "embed_per_s": len(texts) / embed_s, "cluster_s": fit_s,
            "cluster_cpu": fit_cpu}


class _Cached:
    """The embedder with this set's vectors precomputed (so cluster time is measured apart)."""

    def __init__(self, emb, texts, vec):
        self.dim, self.model_id = emb.dim, emb.model_id
        self._emb = emb
        self._pos = {t: i for i, t in enumerate(texts)}
        self._vec = vec

    def encode(self, texts):
        idx = [self._pos.get(t) for t in texts]
        if all(i is not None for i in idx):
            return self._vec[idx]
        return self._emb.encode(texts)


def stability(texts: list[str], seed: int = 0, params=None) -> dict:
    """Fit on A, refit on B (90% of B is in A) with A's model: share of shared records on the same id;
    plus a save/load round trip of A's model (share of records assigned identically)."""
    import tempfile

    from voc.topics import TopicModel, assign_vectors, fit_topic_model

    rng = np.random.default_rng(seed)
    n = len(texts)
    perm = rng.permutation(n)
    a_idx = np.sort(perm[: int(0.9 * n)])
    drop = set(rng.choice(a_idx, size=int(0.1 * len(a_idx)), replace=False).tolist())
    b_idx = np.sort(np.array([i for i in a_idx if i not in drop] + perm[int(0.9 * n):].tolist()))
    ta, tb = [texts[i] for i in a_idx], [texts[i] for i in b_idx]
    model_a, ra = fit_topic_model(ta, langs_of(ta), seed=seed, params=params)
    with tempfile.TemporaryDirectory() as d:
        model_a.save(d)
        again = assign_vectors(TopicModel.load(d), ta, langs_of(ta), None)
    model_b, rb = fit_topic_model(tb, langs_of(tb), seed=seed, previous=model_a, params=params)
    pos_a = {int(i): k for k, i in enumerate(a_idx)}
    shared = [(pos_a[int(i)], k) for k, i in enumerate(b_idx) if int(i) in pos_a]
    same = np.mean([ra.ids[x] == rb.ids[y] for x, y in shared])
    same_again = np.mean(ra.ids == again.ids)
    return {"refit_same_id": float(same), "shared": len(shared), "roundtrip_same_id": float(same_again),
            "topics_a": len(model_a.topics), "topics_b": len(model_b.topics),
            "kept_ids": sum(1 for t in model_b.topics if t.parent is not None)}


# ------------------------------------------------------------------ scale
def synthetic(n: int, seed: int = 0) -> list[str]:
    en, _ = banking77()
    zh, _ = zh_shopping(per=5000)
    pool = en + zh
    chars = [c for c in "的一是不了人我在有他这中大来上个国到说们为子和你地出会也时要就可下对生能而" \
             "好很买用货快质量服务价格东西物流速度包装颜色味道屏幕电池系统客服卖家收到发货"]
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        t = rng.choice(pool)
        han = [i for i, c in enumerate(t) if "\u4e00" <= c <= "\u9fff"]
        if han:
            i = rng.choice(han)
            t = t[:i] + rng.choice(chars) + t[i + 1:]
        out.append(t)
    return out


def scale_one(n: int, model_dir: str | None, assign_n: int | None) -> dict:
    from voc.topics import ClusterParams, TopicModel, assign_vectors, fit_topic_model

    if assign_n:
        texts = synthetic(assign_n, seed=1)
        langs = langs_of(texts)
        model = TopicModel.load(model_dir)
        t0 = time.perf_counter()
        c0 = time.process_time()
        res = assign_vectors(model, texts, langs, None)
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        out = {"n": assign_n, "task": "assign", "seconds": secs, "cpu": cpu, "other": float((res.ids == -1).mean())}
    else:
        texts = synthetic(n)
        langs = langs_of(texts)
        t0, c0 = time.perf_counter(), time.process_time()
        model, res = fit_topic_model(texts, langs, params=ClusterParams(), seed=0)
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        if model_dir:
            model.save(model_dir)
        out = {"n": n, "task": "fit+assign", "seconds": secs, "cpu": cpu, "topics": len(model.topics),
               "other": float((res.ids == -1).mean())}
    out["peak_rss_gb"] = peak_rss_gb()
    return out


def peak_rss_gb() -> float:
    """This process's peak resident memory. VmHWM, not getrusage's ru_maxrss: Linux carries
    ru_maxrss across fork+exec, so a child would report its parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1e6  # kB -> GB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


def run_child(args: list[str]) -> dict:
    cmd = [sys.executable, __file__] + args
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def embed_speed(texts: list[str]) -> float:
    from voc.models.embedder import StaticEmbedder

    emb = StaticEmbedder()  # fresh: cold caches
    t0 = time.perf_counter()
    emb.encode(texts)
    return len(texts) / (time.perf_counter() - t0)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="quality rows for the static embedder only")
    ap.add_argument("--no-teacher", action="store_true")
    ap.add_argument("--no-scale", action="store_true")
    ap.add_argument("--million", action="store_true", help="also time assigning 1M records")
    ap.add_argument("--scale-one", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--assign-one", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--model-dir", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.scale_one or args.assign_one:
        print(json.dumps(scale_one(args.scale_one or 0, args.model_dir, args.assign_one)))
        return
    import torch  # noqa: F401  (only to pin its threads if something imports it)

    torch.set_num_threads(1)
    sets = {"banking77": banking77(), "zh_shopping_9cats": zh_shopping()}
    embedders = ["static"] if args.quick or args.no_teacher else ["static", "use"]
    print("## quality (flat topics, min_topic_size=10, seed=0; other counted as a cluster)")
    print(f"{'set':18s} {'embedder':8s} {'n':>6s} {'topics':>6s} {'NMI':>6s} {'ARI':>6s} {'other':>6s} "
          f"{'embed/s':>8s} {'cluster s':>9s} {'CPU s':>6s}")
    for name, (texts, gold) in sets.items():
        for e in embedders:
            r = quality(name, texts, gold, e)
            print(f"{r['set']:18s} {r['embedder']:8s} {r['n']:6d} {r['topics']:6d} {r['nmi']:6.3f} {r['ari']:6.3f} "
                  f"{r['outliers']:6.1%} {r['embed_per_s']:8.0f} {r['cluster_s']:9.1f} {r['cluster_cpu']:6.1f}", flush=True)
    print("\n## static embedder speed (1 thread, cold caches)")
    for name, (texts, _) in sets.items():
        print(f"{name:18s} {embed_speed(texts):8.0f} texts/s", flush=True)
    if args.quick:
        return
    print("\n## stability (refit on a 90%-overlapping corpus; save/load round trip)")
    for name, (texts, _) in sets.items():
        s = stability(texts)
        print(f"{name:18s} refit: {s['refit_same_id']:.1%} of {s['shared']} shared records keep their id "
              f"({s['kept_ids']}/{s['topics_b']} topics continue one of {s['topics_a']} old); "
              f"save/load round trip: {s['roundtrip_same_id']:.1%} identical", flush=True)
    if args.no_scale:
        return
    import tempfile

    print("\n## scale (synthetic: banking77 + zh reviews resampled; fresh process per row)")
    print(f"{'task':11s} {'records':>9s} {'wall s':>8s} {'CPU s':>8s} {'peak RSS GB':>11s} {'topics':>6s} {'other':>6s}")
    with tempfile.TemporaryDirectory() as d:
        for n in (10_000, 50_000, 100_000):
            r = run_child(["--scale-one", str(n)] + (["--model-dir", d] if n == 100_000 else []))
            print(f"{r['task']:11s} {r['n']:9d} {r['seconds']:8.1f} {r['cpu']:8.1f} {r['peak_rss_gb']:11.2f} "
                  f"{r['topics']:6d} {r['other']:6.1%}", flush=True)
        if args.million:
            r = run_child(["--assign-one", "1000000", "--model-dir", d])
            print(f"{r['task']:11s} {r['n']:9d} {r['seconds']:8.1f} {r['cpu']:8.1f} {r['peak_rss_gb']:11.2f} "
                  f"{'':>6s} {r['other']:6.1%}", flush=True)


if __name__ == "__main__":
    main()
