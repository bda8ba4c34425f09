"""The DuckDB store: idempotent ingest, updates, crash safety, clear errors; the weekly report."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from voc.cli import main
from voc.io.store import Store
from tests.conftest import ROOT, SAMPLE


def rec(i, text="物流太慢", ts="2026-11-20T10:00:00+08:00"):
    return {"id": f"r{i}", "text": text, "lang": "zh", "sentiment": {"label": "negative", "score": -0.5},
            "frustration": 0.3, "touchpoints": [], "pillars": [], "costs": [], "signals": [], "topic": None,
            "flags": [], "conversation_id": None, "speaker": None, "ts": ts, "meta": {}}


def test_upsert_is_idempotent_and_updates_changed_records(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        assert s.upsert(rec(i) for i in range(10)) == {"inserted": 10, "updated": 0, "unchanged": 0}
        assert s.upsert(rec(i) for i in range(10)) == {"inserted": 0, "updated": 0, "unchanged": 10}
        changed = [rec(0, "物流很快")] + [rec(i) for i in range(1, 12)]
        assert s.upsert(changed) == {"inserted": 2, "updated": 1, "unchanged": 9}
        assert s.count() == 12
        texts = {r["id"]: r["text"] for r in s.records_for_weeks(s.weeks())}
        assert texts["r0"] == "物流很快"


def test_ingest_cli_twice_stores_once(runner, tmp_path):
    path = str(tmp_path / "s.duckdb")
    first = runner.invoke(main, ["ingest", str(SAMPLE / "tickets_gbk.csv"), "--store", path])
    second = runner.invoke(main, ["ingest", str(SAMPLE / "tickets_gbk.csv"), "--store", path])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "inserted 60" in first.stderr and "unchanged 60" in second.stderr and "holds 60" in second.stderr


def test_store_keeps_no_raw_personal_data(runner, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("id,comment,date\n1,我的手机13812345678快回电,2026-11-20\n", encoding="utf-8")
    path = tmp_path / "s.duckdb"
    assert runner.invoke(main, ["ingest", str(src), "--store", str(path)]).exit_code == 0
    with Store(path, read_only=True) as s:
        dump = json.dumps(list(s.records_for_weeks(s.weeks())), ensure_ascii=False)
    assert "13812345678" not in dump and "[PHONE]" in dump


def test_read_only_store_gives_a_clear_error(runner, tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.upsert([rec(1)])
    ro = tmp_path / "ro"
    ro.mkdir()
    target = ro / "s.duckdb"
    target.write_bytes(path.read_bytes())
    os.chmod(target, 0o444)
    os.chmod(ro, 0o555)
    try:
        # Root ignores file modes: the child drops CAP_DAC_OVERRIDE & co. first (tests/test_faults.py),
        # so this runs, and can fail, as root too.
        from tests.test_faults import assert_clear_error, run, write_denied

        assert write_denied(target)
        before = target.read_bytes()
        res = run(["ingest", SAMPLE / "tickets_gbk.csv", "--store", target, "--no-progress"], drop_dac=True)
        assert res.returncode == 1
        assert_clear_error(res.stderr, f"cannot open store {target} for writing", "read-only")
        assert target.read_bytes() == before
    finally:
        os.chmod(ro, 0o755)


def test_weekly_on_missing_store_is_a_clear_error(runner, tmp_path):
    res = runner.invoke(main, ["weekly", "--store", str(tmp_path / "nope.duckdb"), "-o", str(tmp_path / "w")])
    assert res.exit_code == 1 and "store not found" in res.stderr


def test_kill_during_ingest_loses_and_corrupts_nothing(tmp_path):
    """kill -9 an ingest mid-way, check the store opens with only whole batches, re-run to finish."""
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("id,comment,date\n")
        for i in range(60_000):
            fh.write(f"t{i},物流太慢了第{i}次,2026-11-{10 + i % 10}\n")
    store = tmp_path / "s.duckdb"
    cmd = [sys.executable, "-m", "voc.cli", "ingest", str(big), "--store", str(store), "--no-progress"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
        if store.exists() and store.stat().st_size > 1_000_000:
            break
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    with Store(store) as s:
        partial = s.count()
    assert partial % 5000 == 0 or partial == 60_000  # whole batches only
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 0, done.stderr
    with Store(store) as s:
        assert s.count() == 60_000
        ids = s.con.execute("SELECT count(DISTINCT id) FROM records").fetchone()[0]
    assert ids == 60_000 and f"unchanged {partial}" in done.stderr


def test_weekly_report_finds_the_emerging_theme(runner, tmp_path):
    path = str(tmp_path / "s.duckdb")
    assert runner.invoke(main, ["ingest", str(SAMPLE / "survey_2026.csv"), "--store", path]).exit_code == 0
    out = tmp_path / "weekly"
    res = runner.invoke(main, ["weekly", "--store", path, "--week", "2026-W47", "-o", str(out)])
    assert res.exit_code == 0, res.output
    rep = json.loads((out / "weekly.json").read_text(encoding="utf-8"))
    assert rep["header"]["week"] == "2026-W47" and rep["header"]["previous_week"] == "2026-W46"
    assert len(rep["header"]["baseline_weeks"]) == 8
    # the sample's new app version (5.2) logs people out from W46: it must surface as new
    assert any(t["term"] in ("5.2", "登录", "退出", "logged") for t in rep["emerging_terms"][:5])
    for name in ("weekly.html", "weekly.md", "weekly.xlsx"):
        assert (out / name).stat().st_size > 0
