"""Report speed and memory: `voc report` on a 100k-record export, `voc weekly` on a 1M-record store.

    .venv/bin/python benchmarks/report.py [--records 100000] [--store-records 1000000] [--jobs 1 2]
                                          [--skip-weekly] [--skip-report]

The export is synthetic (seeded; zh/en/mixed texts with NPS, CSAT, channel, region and dates over
10 weeks). The store is filled by analysing 20k records once and re-inserting them with new ids and
dates (the weekly report reads stored records; it never re-analyses). Each command runs as a child
process; printed: wall seconds, CPU seconds (the command and every process it waited for, i.e. the
analyser workers too), and peak RSS, both of the largest single process and of the whole
process tree summed (VmHWM and VmRSS of the command and its workers, sampled every 0.1 s from
/proc; the sum is what the machine must hold at once). `voc report` runs with --timings, so each step's wall and CPU seconds are printed too
(load average at the end of each step alongside). OMP/MKL threads are 1 in every process.
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


def _tree_rss_kb(root: int) -> tuple[int, int]:
    """(summed VmRSS, largest VmHWM) in kB over `root` and all its descendants, from /proc."""
    kids: dict[int, list[int]] = {}
    rss: dict[int, tuple[int, int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/status") as fh:
                ppid, kb, hwm = 0, 0, 0
                for line in fh:
                    if line.startswith("PPid:"):
                        ppid = int(line.split()[1])
                    elif line.startswith("VmRSS:"):
                        kb = int(line.split()[1])
                    elif line.startswith("VmHWM:"):
                        hwm = int(line.split()[1])
        except OSError:
            continue
        kids.setdefault(ppid, []).append(int(d))
        rss[int(d)] = (kb, hwm)
    total, largest, todo = 0, 0, [root]
    while todo:
        pid = todo.pop()
        kb, hwm = rss.get(pid, (0, 0))
        total, largest = total + kb, max(largest, hwm)
        todo.extend(kids.get(pid, []))
    return total, largest


def child(cmd: list[str]) -> dict:
    """Run cmd; wall, CPU (cmd + reaped descendants), largest-process and summed-tree peak RSS (MB),
    and its stderr."""
    import resource
    import threading
    import time

    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = [0, 0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            total, largest = _tree_rss_kb(proc.pid)
            peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    err = proc.stderr.read()
    proc.wait()
    wall = time.perf_counter() - t
    done.set()
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"{cmd} failed ({proc.returncode}):\n{err}")
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (u.ru_utime + u.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"wall": wall, "cpu": cpu, "rss": peak[1] / 1024, "tree_rss": peak[0] / 1024, "stderr": err}


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
    ap.add_argument("--jobs", type=int, nargs="+", default=[2], help="voc report --jobs values to run")
    ap.add_argument("--skip-weekly", action="store_true")
    ap.add_argument("--skip-report", action="store_true")
    args = ap.parse_args()
    voc = str(Path(sys.executable).with_name("voc"))
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_report:
            export = Path(tmp) / "export.csv"
            write_export(export, args.records)
            for jobs in args.jobs:
                r = child([voc, "report", str(export), "-o", str(Path(tmp) / f"report{jobs}"), "--no-progress",
                           "--timings", "--jobs", str(jobs)])
                print(f"\nvoc report --jobs {jobs}, steps (load average at the end of each step):")
                for line in r["stderr"].splitlines():
                    if line.startswith("voc: step "):
                        print("  " + line[len("voc: step "):])
                rows.append(f"| voc report --jobs {jobs} (analyse + topics + report, 4 formats) | {args.records:,} | "
                            f"{r['wall']:.1f} | {r['cpu']:.1f} | {r['rss']:.0f} | {r['tree_rss']:.0f} | "
                            f"{os.getloadavg()[0]:.1f} |")
                print(rows[-1], flush=True)
        if not args.skip_weekly:
            store = Path(tmp) / "voc.duckdb"
            small = Path(tmp) / "small.csv"
            write_export(small, 20_000, seed=4)
            fill_store(store, small, args.store_records)
            r = child([voc, "weekly", "--store", str(store), "-o", str(Path(tmp) / "weekly")])
            rows.append(f"| voc weekly (latest week vs previous and 8-week baseline) | store of {args.store_records:,} | "
                        f"{r['wall']:.1f} | {r['cpu']:.1f} | {r['rss']:.0f} | {r['tree_rss']:.0f} | "
                        f"{os.getloadavg()[0]:.1f} |")
            print(rows[-1], flush=True)
    print("\n| step | records | wall (s) | CPU (s) | peak RSS, largest process (MB) | peak RSS, all processes (MB) "
          "| load at end |\n|---|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
