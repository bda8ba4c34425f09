"""The analysis half of an upload job, run in a child process (or, in thread mode, in the job thread).

It reads the uploaded file with the project's readers, runs the same Analyzer as `voc analyze`,
applies the column mapping chosen in the browser and sends contract records back in batches; the
server process owns the store and writes them (DuckDB admits one writing process per file). Keeping
the CPU-bound analysis out of the server process keeps pages responsive while a big file runs.

Messages on the connection: ("start", provenance), ("batch", [(record_json, unmasked_text|None)]),
("done", read_stats), ("error", message).
"""
from __future__ import annotations

import json
import os

from voc.errors import VocError

BATCH = 1000


def run(conn, spec: dict, analyzer=None) -> None:
    """spec: path, name, text_col, id_col, sheet, mapping, detected, chat, keep_unmasked, pipeline, lexicons."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        from voc.analyzer import Analyzer
        from voc.io.readers import ReadStats, read_inputs
        from voc.web.preview import apply_mapping

        if analyzer is None:
            analyzer = Analyzer.from_settings(spec.get("pipeline"), lexicons=spec.get("lexicons"))
        conn.send(("start", analyzer.provenance))
        stats = ReadStats()
        batch: list[tuple[str, str | None]] = []
        rows = read_inputs([spec["path"]], spec.get("text_col"), spec.get("id_col"), spec.get("sheet"), stats)
        for fb in analyzer.pipe(rows):
            if not spec.get("chat"):
                apply_mapping(fb, spec["mapping"], spec["detected"])
            raw = None
            if spec.get("keep_unmasked") and isinstance(fb.raw_text, str) and fb.raw_text != fb.text:
                raw = fb.raw_text
            batch.append((json.dumps(fb.to_contract(), ensure_ascii=False, default=str), raw))
            if len(batch) >= BATCH:
                if getattr(conn, "cancelled", None) is not None and conn.cancelled.is_set():
                    return  # thread mode: the job was cancelled (a child process is simply terminated)
                conn.send(("batch", batch))
                batch = []
        if batch:
            conn.send(("batch", batch))
        for f in stats.files:
            f["file"] = spec["name"]  # not the server's temporary path
        conn.send(("done", {"files": stats.files, "flagged": dict(stats.flagged), "rows": stats.rows}))
    except VocError as exc:
        conn.send(("error", str(exc)))
    except Exception as exc:  # reported on the job, never a silent death
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        try:
            conn.close()
        except Exception:
            pass
