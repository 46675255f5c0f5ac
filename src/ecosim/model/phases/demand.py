"""Phase 1, needs arise: incidence per domain, lowered with a lag by past prevention.

Some needs stay hidden at first; they present by themselves with a chance that rises with
severity, or are found by active neighbourhood teams (wijkteams), which raises caseload
first (CPB 2020, 2021). Unmet needs may also resolve by themselves, refused needs may be met
by informal care (mantelzorg) or general local services (voorliggend veld), and citizens move
away. A need met outside formal care ends; general services cost the municipality a sum once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosim.agents import CitizenState
from ecosim.model.heterogeneity import sample_levels, severity_probabilities
from ecosim.model.levers import lever, prevention_multiplier

if TYPE_CHECKING:
    from ecosim.model import EcosimModel


def lagged_prevention(model: EcosimModel) -> np.ndarray:
    """Prevention spending per inhabitant per year, averaged over a past window ending ``lag`` ago."""
    p = model.scenario.prevention
    hist = model.prevention_history
    end = len(hist) - p.lag_months
    if end <= 0:
        return np.zeros(model.n_municipalities)
    return np.mean(hist[max(0, end - p.window_months) : end], axis=0)


def wijkteam_intensity(stance: np.ndarray, model: EcosimModel) -> np.ndarray:
    """Wijkteam staffing relative to a fully transformed municipality [0..1]."""
    share = model.scenario.wijkteam.budget_share
    return lever(share, stance) / max(share[1], share[0], 1e-9)


def needs_arise(model: EcosimModel) -> None:
    """Draw new needs, reveal hidden ones, and let some needs end without care."""
    s = model.scenario
    d = s.demand
    rng = model.rng
    t = model.citizens
    stance = model.stances()
    # Spending on prevention this month is booked now; its effect comes after the lag.
    spend_year = lever(s.prevention.spend_eur_per_inhabitant_year, stance)
    model.prevention_history.append(spend_year)
    model.ledger.prevention += spend_year / 12.0 * model.populations
    mult = prevention_multiplier(lagged_prevention(model), s.prevention.max_effect, s.prevention.half_effect_eur)

    # Needs ending without care: spontaneous resolution of unmet needs, moving away.
    unmet = t.rows_in(CitizenState.HIDDEN, CitizenState.REFUSED)
    p_res = np.asarray(d.spontaneous_resolution_prob)[t["severity"][unmet]]
    resolved = unmet[rng.random(len(unmet)) < p_res]
    model.ledger.count("resolved", t["municipality"][resolved], model.k)
    # Refused needs met by informal care or general services (a draw for every refused citizen).
    refused = t.rows_in(CitizenState.REFUSED)
    p_met = np.asarray(s.informal.met_prob)[t["severity"][refused]]
    ending = np.zeros(t.n, dtype=bool)  # needs ending this month (row masks: cheaper than setdiff1d)
    ending[resolved] = True
    met = refused[rng.random(len(refused)) < p_met]
    met = met[~ending[met]]
    ending[met] = True
    met_muni = t["municipality"][met]
    model.ledger.count("met_informally", met_muni, model.k)
    model.ledger.wijkteam += np.bincount(met_muni, minlength=model.n_municipalities) * (
        s.informal.eur_per_need_met * model.k
    )
    leaving = np.flatnonzero(rng.random(t.n) < d.leave_prob)
    leaving = leaving[~ending[leaving]]
    ending[leaving] = True
    model.ledger.count("left", t["municipality"][leaving], model.k)
    model.market.release_places(t, leaving)
    t.remove(np.flatnonzero(ending))

    # Hidden needs present by themselves or are found by wijkteams.
    hidden = t.rows_in(CitizenState.HIDDEN)
    sev = t["severity"][hidden]
    muni = t["municipality"][hidden]
    p_find = s.wijkteam.find_prob * wijkteam_intensity(stance, model)[muni]
    u = rng.random(len(hidden))
    self_present = u < np.asarray(d.hidden_present_prob)[sev]
    found = ~self_present & (rng.random(len(hidden)) < p_find)
    t.set_state(hidden[self_present | found], CitizenState.PRESENTING)
    model.ledger.count("found_hidden", muni[found], model.k)

    # New needs: incidence per domain times the municipality's need multiplier (urbanity,
    # deprivation, age; population-weighted mean 1).
    lam = model.populations[:, None] / 1000.0 * np.asarray(d.incidence_per_1000_year)[None, :] / 12.0
    lam = lam * model.need.multiplier
    counts = rng.poisson(lam * mult[:, None] / model.k)
    muni_new = np.repeat(np.repeat(np.arange(model.n_municipalities), 3), counts.ravel())
    primary = np.repeat(np.tile(np.arange(3), model.n_municipalities), counts.ravel())
    k = len(primary)
    if k == 0:
        return
    domains = (1 << primary).astype(np.uint8)
    multi = rng.random(k) < d.multi_problem_share
    # A multi-problem household adds one other domain, sometimes both.
    other = (primary + rng.integers(1, 3, size=k)) % 3
    domains[multi] |= (1 << other[multi]).astype(np.uint8)
    both = multi & (rng.random(k) < d.third_domain_prob)
    domains[both] = 7
    n_domains = np.array([bin(x).count("1") for x in range(8)], dtype=np.int8)[domains]
    hidden_new = rng.random(k) < d.hidden_share
    onset = severity_probabilities(d.severity_at_onset, model.need.severity_tilt)  # per municipality
    state = np.where(hidden_new, int(CitizenState.HIDDEN), int(CitizenState.PRESENTING))
    t.add(
        {
            "municipality": muni_new,
            "primary": primary,
            "domains": domains,
            "n_domains": n_domains,
            "severity": sample_levels(rng, onset[muni_new]),
            "state": state,
            "arrival": np.full(k, model.month),
        }
    )
    model.ledger.count("new_needs", muni_new, model.k)
