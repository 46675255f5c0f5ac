"""Command line: ``ecosim run``, ``sweep``, ``validate``, ``outputs``. A thin layer over :mod:`ecosim.api`.

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
from ecosim.errors import GeographyError, InputError, Interrupted, signals_interrupt
from ecosim.experiment.design import ExperimentError
from ecosim.outputs.atomic import out_folder
from ecosim.scenario import ScenarioError, load_scenario

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2


COMMANDS: dict[str, tuple[str, str]] = {
    "viz": (
        "ecosim.viz.command",
        "serve the visual page (Mesa's SolaraViz): cost control and transformation side by side, or one run",
    ),
    "report": ("ecosim.report.command", "statistics, figures, scenario discovery and sensitivity of a sweep"),
    "calibrate": (
        "ecosim.calibration.command",
        "fit free parameters to observed figures by approximate Bayesian computation (ABC-SMC)",
    ),
}
"""Subcommands defined in their own module (``register(subparsers)`` sets ``func``), with their one-line help.

Only the module of the command given is imported; the others appear in ``ecosim --help``
by this help line, so the command line starts without Mesa, pandas or matplotlib (a test
checks the lines match the modules').
"""

COMMAND_MODULES: tuple[str, ...] = tuple(module for module, _ in COMMANDS.values())
"""Modules that add a subcommand each."""


def _module_exists(name: str) -> bool:
    """Whether a (sub)command module is part of this installation."""
    parent = name.rpartition(".")[0]
    if parent and not _module_exists(parent):
        return False
    return importlib.util.find_spec(name) is not None


def _chosen(argv: list[str]) -> str | None:
    """The subcommand named in ``argv`` (its first argument that is not an option)."""
    return next((a for a in argv if not a.startswith("-")), None)


def _parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The command line; of the modular subcommands only the one named in ``argv`` is imported."""
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
    r.add_argument(
        "--out",
        type=out_folder,
        default=None,
        help="output folder (default: results/<scenario file name without .toml>, below the current folder)",
    )
    r.add_argument(
        "--format",
        choices=("parquet", "csv"),
        default="parquet",
        help="table format (default parquet, units as column metadata; csv writes units to DIR/columns.csv)",
    )
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
        "--out",
        type=out_folder,
        default=None,
        help="output folder (default: results/<experiment file name without .toml>)",
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
        help="check scenario, experiment, calibration or factor files without running them",
        description="Load and validate scenario files (following 'extends'), experiment files (every "
        "factor path, design point and output name), calibration files (parameters and target outputs) and "
        "files of factors an experiment includes (experiments/uncertainties.toml); report every problem.",
    )
    v.add_argument("files", type=Path, nargs="+", help="scenario, experiment, calibration or factor TOML files")
    v.add_argument("--force", action="store_true", help="skip the size guards (as sweep --force would)")
    v.set_defaults(func=_validate)
    o = sub.add_parser(
        "outputs",
        help="list every output: monthly and per-municipality columns and end-of-run scalars",
        description="List every output a run writes (model.parquet: monthly, municipalities.parquet: municipal) "
        "and every end-of-run scalar an experiment may keep (runs.parquet), with unit, which direction is "
        "better and meaning. Names here are what experiment [outputs] and calibration targets accept.",
    )
    o.add_argument("--kind", choices=("monthly", "municipal", "scalar"), default=None, help="only this kind")
    o.add_argument("--json", action="store_true", help="print JSON (a list of records) instead of a table")
    o.set_defaults(func=_outputs)
    chosen = _chosen(sys.argv[1:] if argv is None else argv)
    for command, (module, help_line) in COMMANDS.items():
        if not _module_exists(module):
            continue
        if command == chosen:
            importlib.import_module(module).register(sub)
        else:
            sub.add_parser(command, help=help_line)
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
    written = write_run(result, out, fmt=args.format)
    if not args.quiet:
        print(summary(result))
        tables = f"model.{args.format}, municipalities.{args.format}"
        tables += ", columns.csv" if args.format == "csv" else ""
        print(f"wrote {len(written)} files to {out}/ ({tables}, run.json, figures/)")
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
            data = read_toml(f, "scenario, experiment or calibration", ScenarioError)
            if "targets" in data:  # only a calibration file has observed targets
                from ecosim.calibration.spec import load_calibration

                cal, _ = load_calibration(f)
                print(f"{f}: ok (calibration {cal.name}: {len(cal.targets)} targets, {len(cal.parameters)} parameters)")
            # An experiment names its base scenario at the top level; a scenario never does.
            elif "scenario" in data:
                exp, base = load_experiment(f, force=args.force)
                print(f"{f}: ok (experiment {exp.name}: {len(expand(exp, base))} runs)")
            elif set(data) == {"factors"}:  # a file of factors an experiment includes (uncertainties)
                from ecosim.experiment.design import check_factor_file

                n = check_factor_file(data["factors"], f)
                print(f"{f}: ok (factors for an experiment's 'uncertainties': {n})")
            else:
                s = load_scenario(f)
                check_memory(s, population(s), s.run.months, f, force=args.force)
                where = {"synthetic": s.geography.n_municipalities, "csv": "csv", "real": "real"}[s.geography.source]
                print(f"{f}: ok ({s.name}: {where} municipalities, {s.run.months} months)")
        except (ScenarioError, ExperimentError, GeographyError, InputError) as exc:
            print(exc, file=sys.stderr)
            bad += 1
    return EXIT_BAD_INPUT if bad else EXIT_OK


def _outputs(args: argparse.Namespace) -> int:
    import json

    from ecosim.outputs.registry import KIND_FILES, as_records

    records = as_records(args.kind)
    if args.json:
        print(json.dumps(records, indent=2))
        return EXIT_OK
    width = max(len(r["name"]) for r in records)
    unit_width = max(len(r["unit"]) for r in records)
    kind = None
    for r in records:
        if r["kind"] != kind:
            if kind is not None:
                print()
            kind = r["kind"]
            print(f"{kind} ({KIND_FILES[kind]})")
            print(f"  {'name':<{width}}  {'unit':<{unit_width}}  {'better':<7}  meaning")
        print(f"  {r['name']:<{width}}  {r['unit']:<{unit_width}}  {r['better']:<7}  {r['meaning']}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``ecosim`` command."""
    args = _parser(argv).parse_args(argv)
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
