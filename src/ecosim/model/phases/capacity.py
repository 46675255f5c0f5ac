"""Phase 8b, capacity: the month's work meets the municipality's civil-service capacity.

The phases before have booked their work (assessments and monitoring, contract management
and tender preparation, meetings); this phase adds each municipality's fixed policy load,
compares the work with its capacity, hires part of any shortfall (its extra cost is
admin spending this month) and sets the coverage the next month's phases read
(:class:`ecosim.model.capacity.StaffCapacity`, docs/ODD.md 7.13).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosim.scenario import DOMAINS

if TYPE_CHECKING:
    from ecosim.model import EcosimModel


def use_capacity(model: EcosimModel) -> None:
    """Phase 8b: policy load booked; work against capacity; hire; coverage for next month."""
    p = model.scenario.capacity
    cap = model.capacity
    cap.book("admin", np.full(model.n_municipalities, p.policy_fte_per_domain * len(DOMAINS)))
    model.ledger.admin += cap.close_month()
