"""A quick look into an XLSX for the upload preview: sheet names, the first rows, the row count.

openpyxl reads the whole shared-strings table before the first row (20 s for a 100k-row export on
a busy machine); the preview needs five rows. This reads the sheet XML as it streams out of the
zip, stops after the rows it needs, and resolves only the shared strings those rows use. XML goes
through defusedxml. Cells are returned as openpyxl would (numbers, booleans, dates for cells whose
number format is a date). Anything unexpected raises, and the caller falls back to openpyxl.
"""
from __future__ import annotations

import re
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

_ROW = re.compile(rb"<(?:\w+:)?row[ >]")
_DATE_IDS = set(range(14, 23)) | {45, 46, 47}
_EPOCH = datetime(1899, 12, 30)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def sheets(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(name, path in the zip) of each sheet, in workbook order."""
    wb_xml = zf.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    targets = {}
    for rel in re.findall(r"<Relationship\b[^>]*>", rels):
        rid, tgt = re.search(r'\bId="([^"]+)"', rel), re.search(r'\bTarget="([^"]+)"', rel)
        if rid and tgt:
            t = tgt.group(1).lstrip("/")
            targets[rid.group(1)] = t if t.startswith("xl/") else "xl/" + t
    out = []
    for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", wb_xml):
        name, rid = re.search(r'\bname="([^"]*)"', tag), re.search(r'\br:id="([^"]+)"', tag)
        if name and rid and rid.group(1) in targets:
            out.append((_unescape(name.group(1)), targets[rid.group(1)]))
    return out


def _unescape(s: str) -> str:
    from html import unescape

    return unescape(s)


def row_count(zf: zipfile.ZipFile, target: str) -> int:
    """From the sheet's <dimension> when it has one (Excel writes it), else by counting <row> tags."""
    with zf.open(target) as fh:
        m = re.search(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+(\d+)(?::[A-Z]+(\d+))?"', fh.read(4096))
    if m:
        return int(m.group(2) or m.group(1))
    n, tail = 0, b""
    with zf.open(target) as fh:
        while chunk := fh.read(1 << 20):
            buf = tail + chunk
            n += len(_ROW.findall(buf))
            tail = buf[-8:]
            n -= len(_ROW.findall(tail))  # counted again with the next chunk
    return n + len(_ROW.findall(tail))


def _col(ref: str, default: int) -> int:
    letters = "".join(ch for ch in ref if ch.isalpha())
    if not letters:
        return default
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def _date_styles(zf: zipfile.ZipFile) -> set[int]:
    """Indexes of cell styles whose number format is a date or time."""
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(zf.read("xl/styles.xml"))
    except KeyError:
        return set()
    custom = {}
    for el in root.iter():
        if _local(el.tag) == "numFmt":
            code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", el.get("formatCode", "")).lower()
            custom[int(el.get("numFmtId", "0"))] = bool(re.search(r"[ymdhs]", code))
    out, i = set(), 0
    for el in root.iter():
        if _local(el.tag) == "cellXfs":
            for xf in el:
                fid = int(xf.get("numFmtId", "0"))
                if fid in _DATE_IDS or custom.get(fid):
                    out.add(i)
                i += 1
            break
    return out


def first_rows(path: Path, sheet: str | None, n: int) -> tuple[list[str], list[list], int]:
    """(sheet names, the first n + 1 non-empty rows as value lists, rows in the sheet)."""
    from defusedxml.ElementTree import iterparse

    with zipfile.ZipFile(path) as zf:
        found = sheets(zf)
        names = [s for s, _ in found]
        target = dict(found)[sheet] if sheet is not None else found[0][1]
        raw: list[dict[int, tuple]] = []
        with zf.open(target) as fh:
            for _, el in iterparse(fh, events=("end",)):
                if _local(el.tag) != "row":
                    continue
                cells = {}
                for i, c in enumerate(x for x in el if _local(x.tag) == "c"):
                    kind, style, value = c.get("t"), int(c.get("s", "0")), None
                    for part in c:
                        if _local(part.tag) == "v":
                            value = part.text
                        elif _local(part.tag) == "is":
                            value = "".join(t.text or "" for t in part.iter() if _local(t.tag) == "t")
                    cells[_col(c.get("r", ""), i)] = (kind, style, value)
                el.clear()
                if any(v[2] not in (None, "") for v in cells.values()):
                    raw.append(cells)
                if len(raw) > n:
                    break
        strings = _shared(zf, {int(v) for r in raw for k, _, v in r.values() if k == "s" and v is not None})
        dates = _date_styles(zf) if any(k in (None, "n") for r in raw for k, _, _ in r.values()) else set()
        rows = []
        for r in raw:
            width = max(r) + 1 if r else 0
            rows.append([_value(r.get(i), strings, dates) for i in range(width)])
        return names, rows, row_count(zf, target)


def _shared(zf: zipfile.ZipFile, wanted: set[int]) -> dict[int, str]:
    from defusedxml.ElementTree import iterparse

    out: dict[int, str] = {}
    if not wanted:
        return out
    last, i = max(wanted), 0
    with zf.open("xl/sharedStrings.xml") as fh:
        for _, el in iterparse(fh, events=("end",)):
            if _local(el.tag) != "si":
                continue
            if i in wanted:
                out[i] = "".join(t.text or "" for t in el.iter() if _local(t.tag) == "t")
            el.clear()
            i += 1
            if i > last:
                break
    return out


def _value(cell, strings: dict[int, str], dates: set[int]):
    if cell is None or cell[2] is None:
        return None
    kind, style, v = cell
    if kind == "s":
        return strings.get(int(v))
    if kind in ("str", "inlineStr"):
        return v
    if kind == "b":
        return v == "1"
    if kind == "e":
        return v
    num = float(v)
    if style in dates:
        return _EPOCH + timedelta(days=num)
    return int(num) if num.is_integer() else num
