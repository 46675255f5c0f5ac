"""The report's figures: written for a council member, so every axis says what and in which unit.

Each function draws one figure from the report's tables and returns the file it wrote. The
stance keeps one colour everywhere (orange cost control, green transformation); bands and
error bars are 95% confidence intervals over replications.
"""

from __future__ import annotations

import io
import math
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as ticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from PIL import Image  # noqa: E402

from ecosim.report import stats  # noqa: E402
from ecosim.report.compare import CONTROL, TRANSFORMATION, Pair, cell_label, cumulative_differences  # noqa: E402
from ecosim.report.outcomes import Outcome  # noqa: E402
from ecosim.report.prim import PrimResult  # noqa: E402

STANCE_COLOURS = {CONTROL: "#d95f02", TRANSFORMATION: "#1b9e77"}
STANCE_NAMES = {CONTROL: "cost control", TRANSFORMATION: "cooperative transformation"}
SIGNIFICANCE_COLOURS = {
    "better under transformation": "#1b9e77",
    "worse under transformation": "#d95f02",
    "higher / lower (no better or worse)": "#7570b3",
    "not significant": "#999999",
}
PALETTE_KEEP = (*STANCE_COLOURS.values(), *SIGNIFICANCE_COLOURS.values(), "#1f77b4", "#ff7f0e", "#000000", "#ffffff")
"""Colours every figure PNG keeps exactly."""
MONTH_AXIS = "month (0 = January 2015)"
MAX_FACETS = 12
"""More panels than this are unreadable; such figures are skipped (the tables stay)."""


def _colour(level: object, i: int) -> str:
    return STANCE_COLOURS.get(str(level), plt.get_cmap("tab10")(i % 10))


def _name(level: object) -> str:
    return STANCE_NAMES.get(str(level), str(level))


def _save(fig: plt.Figure, path: Path, legend_below: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Leave room under the panels for a figure legend, so it never covers a panel or a label.
    fig.tight_layout(rect=(0, 0.07 if legend_below else 0, 1, 1))
    buffer = io.BytesIO()
    fig.savefig(buffer, dpi=110)
    plt.close(fig)
    _write_png(buffer, path)
    return path


def _write_png(buffer: io.BytesIO, path: Path) -> None:
    # A palette PNG is a third of the size of a full-colour one, so a committed result folder
    # stays small. The palette is adaptive plus the report's named colours, and every pixel
    # takes its exactly nearest palette colour, so white stays white and a colour covering a
    # few pixels (a legend marker) is kept rather than merged away.
    rgb = np.asarray(Image.open(buffer).convert("RGB"))
    n_adaptive = 256 - len(PALETTE_KEEP)
    adaptive = Image.fromarray(rgb).quantize(colors=n_adaptive).getpalette()[: 3 * n_adaptive]
    keep = [int(c[i : i + 2], 16) for c in PALETTE_KEEP for i in (1, 3, 5)]
    palette = np.array(adaptive + keep, dtype=np.int32).reshape(-1, 3)
    keys = (rgb[..., 0].astype(np.int32) << 16) | (rgb[..., 1].astype(np.int32) << 8) | rgb[..., 2]
    unique, inverse = np.unique(keys.ravel(), return_inverse=True)
    colours = np.stack([unique >> 16, (unique >> 8) & 255, unique & 255], axis=1)
    nearest = ((colours[:, None, :] - palette[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)
    out = Image.fromarray(nearest[inverse].reshape(keys.shape).astype(np.uint8), mode="P")
    out.putpalette(palette.ravel().tolist())
    out.save(path, optimize=True)


def _legend_below(fig: plt.Figure, handles: list, labels: list[str], title: str | None = None) -> None:
    if handles:
        fig.legend(
            handles, labels, loc="lower center", ncol=min(4, len(labels)), fontsize=9, frameon=False, title=title
        )


def _axis_numbers(ax: plt.Axes, axis: str = "x") -> None:
    # Few ticks with thousands separators: large counts stay readable.
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(ticker.MaxNLocator(nbins=5))
    target.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:,.10g}"))


def _grid(n: int, width: float = 4.6, height: float = 3.3) -> tuple[plt.Figure, np.ndarray]:
    cols = min(3, n)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows + 0.6), squeeze=False, sharey=True)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, axes


def _groups(frame: pd.DataFrame, cols: list[str]) -> list[tuple[dict[str, object], pd.DataFrame]]:
    if not cols:
        return [({}, frame)]
    out = []
    for key, grp in frame.groupby(cols, sort=False, dropna=False):
        out.append((dict(zip(cols, key if isinstance(key, tuple) else (key,), strict=True)), grp))
    return out


