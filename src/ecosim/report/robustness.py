"""Strategies and cooperation forms judged for robustness, not only on average (issue 17, item 2).

Three measures over the explored space (the sampled uncertain parameters, the cut levels and
the replications), each for spending and for the burden of unmet need:

- **regret** of an alternative at one *situation* (one design point of the uncertain
  parameters, one cut level, one replication: the runs that share a seed and differ only in
  the choice): its outcome minus the best outcome among the alternatives at that situation
  (Savage 1951; the regret of Lempert, Popper & Bankes 2003 and of EMA Workbench's robustness
  examples). It is 0 for the best alternative and never negative. Reported: its maximum
  and its 90th percentile over the situations.
- **satisficing score**: the share of situations in which spending stays within budget
  (spending / budget at most a threshold, default 1.0) *and* the burden of unmet need per
  1,000 inhabitants (last 12 months) stays at or below a threshold the user sets (default:
  the median over the baseline runs, all runs unless ``--baseline`` picks some).
- **worst decile**: the mean of the worst 10 % of an alternative's outcomes (the highest,
  since lower is better for both).

Alternatives are compared three ways: the nine (or however many) **strategy x form**
combinations against the best of them all; each **strategy** against the best strategy with
the same form; each **form** against the best form under the same strategy. Satisficing and
the worst decile do not depend on the alternatives compared, only on whose runs are pooled.

The measures that reduce one alternative's values to one number are EMA Workbench robustness
functions (``ScalarOutcome`` with a ``function``, as ``evaluator.robust_optimize`` takes them;
:func:`robustness_functions`), evaluated with EMA's ``ScalarOutcome.process``; regret needs
every alternative at once, so it is computed here first and then reduced the same way.

Groups of municipalities: all; small and large (bottom and top ``geography.small_share`` by
population); small rural, medium and large urban (:mod:`ecosim.outputs.kinds`). A group whose
columns the sweep did not keep is named as absent, not guessed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ecosim.errors import InputError
from ecosim.outputs.kinds import KIND_WORDS
from ecosim.outputs.kinds import KINDS as MUNI_KINDS
from ecosim.report.markdown import image, num, table

STRATEGY, FORM = "factor_stance", "factor_form"
"""The factors whose levels are the alternatives: the strategy (stance) and the cooperation form."""

WORST_SHARE = 0.1
"""Share of an alternative's outcomes that make its worst decile."""
REGRET_QUANTILE = 90.0
"""Percentile of regret reported besides its maximum."""
BUDGET_THRESHOLD = 1.0
"""Default satisficing bound on spending / budget: within budget."""
RUN_RATIO = "budget_ratio_run"
"""Column derived when a sweep lacks ``budget_ratio_last12``: spending over budget over the whole run."""


@dataclass(frozen=True)
class Group:
    """A group of municipalities and the runs.parquet columns the measures read for it.

    Attributes:
        key: short name ('all', 'small', 'small_rural', ...).
        words: the group in plain words.
        spending, burden: columns for regret and the worst decile (lower is better).
        ratio: spending over budget, for satisficing.
        need: burden of unmet need per 1,000 inhabitants, last 12 months, for satisficing.
        spending_unit, burden_unit: units as printed after ``scale``.
        spending_scale, burden_scale: factors from the stored value to the printed unit.
    """

    key: str
    words: str
    spending: str
    burden: str
    ratio: str
    need: str
    spending_unit: str = "EUR/inhabitant/month"
    burden_unit: str = "per 1,000 inhabitants"
    spending_scale: float = 1.0
    burden_scale: float = 1.0


