"""The cooperation report (issue 14): how arrangements form, live and end, and for whom cooperation pays.

Reads the output folder of ``ecosim sweep experiments/cooperation_dynamics.toml`` (levels of
``form``: which forms municipalities may propose, ``none`` among them; optionally other
factors) and, when given, that of ``experiments/cooperation_flagship_cells.toml`` (the
flagship's cells at default parameters). Writes ``DIR/report.md`` and ``DIR/figures/*.png``:

1. arrangements and memberships over time, by form;
2. their life: formations, dissolutions, switches of form, splits, members joining and leaving;
3. trust (its range over the run: does it move both ways) and energy;
4. for whom cooperation pays: benefit minus cost per inhabitant of small and large members;
5. the check against "no overall savings on average" (Allers & de Greef 2018): spending with
   cooperation against the same seeds without it;
6. the flagship cells: what issue 14 measured there before, and what the model gives now.

``python -m ecosim.report.cooperation RESULTS [--cells CELLS]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ecosim.report import stats  # noqa: E402
from ecosim.report.markdown import image, num, pct, table  # noqa: E402
from ecosim.report.sweep import Sweep, load  # noqa: E402

INITIAL_TRUST = 0.6
"""cooperation.initial_trust's default: trust 'moves both ways' when it goes below and above it."""

LIFE = (
    ("arrangements_formed", "formed"),
    ("arrangements_dissolved", "dissolved"),
    ("arrangements_deepened", "deepened"),
    ("arrangements_loosened", "loosened"),
    ("arrangement_splits", "split"),
    ("fatigue_exits", "left: fatigue"),
    ("distrust_exits", "left: distrust"),
    ("election_exits", "left: new council"),
)
"""End-of-run counts of the arrangements' life, with their column labels."""


def _cells(runs: pd.DataFrame) -> tuple[list[str], pd.core.groupby.DataFrameGroupBy]:
    factors = [c for c in runs.columns if c.startswith("factor_") and runs[c].nunique() > 1]
    return factors, runs.groupby(factors, sort=False)


def _label(key: object, factors: list[str]) -> str:
    values = key if isinstance(key, tuple) else (key,)
    return ", ".join(f"{f.removeprefix('factor_')} {v}" for f, v in zip(factors, values, strict=True))


def _range(values: pd.Series) -> str:
    v = values.dropna()
    if v.empty:
        return "-"
    return f"{num(float(v.mean()))} ({num(float(v.min()))}-{num(float(v.max()))})"


def _share(values: pd.Series, test) -> str:  # noqa: ANN001 - a predicate on the values
    v = values.dropna()
    return f"{int(test(v).sum())} of {len(values)}"


def _what_ran(sw: Sweep, factors: list[str]) -> list[str]:
    exp = sw.experiment
    commit = sw.manifest.get("git_commit") or sw.manifest.get("commit") or "unknown"
    levels = "; ".join(f"`{f.removeprefix('factor_')}`: {', '.join(map(str, sw.runs[f].unique()))}" for f in factors)
    return [
        f"- Experiment `{exp.get('name', sw.folder.name)}`: {len(sw.runs)} runs of {sw.months} months, "
        f"{sw.runs['replication'].nunique()} replications (seeds shared by every cell), base scenario "
        f"`{Path(str(exp.get('scenario', '?'))).name}`; levels {levels}. Made at commit {commit}.",
    ]


