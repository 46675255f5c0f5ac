"""What a calibration writes: estimates, the fit table, calibrated values, figures, Markdown."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ecosim.calibration.abc import effective_sample_size, weighted_quantile  # noqa: E402
from ecosim.calibration.spec import START_YEAR, Calibration, Target, overrides_for  # noqa: E402
from ecosim.calibration.targets import quantity  # noqa: E402
from ecosim.scenario import Scenario  # noqa: E402

if TYPE_CHECKING:
    from ecosim.calibration.run import CalibrationResult

FIGURES = ("calibration_trajectories.png", "calibration_posterior.png")
"""Figures written to DIR/figures/."""


def fmt(x: float) -> str:
    """A figure for tables: millions as 'm', thousands as 'k', small numbers to 3 digits."""
    if not np.isfinite(x):
        return "n/a"
    a = abs(x)
    if a >= 1e6:
        return f"{x / 1e6:,.3g} m" if a < 1e9 else f"{x / 1e6:,.0f} m"
    if a >= 1e4:
        return f"{x / 1e3:,.0f} k"
    if a >= 100:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def run_weights(runs: pd.DataFrame, accepted: pd.DataFrame) -> pd.DataFrame:
    """The accepted particles' runs, each with its particle's weight shared over its runs."""
    w = dict(zip(accepted["particle"], accepted["weight"], strict=True))
    sel = runs[runs["particle"].isin(w)].copy()
    per = sel.groupby("particle")["particle"].transform("size")
    sel["weight"] = sel["particle"].map(w) / per
    return sel


def estimate_table(cal: Calibration, accepted: pd.DataFrame, point: dict[str, float]) -> pd.DataFrame:
    """Per free parameter: prior bounds, weighted posterior median, 90 % interval, mean, sd, written value."""
    rows = []
    w = accepted["weight"].to_numpy()
    for name, p in cal.parameters.items():
        x = accepted[name].to_numpy()
        q05, q50, q95 = weighted_quantile(x, [0.05, 0.5, 0.95], w)
        mean = float(np.average(x, weights=w))
        rows.append(
            {
                "parameter": name,
                "path": p.label(),
                "low": p.bounds[0],
                "high": p.bounds[1],
                "median": float(q50),
                "q05": float(q05),
                "q95": float(q95),
                "mean": mean,
                "sd": float(np.sqrt(np.average((x - mean) ** 2, weights=w))),
                "written": point[name],
                "description": p.description,
            }
        )
    return pd.DataFrame(rows)


def fit_table(cal: Calibration, post_runs: pd.DataFrame, check_runs: pd.DataFrame) -> pd.DataFrame:
    """Per target: observed and tolerance; simulated median and 90 % interval; in tolerance or not.

    ``post_runs`` are the accepted particles' runs with weights (the posterior predictive);
    ``check_runs`` the runs of the written point estimate (median and range).
    """
    rows = []
    for name, t in cal.targets.items():
        v = post_runs[name].to_numpy(dtype=float)
        q05, q50, q95 = weighted_quantile(v, [0.05, 0.5, 0.95], post_runs["weight"].to_numpy())
        row: dict[str, Any] = {
            "target": name,
            "quantity": t.quantity(),
            "when": t.when(),
            "observed": t.observed,
            "tolerance": t.tolerance,
            "sim_median": float(q50),
            "sim_q05": float(q05),
            "sim_q95": float(q95),
            "in_tolerance": bool(abs(q50 - t.observed) <= t.tolerance),
            "fitted": t.fit,
        }
        if len(check_runs):
            c = check_runs[name].to_numpy(dtype=float)
            c = c[np.isfinite(c)]
            med = float(np.median(c)) if len(c) else np.nan
            row.update(
                check_median=med,
                check_min=float(c.min()) if len(c) else np.nan,
                check_max=float(c.max()) if len(c) else np.nan,
                check_in_tolerance=bool(abs(med - t.observed) <= t.tolerance),
            )
        row.update(source=t.source, note=t.note)
        rows.append(row)
    return pd.DataFrame(rows)


def calibrated_values_toml(cal: Calibration, base: Scenario, point: dict[str, float], header: list[str]) -> str:
    """The point estimate as a scenario fragment (TOML tables), to paste into the scenario file."""
    from ecosim.calibration.run import toml_value

    overrides = overrides_for(cal.parameters, [point[n] for n in cal.parameters], base.model_dump())
    tables: dict[str, list[str]] = {}
    for dotted, value in overrides.items():
        # factor x reference list leaves float noise (0.10500000000000001); 12 digits print what was meant
        if isinstance(value, list):
            value = [float(f"{x:.12g}") if isinstance(x, float) else x for x in value]
        parent, _, key = dotted.rpartition(".")
        tables.setdefault(parent, []).append(f"{key} = {toml_value(value)}")
    lines = [f"# {h}" for h in header]
    for parent, entries in tables.items():
        lines += ["", f"[{parent}]", *entries]
    return "\n".join(lines) + "\n"


def _markdown(cal: Calibration, meta: dict[str, Any], fit: pd.DataFrame, est: pd.DataFrame, gens: pd.DataFrame) -> str:
    m = cal.method
    method = (
        "ABC-SMC: adaptive population Monte Carlo ABC (APMC, Lenormand, Jabot & Deffuant 2013)"
        if m.name == "abc-smc"
        else "ABC by rejection (closest share of a Latin-hypercube prior sample)"
    )
    lines = [
        f"# Calibration: {cal.name}",
        "",
        cal.description,
        "",
        f"- Method: {method}; {m.particles} particles per generation, {m.accept_fraction:.0%} kept, "
        f"{len(gens)} generation(s) run (at most {m.generations}), {m.replications} run(s) per particle.",
        f"- Distance: root mean square of (simulated - observed) / tolerance over the {len(cal.fitted)} fitted "
        f"targets; final tolerance {meta['tolerance']:.3f}.",
        f"- Accepted: {meta['accepted']} parameter sets (effective sample size {meta['ess']:.1f}) "
        f"of {meta['runs']} runs ({meta['failed_runs']} failed); {meta['seconds'] / 60:.1f} min, "
        f"finished {meta['finished'][:10]}.",
        f"- Base scenario: `{cal.scenario}`, {cal.horizon} months per run; root seed {m.root_seed}.",
        "",
        "## Fit",
        "",
        "Simulated: weighted median and 90 % interval over the accepted parameter sets' runs (posterior "
        "predictive). Calibrated scenario: median and range of "
        f"{m.check_replications} runs of the written point estimate with fresh seeds. "
        "In tolerance: |median - observed| <= tolerance.",
        "",
    ]
    has_check = "check_median" in fit.columns
    head = "| target | quantity | when | observed ± tolerance | simulated median [90 % interval] | in tol. |"
    sep = "|---|---|---|---|---|---|"
    if has_check:
        head += " calibrated scenario median [range] | in tol. |"
        sep += "---|---|"
    lines += [head + " source |", sep + "---|"]
    for r in fit.itertuples():
        name = r.target if r.fitted else f"{r.target} (not fitted)"
        cells = [
            name,
            f"`{r.quantity}`",
            r.when,
            f"{fmt(r.observed)} ± {fmt(r.tolerance)}",
            f"{fmt(r.sim_median)} [{fmt(r.sim_q05)}, {fmt(r.sim_q95)}]",
            "yes" if r.in_tolerance else "**no**",
        ]
        if has_check:
            cells += [
                f"{fmt(r.check_median)} [{fmt(r.check_min)}, {fmt(r.check_max)}]",
                "yes" if r.check_in_tolerance else "**no**",
            ]
        cells.append(r.source)
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Estimates",
        "",
        "| parameter | scenario path | prior (uniform) | posterior median [90 % interval] | written |",
        "|---|---|---|---|---|",
    ]
    for r in est.itertuples():
        lines.append(
            f"| {r.parameter} | `{r.path}` | [{fmt(r.low)}, {fmt(r.high)}] | "
            f"{r.median:.4g} [{r.q05:.4g}, {r.q95:.4g}] | {r.written:.4g} |"
        )
    lines += [
        "",
        "## Generations",
        "",
        "| generation | particles simulated | runs | computed now | failed | tolerance | acceptance | ESS | minutes |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for g in gens.itertuples():
        lines.append(
            f"| {g.generation} | {g.simulated} | {g.runs} | {g.computed} | {g.failed} | {g.tolerance:.3f} | "
            f"{g.acceptance:.0%} | "
            f"{g.ess:.1f} | {g.seconds / 60:.1f} |"
        )
    notes = [(n, t.note) for n, t in cal.targets.items() if t.note]
    if notes:
        lines += ["", "## Notes on targets", ""] + [f"- **{n}**: {note}" for n, note in notes]
    lines += [
        "",
        "Files: `fit.csv` (this table), `estimate.csv`, `accepted.csv` (accepted parameter sets with weights), "
        "`particles.parquet` (every simulated particle), `trajectories.parquet`, `calibrated_values.toml`, "
        "`calibration.json`, `figures/`; the sweeps behind them are in `sweeps/` (a rerun resumes from them).",
        "",
    ]
    return "\n".join(lines)


def _band(values: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted 5 %, 50 %, 95 % of each column of ``values`` (runs x time)."""
    q = np.array([weighted_quantile(values[:, j], [0.05, 0.5, 0.95], weights) for j in range(values.shape[1])])
    return q[:, 0], q[:, 1], q[:, 2]