GROUPS: tuple[Group, ...] = (
    Group(
        "all",
        "all municipalities",
        "total_spending",
        "burden_total",
        "budget_ratio_last12",
        "burden_per_1000_last12",
        "EUR million over the run",
        "thousand severity-weighted person-months",
        1e-6,
        1e-3,
    ),
    *(
        Group(
            size,
            f"{size} municipalities ({'bottom' if size == 'small' else 'top'} geography.small_share by population)",
            f"spending_per_inhabitant_{size}_last12",
            f"burden_per_1000_{size}_last12",
            f"budget_ratio_{size}_last12",
            f"burden_per_1000_{size}_last12",
        )
        for size in ("small", "large")
    ),
    *(
        Group(
            kind,
            f"{KIND_WORDS[kind]} municipalities",
            f"spending_per_inhabitant_{kind}_last12",
            f"burden_per_1000_{kind}_last12",
            f"budget_ratio_{kind}_last12",
            f"burden_per_1000_{kind}_last12",
        )
        for kind in MUNI_KINDS
    ),
)
"""Every group, overall first. For a group other than 'all', spending and burden are the last 12 months."""


def worst_decile(values: np.ndarray, share: float = WORST_SHARE) -> float:
    """Mean of the worst ``share`` of ``values`` (the highest; at least one value), NaN if none."""
    v = np.sort(np.asarray(values, dtype=float)[np.isfinite(values)])
    if v.size == 0:
        return float("nan")
    k = max(1, math.ceil(share * v.size))
    return float(v[-k:].mean())


def regret_quantile(values: np.ndarray, q: float = REGRET_QUANTILE) -> float:
    """The ``q``-th percentile of regret values (linear interpolation), NaN if none."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    return float(np.percentile(v, q)) if v.size else float("nan")


def max_regret(values: np.ndarray) -> float:
    """The largest regret, NaN if none."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    return float(v.max()) if v.size else float("nan")


def satisficing(ratio: np.ndarray, need: np.ndarray, budget_threshold: float, need_threshold: float) -> float:
    """Share of situations within budget (ratio <= threshold) with need at or below its threshold.

    Situations where either value is missing are left out; NaN when none is left.
    """
    r, n = np.asarray(ratio, dtype=float), np.asarray(need, dtype=float)
    ok = np.isfinite(r) & np.isfinite(n)
    if not ok.any():
        return float("nan")
    return float(np.mean((r[ok] <= budget_threshold) & (n[ok] <= need_threshold)))


def robustness_functions(group: Group, budget_threshold: float, need_threshold: float) -> list[Any]:
    """EMA Workbench robustness functions of one group: ``ScalarOutcome`` objects with a ``function``.

    The same objects ``evaluator.robust_optimize`` takes: each names the variables it reads
    (``variable_name``), which way is better (``kind``) and how an alternative's values over
    the scenarios become one number. Regret variables (``regret_<column>``) are computed by
    :func:`regret` before these are applied.
    """
    from ecosim.report.ema import _ema

    ew = _ema()
    mn, mx = ew.ScalarOutcome.MINIMIZE, ew.ScalarOutcome.MAXIMIZE
    out = []
    for what, col in (("spending", group.spending), ("burden", group.burden)):
        out += [
            ew.ScalarOutcome(f"max_regret_{what}", kind=mn, variable_name=f"regret_{col}", function=max_regret),
            ew.ScalarOutcome(f"p90_regret_{what}", kind=mn, variable_name=f"regret_{col}", function=regret_quantile),
            ew.ScalarOutcome(f"worst_decile_{what}", kind=mn, variable_name=col, function=worst_decile),
        ]
    out.append(
        ew.ScalarOutcome(
            "satisficing",
            kind=mx,
            variable_name=[group.ratio, group.need],
            function=lambda r, n: satisficing(r, n, budget_threshold, need_threshold),
        )
    )
    return out


def situation_columns(runs: pd.DataFrame) -> list[str]:
    """Columns that fix a situation: every factor but the strategy and the form, and the replication."""
    return [c for c in runs.columns if c.startswith("factor_") and c not in (STRATEGY, FORM)] + ["replication"]


