"""Upload preview: the file's columns, the detected roles (text / id / time / scores) and a few rows,
so an analyst can check and correct the mapping before anything is analysed; and the mapping's
application to the records the readers produce.

The readers (voc.io.readers) take `text_col` / `id_col`; the time and score columns they detect
themselves. A mapping that differs on those is applied to each record afterwards (`apply_mapping`):
the cells are all in `meta`, untouched, so nothing is lost either way.
"""
from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

from voc.errors import InputError
from voc.io import columns
from voc.io.readers import detect_encoding, sniff_format
from voc.io.turns import looks_like_turn
from voc.records import Feedback
from voc.web import xlsx_peek

PREVIEW_ROWS = 5
SCORE_KINDS = tuple(columns.SCORE_NAMES)


def preview(path: Path, name: str, sheet: str | None = None) -> dict:
    """Headers, detected mapping, first rows and an estimate of the row count (for the progress bar)."""
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
    if not head.strip():
        raise InputError(f"{name}: the file is empty")
    fmt = sniff_format(head, name)
    sheets: list[str] = []
    if fmt == "xlsx":
        headers, rows, total, sheets = _xlsx(path, name, sheet)
    elif fmt == "json":
        headers, rows, total = _json(path, name)
    elif fmt == "jsonl":
        headers, rows, total = _jsonl(path, head)
    else:
        headers, rows, total = _csv(path, head)
    chat = fmt in ("json", "jsonl") and bool(rows) and looks_like_turn(rows[0])
    problem, mapping = None, {"text": None, "id": None, "time": None, "scores": {}}
    if chat:
        mapping = {"text": "text", "id": "turn_id", "time": "ts", "scores": {}}
    else:
        try:
            mapping = columns.detect(headers, None, None, name)
        except InputError as exc:
            problem = str(exc).split(": ", 1)[-1]
    return {"filename": name, "format": fmt, "sheets": sheets, "headers": headers, "mapping": mapping,
            "chat_turns": chat, "rows": [{h: _cell(r.get(h)) for h in headers} for r in rows[:PREVIEW_ROWS]],
            "estimated_rows": total, "problem": problem, "score_kinds": list(SCORE_KINDS)}


def _cell(v):
    if v is None or isinstance(v, (int, float, bool)):
        return v
    s = str(v)
    return s if len(s) <= 300 else s[:300] + "…"


def _csv(path: Path, head: bytes) -> tuple[list[str], list[dict], int]:
    enc = detect_encoding(head)
    first = head.split(b"\n", 1)[0]
    delim = "\t" if first.count(b"\t") > first.count(b",") else (";" if first.count(b";") > first.count(b",") else ",")
    text = head.decode(enc, errors="replace")
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    header = [h.strip() for h in next(reader, [])]
    rows = []
    try:
        for row in reader:
            if len(rows) >= PREVIEW_ROWS:
                break
            if any(c.strip() for c in row):
                rows.append(dict(zip(header, row)))
    except csv.Error:
        pass
    return header, rows, max(0, _count_lines(path) - 1)


def _count_lines(path: Path) -> int:
    n, last = 0, b"\n"
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    return n + (last != b"\n")


def _xlsx(path: Path, name: str, sheet: str | None):
    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n, _ in xlsx_peek.sheets(zf)]
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise InputError(f"{name}: cannot open as XLSX: {exc}") from None
    if sheet is not None and sheet not in names:
        raise InputError(f"{name}: no sheet {sheet!r}; sheets are: {', '.join(names)}")
    try:
        names, values, total = xlsx_peek.first_rows(path, sheet, PREVIEW_ROWS)
    except Exception:  # an unusual workbook: openpyxl reads anything the readers can
        return _xlsx_openpyxl(path, name, sheet)
    first = values[0] if values else []
    header = [str(h).strip() if h is not None else f"column_{i + 1}" for i, h in enumerate(first)]
    rows = [{h: _plain(v) for h, v in zip(header, r)} for r in values[1:PREVIEW_ROWS + 1]]
    return header, rows, max(0, total - 1), names


def _plain(v):
    return v.isoformat() if hasattr(v, "isoformat") else v


def _xlsx_openpyxl(path: Path, name: str, sheet: str | None):
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise InputError(f"{name}: cannot open as XLSX: {exc}") from None
    try:
        ws = wb[sheet or wb.sheetnames[0]]
        it = ws.iter_rows(values_only=True)
        first = next(it, None) or ()
        header = [str(h).strip() if h is not None else f"column_{i + 1}" for i, h in enumerate(first)]
        rows = []
        for row in it:
            if len(rows) >= PREVIEW_ROWS:
                break
            if row and any(c is not None and str(c).strip() for c in row):
                rows.append({h: _plain(v) for h, v in zip(header, row)})
        return header, rows, max(0, (ws.max_row or 1) - 1), list(wb.sheetnames)
    finally:
        wb.close()


def _json(path: Path, name: str):
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig", errors="replace"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{name}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, list):
        raise InputError(f"{name}: expected a JSON array of records")
    objs = [o for o in data[:PREVIEW_ROWS] if isinstance(o, dict)]
    return _keys(objs), objs, len(data)


def _jsonl(path: Path, head: bytes):
    objs = []
    for line in head.decode("utf-8-sig", errors="replace").splitlines():
        if len(objs) >= PREVIEW_ROWS:
            break
        try:
            o = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(o, dict):
            objs.append(o)
    return _keys(objs), objs, _count_lines(path)


def _keys(objs: list[dict]) -> list[str]:
    out: list[str] = []
    for o in objs:
        out += [str(k) for k in o if str(k) not in out]
    return out


# ---------------------------------------------------------------------- applying a mapping
def check_mapping(mapping: dict, headers: list[str]) -> dict:
    """Validate a mapping edited in the browser; returns it normalised."""
    known = set(headers)
    out = {"text": mapping.get("text") or None, "id": mapping.get("id") or None,
           "time": mapping.get("time") or None, "scores": {}}
    for role in ("text", "id", "time"):
        if out[role] is not None and out[role] not in known:
            raise InputError(f"mapping: {role} column {out[role]!r} is not a column of the file")
    for col, kind in (mapping.get("scores") or {}).items():
        if col not in known:
            raise InputError(f"mapping: score column {col!r} is not a column of the file")
        if kind not in SCORE_KINDS:
            raise InputError(f"mapping: score kind {kind!r} must be one of {', '.join(SCORE_KINDS)}")
        out["scores"][col] = kind
    return out


def apply_mapping(fb: Feedback, mapping: dict, detected: dict) -> Feedback:
    """Set the time and scores of a record from the chosen columns when they differ from the readers'
    own detection (`detected`, computed on the same headers)."""
    if mapping.get("time") != detected.get("time"):
        col = mapping.get("time")
        value = fb.meta.get(col) if col else None
        fb.ts = None if value in (None, "") else str(value)
    if mapping.get("scores", {}) != detected.get("scores", {}):
        chosen = mapping.get("scores", {})
        fb.scores = {}
        fb.flags = [f for f in fb.flags if not f.startswith(("score_invalid:", "score_out_of_range:"))]
        for col, kind in chosen.items():
            num, problem = columns.typed_score(fb.meta.get(col), kind)
            if problem:
                fb.flag(f"{problem}:{col}")
            elif num is not None:
                fb.scores[kind] = num
                fb.meta[col] = num
    return fb
