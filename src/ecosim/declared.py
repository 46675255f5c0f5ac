"""Declared files that name a base scenario (experiments, calibrations): one loader for both.

Such a file is read and validated with :func:`ecosim.scenario.load_declared`; its
``scenario`` key is resolved relative to the file's folder (``base_dir``) and loaded.
Every problem raises the caller's error type with a message that names the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from pydantic import BaseModel

from ecosim.scenario import Scenario, ScenarioError, load_declared, load_scenario


class NamesBaseScenario(Protocol):
    """A declared model with a base scenario: ``scenario`` relative to ``base_dir``."""

    scenario: str
    base_dir: str


def base_scenario(spec: NamesBaseScenario, where: str | Path, error: type[ValueError]) -> Scenario:
    """Load the base scenario ``spec`` names, relative to its ``base_dir``.

    Raises:
        error: ``"<where>: key 'scenario': base scenario: <what is wrong>"``.
    """
    try:
        return load_scenario(Path(spec.base_dir) / spec.scenario)
    except ScenarioError as exc:
        raise error(f"{where}: key 'scenario': base scenario: {exc}") from None


def load_with_base[M: BaseModel](
    path: str | Path, model: type[M], what: str, error: type[ValueError]
) -> tuple[M, Scenario]:
    """Read and validate a declared file against ``model`` and load the base scenario it names.

    ``what`` names the kind of file in messages ("experiment", "calibration"). Every
    problem, in the file or in its base scenario, raises ``error`` naming the file.
    """
    path = Path(path)
    spec = load_declared(path, model, what, error)
    return spec, base_scenario(spec, path, error)  # type: ignore[arg-type]


__all__ = ["base_scenario", "load_with_base"]
