"""How much municipalities differ: budget, need and deficits per inhabitant across municipalities.

Measures the figures issue 13 asks for on one run and prints them as one JSON object:

- budget per inhabitant per year (all domains; and youth): p10, p90 and p90 / p10;
- need per inhabitant: coefficient of variation across municipalities of the citizens with a
  need (in care, waiting, refused, hidden, with a wijkteam) per inhabitant, mean over a year;
- deficit spread: per domain, the share of municipalities whose year's spending exceeds
  120 % of their year's budget, and p10 / p90 of spending over budget.

With ``--maps N`` it runs no model: it builds N national synthetic maps (seeds 1..N) and prints
the figures docs/ODD.md 7.11 fits the heterogeneity parameters to (10th, 50th, 90th percentile
over the maps): the regional range of the youth-care rate per young person, the second-largest
municipality's participation need, Wmo need in municipalities of 100k+, need CV and budget
p90 / p10.

Usage (from the repository root)::

    PYTHONPATH=src python benchmarks/dispersion.py scenarios/regional_default.toml --seed 1 --months 60
    PYTHONPATH=src python benchmarks/dispersion.py scenarios/baseline_2015.toml --scale 50
    PYTHONPATH=src python benchmarks/dispersion.py scenarios/national.toml --maps 40
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

import ecosim
from ecosim.scenario import DOMAINS, load_scenario

NEED = ("in_care", "waiting", "refused", "hidden", "wijkteam_cases")


def dispersion(muni, years: tuple[int, ...]) -> dict[str, float]:
    """The dispersion figures of one run's municipal table (municipalities.parquet as a DataFrame)."""
    df = muni.assign(year=2015 + muni["month"] // 12)
    out: dict[str, float] = {}
    for year in years:
        y = df[df["year"] == year]
        if y.empty:
            continue
        per = y.groupby("municipality").agg(
            population=("population", "first"),
            budget=("budget", "sum"),
            **{f"budget_{d}": (f"budget_{d}", "sum") for d in DOMAINS},
            **{f"spending_{d}": (f"spending_{d}", "sum") for d in DOMAINS},
        )
        need = y.assign(need=y[list(NEED)].sum(axis=1)).groupby("municipality")["need"].mean()
        b = per["budget"] / per["population"]
        bj = per["budget_jeugd"] / per["population"]
        npi = need / per["population"]
        out[f"{year}_budget_p10"] = float(np.percentile(b, 10))
        out[f"{year}_budget_p90"] = float(np.percentile(b, 90))
        out[f"{year}_budget_p90_p10"] = float(np.percentile(b, 90) / np.percentile(b, 10))
        out[f"{year}_budget_jeugd_p90_p10"] = float(np.percentile(bj, 90) / np.percentile(bj, 10))
        out[f"{year}_need_cv"] = float(npi.std(ddof=0) / npi.mean())
        for d in DOMAINS:
            ratio = per[f"spending_{d}"] / per[f"budget_{d}"]
            out[f"{year}_short20_{d}"] = float((ratio > 1.2).mean())
            out[f"{year}_ratio_p10_{d}"] = float(np.percentile(ratio, 10))
            out[f"{year}_ratio_p90_{d}"] = float(np.percentile(ratio, 90))
        national = per["spending_jeugd"].sum() / per["budget_jeugd"].sum()
        out[f"{year}_jeugd_national_ratio"] = float(national)
    return out


def national_maps(scenario, n_maps: int) -> dict[str, list[float]]:
    """The fit figures of ODD 7.11 on ``n_maps`` synthetic maps of the scenario (10th, 50th, 90th percentile)."""
    from ecosim.model import geography
    from ecosim.model import heterogeneity as het
    from ecosim.model.phases.finance import budget_per_inhabitant

    g = scenario.geography
    weights = np.asarray(scenario.demand.initial_clients_per_1000)
    figures: dict[str, list[float]] = {}
    for seed in range(1, n_maps + 1):
        rng = np.random.default_rng(seed)
        geo = geography.synthetic(
            g.n_municipalities, g.n_regions, g.mean_population, g.population_sigma, g.min_population, g.area_km2, rng
        )
        rng.normal(0.0, 1.0, geo.n)  # the stances, drawn before the heterogeneity as in the model
        need = het.build(geo, scenario.heterogeneity, scenario.allocation, rng)
        pop = geo.population.astype(float)
        young = pop * np.exp(need.characteristics.young)
        rate = need.multiplier[:, 0] / np.exp(need.characteristics.young)
        regional = np.bincount(geo.region, weights=rate * young) / np.bincount(geo.region, weights=young)
        big = pop >= 100_000
        per_inhabitant = need.multiplier @ weights
        budget = need.allocation.factors(2017) @ budget_per_inhabitant(scenario.budget, 2)
        values = {
            "youth_rate_region_max_min": regional.max() / regional.min(),
            "participation_need_second_largest": need.multiplier[np.argsort(-pop)[1], 2],
            "wmo_need_100k_plus": np.sum(need.multiplier[big, 1] * pop[big]) / pop[big].sum(),
            "need_cv": per_inhabitant.std() / per_inhabitant.mean(),
            "budget_2017_p90_p10": np.percentile(budget, 90) / np.percentile(budget, 10),
        }
        for key, value in values.items():
            figures.setdefault(key, []).append(float(value))
    return {k: [round(float(np.percentile(v, q)), 3) for q in (10, 50, 90)] for k, v in figures.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--months", type=int, default=None)
    parser.add_argument("--scale", type=int, default=None, help="run.agent_scale")
    parser.add_argument("--set", action="append", default=[], help="dotted.path=value (TOML value)")
    parser.add_argument("--maps", type=int, default=0, help="fit figures on this many synthetic maps; no run")
    args = parser.parse_args()
    overrides = {}
    if args.scale:
        overrides["run.agent_scale"] = args.scale
    for item in args.set:
        import tomllib

        key, value = item.split("=", 1)
        overrides[key] = tomllib.loads(f"v = {value}")["v"]
    scenario = load_scenario(args.scenario, overrides)
    if args.maps:
        figures = national_maps(scenario, args.maps)
        print(json.dumps({"scenario": args.scenario, "maps": args.maps, **figures}, indent=1))
        return
    start = time.perf_counter()
    result = ecosim.run(scenario, months=args.months, seed=args.seed)
    months = int(result.model_df["month"].max()) + 1
    years = tuple(range(2015, 2015 + months // 12))
    out = {"scenario": args.scenario, "seed": args.seed, "months": months, **overrides}
    out.update(dispersion(result.municipalities_df, years))
    out["seconds"] = round(time.perf_counter() - start, 1)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
