"""Municipalities that differ: characteristics, need per domain and budgets as they were allocated.

Three steps, each a pure function of the map, the parameters and standard normal draws made
once at the start (so every parameter value sees the same random numbers):

1. :func:`characteristics`: each municipality's urbanity, deprivation and age structure. Read
   from the map where it has them (a real map's ``area_km2`` and ``indicators``), otherwise
   drawn correlated with size (larger: more urban; more urban: more deprived).
2. :func:`need_multipliers`: need per inhabitant per domain relative to the national mean
   (youth: young people times a deprivation effect; Wmo: old people and deprivation;
   participation: benefit density), population-weighted mean 1 per domain, so the national
   totals the model is calibrated to stay as they were.
3. :class:`BudgetAllocation`: each municipality's share of the national budget per domain
   per year: the historic 2015 share (true need with a historic deviation), moving to the
   objective share (true need with the model's error) along the phase-in path. Shares are
   again population-weighted mean 1, so the national budget per domain is unchanged.

Parameters: :class:`ecosim.scenario.heterogeneity.HeterogeneityParams` and
:class:`~ecosim.scenario.heterogeneity.AllocationParams`; docs/ODD.md 7.11.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ecosim.model.geography import Geography
    from ecosim.scenario.heterogeneity import AllocationParams, HeterogeneityParams

CHARACTERISTICS: tuple[str, ...] = ("urbanity", "deprivation", "young", "old")
"""The municipal characteristics, in the order of their draws."""

INDICATOR_KEYS: dict[str, tuple[str, ...]] = {
    "urbanity": ("address_density", "omgevingsadressendichtheid", "urbanity", "stedelijkheid"),
    "deprivation": ("bijstand_per_1000", "benefit_density", "benefit_share", "low_income_share"),
    "young": ("young_share", "share_0_17", "share_0_19"),
    "old": ("old_share", "share_65_plus"),
}
"""Names under which a real map's ``indicators`` may hold each characteristic (first found is used).

``urbanity``/``stedelijkheid`` are CBS classes 1 (very strongly urban) to 5 (not urban); the
other urbanity keys are densities. Deprivation is a benefit density or low-income share, the
age keys are shares of the population.
"""


@dataclass(frozen=True)
class Characteristics:
    """Each municipality's characteristics (arrays of one value per municipality).

    Attributes:
        urbanity: standard score of log address (or population) density, mean 0 and sd 1.
        deprivation: ln(benefit density / national), population-weighted national value 0.
        young: ln(share aged 0-17 / national).
        old: ln(share aged 65+ / national).
        source: per characteristic, ``"map"`` (read from the map) or ``"drawn"``.
    """

    urbanity: np.ndarray
    deprivation: np.ndarray
    young: np.ndarray
    old: np.ndarray
    source: dict[str, str]


def _standard(values: np.ndarray) -> np.ndarray:
    """Standard score across municipalities (0 where they do not differ)."""
    sd = values.std()
    return (values - values.mean()) / sd if sd > 0 else np.zeros_like(values)


def _log_relative(values: np.ndarray, population: np.ndarray) -> np.ndarray:
    """ln(value / national), the national value the population-weighted mean."""
    national = float(np.sum(values * population) / np.sum(population))
    return np.log(values / national)


def _correlated(anchor: np.ndarray, corr: float, noise: np.ndarray) -> np.ndarray:
    """A standard score with correlation ``corr`` to the standard score ``anchor``."""
    return corr * anchor + np.sqrt(max(0.0, 1.0 - corr * corr)) * noise


def _indicator(geo: Geography, name: str) -> tuple[str, np.ndarray] | None:
    """The first indicator of a characteristic the map has, with positive finite values; else None."""
    indicators = getattr(geo, "indicators", None) or {}
    for key in INDICATOR_KEYS[name]:
        if key in indicators and indicators[key] is not None:
            values = np.asarray(indicators[key], dtype=float)
            if values.shape == (geo.n,) and np.all(np.isfinite(values)) and np.all(values > 0):
                return key, values
    return None


def draw_noise(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Every standard normal the heterogeneity needs, drawn in a fixed order whatever the parameters.

    Characteristics (one draw each per municipality), need residuals, historic deviations and
    objective-model errors (n x 3 each). Drawing all of them always keeps common random numbers
    across parameter values and across synthetic and real maps.
    """
    out = {name: rng.standard_normal(n) for name in CHARACTERISTICS}
    for name in ("residual", "historic", "objective"):
        out[name] = rng.standard_normal((n, 3))
    return out


