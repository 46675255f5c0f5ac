"""Shared fixtures: small synthetic scenarios and models that run in well under a second."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import ecosim
from ecosim import EcosimModel, Scenario

SMALL_WORLD: dict[str, Any] = {
    "geography.source": "synthetic",
    "geography.n_municipalities": 5,
    "geography.n_regions": 1,
    "geography.mean_population": 15_000,
}
"""A handful of small municipalities in one youth-care region."""


def make_small_scenario(overrides: dict[str, Any] | None = None, **world: Any) -> Scenario:
    """Default scenario on a small synthetic map, with dotted-path overrides on top.

    Keyword arguments change the map: ``n`` (municipalities), ``population`` (mean),
    ``regions``, ``months``.
    """
    base = dict(SMALL_WORLD)
    if "n" in world:
        base["geography.n_municipalities"] = world.pop("n")
    if "population" in world:
        base["geography.mean_population"] = world.pop("population")
    if "regions" in world:
        base["geography.n_regions"] = world.pop("regions")
    if "months" in world:
        base["run.months"] = world.pop("months")
    if world:
        raise TypeError(f"unknown world arguments: {sorted(world)}")
    return Scenario().with_overrides({**base, **(overrides or {})})


@pytest.fixture
def small_scenario() -> Callable[..., Scenario]:
    """Factory: ``small_scenario({"dotted.path": value}, n=5, population=15_000)``."""
    return make_small_scenario


@pytest.fixture
def small_model() -> Callable[..., EcosimModel]:
    """Factory: a built (not yet stepped) model of a small scenario with a given seed."""

    def build(overrides: dict[str, Any] | None = None, seed: int = 1, **world: Any) -> EcosimModel:
        return EcosimModel(make_small_scenario(overrides, **world), seed=seed)

    return build


@pytest.fixture
def run_small() -> Callable[..., ecosim.RunResult]:
    """Factory: run a small scenario for some months with a seed and return its RunResult."""

    def run(overrides: dict[str, Any] | None = None, months: int = 36, seed: int = 1,
            **world: Any) -> ecosim.RunResult:
        return ecosim.run(make_small_scenario(overrides, **world), months=months, seed=seed)

    return run
