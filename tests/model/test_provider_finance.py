"""Provider finance (issue 12, item 4) and the 2015 balance (item 7): directions and invariants.

The price is the provider's full cost of a client-month at the reference occupancy plus a
margin; fixed costs fall on the places it offers; admin is staff time it pays for, per client
and per contract. None of these tests says which stance does better.
"""

from __future__ import annotations

import pytest

import ecosim
from ecosim.model import costing
from ecosim.model.levers import lever
from ecosim.model.phases.care import deliver_care
from ecosim.model.phases.procurement import MUNICIPALITY, provider_contract_admin

ROOT_SCENARIO = "scenarios/regional_default.toml"


def month_result(
    places: float, occupancy: float, unit_cost: float, mix: float, fixed_share: float, reference: float,
    client_admin_ratio: float, intensity: float, contract_admin_eur: float, margin: float,
) -> tuple[float, float]:
    """Revenue and expense of one provider's month, all contracts priced by the full-cost rule."""
    clients = places * occupancy
    care = unit_cost * mix * clients
    share = costing.contract_admin_share(contract_admin_eur, unit_cost, mix, places, reference)
    full = costing.full_cost_factor(fixed_share, reference, client_admin_ratio * intensity, share)
    revenue = care * costing.price_factor(full, margin)
    fixed = costing.fixed_cost(fixed_share, unit_cost, mix, places)
    expense = costing.provider_expense(fixed, care, fixed_share, client_admin_ratio * intensity * care, contract_admin_eur)
    return revenue, expense


@pytest.mark.parametrize(
    ("places", "unit_cost", "mix", "fixed_share", "reference", "ratio", "intensity", "contract_eur"),
    [
        (100.0, 206.6, 2.53, 0.3, 0.875, 0.4, 1.0, 13 * 2_500.0),  # control, 13 contracts
        (100.0, 206.6, 2.53, 0.3, 0.875, 0.4, 0.3, 2_500.0 * 0.3),  # light accountability, one contract
        (30.0, 73.7, 1.0, 0.5, 0.85, 0.6, 1.0, 5 * 10_000.0),  # a small provider, heavy per-contract admin
        (500.0, 140.2, 4.0, 0.0, 0.9, 0.0, 0.0, 0.0),  # no fixed cost and no admin
    ],
)
def test_margin_zero_at_the_reference_occupancy_breaks_even(
    places, unit_cost, mix, fixed_share, reference, ratio, intensity, contract_eur
):
    revenue, expense = month_result(
        places, reference, unit_cost, mix, fixed_share, reference, ratio, intensity, contract_eur, margin=0.0
    )
    assert revenue == pytest.approx(expense, rel=1e-12)


def test_above_the_reference_occupancy_a_provider_gains_and_below_it_loses():
    args = (100.0, 200.0, 2.5, 0.3, 0.875, 0.4, 1.0, 10_000.0)
    revenue, expense = month_result(args[0], 0.95, *args[1:], margin=0.0)
    assert revenue > expense
    revenue, expense = month_result(args[0], 0.7, *args[1:], margin=0.0)
    assert revenue < expense
    # A positive margin moves the break-even occupancy below the reference one.
    revenue, expense = month_result(args[0], 0.875, *args[1:], margin=0.015)
    assert revenue > expense


def test_fixed_cost_scales_with_offered_places_not_with_admin():
    base = costing.fixed_cost(0.3, 200.0, 2.5, 100.0)
    assert costing.fixed_cost(0.3, 200.0, 2.5, 200.0) == pytest.approx(2 * base)
    assert costing.fixed_cost(0.0, 200.0, 2.5, 100.0) == 0.0


def test_fixed_cost_in_the_model_follows_places_whatever_the_admin_burden(small_model):
    """Two worlds alike but for the accountability they impose: same places, so same fixed cost."""
    light = small_model({"procurement.admin_intensity": [0.1, 0.1]}, seed=3)
    heavy = small_model({"procurement.admin_intensity": [1.0, 1.0]}, seed=3)
    assert [p.capacity for p in light.providers] == [p.capacity for p in heavy.providers]
    light.step()
    heavy.step()
    assert sum(p.admin_burden for p in heavy.providers) > sum(p.admin_burden for p in light.providers)
    assert [p.capacity for p in light.providers] == pytest.approx([p.capacity for p in heavy.providers])


def test_admin_share_rises_with_contracts_and_with_accountability():
    care = 100_000.0
    def share(contracts: int, intensity: float) -> float:
        admin = 0.4 * intensity * care + 2_500.0 * intensity * contracts
        return costing.admin_share(care, admin)
    assert share(13, 1.0) > share(5, 1.0) > share(1, 1.0)
    assert share(5, 1.0) > share(5, 0.6) > share(5, 0.3)
    # The per-contract part weighs more on a small provider.
    small = costing.admin_share(care / 10, 0.4 * care / 10 + 2_500.0 * 5)
    assert small > share(5, 1.0)


def test_per_client_admin_scales_with_clients(small_model):
    """Per-client admin is booked on each client's care cost times its contract's intensity."""
    model = small_model({"stance.initial_mean": 0.5, "stance.initial_sd": 0.0}, seed=2)
    intensity = float(lever(model.scenario.procurement.admin_intensity, 0.5))
    model.market.open_month()
    deliver_care(model)
    variable, admin = model.market.variable, model.market.admin_care
    assert variable.sum() > 0
    assert admin == pytest.approx(intensity * variable)  # so it grows with clients, in proportion
    # More clients of the same mix, more per-client admin, and nothing per contract changes.
    ratio = model.scenario.providers.client_admin_ratio
    one = costing.provider_expense(0.0, 1_000.0, 0.3, ratio * intensity * 1_000.0, 500.0)
    two = costing.provider_expense(0.0, 2_000.0, 0.3, ratio * intensity * 2_000.0, 500.0)
    assert two - one == pytest.approx((0.7 + ratio * intensity) * 1_000.0)


def test_contract_admin_counts_every_open_contract_times_its_intensity(small_model):
    model = small_model({"cooperation.initial_form": "none", "cooperation.preferred_form": "none"}, seed=1)
    eur = model.scenario.providers.admin_eur_per_contract_month
    per = provider_contract_admin(model, 0)
    for p in model.providers:
        own = [c for c in model.contracts.open if c.provider == p.index and c.active(0)]
        assert per[p.index] == pytest.approx(eur * sum(c.admin_intensity for c in own))
        assert all(c.buyer_kind == MUNICIPALITY for c in own)


def test_price_factor_includes_full_cost_and_margin(small_model):
    """Transition contracts are priced at full cost at the reference occupancy plus the margin."""
    model = small_model({"procurement.price_margin": [0.0, 0.0]}, seed=1)
    s = model.scenario.providers
    floor = (1 - s.fixed_cost_share) + s.fixed_cost_share / s.reference_occupancy
    for c in model.contracts.contracts:
        assert c.price_factor > floor + s.client_admin_ratio * c.admin_intensity - 1e-12


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_default_scenario_2015_balance_without_cuts_within_five_percent(seed):
    """Issue 12 item 7: at 2015 budgets without cuts, 2015 spending is within 5 % of the budget."""
    run = ecosim.run(ROOT_SCENARIO, months=12, seed=seed, overrides={"budget.cut_fraction": [0.0, 0.0, 0.0]})
    df = run.model_df
    ratio = df["spending"].sum() / df["budget"].sum()
    assert abs(ratio - 1.0) <= 0.05, ratio
