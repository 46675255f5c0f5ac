"""EMA Workbench interoperability (EMA Workbench is a dependency of ecosim; the report's PRIM is its).

- :func:`ecosim_model` exposes a scenario as an EMA Workbench ``Model``: named uncertainties
  (how the world behaves: demand, escalation, providers), levers (what a municipality
  chooses: stance, cooperation form) and outcomes (the registry's end-of-run scalars, to
  minimise or maximise by the registry's direction). The seed varies when asked: the
  :data:`SEED` uncertainty samples one per experiment, ``replications=n`` gives a
  ``ReplicatorModel`` with a different seed per replication; otherwise every experiment
  uses the base seed (common random numbers). Every declared name maps to scenario parameter paths, checked against the
  scenario schema before any run, so a typo fails at once and not hours into a run
  (EMA Workbench itself links names only by matching strings).
- :func:`export_results` writes a sweep's results in EMA Workbench's ``save_results`` format
  (a tar.gz with experiments and outcomes), so its analysis tools (PRIM, CART, feature
  scoring, plotting) can read ecosim sweeps with ``load_results``.

ema_workbench is imported only inside the functions that need it.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from ecosim.errors import InputError
from ecosim.outputs.registry import SCALARS, check_names, end_of_run, get
from ecosim.report.outcomes import KEY_OUTCOMES
from ecosim.scenario import FORM_NAMES, Scenario, load_scenario


@dataclass(frozen=True)
class Declared:
    """One EMA parameter and the scenario parameters it sets.

    Attributes:
        name: the parameter's name in EMA Workbench (a Python identifier).
        paths: dotted scenario parameters it sets, all to the same value.
        low, high: bounds of a real or integer parameter.
        categories: levels of a categorical parameter (instead of bounds).
        integer: whether the parameter takes whole numbers.
    """

    name: str
    paths: tuple[str, ...]
    low: float | None = None
    high: float | None = None
    categories: tuple[str, ...] | None = None
    integer: bool = False

    def values(self) -> list[Any]:
        """Values to validate against the schema: the bounds or every category."""
        if self.categories is not None:
            return list(self.categories)
        if self.integer:
            return [int(self.low), int(self.high)]  # type: ignore[arg-type]
        return [self.low, self.high]


UNCERTAINTIES: tuple[Declared, ...] = (
    Declared("hidden_share", ("demand.hidden_share",), 0.1, 0.4),
    Declared("multi_problem_share", ("demand.multi_problem_share",), 0.05, 0.3),
    Declared("unmet_gain", ("escalation.unmet_gain",), 0.0, 0.3),
    Declared("prevention_max_effect", ("prevention.max_effect",), 0.05, 0.4),
    Declared("prevention_lag_months", ("prevention.lag_months",), 6, 48, integer=True),
    Declared("wijkteam_find_prob", ("wijkteam.find_prob",), 0.02, 0.2),
    Declared("provider_entry_rate", ("entry.rate",), 0.05, 1.0),
    Declared("client_admin_ratio", ("providers.client_admin_ratio",), 0.2, 0.6),
    Declared("admin_eur_per_contract_month", ("providers.admin_eur_per_contract_month",), 500.0, 10_000.0),
    Declared("knowledge_other", ("cooperation.knowledge_other",), 0.1, 0.9),
)
"""How the world behaves: demand, escalation, prevention's effect, the provider market."""

LEVERS: tuple[Declared, ...] = (
    Declared("stance", ("stance.initial_mean",), 0.0, 1.0),
    Declared(
        "cooperation_form",
        ("cooperation.initial_form", "cooperation.preferred_form"),
        categories=tuple(FORM_NAMES),
    ),
    Declared("deficit_pressure", ("stance.deficit_pressure",), 0.0, 3.0),
)
"""What municipalities choose: their stance, the form of cooperation, how deficits move them."""

SEED = Declared("seed", ("run.seed",), 0, 2**31 - 1, integer=True)
"""The run's root seed as an EMA uncertainty: ``ecosim_model(..., uncertainties=(*UNCERTAINTIES, SEED))``
samples a different seed for each experiment, so the outcomes show the model's randomness."""


