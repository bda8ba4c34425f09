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

`feedback_for_topics` rebuilds, from that output, Feedback records carrying everything the
contract has plus the touchpoint strengths, for `voc.topics.discover.assign_topics`.
"""
from __future__ import annotations

import multiprocessing as mp
import os
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice

from voc.records import Feedback, Label, Span

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
    """A Feedback with the contract's fields and the touchpoint strengths (text already masked)."""
    def labels(group: str) -> list[Label]:
        out = []
        for i, d in enumerate(contract[group]):
            out.append(Label(d["id"], [Span(e["start"], e["end"], e["text"]) for e in d["evidence"]],
                             sentiment=d.get("sentiment"), polarity=d.get("polarity"),
                             score=tp_scores[i] if group == "touchpoints" else 0.0))
        return out

    return Feedback(id=contract["id"], raw_text=contract["text"], text=contract["text"], lang=contract["lang"],
                    sentiment_label=contract["sentiment"]["label"], sentiment_score=contract["sentiment"]["score"],
                    frustration=contract["frustration"], touchpoints=labels("touchpoints"), pillars=labels("pillars"),
                    costs=labels("costs"), signals=labels("signals"), topic=contract["topic"],
                    flags=list(contract["flags"]), conversation_id=contract["conversation_id"],
                    speaker=contract["speaker"], turn_id=contract.get("turn_id"), ts=contract.get("ts"),
                    meta=contract["meta"], scores=dict(contract.get("scores") or {}))
