"""ecosim's components on Mesa's SolaraViz page: map, money and citizens, provider market, arrangements.

Each takes the page's :class:`~ecosim.viz.page_model.PageModel` (one run, or two variants
side by side) and draws every variant on the same picture. They follow Mesa's
``update_counter`` (Step, Play and Reset bump it), and are matplotlib figures sent as SVG:
nothing is loaded from a CDN, so the page works offline. Each figure is built once per
model and then only updated month by month.
"""

from __future__ import annotations

from html import escape
from typing import Any

import solara
from mesa.visualization.utils import force_update, update_counter

from ecosim.viz.figures import IMAGE_FORMAT, PanelFigure, arrangement_rows, market_figure, series_figure
from ecosim.viz.map_figure import MAP_METRICS, MapFigure
from ecosim.viz.page_model import PageModel

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

PAGE_STYLE = """
.ecosim-map img, .ecosim-series img, .ecosim-market img {width: 100%; height: auto}
.ecosim-month {font-size: 1.05rem; font-weight: 500}
.ecosim-table {border-collapse: collapse; font-size: 13px; width: 100%}
.ecosim-table th, .ecosim-table td {padding: 4px 6px; border-bottom: 1px solid #ddd; text-align: left;
                                     vertical-align: top}
.vue-grid-item {overflow: auto}
.vue-grid-item .v-card__title {font-size: 1rem; padding: 4px 12px 0}
.vue-grid-item .v-card__text {padding: 4px 8px}
"""
"""Pictures fill their grid cells (vector images stay sharp); a cell scrolls rather than clips."""


def month_text(month: int, months: int) -> str:
    """Where the run stands, e.g. "Month 3 of 120 (Jan 2015 - Mar 2015 simulated)"."""
    text = f"Month {month} of {months}"
    if month == 0:
        return f"{text} (starts Jan 2015)"
    last = month - 1
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


def variant_names(model: PageModel) -> tuple[str, ...]:
    """Names to draw the variants under: none for a single run (series keep their own colours)."""
    return tuple(v.name for v in model.variants) if model.compare else ()


@solara.component
def Building(model: PageModel) -> None:
    """What a picture shows until the runs are built."""
    if model.large and not model.confirmed:
        solara.Info("Not built yet: confirm the large scenario in the sidebar (or press Step).")
    else:
        solara.Info(f"Building {model.base.name} ...")
        solara.ProgressLinear(True)


@solara.component
def Picture(picture: MapFigure | PanelFigure, model: PageModel, tick: int, name: str) -> None:
    """A figure brought up to the model's month; saved again only when the month or the figure changes."""
    fig = solara.use_memo(lambda: picture.update(model.models), [picture, tick])
    with solara.Div(classes=[f"ecosim-{name}"]):
        solara.FigureMatplotlib(fig, dependencies=[picture, tick], format=IMAGE_FORMAT)


@solara.component
def MapView(model: PageModel) -> None:
    """The municipalities of every variant, on one colour scale fixed for the run (the user may set it)."""
    tick = update_counter.get()
    metric = solara.use_reactive(next(iter(MAP_METRICS)))
    top = solara.use_reactive(MAP_METRICS[metric.value].top)
    with solara.Card("Map", style={"width": "100%"}):
        with solara.Row():
            solara.Select(
                "Colour by", values=list(MAP_METRICS), value=metric.value,
                on_value=lambda m: (metric.set(m), top.set(MAP_METRICS[m].top)),
            )  # fmt: skip
            if not MAP_METRICS[metric.value].bounded:
                solara.InputFloat("Colour scale to (fixed all run)", value=top, continuous_update=False)
        picture = solara.use_memo(
            lambda: MapFigure(model.models[0], metric.value, variant_names(model), top.value) if model.ready else None,
            [model, model.ready, metric.value, top.value],
        )
        if picture is None:
            Building(model)
        else:
            Picture(picture, model, tick, "map")


