"""Uploads: keep the file briefly, analyse it in a background job, write the records to the store.

The job's analysis runs in a child process (voc/web/worker.py); this side writes each batch of
contract records with `Store.upsert` on its own connection, logs the ingest like `voc ingest`, and
brings the report index up to date (voc/web/index.py).

The uploaded file is deleted when its job ends (it holds unmasked personal data); only analysed
records, masked, reach the store, unless an admin asked to keep the originals (`web_unmasked`).
"""
from __future__ import annotations

import json
import multiprocessing
import queue
import re
import shutil
import threading
import time
import uuid
from pathlib import Path

from voc.errors import InputError
from voc.io import columns
from voc.web import worker
from voc.web.jobs import Cancelled, Job

UPLOAD_TTL_S = 3600


def _keep_unmasked(con, rows: list[tuple[str, str]]) -> None:
    import pyarrow as pa

    con.register("unmasked_batch", pa.table({"id": [r[0] for r in rows], "raw_text": [r[1] for r in rows]}))
    try:
        con.execute("INSERT OR REPLACE INTO web_unmasked SELECT id, raw_text FROM unmasked_batch")
    finally:
        con.unregister("unmasked_batch")


class Uploads:
    """Uploaded files waiting for their mapping to be confirmed (in a private directory)."""

    def __init__(self, root: Path):
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._items: dict[str, dict] = {}

    def add(self, name: str, owner: str) -> tuple[str, Path]:
        self.expire()
        uid = uuid.uuid4().hex[:16]
        folder = self.root / uid
        folder.mkdir(mode=0o700)
        path = folder / safe_name(name)
        with self._lock:
            self._items[uid] = {"id": uid, "path": path, "name": path.name, "owner": owner, "created": time.time()}
        return uid, path

    def get(self, uid: str) -> dict | None:
        with self._lock:
            return self._items.get(uid)

    def update(self, uid: str, **values) -> None:
        with self._lock:
            self._items[uid].update(values)

    def remove(self, uid: str) -> None:
        with self._lock:
            self._items.pop(uid, None)
        shutil.rmtree(self.root / uid, ignore_errors=True)

    def expire(self) -> None:
        now = time.time()
        with self._lock:
            old = [k for k, v in self._items.items() if now - v["created"] > UPLOAD_TTL_S and not v.get("job")]
        for k in old:
            self.remove(k)


def safe_name(name: str) -> str:
    base = re.split(r"[\\/]", name or "")[-1].strip().lstrip(".")
    base = re.sub(r"[^\w.\- ()\u4e00-\u9fff]", "_", base)[:120]
    return base or "upload.csv"


class _ThreadConn:
    """The worker's connection when it runs in the job thread: a queue."""

    def __init__(self):
        self.q: queue.Queue = queue.Queue(maxsize=8)
        self.cancelled = threading.Event()

    def send(self, msg) -> None:
        self.q.put(msg)

    def close(self) -> None:
        pass


def run_ingest(job: Job, db, upload: dict, spec: dict, mode: str, analyzer=None, on_done=None) -> dict:
    """The upload job: analysis (child process or thread) -> Store.upsert -> log -> index sync."""
    spec = {**spec, "path": str(upload["path"]), "name": upload["name"]}
    job.progress(0, upload.get("estimated_rows") or None, "starting the analyzer")
    if mode == "process":
        ctx = multiprocessing.get_context("spawn")
        recv_end, send_end = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=worker.run, args=(send_end, spec), daemon=True, name=f"voc-ingest-{job.id}")
        proc.start()
        send_end.close()

        def receive():
            while True:
                if job.cancel_event.is_set():
                    proc.terminate()
                    raise Cancelled()
                if recv_end.poll(0.2):
                    try:
                        return recv_end.recv()
                    except EOFError:
                        return ("error", "the analysis process ended unexpectedly")
                if not proc.is_alive() and not recv_end.poll(0):
                    return ("error", f"the analysis process died (exit code {proc.exitcode})")
    else:
        conn = _ThreadConn()
        proc = threading.Thread(target=worker.run, args=(conn, spec, analyzer), daemon=True)
        proc.start()

        def receive():
            while True:
                if job.cancel_event.is_set():
                    conn.cancelled.set()
                    while not conn.q.empty():  # unblock the worker so it can see the flag
                        conn.q.get_nowait()
                    raise Cancelled()
                try:
                    return conn.q.get(timeout=0.2)
                except queue.Empty:
                    continue

    store = db.writer()
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    provenance, stats, seen = {}, None, 0
    try:
        while True:
            kind, payload = receive()
            if kind == "start":
                provenance = payload
                job.progress(seen, message="analysing")
            elif kind == "batch":
                c = store.upsert(json.loads(r) for r, _ in payload)
                for k in counts:
                    counts[k] += c[k]
                raw = [(json.loads(r)["id"], u) for r, u in payload if u is not None]
                if raw:
                    _keep_unmasked(store.con, raw)
                seen += len(payload)
                job.progress(seen, max(job.total or 0, seen), f"analysed and stored {seen:,} records")
            elif kind == "done":
                stats = payload
                break
            else:
                raise InputError(payload)
    finally:
        if seen:
            store.log_ingest(upload["name"], counts, provenance)
            job.message = "updating the report index"
            db_index = db.sync_with(store)
        else:
            db_index = None
        store.close()
        if mode == "process":
            proc.join(timeout=5)
        if on_done:
            on_done()
    job.progress(seen, seen, f"stored {seen:,} records")
    return {**counts, "records": seen, "read": stats, "index": db_index, "provenance": provenance}


def detected_for(headers: list[str], text: str | None, ident: str | None, name: str) -> dict:
    """What the readers will detect themselves, given the text and id columns we pass them."""
    try:
        return columns.detect(headers, text, ident, name)
    except InputError:
        return {"text": text, "id": ident, "time": None, "scores": {}}
