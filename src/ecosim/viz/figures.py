"""Pictures of the visual page: monthly series (money, citizens, provider market), and what all pictures share.

Each picture is built once per model and then only updated month by month (new data into
the same artists): building axes, ticks and legends costs more than drawing them, and a
step must render quickly. Figures use matplotlib's object API, not pyplot, because several
browser sessions draw at once in one server. Every panel carries a legend. The map is in
:mod:`ecosim.viz.map_figure`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from ecosim.outputs import registry
from ecosim.scenario import Form
from ecosim.scenario.forms import TASKS

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ecosim.model import EcosimModel

IMAGE_FORMAT = "svg"
"""Format the page sends figures in: vector, so the server does not rasterise."""

SAVE_RC: dict[str, Any] = {"svg.fonttype": "none", "svg.hashsalt": "ecosim"}
"""Text as SVG text rather than glyph outlines: faster to write and smaller to send."""


class PageFigure(Figure):
    """A figure that always saves with :data:`SAVE_RC`, whoever calls ``savefig`` (Solara does)."""

    def savefig(self, *args: Any, **kwargs: Any) -> None:
        """Save as :meth:`matplotlib.figure.Figure.savefig` does, with the page's settings."""
        with mpl.rc_context(SAVE_RC):
            super().savefig(*args, **kwargs)


def figure_bytes(fig: Figure) -> bytes:
    """The figure as the page sends it."""
    buf = io.BytesIO()
    fig.savefig(buf, format=IMAGE_FORMAT)
    return buf.getvalue()


def form_label(form: Form) -> str:
    """A form's name as people write it ("shared service")."""
    return form.key.replace("_", " ")


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


def _series(name: str, style: dict[str, Any], scale: float = 1.0, cumulative: bool = False, label: str = "") -> Series:
    """A line of one model column; its legend label from the output registry unless given."""
    return Series(label or registry.label(name), _col(name, scale, cumulative), style)


SERIES_PANELS: tuple[Panel, ...] = (
    Panel(
        registry.axis_unit(["budget", "spending"], 1e-6),
        (
            _series("budget", {"color": "#4d4d4d", "linestyle": "--"}, 1e-6),
            _series("spending", {"color": "#b2182b"}, 1e-6),
        ),
    ),
    Panel(
        registry.axis_unit(["waiting", "unmet"]),
        (_series("waiting", {"color": "#2166ac"}), _series("unmet", {"color": "#e08214", "linestyle": "--"})),
    ),
    Panel(registry.axis_unit(["escalations"]), (_series("escalations", {"color": "#762a83"}),)),
)
"""Money and citizens: spending against budget, waiting and unmet, escalations."""

MARKET_PANELS: tuple[Panel, ...] = (
    Panel(
        "share",
        (
            _series("capacity_use", {"color": "#1b7837"}),
            # a short label: the legend is narrow
            _series("market_hhi", {"color": "#8c510a", "linestyle": "--"}, label="concentration (HHI)"),
        ),
        top=1.05,
    ),
    Panel(
        "providers",  # cumulative counts of providers/month
        (
            _series("provider_failures", {"color": "#b2182b"}, cumulative=True, label="failures (cumulative)"),
            _series(
                "provider_entries",
                {"color": "#2166ac", "linestyle": "--"},
                cumulative=True,
                label="entries (cumulative)",
            ),
        ),
    ),
)
"""The provider market: capacity use and concentration, failures and entries."""


VARIANT_COLOURS: tuple[str, ...] = ("#d6604d", "#2166ac", "#1b7837", "#762a83")
"""Colour of each variant side by side (cost control warm, transformation cool); series differ by line style."""


