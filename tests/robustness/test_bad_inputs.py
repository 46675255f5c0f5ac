"""Issue 16, items 9 and 10: exit 2 with the file named, never a traceback or exit 1."""

from __future__ import annotations

import errno
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from ecosim.cli import main
from ecosim.experiment import runner, sweep

sys.path.insert(0, str(Path(__file__).parent))
from _helpers import BASE, TINY, tiny_experiment  # noqa: E402


def _run(args: list[str], capsys) -> tuple[int, str]:
    try:
        code = main(args)
    except SystemExit as exc:  # argparse
        code = exc.code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def test_non_utf8_files_are_bad_input(tmp_path, capsys):
    latin = tmp_path / "latin.toml"
    latin.write_bytes('name = "Sm\xe5land"\n'.encode("latin-1"))
    code, err = _run(["validate", str(latin)], capsys)
    assert code == 2 and "latin.toml" in err and "UTF-8" in err
    child = tmp_path / "child.toml"
    child.write_text("extends = 'latin.toml'\n")
    code, err = _run(["run", str(child), "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and "child.toml" in err and "latin.toml" in err and "UTF-8" in err
    exp = tmp_path / "exp.toml"
    exp.write_bytes(b'name = "\xff\xfe"\n')
    code, err = _run(["sweep", str(exp), "--out", str(tmp_path / "o2")], capsys)
    assert code == 2 and "exp.toml" in err


def test_a_very_long_extends_chain_is_refused(tmp_path, capsys):
    (tmp_path / "s0.toml").write_text(f'extends = "{BASE}"\n')
    for i in range(1, 1100):
        (tmp_path / f"s{i}.toml").write_text(f'extends = "s{i - 1}.toml"\n')
    code, err = _run(["validate", str(tmp_path / "s1099.toml")], capsys)
    assert code == 2 and "longer than 50" in err and "s1099.toml" in err


def test_a_chain_within_the_limit_still_works(tmp_path, capsys):
    (tmp_path / "s0.toml").write_text(f'extends = "{BASE}"\n[stance]\ninitial_mean = 0.3\n')
    for i in range(1, 40):
        (tmp_path / f"s{i}.toml").write_text(f'extends = "s{i - 1}.toml"\n')
    code, _ = _run(["validate", str(tmp_path / "s39.toml")], capsys)
    assert code == 0


def test_a_missing_extends_base_names_the_file_that_refers_to_it(tmp_path, capsys):
    child = tmp_path / "child.toml"
    child.write_text("extends = 'gone.toml'\n")
    code, err = _run(["validate", str(child)], capsys)
    assert code == 2 and "child.toml" in err and "gone.toml" in err


def test_deeply_nested_toml_is_bad_input(tmp_path, capsys):
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    code, err = _run(["validate", str(deep)], capsys)
    assert code == 2 and "deep.toml" in err


def test_population_1e20_is_bad_input(tmp_path, capsys):
    big = tmp_path / "big.toml"
    big.write_text(f'extends = "{BASE}"\n[geography]\nmean_population = 1e20\n')
    code, err = _run(["run", str(big), "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and "big.toml" in err and "mean_population" in err


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:1", "nonsense://::"])
def test_an_unreachable_scheduler_fails_fast_with_exit_2(tmp_path, capsys, address):
    exp = tiny_experiment(tmp_path, reps=1)
    started = time.monotonic()
    code, err = _run(["sweep", str(exp), "--out", str(tmp_path / "o"), "--scheduler", address, "--quiet"], capsys)
    assert time.monotonic() - started < 15
    assert code == 2 and address in err and "internal error" not in err


def test_duplicate_factor_labels_are_refused(tmp_path, capsys):
    exp = tmp_path / "exp.toml"
    exp.write_text(TINY.format(months=2, reps=1).replace("values = [0.1, 0.9]", 'values = [0.1, 0.9]\nlabels = ["x", "x"]'))
    code, err = _run(["validate", str(exp)], capsys)
    assert code == 2 and "exp.toml" in err and "'x'" in err


def test_a_full_disk_during_a_sweep_fails_only_that_run(tmp_path, monkeypatch):
    exp = tiny_experiment(tmp_path, reps=2)
    real = runner.write_run_file
    calls = []

    def full_once(path, spec, outcome):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, spec, outcome)

    monkeypatch.setattr(runner, "write_run_file", full_once)
    s = sweep(exp, tmp_path / "out", workers=1, progress=False)
    assert (s.total, s.computed, s.failed) == (4, 3, 1)
    failure = next((tmp_path / "out" / "failures").glob("*.txt")).read_text()
    assert "No space left on device" in failure
    assert len(pd.read_parquet(tmp_path / "out" / "runs.parquet")) == 3
    monkeypatch.setattr(runner, "write_run_file", real)
    again = sweep(exp, tmp_path / "out", workers=1, progress=False)
    assert (again.skipped, again.computed, again.failed) == (3, 1, 0)
