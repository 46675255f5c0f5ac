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
    """What is needed to repeat a run: the resolved scenario, seed, versions, commit, wall time."""
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
    }


def write_run(result: RunResult, out: Path) -> list[Path]:
    """Write model.parquet, municipalities.parquet, run.json and figures/*.png into ``out``.

    All of them are written first into a temporary folder inside ``out`` and then renamed
    into place, so a failed write (a full disk) leaves the previous outputs as they were,
    never a mix of old and new files.

    Raises:
        InputError: when a file cannot be written (the message names the folder and why).
    """
    out.mkdir(parents=True, exist_ok=True)
    names = ["model.parquet", "municipalities.parquet", "run.json"]
    stage = temp_name(out / "run")
    try:
        stage.mkdir()
        result.model_df.to_parquet(stage / names[0], index=False)
        result.municipalities_df.to_parquet(stage / names[1], index=False)
        (stage / names[2]).write_text(json.dumps(run_metadata(result), indent=2) + "\n", encoding="utf-8")
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


def _axis(ax: plt.Axes, title: str, ylabel: str) -> None:
    ax.set_title(title)
    ax.set_xlabel("month (0 = January 2015)")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize=8)


def write_figures(df: pd.DataFrame, folder: Path) -> list[Path]:
    """Key time series of one run as PNG files."""
    folder.mkdir(parents=True, exist_ok=True)
    panels = {
        "spending_vs_budget.png": (
            "Public spending against budget",
            "EUR million per month",
            {"budget": "budget", "spending": "spending", **{f"spending_{d}": f"spending {d}" for d in DOMAINS}},
            1e-6,
        ),
        "citizens.png": (
            "Citizens by state",
            "people",
            {
                "in_care": "in care",
                "waiting": "waiting",
                "refused": "refused",
                "hidden": "hidden need",
                "wijkteam_cases": "wijkteam",
            },
            1.0,
        ),
        "unmet_need.png": (
            "Burden of unmet need and escalations",
            "per month",
            {"burden_per_1000": "burden per 1,000 inhabitants", "escalations": "escalations"},
            1.0,
        ),
        "providers.png": (
            "Provider market",
            "count / share",
            {"providers_active": "active providers", "provider_failures": "failures", "provider_entries": "entries"},
            1.0,
        ),
        "stance_and_cooperation.png": (
            "Stance, admin share and cooperation",
            "share (0-1)",
            {
                "mean_stance": "mean stance (0 control, 1 transformation)",
                "admin_share": "admin share of spending",
                "mean_trust": "mean trust",
                "market_hhi": "market concentration (HHI)",
            },
            1.0,
        ),
    }
    paths = []
    for name, (title, ylabel, series, scale) in panels.items():
        fig, ax = plt.subplots(figsize=(8, 4.5))
        for col, label in series.items():
            if col in df:
                ax.plot(df["month"], df[col] * scale, label=label)
        _axis(ax, title, ylabel)
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
