"""Big inputs stream in bounded memory: peak RSS of `voc analyze` on a 1M-row CSV and a 200 MB CSV.

    .venv/bin/python benchmarks/bigfile.py [--rows 1000000] [--mb 200] [--reader-only]

Files are generated in a temp dir (seeded). Each run is a child process; its peak RSS comes from
getrusage. The bound we claim: peak RSS does not grow with the number of rows (compare the rows).
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import synth  # noqa: E402


def write_csv(path: Path, rows: int, pad: int = 0) -> None:
    texts = synth(5000, seed=3)
    rng = random.Random(5)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("id,comment,nps,channel\n")
        for i in range(rows):
            t = texts[i % len(texts)] + (" " + "x" * pad if pad else "")
            fh.write(f"r{i},{t},{rng.randint(0, 10)},app\n")


def child(cmd: list[str]) -> tuple[float, float]:
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    code = ("import resource,subprocess,sys,time; t=time.perf_counter(); "
            "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
            "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, *cmd], check=True, env=env, capture_output=True, text=True)
    seconds, kb = out.stdout.split()
    return float(seconds), int(kb) / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--mb", type=int, default=200)
    ap.add_argument("--reader-only", action="store_true", help="time the streaming reader, not the analysis")
    args = ap.parse_args()
    voc = str(Path(sys.executable).with_name("voc"))
    reader = [sys.executable, "-c", "import sys; from voc.io.readers import read_inputs; "
                                    "print(sum(1 for _ in read_inputs([sys.argv[1]])))"]
    print("| file | rows | size (MB) | step | wall (s) | peak RSS (MB) |\n|---|---:|---:|---|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.csv"
        write_csv(small, 10_000)
        big = Path(tmp) / "rows.csv"
        write_csv(big, args.rows)
        heavy = Path(tmp) / "heavy.csv"
        pad = 180
        write_csv(heavy, int(args.mb * 1024 * 1024 / (40 + pad)), pad=pad)
        for name, path, rows in (("10k rows", small, 10_000), (f"{args.rows:,} rows", big, args.rows),
                                 (f"{args.mb} MB", heavy, int(args.mb * 1024 * 1024 / (40 + pad)))):
            size = path.stat().st_size / 1e6
            s, rss = child([*reader, str(path)])
            print(f"| {name} | {rows:,} | {size:.0f} | read | {s:.1f} | {rss:.0f} |", flush=True)
            if not args.reader_only:
                s, rss = child([voc, "analyze", str(path), "-o", "/dev/null", "--no-progress"])
                print(f"| {name} | {rows:,} | {size:.0f} | analyze | {s:.1f} | {rss:.0f} |", flush=True)


if __name__ == "__main__":
    main()