class PanelFigure:
    """Stacked panels of monthly series over the scenario's run, one legend per panel.

    One run: every series in its own colour. Variants side by side (``variants`` names them):
    each variant in its colour, each series in its line style, drawn on the same panels.
    """

    def __init__(
        self, model: EcosimModel, panels: tuple[Panel, ...], height: float, variants: tuple[str, ...] = ()
    ) -> None:
        self.panels = panels
        self.variants = variants
        self.fig = PageFigure(figsize=(6.4, height))  # wide: fits the height of a SolaraViz grid cell
        # Legends sit right of the panels, where the lines (growing from the left) never reach.
        self.fig.subplots_adjust(left=0.13, right=0.7, top=1 - 0.1 / height, bottom=0.3 / height, hspace=0.2)
        axes = self.fig.subplots(len(panels), 1, sharex=True, squeeze=False)[:, 0]
        months = model.scenario.run.months
        step = 12 * max(1, round(months / 12 / 5))  # about five year ticks: each label costs render time
        ticks = list(range(0, months + 1, step))
        self.lines: list[tuple[Axes, Panel, list[list[Line2D]]]] = []
        for i, (ax, panel) in enumerate(zip(axes, panels, strict=True)):
            if variants:  # colour = variant, line style = series
                lines = [
                    [
                        ax.plot([], [], **{**s.style, "color": VARIANT_COLOURS[k % len(VARIANT_COLOURS)]})[0]
                        for s in panel.series
                    ]
                    for k in range(len(variants))
                ]
                handles = [Line2D([], [], color="k", linestyle=s.style.get("linestyle", "-"), label=s.label)
                           for s in panel.series]  # fmt: skip
                if i == 0:
                    handles = [Line2D([], [], color=VARIANT_COLOURS[k % len(VARIANT_COLOURS)], linewidth=3, label=name)
                               for k, name in enumerate(variants)] + handles  # fmt: skip
                ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
            else:
                lines = [[ax.plot([], [], label=s.label, **s.style)[0] for s in panel.series]]
                ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
            ax.set_ylabel(panel.unit, fontsize=8)
            ax.set_xlim(0, months)
            ax.set_xticks(ticks, [str(2015 + t // 12) for t in ticks])
            ax.tick_params(labelsize=7)
            ax.yaxis.set_major_locator(MaxNLocator(4))
            self.lines.append((ax, panel, lines))

    def update(self, model: EcosimModel | list[EcosimModel]) -> Figure:
        """Put the months simulated so far (of every variant) into the lines and return the figure."""
        models = model if isinstance(model, list) else [model]
        for ax, panel, per_variant in self.lines:
            top = 0.0
            for m, lines in zip(models, per_variant, strict=False):
                month = column(m, "month")
                for line, s in zip(lines, panel.series, strict=True):
                    y = s.values(m)
                    line.set_data(month, y)
                    if y.size and np.isfinite(y).any():
                        top = max(top, float(np.nanmax(y)))
            ax.set_ylim(0, panel.top if panel.top is not None else max(top * 1.1, 1.0))
        return self.fig


def series_figure(model: EcosimModel, variants: tuple[str, ...] = ()) -> PanelFigure:
    """Spending against budget, citizens waiting and unmet, escalations (of each variant)."""
    return PanelFigure(model, SERIES_PANELS, 3.5, variants)


def market_figure(model: EcosimModel, variants: tuple[str, ...] = ()) -> PanelFigure:
    """Capacity use, market concentration, provider failures and entries (of each variant)."""
    return PanelFigure(model, MARKET_PANELS, 2.9, variants)


# -- the arrangements table ------------------------------------------------------------------


def arrangement_rows(model: EcosimModel) -> list[dict[str, Any]]:
    """Active arrangements as table rows: task, form, members, founding month, setup and trust."""
    rows = []
    for arr in model.arrangements.active():
        members = sorted(arr.members)
        rows.append(
            {
                "id": arr.unique_id,
                "task": TASKS[arr.task],
                "form": form_label(arr.form),
                "members": ", ".join(model.municipalities[i].name for i in members),
                "founded (month)": arr.founded,
                "set up": f"{sum(arr.set_up(i, model.month) for i in members)} of {len(members)}",
                "mean trust": round(float(np.mean([arr.mean_trust(model, i) for i in members])), 2),
            }
        )
    return rows
