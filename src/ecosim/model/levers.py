"""Decision rules as small pure functions: inputs in, decision out.

Each can be pinned by a test without building a model. The stance s in [0, 1] mixes a
lever's cost-control value (s = 0) and its transformation value (s = 1).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def clip01(x: float | np.ndarray) -> np.float64 | np.ndarray:
    """``np.clip(x, 0.0, 1.0)``: the same value and type, without numpy's overhead for one float.

    Decision rules clip single numbers tens of thousands of times a run; ``np.clip`` on a
    Python float costs microseconds. For a float (or numpy float64) the min/max gives the
    same value as ``np.clip``, NaN and the sign of zero included, returned as ``np.float64``
    as ``np.clip`` returns it; anything else goes to ``np.clip``.
    """
    if type(x) is float or type(x) is np.float64:
        return np.float64(min(max(x, 0.0), 1.0))
    return np.clip(x, 0.0, 1.0)


def lever(pair: Sequence[float], stance: float | np.ndarray) -> float | np.ndarray:
    """A lever's value at a stance: the linear mix of its [control, transformation] pair."""
    control, transformation = pair
    return control + (transformation - control) * clip01(stance)


def prevention_multiplier(
    spend_per_inhabitant_year: np.ndarray, max_effect: float, half_effect_eur: float
) -> np.ndarray:
    """Incidence multiplier from (lagged) prevention spending: saturating, 1 at zero spend."""
    spend = np.maximum(spend_per_inhabitant_year, 0.0)
    return 1.0 - max_effect * spend / (spend + half_effect_eur)


def escalation_prob(base: np.ndarray, months_unmet: np.ndarray, gain: float, cap: float) -> np.ndarray:
    """Monthly escalation chance: rises with accumulated months of unmet need."""
    return np.minimum(base * (1.0 + gain * months_unmet), cap)


def wait_factor(months_waited: np.ndarray, per_month: float, floor: float) -> np.ndarray:
    """Recovery multiplier after waiting: long waits make care less effective."""
    return np.maximum(1.0 - per_month * months_waited, floor)


def tender_scores(unit_cost: np.ndarray, quality: np.ndarray, trust: np.ndarray, quality_weight: float) -> np.ndarray:
    """Score providers in a tender: price against the mean of quality and trust.

    ``quality_weight`` (the lever ``procurement.quality_weight`` at the buyer's stance) is the
    weight on quality and trust, ``1 - quality_weight`` the weight on a low price. Cost, quality
    and trust are standardised within the tender, so the weight alone sets the trade-off.
    """

    def z(v: np.ndarray) -> np.ndarray:
        sd = v.std()
        return (v - v.mean()) / sd if sd > 0 else np.zeros_like(v)

    return (1.0 - quality_weight) * -z(unit_cost) + quality_weight * (z(quality) + z(trust)) / 2.0


def policy_similarity(stance_a: float, stance_b: float, pairs: Sequence[Sequence[float]]) -> float:
    """How alike two municipalities' policies are (1 the same): 1 minus their mean lever distance.

    Each lever pair whose parts differ contributes the distance of the two municipalities'
    values relative to the pair's span, which is ``|stance_a - stance_b|`` for a linear mix.
    Pairs with equal parts make no difference, so with every pair equal all policies are the
    same: the stance itself never enters.
    """
    spans = [abs(t - c) for c, t in pairs]
    distances = [
        abs(float(lever(p, stance_a)) - float(lever(p, stance_b))) / span
        for p, span in zip(pairs, spans, strict=True)
        if span > 0
    ]
    return 1.0 - (float(np.mean(distances)) if distances else 0.0)


def overbilling_share(max_share: float, admin_intensity: np.ndarray) -> np.ndarray:
    """Share of care billed but not delivered: ``max_share`` without checks, none at full accountability."""
    return max_share * np.clip(1.0 - admin_intensity, 0.0, 1.0)


def joint_price_factor(scale_discount: float, population: float, reference: float) -> float:
    """Price multiplier of joint procurement: a discount growing with the buyers' population."""
    return 1.0 - scale_discount * min(1.0, population / reference)


