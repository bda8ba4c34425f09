"""Write faults: a full disk and a read-only store or output give one clear line and exit 1, and
leave the store consistent (a re-run once the fault is gone completes it, no row lost or doubled).

The faults are real, and they hold for root too (CI runs as root, and root ignores file modes):
- full disk: writing to /dev/full (ENOSPC), a process file-size limit (RLIMIT_FSIZE with SIGXFSZ
  ignored, so write() fails with EFBIG), and, where mount(2) is permitted, a small tmpfs (ENOSPC);
- read-only: the child process drops CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH / CAP_FOWNER from its
  capability bounding set before exec, so root obeys mode bits like any user; and, where mount(2)
  is permitted, a tmpfs remounted read-only (EROFS).
"""
from __future__ import annotations

import ctypes
import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE
from voc.cli import main
from voc.io.store import Store

ENV = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1", OMP_NUM_THREADS="1")
PR_CAPBSET_DROP = 24
DAC_CAPS = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER


def _limits(fsize: int | None, drop_dac: bool):
    def pre():
        if fsize is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() then fails with EFBIG
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        if drop_dac and os.geteuid() == 0:
            libc = ctypes.CDLL(None, use_errno=True)
            for cap in DAC_CAPS:
                if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                    raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")
    return pre


def run(args, *, fsize=None, drop_dac=False, stdout=subprocess.PIPE, timeout=180, cwd=None):
    cmd = [sys.executable, "-m", "voc.cli", *map(str, args)]
    return subprocess.run(cmd, cwd=cwd or ROOT, env=ENV, stdout=stdout, stderr=subprocess.PIPE, text=True,
                          timeout=timeout, preexec_fn=_limits(fsize, drop_dac))


def assert_clear_error(stderr: str, *fragments: str) -> str:
    """Exactly one `voc: error:` line, no traceback, naming what it was given."""
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("voc: error:")]
    assert len(errors) == 1, stderr
    line = errors[0]
    for f in fragments:
        assert f in line, f"{f!r} not in {line!r}"
    return line


def write_denied(path: Path) -> bool:
    """Whether a child with the DAC capabilities dropped really cannot write `path` (the fault exists)."""
    probe = subprocess.run([sys.executable, "-c", f"open({str(path)!r}, 'ab')"], capture_output=True,
                           preexec_fn=_limits(None, True), timeout=30)
    return probe.returncode != 0 and b"PermissionError" in probe.stderr


def feedback_csv(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("id,comment,date\n")
        for i in range(n):
            fh.write(f"t{i},物流太慢了第{i}次，客服也不回复，等了{i % 9 + 2}天还没到,2026-11-{10 + i % 10}\n")
    return path


def store_rows(path: Path) -> tuple[int, int]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT count(*), count(DISTINCT id) FROM records").fetchone()
    finally:
        con.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def can_mount() -> bool:
    if os.geteuid() != 0:
        return False
    probe = Path("/tmp") / f"voc-mount-probe-{os.getpid()}"
    probe.mkdir(exist_ok=True)
    try:
        ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)],
                            capture_output=True, timeout=10).returncode == 0
        if ok:
            subprocess.run(["umount", str(probe)], capture_output=True, timeout=10)
        return ok
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        probe.rmdir()


MOUNT = pytest.mark.skipif(not can_mount(), reason="mount(2) is not permitted here (needs root with CAP_SYS_ADMIN)")


