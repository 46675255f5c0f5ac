"""Pure decision rules pinned by small hand-computed case tables (no model is built)."""

from __future__ import annotations

import numpy as np
import pytest

from ecosim.model.levers import (
    clip01,
    deficit_stance_shift,
    escalation_prob,
    joint_price_factor,
    leave_after_election,
    lever,
    partner_misjudgement_sd,
    prevention_multiplier,
    relative_burden_change,
    results_stance_shift,
    tender_scores,
    wait_factor,
)
from ecosim.model.phases.care import plan_cost_factor
from ecosim.model.phases.elections import is_election_month
from ecosim.model.phases.finance import budget_per_inhabitant
from ecosim.outputs.recorder import hhi, small_large_gap
from ecosim.scenario import BudgetParams

# -- lever ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pair", "stance", "expected"),
    [
        ([0.0, 10.0], 0.0, 0.0),  # control end
        ([0.0, 10.0], 1.0, 10.0),  # transformation end
        ([0.0, 10.0], 0.5, 5.0),  # midpoint
        ([4.0, 2.0], 0.25, 3.5),  # decreasing lever
        ([2.0, 4.0], -1.0, 2.0),  # stance below 0 is clipped
        ([2.0, 4.0], 2.0, 4.0),  # stance above 1 is clipped
        ([1.3, 0.6], 0.5, 0.95),  # default access threshold at stance 0.5
    ],
)
def test_lever_mixes_control_and_transformation(pair, stance, expected):
    """A lever is the linear mix of its pair at the (clipped) stance."""
    assert lever(pair, stance) == pytest.approx(expected)


def test_lever_works_elementwise_on_stance_arrays():
    """A stance array gives one lever value per municipality."""
    out = lever([10.0, 20.0], np.array([0.0, 0.5, 1.0, 1.5]))
    np.testing.assert_allclose(out, [10.0, 15.0, 20.0, 20.0])


# -- prevention ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spend", "max_effect", "half", "expected"),
    [
        (0.0, 0.25, 15.0, 1.0),  # no spending, no effect
        (15.0, 0.25, 15.0, 0.875),  # half the max effect at half_effect_eur
        (45.0, 0.4, 15.0, 0.7),  # 1 - 0.4 * 45 / 60
        (-5.0, 0.25, 15.0, 1.0),  # negative spending counts as none
        (1e12, 0.25, 15.0, 0.75),  # saturates at 1 - max_effect
        (20.0, 0.0, 15.0, 1.0),  # zero max effect: no effect at any spend
    ],
)
def test_prevention_multiplier_cases(spend, max_effect, half, expected):
    """Prevention multiplier is 1 at zero spend and half effect at half_effect_eur."""
    out = prevention_multiplier(np.array([spend]), max_effect, half)
    assert out[0] == pytest.approx(expected)


def test_prevention_multiplier_falls_monotonically_with_spend():
    """More prevention spending never raises incidence."""
    out = prevention_multiplier(np.linspace(0.0, 200.0, 101), 0.3, 15.0)
    assert np.all(np.diff(out) < 0)
    assert out[0] == 1.0 and out[-1] > 0.7


# -- escalation and waiting --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "months", "gain", "cap", "expected"),
    [
        (0.02, 0, 0.1, 0.25, 0.02),  # no unmet months: the base chance
        (0.02, 5, 0.1, 0.25, 0.03),  # 0.02 * (1 + 0.5)
        (0.02, 1000, 0.1, 0.25, 0.25),  # capped
        (0.0, 50, 0.1, 0.25, 0.0),  # specialist: base 0 never escalates
        (0.3, 0, 0.1, 0.25, 0.25),  # cap applies even to the base
    ],
)
def test_escalation_prob_cases(base, months, gain, cap, expected):
    """Escalation chance is base * (1 + gain * months unmet), capped."""
    out = escalation_prob(np.array([base]), np.array([months]), gain, cap)
    assert out[0] == pytest.approx(expected)


