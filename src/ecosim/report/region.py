"""The region report (issue 17, item 3): strategies and cooperation forms for one real region, for its policy lab.

Reads the output folder of ``ecosim sweep experiments/region_<name>.toml`` (a ``points``
design over a calibration's accepted posterior sets, crossed with the factors ``stance`` and
``form``; ``[outputs] municipal`` keeps each municipality's spending and budget summed over
the run and its waiting, unmet need and burden averaged) and writes ``DIR/report.md`` and
``DIR/figures/region_*.png``:

1. what ran: the region, its municipalities, the scale, the posterior sets, the commit;
2. the region as a whole, per strategy and form: spending against the region's budget,
   unmet need and waiting, each as the weighted median over the posterior sets with its
   90 % interval;
3. paired differences (same parameter set, same seed): committed transformation against
   committed cost control per form, and each form against none per strategy, with the share
   of sets in which each side comes out lower;
4. per municipality of the region: the same measures, and a figure;
5. how sure this is: what the intervals hold and what they do not.

Every sentence states numbers from the sweep; no sentence names a winner that the numbers do
not show, and the shares say in how many posterior sets each side comes out lower.

``python -m ecosim.report.region RESULTS``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ecosim.calibration.abc import effective_sample_size, weighted_quantile  # noqa: E402
from ecosim.errors import InputError  # noqa: E402
from ecosim.report.markdown import image, num, table  # noqa: E402
from ecosim.report.sweep import Sweep, load  # noqa: E402

STRATEGY = "factor_stance"
FORM = "factor_form"
SET = "factor_point_set"
WEIGHT = "factor_point_weight"
NEEDED = ("spending_sum", "budget_sum", "unmet_mean", "waiting_mean", "burden_mean", "population")
"""Columns of municipalities.parquet the report reads (experiments/region_*.toml keeps them)."""

MEASURES: tuple[tuple[str, str], ...] = (
    ("overspend", "spending over budget, 2015 to the end (share of budget)"),
    ("unmet_per_1000", "unmet need (refused or hidden), mean over the run, per 1,000 inhabitants"),
    ("waiting_per_1000", "waiting for care, mean over the run, per 1,000 inhabitants"),
)
"""The measures of every table: name and what it means."""

STRATEGY_NAMES = {
    "cost_control": "committed cost control",
    "transformation": "committed transformation",
    "adaptive": "adaptive councils",
}


def municipal_table(folder: Path) -> pd.DataFrame:
    """The sweep's municipalities.parquet, checked for what the report needs.

    Raises:
        InputError: when it is missing or lacks a column (the experiment kept no ``municipal`` outputs).
    """
    path = folder / "municipalities.parquet"
    if not path.is_file():
        raise InputError(
            f"{folder}: no municipalities.parquet (run an experiment with [outputs] municipal, such as "
            "experiments/region_amsterdam.toml)"
        )
    frame = pd.read_parquet(path)
    missing = [c for c in (*NEEDED, STRATEGY, FORM, "name") if c not in frame.columns]
    if missing:
        raise InputError(f"{path}: lacks columns {missing}; keep municipal = spending, budget, unmet, waiting, burden")
    return frame


def _measures(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the report's measures to rows that hold sums and means (one municipality or a whole region)."""
    out = frame.copy()
    out["overspend"] = out["spending_sum"] / out["budget_sum"] - 1.0
    out["unmet_per_1000"] = out["unmet_mean"] / out["population"] * 1000.0
    out["waiting_per_1000"] = out["waiting_mean"] / out["population"] * 1000.0
    return out


def region_rows(muni: pd.DataFrame) -> pd.DataFrame:
    """One row per run for the region as a whole: sums over its municipalities, then the measures."""
    keys = [c for c in muni.columns if c in ("run_id", STRATEGY, FORM, SET, WEIGHT)]
    summed = muni.groupby(keys, sort=False, dropna=False)[list(NEEDED)].sum().reset_index()
    return _measures(summed)


def _weights(frame: pd.DataFrame) -> np.ndarray:
    if WEIGHT in frame.columns:
        return frame[WEIGHT].to_numpy(dtype=float)
    return np.ones(len(frame))


