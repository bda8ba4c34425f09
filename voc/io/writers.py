"""Writers for analysed records: JSONL (the contract), and flat CSV / XLSX / Parquet for analysts.

Every CSV/XLSX cell that a spreadsheet could execute (starting with = + - @ or a control char) is
neutralised with a leading apostrophe: customer text is attacker-controlled.
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from voc.errors import InputError

FORMATS = ("jsonl", "csv", "xlsx", "parquet")
FLAT_COLUMNS = ["id", "text", "lang", "sentiment_label", "sentiment_score", "frustration", "touchpoints",
                "pillars", "costs", "signals", "topic_id", "topic_label", "flags", "conversation_id",
                "speaker", "evidence", "meta"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value):
    """Make a string safe to open in Excel/LibreOffice/Sheets: no formula, no DDE."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def flatten(rec: dict) -> dict:
    def ids(group, extra=None):
        return ";".join(f"{x['id']}:{x[extra]}" if extra else x["id"] for x in rec[group])

    evidence = {g: {x["id"]: [e["text"] for e in x["evidence"]] for x in rec[g]}
                for g in ("touchpoints", "pillars", "costs", "signals") if rec[g]}
    topic = rec.get("topic") or {}
    return {
        "id": rec["id"], "text": rec["text"], "lang": rec["lang"],
        "sentiment_label": rec["sentiment"]["label"], "sentiment_score": rec["sentiment"]["score"],
        "frustration": rec["frustration"], "touchpoints": ids("touchpoints", "sentiment"),
        "pillars": ids("pillars", "polarity"), "costs": ids("costs"), "signals": ids("signals"),
        "topic_id": topic.get("id"), "topic_label": topic.get("label"), "flags": ";".join(rec["flags"]),
        "conversation_id": rec.get("conversation_id"), "speaker": rec.get("speaker"),
        "evidence": json.dumps(evidence, ensure_ascii=False) if evidence else "",
        "meta": json.dumps(rec["meta"], ensure_ascii=False, default=str),
    }


def format_for(path: str, fmt: str | None) -> str:
    if fmt:
        return fmt
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else "jsonl"


class RecordWriter:
    """write(contract_dict) many times, then close(). Use as a context manager."""

    def __init__(self, path: str, fmt: str | None = None):
        self.path, self.fmt = path, format_for(path, fmt)
        if self.fmt not in FORMATS:
            raise InputError(f"unknown output format {self.fmt!r}; choose one of {', '.join(FORMATS)}")
        if path == "-" and self.fmt in ("xlsx", "parquet"):
            raise InputError(f"--format {self.fmt} needs a file: use -o FILE.{self.fmt}")
        self.count = 0
        self._buffer: list[dict] = []
        try:
            if path == "-":
                self._fh = sys.stdout
            elif self.fmt in ("jsonl", "csv"):
                self._fh = open(path, "w", encoding="utf-8-sig" if self.fmt == "csv" else "utf-8", newline="")
        except OSError as exc:
            raise InputError(f"cannot write {path}: {exc.strerror}") from None
        if self.fmt == "csv":
            self._csv = csv.DictWriter(self._fh, fieldnames=FLAT_COLUMNS)
            self._csv.writeheader()
        elif self.fmt == "xlsx":
            import openpyxl

            self._wb = openpyxl.Workbook(write_only=True)
            self._ws = self._wb.create_sheet("records")
            self._ws.append(FLAT_COLUMNS)
        elif self.fmt == "parquet":
            self._pq_writer = None

    def write(self, rec: dict) -> None:
        self.count += 1
        if self.fmt == "jsonl":
            self._fh.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
        elif self.fmt == "csv":
            self._csv.writerow({k: neutralise(v) for k, v in flatten(rec).items()})
        elif self.fmt == "xlsx":
            row = flatten(rec)
            self._ws.append([neutralise(row[c]) for c in FLAT_COLUMNS])
        else:
            self._buffer.append(flatten(rec))
            if len(self._buffer) >= 10_000:
                self._flush_parquet()

    def _flush_parquet(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._buffer:
            return
        table = pa.Table.from_pylist(self._buffer, schema=_parquet_schema())
        if self._pq_writer is None:
            self._pq_writer = pq.ParquetWriter(self.path, table.schema)
        self._pq_writer.write_table(table)
        self._buffer = []

    def close(self) -> None:
        if self.fmt == "parquet":
            self._flush_parquet()
            if self._pq_writer is None:  # no records: still write a valid, empty file
                import pyarrow as pa
                import pyarrow.parquet as pq

                pq.write_table(pa.Table.from_pylist([], schema=_parquet_schema()), self.path)
            else:
                self._pq_writer.close()
        elif self.fmt == "xlsx":
            self._wb.save(self.path)
        elif self.path == "-":
            self._fh.flush()
        else:
            self._fh.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _parquet_schema():
    import pyarrow as pa

    types = {"sentiment_score": pa.float64(), "frustration": pa.float64(), "topic_id": pa.int64()}
    return pa.schema([(c, types.get(c, pa.string())) for c in FLAT_COLUMNS])
