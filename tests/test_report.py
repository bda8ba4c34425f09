"""Report statistics on hand-computed cases, and the report files end to end."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from voc.cli import main
from voc.reports import stats
from tests.conftest import SAMPLE


def test_nps_hand_computed():
    # 4 promoters, 3 passives, 3 detractors out of 10: NPS = 40 - 30 = 10
    e = stats.nps([10, 9, 9, 10, 8, 7, 8, 0, 5, 6])
    assert e.value == pytest.approx(10.0) and e.n == 10 and e.note == "n<30"
    se = 100 * math.sqrt((0.4 + 0.3 - 0.1 ** 2) / 10)
    assert e.low == pytest.approx(10 - 1.959963984540054 * se) and e.high == pytest.approx(10 + 1.959963984540054 * se)


def test_csat_wilson_interval():
    e = stats.share_top2([5, 4, 4, 3, 1, 5, 2, 4, 5, 5])  # 7 of 10 are 4-5
    assert e.value == pytest.approx(70.0)
    assert e.low == pytest.approx(39.68, abs=0.01) and e.high == pytest.approx(89.22, abs=0.01)


def test_loo_impact_sign_and_min_n_guard():
    rng = np.random.default_rng(0)
    values = np.array([-100.0] * 40 + [100.0] * 60)
    theme = np.array([True] * 40 + [False] * 60)
    r = stats.loo_impact(values, theme, rng, n_boot=200)
    # all = 20; without the theme = 100; impact = 20 - 100 = -80
    assert r["impact"] == pytest.approx(-80.0) and r["verdict"] == "drags score down" and r["high"] < 0
    small = stats.loo_impact(values, np.array([True] * 7 + [False] * 93), rng)
    assert small["impact"] is None and small["verdict"] == "insufficient n"


def test_loo_impacts_match_the_resampling_they_describe():
    # every theme over the same resamples: draw b is rng.integers(0, n, n); the statistic is
    # v[idx].mean() - v[idx][~t[idx]].mean(), computed here the slow, obvious way
    gen = np.random.default_rng(3)
    values = stats.nps_values(gen.integers(0, 11, 500).astype(float))
    themes = [gen.random(500) < q for q in (0.05, 0.3, 0.01, 0.6)] + [np.ones(500, dtype=bool)]
    got = stats.loo_impacts(values, themes, np.random.default_rng(7), n_boot=60)
    draws = np.random.default_rng(7)
    idxs = [draws.integers(0, 500, 500) for _ in range(60)]
    for t, r in zip(themes, got):
        if t.sum() < 30 or t.all():
            assert r["impact"] is None and r["verdict"] == "insufficient n" and r["n"] == int(t.sum())
            continue
        boots = [values[i].mean() - values[i][~t[i]].mean() for i in idxs]
        lo, hi = np.percentile(boots, [2.5, 97.5])
        assert r["impact"] == round(values.mean() - values[~t].mean(), 2)
        assert (r["low"], r["high"]) == (round(lo, 2), round(hi, 2))
    assert sum(r["impact"] is not None for r in got) == 2


def test_ridge_bootstrap_matches_refitting_each_resample():
    gen = np.random.default_rng(4)
    n = 600
    x = np.zeros((n, 4), dtype=bool)
    x[np.arange(n), gen.integers(0, 4, n)] = True  # one topic each
    x[:, 1] |= gen.random(n) < 0.2
    y = stats.nps_values(gen.integers(0, 11, n).astype(float)) - 30 * x[:, 2]
    names = ["a", "b", "c", "d"]
    got = stats.ridge_drivers(y, x, names, np.random.default_rng(5), n_boot=40)
    draws = np.random.default_rng(5)
    xf = x.astype(float)

    def fit(xm, yy):
        xc, yc = xm - xm.mean(0), yy - yy.mean()
        return np.linalg.solve(xc.T @ xc + 5.0 * np.eye(4), xc.T @ yc)

    boots = np.array([fit(xf[i], y[i]) for i in (draws.integers(0, n, n) for _ in range(40))])
    lo, hi = np.percentile(boots, [2.5, 97.5], axis=0)
    coef = fit(xf, y)
    for j, r in enumerate(got):
        assert r["coef"] == round(coef[j], 2)
        assert r["low"] == pytest.approx(lo[j], abs=0.006) and r["high"] == pytest.approx(hi[j], abs=0.006)
    assert got[2]["coef"] < -15


def test_ridge_driver_sign():
    rng = np.random.default_rng(1)
    x = rng.random((400, 2)) < 0.3
    y = 20 - 60 * x[:, 0] + 0 * x[:, 1] + rng.normal(0, 5, 400)
    rows = stats.ridge_drivers(y, x, ["bad", "neutral"], np.random.default_rng(2), n_boot=100)
    assert rows[0]["coef"] < -40 and rows[0]["verdict"] == "drags score down"
    assert rows[1]["verdict"] == "no clear effect"


@pytest.mark.parametrize("negatives, valley", [
    ([5, 5, 30, 5, 5], "c"),     # c is far worse than both neighbours
    ([5, 6, 7, 6, 5], None),     # no significant dip
    ([5, 5, 30, 5, 5][:2] + [30, 5, 5], "c"),
])
def test_valley_detection(negatives, valley):
    stages = [{"id": i, "n": 100, "negative": k} for i, k in zip("abcde", negatives)]
    assert stats.find_valley(stages) == valley


def test_valley_needs_min_n():
    stages = [{"id": "a", "n": 100, "negative": 5}, {"id": "b", "n": 10, "negative": 9}, {"id": "c", "n": 100, "negative": 5}]
    assert stats.find_valley(stages) is None


@pytest.fixture(scope="module")
def lexicons(tmp_path_factory):
    """A copy of the lexicons, so runs compared with each other see the same ones."""
    import shutil

    from voc.settings import AnalyzerSettings

    root = AnalyzerSettings.load(None).lexicons
    return str(shutil.copytree(root, tmp_path_factory.mktemp("lex") / "lexicons"))


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory, lexicons):
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("report")
    res = CliRunner().invoke(main, ["report", str(SAMPLE / "survey_2026.csv"), "-o", str(out), "--lang", "en",
                                    "--jobs", "2", "--lexicons", lexicons])
    assert res.exit_code == 0, res.output
    return out


def test_report_files_and_numbers_recomputable(report_dir):
    rep = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    assert {"header", "summary", "pain_points", "journey", "trust", "segments", "drivers", "signals",
            "recommendations"} <= set(rep)
    hd = rep["header"]
    assert hd["inputs"][0]["rows"] == 400 and hd["versions"]["lexicon_hash"] and hd["language"] == "en"
    assert hd["records"] == 400 and hd["analysed"] + hd["excluded"]["count"] == 400
    for p in rep["pain_points"]:
        # the priority is the documented formula of the other columns
        expect = 100 * p["share"] * (0.5 + p["negativity"]) * (1 + p["frustration"]) * (1 + 0.5 * max(0, p["trend"] or 0))
        assert p["priority"] == pytest.approx(expect, rel=2e-3, abs=2e-3)
        assert p["volume"] == len(p["record_ids"]) and 3 <= len(p["quotes"]) <= 5 or p["volume"] < 3
        for q in p["quotes"]:
            for e in q["evidence"]:
                assert q["text"][e["start"]:e["end"]] == e["text"]
    ranks = [p["priority"] for p in rep["pain_points"]]
    assert ranks == sorted(ranks, reverse=True)
    for owner, recs in rep["recommendations"].items():
        assert 1 <= len(recs) <= 5 and all(r["touchpoint"] == owner for r in recs)


def test_report_is_the_same_from_one_process_and_from_two(report_dir, lexicons, tmp_path):
    # report_dir analyses in 2 worker processes; --jobs 1 analyses here, topics on the real records
    from click.testing import CliRunner

    res = CliRunner().invoke(main, ["report", str(SAMPLE / "survey_2026.csv"), "-o", str(tmp_path), "--lang", "en",
                                    "--jobs", "1", "--lexicons", lexicons])
    assert res.exit_code == 0, res.output
    one = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    two = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    for rep in (one, two):
        rep["header"].pop("generated_at")
    assert one["header"]["versions"]["lexicon_hash"] == two["header"]["versions"]["lexicon_hash"]
    assert one["drivers"]["loo"] and any(r["theme"].startswith("topic:") for r in one["drivers"]["loo"])
    assert one == two
    assert (tmp_path / "report.md").read_text(encoding="utf-8") == (report_dir / "report.md").read_text(encoding="utf-8")


def test_report_html_is_self_contained(report_dir):
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    assert "<mark>" in html and "<svg" in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html
    assert "<script" not in html


def test_report_xlsx_has_one_sheet_per_table(report_dir):
    import openpyxl

    wb = openpyxl.load_workbook(report_dir / "report.xlsx", read_only=True)
    assert {"pain_points", "journey", "trust", "drivers_loo", "recommendations"} <= set(wb.sheetnames)


def test_report_never_contains_raw_identifiers(report_dir):
    for name in ("report.html", "report.md", "report.json"):
        text = (report_dir / name).read_text(encoding="utf-8")
        assert "13812345678" not in text and "@example.com" not in text
