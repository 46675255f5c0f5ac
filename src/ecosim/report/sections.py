"""The report's sections after the summary, each resting on one table.

Cells, comparison, trade-off, break-even, time series, scenario discovery, sensitivity and
the outcome appendix. Each function returns the section's Markdown lines and draws its figures into ``figdir``.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from ecosim.outputs.registry import SCALARS
from ecosim.report import compare, figures, sensitivity, summary
from ecosim.report.discovery import Discovery, Search
from ecosim.report.markdown import image, interval, month, num, pct, pval, signed, signed_interval, table
from ecosim.report.outcomes import GROUPS, SERIES, Outcome, outcome, present
from ecosim.report.sweep import Sweep

MAX_TABLE_CELLS = 40
"""Cells beyond which per-cell tables are left out of the report (sampled designs)."""
MAX_PAIR_ROWS = 12
"""Pairs beyond which per-pair tables are left out (the overview per outcome stays)."""
SENSITIVITY_OUTPUTS = ("total_spending", "burden_total", "mean_wait_months", "escalations")
"""Default outputs of the sensitivity section."""


def cells_section(cells: pd.DataFrame, key: list[Outcome]) -> list[str]:
    """Section 1: mean and 95% CI of every outcome per cell, one table per outcome group."""
    lines = ["## 1. Outcomes per scenario cell", ""]
    names = list(dict.fromkeys(cells["cell"]))
    if len(names) > MAX_TABLE_CELLS:
        return lines + [f"{len(names)} cells: too many to list here (one per sampled point); see runs.parquet.", ""]
    lines += ["Mean over replications with its 95% confidence interval, per cell.", ""]
    for group, title in GROUPS.items():
        outs = [o for o in key if o.group == group]
        if not outs:
            continue
        rows = []
        for c in names:
            d = cells[cells["cell"] == c].set_index("outcome")
            rows.append(
                [c, str(int(d["n"].iloc[0]))] + [interval(*d.loc[o.name, ["mean", "low", "high"]]) for o in outs]
            )
        lines += [f"### {title}", "", table(["cell", "n", *[f"{o.label} [{o.unit}]" for o in outs]], rows), ""]
    return lines


def comparison_section(
    sw: Sweep, pair_list: list[compare.Pair], comp: pd.DataFrame, key: list[Outcome], figdir: Path
) -> list[str]:
    """Section 2: paired differences (overview, price, every comparison) with the forest plot."""
    paired = sum(p.paired for p in pair_list)
    lines = [
        "## 2. Cost control compared with transformation",
        "",
        f"{len(pair_list)} pairs of cells differ only in stance; {paired} of them are paired by seed (common "
        f"random numbers). Every number is **transformation minus cost control**. {len(comp)} comparisons "
        "are Holm-corrected together.",
        "",
        "### 2.1 Overview per outcome",
        "",
    ]
    rows = []
    for o in key:
        v = summary.overview(comp, o.name)
        pooled = v["pooled"]
        rows.append(
            [
                f"{o.label} [{o.unit}]",
                str(v["lower"]),
                str(v["higher"]),
                str(v["ns"]),
                f"{pct(v['rel_min'])} to {pct(v['rel_max'])}"
                if o.relative and np.isfinite(v["rel_min"])
                else f"{signed(v['diff_min'])} to {signed(v['diff_max'])}",
                signed_interval(pooled.mean, pooled.low, pooled.high),
            ]
        )
    lines += [
        table(
            [
                "outcome",
                "lower (sig.)",
                "higher (sig.)",
                "not sig.",
                "range of difference",
                "mean difference over pairs (95% CI)",
            ],
            rows,
        ),
        "",
    ]
    diff_fig = figures.differences(comp, [o for o in key if o.better is not None], figdir / "differences.png")
    if diff_fig:
        many = comp["pair"].nunique() > figures.MAX_FOREST_PAIRS
        lines += [image("figures/differences.png", "paired differences per scenario"), ""]
        if many:
            lines += [
                f"With {comp['pair'].nunique()} scenario pairs the figure shows how the pairs' differences spread "
                "(one count per pair, the mean over its replications) rather than one interval per pair.",
                "",
            ]
    verdicts = summary.verdicts(comp)
    if not verdicts.empty and len(verdicts) <= MAX_PAIR_ROWS:
        s_unit, b_unit = (outcome(n).unit for n in ("total_spending", "burden_total"))
        rows = [
            [
                v["pair"],
                signed_interval(v["spend"]["diff"], v["spend"]["low"], v["spend"]["high"]),
                signed_interval(v["burden"]["diff"], v["burden"]["low"], v["burden"]["high"]),
                v["verdict"],
            ]
            for _, v in verdicts.iterrows()
        ]
        lines += [
            "### 2.2 Spending and unmet need together: at what price?",
            "",
            "Price = extra spending per severity-weighted person-month of unmet need avoided, given only "
            "where transformation has significantly less unmet need at a significantly higher cost.",
            "",
            table(["pair", f"spending difference [{s_unit}]", f"burden difference [{b_unit}]", "verdict"], rows),
            "",
        ]
    if len(pair_list) > MAX_PAIR_ROWS:
        return lines + [f"{len(pair_list)} pairs: per-pair tables are left out (see the overview above).", ""]
    lines += ["### 2.3 Every comparison", ""]
    for group, title in GROUPS.items():
        outs = [o for o in key if o.group == group]
        rows = []
        for o in outs:
            for _, r in comp[comp["outcome"] == o.name].iterrows():
                rows.append(
                    [
                        o.label,
                        r["pair"],
                        num(r["control"]),
                        num(r["transformation"]),
                        signed_interval(r["diff"], r["low"], r["high"]),
                        pct(r["rel"]),
                        num(r["effect"]),
                        pval(r["p"]),
                        pval(r["p_holm"]),
                        pval(r["p_check_holm"]),
                    ]
                )
        if rows:
            test, check = comp["test"].iloc[0], comp["check"].iloc[0]
            effect = "d_z" if comp["paired"].iloc[0] else "Cohen's d"
            lines += [
                f"#### {title}",
                "",
                table(
                    [
                        "outcome",
                        "pair",
                        "cost control",
                        "transformation",
                        "difference (95% CI)",
                        "relative",
                        effect,
                        f"p ({test})",
                        "p Holm",
                        f"p Holm ({check})",
                    ],
                    rows,
                ),
                "",
            ]
    units = "; ".join(f"{o.label}: {o.unit}" for o in key)
    return lines + [f"Units: {units}.", ""]


def tradeoff_section(
    cells: pd.DataFrame, front: list[str], hue: str | None, tx: Outcome, ty: Outcome, figdir: Path
) -> list[str]:
    """Section 3: spending against unmet need per cell, with the Pareto front."""
    lines = ["## 3. Trade-off: spending against unmet need", ""]
    if not front:
        return lines + [f"The sweep did not keep both `{tx.name}` and `{ty.name}`.", ""]
    others = [c for c in cells.columns if c.startswith("factor_") and c != hue]
    marker = next((c for c in others if cells[c].nunique() <= 10), None)
    figures.tradeoff(cells, tx, ty, front, hue, marker, figdir / "tradeoff.png")
    px = cells[cells["outcome"] == tx.name].set_index("cell")
    py = cells[cells["outcome"] == ty.name].set_index("cell")
    rows = [
        [str(i), c, interval(*px.loc[c, ["mean", "low", "high"]]), interval(*py.loc[c, ["mean", "low", "high"]])]
        for i, c in enumerate(front, start=1)
    ]
    many = len(px) > figures.MANY_CELLS
    note = (
        [f"With {len(px)} cells the figure shows cell means only; their 95% intervals are in the table below.", ""]
        if many
        else []
    )
    return lines + [
        image("figures/tradeoff.png", "spending against unmet need with the Pareto front"),
        "",
        *note,
        "Cells on the Pareto front (no other cell has lower means on both axes"
        + ("; # is the cell's number in the figure):" if many else "):"),
        "",
        table(["#", "cell", tx.axis_label, ty.axis_label], rows),
        "",
    ]


def break_even_section(sw: Sweep, be: pd.DataFrame, figdir: Path, series_note: str) -> list[str]:
    """Section 4: break-even month and payback per pair, with the cumulative-difference figure."""
    if not compare.has_stance(sw.runs):
        return []
    lines = ["## 4. Does transformation pay back? Break-even of cumulative spending", ""]
    if sw.series is None:
        return lines + [series_note or "series.parquet is not in this folder: break-even needs the monthly series.", ""]
    if be.empty:
        return lines + ["The sweep did not keep the monthly `spending` series.", ""]
    if len(be) > MAX_PAIR_ROWS:
        return lines + [
            *summary.break_even_sentences(be, sw.months),
            "",
            f"{len(be)} pairs: the per-pair table and figure are left out.",
            "",
        ]
    lines += [
        "'Invest today, threefold tomorrow', tested: per paired replication, the first month from which "
        "cumulative spending under transformation stays below cost control to the end of the run.",
        "",
    ]
    rows = []
    for _, r in be.iterrows():
        rows.append(
            [
                r["pair"],
                f"{int(r['reached'])}/{int(r['n'])}",
                str(int(r["from_start"])),
                month(r["median"]),
                f"{month(r['first'])}-{month(r['last'])}" if np.isfinite(r["first"]) else "-",
                month(r["mean_month"]) if r["mean_month"] is not None and not _nan(r["mean_month"]) else "never",
                signed_interval(r["end_diff"], r["end_low"], r["end_high"]),
                num(r["peak"]),
                f"{num(r['payback'])} ({int(r['threefold'])}/{int(r['invested'])})",
            ]
        )
    lines += [
        table(
            [
                "pair",
                "break even (reps)",
                "below from start",
                "median month (others)",
                "range",
                "mean band below 0 from month",
                f"cumulative difference at month {sw.months - 1} [EUR million]",
                "mean peak extra spending [EUR million]",
                "median payback ratio (reps >= 3 / invested)",
            ],
            rows,
        ),
        "",
    ]
    if figures.cumulative(compare.pairs(sw.runs), sw.series, be, figdir / "break_even.png"):
        lines += [image("figures/break_even.png", "cumulative extra spending of transformation"), ""]
    return lines


def _nan(x: object) -> bool:
    return isinstance(x, float) and math.isnan(x)


def timeseries_section(sw: Sweep, hue: str | None, figdir: Path, series_note: str) -> list[str]:
    """Section 5: monthly series with 95% bands, coloured by stance, a panel per cell of named levels."""
    lines = ["## 5. Over time", ""]
    if sw.series is None:
        return lines + [series_note or "series.parquet is not in this folder, so there are no time series.", ""]
    others = [c for c in compare.varied(sw.runs) if c != hue]
    # Sampled (numeric) factors take a new value at every point: a panel per point says little,
    # so lines average over them; named levels get a panel each while that stays readable.
    sampled = [c for c in others if pd.api.types.is_numeric_dtype(sw.runs[c])]
    facets = [c for c in others if c not in sampled]
    if facets and sw.runs.groupby(facets).ngroups > figures.MAX_FACETS:
        facets = []
    pooled = [c.removeprefix("factor_") for c in others if c not in facets]
    if pooled:
        lines += [f"Lines average over all values of {', '.join(pooled)} (bands include their spread).", ""]
    for var in present(list(SERIES), set(sw.series["variable"].unique())):
        path = figures.timeseries(sw.series, sw.runs, var, hue, facets, figdir / f"series_{var.name}.png")
        if path:
            lines += [f"### {var.label[0].upper()}{var.label[1:]}", "", image(f"figures/{path.name}", var.label), ""]
    return lines


def discovery_section(disc: Discovery | None, figdir: Path) -> list[str]:
    """Section 6: PRIM's boxes where transformation wins on both counts and where it does not."""
    if disc is None:
        return []
    lines = [
        "## 6. Scenario discovery: where does transformation win on both counts?",
        "",
        "A *win* is a paired replication in which transformation had both lower public spending over the run "
        "and a lower burden of unmet need than cost control. PRIM (Friedman & Fisher 1999; EMA Workbench's, peeling "
        "5% at a time, minimum mass 5%) looks for the region of the other factors where wins are dense, and "
        "then, as scenario discovery usually does (Bryant & Lempert 2010), for the region where the other "
        "replications (*non-wins*: transformation higher on at least one count) are dense. In each search the "
        "box chosen has the largest coverage x density among boxes with density at least 0.8, or, when the "
        "cases already make up 80% or more of the design, at least halfway from their overall share to 1 "
        "(else the densest box).",
        "",
        summary.discovery_sentence(disc),
        "",
    ]
    if disc.y.sum() in (0, disc.y.size):
        return lines  # one kind only: the sentence above says so, no box to describe
    for s in disc.searches:
        lines += _search_lines(disc, s, figdir)
    return lines


