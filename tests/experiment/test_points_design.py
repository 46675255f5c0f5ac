"""The 'points' design: given parameter sets from a CSV, each run at every level of the factors."""

from pathlib import Path

import pytest

from ecosim.experiment import ExperimentError, load_experiment
from ecosim.experiment.design import design_size, expand

ROOT = Path(__file__).resolve().parents[2]
BASE = (ROOT / "scenarios" / "regional_default.toml").as_posix()
CALIBRATION = (ROOT / "calibration" / "baseline_2015.toml").as_posix()

COLUMNS = f"""
name = "points"
scenario = "{BASE}"
months = 2

[design]
method = "points"
points = "sets.csv"
columns = ["demand.incidence_per_1000_year[1]", "providers.client_admin_ratio"]
id_column = "id"
weight_column = "w"

[factors.stance]
path = "stance.initial_mean"
values = [0.1, 0.9]
"""


def _write(tmp_path: Path, text: str, csv: str) -> Path:
    (tmp_path / "sets.csv").write_text(csv, encoding="utf-8")
    path = tmp_path / "exp.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_row_at_every_level_with_its_labels(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        COLUMNS,
        "id,w,demand.incidence_per_1000_year[1],providers.client_admin_ratio,other\n"
        "a,0.25,30.0,0.2,9\nb,0.75,50.0,0.4,9\nc,0.0,40.0,0.3,9\n",
    )
    exp, base = load_experiment(path)
    specs = expand(exp, base)
    assert design_size(exp) == len(specs) == 3 * 2
    incidence = base.demand.incidence_per_1000_year
    for s in specs:
        row = {"a": (30.0, 0.2, 0.25), "b": (50.0, 0.4, 0.75), "c": (40.0, 0.3, 0.0)}[s.labels["point_set"]]
        # One element of the list is set, the others keep the base scenario's values.
        assert s.overrides["demand.incidence_per_1000_year"] == [incidence[0], row[0], incidence[2]]
        assert s.overrides["providers.client_admin_ratio"] == row[1]
        assert s.labels["point_weight"] == row[2]
        assert s.scenario["providers"]["client_admin_ratio"] == row[1]
    # Each set meets each level once; one seed for all (common random numbers).
    assert sorted((s.labels["point_set"], s.labels["stance"]) for s in specs) == sorted(
        (p, lv) for p in "abc" for lv in ("0.1", "0.9")
    )
    assert len({s.seed for s in specs}) == 1


def test_calibration_parameters_name_the_columns(tmp_path: Path) -> None:
    """A calibration's accepted sets map to the scenario as the calibration mapped them (index, scale_of)."""
    text = COLUMNS.replace(
        'columns = ["demand.incidence_per_1000_year[1]", "providers.client_admin_ratio"]',
        f'calibration = "{CALIBRATION}"',
    )
    csv = (
        "id,w,incidence_jeugd,incidence_wmo,incidence_participatie,recovery_scale,light_cost_jeugd,admin_load,cut_pass_on\n"
        "p0,1.0,15.0,40.0,9.0,2.0,130.0,0.3,0.7\n"
    )
    exp, base = load_experiment(_write(tmp_path, text, csv))
    s = expand(exp, base)[0]
    assert s.overrides["demand.incidence_per_1000_year"] == [15.0, 40.0, 9.0]
    assert s.overrides["care.improve_prob"] == pytest.approx([0.2, 0.14, 0.1, 0.08])  # 2 x the calibration's scale_of
    assert s.overrides["care.light_cost_eur_month"][0] == 130.0
    assert s.labels["recovery_scale"] == 2.0
    assert s.overrides["indication.cut_pass_on"] == 0.7


@pytest.mark.parametrize(
    ("change", "csv", "match"),
    [
        ({}, "id,w,demand.incidence_per_1000_year[1]\na,1,3\n", r"no column\(s\) \['providers.client_admin_ratio'\]"),
        ({'points = "sets.csv"\n': ""}, "id\n", "goes with method 'points'"),
        ({'"providers.client_admin_ratio"]': '"providers.no_such"]'}, "id,w\na,1\n", "design.columns"),
        ({}, "id,w,demand.incidence_per_1000_year[1],providers.client_admin_ratio\n", "has no rows"),
        (
            {"[factors.stance]": "[factors.point_set]"},
            "id,w,demand.incidence_per_1000_year[1],providers.client_admin_ratio\na,1,3,0.2\n",
            "names of the parameter sets' labels",
        ),
    ],
)
def test_bad_points_designs_are_refused(tmp_path: Path, change: dict, csv: str, match: str) -> None:
    text = COLUMNS
    for old, new in change.items():
        text = text.replace(old, new)
    with pytest.raises(ExperimentError, match=match):
        load_experiment(_write(tmp_path, text, csv))


@pytest.mark.parametrize("name", ["region_amsterdam", "region_achterhoek"])
def test_region_experiments_run_the_posterior(name: str) -> None:
    """The committed region experiments: every accepted posterior set at every strategy and form."""
    exp, base = load_experiment(ROOT / "experiments" / f"{name}.toml")
    accepted = (ROOT / "results" / "calibration_baseline_2015" / "accepted.csv").read_text().strip().splitlines()
    assert design_size(exp) == (len(accepted) - 1) * 3 * 3
    assert set(exp.outputs.municipal) >= {"spending", "budget", "unmet", "waiting", "burden"}
