"""Calibration: ABC recovers parameters from the model's own output; bad files are rejected clearly."""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ecosim
from ecosim.calibration import CalibrationError, abc, calibrate, load_calibration
from ecosim.calibration.run import prior_sample, toml_value
from ecosim.calibration.spec import Target
from ecosim.calibration.targets import distance, statistic
from ecosim.errors import InputError

TINY_SCENARIO = """\
name = "tiny"
description = "Six small municipalities in one region, for calibration tests."
[run]
months = 24
[geography]
n_municipalities = 6
n_regions = 1
mean_population = 20000
[providers]
# A market of two or three providers per domain: near-equal costs and qualities, so that the noise
# left is that of citizens (about 1.5 %), not of drawing two providers (up to 10 %).
cost_sd = 0.02
quality_sd = 0.02
# Per-contract admin is spread over a provider's places, so unequal provider sizes would make
# prices differ by seed: leave it out here (admin per client stays).
admin_eur_per_contract_month = 0.0
[entry]
# No newcomers either: how many enter and how big they are would add noise of the market too.
rate = 0.0
"""

TRUTH = {"incidence_jeugd": 18.0, "cost_jeugd": 179.7}
"""The parameters the synthetic data are generated with (the defaults of the scenario)."""

PARAMETERS = """\
[parameters.incidence_jeugd]
path = "demand.incidence_per_1000_year"
index = 0
bounds = [10.0, 30.0]

[parameters.cost_jeugd]
path = "care.light_cost_eur_month"
index = 0
bounds = [150.0, 400.0]
"""


def _observed(tmp_path: Path) -> dict[str, float]:
    """Synthetic 'observations': the tiny scenario at the true parameters, averaged over three seeds no
    calibration run uses (the model's expected value at the truth, not one noisy draw of it)."""
    scenario = ecosim.load_scenario(tmp_path / "tiny.toml")
    clients, spending = [], []
    for seed in (987_654, 987_655, 987_656):
        df = ecosim.run(scenario, months=24, seed=seed).model_df
        y = df[df["year"] == 2016]
        clients.append(float(y["in_care_jeugd"].mean()))
        spending.append(float(y["spending_jeugd"].sum()))
    return {"clients": float(np.mean(clients)), "spending": float(np.mean(spending))}


