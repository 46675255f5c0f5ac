"""Pictures of the visual page: the map, the monthly series and the provider market.

Each picture is built once per model and then only updated month by month (new data into
the same artists): building axes, ticks and legends costs more than drawing them, and a
step must render quickly. Figures use matplotlib's object API, not pyplot, because several
browser sessions draw at once in one server. Every panel carries a legend.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from scipy.spatial import ConvexHull, QhullError

from ecosim.scenario import Form

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ecosim.model import EcosimModel

IMAGE_FORMAT = "svg"
"""Format the page sends figures in: vector, so the server does not rasterise."""

SAVE_RC: dict[str, Any] = {"svg.fonttype": "none", "svg.hashsalt": "ecosim"}
"""Text as SVG text rather than glyph outlines: faster to write and smaller to send."""

FORM_STYLE: dict[Form, dict[str, Any]] = {
    Form.LIGHT: {"color": "#1b9e77", "linestyle": "--", "linewidth": 1.4},
    Form.SHARED_SERVICE: {"color": "#7570b3", "linestyle": "-.", "linewidth": 1.8},
    Form.CENTRUMGEMEENTE: {"color": "#d95f02", "linestyle": ":", "linewidth": 2.2},
    Form.WGR: {"color": "#3a3a3a", "linestyle": "-", "linewidth": 2.6},
}
"""How each cooperation form is outlined on the map: heavier forms, heavier lines."""


def figure_bytes(fig: Figure) -> bytes:
    """The figure as the page sends it (the page and the timing both use this)."""
    buf = io.BytesIO()
    with mpl.rc_context(SAVE_RC):
        fig.savefig(buf, format=IMAGE_FORMAT)
    return buf.getvalue()


def form_label(form: Form) -> str:
    """A form's name as people write it ("shared service")."""
    return form.name.lower().replace("_", " ")


# -- the map ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapMetric:
    """A per-municipality quantity the map can colour by."""

    label: str
    cmap: str
    values: Callable[[EcosimModel], np.ndarray]
    fixed_range: tuple[float, float] | None = None  # None: scaled to this month's data
    diverging: bool = False  # centred on zero (surplus against deficit)

    def norm(self, values: np.ndarray) -> tuple[float, float]:
        """Colour range for these values."""
        if self.fixed_range is not None:
            return self.fixed_range
        finite = values[np.isfinite(values)]
        top = max(float(np.abs(finite).max()), 1e-9) if finite.size else 1.0
        return (-top, top) if self.diverging else (0.0, top)


def last_month(model: EcosimModel, column: str) -> np.ndarray:
    """A per-municipality output of the last simulated month; NaN before the first month."""
    rows = model.recorder.muni_rows
    if not rows:
        return np.full(model.n_municipalities, np.nan)
    return np.asarray(rows[-1][column], dtype=float)


MAP_METRICS: dict[str, MapMetric] = {
    "unmet need": MapMetric(
        "unmet need per 1,000 inhabitants", "Oranges", lambda m: last_month(m, "unmet") / m.populations * 1000
    ),
    "budget balance": MapMetric(
        "budget balance per inhabitant [EUR/month]",
        "RdBu",
        lambda m: last_month(m, "balance") / m.populations,
        diverging=True,
    ),
    "stance": MapMetric(
        "stance: 0 cost control .. 1 transformation", "RdYlBu", lambda m: m.stances(), fixed_range=(0.0, 1.0)
    ),
}
"""What the map's colour selector offers."""


def hull(points: np.ndarray) -> np.ndarray:
    """Outline around an arrangement's members: convex hull; a line for two or collinear members."""
    if len(points) >= 3:
        try:
            return points[ConvexHull(points).vertices]
        except QhullError:
            pass
    order = np.lexsort((points[:, 1], points[:, 0]))
    return points[order[[0, -1]]]


def nice_floor(x: float) -> float:
    """Round down to 1, 2 or 5 times a power of ten (round numbers for the legend)."""
    if x <= 0:
        return 0.0
    p = 10 ** np.floor(np.log10(x))
    return float(max(m for m in (1, 2, 5, 10) if m * p <= x * (1 + 1e-12)) * p)


