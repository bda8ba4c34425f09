"""End-to-end throughput of `voc analyze` on synthetic zh / en / mixed records, on one core.

    .venv/bin/python benchmarks/throughput.py [--records 100000] [--source synthetic|dev] [--no-semantic]

--source dev analyses real feedback instead (airline tweets and waimai reviews from ../shared/data/dev,
cycled to --records; written to a temporary file, never to the repository): the semantic touchpoint
pass only runs on records the lexicon leaves without a touchpoint, which synthetic text rarely is.
--no-semantic runs the same input with [analyzer] semantic_touchpoints = false, for the ratio.

Writes a CSV of synthetic feedback (seeded), runs `voc analyze FILE -o /dev/null` as a child
process pinned to one CPU (taskset) with one BLAS/torch thread, and prints records/s and the child's
peak RSS. Also times the reader alone, so the analysis cost can be read off as a difference.
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ZH = ["物流太慢了", "客服态度很差", "质量不错", "等了三天还没发货", "退款一直不到账", "包装破损", "味道很好吃",
      "第三次打电话了还是没解决", "价格有点贵", "会员积分不见了", "再也不买了", "安装师傅很专业", "app更新后闪退",
      "送货很快，点赞", "说好的次日达却等了一周", "隐性收费太坑了", "售后推来推去", "整体还可以"]
EN = ["delivery was late again", "the agent was rude", "great quality", "still waiting for my refund",
      "package arrived damaged", "food was cold", "third time calling about this", "too expensive for what it is",
      "my points disappeared", "never buying again", "the installer was very professional", "app crashes after update",
      "fast shipping, thanks", "promised next day but took a week", "hidden fees everywhere", "support kept transferring me"]
MIXED = ["app更新之后login不了", "客服只会说reinstall", "delivery太慢了", "refund还没到账", "这个app太差", "quality很好",
         "order被取消了也没通知", "customer service态度很差"]


def synth(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        kind = rng.random()
        pool = ZH if kind < 0.45 else EN if kind < 0.8 else MIXED + ZH
        sep = "，" if pool is not EN else ", "
        out.append(sep.join(rng.choice(pool) for _ in range(rng.randint(1, 3))))
    return out


def dev_texts(n: int) -> list[str]:
    """Real feedback from ../shared/data/dev: airline tweets and waimai reviews, alternating."""
    dev = Path(os.environ.get("VOC_DEV_DATA", ROOT.parent / "shared" / "data" / "dev"))
    with open(dev / "en_sentiment" / "airline_tweets.csv", encoding="utf-8-sig", newline="") as f:
        en = [r["text"] for r in csv.DictReader(f)]
    with open(dev / "zh_sentiment" / "waimai_10k.csv", encoding="utf-8-sig", newline="") as f:
        zh = [r["review"] for r in csv.DictReader(f)]
    pool = [t for pair in zip(en, zh) for t in pair]
    return [pool[i % len(pool)] for i in range(n)]


def run_child(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + sys) and peak RSS (KB) of one child process. CPU seconds
    are what one core spent, whatever else the shared machine was doing at the time."""
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", "0"] + cmd
    code = ("import resource,subprocess,sys,time; t=time.perf_counter(); "
            "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
            "u=resource.getrusage(resource.RUSAGE_CHILDREN); "
            "print(time.perf_counter()-t, u.ru_utime+u.ru_stime, u.ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, *cmd], check=True, env=env, capture_output=True, text=True)
    wall, cpu, peak = out.stdout.split()
    return float(wall), float(cpu), int(peak)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--pipeline", default=None, help="pipeline TOML (default: pipelines/analyze.toml)")
    ap.add_argument("--source", default="synthetic", choices=["synthetic", "dev"])
    ap.add_argument("--no-semantic", action="store_true", help="turn the semantic touchpoint pass off")
    args = ap.parse_args()
    texts = synth(args.records) if args.source == "synthetic" else dev_texts(args.records)
    voc = str(Path(sys.executable).with_name("voc"))
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "synthetic.csv"
        with src.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "comment", "nps"])
            for i, t in enumerate(texts):
                w.writerow([f"r{i}", t, i % 11])
        avg_len = sum(map(len, texts)) / len(texts)
        _, startup, _ = run_child([voc, "--version"])
        read_code = ("import sys; from voc.io.readers import read_inputs; "
                     "print(sum(1 for _ in read_inputs([sys.argv[1]])))")
        _, read_cpu, _ = run_child([sys.executable, "-c", read_code, str(src)])
        cmd = [voc, "analyze", str(src), "-o", "/dev/null", "--no-progress"]
        pipeline = args.pipeline
        if args.no_semantic:
            base = Path(pipeline or ROOT / "pipelines" / "analyze.toml").read_text(encoding="utf-8")
            pipeline = str(Path(tmp) / "no_semantic.toml")
            Path(pipeline).write_text(base.replace("semantic_touchpoints = true", "semantic_touchpoints = false")
                                      .replace('lexicons = "lexicons"', f'lexicons = "{ROOT / "lexicons"}"'),
                                      encoding="utf-8")
        if pipeline:
            cmd += ["--pipeline", pipeline]
        wall, cpu, peak_kb = run_child(cmd)
    load = os.getloadavg()[0]
    print(f"load average during the run: {load:.1f} on {os.cpu_count()} CPUs (wall time includes waiting for a CPU)")
    print("| records | avg chars | wall (s) | CPU (s) | records per CPU-second (1 core) | records/s wall | reader CPU (s) | start-up CPU (s) | peak RSS (MB) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {args.records:,} | {avg_len:.1f} | {wall:.1f} | {cpu:.1f} | {args.records / cpu:,.0f} | {args.records / wall:,.0f} | "
          f"{read_cpu:.1f} | {startup:.2f} | {peak_kb / 1024:.0f} |")


if __name__ == "__main__":
    main()
