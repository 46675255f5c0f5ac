"""The provider market: the providers, their month's books, their places, and buyers' trust.

The market is the one owner of provider state that the phases share: care delivered this
month (revenue and variable cost, settled by the finance phase), places taken and freed,
and how much each municipality trusts each provider after the recoveries it saw there.
Trust in providers learns at its own rate, ``providers.trust_learning``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from ecosim.agents import CareProvider, CitizenState

if TYPE_CHECKING:
    from ecosim.agents import CitizenTable
    from ecosim.scenario import Scenario


class ProviderMarket:
    """All providers ever active (failed ones stay, inactive, for the record)."""

    def __init__(self, scenario: Scenario) -> None:
        self.providers: list[CareProvider] = []
        self.revenue = np.zeros(0)
        """Care billed to each provider this month [EUR]."""
        self.variable = np.zeros(0)
        """Care cost of each provider's clients this month [EUR]."""
        self.admin_care = np.zeros(0)
        """Care cost of each provider's clients weighted by their contracts' admin intensity [EUR]."""
        self._initial_trust = scenario.providers.initial_trust
        self._learning = scenario.providers.trust_learning
        self._trust: dict[tuple[int, int], float] = {}

    # -- the providers -------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.providers)

    def __iter__(self) -> Iterator[CareProvider]:
        return iter(self.providers)

    def __getitem__(self, index: int) -> CareProvider:
        return self.providers[index]

    def add(self, provider: CareProvider) -> None:
        """A new provider on the market (its index is its position)."""
        self.providers.append(provider)

    def active(self) -> list[CareProvider]:
        """Providers that have not failed."""
        return [p for p in self.providers if p.active]

    def array(self, name: str) -> np.ndarray:
        """One attribute of all providers as an array indexed by provider index."""
        return np.array([getattr(p, name) for p in self.providers], dtype=float)

    # -- the month's care ------------------------------------------------------------------------
    def open_month(self) -> None:
        """Start the month's books of every provider at zero."""
        self.revenue = np.zeros(len(self.providers))
        self.variable = np.zeros(len(self.providers))
        self.admin_care = np.zeros(len(self.providers))

    def book_care(self, revenue: np.ndarray, variable: np.ndarray, admin_care: np.ndarray | None = None) -> None:
        """Add care billed, its care cost and its intensity-weighted care cost to providers' month.

        ``admin_care`` (care cost x the contract's admin intensity) sets the provider's per-client
        admin time (:mod:`ecosim.model.costing`).
        """
        self.revenue[: len(revenue)] += revenue
        self.variable[: len(variable)] += variable
        if admin_care is not None:
            self.admin_care[: len(admin_care)] += admin_care

    def close_month(self) -> None:
        """The month's books are settled: nothing left to bill."""
        self.revenue[:] = 0.0
        self.variable[:] = 0.0
        self.admin_care[:] = 0.0

    def release_places(self, citizens: CitizenTable, rows: np.ndarray) -> None:
        """Free the places of citizens leaving care (before they are removed or moved)."""
        prov = citizens["provider"][rows]
        prov = prov[(prov >= 0) & (citizens["state"][rows] == CitizenState.IN_CARE)]
        counts = np.bincount(prov)
        for p in np.flatnonzero(counts).tolist():
            self.providers[p].clients -= int(counts[p])

    # -- trust in providers ------------------------------------------------------------------------
    def trust(self, members: list[int], provider: int) -> float:
        """Buyers' trust in a provider: grows with the recoveries it delivered for them."""
        return float(np.mean([self._trust.get((m, provider), self._initial_trust) for m in members]))

    def learn_trust(self, municipality: np.ndarray, provider: np.ndarray, good: np.ndarray) -> None:
        """Move trust toward this month's outcomes (1 good, 0 bad) at ``providers.trust_learning``."""
        lr = self._learning
        for m, p, g in zip(municipality.tolist(), provider.tolist(), good.tolist(), strict=True):
            key = (m, p)
            old = self._trust.get(key, self._initial_trust)
            self._trust[key] = old + lr * (g - old)
