"""Ingestion of real exports: encodings, formats, column detection, broken rows, typed scores."""
from __future__ import annotations

import json

import pytest

from voc.errors import InputError
from voc.io.readers import ReadStats, read_inputs
from tests.conftest import SAMPLE


def read(path, **kw):
    stats = ReadStats()
    return list(read_inputs([str(path)], stats=stats, **kw)), stats


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_encodings(tmp_path, encoding):
    p = tmp_path / "x.csv"
    p.write_bytes("编号,评价内容,星级\n1,物流太慢了,1\n2,质量不错,5\n".encode(encoding))
    recs, stats = read(p)
    assert [r.raw_text for r in recs] == ["物流太慢了", "质量不错"]
    assert [r.id for r in recs] == ["1", "2"]
    assert recs[0].meta == {"星级": 1}
    assert stats.files[0]["encoding"] in ("utf-8-sig", "gb18030")


def test_tsv_and_header_names(tmp_path):
    p = tmp_path / "x.tsv"
    p.write_text("review_id\tVerbatim\tNPS\tchannel\nr1\tLate again\t3\tapp\nr2\tGreat\t11\tweb\n", encoding="utf-8")
    recs, _ = read(p)
    assert recs[0].id == "r1" and recs[0].raw_text == "Late again"
    assert recs[0].meta == {"NPS": 3, "channel": "app"}
    assert "score_out_of_range:NPS" in recs[1].flags and recs[1].meta["NPS"] == "11"


def test_no_text_column_names_the_columns(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"no text column found among: a, b, c; choose one with --text-col"):
        read(p)


def test_text_col_override_and_bad_override(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,hello there\n", encoding="utf-8")
    recs, _ = read(p, text_col="b")
    assert recs[0].raw_text == "hello there" and recs[0].id == "x.csv:2"
    with pytest.raises(InputError, match="--text-col 'zzz' is not a column"):
        read(p, text_col="zzz")


def test_ragged_rows_and_embedded_newlines_are_kept(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text('id,comment\n1,"line one\nline two"\n2,short,EXTRA\n3\n', encoding="utf-8")
    recs, _ = read(p)
    assert [r.id for r in recs] == ["1", "2", "3"]
    assert recs[0].raw_text == "line one\nline two"
    assert "ragged_row" in recs[1].flags and recs[1].meta["_extra_cells"] == ["EXTRA"]
    assert "ragged_row" in recs[2].flags and recs[2].raw_text == ""


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"   \n", "the file is empty"),
    (b"\xd0\xcf\x11\xe0rest-of-an-old-xls", "legacy .xls"),
    (b"\x00\x01\x02binary\x00", "binary file"),
])
def test_unreadable_files_get_clear_errors(tmp_path, content, message):
    p = tmp_path / "x.csv"
    p.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read(p)


def test_extension_is_not_trusted(tmp_path):
    p = tmp_path / "really_jsonl.csv"
    p.write_text('{"comment": "配送很快"}\n', encoding="utf-8")
    recs, stats = read(p)
    assert recs[0].raw_text == "配送很快" and stats.files[0]["format"] == "jsonl"


def test_jsonl_bad_lines_are_flagged_not_fatal(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text('{"text": "ok one"}\n{broken\n[1,2]\n{"text": "ok two"}\n', encoding="utf-8")
    recs, _ = read(p)
    assert [r.raw_text for r in recs] == ["ok one", "", "", "ok two"]
    assert recs[1].flags[0].startswith("error:bad_json") and recs[2].flags == ["error:not_an_object"]


def test_json_array_and_chat_turns(tmp_path):
    p = tmp_path / "x.json"
    p.write_text(json.dumps([{"conversation_id": "c1", "turn_id": "c1-1", "role": "user", "content": "在吗？"},
                             {"conversation_id": "c1", "turn_id": "c1-2", "sender": "helpdesk", "text": "您好"}],
                            ensure_ascii=False), encoding="utf-8")
    recs, _ = read(p)
    assert [(r.conversation_id, r.speaker, r.id) for r in recs] == [("c1", "customer", "c1-1"), ("c1", "agent", "c1-2")]


def test_xlsx_first_sheet_keeps_string_ids():
    recs, stats = read(SAMPLE / "reviews_ecommerce.xlsx")
    assert stats.files[0]["format"] == "xlsx" and len(recs) == stats.files[0]["rows"] > 0
    assert all(r.id.startswith("0") for r in recs)  # order ids with leading zeros stay strings
    assert all(isinstance(r.meta.get("星级"), int) for r in recs if r.meta.get("星级") is not None)


def test_xlsx_missing_sheet_lists_sheets():
    with pytest.raises(InputError, match="sheets are: "):
        read(SAMPLE / "reviews_ecommerce.xlsx", sheet="nope")


def test_xlsx_that_is_not_a_zip(tmp_path):
    p = tmp_path / "fake.xlsx"
    p.write_bytes(b"PK\x03\x04 this is not really a zip file" * 10)
    with pytest.raises(InputError, match="not a valid XLSX"):
        read(p)


def test_rows_are_streamed_not_loaded(tmp_path):
    p = tmp_path / "big.csv"
    with p.open("w", encoding="utf-8") as fh:
        fh.write("id,comment\n")
        for i in range(50_000):
            fh.write(f"{i},物流太慢了 {i}\n")
    it = read_inputs([str(p)])
    first = next(it)
    assert first.id == "0"  # the first record arrives before the file is read to the end
    assert sum(1 for _ in it) == 49_999
