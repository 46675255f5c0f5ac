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
        "month of cumulative spending; time series with confidence bands; PRIM scenario discovery (where "
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
        "--ema",
        action="store_true",
        help="also write DIR/ema_results.tar.gz in EMA Workbench's save_results format (needs ecosim[ema])",
    )
    p.add_argument("--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the report; with ``--ema`` also export the results for EMA Workbench."""
    from ecosim.report.build import build_report

    path = build_report(args.folder, sensitivity_outputs=args.sensitivity_outputs)
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