def validate(declared: tuple[Declared, ...] | list[Declared], scenario: Scenario) -> None:
    """Check that every declared path is a scenario parameter and every bound a valid value.

    Raises:
        InputError: naming the declaration, the path and the problem.
    """
    names = [d.name for d in declared]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InputError(f"EMA parameters declared twice: {dupes}")
    for d in declared:
        if not d.name.isidentifier():
            raise InputError(f"EMA parameter {d.name!r}: the name must be a Python identifier")
        if (d.categories is None) == (d.low is None or d.high is None):
            raise InputError(f"EMA parameter {d.name!r}: give either bounds or categories")
        for path in d.paths:
            for value in d.values():
                try:
                    scenario.with_overrides({path: value})
                except KeyError:
                    raise InputError(f"EMA parameter {d.name!r}: '{path}' is not a scenario parameter") from None
                except ValidationError as exc:
                    msg = exc.errors()[0]["msg"]
                    raise InputError(f"EMA parameter {d.name!r}: {path} = {value!r}: {msg}") from None


def _ema() -> Any:
    # EMA Workbench warns on import about optional parallel back ends we do not use.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        import ema_workbench

    return ema_workbench


def _ema_parameter(d: Declared) -> Any:
    ew = _ema()

    if d.categories is not None:
        return ew.CategoricalParameter(d.name, list(d.categories))
    if d.integer:
        return ew.IntegerParameter(d.name, int(d.low), int(d.high))  # type: ignore[arg-type]
    return ew.RealParameter(d.name, float(d.low), float(d.high))  # type: ignore[arg-type]


def _ema_outcome(name: str, aggregate: Callable[[Any], float] | None = None) -> Any:
    """EMA's outcome for an end-of-run scalar: MINIMIZE, MAXIMIZE or INFO by the registry's direction.

    ``aggregate`` reduces a ``ReplicatorModel``'s per-replication values to the one scalar
    (``np.mean``, for instance).
    """
    ew = _ema()

    kinds = {"lower": ew.ScalarOutcome.MINIMIZE, "higher": ew.ScalarOutcome.MAXIMIZE, "neither": ew.ScalarOutcome.INFO}
    return ew.ScalarOutcome(name, kind=kinds[get(name, "scalar").better], function=aggregate)


class EcosimFunction:
    """The callable EMA Workbench runs: EMA parameter values in, end-of-run scalars out.

    A class rather than a closure so that EMA's multiprocessing evaluator can pickle it.
    The seed of a run is, in this order: a ``seed`` value EMA passes (a replication's seed
    from ``ecosim_model(..., replications=n)``, or the :data:`SEED` uncertainty), else the
    base scenario's ``run.seed`` (``ecosim_model``'s ``seed``): then every experiment uses the
    same seed (common random numbers) and experiments differ only by their parameters.
    """

    def __init__(
        self, scenario: Scenario, declared: list[Declared], outcomes: list[str], months: int, seed: int
    ) -> None:
        self.scenario = scenario.model_dump(mode="json")
        self.declared = declared
        self.outcomes = outcomes
        self.months = months
        self.seed = seed

    def __call__(self, **values: Any) -> dict[str, float]:
        """Run ecosim once with the given EMA parameter values."""
        from ecosim.api import run

        overrides = {}
        for d in self.declared:
            if d.name in values:
                v = values[d.name]
                v = int(v) if d.integer else (str(v) if d.categories else float(v))
                overrides.update(dict.fromkeys(d.paths, v))
        scenario = Scenario.model_validate(self.scenario).with_overrides(overrides)
        seed = int(values["seed"]) if "seed" in values else None  # None: the scenario's run.seed
        result = run(scenario, months=self.months, seed=seed)
        return end_of_run(result.model_df, self.outcomes)