class MapFigure:
    """Municipalities at their positions, sized by population and coloured by a metric.

    Cooperation arrangements are outlined (a hull around their members) in their form's style.
    """

    def __init__(self, model: EcosimModel, metric: str) -> None:
        self.metric = MAP_METRICS[metric]
        self.xy = np.array([m.position for m in model.municipalities])
        pop = np.array([m.population for m in model.municipalities], dtype=float)
        self.max_area = 900.0 / np.sqrt(len(pop))  # marker area [pt^2] of the largest: more towns, smaller
        self.fig = Figure(figsize=(6.6, 4.4))
        ax = self.ax = self.fig.add_axes((0.08, 0.11, 0.5, 0.8))
        self.outlines = {f: self._outline_collection(f) for f in FORM_STYLE}
        cmap = mpl.colormaps[self.metric.cmap].with_extremes(bad="#c8c8c8")
        self.dots = ax.scatter(
            self.xy[:, 0], self.xy[:, 1], s=self.max_area * pop / pop.max(), c=np.zeros(len(pop)), cmap=cmap,
            norm=Normalize(0, 1), edgecolors="k", linewidths=0.5, plotnonfinite=True, zorder=3,
        )  # fmt: skip
        pad = 0.08 * max(np.ptp(self.xy, axis=0).max(), 1.0)
        ax.set_xlim(self.xy[:, 0].min() - pad, self.xy[:, 0].max() + pad)
        ax.set_ylim(self.xy[:, 1].min() - pad, self.xy[:, 1].max() + pad)
        ax.set_aspect("equal", adjustable="box")
        ax.set_xlabel("x [km]", fontsize=8)
        ax.set_ylabel("y [km]", fontsize=8)
        ax.tick_params(labelsize=7)
        self.title = ax.set_title("", fontsize=10)
        self.no_data = ax.text(
            0.5, 0.02, "no data before the first month", transform=ax.transAxes, ha="center", fontsize=8
        )
        cax = self.fig.add_axes((0.61, 0.11, 0.025, 0.8))
        self.fig.colorbar(self.dots, cax=cax).set_label(self.metric.label, fontsize=8)
        cax.tick_params(labelsize=7)
        self.fig.legend(
            handles=self._legend_handles(pop), loc="upper left", bbox_to_anchor=(0.74, 0.92), fontsize=7.5,
            title="marker: population\noutline: arrangement", title_fontsize=7.5, frameon=False,
        )  # fmt: skip

    def _outline_collection(self, form: Form) -> PolyCollection:
        style = FORM_STYLE[form]
        coll = PolyCollection(
            [], closed=True, facecolors=style["color"], alpha=0.15, edgecolors=style["color"],
            linestyles=style["linestyle"], linewidths=style["linewidth"],
        )  # fmt: skip
        self.ax.add_collection(coll, autolim=False)
        return coll

    def _legend_handles(self, pop: np.ndarray) -> list[Line2D]:
        """Reference populations (marker size) and the arrangement forms (outline)."""
        top = pop.max()
        refs = sorted({nice_floor(top), nice_floor(top / 4), nice_floor(top / 16)} - {0.0}, reverse=True)
        sizes = [
            Line2D([], [], marker="o", linestyle="", color="#9a9a9a", markeredgecolor="k",
                   markersize=float(np.sqrt(self.max_area * p / top)), label=f"{p:,.0f} inhabitants")  # fmt: skip
            for p in refs
        ]
        return sizes + [Line2D([], [], label=form_label(f), **FORM_STYLE[f]) for f in FORM_STYLE]

    def update(self, model: EcosimModel) -> Figure:
        """Put the model's current state into the figure and return it."""
        values = self.metric.values(model)
        self.dots.set_array(values)
        self.dots.set_clim(*self.metric.norm(values))
        by_form: dict[Form, list[np.ndarray]] = {f: [] for f in FORM_STYLE}
        for arr in model.active_arrangements():
            by_form[arr.form].append(hull(self.xy[sorted(arr.members)]))
        for form, coll in self.outlines.items():
            coll.set_verts(by_form[form])
        self.title.set_text(f"Municipalities, month {model.month}")
        self.no_data.set_visible(not np.isfinite(values).any())
        return self.fig


# -- monthly series --------------------------------------------------------------------------


def column(model: EcosimModel, name: str) -> np.ndarray:
    """One model-level output over the simulated months."""
    return np.array([row[name] for row in model.recorder.rows], dtype=float)


@dataclass(frozen=True)
class Series:
    """One line of a panel: its legend label, its values per month and its style."""

    label: str
    values: Callable[[EcosimModel], np.ndarray]
    style: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Panel:
    """One panel of monthly series sharing a unit."""

    unit: str
    series: tuple[Series, ...]
    top: float | None = None  # a fixed upper limit (shares); None: follows the data


