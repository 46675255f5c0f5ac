"""Income support: bijstand recipients and the BUIG, apart from the integration fund (ODD 7.12).

Directions (a worse labour market means more recipients; more successful participation
trajectories mean more outflow), the accounting identities (BUIG result = BUIG budget minus
benefits; participation spending never includes benefits; reserves move by both books) and
the rules' pieces (the unemployment path, the budget split, the safety net).
"""

from __future__ import annotations

import numpy as np
import pytest

from ecosim import Scenario
from ecosim.model.bijstand import (
    IncomeSupport,
    reintegration_exits,
    safety_net,
    unemployment_at,
    yearly,
)

POP = np.array([5_000.0, 40_000.0, 250_000.0])


def support(**overrides) -> IncomeSupport:
    """An income-support owner for three municipalities under the default parameters and overrides."""
    p = Scenario().with_overrides({f"bijstand.{k}": v for k, v in overrides.items()}).bijstand
    return IncomeSupport(p, POP, 16_900_000.0)


def run_months(s: IncomeSupport, months: int, successes: np.ndarray | None = None) -> np.ndarray:
    """Move ``s`` for some months with the given successes each month; returns the benefits paid."""
    paid = np.zeros(len(POP))
    for month in range(months):
        paid += s.month(month, np.zeros(len(POP)) if successes is None else successes)
    return paid


# -- directions ------------------------------------------------------------------------------------


def test_a_higher_unemployment_path_gives_more_recipients():
    high, low = support(unemployment_rate=[0.09]), support(unemployment_rate=[0.03])
    assert np.all(high.recipients == low.recipients)  # the same start
    run_months(high, 24)
    run_months(low, 24)
    assert np.all(high.recipients > low.recipients)
    assert np.all(high.inflow > low.inflow) and np.all(high.outflow < low.outflow)


def test_without_elasticity_the_unemployment_path_does_not_matter():
    """The labour market acts only through the elasticity (the test above can fail)."""
    high = support(unemployment_rate=[0.09], unemployment_elasticity=0.0)
    low = support(unemployment_rate=[0.03], unemployment_elasticity=0.0)
    run_months(high, 24)
    run_months(low, 24)
    np.testing.assert_allclose(high.recipients, low.recipients)


def test_more_successful_participation_trajectories_raise_outflow():
    many, few = support(), support()
    run_months(many, 12, successes=np.array([10.0, 80.0, 500.0]))
    run_months(few, 12, successes=np.array([1.0, 8.0, 50.0]))
    assert np.all(many.exits > few.exits)
    assert np.all(many.recipients < few.recipients)


def test_exits_after_success_follow_the_shares_and_never_exceed_the_stock():
    p = Scenario().bijstand
    exits = reintegration_exits(np.array([100.0, 100.0]), np.array([1_000.0, 3.0]), p)
    assert exits[0] == pytest.approx(100.0 * p.participation_bijstand_share * p.exit_after_success)
    assert exits[1] == 3.0


def test_better_care_means_more_reintegrations_and_bijstand_exits_in_the_model(run_small):
    """Through the agents: care that recovers more often ends more benefits (summed over seeds)."""
    better = {"care.improve_prob": [0.3, 0.2, 0.15, 0.1]}
    worse = {"care.improve_prob": [0.05, 0.035, 0.025, 0.02]}
    exits = {}
    for name, overrides in (("better", better), ("worse", worse)):
        dfs = [run_small(overrides, months=24, seed=seed).model_df for seed in (1, 2)]
        exits[name] = sum(df["bijstand_reintegration_exits"].sum() for df in dfs)
        assert all(df["reintegrations"].sum() > 0 for df in dfs)
    assert exits["better"] > 1.5 * exits["worse"]


# -- accounting ------------------------------------------------------------------------------------


def test_buig_result_is_budget_minus_benefits_every_month_and_year(run_small):
    result = run_small(months=26, seed=3)
    d, u = result.model_df, result.municipalities_df
    np.testing.assert_allclose(d["buig_result"], d["buig_budget"] - d["bijstand_benefits"], rtol=1e-12)
    np.testing.assert_allclose(u["buig_result"], u["buig_budget"] - u["bijstand_benefits"], rtol=1e-12)
    by_year = d.groupby("year")
    np.testing.assert_allclose(
        by_year["buig_result_year_to_date"].last().loc[[2015, 2016]],
        by_year["buig_result"].sum().loc[[2015, 2016]],
        rtol=1e-9,
    )
    # The municipal rows add up to the model row.
    summed = u.groupby("month")[["buig_budget", "bijstand_benefits", "bijstand_recipients"]].sum()
    np.testing.assert_allclose(summed["buig_budget"], d["buig_budget"], rtol=1e-9)
    np.testing.assert_allclose(summed["bijstand_recipients"], d["bijstand_recipients"], rtol=1e-9)
    assert (d["bijstand_benefits"] > 0).all() and (d["buig_budget"] > 0).all()


def test_participation_spending_excludes_benefits(run_small):
    """Benefits 40 times dearer leave every integration-fund figure exactly as it was."""
    cheap = {"bijstand.in_municipal_finance": False, "bijstand.benefit_eur_per_recipient_year": 1_000.0}
    dear = {"bijstand.in_municipal_finance": False, "bijstand.benefit_eur_per_recipient_year": 40_000.0}
    a, b = run_small(cheap, months=14, seed=2).model_df, run_small(dear, months=14, seed=2).model_df
    assert b["bijstand_benefits"].sum() > 30 * a["bijstand_benefits"].sum()
    for column in ("spending", "spending_participatie", "budget_participatie", "budget", "balance", "reserves"):
        np.testing.assert_array_equal(a[column], b[column], err_msg=column)


