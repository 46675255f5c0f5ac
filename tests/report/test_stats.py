"""Report statistics against hand-computed values and scipy, on small synthetic tables."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from ecosim.report import compare, stats
from ecosim.report.outcomes import Outcome

T_975_4 = 2.7764451051977987  # Student t quantile 0.975 with 4 degrees of freedom (tables)


def test_mean_ci_is_the_t_interval():
    ci = stats.mean_ci([1, 2, 3, 4, 5])
    sd = math.sqrt(2.5)  # sum of squares 10 over 4
    half = T_975_4 * sd / math.sqrt(5)
    assert (ci.mean, ci.n) == (3.0, 5)
    assert ci.sd == pytest.approx(sd)
    assert (ci.low, ci.high) == pytest.approx((3 - half, 3 + half))
    assert (ci.low, ci.high) == pytest.approx((1.0368, 4.9632), abs=1e-4)


@pytest.mark.parametrize("values", [[7.0], [7.0, float("nan")]])
def test_mean_ci_of_one_value_has_no_interval(values):
    ci = stats.mean_ci(values)
    assert ci.mean == 7.0 and ci.n == 1 and math.isnan(ci.low) and math.isnan(ci.high)


def test_mean_ci_of_nothing_is_missing():
    assert stats.mean_ci([]).n == 0 and math.isnan(stats.mean_ci([]).mean)


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        # sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 = 0.02, 0.03, 0.06, 0.04 -> monotone 0.06
        ([0.01, 0.04, 0.03, 0.005], [0.03, 0.06, 0.06, 0.02]),
        ([0.01, float("nan"), 0.04], [0.02, float("nan"), 0.04]),  # NaN is no test: m = 2
        ([0.5, 0.6], [1.0, 1.0]),  # capped at 1, kept monotone
        ([0.2], [0.2]),
    ],
)
def test_holm_matches_hand_computation(p, expected):
    np.testing.assert_allclose(stats.holm(p), expected, equal_nan=True)


def test_holm_is_statsmodels_multipletests():
    from statsmodels.stats.multitest import multipletests

    p = np.random.default_rng(1).uniform(0, 0.2, 9)
    np.testing.assert_allclose(stats.holm(p), multipletests(p, method="holm")[1])


def test_effect_sizes_by_hand():
    assert stats.cohens_dz([1, 2, 3]) == pytest.approx(2.0)  # mean 2, sd 1
    assert stats.cohens_d([1, 2, 3], [3, 4, 5]) == pytest.approx(2.0)  # difference 2, pooled sd 1
    assert stats.cohens_d([1, 2, 3], [1, 2, 3]) == 0.0
    assert stats.cohens_dz([2, 2, 2]) == math.inf


def test_paired_comparison_agrees_with_scipy_and_hand():
    rng = np.random.default_rng(3)
    a = rng.normal(10, 2, 12)
    b = a + rng.normal(1.0, 0.5, 12)
    c = stats.paired(a, b)
    d = b - a
    half = sps.t.ppf(0.975, 11) * d.std(ddof=1) / math.sqrt(12)
    assert c.paired and c.n == 12 and c.diff == pytest.approx(d.mean())
    assert (c.low, c.high) == pytest.approx((d.mean() - half, d.mean() + half))
    assert c.p == pytest.approx(sps.ttest_rel(b, a).pvalue)
    assert c.p_check == pytest.approx(sps.wilcoxon(d).pvalue)
    # d_z and the t statistic are one number apart: t = d_z * sqrt(n).
    assert c.effect * math.sqrt(12) == pytest.approx(sps.ttest_rel(b, a).statistic)


def test_paired_with_no_variation_has_no_t_test():
    same = stats.paired([1, 2, 3], [1, 2, 3])
    assert same.diff == 0 and math.isnan(same.p) and math.isnan(same.p_check) and same.effect == 0
    shifted = stats.paired([1, 2, 3], [4, 5, 6])
    assert math.isnan(shifted.p) and shifted.effect == math.inf
    assert shifted.p_check == pytest.approx(sps.wilcoxon([3, 3, 3]).pvalue)
    with pytest.raises(ValueError, match="same length"):
        stats.paired([1, 2], [1, 2, 3])


def test_unpaired_comparison_is_welch_with_mann_whitney():
    a = np.array([4.1, 5.0, 6.2, 5.5, 4.8])
    b = np.array([6.0, 7.5, 6.8, 8.1, 7.0, 9.2])
    c = stats.unpaired(a, b)
    welch = sps.ttest_ind(b, a, equal_var=False)
    ci = welch.confidence_interval(0.95)
    assert not c.paired and c.test == "Welch t"
    assert c.diff == pytest.approx(b.mean() - a.mean())
    assert c.p == pytest.approx(welch.pvalue)
    assert (c.low, c.high) == pytest.approx((ci.low, ci.high))
    assert c.p_check == pytest.approx(sps.mannwhitneyu(b, a, alternative="two-sided").pvalue)
    assert c.effect == pytest.approx(stats.cohens_d(a, b))


def test_pareto_front_keeps_the_undominated_points():
    x = [1, 2, 3, 3, 2, 4]
    y = [5, 2, 1, 3, 2, 4]
    # (3,3) and (4,4) are beaten by (2,2); the two equal (2,2) do not beat each other.
    assert stats.pareto_front(x, y).tolist() == [True, True, True, False, True, False]


@pytest.mark.parametrize(
    ("cum", "months", "expected"),
    [
        ([5, 3, -1, -2], None, 2),
        ([5, -1, 2, -3, -4], None, 3),  # a dip that does not last is no break-even
        ([-1, -2, -3], None, 0),  # cheaper from the start
        ([1, 2, 3], None, None),
        ([-1, -2, 1], None, None),  # ends above zero
        ([0, 0, -1], None, 2),  # equal is not yet below
        ([4, 1, -1, -5], [10, 11, 12, 13], 12),
    ],
)
def test_break_even_month(cum, months, expected):
    assert stats.break_even_month(cum, months) == expected


def test_payback_ratio():
    assert stats.payback_ratio([1, 2, 0, -4]) == pytest.approx(3.0)  # 2 invested, 6 saved after: threefold
    assert stats.payback_ratio([1, 2, 1]) == pytest.approx(0.5)
    assert math.isnan(stats.payback_ratio([-1, -2]))


# -- tables: cells, pairs, paired differences, break-even -------------------------------------------

SPEND = Outcome("total_spending", "spending", "EUR", 1.0)


def synthetic_runs(seeds_match: bool = True) -> pd.DataFrame:
    """Two forms x two stances x three replications; transformation costs 10 more, plus noise."""
    rows = []
    noise = {0: 0.0, 1: 1.0, 2: -2.0}
    for form_i, form in enumerate(["none", "wgr"]):
        for stance in ["cost_control", "transformation"]:
            for r in range(3):
                seed = 100 + r if seeds_match or stance == "cost_control" else 200 + r
                value = 100 + 50 * form_i + (10 + r if stance == "transformation" else 0) + noise[r]
                rows.append(
                    {
                        "run_id": f"{form}-{stance}-{r}",
                        "point": form_i * 2 + (stance == "transformation"),
                        "replication": r,
                        "seed": seed,
                        "factor_size": "tiny",
                        "factor_stance": stance,
                        "factor_form": form,
                        "total_spending": value,
                    }
                )
    return pd.DataFrame(rows)


def test_cells_have_means_and_intervals_per_combination():
    cells = compare.cells(synthetic_runs(), [SPEND])
    assert len(cells) == 4
    row = cells[(cells["factor_form"] == "none") & (cells["factor_stance"] == "cost_control")].iloc[0]
    assert row["mean"] == pytest.approx((100 + 101 + 98) / 3)
    assert row["cell"] == "stance=cost_control, form=none"  # the constant 'size' factor is left out
    assert row["n"] == 3


def test_pairs_are_matched_by_replication_and_compared_paired():
    pair_list = compare.pairs(synthetic_runs())
    assert [p.label for p in pair_list] == ["form=none", "form=wgr"]
    assert all(p.paired for p in pair_list)
    comp = compare.compare(pair_list, [SPEND])
    # Paired differences are 10, 11, 12 in both pairs: mean 11, sd 1.
    assert comp["diff"].tolist() == pytest.approx([11.0, 11.0])
    assert comp["effect"].tolist() == pytest.approx([11.0, 11.0])
    p = sps.ttest_rel([110, 112, 110], [100, 101, 98]).pvalue
    assert comp["p"].tolist() == pytest.approx([p, p])
    assert comp["p_holm"].tolist() == pytest.approx([2 * p, 2 * p])
    assert comp["rel"].iloc[0] == pytest.approx(11 / 99.66666666666667)


def test_pairs_fall_back_to_unpaired_when_seeds_differ():
    pair_list = compare.pairs(synthetic_runs(seeds_match=False))
    assert not any(p.paired for p in pair_list)
    comp = compare.compare(pair_list, [SPEND])
    assert set(comp["test"]) == {"Welch t"}


def test_break_even_table_from_series():
    runs = synthetic_runs().query("factor_form == 'none'")
    rows = []
    for _, r in runs.iterrows():
        for m in range(6):
            # Transformation: 3 more per month for 2 months, then 2 less (replication 2: never less).
            extra = (
                (3 if m < 2 else (-2 if r["replication"] < 2 else 1)) if r["factor_stance"] == "transformation" else 0
            )
            rows.append({"run_id": r["run_id"], "month": m, "variable": "spending", "value": 10.0 + extra})
    be = compare.break_even(compare.pairs(runs), pd.DataFrame(rows)).iloc[0]
    # Cumulative difference of replications 0 and 1: 3, 6, 4, 2, 0, -2 -> below zero from month 5.
    assert (be["n"], be["reached"], be["from_start"], be["median"]) == (3, 2, 0, 5.0)
    assert be["invested"] == 3 and be["threefold"] == 0
    assert be["payback"] == pytest.approx(8 / 6)  # peak 6, end -2
