"""``ecosim report DIR``: the report of a sweep, as a subcommand of the ``ecosim`` CLI."""

from __future__ import annotations

import argparse
from pathlib import Path

from ecosim.errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``report`` subcommand."""
    p = subparsers.add_parser(
        "report",
        help="statistics, figures, scenario discovery and sensitivity of a sweep",
        description="Read a sweep's output folder (runs.parquet, series.parquet, manifest.json) and write "
        "DIR/report.md and DIR/figures/*.png: per scenario cell means with 95% confidence intervals; cost "
        "control against transformation paired by seed (differences, effect sizes, paired t and Wilcoxon "
        "tests with Holm correction); the spending/unmet-need trade-off with its Pareto front; the break-even "
        "month of cumulative spending; robustness per strategy and cooperation form (maximum and "
        "90th-percentile regret, satisficing score, worst decile; overall, small against large and per kind of "
        "municipality); time series with confidence bands; PRIM scenario discovery (where "
        "transformation wins on both spending and unmet need, and where not); Morris or "
        "Sobol indices for morris/sobol designs.",
    )
    p.add_argument("folder", type=Path, metavar="DIR", help="output folder of 'ecosim sweep'")
    p.add_argument(
        "--sensitivity-outputs",
        nargs="+",
        default=None,
        metavar="NAME",
        help="end-of-run outputs for the Morris/Sobol section "
        "(default: total_spending burden_total mean_wait_months escalations)",
    )
    p.add_argument(
        "--budget-threshold",
        type=float,
        default=1.0,
        metavar="R",
        help="robustness section: a run is within budget when spending / budget <= R (default 1.0)",
    )
    p.add_argument(
        "--burden-threshold",
        type=float,
        default=None,
        metavar="X",
        help="robustness section: unmet need is acceptable when the burden per 1,000 inhabitants (last 12 "
        "months) is <= X, for every group of municipalities (default: each group's median over the baseline runs)",
    )
    p.add_argument(
        "--baseline",
        nargs="+",
        default=None,
        metavar="FACTOR=LEVEL",
        help="robustness section: the runs whose median sets the default burden threshold, "
        "e.g. --baseline stance=adaptive form=light (default: all runs)",
    )
    p.add_argument(
        "--regions",
        nargs="+",
        type=Path,
        default=None,
        metavar="REGION_DIR",
        help="add a section comparing the strategies and forms in real regions on the calibrated baseline, from "
        "finished sweeps of experiments/region_*.toml (e.g. results/region_amsterdam)",
    )
    p.add_argument(
        "--ema",
        action="store_true",
        help="also write DIR/ema_results.tar.gz in EMA Workbench's save_results format (needs ecosim[ema])",
    )
    p.add_argument("--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the report; with ``--ema`` also export the results for EMA Workbench."""
    from ecosim.report.build import build_report
    from ecosim.report.robustness import parse_baseline

    path = build_report(
        args.folder,
        sensitivity_outputs=args.sensitivity_outputs,
        budget_threshold=args.budget_threshold,
        burden_threshold=args.burden_threshold,
        baseline=parse_baseline(args.baseline),
        regions=args.regions,
    )
    written = [path, args.folder / "figures"]
    if args.ema:
        try:
            from ecosim.report.ema import export_results

            written.append(export_results(args.folder))
        except ImportError:
            raise InputError("--ema needs EMA Workbench: pip install 'ecosim[ema]'") from None
    if not args.quiet:
        print("wrote " + ", ".join(str(w) for w in written))
    return 0
