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
    return loo_impacts(values, [has_theme], rng, n_boot, min_n)[0]


def loo_impacts(values: np.ndarray, themes: list[np.ndarray], rng: np.random.Generator,
                n_boot: int = 300, min_n: int = MIN_N) -> list[dict]:
    """`loo_impact` for several themes over the same bootstrap resamples of the respondents: draw b
    resamples all responses once (rng.integers(0, n, n), b = 0..n_boot-1) and every theme's
    statistic is computed on it, so the draws do not grow with the number of themes.

    Per resample, with c = how often each response was drawn: mean(all) = sum(c*v) / n and
    mean(without) = (sum(c*v) - sum over the theme's rows of c*v) / (n - sum over its rows of c),
    which is exactly `v[idx].mean() - v[idx][~t].mean()` (integer-valued scores add up exactly)."""
    values = np.asarray(values, dtype=float)
    n = len(values)
    outs, live = [], []
    for j, has in enumerate(themes):
        has = np.asarray(has, dtype=bool)
        n_theme = int(has.sum())
        outs.append({"n": n_theme, "impact": None, "low": None, "high": None, "verdict": "insufficient n"})
        if n_theme >= min_n and n_theme != n:
            live.append((j, np.flatnonzero(has)))
    if not live:
        return outs
    rows = np.concatenate([r for _, r in live])
    which = np.repeat(np.arange(len(live)), [len(r) for _, r in live])
    v_rows = values[rows]
    boots = np.empty((n_boot, len(live)))
    for b in range(n_boot):
        counts = np.bincount(rng.integers(0, n, n), minlength=n).astype(float)
        total = float(counts @ values)
        c_rows = counts[rows]
        k = np.bincount(which, weights=c_rows, minlength=len(live))
        s = np.bincount(which, weights=c_rows * v_rows, minlength=len(live))
        rest = n - k
        with np.errstate(invalid="ignore", divide="ignore"):
            boots[b] = np.where(rest > 0, total / n - (total - s) / rest, 0.0)
    lo, hi = np.percentile(boots, [2.5, 97.5], axis=0)
    for i, (j, r) in enumerate(live):
        without = np.ones(n, dtype=bool)
        without[r] = False
        impact = values.mean() - values[without].mean()
        verdict = "drags score down" if hi[i] < 0 else "lifts score" if lo[i] > 0 else "no clear effect"
        outs[j].update(impact=round(float(impact), 2), low=round(float(lo[i]), 2), high=round(float(hi[i]), 2),
                       verdict=verdict)
    return outs


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
    n, k = Xk.shape
    nz_r, nz_c = np.nonzero(Xk)
    # Resample b as weights c (how often each response was drawn; the same draws as
    # Xk[idx], values[idx]): X'CX and X'Cy from the non-zero cells of X only (theme
    # indicators are sparse), then centred with the weighted means.
    per_row = np.bincount(nz_r, minlength=n)
    if int((per_row.astype(np.int64) ** 2).sum()) <= 32 * n:
        starts = np.concatenate([[0], np.cumsum(per_row)])
        pr, pa, pb = [], [], []
        for m in range(1, int(per_row.max()) + 1 if len(nz_r) else 1):
            sel = np.flatnonzero(per_row == m)  # nz_r with m non-zero cells: m*m pairs each
            if not len(sel):
                continue
            pos = starts[sel][:, None] + np.arange(m)[None, :]
            a = np.repeat(pos, m, axis=1)
            bb = np.tile(pos, (1, m))
            pr.append(np.repeat(sel, m * m))
            pa.append(a.ravel())
            pb.append(bb.ravel())
        pr = np.concatenate(pr) if pr else np.zeros(0, dtype=np.int64)
        pa = np.concatenate(pa) if pa else np.zeros(0, dtype=np.int64)
        pb = np.concatenate(pb) if pb else np.zeros(0, dtype=np.int64)
        pair_cell = nz_c[pa] * k + nz_c[pb]
        pair_val = Xk[nz_r[pa], nz_c[pa]] * Xk[nz_r[pb], nz_c[pb]]
        cell_val = Xk[nz_r, nz_c]
        for b in range(n_boot):
            c = np.bincount(rng.integers(0, n, n), minlength=n).astype(float)
            gram = np.bincount(pair_cell, weights=c[pr] * pair_val, minlength=k * k).reshape(k, k)
            xs = np.bincount(nz_c, weights=c[nz_r] * cell_val, minlength=k)
            xy = np.bincount(nz_c, weights=c[nz_r] * cell_val * values[nz_r], minlength=k)
            mx, my = xs / n, float(c @ values) / n
            a = gram - n * np.outer(mx, mx) + alpha * np.eye(k)
            boots[b] = np.linalg.solve(a, xy - n * mx * my)
    else:  # dense X: weighted products, still no copy of X per resample
        for b in range(n_boot):
            c = np.bincount(rng.integers(0, n, n), minlength=n).astype(float)
            mx, my = (c @ Xk) / n, float(c @ values) / n
            a = Xk.T @ (Xk * c[:, None]) - n * np.outer(mx, mx) + alpha * np.eye(k)
            boots[b] = np.linalg.solve(a, Xk.T @ (c * values) - n * mx * my)
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