def ecosim_model(
    scenario: Scenario | str | Path,
    uncertainties: tuple[Declared, ...] = UNCERTAINTIES,
    levers: tuple[Declared, ...] = LEVERS,
    outcomes: tuple[str, ...] | None = None,
    months: int | None = None,
    seed: int | None = None,
    name: str = "ecosim",
    replications: int | None = None,
    aggregate: Callable[[Any], float] = np.mean,
) -> Any:
    """An ecosim scenario as an EMA Workbench ``Model`` (or ``ReplicatorModel``).

    Outcomes are the registry's end-of-run scalars, each a ``ScalarOutcome`` to MINIMIZE or
    MAXIMIZE by the registry's direction (INFO where neither is better).

    Args:
        scenario: the base scenario (object or file); parameters not declared keep its values.
        uncertainties: declared uncertainties (default :data:`UNCERTAINTIES`; add :data:`SEED`
            to sample a seed per experiment).
        levers: declared levers (default :data:`LEVERS`).
        outcomes: end-of-run scalars to report (default: the report's key outcomes).
        months: months per run (default: the scenario's).
        seed: the base seed (default: the scenario's): the seed of every run without
            replications, the root the replications' seeds are spawned from with them.
        name: the model's name in EMA Workbench.
        replications: run each experiment this many times, each with its own seed (the seeds
            of ``ecosim sweep``'s replications for the root seed ``seed``): EMA Workbench's
            ``ReplicatorModel``.
        aggregate: with replications, how an outcome's per-replication values become the
            experiment's scalar (default the mean; the outcome keeps its direction). For every
            replication's value, sample the seed instead: add :data:`SEED` to the uncertainties.

    Raises:
        InputError: when a declared name or value does not fit the scenario schema.
        ImportError: when ema_workbench is not installed (it is a dependency of ecosim).
    """
    ew = _ema()

    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    declared = [*uncertainties, *levers]
    validate(declared, scenario)
    outcomes = outcomes or tuple(o.name for o in KEY_OUTCOMES)
    check_names(outcomes, ["scalar"], "ecosim_model: outcomes")
    months = scenario.run.months if months is None else months
    seed = scenario.run.seed if seed is None else seed
    scenario = scenario.with_overrides({"run.seed": seed})
    function = EcosimFunction(scenario, declared, list(outcomes), months, seed)
    if replications is None:
        model = ew.Model(name, function=function)
    else:
        from ecosim.experiment.design import replication_seeds

        if replications < 1:
            raise InputError(f"ecosim_model: replications must be at least 1, got {replications}")
        model = ew.ReplicatorModel(name, function=function)
        model.replications = [{"seed": s} for s in replication_seeds(seed, replications)]
    model.uncertainties = [_ema_parameter(d) for d in uncertainties]
    model.levers = [_ema_parameter(d) for d in levers]
    model.outcomes = [_ema_outcome(o, aggregate if replications is not None else None) for o in outcomes]
    return model


def sweep_results(sweep_dir: str | Path) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """A sweep's runs as EMA Workbench results: (experiments, outcomes).

    Experiments hold the factors (without the ``factor_`` prefix), ``replication``, ``seed``,
    ``run_id`` and EMA's ``scenario`` (design point), ``policy`` (the stance level, when the
    sweep has one) and ``model`` columns; outcomes hold every end-of-run scalar kept.
    """
    path = Path(sweep_dir) / "runs.parquet"
    if not path.is_file():
        raise InputError(f"{sweep_dir}: no runs.parquet (is this the output folder of 'ecosim sweep'?)")
    runs = pd.read_parquet(path)
    factors = [c for c in runs.columns if c.startswith("factor_")]
    exp = runs[factors].rename(columns=lambda c: c.removeprefix("factor_")).copy()
    for col in exp.columns:
        if not pd.api.types.is_numeric_dtype(exp[col]):
            exp[col] = exp[col].astype(str).astype("category")
    exp["replication"] = runs["replication"].astype(int)
    exp["seed"] = runs["seed"].astype(int)
    exp["run_id"] = runs["run_id"].astype(str)
    exp["scenario"] = runs["point"].astype(int)
    exp["policy"] = (runs["factor_stance"] if "factor_stance" in runs else pd.Series("none", index=runs.index)).astype(
        str
    )
    exp["model"] = "ecosim"
    outcomes = {c: runs[c].to_numpy(dtype=float) for c in runs.columns if c in SCALARS}
    return exp, outcomes


def export_results(sweep_dir: str | Path, path: str | Path | None = None) -> Path:
    """Write a sweep's results with EMA Workbench's ``save_results`` (default: DIR/ema_results.tar.gz)."""
    ew = _ema()

    experiments, outcomes = sweep_results(sweep_dir)
    for name in outcomes:
        _ema_outcome(name)  # registers how EMA stores this outcome (a scalar)
    path = Path(path) if path is not None else Path(sweep_dir) / "ema_results.tar.gz"
    ew.save_results((experiments, outcomes), str(path))
    return path