def deficit_stance_shift(
    stance: np.ndarray,
    ambition: np.ndarray,
    deficit_share: np.ndarray,
    negative_reserve_share: np.ndarray,
    pressure: float,
    reserve_pressure: float,
    pull: float,
    surplus_pull: float = 0.0,
    results: np.ndarray | float = 0.0,
) -> np.ndarray:
    """Year-end stance: budget pressure on one side, the council's ambition and results on the other.

    - The stance is pulled toward the council's ambition by ``pull`` of the gap.
    - A deficit (``deficit_share > 0``) pushes it toward control by ``pressure`` per unit of
      deficit share; negative reserves push further.
    - A surplus (``deficit_share < 0``) relaxes that pressure: the stance moves a further
      ``surplus_pull`` per unit of surplus share toward the ambition (never past it). A surplus
      lets the council do what it wants; it does not by itself favour either strategy.
    - ``results`` is a shift from the results the council saw (:func:`results_stance_shift`).
    """
    gap = ambition - stance
    surplus = np.maximum(-deficit_share, 0.0)
    toward = pull * gap + np.sign(gap) * np.minimum(surplus_pull * surplus, np.abs(gap) * (1.0 - pull))
    new = stance + toward + results
    new -= pressure * np.maximum(deficit_share, 0.0)
    new -= reserve_pressure * np.maximum(negative_reserve_share, 0.0)
    return np.clip(new, 0.0, 1.0)


def results_stance_shift(stance: np.ndarray, burden_change: np.ndarray, weight: float) -> np.ndarray:
    """Stance shift from results seen: better results reinforce the current course, worse ones turn it.

    The course is the side the stance leans to, ``2 * stance - 1`` (-1 full control, +1 full
    transformation, 0 undecided). ``burden_change`` is the change of the municipality's
    burden of unmet need over the year relative to its peers' (:func:`relative_burden_change`;
    negative = better). A falling burden moves the stance further along its course, a rising
    one back against it, in proportion to the lean; swapping the two strategies swaps the sign.
    """
    lean = 2.0 * np.clip(stance, 0.0, 1.0) - 1.0
    return -weight * lean * np.clip(burden_change, -1.0, 1.0)


