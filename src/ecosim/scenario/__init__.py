"""The scenario: every parameter of the model, typed, validated and loaded from TOML."""

from ecosim.scenario.schema import (
    DOMAINS,
    FORM_NAMES,
    SEVERITIES,
    BudgetParams,
    Form,
    FormParams,
    Scenario,
    ScenarioError,
    allowed_keys,
    format_errors,
    get_dotted,
    load_declared,
    load_scenario,
    parameter_value,
    read_toml,
    set_dotted,
)

__all__ = [
    "DOMAINS",
    "FORM_NAMES",
    "SEVERITIES",
    "BudgetParams",
    "Form",
    "FormParams",
    "Scenario",
    "ScenarioError",
    "allowed_keys",
    "format_errors",
    "get_dotted",
    "load_declared",
    "load_scenario",
    "parameter_value",
    "read_toml",
    "set_dotted",
]
