"""Issue 16, item 3: every output write is atomic; --out is checked before any simulation."""

from __future__ import annotations

import errno
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import ecosim.api
from ecosim.cli import main

sys.path.insert(0, str(Path(__file__).parent))
from _helpers import BASE, tiny_experiment  # noqa: E402

SCENARIO = f"""
extends = "{BASE}"
name = "tiny"
[run]
months = 2
[geography]
n_municipalities = 2
n_regions = 1
mean_population = 3000
"""


@pytest.fixture
def scenario(tmp_path):
    p = tmp_path / "tiny.toml"
    p.write_text(SCENARIO, encoding="utf-8")
    return p


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_a_full_disk_during_run_leaves_the_previous_outputs_whole(tmp_path, scenario, monkeypatch, capsys, fmt):
    out = tmp_path / "out"
    args = ["run", str(scenario), "--out", str(out), "--quiet", "--format", fmt]
    assert main([*args, "--seed", "1"]) == 0
    before = _snapshot(out)
    # Parquet tables go through pyarrow (with their units as field metadata), CSV through pandas.
    owner, name = (pq, "write_table") if fmt == "parquet" else (pd.DataFrame, "to_csv")
    real = getattr(owner, name)
    calls = []

    def full_disk(first, path, *args, **kwargs):
        calls.append(path)
        if len(calls) == 2:  # model.FMT written, municipalities.FMT hits a full disk
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(first, path, *args, **kwargs)

    monkeypatch.setattr(owner, name, full_disk)
    code = main([*args, "--seed", "2"])
    err = capsys.readouterr().err
    assert code == 2 and "disk is full" in err and "Traceback" not in err
    assert _snapshot(out) == before, "the old outputs were changed or mixed with new ones"


@pytest.mark.parametrize("kind", ["file", "under_a_file", "empty"])
def test_a_bad_out_is_refused_before_the_simulation(tmp_path, scenario, monkeypatch, capsys, kind):
    def never(*args, **kwargs):
        raise AssertionError("the simulation started")

    monkeypatch.setattr(ecosim.api, "run", never)
    afile = tmp_path / "a_file"
    afile.write_text("x")
    out = {"file": str(afile), "under_a_file": str(afile / "sub"), "empty": ""}[kind]
    with pytest.raises(SystemExit) as exc:  # argparse refuses "" itself, with exit 2
        raise SystemExit(main(["run", str(scenario), "--out", out, "--quiet"]))
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--out" in err and "Traceback" not in err


def test_a_bad_sweep_out_is_refused_before_any_run(tmp_path, capsys):
    afile = tmp_path / "a_file"
    afile.write_text("x")
    exp = tiny_experiment(tmp_path)
    assert main(["sweep", str(exp), "--out", str(afile), "--quiet"]) == 2
    assert "names a file" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["sweep", str(exp), "--out", "", "--quiet"])
    assert exc.value.code == 2


def test_sweep_writes_leave_no_temporary_files(tmp_path):
    exp = tiny_experiment(tmp_path, reps=1)
    out = tmp_path / "out"
    assert main(["sweep", str(exp), "--out", str(out), "--quiet", "--workers", "1"]) == 0
    assert not [p for p in out.rglob(".*") if p.name != ".ecosim.lock"], "temporary files left behind"
