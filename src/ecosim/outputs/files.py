"""Write a run's outputs: Parquet tables, run metadata and key figures."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
from importlib.metadata import version
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from ecosim.api import RunResult  # noqa: E402
from ecosim.outputs.atomic import output_error, temp_name  # noqa: E402
from ecosim.outputs.environment import environment  # noqa: E402
from ecosim.outputs.registry import axis_unit, label, outputs, write_parquet  # noqa: E402
from ecosim.scenario import DOMAINS  # noqa: E402


def git_commit(start: Path) -> str | None:
    """The git commit of the checkout containing ``start``, when there is one."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=start, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def source_modified(start: Path) -> bool | None:
    """Whether tracked files below ``start`` (the package) differ from the commit; None without git.

    A result made from modified source cannot be repeated from its commit alone.
    """
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "."],
            cwd=start,
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return bool(out.stdout.strip()) if out.returncode == 0 else None


def run_metadata(result: RunResult) -> dict[str, Any]:
    """What is needed to repeat a run: the resolved scenario, seed, versions, platform, commit, wall time."""
    return {
        "scenario": result.scenario.model_dump(mode="json"),
        "seed": result.seed,
        "months": result.months,
        "ecosim_version": version("ecosim"),
        "mesa_version": version("mesa"),
        "python_version": platform.python_version(),
        "git_commit": git_commit(Path(__file__).parent),
        "source_modified": source_modified(Path(__file__).parent.parent),
        "wall_seconds": round(result.wall_seconds, 3),
        "environment": environment(),  # versions of numpy, pandas, scipy, ... and the platform
    }


FORMATS: tuple[str, ...] = ("parquet", "csv")
"""Table formats ``write_run`` (and ``ecosim run --format``) writes."""


def write_run(result: RunResult, out: str | Path, fmt: str = "parquet") -> list[Path]:
    """Write model.FMT, municipalities.FMT, run.json and figures/*.png into ``out``.

    ``fmt``: ``parquet`` (each column's unit and meaning as field metadata) or ``csv`` (the
    units and meanings then go to a side file, ``columns.csv``: file, column, unit, better, meaning).

    All of them are written first into a temporary folder inside ``out`` and then renamed
    into place, so a failed write (a full disk) leaves the previous outputs as they were,
    never a mix of old and new files.

    Raises:
        InputError: when a file cannot be written (the message names the folder and why).
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    names = [f"model.{fmt}", f"municipalities.{fmt}", "run.json"]
    stage = temp_name(out / "run")
    try:
        stage.mkdir()
        if fmt == "parquet":
            # Each column carries its unit and meaning as Parquet field metadata (registry.read_units).
            write_parquet(result.model_df, stage / names[0], "monthly")
            write_parquet(result.municipalities_df, stage / names[1], "municipal")
        else:
            result.model_df.to_csv(stage / names[0], index=False)
            result.municipalities_df.to_csv(stage / names[1], index=False)
            names.append(write_columns(stage / "columns.csv").name)
        (stage / "run.json").write_text(json.dumps(run_metadata(result), indent=2) + "\n", encoding="utf-8")
        figures = [f.name for f in write_figures(result.model_df, stage / "figures")]
        (out / "figures").mkdir(exist_ok=True)
        for name in names:  # renames in one folder: they do not fail for want of space
            os.replace(stage / name, out / name)
        for name in figures:
            os.replace(stage / "figures" / name, out / "figures" / name)
    except OSError as exc:
        raise output_error(out, exc) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return [out / n for n in names] + [out / "figures" / n for n in figures]


def write_columns(path: Path) -> Path:
    """The registry's monthly and municipal columns as a CSV (what a CSV run's columns mean)."""
    rows = [
        {"file": f"{'model' if o.kind == 'monthly' else 'municipalities'}.csv", "column": o.name, "unit": o.unit,
         "better": o.better, "meaning": o.meaning}
        for kind in ("monthly", "municipal")
        for o in outputs(kind)
    ]  # fmt: skip
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _axis(ax: plt.Axes, title: str, ylabel: str) -> None:
    ax.set_title(title)
    ax.set_xlabel("month (0 = January 2015)")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize=8)


def write_figures(df: pd.DataFrame, folder: Path) -> list[Path]:
    """Key time series of one run as PNG files."""
    folder.mkdir(parents=True, exist_ok=True)
    # title, scale, columns: legends and the axis unit come from the output registry.
    panels: dict[str, tuple[str, float, list[str]]] = {
        "spending_vs_budget.png": (
            "Public spending against budget",
            1e-6,
            ["budget", "spending", *(f"spending_{d}" for d in DOMAINS)],
        ),
        "citizens.png": ("Citizens by state", 1.0, ["in_care", "waiting", "refused", "hidden", "wijkteam_cases"]),
        "unmet_need.png": ("Burden of unmet need and escalations", 1.0, ["burden_per_1000", "escalations"]),
        "providers.png": ("Provider market", 1.0, ["providers_active", "provider_failures", "provider_entries"]),
        "stance_and_cooperation.png": (
            "Stance, admin share and cooperation",
            1.0,
            ["mean_stance", "admin_share", "mean_trust", "market_hhi"],
        ),
    }
    paths = []
    for name, (title, scale, columns) in panels.items():
        fig, ax = plt.subplots(figsize=(8, 4.5))
        for col in columns:
            if col in df:
                ax.plot(df["month"], df[col] * scale, label=label(col))
        _axis(ax, title, axis_unit(columns, scale))
        fig.tight_layout()
        fig.savefig(folder / name, dpi=100)
        plt.close(fig)
        paths.append(folder / name)
    return paths


def summary(result: RunResult) -> str:
    """A short plain-text summary of a run for the terminal."""
    df = result.model_df
    last12 = df.tail(12)
    lines = [
        f"scenario {result.scenario.name!r}, seed {result.seed}, {result.months} months in {result.wall_seconds:.1f} s",
        f"  municipalities: {len(result.municipalities_df['municipality'].unique())}, "
        f"inhabitants: {df['population'].iloc[-1]:,.0f}",
        f"  last 12 months: spending EUR {last12['spending'].sum() / 1e6:,.1f} m against budget "
        f"EUR {last12['budget'].sum() / 1e6:,.1f} m; "
        f"admin share {last12['admin_spending'].sum() / last12['spending'].sum():.1%}",
        f"  at the end: {df['in_care'].iloc[-1]:,.0f} in care, {df['waiting'].iloc[-1]:,.0f} waiting, "
        f"{df['unmet'].iloc[-1]:,.0f} with unmet need; burden {df['burden_per_1000'].iloc[-1]:.1f} per 1,000",
        f"  over the run: {df['escalations'].sum():,.0f} escalations, {df['recoveries'].sum():,.0f} recoveries, "
        f"{df['provider_failures'].sum():,.0f} provider failures, {df['arrangements_formed'].sum():,.0f} "
        f"arrangements formed, {df['arrangements_dissolved'].sum():,.0f} dissolved",
        f"  mean stance {df['mean_stance'].iloc[0]:.2f} -> {df['mean_stance'].iloc[-1]:.2f} "
        "(0 cost control, 1 cooperative transformation)",
    ]
    return "\n".join(lines)
