"""Issue 16, item 6: one validation path, before any run, for validate, run, sweep and calibrate.

Non-finite numbers are refused everywhere; checks a run would otherwise make first (the map,
mean below minimum population, a missing geography CSV) and factors the runner overrides
(run.months, run.seed) are found by validation, with exit 2 and the file named.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ecosim.cli import main

sys.path.insert(0, str(Path(__file__).parent))
from _helpers import BASE, TINY  # noqa: E402

SCENARIOS = {
    "nan": "[stance]\ninitial_mean = nan\n",
    "inf_population": "[geography]\nmean_population = inf\n",
    "below_min": "[geography]\nmean_population = 500\nmin_population = 1000\n",
    "huge_population": "[geography]\nmean_population = 1e20\n",
    "missing_csv": "[geography]\nsource = 'csv'\ncsv_path = 'nowhere.csv'\n",
    "inf_list": "[budget]\nbudget_2015_eur = [inf, 1.0, 1.0]\n",
    "nan_lever_pair": "[access]\nthreshold = [nan, 1.0]\n",
    "inf_lever_part": "[access.threshold]\ncontrol = 0.5\ntransformation = inf\n",
}

EXPERIMENTS = {
    "factor_on_months": '[factors.m]\npath = "run.months"\nvalues = [3, 6]\n',
    "factor_on_seed": '[factors.s]\npath = "run.seed"\nvalues = [1, 2]\n',
    "nan_value": '[factors.x]\npath = "access.assessment_noise_sd"\nvalues = [nan]\n',
    "missing_csv_level": '[factors.map.levels.bad]\n"geography.source" = "csv"\n"geography.csv_path" = "gone.csv"\n',
}

CALIBRATION = f"""
scenario = "{BASE}"
months = 13
[method]
particles = 8
generations = 1
name = "abc-rejection"
[parameters.inc]
path = "demand.incidence_per_1000_year"
index = 0
bounds = [8.0, 26.0]
[targets.clients]
output = "in_care"
stat = "value"
month = 12
observed = {{observed}}
tolerance = 100.0
source = "test"
"""


def _scenario(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "bad.toml"
    p.write_text(f'extends = "{BASE}"\n[run]\nmonths = 2\n{body}', encoding="utf-8")
    return p


@pytest.mark.parametrize("case", sorted(SCENARIOS))
def test_bad_scenarios_are_refused_by_validate_and_run(tmp_path, capsys, case):
    path = _scenario(tmp_path, SCENARIOS[case])
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "bad.toml" in err and "Traceback" not in err
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out), "--quiet"]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert not (out / "model.parquet").exists()


@pytest.mark.parametrize("case", sorted(EXPERIMENTS))
def test_bad_experiments_are_refused_by_validate_and_sweep(tmp_path, capsys, case):
    path = tmp_path / "exp.toml"
    path.write_text(TINY.format(months=2, reps=1) + EXPERIMENTS[case], encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "exp.toml" in err and "Traceback" not in err
    assert main(["sweep", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert not list((tmp_path / "out").glob("runs/*.parquet"))


def test_non_finite_bounds_are_refused(tmp_path, capsys):
    path = tmp_path / "exp.toml"
    path.write_text(
        f'scenario = "{BASE}"\n[design]\nmethod = "lhs"\n[factors.x]\npath = "stance.initial_mean"\nbounds = [0.0, inf]\n'
    )
    assert main(["validate", str(path)]) == 2
    assert "exp.toml" in capsys.readouterr().err


@pytest.mark.parametrize("observed", ["nan", "inf"])
def test_calibration_with_non_finite_observed_is_refused(tmp_path, capsys, observed):
    path = tmp_path / "cal.toml"
    path.write_text(CALIBRATION.format(observed=observed), encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    assert "cal.toml" in capsys.readouterr().err
    assert main(["calibrate", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "cal.toml" in err and "Traceback" not in err and "failures" not in err


def test_calibration_parameter_on_run_seed_is_refused(tmp_path, capsys):
    path = tmp_path / "cal.toml"
    body = CALIBRATION.format(observed=1000.0).replace(
        '[parameters.inc]\npath = "demand.incidence_per_1000_year"\nindex = 0\n', '[parameters.inc]\npath = "run.seed"\n'
    )
    path.write_text(body, encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    assert "run.seed" in capsys.readouterr().err


@pytest.mark.parametrize("path", ["run.months", "run.seed"])
def test_factor_file_on_a_runner_set_path_is_refused(tmp_path, capsys, path):
    factors = tmp_path / "uncertainties.toml"
    factors.write_text(f'[factors.x]\npath = "{path}"\nvalues = [1, 2]\n', encoding="utf-8")
    assert main(["validate", str(factors)]) == 2
    err = capsys.readouterr().err
    assert "uncertainties.toml" in err and path in err and "Traceback" not in err