def timeseries(
    series: pd.DataFrame, runs: pd.DataFrame, var: Outcome, hue: str | None, facets: list[str], path: Path
) -> Path | None:
    """Mean monthly series per cell with its 95% band: one panel per facet cell, one line per hue level.

    Returns None (nothing drawn) when there would be more than :data:`MAX_FACETS` panels.
    """
    s = series[series["variable"] == var.name]
    wide = s.pivot_table(index="month", columns="run_id", values="value", aggfunc="first").sort_index() * var.scale
    panels = _groups(runs, facets)
    if len(panels) > MAX_FACETS or wide.empty:
        return None
    fig, axes = _grid(len(panels))
    keys = [*facets, *([hue] if hue else [])]
    n_runs = (runs.groupby(keys, dropna=False).size().min() if keys else len(runs)) if len(runs) else 0
    for ax, (context, grp) in zip(axes.flat, panels, strict=False):
        for i, (level, cell) in enumerate(_groups(grp, [hue] if hue else [])):
            ids = [r for r in cell["run_id"] if r in wide.columns]
            if not ids:
                continue
            m = wide[ids].to_numpy()
            ci = [stats.mean_ci(row) for row in m]
            mean = np.array([c.mean for c in ci])
            colour = _colour(level.get(hue), i) if hue else "#1f77b4"
            ax.plot(wide.index, mean, color=colour, label=_name(level[hue]) if hue else "mean")
            if len(ids) > 1:
                ax.fill_between(
                    wide.index, [c.low for c in ci], [c.high for c in ci], color=colour, alpha=0.25, linewidth=0
                )
        ax.set_title(cell_label(context) if context else "all cells", fontsize=9)
        ax.set_xlabel(MONTH_AXIS)
        ax.grid(alpha=0.3)
    # One label for the whole grid: a long label does not fit beside one short panel.
    fig.supylabel(var.axis_label)
    _legend_below(fig, *axes.flat[0].get_legend_handles_labels(), title=hue.removeprefix("factor_") if hue else None)
    fig.suptitle(f"{var.label[0].upper()}{var.label[1:]}: mean of {n_runs} runs per line, 95% confidence band")
    return _save(fig, path, legend_below=True)


MANY_CELLS = 40
"""Cells beyond which the trade-off plot drops its intervals and numbers the Pareto front."""
MAX_FOREST_PAIRS = 30
"""Cell pairs beyond which a forest plot is unreadable; the spread of the differences is drawn instead."""


def differences(comp: pd.DataFrame, outcomes: list[Outcome], path: Path, alpha: float = 0.05) -> Path | None:
    """Forest plot: transformation minus cost control per cell pair, 95% CI, coloured by Holm-significance.

    With more than :data:`MAX_FOREST_PAIRS` pairs, histograms of the pairs' differences instead.
    """
    outcomes = [o for o in outcomes if o.name in set(comp["outcome"])]
    if not outcomes:
        return None
    pairs_ = list(dict.fromkeys(comp["pair"]))
    if len(pairs_) > MAX_FOREST_PAIRS:
        return difference_spread(comp, outcomes, path)
    fig, axes = plt.subplots(
        math.ceil(len(outcomes) / 3),
        min(3, len(outcomes)),
        squeeze=False,
        sharey=True,
        # Each row of panels needs room for its title and axis label even with one pair.
        figsize=(5.2 * min(3, len(outcomes)), 1.9 + math.ceil(len(outcomes) / 3) * max(1.8, 0.32 * len(pairs_) + 0.6)),
    )
    for ax in axes.flat[len(outcomes) :]:
        ax.set_visible(False)
    y = np.arange(len(pairs_))
    legend = SIGNIFICANCE_COLOURS
    for ax, o in zip(axes.flat, outcomes, strict=False):
        d = comp[comp["outcome"] == o.name].set_index("pair").loc[pairs_]
        for yi, (_, r) in zip(y, d.iterrows(), strict=True):
            colour = legend["not significant"]
            if r["p_holm"] < alpha:
                if o.better is None:
                    colour = legend["higher / lower (no better or worse)"]
                else:
                    good = (r["diff"] < 0) == (o.better == "lower")
                    colour = legend["better under transformation" if good else "worse under transformation"]
            err = [[r["diff"] - r["low"]], [r["high"] - r["diff"]]] if np.isfinite(r["low"]) else None
            ax.errorbar(r["diff"], yi, xerr=err, fmt="o", color=colour, capsize=3)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_yticks(y, pairs_, fontsize=8)
        ax.invert_yaxis()
        ax.set_title(o.label, fontsize=10)
        ax.set_xlabel(f"difference [{o.unit}]", fontsize=9)
        _axis_numbers(ax)
        ax.grid(axis="x", alpha=0.3)
    handles = [plt.Line2D([], [], marker="o", linestyle="", color=c) for c in legend.values()]
    _legend_below(fig, handles, list(legend))
    fig.suptitle("Transformation minus cost control, per scenario (95% CI; colour: Holm-corrected test at 5%)")
    return _save(fig, path, legend_below=True)