def relative_burden_change(burden: np.ndarray, previous: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Change of each municipality's yearly burden against its group's (its region): a benchmark.

    ``log(own this year / own last year) - log(group this year / group last year)``: a trend all
    peers share (such as the build-up of unmet stocks after 2015) cancels out. No previous year
    (``previous`` NaN) or no burden in either year gives 0.
    """
    burden = np.asarray(burden, dtype=float)
    previous = np.asarray(previous, dtype=float)
    ok = np.isfinite(previous) & (previous > 0) & (burden > 0)
    own = np.where(ok, np.log(np.where(ok, burden, 1.0) / np.where(ok, previous, 1.0)), 0.0)
    n = int(group.max()) + 1 if len(group) else 0
    now_g = np.bincount(group, weights=np.where(ok, burden, 0.0), minlength=n)
    before_g = np.bincount(group, weights=np.where(ok, previous, 0.0), minlength=n)
    ok_g = (now_g > 0) & (before_g > 0)
    trend = np.where(ok_g, np.log(np.where(ok_g, now_g, 1.0) / np.where(ok_g, before_g, 1.0)), 0.0)
    return np.where(ok, own - trend[group], 0.0)


def leave_after_election(
    trust: float, exit_cost_per_inhabitant: float, base_prob: float, reference: float, distance: float = 0.0
) -> float:
    """Chance a new council leaves an arrangement: distrust and democratic distance raise it, exit cost lowers it.

    ``base_prob * min(1, (1 - trust) + distance) * reference / (reference + exit_cost)``: a council that
    fully distrusts its partners, or whose arrangement is at full democratic distance (seed 002, reason 4),
    leaves with ``base_prob`` when leaving is free; an exit cost of ``reference`` per inhabitant halves it.
    """
    will = min(1.0, (1.0 - trust) + distance)
    return base_prob * will * reference / (reference + exit_cost_per_inhabitant)


def market_tightness(demand: np.ndarray, places: np.ndarray, reference_occupancy: float) -> np.ndarray:
    """How far a market's places are filled beyond break-even, in [0, 1] (ODD 7.6, entry).

    ``demand`` is the clients and the waiting of a region and domain, ``places`` the places its
    providers offer or are about to offer. 0 while demand fills no more than the reference
    occupancy (prices only cover cost there, so a newcomer cannot expect to break even), 1 once
    demand fills every place (waiting lists), linear in between.
    """
    fill = np.asarray(demand, dtype=float) / np.maximum(np.asarray(places, dtype=float), 1e-9)
    span = max(1.0 - reference_occupancy, 1e-9)
    return np.clip((fill - reference_occupancy) / span, 0.0, 1.0)


def entry_intensity(rate: float, population: np.ndarray, tightness: np.ndarray, opening: np.ndarray) -> np.ndarray:
    """Expected entrants per month of each region and domain (a Poisson mean).

    ``rate`` entrants per 100,000 inhabitants where the market is full (tightness 1) and every
    buyer will contract a newcomer (opening 1): the inhabitants' share whose buyer tenders
    before the newcomer is ready, or admits newcomers mid-term.
    """
    return rate * np.asarray(population, dtype=float)[:, None] / 100_000.0 * tightness * opening


# -- cooperation: value, partners, experience (docs/ODD.md 7.8) ----------------------------------------


def overhead_month(f: object, population: float) -> float:
    """Running overhead of one membership in form ``f`` for one month [EUR]."""
    return (f.overhead_eur_per_inhabitant_year * population + f.overhead_eur_per_member_year) / 12.0


def membership_hours(f: object, in_setup: bool, setup_factor: float) -> float:
    """The capacity cost of taking part: civil-service hours one membership in form ``f`` takes this month.

    The one place where it is computed (meetings, governance, preparation); doubled (``setup_factor``)
    while the membership or the form is being set up. [hours/month]
    """
    return f.hours_per_member_month * (setup_factor if in_setup else 1.0)


def membership_value(
    f: object,
    care_month: float,
    admin_month: float,
    population: float,
    group_population: float,
    horizon_months: float,
    set_up: bool = False,
) -> float:
    """What a membership of form ``f`` on one task is worth to a municipality per month [EUR] (pure).

    The scale discount on the task's care (growing with the group's population up to the form's
    reference) plus the admin saved, minus the overhead. A membership not yet set up delivers
    nothing during the form's setup time, so its gain counts for the part of ``horizon_months``
    after the setup, and the setup cost is spread over the horizon. The caller adds misjudgement.
    """
    scale = min(1.0, group_population / f.scale_reference_population)
    gain = f.scale_discount * scale * care_month + f.admin_saving * admin_month
    value = -overhead_month(f, population)
    if set_up:
        return gain + value
    delay = max(0.0, 1.0 - f.setup_months / horizon_months)
    return gain * delay + value - f.setup_cost_eur_per_inhabitant * population / horizon_months


def partner_misjudgement_sd(base_sd: float, knowledge: float, months_together: float, acquaintance: float) -> float:
    """Sd of the misjudgement of a partner: poor knowledge of strangers, falling as they work together.

    ``base_sd * (1 - knowledge) * acquaintance / (acquaintance + months_together)``: halved after
    ``acquaintance`` months of working together (seed 003 "Kent de ander", seed 002 reason 3).
    """
    return base_sd * (1.0 - knowledge) * acquaintance / (acquaintance + months_together)


def size_similarity(pop_a: float, pop_b: float, ratio_dissimilar: float) -> float:
    """How alike two municipalities are in size: 1 when equal, 0 at ``ratio_dissimilar`` times the other or beyond."""
    return float(clip01(1.0 - abs(np.log(pop_a / pop_b)) / np.log(ratio_dissimilar)))


def need_similarity(need_a: float, need_b: float) -> float:
    """How alike two municipalities' needs are (clients per inhabitant): ``1 - |a - b| / (a + b)``, 1 when both none."""
    total = need_a + need_b
    return 1.0 if total <= 0 else 1.0 - abs(need_a - need_b) / total


