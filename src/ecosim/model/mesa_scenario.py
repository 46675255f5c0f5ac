"""Mesa's ``Scenario`` around ecosim's validated scenario, so that Mesa's tools accept the model.

Mesa 3.5 expects ``model.scenario`` to be a :class:`mesa.experimental.scenarios.Scenario`
(SolaraViz checks it, and Mesa's Reset builds a new one of the same class). ecosim's
parameters are a typed, validated pydantic :class:`ecosim.scenario.Scenario`.
:class:`EcosimScenario` is both: a Mesa scenario whose attributes are the parameter groups
(``run``, ``access``, ``stance`` ...), the name and ``base_dir``, with the pydantic object as
``params``; anything else (``lever_pairs()``, ``model_dump()``, ``with_overrides()``) is
forwarded to it. Code written for the pydantic scenario works on either.
"""

from __future__ import annotations

from typing import Any

from mesa.experimental.scenarios import Scenario as MesaScenario

from ecosim.scenario import Scenario


class EcosimScenario(MesaScenario):
    """A Mesa scenario holding ecosim's validated parameters (``params``) and Mesa's ``rng``.

    ``EcosimScenario()`` is the default scenario; keyword arguments are dotted-path overrides
    (``EcosimScenario(params, **{"stance.initial_mean": 0.9})``), validated as
    :meth:`ecosim.scenario.Scenario.with_overrides` does. ``rng`` defaults to ``run.seed``.
    """

    def __init__(self, params: Scenario | None = None, *, rng: Any = None, **overrides: Any) -> None:
        params = params if params is not None else Scenario()
        if isinstance(params, EcosimScenario):
            params = params.params
        if overrides:
            params = params.with_overrides(overrides)
        groups = {name: getattr(params, name) for name in type(params).model_fields}
        super().__init__(rng=params.run.seed if rng is None else rng, **groups)
        self.__dict__["params"] = params

    def __getattr__(self, name: str) -> Any:
        """Whatever is not a Mesa attribute or a parameter group comes from the pydantic scenario."""
        params = self.__dict__.get("params") if not name.startswith("__") else None
        if params is None:  # dunders (pickle, copy) and a half-built object: no forwarding
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return getattr(params, name)

    def __repr__(self) -> str:
        return f"EcosimScenario({self.params.name!r}, rng={self.rng!r})"
