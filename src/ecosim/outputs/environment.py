"""Where a result was made: the versions of the scientific stack and the platform.

``run.json``, a sweep's ``manifest.json`` and ``calibration.json`` carry
:func:`environment`, so a result read on its own says what computed it. Only the standard
library is imported here.
"""

from __future__ import annotations

import platform
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Any

SCIENTIFIC: tuple[str, ...] = (
    "ecosim",
    "mesa",
    "numpy",
    "pandas",
    "scipy",
    "pyarrow",
    "SALib",
    "statsmodels",
    "ema_workbench",
    "pydantic",
    "dask",
    "distributed",
    "matplotlib",
    "networkx",
    "solara",
    "tabulate",
)
"""Distributions whose version can change a result or how it is read (None when not installed)."""


def versions(names: tuple[str, ...] = SCIENTIFIC) -> dict[str, str | None]:
    """The installed version of each distribution, None for those not installed."""
    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def environment() -> dict[str, Any]:
    """Python, the platform (OS, machine) and the versions of :data:`SCIENTIFIC`."""
    return {
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "byteorder": sys.byteorder,
        "versions": versions(),
    }
