"""CareProvider (zorgaanbieder): delivers care under contracts, may fail or enter."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

if TYPE_CHECKING:
    from ecosim.model import EcosimModel


class CareProvider(mesa.Agent):
    """A provider of one domain in one region, with places, unit cost, quality and reserves.

    ``capacity`` is the places it offers, in client places (citizen agents): the places it
    staffs for clients, on which its fixed cost falls. ``unit_cost`` is its direct care cost of
    a light client-month [EUR per person]; heavier needs cost a multiple. Administration is
    staff time the provider pays for (:mod:`ecosim.model.costing`), not places lost;
    ``admin_burden`` is last month's share of its working time spent on it.
    ``year_result`` is revenue minus expense this calendar year so far [EUR].
    ``ready_month`` is the first month it can take clients: an entrant first staffs up and is
    admitted (``entry.lag_months``); until then it offers no places, pays nothing and holds no
    contract. Providers of the starting market are ready at once.
    """

    def __init__(
        self,
        model: EcosimModel,
        index: int,
        domain: int,
        region: int,
        capacity: float,
        unit_cost: float,
        quality: float,
        reserves: float,
        ready_month: int | None = None,
    ) -> None:
        super().__init__(model)
        self.index = index
        self.domain = int(domain)
        self.region = int(region)
        self.capacity = float(capacity)
        self.unit_cost = float(unit_cost)
        self.quality = float(quality)
        self.reserves = float(reserves)
        self.clients = 0
        self.admin_burden = 0.0
        self.year_result = 0.0
        self.active = True
        self.entered = model.month
        self.ready_month = model.month if ready_month is None else int(ready_month)
        self.failed_month: int | None = None

    def ready(self, month: int) -> bool:
        """Whether it can take clients (and be contracted) in ``month``."""
        return month >= self.ready_month

    @property
    def effective_capacity(self) -> float:
        """Places open to clients: the places offered (admin is paid staff time, not lost places)."""
        return self.capacity

    def free_places(self, u: float) -> int:
        """Places a new client can take now.

        Fractional places are rounded up with chance equal to the fraction (``u`` uniform in
        [0, 1)), so small providers at a coarse representation scale are not cut short.
        """
        if not self.ready(self.model.month):
            return 0
        return max(0, int(self.effective_capacity + u) - self.clients)