def test_escalation_prob_rises_with_months_unmet_until_cap():
    """Longer unmet need never lowers the escalation chance, and never exceeds the cap."""
    months = np.arange(0, 200)
    out = escalation_prob(np.full(len(months), 0.02), months, 0.1, 0.25)
    assert np.all(np.diff(out) >= 0)
    assert out[1] > out[0]
    assert out.max() == pytest.approx(0.25)


@pytest.mark.parametrize(
    ("months", "per_month", "floor", "expected"),
    [
        (0, 0.03, 0.4, 1.0),
        (10, 0.03, 0.4, 0.7),
        (20, 0.03, 0.4, 0.4),  # exactly at the floor
        (100, 0.03, 0.4, 0.4),  # floored
        (5, 0.0, 0.4, 1.0),  # no penalty
    ],
)
def test_wait_factor_cases(months, per_month, floor, expected):
    """Waiting lowers the recovery multiplier linearly down to a floor."""
    assert wait_factor(np.array([months]), per_month, floor)[0] == pytest.approx(expected)


# -- procurement ---------------------------------------------------------------------------------

COST = np.array([120.0, 80.0, 100.0])
QUALITY = np.array([0.9, 0.5, 0.7])
TRUST = np.array([0.9, 0.5, 0.5])


@pytest.mark.parametrize(
    ("stance", "expected_order"),
    [
        (0.0, [1, 2, 0]),  # cost control: cheapest first
        (1.0, [0, 2, 1]),  # transformation: best quality and trust first
    ],
)
def test_tender_scores_rank_by_stance(stance, expected_order):
    """Stance 0 ranks on price alone; stance 1 on quality plus trust alone."""
    scores = tender_scores(COST, QUALITY, TRUST, stance)
    assert np.argsort(-scores, kind="stable").tolist() == expected_order


def test_tender_scores_ignore_constant_columns():
    """A column without spread (equal costs) adds nothing and gives no NaN."""
    scores = tender_scores(np.full(3, 100.0), QUALITY, np.full(3, 0.5), 0.0)
    np.testing.assert_array_equal(scores, np.zeros(3))
    scores = tender_scores(np.full(3, 100.0), QUALITY, np.full(3, 0.5), 1.0)
    assert np.argsort(-scores).tolist() == [0, 2, 1]


@pytest.mark.parametrize(
    ("discount", "population", "reference", "expected"),
    [
        (0.1, 150_000, 300_000, 0.95),  # half scale, half the discount
        (0.1, 300_000, 300_000, 0.9),  # full scale
        (0.1, 900_000, 300_000, 0.9),  # no extra discount beyond the reference
        (0.0, 900_000, 300_000, 1.0),  # no discount at all
        (0.2, 0, 300_000, 1.0),  # no buyers, no scale
    ],
)
def test_joint_price_factor_cases(discount, population, reference, expected):
    """Joint procurement's price factor falls with the buyers' population up to full scale."""
    assert joint_price_factor(discount, population, reference) == pytest.approx(expected)


# -- stance, cooperation, elections -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("stance", "ambition", "deficit", "neg_reserve", "pressure", "reserve_pressure", "pull", "expected"),
    [
        (0.5, 0.5, 0.0, 0.0, 1.5, 0.5, 0.3, 0.5),  # balanced books, at ambition: no change
        (0.5, 0.5, 0.1, 0.0, 1.5, 0.5, 0.3, 0.35),  # 10 % deficit lowers stance by 0.15
        (0.5, 0.5, -0.2, 0.0, 1.5, 0.5, 0.3, 0.5),  # a surplus does not raise it
        (0.2, 1.0, 0.0, 0.0, 1.5, 0.5, 0.3, 0.44),  # ambition pulls up: 0.2 + 0.3 * 0.8
        (0.8, 0.0, 0.0, 0.0, 1.5, 0.5, 0.3, 0.56),  # ambition pulls down
        (0.5, 0.5, 0.0, 0.2, 1.5, 0.5, 0.3, 0.4),  # negative reserves push further
        (0.5, 0.5, 0.0, -0.3, 1.5, 0.5, 0.3, 0.5),  # positive reserves do nothing
        (0.1, 0.1, 0.5, 0.5, 1.5, 0.5, 0.3, 0.0),  # clipped at 0
        (0.9, 1.0, 0.0, 0.0, 1.5, 0.5, 2.0, 1.0),  # clipped at 1
    ],
)
def test_deficit_stance_shift_cases(stance, ambition, deficit, neg_reserve, pressure,
                                    reserve_pressure, pull, expected):
    """Year-end stance: pull toward ambition, minus deficit and negative-reserve pressure."""
    out = deficit_stance_shift(np.array([stance]), np.array([ambition]), np.array([deficit]),
                               np.array([neg_reserve]), pressure, reserve_pressure, pull)
    assert out[0] == pytest.approx(expected)


