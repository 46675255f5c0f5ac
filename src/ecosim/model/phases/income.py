"""Income support, between elections and the month's settlement: bijstand and the BUIG.

Each municipality receives a twelfth of its BUIG budget and pays benefits on its recipients;
the stock of recipients then moves by the labour market, newly housed permit holders and
the month's successful participation trajectories (counted by the care phase). In December
the safety net (vangnetuitkering) pays part of a yearly BUIG deficit above the year's
threshold. Everything is booked on the ledger's BUIG lines, never on the integration fund's
(ODD 7.12).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecosim.model.bijstand import safety_net, yearly

if TYPE_CHECKING:
    from ecosim.model import EcosimModel


def support_income(model: EcosimModel) -> None:
    """Book the month's BUIG budget and benefits, move the recipients, and in December the safety net."""
    p = model.scenario.bijstand
    led = model.ledger
    support = model.income_support
    year = model.month // 12
    led.buig_budget += support.budget_of_month(model.month)
    led.benefits += support.month(model.month, led.reintegrated)
    if model.month % 12 == 11:
        budget = led.year_buig_budget + led.buig_budget
        deficit = led.year_benefits + led.benefits - budget
        led.safety_net += safety_net(deficit, budget, yearly(p.safety_net_threshold, year), p.safety_net_share)
