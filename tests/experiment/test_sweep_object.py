"""ecosim.sweep takes an Experiment object or a file: the same experiment gives the same runs."""

import json
from pathlib import Path

import pandas as pd
import pytest

import ecosim
from ecosim.experiment import Experiment, ExperimentError, load_experiment

ROOT = Path(__file__).resolve().parents[2]
BASE = (ROOT / "scenarios" / "regional_default.toml").as_posix()

SMALL = f"""
name = "small"
scenario = "{BASE}"
months = 4
replications = 2
root_seed = 7

[factors.size.levels.tiny]
"geography.n_municipalities" = 3
"geography.mean_population" = 8_000

[factors.stance]
path = "stance.initial_mean"
values = [0.1, 0.9]
labels = ["control", "transformation"]
"""


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text())


def test_object_and_file_give_identical_runs(tmp_path: Path) -> None:
    path = tmp_path / "small.toml"
    path.write_text(SMALL, encoding="utf-8")
    exp, _ = load_experiment(path)
    by_file = ecosim.sweep(path, tmp_path / "file", workers=2, progress=False)
    by_object = ecosim.sweep(exp, tmp_path / "object", workers=2, progress=False)
    assert (by_file.total, by_file.failed) == (by_object.total, by_object.failed) == (4, 0)
    for table in ("runs.parquet", "series.parquet"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "file" / table), pd.read_parquet(tmp_path / "object" / table), check_exact=True
        )
    assert sorted(p.name for p in (tmp_path / "file" / "runs").iterdir()) == sorted(
        p.name for p in (tmp_path / "object" / "runs").iterdir()
    )
    file_manifest, object_manifest = _manifest(tmp_path / "file"), _manifest(tmp_path / "object")
    assert file_manifest["experiment"] == object_manifest["experiment"]
    assert file_manifest["experiment_file"] == str(path)
    assert object_manifest["experiment_file"] is None
    # A record of where the object came from can be named.
    ecosim.sweep(exp, tmp_path / "named", workers=1, progress=False, experiment_file=path)
    assert _manifest(tmp_path / "named")["experiment_file"] == str(path)


def test_an_experiment_built_in_code_is_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An object's scenario is relative to its base_dir, the working directory by default."""
    path = tmp_path / "small.toml"
    path.write_text(SMALL, encoding="utf-8")
    monkeypatch.chdir(ROOT)
    built = ecosim.Experiment(
        name="small",
        scenario="scenarios/regional_default.toml",
        months=4,
        replications=2,
        root_seed=7,
        factors={
            "size": {"levels": {"tiny": {"geography.n_municipalities": 3, "geography.mean_population": 8_000}}},
            "stance": {"path": "stance.initial_mean", "values": [0.1, 0.9], "labels": ["control", "transformation"]},
        },
    )
    ecosim.sweep(built, tmp_path / "built", workers=2, progress=False)
    ecosim.sweep(path, tmp_path / "file", workers=2, progress=False)
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "built" / "runs.parquet"),
        pd.read_parquet(tmp_path / "file" / "runs.parquet"),
        check_exact=True,
    )
    assert _manifest(tmp_path / "built")["experiment"]["base_dir"] == str(ROOT)  # the working directory, stated


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"scenario": "missing.toml"}, r"^experiment 'small': key 'scenario': base scenario: .*no such scenario file"),
        ({"months": 0}, r"(?s)^experiment 'small': .*months: Input should be greater than or equal to 1"),
    ],
)
def test_a_bad_object_is_rejected_before_any_run(tmp_path: Path, change: dict, message: str) -> None:
    path = tmp_path / "small.toml"
    path.write_text(SMALL, encoding="utf-8")
    exp, _ = load_experiment(path)
    with pytest.raises(ExperimentError, match=message):
        ecosim.sweep(exp.model_copy(update=change), tmp_path / "out", workers=1, progress=False)
    assert not (tmp_path / "out").exists()


def test_object_factor_paths_are_checked_against_the_scenario(tmp_path: Path) -> None:
    exp = Experiment(scenario=BASE, name="typo", factors={"x": {"path": "stance.nope", "values": [1]}})
    with pytest.raises(ExperimentError, match=r"^experiment 'typo': factors.x: 'stance.nope' is not a scenario"):
        ecosim.sweep(exp, tmp_path / "out", workers=1, progress=False)
