"""Kinds of municipality for the outputs: small rural, medium, large urban (docs/ODD.md section 8).

The rule reads only what the model has of each municipality, its population and its urbanity
characteristic (:func:`ecosim.model.heterogeneity.characteristics`: a standard score of log
address or population density across the map, or drawn correlated with size on a synthetic
map), and it changes nothing in the run: it groups municipalities for reporting.

- **small rural**: fewer than :data:`SMALL_BELOW` inhabitants *and* urbanity at or below the
  map's mean (standard score <= 0);
- **large urban**: at least :data:`LARGE_FROM` inhabitants *and* urbanity above the map's mean;
- **medium**: every other municipality (20,000-50,000 inhabitants, and the small urban and large
  rural ones).

Sources and assumptions. The size bounds are the municipal size classes used in Dutch
municipal statistics: CBS's gemeentegrootteklassen (... 10-20,000, 20-50,000, 50-100,000,
100,000+) as the A&O fonds Gemeenten Personeelsmonitor 2021 reports them (under 20,000;
20-50,000; 50-100,000; over 100,000; docs/SOURCES.md, section 17). Joining 50-100,000 and
100,000+ into "large" is an assumption, made so a youth-care region of about 13 municipalities
(scenarios/regional_default.toml) has more than one large municipality in most draws. Urbanity
is relative to the map (its mean, not a CBS stedelijkheid class), because the model holds a
standard score, not the address density itself; "rural" and "urban" therefore mean "less" and
"more densely built than the map's mean". A kind with no municipality gives NaN.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

KINDS: tuple[str, ...] = ("small_rural", "medium", "large_urban")
"""Kinds of municipality, as they appear in output names."""

KIND_WORDS: dict[str, str] = {"small_rural": "small rural", "medium": "medium", "large_urban": "large urban"}
"""Each kind in plain words."""

SMALL_BELOW: float = 20_000
"""Inhabitants below which a municipality is small (CBS size class bound; A&O fonds Personeelsmonitor 2021)."""

LARGE_FROM: float = 50_000
"""Inhabitants from which a municipality is large (CBS size class bound 50,000; classes 50-100k and 100k+ joined)."""

RULE: str = (
    "small rural: under 20,000 inhabitants and urbanity at or below the map's mean; large urban: 50,000 or more "
    "and urbanity above the map's mean; medium: all others (CBS size-class bounds; urbanity relative to the map)"
)
"""The rule in one sentence, for output descriptions."""


def kind_groups(population: np.ndarray, urbanity: np.ndarray) -> dict[str, np.ndarray]:
    """Indices of the municipalities of each kind (a partition: every municipality in exactly one).

    Args:
        population: inhabitants per municipality.
        urbanity: urbanity standard score per municipality (0 = the map's mean).
    """
    import numpy as np  # here, so `ecosim outputs` (which imports the rule's words) stays quick

    pop = np.asarray(population, dtype=float)
    urb = np.asarray(urbanity, dtype=float)
    small = (pop < SMALL_BELOW) & (urb <= 0.0)
    large = (pop >= LARGE_FROM) & (urb > 0.0)
    return {
        "small_rural": np.flatnonzero(small),
        "medium": np.flatnonzero(~small & ~large),
        "large_urban": np.flatnonzero(large),
    }
