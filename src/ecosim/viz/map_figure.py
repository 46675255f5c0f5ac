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
    from matplotlib.axes import Axes

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
    """A per-municipality quantity the map can colour by, on a colour scale fixed for the whole run.

    The scale does not follow the month's data: a growing problem must look worse at month 48
    than at month 6. ``top`` is the default upper end (from 120-month runs of the bundled
    scenarios, both stances); the page lets the user choose another. Values beyond it
    saturate, and the colour bar's pointed end says so.
    """

    label: str
    cmap: str
    values: Callable[[EcosimModel], np.ndarray]
    top: float  # default upper end of the scale
    diverging: bool = False  # centred on zero (surplus against deficit): the scale is -top .. top
    bounded: bool = False  # the quantity cannot leave the scale (stance in 0..1): no pointed ends

    def norm(self, top: float | None = None) -> tuple[float, float]:
        """Colour range for the whole run: ``top`` chosen by the user, or the default."""
        top = self.top if top is None or top <= 0 else float(top)
        return (-top, top) if self.diverging else (0.0, top)


def last_month(model: EcosimModel, column: str) -> np.ndarray:
    """A per-municipality output of the last simulated month; NaN before the first month."""
    rows = model.recorder.muni_rows
    if not rows:
        return np.full(model.n_municipalities, np.nan)
    return np.asarray(rows[-1][column], dtype=float)


MAP_METRICS: dict[str, MapMetric] = {
    "unmet need": MapMetric(
        "unmet need per 1,000 inhabitants", "Oranges", lambda m: last_month(m, "unmet") / m.populations * 1000, 30.0
    ),
    "budget balance": MapMetric(
        "budget balance per inhabitant [EUR/month]",
        "RdBu",
        lambda m: last_month(m, "balance") / m.populations,
        25.0,
        diverging=True,
    ),
    "stance": MapMetric(
        "stance: 0 cost control .. 1 transformation", "RdYlBu", lambda m: m.stances(), 1.0, bounded=True
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

    One map per variant (side by side, same colour scale), each with the cooperation
    arrangements outlined (a hull around their members) in their form's style. The colour
    scale is fixed for the figure's life (the run): ``top`` or the metric's default.
    """

    def __init__(
        self, model: EcosimModel, metric: str, variants: tuple[str, ...] = (), top: float | None = None
    ) -> None:
        self.metric = MAP_METRICS[metric]
        self.variants = variants or ("",)
        n = len(self.variants)
        self.xy = np.array([m.position for m in model.municipalities])
        pop = np.array([m.population for m in model.municipalities], dtype=float)
        self.max_area = 900.0 / np.sqrt(len(pop)) / np.sqrt(n)  # marker area [pt^2] of the largest
        width = 5.4 if n == 1 else 3.2 + 2.6 * n
        self.fig = PageFigure(figsize=(width, 3.7))
        left, map_w, gap = 0.55 / width, (2.45 if n == 1 else 2.4) / width, 0.12 / width
        cmap = mpl.colormaps[self.metric.cmap].with_extremes(bad="#c8c8c8")
        norm = Normalize(*self.metric.norm(top))
        self.axes, self.dots, self.titles, self.no_data = [], [], [], []
        self.outline_sets: list[dict[Form, PolyCollection]] = []
        pad = 0.08 * max(np.ptp(self.xy, axis=0).max(), 1.0)
        for k in range(n):
            ax = self.fig.add_axes((left + k * (map_w + gap), 0.12, map_w, 0.8))
            self.axes.append(ax)
            self.outline_sets.append({f: self._outline_collection(ax, f) for f in FORM_STYLE})
            self.dots.append(
                ax.scatter(
                    self.xy[:, 0],
                    self.xy[:, 1],
                    s=self.max_area * pop / pop.max(),
                    c=np.zeros(len(pop)),
                    cmap=cmap,
                    norm=norm,
                    edgecolors="k",
                    linewidths=0.5,
                    plotnonfinite=True,
                    zorder=3,
                )
            )
            ax.set_xlim(self.xy[:, 0].min() - pad, self.xy[:, 0].max() + pad)
            ax.set_ylim(self.xy[:, 1].min() - pad, self.xy[:, 1].max() + pad)
            ax.set_aspect("equal", adjustable="box")
            # No coordinate ticks (a synthetic map has no meaningful grid; ticks cost render time): a scale instead.
            ax.set_xticks([])
            ax.set_yticks([])
            if k == 0:
                ax.set_xlabel(f"municipalities span {np.ptp(self.xy[:, 0]):.0f} km west to east", fontsize=8)
            self.titles.append(ax.set_title("", fontsize=9))
            self.no_data.append(
                ax.text(0.5, 0.02, "no data before the first month", transform=ax.transAxes, ha="center", fontsize=8)
            )
        right = left + n * map_w + (n - 1) * gap
        cax = self.fig.add_axes((right + 0.2 / width, 0.12, 0.12 / width, 0.8))
        extend = "neither" if self.metric.bounded else ("both" if self.metric.diverging else "max")
        self.colorbar = self.fig.colorbar(self.dots[0], cax=cax, extend=extend)
        self.colorbar.set_label(self.metric.label, fontsize=8)
        cax.tick_params(labelsize=7)
        cax.yaxis.set_major_locator(MaxNLocator(5))
        self.fig.legend(
            handles=self._legend_handles(pop),
            loc="upper left",
            bbox_to_anchor=(right + 1.0 / width, 0.94),
            fontsize=7.5,
            title="marker: population\noutline: arrangement",
            title_fontsize=7.5,
            frameon=False,
        )

    @property
    def outlines(self) -> dict[Form, PolyCollection]:
        """The first (or only) map's arrangement outlines by form."""
        return self.outline_sets[0]

    @property
    def clim(self) -> tuple[float, float]:
        """The colour scale's range (the same on every map, all run long)."""
        return self.dots[0].get_clim()

    def _outline_collection(self, ax: Axes, form: Form) -> PolyCollection:
        style = FORM_STYLE[form]
        coll = PolyCollection(
            [],
            closed=True,
            facecolors=[to_rgba(style["color"], 0.15)],  # a light fill, a full-strength outline
            edgecolors=style["color"],
            linestyles=style["linestyle"],
            linewidths=style["linewidth"],
        )
        ax.add_collection(coll, autolim=False)
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

    def update(self, model: EcosimModel | list[EcosimModel]) -> Figure:
        """Put each variant's current state into its map and return the figure (the scale stays)."""
        models = model if isinstance(model, list) else [model]
        for k, m in enumerate(models[: len(self.dots)]):
            values = self.metric.values(m)
            self.dots[k].set_array(values)
            by_form: dict[Form, list[np.ndarray]] = {f: [] for f in FORM_STYLE}
            for arr in m.arrangements.active():
                by_form[arr.form].append(hull(self.xy[sorted(arr.members)]))
            for form, coll in self.outline_sets[k].items():
                coll.set_verts(by_form[form])
            name = self.variants[k]
            self.titles[k].set_text(f"{name}, month {m.month}" if name else f"Municipalities, month {m.month}")
            self.no_data[k].set_visible(not np.isfinite(values).any())
        return self.fig
