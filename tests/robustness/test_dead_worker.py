"""Issue 16, item 2: a dead worker costs only the run it was running; the others are rescheduled."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from _helpers import descendants, start_sweep, tiny_experiment, wait_for_runs  # noqa: E402


def _workers(pid: int) -> list:
    """The pool workers of a sweep: the forkserver's children."""
    deadline = time.time() + 20
    while time.time() < deadline:
        servers = [p for p in descendants(pid) if "forkserver" in " ".join(p.cmdline()) and p.ppid() == pid]
        workers = [w for s in servers for w in s.children()]
        if len(workers) >= 2:
            return workers
        time.sleep(0.05)
    raise AssertionError("no pool workers found")


def test_sigkill_of_one_worker_fails_only_its_run(tmp_path):
    exp = tiny_experiment(tmp_path, months=30, reps=6)  # 12 runs of about a second
    out = tmp_path / "out"
    proc = start_sweep(exp, out, "--workers", "2")
    wait_for_runs(out, 1, proc)
    victim = _workers(proc.pid)[0]
    os.kill(victim.pid, signal.SIGKILL)
    stdout, stderr = proc.communicate(timeout=120)
    assert "Traceback" not in stderr
    failures = list((out / "failures").glob("*.txt")) if (out / "failures").exists() else []
    runs = list((out / "runs").glob("*.parquet"))
    assert len(failures) <= 1, [f.read_text()[:300] for f in failures]
    assert len(runs) + len(failures) == 12
    assert proc.returncode == (1 if failures else 0), stderr
    for f in failures:
        assert "worker process running this run died" in f.read_text()
    assert len(pd.read_parquet(out / "runs.parquet")) == len(runs)
