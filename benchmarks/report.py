"""Report speed and memory: `voc report` on a 100k-record export, `voc weekly` on a 1M-record store.

    .venv/bin/python benchmarks/report.py [--records 100000] [--store-records 1000000]

The export is synthetic (seeded; zh/en/mixed texts with NPS, CSAT, channel, region and dates over
10 weeks). The store is filled by analysing 20k records once and re-inserting them with new ids and
dates (the weekly report reads stored records; it never re-analyses). Each command runs as a child
process; wall and CPU seconds and peak RSS are printed.
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import synth  # noqa: E402

START = datetime(2026, 9, 21)


def write_export(path: Path, n: int, seed: int = 9) -> None:
    rng = random.Random(seed)
    texts = synth(n, seed=seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["response_id", "submitted_at", "channel", "region", "nps", "csat", "comment"])
        for i, t in enumerate(texts):
            when = START + timedelta(minutes=rng.randint(0, 70 * 24 * 60))
            w.writerow([f"S{i}", when.isoformat(), rng.choice(["app", "web", "store", "hotline"]),
                        rng.choice(["华东", "华南", "华北", "Overseas"]), rng.randint(0, 10), rng.randint(1, 5), t])


def child(cmd: list[str]) -> tuple[float, float, float]:
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    code = ("import resource,subprocess,sys,time; t=time.perf_counter(); "
            "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
            "u=resource.getrusage(resource.RUSAGE_CHILDREN); "
            "print(time.perf_counter()-t, u.ru_utime+u.ru_stime, u.ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, *cmd], check=True, env=env, capture_output=True, text=True)
    wall, cpu, kb = out.stdout.split()
    return float(wall), float(cpu), int(kb) / 1024


def fill_store(store: Path, export: Path, n: int) -> None:
    """Analyse the export once, then insert copies with new ids and dates until the store holds n."""
    from voc.analyzer import Analyzer
    from voc.io.readers import read_inputs
    from voc.io.store import Store

    analyzer = Analyzer.from_settings()
    base = [fb.to_contract() for fb in analyzer.pipe(read_inputs([str(export)]))][:20_000]
    rng = random.Random(1)

    def copies():
        for i in range(n):
            r = dict(base[i % len(base)])
            r["id"] = f"C{i}"
            r["ts"] = (START + timedelta(minutes=rng.randint(0, 70 * 24 * 60))).isoformat()
            yield r

    with Store(store) as s:
        s.upsert(copies(), batch_size=20_000)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--store-records", type=int, default=1_000_000)
    args = ap.parse_args()
    voc = str(Path(sys.executable).with_name("voc"))
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("| step | records | wall (s) | CPU (s) | peak RSS (MB) |\n|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "export.csv"
        write_export(export, args.records)
        wall, cpu, rss = child([voc, "report", str(export), "-o", str(Path(tmp) / "report"), "--no-progress"])
        print(f"| voc report (analyse + report, 4 formats) | {args.records:,} | {wall:.1f} | {cpu:.1f} | {rss:.0f} |", flush=True)
        store = Path(tmp) / "voc.duckdb"
        small = Path(tmp) / "small.csv"
        write_export(small, 20_000, seed=4)
        fill_store(store, small, args.store_records)
        wall, cpu, rss = child([voc, "weekly", "--store", str(store), "-o", str(Path(tmp) / "weekly")])
        print(f"| voc weekly (latest week vs previous and 8-week baseline) | store of {args.store_records:,} | "
              f"{wall:.1f} | {cpu:.1f} | {rss:.0f} |", flush=True)


if __name__ == "__main__":
    main()
