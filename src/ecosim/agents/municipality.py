"""Municipality (gemeente): budget holder, front office and member of arrangements (one per task at most)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

if TYPE_CHECKING:
    from ecosim.model import EcosimModel


class Municipality(mesa.Agent):
    """A municipality with its budget per domain, stance, reserves and partners.

    ``stance`` in [0, 1] is where it stands now between cost control (0) and cooperative
    transformation (1); ``ambition`` is where its council wants to be. At year end deficits
    push the stance toward control, while the ambition, a surplus and results seen pull the
    other way; elections may move the ambition. A committed strategy (``stance.adaptive``
    false) holds both.
    """

    def __init__(
        self,
        model: EcosimModel,
        index: int,
        name: str,
        population: int,
        position: tuple[float, float],
        region: int,
        neighbours: np.ndarray,
        stance: float,
    ) -> None:
        super().__init__(model)
        self.index = index
        self.name = name
        self.population = int(population)
        self.position = position
        self.region = int(region)
        self.neighbours = neighbours
        self.neighbour_set: set[int] = set(np.asarray(neighbours).tolist())
        self.stance = float(stance)
        self.ambition = float(stance)
        self.budget_year = np.zeros(3)  # EUR per domain for the current year
        self.reserves = 0.0  # EUR
        self.energy = 1.0  # cooperation energy: meetings drain it, rest restores it
        self.arrangements: dict[int, int] = {}  # task (domain index) -> id of its arrangement for that task

    @property
    def budget_month(self) -> np.ndarray:
        """This month's budget per domain [EUR]."""
        return self.budget_year / 12.0