def _panels(cal: Calibration) -> dict[tuple[str, str], list[tuple[str, Target]]]:
    """Targets grouped by what is drawn: a quantity as a monthly level, yearly sum or growth."""
    panels: dict[tuple[str, str], list[tuple[str, Target]]] = {}
    for name, t in cal.targets.items():
        kind = {"value": "level", "mean": "level", "sum": "sum", "growth": "growth"}[t.stat]
        key = (t.quantity() if kind != "growth" else f"{t.quantity()}@{t.years[0]}", kind)  # type: ignore[index]
        panels.setdefault(key, []).append((name, t))
    return panels


def _curves(t: Target, kind: str, wides: list[pd.DataFrame]) -> tuple[np.ndarray, np.ndarray]:
    """The x values (decimal years) and one row per run of what a panel draws."""
    rows = []
    for wide in wides:
        x = quantity(t, wide)
        if kind == "level":
            rows.append(x.to_numpy(dtype=float))
        else:
            yearly = x.groupby(START_YEAR + x.index // 12).agg("sum" if kind == "sum" else "mean")
            if kind == "growth":
                yearly = yearly / yearly.loc[t.years[0]] - 1.0  # type: ignore[index]
            rows.append(yearly.to_numpy(dtype=float))
    n = min(len(r) for r in rows)
    values = np.array([r[:n] for r in rows])
    xs = START_YEAR + np.arange(n) / 12 if kind == "level" else START_YEAR + np.arange(n) + 0.5
    return xs, values


def _wides(series: pd.DataFrame, run_ids: list[str]) -> tuple[list[str], list[pd.DataFrame]]:
    """The runs' monthly tables (one row per month), for the runs that have series."""
    sub = series[series["run_id"].isin(run_ids)]
    if sub.empty:
        return [], []
    wide = sub.pivot_table(index=["run_id", "month"], columns="variable", values="value")
    present = [r for r in run_ids if r in set(wide.index.get_level_values(0))]
    return present, [wide.loc[r] for r in present]


def trajectories_figure(
    cal: Calibration,
    post: pd.DataFrame,
    series: pd.DataFrame,
    check: pd.DataFrame,
    check_series: pd.DataFrame,
    path: Path,
) -> None:
    """Simulated against observed: accepted runs' 90 % band and median, the calibrated scenario, the targets."""
    panels = _panels(cal)
    ncol = 2 if len(panels) > 1 else 1
    nrow = int(np.ceil(len(panels) / ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(6.4 * ncol, 3.1 * nrow), squeeze=False)
    ids, wides = _wides(series, list(post["run_id"].dropna()))
    weights = post.set_index("run_id").loc[ids, "weight"].to_numpy()
    check_wides = _wides(check_series, list(check["run_id"].dropna()))[1] if len(check) else []
    for ax, ((_, kind), items) in zip(axes.flat, panels.items(), strict=False):
        t0 = items[0][1]
        if wides:
            xs, values = _curves(t0, kind, wides)
            lo, med, hi = _band(values, weights)
            ax.fill_between(xs, lo, hi, color="tab:blue", alpha=0.25, lw=0, label="accepted runs, 90 %")
            ax.plot(xs, med, color="tab:blue", lw=1.5, label="accepted runs, median")
        if check_wides:
            xs_c, cv = _curves(t0, kind, check_wides)
            ax.plot(xs_c, np.median(cv, axis=0), color="tab:orange", lw=1.2, ls="--", label="calibrated scenario")
        for name, t in items:
            colour = "black" if t.fit else "grey"
            label = f"observed ({name})" if t.fit else f"observed ({name}, not fitted)"
            if t.stat == "value":
                x = START_YEAR + (t.month or 0) / 12
                ax.errorbar([x], [t.observed], yerr=[t.tolerance], fmt="o", color=colour, capsize=4, label=label)
            elif t.stat == "mean" and kind == "level":
                x0 = t.year
                ax.fill_between(
                    [x0, x0 + 11 / 12],
                    t.observed - t.tolerance,
                    t.observed + t.tolerance,
                    color=colour,
                    alpha=0.15,
                    lw=0,
                )
                ax.plot([x0, x0 + 11 / 12], [t.observed] * 2, color=colour, lw=2.5, label=label)
            else:
                x = (t.year if t.stat == "sum" else t.years[1]) + 0.5  # type: ignore[index]
                ax.errorbar([x], [t.observed], yerr=[t.tolerance], fmt="s", color=colour, capsize=4, label=label)
        what = {"level": "monthly", "sum": "yearly sum", "growth": f"yearly mean vs {t0.years[0] if t0.years else ''}"}
        ax.set_title(f"{t0.quantity()} ({what[kind]})", fontsize=9)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=6.5, loc="best")
    for ax in list(axes.flat)[len(panels) :]:
        ax.set_visible(False)
    fig.suptitle(f"{cal.name}: simulated against observed", fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def posterior_figure(cal: Calibration, particles: pd.DataFrame, est: pd.DataFrame, path: Path) -> None:
    """Each free parameter: the prior sample against the accepted (weighted) sample, and the written value."""
    n = len(cal.parameters)
    ncol = min(3, n)
    nrow = int(np.ceil(n / ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.2 * ncol, 2.8 * nrow), squeeze=False)
    prior = particles[particles["generation"] == 0]
    acc = particles[particles["accepted"]]
    for ax, (name, p), r in zip(axes.flat, cal.parameters.items(), est.itertuples(), strict=False):
        bins = np.linspace(p.bounds[0], p.bounds[1], 16)
        ax.hist(prior[name], bins=bins, density=True, color="lightgrey", label="prior sample")
        ax.hist(
            acc[name], bins=bins, weights=acc["weight"], density=True, color="tab:blue", alpha=0.7, label="accepted"
        )
        ax.axvline(r.written, color="tab:orange", lw=1.5, label=f"written {r.written:.3g}")
        ax.axvspan(r.q05, r.q95, color="tab:blue", alpha=0.1)
        ax.set_title(f"{name}\n{p.label()}", fontsize=8)
        ax.set_xlim(*p.bounds)
        ax.tick_params(labelsize=7)
        ax.legend(fontsize=6.5)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _write_table(df: pd.DataFrame, path: Path) -> list[Path]:
    df.to_csv(path.with_suffix(".csv"), index=False)
    df.to_parquet(path.with_suffix(".parquet"), index=False)
    return [path.with_suffix(".csv"), path.with_suffix(".parquet")]


def write_outputs(
    result: CalibrationResult,
    cal: Calibration,
    base: Scenario,
    runs: pd.DataFrame,
    series: pd.DataFrame,
    check_runs: pd.DataFrame,
    check_series: pd.DataFrame,
    meta: dict[str, Any],
) -> None:
    """Write every output of a calibration to ``result.out`` and fill in the result's tables."""
    out = result.out
    (out / "figures").mkdir(parents=True, exist_ok=True)
    post = run_weights(runs, result.accepted)
    result.estimate = estimate_table(cal, result.accepted, result.point)
    result.fit = fit_table(cal, post, check_runs)
    gens = pd.DataFrame([vars(g) for g in result.generations])
    meta["ess"] = effective_sample_size(result.accepted["weight"].to_numpy())
    meta["generations"] = gens.to_dict(orient="records")
    meta["point_estimate"] = result.point
    files = _write_table(result.fit, out / "fit")
    files += _write_table(result.estimate, out / "estimate")
    files += _write_table(result.accepted, out / "accepted")
    result.particles.to_parquet(out / "particles.parquet", index=False)
    files.append(out / "particles.parquet")
    tidy = [
        post.merge(series, on="run_id")[
            ["generation", "particle", "replication", "weight", "run_id", "month", "variable", "value"]
        ].assign(source="accepted")
    ]
    if len(check_runs):
        tidy.append(
            check_runs[["particle", "replication", "run_id"]]
            .merge(check_series, on="run_id")
            .assign(source="check", weight=1.0 / len(check_runs), generation=-1)
        )
    pd.concat(tidy, ignore_index=True).to_parquet(out / "trajectories.parquet", index=False)
    files.append(out / "trajectories.parquet")
    header = [
        f"Calibrated by `ecosim calibrate {meta['calibration_file']}` into {out}/ on {meta['finished'][:10]}:",
        f"{cal.method.name} ({'APMC, ' if cal.method.name == 'abc-smc' else ''}{len(gens)} generation(s)), "
        f"{meta['accepted']} accepted parameter sets of {meta['runs']} runs; values are weighted posterior "
        "medians (3 significant digits).",
    ]
    (out / "calibrated_values.toml").write_text(calibrated_values_toml(cal, base, result.point, header), "utf-8")
    files.append(out / "calibrated_values.toml")
    trajectories_figure(cal, post, series, check_runs, check_series, out / "figures" / FIGURES[0])
    posterior_figure(cal, result.particles, result.estimate, out / "figures" / FIGURES[1])
    files += [out / "figures" / f for f in FIGURES]
    (out / "fit.md").write_text(_markdown(cal, meta, result.fit, result.estimate, gens), "utf-8")
    files.append(out / "fit.md")
    tmp = out / ".calibration.json.tmp"
    tmp.write_text(json.dumps(meta, indent=2, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, out / "calibration.json")
    files.append(out / "calibration.json")
    result.files = files