def test_deeper_deficit_means_lower_stance():
    """The stance after year end falls monotonically with the deficit share."""
    deficits = np.linspace(0.0, 0.5, 11)
    out = deficit_stance_shift(np.full(11, 0.7), np.full(11, 0.7), deficits, np.zeros(11), 1.5, 0.5, 0.3)
    assert np.all(np.diff(out) <= 0) and out[-1] < out[0]


@pytest.mark.parametrize(
    ("stance", "ambition", "surplus", "surplus_pull", "pull", "expected"),
    [
        (0.5, 0.9, 0.1, 0.5, 0.0, 0.55),  # 10 % surplus moves 0.05 toward the ambition above
        (0.5, 0.1, 0.1, 0.5, 0.0, 0.45),  # ... and toward an ambition below (not toward a strategy)
        (0.5, 0.5, 0.2, 0.5, 0.3, 0.5),  # at its ambition a surplus changes nothing
        (0.5, 0.52, 0.4, 0.5, 0.0, 0.52),  # never past the ambition
        (0.2, 1.0, 0.1, 0.5, 0.3, 0.49),  # on top of the ambition pull: 0.2 + 0.24 + 0.05
        (0.5, 0.9, 0.1, 0.0, 0.0, 0.5),  # surplus_pull 0: the old rule
    ],
)
def test_surplus_moves_stance_toward_ambition(stance, ambition, surplus, surplus_pull, pull, expected):
    """A surplus lifts budget pressure: the stance moves toward the council's ambition, never past it."""
    out = deficit_stance_shift(np.array([stance]), np.array([ambition]), np.array([-surplus]), np.zeros(1),
                               0.5, 0.5, pull, surplus_pull=surplus_pull)
    assert out[0] == pytest.approx(expected)


def test_deficit_lowers_and_surplus_raises_stance_toward_a_transforming_ambition():
    """Two sides: from the same stance, a deficit moves toward control, a surplus back toward ambition."""
    shares = np.array([0.2, 0.1, 0.0, -0.1, -0.2])  # deficit share; negative = surplus
    out = deficit_stance_shift(np.full(5, 0.5), np.full(5, 0.9), shares, np.zeros(5), 0.5, 0.5, 0.0,
                               surplus_pull=0.5)
    assert np.all(np.diff(out) > 0)
    assert out[0] < 0.5 < out[-1]


@pytest.mark.parametrize(
    ("stance", "change", "weight", "expected"),
    [
        (0.9, -0.2, 0.5, 0.08),  # transforming, burden falls against peers: further along (0.5 * 0.8 * 0.2)
        (0.9, 0.2, 0.5, -0.08),  # transforming, burden rises: back toward control
        (0.1, -0.2, 0.5, -0.08),  # controlling, burden falls: further toward control
        (0.1, 0.2, 0.5, 0.08),  # controlling, burden rises: toward transformation
        (0.5, 0.3, 0.5, 0.0),  # no course, no shift
        (1.0, -3.0, 0.5, 0.5),  # change capped at 1
        (0.9, -0.2, 0.0, 0.0),  # weight 0: results do not count
    ],
)
def test_results_stance_shift_cases(stance, change, weight, expected):
    """Results seen reinforce the current course when the burden falls and turn it when it rises."""
    assert results_stance_shift(np.array([stance]), np.array([change]), weight)[0] == pytest.approx(expected)


