"""Dotted paths into a scenario: ``"stance.initial_mean"``, ``"access.threshold.transformation"``.

A path names a table key at each step. Inside a list a whole number names an element
(``"budget.cut_fraction.1"``); inside a lever pair ``control`` and ``transformation``
name its parts, as do ``0`` and ``1`` (a dumped scenario holds a pair as that list).
"""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel

from ecosim.scenario.levers import PARTS, LeverPair


def canonical_path(dotted: str, root: type[BaseModel] | None = None) -> str:
    """``dotted`` with a lever pair's part names replaced by list indices (``control`` -> ``0``).

    The schema of ``root`` (the scenario by default) tells which fields are lever pairs;
    other components, and paths the schema does not know, are left as they are.
    """
    if root is None:
        from ecosim.scenario.schema import Scenario

        root = Scenario
    parts = dotted.split(".")
    node: Any = root
    for i, key in enumerate(parts):
        if isinstance(node, type) and issubclass(node, LeverPair):
            if key in PARTS:
                parts[i] = str(PARTS.index(key))
            break
        if isinstance(node, type) and issubclass(node, BaseModel) and key in node.model_fields:
            node = node.model_fields[key].annotation
        elif typing.get_origin(node) is dict:  # a named table of models, e.g. cooperation.forms.<name>
            node = typing.get_args(node)[1]
        else:
            break
    return ".".join(parts)


def _child(node: Any, key: str, dotted: str) -> tuple[Any, str | int]:
    """The child of ``node`` at one path component: a table key, or a list index (``"1"``)."""
    if isinstance(node, dict) and key in node:
        return node[key], key
    if isinstance(node, list) and key.isdigit() and int(key) < len(node):
        return node[int(key)], int(key)
    raise KeyError(dotted)


def get_dotted(data: dict[str, Any], dotted: str, root: type[BaseModel] | None = None) -> Any:
    """``data["a"]["b"]`` for ``dotted = "a.b"`` in a dumped scenario; unknown paths raise ``KeyError``.

    A whole-number component indexes a list: ``"access.threshold.1"`` is the second
    element of ``access.threshold``, also named ``"access.threshold.transformation"``
    (the parts of a lever pair; ``root`` is the model ``data`` was dumped from, the
    scenario by default).
    """
    node: Any = data
    for key in canonical_path(dotted, root).split("."):
        node, _ = _child(node, key, dotted)
    return node


def parameter_value(data: dict[str, Any], dotted: str, root: type[BaseModel] | None = None) -> Any:
    """The value of the one parameter at ``dotted`` (see :func:`get_dotted`).

    Raises:
        ValueError: saying why ``dotted`` is not one parameter (unknown, or a whole table).
    """
    try:
        current = get_dotted(data, dotted, root)
    except KeyError:
        raise ValueError(f"'{dotted}' is not a scenario parameter") from None
    if isinstance(current, dict):
        raise ValueError(f"'{dotted}' is a table of parameters, not one parameter")
    return current


def set_dotted(data: dict[str, Any], dotted: str, value: Any, root: type[BaseModel] | None = None) -> None:
    """Set ``data["a"]["b"] = value`` for ``dotted = "a.b"`` (list indices and pair parts as in :func:`get_dotted`).

    Unknown paths raise ``KeyError``.
    """
    *parents, last = canonical_path(dotted, root).split(".")
    node: Any = data
    for key in parents:
        node, _ = _child(node, key, dotted)
    _, where = _child(node, last, dotted)
    node[where] = value


def parameter_paths(data: dict[str, Any], root: type[BaseModel] | None = None) -> list[str]:
    """Every dotted path of a dumped scenario that names a value: table leaves, lists, list elements.

    A lever pair's parts are listed by name (``access.threshold.control``) as well as by index.
    """
    out: list[str] = []

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{prefix}{key}.")
            return
        path = prefix[:-1]
        out.append(path)
        if isinstance(node, list):
            out.extend(f"{path}.{i}" for i in range(len(node)))
            if len(node) == len(PARTS) and canonical_path(f"{path}.{PARTS[0]}", root) != f"{path}.{PARTS[0]}":
                out.extend(f"{path}.{part}" for part in PARTS)

    walk(data, "")
    return out


def closest_path(dotted: str, data: dict[str, Any], root: type[BaseModel] | None = None) -> str | None:
    """The parameter path of ``data`` most like ``dotted`` (None when nothing is close)."""
    found = difflib.get_close_matches(dotted, parameter_paths(data, root), n=1, cutoff=0.6)
    return found[0] if found else None


def unknown_parameter(dotted: str, data: dict[str, Any], root: type[BaseModel] | None = None) -> Exception:
    """The error for an override path that names no parameter, with the closest valid path."""
    from ecosim.scenario.loading import UnknownParameterError

    guess = closest_path(dotted, data, root)
    hint = f"; did you mean '{guess}'?" if guess else ""
    return UnknownParameterError(f"'{dotted}' is not a scenario parameter{hint}", dotted, guess)
