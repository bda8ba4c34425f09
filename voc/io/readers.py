"""Readers for real exports: CSV/TSV (UTF-8, BOM, GB18030), XLSX, JSON array, JSONL, stdin.

Rows are streamed (a 1M-row CSV is never held whole in memory; JSON arrays are the exception, as
the format cannot be streamed without a parser dependency). The format is sniffed from the bytes,
not trusted from the extension. A broken row becomes a flagged record, never a crash.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import sys
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from voc.errors import InputError
from voc.io import columns
from voc.io.turns import looks_like_turn, parse_turn
from voc.records import Feedback

csv.field_size_limit(16 * 1024 * 1024)
_SNIFF_BYTES = 1 << 20
MAX_XLSX_UNCOMPRESSED = 4 << 30  # 4 GiB: a bigger workbook is a zip bomb or needs splitting
MAX_XLSX_RATIO = 200


@dataclass
class ReadStats:
    """What was read, per file, and what had to be flagged: printed on stderr, kept in reports."""

    files: list[dict] = field(default_factory=list)
    flagged: Counter = field(default_factory=Counter)

    @property
    def rows(self) -> int:
        return sum(f["rows"] for f in self.files)


def sniff_format(head: bytes, name: str) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    stripped = head.lstrip(codecs.BOM_UTF8).lstrip()
    if stripped.startswith(b"["):
        return "json"
    if stripped.startswith(b"{"):
        return "jsonl"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(f"{name}: legacy .xls (OLE2) workbooks are not supported; save it as .xlsx or CSV")
    sample = head[:4096]
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if controls >= 3 and controls * 10 > len(sample) and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{name}: looks like a binary file, not a CSV/TSV/XLSX/JSON export")
    return "csv"


def detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:-4] if len(head) >= _SNIFF_BYTES else head  # a cut multi-byte char at the end
    for enc in ("utf-8", "gb18030"):
        try:
            sample.decode(enc)
            return "utf-8-sig" if enc == "utf-8" else enc
        except UnicodeDecodeError:
            continue
    return "latin-1"


def read_inputs(paths: list[str], text_col: str | None = None, id_col: str | None = None,
                sheet: str | None = None, stats: ReadStats | None = None) -> Iterator[Feedback]:
    stats = stats if stats is not None else ReadStats()
    for p in paths:
        yield from _read_one(p, text_col, id_col, sheet, stats)


def _read_one(path: str, text_col, id_col, sheet, stats: ReadStats) -> Iterator[Feedback]:
    if path == "-":
        name, stream = "stdin", sys.stdin.buffer
        fmt = "jsonl"
        info = {"file": name, "format": fmt, "rows": 0}
        stats.files.append(info)
        yield from _count(_jsonl(io.TextIOWrapper(stream, encoding="utf-8", errors="replace"), name, text_col, id_col), info, stats)
        return
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: file not found")
    if p.is_dir():
        raise InputError(f"{path}: is a directory; pass the export files themselves")
    with p.open("rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    if not head.strip():
        raise InputError(f"{path}: the file is empty")
    name = p.name
    fmt = sniff_format(head, name)
    info = {"file": str(p), "format": fmt, "rows": 0}
    if fmt == "csv":
        info["encoding"] = detect_encoding(head)
    stats.files.append(info)
    if fmt == "xlsx":
        rows = _xlsx(p, name, text_col, id_col, sheet)
    elif fmt == "json":
        rows = _json_array(p, name, text_col, id_col)
    elif fmt == "jsonl":
        rows = _jsonl(p.open("r", encoding="utf-8-sig", errors="replace", newline=""), name, text_col, id_col)
    else:
        rows = _csv(p, name, info["encoding"], head, text_col, id_col)
    yield from _count(rows, info, stats)


def _count(rows: Iterator[Feedback], info: dict, stats: ReadStats) -> Iterator[Feedback]:
    for fb in rows:
        info["rows"] += 1
        for f in fb.flags:
            stats.flagged[f] += 1
        yield fb


# ------------------------------------------------------------------ tabular
def _record_from_row(values: dict, cols: dict, fallback_id: str) -> Feedback:
    raw_id = values.get(cols["id"]) if cols["id"] else None
    rid = str(raw_id).strip() if raw_id not in (None, "") else fallback_id
    text = values.get(cols["text"])
    meta = {}
    flags = []
    scores = {}
    for k, v in values.items():
        if k == cols["text"] or k == cols["id"] or k is None:
            continue
        v = _plain(v)
        if k in cols["scores"]:
            num, problem = columns.typed_score(v, cols["scores"][k])
            if problem:
                flags.append(f"{problem}:{k}")
            else:
                v = num
                if num is not None:
                    scores[cols["scores"][k]] = num
        meta[str(k)] = v
    fb = Feedback(id=rid, raw_text="" if text is None else str(_plain(text)), meta=meta, scores=scores)
    if cols["time"]:
        fb.ts = None if values.get(cols["time"]) in (None, "") else str(_plain(values.get(cols["time"])))
    for f in flags:
        fb.flag(f)
    return fb


def _plain(v):
    if isinstance(v, (datetime, date, time)):
        return v.isoformat()
    return v


def _csv(p: Path, name: str, encoding: str, head: bytes, text_col, id_col) -> Iterator[Feedback]:
    first_line = head.split(b"\n", 1)[0]
    delimiter = "\t" if first_line.count(b"\t") > max(first_line.count(b","), 0) else ","
    if delimiter == "," and first_line.count(b";") > first_line.count(b",") :
        delimiter = ";"
    with p.open("r", encoding=encoding, errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{name}: the file is empty") from None
        except csv.Error as exc:
            raise InputError(f"{name}: cannot read the header row: {exc}") from None
        header = [h.strip() for h in header]
        cols = columns.detect(header, text_col, id_col, name)
        width = len(header)
        while True:
            line_no = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:  # e.g. a field larger than the limit (quote bomb)
                fb = Feedback(id=f"{name}:{line_no}", raw_text="")
                fb.flag(f"error:csv:{str(exc)[:60]}")
                yield fb
                continue
            if not row or all(not c.strip() for c in row):
                continue  # blank separator lines are not records
            values = dict(zip(header, row))
            fb = _record_from_row(values, cols, f"{name}:{line_no}")
            if len(row) != width:
                fb.flag("ragged_row")
                if len(row) > width:
                    fb.meta["_extra_cells"] = row[width:]
            if "\ufffd" in fb.raw_text:
                fb.flag("encoding_replaced")
            yield fb


def _xlsx(p: Path, name: str, text_col, id_col, sheet) -> Iterator[Feedback]:
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile:
        raise InputError(f"{name}: not a valid XLSX (zip) file") from None
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > MAX_XLSX_UNCOMPRESSED or (total > 50_000_000 and total / packed > MAX_XLSX_RATIO):
        raise InputError(f"{name}: refusing to open: it unpacks to {total:,} bytes from {packed:,} "
                         "(a zip bomb, or export it as CSV)")
    import openpyxl  # uses defusedxml when installed: no entity-expansion attacks

    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:
        raise InputError(f"{name}: cannot open as XLSX: {exc}") from None
    try:
        if sheet is not None:
            if sheet not in wb.sheetnames:
                raise InputError(f"{name}: no sheet {sheet!r}; sheets are: {', '.join(wb.sheetnames)}")
            ws = wb[sheet]
        else:
            ws = wb[wb.sheetnames[0]]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise InputError(f"{name}: sheet {ws.title!r} is empty")
        header = [str(h).strip() if h is not None else f"column_{i + 1}" for i, h in enumerate(header)]
        cols = columns.detect(header, text_col, id_col, f"{name} [{ws.title}]")
        for i, row in enumerate(rows, start=2):
            if row is None or all(c is None or (isinstance(c, str) and not c.strip()) for c in row):
                continue
            yield _record_from_row(dict(zip(header, row)), cols, f"{name}:{i}")
    finally:
        wb.close()


# ------------------------------------------------------------------ json
def _from_object(obj, name: str, n: int, text_col, id_col, cols_cache: dict) -> Feedback:
    if not isinstance(obj, dict):
        fb = Feedback(id=f"{name}:{n}", raw_text="")
        fb.flag("error:not_an_object")
        return fb
    if looks_like_turn(obj) and not text_col:
        return parse_turn(obj, f"{name}:{n}")
    keys = [str(k) for k in obj]
    sig = tuple(keys)
    if sig not in cols_cache:
        cols_cache[sig] = columns.detect(keys, text_col, id_col, name)
    return _record_from_row({str(k): v for k, v in obj.items()}, cols_cache[sig], f"{name}:{n}")


def _jsonl(fh, name: str, text_col, id_col) -> Iterator[Feedback]:
    cols_cache: dict = {}
    with fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                yield _from_object(obj, name, n, text_col, id_col, cols_cache)
            except json.JSONDecodeError as exc:
                fb = Feedback(id=f"{name}:{n}", raw_text="")
                fb.flag(f"error:bad_json:{exc.msg}")
                yield fb
            except InputError as exc:
                if n == 1 and not cols_cache:
                    raise  # the very first object has no text field: the user must choose one
                fb = Feedback(id=f"{name}:{n}", raw_text="")
                fb.flag(f"error:{str(exc).split(': ', 1)[-1][:80]}")
                yield fb


def _json_array(p: Path, name: str, text_col, id_col) -> Iterator[Feedback]:
    try:
        data = json.loads(p.read_text(encoding="utf-8-sig", errors="replace"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{name}: not valid JSON ({exc.msg} at line {exc.lineno}); "
                         "for one object per line use .jsonl") from None
    if not isinstance(data, list):
        raise InputError(f"{name}: expected a JSON array of records")
    cols_cache: dict = {}
    for n, obj in enumerate(data, start=1):
        yield _from_object(obj, name, n, text_col, id_col, cols_cache)
