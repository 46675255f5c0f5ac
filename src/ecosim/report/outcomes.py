"""The outcomes a report shows: names in the sweep tables, labels, units and which way is better.

One table for every section of the report, so a label or a unit is written once. Names are
the end-of-run scalars of :data:`ecosim.outputs.recorder.SCALARS` and the monthly series an experiment
keeps (``outputs.series``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ecosim.outputs.recorder import SCALARS

Better = Literal["lower", "higher"] | None


@dataclass(frozen=True)
class Outcome:
    """How the report names, scales and judges one output.

    Attributes:
        name: column in runs.parquet (a SCALARS key) or variable in series.parquet.
        label: plain-language name for a council member.
        unit: unit after scaling, as printed on tables and axes.
        scale: factor from the stored value (EUR, people, share) to ``unit``.
        better: which direction is better for citizens or the public purse; None when
            neither is (counts of arrangements, gaps whose sign is a matter of view).
        group: the report table the outcome belongs to.
        relative: whether a difference is also shown relative to cost control (not for
            values that cross zero, such as balances and gaps, where a percentage misleads).
    """

    name: str
    label: str
    unit: str
    scale: float = 1.0
    better: Better = "lower"
    group: str = "money"
    relative: bool = True

    @property
    def axis_label(self) -> str:
        """Label with unit, for a figure axis."""
        return f"{self.label} [{self.unit}]"


KEY_OUTCOMES: tuple[Outcome, ...] = (
    Outcome("total_spending", "public spending over the run", "EUR million", 1e-6),
    Outcome("spending_per_inhabitant_year", "spending per inhabitant per year", "EUR"),
    Outcome("cumulative_balance", "budget balance over the run", "EUR million", 1e-6, "higher", relative=False),
    Outcome("admin_share", "admin share of spending", "%", 100.0),
    Outcome("burden_total", "burden of unmet need", "thousand severity-weighted person-months", 1e-3, "lower", "need"),
    Outcome("burden_per_1000_last12", "burden per 1,000 inhabitants (last year)", "per month", 1.0, "lower", "need"),
    Outcome("mean_wait_months", "mean waiting time before care", "months", 1.0, "lower", "need"),
    Outcome("escalations", "escalations of need", "people", 1.0, "lower", "need"),
    Outcome("provider_failures", "provider failures", "providers", 1.0, "lower", "market"),
    Outcome("arrangements_formed", "cooperation arrangements formed", "arrangements", 1.0, None, "market"),
    Outcome("arrangements_dissolved", "cooperation arrangements dissolved", "arrangements", 1.0, None, "market"),
    Outcome(
        "gap_burden_per_1000_last12",
        "burden gap, small minus large municipalities (last year)",
        "per 1,000 per month",
        1.0,
        None,
        "whom",
        relative=False,
    ),
    Outcome(
        "gap_spending_per_inhabitant_last12",
        "spending gap, small minus large municipalities (last year)",
        "EUR per inhabitant per month",
        1.0,
        None,
        "whom",
        relative=False,
    ),
)
"""The outcomes of the issue, in report order."""

GROUPS: dict[str, str] = {
    "money": "Money",
    "need": "Unmet need and waiting",
    "market": "Providers and cooperation",
    "whom": "For whom: small against large municipalities",
}
"""Report tables, in order, and their titles."""

SERIES: tuple[Outcome, ...] = (
    Outcome("spending", "public spending", "EUR million per month", 1e-6),
    Outcome("burden_per_1000", "burden of unmet need per 1,000 inhabitants", "per month", 1.0, "lower", "need"),
    Outcome("waiting", "people waiting for care", "people", 1.0, "lower", "need"),
    Outcome("unmet", "people with unmet need (refused or hidden)", "people", 1.0, "lower", "need"),
    Outcome("escalations", "escalations of need", "people per month", 1.0, "lower", "need"),
    Outcome("admin_share", "admin share of spending", "%", 100.0),
    Outcome("mean_stance", "mean stance (0 cost control, 1 transformation)", "0-1", 1.0, None),
    Outcome("provider_failures", "provider failures", "providers per month", 1.0, "lower", "market"),
    Outcome("arrangements", "active cooperation arrangements", "arrangements", 1.0, None, "market"),
)
"""Monthly series the report draws with confidence bands, when the sweep kept them."""

TRADEOFF: tuple[str, str] = ("spending_per_inhabitant_year", "burden_per_1000_last12")
"""The trade-off plot's axes: what it costs against how much need stays unmet."""

BOTH: tuple[str, str] = ("total_spending", "burden_total")
"""'Transformation beats cost control' means lower on both of these (scenario discovery)."""

_BY_NAME = {o.name: o for o in KEY_OUTCOMES}


def outcome(name: str) -> Outcome:
    """The report's description of an end-of-run scalar (a generic one for scalars not in the table)."""
    if name in _BY_NAME:
        return _BY_NAME[name]
    meaning = SCALARS[name][0] if name in SCALARS else name
    label, _, unit = meaning.partition(" [")
    return Outcome(name, label, unit.rstrip("]") or "-", 1.0, None, "other", relative=False)


def present(names: list[str] | tuple[Outcome, ...], columns: object) -> list[Outcome]:
    """The outcomes among ``names`` that the sweep kept (columns of runs.parquet or series variables)."""
    items = [outcome(n) if isinstance(n, str) else n for n in names]
    return [o for o in items if o.name in columns]  # type: ignore[operator]