def test_results_stance_shift_is_mirror_symmetric():
    """Swapping the two strategies (s -> 1 - s) swaps the sign of the shift."""
    stance = np.linspace(0.0, 1.0, 11)
    change = np.linspace(-0.5, 0.5, 11)
    np.testing.assert_allclose(results_stance_shift(stance, change, 0.7),
                               -results_stance_shift(1.0 - stance, change, 0.7))


def test_relative_burden_change_removes_the_shared_trend():
    """A rise all peers share is no result; only the difference from the region counts."""
    region = np.array([0, 0, 1, 1])
    before = np.array([10.0, 10.0, 5.0, 5.0])
    common = relative_burden_change(before * 2.0, before, region)
    np.testing.assert_allclose(common, 0.0, atol=1e-12)
    out = relative_burden_change(np.array([20.0, 10.0, 5.0, 5.0]), before, region)
    assert out[0] > 0 > out[1]  # worse than the region, better than the region
    np.testing.assert_allclose(out[2:], 0.0, atol=1e-12)
    assert out[0] == pytest.approx(np.log(2.0) - np.log(1.5))


def test_relative_burden_change_is_zero_without_a_previous_year():
    """In the first year (no previous year) or without burden, results say nothing."""
    region = np.zeros(3, dtype=np.int64)
    np.testing.assert_array_equal(relative_burden_change(np.array([1.0, 2.0, 3.0]), np.full(3, np.nan), region), 0.0)
    out = relative_burden_change(np.array([0.0, 2.0, 3.0]), np.array([1.0, 0.0, 3.0]), region)
    assert out[0] == 0.0 and out[1] == 0.0


@pytest.mark.parametrize(
    ("sd", "knowledge", "months", "acquaintance", "expected"),
    [
        (0.5, 1.0, 0.0, 24.0, 0.0),  # full knowledge: no misjudgement
        (0.5, 0.0, 0.0, 24.0, 0.5),  # a stranger, no knowledge: the full sd
        (0.5, 0.6, 0.0, 24.0, 0.2),  # 0.4 * 0.5
        (0.5, 0.6, 24.0, 24.0, 0.1),  # halved after acquaintance months together
        (0.5, 0.6, 72.0, 24.0, 0.05),  # a quarter after three times as long
    ],
)
def test_partner_misjudgement_cases(sd, knowledge, months, acquaintance, expected):
    """Poor knowledge of a partner scales its misjudgement; working together shrinks it (seed 003)."""
    assert partner_misjudgement_sd(sd, knowledge, months, acquaintance) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("trust", "exit_cost", "base", "reference", "expected"),
    [
        (1.0, 0.0, 0.3, 5.0, 0.0),  # full trust: never leaves
        (0.0, 0.0, 0.3, 5.0, 0.3),  # no trust, free exit: the base chance
        (0.0, 5.0, 0.3, 5.0, 0.15),  # exit cost at the reference halves it
        (0.5, 10.0, 0.3, 5.0, 0.05),  # 0.3 * 0.5 * 5 / 15
    ],
)
def test_leave_after_election_cases(trust, exit_cost, base, reference, expected):
    """A new council leaves more readily when distrustful and when exit is cheap."""
    assert leave_after_election(trust, exit_cost, base, reference) == pytest.approx(expected)


def test_higher_exit_cost_lowers_leaving_chance():
    """Heavier forms (higher exit cost) are left less often."""
    costs = [0.0, 0.2, 2.0, 3.0, 10.0, 50.0]
    chances = [leave_after_election(0.3, c, 0.3, 5.0) for c in costs]
    assert all(a > b for a, b in zip(chances, chances[1:], strict=False))


# -- care, elections, finance, metrics ------------------------------------------------------------


@pytest.mark.parametrize(
    ("n_domains", "integrated", "extra", "expected"),
    [
        (1, False, 0.5, 1.0),
        (1, True, 0.5, 1.0),  # a single domain costs the same either way
        (2, False, 0.5, 2.0),  # separate trajectories: one per domain
        (3, False, 0.5, 3.0),
        (2, True, 0.5, 1.5),  # integrated: half the cost per extra domain
        (3, True, 0.5, 2.0),
        (3, True, 0.0, 1.0),
    ],
)
def test_plan_cost_factor_cases(n_domains, integrated, extra, expected):
    """An integrated plan costs less than one trajectory per domain."""
    out = plan_cost_factor(np.array([n_domains]), np.array([integrated]), extra)
    assert out[0] == pytest.approx(expected)