def _search_lines(disc: Discovery, s: Search, figdir: Path) -> list[str]:
    title = "Wins" if s.case == "wins" else "Non-wins"
    lines = [
        f"### 6.{1 if s.case == 'wins' else 2} {title}: transformation "
        f"{'lower' if s.case == 'wins' else 'not lower'} on both counts",
        "",
    ]
    if s.result is None:
        return [*lines, f"PRIM was not run: {s.reason}.", ""]
    box = s.result.box
    rows = [[c, box.describe(c), pval(box.qp.get(c, np.nan))] for c in box.restricted]
    lines += [
        f"{int(s.y.sum())} of {s.y.size} paired replications are {s.case} ({s.y.mean():.0%}); density asked for "
        f"{s.threshold:.2f}{'' if s.reached else ' (not reached: the densest box is shown)'}.",
        "",
        f"Box: coverage {box.coverage:.2f}, density {box.density:.2f}, mass {box.mass:.2f} "
        f"({box.n} of {s.result.n} paired replications).",
        "",
    ]
    if rows:
        lines += [table(["factor", "limits", "quasi p-value (restriction matters if small)"], rows), ""]
    name = "prim.png" if s.case == "wins" else "prim_non_wins.png"
    figures.prim_trajectory(s.result, figdir / name, s.case)
    lines += [image(f"figures/{name}", f"PRIM peeling trajectory ({s.case})"), ""]
    return lines


