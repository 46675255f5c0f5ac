"""A provider's costs and the contract price, as small pure functions (ODD 7.6, 7.7).

Money is in EUR per month; "care cost" means the direct cost of care staff time and
material, ``unit_cost x severity multiplier x plan`` per client-month. A provider pays:

- a fixed cost on the places it *offers* (its ``capacity``: the places it staffs for
  clients), used or not: ``fixed_share x unit_cost x m x places``, with m the cost multiplier
  of its average client this month (R, that of the starting mix, while it has none);
- the variable rest of its clients' care cost: ``(1 - fixed_share) x care cost``;
- administration as staff time of its own, not as places lost: a per-client part,
  ``(base_admin_ratio + client_admin_ratio x intensity) x care cost`` of the clients under
  each contract (only the second part depends on the buyer's accountability), and a
  per-contract part, ``contract_admin_eur_month x intensity`` for every contract open that
  month, whatever its number of clients (so it weighs most on small providers).

A contract's price is the provider's full cost of a client-month at the reference
occupancy, plus a margin (the lever pair ``procurement.price_margin``), less any joint
discount. At the reference occupancy and margin 0 the provider breaks even.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def reference_multiplier(initial_severity: Sequence[float], severity_cost_multiplier: Sequence[float]) -> float:
    """Mean cost multiplier of the starting client mix, R: what an average place costs over a light one."""
    return float(np.dot(initial_severity, severity_cost_multiplier))


def fixed_cost(fixed_share: float, unit_cost: float, place_multiplier: float, places: float, k: float = 1.0) -> float:
    """Fixed cost of a month [EUR]: the fixed share of the cost of every place offered, used or not."""
    return fixed_share * unit_cost * place_multiplier * places * k


def contract_admin_share(
    contract_admin_eur: float,
    unit_cost: float,
    ref_multiplier: float,
    places: float,
    reference_occupancy: float,
    k: float = 1.0,
) -> float:
    """Per-contract admin of a provider as a share of the care cost it bills at the reference occupancy.

    ``contract_admin_eur`` is the provider's whole per-contract admin of a month [EUR]; it is
    spread over the client-months its offered places hold at the reference occupancy.
    """
    care = unit_cost * ref_multiplier * places * reference_occupancy * k
    return contract_admin_eur / care if care > 0 else 0.0


def full_cost_factor(
    fixed_share: float, reference_occupancy: float, client_admin: float, contract_admin: float
) -> float:
    """Full cost of a client-month relative to its care cost, at the reference occupancy.

    ``(1 - f)`` variable care, ``f / o_ref`` the fixed cost of offered places spread over the
    occupied ones, ``client_admin`` (per-client admin time per unit of care time) and
    ``contract_admin`` (per-contract admin as a share of care cost, :func:`contract_admin_share`).
    """
    return (1.0 - fixed_share) + fixed_share / reference_occupancy + client_admin + contract_admin


def price_factor(full_cost: float, margin: float, discount: float = 0.0) -> float:
    """Contract price over care cost: full cost plus the margin, less the joint discount."""
    return full_cost * (1.0 + margin) * (1.0 - discount)


def provider_expense(
    fixed: float, care_cost: float, fixed_share: float, client_admin_cost: float, contract_admin_cost: float
) -> float:
    """A provider's expense of a month [EUR]: fixed places, variable care, and its admin time."""
    return fixed + (1.0 - fixed_share) * care_cost + client_admin_cost + contract_admin_cost


def admin_share(care_expense: float, admin_cost: float) -> float:
    """Share of a provider's working time spent on administration (admin over care plus admin)."""
    total = care_expense + admin_cost
    return admin_cost / total if total > 0 else 0.0


def places_for_turnover(
    turnover_eur_year: float, unit_cost: float, ref_multiplier: float, full_cost: float, occupancy: float
) -> float:
    """Places whose yearly turnover at ``occupancy`` is ``turnover_eur_year`` [people].

    One place bills ``unit_cost x ref_multiplier x full_cost`` a month when occupied.
    """
    month = unit_cost * ref_multiplier * full_cost * occupancy * 12.0
    return turnover_eur_year / month if month > 0 else 0.0


def yearly_turnover(
    places: float, unit_cost: float, ref_multiplier: float, full_cost: float, occupancy: float
) -> float:
    """Yearly turnover of ``places`` at ``occupancy`` [EUR/year]: the inverse of :func:`places_for_turnover`."""
    return places * unit_cost * ref_multiplier * full_cost * occupancy * 12.0