def difference_spread(comp: pd.DataFrame, outcomes: list[Outcome], path: Path) -> Path:
    """Histograms, one per outcome, of transformation minus cost control over the cell pairs.

    Each pair counts once (its mean over replications); relative outcomes are shown in % of
    cost control. Bars left of zero are pairs where transformation was lower.
    """
    cols = min(3, len(outcomes))
    rows_ = math.ceil(len(outcomes) / 3)
    fig, axes = plt.subplots(rows_, cols, squeeze=False, figsize=(5.2 * cols, 3.4 * rows_ + 0.8))
    for ax in axes.flat[len(outcomes) :]:
        ax.set_visible(False)
    for ax, o in zip(axes.flat, outcomes, strict=False):
        d = comp[comp["outcome"] == o.name]
        relative = d["rel"].notna().all()
        values = (d["rel"] * 100.0 if relative else d["diff"]).to_numpy(dtype=float)
        lower, higher = int((values < 0).sum()), int((values > 0).sum())
        ax.hist(values, bins=min(30, max(5, len(values) // 3)), color="#4c72b0", alpha=0.85, edgecolor="white")
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_title(f"{o.label}\nlower in {lower}, higher in {higher} of {len(values)} pairs", fontsize=10)
        ax.set_xlabel(f"difference [{'% of cost control' if relative else o.unit}]", fontsize=9)
        ax.set_ylabel("scenario pairs [count]", fontsize=9)
        _axis_numbers(ax)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle("Transformation minus cost control: spread over the scenario pairs (mean over replications)")
    return _save(fig, path)


def tradeoff(
    cells: pd.DataFrame, x: Outcome, y: Outcome, front: list[str], hue: str | None, marker: str | None, path: Path
) -> Path:
    """Cell means of spending (x) against unmet need (y) with 95% CIs; the Pareto front joined.

    Colour shows ``hue`` (the stance), marker shape ``marker`` (another factor); cells on the
    front are labelled. With more than :data:`MANY_CELLS` cells the intervals are left out
    (they would hide the points) and front cells are numbered in front order, as in the
    report's table.
    """
    px = cells[cells["outcome"] == x.name].set_index("cell")
    py = cells[cells["outcome"] == y.name].set_index("cell").loc[px.index]
    many = len(px) > MANY_CELLS
    fig, ax = plt.subplots(figsize=(10, 6.5))
    shapes = dict(zip(dict.fromkeys(px[marker]), "osD^vP*Xph", strict=False)) if marker else {}
    for level, grp in _groups(px.reset_index(), [c for c in (hue, marker) if c]):
        sel = grp["cell"].to_numpy()
        colour = _colour(level[hue], list(dict.fromkeys(px[hue])).index(level[hue])) if hue else "#1f77b4"
        parts = [_name(level[hue])] if hue else []
        parts += [f"{marker.removeprefix('factor_')}={level[marker]}"] if marker else []
        label = ", ".join(parts) or "scenario"
        ax.errorbar(
            px.loc[sel, "mean"],
            py.loc[sel, "mean"],
            xerr=None if many else _err(px.loc[sel]),
            yerr=None if many else _err(py.loc[sel]),
            fmt=shapes.get(level.get(marker), "o"),
            capsize=3,
            color=colour,
            label=label,
            alpha=0.6 if many else 0.85,
            markersize=5 if many else 7,
        )
    for i, cell in enumerate(front, start=1):
        ax.annotate(
            str(i) if many else _short(cell, hue),
            (px.loc[cell, "mean"], py.loc[cell, "mean"]),
            fontsize=7,
            xytext=(5, -10),
            textcoords="offset points",
            color="#222222",
        )
    fx = px.loc[front, "mean"].to_numpy()
    fy = py.loc[front, "mean"].to_numpy()
    order = np.argsort(fx)
    ax.step(
        fx[order],
        fy[order],
        where="post",
        color="black",
        linestyle="--",
        linewidth=1,
        label="Pareto front (no scenario is better on both)",
    )
    ax.set_xlabel(x.axis_label)
    ax.set_ylabel(y.axis_label)
    ax.set_title(
        "Trade-off: what it costs against how much need stays unmet\n(lower left is better; "
        + (
            "points: cell means, numbered: the Pareto front as in the table)"
            if many
            else "95% CIs; labelled: cells on the Pareto front)"
        )
    )
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))
    return _save(fig, path)


def _err(frame: pd.DataFrame) -> np.ndarray | None:
    if not np.isfinite(frame["low"]).all():
        return None
    return np.vstack([frame["mean"] - frame["low"], frame["high"] - frame["mean"]])


def _short(cell: str, hue: str | None) -> str:
    # The colour already says the hue level; leave it out of the point's label.
    if hue is None:
        return cell
    key = hue.removeprefix("factor_") + "="
    return ", ".join(p for p in cell.split(", ") if not p.startswith(key)) or cell


def cumulative(pair_list: list[Pair], series: pd.DataFrame, be: pd.DataFrame, path: Path) -> Path | None:
    """Mean cumulative extra spending of transformation over cost control per pair, with its 95% band."""
    if not pair_list or len(pair_list) > MAX_FACETS:
        return None
    fig, axes = _grid(len(pair_list))
    for ax, pr in zip(axes.flat, pair_list, strict=False):
        cd = cumulative_differences(pr, series) * 1e-6
        ci = [stats.mean_ci(row) for row in cd.to_numpy()]
        ax.plot(cd.index, [c.mean for c in ci], color="#1b9e77", label="mean difference")
        ax.fill_between(
            cd.index,
            [c.low for c in ci],
            [c.high for c in ci],
            color="#1b9e77",
            alpha=0.25,
            linewidth=0,
            label="95% confidence band",
        )
        ax.axhline(0, color="black", linewidth=0.8)
        row = be[be["pair"] == pr.label]
        month = row["mean_month"].iloc[0] if len(row) else None
        if month is not None and np.isfinite(month):
            ax.axvline(month, color="#7570b3", linestyle=":", label="break-even (band below 0)")
        reached = f"{int(row['reached'].iloc[0])}/{int(row['n'].iloc[0])} replications break even" if len(row) else ""
        ax.set_title(f"{pr.label or 'all cells'}\n{reached}", fontsize=9)
        ax.set_xlabel(MONTH_AXIS)
        ax.grid(alpha=0.3)
    fig.supylabel("cumulative extra spending [EUR million]")
    _legend_below(fig, *axes.flat[0].get_legend_handles_labels())
    fig.suptitle(
        "Does transformation pay back? Cumulative spending, transformation minus cost control\n"
        "(above 0: transformation has spent more so far; below 0: it has saved)"
    )
    return _save(fig, path, legend_below=True)


def sensitivity(idx: pd.DataFrame, method: str, path: Path) -> Path | None:
    """Bar chart of Morris mu* or Sobol S1 and ST per factor, one panel per output and level set."""
    if idx.empty:
        return None
    panels = _groups(idx, ["output", "levels"])
    if len(panels) > MAX_FACETS:
        return None
    fig, axes = _grid(len(panels), width=5.0, height=3.6)
    for ax, (key, grp) in zip(axes.flat, panels, strict=False):
        y = np.arange(len(grp))
        if method == "morris":
            ax.barh(
                y, grp["mu_star"], xerr=grp["mu_star_conf"], color="#1f77b4", capsize=3, label="mu* (mean |effect|)"
            )
            ax.plot(grp["sigma"], y, "k|", markersize=12, label="sigma (interactions, non-linearity)")
            ax.set_xlabel("elementary effect [output unit per design step]")
        else:
            ax.barh(y - 0.2, grp["S1"], height=0.4, xerr=grp["S1_conf"], capsize=3, color="#1f77b4", label="S1 (alone)")
            ax.barh(
                y + 0.2,
                grp["ST"],
                height=0.4,
                xerr=grp["ST_conf"],
                capsize=3,
                color="#ff7f0e",
                label="ST (with interactions)",
            )
            ax.set_xlabel("share of output variance [-]")
        ax.set_yticks(y, grp["factor"], fontsize=8)
        ax.invert_yaxis()
        title = str(key["output"]) + (f"\n{key['levels']}" if key["levels"] else "")
        ax.set_title(title, fontsize=9)
        ax.grid(axis="x", alpha=0.3)
    _legend_below(fig, *axes.flat[0].get_legend_handles_labels())
    name = "Morris screening" if method == "morris" else "Sobol indices"
    fig.suptitle(f"{name}: which parameters move the outcomes (bars: 95% bootstrap CI)")
    return _save(fig, path, legend_below=True)


def prim_trajectory(result: PrimResult, path: Path, case: str = "wins") -> Path:
    """PRIM's peeling trajectory (coverage against density) with the chosen box marked."""
    fig, ax = plt.subplots(figsize=(7, 5))
    cov = [b.coverage for b in result.trajectory]
    den = [b.density for b in result.trajectory]
    dims = [len(b.restricted) for b in result.trajectory]
    top = max(dims)
    # Whole counts: one colour per count, ticks on the counts.
    norm = matplotlib.colors.BoundaryNorm(np.arange(-0.5, top + 1.5), top + 1)
    sc = ax.scatter(cov, den, c=dims, cmap=plt.get_cmap("viridis", top + 1), norm=norm, s=18)
    fig.colorbar(sc, ax=ax, label="restricted inputs [count]", ticks=range(top + 1))
    ax.scatter(
        [result.box.coverage],
        [result.box.density],
        s=160,
        facecolors="none",
        edgecolors="red",
        linewidths=2,
        label="chosen box",
    )
    ax.set_xlabel(f"coverage: share of all {case} inside the box [-]")
    ax.set_ylabel(f"density: share of paired replications in the box that are {case} [-]")
    ax.set_title(f"Scenario discovery (PRIM) of the {case}: peeling trajectory")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9)
    return _save(fig, path)


