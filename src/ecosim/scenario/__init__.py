"""The scenario: every parameter of the model, typed, validated and loaded from TOML.

- :mod:`~ecosim.scenario.schema`: the parameter groups and :class:`Scenario`;
- :mod:`~ecosim.scenario.levers`: lever pairs, a value under cost control and one under transformation;
- :mod:`~ecosim.scenario.forms`: the cooperation forms and their names;
- :mod:`~ecosim.scenario.paths`: dotted paths into a scenario (``"access.threshold.control"``);
- :mod:`~ecosim.scenario.loading`: reading TOML files, ``extends``, overrides and error messages.
"""

from ecosim.scenario.base import DOMAINS, SEVERITIES
from ecosim.scenario.forms import FORM_NAMES, JOINT_FORM_NAMES, Form, FormName, FormParams
from ecosim.scenario.levers import PARTS, LeverPair
from ecosim.scenario.loading import (
    ScenarioError,
    UnknownParameterError,
    allowed_keys,
    format_errors,
    load_declared,
    load_scenario,
    read_toml,
)
from ecosim.scenario.paths import canonical_path, get_dotted, parameter_value, set_dotted
from ecosim.scenario.schema import BudgetParams, Scenario

__all__ = [
    "DOMAINS",
    "FORM_NAMES",
    "JOINT_FORM_NAMES",
    "PARTS",
    "SEVERITIES",
    "BudgetParams",
    "Form",
    "FormName",
    "FormParams",
    "LeverPair",
    "Scenario",
    "ScenarioError",
    "UnknownParameterError",
    "allowed_keys",
    "canonical_path",
    "format_errors",
    "get_dotted",
    "load_declared",
    "load_scenario",
    "parameter_value",
    "read_toml",
    "set_dotted",
]