def test_with_buig_in_municipal_finance_reserves_move_by_both_books(small_model):
    model = small_model({"bijstand.in_municipal_finance": True}, seed=4)
    for _ in range(13):
        before = np.array([m.reserves for m in model.municipalities])
        model.step()
        led = model.ledger
        after = np.array([m.reserves for m in model.municipalities])
        expected = led.budget.sum(axis=1) - led.spending() + led.buig_result() + led.safety_net
        np.testing.assert_allclose(after - before, expected, rtol=1e-9, atol=1e-3)


def test_without_buig_in_municipal_finance_reserves_ignore_it(small_model):
    model = small_model({"bijstand.in_municipal_finance": False}, seed=4)
    for _ in range(3):
        before = np.array([m.reserves for m in model.municipalities])
        model.step()
        led = model.ledger
        after = np.array([m.reserves for m in model.municipalities])
        np.testing.assert_allclose(after - before, led.budget.sum(axis=1) - led.spending(), rtol=1e-9, atol=1e-3)
        assert np.abs(led.buig_result()).sum() > 0


# -- the rules' pieces -----------------------------------------------------------------------------


def test_unemployment_path_is_the_yearly_mean_at_mid_year_and_flat_outside():
    path = [0.069, 0.060, 0.049]
    assert unemployment_at(path, 0) == 0.069  # before mid-2015: flat
    assert unemployment_at(path, 5.5) == pytest.approx(0.069)
    assert unemployment_at(path, 17.5) == pytest.approx(0.060)
    assert unemployment_at(path, 11.5) == pytest.approx((0.069 + 0.060) / 2)
    assert unemployment_at(path, 100) == 0.049  # the last value holds
    assert yearly(path, 7) == 0.049 and yearly(path, -1) == 0.069


def test_buig_budget_is_the_macro_budget_scaled_to_the_model_population():
    s = support()
    p = s.params
    share = POP.sum() / 16_900_000.0
    for year, macro in enumerate(p.macro_budget_eur):
        assert s.budget_year(year).sum() == pytest.approx(macro * share)
    # After the sourced path: spending per recipient times last year's recipients, by the start shares.
    run_months(s, 12 * len(p.macro_budget_eur))
    after = s.budget_year(len(p.macro_budget_eur))
    per = p.benefit_eur_per_recipient_year * (1 + p.benefit_growth_year) ** len(p.macro_budget_eur)
    assert after.sum() == pytest.approx(per * s.recipients.sum())
    np.testing.assert_allclose(after / after.sum(), POP / POP.sum())


def test_safety_net_pays_a_share_of_the_deficit_above_the_threshold_only():
    budget = np.array([100.0, 100.0, 100.0, 100.0])
    deficit = np.array([-5.0, 4.0, 10.0, 25.0])
    paid = safety_net(deficit, budget, threshold=0.05, share=0.5)
    np.testing.assert_allclose(paid, [0.0, 0.0, 2.5, 10.0])


def test_safety_net_is_paid_in_december_to_municipalities_above_the_threshold(small_model):
    """Benefits twice the budget put every municipality over the threshold; the net pays in December only."""
    model = small_model({"bijstand.benefit_eur_per_recipient_year": 30_000.0}, seed=1)
    paid = []
    for _ in range(12):
        model.step()
        paid.append(model.ledger.safety_net.copy())
    assert all(not p.any() for p in paid[:11])
    led = model.ledger
    p = model.scenario.bijstand
    expected = p.safety_net_share * (
        led.year_benefits - led.year_buig_budget - p.safety_net_threshold[0] * led.year_buig_budget
    )
    np.testing.assert_allclose(paid[11], expected, rtol=1e-9)


# -- municipalities that differ (ODD 7.11, 7.12) ----------------------------------------------------


def test_benefit_density_scales_stock_and_inflow_but_not_the_outflow_rate():
    p = Scenario().bijstand
    density = np.array([0.5, 1.0, 2.0])
    flat, dense = IncomeSupport(p, POP, 16_900_000.0), IncomeSupport(p, POP, 16_900_000.0, density=density)
    np.testing.assert_allclose(dense.recipients, flat.recipients * density)
    run_months(flat, 1)
    run_months(dense, 1)
    np.testing.assert_allclose(dense.inflow, flat.inflow * density)
    start = POP * density / 1000.0 * p.initial_recipients_per_1000
    start_flat = POP / 1000.0 * p.initial_recipients_per_1000
    np.testing.assert_allclose(dense.outflow / start, flat.outflow / start_flat)


def test_the_buig_split_follows_the_allocation_and_keeps_the_total():
    p = Scenario().bijstand
    factors = np.array([1.3, 0.9, 1.01])
    factors = factors / (factors @ POP / POP.sum())  # population-weighted mean 1, as 7.11 gives
    flat = IncomeSupport(p, POP, 16_900_000.0)
    split = IncomeSupport(p, POP, 16_900_000.0, allocation=lambda year: factors)
    np.testing.assert_allclose(split.budget_year(1), flat.budget_year(1) * factors)
    assert split.budget_year(1).sum() == pytest.approx(flat.budget_year(1).sum())
    assert split.budget_year(1)[0] > flat.budget_year(1)[0] and split.budget_year(1)[1] < flat.budget_year(1)[1]


def test_in_the_model_denser_municipalities_have_more_recipients_per_inhabitant():
    from pathlib import Path

    import ecosim

    scenario = Path(__file__).resolve().parents[2] / "scenarios" / "regional_default.toml"
    res = ecosim.run(scenario, months=1, seed=3)
    m = res.model
    per_inh = m.income_support.recipients / m.populations
    density = m.need.multiplier[:, 2]
    assert np.corrcoef(per_inh, density)[0, 1] > 0.9
