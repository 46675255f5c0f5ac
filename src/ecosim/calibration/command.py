"""``ecosim calibrate FILE``: fit a scenario's free parameters to observed figures (a CLI subcommand)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ecosim.errors import InputError
from ecosim.outputs.atomic import out_folder


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``calibrate`` subcommand."""
    p = subparsers.add_parser(
        "calibrate",
        help="fit free parameters to observed figures by approximate Bayesian computation (ABC-SMC)",
        description="Read a calibration file (base scenario, observed targets with tolerances and sources, free "
        "parameters with bounds, method) and fit the parameters by ABC: a Latin-hypercube prior sample, then "
        "adaptive population Monte Carlo generations, each run as a resumable sweep in DIR/sweeps/. Writes "
        "DIR/fit.md and fit.csv (target, observed, simulated median and 90% interval, in tolerance), "
        "estimate.csv, accepted.csv (accepted parameter sets and weights), particles.parquet, "
        "trajectories.parquet, calibrated_values.toml (to paste into the scenario), calibration.json and "
        "figures/calibration_*.png. Running the same command again resumes.",
    )
    p.add_argument("calibration", type=Path, help="calibration TOML file (see calibration/)")
    p.add_argument(
        "--out",
        type=out_folder,
        default=None,
        metavar="DIR",
        help="output folder (default: results/calibration_<file name>)",
    )
    p.add_argument(
        "--workers", type=int, default=None, metavar="N", help="worker processes (default: the number of cores)"
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="run on Dask: 'local' starts a LocalCluster, 'tcp://HOST:PORT' joins a cluster (default: process pool)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bars and no summary")
    p.add_argument("--force", action="store_true", help="run even when a generation exceeds the size guards")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the calibration and print its fit table; exit 1 when some runs failed."""
    from ecosim.calibration.run import RunsFailedError, calibrate

    if args.workers is not None and args.workers < 1:
        raise InputError(f"--workers must be at least 1, got {args.workers}")
    try:
        result = calibrate(
            args.calibration,
            args.out,
            workers=args.workers,
            scheduler=args.scheduler,
            progress=not args.quiet,
            force=args.force,
        )
    except RunsFailedError as exc:
        print(f"ecosim: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        print((result.out / "fit.md").read_text(encoding="utf-8"))
        print(f"wrote {len(result.files)} files to {result.out}/")
    if result.failed:
        print(f"ecosim: {result.failed} run(s) failed; tracebacks in {result.out}/sweeps/*/failures/", file=sys.stderr)
        return 1
    return 0
