"""Run a sweep through any ``concurrent.futures`` executor, resumably, losing nothing.

One run is one task. The worker only computes and returns; the client writes
``runs/<run_id>.parquet`` atomically (temporary file, then rename) as each run finishes,
so a sweep killed at any moment loses only the runs in flight, and running the same
command again skips every run whose file exists and is valid. A run that raises is written
to ``failures/<run_id>.txt`` with its traceback and parameters; the sweep goes on.

Executors: a local process pool (default), a Dask ``LocalCluster`` (``scheduler="local"``)
or an existing Dask cluster (``scheduler="tcp://host:port"``). Seeds travel with the run,
so every executor gives the same result.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import hashlib
import json
import os
import platform
import signal
import time
import traceback
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ecosim import errors
from ecosim.experiment.design import Experiment, OutputSpec, RunSpec, expand, resolve_experiment
from ecosim.experiment.executors import make_executor
from ecosim.outputs.atomic import atomic_path, check_out_folder, folder_lock, output_error, write_text
from ecosim.outputs.registry import with_units
from ecosim.scenario import Scenario

META_KEY = b"ecosim_run"

_STARTED: Any = None
"""In a pool worker: the queue on which it announces each run it starts, with its pid."""


def run_id(spec: RunSpec, outputs: OutputSpec | None = None) -> str:
    """A stable name for a run: hash of everything that shapes its run file.

    That is the resolved scenario, seed, months, ecosim version and the outputs kept
    (``[outputs]`` scalars and series): a sweep run again with other outputs computes its
    runs again instead of reporting them done with the old columns.
    """
    scenario = {k: v for k, v in spec.scenario.items() if k != "base_dir"}
    kept = None if outputs is None else {"scalars": list(outputs.scalars), "series": list(outputs.series)}
    if kept is not None and outputs is not None and outputs.municipal:  # only when asked: older run ids stay
        kept["municipal"] = list(outputs.municipal)
    key = json.dumps(
        {"scenario": scenario, "seed": spec.seed, "months": spec.months, "version": version("ecosim"), "outputs": kept},
        sort_keys=True,
    )
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def municipal_summary(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    """One row per municipality of a run's municipalities.parquet, each column summarised over the run.

    A flow (its registered unit ends in '/month') is summed over the run as ``<name>_sum``
    (EUR/month gives EUR); anything else (a stock, a share) is averaged as ``<name>_mean``.
    Each row also has the municipality's index, name and population of the first month.
    """
    from ecosim.outputs.registry import get

    how = {c: "sum" if get(c, "municipal").unit.endswith("/month") else "mean" for c in columns}
    grouped = frame.groupby("municipality", sort=True)
    out = grouped[["name", "population"]].first()
    for c, agg in how.items():
        out[f"{c}_{agg}"] = grouped[c].agg(agg).astype(float)
    return out.reset_index().to_dict(orient="records")


def execute(spec: RunSpec, scalars: list[str], series: list[str], municipal: list[str] | None = None) -> dict[str, Any]:
    """Compute one run (in a worker). Returns outputs, or the error with its traceback."""
    from ecosim.api import run
    from ecosim.outputs.recorder import end_of_run

    if _STARTED is not None:  # a pool worker: say which run this process is on (see _run_todo)
        _STARTED.put((spec.run_id, os.getpid()))
    started = time.perf_counter()
    try:
        scenario = Scenario.model_validate(spec.scenario)
        result = run(scenario, months=spec.months, seed=spec.seed)
        df = result.model_df
        out = {
            "scalars": end_of_run(df, scalars),
            "series": {"month": df["month"].tolist(), **{c: df[c].astype(float).tolist() for c in series}},
        }
        if municipal:
            out["municipalities"] = municipal_summary(result.municipalities_df, list(municipal))
    except Exception:  # noqa: BLE001 - isolate any failure of one run from the sweep
        return {"run_id": spec.run_id, "error": traceback.format_exc()}
    out["run_id"] = spec.run_id
    out["seconds"] = time.perf_counter() - started
    return out


def _atomic_write_table(table: pa.Table, path: Path) -> None:
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp)


def write_run_file(path: Path, spec: RunSpec, outcome: dict[str, Any]) -> None:
    """One finished run as a Parquet file of its series, with its scalars in the metadata."""
    series = outcome["series"]
    months = series["month"]
    frame = pd.DataFrame(
        [(m, var, v) for var, vals in series.items() if var != "month" for m, v in zip(months, vals, strict=True)],
        columns=["month", "variable", "value"],
    )
    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = {
        "run_id": spec.run_id,
        "point": spec.point,
        "replication": spec.replication,
        "seed": spec.seed,
        "months": spec.months,
        "labels": spec.labels,
        "overrides": spec.overrides,
        "scalars": outcome["scalars"],
        "seconds": outcome.get("seconds"),
    }
    if outcome.get("municipalities") is not None:
        meta["municipalities"] = outcome["municipalities"]
    table = table.replace_schema_metadata({META_KEY: json.dumps(meta).encode()})
    _atomic_write_table(table, path)


def read_run_file(path: Path) -> tuple[dict[str, Any], pd.DataFrame] | None:
    """A run file's metadata and series, or None when it is missing or damaged."""
    try:
        table = pq.read_table(path)
        meta = json.loads(table.schema.metadata[META_KEY])
    except Exception:  # noqa: BLE001 - any unreadable file counts as not done
        return None
    return meta, table.to_pandas()


