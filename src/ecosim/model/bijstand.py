"""Income support: bijstand recipients per municipality and the BUIG budget that pays them.

Recipients are an aggregate stock per municipality (people, not agents): the citizen agents
are people in need of care, and most bijstand recipients have no care trajectory, so giving
each an agent would multiply the agents without adding a decision. The stock moves every month
by an inflow and an outflow that follow an exogenous labour-market path, by the benefits
taken up by newly housed asylum permit holders, and by an extra outflow from successful
participation trajectories (re-integration is the care-like trajectory of the participation
domain). Benefits are paid from the BUIG budget, not from the integration fund, so
participation spending never includes them.

The rules are pure functions of arrays (tested on their own); :class:`IncomeSupport` holds the
stock and its month's flows. The phase that moves it is :mod:`ecosim.model.phases.income`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from ecosim.scenario.bijstand import BijstandParams

if TYPE_CHECKING:
    from ecosim.model.heterogeneity import BudgetAllocation


def yearly(path: Sequence[float], year: int) -> float:
    """A yearly path's value in year ``year`` since 2015 (the last value holds after, the first before)."""
    return float(path[min(max(year, 0), len(path) - 1)])


def unemployment_at(path: Sequence[float], month: int) -> float:
    """The unemployment rate in a month: yearly means placed mid-year, linear in between, flat outside."""
    mid = np.arange(len(path)) * 12.0 + 5.5
    return float(np.interp(month, mid, np.asarray(path, dtype=float)))


def refugee_inflow(p: BijstandParams, month: int) -> float:
    """New recipients per month from asylum permits, nationally: the permits of ``lag`` months ago."""
    start = month - int(round(p.refugee_lag_months))
    if start < 0:
        return 0.0
    return yearly(p.refugee_permits_year, start // 12) * p.refugee_bijstand_share / 12.0


def spending_per_recipient(p: BijstandParams, year: int) -> float:
    """BUIG spending per recipient in a year since 2015 [EUR/year]."""
    return p.benefit_eur_per_recipient_year * (1.0 + p.benefit_growth_year) ** year


def regular_flows(
    stock: np.ndarray, population: np.ndarray, unemployment: float, p: BijstandParams
) -> tuple[np.ndarray, np.ndarray]:
    """This month's regular inflow and outflow per municipality [people/month].

    Inflow per inhabitant rises with unemployment, the outflow rate falls with it, both with
    the elasticity ``unemployment_elasticity`` around the reference rate. The outflow never
    exceeds the stock.
    """
    ratio = max(unemployment, 1e-6) / p.reference_unemployment
    e = p.unemployment_elasticity
    inflow = population / 1000.0 * p.inflow_per_1000_year / 12.0 * ratio**e
    rate = min(p.outflow_rate_year / 12.0 * ratio ** (-e), 1.0)
    return inflow, stock * rate


def reintegration_exits(successes: np.ndarray, room: np.ndarray, p: BijstandParams) -> np.ndarray:
    """Recipients who leave bijstand after a successful participation trajectory [people/month].

    Of the people whose participation trajectory succeeded, the share on bijstand leaves it with
    chance ``exit_after_success``; never more than the recipients left (``room``).
    """
    exits = successes * p.participation_bijstand_share * p.exit_after_success
    return np.minimum(exits, np.maximum(room, 0.0))


def safety_net(deficit: np.ndarray, budget: np.ndarray, threshold: float, share: float) -> np.ndarray:
    """The vangnetuitkering for a year: ``share`` of the deficit above ``threshold`` of the BUIG budget [EUR]."""
    return share * np.maximum(deficit - threshold * budget, 0.0)


def participation_allocation(allocation: BudgetAllocation, year: int) -> np.ndarray:
    """The participation domain's allocation factors in a year since 2015 (7.11): the BUIG's shares."""
    return allocation.factors(2015 + year)[:, 2]


class IncomeSupport:
    """Bijstand recipients per municipality, the month's flows, and each municipality's BUIG share.

    ``recipients`` is the stock at the end of the last month (people, not agents, so it does not
    depend on the representation scale).

    Municipalities differ in two ways (ODD 7.12):

    - ``density``: benefit density relative to the map's mean (population-weighted mean 1; the
      participation need multiplier of 7.11, which is the benefit density by construction). The
      start stock and the regular inflow per inhabitant scale with it; the outflow rate does not.
    - ``allocation``: a function of the year since 2015 giving each municipality's budget per
      inhabitant relative to the national one (population-weighted mean 1; the participation
      domain's historic-then-objective shares of 7.11). The BUIG share is population x that factor
      over the national population, so the budget follows need with the allocation's error, and
      BUIG results spread between municipalities as the objective model's errors do.

    Without them every municipality has the national rates and a share by population.
    """

    def __init__(
        self,
        p: BijstandParams,
        population: np.ndarray,
        national_population: float,
        density: np.ndarray | None = None,
        allocation: Callable[[int], np.ndarray] | None = None,
    ) -> None:
        self.params = p
        self.population = np.asarray(population, dtype=float)
        self.national_population = float(national_population)
        self.density = np.ones_like(self.population) if density is None else np.asarray(density, dtype=float)
        self.allocation = allocation
        self.recipients = self.population * self.density / 1000.0 * p.initial_recipients_per_1000
        self.start_share = self.recipients / max(self.recipients.sum(), 1e-9)
        self.last_year_end = self.recipients.sum()
        n = len(self.population)
        self.inflow = np.zeros(n)
        self.outflow = np.zeros(n)
        self.exits = np.zeros(n)
        self.unemployment = unemployment_at(p.unemployment_rate, 0)
        self.budget_this_year = self.budget_year(0)

    def budget_year(self, year: int) -> np.ndarray:
        """Each municipality's BUIG budget for a year since 2015 [EUR/year].

        Within the sourced path: the national macro budget times the municipality's weight.
        After it: spending per recipient times the model's recipients at the end of the year
        before, split by the shares of 1 January 2015.
        """
        p = self.params
        if year < len(p.macro_budget_eur):
            return p.macro_budget_eur[year] * self.budget_weight(year)
        return spending_per_recipient(p, year) * self.last_year_end * self.start_share

    def budget_weight(self, year: int) -> np.ndarray:
        """Each municipality's share of the national macro budget in a year since 2015."""
        factor = np.ones_like(self.population) if self.allocation is None else self.allocation(year)
        return self.population * factor / max(self.national_population, 1e-9)

    def budget_of_month(self, month: int) -> np.ndarray:
        """This month's BUIG budget per municipality [EUR]: a twelfth of the year's, set each January."""
        if month % 12 == 0:
            self.budget_this_year = self.budget_year(month // 12)
        return self.budget_this_year / 12.0

    def month(self, month: int, successes: np.ndarray) -> np.ndarray:
        """Move the stock by one month; returns the benefits paid this month per municipality [EUR].

        Benefits are paid on the stock at the start of the month.
        """
        p = self.params
        paid = self.recipients * spending_per_recipient(p, month // 12) / 12.0
        self.unemployment = unemployment_at(p.unemployment_rate, month)
        inflow, outflow = regular_flows(self.recipients, self.population * self.density, self.unemployment, p)
        inflow = inflow + refugee_inflow(p, month) * self.population / self.national_population
        exits = reintegration_exits(successes, self.recipients - outflow, p)
        self.inflow, self.outflow, self.exits = inflow, outflow, exits
        self.recipients = self.recipients + inflow - outflow - exits
        if month % 12 == 11:
            self.last_year_end = self.recipients.sum()
        return paid
