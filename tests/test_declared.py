"""One loader for declared files that name a base scenario: its errors name the file."""

from pathlib import Path

import pytest

from ecosim.calibration import CalibrationError, load_calibration
from ecosim.declared import load_with_base
from ecosim.experiment import Experiment, ExperimentError, load_experiment

ROOT = Path(__file__).resolve().parents[1]

CALIBRATION_REST = """
[parameters.x]
path = "stance.initial_mean"
bounds = [0.2, 0.8]

[targets.clients]
output = "in_care_jeugd"
stat = "mean"
year = 2015
observed = 1000.0
tolerance = 50.0
source = "test"
"""


@pytest.mark.parametrize(
    ("load", "error", "rest"),
    [(load_experiment, ExperimentError, ""), (load_calibration, CalibrationError, CALIBRATION_REST)],
    ids=["experiment", "calibration"],
)
@pytest.mark.parametrize(
    ("scenario", "problem"),
    [
        (None, r"no such scenario file"),
        ("[run]\nmonths = -1\n", r"run.months: Input should be greater than or equal to 1"),
        ("[stance]\ninitial_mea = 0.5\n", r"stance.initial_mea: unknown key"),
    ],
    ids=["missing", "invalid", "unknown-key"],
)
def test_base_scenario_errors_name_the_file_and_key(tmp_path, load, error, rest, scenario, problem):
    if scenario is not None:
        (tmp_path / "base.toml").write_text(scenario, encoding="utf-8")
    path = tmp_path / "declared.toml"
    path.write_text(f'scenario = "base.toml"\n{rest}', encoding="utf-8")
    with pytest.raises(error, match=problem) as info:
        load(path)
    assert str(info.value).startswith(f"{path}: key 'scenario': base scenario: ")
    assert str(tmp_path / "base.toml") in str(info.value)  # and the base scenario's file


def test_the_base_scenario_is_relative_to_the_file(tmp_path):
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "exp.toml"
    path.write_text('name = "rel"\nscenario = "../scenarios/regional_default.toml"\n', encoding="utf-8")
    (tmp_path / "scenarios").symlink_to(ROOT / "scenarios")
    exp, base = load_with_base(path, Experiment, "experiment", ExperimentError)
    assert exp.base_dir == str(path.resolve().parent) and base.name == "regional_default"


def test_file_errors_name_the_file(tmp_path):
    path = tmp_path / "exp.toml"
    path.write_text('scenario = "x.toml"\nreplicatons = 2\n', encoding="utf-8")
    with pytest.raises(ExperimentError, match=r"replicatons: unknown key") as info:
        load_with_base(path, Experiment, "experiment", ExperimentError)
    assert str(info.value).startswith(str(path))
    with pytest.raises(ExperimentError, match="no such experiment file"):
        load_with_base(tmp_path / "nope.toml", Experiment, "experiment", ExperimentError)