def regret(runs: pd.DataFrame, column: str, alternatives: list[str], context: list[str]) -> pd.Series:
    """Regret of each run: its ``column`` minus the lowest ``column`` among the alternatives of its context.

    Lower is better. A context (one situation, with any factor held fixed) counts only when
    every alternative the sweep has is there with a finite value; other runs get NaN.

    Args:
        runs: one row per run.
        column: the outcome (lower is better).
        alternatives: factor columns whose combinations are the alternatives compared.
        context: columns that fix where alternatives are compared (situation and held factors).
    """
    n_alt = runs.groupby(alternatives, dropna=False).ngroups
    values = runs[column].astype(float)
    grouped = values.groupby([runs[c] for c in context], dropna=False)
    complete = grouped.transform(lambda v: v.notna().sum()) == n_alt
    best = grouped.transform("min")
    return (values - best).where(complete)


@dataclass
class Thresholds:
    """Satisficing thresholds: one budget bound, and a need bound per group with where it came from."""

    budget: float = BUDGET_THRESHOLD
    need: dict[str, float] = field(default_factory=dict)
    need_source: str = ""


def baseline_runs(runs: pd.DataFrame, baseline: dict[str, str] | None) -> pd.DataFrame:
    """The runs that set the default need thresholds: those matching every ``factor=level`` (all runs if none).

    Raises:
        InputError: for a factor the sweep does not have or a level it never takes.
    """
    if not baseline:
        return runs
    keep = pd.Series(True, index=runs.index)
    for name, level in baseline.items():
        col = f"factor_{name.removeprefix('factor_')}"
        if col not in runs:
            factors = sorted(c.removeprefix("factor_") for c in runs if c.startswith("factor_"))
            raise InputError(f"--baseline: the sweep has no factor '{name}' (factors: {factors})")
        levels = sorted(set(runs[col].astype(str)))
        if str(level) not in levels:
            raise InputError(f"--baseline: factor '{name}' has no level '{level}' (levels: {levels})")
        keep &= runs[col].astype(str) == str(level)
    return runs[keep]


def parse_baseline(items: list[str] | None) -> dict[str, str]:
    """``['stance=adaptive', 'form=light']`` as a dict.

    Raises:
        InputError: for an item without '='.
    """
    out = {}
    for item in items or []:
        name, sep, level = item.partition("=")
        if not sep or not name or not level:
            raise InputError(f"--baseline: '{item}' is not FACTOR=LEVEL (e.g. stance=adaptive)")
        out[name.strip()] = level.strip()
    return out


