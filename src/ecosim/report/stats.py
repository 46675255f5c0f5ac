"""Statistics of replicated simulation runs: intervals, tests, effect sizes, Pareto front, break-even.

Pure functions on arrays, so each can be checked by hand. Conventions:

- replications are independent draws of the model's randomness, so a cell's mean gets a
  Student t interval over its replications;
- two cells run with common random numbers (replication r has the same seed in both) are
  compared *paired*: the per-replication difference removes the noise both share. The test
  is the paired t-test, which matches the t interval of the mean difference and the effect
  size d_z = mean / sd of the differences (t = d_z * sqrt(n)); the Wilcoxon signed-rank test
  is reported next to it as a check that does not assume normal differences;
- unpaired cells get Welch's t-test (no equal-variance assumption) with Cohen's d on the
  pooled sd, and the Mann-Whitney U test as the distribution-free check;
- many comparisons get Holm's step-down correction (statsmodels), which controls the
  family-wise error rate without assuming independence between tests.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

LEVEL = 0.95
"""Confidence level of every interval in the report."""


@dataclass(frozen=True)
class MeanCI:
    """A mean with its t confidence interval over n replications."""

    mean: float
    low: float
    high: float
    sd: float
    n: int


@dataclass(frozen=True)
class Comparison:
    """Difference b - a between two sets of runs, with interval, effect size and tests.

    Attributes:
        paired: whether runs were paired by replication (common random numbers).
        n: replications (pairs) or the smaller group size (unpaired).
        mean_a: mean of a; mean_b: mean of b.
        diff: mean difference b - a; low, high: its confidence interval.
        effect: d_z (paired) or Cohen's d (unpaired), signed like ``diff``.
        test: name of the main test; p: its two-sided p-value.
        check: name of the distribution-free check; p_check: its p-value.
    """

    paired: bool
    n: int
    mean_a: float
    mean_b: float
    diff: float
    low: float
    high: float
    effect: float
    test: str
    p: float
    check: str
    p_check: float


def mean_ci(values: np.ndarray | list[float], level: float = LEVEL) -> MeanCI:
    """Mean and two-sided Student t interval; the interval is NaN with fewer than 2 values."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = x.size
    if n == 0:
        return MeanCI(np.nan, np.nan, np.nan, np.nan, 0)
    mean = float(x.mean())
    if n < 2:
        return MeanCI(mean, np.nan, np.nan, np.nan, 1)
    sd = float(x.std(ddof=1))
    half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * sd / np.sqrt(n)
    return MeanCI(mean, mean - half, mean + half, sd, n)


