"""Exports of the current view as CSV or XLSX. Every text cell goes through
`voc.io.writers.neutralise` (a leading = + - @ or control character gets an apostrophe), because
customer text is attacker-controlled and a spreadsheet would execute it as a formula."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from voc.io.writers import RecordWriter, neutralise

PAIN_COLUMNS = ["rank", "touchpoint", "touchpoint_name", "pillar", "pillar_name", "volume", "share", "negativity",
                "frustration", "trend", "priority"]
MAX_EXPORT_RECORDS = 200_000


def write_table(path: Path, fmt: str, columns: list[str], rows: list[dict], sheet: str = "view",
                header_note: str | None = None) -> Path:
    if fmt == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            if header_note:
                w.writerow([neutralise(f"# {header_note}")])
            w.writerow(columns)
            for r in rows:
                w.writerow([_cell(r.get(c)) for c in columns])
    else:
        import openpyxl

        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet(sheet[:31])
        if header_note:
            ws.append([neutralise(header_note)])
        ws.append(columns)
        for r in rows:
            ws.append([_cell(r.get(c)) for c in columns])
        wb.save(path)
    return path


def write_sheets(path: Path, tables: dict[str, list[dict]], header_note: str | None = None) -> Path:
    """Several tables, one XLSX sheet each."""
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    for name, rows in tables.items():
        ws = wb.create_sheet(name[:31])
        if header_note:
            ws.append([neutralise(header_note)])
        cols = list(rows[0]) if rows else ["(none)"]
        ws.append(cols)
        for r in rows:
            ws.append([_cell(r.get(c)) for c in cols])
    wb.save(path)
    return path


def _cell(v):
    if isinstance(v, (list, dict)):
        v = json.dumps(v, ensure_ascii=False)
    return neutralise(v)


def pain_point_rows(pains: list[dict], names: dict) -> list[dict]:
    return [{**p, "touchpoint_name": names["touchpoints"].get(p["touchpoint"], p["touchpoint"]),
             "pillar_name": names["pillars"].get(p["pillar"], p["pillar"])} for p in pains]


def write_records(path: Path, fmt: str, records) -> int:
    """Contract records through the project's RecordWriter (flat columns, neutralised cells)."""
    n = 0
    with RecordWriter(str(path), fmt) as w:
        for rec in records:
            w.write(rec)
            n += 1
    return n
