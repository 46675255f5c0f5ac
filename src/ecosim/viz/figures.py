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
        (_series("waiting", {"color": "#2166ac"}), _series("unmet", {"color": "#e08214"})),
    ),
    Panel(registry.axis_unit(["escalations"]), (_series("escalations", {"color": "#762a83"}),)),
)
"""Money and citizens: spending against budget, waiting and unmet, escalations."""

MARKET_PANELS: tuple[Panel, ...] = (
    Panel(
        "share",
        (
            _series("capacity_use", {"color": "#1b7837"}),
            _series("market_hhi", {"color": "#8c510a"}, label="concentration (HHI)"),  # short: the legend is narrow
        ),
        top=1.05,
    ),
    Panel(
        "providers",  # cumulative counts of providers/month
        (
            _series("provider_failures", {"color": "#b2182b"}, cumulative=True, label="failures (cumulative)"),
            _series("provider_entries", {"color": "#2166ac"}, cumulative=True, label="entries (cumulative)"),
        ),
    ),
)
"""The provider market: capacity use and concentration, failures and entries."""


class PanelFigure:
    """Stacked panels of monthly series over the scenario's run, one legend per panel."""

    def __init__(self, model: EcosimModel, panels: tuple[Panel, ...], height: float) -> None:
        self.panels = panels
        self.fig = PageFigure(figsize=(5.4, height))
        # Legends sit right of the panels, where the lines (growing from the left) never reach.
        self.fig.subplots_adjust(left=0.13, right=0.68, top=1 - 0.1 / height, bottom=0.3 / height, hspace=0.2)
        axes = self.fig.subplots(len(panels), 1, sharex=True, squeeze=False)[:, 0]
        months = model.scenario.run.months
        step = 12 * max(1, round(months / 12 / 5))  # about five year ticks: each label costs render time
        ticks = list(range(0, months + 1, step))
        self.lines: list[tuple[Axes, Panel, list[Line2D]]] = []
        for ax, panel in zip(axes, panels, strict=True):
            lines = [ax.plot([], [], label=s.label, **s.style)[0] for s in panel.series]
            ax.set_ylabel(panel.unit, fontsize=8)
            ax.set_xlim(0, months)
            ax.set_xticks(ticks, [str(2015 + t // 12) for t in ticks])
            ax.tick_params(labelsize=7)
            ax.yaxis.set_major_locator(MaxNLocator(4))
            ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
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
    return PanelFigure(model, SERIES_PANELS, 4.2)


def market_figure(model: EcosimModel) -> PanelFigure:
    """Capacity use, market concentration, provider failures and entries."""
    return PanelFigure(model, MARKET_PANELS, 2.9)


# -- the arrangements table ------------------------------------------------------------------


def arrangement_rows(model: EcosimModel) -> list[dict[str, Any]]:
    """Active arrangements as table rows: form, members, founding month, setup and trust."""
    rows = []
    for arr in model.arrangements.active():
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
