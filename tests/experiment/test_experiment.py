"""The experiment runner: designs, seeds, resume after SIGKILL, failures, Dask, bad files."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecosim.experiment import ExperimentError, expand, load_experiment, sweep
from ecosim.experiment.design import replication_seeds

ROOT = Path(__file__).resolve().parents[2]
BASE = (ROOT / "scenarios" / "regional_default.toml").as_posix()

SMALL = f"""
name = "small"
scenario = "{BASE}"
months = {{months}}
replications = {{reps}}
root_seed = 7

[factors.size.levels.tiny]
"geography.n_municipalities" = 3
"geography.mean_population" = 8_000

[factors.stance]
path = "stance.initial_mean"
values = [0.1, 0.9]
labels = ["control", "transformation"]
"""


def write_experiment(tmp_path, text, name="exp.toml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def small(tmp_path, months=6, reps=2, extra=""):
    return write_experiment(tmp_path, SMALL.format(months=months, reps=reps) + extra)


def test_grid_expands_factors_times_replications_with_common_seeds(tmp_path):
    exp, base = load_experiment(small(tmp_path, reps=3))
    specs = expand(exp, base)
    assert len(specs) == 2 * 3
    by_point = {}
    for s in specs:
        by_point.setdefault(s.point, []).append(s.seed)
    assert by_point[0] == by_point[1] == replication_seeds(7, 3)
    assert len(set(by_point[0])) == 3
    assert {s.labels["stance"] for s in specs} == {"control", "transformation"}


def test_seeds_come_from_seedsequence():
    expected = [int(c.generate_state(1, dtype=np.uint32)[0]) for c in np.random.SeedSequence(11).spawn(4)]
    assert replication_seeds(11, 4) == expected
    assert replication_seeds(11, 2) == expected[:2]


def test_latin_hypercube_has_one_point_per_stratum(tmp_path):
    text = f"""
scenario = "{BASE}"
replications = 1
[design]
method = "lhs"
samples = 8
[factors.a]
path = "stance.initial_mean"
bounds = [0.0, 1.0]
[factors.b]
path = "escalation.unmet_gain"
bounds = [0.0, 0.4]
"""
    exp, base = load_experiment(write_experiment(tmp_path, text))
    specs = expand(exp, base)
    a = np.array([s.overrides["stance.initial_mean"] for s in specs])
    b = np.array([s.overrides["escalation.unmet_gain"] for s in specs])
    assert sorted(np.floor(a * 8).astype(int)) == list(range(8))
    assert sorted(np.floor(b / 0.4 * 8).astype(int)) == list(range(8))


def test_latin_hypercube_is_scipys(tmp_path):
    from scipy.stats import qmc

    from ecosim.experiment.design import sample_matrix

    text = f"""
scenario = "{BASE}"
[design]
method = "lhs"
samples = 6
[factors.a]
path = "stance.initial_mean"
bounds = [0.0, 1.0]
[factors.b]
path = "escalation.unmet_gain"
bounds = [0.0, 0.4]
"""
    exp, _ = load_experiment(write_experiment(tmp_path, text))
    unit = qmc.LatinHypercube(d=2, rng=np.random.default_rng(exp.root_seed)).random(6)
    np.testing.assert_allclose(sample_matrix(exp), unit * [1.0, 0.4])


def test_one_at_a_time_varies_one_factor_per_point(tmp_path):
    text = f"""
scenario = "{BASE}"
[design]
method = "oat"
[factors.a]
path = "stance.initial_mean"
values = [0.2, 0.8]
[factors.b]
path = "escalation.unmet_gain"
values = [0.0]
[factors.c]
path = "escalation.base_prob"
values = [0.5]
scale = true
"""
    exp, base = load_experiment(write_experiment(tmp_path, text))
    specs = expand(exp, base)
    assert [len(s.overrides) for s in specs] == [0, 1, 1, 1, 1]
    assert specs[-1].overrides["escalation.base_prob"] == pytest.approx([0.5 * x for x in base.escalation.base_prob])
    assert specs[0].scenario["escalation"]["base_prob"] == base.escalation.base_prob


def test_list_elements_and_scaled_factors_set_what_they_name(tmp_path):
    # Index 1 of a lever pair is its transformation value; a scale factor multiplies the base list.
    text = f"""