def attraction(scores: Sequence[float], weights: Sequence[float]) -> float:
    """A partner's attraction: the weighted mean of its scores on each dimension (0 when every weight is 0)."""
    w = np.asarray(weights, dtype=float)
    return float(np.dot(w, scores) / w.sum()) if w.sum() > 0 else 0.0


def economic_experience(benefit: float, overhead: float, expected: float, expectation_weight: float) -> float:
    """How a membership's money felt over a review window, in [0, 1] (0.5 neutral).

    The plain result, ``net / (|net| + overhead)`` with ``net = benefit - overhead``, mixed with
    the surprise against what the member expected over the window,
    ``(net - expected) / (|net - expected| + overhead)``, by ``expectation_weight``: unmet
    expectations lower it, exceeded ones raise it.
    """
    net = benefit - overhead
    outcome = net / (abs(net) + overhead + 1e-9)
    surprise = (net - expected) / (abs(net - expected) + overhead + 1e-9)
    mixed = (1.0 - expectation_weight) * outcome + expectation_weight * surprise
    return float(clip01(0.5 + 0.5 * mixed))


def inequity(own_gain: float, partner_gain: float, own_cost: float, partner_cost: float) -> float:
    """How much more a partner gained than oneself, relative, in [0, 1]; 0 when it gained less.

    Gains are net benefits per inhabitant over the window, costs the overheads per inhabitant:
    ``max(0, partner - own) / (|own| + |partner| + own_cost + partner_cost)``, so differences
    small against what the membership costs count little.
    """
    scale = abs(own_gain) + abs(partner_gain) + own_cost + partner_cost
    return max(0.0, partner_gain - own_gain) / scale if scale > 0 else 0.0


def partner_experience(
    econ: float,
    fit: float,
    fit_weight: float,
    contribution_gap: float,
    free_riding_weight: float,
    partner_inequity: float,
    inequity_weight: float,
) -> float:
    """What working with one partner felt like over a review window, in [0, 1]: trust moves toward it.

    ``(1 - fit_weight) * econ + fit_weight * fit``, less ``free_riding_weight`` per unit by which
    the partner put in less than oneself (``contribution_gap``, 0 when it put in as much or more)
    and ``inequity_weight`` per unit of :func:`inequity`.
    """
    e = (1.0 - fit_weight) * econ + fit_weight * fit
    e -= free_riding_weight * max(0.0, contribution_gap) + inequity_weight * partner_inequity
    return float(clip01(e))


def majority_choice(choices: Sequence[int], weights: Sequence[float]) -> int | None:
    """The option more than half of the (weighted) votes chose, or None when none has a majority."""
    tally: dict[int, float] = {}
    for c, w in zip(choices, weights, strict=True):
        tally[c] = tally.get(c, 0.0) + float(w)
    total = sum(tally.values())
    best = max(tally, key=lambda c: (tally[c], -c)) if tally else None
    return best if best is not None and tally[best] > 0.5 * total else None


def trust_groups(trust: np.ndarray, threshold: float) -> list[list[int]]:
    """Groups of members that trust each other: connected components of ``min(t_ij, t_ji) >= threshold``.

    ``trust`` is the members' square block of the trust matrix; the groups hold positions in it,
    largest first (ties by first position).
    """
    n = len(trust)
    linked = np.minimum(trust, trust.T) >= threshold
    seen = np.zeros(n, dtype=bool)
    groups = []
    for start in range(n):
        if seen[start]:
            continue
        stack, group = [start], []
        seen[start] = True
        while stack:
            i = stack.pop()
            group.append(i)
            for j in np.flatnonzero(linked[i] & ~seen).tolist():
                seen[j] = True
                stack.append(j)
        groups.append(sorted(group))
    return sorted(groups, key=lambda g: (-len(g), g[0]))
