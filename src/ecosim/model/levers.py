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
) -> np.ndarray:
    """Year-end stance: pulled toward the council's ambition, pushed to control by deficits."""
    new = stance + pull * (ambition - stance)
    new -= pressure * np.maximum(deficit_share, 0.0)
    new -= reserve_pressure * np.maximum(negative_reserve_share, 0.0)
    return np.clip(new, 0.0, 1.0)


def perceived_fit(true_fit: float, knowledge: float, sd: float, noise: float) -> float:
    """A partner's fit as a municipality sees it: poor knowledge means misjudgement (seed 003).

    ``noise`` is a standard normal draw supplied by the caller (randomness stays with the model).
    """
    return true_fit + (1.0 - knowledge) * sd * noise


def leave_after_election(trust: float, exit_cost_per_inhabitant: float, base_prob: float, reference: float) -> float:
    """Chance a new council leaves an arrangement: distrust raises it, exit cost lowers it."""
    return base_prob * (1.0 - trust) * reference / (reference + exit_cost_per_inhabitant)
