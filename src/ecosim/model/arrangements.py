"""The arrangements registry: who cooperates with whom, trust between partners, and benefits.

The registry is the one owner of cooperation state that several phases share: the
arrangements (founded, joined, left, dissolved), which members are past their setup,
trust between municipalities, and the cooperation benefit members experienced since the
last review (scale discounts, shared admin, pooled specialist costs). Phases change it
only through these verbs; the cooperation phase reads the benefit at each review.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from ecosim.agents.arrangement import Arrangement
from ecosim.scenario import FORM_NAMES, Form

if TYPE_CHECKING:
    from ecosim.model import EcosimModel


class ArrangementRegistry:
    """Every arrangement of a model, indexed by id, with partner trust and experienced benefit."""

    def __init__(self, model: EcosimModel) -> None:
        n = model.n_municipalities
        self.model = model
        self._by_id: dict[int, Arrangement] = {}
        self.trust = np.full((n, n), model.scenario.cooperation.initial_trust)
        """trust[i, j]: how much municipality i trusts partner j (0..1)."""
        self.benefit = np.zeros(n)
        """What cooperating saved each municipality since the last review [EUR]."""
        self.policy_pairs = list(model.scenario.lever_pairs().values())
        """The scenario's lever pairs: partners' fit compares the policies they give (read once)."""

    # -- lookup ------------------------------------------------------------------------------
    def __getitem__(self, arrangement_id: int) -> Arrangement:
        return self._by_id[arrangement_id]

    def __iter__(self) -> Iterator[Arrangement]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def arrangement_of(self, municipality: int) -> Arrangement | None:
        """The arrangement a municipality belongs to, if any."""
        aid = self.model.municipalities[municipality].arrangement
        return None if aid is None else self._by_id[aid]

    def active(self) -> list[Arrangement]:
        """Arrangements not dissolved."""
        return [a for a in self._by_id.values() if a.dissolved is None]

    def set_up_arrangement(self) -> list[Arrangement | None]:
        """Per municipality, its arrangement if it is past its setup there (else None)."""
        month = self.model.month
        out: list[Arrangement | None] = []
        for m in self.model.municipalities:
            arr = self.arrangement_of(m.index)
            out.append(arr if arr is not None and arr.set_up(m.index, month) else None)
        return out

    # -- verbs -------------------------------------------------------------------------------
    def found(self, form: Form | str) -> Arrangement:
        """Found an arrangement (members are added by the caller)."""
        form = FORM_NAMES[form] if isinstance(form, str) else form
        arr = Arrangement(self.model, form, self.model.month)
        self._by_id[arr.unique_id] = arr
        self.model.ledger.arrangements_formed += 1
        return arr

    def meet(self, newcomer: int, partners: list[int]) -> None:
        """A newcomer and its new partners start from the initial trust toward each other."""
        initial = self.model.scenario.cooperation.initial_trust
        for other in partners:
            self.trust[newcomer, other] = self.trust[other, newcomer] = initial

    def credit(self, municipality: np.ndarray, amount: np.ndarray) -> None:
        """Add to what cooperating saved these municipalities (repeated indices summed)."""
        if len(municipality):
            self.benefit += np.bincount(municipality, weights=amount, minlength=len(self.benefit))

    def credit_each(self, amount: np.ndarray) -> None:
        """Add one amount per municipality to what cooperating saved it."""
        self.benefit += amount

    def take_benefit(self) -> np.ndarray:
        """The benefit since the last review, and start a new review window."""
        out = self.benefit.copy()
        self.benefit[:] = 0.0
        return out

    # -- what set-up membership brings ---------------------------------------------------------
    def admin_saving(self) -> np.ndarray:
        """Share of admin each municipality saves through a set-up shared overhead."""
        return np.array([0.0 if a is None else a.form_params.admin_saving for a in self.set_up_arrangement()])

    def pooling(self) -> np.ndarray:
        """Whether each municipality pools specialist costs in a set-up arrangement."""
        return np.array([a is not None and a.form_params.risk_pooling for a in self.set_up_arrangement()])

    def pool_specialist_costs(self, muni: np.ndarray, price: np.ndarray, domain: np.ndarray) -> None:
        """Share pooled specialist care costs among an arrangement's set-up members by population."""
        if len(muni) == 0:
            return
        model = self.model
        arr_id = np.array([-1 if m.arrangement is None else m.arrangement for m in model.municipalities])
        for aid in np.unique(arr_id[muni]).tolist():
            arr = self._by_id[aid]
            members = np.array([i for i in sorted(arr.members) if arr.set_up(i, model.month)])
            share = model.populations[members] / model.populations[members].sum()
            sel = arr_id[muni] == aid
            for d in range(3):
                total = price[sel & (domain == d)].sum()
                model.ledger.care[members, d] += total * share
            own = np.bincount(muni[sel], weights=price[sel], minlength=model.n_municipalities)
            self.benefit[members] += own[members] - price[sel].sum() * share
