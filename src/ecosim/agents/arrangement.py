"""Arrangement (samenwerkingsverband): municipalities cooperating in one form.

An arrangement has members, a form (light network, shared service, centrumgemeente, WGR)
and per member the month its setup ends: formal forms deliver nothing until then, yet
cost setup money, overhead and meeting energy from the start. Joining costs the form's
setup cost, leaving its exit cost; below two members the arrangement dissolves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from ecosim.scenario import Form, FormParams

if TYPE_CHECKING:
    from ecosim.model import EcosimModel


class Arrangement(mesa.Agent):
    """A cooperation arrangement between neighbouring municipalities."""

    def __init__(self, model: EcosimModel, form: Form, founded: int) -> None:
        super().__init__(model)
        self.form = form
        self.form_params: FormParams = model.scenario.cooperation.form(form)
        self.founded = founded
        self.members: dict[int, int] = {}  # municipality index -> month its setup ends
        self.pending_tender: dict[int, int] = {}  # domain -> month the joint tender is decided
        self.dissolved: int | None = None

    def set_up(self, municipality: int, month: int) -> bool:
        """Whether this member already receives the arrangement's benefits."""
        end = self.members.get(municipality)
        return end is not None and month >= end

    def any_set_up(self, month: int) -> bool:
        """Whether any member is past its setup."""
        return any(month >= end for end in self.members.values())

    def add_member(self, model: EcosimModel, municipality: int, setup_done: int = 0) -> None:
        """Join: pay the setup cost now; benefits come after the form's setup time."""
        f = self.form_params
        m = model.municipalities[municipality]
        self.members[municipality] = model.month + max(0, f.setup_months - setup_done)
        m.arrangement = self.unique_id
        model.ledger.cooperation[municipality] += f.setup_cost_eur_per_inhabitant * m.population
        model.arrangements.meet(municipality, [o for o in self.members if o != municipality])

    def remove_member(self, model: EcosimModel, municipality: int) -> None:
        """Leave: pay the exit cost; the arrangement dissolves below two members."""
        m = model.municipalities[municipality]
        model.ledger.cooperation[municipality] += self.form_params.exit_cost_eur_per_inhabitant * m.population
        del self.members[municipality]
        m.arrangement = None
        if len(self.members) < 2:
            for other in list(self.members):
                model.municipalities[other].arrangement = None
            self.members.clear()
            self.dissolved = model.month
            model.ledger.arrangements_dissolved += 1

    def mean_trust(self, model: EcosimModel, municipality: int) -> float:
        """A member's mean trust toward its partners."""
        others = [o for o in self.members if o != municipality]
        return float(model.arrangements.trust[municipality, others].mean()) if others else 1.0