def holm(pvalues: np.ndarray | list[float]) -> np.ndarray:
    """Holm step-down adjusted p-values (NaN stays NaN and does not count as a test).

    statsmodels' ``multipletests(method="holm")`` on the finite p-values: the i-th smallest
    of m is multiplied by (m - i + 1), made monotone and capped at 1, so 'adjusted p <
    alpha' is Holm's rejection rule.
    """
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(pvalues, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    if ok.any():
        out[ok] = multipletests(p[ok], method="holm")[1]
    return out


def cohens_d(a: np.ndarray | list[float], b: np.ndarray | list[float]) -> float:
    """Cohen's d of b - a with the pooled standard deviation."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    na, nb = a.size, b.size
    pooled = np.sqrt(((na - 1) * a.var(ddof=1) + (nb - 1) * b.var(ddof=1)) / (na + nb - 2))
    return _ratio(b.mean() - a.mean(), pooled)


def cohens_dz(diff: np.ndarray | list[float]) -> float:
    """Cohen's d_z of paired differences: mean difference over the sd of the differences."""
    d = np.asarray(diff, dtype=float)
    return _ratio(d.mean(), d.std(ddof=1))


def _ratio(num: float, den: float) -> float:
    # A difference that is exactly the same in every replication has sd 0: the effect is
    # infinite if the difference is not zero and zero if it is (no effect at all).
    if den > 0:
        return float(num / den)
    return 0.0 if num == 0 else float(np.sign(num) * np.inf)


def paired(a: np.ndarray | list[float], b: np.ndarray | list[float], level: float = LEVEL) -> Comparison:
    """Paired comparison of b - a (a[i] and b[i] share replication i's random numbers)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"paired samples must have the same length, got {a.size} and {b.size}")
    d = b - a
    ci = mean_ci(d, level)
    n = d.size
    if n < 2:
        p = p_check = np.nan
    elif np.all(d == d[0]):
        # Every replication gives the same difference: the t statistic is undefined (0/0 or
        # x/0), so there is no t-test; the signed-rank test still says how rare n equal signs are.
        p = np.nan
        p_check = np.nan if d[0] == 0 else float(stats.wilcoxon(d).pvalue)
    else:
        p = float(stats.ttest_rel(b, a).pvalue)
        p_check = float(stats.wilcoxon(d, zero_method="wilcox").pvalue) if np.any(d != 0) else 1.0
    effect = cohens_dz(d) if n >= 2 else np.nan
    return Comparison(
        True,
        n,
        float(a.mean()),
        float(b.mean()),
        ci.mean,
        ci.low,
        ci.high,
        effect,
        "paired t",
        p,
        "Wilcoxon signed-rank",
        p_check,
    )


def unpaired(a: np.ndarray | list[float], b: np.ndarray | list[float], level: float = LEVEL) -> Comparison:
    """Unpaired comparison of b - a: Welch's t interval and test, Cohen's d, Mann-Whitney U."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    na, nb = a.size, b.size
    diff = float(b.mean() - a.mean())
    low = high = p = p_check = effect = np.nan
    if na >= 2 and nb >= 2:
        va, vb = a.var(ddof=1) / na, b.var(ddof=1) / nb
        se = np.sqrt(va + vb)
        effect = cohens_d(a, b)
        if se == 0:
            # Both groups constant: no t-test is defined (as in :func:`paired`).
            low = high = diff
            p_check = float(stats.mannwhitneyu(b, a, alternative="two-sided").pvalue) if diff != 0 else np.nan
        else:
            # Welch-Satterthwaite degrees of freedom.
            df = (va + vb) ** 2 / (va**2 / (na - 1) + vb**2 / (nb - 1))
            half = float(stats.t.ppf(0.5 + level / 2, df)) * se
            low, high = diff - half, diff + half
            p = float(stats.ttest_ind(b, a, equal_var=False).pvalue)
            p_check = float(stats.mannwhitneyu(b, a, alternative="two-sided").pvalue)
    return Comparison(
        False, min(na, nb), float(a.mean()), float(b.mean()), diff, float(low), float(high), effect,
        "Welch t", p, "Mann-Whitney U", p_check,
    )  # fmt: skip


def pareto_front(x: np.ndarray | list[float], y: np.ndarray | list[float]) -> np.ndarray:
    """Mask of the points no other point beats on both x and y (both to be minimised).

    A point is dominated when another is at most as large on both and smaller on one.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    le = (x[None, :] <= x[:, None]) & (y[None, :] <= y[:, None])
    lt = (x[None, :] < x[:, None]) | (y[None, :] < y[:, None])
    dominated = (le & lt).any(axis=1)
    return ~dominated


def break_even_month(cum_diff: np.ndarray | list[float], months: np.ndarray | list[int] | None = None) -> int | None:
    """First month from which a cumulative difference stays below zero to the end, else None.

    ``cum_diff`` is cumulative spending of transformation minus cost control, month by month.
    Requiring it to *stay* below zero means a brief dip before spending rises again does not
    count as paying back.
    """
    c = np.asarray(cum_diff, dtype=float)
    m = np.arange(c.size) if months is None else np.asarray(months)
    if c.size == 0 or not c[-1] < 0:
        return None
    above = np.flatnonzero(~(c < 0))
    return int(m[0] if above.size == 0 else m[above[-1] + 1])


def payback_ratio(cum_diff: np.ndarray | list[float]) -> float:
    """Savings after the peak of extra spending per euro of that extra spending.

    With ``peak`` the largest cumulative extra spending of transformation over cost control and
    ``end`` the cumulative difference at the end, the ratio is (peak - end) / peak: 1 means the
    investment has been earned back, 3 means "threefold". NaN when transformation never spent
    more (no investment to pay back).
    """
    c = np.asarray(cum_diff, dtype=float)
    peak = float(np.max(c)) if c.size else np.nan
    if not peak > 0:
        return np.nan
    return (peak - float(c[-1])) / peak