scenario = "{BASE}"
[design]
method = "lhs"
samples = 4
[factors.assessment_tr]
path = "access.admin_eur_per_assessment.1"
bounds = [250.0, 600.0]
[factors.escalation]
path = "escalation.base_prob"
bounds = [0.0, 2.0]
scale = true
"""
    exp, base = load_experiment(write_experiment(tmp_path, text))
    specs = expand(exp, base)
    assert len(specs) == 4
    for s in specs:
        sc = s.scenario
        assert sc["access"]["admin_eur_per_assessment"][0] == base.access.admin_eur_per_assessment[0]
        assert sc["access"]["admin_eur_per_assessment"][1] == s.labels["assessment_tr"]
        m = s.labels["escalation"]
        assert 0.0 <= m <= 2.0
        assert sc["escalation"]["base_prob"] == pytest.approx([m * x for x in base.escalation.base_prob])


def test_lever_pair_parts_by_name_in_factors_and_levels(tmp_path):
    # ".control"/".transformation" name the parts of a lever pair, like ".0"/".1": same runs, same run ids.
    from ecosim.experiment.runner import run_id

    def specs_for(control, transformation):
        text = f"""
scenario = "{BASE}"
months = 3
[factors.assessment]
path = "access.admin_eur_per_assessment.{transformation}"
values = [300.0, 500.0]
[factors.explore.levels.eager]
"cooperation.propensity.{control}" = 0.2
[factors.prevention]
path = "prevention.spend_eur_per_inhabitant_year.{control}"
values = [0.5, 2.0]
scale = true
"""
        exp, base = load_experiment(write_experiment(tmp_path, text, f"exp_{control}.toml"))
        return expand(exp, base), base

    named, base = specs_for("control", "transformation")
    indexed, _ = specs_for("0", "1")
    assert len(named) == len(indexed) == 4
    for a, b in zip(named, indexed, strict=True):
        assert a.scenario == b.scenario and a.labels == b.labels and run_id(a) == run_id(b)
        sc = a.scenario
        assert sc["access"]["admin_eur_per_assessment"] == [base.access.admin_eur_per_assessment[0], float(a.labels["assessment"])]
        assert sc["cooperation"]["propensity"] == [0.2, base.cooperation.propensity.transformation]
        spend = base.prevention.spend_eur_per_inhabitant_year
        assert sc["prevention"]["spend_eur_per_inhabitant_year"] == [float(a.labels["prevention"]) * spend[0], spend[1]]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('scenario = "{b}"\nreplicatons = 2\n', r"replicatons: unknown key"),
        (
            'scenario = "{b}"\n[factors.x]\npath = "access.threshold.2"\nvalues = [1.0]\n',
            r"'access.threshold.2' is not a scenario parameter",
        ),
        (
            'scenario = "{b}"\n[factors.x]\npath = "access.threshold.middle"\nvalues = [1.0]\n',
            r"'access.threshold.middle' is not a scenario parameter",
        ),
        (
            'scenario = "{b}"\n[factors.x]\npath = "geography.source"\nvalues = [2.0]\nscale = true\n',
            r"'scale' needs a number or a list of numbers",
        ),
        (
            'scenario = "{b}"\n[factors.x]\npath = "escalation.base_prob"\nvalues = [100.0]\nscale = true\n',
            r"escalation.base_prob.0: Input should be less than or equal to 1",
        ),
        (
            'scenario = "{b}"\n[factors.x]\npath = "stance.nope"\nvalues = [1]\n',
            r"'stance.nope' is not a scenario parameter",
        ),
        (
            'scenario = "{b}"\n[factors.x]\npath = "stance.initial_mean"\nvalues = [7.0]\n',
            r"stance.initial_mean: Input should be less than or equal to 1",
        ),
        (
            'scenario = "{b}"\n[design]\nmethod = "lhs"\n[factors.x]\npath = "stance.initial_mean"\nvalues = [0.1]\n',
            r"needs 'bounds'",
        ),
        ('scenario = "{b}"\n[design]\nmethod = "sobolx"\n', r"design.method"),
        ('scenario = "{b}"\n[outputs]\nscalars = ["happiness"]\n', r"outputs.scalars: 'happiness' is not a scalar output"),
        (
            'scenario = "{b}"\n[outputs]\nseries = ["spendng"]\n',
            r"outputs.series: 'spendng' is not a monthly output; did you mean 'spending'\?",
        ),
        ('scenario = "missing.toml"\n', r"base scenario: .*no such scenario file"),
        ('scenario = "{b}"\nreplications = 0\n', r"replications: Input should be greater than or equal to 1"),
    ],
)
def test_bad_experiment_files_are_rejected_clearly(tmp_path, body, expected):
    path = write_experiment(tmp_path, body.format(b=BASE))
    with pytest.raises(ExperimentError, match=expected):
        load_experiment(path)


def test_sweep_writes_results_and_resumes_without_recomputing(tmp_path):
    exp = small(tmp_path)
    out = tmp_path / "out"
    first = sweep(exp, out, workers=2, progress=False)
    assert (first.total, first.computed, first.failed) == (4, 4, 0)
    runs = pd.read_parquet(out / "runs.parquet")
    series = pd.read_parquet(out / "series.parquet")
    assert len(runs) == 4 and {"run_id", "seed", "factor_stance", "total_spending", "burden_total"} <= set(runs)
    assert list(series.columns) == ["run_id", "month", "variable", "value"]
    assert set(series["month"]) == set(range(6))
    manifest = (out / "manifest.json").read_text()
    assert '"mesa_version": "3.5.1"' in manifest and '"finished"' in manifest
    env = json.loads(manifest)["environment"]
    assert env["platform"] and env["versions"]["numpy"] and env["versions"]["SALib"]
    mtimes = {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("*.parquet")}
    again = sweep(exp, out, workers=2, progress=False)
    assert (again.skipped, again.computed) == (4, 0)
    assert mtimes == {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("*.parquet")}
    pd.testing.assert_frame_equal(runs, pd.read_parquet(out / "runs.parquet"))


def test_damaged_run_file_is_recomputed(tmp_path):
    exp = small(tmp_path, reps=1)
    out = tmp_path / "out"
    sweep(exp, out, workers=1, progress=False)
    victim = sorted((out / "runs").glob("*.parquet"))[0]
    victim.write_bytes(b"not parquet")
    again = sweep(exp, out, workers=1, progress=False)
    assert (again.skipped, again.computed) == (1, 1)


def test_a_failing_run_is_isolated_and_reported(tmp_path, monkeypatch, capsys):
    extra = """
