"""Issue 16, item 7: size guards before anything is built; --force overrides them."""

from __future__ import annotations

import sys
import time
import tomllib
from pathlib import Path

import pytest

from ecosim.checks import MAX_RUNS, estimate, memory_total
from ecosim.cli import main
from ecosim.experiment import expand, load_experiment
from ecosim.experiment.design import design_size

sys.path.insert(0, str(Path(__file__).parent))
from _helpers import BASE, ROOT, TINY  # noqa: E402


def _scenario(tmp_path: Path, body: str, name: str = "big.toml") -> Path:
    p = tmp_path / name
    p.write_text(f'extends = "{BASE}"\n{body}', encoding="utf-8")
    return p


def test_a_run_larger_than_memory_is_refused_before_building(tmp_path, capsys):
    big = _scenario(tmp_path, "[geography]\nn_municipalities = 5000\nn_regions = 40\nmean_population = 1e7\n")
    started = time.monotonic()
    assert main(["validate", str(big)]) == 2
    assert main(["run", str(big), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert time.monotonic() - started < 10
    err = capsys.readouterr().err
    assert "big.toml" in err and "agent_scale" in err and "GB" in err and "Traceback" not in err
    assert main(["validate", str(big), "--force"]) == 0


def test_the_estimate_scales_with_agent_scale():
    from ecosim import Scenario

    s = Scenario()
    agents1, _ = estimate(s, 1e6, 12)
    agents10, _ = estimate(s.with_overrides({"run.agent_scale": 10}), 1e6, 12)
    assert agents1 == pytest.approx(10 * agents10)
    assert memory_total() and memory_total() > 1e8


def test_too_many_workers_for_the_memory_are_refused(tmp_path, capsys):
    total = memory_total()
    # One run needs about 60 % of the machine: fits alone, not four at once.
    people = 0.6 * total / 1_000 / (113 * 2 / 1000)
    body = f"[geography]\nn_municipalities = 100\nn_regions = 4\nmean_population = {people / 100:.0f}\n"
    scen = _scenario(tmp_path, body)
    exp = tmp_path / "exp.toml"
    exp.write_text(f'scenario = "{scen.as_posix()}"\nmonths = 2\n[factors.s]\npath = "stance.initial_mean"\nvalues = [0.1, 0.9, 0.3, 0.5]\n')
    assert main(["sweep", str(exp), "--out", str(tmp_path / "out"), "--workers", "4", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "--workers" in err and "agent_scale" in err


def test_months_and_measure_are_capped(tmp_path, capsys):
    tiny = _scenario(tmp_path, "[geography]\nn_municipalities = 2\nmean_population = 3000\n", "tiny.toml")
    assert main(["run", str(tiny), "--months", "5000", "--out", str(tmp_path / "o"), "--quiet"]) == 2
    assert "--force" in capsys.readouterr().err
    assert not (tmp_path / "o" / "model.parquet").exists()
    assert main(["viz", str(tiny), "--measure", "5000"]) == 2
    assert "--measure" in capsys.readouterr().err


@pytest.mark.parametrize(
    "design",
    [
        "replications = 10000\n",  # 3 points x 10,000
        '[design]\nmethod = "sobol"\nbase_samples = 1048576\n',  # about 3 million points
    ],
)
def test_a_huge_design_is_refused_quickly(tmp_path, capsys, design):
    body = TINY.format(months=2, reps=1).replace("replications = 1\n", "").replace("[0.1, 0.9]", "[0.1, 0.5, 0.9]")
    if "sobol" in design:
        body = (
            f'scenario = "{BASE}"\nmonths = 2\n{design}[factors.x]\npath = "stance.initial_mean"\nbounds = [0.1, 0.9]\n'
        )
    else:
        body = design + body
    exp = tmp_path / "exp.toml"
    exp.write_text(body)
    started = time.monotonic()
    assert main(["validate", str(exp)]) == 2
    assert main(["sweep", str(exp), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert time.monotonic() - started < 5
    err = capsys.readouterr().err
    assert f"more than {MAX_RUNS:,}" in err and "--force" in err


EXPERIMENTS = sorted(
    p.name for p in (ROOT / "experiments").glob("*.toml") if "scenario" in tomllib.loads(p.read_text(encoding="utf-8"))
)
"""The experiment files (uncertainties.toml is a file of factors that experiments include)."""


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_design_size_counts_what_expand_builds(name):
    exp, base = load_experiment(ROOT / "experiments" / name)
    assert design_size(exp) == len(expand(exp, base))