def _over_time(sw: Sweep, factors: list[str], figdir: Path) -> list[str]:
    if sw.series is None:
        return ["No monthly series were kept."]
    s = sw.series.merge(sw.runs[["run_id", *factors]], on="run_id")
    months = [m for m in (11, 23, 35, 59, 83, 119) if m <= s["month"].max()]
    wanted = [
        "arrangements",
        "memberships",
        "arrangements_light",
        "arrangements_shared_service",
        "arrangements_centrumgemeente",
        "arrangements_wgr",
    ]
    have = [v for v in wanted if v in set(s["variable"])]
    rows = []
    for key, g in s[s["variable"].isin(have) & s["month"].isin(months)].groupby(factors, sort=False):
        mean = g.groupby(["variable", "month"])["value"].mean()
        for m in months:
            values = [num(float(mean.get((v, m), np.nan))) for v in have]
            rows.append([_label(key, factors), str(2015 + m // 12), *values])
    header = ["cell", "December of"] + [v.replace("arrangements_", "form: ") for v in have]
    out = ["Mean over the replications at each year's end.", "", table(header, rows), ""]
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), sharex=True)
    for k, (key, g) in enumerate(s[s["variable"].isin(["arrangements", "memberships"])].groupby(factors, sort=False)):
        mean = g.groupby(["variable", "month"])["value"].mean()
        for ax, var in zip(axes, ("arrangements", "memberships"), strict=True):
            if var in mean.index.get_level_values(0):
                ax.plot(
                    mean[var].index, mean[var].values, color=plt.get_cmap("tab10")(k % 10), label=_label(key, factors)
                )
    for ax, var in zip(axes, ("active arrangements", "memberships (municipality x task)"), strict=True):
        ax.set_title(var)
        ax.set_xlabel("month (0 = January 2015)")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    path = figdir / "cooperation_over_time.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return [*out, image(f"figures/{path.name}", "arrangements and memberships over time"), ""]


def _life(runs: pd.DataFrame, factors: list[str]) -> list[str]:
    cols = [(c, lab) for c, lab in LIFE if c in runs.columns]
    rows = []
    for key, g in runs.groupby(factors, sort=False):
        rows.append([_label(key, factors)] + [_range(g[c]) for c, _ in cols])
    any_rows = []
    for key, g in runs.groupby(factors, sort=False):
        any_rows.append([_label(key, factors)] + [_share(g[c], lambda v: v > 0) for c, _ in cols])
    header = ["cell"] + [lab for _, lab in cols]
    return [
        "Per run over the whole run: mean (lowest-highest over the replications).",
        "",
        table(header, rows),
        "",
        "Runs in which each happened at least once:",
        "",
        table(header, any_rows),
        "",
    ]


def _trust_energy(runs: pd.DataFrame, factors: list[str]) -> list[str]:
    rows = []
    for key, g in runs.groupby(factors, sort=False):
        rows.append(
            [
                _label(key, factors),
                _range(g["min_partner_trust"]),
                _range(g["max_partner_trust"]),
                _share(g["min_partner_trust"], lambda v: v < INITIAL_TRUST),
                _share(g["max_partner_trust"], lambda v: v > INITIAL_TRUST),
                _range(g["min_energy"]),
            ]
        )
    header = [
        "cell",
        "lowest trust in a partner",
        "highest trust in a partner",
        f"runs with trust below {INITIAL_TRUST}",
        f"runs with trust above {INITIAL_TRUST}",
        "lowest energy",
    ]
    return [
        f"Trust starts at {INITIAL_TRUST} between strangers (`cooperation.initial_trust`); a cell without "
        "arrangements has no partners (-).",
        "",
        table(header, rows),
        "",
    ]


def _who_gains(runs: pd.DataFrame, factors: list[str]) -> list[str]:
    rows = []
    for key, g in runs.groupby(factors, sort=False):
        small = stats.mean_ci(g["cooperation_net_per_inhabitant_small"].to_numpy())
        large = stats.mean_ci(g["cooperation_net_per_inhabitant_large"].to_numpy())
        if small.n == 0 and large.n == 0:
            continue
        rows.append([_label(key, factors), _ci(small), _ci(large)])
    header = ["cell", "small members (EUR/inhabitant/month)", "large members (EUR/inhabitant/month)"]
    return [
        "What cooperating saved members (joint discounts, admin saved, net pooling transfers) minus what it "
        "cost them (setup, overhead, exit), per inhabitant and month, averaged over the months with members: "
        "the third of municipalities with the fewest inhabitants against the third with the most "
        "(`geography.small_share`). Mean and 95 % interval over the replications.",
        "",
        table(header, rows) if rows else "No cell had members.",
        "",
    ]


def _ci(c: stats.MeanCI) -> str:
    if c.n == 0:
        return "-"
    if not np.isfinite(c.low):
        return num(c.mean)
    return f"{num(c.mean)} ({num(c.low)} to {num(c.high)})"


def _savings(runs: pd.DataFrame, factors: list[str]) -> list[str]:
    if "factor_form" not in runs.columns or "none" not in set(runs["factor_form"].astype(str)):
        return ["This sweep has no `form` level `none` to compare spending with."]
    others = [f for f in factors if f != "factor_form"]
    rows = []
    base = runs[runs["factor_form"].astype(str) == "none"]
    for key, g in runs[runs["factor_form"].astype(str) != "none"].groupby(factors, sort=False):
        values = key if isinstance(key, tuple) else (key,)
        ref = base
        for f, v in zip(factors, values, strict=True):
            if f in others:
                ref = ref[ref[f] == v]
        pair = g.merge(ref[["replication", "total_spending"]], on="replication", suffixes=("", "_none"))
        rel = (pair["total_spending"] - pair["total_spending_none"]) / pair["total_spending_none"]
        c = stats.mean_ci(rel.to_numpy())
        cmp = stats.paired(pair["total_spending_none"].to_numpy(), pair["total_spending"].to_numpy())
        rows.append(
            [
                _label(key, factors),
                pct(c.mean),
                f"{pct(c.low)} to {pct(c.high)}",
                f"{cmp.p:.3f}" if np.isfinite(cmp.p) else "-",
                str(c.n),
            ]
        )
    header = ["cell", "spending against no cooperation", "95 % interval", "paired t p", "pairs"]
    return [
        "Total public spending over the run with cooperation, relative to the same seed without any "
        "(`form` none). Allers & de Greef (2018) found no reduction of total spending of the average Dutch "
        "municipality through inter-municipal cooperation (2005-2013, panel data); a model in which "
        "cooperation saved a lot on average would contradict that pattern. Once a decision differs, two runs "
        "of one seed draw different random numbers and drift apart: a `form` level in which no arrangement "
        "forms (`worthless`, if swept) shows how large that drift is.",
        "",
        table(header, rows),
        "",
    ]


def _flagship_cells(cells: Sweep) -> list[str]:
    runs = cells.runs
    factors, groups = _cells(runs)
    rows = []
    quiet = 0
    for key, g in groups:
        formed, dissolved = g["arrangements_formed"].max(), g["arrangements_dissolved"].max()
        quiet += int(formed == 0 and dissolved == 0)
        rows.append(
            [
                _label(key, factors),
                num(float(formed)),
                num(float(dissolved)),
                num(float(g["arrangements_deepened"].max() + g["arrangements_loosened"].max())),
                num(float(g["min_partner_trust"].min())),
                num(float(g["max_partner_trust"].max())),
                num(float(g["min_energy"].min())),
                num(float(g["fatigue_exits"].max())),
            ]
        )
    header = [
        "cell",
        "formed (max)",
        "dissolved (max)",
        "switched (max)",
        "lowest trust",
        "highest trust",
        "lowest energy",
        "fatigue exits (max)",
    ]
    n = len(rows)
    return [
        f"The flagship's {n} cells at default parameters ({cells.runs['replication'].nunique()} replications, "
        f"{cells.months} months; `experiments/cooperation_flagship_cells.toml`). Issue 14 measured on the "
        "flagship: arrangements formed and dissolved 0 in 17 of 18 cells, trust never below 0.60, energy "
        f"never below 0.59. Now: {quiet} of {n} cells with neither a formation nor a dissolution in any "
        f"replication; lowest trust {num(float(runs['min_partner_trust'].min()))}, lowest energy "
        f"{num(float(runs['min_energy'].min()))}.",
        "",
        table(header, rows),
        "",
    ]


def _summary(sw: Sweep, cells: Sweep | None) -> list[str]:
    """Bullets generated from the tables below: what formed, what ended, how trust moved, what it saved."""
    runs = sw.runs
    coop = runs[runs["arrangements_formed"] > 0] if "arrangements_formed" in runs else runs.iloc[:0]
    if coop.empty:
        return ["- No arrangement formed in any run."]
    n = len(coop)
    below, above = coop["min_partner_trust"] < INITIAL_TRUST, coop["max_partner_trust"] > INITIAL_TRUST
    small = coop["cooperation_net_per_inhabitant_small"].mean()
    large = coop["cooperation_net_per_inhabitant_large"].mean()
    out = [
        f"- In {n} runs with cooperation: {num(float(coop['arrangements_formed'].mean()))} arrangements formed "
        f"per run on average ({int(coop['arrangements_formed'].min())}-{int(coop['arrangements_formed'].max())}), "
        f"{num(float(coop['final_arrangements'].mean()))} active at the end; at least one dissolved in "
        f"{int((coop['arrangements_dissolved'] > 0).sum())}, one switched form in "
        f"{int((coop['arrangement_switches'] > 0).sum())}, one split in {int((coop['arrangement_splits'] > 0).sum())}, "
        f"a member left from fatigue in {int((coop['fatigue_exits'] > 0).sum())}.",
        f"- Trust moved both ways in {int((below & above).sum())} of {n} runs: lowest "
        f"{num(float(coop['min_partner_trust'].min()))}, highest "
        f"{num(float(coop['max_partner_trust'].max()))}; lowest energy {num(float(coop['min_energy'].min()))}.",
        f"- Small members' net gain per inhabitant averaged {num(float(small))}, large members' "
        f"{num(float(large))} EUR a month (section 4).",
    ]
    if cells is not None:
        r = cells.runs
        quiet = sum(
            int(g["arrangements_formed"].max() == 0 and g["arrangements_dissolved"].max() == 0) for _, g in _cells(r)[1]
        )
        out.append(
            f"- Flagship cells at defaults: {quiet} of {r.groupby(_cells(r)[0]).ngroups} without any formation or "
            f"dissolution (17 of 18 before); lowest trust {num(float(r['min_partner_trust'].min()))} (0.60 before), "
            f"lowest energy {num(float(r['min_energy'].min()))} (0.59 before) (section 6)."
        )
    return out


def build(folder: str | Path, cells: str | Path | None = None) -> Path:
    """Write ``folder/report.md`` (and its figures) for a cooperation sweep; return its path."""
    sw = load(folder)
    figdir = sw.folder / "figures"
    figdir.mkdir(parents=True, exist_ok=True)
    factors, _ = _cells(sw.runs)
    cell_sweep = load(cells) if cells is not None else None
    parts = ["# Cooperation as an emergent process", "", *_what_ran(sw, factors), *_summary(sw, cell_sweep), ""]
    parts += ["## 1. Arrangements over time", "", *_over_time(sw, factors, figdir)]
    parts += ["## 2. Their life: forming, switching, splitting, dissolving, members leaving", ""]
    parts += _life(sw.runs, factors)
    parts += ["## 3. Trust and energy", "", *_trust_energy(sw.runs, factors)]
    parts += ["## 4. For whom cooperation pays", "", *_who_gains(sw.runs, factors)]
    parts += ["## 5. Does cooperation save money on average?", "", *_savings(sw.runs, factors)]
    if cells is not None:
        parts += ["## 6. The flagship's cells: the failures issue 14 measured", "", *_flagship_cells(cell_sweep)]
    path = sw.folder / "report.md"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    """``python -m ecosim.report.cooperation RESULTS [--cells CELLS]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", help="output folder of 'ecosim sweep experiments/cooperation_dynamics.toml'")
    parser.add_argument("--cells", help="output folder of 'ecosim sweep experiments/cooperation_flagship_cells.toml'")
    args = parser.parse_args(argv)
    print(build(args.results, args.cells))


if __name__ == "__main__":
    main()
