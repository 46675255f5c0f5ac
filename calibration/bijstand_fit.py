"""Fit the bijstand flow rates to CBS counts, holding years out, and derive BUIG spending per recipient.

Run from the repository root (about 15 s: one baseline run for the participation successes):

    PYTHONPATH=src python calibration/bijstand_fit.py

What is fitted, and on what (docs/SOURCES.md 16; ODD 7.12):

- ``inflow_per_1000_year``, ``outflow_rate_year`` and ``unemployment_elasticity`` are solved so
  that the national stock, moved month by month by the model's own flow rules
  (:mod:`ecosim.model.bijstand`), ends 2015 at 450k and 2017 at 457k, and the 2017 outflow
  (regular plus after participation trajectories) is 118k (CBS). The start is 434k at the end
  of 2014. The end-of-year stocks of 2016, 2018 and 2019 (464.5k, 432k, 413k) are held out.
  The participation successes are the monthly ``reintegrations`` of a ``baseline_2015`` run;
  the refugee share and lag keep their (uncertain) defaults.
- ``benefit_eur_per_recipient_year`` (2015) and ``benefit_growth_year`` come from BUIG spending
  (budget minus result) over CBS recipient-years in 2015 and 2017; the results of 2016 and
  2018 are held out.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares

from ecosim.model.bijstand import refugee_inflow, regular_flows, reintegration_exits, unemployment_at
from ecosim.scenario import Scenario, load_scenario
from ecosim.scenario.bijstand import BijstandParams

ROOT = Path(__file__).resolve().parents[1]
NATIONAL = 16_900_000.0
START = 434_000.0  # end of 2014, CBS (NRC 29-2-2016)
STOCK = {2015: 450_000.0, 2016: 464_500.0, 2017: 457_000.0, 2018: 432_000.0, 2019: 413_000.0}
"""Recipients under the AOW age at the end of each year, CBS, latest release read (docs/SOURCES.md 16)."""
FIT_STOCK = (2015, 2017)
OUTFLOW_2017 = 118_000.0
BUDGET = {2015: 5.5e9, 2016: 5.7e9, 2017: 5.9e9, 2018: 6.36e9}
RESULT = {2015: -105e6, 2016: -277e6, 2017: -276e6, 2018: 159e6}
FIT_COST = (2015, 2017)


def simulate(
    params: BijstandParams, successes: np.ndarray, months: int = 60
) -> tuple[dict[int, float], dict[int, float]]:
    """National stock at each year end and total outflow per year, under ``params`` (BijstandParams)."""
    stock = np.array([START])
    pop = np.array([NATIONAL])
    ends, outflow = {}, {}
    for month in range(months):
        u = unemployment_at(params.unemployment_rate, month)
        inflow, out = regular_flows(stock, pop, u, params)
        inflow = inflow + refugee_inflow(params, month)
        exits = reintegration_exits(np.array([successes[month]]), stock - out, params)
        stock = stock + inflow - out - exits
        year = 2015 + month // 12
        outflow[year] = outflow.get(year, 0.0) + float(out[0] + exits[0])
        if month % 12 == 11:
            ends[year] = float(stock[0])
    return ends, outflow


def fit(base: Scenario, successes: np.ndarray) -> tuple[BijstandParams, object]:
    """Solve inflow, outflow rate and elasticity on the in-sample targets; returns the fitted params."""
    p0 = base.bijstand

    def with_values(x: np.ndarray) -> BijstandParams:
        return p0.model_copy(
            update={"inflow_per_1000_year": x[0], "outflow_rate_year": x[1], "unemployment_elasticity": x[2]}
        )

    def residuals(x: np.ndarray) -> list[float]:
        ends, outflow = simulate(with_values(x), successes)
        res = [(ends[y] - STOCK[y]) / 1000.0 for y in FIT_STOCK]
        res.append((outflow[2017] - OUTFLOW_2017) / 1000.0)
        return res

    sol = least_squares(residuals, x0=[6.0, 0.2, 1.0], bounds=([0.0, 0.0, 0.0], [30.0, 1.0, 5.0]))
    return with_values(sol.x), sol


def cost_per_recipient() -> tuple[float, float, dict[int, float]]:
    """BUIG spending per recipient-year from budget minus result over CBS recipient-years."""
    stocks = {2014: START, **STOCK}
    per = {y: (BUDGET[y] - RESULT[y]) / ((stocks[y - 1] + stocks[y]) / 2.0) for y in BUDGET}
    a, b = FIT_COST
    growth = (per[b] / per[a]) ** (1.0 / (b - a)) - 1.0
    base = per[a] / (1.0 + growth) ** (a - 2015)
    return base, growth, per


def main() -> int:
    """Print the fit, the held-out years and the derived spending per recipient."""
    import ecosim

    base = load_scenario(ROOT / "scenarios" / "baseline_2015.toml")
    run = ecosim.run(base, months=60)
    successes = run.model_df["reintegrations"].to_numpy()
    print(
        "participation successes per year (baseline_2015 run):",
        {int(y): round(float(v)) for y, v in run.model_df.groupby("year")["reintegrations"].sum().items()},
    )
    params, sol = fit(base, successes)
    print(
        f"fitted: inflow_per_1000_year={params.inflow_per_1000_year:.3f} "
        f"outflow_rate_year={params.outflow_rate_year:.4f} "
        f"unemployment_elasticity={params.unemployment_elasticity:.3f} (cost {sol.cost:.3g})"
    )
    ends, outflow = simulate(params, successes)
    print("year  stock(model)  stock(CBS)  error   role")
    for y, v in STOCK.items():
        role = "fitted" if y in FIT_STOCK else "held out"
        print(f"{y}  {ends[y]:11.0f}  {v:10.0f}  {100 * (ends[y] / v - 1):+5.1f} %  {role}")
    print(f"outflow 2017: model {outflow[2017]:.0f}, CBS {OUTFLOW_2017:.0f} (fitted)")
    base_cost, growth, per = cost_per_recipient()
    print(f"BUIG spending per recipient: 2015 {base_cost:.0f} EUR/year, growth {100 * growth:.2f} %/year")
    for y, v in per.items():
        model = base_cost * (1 + growth) ** (y - 2015)
        role = "fitted" if y in FIT_COST else "held out"
        print(f"  {y}: from data {v:.0f}, rule {model:.0f} ({100 * (model / v - 1):+.1f} %) {role}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