@pytest.fixture()
def tmpfs(tmp_path):
    """A small tmpfs at tmp_path/mnt; resize/remount with the returned function."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)], check=True, timeout=10)

    def remount(opts: str):
        subprocess.run(["mount", "-o", f"remount,{opts}", str(mnt)], check=True, timeout=10)

    yield mnt, remount
    subprocess.run(["umount", "-l", str(mnt)], timeout=10)


# ----------------------------------------------------------------------------- full disk: outputs
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "xlsx", "parquet"])
def test_analyze_output_on_a_full_disk(runner, fmt):
    res = runner.invoke(main, ["analyze", str(SAMPLE / "tickets_gbk.csv"), "-o", "/dev/full", "--format", fmt])
    assert res.exit_code == 1, res.output
    assert not isinstance(res.exception, OSError)
    assert_clear_error(res.stderr, "/dev/full", "no space left", "ENOSPC", "free some disk space")


def test_analyze_to_stdout_on_a_full_disk():
    with open("/dev/full", "w") as full:
        res = run(["analyze", SAMPLE / "tickets_gbk.csv", "--no-progress"], stdout=full)
    assert res.returncode == 1
    assert_clear_error(res.stderr, "standard output", "ENOSPC")


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "xlsx"])
def test_analyze_file_size_limit_keeps_the_previous_output(runner, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    out.write_text("the previous, complete output\n")
    res = run(["analyze", SAMPLE / "tickets_gbk.csv", "-o", out, "--no-progress"], fsize=16_000)
    assert res.returncode == 1
    assert_clear_error(res.stderr, str(out), "EFBIG", "left unchanged")
    assert out.read_text() == "the previous, complete output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # no partial temp file left behind

    ok = runner.invoke(main, ["analyze", str(SAMPLE / "tickets_gbk.csv"), "-o", str(out)])  # no limit: it works
    assert ok.exit_code == 0, ok.output
    assert out.stat().st_size > 1000


def _full_dir(path: Path, names) -> Path:
    """A report folder whose files are /dev/full: every write to them fails with ENOSPC."""
    path.mkdir()
    for name in names:
        (path / name).symlink_to("/dev/full")
    return path


def test_report_on_a_full_disk(runner, tmp_path):
    out = _full_dir(tmp_path / "rep", ["report.html", "report.md", "report.xlsx", "report.json"])
    res = runner.invoke(main, ["report", str(SAMPLE / "tickets_gbk.csv"), "-o", str(out), "--no-topics"])
    assert res.exit_code == 1 and not isinstance(res.exception, OSError), res.output
    assert_clear_error(res.stderr, str(out), "ENOSPC", "incomplete")


def test_weekly_on_a_full_disk(runner, tmp_path):
    store = tmp_path / "s.duckdb"
    src = feedback_csv(tmp_path / "in.csv", 40)
    assert runner.invoke(main, ["ingest", str(src), "--store", str(store)]).exit_code == 0
    out = _full_dir(tmp_path / "weekly", ["weekly.html", "weekly.md", "weekly.xlsx", "weekly.json"])
    res = runner.invoke(main, ["weekly", "--store", str(store), "-o", str(out)])
    assert res.exit_code == 1 and not isinstance(res.exception, OSError), res.output
    assert_clear_error(res.stderr, str(out), "ENOSPC", "incomplete")


@pytest.mark.slow
def test_topics_output_on_a_full_disk(runner, tmp_path):
    res = runner.invoke(main, ["topics", str(SAMPLE / "tickets_gbk.csv"), "-o", "/dev/full", "--flat",
                               "--min-topic-size", "5"])
    assert res.exit_code == 1 and not isinstance(res.exception, OSError), res.output
    assert_clear_error(res.stderr, "/dev/full", "ENOSPC")


def test_watch_stdout_and_dead_letter_on_a_full_disk(tmp_path):
    chats = SAMPLE / "chats.jsonl"
    with open("/dev/full", "w") as full:
        res = run(["watch", chats], stdout=full)
    assert res.returncode == 1
    assert_clear_error(res.stderr, "standard output", "ENOSPC", "not written")
    # a webhook nobody answers: alerts go to the dead-letter file, which is on a full disk
    res = run(["watch", chats, "--sink", "http://127.0.0.1:9/hook", "--retries", "0", "--dead-letter", "/dev/full"])
    assert res.returncode == 1
    assert_clear_error(res.stderr, "/dev/full (dead-letter file for http://127.0.0.1:9/hook)", "ENOSPC")


# ----------------------------------------------------------------------------- full disk: the store
def test_ingest_past_the_file_size_limit_keeps_whole_batches_and_resumes(tmp_path):
    src = feedback_csv(tmp_path / "in.csv", 1200)
    store = tmp_path / "s.duckdb"
    cmd = ["ingest", src, "--store", store, "--batch-size", "100", "--no-progress"]
    res = run(cmd, fsize=400_000)
    assert res.returncode == 1
    line = assert_clear_error(res.stderr, str(store), "EFBIG", "rolled back", "re-run the same command")
    saved, distinct = store_rows(store)
    assert 0 < saved < 1200 and saved % 100 == 0 and distinct == saved, (saved, line)
    assert f"{saved} records of this run are stored" in line
    done = run(cmd)  # the limit is gone: the same command completes the store
    assert done.returncode == 0, done.stderr
    assert f"inserted {1200 - saved}" in done.stderr and f"unchanged {saved}" in done.stderr
    assert store_rows(store) == (1200, 1200)


@MOUNT
def test_ingest_on_a_full_tmpfs_then_resumes_when_space_is_freed(tmp_path, tmpfs):
    mnt, remount = tmpfs
    src = feedback_csv(tmp_path / "in.csv", 1200)
    store = mnt / "s.duckdb"
    cmd = ["ingest", src, "--store", store, "--batch-size", "100", "--no-progress"]
    res = run(cmd)
    assert res.returncode == 1
    assert_clear_error(res.stderr, str(store), "no space left", "ENOSPC", "rolled back")
    saved, distinct = store_rows(store)
    assert saved % 100 == 0 and distinct == saved
    remount("size=16m")  # space is available again
    done = run(cmd)
    assert done.returncode == 0, done.stderr
    assert f"unchanged {saved}" in done.stderr
    assert store_rows(store) == (1200, 1200)


# ----------------------------------------------------------------------------- read-only
def _read_only_store(tmp_path: Path, runner) -> Path:
    ro = tmp_path / "ro"
    ro.mkdir()
    store = ro / "s.duckdb"
    src = feedback_csv(tmp_path / "in.csv", 40)
    assert runner.invoke(main, ["ingest", str(src), "--store", str(store)]).exit_code == 0
    os.chmod(store, 0o444)
    os.chmod(ro, 0o555)
    return store


def test_read_only_store_gives_a_clear_error_even_for_root(runner, tmp_path):
    store = _read_only_store(tmp_path, runner)
    try:
        assert write_denied(store), "the read-only fault could not be set up"
        before = digest(store)
        res = run(["ingest", SAMPLE / "tickets_gbk.csv", "--store", store, "--no-progress"], drop_dac=True)
        assert res.returncode == 1
        assert_clear_error(res.stderr, f"cannot open store {store} for writing", "permission denied", "EACCES",
                           "--store with a writable path")
        assert digest(store) == before and sorted(os.listdir(store.parent)) == ["s.duckdb"]
        # reading a read-only store still works, under the same restriction
        read = subprocess.run([sys.executable, "-c", "import sys; from voc.io.store import Store; "
                               f"s = Store({str(store)!r}, read_only=True); print(s.count(), s.weeks()[-1])"],
                              cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=60,
                              preexec_fn=_limits(None, True))
        assert read.returncode == 0 and read.stdout.split()[0] == "40", read.stderr
    finally:
        os.chmod(store.parent, 0o755)
        os.chmod(store, 0o644)


def test_read_only_output_folder_gives_a_clear_error_even_for_root(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    os.chmod(ro, 0o555)
    try:
        assert write_denied(ro / "x")
        res = run(["analyze", SAMPLE / "tickets_gbk.csv", "-o", ro / "out.csv", "--no-progress"], drop_dac=True)
        assert res.returncode == 1
        assert_clear_error(res.stderr, str(ro / "out.csv"), "permission denied", "EACCES")
        res = run(["report", SAMPLE / "tickets_gbk.csv", "-o", ro / "rep", "--no-topics", "--no-progress"],
                  drop_dac=True)
        assert res.returncode == 1
        assert_clear_error(res.stderr, str(ro / "rep"), "permission denied")
    finally:
        os.chmod(ro, 0o755)


@MOUNT
def test_store_on_a_read_only_file_system(runner, tmp_path, tmpfs):
    mnt, remount = tmpfs
    remount("size=16m")
    store = mnt / "s.duckdb"
    src = feedback_csv(tmp_path / "in.csv", 40)
    assert runner.invoke(main, ["ingest", str(src), "--store", str(store)]).exit_code == 0
    n = store_rows(store)
    remount("ro")
    res = run(["ingest", SAMPLE / "tickets_gbk.csv", "--store", store, "--no-progress"])
    assert res.returncode == 1
    assert_clear_error(res.stderr, str(store), "file system is read-only", "EROFS")
    with Store(store, read_only=True) as s:  # still readable
        assert s.count() == n[0]
    remount("rw")
    assert store_rows(store) == n