def _col(name: str, scale: float = 1.0, cumulative: bool = False) -> Callable[[EcosimModel], np.ndarray]:
    def values(model: EcosimModel) -> np.ndarray:
        v = column(model, name) * scale
        return np.cumsum(v) if cumulative else v

    return values


SERIES_PANELS: tuple[Panel, ...] = (
    Panel("EUR million / month", (
        Series("budget", _col("budget", 1e-6), {"color": "#4d4d4d", "linestyle": "--"}),
        Series("spending", _col("spending", 1e-6), {"color": "#b2182b"}),
    )),
    Panel("people", (
        Series("waiting", _col("waiting"), {"color": "#2166ac"}),
        Series("unmet (refused, hidden)", _col("unmet"), {"color": "#e08214"}),
    )),
    Panel("people / month", (Series("escalations", _col("escalations"), {"color": "#762a83"}),)),
)  # fmt: skip
"""Money and citizens: spending against budget, waiting and unmet, escalations."""

MARKET_PANELS: tuple[Panel, ...] = (
    Panel("share", (
        Series("capacity use", _col("capacity_use"), {"color": "#1b7837"}),
        Series("concentration (HHI)", _col("market_hhi"), {"color": "#8c510a"}),
    ), top=1.05),
    Panel("providers", (
        Series("failures (cumulative)", _col("provider_failures", cumulative=True), {"color": "#b2182b"}),
        Series("entries (cumulative)", _col("provider_entries", cumulative=True), {"color": "#2166ac"}),
    )),
)  # fmt: skip
"""The provider market: capacity use and concentration, failures and entries."""


class PanelFigure:
    """Stacked panels of monthly series over the scenario's run, one legend per panel."""

    def __init__(self, model: EcosimModel, title: str, panels: tuple[Panel, ...], height: float) -> None:
        self.panels = panels
        self.fig = Figure(figsize=(6.4, height))
        self.fig.subplots_adjust(left=0.12, right=0.97, top=1 - 0.3 / height, bottom=0.3 / height, hspace=0.22)
        axes = self.fig.subplots(len(panels), 1, sharex=True, squeeze=False)[:, 0]
        axes[0].set_title(title, fontsize=10)
        months = model.scenario.run.months
        step = 12 if months <= 180 else 60  # a tick a year (or every five)
        ticks = list(range(0, months + 1, step))
        self.lines: list[tuple[Axes, Panel, list[Line2D]]] = []
        for ax, panel in zip(axes, panels, strict=True):
            lines = [ax.plot([], [], label=s.label, **s.style)[0] for s in panel.series]
            ax.set_ylabel(panel.unit, fontsize=8)
            ax.set_xlim(0, months)
            ax.set_xticks(ticks, [str(2015 + t // 12) for t in ticks])
            ax.tick_params(labelsize=7)
            ax.legend(fontsize=7, loc="upper left", frameon=False)
            self.lines.append((ax, panel, lines))

    def update(self, model: EcosimModel) -> Figure:
        """Put the months simulated so far into the lines and return the figure."""
        month = column(model, "month")
        for ax, panel, lines in self.lines:
            top = 0.0
            for line, s in zip(lines, panel.series, strict=True):
                y = s.values(model)
                line.set_data(month, y)
                if y.size and np.isfinite(y).any():
                    top = max(top, float(np.nanmax(y)))
            ax.set_ylim(0, panel.top if panel.top is not None else max(top * 1.1, 1.0))
        return self.fig


def series_figure(model: EcosimModel) -> PanelFigure:
    """Spending against budget, citizens waiting and unmet, escalations."""
    return PanelFigure(model, "Money and citizens by month", SERIES_PANELS, 5.0)


def market_figure(model: EcosimModel) -> PanelFigure:
    """Capacity use, market concentration, provider failures and entries."""
    return PanelFigure(model, "Provider market", MARKET_PANELS, 3.6)


# -- the arrangements table ------------------------------------------------------------------


def arrangement_rows(model: EcosimModel) -> list[dict[str, Any]]:
    """Active arrangements as table rows: form, members, founding month, setup and trust."""
    rows = []
    for arr in model.active_arrangements():
        members = sorted(arr.members)
        rows.append(
            {
                "id": arr.unique_id,
                "form": form_label(arr.form),
                "members": ", ".join(model.municipalities[i].name for i in members),
                "founded (month)": arr.founded,
                "set up": f"{sum(arr.set_up(i, model.month) for i in members)} of {len(members)}",
                "mean trust": round(float(np.mean([arr.mean_trust(model, i) for i in members])), 2),
            }
        )
    return rows