def characteristics(geo: Geography, p: HeterogeneityParams, noise: dict[str, np.ndarray]) -> Characteristics:
    """Urbanity, deprivation and age structure of every municipality: read from the map, or drawn.

    A characteristic the map has (``geo.indicators``, or ``geo.area_km2`` for density) is read;
    the others are drawn from normals correlated with size (urbanity, age) or with urbanity
    (deprivation), with the spreads of ``p``.
    """
    pop = np.asarray(geo.population, dtype=float)
    size = _standard(np.log(pop))
    source: dict[str, str] = {}

    found = _indicator(geo, "urbanity")
    area = getattr(geo, "area_km2", None)
    if found is not None:
        key, values = found
        # CBS stedelijkheid classes run from 1 (very strongly urban) to 5 (not urban).
        urbanity = -_standard(values) if key in ("urbanity", "stedelijkheid") else _standard(np.log(values))
        source["urbanity"] = "map"
    elif area is not None and np.shape(area) == (geo.n,) and np.all(np.asarray(area, dtype=float) > 0):
        urbanity = _standard(np.log(pop / np.asarray(area, dtype=float)))
        source["urbanity"] = "map"
    else:
        urbanity = _correlated(size, p.urbanity_size_corr, noise["urbanity"])
        source["urbanity"] = "drawn"

    def from_map_or(name: str, drawn: np.ndarray) -> np.ndarray:
        hit = _indicator(geo, name)
        if hit is not None:
            source[name] = "map"
            return _log_relative(hit[1], pop)
        source[name] = "drawn"
        return drawn - np.log(np.sum(np.exp(drawn) * pop) / pop.sum())  # national value 0

    deprivation = from_map_or(
        "deprivation", p.deprivation_log_sd * _correlated(urbanity, p.deprivation_urbanity_corr, noise["deprivation"])
    )
    young = from_map_or("young", p.young_log_sd * _correlated(size, p.young_size_corr, noise["young"]))
    old = from_map_or("old", p.old_log_sd * _correlated(size, p.old_size_corr, noise["old"]))
    return Characteristics(urbanity, deprivation, young, old, source)


def weighted_normalise(values: np.ndarray, population: np.ndarray) -> np.ndarray:
    """``values`` (n or n x domains) divided by their population-weighted mean (per column)."""
    w = np.asarray(population, dtype=float)
    mean = np.tensordot(w, values, axes=(0, 0)) / w.sum()
    return values / mean


def need_multipliers(
    chars: Characteristics, population: np.ndarray, p: HeterogeneityParams, residual: np.ndarray
) -> np.ndarray:
    """Need per inhabitant per domain relative to the national mean (n x 3, population-weighted mean 1).

    - youth: young share x exp(youth_deprivation_elasticity x deprivation) (need per young person
      rises with deprivation);
    - Wmo: (wmo_old_share x old share + 1 - wmo_old_share) x exp(wmo_deprivation_elasticity x
      deprivation);
    - participation: benefit density, exp(deprivation);

    each times exp(residual_sd x residual) for what the characteristics leave unexplained.
    """
    young = np.exp(chars.young + p.youth_deprivation_elasticity * chars.deprivation)
    wmo = (p.wmo_old_share * np.exp(chars.old) + 1.0 - p.wmo_old_share) * np.exp(
        p.wmo_deprivation_elasticity * chars.deprivation
    )
    participation = np.exp(chars.deprivation)
    raw = np.column_stack([young, wmo, participation]) * np.exp(np.asarray(p.residual_sd)[None, :] * residual)
    return weighted_normalise(raw, population)


