"""The arrangements registry: who cooperates with whom on which task, trust between partners, benefits.

The registry is the one owner of cooperation state that several phases share: the
arrangements (one task each; founded, joined, left, switched, split, dissolved), which members
are past their setup, trust between municipalities (kept after an arrangement ends: experience
is remembered), the months each pair has worked together (how well they know each other), and
the cooperation benefit and overhead each member had per task since the last review (scale
discounts, shared admin, pooled specialist costs). Phases change it only through these verbs;
the cooperation phase reads benefits and costs at each review.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from ecosim.agents.arrangement import Arrangement
from ecosim.scenario import FORM_NAMES, Form
from ecosim.scenario.forms import TASKS

if TYPE_CHECKING:
    from ecosim.model import EcosimModel

LEAVE_REASONS: tuple[str, ...] = ("fatigue", "distrust", "election")
"""Why a member leaves an arrangement on its own (a split or a dissolution is not a member leaving)."""


class ArrangementRegistry:
    """Every arrangement of a model, indexed by id, with partner trust and experienced benefit."""

    def __init__(self, model: EcosimModel) -> None:
        n = model.n_municipalities
        self.model = model
        self._by_id: dict[int, Arrangement] = {}
        self.trust = np.full((n, n), model.scenario.cooperation.initial_trust)
        """trust[i, j]: how much municipality i trusts partner j (0..1); kept after an arrangement ends."""
        self.together = np.zeros((n, n))
        """together[i, j]: months i and j have been members of the same arrangement (any task)."""
        self.benefit = np.zeros((n, len(TASKS)))
        """What cooperating saved each municipality per task since the last review [EUR]."""
        self.overhead = np.zeros((n, len(TASKS)))
        """Running overhead each municipality paid per task since the last review [EUR]."""
        self.policy_pairs = list(model.scenario.lever_pairs().values())
        """The scenario's lever pairs: partners' fit compares the policies they give (read once)."""

    # -- lookup ------------------------------------------------------------------------------
    def __getitem__(self, arrangement_id: int) -> Arrangement:
        return self._by_id[arrangement_id]

    def __iter__(self) -> Iterator[Arrangement]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def arrangement_of(self, municipality: int, task: int) -> Arrangement | None:
        """The arrangement a municipality belongs to for a task, if any."""
        aid = self.model.municipalities[municipality].arrangements.get(task)
        return None if aid is None else self._by_id[aid]

    def memberships(self, municipality: int) -> list[Arrangement]:
        """Every arrangement a municipality belongs to, by task."""
        m = self.model.municipalities[municipality]
        return [self._by_id[m.arrangements[t]] for t in sorted(m.arrangements)]

    def active(self) -> list[Arrangement]:
        """Arrangements not dissolved."""
        return [a for a in self._by_id.values() if a.dissolved is None]

    def _per_task(self, value) -> np.ndarray:  # noqa: ANN001 - a function of (arrangement, member)
        """``value(arrangement, member)`` for every municipality and task where it is a member (else 0)."""
        out = np.zeros((self.model.n_municipalities, len(TASKS)))
        for arr in self.active():
            for i in arr.members:
                out[i, arr.task] = value(arr, i)
        return out

    # -- verbs -------------------------------------------------------------------------------
    def found(self, form: Form | str, task: int = 0) -> Arrangement:
        """Found an arrangement for a task (members are added by the caller)."""
        form = FORM_NAMES[form] if isinstance(form, str) else form
        arr = Arrangement(self.model, form, self.model.month, task)
        self._by_id[arr.unique_id] = arr
        self.model.ledger.arrangements_formed += 1
        return arr

    def leave(self, arr: Arrangement, municipality: int, reason: str) -> None:
        """A member leaves on its own: it pays the exit cost and its partners remember a broken agreement."""
        penalty = self.model.scenario.trust.broken_agreement_penalty
        others = [o for o in arr.members if o != municipality]
        self.trust[others, municipality] *= 1.0 - penalty
        arr.remove_member(self.model, municipality)
        led = self.model.ledger
        led.members_left += 1
        led.left_by_reason[reason] += 1

    def work_together(self) -> None:
        """One more month of working together for every pair of members of an arrangement."""
        for arr in self.active():
            members = sorted(arr.members)
            if len(members) > 1:
                idx = np.ix_(members, members)
                self.together[idx] += 1.0

    def credit(self, municipality: np.ndarray, domain: np.ndarray, amount: np.ndarray) -> None:
        """Add to what cooperating saved these municipalities on these tasks (repeated indices summed)."""
        if len(municipality):
            n, k = self.benefit.shape
            flat = np.bincount(municipality * k + domain, weights=amount, minlength=n * k).reshape(n, k)
            self.benefit += flat
            self.model.ledger.cooperation_benefit += flat.sum(axis=1)

    def credit_each(self, amount: np.ndarray) -> None:
        """Add one amount per municipality and task to what cooperating saved it."""
        self.benefit += amount
        self.model.ledger.cooperation_benefit += amount.sum(axis=1)

    def book_overhead(self, municipality: int, task: int, amount: float) -> None:
        """A membership's running overhead: the member pays it, and it counts against the membership."""
        self.model.ledger.cooperation[municipality] += amount
        self.overhead[municipality, task] += amount

    def take_experience(self) -> tuple[np.ndarray, np.ndarray]:
        """Benefit and overhead per municipality and task since the last review; starts a new review window."""
        out = self.benefit.copy(), self.overhead.copy()
        self.benefit[:] = 0.0
        self.overhead[:] = 0.0
        return out

    # -- what set-up membership brings ---------------------------------------------------------
    def admin_saving(self) -> np.ndarray:
        """Share of admin each municipality saves per task (domain) through a set-up shared overhead."""
        month = self.model.month
        return self._per_task(lambda a, i: a.form_params.admin_saving if a.form_benefits(i, month) else 0.0)

    def pooling(self) -> np.ndarray:
        """Whether each municipality pools the specialist costs of each task (domain) in a set-up arrangement."""
        month = self.model.month
        return self._per_task(lambda a, i: float(a.form_params.risk_pooling and a.form_benefits(i, month))) > 0

    def pool_specialist_costs(self, muni: np.ndarray, price: np.ndarray, domain: np.ndarray) -> None:
        """Share pooled specialist care costs among an arrangement's set-up members by population."""
        if len(muni) == 0:
            return
        model = self.model
        month = model.month
        for d in np.unique(domain).tolist():
            sel_d = domain == d
            arr_id = np.array([m.arrangements.get(d, -1) for m in model.municipalities])
            for aid in np.unique(arr_id[muni[sel_d]]).tolist():
                arr = self._by_id[aid]
                members = np.array([i for i in sorted(arr.members) if arr.form_benefits(i, month)])
                share = model.populations[members] / model.populations[members].sum()
                sel = sel_d & (arr_id[muni] == aid)
                total = price[sel].sum()
                model.ledger.care[members, d] += total * share
                own = np.bincount(muni[sel], weights=price[sel], minlength=model.n_municipalities)
                transfer = own[members] - total * share
                self.benefit[members, d] += transfer
                model.ledger.cooperation_benefit[members] += transfer
