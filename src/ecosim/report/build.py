"""Build DIR/report.md and DIR/figures/*.png from a sweep's output folder.

The report answers issue 4 - under which conditions does cooperative transformation beat
cost control, for whom, and at what price - in sections that each rest on one table:
cells, paired comparisons, robustness (regret, satisficing, worst decile), trade-off,
break-even, time series, scenario discovery and sensitivity. The summary at the top is generated
from those tables (:mod:`summary`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from ecosim.report import compare, sections, summary
from ecosim.report.discovery import discover
from ecosim.report.exploration import exploration_section
from ecosim.report.markdown import table
from ecosim.report.outcomes import KEY_OUTCOMES, TRADEOFF, outcome, present
from ecosim.report.robustness import robustness_section
from ecosim.report.stats import pareto_front
from ecosim.report.sweep import Sweep, load


def build_report(
    folder: str | Path,
    sensitivity_outputs: list[str] | None = None,
    series_note: str = "",
    budget_threshold: float = 1.0,
    burden_threshold: float | None = None,
    baseline: dict[str, str] | None = None,
    regions: list[str | Path] | None = None,
) -> Path:
    """Write DIR/report.md and DIR/figures/*.png for the sweep in ``folder``; return the report's path.

    Args:
        folder: the output folder of ``ecosim sweep``.
        sensitivity_outputs: scalars for the Morris/Sobol section (default :data:`sections.SENSITIVITY_OUTPUTS`).
        series_note: a sentence on where the time series came from, when series.parquet is absent.
        budget_threshold: robustness section: satisficing bound on spending / budget (default 1.0).
        burden_threshold: robustness section: satisficing bound on burden per 1,000 inhabitants (last
            12 months); None: each group's median over the baseline runs.
        baseline: robustness section: ``factor -> level`` of the runs whose median sets the default
            burden bound (None: all runs).
        regions: finished region sweeps (``experiments/region_*.toml``) to add as section 2d: each real
            region's strategies and forms on the calibrated baseline.

    Raises:
        InputError: when the folder is not a sweep's output, or requested outputs are unknown.
    """
    sw = load(folder)
    figdir = sw.folder / "figures"
    figdir.mkdir(parents=True, exist_ok=True)
    key = present(KEY_OUTCOMES, sw.runs.columns)
    cells = compare.cells(sw.runs, key)
    hue = "factor_stance" if "factor_stance" in compare.varied(sw.runs) else _first_small(sw.runs)
    front = _pareto(cells)

    parts: list[str] = []
    bullets: list[str] = [_what_ran(sw, cells)]
    if compare.has_stance(sw.runs):
        pair_list = compare.pairs(sw.runs)
        comp = compare.compare(pair_list, key)
        be = compare.break_even(pair_list, sw.series) if sw.series is not None else pd.DataFrame()
        disc = discover(pair_list)
        explored, explored_sentence = exploration_section(pair_list, sw.experiment, "2b")
        if explored_sentence:
            bullets.append(explored_sentence)
        bullets += [summary.outcome_sentence(comp, o) for o in summary.summary_outcomes(list(comp["outcome"]))]
        bullets += summary.break_even_sentences(be, sw.months)
        gap = outcome("gap_burden_per_1000_last12")
        if gap.name in set(comp["outcome"]):
            bullets.append(summary.gap_sentence(comp, gap))
        parts += sections.comparison_section(sw, pair_list, comp, key, figdir)
        parts += explored
    else:
        reason = (
            "This sweep has no factor named `stance` with levels `cost_control` and `transformation`, so "
            "the two strategies are not compared (sections on paired differences, break-even and scenario "
            "discovery are left out)."
        )
        bullets.append(reason)
        bullets += summary.no_stance_sentences(cells, summary.summary_outcomes([o.name for o in key]))
        parts += ["## 2. Cost control compared with transformation", "", reason, ""]
        be, disc = pd.DataFrame(), None
    robust, robust_sentence = robustness_section(sw.runs, figdir, "2c", budget_threshold, burden_threshold, baseline)
    if robust_sentence:
        bullets.append(robust_sentence)
    parts += robust
    if regions:
        from ecosim.report.region import region_section

        parts += region_section(list(regions), sw.folder, "2d")
    tx, ty = (outcome(n) for n in TRADEOFF)
    if front:
        bullets.append(summary.pareto_sentence(front, cells["cell"].nunique(), cells, tx, ty))
    if disc is not None:
        bullets.append(summary.discovery_sentence(disc))
    bullets.append(
        "All intervals are 95% and reflect the model's own randomness over replications only; the parameters "
        "are uncalibrated first estimates (docs/ODD.md), so these are statements about the model, not yet "
        "about the Netherlands."
    )

    parts += sections.tradeoff_section(cells, front, hue, tx, ty, figdir)
    parts += sections.break_even_section(sw, be, figdir, series_note)
    parts += sections.timeseries_section(sw, hue, figdir, series_note)
    parts += sections.discovery_section(disc, figdir)
    parts += sections.sensitivity_section(sw, sensitivity_outputs, figdir)

    head = _header(sw) + ["## Summary", "", *[f"- {b}" for b in bullets], "", *_methods(), *_design(sw)]
    text = "\n".join([*head, *sections.cells_section(cells, key), *parts, *sections.appendix_section(key)]) + "\n"
    path = sw.folder / "report.md"
    path.write_text(text, encoding="utf-8")
    return path


def _first_small(runs: pd.DataFrame) -> str | None:
    # Colour lines by a factor only when it has few levels; otherwise colours mean nothing.
    for col in compare.varied(runs):
        if runs[col].nunique() <= 6:
            return col
    return None


def _pareto(cells: pd.DataFrame) -> list[str]:
    x, y = TRADEOFF
    px = cells[cells["outcome"] == x].set_index("cell")["mean"]
    py = cells[cells["outcome"] == y].set_index("cell")["mean"]
    if px.empty or py.empty:
        return []
    py = py.loc[px.index]
    return list(px.index[pareto_front(px.to_numpy(), py.to_numpy())])


def _header(sw: Sweep) -> list[str]:
    exp = sw.experiment
    return [
        f"# Report: {exp.get('name', sw.folder.name)}",
        "",
        f"{exp.get('description', '')}".strip(),
        "",
        f"Generated by `ecosim report` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC from `{sw.folder.name}/` "
        f"(ecosim {sw.manifest.get('ecosim_version', '?')}, Mesa {sw.manifest.get('mesa_version', '?')}, "
        f"sweep run at git commit {str(sw.manifest.get('git_commit') or 'unknown')[:12]}"
        + (" with uncommitted changes to src/ecosim" if sw.manifest.get("source_modified") else "")
        + ").",
        "",
    ]


def _what_ran(sw: Sweep, cells: pd.DataFrame) -> str:
    n_cells = cells["cell"].nunique()
    reps = sw.runs.groupby("point").size()
    rep_text = f"{reps.min()}" if reps.min() == reps.max() else f"{reps.min()}-{reps.max()}"
    plural = "" if rep_text == "1" else "s"
    return (
        f"**What was run**: {len(sw.runs)} runs of {sw.months} months ({sw.method} design): {n_cells} scenario "
        f"cells x {rep_text} replication{plural}, on the base scenario `{sw.experiment.get('scenario', '?')}`."
    )


def _methods() -> list[str]:
    return [
        "## How the numbers were made",
        "",
        "- A **scenario cell** is one combination of the factors; its runs are replications with different "
        "seeds. Cell values are the mean over replications with a 95% Student t interval.",
        "- **Paired comparison**: replication *r* uses the same seed in every cell (common random numbers), so "
        "cost control and transformation are compared run by run: the difference transformation minus cost "
        "control per replication, its mean with a 95% t interval, the effect size d_z (mean difference over "
        "the sd of the differences) and the **paired t-test** (it matches the t interval, and t = d_z x sqrt(n)). "
        "The **Wilcoxon signed-rank test** is shown as a check that does not assume normal differences. If "
        "seeds did not match, Welch's t-test, Cohen's d and the Mann-Whitney U test would be used instead.",
        "- **Holm correction** over all comparisons in the report (every pair and outcome): a difference is "
        "called significant when its Holm-adjusted p-value is below 0.05. 'Not significant' means the runs "
        "cannot tell the two stances apart, not that they are equal.",
        "- **Break-even**: the first month from which cumulative spending under transformation stays below "
        "cost control until the end of the run, per paired replication. **Payback ratio**: savings after the "
        "peak of extra spending per euro of that extra spending (3 = 'threefold').",
        "",
    ]


def _design(sw: Sweep) -> list[str]:
    exp = sw.experiment
    rows = []
    for name, f in exp.get("factors", {}).items():
        # A scale factor's values multiply the base scenario's value at its path.
        target = f"{f['path']} x" if f.get("scale") else f"{f.get('path')}="
        if f.get("levels"):
            levels = ", ".join(f"{k} ({', '.join(f'{p}={v}' for p, v in lv.items())})" for k, lv in f["levels"].items())
        elif f.get("values") is not None:
            labels = f.get("labels") or [str(v) for v in f["values"]]
            levels = ", ".join(f"{lab} ({target}{v})" for lab, v in zip(labels, f["values"], strict=True))
        elif f.get("scale"):
            levels = f"{f['path']} x [{f['bounds'][0]}, {f['bounds'][1]}] of the base scenario's value"
        else:
            levels = f"{f['path']} in [{f['bounds'][0]}, {f['bounds'][1]}]"
        rows.append([name, levels])
    design = exp.get("design", {})
    counts = sw.manifest.get("counts", {})
    file = sw.manifest.get("experiment_file", "?")  # None: ecosim.sweep was given an Experiment object
    source = f"Experiment file `{file}`" if file is not None else f"Experiment `{exp.get('name', '?')}` (no file)"
    lines = [
        "## What was run",
        "",
        f"{source}; design `{sw.method}`; "
        f"{exp.get('replications', '?')} replications from root seed {exp.get('root_seed', '?')}; "
        f"{sw.months} months per run; {len(sw.runs)} runs in runs.parquet"
        + (f" ({counts.get('failed', 0)} failed)" if counts else "")
        + ".",
        "",
    ]
    if sw.series is not None and sw.series["value"].dtype == np.float32:
        lines += ["series.parquet keeps the monthly series at single precision (about 7 significant digits), "
                  "reduced from the sweep's output to keep this folder small.", ""]  # fmt: skip
    if sw.method in ("lhs", "morris", "sobol"):
        extra = {"lhs": "samples", "morris": "trajectories", "sobol": "base_samples"}[sw.method]
        lines += [
            f"Sampling: {extra} = {design.get(extra)}"
            + (
                f", levels = {design.get('levels')}"
                if sw.method == "morris"
                else f", second_order = {design.get('second_order')}"
                if sw.method == "sobol"
                else ""
            )
            + ".",
            "",
        ]
    if rows:
        lines += [table(["factor", "levels or range (parameters set)"], rows), ""]
    return lines
