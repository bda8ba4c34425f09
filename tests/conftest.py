"""Shared fixtures: one analyzer per session (loading lexicons and models once), paths, a CLI runner."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def analyzer():
    from voc.analyzer import Analyzer

    return Analyzer.from_settings()


@pytest.fixture(scope="session")
def analyze(analyzer):
    """analyze("text", speaker=None) -> contract dict."""
    from voc.records import Feedback

    def run(text, **fields):
        return analyzer.analyze(Feedback(id="t", raw_text=text, **fields)).to_contract()

    return run


@pytest.fixture()
def runner():
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture(scope="session")
def contract_checker():
    """check(records) -> problems, by the project's own contract rules (tests/contract.py) and, when
    it is there, by the shared checker other programs use (../shared/tools/check_contract.py)."""
    import importlib.util

    from tests import contract

    checkers = [contract.check_record]
    path = SHARED / "tools" / "check_contract.py"
    if path.exists():
        spec = importlib.util.spec_from_file_location("check_contract", path)
        shared = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(shared)
        checkers.append(shared.check_record)

    def check(records: list[dict]) -> list[str]:
        errs: list[str] = []
        for n, r in enumerate(records, 1):
            for checker in checkers:
                checker(r, n, errs)
        return errs

    return check
