"""Benchmark the model against Mesa itself: month cost, scaling, national and regional runs, memory.

All figures are measured in this one invocation (medians of repeats; time.perf_counter):

- month cost ratio: one full model month with about 100k citizens in need, divided by one
  bare Mesa ``agents.shuffle_do("step")`` pass over 100k agents whose step only increments
  a counter (goal <= 0.5; stretch 0.1);
- scaling: cost per citizen-month at about 1M citizens divided by the same at about 100k
  (goal <= 1.5: no hidden quadratic cost);
- national run: scenarios/national.toml at 1:1, 120 months, in a child process: wall time
  and peak memory (goal <= 120 s and 2 GB);
- regional run: scenarios/regional_default.toml, 120 months (goal <= 3 s);
- memory per citizen agent: bytes allocated per added citizen (Mesa agent, registry entries
  and its row in the columnar table), by tracemalloc (goal <= 600).

    python benchmarks/bench_model.py           # full (about 5 minutes)
    python benchmarks/bench_model.py --quick   # small sizes, seconds (CI)
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import mesa
import numpy as np

from ecosim import EcosimModel, Scenario
from ecosim.model.model import gc_paused

ROOT = Path(__file__).resolve().parent.parent


class CountingAgent(mesa.Agent):
    """The cheapest possible Mesa agent: its step increments a counter."""

    def __init__(self, model: mesa.Model) -> None:
        super().__init__(model)
        self.count = 0

    def step(self) -> None:
        self.count += 1


def bare_mesa_pass(n: int, repeats: int) -> float:
    model = mesa.Model(rng=1)
    CountingAgent.create_agents(model, n)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        model.agents.shuffle_do("step")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def sized(citizens: int) -> Scenario:
    """A synthetic map whose citizens in need number about ``citizens`` (about 11 % of inhabitants)."""
    per_muni = 70_000
    n = max(1, round(citizens / 0.113 / per_muni))
    return Scenario().with_overrides(
        {
            "geography.n_municipalities": n,
            "geography.n_regions": max(1, n // 13),
            "geography.mean_population": per_muni,
            "geography.area_km2": 1_000 * max(1, n // 13),
        }
    )


def month_cost(scenario: Scenario, warmup: int, repeats: int) -> tuple[float, int]:
    """Median seconds of one model month, and the number of citizens it ran with.

    Months are stepped as ``EcosimModel.run`` steps them: with the cyclic garbage
    collector paused (see ``ecosim.model.gc_paused``).
    """
    model = EcosimModel(scenario, seed=1)
    times = []
    with gc_paused():
        for _ in range(warmup):
            model.step()
        for _ in range(repeats):
            start = time.perf_counter()
            model.step()
            times.append(time.perf_counter() - start)
    return statistics.median(times), model.citizens.n


def child_run(scenario: str, months: int, overrides: str) -> tuple[float, float, float]:
    """Run a scenario in a fresh process; returns wall seconds, peak RSS in MB and the seconds of imports.

    The wall time starts after ``import ecosim``, which is light: it includes the imports
    ``ecosim.run`` makes on first use (Mesa, pandas, the model), done first here so their
    share can be reported.
    """
    code = (
        "import ecosim, time, json, sys\n"
        f"ov = json.loads({overrides!r})\n"
        "t = time.perf_counter()\n"
        "import ecosim.api, ecosim.model.model\n"
        "imports = time.perf_counter() - t\n"
        f"ecosim.run({scenario!r}, months={months}, overrides=ov)\n"
        "print(imports, time.perf_counter() - t)\n"
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far; national runs first, so it is its own.
    imports, wall = map(float, out.stdout.strip().splitlines()[-1].split())
    return wall, max(peak_kb, before) / 1024, imports


def bytes_per_citizen(n: int) -> float:
    model = EcosimModel(
        Scenario().with_overrides(
            {"geography.n_municipalities": 1, "geography.mean_population": 1_000, "geography.min_population": 500}
        ),
        seed=1,
    )
    model.citizens._reserve(model.citizens.n + n)  # count the table rows too, at their real size
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    zeros = np.zeros(n, dtype=np.int64)
    model.citizens.add({"municipality": zeros, "primary": zeros, "severity": zeros, "state": zeros})
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    table_bytes = sum(col.itemsize for col in model.citizens.col.values()) + 8  # + the agent list slot
    return (after - before - zeros.nbytes) / n + table_bytes


def main() -> None:
    ap = argparse.ArgumentParser(description="Benchmark ecosim against Mesa itself.")
    ap.add_argument("--quick", action="store_true", help="small sizes, runs in seconds (for CI)")
    args = ap.parse_args()
    q = args.quick
    small_n, large_n = (10_000, 100_000) if q else (100_000, 1_000_000)
    repeats = 3 if q else 5
    rows = []

    bare = bare_mesa_pass(small_n, repeats)
    month, n_small = month_cost(sized(small_n), 3, repeats)
    bare_per = bare / small_n
    ratio = (month / n_small) / bare_per
    rows.append(
        (
            "month cost ratio (model month / bare Mesa pass)",
            f"{ratio:.2f}",
            f"{n_small:,} citizens: {month * 1e3:.1f} ms vs {bare * 1e3:.1f} ms for {small_n:,} agents",
            "<= 0.5",
            ratio <= 0.5,
        )
    )

    month_l, n_large = month_cost(sized(large_n), 2, max(2, repeats - 2))
    scaling = (month_l / n_large) / (month / n_small)
    rows.append(
        (
            "scaling (cost per citizen-month, large / small)",
            f"{scaling:.2f}",
            f"{n_large:,} vs {n_small:,} citizens; {month_l * 1e3:.0f} ms per month",
            "<= 1.5",
            scaling <= 1.5,
        )
    )

    nat_months, nat_ov = (12, '{"run.agent_scale": 20}') if q else (120, "{}")
    wall, peak, _ = child_run("scenarios/national.toml", nat_months, nat_ov)
    label = "national run (1:20, 12 months, quick)" if q else "national run (1:1, 120 months)"
    rows.append(
        (
            label,
            f"{wall:.1f} s, {peak:,.0f} MB",
            "the real map: 390 municipalities, 42 regions, fresh process",
            "<= 120 s, 2 GB",
            q or (wall <= 120 and peak <= 2048),
        )
    )

    reg_months = 12 if q else 120
    regional = [child_run("scenarios/regional_default.toml", reg_months, "{}") for _ in range(3)]
    reg = statistics.median(r[0] for r in regional)
    imports = statistics.median(r[2] for r in regional)
    rows.append(
        (
            f"regional run ({reg_months} months)",
            f"{reg:.2f} s",
            f"regional_default, about 60k citizens; of which {imports:.2f} s importing Mesa, pandas and the model",
            "<= 3 s",
            q or reg <= 3.0,
        )
    )

    per = bytes_per_citizen(small_n)
    rows.append(
        ("memory per citizen agent", f"{per:.0f} B", "Mesa agent + registry + table row", "<= 600 B", per <= 600)
    )

    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>18}  {'goal':>15}  met  detail")
    for name, value, detail, goal, met in rows:
        print(f"{name:<{width}}  {value:>18}  {goal:>15}  {'yes' if met else 'NO ':3}  {detail}")
    if q:
        print("(quick mode: small sizes; the goals apply to the full run)")


if __name__ == "__main__":
    main()