def sensitivity_section(sw: Sweep, outputs: list[str] | None, figdir: Path) -> list[str]:
    """Section 7 (Morris and Sobol designs only): the indices as a table and a bar chart."""
    if sw.method not in sensitivity.METHODS:
        return []
    from ecosim.errors import InputError

    wanted = list(outputs or [o for o in SENSITIVITY_OUTPUTS if o in sw.runs.columns])
    unknown = sorted(set(wanted) - set(sw.runs.columns))
    if unknown:
        raise InputError(
            f"sensitivity outputs {unknown} are not in runs.parquet; kept: "
            f"{sorted(c for c in sw.runs.columns if c in SCALARS)}"
        )
    title = {"morris": "Morris elementary effects", "sobol": "Sobol indices"}[sw.method]
    lines = [f"## 7. Sensitivity analysis: {title}", ""]
    exp = sensitivity.experiment_of(sw.manifest)
    try:
        idx = sensitivity.indices(sw.runs, exp, wanted)
    except InputError as exc:
        return lines + [f"Not computed: {exc}.", ""]
    lines += [
        "Design points are SALib's sample in SALib's order; each point's output is the mean over its "
        f"{exp.replications} replication(s) (common random numbers, so averaging removes shared noise without "
        "breaking SALib's design). "
        + (
            "Morris: mu* is the mean absolute elementary effect (output change per design step, a share "
            f"{exp.design.levels / (2 * (exp.design.levels - 1)):.2f} of a factor's range) with its 95% bootstrap "
            "half-width; sigma large against mu* signals interactions or non-linearity."
            if sw.method == "morris"
            else "Sobol: S1 is the share of output variance due to a factor alone, ST including its interactions; "
            "95% bootstrap intervals."
        ),
        "",
    ]
    rows = []
    for _, r in idx.iterrows():
        label = outcome(r["output"]).label
        if sw.method == "morris":
            vals = [f"{num(r['mu_star'])} +/- {num(r['mu_star_conf'])}", num(r["mu"]), num(r["sigma"])]
        else:
            vals = [f"{num(r['S1'])} +/- {num(r['S1_conf'])}", f"{num(r['ST'])} +/- {num(r['ST_conf'])}"]
        rows.append([label, r["levels"] or "-", r["factor"], *vals])
    head = ["mu* (95%)", "mu", "sigma"] if sw.method == "morris" else ["S1 (95%)", "ST (95%)"]
    lines += [table(["output", "levels", "factor", *head], rows), ""]
    if figures.sensitivity(
        idx.assign(output=[outcome(o).label for o in idx["output"]]), sw.method, figdir / "sensitivity.png"
    ):
        lines += [image("figures/sensitivity.png", title), ""]
    return lines


def appendix_section(key: list[Outcome]) -> list[str]:
    """Appendix: every outcome's column, label, unit and definition."""
    rows = [
        [f"`{o.name}`", o.label, o.unit, f"{SCALARS[o.name].meaning} [{SCALARS[o.name].unit}]", o.better or "-"]
        for o in key
    ]
    return [
        "## Appendix: outcomes",
        "",
        table(["column", "label", "unit in this report", "definition (ecosim.outputs.registry)", "better"], rows),
        "",
    ]
