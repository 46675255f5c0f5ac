"""Robustness measures: regret, satisficing and the worst decile (invariants and tables known by construction)."""

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecosim.cli import main
from ecosim.errors import InputError
from ecosim.report import robustness as R

ROOT = Path(__file__).resolve().parents[2]


def toy(offsets: dict[tuple[str, str], float], points: int = 4, cuts=("none", "deep"), reps: int = 2) -> pd.DataFrame:
    """Runs of every strategy x form at every situation: spending = situation base + the alternative's offset.

    Burden is the negated offset plus the base (so the ranking on burden is the reverse of spending's);
    the budget ratio is 0.9 + offset / 10 and burden per 1,000 is 10 + offset.
    """
    rows = []
    for p, cut, rep in itertools.product(range(points), cuts, range(reps)):
        base = 100.0 * (p + 1) + (50.0 if cut == "deep" else 0.0) + rep
        for (stance, form), off in offsets.items():
            rows.append(
                {
                    "run_id": f"{stance}-{form}-{p}-{cut}-{rep}",
                    "point": len(rows),
                    "replication": rep,
                    "seed": rep,
                    "factor_stance": stance,
                    "factor_form": form,
                    "factor_cuts": cut,
                    "factor_gain": 0.1 * p,
                    "total_spending": base + off,
                    "burden_total": base - off,
                    "budget_ratio_last12": 0.9 + off / 10,
                    "burden_per_1000_last12": 10 + off,
                }
            )
    return pd.DataFrame(rows)


OFFSETS = {
    ("cost_control", "none"): 0.0,
    ("cost_control", "light"): 1.0,
    ("transformation", "none"): 3.0,
    ("transformation", "light"): 2.0,
}


def test_regret_of_a_constructed_table_is_known():
    runs = toy(OFFSETS)
    th = R.Thresholds(1.0, {"all": 11.5})
    m = R.measures(runs, R.GROUPS[0], th).set_index(["comparison", "strategy", "form"])
    scale_s, scale_b = R.GROUPS[0].spending_scale, R.GROUPS[0].burden_scale
    # Strategy x form: regret on spending is the offset minus the lowest offset (0), the same in every situation.
    for (stance, form), off in OFFSETS.items():
        row = m.loc[("strategy x form", stance, form)]
        assert row["max_regret_spending"] == pytest.approx(off * scale_s)
        assert row["p90_regret_spending"] == pytest.approx(off * scale_s)
        # Burden runs the other way: the best has the highest offset (3).
        assert row["max_regret_burden"] == pytest.approx((3.0 - off) * scale_b)
        # Satisficing: ratio 0.9 + off/10 <= 1 needs off <= 1; burden 10 + off <= 11.5 needs off <= 1.5.
        assert row["satisficing"] == (1.0 if off <= 1.0 else 0.0)
        assert row["situations"] == 16
    # Strategy with the form held: cost control is best under both forms.
    assert m.loc[("strategy", "cost_control", "all"), "max_regret_spending"] == 0.0
    assert m.loc[("strategy", "transformation", "all"), "max_regret_spending"] == pytest.approx(3.0 * scale_s)
    # Form with the strategy held: none is best under cost control (regret 0), light under transformation.
    assert m.loc[("form", "all", "none"), "max_regret_spending"] == pytest.approx(1.0 * scale_s)
    assert m.loc[("form", "all", "light"), "max_regret_spending"] == pytest.approx(1.0 * scale_s)
    # Worst decile of spending over 16 situations: the 2 highest (point 4, deep cut, replications 0 and 1).
    worst = (400.0 + 50.0 + 0.5 + OFFSETS[("transformation", "none")]) * scale_s
    assert m.loc[("strategy x form", "transformation", "none"), "worst_decile_spending"] == pytest.approx(worst)


def test_regret_is_never_negative_and_zero_for_the_best_alternative():
    rng = np.random.default_rng(5)
    runs = toy(OFFSETS, points=6)
    runs["total_spending"] = rng.normal(size=len(runs))
    alts = [R.STRATEGY, R.FORM]
    context = R.situation_columns(runs)
    reg = R.regret(runs, "total_spending", alts, context)
    assert reg.notna().all() and (reg >= 0).all()
    best_per_situation = reg.groupby([runs[c] for c in context]).min()
    assert (best_per_situation == 0).all()
    # Each situation has exactly the four alternatives, so exactly one zero (ties have probability 0).
    assert (reg.groupby([runs[c] for c in context]).apply(lambda v: (v == 0).sum()) == 1).all()


def test_incomplete_situations_get_no_regret():
    runs = toy(OFFSETS).iloc[1:]  # the first situation lost one alternative's run
    reg = R.regret(runs, "total_spending", [R.STRATEGY, R.FORM], R.situation_columns(runs))
    first = (runs["factor_gain"] == 0.0) & (runs["factor_cuts"] == "none") & (runs["replication"] == 0)
    assert reg[first].isna().all() and reg[~first].notna().all()


