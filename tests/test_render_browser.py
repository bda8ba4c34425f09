"""Look at what we render: the HTML report in a real headless Chromium, screenshot and console."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from voc.cli import main
from tests.conftest import SAMPLE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0", "--hide-scrollbars"]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs Debian's chromium)")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_renders_in_chromium_without_console_errors(runner, tmp_path, lang):
    out = tmp_path / "report"
    assert runner.invoke(main, ["report", str(SAMPLE / "survey_2026.csv"), "-o", str(out), "--lang", lang]).exit_code == 0
    shot = tmp_path / "shot.png"
    res = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,3000",
                          f"--screenshot={shot}", (out / "report.html").as_uri()],
                         capture_output=True, text=True, timeout=120)
    console = [line for line in res.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
    assert shot.exists() and shot.stat().st_size > 50_000  # a blank page compresses to a few KB
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile2'}", "--dump-dom",
                          (out / "report.html").as_uri()], capture_output=True, text=True, timeout=120).stdout
    assert "<mark>" in dom and ("痛点排名" in dom if lang == "zh" else "Ranked pain points" in dom)
