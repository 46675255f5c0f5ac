"""The visual server (Mesa's SolaraViz): controls from the schema, side by side, pictures, the page in a real browser."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import typing
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from pydantic import Field

from ecosim import EcosimModel, load_scenario
from ecosim.cli import main
from ecosim.scenario import DOMAINS, SEVERITIES, Form
from ecosim.viz.components import html_table, month_text, page_arrangement_rows
from ecosim.viz.controls import LEVERS, controls_for, element_names, field_of, nice_step, overrides, value_at
from ecosim.viz.figures import VARIANT_COLOURS, arrangement_rows, figure_bytes, market_figure, series_figure
from ecosim.viz.map_figure import FORM_STYLE, MAP_METRICS, MapFigure, hull
from ecosim.viz.page_model import PageModel, estimated_citizens
from ecosim.viz.params import model_params
from ecosim.viz.scenarios import bundled_dir, resolve_scenario, scenario_files

ROOT = Path(__file__).resolve().parents[2]
REGIONAL = ROOT / "scenarios/regional_default.toml"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]  # fmt: skip


# -- controls: generated from the scenario schema ------------------------------------------------


def test_every_lever_is_a_scenario_field():
    for path, _ in LEVERS:
        _, info = field_of(path)
        assert info is not None, path
    with pytest.raises(KeyError):
        field_of("stance.initial_meen")


def test_controls_take_names_bounds_and_values_from_the_schema():
    scenario = load_scenario(REGIONAL)
    controls = {c.key: c for c in controls_for(scenario)}
    assert list(controls) == [
        "budget.cut_fraction[0]", "budget.cut_fraction[1]", "budget.cut_fraction[2]",
        "stance.initial_mean",
        "cooperation.propensity[0]", "cooperation.propensity[1]",
        "cooperation.preferred_form",
        "prevention.spend_eur_per_inhabitant_year[0]", "prevention.spend_eur_per_inhabitant_year[1]",
    ]  # fmt: skip
    for c in controls.values():  # the starting value is the scenario's own
        held = value_at(scenario, c.path)
        assert c.value == (held if c.index is None else held[c.index])
    stance = controls["stance.initial_mean"]
    _, info = field_of("stance.initial_mean")
    bounds = {type(m).__name__: m for m in info.metadata}
    assert (stance.kind, stance.min, stance.max) == ("float", bounds["Ge"].ge, bounds["Le"].le)
    assert [controls[f"budget.cut_fraction[{i}]"].part for i in range(3)] == list(DOMAINS)
    assert [controls[f"cooperation.propensity[{i}]"].part for i in range(2)] == ["control", "transformation"]
    for key in ("cooperation.propensity[1]", "budget.cut_fraction[0]", "stance.initial_mean"):
        assert controls[key].description == field_of(controls[key].path)[1].description != ""
    form = controls["cooperation.preferred_form"]
    assert form.kind == "choice"
    _, info = field_of("cooperation.preferred_form")
    assert form.choices == typing.get_args(info.annotation)
    assert {f.name.lower() for f in Form} == set(form.choices)
    prevention = controls["prevention.spend_eur_per_inhabitant_year[1]"]
    assert prevention.min == 0 and prevention.max >= 4 * prevention.value  # no upper bound in the schema


def test_controls_follow_the_loaded_scenario_not_the_defaults():
    cost = {c.key: c.value for c in controls_for(load_scenario(ROOT / "scenarios/cost_control.toml"))}
    assert cost["stance.initial_mean"] == 0.1
    wgr = {c.key: c.value for c in controls_for(load_scenario(ROOT / "scenarios/formal_wgr.toml"))}
    assert wgr["cooperation.preferred_form"] == "wgr"
    no_cuts = {c.key: c.value for c in controls_for(load_scenario(ROOT / "scenarios/no_cuts.toml"))}
    assert [no_cuts[f"budget.cut_fraction[{i}]"] for i in range(3)] == [0.0, 0.0, 0.0]


def test_unbounded_fields_get_a_range_around_their_values():
    from ecosim.viz.controls import _slider_range

    lo, hi, step = _slider_range(None, None, [-0.02, 0.05])  # no bounds at all, a negative value seen
    assert lo < -0.02 < 0.05 < hi
    assert lo == -hi and 50 <= (hi - lo) / step <= 200
    lo, hi, _ = _slider_range(None, None, [0.0, 0.05])  # only non-negative values seen: start at zero
    assert lo == 0.0 < 0.05 < hi


def test_list_fields_take_their_elements_bounds_from_the_schema():
    scenario = load_scenario(REGIONAL)
    (low, high) = controls_for(scenario, (("procurement.price_margin", "Price margin"),))
    assert (low.min, low.max) == (-0.5, 1.0) == (high.min, high.max)
    assert (high.part, high.value) == ("transformation", scenario.procurement.price_margin[1])


def test_untouched_controls_give_back_the_scenario():
    scenario = load_scenario(REGIONAL)
    controls = controls_for(scenario)
    assert scenario.with_overrides(overrides(controls, {})) == scenario
    moved = scenario.with_overrides(overrides(controls, {"budget.cut_fraction[1]": 0.4, "stance.initial_mean": 0.8}))
    assert moved.budget.cut_fraction == [scenario.budget.cut_fraction[0], 0.4, scenario.budget.cut_fraction[2]]
    assert moved.stance.initial_mean == 0.8


@pytest.mark.parametrize(("n", "names"), [(3, DOMAINS), (4, SEVERITIES), (5, ("0", "1", "2", "3", "4"))])
def test_element_names(n, names):
    assert element_names(n) == names


def test_lever_pairs_take_part_names_and_each_part_bounds_from_the_schema(monkeypatch):
    from ecosim.scenario.levers import LeverPair

    class Skewed(LeverPair[float]):  # parts with different bounds
        control: float = Field(ge=0.0, le=2.0)
        transformation: float = Field(ge=-1.0, le=1.0)

    scenario = load_scenario(REGIONAL)
    _, info = field_of("access.threshold")
    monkeypatch.setattr(info, "annotation", Skewed)
    control, transformation = controls_for(scenario, (("access.threshold", "Threshold"),))
    assert (control.part, control.min, control.max) == ("control", 0.0, 2.0)
    assert (transformation.part, transformation.min, transformation.max) == ("transformation", -1.0, 1.0)
    assert (control.value, transformation.value) == tuple(scenario.access.threshold)
    assert control.description == info.description


@pytest.mark.parametrize(("span", "step"), [(1.0, 0.01), (100.0, 1.0), (250.0, 5.0), (0.3, 0.005)])
def test_slider_steps_are_round(span, step):
    assert nice_step(span) == pytest.approx(step)


def test_model_params_are_mesa_inputs_from_the_schema():
    params = model_params(REGIONAL)
    scenario = load_scenario(REGIONAL)
    assert params["scenario_file"] == str(REGIONAL)  # fixed: the picker chooses the file
    assert params["compare"] == {"type": "Checkbox", "value": True, "label": "Side by side: cost control vs transformation"}
    assert (params["stance_a"]["value"], params["stance_b"]["value"]) == (0.1, 0.9)
    for c in controls_for(scenario):
        p = params[c.key]
        assert p["label"].startswith(c.heading)
        if c.kind == "choice":
            assert (p["type"], p["values"], p["value"]) == ("Select", list(c.choices), c.value)
        else:
            assert (p["type"], p["min"], p["max"], p["value"]) == ("SliderFloat", c.min, c.max, c.value)


def test_page_model_builds_what_reset_would_with_mesa_keywords():
    from mesa.experimental.scenarios import Scenario as MesaScenario
    from mesa.visualization.solara_viz import _build_model_init_kwargs, _check_model_params

    params = model_params(REGIONAL)
    _check_model_params(PageModel(REGIONAL), params)  # what SolaraViz checks on the page
    values = {k: (v["value"] if isinstance(v, dict) else v) for k, v in params.items()}
    values.update({"cooperation.preferred_form": "wgr", "budget.cut_fraction[1]": 0.4, "compare": False, "rng": "7"})
    kwargs = _build_model_init_kwargs(PageModel(REGIONAL), values, add_scenario_when_empty=True,
                                      require_model_accepts_scenario=True)  # fmt: skip
    model = PageModel(**kwargs)  # as Mesa's Reset does
    assert isinstance(model.scenario, MesaScenario)
    assert [v.scenario.cooperation.preferred_form for v in model.variants] == ["wgr"]
    assert model.variants[0].scenario.budget.cut_fraction[1] == 0.4 and model.seed == 7
    assert ("Preferred form", "wgr") in model.applied_levers()
    with pytest.raises(KeyError, match="no lever"):
        PageModel(REGIONAL, **{"stance.initial_meen": 0.2})


def test_side_by_side_runs_cost_control_and_transformation_in_lockstep_with_one_seed():
    page = PageModel(REGIONAL)
    assert page.compare and not page.ready  # nothing built until asked (the page shows a busy sign)
    assert [v.name for v in page.variants] == ["cost control (0.10)", "transformation (0.90)"]
    a, b = (v.scenario for v in page.variants)
    assert (a.stance.initial_mean, b.stance.initial_mean) == (0.1, 0.9)
    assert a.with_overrides({"stance.initial_mean": 0.9}) == b  # they differ in the stance only
    for _ in range(3):
        page.step()
    assert page.ready and [m.month for m in page.models] == [3, 3] and page.month == 3 and page.time == 3
    assert {m.seed for m in page.models} == {load_scenario(REGIONAL).run.seed}
    alone = EcosimModel(a)
    for _ in range(3):
        alone.step()
    assert alone.recorder.rows == page.models[0].recorder.rows  # the same run as on its own
    assert ("Initial stance", "0.10 vs 0.90") in page.applied_levers()
    assert page.models[0].recorder.rows[-1] != page.models[1].recorder.rows[-1]
    single = PageModel(REGIONAL, compare=False)
    assert [v.scenario for v in single.variants] == [load_scenario(REGIONAL)]
    page.release()  # replaced by Reset, or the tab closed: the runs' memory goes
    assert page.models == [] and not page.running
    page.step()
    page.build()
    assert page.models == []  # a released page model builds nothing again


def test_a_large_scenario_is_announced_before_it_is_built():
    national = PageModel("national.toml", compare=False)
    assert 1.7e6 < estimated_citizens(national.variants[0].scenario) < 2.1e6
    assert national.large and not national.ready
    assert "about 1.7 million citizens" in national.size_text()
    both = PageModel("national.toml")
    assert "3.5 million citizens (2 variants)" in both.size_text()
    assert not PageModel(REGIONAL).large


def test_scenarios_are_found_from_any_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert resolve_scenario(None) == (ROOT / "scenarios/regional_default.toml").resolve()
    assert resolve_scenario("scenarios/national.toml") == bundled_dir() / "national.toml"
    assert resolve_scenario("cost_control.toml").read_text() == (ROOT / "scenarios/cost_control.toml").read_text()
    own = tmp_path / "mine.toml"
    own.write_text(f'extends = "{REGIONAL.as_posix()}"\nname = "mine"\n')
    assert resolve_scenario("mine.toml") == own  # a file in the working directory comes first
    names = [p.name for p in scenario_files(tmp_path)]
    assert "mine.toml" in names and "regional_default.toml" in names  # the folder's and the bundled ones
    assert PageModel("scenarios/cost_control.toml").base.name == "cost_control"
    assert {p.name for p in bundled_dir().glob("*.toml")} == {p.name for p in (ROOT / "scenarios").glob("*.toml")}


# -- pictures: each draws, with a legend -----------------------------------------------------------


@pytest.fixture(scope="module")
def stepped_model():
    model = EcosimModel(load_scenario(REGIONAL).with_overrides({"cooperation.initial_form": "wgr"}))
    for _ in range(4):
        model.step()
    return model


@pytest.mark.parametrize("metric", list(MAP_METRICS))
def test_map_draws_every_municipality_and_arrangement_with_legend(stepped_model, metric):
    m = stepped_model
    picture = MapFigure(m, metric)
    fig = picture.update(m)
    assert fig.legends, "the map needs a legend"
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert {"light", "shared service", "centrumgemeente", "wgr"} <= set(labels)
    assert any("inhabitants" in t for t in labels)
    assert len(fig.axes) == 2  # the map and its colour bar
    assert len(picture.dots[0].get_offsets()) == m.n_municipalities
    assert np.isfinite(picture.dots[0].get_array()).all()
    assert len(picture.outlines[Form.WGR].get_paths()) == len(m.arrangements.active()) == 3  # one per task
    assert len(picture.outlines[Form.LIGHT].get_paths()) == 0
    assert figure_bytes(fig).lstrip().startswith(b"<?xml")


def test_map_before_the_first_month_says_so():
    model = EcosimModel(load_scenario(REGIONAL))
    fig = MapFigure(model, "unmet need").update(model)
    assert any(t.get_text() == "no data before the first month" and t.get_visible() for t in fig.axes[0].texts)


@pytest.fixture(scope="module")
def side_by_side():
    page = PageModel(REGIONAL)
    for _ in range(6):
        page.step()
    return page


def test_map_colour_scale_is_fixed_for_the_run_or_chosen_by_the_user():
    page = PageModel(REGIONAL, compare=False)
    page.build()
    picture = MapFigure(page.models[0], "unmet need")
    scales = []
    for _ in range(8):
        page.step()
        picture.update(page.models)
        scales.append(picture.clim)
    assert set(scales) == {MAP_METRICS["unmet need"].norm()} == {(0.0, MAP_METRICS["unmet need"].top)}
    assert picture.colorbar.extend == "max"  # beyond the top saturates, and the bar says so
    chosen = MapFigure(page.models[0], "budget balance", top=5.0)
    chosen.update(page.models)
    assert chosen.clim == (-5.0, 5.0) and chosen.colorbar.extend == "both"
    assert MapFigure(page.models[0], "stance").colorbar.extend == "neither"


def test_side_by_side_map_draws_each_variant_on_one_scale(side_by_side):
    page = side_by_side
    names = tuple(v.name for v in page.variants)
    picture = MapFigure(page.models[0], "stance", names)
    fig = picture.update(page.models)
    assert len(fig.axes) == 3  # two maps and one colour bar
    assert [t.get_text() for t in picture.titles] == [f"{n}, month 6" for n in names]
    assert {d.get_clim() for d in picture.dots} == {(0.0, 1.0)}
    a, b = (d.get_array().mean() for d in picture.dots)
    assert a < 0.5 < b  # cost control on the left, transformation on the right


@pytest.mark.parametrize(
    ("make", "labels"),
    [
        (series_figure, {"budget", "spending", "waiting", "unmet (refused, hidden)", "escalations"}),
        (market_figure, {"capacity use", "concentration (HHI)", "failures (cumulative)", "entries (cumulative)"}),
    ],
)
def test_series_panels_draw_every_month_with_legends(stepped_model, make, labels):
    fig = make(stepped_model).update(stepped_model)
    seen = set()
    for ax in fig.axes:
        assert ax.get_legend() is not None, "every panel needs a legend"
        seen |= {t.get_text() for t in ax.get_legend().get_texts()}
        for line in ax.get_lines():
            assert len(line.get_xdata()) == stepped_model.month
    assert seen == labels


@pytest.mark.parametrize(("make", "per_variant"), [(series_figure, 5), (market_figure, 4)])
def test_side_by_side_panels_draw_both_variants_on_the_same_axes(side_by_side, make, per_variant):
    page = side_by_side
    names = tuple(v.name for v in page.variants)
    fig = make(page.models[0], names).update(page.models)
    lines = [line for ax in fig.axes for line in ax.get_lines()]
    assert len(lines) == 2 * per_variant
    assert {line.get_color() for line in lines} == set(VARIANT_COLOURS[:2])  # colour = variant
    assert all(len(line.get_xdata()) == 6 for line in lines)
    legend = {t.get_text() for t in fig.axes[0].get_legend().get_texts()}
    assert set(names) <= legend
    ys = [tuple(line.get_ydata()) for line in fig.axes[0].get_lines()]
    n = len(ys) // 2
    assert ys[:n] != ys[n:]  # the variants' lines (spending; capacity use) differ


def test_side_by_side_arrangement_table_names_the_variant(side_by_side):
    rows = page_arrangement_rows(side_by_side)
    assert {r["variant"] for r in rows} == {v.name for v in side_by_side.variants}


def test_hull_outlines_members():
    square = np.array([[0, 0], [1, 0], [1, 1], [0, 1], [0.5, 0.5]], dtype=float)
    assert len(hull(square)) == 4
    assert len(hull(np.array([[0, 0], [2, 2.0]]))) == 2
    assert len(hull(np.array([[0, 0], [1, 1], [2, 2.0]]))) == 2  # collinear: a line


def test_arrangement_table_lists_form_members_and_trust(stepped_model):
    rows = arrangement_rows(stepped_model)
    assert len(rows) == len(stepped_model.arrangements.active())
    assert rows[0]["form"] == "wgr"
    assert rows[0]["members"].count("Gemeente") == stepped_model.n_municipalities
    assert 0 <= rows[0]["mean trust"] <= 1
    assert set(FORM_STYLE) == set(Form) - {Form.NONE}


def test_arrangement_table_is_escaped_html():
    html = html_table([{"form": "light", "members": "A & <B>"}])
    assert "<th>members</th>" in html and "<td>A &amp; &lt;B&gt;</td>" in html
    assert html_table([]) == ""


def test_month_text():
    assert month_text(0, 120) == "Month 0 of 120 (starts Jan 2015)"
    assert month_text(14, 120) == "Month 14 of 120 (Jan 2015 - Feb 2016 simulated)"


def _render_page(path, compare=True):
    import solara

    from ecosim.viz.page import EcosimPage

    _, rc = solara.render(solara.AppLayout(children=[EcosimPage(path, compare)]), handle_error=False)
    return rc


def _wait_for(check, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


@pytest.mark.parametrize("compare", [True, False])
def test_page_runs_to_the_end_and_resets_without_a_browser(tmp_path, compare):
    import ipyvuetify as v

    short = tmp_path / "short.toml"
    short.write_text(f'extends = "{REGIONAL.as_posix()}"\nname = "short"\n[run]\nmonths = 2\n')
    rc = _render_page(short, compare)
    try:
        button = lambda name: rc.find(v.Btn, children=[name]).widget  # noqa: E731
        month = lambda: rc.find(v.Html, class_="ecosim-month").widget.children[0]  # noqa: E731
        assert month() == "Month 0 of 2 (starts Jan 2015)"
        button("Step").click()  # the first Step waits for the build
        _wait_for(lambda: month().startswith("Month 1 of 2"))
        button("Step").click()
        _wait_for(lambda: month() == "Month 2 of 2 (Jan 2015 - Feb 2015 simulated)")
        _wait_for(lambda: button("Step").disabled)  # the run is over
        button("Reset").click()  # Mesa's Reset: a new PageModel, built in the background with a busy sign
        assert rc.find(v.Html, class_="ecosim-busy").widgets or month().startswith("Month 0 of 2")
        _wait_for(lambda: not rc.find(v.Html, class_="ecosim-busy").widgets)
        assert month().startswith("Month 0 of 2")
        assert not rc.find(v.Btn, children=["Step"]).widget.disabled
        kind = "side by side" if compare else "one run"
        assert rc.find(v.Html, children=[f"Scenario short, seed 42, {kind}"]).widget is not None
    finally:
        rc.close()


def test_page_asks_before_building_a_large_scenario():
    import ipyvuetify as v

    rc = _render_page(resolve_scenario("national.toml"), compare=False)
    try:
        time.sleep(0.5)
        assert "about 1.7 million citizens" in rc.find(v.Alert, type="warning").widget.children[0]
        assert rc.find(v.Btn, children=["Build"]).widget is not None
        assert not rc.find(v.Html, class_="ecosim-busy").widgets  # nothing is being built
    finally:
        rc.close()


def test_a_confirmed_large_scenario_is_not_asked_again_on_reset(monkeypatch):
    import ipyvuetify as v

    from ecosim.viz import page_model

    monkeypatch.setattr(page_model, "LARGE_CITIZENS", 1000)  # regional_default counts as large
    rc = _render_page(REGIONAL, compare=False)
    try:
        time.sleep(0.3)
        assert rc.find(v.Alert, type="warning").widgets and not rc.find(v.Html, class_="ecosim-busy").widgets
        rc.find(v.Btn, children=["Build"]).widget.click()
        _wait_for(lambda: rc.find(v.Html, class_="ecosim-map").widgets)  # built and drawn
        rc.find(v.Btn, children=["Reset"]).widget.click()
        _wait_for(lambda: rc.find(v.Html, class_="ecosim-map").widgets)  # rebuilt without asking
        assert not rc.find(v.Alert, type="warning").widgets
    finally:
        rc.close()


def test_app_frees_closed_sessions_soon_and_keeps_the_log_quiet():
    import warnings

    import solara.server.settings
    import solara.util

    from ecosim.viz import app

    if "SOLARA_KERNEL_CULL_TIMEOUT" not in os.environ:
        assert solara.util.parse_timedelta(solara.server.settings.kernel.cull_timeout) <= 60
    assert any(f[0] == "ignore" and f[1] and f[1].match("Cookies with samesite=none require https")
               for f in warnings.filters)  # fmt: skip
    assert app.Page is not None


# -- the command -----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_viz_rejects_bad_input_with_exit_2(tmp_path, capsys):
    assert main(["viz", str(tmp_path / "missing.toml")]) == 2
    assert main(["viz", str(REGIONAL), "--port", "70000"]) == 2
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert main(["viz", str(REGIONAL), "--port", str(taken.getsockname()[1])]) == 2
    assert "cannot listen" in capsys.readouterr().err


def test_viz_measure_prints_step_and_render_time(capsys):
    assert main(["viz", str(REGIONAL), "--measure", "2"]) == 0
    assert re.search(r"step \+ render: median \d+ ms \(step \d+ ms, render \d+ ms; processor time \d+ ms\)", capsys.readouterr().out)


# -- the page in a real browser -------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``ecosim viz`` on a free loopback port, in its own session; stopped like Ctrl-C afterwards.

    It starts in a folder without scenario files: the scenario is found among the bundled ones.
    """
    port = _free_port()
    elsewhere = tmp_path_factory.mktemp("viz")
    log_path = elsewhere / "server.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ecosim.cli", "viz", "scenarios/regional_default.toml", "--host", "127.0.0.1",
             "--port", str(port)],
            cwd=elsewhere, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            # Ctrl-C live as in a terminal, even when the tests run in the background (where
            # a non-interactive shell leaves SIGINT ignored for its children).
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"ecosim viz exited with {proc.returncode}:\n{log_path.read_text()}")
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"ecosim viz did not answer within 60 s:\n{log_path.read_text()}")
                time.sleep(0.3)
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends to the whole group
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pytest.fail("ecosim viz did not stop on Ctrl-C within 20 s")
        finally:
            with contextlib.suppress(ProcessLookupError):  # nothing of the group may outlive the test
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    log_text = log_path.read_text()
    assert proc.returncode == 0, log_text
    assert f"at http://127.0.0.1:{port}" in log_text and "ecosim viz: stopped" in log_text
    assert "regional_default, cost control and transformation side by side" in log_text
    assert "samesite" not in log_text and "Warning" not in log_text, log_text  # a quiet log


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def _offline(context) -> list[str]:
    """Refuse every request that would leave the machine; return the list of those refused."""
    refused: list[str] = []

    def route(r):
        if r.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return refused


