"""Decision rules as small pure functions: inputs in, decision out.

Each can be pinned by a test without building a model. The stance s in [0, 1] mixes a
lever's cost-control value (s = 0) and its transformation value (s = 1).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def lever(pair: Sequence[float], stance: float | np.ndarray) -> float | np.ndarray:
    """A lever's value at a stance: the linear mix of its [control, transformation] pair."""
    control, transformation = pair
    return control + (transformation - control) * np.clip(stance, 0.0, 1.0)


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


def perceived_fit(true_fit: float, knowledge: float, sd: float, noise: float) -> float:
    """A partner's fit as a municipality sees it: poor knowledge means misjudgement (seed 003).

    ``noise`` is a standard normal draw supplied by the caller (randomness stays with the model).
    """
    return true_fit + (1.0 - knowledge) * sd * noise


def leave_after_election(trust: float, exit_cost_per_inhabitant: float, base_prob: float, reference: float) -> float:
    """Chance a new council leaves an arrangement: distrust raises it, exit cost lowers it."""
    return base_prob * (1.0 - trust) * reference / (reference + exit_cost_per_inhabitant)


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