def test_satisficing_is_a_share_and_monotone_in_both_thresholds():
    rng = np.random.default_rng(7)
    ratio, need = rng.uniform(0.7, 1.3, 500), rng.uniform(5, 25, 500)
    previous = -1.0
    for budget in np.linspace(0.6, 1.4, 9):
        row = [R.satisficing(ratio, need, budget, t) for t in np.linspace(0, 30, 13)]
        assert all(0.0 <= s <= 1.0 for s in row)
        assert all(a <= b for a, b in itertools.pairwise(row))
        assert row[-1] >= previous
        previous = row[-1]
    assert R.satisficing(ratio, need, 2.0, 100.0) == 1.0 and R.satisficing(ratio, need, 0.0, 100.0) == 0.0
    assert np.isnan(R.satisficing(np.array([np.nan]), np.array([1.0]), 1.0, 1.0))


def test_worst_decile_is_the_mean_of_the_highest_tenth():
    assert R.worst_decile(np.arange(1, 101)) == pytest.approx(95.5)
    assert R.worst_decile(np.array([3.0, 1.0, 2.0])) == 3.0  # at least one value
    assert R.worst_decile(np.array([1.0, np.nan, 5.0])) == 5.0
    values = np.random.default_rng(1).normal(size=200)
    assert R.worst_decile(values) >= np.mean(values)


def test_robustness_functions_are_ema_scalar_outcomes_with_directions():
    import ema_workbench as ew

    fs = R.robustness_functions(R.GROUPS[0], 1.0, 10.0)
    kinds = {f.name: f.kind for f in fs}
    assert all(isinstance(f, ew.ScalarOutcome) for f in fs)
    assert kinds["satisficing"] == ew.ScalarOutcome.MAXIMIZE
    assert all(k == ew.ScalarOutcome.MINIMIZE for n, k in kinds.items() if n != "satisficing")
    sat = next(f for f in fs if f.name == "satisficing")
    assert sat.process([np.array([0.9, 1.1]), np.array([5.0, 5.0])]) == 0.5


def test_section_names_absent_groups_and_derives_the_run_ratio(tmp_path):
    runs = toy(OFFSETS).drop(columns="budget_ratio_last12")
    runs["cumulative_balance"] = -0.05 * runs["total_spending"]
    lines, sentence = R.robustness_section(runs, tmp_path)
    text = "\n".join(lines)
    assert "## 2c. Robustness" in text and "**Robustness**" in sentence
    assert "budget_ratio_run" in text and "whole run" in text
    assert "Absent from this sweep" in text and "small rural" in text and "large urban" in text
    assert (tmp_path / "robustness.png").stat().st_size > 5_000


def test_thresholds_default_to_the_baseline_median_and_are_stated(tmp_path):
    runs = toy(OFFSETS)
    th = R.default_thresholds(runs, 1.0, None, {"stance": "transformation"})
    assert th.need["all"] == pytest.approx(12.5)  # median of 10 + {3, 2}
    assert "stance=transformation" in th.need_source
    user = R.default_thresholds(runs, 1.1, 11.0, None)
    assert user.need["all"] == 11.0 and "user" in user.need_source
    lines, _ = R.robustness_section(runs, tmp_path, burden_threshold=11.0, budget_threshold=1.1)
    assert "`burden_per_1000_last12` <= 11.0" in "\n".join(lines)
    with pytest.raises(InputError, match="no factor 'colour'"):
        R.baseline_runs(runs, {"colour": "red"})
    with pytest.raises(InputError, match="no level 'both'"):
        R.baseline_runs(runs, {"stance": "both"})
    with pytest.raises(InputError, match="FACTOR=LEVEL"):
        R.parse_baseline(["stance"])


def test_no_section_without_a_strategy_factor(tmp_path):
    runs = toy(OFFSETS)
    assert R.robustness_section(runs[runs["factor_stance"] == "cost_control"], tmp_path) == ([], "")


def test_report_of_a_real_sweep_has_the_section_and_takes_the_options(tmp_path):
    from ecosim.experiment import sweep

    base = (ROOT / "scenarios" / "regional_default.toml").as_posix()
    text = f'''
name = "tiny_robust"
scenario = "{base}"
months = 13
replications = 1
root_seed = 3

[factors.size.levels.tiny]
"geography.n_municipalities" = 4
"geography.mean_population" = 30_000

[factors.stance.levels.cost_control]
"stance.initial_mean" = 0.1

[factors.stance.levels.transformation]
"stance.initial_mean" = 0.9

[factors.form.levels.none]
"cooperation.initial_form" = "none"
"cooperation.preferred_form" = "none"

[factors.form.levels.light]
"cooperation.initial_form" = "light"
"cooperation.preferred_form" = "light"
'''
    exp = tmp_path / "exp.toml"
    exp.write_text(text, encoding="utf-8")
    sweep(exp, tmp_path / "out", workers=1, progress=False)
    args = [
        "report",
        str(tmp_path / "out"),
        "--quiet",
        "--budget-threshold",
        "1.2",
        "--baseline",
        "stance=cost_control",
    ]
    assert main(args) == 0
    report = (tmp_path / "out" / "report.md").read_text()
    section = report.split("## 2c. Robustness", 1)[1].split("\n## ", 1)[0]
    assert "spending / budget at most 1.2" in section and "stance=cost_control" in section
    assert "figures/robustness.png" in section
    assert "Small against large municipalities" in section
    assert main(["report", str(tmp_path / "out"), "--quiet", "--baseline", "stance"]) == 2