@dataclass
class SweepSummary:
    """What a sweep did."""

    total: int
    skipped: int
    computed: int
    failed: int
    seconds: float
    out: str


def sweep(
    experiment: Experiment | str | Path,
    out: str | Path,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = True,
    experiment_file: str | Path | None = None,
    force: bool = False,
) -> SweepSummary:
    """Run (or resume) every run of an experiment and collect the results in ``out``.

    Args:
        experiment: a validated :class:`~ecosim.experiment.Experiment` (its ``scenario`` is
            relative to its ``base_dir``) or the path of an experiment file. Both are checked
            against the base scenario before any run; the same experiment gives the same
            runs and ``run_id`` either way.
        out: output folder (manifest.json, runs/, runs.parquet, series.parquet, failures/).
        workers: worker processes (default: the number of cores).
        scheduler: ``None`` (process pool), ``"local"`` (Dask LocalCluster) or a Dask address.
        progress: show a progress bar over runs.
        experiment_file: the file recorded in the manifest as ``experiment_file``
            (default: ``experiment`` when it is a path, else none).
        force: run even when the design has more than :data:`~ecosim.checks.MAX_RUNS` runs or
            the runs may not fit in this machine's memory.
    """
    at_once = 1 if scheduler not in (None, "local") else (workers or os.cpu_count() or 1)
    exp, base = resolve_experiment(experiment, force=force, workers=at_once)
    if experiment_file is None and not isinstance(experiment, Experiment):
        experiment_file = experiment
    out = check_out_folder(out)
    with folder_lock(out):
        return _sweep_in(out, exp, base, workers, scheduler, progress, experiment_file)


def _sweep_in(
    out: Path,
    exp: Experiment,
    base: Scenario,
    workers: int | None,
    scheduler: str | None,
    progress: bool,
    experiment_file: str | Path | None,
) -> SweepSummary:
    """The body of :func:`sweep`, with the output folder checked and locked."""
    (out / "runs").mkdir(parents=True, exist_ok=True)
    specs = expand(exp, base)
    for s in specs:
        s.run_id = run_id(s, exp.outputs)
    started = datetime.now(UTC)
    manifest = _manifest(exp, specs, started, experiment_file)
    _write_json(out / "manifest.json", manifest)

    todo = [s for s in specs if read_run_file(out / "runs" / f"{s.run_id}.parquet") is None]
    skipped = len(specs) - len(todo)
    failed = 0
    t0 = time.perf_counter()
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(specs), initial=skipped, desc=exp.name, unit="run", dynamic_ncols=True)
    try:
        if todo:
            failed = _run_todo(todo, out, exp, workers, scheduler, bar)
    finally:
        if bar is not None:
            bar.close()
    summary = SweepSummary(len(specs), skipped, len(todo) - failed, failed, time.perf_counter() - t0, str(out))
    manifest.update({"finished": datetime.now(UTC).isoformat(), "counts": asdict(summary)})
    try:
        collect(out, specs, exp)
        _write_json(out / "manifest.json", manifest)
    except OSError as exc:
        raise output_error(out, exc) from None
    return summary


