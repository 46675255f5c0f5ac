"""Arrangement (samenwerkingsverband): municipalities cooperating on one task in one form.

An arrangement has a task (the joint procurement and shared admin of one domain), members, a
form (light network, shared service, centrumgemeente, WGR) and per member the month its setup
ends: formal forms deliver nothing until then, yet cost setup money, overhead and meeting energy
from the start. Its joint policy is the members' vote-weighted stance, renegotiated every
``renegotiation_months`` of its form (heavy forms change course slowly). Joining costs the form's
setup cost, leaving its exit cost; below two members the arrangement dissolves. A switch of form
keeps the members and their joint contracts; the new form's admin saving and pooling begin once
its setup time has passed (``reorganised``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from ecosim.scenario import Form, FormParams

if TYPE_CHECKING:
    from ecosim.model import EcosimModel


class Arrangement(mesa.Agent):
    """A cooperation arrangement between municipalities on one task."""

    def __init__(self, model: EcosimModel, form: Form, founded: int, task: int = 0) -> None:
        super().__init__(model)
        self.task = task
        self.form = form
        self.form_params: FormParams = model.scenario.cooperation.form(form)
        self.founded = founded
        self.members: dict[int, int] = {}  # municipality index -> month its setup ends
        self.expected: dict[int, float] = {}  # municipality index -> value it expected when it joined [EUR/month]
        self.pending_tender: dict[int, int] = {}  # domain -> month the joint tender is decided
        self.pending_since: dict[int, int] = {}  # domain -> month its contracts ran out (a moment to reconsider)
        self.policy = 0.5  # joint policy: the members' vote-weighted stance, read only through lever pairs
        self.renegotiated = founded  # month the joint policy was last agreed
        self.reorganised = founded  # month from which the current form's admin saving and pooling apply
        self.switches = 0
        self.dissolved: int | None = None

    # -- state ---------------------------------------------------------------------------------
    def set_up(self, municipality: int, month: int) -> bool:
        """Whether this member already receives the arrangement's benefits."""
        end = self.members.get(municipality)
        return end is not None and month >= end

    def any_set_up(self, month: int) -> bool:
        """Whether any member is past its setup."""
        return any(month >= end for end in self.members.values())

    def in_setup(self, municipality: int, month: int) -> bool:
        """Whether the member is still setting up (its membership, or the arrangement's new form)."""
        return not self.set_up(municipality, month) or month < self.reorganised

    def form_benefits(self, municipality: int, month: int) -> bool:
        """Whether the member gets the form's admin saving and pooling: set up, and the form's setup done."""
        return self.set_up(municipality, month) and month >= self.reorganised

    def population(self, model: EcosimModel) -> float:
        """Inhabitants of all members."""
        return float(sum(model.municipalities[i].population for i in self.members))

    def mean_trust(self, model: EcosimModel, municipality: int) -> float:
        """A member's mean trust toward its partners."""
        others = [o for o in self.members if o != municipality]
        return float(model.arrangements.trust[municipality, others].mean()) if others else 1.0

    def trust_level(self, model: EcosimModel) -> float:
        """The members' mean trust in each other."""
        members = sorted(self.members)
        if len(members) < 2:
            return 1.0
        block = model.arrangements.trust[np.ix_(members, members)]
        return float((block.sum() - np.trace(block)) / (len(members) * (len(members) - 1)))

    def vote_weights(self, model: EcosimModel, members: list[int] | None = None) -> np.ndarray:
        """Each member's weight in the joint policy and in votes: one member one vote, mixed with population."""
        members = sorted(self.members) if members is None else members
        w = model.scenario.partners.vote_population_weight
        pop = model.populations[members]
        return (1.0 - w) / len(members) + w * pop / pop.sum()

    def renegotiate(self, model: EcosimModel) -> None:
        """Agree the joint policy anew: the members' vote-weighted stance, or the lead municipality's."""
        members = sorted(self.members)
        if members:
            stances = model.stances()[members]
            if self.form_params.lead_municipality:
                self.policy = float(stances[int(np.argmax(model.populations[members]))])
            else:
                self.policy = float(np.dot(self.vote_weights(model, members), stances))
        self.renegotiated = model.month

    # -- membership ------------------------------------------------------------------------------
    def add_member(self, model: EcosimModel, municipality: int, setup_done: int = 0, expected: float = 0.0) -> None:
        """Join: pay the setup cost now; benefits come after the form's setup time."""
        f = self.form_params
        m = model.municipalities[municipality]
        self.members[municipality] = model.month + max(0, f.setup_months - setup_done)
        self.expected[municipality] = expected
        m.arrangements[self.task] = self.unique_id
        model.ledger.cooperation[municipality] += f.setup_cost_eur_per_inhabitant * m.population
        model.ledger.members_joined += 1

    def remove_member(
        self, model: EcosimModel, municipality: int, pay_exit: bool = True, dissolve_below_two: bool = True
    ) -> None:
        """Leave: pay the exit cost (unless agreed otherwise); the arrangement dissolves below two members."""
        m = model.municipalities[municipality]
        if pay_exit:
            model.ledger.cooperation[municipality] += self.form_params.exit_cost_eur_per_inhabitant * m.population
        del self.members[municipality]
        self.expected.pop(municipality, None)
        m.arrangements.pop(self.task, None)
        if dissolve_below_two and len(self.members) < 2:
            self.dissolve(model, pay_exit=False)

    def dissolve(self, model: EcosimModel, pay_exit: bool = True) -> None:
        """End the arrangement: every member leaves (paying the exit cost when ``pay_exit``)."""
        for other in list(self.members):
            if pay_exit:
                pop = model.municipalities[other].population
                model.ledger.cooperation[other] += self.form_params.exit_cost_eur_per_inhabitant * pop
            model.municipalities[other].arrangements.pop(self.task, None)
        self.members.clear()
        self.expected.clear()
        self.dissolved = model.month
        model.ledger.arrangements_dissolved += 1

    def switch_form(self, model: EcosimModel, form: Form) -> None:
        """Deepen or loosen: take another form; members pay its setup cost, its benefits start after its setup."""
        old = self.form
        self.form = form
        self.form_params = model.scenario.cooperation.form(form)
        f = self.form_params
        for i in self.members:
            model.ledger.cooperation[i] += f.setup_cost_eur_per_inhabitant * model.municipalities[i].population
        self.reorganised = model.month + f.setup_months
        self.renegotiate(model)  # a centrumgemeente's lead sets the policy; other forms vote
        self.switches += 1
        model.ledger.arrangements_switched += 1
        if form > old:
            model.ledger.arrangements_deepened += 1
        else:
            model.ledger.arrangements_loosened += 1
