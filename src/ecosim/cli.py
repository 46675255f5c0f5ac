"""Command line: ``ecosim run``, ``ecosim sweep``, ``ecosim validate``. A thin layer over :mod:`ecosim.api`.

Exit codes: 0 ok, 2 bad input (the message says which file and key), 1 internal error or failed runs,
130 interrupted (SIGINT, Ctrl-C), 143 stopped (SIGTERM).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import signal
import sys
import traceback
from pathlib import Path

from ecosim.checks import check_memory, check_months, population
from ecosim.errors import InputError, Interrupted, signals_interrupt
from ecosim.experiment.design import ExperimentError
from ecosim.model.geography import GeographyError
from ecosim.outputs.atomic import out_folder
from ecosim.scenario import ScenarioError, load_scenario

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2


COMMAND_MODULES: tuple[str, ...] = ("ecosim.viz.command", "ecosim.report.command", "ecosim.calibration.command")
"""Modules that add a subcommand each: ``register(subparsers)`` sets ``func`` on their parser."""


def _module_exists(name: str) -> bool:
    """Whether a (sub)command module is part of this installation."""
    parent = name.rpartition(".")[0]
    if parent and not _module_exists(parent):
        return False
    return importlib.util.find_spec(name) is not None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ecosim",
        description="Agent-based model of the Dutch municipal social domain: cost control "
        "versus cooperative transformation after the 2015 decentralisation.",
        epilog="Exit codes: 0 ok, 2 bad input (file, key and what is allowed are printed), 1 internal error or "
        "failed runs, 130 interrupted (Ctrl-C, SIGINT), 143 stopped (SIGTERM).",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    r = sub.add_parser(
        "run",
        help="run one scenario and write its outputs",
        description="Run one scenario file and write DIR/model.parquet (one row per month), "
        "DIR/municipalities.parquet (per municipality per month), DIR/run.json (resolved "
        "scenario, seed, versions, git commit, wall time) and DIR/figures/*.png.",
    )
    r.add_argument("scenario", type=Path, help="scenario TOML file (see scenarios/)")
    r.add_argument(
        "--months",
        type=int,
        default=None,
        help="months to simulate from January 2015 (default: the scenario's run.months)",
    )
    r.add_argument("--seed", type=int, default=None, help="root random seed (default: the scenario's run.seed)")
    r.add_argument("--out", type=out_folder, default=None, help="output folder (default: results/<scenario file name>)")
    r.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    r.add_argument(
        "--force",
        action="store_true",
        help="run even when the size guards refuse: more than 1,200 months, more than 20,000 runs, or an "
        "estimated memory need above this machine's memory",
    )
    r.set_defaults(func=_run)
    w = sub.add_parser(
        "sweep",
        help="run an experiment: many runs over factors and replications, resumable",
        description="Run every run of an experiment file (factors x replications) and write DIR/manifest.json, "
        "DIR/runs/<run_id>.parquet as each run finishes, then DIR/runs.parquet (one row per run: factors, seed, "
        "end-of-run outputs) and DIR/series.parquet (run_id, month, variable, value). Running the same command "
        "again skips finished runs. Failed runs go to DIR/failures/<run_id>.txt and the exit code is 1.",
    )
    w.add_argument("experiment", type=Path, help="experiment TOML file (see experiments/)")
    w.add_argument(
        "--out", type=out_folder, default=None, help="output folder (default: results/<experiment file name>)"
    )
    w.add_argument(
        "--workers",
        type=int,
        default=None,
        help="worker processes (default: the number of cores); with --scheduler local, Dask workers",
    )
    w.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="run on Dask: 'local' starts a LocalCluster, 'tcp://HOST:PORT' joins an existing cluster "
        "(default: a local process pool)",
    )
    w.add_argument("--quiet", action="store_true", help="no progress bar")
    w.add_argument(
        "--force",
        action="store_true",
        help="run even when the size guards refuse: more than 1,200 months, more than 20,000 runs, or an "
        "estimated memory need above this machine's memory",
    )
    w.set_defaults(func=_sweep)
    v = sub.add_parser(
        "validate",
        help="check scenario or experiment files without running them",
        description="Load and validate scenario files (following 'extends') and experiment files (every "
        "factor path and design point); report every problem.",
    )
    v.add_argument("files", type=Path, nargs="+", help="scenario, experiment or calibration TOML files")
    v.add_argument("--force", action="store_true", help="skip the size guards (as sweep --force would)")
    v.set_defaults(func=_validate)
    for name in COMMAND_MODULES:
        if _module_exists(name):
            importlib.import_module(name).register(sub)
    return p


def _run(args: argparse.Namespace) -> int:
    from ecosim.api import run
    from ecosim.outputs.atomic import check_out_folder
    from ecosim.outputs.files import summary, write_run

    if args.months is not None and args.months < 1:
        print(f"ecosim: --months must be at least 1, got {args.months}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.seed is not None and args.seed < 0:
        print(f"ecosim: --seed must be zero or positive, got {args.seed}", file=sys.stderr)
        return EXIT_BAD_INPUT
    check_months(args.months, force=args.force)
    scenario = load_scenario(args.scenario)
    months = args.months or scenario.run.months
    check_memory(scenario, population(scenario), months, args.scenario, force=args.force)
    out = check_out_folder(args.out or Path("results") / args.scenario.stem)
    result = run(scenario, months=args.months, seed=args.seed, progress=not args.quiet)
    written = write_run(result, out)
    if not args.quiet:
        print(summary(result))
        print(f"wrote {len(written)} files to {out}/ (model.parquet, municipalities.parquet, run.json, figures/)")
    return EXIT_OK


def _sweep(args: argparse.Namespace) -> int:
    from ecosim.experiment import sweep

    if args.workers is not None and args.workers < 1:
        print(f"ecosim: --workers must be at least 1, got {args.workers}", file=sys.stderr)
        return EXIT_BAD_INPUT
    out = args.out or Path("results") / args.experiment.stem
    s = sweep(
        args.experiment,
        out,
        workers=args.workers,
        scheduler=args.scheduler,
        progress=not args.quiet,
        force=args.force,
    )
    print(
        f"{s.total} runs: {s.skipped} already done, {s.computed} computed, {s.failed} failed "
        f"in {s.seconds:.1f} s; results in {out}/ (runs.parquet, series.parquet, manifest.json)"
    )
    if s.failed:
        print(f"ecosim: {s.failed} run(s) failed; tracebacks in {out}/failures/", file=sys.stderr)
        return EXIT_INTERNAL
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from ecosim.experiment import expand, load_experiment
    from ecosim.scenario import read_toml

    bad = 0
    for f in args.files:
        try:
            # An experiment names its base scenario at the top level; a scenario never does.
            data = read_toml(f, "scenario, experiment or calibration", ScenarioError)
            if "scenario" in data and "targets" in data:  # a calibration names targets to fit
                from ecosim.calibration.spec import load_calibration

                cal, _ = load_calibration(f)
                print(f"{f}: ok (calibration {cal.name}: {len(cal.parameters)} parameters, {len(cal.targets)} targets)")
            elif "scenario" in data:
                exp, base = load_experiment(f, force=args.force)
                print(f"{f}: ok (experiment {exp.name}: {len(expand(exp, base))} runs)")
            else:
                s = load_scenario(f)
                check_memory(s, population(s), s.run.months, f, force=args.force)
                where = s.geography.n_municipalities if s.geography.source == "synthetic" else "csv"
                print(f"{f}: ok ({s.name}: {where} municipalities, {s.run.months} months)")
        except (ScenarioError, ExperimentError, GeographyError, InputError) as exc:
            print(exc, file=sys.stderr)
            bad += 1
    return EXIT_BAD_INPUT if bad else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``ecosim`` command."""
    args = _parser().parse_args(argv)
    try:
        with signals_interrupt():
            return args.func(args)
    except (ScenarioError, GeographyError, ExperimentError, InputError) as exc:
        print(f"ecosim: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt as exc:  # Ctrl-C / SIGINT: 130, SIGTERM: 143 (see ecosim.errors.Interrupted)
        code = exc.exit_code if isinstance(exc, Interrupted) else 128 + signal.SIGINT
        print(f"ecosim: interrupted ({signal.Signals(code - 128).name}); finished results are kept", file=sys.stderr)
        return code
    except Exception:  # noqa: BLE001 - the last line of defence: say it is ours, show where
        traceback.print_exc()
        print("ecosim: internal error (the traceback above); please report it", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
