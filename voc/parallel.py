"""Analyse records in worker processes, in input order: the same records out as one process gives.

    for contract, tp_scores in analyse_parallel(records, jobs=2, pipeline=None, lexicons=None): ...

The parent reads and cuts the input into chunks of whole analyzer batches (a multiple of
`batch_size`, so every batch is the one a single process would form); each worker runs the
analyzer on a chunk and sends back, per record, the contract dict with its meta columns masked
(`mask_record(fb.to_contract())`, as `voc report` stores it) and the touchpoint strengths, which
the contract leaves out but topic scoping needs (`voc.topics.discover.record_scope`). Chunks are
collected strictly in submission order, so the output order is the input order whatever finishes
first. Workers run one BLAS/OpenMP thread each; at most 2 * jobs chunks are in flight, so memory
is bounded by the chunks, not by the input.

`feedback_for_topics` rebuilds, from that output, Feedback records with the contract's fields (labels
without their evidence spans) plus the touchpoint strengths, for `voc.topics.discover.assign_topics`.
"""
from __future__ import annotations

import gc
import multiprocessing as mp
import os
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice

from voc.records import Feedback, Label

CHUNK_BATCHES = 8  # analyzer batches per chunk sent to a worker

_analyzer = None


def _init(pipeline, lexicons) -> None:
    global _analyzer
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # numpy without threadpoolctl: the environment variables above apply
        pass
    from voc.analyzer import Analyzer

    _analyzer = Analyzer.from_settings(pipeline, lexicons=lexicons)
    gc.freeze()  # the lexicons live as long as the worker: keep them out of every full collection


def analyse_chunk(chunk: list[Feedback]) -> list[tuple[dict, list[float]]]:
    """One chunk in a worker: analysed, as (masked contract dict, touchpoint strengths)."""
    from voc.stages.pii import mask_record

    return [(mask_record(fb.to_contract()), [t.score for t in fb.touchpoints]) for fb in _analyzer.pipe(chunk)]


def analyse_parallel(records: Iterable[Feedback], jobs: int, pipeline=None, lexicons=None,
                     batch_size: int = 256) -> Iterator[tuple[dict, list[float]]]:
    """Analyse `records` in `jobs` worker processes; yields in input order."""
    size = max(1, batch_size) * CHUNK_BATCHES
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    ctx = mp.get_context(method)
    it = iter(records)
    with ctx.Pool(jobs, initializer=_init, initargs=(pipeline, lexicons)) as pool:
        pending: deque = deque()
        while chunk := list(islice(it, size)):
            pending.append(pool.apply_async(analyse_chunk, (chunk,)))
            while len(pending) > 2 * jobs:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def feedback_for_topics(contract: dict, tp_scores: list[float]) -> Feedback:
    """A Feedback with the contract's fields and the touchpoint strengths (text already masked), for
    topic discovery, which reads text, language and touchpoints (ids and strengths). The labels carry
    no evidence spans: rebuilding 100k records' spans cost about 5 CPU s and topics never read them
    (tests/test_report.py checks that --jobs 1, on the analyser's own records, gives the same report)."""
    tps = [Label(d["id"], sentiment=d.get("sentiment"), score=tp_scores[i]) for i, d in enumerate(contract["touchpoints"])]
    return Feedback(id=contract["id"], raw_text=contract["text"], text=contract["text"], lang=contract["lang"],
                    sentiment_label=contract["sentiment"]["label"], sentiment_score=contract["sentiment"]["score"],
                    frustration=contract["frustration"], touchpoints=tps,
                    pillars=[Label(d["id"], polarity=d.get("polarity")) for d in contract["pillars"]],
                    costs=[Label(d["id"]) for d in contract["costs"]],
                    signals=[Label(d["id"]) for d in contract["signals"]], topic=contract["topic"],
                    flags=contract["flags"], conversation_id=contract["conversation_id"],
                    speaker=contract["speaker"], turn_id=contract.get("turn_id"), ts=contract.get("ts"),
                    meta=contract["meta"], scores=contract.get("scores") or {})
