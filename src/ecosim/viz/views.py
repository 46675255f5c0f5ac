"""What the page shows of a model: month, map, series, provider market, arrangements.

All of it hangs under :func:`MonthView`, the one component that reads the month counter:
a Step then re-renders this part of the page in one pass, and not the sidebar's controls.
"""

from __future__ import annotations

from html import escape
from typing import Any

import solara

from ecosim.model import EcosimModel
from ecosim.viz.figures import IMAGE_FORMAT, PanelFigure, arrangement_rows, market_figure, series_figure
from ecosim.viz.map_figure import MAP_METRICS, MapFigure

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

PAGE_STYLE = """
.ecosim-map img, .ecosim-series img, .ecosim-market img {width: 100%; height: auto}
.ecosim-month {font-size: 1.1rem; font-weight: 500; margin: 8px 8px 0}
.ecosim-table {border-collapse: collapse; font-size: 13px; width: 100%}
.ecosim-table th, .ecosim-table td {padding: 4px 6px; border-bottom: 1px solid #ddd; text-align: left;
                                     vertical-align: top}
"""
"""Pictures fill their cards (vector images stay sharp); the arrangements table is compact."""


def month_text(model: EcosimModel) -> str:
    """Where the run stands, e.g. "Month 3 of 120 (Jan 2015 - Mar 2015 simulated)"."""
    m = model.month
    text = f"Month {m} of {model.scenario.run.months}"
    if m == 0:
        return f"{text} (starts Jan 2015)"
    last = m - 1
    return f"{text} (Jan 2015 - {MONTH_NAMES[last % 12]} {2015 + last // 12} simulated)"


def html_table(rows: list[dict[str, Any]]) -> str:
    """Rows as an escaped HTML table ("" for none).

    Plain HTML wraps long member lists; solara.Markdown would fetch KaTeX from a CDN, and a
    data-table widget costs more to update each month.
    """
    if not rows:
        return ""
    head = "".join(f"<th>{escape(str(k))}</th>" for k in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in r.values()) + "</tr>" for r in rows)
    return f'<table class="ecosim-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


@solara.component
def PictureView(picture: MapFigure | PanelFigure, model: EcosimModel, tick: int, name: str) -> None:
    """A figure brought up to the model's month; saved again only when the month or the figure changes."""
    fig = solara.use_memo(lambda: picture.update(model), [picture, tick])
    with solara.Div(classes=[f"ecosim-{name}"]):
        solara.FigureMatplotlib(fig, dependencies=[picture, tick], format=IMAGE_FORMAT)


@solara.component
def MapView(model: EcosimModel, tick: int) -> None:
    """The municipalities on the map, with a selector for the colour."""
    metric = solara.use_reactive(next(iter(MAP_METRICS)))
    picture = solara.use_memo(lambda: MapFigure(model, metric.value), [model, metric.value])
    with solara.Card("Map"):
        solara.Select("Colour by", values=list(MAP_METRICS), value=metric)
        PictureView(picture, model, tick, "map")


@solara.component
def SeriesView(model: EcosimModel, tick: int) -> None:
    """Spending against budget, citizens waiting and unmet, escalations."""
    picture = solara.use_memo(lambda: series_figure(model), [model])
    with solara.Card("Money and citizens"):
        PictureView(picture, model, tick, "series")


@solara.component
def MarketView(model: EcosimModel, tick: int) -> None:
    """Capacity use, concentration, failures and entries of providers."""
    picture = solara.use_memo(lambda: market_figure(model), [model])
    with solara.Card("Provider market"):
        PictureView(picture, model, tick, "market")


@solara.component
def ArrangementTable(model: EcosimModel, tick: int) -> None:
    """Active cooperation arrangements: form, members and their mean trust."""
    table = solara.use_memo(lambda: html_table(arrangement_rows(model)), [model, tick])
    with solara.Card("Cooperation arrangements"):
        if table:
            solara.HTML(tag="div", unsafe_innerHTML=table, classes=["ecosim-arrangements"])
        else:
            solara.Info("No active arrangements.")


@solara.component
def MonthView(model: EcosimModel, tick: solara.Reactive[int]) -> None:
    """The month reached and every picture of it."""
    month = tick.value  # the only read of the counter: one render pass per Step
    solara.Text(month_text(model), classes=["ecosim-month"])
    with solara.Columns([1, 1]):
        MapView(model, month)
        SeriesView(model, month)
    with solara.Columns([1, 1]):
        MarketView(model, month)
        ArrangementTable(model, month)
