"""Issue 16, items 5 and 9: report refuses unfinished or mixed sweep folders and damaged files."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from ecosim.cli import main
from ecosim.experiment import runner, sweep

sys.path.insert(0, str(Path(__file__).parent))
from _helpers import tiny_experiment  # noqa: E402


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("report_guards")
    sweep(tiny_experiment(tmp, reps=2), tmp / "a", workers=1, progress=False)
    sweep(tiny_experiment(tmp, months=4, reps=1, name="b.toml"), tmp / "b", workers=1, progress=False)
    return tmp


def _report(folder: Path, capsys) -> tuple[int, str]:
    code = main(["report", str(folder), "--quiet"])
    return code, capsys.readouterr().err


def test_an_unfinished_sweep_is_refused(finished, tmp_path, capsys):
    folder = shutil.copytree(finished / "a", tmp_path / "a")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["finished"] = None
    (folder / "manifest.json").write_text(json.dumps(manifest))
    code, err = _report(folder, capsys)
    assert code == 2 and "unfinished" in err and "Traceback" not in err


def test_a_killed_sweep_over_another_sweeps_results_is_refused(finished, tmp_path, capsys, monkeypatch):
    folder = shutil.copytree(finished / "a", tmp_path / "a")

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "_run_todo", killed)
    with pytest.raises(KeyboardInterrupt):
        sweep(tiny_experiment(tmp_path, months=5, reps=1, name="c.toml"), folder, workers=1, progress=False)
    code, err = _report(folder, capsys)
    assert code == 2 and "unfinished" in err


def test_runs_of_another_sweep_are_refused(finished, tmp_path, capsys):
    folder = shutil.copytree(finished / "a", tmp_path / "a")
    shutil.copy(finished / "b" / "runs.parquet", folder / "runs.parquet")
    code, err = _report(folder, capsys)
    assert code == 2 and "not in the design" in err


@pytest.mark.parametrize("name", ["series.parquet", "manifest.json", "runs.parquet"])
def test_a_damaged_file_is_named(finished, tmp_path, capsys, name):
    folder = shutil.copytree(finished / "a", tmp_path / "a")
    data = (folder / name).read_bytes()
    (folder / name).write_bytes(data[: len(data) // 2])
    code, err = _report(folder, capsys)
    assert code == 2 and name in err and "Traceback" not in err
