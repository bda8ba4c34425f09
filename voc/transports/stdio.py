"""Line sources (stdin, a file, a file being appended to) and the stdout sink.

Sources yield `(line_bytes, arrival)` where `arrival` is `time.perf_counter()` when the line was
read. Lines longer than `max_line_bytes` are not kept in memory: the first `max_line_bytes + 1`
bytes are yielded (so the reader counts them as oversized) and the rest is skipped.
"""
from __future__ import annotations

import json
import os
import sys
import time


def read_lines(fh, max_line_bytes: int):
    """Yield (bytes, arrival) from a binary file object until EOF; never holds a huge line."""
    while True:
        line = fh.readline(max_line_bytes + 1)
        if not line:
            return
        arrival = time.perf_counter()
        if len(line) > max_line_bytes and not line.endswith(b"\n"):
            while True:  # drop the rest of this line
                more = fh.readline(max_line_bytes + 1)
                if not more or more.endswith(b"\n"):
                    break
        if line.strip():
            yield line, arrival


def read_batches(fh, max_line_bytes: int, max_batch: int = 16):
    """Yield lists of (bytes, arrival): the complete lines available now, at most `max_batch` per list.

    `read1` returns what the pipe holds without waiting for more, so at a trickle every batch is
    one line (no added latency) and under a backlog the analyzer gets whole batches (cheaper per
    turn). A line that grows past `max_line_bytes` is cut there and the rest of it is skipped."""
    buf, skipping = b"", False
    while True:
        chunk = fh.read1(1 << 16)
        arrival = time.perf_counter()
        if not chunk:
            if buf.strip() and not skipping:
                yield [(buf, arrival)]
            return
        if skipping:
            cut = chunk.find(b"\n")
            if cut < 0:
                continue
            chunk, skipping = chunk[cut + 1:], False
        buf += chunk
        lines = buf.split(b"\n")
        buf = lines.pop()
        batch = [(line, arrival) for line in lines if line.strip()]
        if len(buf) > max_line_bytes:
            batch.append((buf[: max_line_bytes + 1], arrival))
            buf, skipping = b"", True
        for i in range(0, len(batch), max_batch):
            yield batch[i:i + max_batch]


def stdin_batches(max_line_bytes: int, max_batch: int = 16):
    yield from read_batches(sys.stdin.buffer, max_line_bytes, max_batch)


def file_batches(path: str, max_line_bytes: int, max_batch: int = 16):
    with open(path, "rb") as fh:
        yield from read_batches(fh, max_line_bytes, max_batch)


def file_lines(path: str, max_line_bytes: int):
    with open(path, "rb") as fh:
        yield from read_lines(fh, max_line_bytes)


def follow_lines(path: str, max_line_bytes: int, poll_s: float = 0.05, sleep=time.sleep, stop=None):
    """Like `tail -F`: read what is there, then wait for appended lines; reopen after the file is
    rotated (a new inode) or truncated. `stop()` returning True ends the generator (tests)."""
    fh = open(path, "rb")
    ino = os.fstat(fh.fileno()).st_ino
    partial = b""
    try:
        while True:
            chunk = fh.readline(max_line_bytes + 1)
            if chunk:
                partial += chunk
                if partial.endswith(b"\n") or len(partial) > max_line_bytes:
                    line, partial = partial, b""
                    arrival = time.perf_counter()
                    if len(line) > max_line_bytes and not line.endswith(b"\n"):
                        line = line[: max_line_bytes + 1]
                        while True:
                            more = fh.readline(max_line_bytes + 1)
                            if not more:
                                sleep(poll_s)
                                continue
                            if more.endswith(b"\n"):
                                break
                    if line.strip():
                        yield line, arrival
                continue
            if stop is not None and stop():
                return
            try:
                st = os.stat(path)
            except FileNotFoundError:
                st = None
            if st is not None and (st.st_ino != ino or st.st_size < fh.tell()):
                fh.close()
                fh = open(path, "rb")
                ino, partial = os.fstat(fh.fileno()).st_ino, b""
                continue
            sleep(poll_s)
    finally:
        fh.close()


class StdoutSink:
    """Alerts only, one JSON object per line, flushed at once (logs go to stderr)."""

    redis_target = None

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self.count = 0

    def write(self, alert: dict) -> None:
        self.stream.write(json.dumps(alert, ensure_ascii=False) + "\n")
        self.stream.flush()
        self.count += 1

    def close(self) -> None:
        self.stream.flush()


class ListSink:
    """Keeps alerts in memory (replay reports, tests)."""

    redis_target = None

    def __init__(self):
        self.alerts: list[dict] = []

    def write(self, alert: dict) -> None:
        self.alerts.append(alert)

    def close(self) -> None:
        pass