def severity_probabilities(base: Any, tilt: np.ndarray) -> np.ndarray:
    """Per municipality, the severity mix ``base`` tilted by ``tilt`` (n x levels, rows sum to 1).

    A level s gets weight ``base[s] * exp(tilt * (s - mean level))``; tilt 0 gives ``base``.
    """
    base = np.asarray(base, dtype=float)
    levels = np.arange(len(base))
    centre = float(np.sum(base * levels) / base.sum())
    w = base[None, :] * np.exp(np.asarray(tilt, dtype=float)[:, None] * (levels - centre)[None, :])
    return w / w.sum(axis=1, keepdims=True)


def sample_levels(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One level per row of ``probabilities`` (k x levels), by inverse CDF of one uniform draw each.

    Uses the draws and rule of ``rng.choice(levels, size=k, p=row)`` (a uniform each, searched
    in the cumulative shares), so identical rows give what ``rng.choice`` gives.
    """
    k = len(probabilities)
    u = rng.random(k)
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    cdf = np.cumsum(probabilities, axis=1)
    cdf /= cdf[:, -1:]
    return (u[:, None] >= cdf).sum(axis=1).astype(np.int64)


def phase_share(p: AllocationParams, year: int) -> float:
    """Share of the move from the historic to the objective budget made by calendar ``year``.

    0 before ``first_year``; ``first_year_share`` in ``first_year``; then linear to 1 in
    ``complete_year`` (1 after).
    """
    if year < p.first_year:
        return 0.0
    if year >= p.complete_year or p.complete_year == p.first_year:
        return 1.0 if year >= p.complete_year else p.first_year_share
    step = (year - p.first_year) / (p.complete_year - p.first_year)
    return p.first_year_share + (1.0 - p.first_year_share) * step


class BudgetAllocation:
    """Each municipality's share of the national budget per domain, by year (population-weighted mean 1).

    With R = ``redistribution_sd[d]`` and s = ``objective_error_share``:
    historic share = need x exp(sqrt(1 - s) R e_h), objective share = need x exp(sqrt(s) R e_o)
    (each normalised), so ln(objective / historic) has sd about R; the share of year y is
    ``(1 - phase) x historic + phase x objective``, normalised.
    """

    def __init__(
        self,
        need: np.ndarray,
        population: np.ndarray,
        p: AllocationParams,
        historic_noise: np.ndarray,
        objective_noise: np.ndarray,
    ) -> None:
        self.params = p
        self.population = np.asarray(population, dtype=float)
        r = np.asarray(p.redistribution_sd, dtype=float)[None, :]
        s = p.objective_error_share
        self.historic = weighted_normalise(need * np.exp(np.sqrt(1.0 - s) * r * historic_noise), self.population)
        self.objective = weighted_normalise(need * np.exp(np.sqrt(s) * r * objective_noise), self.population)

    def factors(self, year: int) -> np.ndarray:
        """Budget per inhabitant relative to the national per-inhabitant budget in ``year`` (n x 3)."""
        phase = phase_share(self.params, year)
        return weighted_normalise((1.0 - phase) * self.historic + phase * self.objective, self.population)


@dataclass(frozen=True)
class MunicipalNeed:
    """What the model keeps: characteristics, need multipliers, severity mixes and the budget allocation."""

    characteristics: Characteristics
    multiplier: np.ndarray
    severity_tilt: np.ndarray
    allocation: BudgetAllocation


def build(
    geo: Geography, heterogeneity: HeterogeneityParams, allocation: AllocationParams, rng: np.random.Generator
) -> MunicipalNeed:
    """Characteristics, need and budget allocation of a map, from one set of draws of ``rng``."""
    noise = draw_noise(geo.n, rng)
    chars = characteristics(geo, heterogeneity, noise)
    pop = np.asarray(geo.population, dtype=float)
    need = need_multipliers(chars, pop, heterogeneity, noise["residual"])
    tilt = heterogeneity.severity_deprivation * chars.deprivation
    alloc = BudgetAllocation(need, pop, allocation, noise["historic"], noise["objective"])
    return MunicipalNeed(chars, need, tilt, alloc)
