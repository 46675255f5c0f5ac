"""Calibration: fit free parameters of a scenario to observed figures by approximate Bayesian computation.

A calibration file (``calibration/*.toml``) names a base scenario, observed targets with
tolerances and sources, free parameters with bounds, and the method. :func:`calibrate`
runs it through the experiment runner (one resumable sweep per ABC generation) and
writes the accepted parameter sets, the estimates, the fit table, the calibrated values
and figures. ``ecosim calibrate FILE`` is the same from the command line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ecosim.calibration.spec import Calibration, CalibrationError, Parameter, Target, load_calibration

if TYPE_CHECKING:
    from ecosim.calibration.run import CalibrationResult, calibrate

__all__ = [
    "Calibration",
    "CalibrationError",
    "CalibrationResult",
    "Parameter",
    "Target",
    "calibrate",
    "load_calibration",
]


def __getattr__(name: str) -> Any:
    # The runner (pandas, the model, the sweep runner) is imported on first use.
    if name in ("CalibrationResult", "calibrate"):
        from ecosim.calibration import run

        return getattr(run, name)
    raise AttributeError(f"module 'ecosim.calibration' has no attribute {name!r}")