def summarise(frame: pd.DataFrame, value: str) -> tuple[float, float, float]:
    """Weighted median and 90 % interval (5 % and 95 % quantiles) of ``value`` over the rows' parameter sets."""
    q = weighted_quantile(frame[value].to_numpy(dtype=float), np.array([0.5, 0.05, 0.95]), _weights(frame))
    return float(q[0]), float(q[1]), float(q[2])


def _fmt(q: tuple[float, float, float], percent: bool) -> str:
    if percent:
        return f"{q[0] * 100:+.1f} % ({q[1] * 100:+.1f} to {q[2] * 100:+.1f})"
    return f"{num(q[0])} ({num(q[1])} to {num(q[2])})"


def _levels(frame: pd.DataFrame, col: str) -> list[str]:
    return [str(v) for v in pd.unique(frame[col])]


def _cell_rows(frame: pd.DataFrame) -> list[list[str]]:
    rows = []
    for s in _levels(frame, STRATEGY):
        for f in _levels(frame, FORM):
            cell = frame[(frame[STRATEGY] == s) & (frame[FORM] == f)]
            if cell.empty:
                continue
            rows.append(
                [STRATEGY_NAMES.get(s, s), f] + [_fmt(summarise(cell, m), m == "overspend") for m, _ in MEASURES]
            )
    return rows


HEADER = ["strategy", "form", "spending over budget", "unmet per 1,000", "waiting per 1,000"]


def paired(frame: pd.DataFrame, a: dict[str, str], b: dict[str, str], value: str) -> pd.DataFrame:
    """``value`` of cell ``a`` minus cell ``b`` per parameter set (same seed), with the set's weight."""
    key = SET if SET in frame.columns else "run_id"

    def pick(cell: dict[str, str]) -> pd.DataFrame:
        mask = np.ones(len(frame), dtype=bool)
        for col, level in cell.items():
            mask &= (frame[col] == level).to_numpy()
        return frame.loc[mask].set_index(key)

    left, right = pick(a), pick(b)
    common = left.index.intersection(right.index)
    out = pd.DataFrame({"diff": left.loc[common, value] - right.loc[common, value]})
    out[WEIGHT] = left.loc[common, WEIGHT] if WEIGHT in left.columns else 1.0
    return out.reset_index()


def _diff_cell(d: pd.DataFrame, percent: bool) -> str:
    if d.empty:
        return "-"
    q = summarise(d, "diff")
    lower, higher = int((d["diff"] < 0).sum()), int((d["diff"] > 0).sum())
    text = f"{q[0] * 100:+.1f} pp ({q[1] * 100:+.1f} to {q[2] * 100:+.1f})" if percent else _fmt(q, False)
    return f"{text}; lower in {lower}, higher in {higher} of {len(d)}"


def _comparisons(reg: pd.DataFrame) -> list[str]:
    strategies, forms = _levels(reg, STRATEGY), _levels(reg, FORM)
    out = []
    pairs: list[tuple[str, dict[str, str], dict[str, str]]] = []
    if {"transformation", "cost_control"} <= set(strategies):
        for f in forms:
            pairs.append(
                (
                    f"transformation - cost control, form {f}",
                    {STRATEGY: "transformation", FORM: f},
                    {STRATEGY: "cost_control", FORM: f},
                )
            )
    if "none" in forms:
        for s in strategies:
            for f in forms:
                if f != "none":
                    pairs.append(
                        (f"{f} - none, {STRATEGY_NAMES.get(s, s)}", {STRATEGY: s, FORM: f}, {STRATEGY: s, FORM: "none"})
                    )
    if not pairs:
        return ["No paired comparison: the sweep lacks the levels (transformation and cost_control, or form none).", ""]
    rows = [
        [label] + [_diff_cell(paired(reg, a, b, m), m == "overspend") for m, _ in MEASURES] for label, a, b in pairs
    ]
    out += [
        "Each cell: the first minus the second, per posterior set (same parameters, same seed): weighted median "
        "(90 % interval), then in how many sets the first comes out lower and in how many higher (pp: percentage "
        "points of the budget).",
        "",
        table(["comparison", "spending over budget", "unmet per 1,000", "waiting per 1,000"], rows),
        "",
    ]
    return out


