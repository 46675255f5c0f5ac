"""Scenario files: loading, inheritance, and clear errors for bad input."""

import json
from pathlib import Path

import numpy as np
import pytest

from ecosim.scenario import Scenario, ScenarioError, load_scenario

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.toml"))


def test_all_listed_scenarios_exist():
    names = {p.stem for p in SCENARIOS}
    assert {
        "regional_default",
        "cost_control",
        "cooperative_transformation",
        "light_cooperation",
        "formal_wgr",
        "no_cuts",
        "national",
    } <= names


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_scenario_validates(path):
    s = load_scenario(path)
    assert s.name == path.stem


def test_extends_merges_only_what_differs():
    base = load_scenario(SCENARIOS[0].parent / "regional_default.toml")
    child = load_scenario(SCENARIOS[0].parent / "cost_control.toml")
    assert child.stance.initial_mean == 0.1
    assert child.geography == base.geography
    assert child.cooperation.initial_form == base.cooperation.initial_form
    assert child.cooperation.preferred_form == "none"


def write(tmp_path, text, name="s.toml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[run]\nmonthz = 3\n", r"run\.monthz: unknown key; allowed here: agent_scale, months, seed"),
        ("[run]\nmonths = 'ten'\n", r"run\.months: Input should be a valid integer"),
        ("[run]\nmonths = 0\n", r"run\.months: Input should be greater than or equal to 1"),
        ("[stance]\ninitial_mean = 1.5\n", r"stance\.initial_mean: Input should be less than or equal to 1"),
        ("[cooperation]\npreferred_form = 'merger'\n", r"cooperation\.preferred_form: Input should be 'none'"),
        ("[budget]\ncut_fraction = [0.1, 0.2]\n", r"budget\.cut_fraction: List should have at least 3 items"),
        ("[demand]\nseverity_at_onset = [0.5, 0.5, 0.5, 0.5]\n", r"severity_at_onset must sum to 1"),
        ("[geography]\nsource = 'csv'\n", r"source = 'csv' needs csv_path"),
        ("[cooperation.forms.wgr]\nsetup_monthz = 3\n", r"cooperation\.forms\.wgr\.setup_monthz: unknown key"),
        ("bogus = 1\n", r"bogus: unknown key"),
        ("[run\n", r"not valid TOML"),
    ],
)
def test_bad_files_name_the_file_the_key_and_what_is_allowed(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError, match=expected) as info:
        load_scenario(path)
    assert str(path) in str(info.value)


def test_missing_file_and_extends_loop(tmp_path):
    with pytest.raises(ScenarioError, match="no such scenario file"):
        load_scenario(tmp_path / "nope.toml")
    write(tmp_path, "extends = 'b.toml'\n", "a.toml")
    write(tmp_path, "extends = 'a.toml'\n", "b.toml")
    with pytest.raises(ScenarioError, match="loops back"):
        load_scenario(tmp_path / "a.toml")


def test_overrides_are_validated():
    s = Scenario().with_overrides({"stance.initial_mean": 0.9})
    assert s.stance.initial_mean == 0.9
    with pytest.raises(ValueError):
        Scenario().with_overrides({"stance.initial_mean": 7})
    with pytest.raises(KeyError):
        Scenario().with_overrides({"stance.nonsense": 1})


def test_dotted_paths_reach_list_elements():
    from ecosim.scenario import get_dotted, set_dotted

    data = Scenario().model_dump()
    assert get_dotted(data, "access.threshold.1") == data["access"]["threshold"][1]
    set_dotted(data, "access.threshold.0", 2.0)
    assert data["access"]["threshold"][0] == 2.0
    for bad in ("access.threshold.2", "access.threshold.x", "access.nope.0", "run.months.0"):
        with pytest.raises(KeyError):
            set_dotted(data, bad, 1.0)
    s = load_scenario(
        Path(__file__).resolve().parents[2] / "scenarios" / "regional_default.toml",
        {"access.admin_eur_per_client_month.1": 20.0},
    )
    assert s.access.admin_eur_per_client_month[1] == 20.0
    assert s.access.admin_eur_per_client_month[0] == Scenario().access.admin_eur_per_client_month[0]
    with pytest.raises(ScenarioError, match="not a scenario parameter"):
        load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "regional_default.toml", {"access.threshold.5": 1.0})


def test_odd_parameter_table_lists_every_scenario_parameter_with_its_default():
    """docs/ODD.md stays true to the code: every parameter path (forms expanded) has a row."""
    odd = (Path(__file__).resolve().parents[2] / "docs" / "ODD.md").read_text(encoding="utf-8")
    rows = {}
    for line in odd.splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows[cells[0].strip("`")] = cells[2]  # parameter, meaning, default, unit, source
    defaults = dict(paths_and_values(Scenario()))
    missing = sorted(p for p in defaults if p not in rows)
    assert not missing, f"parameters without a row in the ODD parameter table: {missing}"
    # The Default column is the code's default (to the 6 digits the table prints).
    wrong = []
    for p, value in defaults.items():
        shown = json.loads(rows[p].replace("(none)", "null"))
        if isinstance(value, list | float | int) and not isinstance(value, bool):
            if np.asarray(shown, dtype=float).shape != np.asarray(value, dtype=float).shape or not np.allclose(
                shown, value, rtol=1e-5
            ):
                wrong.append((p, rows[p], value))
        elif shown != value:
            wrong.append((p, rows[p], value))
    assert not wrong, f"ODD defaults differ from the code: {wrong}"


def paths_and_values(value, prefix=""):
    """(dotted path, default) of every scenario parameter, cooperation forms expanded."""
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from paths_and_values(getattr(value, name), f"{prefix}{name}.")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from paths_and_values(item, f"{prefix}{key}.")
    else:
        yield prefix.rstrip("."), value