def _run_todo(
    todo: list[RunSpec], out: Path, exp: Experiment, workers: int | None, scheduler: str | None, bar: Any
) -> int:
    """Compute the runs in ``todo``, writing each as it finishes; the number that failed.

    An interrupt (SIGINT, SIGTERM) or an error here cancels the queued runs, keeps the
    runs that finished (their files are written) and stops the workers within seconds.
    """
    failed = 0
    remaining = list(todo)
    stalls = 0  # pool breaks in which no run was running (a worker that cannot start)
    while remaining:
        futures: dict[cf.Future, RunSpec] = {}
        handled: set[cf.Future] = set()
        on: dict[str, int] = {}  # run id -> pid of the worker that started it
        broken = False
        try:
            with errors.signals_interrupt(), make_executor(workers, scheduler) as ex:
                futures = {
                    ex.submit(execute, s, exp.outputs.scalars, exp.outputs.series, exp.outputs.municipal): s
                    for s in remaining
                }
                procs = dict(getattr(ex, "_processes", None) or {})
                try:
                    for fut in cf.as_completed(futures):
                        _drain(ex, on)
                        if not fut.cancelled() and isinstance(fut.exception(), BrokenProcessPool):
                            broken = True
                            break
                        handled.add(fut)
                        failed += _handle(out, futures[fut], fut)
                        if bar is not None:
                            bar.update(1)
                            bar.set_postfix(failed=failed)
                except BaseException:
                    for fut in futures:
                        fut.cancel()
                    raise
        except BaseException:
            # Keep what finished while the pool was being stopped; nothing else is waited for.
            for fut, spec in futures.items():
                if fut not in handled and _finished(fut):
                    with contextlib.suppress(Exception):
                        _handle(out, spec, fut)
            raise
        if not broken:
            break
        # A worker died (killed, out of memory): the pool is gone. Keep what finished, fail the
        # run(s) the dead worker was on, and run everything else again in a new pool.
        _drain(ex, on)
        procs.update(getattr(ex, "_processes", None) or {})
        dead = {pid for pid, p in procs.items() if p.exitcode not in (None, 0, -signal.SIGTERM)}
        running = {s.run_id for f, s in futures.items() if f not in handled and not _finished(f) and s.run_id in on}
        culprits = {r for r in running if on[r] in dead} if dead else running
        remaining = []
        for fut, spec in futures.items():
            if fut in handled:
                continue
            if _finished(fut):
                failed += _handle(out, spec, fut)
            elif spec.run_id in culprits:
                codes = sorted({p.exitcode for pid, p in procs.items() if pid in dead})
                _write_failure(
                    out,
                    spec,
                    f"the worker process running this run died (exit codes {codes}): "
                    "killed, or out of memory; the other runs were rescheduled\n",
                )
                failed += 1
            else:
                remaining.append(spec)
                continue
            if bar is not None:
                bar.update(1)
                bar.set_postfix(failed=failed)
        stalls = 0 if culprits else stalls + 1
        if stalls >= 3:
            for spec in remaining:
                _write_failure(out, spec, "worker processes died three times before starting a run\n")
            failed += len(remaining)
            remaining = []
    return failed


def _finished(fut: cf.Future) -> bool:
    """Whether a future holds a result (not cancelled, no exception)."""
    return fut.done() and not fut.cancelled() and fut.exception() is None


def _drain(ex: cf.Executor, on: dict[str, int]) -> None:
    """Read the pool workers' announcements of the runs they started into ``on``."""
    q = getattr(ex, "ecosim_started", None)
    while q is not None and not q.empty():
        run, pid = q.get()
        on[run] = pid