def _write(tmp_path: Path, body: str, name: str = "cal.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A folder with the tiny scenario in it."""
    (tmp_path / "tiny.toml").write_text(TINY_SCENARIO, encoding="utf-8")
    return tmp_path


def _calibration(tmp_path: Path, obs: dict[str, float], method: str) -> Path:
    return _write(
        tmp_path,
        f"""\
name = "recovery"
scenario = "tiny.toml"
{method}

{PARAMETERS}
[targets.clients]
output = "in_care_jeugd"
stat = "mean"
year = 2016
observed = {obs["clients"]!r}
tolerance = {0.05 * obs["clients"]!r}
source = "the model itself at incidence 18, light cost 179.7"

[targets.spending]
output = "spending_jeugd"
stat = "sum"
year = 2016
observed = {obs["spending"]!r}
tolerance = {0.05 * obs["spending"]!r}
source = "the model itself at incidence 18, light cost 179.7"

[targets.clients_2015]
output = "in_care_jeugd"
stat = "value"
month = 11
observed = 1.0
tolerance = 1.0
source = "reported only"
fit = false
""",
    )


def test_abc_smc_recovers_known_parameters(tiny: Path) -> None:
    """Data made by the model at known parameters: the truth lies in the posterior's 90 % interval."""
    obs = _observed(tiny)
    method = """\
[method]
name = "abc-smc"
particles = 32
accept_fraction = 0.25
generations = 3
min_acceptance = 0.0
root_seed = 7
check_replications = 2
"""
    out = tiny / "out"
    result = calibrate(_calibration(tiny, obs, method), out, workers=2, progress=False)

    est = result.estimate.set_index("parameter")
    for name, truth in TRUTH.items():
        low, high = est.loc[name, "q05"], est.loc[name, "q95"]
        assert low <= truth <= high, f"{name}: truth {truth} outside 90 % interval [{low:.4g}, {high:.4g}]"
        # and the data were informative: the interval is much narrower than the prior
        lo, hi = est.loc[name, "low"], est.loc[name, "high"]
        assert high - low < 0.5 * (hi - lo)
    # Generations shrink the tolerance; the accepted set is the kept share.
    tolerances = [g.tolerance for g in result.generations]
    assert tolerances == sorted(tolerances, reverse=True) and len(tolerances) == 3
    assert len(result.accepted) == 8 and result.accepted["weight"].sum() == pytest.approx(1.0)
    # The fit table: every target, fitted ones in tolerance, the report-only one flagged.
    fit = result.fit.set_index("target")
    assert list(fit.index) == ["clients", "spending", "clients_2015"]
    for name in ("clients", "spending"):  # the accepted runs reproduce the data, up to a tolerance
        r = fit.loc[name]
        assert r["sim_q05"] - r["tolerance"] <= r["observed"] <= r["sim_q95"] + r["tolerance"]
        assert r["in_tolerance"] == (abs(r["sim_median"] - r["observed"]) <= r["tolerance"])
        assert r["check_min"] <= r["check_median"] <= r["check_max"]
    assert not fit.loc["clients_2015", "fitted"]
    assert (fit["sim_q05"] <= fit["sim_median"]).all() and (fit["sim_median"] <= fit["sim_q95"]).all()
    # Outputs on disk, and the calibrated values are a valid scenario fragment.
    for f in (
        "fit.csv",
        "fit.md",
        "estimate.csv",
        "accepted.csv",
        "particles.parquet",
        "calibration.json",
        "figures/calibration_trajectories.png",
        "figures/calibration_posterior.png",
    ):
        assert (out / f).is_file(), f
    assert "| clients |" in (out / "fit.md").read_text()
    frag = (out / "calibrated_values.toml").read_text()
    (tiny / "calibrated.toml").write_text('extends = "tiny.toml"\n' + frag, encoding="utf-8")
    calibrated = ecosim.load_scenario(tiny / "calibrated.toml")
    assert calibrated.demand.incidence_per_1000_year[0] == result.point["incidence_jeugd"]
    assert calibrated.demand.incidence_per_1000_year[1:] == list(ecosim.Scenario().demand.incidence_per_1000_year[1:])  # untouched elements keep their values

    # Running again resumes: every run is on disk, nothing is recomputed, same answer.
    again = calibrate(_calibration(tiny, obs, method), out, workers=1, progress=False)
    assert again.point == result.point
    assert list(again.accepted["particle"]) == list(result.accepted["particle"])


def test_abc_rejection_runs_through_the_runner(tiny: Path) -> None:
    """Rejection ABC is one generation: the closest share of a Latin-hypercube prior sample."""
    obs = _observed(tiny)
    method = """\
[method]
name = "abc-rejection"
particles = 8
accept_fraction = 0.25
generations = 1
replications = 2
root_seed = 3
check_replications = 0
"""
    result = calibrate(_calibration(tiny, obs, method), tiny / "rej", workers=1, progress=False)
    assert len(result.generations) == 1 and len(result.accepted) == 2
    runs = pd.read_parquet(tiny / "rej" / "sweeps" / "generation_0" / "runs.parquet")
    assert len(runs) == 16  # 8 particles x 2 replications, through the experiment runner
    assert runs.groupby("replication")["seed"].nunique().eq(1).all()  # common random numbers
    assert "check_median" not in result.fit.columns


# --- the pieces, pinned without the model ---------------------------------------------------


def test_statistics_read_the_months_they_say() -> None:
    wide = pd.DataFrame({"a": np.arange(36.0), "b": np.ones(36)}, index=pd.RangeIndex(36, name="month"))
    t = dict(output="a", observed=0, tolerance=1, source="s")
    assert statistic(Target(stat="value", month=11, **t), wide) == 11
    assert statistic(Target(stat="mean", year=2016, **t), wide) == np.mean(np.arange(12, 24))
    assert statistic(Target(stat="sum", year=2017, minus="b", **t), wide) == np.sum(np.arange(24, 36)) - 12
    assert statistic(Target(stat="growth", years=(2015, 2016), **t), wide) == pytest.approx(17.5 / 5.5 - 1)
    assert np.isnan(statistic(Target(stat="mean", year=2018, **t), wide))  # beyond the run


def test_distance_is_rms_in_tolerances_and_failed_runs_are_infinitely_far() -> None:
    d = distance(np.array([[1.0, 2.0], [np.nan, 2.0]]), np.array([0.0, 0.0]), np.array([1.0, 2.0]))
    assert d[0] == pytest.approx(1.0) and np.isinf(d[1])


def test_weighted_quantile_and_importance_weights() -> None:
    assert abc.weighted_quantile(np.array([1.0, 2.0, 3.0]), 0.5) == 2.0
    assert abc.weighted_quantile(np.array([1.0, 2.0, 3.0]), 0.5, np.array([0, 0, 1.0])) == 3.0
    assert abc.weighted_quantile(np.array([1.0, np.nan, 3.0]), [0.0, 1.0]).tolist() == [1.0, 3.0]
    # numpy's weighted quantile: integer weights count as repeats
    v, w = np.array([3.0, 1.0, 2.0, 5.0]), np.array([1.0, 2.0, 3.0, 1.0])
    for q in (0.1, 0.5, 0.9):
        assert abc.weighted_quantile(v, q, w) == np.quantile(np.repeat(v, w.astype(int)), q, method="inverted_cdf")
    # weighted covariance: numpy's cov with aweights (ddof 0), equal to the repeated sample's population cov
    theta = np.array([[0.0, 1.0], [1.0, 3.0], [2.0, 2.0]])
    reps = np.repeat(theta, [1, 2, 3], axis=0)
    np.testing.assert_allclose(abc.weighted_cov(theta, np.array([1.0, 2.0, 3.0])), np.cov(reps, rowvar=False, ddof=0))
    assert abc.weighted_cov(theta[:, :1], np.ones(3)).shape == (1, 1)
    # Importance weights prior / proposal average 1 over draws from the proposal (on the prior's scale),
    # for any proposal that covers the box: here a truncated kernel mixture with uneven parent weights.
    rng = np.random.default_rng(0)
    bounds = np.array([[0.0, 1.0], [0.0, 2.0]])
    theta = rng.random((20, 2)) * [1.0, 2.0]
    cov = np.diag([0.2, 0.4]) ** 2
    new, inside = abc.propose(rng, theta, np.arange(1.0, 21.0), cov, 20_000, bounds)
    assert new.shape == (20_000, 2) and ((new >= 0) & (new <= bounds[:, 1])).all() and 0.3 < inside < 0.95
    w = abc.importance_weights(new, theta, np.arange(1.0, 21.0), cov, bounds, inside)
    assert np.mean(w) == pytest.approx(1.0, rel=0.05)


def test_prior_sample_is_a_latin_hypercube_within_bounds(tiny: Path) -> None:
    obs = {"clients": 1.0, "spending": 1.0}
    cal, _ = load_calibration(_calibration(tiny, obs, ""))
    theta = prior_sample(cal, 10, seed=1)
    for j, p in enumerate(cal.parameters.values()):
        strata = np.floor((theta[:, j] - p.bounds[0]) / (p.bounds[1] - p.bounds[0]) * 10)
        assert sorted(strata) == list(range(10))  # one point per stratum


def test_toml_values_round_trip() -> None:
    import tomllib

    v = {"x": 0.1 + 0.2, "l": [1.5, 2, 1e-9], "s": 'a "b"', "t": True}
    text = "\n".join(f"{k} = {toml_value(x)}" for k, x in v.items())
    assert tomllib.loads(text) == v


# --- bad calibration files -----------------------------------------------------------------

GOOD_TARGET = """\
[targets.clients]
output = "in_care_jeugd"
stat = "mean"
year = 2015
observed = 1000.0
tolerance = 50.0
source = "test"
"""


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (f'scenario = "tiny.toml"\nfoo = 1\n{PARAMETERS}{GOOD_TARGET}', r"foo: unknown key; allowed here: .*targets"),
        (
            f'scenario = "tiny.toml"\n{PARAMETERS}{GOOD_TARGET}unit = "people"\n',
            r"targets.clients.unit: unknown key; allowed here: .*tolerance",
        ),
        (
            f'scenario = "tiny.toml"\n[method]\nparticle = 5\n{PARAMETERS}{GOOD_TARGET}',
            r"method.particle: unknown key; allowed here: .*particles",
        ),
        (
            f'scenario = "tiny.toml"\n[parameters.x]\npath = "demand.incidence_per_year"\nbounds = [1, 2]\n{GOOD_TARGET}',
            r"parameters.x: 'demand.incidence_per_year' is not a scenario parameter",
        ),
        (
            f'scenario = "tiny.toml"\n[parameters.x]\npath = "care.improve"\nbounds = [1, 2]\n{GOOD_TARGET}',
            r"'care.improve' is not a scenario parameter",
        ),
        (
            f'scenario = "tiny.toml"\n[parameters.x]\npath = "stance.deficit_pressure"\nbounds = [2.0, 1.0]\n'
            f"{GOOD_TARGET}",
            r"parameters.x: .*'bounds' must be \[low, high\] with low < high, got \[2.0, 1.0\]",
        ),
        (
            f'scenario = "tiny.toml"\n[parameters.x]\npath = "demand.incidence_per_1000_year"\nindex = 3\n'
            f"bounds = [1, 2]\n{GOOD_TARGET}",
            r"index 3 does not fit 'demand.incidence_per_1000_year' \(a list of 3\)",
        ),
        (
            f'scenario = "tiny.toml"\n[parameters.x]\npath = "demand.incidence_per_1000_year"\nbounds = [1, 2]\n'
            f"{GOOD_TARGET}",
            r"is list; give 'index' or 'scale_of'",
        ),
        (
            f'scenario = "tiny.toml"\n[parameters.x]\npath = "stance.initial_mean"\nbounds = [0.5, 1.5]\n{GOOD_TARGET}',
            r"bound 1.5 gives an invalid scenario: stance.initial_mean",
        ),
        (
            f'scenario = "tiny.toml"\n{PARAMETERS}{GOOD_TARGET.replace("in_care_jeugd", "youth_clients")}',
            r"targets.clients.output: 'youth_clients' is not a monthly output",
        ),
        (
            f'scenario = "tiny.toml"\n{PARAMETERS}{GOOD_TARGET}minus = "budget_youth"\n',
            r"targets.clients.minus: 'budget_youth' is not a monthly output; did you mean 'budget_",
        ),
        (
            f'scenario = "tiny.toml"\n{PARAMETERS}{GOOD_TARGET.replace("year = 2015", "month = 3")}',
            r"stat 'mean' needs exactly 'year'",
        ),
        (
            f'scenario = "tiny.toml"\nmonths = 12\n{PARAMETERS}{GOOD_TARGET.replace("2015", "2016")}',
            r"'months' = 12 is too short",
        ),
        (f'scenario = "tiny.toml"\n{PARAMETERS}{GOOD_TARGET}fit = false\n', r"no target has fit = true"),
        (f'scenario = "missing.toml"\n{PARAMETERS}{GOOD_TARGET}', r"key 'scenario'.*no such scenario file"),
        (f'scenario = "tiny.toml"\n{GOOD_TARGET}', r"parameters: Field required"),
        (
            f'scenario = "tiny.toml"\n[method]\nname = "abc-rejection"\ngenerations = 3\n{PARAMETERS}{GOOD_TARGET}',
            r"abc-rejection has one generation",
        ),
        ('scenario = "tiny.toml"\n[parameters\n', r"not valid TOML"),
    ],
    ids=[
        "unknown-top-key",
        "unknown-target-key",
        "unknown-method-key",
        "path-not-in-scenario",
        "path-typo",
        "bounds-reversed",
        "index-out-of-range",
        "list-without-index",
        "bound-invalid-for-scenario",
        "output-not-a-column",
        "minus-not-a-column",
        "stat-without-its-time",
        "horizon-too-short",
        "nothing-to-fit",
        "missing-scenario",
        "no-parameters",
        "rejection-with-generations",
        "bad-toml",
    ],
)
def test_bad_calibration_files_are_rejected_clearly(tiny: Path, body: str, message: str) -> None:
    path = _write(tiny, body)
    with pytest.raises(CalibrationError, match=message) as info:
        load_calibration(path)
    assert str(path) in str(info.value)  # the message names the file
    assert isinstance(info.value, InputError)  # so the CLI exits with 2


