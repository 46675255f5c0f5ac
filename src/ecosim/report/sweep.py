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
        """The design method (grid, lhs, oat, morris, sobol)."""
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
    series = pd.read_parquet(folder / "series.parquet") if (folder / "series.parquet").is_file() else None
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
    return Sweep(folder, runs, series, manifest)
