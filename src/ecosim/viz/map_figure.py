"""The map picture: municipalities at their positions, arrangements outlined by form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.colors import Normalize, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from scipy.spatial import ConvexHull, QhullError

from ecosim.scenario import Form
from ecosim.viz.figures import PageFigure, form_label

if TYPE_CHECKING:
    from ecosim.model import EcosimModel

FORM_STYLE: dict[Form, dict[str, Any]] = {
    Form.LIGHT: {"color": "#1b9e77", "linestyle": "--", "linewidth": 1.4},
    Form.SHARED_SERVICE: {"color": "#7570b3", "linestyle": "-.", "linewidth": 1.8},
    Form.CENTRUMGEMEENTE: {"color": "#d95f02", "linestyle": ":", "linewidth": 2.2},
    Form.WGR: {"color": "#3a3a3a", "linestyle": "-", "linewidth": 2.6},
}
"""How each cooperation form is outlined on the map: heavier forms, heavier lines."""


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
        self.fig = PageFigure(figsize=(5.4, 3.7))
        ax = self.ax = self.fig.add_axes((0.1, 0.12, 0.45, 0.8))
        self.outlines = {f: self._outline_collection(f) for f in FORM_STYLE}
        cmap = mpl.colormaps[self.metric.cmap].with_extremes(bad="#c8c8c8")
        self.dots = ax.scatter(
            self.xy[:, 0],
            self.xy[:, 1],
            s=self.max_area * pop / pop.max(),
            c=np.zeros(len(pop)),
            cmap=cmap,
            norm=Normalize(0, 1),
            edgecolors="k",
            linewidths=0.5,
            plotnonfinite=True,
            zorder=3,
        )
        pad = 0.08 * max(np.ptp(self.xy, axis=0).max(), 1.0)
        ax.set_xlim(self.xy[:, 0].min() - pad, self.xy[:, 0].max() + pad)
        ax.set_ylim(self.xy[:, 1].min() - pad, self.xy[:, 1].max() + pad)
        ax.set_aspect("equal", adjustable="box")
        # No coordinate ticks (a synthetic map has no meaningful grid; ticks cost render time): a scale instead.
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel(f"municipalities span {np.ptp(self.xy[:, 0]):.0f} km west to east", fontsize=8)
        self.title = ax.set_title("", fontsize=10)
        self.no_data = ax.text(
            0.5, 0.02, "no data before the first month", transform=ax.transAxes, ha="center", fontsize=8
        )
        cax = self.fig.add_axes((0.575, 0.12, 0.022, 0.8))
        self.fig.colorbar(self.dots, cax=cax).set_label(self.metric.label, fontsize=8)
        cax.tick_params(labelsize=7)
        cax.yaxis.set_major_locator(MaxNLocator(5))
        self.fig.legend(
            handles=self._legend_handles(pop),
            loc="upper left",
            bbox_to_anchor=(0.7, 0.94),
            fontsize=7.5,
            title="marker: population\noutline: arrangement",
            title_fontsize=7.5,
            frameon=False,
        )

    def _outline_collection(self, form: Form) -> PolyCollection:
        style = FORM_STYLE[form]
        coll = PolyCollection(
            [],
            closed=True,
            facecolors=[to_rgba(style["color"], 0.15)],  # a light fill, a full-strength outline
            edgecolors=style["color"],
            linestyles=style["linestyle"],
            linewidths=style["linewidth"],
        )
        self.ax.add_collection(coll, autolim=False)
        return coll

    def _legend_handles(self, pop: np.ndarray) -> list[Line2D]:
        """Reference populations (marker size) and the arrangement forms (outline)."""
        top = pop.max()
        refs = sorted({nice_floor(top), nice_floor(top / 4), nice_floor(top / 16)} - {0.0}, reverse=True)
        sizes = [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                color="#9a9a9a",
                markeredgecolor="k",
                markersize=float(np.sqrt(self.max_area * p / top)),
                label=f"{p:,.0f} inhabitants",
            )
            for p in refs
        ]
        return sizes + [Line2D([], [], label=form_label(f), **FORM_STYLE[f]) for f in FORM_STYLE]

    def update(self, model: EcosimModel) -> Figure:
        """Put the model's current state into the figure and return it."""
        values = self.metric.values(model)
        self.dots.set_array(values)
        self.dots.set_clim(*self.metric.norm(values))
        by_form: dict[Form, list[np.ndarray]] = {f: [] for f in FORM_STYLE}
        for arr in model.arrangements.active():
            by_form[arr.form].append(hull(self.xy[sorted(arr.members)]))
        for form, coll in self.outlines.items():
            coll.set_verts(by_form[form])
        self.title.set_text(f"Municipalities, month {model.month}")
        self.no_data.set_visible(not np.isfinite(values).any())
        return self.fig
