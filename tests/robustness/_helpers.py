"""Helpers for the hardening tests: small experiments, subprocess sweeps, process checks."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]
BASE = (ROOT / "scenarios" / "regional_default.toml").as_posix()
SRC = str(ROOT / "src")

TINY = f"""
name = "tiny"
scenario = "{BASE}"
months = {{months}}
replications = {{reps}}
root_seed = 3

[factors.size.levels.tiny]
"geography.n_municipalities" = 2
"geography.n_regions" = 1
"geography.mean_population" = 3_000

[factors.stance]
path = "stance.initial_mean"
values = [0.1, 0.9]
"""


def tiny_experiment(folder: Path, months: int = 3, reps: int = 2, extra: str = "", name: str = "exp.toml") -> Path:
    """An experiment of 2 x reps very short runs on a two-municipality map."""
    path = folder / name
    path.write_text(TINY.format(months=months, reps=reps) + extra, encoding="utf-8")
    return path


def env() -> dict[str, str]:
    """The environment for a subprocess ecosim: this tree's source first (ECOSIM_TEST_SRC: another tree's)."""
    e = dict(os.environ)
    e["PYTHONPATH"] = os.environ.get("ECOSIM_TEST_SRC", SRC) + os.pathsep + e.get("PYTHONPATH", "")
    return e


def start_sweep(exp: Path, out: Path, *extra: str) -> subprocess.Popen:
    """``ecosim sweep`` in its own session (so a signal to its pid reaches it alone)."""
    return subprocess.Popen(
        [sys.executable, "-m", "ecosim.cli", "sweep", str(exp), "--out", str(out), "--quiet", *extra],
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(),
    )


def wait_for_runs(out: Path, n: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Wait until ``n`` run files exist (or fail when the sweep ends or time runs out)."""
    deadline = time.time() + timeout
    while len(list((out / "runs").glob("*.parquet"))) < n:
        assert proc.poll() is None, f"sweep ended early: {proc.communicate()}"
        assert time.time() < deadline, "no runs finished in time"
        time.sleep(0.05)


def descendants(pid: int) -> list[psutil.Process]:
    """Every process below ``pid`` (workers, forkserver, resource tracker)."""
    return psutil.Process(pid).children(recursive=True)


def assert_all_gone(procs: list[psutil.Process], timeout: float = 5.0) -> None:
    """Every process in ``procs`` has exited (zombies count as gone) within ``timeout`` seconds."""
    deadline = time.time() + timeout
    alive = procs
    while time.time() < deadline:
        alive = [p for p in procs if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        if not alive:
            return
        time.sleep(0.1)
    for p in alive:  # do not leave them behind for the next test
        p.kill()
    pytest.fail(f"processes left behind: {[(p.pid, p.cmdline()) for p in alive]}")
