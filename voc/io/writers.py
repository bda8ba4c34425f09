"""Writers for analysed records: JSONL (the contract), and flat CSV / XLSX / Parquet for analysts.

Every CSV/XLSX cell that a spreadsheet could execute (starting with = + - @ or a control char) is
neutralised with a leading apostrophe: customer text is attacker-controlled.
"""
from __future__ import annotations

import csv
import errno
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from voc.errors import InputError

FORMATS = ("jsonl", "csv", "xlsx", "parquet")
FLAT_COLUMNS = ["id", "text", "lang", "sentiment_label", "sentiment_score", "frustration", "touchpoints",
                "pillars", "costs", "signals", "topic_id", "topic_label", "flags", "conversation_id",
                "speaker", "evidence", "meta"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


# What to tell the user for the write failures they can act on: (what happened, what to do).
_WRITE_FAULTS = {
    errno.ENOSPC: ("no space left on the device", "free some disk space or write to another disk, then re-run"),
    errno.EDQUOT: ("the disk quota is exhausted", "free some space or write elsewhere, then re-run"),
    errno.EFBIG: ("the file grew past the file-size limit (`ulimit -f`)", "raise the limit or write elsewhere, then re-run"),
    errno.EROFS: ("the file system is read-only", "choose a writable location"),
    errno.EACCES: ("permission denied", "make it writable or choose another location"),
    errno.EPERM: ("permission denied", "make it writable or choose another location"),
}


def describe_write_error(path: str, exc: OSError, label: str = "") -> str:
    """One line: which path, what happened, what to do."""
    where = ("standard output" if path == "-" else str(exc.filename or path)) + label
    code = exc.errno
    if code is None:  # pyarrow and zipfile put the errno only in the message
        import re

        m = re.search(r"errno (\d+)", str(exc), re.I)
        code = int(m.group(1)) if m else None
    detail = (exc.strerror or str(exc)).splitlines()[0][:200] if str(exc) else type(exc).__name__
    what, todo = _WRITE_FAULTS.get(code, (detail, "check the output location and re-run"))
    name = errno.errorcode.get(code, type(exc).__name__) if code is not None else type(exc).__name__
    return f"cannot write {where}: {what} ({name}); {todo}"


def _silence_stdout() -> None:
    """After stdout failed (e.g. a full disk behind `> file`), point fd 1 at /dev/null so the
    interpreter's final flush of the buffered rest cannot fail again with a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


@contextmanager
def writing(path: str, note: str = "", label: str = "", on_error=None, temp_file: bool = False):
    """Turn an OSError while writing `path` into an InputError with a clear, actionable message.
    `on_error` runs first (to close and remove partial output); with `temp_file` the message names
    `path` rather than the temporary file written beside it."""
    hook = sys.unraisablehook
    try:
        yield
        return
    except OSError as exc:
        sys.unraisablehook = _ignore  # see _quiet_cleanup
        if on_error is not None:
            on_error()
        if path == "-":
            _silence_stdout()
        msg = describe_write_error(path, _named(exc, path) if temp_file else exc, label) + note
        _drop_frames(exc)
    _quiet_cleanup(hook)
    raise InputError(msg)


def _ignore(*_args) -> None:
    pass


def _drop_frames(exc: BaseException) -> None:
    """Release the failed call's locals (open zip/xlsx writers) now rather than at interpreter exit."""
    import traceback

    traceback.clear_frames(exc.__traceback__)


def _quiet_cleanup(hook) -> None:
    """Half-written zip/xlsx objects try to finish their file when they are collected and print
    "Exception ignored ... No space left on device": collect them now, quietly, then restore the hook."""
    import gc

    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook


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
    """write(contract_dict) many times, then close(). Use as a context manager.

    A regular file is written under a temporary name beside it and renamed into place on close, so a
    failed run (full disk, killed process) never leaves a truncated file where a good one was. Write
    failures become an InputError naming the path, the cause and what to do."""

    def __init__(self, path: str, fmt: str | None = None, mask_meta: bool = True):
        self.path, self.fmt = path, format_for(path, fmt)
        self._mask = None
        if mask_meta:  # the other columns of the export ("手机号", "email", free-text notes)
            from voc.stages.pii import mask_record

            self._mask = mask_record
        if self.fmt not in FORMATS:
            raise InputError(f"unknown output format {self.fmt!r}; choose one of {', '.join(FORMATS)}")
        if path == "-" and self.fmt in ("xlsx", "parquet"):
            raise InputError(f"--format {self.fmt} needs a file: use -o FILE.{self.fmt}")
        self.count = 0
        self._buffer: list[dict] = []
        self._fh = None
        self._tmp = _temp_name(path)
        self._target = self._tmp or path  # devices, pipes and stdout are written directly
        with self._guard():
            if path == "-":
                self._fh = sys.stdout
            elif self.fmt in ("jsonl", "csv"):
                self._fh = open(self._target, "w", encoding="utf-8-sig" if self.fmt == "csv" else "utf-8", newline="")
            elif self._tmp:
                open(self._tmp, "wb").close()  # fail now, not after the whole run, if the folder is not writable
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

    def _guard(self):
        note = "" if self.path == "-" or not self._tmp else f"; {self.path} was left unchanged"
        return writing(self.path, note, on_error=self._abort, temp_file=True)

    def _abort(self) -> None:
        if self._fh is not None and self._fh is not sys.stdout:
            try:
                self._fh.close()
            except OSError:
                pass
        if getattr(self, "_pq_writer", None) is not None:
            try:
                self._pq_writer.close()
            except Exception:  # noqa: BLE001 - already failing; the temp file is removed below
                pass
            self._pq_writer = None
        self._wb = self._ws = None  # a half-saved workbook is dropped, not finished
        if self._tmp:
            try:
                os.unlink(self._tmp)
            except OSError:
                pass

    def write(self, rec: dict) -> None:
        self.count += 1
        if self._mask is not None:
            rec = self._mask(rec)
        with self._guard():
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
            self._pq_writer = pq.ParquetWriter(self._target, table.schema)
        self._pq_writer.write_table(table)
        self._buffer = []

    def close(self) -> None:
        with self._guard():
            if self.fmt == "parquet":
                self._flush_parquet()
                if self._pq_writer is None:  # no records: still write a valid, empty file
                    import pyarrow as pa
                    import pyarrow.parquet as pq

                    pq.write_table(pa.Table.from_pylist([], schema=_parquet_schema()), self._target)
                else:
                    self._pq_writer.close()
                    self._pq_writer = None
            elif self.fmt == "xlsx":
                self._wb.save(self._target)
            elif self.path == "-":
                self._fh.flush()
            else:
                self._fh.flush()
                if self._tmp:
                    os.fsync(self._fh.fileno())  # a full disk can surface only here (delayed allocation)
                self._fh.close()
                self._fh = None
            if self._tmp:
                os.replace(self._tmp, self.path)
                self._tmp = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        if exc_type is None:
            self.close()
        else:  # the run failed: keep whatever was at the path before, drop the partial output
            self._abort()


def _temp_name(path: str) -> str | None:
    """A temporary name beside `path` when it is (or will be) a regular file; None otherwise."""
    if path == "-":
        return None
    try:
        st = os.stat(path)
    except OSError:
        st = None
    if st is not None and not _is_regular(st.st_mode):
        return None
    p = Path(path)
    return str(p.with_name(f".{p.name}.{os.getpid()}.part"))


def _is_regular(mode: int) -> bool:
    import stat

    return stat.S_ISREG(mode)


def _named(exc: OSError, path: str) -> OSError:
    """The error with the user's path instead of the temporary file's (or none)."""
    if exc.filename and ".part" not in str(exc.filename):
        return exc
    return OSError(exc.errno, exc.strerror, path)


def _parquet_schema():
    import pyarrow as pa

    types = {"sentiment_score": pa.float64(), "frustration": pa.float64(), "topic_id": pa.int64()}
    return pa.schema([(c, types.get(c, pa.string())) for c in FLAT_COLUMNS])
