"""The command line: outputs, exit codes, help."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ecosim.cli import main

ROOT = Path(__file__).parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))


def test_run_writes_every_output(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["run", str(ROOT / "scenarios/regional_default.toml"), "--months", "6", "--seed", "3",
                 "--out", str(out)])
    assert code == 0
    model = pd.read_parquet(out / "model.parquet")
    munis = pd.read_parquet(out / "municipalities.parquet")
    assert list(model["month"]) == list(range(6))
    assert len(munis) == 6 * 13
    for col in ("spending", "spending_per_inhabitant", "balance", "reserves", "admin_share", "in_care",
                "waiting", "refused", "unmet", "mean_wait_months", "escalations", "recoveries", "burden",
                "provider_failures", "market_hhi", "arrangements", "mean_trust",
                "gap_burden_per_1000", "spending_jeugd", "spending_wmo", "spending_participatie"):
        assert col in model.columns, col
    meta = json.loads((out / "run.json").read_text())
    assert meta["seed"] == 3 and meta["months"] == 6
    assert meta["mesa_version"] == "3.5.1"
    env = meta["environment"]
    assert env["platform"] and env["python"]
    for name in ("numpy", "pandas", "scipy", "pyarrow", "SALib", "mesa", "solara", "pydantic", "dask", "ema_workbench"):
        assert env["versions"][name], name  # all installed here
    assert meta["scenario"]["name"] == "regional_default"
    assert len(list((out / "figures").glob("*.png"))) >= 4
    assert "in care" in capsys.readouterr().out


def test_run_writes_csv_with_a_columns_file(tmp_path):
    out = tmp_path / "out"
    code = main(["run", str(ROOT / "scenarios/regional_default.toml"), "--months", "2", "--seed", "3",
                 "--out", str(out), "--format", "csv", "--quiet"])
    assert code == 0
    model = pd.read_csv(out / "model.csv")
    assert list(model["month"]) == [0, 1] and "spending" in model
    assert len(pd.read_csv(out / "municipalities.csv")) == 2 * 13
    columns = pd.read_csv(out / "columns.csv").set_index(["file", "column"])
    assert columns.loc[("model.csv", "spending"), "unit"] == "EUR/month"
    assert set(model.columns) == set(columns.loc["model.csv"].index)
    assert not (out / "model.parquet").exists()


@pytest.mark.slow
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_scenario_runs(tmp_path, path):
    assert main(["run", str(path), "--months", "2", "--out", str(tmp_path), "--quiet"]) == 0
    assert len(pd.read_parquet(tmp_path / "model.parquet")) == 2


def test_bad_scenario_exits_2_without_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[run]\nmonths = -1\n")
    proc = subprocess.run([sys.executable, "-m", "ecosim.cli", "run", str(bad), "--out", str(tmp_path)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "run.months" in proc.stderr and "bad.toml" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_validate_reports_good_and_bad(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[access]\nthreshold = 'high'\n")
    assert main(["validate", str(ROOT / "scenarios/no_cuts.toml")]) == 0
    assert main(["validate", str(ROOT / "scenarios/no_cuts.toml"), str(bad)]) == 2
    assert "access.threshold" in capsys.readouterr().err


def test_bad_option_values_exit_2(tmp_path):
    assert main(["run", str(ROOT / "scenarios/no_cuts.toml"), "--months", "0", "--out", str(tmp_path)]) == 2
    with pytest.raises(SystemExit) as info:
        main(["run"])
    assert info.value.code == 2


def test_help_explains_every_option(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    text = capsys.readouterr().out
    for option in ("--months", "--seed", "--out", "--quiet"):
        assert option in text


def test_csv_geography_runs_and_bad_csv_exits_2(tmp_path):
    csv = tmp_path / "munis.csv"
    csv.write_text(
        "name,population,x,y,region\n"
        "Aa,12000,0,0,North\nBb,45000,10,0,North\nCc,80000,5,9,North\nDd,20000,15,12,South\nEe,30000,25,3,South\n"
    )
    scen = tmp_path / "real.toml"
    scen.write_text(f"extends = '{ROOT / 'scenarios/regional_default.toml'}'\n[geography]\nsource = 'csv'\n"
                    "csv_path = 'munis.csv'\n")
    out = tmp_path / "out"
    assert main(["run", str(scen), "--months", "3", "--out", str(out), "--quiet"]) == 0
    munis = pd.read_parquet(out / "municipalities.parquet")
    assert set(munis["name"]) == {"Aa", "Bb", "Cc", "Dd", "Ee"}
    assert sorted(munis["region"].unique()) == [0, 1]
    csv.write_text("name,population,x,y,region\nAa,-5,0,0,North\n")
    assert main(["run", str(scen), "--months", "3", "--out", str(out), "--quiet"]) == 2


def test_validate_checks_experiments_too(tmp_path, capsys):
    assert main(["validate", str(ROOT / "experiments/cost_control_vs_transformation_quick.toml")]) == 0
    assert "54 runs" in capsys.readouterr().out
    bad = tmp_path / "exp.toml"
    bad.write_text(f"scenario = '{(ROOT / 'scenarios/no_cuts.toml').as_posix()}'\n[factors.x]\npath = 'nope.x'\nvalues = [1]\n")
    assert main(["validate", str(bad)]) == 2
    assert "'nope.x' is not a scenario parameter" in capsys.readouterr().err


def test_source_modified_tells_whether_a_result_can_be_repeated_from_its_commit(tmp_path):
    import os
    import subprocess

    from ecosim.outputs.files import git_commit, source_modified

    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "model.py").write_text("x = 1\n")
    assert source_modified(pkg) is None and git_commit(pkg) is None  # not a checkout
    for cmd in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-q", "-m", "m"]):
        subprocess.run(cmd, cwd=tmp_path, check=True, env={**os.environ, **env})
    assert source_modified(pkg) is False and len(git_commit(pkg)) == 40
    (tmp_path / "notes.txt").write_text("untracked, outside the package\n")
    assert source_modified(pkg) is False
    (pkg / "model.py").write_text("x = 2\n")
    assert source_modified(pkg) is True
