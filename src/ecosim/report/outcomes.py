"""The outcomes a report shows: names in the sweep tables, labels and units as the report prints them.

One table for every section of the report, so a label or a unit is written once. Names are
the end-of-run scalars and the monthly series an experiment keeps (``outputs.series``) of
:mod:`ecosim.outputs.registry`, which says what each means, its stored unit and which way is
better; this module adds only how the report labels and scales them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ecosim.outputs.registry import SCALARS, Kind, Output, outputs

MONTHLY: dict[str, Output] = {o.name: o for o in outputs("monthly")}

Better = Literal["lower", "higher"] | None


@dataclass(frozen=True)
class Outcome:
    """How the report names, scales and judges one output.

    Attributes:
        name: column in runs.parquet (a SCALARS key) or variable in series.parquet.
        label: plain-language name for a council member.
        unit: unit after scaling, as printed on tables and axes.
        scale: factor from the stored value (the registry's unit) to ``unit``.
        group: the report table the outcome belongs to.
        relative: whether a difference is also shown relative to cost control (not for
            values that cross zero, such as balances and gaps, where a percentage misleads).
        kind: ``scalar`` (runs.parquet) or ``monthly`` (a series of model.parquet).
    """

    name: str
    label: str
    unit: str
    scale: float = 1.0
    group: str = "money"
    relative: bool = True
    kind: Kind = "scalar"

    @property
    def output(self) -> Output | None:
        """The registry's entry (meaning, stored unit, direction); None for a name it does not know."""
        return SCALARS.get(self.name) if self.kind == "scalar" else MONTHLY.get(self.name)

    @property
    def better(self) -> Better:
        """Which direction is better for citizens or the public purse, from the registry.

        None when neither is (counts of arrangements, gaps whose sign is a matter of view).
        """
        b = self.output.better if self.output is not None else "neither"
        return None if b == "neither" else b

    @property
    def axis_label(self) -> str:
        """Label with unit, for a figure axis."""
        return f"{self.label} [{self.unit}]"


KEY_OUTCOMES: tuple[Outcome, ...] = (
    Outcome("total_spending", "public spending over the run", "EUR million", 1e-6),
    Outcome("spending_per_inhabitant_year", "spending per inhabitant per year", "EUR"),
    Outcome("cumulative_balance", "budget balance over the run", "EUR million", 1e-6, relative=False),
    Outcome("admin_share", "admin share of spending", "%", 100.0),
    Outcome("burden_total", "burden of unmet need", "thousand severity-weighted person-months", 1e-3, "need"),
    Outcome("burden_per_1000_last12", "burden per 1,000 inhabitants (last year)", "per month", 1.0, "need"),
    Outcome("mean_wait_months", "mean waiting time before care", "months", 1.0, "need"),
    Outcome("escalations", "escalations of need", "people", 1.0, "need"),
    Outcome("provider_failures", "provider failures", "providers", 1.0, "market"),
    Outcome("arrangements_formed", "cooperation arrangements formed", "arrangements", 1.0, "market"),
    Outcome("arrangements_dissolved", "cooperation arrangements dissolved", "arrangements", 1.0, "market"),
    Outcome(
        "gap_burden_per_1000_last12",
        "burden gap, small minus large municipalities (last year)",
        "per 1,000 per month",
        1.0,
        "whom",
        relative=False,
    ),
    Outcome(
        "gap_spending_per_inhabitant_last12",
        "spending gap, small minus large municipalities (last year)",
        "EUR per inhabitant per month",
        1.0,
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
    Outcome("spending", "public spending", "EUR million per month", 1e-6, kind="monthly"),
    Outcome("burden_per_1000", "burden of unmet need per 1,000 inhabitants", "per month", 1.0, "need", kind="monthly"),
    Outcome("waiting", "people waiting for care", "people", 1.0, "need", kind="monthly"),
    Outcome("unmet", "people with unmet need (refused or hidden)", "people", 1.0, "need", kind="monthly"),
    Outcome("escalations", "escalations of need", "people per month", 1.0, "need", kind="monthly"),
    Outcome("admin_share", "admin share of spending", "%", 100.0, kind="monthly"),
    Outcome("mean_stance", "mean stance (0 cost control, 1 transformation)", "0-1", 1.0, kind="monthly"),
    Outcome("provider_failures", "provider failures", "providers per month", 1.0, "market", kind="monthly"),
    Outcome("arrangements", "active cooperation arrangements", "arrangements", 1.0, "market", kind="monthly"),
)
"""Monthly series the report draws with confidence bands, when the sweep kept them."""

TRADEOFF: tuple[str, str] = ("spending_per_inhabitant_year", "burden_per_1000_last12")
"""The trade-off plot's axes: what it costs against how much need stays unmet."""

BOTH: tuple[str, str] = ("total_spending", "burden_total")
"""'Transformation beats cost control' means lower on both of these (scenario discovery)."""

_BY_NAME = {o.name: o for o in KEY_OUTCOMES}


def outcome(name: str) -> Outcome:
    """The report's description of an end-of-run scalar (from the registry for scalars not in the table)."""
    if name in _BY_NAME:
        return _BY_NAME[name]
    o = SCALARS.get(name)
    return Outcome(name, o.meaning if o else name, o.unit if o else "-", 1.0, "other", relative=False)


def present(names: list[str] | tuple[Outcome, ...], columns: object) -> list[Outcome]:
    """The outcomes among ``names`` that the sweep kept (columns of runs.parquet or series variables)."""
    items = [outcome(n) if isinstance(n, str) else n for n in names]
    return [o for o in items if o.name in columns]  # type: ignore[operator]
