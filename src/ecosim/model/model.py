"""EcosimModel: the municipal social domain as a Mesa model.

``step()`` is one month, in the order of the model brief: needs arise, the front office
assesses, citizens are matched to providers, care is delivered, unmet needs escalate,
the books close, contracts are re-tendered, municipalities cooperate, councils are
elected, and at year end next year's budgets are set. Month 0 is January 2015.
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import mesa
import numpy as np
from mesa.experimental.scenarios import Scenario as MesaScenario

from ecosim.agents import CitizenTable, ContractBook, Municipality
from ecosim.model import geography, heterogeneity
from ecosim.model.arrangements import ArrangementRegistry
from ecosim.model.bijstand import IncomeSupport, participation_allocation
from ecosim.model.capacity import StaffCapacity
from ecosim.model.ledger import Ledger
from ecosim.model.market import ProviderMarket
from ecosim.model.mesa_scenario import EcosimScenario
from ecosim.model.phases.access import assess
from ecosim.model.phases.capacity import use_capacity
from ecosim.model.phases.care import deliver_care
from ecosim.model.phases.cooperation import cooperate
from ecosim.model.phases.demand import needs_arise
from ecosim.model.phases.elections import hold_elections
from ecosim.model.phases.entry import admit
from ecosim.model.phases.escalation import escalate
from ecosim.model.phases.finance import close_books, municipal_budgets, settle_municipalities
from ecosim.model.phases.income import support_income
from ecosim.model.phases.matching import match
from ecosim.model.phases.procurement import retender_expired
from ecosim.model.phases.yearend import year_end
from ecosim.model.world import populate
from ecosim.outputs.recorder import Recorder
from ecosim.outputs.registry import MODEL_COLUMNS
from ecosim.scenario import Scenario, load_scenario


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


def _latest(name: str) -> Callable[[EcosimModel], Any]:
    """A Mesa model reporter: the value of one monthly column in the row the recorder just wrote."""

    def report(model: EcosimModel) -> Any:
        return model.recorder.rows[-1][name]

    report.__name__ = report.__qualname__ = f"latest_{name}"
    return report


def model_datacollector() -> mesa.DataCollector:
    """Mesa's DataCollector with one model reporter per monthly output of the registry.

    The recorder computes each month's row (it reads the owners' counters once for all
    columns); the reporters copy that row, so ``datacollector.get_model_vars_dataframe()``
    holds ``recorder.model_frame()``'s columns, plus ``seed``: the seed the run used, so that
    ``mesa.batch_run``'s rows say it even when it passed ``seed=None`` (the scenario's seed).
    """
    reporters: dict[str, Any] = {name: _latest(name) for name in MODEL_COLUMNS}
    reporters["seed"] = "seed"
    return mesa.DataCollector(model_reporters=reporters)


class EcosimModel(mesa.Model):
    """Municipalities, care providers, citizens in need and cooperation arrangements.

    The model builds the world and runs the month; the state the phases share has one
    owner each (see docs/ARCHITECTURE.md):

    - ``municipalities``: the municipality agents (stance, budget, reserves, energy);
    - ``citizens``: the citizen agents' table;
    - ``market``: the providers, their month's care, places and buyers' trust in them;
    - ``contracts``: the contract book;
    - ``arrangements``: cooperation arrangements, partner trust and experienced benefit;
    - ``capacity``: each municipality's civil-service capacity, the month's work, coverage;
    - ``ledger``: the month's money and events, last month's spending, the year so far;
    - ``income_support``: bijstand recipients per municipality and their BUIG budget;
    - ``recorder``: the monthly outputs.
    """

    def __init__(
        self,
        scenario: Scenario | str | Path | None = None,
        seed: int | None = None,
        *,
        rng: int | np.integer | np.random.Generator | None = None,
        **parameters: Any,
    ) -> None:
        """Build the world of a scenario: map, budgets, providers, arrangements, clients.

        The keywords follow Mesa's model contract, so ``mesa.batch_run(EcosimModel,
        parameters={"stance__initial_mean": [0.2, 0.8]}, rng=[1, 2], max_steps=12)`` works:

        Args:
            scenario: the validated parameters, or the path of a scenario file (defaults when omitted).
            seed: overrides ``scenario.run.seed``; all randomness flows from it. ``None``
                keeps the scenario's seed, so a run repeats unless a seed is given (this is
                also what ``batch_run``'s ``iterations`` pass; give ``rng=[...]`` for seeds).
            rng: Mesa's name for the seed: an integer, or a generator an integer seed is drawn from.
            **parameters: scenario parameters by dotted path with ``__`` for the dots
                (``stance__initial_mean=0.9``, ``access__threshold__control=1.2``), applied
                with :meth:`Scenario.with_overrides` (a typo raises ``ScenarioError``).
        """
        if not isinstance(scenario, Scenario):
            scenario = Scenario() if scenario is None else load_scenario(scenario)
        if parameters:
            scenario = scenario.with_overrides({k.replace("__", "."): v for k, v in parameters.items()})
        if rng is not None:
            if seed is not None:
                raise ValueError("give either seed or rng, not both")
            seed = int(rng.integers(np.iinfo(np.int32).max)) if isinstance(rng, np.random.Generator) else int(rng)
        with gc_paused():
            self._build(scenario, seed)

    def _build(self, scenario: Scenario, seed: int | None) -> None:
        seed = scenario.run.seed if seed is None else seed
        super().__init__(rng=seed)
        self.seed = seed
        self.scenario = EcosimScenario(scenario, rng=seed)
        self.k = scenario.run.agent_scale
        self.month = 0
        self.geo = geography.build(scenario, self.rng)
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
        # Urbanity, deprivation and age: need per domain and the budget allocation (issue 13).
        self.need = heterogeneity.build(self.geo, scenario.heterogeneity, scenario.allocation, self.rng)
        self.ledger = Ledger(n)
        self.citizens = CitizenTable(self, n)
        self.market = ProviderMarket(scenario)
        self.contracts = ContractBook()
        self.arrangements = ArrangementRegistry(self)
        self.capacity = StaffCapacity(self)
        self.prevention_history: list[np.ndarray] = []  # prevention spent per inhabitant-year, by month
        budgets = municipal_budgets(self, 0)
        self.income_support = IncomeSupport(
            scenario.bijstand,
            self.populations,
            scenario.budget.national_population,
            density=self.need.multiplier[:, 2],  # benefit density (7.11)
            allocation=functools.partial(participation_allocation, self.need.allocation),
        )
        for m in self.municipalities:
            m.budget_year = budgets[m.index]
            m.reserves = scenario.budget.initial_reserves_months * m.budget_year.sum() / 12.0
        populate(self)
        self.recorder = Recorder(self)
        self.datacollector = model_datacollector()

    @property
    def scenario(self) -> EcosimScenario:
        """The validated parameters of this run: Mesa's Scenario around ecosim's (``scenario.params``)."""
        return self._scenario

    @scenario.setter
    def scenario(self, value: EcosimScenario | Scenario) -> None:
        # Mesa's setter, for Mesa's tools (SolaraViz); a bare pydantic scenario is wrapped first.
        mesa.Model.scenario.fset(self, value if isinstance(value, MesaScenario) else EcosimScenario(value))

    @property
    def providers(self) -> list:
        """Every provider ever on the market, by index (failed ones inactive)."""
        return self.market.providers

    # -- the month -------------------------------------------------------------------------
    def step(self) -> None:
        """One month of the municipal social domain."""
        self.ledger.reset()
        self.market.open_month()
        needs_arise(self)  # 1. incidence (after prevention), hidden demand found by wijkteams
        assess(self)  # 2. front office: refuse, wijkteam, or accept (integrated plans)
        match(self)  # 3. accepted citizens to contracted providers with free places
        deliver_care(self)  # 4. care, billing, recovery; wijkteam cases
        escalate(self)  # 5. unmet need escalates with accumulated months unmet
        close_books(self)  # 6. money: providers bill and pay, fail or enter; contract admin
        admit(self)  # 7. procurement: newcomers admitted to running contracts (open house),
        retender_expired(self)  # and expired contracts re-tendered
        cooperate(self)  # 8. arrangements: overhead, trust, fatigue, join and leave
        use_capacity(self)  # 8b. the month's work against civil-service capacity; hire; coverage
        hold_elections(self)  # 9. every 48 months from March 2018
        support_income(self)  # (6.) bijstand: BUIG budget, benefits, recipients' flows, safety net
        settle_municipalities(self)  # (6.) the month's municipal books close on all of the above
        year_end(self)  # 10. budget, ambition and results move the stance; next year's budgets
        self.recorder.record()
        self.datacollector.collect(self)  # Mesa's copy of the row just recorded
        self.month += 1
        if self.month >= self.scenario.run.months:
            self.running = False

    # -- what the phases ask of the municipalities -------------------------------------------
    def stances(self) -> np.ndarray:
        """Every municipality's stance now (0 cost control .. 1 cooperative transformation)."""
        return np.array([m.stance for m in self.municipalities])

    def mean_stance(self, members: list[int]) -> float:
        """Mean stance of a buyer's member municipalities (the stance it tenders with)."""
        return float(np.mean([self.municipalities[m].stance for m in members]))

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
