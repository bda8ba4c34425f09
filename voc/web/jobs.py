"""Background jobs with progress: uploads (analyse + store) and report builds.

Each kind of job has its own queue and one worker thread, so a long upload never holds up a report
build and two uploads never write the store at once. Job state lives in memory (a restarted server
forgets finished jobs; the data they stored stays in the store). The browser polls
`GET /api/jobs/{id}` for `state`, `done`/`total` and `message`.
"""
from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field

log = logging.getLogger("voc.web")
STATES = ("queued", "running", "done", "failed", "cancelled")
KEEP_FINISHED = 200


class Cancelled(Exception):
    pass


@dataclass
class Job:
    kind: str
    owner: str
    title: str = ""
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    state: str = "queued"
    done: int = 0
    total: int | None = None
    message: str = ""
    result: dict | None = None
    error: str | None = None
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    key: str | None = None  # report jobs: the cache key, so the same view is built once
    cancel_event: threading.Event = field(default_factory=threading.Event, repr=False)

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        if self.cancel_event.is_set():
            raise Cancelled()
        self.done = done
        if total is not None:
            self.total = total
        if message is not None:
            self.message = message

    def to_dict(self) -> dict:
        frac = None
        if self.state == "done":
            frac = 1.0
        elif self.total:
            frac = round(min(0.99, self.done / self.total), 4)
        now = self.finished or time.time()
        return {"id": self.id, "kind": self.kind, "title": self.title, "owner": self.owner, "state": self.state,
                "done": self.done, "total": self.total, "fraction": frac, "message": self.message,
                "result": self.result, "error": self.error, "created": self.created,
                "elapsed_s": round(now - self.started, 2) if self.started else 0.0}


class JobManager:
    def __init__(self, kinds: tuple[str, ...] = ("ingest", "report")):
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._queues = {k: queue.Queue() for k in kinds}
        self._threads = [threading.Thread(target=self._loop, args=(k,), name=f"voc-jobs-{k}", daemon=True)
                         for k in kinds]
        self._stopping = False
        for t in self._threads:
            t.start()

    def submit(self, kind: str, owner: str, fn, title: str = "", total: int | None = None, key: str | None = None) -> Job:
        """Queue fn(job) -> result dict. A report job whose key is already queued or running is shared."""
        with self._lock:
            if key is not None:
                for j in self._jobs.values():
                    if j.key == key and j.state in ("queued", "running"):
                        return j
            job = Job(kind=kind, owner=owner, title=title, total=total, key=key)
            self._jobs[job.id] = job
            self._trim()
        self._queues[kind].put((job, fn))
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def list(self) -> list[Job]:
        with self._lock:
            return list(reversed(self._jobs.values()))

    def cancel(self, job_id: str) -> Job | None:
        job = self.get(job_id)
        if job is not None and job.state in ("queued", "running"):
            job.cancel_event.set()
            if job.state == "queued":
                job.state, job.finished = "cancelled", time.time()
        return job

    def wait(self, job_id: str, timeout: float = 60.0) -> Job:
        """For tests and scripts: block until the job finished."""
        end = time.time() + timeout
        while time.time() < end:
            job = self.get(job_id)
            if job is None or job.state in ("done", "failed", "cancelled"):
                return job
            time.sleep(0.05)
        raise TimeoutError(f"job {job_id} still {self.get(job_id).state} after {timeout}s")

    def shutdown(self) -> None:
        self._stopping = True
        for j in self.list():
            j.cancel_event.set()
        for q in self._queues.values():
            q.put(None)

    def _trim(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.state in ("done", "failed", "cancelled")]
        for k in finished[: max(0, len(finished) - KEEP_FINISHED)]:
            del self._jobs[k]

    def _loop(self, kind: str) -> None:
        q = self._queues[kind]
        while not self._stopping:
            item = q.get()
            if item is None:
                return
            job, fn = item
            if job.cancel_event.is_set():
                job.state = "cancelled"
                job.finished = job.finished or time.time()
                continue
            job.state, job.started = "running", time.time()
            try:
                job.result = fn(job)
                job.state = "cancelled" if job.cancel_event.is_set() else "done"
            except Cancelled:
                job.state = "cancelled"
            except Exception as exc:
                log.exception("job %s (%s) failed", job.id, job.kind)
                job.state, job.error = "failed", str(exc) or type(exc).__name__
            finally:
                job.finished = time.time()
