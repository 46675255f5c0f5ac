"""Issue 16, item 1: SIGINT / SIGTERM stop a process-pool sweep within seconds; workers die with it."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import psutil
import pyarrow.parquet as pq
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from _helpers import assert_all_gone, descendants, start_sweep, tiny_experiment, wait_for_runs  # noqa: E402


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_to_the_main_process_stops_the_sweep_quickly(tmp_path, sig, code):
    exp = tiny_experiment(tmp_path, months=4, reps=600)  # 1,200 short runs: a minute of work
    out = tmp_path / "out"
    proc = start_sweep(exp, out, "--workers", "2")
    wait_for_runs(out, 3, proc)
    children = descendants(proc.pid)
    assert children, "a process pool sweep has workers"
    sent = time.monotonic()
    os.kill(proc.pid, sig)  # the main process only, as `timeout -s INT` or a batch scheduler does
    _, err = proc.communicate(timeout=15)
    assert time.monotonic() - sent < 6, "the sweep kept running after the signal"
    assert proc.returncode == code, err
    assert "Traceback" not in err and "interrupted" in err
    done = list((out / "runs").glob("*.parquet"))
    assert 3 <= len(done) < 1200
    for f in done:  # finished runs are kept, whole
        pq.read_table(f)
    assert not list((out / "runs").glob(".*")), "temporary files left behind"
    assert_all_gone(children)


def test_workers_exit_when_the_main_process_is_killed(tmp_path):
    exp = tiny_experiment(tmp_path, months=3, reps=200)
    out = tmp_path / "out"
    proc = start_sweep(exp, out, "--workers", "2")
    wait_for_runs(out, 2, proc)
    children = descendants(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=10)
    assert_all_gone(children, timeout=5)


def test_an_error_in_the_result_loop_cancels_the_queued_runs(tmp_path, monkeypatch):
    from ecosim.experiment import runner

    exp = tiny_experiment(tmp_path, months=4, reps=600)
    calls = []
    real = runner._handle

    def broken(out, spec, fut):
        calls.append(spec.run_id)
        if len(calls) == 3:
            raise RuntimeError("result loop broke")
        return real(out, spec, fut)

    monkeypatch.setattr(runner, "_handle", broken)
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="result loop broke"):
        runner.sweep(exp, tmp_path / "out", workers=2, progress=False)
    assert time.monotonic() - started < 20
    assert len(list((tmp_path / "out" / "runs").glob("*.parquet"))) < 50
    # The forkserver lives on for this test process; the pool's workers (its children) do not.
    forkservers = [p for p in psutil.Process().children() if "forkserver" in " ".join(p.cmdline())]
    assert forkservers
    assert_all_gone([w for f in forkservers for w in f.children()])
