"""Which parameters are uncertain, and over which range: read from the schema, written as factors.

A lever pair declares its evidence (:func:`ecosim.scenario.levers.lever_pair`); a single
parameter whose value has no source is declared with :func:`uncertain`. Both end up in
``experiments/uncertainties.toml``, the factors an exploratory design samples (each part of
an uncertain pair on its own, so either side can be better). ``python -m
ecosim.scenario.uncertainty > experiments/uncertainties.toml`` writes that file; a test
checks the shipped file is what the schema says.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from ecosim.scenario.levers import PARTS, LeverPair


def uncertain(default: Any, low: float, high: float, description: str, *, scale: bool = False, **kw: Any) -> Any:
    """A parameter field whose value has no source: its default, description and plausible range.

    With ``scale=True`` the range multiplies the default (for a list such as a per-severity
    probability); otherwise it bounds the value itself.
    """
    if not scale and not low <= default <= high:
        raise ValueError(f"the range ({low}, {high}) must hold the default {default}")
    unit = "x default" if scale else ""
    text = f"{description} Uncertain ({low:g}-{high:g}{' ' + unit if unit else ''})."
    extra = {"uncertain": [low, high], "scale": scale}
    if isinstance(default, list):
        return Field(default_factory=lambda: list(default), description=text, json_schema_extra=extra, **kw)
    return Field(default, description=text, json_schema_extra=extra, **kw)


def uncertainties(root: type[BaseModel] | None = None) -> dict[str, dict[str, Any]]:
    """Every uncertain parameter of the scenario schema: dotted path -> bounds (and ``scale``).

    An uncertain lever pair gives one entry per part (``access.threshold.control`` ...); a
    whole-number parameter is marked ``integer``; each cooperation form's ranges
    (:data:`ecosim.scenario.forms.FORM_RANGES`) give one entry per field.
    """
    from ecosim.scenario.schema import Scenario

    root = root or Scenario
    out: dict[str, dict[str, Any]] = {}
    for group_name, group_field in root.model_fields.items():
        group = group_field.annotation
        if not (isinstance(group, type) and issubclass(group, BaseModel)):
            continue
        for name, info in group.model_fields.items():
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            bounds = extra.get("uncertain")
            if bounds is None:
                continue
            ann = info.annotation
            if isinstance(ann, type) and issubclass(ann, LeverPair):
                for part in PARTS:
                    out[f"{group_name}.{name}.{part}"] = {"bounds": list(bounds), "scale": False}
            else:
                spec = {"bounds": list(bounds), "scale": bool(extra.get("scale"))}
                if ann is int:
                    spec["integer"] = True  # a whole number (months): sampled values are rounded
                out[f"{group_name}.{name}"] = spec
    if "cooperation" in root.model_fields:  # the forms are a table of groups: their ranges are listed apart
        from ecosim.scenario.forms import form_uncertainties

        out.update(form_uncertainties())
    return out


def factors_toml() -> str:
    """The uncertain parameters as experiment factors (the text of ``experiments/uncertainties.toml``)."""
    lines = [
        "# The uncertain parameters of the model and their plausible ranges, as experiment factors.",
        "# Written from the scenario schema by `python -m ecosim.scenario.uncertainty`; do not edit by",
        "# hand (a test checks this file against the schema). An experiment adds them to its factors",
        '# with `uncertainties = "uncertainties.toml"`. Each part of a lever pair is sampled on its own,',
        "# so every range includes values where the transformation side is the worse one.",
        "",
    ]
    for path, spec in uncertainties().items():
        name = path.replace(".", "__")
        lines.append(f"[factors.{name}]")
        lines.append(f'path = "{path}"')
        lines.append(f"bounds = [{spec['bounds'][0]!r}, {spec['bounds'][1]!r}]")
        if spec["scale"]:
            lines.append("scale = true")
        if spec.get("integer"):
            lines.append("integer = true")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(factors_toml(), end="")
