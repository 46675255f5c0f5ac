"""The visual server: controls from the schema, pictures with legends, and the page in a real browser."""

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
from ecosim.viz.controls import LEVERS, controls_for, element_names, field_of, nice_step, overrides, value_at
from ecosim.viz.figures import arrangement_rows, figure_bytes, market_figure, series_figure
from ecosim.viz.map_figure import FORM_STYLE, MAP_METRICS, MapFigure, hull
from ecosim.viz.session import SCENARIO_ENV, Setup, applied_levers, scenario_from_env
from ecosim.viz.views import html_table, month_text

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


def test_setup_builds_the_model_reset_would(monkeypatch):
    setup = Setup.load(REGIONAL).with_value("stance.initial_mean", 0.9).with_value("cooperation.preferred_form", "wgr")
    model = setup.build()
    assert model.scenario.stance.initial_mean == 0.9
    assert model.scenario.cooperation.preferred_form == "wgr"
    assert ("Initial stance", "0.90") in applied_levers(model.scenario, setup.controls)
    assert {p.name for p in setup.choices()} >= {"regional_default.toml", "cost_control.toml"}
    with pytest.raises(KeyError):
        setup.with_value("no.such", 1)
    monkeypatch.setenv(SCENARIO_ENV, str(ROOT / "scenarios/no_cuts.toml"))
    assert scenario_from_env() == (ROOT / "scenarios/no_cuts.toml").resolve()


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
    assert len(picture.dots.get_offsets()) == m.n_municipalities
    assert np.isfinite(picture.dots.get_array()).all()
    assert len(picture.outlines[Form.WGR].get_paths()) == len(m.arrangements.active()) == 1
    assert len(picture.outlines[Form.LIGHT].get_paths()) == 0
    assert figure_bytes(fig).lstrip().startswith(b"<?xml")


def test_map_before_the_first_month_says_so():
    model = EcosimModel(load_scenario(REGIONAL))
    fig = MapFigure(model, "unmet need").update(model)
    assert any(t.get_text() == "no data before the first month" and t.get_visible() for t in fig.axes[0].texts)


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
    model = EcosimModel(load_scenario(REGIONAL))
    assert month_text(model) == "Month 0 of 120 (starts Jan 2015)"
    for _ in range(14):
        model.step()
    assert month_text(model) == "Month 14 of 120 (Jan 2015 - Feb 2016 simulated)"


def test_page_runs_to_the_end_and_resets_without_a_browser(tmp_path):
    import ipyvuetify as v
    import solara

    from ecosim.viz.page import EcosimPage

    short = tmp_path / "short.toml"
    short.write_text(f'extends = "{REGIONAL.as_posix()}"\nname = "short"\n[run]\nmonths = 2\n')
    _, rc = solara.render(solara.AppLayout(children=[EcosimPage(short)]), handle_error=False)
    try:
        step, reset = (rc.find(v.Btn, children=[name]).widget for name in ("Step", "Reset"))
        month = rc.find(v.Html, class_="ecosim-month").widget
        assert month.children == ["Month 0 of 2 (starts Jan 2015)"]
        step.click()
        step.click()
        assert month.children == ["Month 2 of 2 (Jan 2015 - Feb 2015 simulated)"]
        assert step.disabled  # the run is over
        reset.click()
        assert rc.find(v.Html, class_="ecosim-month").widget.children[0].startswith("Month 0 of 2")
        assert not rc.find(v.Btn, children=["Step"]).widget.disabled
    finally:
        rc.close()


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
    """``ecosim viz`` on a free loopback port, in its own session; stopped like Ctrl-C afterwards."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("viz") / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ecosim.cli", "viz", str(REGIONAL), "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
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


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def _open(context, url):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.get_by_role("button", name="Step").wait_for(timeout=30_000)
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
def test_page_steps_and_draws(browser, server, tmp_path):
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    page, errors = _open(context, server)
    assert _month(page).startswith("Month 0 of 120")
    delays_ms = [_step(page, month) for month in (1, 2, 3)]
    assert _month(page).startswith("Month 3 of 120")
    for name in ("map", "series", "market"):
        img = page.locator(f".ecosim-{name} img")
        assert img.evaluate("e => e.complete && e.naturalWidth") > 100, name
    assert "light" in page.locator(".ecosim-arrangements").inner_text()
    shot = tmp_path / "viz.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.stat().st_size > 50_000  # a blank page is a few kB
    assert errors == []
    print(f"click Step -> month and pictures updated in the page: {[round(x) for x in delays_ms]} ms")
    context.close()


@pytest.mark.slow
def test_levers_and_scenario_apply_on_reset(browser, server):
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    page, errors = _open(context, server)
    _step(page, 1)
    page.locator(".v-select", has_text="Scenario file").locator(".v-select__slot").click()
    page.get_by_role("option", name="cost_control.toml").click()
    stance = page.get_by_role("slider", name=re.compile(r"^Initial stance"))
    page.get_by_role("slider", name="Initial stance 0.10").wait_for(state="attached")  # the file's value
    stance.focus()
    stance.press("End")  # to the schema's upper bound
    page.get_by_role("slider", name="Initial stance 1.00").wait_for(state="attached")
    page.get_by_text("press Reset to apply").wait_for()
    assert "Initial stance: 1.00" not in page.locator(".ecosim-applied").inner_text()
    page.get_by_role("button", name="Reset").click()
    page.locator(".ecosim-applied", has_text="Initial stance: 1.00").wait_for()
    applied = page.locator(".ecosim-applied").inner_text()
    assert "Scenario cost_control" in applied and "Preferred form: none" in applied
    assert _month(page).startswith("Month 0 of 120")
    assert "cost_control" in page.locator("header").inner_text()
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
