"""The CLI as a user meets it: sample exports in, contract records out, clear errors, exit codes."""
from __future__ import annotations

import csv
import io
import json

import pytest

from voc.cli import main
from tests.conftest import SAMPLE

SAMPLES = sorted(p for p in SAMPLE.iterdir() if p.suffix in (".csv", ".xlsx", ".jsonl", ".json", ".tsv"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_analyze_every_sample_emits_contract_records(runner, contract_checker, path, tmp_path):
    out = tmp_path / "out.jsonl"
    res = runner.invoke(main, ["analyze", str(path), "-o", str(out)])
    assert res.exit_code == 0, res.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records and contract_checker(records) == []
    assert f"{len(records)} records from {path.name}" in res.stderr


def test_one_output_line_per_input_row_in_order(runner):
    rows = list(csv.DictReader(io.StringIO((SAMPLE / "survey_2026.csv").read_text(encoding="utf-8-sig"))))
    res = runner.invoke(main, ["analyze", str(SAMPLE / "survey_2026.csv"), "-o", "-"])
    ids = [json.loads(line)["id"] for line in res.stdout.splitlines()]
    assert ids == [r["response_id"] for r in rows]


def test_stdin_jsonl(runner):
    res = runner.invoke(main, ["analyze", "-"], input='{"text": "物流太慢了"}\n{"text": "great service"}\n')
    assert res.exit_code == 0
    out = [json.loads(line) for line in res.stdout.splitlines()]
    assert [r["id"] for r in out] == ["stdin:1", "stdin:2"] and out[0]["touchpoints"][0]["id"] == "delivery"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_flat_formats(runner, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    src = tmp_path / "in.csv"
    src.write_text('id,comment\n1,=HYPERLINK("http://x","点我")\n2,物流太慢\n', encoding="utf-8")
    res = runner.invoke(main, ["analyze", str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
        texts = [r["text"] for r in rows]
    elif fmt == "xlsx":
        import openpyxl

        ws = openpyxl.load_workbook(out).active
        texts = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]
    else:
        import pyarrow.parquet as pq

        texts = pq.read_table(out).column("text").to_pylist()
    assert len(texts) == 2
    if fmt in ("csv", "xlsx"):  # a formula from a customer must not execute in a spreadsheet
        assert texts[0].startswith("'=")
    else:
        assert texts[0].startswith("=")


@pytest.mark.parametrize("args, message", [
    (["analyze", "does-not-exist.csv"], "does-not-exist.csv: file not found"),
    (["analyze", str(SAMPLE / "reviews_ecommerce.xlsx"), "--sheet", "nope"], "no sheet 'nope'"),
    (["analyze", str(SAMPLE / "survey_2026.csv"), "--text-col", "nope"], "--text-col 'nope' is not a column"),
    (["analyze", "-", "--format", "xlsx"], "--format xlsx needs a file"),
])
def test_errors_are_one_line_with_exit_code_1(runner, args, message):
    res = runner.invoke(main, args, input="")
    assert res.exit_code == 1
    assert message in res.stderr and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_keep_pii(runner):
    line = '{"text": "call 13812345678"}\n'
    masked = json.loads(runner.invoke(main, ["analyze", "-"], input=line).stdout)
    kept = json.loads(runner.invoke(main, ["analyze", "-", "--keep-pii"], input=line).stdout)
    assert masked["text"] == "call [PHONE]" and "pii_masked" in masked["flags"]
    assert kept["text"] == "call 13812345678" and "pii_masked" not in kept["flags"]


def test_lexicon_commands(runner):
    assert runner.invoke(main, ["lexicon", "check"]).exit_code == 0
    res = runner.invoke(main, ["lexicon", "explain", "菜很好吃但是配送太慢", "--json"])
    data = json.loads(res.stdout)
    assert {h["label"] for h in data["hits"]} >= {"product", "delivery"}
    assert runner.invoke(main, ["lexicon", "test", "-q"]).exit_code == 0


def test_lexicon_check_reports_every_problem(runner, tmp_path):
    (tmp_path / "touchpoints.toml").write_text(
        '[group]\nname = "touchpoints"\nkind = "aspect"\n'
        '[labels.delivery]\nzh = ["物流", "物流"]\npatterns = ["(unclosed"]\n'
        '[labels.Bad-Id]\nen = ["x"]\nfoo = 1\n', encoding="utf-8")
    res = runner.invoke(main, ["lexicon", "check", "--lexicons", str(tmp_path)])
    assert res.exit_code == 1
    for part in ["duplicate term '物流'", "patterns[0]: invalid regex", "lower_snake_case", "unknown key 'foo'"]:
        assert part in res.stderr


def test_analyze_with_topics_fills_every_topic(runner, tmp_path, contract_checker):
    out = tmp_path / "t.jsonl"
    res = runner.invoke(main, ["analyze", str(SAMPLE / "survey_2026.csv"), "--topics", "-o", str(out)])
    assert res.exit_code == 0, res.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert contract_checker(records) == []
    assert all(r["topic"] is not None and {"id", "label"} <= set(r["topic"]) for r in records)
    assert len({r["topic"]["id"] for r in records}) > 3