def test_missing_calibration_file_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(CalibrationError, match="no such calibration file"):
        load_calibration(tmp_path / "nope.toml")


def test_cli_subcommand_reports_bad_input_with_exit_code_2(tiny: Path, capsys: pytest.CaptureFixture) -> None:
    from ecosim import cli
    from ecosim.calibration import command

    path = _write(tiny, f'scenario = "tiny.toml"\n{PARAMETERS}{GOOD_TARGET}foo = 1\n')
    if "ecosim.calibration.command" in cli.COMMAND_MODULES:
        assert cli.main(["calibrate", str(path)]) == 2
        assert "targets.clients.foo: unknown key" in capsys.readouterr().err
    parser = argparse.ArgumentParser()
    command.register(parser.add_subparsers())
    args = parser.parse_args(["calibrate", str(path), "--workers", "0"])
    with pytest.raises(InputError, match="--workers must be at least 1"):
        args.func(args)


def test_shipped_calibration_file_is_valid() -> None:
    root = Path(__file__).resolve().parents[2]
    cal, base = load_calibration(root / "calibration" / "baseline_2015.toml")
    assert base.name == "baseline_2015"
    assert len(cal.fitted) >= 6 and all(t.source for t in cal.targets.values())
    assert cal.horizon == 60


def test_a_generation_of_failed_runs_stops_the_calibration(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ecosim.calibration import run as run_module
    from ecosim.experiment.runner import SweepSummary

    def failing(cal, base, theta, labels, folder, replications, *args, **kwargs):
        rows = [
            {"particle": lab, "replication": 0, "run_id": None, **dict.fromkeys(cal.targets, np.nan)} for lab in labels
        ]
        return pd.DataFrame(rows), pd.DataFrame(), SweepSummary(len(labels), 0, 0, len(labels), 0.0, str(folder))

    monkeypatch.setattr(run_module, "simulate", failing)
    path = _calibration(tiny, {"clients": 1.0, "spending": 1.0}, "[method]\nparticles = 8\n")
    with pytest.raises(run_module.RunsFailedError, match="only 0 of 8 particles of generation 0 ran"):
        calibrate(path, tiny / "out", progress=False)


def test_a_generation_runs_from_the_object_and_records_it_as_toml(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sweep gets the Experiment object (no experiment file is read); experiment.toml is a faithful record."""
    from ecosim.calibration import run as run_module
    from ecosim.experiment import Experiment, design, load_experiment

    given = []
    real_sweep = run_module.sweep

    def spy(experiment, out, **kwargs):
        given.append((experiment, kwargs["experiment_file"]))
        return real_sweep(experiment, out, **kwargs)

    def no_files(*args, **kwargs):
        raise AssertionError("a generation's sweep read an experiment file")

    monkeypatch.setattr(run_module, "sweep", spy)
    monkeypatch.setattr(design, "load_with_base", no_files)  # load_experiment reads files through it
    method = '[method]\nname = "abc-rejection"\nparticles = 4\naccept_fraction = 0.5\ngenerations = 1\n'
    method += "check_replications = 0\n"
    out = tiny / "out"
    calibrate(_calibration(tiny, {"clients": 1.0, "spending": 1.0}, method), out, workers=1, progress=False)
    monkeypatch.undo()

    [(exp, record)] = given
    folder = out / "sweeps" / "generation_0"
    assert isinstance(exp, Experiment) and record == folder / "experiment.toml"
    assert load_experiment(record)[0] == exp  # the record reads back as the experiment that ran
    assert (folder / "manifest.json").read_text().count(str(record)) == 1