def _open(context, url):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.get_by_role("button", name="Step").wait_for(timeout=30_000)
    page.locator(".ecosim-map img").wait_for(timeout=60_000)  # built and drawn
    return page, errors


def _month(page) -> str:
    return page.locator(".ecosim-month").inner_text()


STEP_IN_PAGE = """() => new Promise(resolve => {
  const month = () => document.querySelector('.ecosim-month').textContent;
  const srcs = () => ['map', 'series', 'market'].map(n => document.querySelector(`.ecosim-${n} img`).src);
  const before = month(), old = srcs();
  const t0 = performance.now();
  const done = () => month() !== before && srcs().every((s, i) => s !== old[i]);
  const watch = new MutationObserver(() => { if (done()) { watch.disconnect(); resolve(performance.now() - t0); } });
  watch.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
  [...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Step').click();
})"""
"""Click Step in the page and resolve with the ms until the month and all three pictures changed."""


def _step(page, to_month: int) -> float:
    """Click Step; wait for month ``to_month`` with new pictures; return the user-visible delay [ms]."""
    ms = page.evaluate(STEP_IN_PAGE)
    assert _month(page).startswith(f"Month {to_month} of")
    return ms


@pytest.mark.slow
def test_page_steps_and_draws_side_by_side_offline(browser, server, tmp_path):
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    refused = _offline(context)
    page, errors = _open(context, server)
    assert _month(page).startswith("Month 0 of 120")
    delays_ms = [_step(page, month) for month in (1, 2, 3)]
    assert _month(page).startswith("Month 3 of 120")
    for name in ("map", "series", "market"):
        img = page.locator(f".ecosim-{name} img")
        assert img.evaluate("e => e.complete && e.naturalWidth") > 100, name
    arrangements = page.locator(".ecosim-arrangements").inner_text()
    assert "light" in arrangements and "cost control (0.10)" in arrangements and "transformation (0.90)" in arrangements
    assert "Initial stance: 0.10 vs 0.90" in page.locator(".ecosim-applied").inner_text()
    assert "ecosim: regional_default" in page.locator("header").inner_text()
    shot = tmp_path / "viz.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.stat().st_size > 50_000  # a blank page is a few kB
    assert errors == [] and refused == []  # nothing fetched from outside: it works offline
    print(f"click Step -> month and pictures updated in the page: {[round(x) for x in delays_ms]} ms")
    context.close()


