"""From a sweep's tables to the report's tables: cells, stance pairs, paired differences, break-even.

A *cell* is a unique combination of the ``factor_*`` columns of runs.parquet; its runs are
its replications. A *pair* is two cells that differ only in the stance factor. Runs of a
pair are matched by replication index, which gives them the same seed (common random
numbers); the seeds are checked, and the comparison falls back to unpaired tests when they
do not match.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ecosim.report import stats
from ecosim.report.outcomes import Outcome

STANCE = "stance"
"""Name of the factor that sets the stance."""
CONTROL, TRANSFORMATION = "cost_control", "transformation"
"""Its two levels the report compares (transformation minus cost control)."""


def factor_columns(runs: pd.DataFrame) -> list[str]:
    """The ``factor_*`` columns of runs.parquet, in sweep order."""
    return [c for c in runs.columns if c.startswith("factor_")]


def varied(runs: pd.DataFrame) -> list[str]:
    """Factor columns that take more than one value (constant ones describe every cell alike)."""
    return [c for c in factor_columns(runs) if runs[c].nunique(dropna=False) > 1]


def cell_label(values: dict[str, object]) -> str:
    """A short name for a cell, e.g. 'form=light, cuts=2015' (factor_ prefix dropped)."""
    if not values:
        return "all runs"
    return ", ".join(f"{k.removeprefix('factor_')}={_fmt_level(v)}" for k, v in values.items())


FEW_LEVELS = 6
"""A factor with at most this many values names a cell in words; more are sampled, named by their design point."""


def sampled_factors(runs: pd.DataFrame, columns: list[str]) -> list[str]:
    """Of ``columns``, the factors with more than :data:`FEW_LEVELS` values: sampled, not named levels."""
    return [c for c in columns if runs[c].nunique(dropna=False) > FEW_LEVELS]


def pair_label(context: dict[str, object], sampled: list[str], sample_ids: dict[tuple, int]) -> str:
    """A pair's name: its named factors' levels, and which sample of the sampled factors it ran.

    In a Latin hypercube every sampled factor differs between pairs; listing them all would make a
    sentence of a hundred values, so the pair is named by its sample (numbered in the order the
    samples first appear in runs.parquet, where their values are).
    """
    if not sampled:
        return cell_label(context)
    named = {k: v for k, v in context.items() if k not in sampled}
    key = tuple(context[c] for c in sampled)
    return ", ".join(filter(None, [cell_label(named) if named else "", f"sample {sample_ids[key] + 1}"]))


def _fmt_level(v: object) -> str:
    return f"{v:.3g}" if isinstance(v, float) else str(v)


def cells(runs: pd.DataFrame, outcomes: list[Outcome]) -> pd.DataFrame:
    """Mean and 95% t interval over replications of each outcome in each cell (scaled to its unit).

    One row per cell and outcome: the cell's varied factors, ``cell`` (label), ``outcome``,
    ``n``, ``mean``, ``sd``, ``low``, ``high``.
    """
    keys = varied(runs)
    rows = []
    groups = runs.groupby(keys, sort=False, dropna=False) if keys else [((), runs)]
    for key, grp in groups:
        values = dict(zip(keys, key if isinstance(key, tuple) else (key,), strict=True))
        for o in outcomes:
            ci = stats.mean_ci(grp[o.name].to_numpy(dtype=float) * o.scale)
            rows.append(
                {
                    **values,
                    "cell": cell_label(values),
                    "outcome": o.name,
                    "n": ci.n,
                    "mean": ci.mean,
                    "sd": ci.sd,
                    "low": ci.low,
                    "high": ci.high,
                }
            )
    return pd.DataFrame(rows)


@dataclass
class Pair:
    """Two cells that differ only in stance, with their runs matched by replication."""

    label: str
    context: dict[str, object]
    control: pd.DataFrame
    transformation: pd.DataFrame
    paired: bool


def has_stance(runs: pd.DataFrame) -> bool:
    """Whether the sweep varies a factor named ``stance`` with both compared levels."""
    col = f"factor_{STANCE}"
    return col in runs and {CONTROL, TRANSFORMATION} <= set(runs[col].astype(str))


def pairs(runs: pd.DataFrame) -> list[Pair]:
    """Cells that differ only in stance, in sweep order; runs sorted by replication."""
    col = f"factor_{STANCE}"
    others = [c for c in varied(runs) if c != col]
    sampled = sampled_factors(runs, others)
    firsts = runs[sampled].drop_duplicates() if sampled else pd.DataFrame()
    sample_ids = {tuple(r): i for i, r in enumerate(firsts.itertuples(index=False, name=None))}
    out = []
    groups = runs.groupby(others, sort=False, dropna=False) if others else [((), runs)]
    for key, grp in groups:
        context = dict(zip(others, key if isinstance(key, tuple) else (key,), strict=True))
        a = grp[grp[col].astype(str) == CONTROL].sort_values("replication")
        b = grp[grp[col].astype(str) == TRANSFORMATION].sort_values("replication")
        if a.empty or b.empty:
            continue
        common = np.intersect1d(a["replication"], b["replication"])
        a_c = a.set_index("replication").loc[common]
        b_c = b.set_index("replication").loc[common]
        # Pairing is valid only when replication r really shares its seed in both cells.
        same_seed = len(common) >= 1 and bool((a_c["seed"].to_numpy() == b_c["seed"].to_numpy()).all())
        if same_seed:
            a, b = a_c.reset_index(), b_c.reset_index()
        out.append(Pair(pair_label(context, sampled, sample_ids), context, a, b, same_seed))
    return out


def compare(pair_list: list[Pair], outcomes: list[Outcome]) -> pd.DataFrame:
    """Transformation minus cost control for every pair and outcome, Holm-corrected over all rows.

    Columns: ``pair``, ``outcome``, ``paired``, ``n``, ``control``, ``transformation``, ``diff``,
    ``low``, ``high``, ``rel`` (diff over the cost-control mean), ``effect``, ``test``, ``p``,
    ``p_holm``, ``check``, ``p_check``, ``p_check_holm``; values in each outcome's unit.
    """
    rows = []
    for pr in pair_list:
        for o in outcomes:
            a = pr.control[o.name].to_numpy(dtype=float) * o.scale
            b = pr.transformation[o.name].to_numpy(dtype=float) * o.scale
            c = stats.paired(a, b) if pr.paired else stats.unpaired(a, b)
            rel = c.diff / abs(c.mean_a) if o.relative and c.mean_a != 0 else np.nan
            rows.append(
                {
                    "pair": pr.label,
                    "outcome": o.name,
                    "paired": c.paired,
                    "n": c.n,
                    "control": c.mean_a,
                    "transformation": c.mean_b,
                    "diff": c.diff,
                    "low": c.low,
                    "high": c.high,
                    "rel": rel,
                    "effect": c.effect,
                    "test": c.test,
                    "p": c.p,
                    "check": c.check,
                    "p_check": c.p_check,
                }
            )
    df = pd.DataFrame(rows)
    if not df.empty:
        df["p_holm"] = stats.holm(df["p"].to_numpy())
        df["p_check_holm"] = stats.holm(df["p_check"].to_numpy())
    return df


def cumulative_differences(pr: Pair, series: pd.DataFrame, variable: str = "spending") -> pd.DataFrame:
    """Cumulative ``variable`` of transformation minus cost control, per replication and month.

    Returns a months x replications frame (index month, columns replication); only
    replications present in both cells are kept.
    """
    wide = {}
    for name, frame in (("a", pr.control), ("b", pr.transformation)):
        ids = dict(zip(frame["run_id"], frame["replication"], strict=True))
        s = series[(series["variable"] == variable) & series["run_id"].isin(ids)]
        w = s.pivot_table(index="month", columns="run_id", values="value", aggfunc="first").sort_index()
        wide[name] = w.rename(columns=ids).cumsum()
    common = sorted(set(wide["a"].columns) & set(wide["b"].columns))
    return wide["b"][common] - wide["a"][common]


def break_even(pair_list: list[Pair], series: pd.DataFrame, variable: str = "spending") -> pd.DataFrame:
    """Per pair: whether and when cumulative spending under transformation falls below cost control.

    Columns: ``pair``, ``n`` replications, ``reached`` (how many break even and stay below by the
    end), ``from_start`` (of those, how many were below from the first month: no up-front extra
    cost), ``median``, ``first`` and ``last`` break-even month among the others (that first spent
    more and then broke even), ``mean_month`` (from
    which the upper 95% bound of the mean cumulative difference stays below zero), ``end_diff``
    with ``end_low``/``end_high`` (mean cumulative difference at the end, EUR million),
    ``peak`` (mean largest extra cumulative spending, EUR million), ``payback`` (median
    payback ratio among replications that invested) and ``threefold`` (how many reach 3).
    """
    rows = []
    for pr in pair_list:
        cd = cumulative_differences(pr, series, variable)
        if cd.empty:
            continue
        months = cd.index.to_numpy()
        per_rep = [stats.break_even_month(cd[c].to_numpy(), months) for c in cd.columns]
        reached = [m for m in per_rep if m is not None]
        later = [m for m in reached if m > months[0]]
        ratios = np.array([stats.payback_ratio(cd[c].to_numpy()) for c in cd.columns])
        band_high = np.array([stats.mean_ci(row).high for row in cd.to_numpy()])
        end = stats.mean_ci(cd.iloc[-1].to_numpy() * 1e-6)
        invested = ratios[np.isfinite(ratios)]
        rows.append(
            {
                "pair": pr.label,
                "n": cd.shape[1],
                "reached": len(reached),
                "from_start": sum(m == months[0] for m in reached),
                "median": float(np.median(later)) if later else np.nan,
                "first": min(later) if later else np.nan,
                "last": max(later) if later else np.nan,
                "mean_month": stats.break_even_month(band_high, months) if np.isfinite(band_high).all() else None,
                "end_diff": end.mean,
                "end_low": end.low,
                "end_high": end.high,
                "peak": float(cd.max().clip(lower=0).mean() * 1e-6),
                "invested": int(invested.size),
                "payback": float(np.median(invested)) if invested.size else np.nan,
                "threefold": int((invested >= 3).sum()),
            }
        )
    return pd.DataFrame(rows)
