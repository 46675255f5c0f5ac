"""A sweep's output folder, read back: runs, monthly series (when kept) and the manifest."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ecosim.errors import InputError


@dataclass
class Sweep:
    """What ``ecosim sweep`` wrote in one folder."""

    folder: Path
    runs: pd.DataFrame
    series: pd.DataFrame | None
    manifest: dict

    @property
    def experiment(self) -> dict:
        """The experiment as resolved by the sweep (empty when the manifest is missing)."""
        return self.manifest.get("experiment", {})

    @property
    def months(self) -> int:
        """Months per run: from the series when kept, else from the experiment."""
        if self.series is not None and len(self.series):
            return int(self.series["month"].max()) + 1
        return int(self.experiment.get("months") or 0)

    @property
    def method(self) -> str:
        """The design method (grid, lhs, oat, morris, sobol, points)."""
        return str(self.experiment.get("design", {}).get("method", "grid"))


def load(folder: str | Path) -> Sweep:
    """Read a sweep folder.

    Raises:
        InputError: when the folder or its runs.parquet is missing or unreadable.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder (give the output folder of 'ecosim sweep')")
    path = folder / "runs.parquet"
    if not path.is_file():
        raise InputError(f"{folder}: no runs.parquet here (is this the output folder of a finished 'ecosim sweep'?)")
    try:
        runs = pd.read_parquet(path)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is bad input, not our bug
        raise InputError(f"{path}: cannot be read as Parquet: {exc}") from None
    missing = {"run_id", "point", "replication", "seed"} - set(runs.columns)
    if missing or runs.empty:
        raise InputError(f"{path}: not a sweep's runs table (missing columns {sorted(missing)} or no rows)")
    manifest = _manifest(folder)
    _check_complete(folder, runs, manifest)
    series = None
    series_path = folder / "series.parquet"
    if series_path.is_file():
        try:
            series = pd.read_parquet(series_path)
        except Exception as exc:  # noqa: BLE001 - a truncated or foreign file is bad input
            raise InputError(f"{series_path}: cannot be read as Parquet: {exc}") from None
        if "run_id" not in series.columns or not set(series["run_id"]) <= set(runs["run_id"]):
            raise InputError(
                f"{series_path}: holds runs that are not in runs.parquet (left from another sweep?); "
                "run the sweep again to rewrite both"
            )
    return Sweep(folder, runs, series, manifest)


def _manifest(folder: Path) -> dict:
    """The sweep's manifest.json, read and checked to be a JSON object."""
    path = folder / "manifest.json"
    if not path.is_file():
        raise InputError(
            f"{folder}: no manifest.json here, so these runs cannot be matched to a sweep "
            "(is this the output folder of 'ecosim sweep'?)"
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a valid manifest (broken JSON: {exc})") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("experiment", {}), dict):
        raise InputError(f"{path}: not a valid manifest (expected a JSON object with the experiment)")
    return manifest


def _check_complete(folder: Path, runs: pd.DataFrame, manifest: dict) -> None:
    """Refuse an unfinished sweep, and runs that are not the manifest's design.

    Raises:
        InputError: when the sweep was stopped (or still runs), or runs.parquet holds other
            runs than the manifest's (another sweep's results in the same folder).
    """
    if manifest.get("finished") is None:
        raise InputError(
            f"{folder}: the sweep is unfinished (manifest.json has no 'finished' time: it was stopped, failed "
            "or is still running), so runs.parquet may be partial or another sweep's; run the same "
            "'ecosim sweep' command again to finish it"
        )
    design = manifest.get("run_ids")
    if isinstance(design, list):
        foreign = set(runs["run_id"]) - set(design)
        if foreign:
            raise InputError(
                f"{folder / 'runs.parquet'}: {len(foreign)} of {len(runs)} runs are not in the design of "
                "manifest.json (results of another sweep?); run the sweep again into an empty folder"
            )
    counts = manifest.get("counts")
    if isinstance(counts, dict) and isinstance(counts.get("total"), int) and isinstance(counts.get("failed"), int):
        expected = counts["total"] - counts["failed"]
        if len(runs) != expected:
            raise InputError(
                f"{folder / 'runs.parquet'}: has {len(runs)} runs but manifest.json counts {expected} finished "
                "(results of another sweep?); run the sweep again"
            )
