"""What Mesa's DataCollector costs per month on top of ecosim's recorder (issue 15).

``EcosimModel.step()`` records the month's row with the recorder and then lets
``model.datacollector.collect`` copy it (one Mesa model reporter per registry column). This
measures, on ``scenarios/regional_default.toml`` (or ``--scenario``):

- the time of ``datacollector.collect`` itself, per month (timed around each call);
- the month with and without it: runs alternate between the model as shipped and one whose
  ``collect`` is a no-op, same seed; medians over repeats.

    python benchmarks/bench_datacollector.py [--months 120] [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from ecosim import EcosimModel, load_scenario
from ecosim.model.model import gc_paused

ROOT = Path(__file__).resolve().parent.parent


def one_run(scenario: object, months: int, collect: bool) -> tuple[float, float]:
    """Seconds per month of stepping, and of ``collect`` alone (0 when switched off)."""
    model = EcosimModel(scenario, seed=1)
    spent = [0.0]
    real = model.datacollector.collect

    def timed(m: EcosimModel) -> None:
        t = time.perf_counter()
        real(m)
        spent[0] += time.perf_counter() - t

    model.datacollector.collect = timed if collect else (lambda m: None)
    with gc_paused():
        start = time.perf_counter()
        for _ in range(months):
            model.step()
        total = time.perf_counter() - start
    return total / months, spent[0] / months


def main() -> None:
    """Print the per-month cost of the DataCollector."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", type=Path, default=ROOT / "scenarios/regional_default.toml")
    ap.add_argument("--months", type=int, default=120)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    scenario = load_scenario(args.scenario)
    with_dc, without, collect = [], [], []
    for _ in range(args.repeats):
        month, c = one_run(scenario, args.months, True)
        with_dc.append(month)
        collect.append(c)
        without.append(one_run(scenario, args.months, False)[0])
    w, wo, c = statistics.median(with_dc), statistics.median(without), statistics.median(collect)
    print(f"{args.scenario.name}, {args.months} months, median of {args.repeats} runs each")
    print(f"  month with DataCollector:    {w * 1e3:8.3f} ms")
    print(f"  month without DataCollector: {wo * 1e3:8.3f} ms")
    print(f"  collect() alone:             {c * 1e3:8.3f} ms a month ({c / w:.1%} of the month)")


if __name__ == "__main__":
    main()
