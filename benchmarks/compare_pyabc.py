"""ecosim's APMC calibration against pyabc's ABC-SMC on the same small problem (issue 15).

The problem is the one ``tests/calibration/test_calibration.py`` recovers: a tiny scenario
(6 municipalities, 24 months), two free parameters (youth-care incidence in [10, 30] and
light youth-care cost in [150, 400]; truth 18 and 260), two targets made by the model itself
at the truth with an unused seed (mean youth clients and youth spending in 2016, tolerance
5 % each), distance the RMS of misses in tolerances. Both methods get 2 worker processes.

    PYTHONPATH=src:/path/to/pyabc python benchmarks/compare_pyabc.py [--pyabc-pop 16] [--pyabc-gens 4]

pyabc is not a dependency of ecosim; install it (with redis, sqlalchemy, jabbar, gitpython)
somewhere on PYTHONPATH to run this.
"""

from __future__ import annotations

import argparse
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np

import ecosim
from ecosim.calibration import calibrate

TINY = """\
name = "tiny"
[run]
months = 24
[geography]
n_municipalities = 6
n_regions = 1
mean_population = 20000
[providers]
cost_sd = 0.02
quality_sd = 0.02
"""
TRUTH = {"incidence": 18.0, "cost": 260.0}
BOUNDS = {"incidence": (10.0, 30.0), "cost": (150.0, 400.0)}


def stats(df: object) -> dict[str, float]:
    """Mean youth clients and youth spending in 2016."""
    y = df[df["year"] == 2016]  # type: ignore[index]
    return {"clients": float(y["in_care_jeugd"].mean()), "spending": float(y["spending_jeugd"].sum())}


def observed(folder: Path) -> dict[str, float]:
    """The model at the truth, seed 987654 (no calibration run uses it)."""
    return stats(ecosim.run(ecosim.load_scenario(folder / "tiny.toml"), months=24, seed=987_654).model_df)


def run_apmc(folder: Path, obs: dict[str, float]) -> dict[str, object]:
    """ecosim calibrate: 32 particles, keep 25 %, 3 generations (as the recovery test)."""
    tol = {k: 0.05 * v for k, v in obs.items()}
    (folder / "cal.toml").write_text(
        textwrap.dedent(f"""\
        name = "compare"
        scenario = "tiny.toml"
        [method]
        name = "abc-smc"
        particles = 32
        accept_fraction = 0.25
        generations = 3
        min_acceptance = 0.0
        root_seed = 7
        check_replications = 0
        [parameters.incidence]
        path = "demand.incidence_per_1000_year"
        index = 0
        bounds = [10.0, 30.0]
        [parameters.cost]
        path = "care.light_cost_eur_month"
        index = 0
        bounds = [150.0, 400.0]
        [targets.clients]
        output = "in_care_jeugd"
        stat = "mean"
        year = 2016
        observed = {obs["clients"]!r}
        tolerance = {tol["clients"]!r}
        source = "the model at the truth"
        [targets.spending]
        output = "spending_jeugd"
        stat = "sum"
        year = 2016
        observed = {obs["spending"]!r}
        tolerance = {tol["spending"]!r}
        source = "the model at the truth"
        """),
        encoding="utf-8",
    )
    t = time.perf_counter()
    result = calibrate(folder / "cal.toml", folder / "apmc", workers=2, progress=False)
    seconds = time.perf_counter() - t
    est = result.estimate.set_index("parameter")
    runs = sum(g.runs for g in result.generations)
    return {
        "seconds": seconds,
        "simulations": runs,
        "intervals": {k: (float(est.loc[k, "q05"]), float(est.loc[k, "q95"])) for k in TRUTH},
    }


class Model:
    """The pyabc model: parameters in, the two statistics out (a class, so it pickles)."""

    def __init__(self, folder: Path) -> None:
        self.scenario = ecosim.load_scenario(folder / "tiny.toml")

    def __call__(self, p: dict[str, float]) -> dict[str, float]:
        seed = int(np.random.randint(0, 2**31 - 1))
        sc = self.scenario.with_overrides(
            {"demand.incidence_per_1000_year.0": float(p["incidence"]), "care.light_cost_eur_month.0": float(p["cost"])}
        )
        return stats(ecosim.run(sc, months=24, seed=seed).model_df)


def run_pyabc(folder: Path, obs: dict[str, float], pop: int, gens: int) -> dict[str, object]:
    """pyabc ABCSMC, 2-process sampler (Dask LocalCluster), SQLite history (resumable)."""
    import pyabc
    from dask.distributed import Client, LocalCluster

    tol = {k: 0.05 * v for k, v in obs.items()}

    def distance(x: dict, x0: dict) -> float:
        return float(np.sqrt(np.mean([((x[k] - x0[k]) / tol[k]) ** 2 for k in tol])))

    prior = pyabc.Distribution(
        **{k: pyabc.RV("uniform", lo, hi - lo) for k, (lo, hi) in BOUNDS.items()}  # scipy: loc, scale
    )
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster, Client(cluster) as client:
        sampler = pyabc.sampler.DaskDistributedSampler(dask_client=client, batch_size=2)
        abc = pyabc.ABCSMC(Model(folder), prior, distance, population_size=pop, sampler=sampler)
        db = f"sqlite:///{folder / 'pyabc.db'}"
        t = time.perf_counter()
        abc.new(db, obs)
        history = abc.run(max_nr_populations=gens)
        seconds = time.perf_counter() - t
    df, w = history.get_distribution(m=0, t=history.max_t)
    intervals = {}
    for k in TRUTH:
        q = np.quantile(df[k].to_numpy(), [0.05, 0.95], weights=w, method="inverted_cdf")
        intervals[k] = (float(q[0]), float(q[1]))
    return {"seconds": seconds, "simulations": int(history.total_nr_simulations), "intervals": intervals}


def main() -> None:
    """Run both and print time, simulations and 90 % intervals against the truth."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pyabc-pop", type=int, default=16)
    ap.add_argument("--pyabc-gens", type=int, default=4)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "tiny.toml").write_text(TINY, encoding="utf-8")
        obs = observed(folder)
        label = f"pyabc ABCSMC (pop {args.pyabc_pop}, {args.pyabc_gens} gens)"
        results = {"ecosim APMC": run_apmc(folder, obs), label: run_pyabc(folder, obs, args.pyabc_pop, args.pyabc_gens)}
        for name, res in results.items():
            print(f"{name}: {res['seconds']:.1f} s, {res['simulations']} simulations")
            for k, (lo, hi) in res["intervals"].items():  # type: ignore[union-attr]
                lo_b, hi_b = BOUNDS[k]
                inside = "yes" if lo <= TRUTH[k] <= hi else "NO"
                width = (hi - lo) / (hi_b - lo_b)
                print(f"  {k}: 90 % [{lo:.4g}, {hi:.4g}] truth {TRUTH[k]} inside {inside}; width {width:.0%} of prior")


if __name__ == "__main__":
    main()