[factors.map.levels.synthetic]
"geography.source" = "synthetic"
[factors.map.levels.broken_csv]
"geography.source" = "csv"
"geography.csv_path" = "does_not_exist.csv"
"""
    exp = small(tmp_path, reps=1, extra=extra)
    with pytest.raises(ExperimentError, match="does_not_exist.csv"):  # validation finds it before any run
        load_experiment(exp)
    # A run that fails anyway (as if the file vanished after validation) is isolated.
    import ecosim.experiment.design as design

    monkeypatch.setattr(design, "check_runnable", lambda scenario, where: 0)
    out = tmp_path / "out"
    s = sweep(exp, out, workers=2, progress=False)
    assert (s.total, s.computed, s.failed) == (4, 2, 2)
    failures = list((out / "failures").glob("*.txt"))
    assert len(failures) == 2
    text = failures[0].read_text()
    assert "Traceback" in text and "does_not_exist.csv" in text and "broken_csv" in text
    assert len(pd.read_parquet(out / "runs.parquet")) == 2
    from ecosim.cli import main

    assert main(["sweep", str(exp), "--out", str(out), "--quiet"]) == 1
    assert "2 failed" in capsys.readouterr().out


def test_sigkill_mid_sweep_loses_only_runs_in_flight(tmp_path):
    exp = small(tmp_path, months=24, reps=6)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "ecosim.cli", "sweep", str(exp), "--out", str(out), "--workers", "1", "--quiet"],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 120
    while time.time() < deadline and len(list((out / "runs").glob("*.parquet"))) < 3:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("*.parquet")}
    assert 3 <= len(done) < 12, "the sweep should have been killed part way"
    resumed = sweep(exp, out, workers=2, progress=False)
    assert resumed.skipped == len(done)
    assert resumed.computed == 12 - len(done)
    for name, mtime in done.items():
        assert (out / "runs" / name).stat().st_mtime_ns == mtime, "a finished run was computed again"
    reference = sweep(exp, tmp_path / "clean", workers=2, progress=False)
    assert reference.computed == 12
    pd.testing.assert_frame_equal(
        pd.read_parquet(out / "runs.parquet").sort_values("run_id").reset_index(drop=True),
        pd.read_parquet(tmp_path / "clean" / "runs.parquet").sort_values("run_id").reset_index(drop=True),
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dask_cluster(tmp_path):
    """A real Dask cluster on loopback: one scheduler and two single-threaded worker processes."""
    dask = shutil.which("dask", path=str(Path(sys.executable).parent)) or shutil.which("dask")
    if dask is None:
        pytest.fail("the 'dask' command is missing: install ecosim with its dependencies")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    procs = [
        subprocess.Popen(
            [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    ]
    time.sleep(1.0)
    for i in range(2):
        procs.append(
            subprocess.Popen(
                [
                    dask,
                    "worker",
                    address,
                    "--nthreads",
                    "1",
                    "--nworkers",
                    "1",
                    "--no-dashboard",
                    "--name",
                    f"w{i}",
                    "--local-directory",
                    str(tmp_path / f"w{i}"),
                ],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
    from distributed import Client

    with Client(address, timeout="30s") as client:
        client.wait_for_workers(2, timeout=60)
    try:
        yield address, procs
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


def _sorted_runs(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder / "runs.parquet").sort_values("run_id").reset_index(drop=True)


@pytest.mark.slow
def test_dask_cluster_gives_identical_results_even_when_a_worker_dies(tmp_path, dask_cluster):
    address, procs = dask_cluster
    exp = small(tmp_path, months=12, reps=3)
    local = sweep(exp, tmp_path / "local", workers=2, progress=False)
    assert local.computed == 6
    on_dask = sweep(exp, tmp_path / "dask", scheduler=address, progress=False)
    assert on_dask.computed == 6
    pd.testing.assert_frame_equal(_sorted_runs(tmp_path / "local"), _sorted_runs(tmp_path / "dask"))

    # Kill one worker while a longer sweep is under way: the other finishes the work.
    exp_long = small(tmp_path, months=60, reps=6)
    at_kill: list[int] = []
    import threading

    def kill_a_worker() -> None:
        runs = tmp_path / "dask_kill" / "runs"
        deadline = time.time() + 60
        while time.time() < deadline and not list(runs.glob("*.parquet")):
            time.sleep(0.05)
        at_kill.append(len(list(runs.glob("*.parquet"))))
        os.killpg(procs[1].pid, signal.SIGKILL)

    killer = threading.Thread(target=kill_a_worker)
    killer.start()
    killed = sweep(exp_long, tmp_path / "dask_kill", scheduler=address, progress=False)
    killer.join()
    assert procs[1].poll() is not None and at_kill[0] < 12, "the worker should die during the sweep"
    assert killed.failed == 0 and killed.computed == 12
    sweep(exp_long, tmp_path / "local_long", workers=2, progress=False)
    pd.testing.assert_frame_equal(_sorted_runs(tmp_path / "local_long"), _sorted_runs(tmp_path / "dask_kill"))


def test_unknown_experiment_key_lists_the_experiment_keys(tmp_path):
    path = write_experiment(tmp_path, f'scenario = "{BASE}"\n[factors.x]\npath = "stance.initial_mean"\nvalus = [1]\n')
    with pytest.raises(ExperimentError, match=r"factors\.x\.valus: unknown key; allowed here: bounds, integer, labels"):
        load_experiment(path)
