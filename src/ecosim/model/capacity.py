"""Organisational capacity: the civil servants each municipality has, and what its work asks of them.

The owner of capacity state (docs/ARCHITECTURE.md). Phases book the month's work by
purpose (``admin``, ``procurement``, ``cooperation``) in FTE-months, or in EUR of staff time
that :meth:`StaffCapacity.book_eur` converts; at the end of the month
:meth:`StaffCapacity.close_month` compares the work with the capacity, hires part of any
shortfall and sets ``coverage``, the share of the work that got done. Phases read
last month's coverage to let the rest give (docs/ODD.md 7.13): that is the whole interface, so a
later mechanism (cooperation that competes with own work, fatigue that makes members
leave) reads ``coverage``, ``use`` and :meth:`StaffCapacity.room`.

Pure rules (capacity by size, coverage after hiring, the effect of a shortfall) are
module functions so a test can pin them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ecosim.model import EcosimModel
    from ecosim.scenario.capacity import CapacityParams

PURPOSES: tuple[str, ...] = ("admin", "procurement", "cooperation")
"""What a municipality's social-domain staff spend their time on."""


def capacity_fte(population: np.ndarray, fte_per_1000: float, reference: float, elasticity: float) -> np.ndarray:
    """Capacity of each municipality [FTE]: ``a * population ** b`` through the reference point.

    ``a`` is chosen so that a municipality of ``reference`` inhabitants has ``fte_per_1000``
    FTE per 1,000 inhabitants; ``b = elasticity``.
    """
    pop = np.asarray(population, dtype=float)
    return fte_per_1000 / 1000.0 * reference * (pop / reference) ** elasticity


def coverage_after_hire(demand: np.ndarray, capacity: np.ndarray, hire_share: float) -> tuple[np.ndarray, np.ndarray]:
    """Hired FTE and the share of the work done: ``hire_share`` of the shortfall is hired, the rest is not done."""
    hired = hire_share * np.maximum(demand - capacity, 0.0)
    done = np.where(demand > 0, (capacity + hired) / np.where(demand > 0, demand, 1.0), 1.0)
    return hired, np.minimum(done, 1.0)


def shortfall_effect(strength: float, coverage: np.ndarray) -> np.ndarray:
    """How strongly a shortfall acts: ``strength * (1 - coverage)``, exactly 0 where all work got done."""
    return strength * (1.0 - coverage)


class StaffCapacity:
    """Each municipality's capacity, this month's work by purpose, and last month's result."""

    def __init__(self, model: EcosimModel) -> None:
        self.model = model
        p: CapacityParams = model.scenario.capacity
        n = model.n_municipalities
        self.fte = capacity_fte(model.populations, p.fte_per_1000, p.reference_population, p.size_elasticity)
        """Capacity of each municipality [FTE]."""
        self.coverage = np.ones(n)
        """Share of last month's work that got done (1 = all; always 1 when capacity does not bind)."""
        self.use = np.zeros(n)
        """Last month's work over capacity [-] (above 1: overloaded)."""
        self.use_by = {purpose: np.zeros(n) for purpose in PURPOSES}
        """Last month's work over capacity by purpose [-]."""
        self.hired = np.zeros(n)
        """FTE hired last month to fill part of a shortfall."""
        self.hire_eur = np.zeros(n)
        """What that hire cost over own staff last month [EUR]."""
        self.awaiting_burden = np.zeros(n)
        """Burden of unmet need of the citizens whose assessment waits this month [weighted people]:
        set by the front office, added to the month's burden (they are PRESENTING, not an unmet state)."""
        self._open()

    def _open(self) -> None:
        n = self.model.n_municipalities
        self.demand = {purpose: np.zeros(n) for purpose in PURPOSES}
        """This month's work so far by purpose [FTE-month]."""

    # -- verbs -------------------------------------------------------------------------------
    def book(self, purpose: str, fte: np.ndarray) -> None:
        """Add work for every municipality [FTE-month, one value per municipality]."""
        self.demand[purpose] += fte

    def book_at(self, purpose: str, municipality: np.ndarray, fte: np.ndarray) -> None:
        """Add work for the given municipalities (repeated indices summed) [FTE-month]."""
        if len(municipality):
            self.demand[purpose] += np.bincount(municipality, weights=fte, minlength=len(self.fte))

    def fte_of_eur(self, eur: np.ndarray | float) -> np.ndarray | float:
        """Staff time paid for by ``eur`` [FTE-month]."""
        return eur / self.model.scenario.capacity.eur_per_fte_month

    def book_eur(self, purpose: str, eur: np.ndarray) -> None:
        """Add work given as the EUR of staff time the ledger books (one value per municipality)."""
        self.book(purpose, self.fte_of_eur(eur))

    def book_eur_at(self, purpose: str, municipality: np.ndarray, eur: np.ndarray) -> None:
        """Add work given as EUR of staff time for the given municipalities (repeated indices summed)."""
        self.book_at(purpose, municipality, self.fte_of_eur(eur))

    def close_month(self) -> np.ndarray:
        """Compare the month's work with capacity; hire, set coverage; start a new month.

        Returns what hiring cost over own staff this month [EUR per municipality] (zero when
        capacity does not bind).
        """
        p = self.model.scenario.capacity
        total = sum(self.demand.values())
        self.use = total / self.fte
        self.use_by = {purpose: d / self.fte for purpose, d in self.demand.items()}
        if p.binding:
            self.hired, self.coverage = coverage_after_hire(total, self.fte, p.hire_share)
        else:
            self.hired, self.coverage = np.zeros_like(total), np.ones_like(total)
        self.hire_eur = self.hired * p.eur_per_fte_month * p.hire_premium
        self._open()
        return self.hire_eur

    # -- what phases read ----------------------------------------------------------------------
    def shortfall(self, strength: float) -> np.ndarray:
        """Per municipality, ``strength * (1 - coverage)`` of last month (0 where all work got done)."""
        return shortfall_effect(strength, self.coverage)

    def buyer_coverage(self, members: list[int]) -> float:
        """Coverage of a buyer: its members' coverage weighted by population."""
        cov = self.coverage[members]
        if np.all(cov >= 1.0):
            return 1.0  # exactly: no rounding may turn full coverage into a shortfall
        pops = self.model.populations[members]
        return float(np.dot(pops, cov) / pops.sum())

    def room(self) -> np.ndarray:
        """Capacity left after last month's work [FTE] (negative when overloaded)."""
        return self.fte * (1.0 - self.use)