@pytest.mark.slow
def test_levers_and_scenario_apply_on_reset(browser, server):
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    page, errors = _open(context, server)
    _step(page, 1)
    stance_a = page.get_by_role("slider", name="Side by side: initial stance of cost control")
    stance_a.focus()
    stance_a.press("Home")  # to the lower bound
    page.get_by_role("button", name="Reset").click()
    page.locator(".ecosim-applied", has_text="Initial stance: 0.00 vs 0.90").wait_for()
    page.locator(".ecosim-map img").wait_for()
    assert _month(page).startswith("Month 0 of 120")
    page.get_by_text("Side by side: cost control vs transformation").click()  # off
    page.get_by_role("button", name="Reset").click()
    page.locator(".ecosim-applied", has_text="one run").wait_for()
    # another scenario file: Mesa's parameters start again from its values
    page.locator(".v-select", has_text="Scenario file").locator(".v-select__slot").click()
    page.get_by_role("option", name="cost_control.toml").click()
    page.locator(".ecosim-applied", has_text="Scenario cost_control").wait_for()
    applied = page.locator(".ecosim-applied").inner_text()
    assert "one run" in applied and "Initial stance: 0.10" in applied  # the file's value, on its own
    page.locator("header", has_text="cost_control").wait_for()  # the app bar follows the new model a moment later
    page.locator(".ecosim-map img").wait_for()
    _step(page, 1)
    assert errors == []
    context.close()


@pytest.mark.slow
def test_two_sessions_keep_independent_models(browser, server):
    a_context, b_context = browser.new_context(), browser.new_context()
    a, _ = _open(a_context, server)
    b, _ = _open(b_context, server)
    _step(a, 1)
    _step(a, 2)
    assert _month(b).startswith("Month 0 of")
    _step(b, 1)
    assert _month(a).startswith("Month 2 of")
    b.reload()
    b.get_by_role("button", name="Step").wait_for()
    assert _month(b).startswith("Month 0 of")  # a new visit is a new session
    assert _month(a).startswith("Month 2 of")
    a_context.close()
    b_context.close()