@solara.component
def SeriesView(model: PageModel) -> None:
    """Spending against budget, citizens waiting and unmet, escalations: every variant on the same panels."""
    tick = update_counter.get()
    with solara.Card("Money and citizens", style={"width": "100%"}):
        picture = solara.use_memo(
            lambda: series_figure(model.models[0], variant_names(model)) if model.ready else None, [model, model.ready]
        )
        if picture is None:
            Building(model)
        else:
            Picture(picture, model, tick, "series")


@solara.component
def MarketView(model: PageModel) -> None:
    """Capacity use, concentration, failures and entries of providers: every variant on the same panels."""
    tick = update_counter.get()
    with solara.Card("Provider market", style={"width": "100%"}):
        picture = solara.use_memo(
            lambda: market_figure(model.models[0], variant_names(model)) if model.ready else None, [model, model.ready]
        )
        if picture is None:
            Building(model)
        else:
            Picture(picture, model, tick, "market")


def page_arrangement_rows(model: PageModel) -> list[dict[str, Any]]:
    """Active arrangements of every variant (with a variant column when side by side)."""
    rows = []
    for name, m in model.pairs():
        for r in arrangement_rows(m):
            rows.append({"variant": name, **r} if model.compare else r)
    return rows


@solara.component
def ArrangementView(model: PageModel) -> None:
    """Active cooperation arrangements: form, members and their mean trust."""
    tick = update_counter.get()
    table = solara.use_memo(lambda: html_table(page_arrangement_rows(model)), [model, model.ready, tick])
    with solara.Card("Cooperation arrangements", style={"width": "100%"}):
        if table:
            solara.HTML(tag="div", unsafe_innerHTML=table, classes=["ecosim-arrangements"])
        elif model.ready:
            solara.Info("No active arrangements.")


COMPONENTS = [MapView, SeriesView, MarketView, ArrangementView]
"""ecosim's pictures, in the page's order (Mesa lays them out two to a row)."""


@solara.component
def BuildStatus(model: PageModel, confirmed: solara.Reactive[frozenset] | None = None) -> None:
    """Builds the runs in the background with a busy sign; asks first when the scenario is large.

    ``confirmed``: the session's scenario files already agreed to, so that Reset does not ask again.
    """
    update_counter.get()
    agreed = confirmed.value if confirmed is not None else frozenset()
    if model.path in agreed:
        model.confirmed = True
    asked = model.large and not model.confirmed

    def build() -> None:
        if asked or model.ready:
            return
        model.build()
        force_update()  # every picture draws the new runs

    # use_thread, not solara.lab.use_task: a task registers its first function with Solara for
    # the server's life, and with it this session's model.
    result = solara.use_thread(build, dependencies=[model, asked])

    def confirm() -> None:
        model.confirmed = True
        if confirmed is not None:
            confirmed.set(agreed | {model.path})
        force_update()

    if asked and not model.ready:
        solara.Warning(f"{model.size_text()} Build it?")
        solara.Button("Build", color="warning", on_click=confirm)
    elif not model.ready or result.state == solara.ResultState.RUNNING:
        solara.Text(f"Building {model.base.name} ({len(model.variants)} run(s)) ...", classes=["ecosim-busy"])
        solara.ProgressLinear(True)
    if result.error:
        solara.Error(f"Building failed: {result.error}")


@solara.component
def RunInfo(model: PageModel) -> None:
    """The month reached, and the levers as the runs hold them."""
    update_counter.get()
    solara.Text(month_text(model.month, model.months), classes=["ecosim-month"])
    with solara.Column(gap="2px", classes=["ecosim-applied"]):
        kind = "side by side" if model.compare else "one run"
        solara.Text(f"Scenario {model.base.name}, seed {model.seed}, {kind}", style={"font-weight": "bold"})
        for label, value in model.applied_levers():
            solara.Text(f"{label}: {value}")
