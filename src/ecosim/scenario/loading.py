"""Reading scenario files: TOML, ``extends``, overrides, and errors that name the file and the key.

A scenario file may name a base file (``extends = "regional_default.toml"``) and
state only what differs; tables are merged key by key. Overrides are dotted paths
(:mod:`ecosim.scenario.paths`), e.g. ``{"access.threshold.transformation": 1.0}``.
"""

from __future__ import annotations

import tomllib
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ecosim.scenario.paths import canonical_path, set_dotted
from ecosim.scenario.schema import Scenario


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message names file, key and what is allowed."""


class UnknownParameterError(ScenarioError, KeyError):
    """An override path that names no scenario parameter; the message names it and the closest valid one.

    Also a ``KeyError``, as an unknown path was before, so callers that catch that still work.

    Attributes:
        path: the path as given.
        closest: the most similar valid path, or None.
    """

    def __init__(self, message: str, path: str = "", closest: str | None = None) -> None:
        super().__init__(message)
        self.path, self.closest = path, closest

    def __str__(self) -> str:
        return str(self.args[0])  # not KeyError's quoted repr


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def read_toml(path: Path, kind: str, error: type[ValueError]) -> dict[str, Any]:
    """Read a TOML file, raising ``error`` with the path when it is missing, unreadable or malformed."""
    if not path.is_file():
        raise error(f"{path}: no such {kind} file")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not a UTF-8 text file ({exc.reason} at byte {exc.start})") from None
    except RecursionError:
        raise error(f"{path}: not usable TOML: tables or arrays nested too deeply") from None
    except OSError as exc:
        raise error(f"{path}: cannot read the {kind} file ({exc.strerror or exc})") from None


MAX_EXTENDS = 50
"""Longest chain of ``extends`` (a file, its base, the base's base, ...)."""


def _read_toml(path: Path) -> dict[str, Any]:
    """Read a scenario TOML, following ``extends`` to its base files (at most :data:`MAX_EXTENDS` deep)."""
    chain: list[Path] = []
    layers: list[dict[str, Any]] = []
    current, referrer = path.resolve(), None
    while True:
        if current in chain:
            names = " -> ".join(p.name for p in (*chain, current))
            raise ScenarioError(f"{chain[-1]}: 'extends' loops back to a file already in the chain ({names})")
        if len(chain) >= MAX_EXTENDS:
            raise ScenarioError(f"{path}: the 'extends' chain is longer than {MAX_EXTENDS} files (at {current})")
        try:
            data = read_toml(current, "scenario", ScenarioError)
        except ScenarioError as exc:
            if referrer is None:
                raise
            raise ScenarioError(f"{referrer}: key 'extends': base scenario {exc}") from None
        chain.append(current)
        layers.append(data)
        base = data.pop("extends", None)
        if base is None:
            break
        if not isinstance(base, str):
            raise ScenarioError(f"{current}: key 'extends' must be a file name (string), got {base!r}")
        referrer, current = current, (current.parent / base).resolve()
    merged: dict[str, Any] = {}
    for layer in reversed(layers):  # the deepest base first, each file over it
        merged = _merge(merged, layer)
    return merged


def format_errors(
    source: str, exc: ValidationError, root: type[BaseModel] | None = None, what: str = "scenario"
) -> str:
    """Turn pydantic errors into lines naming the file, the key and what is allowed.

    ``root`` is the model the file was validated against (the scenario by default); an
    unknown key is answered with the keys allowed at that place of ``root``.
    """
    root = root or Scenario
    lines = [f"{source}: {len(exc.errors())} problem(s) in the {what}"]
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"]) or "(top level)"
        if err["type"] == "extra_forbidden":
            msg = f"unknown key; allowed here: {', '.join(allowed_keys(root, err['loc'][:-1]))}"
        else:
            msg = err["msg"]
            if "input" in err and not isinstance(err["input"], dict):
                msg += f" (got {err['input']!r})"
        lines.append(f"  {key}: {msg}")
    return "\n".join(lines)


def allowed_keys(root: type[BaseModel], loc: tuple[Any, ...] | list[Any]) -> list[str]:
    """Keys a file may hold at ``loc`` inside ``root``: walks nested models, lists and named tables."""
    model: Any = root
    for part in loc:
        if isinstance(part, int):  # an element of a list of tables: same model
            continue
        field = model.model_fields.get(part) if isinstance(model, type) and issubclass(model, BaseModel) else None
        if field is None:
            # A named table of models (e.g. cooperation.forms.<name>): the key names an entry.
            continue
        model = _inner_model(field.annotation)
        if model is None:
            return []
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return []
    return sorted(k for k in model.model_fields if k != "base_dir")


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation such as ``M``, ``dict[str, M]``, ``list[M]``, ``M | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def load_declared[M: BaseModel](path: Path, model: type[M], what: str, error: type[ValueError]) -> M:
    """Read and validate a declarative TOML file (experiment, calibration) against ``model``.

    Relative paths in the file are relative to its folder (``base_dir``). Problems raise
    ``error`` naming the file, each key and what is allowed there.
    """
    data = read_toml(path, what, error)
    data["base_dir"] = str(path.resolve().parent)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise error(format_errors(str(path), exc, model, what)) from None


def load_scenario(path: str | Path, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load, merge (``extends``) and validate a scenario TOML file.

    Raises:
        ScenarioError: with a message naming the file, each bad key and what is allowed.
    """
    path = Path(path)
    data = _read_toml(path)
    data["base_dir"] = str(path.resolve().parent)
    elements: dict[str, Any] = {}
    for dotted, value in (overrides or {}).items():
        try:
            set_dotted(data, dotted, value)
        except KeyError:
            *parents, last = dotted.split(".")
            if any(k.isdigit() for k in canonical_path(dotted).split(".")):
                elements[dotted] = value  # an element of a list (or a lever pair's part) the file leaves at its default
                continue
            # Missing intermediate tables are fine in files; create them for overrides.
            node = data
            for key in parents:
                node = node.setdefault(key, {})
            node[last] = value
    try:
        scenario = Scenario.model_validate(data)
        scenario = scenario.with_overrides(elements) if elements else scenario
    except UnknownParameterError as exc:
        raise ScenarioError(f"{path}: override {exc}") from None
    except KeyError as exc:
        raise ScenarioError(f"{path}: override {exc}: not a scenario parameter") from None
    except ValidationError as exc:
        raise ScenarioError(format_errors(str(path), exc)) from None
    from ecosim.checks import check_runnable  # the checks a run would otherwise make first

    check_runnable(scenario, path)
    return scenario