@pytest.mark.parametrize(
    ("month", "expected"),
    [(38, True), (86, True), (134, True), (37, False), (39, False), (0, False), (62, False), (85, False)],
)
def test_is_election_month(month, expected):
    """Elections in March 2018 (month 38) and every 48 months after."""
    assert is_election_month(month, 38, 48) is expected


def test_budget_2015_per_inhabitant_is_the_national_budget_per_inhabitant():
    """The 2015 budget per inhabitant is the national 2015 budget over the population."""
    b = BudgetParams()
    expected = np.asarray(b.budget_2015_eur) / b.national_population
    np.testing.assert_allclose(budget_per_inhabitant(b, 0), expected, rtol=1e-12)


def test_budget_falls_in_later_years_with_cuts():
    """With cuts later years get less per inhabitant, never more than the year before."""
    b = BudgetParams(cut_fraction=[0.11, 0.20, 0.15])
    years = np.array([budget_per_inhabitant(b, y) for y in range(8)])
    assert np.all(years[1:] < years[0])
    assert np.all(np.diff(years, axis=0) <= 1e-12)
    np.testing.assert_allclose(years[-1], years[3])  # the last phase-in value holds after


def test_budget_constant_without_cuts():
    """With zero cuts every year equals 2015."""
    b = BudgetParams(cut_fraction=[0.0, 0.0, 0.0])
    for year in range(6):
        np.testing.assert_allclose(budget_per_inhabitant(b, year), budget_per_inhabitant(b, 0))


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        ([1.0, 0.0, 0.0], 1.0),  # monopoly
        ([5.0, 5.0], 0.5),
        ([1.0, 1.0, 1.0, 1.0], 0.25),  # n equal shares: 1/n
        ([30.0, 10.0], 0.625),  # 0.75^2 + 0.25^2
        ([0.0, 0.0], 0.0),  # empty market
    ],
)
def test_hhi_cases(shares, expected):
    """Herfindahl index of shares (unnormalised input)."""
    assert hhi(np.array(shares)) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("values", "population", "share", "expected"),
    [
        ([1, 2, 3, 4, 5, 6], [10, 20, 30, 40, 50, 60], 1 / 3, 1.5 - 5.5),
        ([6, 5, 4, 3, 2, 1], [60, 50, 40, 30, 20, 10], 1 / 3, 1.5 - 5.5),  # order by population
        ([9, 1, 5], [1, 100, 50], 1 / 3, 8.0),  # one small, one large
        ([3.0, 3.0, 3.0], [1, 2, 3], 1 / 3, 0.0),
        ([7.0], [1000], 1 / 3, 0.0),  # a single municipality has no gap
    ],
)
def test_small_large_gap_cases(values, population, share, expected):
    """Mean of the smallest municipalities minus mean of the largest."""
    gap = small_large_gap(np.array(values, dtype=float), np.array(population, dtype=float), share)
    assert gap == pytest.approx(expected)


@pytest.mark.parametrize(
    "x",
    [-0.0, 0.0, 0.3, 1.0, -1e-300, 1.0 + 1e-16, 2.0, -5.0, float("nan"), float("inf"), np.float64(-0.0), np.float64(0.7)],
)
def test_clip01_is_np_clip_in_value_sign_and_type(x):
    """The fast clip of a single float gives exactly what np.clip gives (speed, issue 17)."""
    got, want = clip01(x), np.clip(x, 0.0, 1.0)
    assert type(got) is type(want)
    assert (np.isnan(got) and np.isnan(want)) or (got == want and np.signbit(got) == np.signbit(want))
    arr = np.array([-0.5, 0.5, 1.5])
    np.testing.assert_array_equal(clip01(arr), np.clip(arr, 0.0, 1.0))