def _figure(muni: pd.DataFrame, reg: pd.DataFrame, path: Path) -> Path:
    """Spending over budget against unmet need per 1,000, one panel per municipality and one for the region."""
    panels = [("the region", reg)] + [(str(n), g) for n, g in muni.groupby("name", sort=False)]
    n = len(panels)
    cols = min(3, n)
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4.4 * cols, 3.4 * rows), squeeze=False)
    strategies, forms = _levels(reg, STRATEGY), _levels(reg, FORM)
    markers = dict(zip(forms, "osD^v<>", strict=False))
    colours = {s: plt.get_cmap("tab10")(i) for i, s in enumerate(strategies)}
    for ax, (title, frame) in zip(axes.flat, panels, strict=False):
        for s in strategies:
            for f in forms:
                cell = frame[(frame[STRATEGY] == s) & (frame[FORM] == f)]
                if cell.empty:
                    continue
                x, y = summarise(cell, "overspend"), summarise(cell, "unmet_per_1000")
                ax.errorbar(
                    x[0] * 100,
                    y[0],
                    xerr=[[max(x[0] - x[1], 0) * 100], [max(x[2] - x[0], 0) * 100]],
                    yerr=[[max(y[0] - y[1], 0)], [max(y[2] - y[0], 0)]],
                    fmt=markers.get(f, "o"),
                    color=colours[s],
                    capsize=2,
                    alpha=0.85,
                    label=f"{STRATEGY_NAMES.get(s, s)}, {f}",
                )
        ax.axvline(0, color="grey", lw=0.6)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("spending over budget [% of budget]", fontsize=8)
        ax.set_ylabel("unmet need per 1,000", fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=7, frameon=False)
    fig.tight_layout(rect=(0, 0.35 / (3.4 * rows), 1, 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _what_ran(sw: Sweep, muni: pd.DataFrame, reg: pd.DataFrame) -> list[str]:
    exp = sw.experiment
    commit = sw.manifest.get("git_commit") or "unknown"
    first = muni.drop_duplicates("name")[["name", "population"]]
    people = ", ".join(f"{r.name} ({num(float(r.population))})" for r in first.itertuples())
    sets = reg[SET].nunique() if SET in reg.columns else reg["run_id"].nunique()
    weights = reg.drop_duplicates(SET)[WEIGHT].to_numpy(dtype=float) if WEIGHT in reg.columns else np.ones(sets)
    design = exp.get("design", {})
    return [
        f"- Experiment `{exp.get('name', sw.folder.name)}`, "
        f"base scenario `{Path(str(exp.get('scenario', '?'))).name}`: "
        f"{len(sw.runs)} runs of {sw.months} months from January 2015; made at commit {commit}.",
        f"- The region's {len(first)} municipalities (inhabitants): {people}; "
        f"{num(float(first['population'].sum()))} in all.",
        f"- Strategies: {', '.join(STRATEGY_NAMES.get(s, s) for s in _levels(reg, STRATEGY))}; cooperation forms: "
        f"{', '.join(_levels(reg, FORM))}.",
        f"- Uncertainty: {sets} parameter sets from `{design.get('points', '?')}` with their weights (effective "
        f"sample size {num(effective_sample_size(weights))}); every strategy and form runs each set with the same "
        "seed, so their differences are paired.",
        "",
    ]


def _per_municipality(muni: pd.DataFrame) -> list[str]:
    out = []
    for name, g in muni.groupby("name", sort=False):
        pop = float(g["population"].iloc[0])
        out += [f"### {name} ({num(pop)} inhabitants)", "", table(HEADER, _cell_rows(g)), ""]
    return out


def _uncertainty(reg: pd.DataFrame) -> list[str]:
    sets = reg[SET].nunique() if SET in reg.columns else reg["run_id"].nunique()
    widths = []
    for _, cell in reg.groupby([STRATEGY, FORM], sort=False):
        q = summarise(cell, "overspend")
        widths.append((q[2] - q[1]) * 100)
    return [
        f"The intervals are the weighted 5 % and 95 % quantiles over the {sets} accepted parameter sets of the "
        "calibration, one seed each: they hold what the calibration left open about incidence, recovery, the cost "
        "of light youth care and providers' admin (and the seed's noise, which is inside them), nothing else. "
        f"The 90 % interval of spending over budget is between {min(widths):.1f} and {max(widths):.1f} percentage "
        "points wide across the strategy and form cells. They do not hold the uncertain parameters the calibration "
        "did not fit (they stay at the baseline's values; the flagship design explores them), the model's "
        "structural gaps (docs/ODD.md, gaps), or the extra youth-care money of 2019-2021, which the baseline does "
        "not have. The budgets are each municipality's share of the national budget as the model computes it, not "
        "the municipalities' own accounts.",
        "",
    ]


def _prepare(folder: str | Path) -> tuple[Sweep, pd.DataFrame, pd.DataFrame, str]:
    """A finished region sweep: the sweep, its per-municipality and region-wide measures, its title."""
    sw = load(folder)
    muni = _measures(municipal_table(sw.folder))
    title = str(sw.experiment.get("description") or sw.experiment.get("name") or sw.folder.name)
    return sw, muni, region_rows(muni), title


def build(folder: str | Path) -> Path:
    """Write ``folder/report.md`` (and its figure) for a region sweep; return its path."""
    sw, muni, reg, title = _prepare(folder)
    fig = _figure(muni, reg, sw.folder / "figures" / "region_tradeoff.png")
    parts = [f"# {title}", "", *_what_ran(sw, muni, reg)]
    parts += ["Measures: " + "; ".join(f"**{lab}**" for _, lab in MEASURES) + ".", ""]
    parts += ["## 1. The region as a whole", "", "Weighted median over the posterior sets (90 % interval).", ""]
    parts += [table(HEADER, _cell_rows(reg)), ""]
    parts += ["## 2. Paired differences", "", *_comparisons(reg)]
    parts += ["## 3. Per municipality", "", image(f"figures/{fig.name}", "spending over budget and unmet need"), ""]
    parts += [
        "Each point: weighted median over the posterior sets, bars: 90 % interval; colour the strategy, marker "
        "the form. Left of the grey line a municipality spends less than its budget.",
        "",
        *_per_municipality(muni),
    ]
    parts += ["## 4. How sure this is", "", *_uncertainty(reg)]
    path = sw.folder / "report.md"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def region_section(folders: list[str | Path], report_dir: str | Path, number: str = "2d") -> list[str]:
    """A section of the flagship report: each real region's strategies and forms on the calibrated baseline.

    Per region (a finished region sweep): what ran, the region-wide table per strategy and form, the
    paired differences, and links to its own report and figure (relative to ``report_dir``).
    """
    import os

    lines = [
        f"## {number}. Real regions on the calibrated baseline",
        "",
        "The design above explores every uncertain parameter on a synthetic region. A policy lab of a real "
        "youth-care region asks the same question of its own municipalities, with the parameters the calibration "
        "fitted: each region below is run on the calibrated national baseline (`scenarios/baseline_2015.toml`, "
        "the real map of 2016, each municipality's own need and budget allocation) over the calibration's "
        "accepted parameter sets, under the same strategies and forms.",
        "",
    ]
    for k, folder in enumerate(folders, start=1):
        sw, muni, reg, title = _prepare(folder)
        rel = Path(os.path.relpath(sw.folder, Path(report_dir)))
        fig = sw.folder / "figures" / "region_tradeoff.png"
        if not fig.is_file():
            _figure(muni, reg, fig)
        link = (rel / "report.md").as_posix()
        lines += [f"### {number}.{k} {title}", "", *_what_ran(sw, muni, reg)]
        lines += ["Weighted median over the posterior sets (90 % interval):", "", table(HEADER, _cell_rows(reg)), ""]
        lines += _comparisons(reg)
        lines += [
            image((rel / "figures" / fig.name).as_posix(), f"{title}: spending over budget and unmet need"),
            "",
            f"Per municipality and how sure this is: [{link}]({link}).",
            "",
        ]
    return lines


def main(argv: list[str] | None = None) -> None:
    """``python -m ecosim.report.region RESULTS``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", help="output folder of 'ecosim sweep experiments/region_<name>.toml'")
    args = parser.parse_args(argv)
    print(build(args.results))


if __name__ == "__main__":
    main()