def _short_number(v: float) -> str:
    # Three significant figures with thousands separators (1,720; 83.3).
    mag = math.floor(math.log10(abs(v))) if v else 0
    return f"{v:,.{max(0, 2 - mag)}f}"


def robustness_heatmap(frame: pd.DataFrame, panels: list[tuple[str, str, str]], path: Path) -> Path | None:
    """Heat maps of robustness measures per strategy (rows) x cooperation form (columns), values written in.

    Args:
        frame: one row per strategy and form (columns ``strategy``, ``form`` and the measures).
        panels: per panel the measure's column, its title (with unit) and ``lower`` or ``higher``
            (which is better: the darker colour is always the worse end).
        path: the PNG to write.
    """
    panels = [p for p in panels if p[0] in frame and frame[p[0]].notna().any()]
    if frame.empty or not panels:
        return None
    strategies = list(dict.fromkeys(frame["strategy"]))
    forms = list(dict.fromkeys(frame["form"]))
    cols = min(2, len(panels))
    rows = math.ceil(len(panels) / cols)
    fig, axes = plt.subplots(
        rows, cols, figsize=(2.2 + 2.6 * cols, 0.9 + (0.9 + 0.5 * len(strategies)) * rows), squeeze=False
    )
    for ax in axes.flat[len(panels) :]:
        ax.set_visible(False)
    for k, (ax, (col, title, better)) in enumerate(zip(axes.flat, panels, strict=False)):
        grid = frame.pivot_table(index="strategy", columns="form", values=col, aggfunc="first", dropna=False)
        grid = grid.reindex(index=strategies, columns=forms).to_numpy(dtype=float)
        cmap = plt.get_cmap("Oranges" if better == "lower" else "Oranges_r")
        finite = grid[np.isfinite(grid)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        ax.imshow(grid, cmap=cmap, vmin=low, vmax=high if high > low else low + 1.0, aspect="auto")
        worse = low if better == "higher" else high
        for i in range(grid.shape[0]):
            for j in range(grid.shape[1]):
                v = grid[i, j]
                text = "-" if not np.isfinite(v) else (f"{v:.0%}" if better == "higher" else _short_number(v))
                dark = bool(np.isfinite(v) and high > low and abs(v - worse) < 0.4 * (high - low))
                ax.text(j, i, text, ha="center", va="center", fontsize=9, color="white" if dark else "black")
        ax.set_xticks(range(len(forms)), forms)
        ax.set_yticks(range(len(strategies)), [_name(s) for s in strategies] if k % cols == 0 else [])
        ax.set_xlabel("cooperation form", fontsize=8)
        ax.set_title("\n".join(textwrap.fill(part, 34) for part in title.split("\n")), fontsize=9)
    fig.suptitle("Robustness per strategy and cooperation form (darker: worse)")
    return _save(fig, path)
