"""EcosimModel: the municipal social domain as a Mesa model.

``step()`` is one month, in the order of the model brief: needs arise, the front office
assesses, citizens are matched to providers, care is delivered, unmet needs escalate,
the books close, contracts are re-tendered, municipalities cooperate, councils are
elected, and at year end next year's budgets are set. Month 0 is January 2015.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from pathlib import Path

import mesa
import numpy as np

from ecosim.agents import CareProvider, CitizenState, CitizenTable, Municipality
from ecosim.model import geography
from ecosim.model.ledger import Ledger
from ecosim.model.phases.access import assess
from ecosim.model.phases.care import deliver_care
from ecosim.model.phases.cooperation import Arrangement, cooperate
from ecosim.model.phases.demand import needs_arise
from ecosim.model.phases.elections import hold_elections
from ecosim.model.phases.escalation import escalate
from ecosim.model.phases.finance import budget_per_inhabitant, close_books, settle_municipalities
from ecosim.model.phases.matching import match
from ecosim.model.phases.procurement import ARRANGEMENT, ContractBook, retender_expired
from ecosim.model.phases.yearend import year_end
from ecosim.model.world import populate
from ecosim.outputs.recorder import Recorder
from ecosim.scenario import FORM_NAMES, Form, Scenario


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector, then restore it.

    Citizens come and go by the hundred thousand, but a removed citizen is freed by
    reference counting (it forms no cycle once Mesa and the table drop it). The cyclic
    collector would only rescan millions of live agents: measured at national scale, 28 %
    of the build and 11 % of each month.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class EcosimModel(mesa.Model):
    """Municipalities, care providers, citizens in need and cooperation arrangements."""

    def __init__(self, scenario: Scenario | None = None, seed: int | None = None) -> None:
        """Build the world of a scenario: map, budgets, providers, arrangements, clients.

        Args:
            scenario: the validated parameters (defaults when omitted).
            seed: overrides ``scenario.run.seed``; all randomness flows from it.
        """
        with gc_paused():
            self._build(scenario or Scenario(), seed)

    def _build(self, scenario: Scenario, seed: int | None) -> None:
        seed = scenario.run.seed if seed is None else seed
        super().__init__(rng=seed)
        self.seed = seed
        self.scenario = scenario
        self.k = scenario.run.agent_scale
        self.month = 0
        self.geo = self._geography()
        n = self.geo.n
        self.n_municipalities = n
        self.populations = self.geo.population.astype(float)
        self.region_population = np.bincount(self.geo.region, weights=self.populations, minlength=self.geo.n_regions)
        self.municipalities: list[Municipality] = []
        stances = np.clip(self.rng.normal(scenario.stance.initial_mean, scenario.stance.initial_sd, n), 0.0, 1.0)
        for i in range(n):
            self.municipalities.append(
                Municipality(
                    self,
                    i,
                    self.geo.names[i],
                    int(self.geo.population[i]),
                    (float(self.geo.x[i]), float(self.geo.y[i])),
                    int(self.geo.region[i]),
                    self.geo.neighbours[i],
                    float(stances[i]),
                )
            )
        self.ledger = Ledger(n)
        self.citizens = CitizenTable(self, n)
        self.providers: list[CareProvider] = []
        self.contracts = ContractBook()
        self.arrangements: dict[int, Arrangement] = {}
        self.trust = np.full((n, n), scenario.cooperation.initial_trust)
        self.coop_benefit_window = np.zeros(n)
        self.prevention_history: list[np.ndarray] = []
        self._spending_recent = np.zeros((n, 2))  # care, admin of last month [EUR]
        self._provider_trust: dict[tuple[int, int], float] = {}
        self.ytd_budget = np.zeros((n, 3))  # this calendar year so far, per domain [EUR]
        self.ytd_spending = np.zeros((n, 3))
        self._demand_month = -1
        self._demand = np.zeros((n, 3))
        for m in self.municipalities:
            m.budget_year = budget_per_inhabitant(scenario.budget, 0) * m.population
            m.reserves = scenario.budget.initial_reserves_months * m.budget_year.sum() / 12.0
        populate(self)
        self.recorder = Recorder(self)

    @property
    def scenario(self) -> Scenario:
        """The validated parameters of this run (ecosim's typed scenario, not Mesa's flat one)."""
        return self._scenario

    @scenario.setter
    def scenario(self, value: Scenario) -> None:
        # Mesa's setter writes ``value.model``; our scenario is immutable data, so just store it.
        self._scenario = value

    # -- the month -------------------------------------------------------------------------
    def step(self) -> None:
        """One month of the municipal social domain."""
        self.ledger.reset()
        self.provider_revenue = np.zeros(len(self.providers))
        self.provider_variable = np.zeros(len(self.providers))
        needs_arise(self)  # 1. incidence (after prevention), hidden demand found by wijkteams
        assess(self)  # 2. front office: refuse, wijkteam, or accept (integrated plans)
        match(self)  # 3. accepted citizens to contracted providers with free places
        deliver_care(self)  # 4. care, billing, recovery; wijkteam cases
        escalate(self)  # 5. unmet need escalates with accumulated months unmet
        close_books(self)  # 6. money: providers bill and pay, fail or enter; contract admin
        retender_expired(self)  # 7. procurement: expired contracts re-tendered
        cooperate(self)  # 8. arrangements: overhead, trust, fatigue, join and leave
        hold_elections(self)  # 9. every 48 months from March 2018
        settle_municipalities(self)  # (6.) the month's municipal books close on all of the above
        year_end(self)  # 10. deficit pressure on stance; next year's budgets
        self.recorder.record()
        self.month += 1
        if self.month >= self.scenario.run.months:
            self.running = False

    # -- helpers the phases share ------------------------------------------------------------
    def _geography(self) -> geography.Geography:
        g = self.scenario.geography
        if g.source == "csv":
            path = Path(g.csv_path or "")
            if not path.is_absolute():
                path = Path(self.scenario.base_dir) / path
            return geography.load_csv(path)
        return geography.synthetic(
            g.n_municipalities,
            g.n_regions,
            g.mean_population,
            g.population_sigma,
            g.min_population,
            g.area_km2,
            self.rng,
        )

    def arrangement_of(self, municipality: int) -> Arrangement | None:
        """The arrangement a municipality belongs to, if any."""
        aid = self.municipalities[municipality].arrangement
        return None if aid is None else self.arrangements[aid]

    def active_arrangements(self) -> list[Arrangement]:
        """Arrangements not dissolved."""
        return [a for a in self.arrangements.values() if a.dissolved is None]

    def new_arrangement(self, form: Form | str) -> Arrangement:
        """Found an arrangement (members are added by the caller)."""
        form = FORM_NAMES[form] if isinstance(form, str) else form
        arr = Arrangement(self, form, self.month)
        self.arrangements[arr.unique_id] = arr
        self.ledger.arrangements_formed += 1
        return arr

    def buyer_members(self, kind: int, buyer: int) -> list[int]:
        """Municipalities a buyer buys for."""
        if kind == ARRANGEMENT:
            return sorted(self.arrangements[buyer].members)
        return [buyer]

    def domain_demand(self, members: list[int], domain: int) -> float:
        """Citizens of these municipalities in care or waiting in a domain (agents)."""
        if self._demand_month != self.month:  # one count per month serves every tender
            t = self.citizens
            sel = t.rows_in(CitizenState.IN_CARE, CitizenState.WAITING)
            flat = t["municipality"][sel].astype(np.int64) * 3 + t["primary"][sel]
            self._demand = np.bincount(flat, minlength=self.n_municipalities * 3).reshape(-1, 3)
            self._demand_month = self.month
        return float(self._demand[members, domain].sum())

    def provider_trust(self, members: list[int], provider: int) -> float:
        """Buyers' trust in a provider: grows with the recoveries it delivered for them."""
        return float(
            np.mean([self._provider_trust.get((m, provider), self.scenario.providers.initial_trust) for m in members])
        )

    def learn_provider_trust(self, municipality: np.ndarray, provider: np.ndarray, good: np.ndarray) -> None:
        """Update trust in providers from this month's outcomes (1 good, 0 bad)."""
        lr = self.scenario.cooperation.trust_learning
        for m, p, g in zip(municipality.tolist(), provider.tolist(), good.tolist(), strict=True):
            key = (m, p)
            old = self._provider_trust.get(key, self.scenario.providers.initial_trust)
            self._provider_trust[key] = old + lr * (g - old)

    def mean_stance(self, members: list[int]) -> float:
        """Mean stance of a buyer's member municipalities (the stance it tenders with)."""
        return float(np.mean([self.municipalities[m].stance for m in members]))

    def stances(self) -> np.ndarray:
        """Every municipality's stance now (0 cost control .. 1 cooperative transformation)."""
        return np.array([m.stance for m in self.municipalities])

    def release_providers(self, rows: np.ndarray) -> None:
        """Free the places of citizens leaving care (before they are removed or moved)."""
        prov = self.citizens["provider"][rows]
        prov = prov[(prov >= 0) & (self.citizens["state"][rows] == CitizenState.IN_CARE)]
        for p, n in zip(*np.unique(prov, return_counts=True), strict=True):
            self.providers[int(p)].clients -= int(n)

    def provider_array(self, name: str) -> np.ndarray:
        """One attribute of all providers as an array indexed by provider index."""
        return np.array([getattr(p, name) for p in self.providers], dtype=float)

    def provider_month(self, revenue: np.ndarray, variable: np.ndarray) -> None:
        """Add care billed and its variable cost to providers' month."""
        self.provider_revenue[: len(revenue)] += revenue
        self.provider_variable[: len(variable)] += variable

    def _set_up_arrangement(self) -> list[Arrangement | None]:
        out: list[Arrangement | None] = []
        for m in self.municipalities:
            arr = self.arrangement_of(m.index)
            out.append(arr if arr is not None and arr.set_up(m.index, self.month) else None)
        return out

    def admin_saving(self) -> np.ndarray:
        """Share of admin each municipality saves through a set-up shared overhead."""
        return np.array([0.0 if a is None else a.form_params.admin_saving for a in self._set_up_arrangement()])

    def pooling_share(self) -> np.ndarray:
        """Whether each municipality pools specialist costs in a set-up arrangement."""
        return np.array([a is not None and a.form_params.risk_pooling for a in self._set_up_arrangement()])

    def pool_specialist_costs(self, muni: np.ndarray, price: np.ndarray, domain: np.ndarray) -> None:
        """Share pooled specialist care costs among an arrangement's set-up members by population."""
        if len(muni) == 0:
            return
        arr_id = np.array([-1 if m.arrangement is None else m.arrangement for m in self.municipalities])
        for aid in np.unique(arr_id[muni]).tolist():
            arr = self.arrangements[aid]
            members = np.array([i for i in sorted(arr.members) if arr.set_up(i, self.month)])
            share = self.populations[members] / self.populations[members].sum()
            sel = arr_id[muni] == aid
            for d in range(3):
                total = price[sel & (domain == d)].sum()
                self.ledger.care[members, d] += total * share
            own = np.bincount(muni[sel], weights=price[sel], minlength=self.n_municipalities)
            self.coop_benefit_window[members] += own[members] - price[sel].sum() * share

    def recent_spending(self, municipality: int) -> tuple[float, float]:
        """Last month's care and admin spending of a municipality [EUR]."""
        care, admin = self._spending_recent[municipality]
        return float(care), float(admin)

    def run(self, months: int | None = None, progress: bool = False) -> None:
        """Run for ``months`` (default: the scenario's), optionally with a progress bar."""
        months = self.scenario.run.months if months is None else months
        steps = range(months)
        if progress:
            from tqdm import tqdm

            steps = tqdm(steps, desc="months", unit="month", leave=False)
        with gc_paused():
            for _ in steps:
                self.step()
