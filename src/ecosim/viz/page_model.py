"""The model the page steps: one ecosim run, or two variants side by side in lockstep.

SolaraViz steps and resets one Mesa model. :class:`PageModel` is that model: it holds one
:class:`~ecosim.model.EcosimModel` per variant, all of the same scenario (the file and the
levers on the page) and the same seed, and steps them together, so the pictures compare the
variants month by month. By default the side-by-side variants are cost control and
transformation (initial stance 0.1 and 0.9): the comparison the project exists for.

Building the world can take a while (national scale: about 17 s and 1.2 GB per variant), so
the constructor only records what to build; :meth:`PageModel.build` builds (the page does it
in a background task and shows that it is busy), and ``step`` builds first if needed.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mesa
from mesa.experimental.scenarios import Scenario as MesaScenario

from ecosim.model import EcosimModel
from ecosim.model.geography import load_real
from ecosim.scenario import Scenario, load_scenario
from ecosim.viz.controls import Control, controls_for, overrides, value_at
from ecosim.viz.scenarios import resolve_scenario

COMPARED = "stance.initial_mean"
"""The scenario path the side-by-side variants differ in."""

VARIANTS: tuple[tuple[str, float], ...] = (("cost control", 0.1), ("transformation", 0.9))
"""Default side-by-side variants: name and initial stance."""

LARGE_CITIZENS = 400_000
"""Above this many citizens in all (every variant), the page asks before building."""

BUILD_S_PER_MILLION = 9.0
"""Measured: national (1.9 M citizens) takes about 17 s to build ..."""

GB_PER_MILLION = 0.65
"""... and holds about 1.2 GB."""


def estimated_citizens(scenario: Scenario) -> int | None:
    """Citizen agents the scenario starts with (None when the map comes from a user's CSV)."""
    g = scenario.geography
    if g.source == "csv":
        return None
    if g.source == "real":
        inhabitants = float(load_real(g.region).population.sum())
    else:
        inhabitants = g.n_municipalities * g.mean_population
    per_inhabitant = sum(scenario.demand.initial_clients_per_1000) / 1000.0
    return round(inhabitants * per_inhabitant / scenario.run.agent_scale)


@dataclass(frozen=True)
class Variant:
    """One run on the page: its name and its scenario."""

    name: str
    scenario: Scenario


class PageScenario(MesaScenario):
    """What the page's run is made of (Mesa's Scenario of :class:`PageModel`): file, levers, seed, variants."""


class PageModel(mesa.Model):
    """One or two ecosim runs of a scenario file with the page's levers, stepped in lockstep.

    Args:
        scenario_file: the scenario TOML file (a bundled file's name works from any folder).
        compare: run two variants side by side, differing only in the initial stance.
        stance_a, stance_b: the initial stance of the two variants.
        rng: the seed of every variant (default: the file's ``run.seed``).
        scenario: Mesa's Reset passes a fresh ``PageScenario``; its entries count as keywords.
        **levers: lever values by control key (``"budget.cut_fraction[1]"``), see
            :func:`ecosim.viz.controls.controls_for`.
    """

    def __init__(
        self,
        scenario_file: str | Path | None = None,
        *,
        compare: bool = True,
        stance_a: float = VARIANTS[0][1],
        stance_b: float = VARIANTS[1][1],
        rng: Any = None,
        scenario: MesaScenario | None = None,
        **levers: Any,
    ) -> None:
        given = {k: v for k, v in (scenario or ()) if k != "rng" and v is not None}
        levers = {**given, **levers}
        scenario_file = levers.pop("scenario_file", scenario_file)
        self.path = resolve_scenario(scenario_file)
        self.base = load_scenario(self.path)
        self.controls: tuple[Control, ...] = tuple(controls_for(self.base))
        known = {c.key for c in self.controls}
        unknown = set(levers) - known
        if unknown:
            raise KeyError(f"no lever {sorted(unknown)}; the page has {sorted(known)}")
        seed = self.base.run.seed if rng is None or str(rng).strip() == "" else int(rng)
        super().__init__(rng=seed)
        self.seed = seed
        self.compare = bool(compare)
        applied = self.base.with_overrides(overrides(list(self.controls), levers))
        if self.compare:
            names = [VARIANTS[0][0] if x < 0.5 else VARIANTS[1][0] for x in (stance_a, stance_b)]
            if names[0] == names[1]:
                names = [f"A: {names[0]}", f"B: {names[1]}"]
            self.variants = [
                Variant(f"{name} ({stance:.2f})", applied.with_overrides({COMPARED: stance}))
                for name, stance in zip(names, (stance_a, stance_b), strict=True)
            ]
        else:
            self.variants = [Variant(applied.name, applied)]
        self.scenario = PageScenario(
            rng=seed, scenario_file=str(self.path), compare=self.compare, stance_a=stance_a, stance_b=stance_b, **levers
        )
        self.models: list[EcosimModel] = []
        self.confirmed = False  # the user agreed to build a large scenario
        self._released = False
        self._lock = threading.Lock()

    # -- building ------------------------------------------------------------------------------
    @property
    def ready(self) -> bool:
        """True once every variant's world is built."""
        return len(self.models) == len(self.variants)

    @property
    def citizens(self) -> int | None:
        """Citizens the page will build in all (None if unknown)."""
        each = [estimated_citizens(v.scenario) for v in self.variants]
        return None if None in each else sum(each)  # type: ignore[arg-type]

    @property
    def large(self) -> bool:
        """Whether building takes long and much memory (the page asks first)."""
        n = self.citizens
        return n is not None and n > LARGE_CITIZENS

    def size_text(self) -> str:
        """How big the build is, for the warning: citizens, time and memory."""
        n = self.citizens or 0
        each = f" ({len(self.variants)} variants)" if len(self.variants) > 1 else ""
        return (
            f"{self.base.name} builds about {n / 1e6:.1f} million citizens{each}: about "
            f"{n / 1e6 * BUILD_S_PER_MILLION:.0f} s and {n / 1e6 * GB_PER_MILLION:.1f} GB of memory."
        )

    def build(self) -> None:
        """Build every variant's world (once; safe to call from several threads)."""
        with self._lock:
            if not self.ready and not self._released:
                models = [EcosimModel(v.scenario, seed=self.seed) for v in self.variants]
                if not self._released:  # replaced while building: let the new runs go at once
                    self.models = models

    def release(self) -> None:
        """Drop the built runs (their memory): the page calls this when it replaces or closes the model."""
        self._released = True  # not under the lock: a build in progress must not hold up the page
        self.models = []
        self.running = False

    # -- running -------------------------------------------------------------------------------
    @property
    def month(self) -> int:
        """Months simulated (the same for every variant)."""
        return self.models[0].month if self.models else 0

    @property
    def months(self) -> int:
        """Months in the run."""
        return self.variants[0].scenario.run.months

    def step(self) -> None:
        """One month of every variant (building them first: pressing Step confirms a large build)."""
        self.confirmed = True
        self.build()
        if self._released:
            return
        for m in self.models:
            m.step()
        self.running = all(m.running for m in self.models)

    def pairs(self) -> list[tuple[str, EcosimModel]]:
        """(variant name, model) of every built variant."""
        return [(v.name, m) for v, m in zip(self.variants, self.models, strict=False)]

    def applied_levers(self) -> list[tuple[str, str]]:
        """The levers as the runs hold them: (label, value; per variant where they differ)."""
        out = []
        for c in self.controls:
            vals = []
            for v in self.variants:
                x = value_at(v.scenario, c.path)
                x = x if c.index is None else x[c.index]
                vals.append(f"{x:.2f}" if isinstance(x, float) else str(x))
            out.append((c.label, vals[0] if len(set(vals)) == 1 else " vs ".join(vals)))
        return out
