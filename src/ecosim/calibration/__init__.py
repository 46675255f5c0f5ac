"""Calibration: fit free parameters of a scenario to observed figures by approximate Bayesian computation.

A calibration file (``calibration/*.toml``) names a base scenario, observed targets with
tolerances and sources, free parameters with bounds, and the method. :func:`calibrate`
runs it through the experiment runner (one resumable sweep per ABC generation) and
writes the accepted parameter sets, the estimates, the fit table, the calibrated values
and figures. ``ecosim calibrate FILE`` is the same from the command line.
"""

from ecosim.calibration.run import CalibrationResult, calibrate
from ecosim.calibration.spec import Calibration, CalibrationError, Parameter, Target, load_calibration

__all__ = [
    "Calibration",
    "CalibrationError",
    "CalibrationResult",
    "Parameter",
    "Target",
    "calibrate",
    "load_calibration",
]