def _handle(out: Path, spec: RunSpec, fut: cf.Future) -> int:
    """Write one finished run's file (or its failure); 1 when the run failed, else 0."""
    try:
        outcome = fut.result()
    except Exception:  # noqa: BLE001 - a lost worker or pickling error: record, go on
        outcome = {"run_id": spec.run_id, "error": traceback.format_exc()}
    if "error" in outcome:
        _write_failure(out, spec, outcome["error"])
        return 1
    try:
        write_run_file(out / "runs" / f"{spec.run_id}.parquet", spec, outcome)
    except OSError as exc:  # a full disk: this run failed, the sweep goes on (resuming computes it again)
        with contextlib.suppress(OSError):
            _write_failure(out, spec, f"the run finished but its file could not be written: {exc}\n")
        return 1
    (out / "failures" / f"{spec.run_id}.txt").unlink(missing_ok=True)
    return 0


def collect(out: Path, specs: list[RunSpec], exp: Experiment) -> None:
    """Gather run files into runs.parquet (one row per run) and series.parquet (tidy).

    With ``[outputs] municipal``, also municipalities.parquet: one row per run and municipality.
    """
    rows, series, municipal = [], [], []
    for s in specs:
        got = read_run_file(out / "runs" / f"{s.run_id}.parquet")
        if got is None:
            continue
        meta, frame = got
        rows.append(
            {
                "run_id": s.run_id,
                "point": s.point,
                "replication": s.replication,
                "seed": s.seed,
                **{f"factor_{k}": v for k, v in s.labels.items()},
                **meta["scalars"],
            }
        )
        frame.insert(0, "run_id", s.run_id)
        series.append(frame)
        labels = {f"factor_{k}": v for k, v in s.labels.items()}
        for m in meta.get("municipalities") or []:
            municipal.append({"run_id": s.run_id, "point": s.point, "replication": s.replication, **labels, **m})
    if not rows:  # no run finished: leave no tables of an earlier sweep behind
        for name in ("runs.parquet", "series.parquet"):
            (out / name).unlink(missing_ok=True)
    if not municipal:
        (out / "municipalities.parquet").unlink(missing_ok=True)
    else:
        _atomic_write_table(
            pa.Table.from_pandas(pd.DataFrame(municipal), preserve_index=False), out / "municipalities.parquet"
        )
    if rows:
        runs = with_units(pa.Table.from_pandas(pd.DataFrame(rows), preserve_index=False), "scalar")
        _atomic_write_table(runs, out / "runs.parquet")  # scalar columns carry their units as field metadata
        _atomic_write_table(
            pa.Table.from_pandas(pd.concat(series, ignore_index=True), preserve_index=False), out / "series.parquet"
        )


def _manifest(exp: Experiment, specs: list[RunSpec], started: datetime, path: str | Path | None) -> dict[str, Any]:
    from ecosim.outputs.environment import environment
    from ecosim.outputs.files import git_commit, source_modified

    return {
        "experiment": exp.model_dump(mode="json"),
        "experiment_file": None if path is None else str(path),
        "runs": len(specs),
        "run_ids": [s.run_id for s in specs],
        "design_points": len({s.point for s in specs}),
        "ecosim_version": version("ecosim"),
        "mesa_version": version("mesa"),
        "python_version": platform.python_version(),
        "environment": environment(),  # versions of the scientific stack and the platform
        "git_commit": git_commit(Path(__file__).parent),
        "source_modified": source_modified(Path(__file__).parent.parent),
        "started": started.isoformat(),
        "finished": None,
    }


def _write_json(path: Path, data: dict[str, Any]) -> None:
    write_text(path, json.dumps(data, indent=2, default=str) + "\n")


def _write_failure(out: Path, spec: RunSpec, error: str) -> None:
    (out / "failures").mkdir(exist_ok=True)
    text = (
        f"run_id: {spec.run_id}\npoint: {spec.point}\nreplication: {spec.replication}\nseed: {spec.seed}\n"
        f"months: {spec.months}\nfactors: {json.dumps(spec.labels)}\noverrides: {json.dumps(spec.overrides)}\n\n"
        f"{error}"
    )
    write_text(out / "failures" / f"{spec.run_id}.txt", text)
