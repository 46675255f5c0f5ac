"""Benchmark: the ecosim experiment runner against Mesa's batch_run, same model, grid, seeds, processes.

Both run the same EcosimModel over the same grid (stance x cut level), the same seeds and
the same number of processes, in this one invocation, and keep the same end-of-run data.
Prints runs per second for both and their ratio, then the speed-up of 2 workers over 1
for the ecosim runner. Medians over repeats; these machines are shared and noisy, so
compare ratios, not absolute times.

    python benchmarks/bench_sweep.py            # full: 120 months, 2 replications, 3 repeats
    python benchmarks/bench_sweep.py --quick    # seconds: 12 months, small region
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import mesa
from mesa.batchrunner import batch_run

from ecosim.experiment import sweep
from ecosim.experiment.design import replication_seeds
from ecosim.model import EcosimModel
from ecosim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "scenarios" / "regional_default.toml"
STANCES = [0.1, 0.9]
CUTS = {"none": [0.0, 0.0, 0.0], "2015": [0.11, 0.20, 0.15]}


class BatchRunModel(EcosimModel):
    """EcosimModel with the keyword interface and DataCollector that batch_run requires."""

    SIZE: dict = {}

    def __init__(self, stance: float = 0.5, cuts: str = "none", months: int = 12, seed: int | None = None) -> None:
        scenario = load_scenario(BASE).with_overrides(
            {"stance.initial_mean": stance, "budget.cut_fraction": CUTS[cuts], "run.months": months, **self.SIZE}
        )
        super().__init__(scenario, seed=seed)
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "spending": lambda m: m.recorder.rows[-1]["spending"] if m.recorder.rows else 0.0,
                "burden": lambda m: m.recorder.rows[-1]["burden"] if m.recorder.rows else 0.0,
            }
        )

    def step(self) -> None:
        super().step()
        self.datacollector.collect(self)


def experiment_file(folder: Path, months: int, reps: int, size: dict) -> Path:
    size_lines = "".join(f'"{k}" = {v}\n' for k, v in size.items())
    text = f"""
name = "bench"
scenario = "{BASE.as_posix()}"
months = {months}
replications = {reps}
root_seed = 1
[outputs]
scalars = ["total_spending", "burden_total"]
series = ["spending", "burden"]
[factors.size.levels.fixed]
{size_lines if size else '"run.agent_scale" = 1'}
[factors.stance]
path = "stance.initial_mean"
values = {STANCES}
[factors.cuts]
path = "budget.cut_fraction"
values = [{", ".join(str(v) for v in CUTS.values())}]
"""
    path = folder / "bench.toml"
    path.write_text(text)
    return path


def time_batch_run(months: int, seeds: list[int], processes: int) -> float:
    start = time.perf_counter()
    batch_run(
        BatchRunModel,
        {"stance": STANCES, "cuts": list(CUTS), "months": months},
        number_processes=processes,
        rng=seeds,
        max_steps=months,
        data_collection_period=-1,
        display_progress=False,
    )
    return time.perf_counter() - start


def time_ecosim(exp: Path, processes: int) -> float:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        s = sweep(exp, out, workers=processes, progress=False)
        elapsed = time.perf_counter() - start
    assert s.failed == 0
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, runs in seconds (for CI)")
    ap.add_argument("--repeats", type=int, default=None)
    args = ap.parse_args()
    months, reps, repeats = (12, 2, 1) if args.quick else (120, 2, 3)
    repeats = args.repeats or repeats
    size = {"geography.n_municipalities": 4, "geography.mean_population": 20_000} if args.quick else {}
    BatchRunModel.SIZE = size
    seeds = replication_seeds(1, reps)
    n_runs = len(STANCES) * len(CUTS) * reps
    with tempfile.TemporaryDirectory() as tmp:
        exp = experiment_file(Path(tmp), months, reps, size)
        batch = [time_batch_run(months, seeds, 2) for _ in range(repeats)]
        eco2 = [time_ecosim(exp, 2) for _ in range(repeats)]
        eco1 = [time_ecosim(exp, 1) for _ in range(repeats)]
    b, e2, e1 = (statistics.median(x) for x in (batch, eco2, eco1))
    print(
        f"grid: {n_runs} runs ({len(STANCES)} stances x {len(CUTS)} cut levels x {reps} seeds), {months} months, "
        f"{'quick' if args.quick else 'regional_default'} size; median of {repeats}"
    )
    print(f"{'runner':<28}{'seconds':>10}{'runs/s':>10}")
    print(f"{'mesa.batch_run, 2 procs':<28}{b:>10.2f}{n_runs / b:>10.2f}")
    print(f"{'ecosim sweep, 2 workers':<28}{e2:>10.2f}{n_runs / e2:>10.2f}")
    print(f"{'ecosim sweep, 1 worker':<28}{e1:>10.2f}{n_runs / e1:>10.2f}")
    print(f"ratio ecosim / batch_run (runs per second, 2 processes): {b / e2:.2f}  (goal >= 1.5)")
    print(f"speed-up of 2 workers over 1 (ecosim): {e1 / e2:.2f}  (goal >= 1.8)")


if __name__ == "__main__":
    main()
