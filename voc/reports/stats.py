"""Honest statistics for CX scores: intervals, key drivers, valley detection, with minimum-n guards.

Every function returns plain numbers (and the n they rest on) so a report can show them and a test
can recompute them by hand.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

Z95 = 1.959963984540054
MIN_N = 30  # below this, no verdict: the interval would be wider than any decision it supports


@dataclass
class Estimate:
    value: float | None
    low: float | None
    high: float | None
    n: int
    note: str = ""

    def to_dict(self) -> dict:
        r = lambda x: None if x is None else round(float(x), 2)  # noqa: E731
        return {"value": r(self.value), "low": r(self.low), "high": r(self.high), "n": self.n, "note": self.note}


def nps(scores) -> Estimate:
    """NPS = %promoters (9-10) - %detractors (0-6), with a normal-approximation 95% interval:
    var = (p + d - (p - d)^2) / n, in NPS points."""
    s = np.asarray([x for x in scores if x is not None], dtype=float)
    n = len(s)
    if n == 0:
        return Estimate(None, None, None, 0, "no scores")
    p, d = np.mean(s >= 9), np.mean(s <= 6)
    value = 100 * (p - d)
    se = 100 * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / n)
    return Estimate(value, value - Z95 * se, value + Z95 * se, n, "" if n >= MIN_N else f"n<{MIN_N}")


def share_top2(scores, top=(4, 5)) -> Estimate:
    """CSAT as the share of 4-5 answers (percent), with a Wilson 95% interval."""
    s = [x for x in scores if x is not None]
    n = len(s)
    if n == 0:
        return Estimate(None, None, None, 0, "no scores")
    k = sum(1 for x in s if x >= min(top))
    lo, hi = wilson(k, n)
    return Estimate(100 * k / n, 100 * lo, 100 * hi, n, "" if n >= MIN_N else f"n<{MIN_N}")


def wilson(k: int, n: int) -> tuple[float, float]:
    if n == 0:
        return 0.0, 1.0
    p = k / n
    denom = 1 + Z95 ** 2 / n
    centre = (p + Z95 ** 2 / (2 * n)) / denom
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95 ** 2 / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def mean_ci(scores) -> Estimate:
    """Mean with a normal 95% interval (CES on a 1-7 scale, stars)."""
    s = np.asarray([x for x in scores if x is not None], dtype=float)
    n = len(s)
    if n == 0:
        return Estimate(None, None, None, 0, "no scores")
    m = float(s.mean())
    se = float(s.std(ddof=1) / math.sqrt(n)) if n > 1 else float("nan")
    return Estimate(m, m - Z95 * se, m + Z95 * se, n, "" if n >= MIN_N else f"n<{MIN_N}")


def nps_values(scores: np.ndarray) -> np.ndarray:
    """Per-response NPS contribution: +100 promoter, -100 detractor, 0 passive (mean = NPS)."""
    return np.where(scores >= 9, 100.0, np.where(scores <= 6, -100.0, 0.0))


def loo_impact(values: np.ndarray, has_theme: np.ndarray, rng: np.random.Generator,
               n_boot: int = 300, min_n: int = MIN_N) -> dict:
    """Leave-one-out impact: mean(all) - mean(without the theme's responses), with a bootstrap
    95% interval. Negative = the theme drags the score down. No verdict under min_n."""
    n_theme = int(has_theme.sum())
    out = {"n": n_theme, "impact": None, "low": None, "high": None, "verdict": "insufficient n"}
    if n_theme < min_n or n_theme == len(values):
        return out
    impact = values.mean() - values[~has_theme].mean()
    boots = np.empty(n_boot)
    idx_all = np.arange(len(values))
    for b in range(n_boot):
        idx = rng.choice(idx_all, size=len(idx_all), replace=True)
        v, t = values[idx], has_theme[idx]
        boots[b] = v.mean() - v[~t].mean() if (~t).any() else 0.0
    lo, hi = np.percentile(boots, [2.5, 97.5])
    verdict = "drags score down" if hi < 0 else "lifts score" if lo > 0 else "no clear effect"
    out.update(impact=round(float(impact), 2), low=round(float(lo), 2), high=round(float(hi), 2), verdict=verdict)
    return out


def ridge_drivers(values: np.ndarray, X: np.ndarray, names: list[str], rng: np.random.Generator,
                  alpha: float = 5.0, n_boot: int = 200, min_n: int = MIN_N) -> list[dict]:
    """Regularised regression of the score on theme indicators (ridge, closed form, centred), with
    bootstrap 95% intervals per coefficient. Themes under min_n get no coefficient."""
    keep = [j for j in range(X.shape[1]) if X[:, j].sum() >= min_n]
    rows = [{"theme": names[j], "n": int(X[:, j].sum()), "coef": None, "low": None, "high": None,
             "verdict": "insufficient n"} for j in range(X.shape[1])]
    if not keep or len(values) < 2 * min_n:
        return rows
    Xk = X[:, keep].astype(float)

    def fit(xm, y):
        xc = xm - xm.mean(0)
        yc = y - y.mean()
        a = xc.T @ xc + alpha * np.eye(xc.shape[1])
        return np.linalg.solve(a, xc.T @ yc)

    coef = fit(Xk, values)
    boots = np.empty((n_boot, len(keep)))
    for b in range(n_boot):
        idx = rng.integers(0, len(values), len(values))
        boots[b] = fit(Xk[idx], values[idx])
    lo, hi = np.percentile(boots, [2.5, 97.5], axis=0)
    for i, j in enumerate(keep):
        verdict = "drags score down" if hi[i] < 0 else "lifts score" if lo[i] > 0 else "no clear effect"
        rows[j].update(coef=round(float(coef[i]), 2), low=round(float(lo[i]), 2), high=round(float(hi[i]), 2),
                       verdict=verdict)
    return rows


def two_proportion_z(k1: int, n1: int, k2: int, n2: int) -> float:
    """z statistic for p1 > p2 (pooled); 0 when either group is empty."""
    if n1 == 0 or n2 == 0:
        return 0.0
    p = (k1 + k2) / (n1 + n2)
    se = math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    return 0.0 if se == 0 else (k1 / n1 - k2 / n2) / se


def find_valley(stages: list[dict], z_crit: float = 1.645, min_n: int = MIN_N) -> str | None:
    """The experience valley: the touchpoint whose negativity is significantly higher (one-sided
    z-test, 95%) than that of its pooled neighbours in journey order. None if no stage qualifies."""
    best, best_z = None, z_crit
    for i, st in enumerate(stages):
        if st["n"] < min_n:
            continue
        nb = [stages[j] for j in (i - 1, i + 1) if 0 <= j < len(stages) and stages[j]["n"] > 0]
        if not nb:
            continue
        z = two_proportion_z(st["negative"], st["n"], sum(x["negative"] for x in nb), sum(x["n"] for x in nb))
        if z > best_z:
            best, best_z = st["id"], z
    return best