def with_run_ratio(runs: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """``runs`` with a budget ratio for all municipalities, and a note when it had to be derived.

    A sweep made before ``budget_ratio_last12`` existed still has spending and the balance over
    the run, so spending over budget over the whole run is total_spending / (total_spending +
    cumulative_balance); the note says so.
    """
    if "budget_ratio_last12" in runs or not {"total_spending", "cumulative_balance"} <= set(runs):
        return runs, ""
    budget = runs["total_spending"] + runs["cumulative_balance"]
    out = runs.assign(**{RUN_RATIO: runs["total_spending"] / budget.where(budget > 0)})
    return out, (
        "This sweep has no `budget_ratio_last12` (it was run before that output existed): for all "
        "municipalities, *within budget* is judged over the whole run, total_spending / (total_spending + "
        "cumulative_balance)."
    )


def _columns(group: Group, runs: pd.DataFrame) -> dict[str, str]:
    ratio = group.ratio if group.ratio in runs or group.key != "all" else RUN_RATIO
    return {"spending": group.spending, "burden": group.burden, "ratio": ratio, "need": group.need}


def available(group: Group, runs: pd.DataFrame) -> tuple[bool, bool]:
    """Whether the sweep kept the group's regret columns, and its satisficing columns."""
    cols = _columns(group, runs)
    regret_ok = all(c in runs and runs[c].notna().any() for c in (cols["spending"], cols["burden"]))
    sat_ok = all(c in runs and runs[c].notna().any() for c in (cols["ratio"], cols["need"]))
    return regret_ok, sat_ok


def default_thresholds(
    runs: pd.DataFrame, budget: float, need: float | None, baseline: dict[str, str] | None
) -> Thresholds:
    """Thresholds for every group the sweep has: ``need`` for all, or each group's baseline median."""
    base = baseline_runs(runs, baseline)
    if need is not None:
        values = {g.key: float(need) for g in GROUPS}
        source = "set by the user (--burden-threshold), the same for every group"
    else:
        values = {g.key: float(base[g.need].median()) for g in GROUPS if g.need in base and base[g.need].notna().any()}
        which = ", ".join(f"{k}={v}" for k, v in (baseline or {}).items())
        source = (
            f"each group's median over the baseline runs ({which}; {len(base)} runs)"
            if baseline
            else f"each group's median over all {len(base)} runs of the sweep (no --baseline given)"
        )
    return Thresholds(budget, values, source)


@dataclass
class Comparison:
    """One way of comparing alternatives: which factors are the alternatives, which are held fixed."""

    name: str
    alternatives: list[str]
    held: list[str]


def comparisons(runs: pd.DataFrame) -> list[Comparison]:
    """Strategy x form (when the sweep has forms), strategy with the form held, form with the strategy held."""
    forms = FORM in runs and runs[FORM].nunique() > 1
    if not forms:
        return [Comparison("strategy", [STRATEGY], [])]
    return [
        Comparison("strategy x form", [STRATEGY, FORM], []),
        Comparison("strategy", [STRATEGY], [FORM]),
        Comparison("form", [FORM], [STRATEGY]),
    ]


def measures(runs: pd.DataFrame, group: Group, thresholds: Thresholds) -> pd.DataFrame:
    """Every robustness measure of one group, for every alternative of every comparison.

    One row per comparison and alternative: ``comparison``, ``strategy``, ``form`` ('all'
    where pooled), ``situations`` (complete situations behind its regret), ``runs``,
    ``max_regret_spending``, ``p90_regret_spending``, ``worst_decile_spending`` (and the same
    for burden), ``satisficing``, ``satisficing_n``; values in the group's printed units.
    """
    cols = _columns(group, runs)
    regret_ok, sat_ok = available(group, runs)
    need_threshold = thresholds.need.get(group.key, float("nan"))
    functions = robustness_functions(
        Group(group.key, group.words, cols["spending"], cols["burden"], cols["ratio"], cols["need"]),
        thresholds.budget,
        need_threshold,
    )
    scale = {cols["spending"]: group.spending_scale, cols["burden"]: group.burden_scale}
    rows = []
    for comp in comparisons(runs):
        context = situation_columns(runs) + comp.held
        frame = runs.copy()
        if regret_ok:
            for col in (cols["spending"], cols["burden"]):
                frame[f"regret_{col}"] = regret(frame, col, comp.alternatives, context) * scale[col]
                frame[col] = frame[col] * scale[col]
        for key, alt in frame.groupby(comp.alternatives, sort=False, dropna=False):
            key = key if isinstance(key, tuple) else (key,)
            level = dict(zip(comp.alternatives, key, strict=True))
            row: dict[str, Any] = {
                "comparison": comp.name,
                "strategy": str(level.get(STRATEGY, "all")),
                "form": str(level.get(FORM, "all")),
                "runs": len(alt),
            }
            for f in functions:
                names = f.variable_name
                if f.name == "satisficing":  # read unscaled: the thresholds are in stored units
                    ok = sat_ok and np.isfinite(need_threshold)
                    raw = runs.loc[alt.index, names] if ok else pd.DataFrame()
                    row["satisficing"] = f.process([raw[n].to_numpy(float) for n in names]) if ok else np.nan
                    row["satisficing_n"] = int(raw.notna().all(axis=1).sum()) if ok else 0
                elif regret_ok:
                    row[f.name] = f.process([alt[names[0]].to_numpy(float)])
                else:
                    row[f.name] = np.nan
            reg = f"regret_{cols['spending']}"
            row["situations"] = int(alt[reg].notna().sum()) if regret_ok else 0
            rows.append(row)
    return pd.DataFrame(rows)


def by_cut(runs: pd.DataFrame, group: Group, thresholds: Thresholds, cut: str = "factor_cuts") -> pd.DataFrame:
    """Satisficing score of each strategy x form at each cut level (empty when the sweep has no cuts)."""
    if cut not in runs or runs[cut].nunique() < 2:
        return pd.DataFrame()
    cols = _columns(group, runs)
    if not available(group, runs)[1] or group.key not in thresholds.need:
        return pd.DataFrame()
    alts = [c for c in (STRATEGY, FORM) if c in runs and (c == STRATEGY or runs[c].nunique() > 1)]
    rows = []
    for key, alt in runs.groupby([*alts, cut], sort=False, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        rows.append(
            {
                **dict(zip([*alts, cut], key, strict=True)),
                "satisficing": satisficing(
                    alt[cols["ratio"]], alt[cols["need"]], thresholds.budget, thresholds.need[group.key]
                ),
            }
        )
    return pd.DataFrame(rows)


def applies(runs: pd.DataFrame) -> bool:
    """Whether the sweep has a strategy factor with at least two levels (else no robustness section)."""
    return STRATEGY in runs and runs[STRATEGY].nunique() >= 2


# --- The report's section ---------------------------------------------------------------------


def _share(x: float, n: int) -> str:
    from ecosim.report.exploration import _pct, share_interval

    if not np.isfinite(x):
        return "-"
    lo, hi = share_interval(x, n)
    return f"{_pct(x)} ({_pct(max(0.0, lo))}-{_pct(min(1.0, hi))})"


def _num(x: float) -> str:
    return num(x)


def _tuple(key: object) -> tuple:
    return key if isinstance(key, tuple) else (key,)


def _alternative(r: pd.Series | dict) -> str:
    from ecosim.report.figures import _name

    if r["comparison"] == "strategy x form":
        return f"{_name(r['strategy'])}, {r['form']}"
    if r["comparison"] == "strategy":
        return _name(r["strategy"])
    return f"form {r['form']}"


MEASURE_HEAD = (
    ("max_regret_spending", "max regret"),
    ("p90_regret_spending", "p90 regret"),
    ("worst_decile_spending", "worst decile"),
    ("max_regret_burden", "max regret"),
    ("p90_regret_burden", "p90 regret"),
    ("worst_decile_burden", "worst decile"),
)
"""The measures of the tables, in order, and their heads (the column's last word says spending or burden)."""


AGAINST = {
    "strategy x form": "best strategy x form",
    "strategy": "best strategy, same form",
    "form": "best form, same strategy",
}
"""What each comparison's regret is measured against, as the tables say it."""


def _rows(m: pd.DataFrame) -> list[list[str]]:
    return [
        [
            _alternative(r),
            AGAINST[r["comparison"]],
            *[_num(r[c]) for c, _ in MEASURE_HEAD],
            _share(r["satisficing"], int(r["satisficing_n"])),
        ]
        for _, r in m.iterrows()
    ]


def _head(group: Group) -> list[str]:
    heads = [f"{label}, {c.rsplit('_', 1)[1]}" for c, label in MEASURE_HEAD]
    return ["alternative", "regret against", *heads, "satisficing (95% int.)"]


def _units(group: Group) -> str:
    return f"Spending in {group.spending_unit}; unmet need (burden) in {group.burden_unit}."


def _threshold_rows(runs: pd.DataFrame, th: Thresholds) -> list[list[str]]:
    rows = []
    for g in GROUPS:
        cols = _columns(g, runs)
        regret_ok, sat_ok = available(g, runs)
        if not regret_ok and not sat_ok:
            continue
        need = th.need.get(g.key, float("nan"))
        ok = sat_ok and np.isfinite(need)
        ratio = runs[cols["ratio"]] if sat_ok else pd.Series(dtype=float)
        burden = runs[cols["need"]] if sat_ok else pd.Series(dtype=float)
        rows.append(
            [
                g.words,
                f"`{cols['ratio']}` <= {th.budget:g}" if sat_ok else f"- (`{cols['ratio']}` not in this sweep)",
                f"`{cols['need']}` <= {_num(need)}" if ok else "-",
                _pct_of(ratio <= th.budget, ratio.notna()) if sat_ok else "-",
                _pct_of(burden <= need, burden.notna()) if ok else "-",
                f"{_num(ratio.min())} to {_num(ratio.max())}" if sat_ok else "-",
            ]
        )
    return rows


def _pct_of(hit: pd.Series, valid: pd.Series) -> str:
    from ecosim.report.exploration import _pct

    return _pct(float(hit[valid].mean())) if valid.any() else "-"


def robustness_sentence(m: pd.DataFrame, group: Group, th: Thresholds, number: str = "2c") -> str:
    """The summary's sentence: which alternatives have the lowest maximum regret and the highest satisficing score."""
    combos = m[m["comparison"] == m["comparison"].iloc[0]]

    def best(col: str, unit: str) -> str:
        v = combos[col]
        if not v.notna().any():
            return "-"
        lowest = col != "satisficing"
        target = v.min() if lowest else v.max()
        tied = combos[np.isclose(v, target)]
        names = (
            f"all {len(combos)} alike"
            if len(tied) == len(combos) > 1
            else " and ".join(_alternative(r) for _, r in tied.iterrows())
        )
        if lowest:
            return f"{names} ({_num(target)} {unit})"
        from ecosim.report.exploration import _pct, share_interval

        lo, hi = share_interval(target, int(combos["satisficing_n"].max()))
        return f"{names} ({_pct(target)} of situations, 95% interval {_pct(max(0.0, lo))} to {_pct(min(1.0, hi))})"

    parts = [
        f"lowest maximum regret on spending: {best('max_regret_spending', group.spending_unit)}",
        f"on unmet need: {best('max_regret_burden', group.burden_unit)}",
    ]
    need = th.need.get(group.key, float("nan"))
    if combos["satisficing"].notna().any():
        parts.append(
            f"highest satisficing score (spending / budget <= {th.budget:g} and burden per 1,000 <= {_num(need)}): "
            + best("satisficing", "")
        )
    n = int(combos["situations"].max())
    return (
        f"**Robustness** ({combos['comparison'].iloc[0]}, {group.words}, {n} situations each): "
        + "; ".join(parts)
        + f" (section {number})."
    )


def robustness_section(
    runs: pd.DataFrame,
    figdir: Any,
    number: str = "2c",
    budget_threshold: float = BUDGET_THRESHOLD,
    burden_threshold: float | None = None,
    baseline: dict[str, str] | None = None,
) -> tuple[list[str], str]:
    """Markdown section on regret, satisficing and the worst decile, and the summary sentence.

    Empty when the sweep has no strategy factor with two levels or more.

    Args:
        runs: runs.parquet.
        figdir: where the heat map is drawn.
        number: the section's number in the report.
        budget_threshold: satisficing bound on spending / budget.
        burden_threshold: satisficing bound on burden per 1,000 (last 12 months), every group;
            None: each group's median over the baseline runs.
        baseline: ``factor -> level`` picking the runs whose median sets the default burden bound.
    """
    from ecosim.report import figures

    if not applies(runs):
        return [], ""
    runs, ratio_note = with_run_ratio(runs)
    th = default_thresholds(runs, budget_threshold, burden_threshold, baseline)
    overall = GROUPS[0]
    m_all = measures(runs, overall, th)
    groups = group_measures(runs, th, m_all)
    write_table(groups, th, figdir)
    situations = runs.groupby(situation_columns(runs), dropna=False).ngroups
    lines = [
        f"## {number}. Robustness: regret, satisficing and the worst decile",
        "",
        "Judged not on average but over the whole explored space: every *situation* (one point of the uncertain "
        f"parameters, one cut level, one replication; {situations} in this sweep) in which the alternatives ran "
        "with the same seed.",
        "",
        "- **Regret** (Savage 1951; as in Lempert, Popper & Bankes 2003): an alternative's outcome minus the best "
        "outcome among the alternatives in the same situation; 0 for the best, never negative. *Max regret* is "
        f"the largest over the situations, *p90 regret* its {REGRET_QUANTILE:.0f}th percentile. Alternatives are "
        "compared three ways: each strategy x form against the best of all of them; each strategy against the "
        "best strategy *with the same form*; each form against the best form *under the same strategy*.",
        f"- **Satisficing score**: the share of situations in which spending stays within budget (spending / "
        f"budget at most {th.budget:g}) *and* the burden of unmet need per 1,000 inhabitants (last 12 months) "
        "stays at or below its threshold; its 95% Wilson interval says how precisely the design measured it. "
        f"Burden thresholds: {th.need_source}. Set them with `ecosim report --budget-threshold R "
        "--burden-threshold X` or `--baseline FACTOR=LEVEL ...`.",
        f"- **Worst decile**: the mean of the worst {WORST_SHARE:.0%} of an alternative's outcomes (the highest).",
        "",
        "Spending and unmet need for all municipalities are over the whole run (total public spending, burden "
        "summed over months); for the groups of municipalities they are the last 12 months per inhabitant and "
        "per 1,000 inhabitants. The reductions to one number are EMA Workbench robustness functions "
        "(`ScalarOutcome` with a function, as `robust_optimize` takes them). The points are not weighted by a "
        "probability: a share says how much of the plausible space, not how likely.",
        "",
    ]
    if ratio_note:
        lines += [ratio_note, ""]
    head = ["group", "within budget", "unmet need at or below", "runs within budget", "runs with need at or below",
            "spending / budget, range over runs"]  # fmt: skip
    lines += [
        "Thresholds per group, and how often each holds on its own over all runs (which of the two binds):",
        "",
        table(head, _threshold_rows(runs, th)),
        "",
    ]
    lines += [f"### {number}.1 All municipalities", "", _units(overall), "", table(_head(overall), _rows(m_all)), ""]
    combos = m_all[m_all["comparison"] == "strategy x form"]
    if not combos.empty and figures.robustness_heatmap(
        combos,
        [
            ("max_regret_spending", f"max regret, spending\n[{overall.spending_unit}]", "lower"),
            ("max_regret_burden", f"max regret, unmet need\n[{overall.burden_unit}]", "lower"),
            ("worst_decile_burden", f"worst decile, unmet need\n[{overall.burden_unit}]", "lower"),
            ("satisficing", "satisficing score\n[share of situations]", "higher"),
        ],
        figdir / "robustness.png",
    ):
        lines += [image("figures/robustness.png", "regret and satisficing per strategy and form"), ""]
    lines += _groups_lines(runs, groups, number)
    cut = by_cut(runs, overall, th)
    if not cut.empty:
        levels = list(dict.fromkeys(cut["factor_cuts"].astype(str)))
        alts = [c for c in (STRATEGY, FORM) if c in cut]
        wide = cut.assign(factor_cuts=cut["factor_cuts"].astype(str)).pivot_table(
            index=alts, columns="factor_cuts", values="satisficing", sort=False
        )
        n_per = runs.groupby([*alts, "factor_cuts"], dropna=False).size().min()
        rows = [
            [
                _alternative(
                    {
                        "comparison": "strategy x form" if len(_tuple(key)) > 1 else "strategy",
                        "strategy": _tuple(key)[0],
                        "form": [*_tuple(key), "all"][1],
                    }
                ),
                *[_share(r[lv], n_per) for lv in levels],
            ]
            for key, r in wide.iterrows()
        ]
        lines += [
            f"### {number}.4 Satisficing by cut level (all municipalities)",
            "",
            "Under which budget cuts each alternative stays within budget with unmet need at or below the threshold:",
            "",
            table(["strategy, form", *[f"cuts {lv}" for lv in levels]], rows),
            "",
        ]
    return lines, robustness_sentence(m_all, overall, th, number)


def group_measures(runs: pd.DataFrame, th: Thresholds, overall: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """:func:`measures` of every group this sweep kept outputs for, by group key (``overall`` is all's)."""
    out = {}
    for g in GROUPS:
        if any(available(g, runs)):
            out[g.key] = overall if g is GROUPS[0] else measures(runs, g, th)
    return out


def write_table(groups: dict[str, pd.DataFrame], th: Thresholds, figdir: Any) -> None:
    """Every group's measures in one table, ``robustness.csv`` next to the report (read by the policy summary).

    Columns: ``group`` (its key), ``units`` and the columns of :func:`measures`; the thresholds
    used are in ``budget_threshold`` and ``burden_threshold``.
    """
    from pathlib import Path

    frames = []
    for g in GROUPS:
        if g.key not in groups:
            continue
        m = groups[g.key].copy()
        m.insert(0, "group", g.key)
        m.insert(1, "units", _units(g))
        m["budget_threshold"] = th.budget
        m["burden_threshold"] = th.need.get(g.key, float("nan"))
        frames.append(m)
    if frames:
        pd.concat(frames, ignore_index=True).to_csv(Path(figdir).parent / "robustness.csv", index=False)


def _groups_lines(runs: pd.DataFrame, groups: dict[str, pd.DataFrame], number: str) -> list[str]:
    """Per group of municipalities (small, large, kinds): per strategy and per form; then small against large."""
    lines = [f"### {number}.2 By group of municipalities", ""]
    absent, no_sat, tables = [], [], {}
    for g in GROUPS[1:]:
        regret_ok, sat_ok = available(g, runs)
        if not regret_ok:
            absent.append(g)
            continue
        if not sat_ok:
            no_sat.append(g)
        m = groups[g.key]
        tables[g.key] = m[m["comparison"] != "strategy x form"] if (m["comparison"] != "strategy x form").any() else m
    for g in GROUPS[1:]:
        if g.key in tables:
            lines += [
                f"**{g.words[0].upper()}{g.words[1:]}**. {_units(g)}",
                "",
                table(_head(g), _rows(tables[g.key])),
                "",
            ]
    if no_sat:
        lines += [
            "No satisficing score for "
            + ", ".join(g.words.split(" (")[0] for g in no_sat)
            + ": this sweep did not keep "
            + ", ".join(f"`{g.ratio}`" for g in no_sat)
            + " (it was run before these outputs existed).",
            "",
        ]
    if absent:
        lines += [
            "**Absent from this sweep**: "
            + ", ".join(g.words.split(" (")[0] for g in absent)
            + ". runs.parquet has no "
            + ", ".join(f"`{g.spending}`" for g in absent)
            + " (the sweep was run before these outputs existed, or its map has none of these municipalities); "
            "re-run the sweep on the current model to get them. Nothing is estimated in their place.",
            "",
        ]
    lines += _small_large_lines(tables, number)
    return lines


def _small_large_lines(tables: dict[str, pd.DataFrame], number: str) -> list[str]:
    """Small against large (and the kinds side by side): per strategy, worst decile and satisficing."""
    sides = [k for k in ("small", "large", *MUNI_KINDS) if k in tables]
    if len(sides) < 2:
        return []
    words = {g.key: g.words.split(" (")[0].removesuffix(" municipalities") for g in GROUPS}
    any_table = tables[sides[0]]
    rows = []
    for _, r in any_table.iterrows():
        row = [_alternative(r)]
        for k in sides:
            t = tables[k]
            hit = t[(t["comparison"] == r["comparison"]) & (t["strategy"] == r["strategy"]) & (t["form"] == r["form"])]
            if hit.empty:
                row += ["-", "-"]
                continue
            h = hit.iloc[0]
            row += [_num(h["worst_decile_burden"]), _share(h["satisficing"], int(h["satisficing_n"]))]
        rows.append(row)
    head = ["alternative"] + [
        f"{words[k]}: {what}" for k in sides for what in ("worst-decile unmet need", "satisficing")
    ]
    return [
        f"### {number}.3 Small against large municipalities",
        "",
        "The same alternatives side by side: the worst decile of unmet need (burden per 1,000 inhabitants, last 12 "
        "months; lower is better) and the satisficing score, for each group this sweep kept.",
        "",
        table(head, rows),
        "",
    ]
