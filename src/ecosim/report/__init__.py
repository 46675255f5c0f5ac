"""The report of a sweep: statistics, figures, scenario discovery and sensitivity analysis.

``ecosim report DIR`` (or :func:`build_report`) reads what ``ecosim sweep`` wrote in DIR and
writes DIR/report.md with DIR/figures/*.png. Modules, one concept each: :mod:`sweep` (reading
a sweep folder), :mod:`outcomes` (labels, units, which way is better), :mod:`stats` (intervals,
tests, effect sizes, Pareto front, break-even), :mod:`compare` (cells and stance pairs),
:mod:`prim` (EMA Workbench's PRIM, picked and read for the report), :mod:`discovery` (PRIM
on stance pairs), :mod:`sensitivity` (Morris and Sobol indices), :mod:`figures`,
:mod:`markdown` (number formats and tables), :mod:`summary` (the generated plain-language
summary), :mod:`sections` and :mod:`build` (the report) and :mod:`ema` (EMA Workbench
interoperability).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ecosim.report.build import build_report

__all__ = ["build_report"]


def __getattr__(name: str) -> Any:
    # Imported on first use, so ``ecosim report --help`` (and the CLI's start) stays quick.
    if name == "build_report":
        from ecosim.report.build import build_report

        return build_report
    raise AttributeError(f"module 'ecosim.report' has no attribute {name!r}")
