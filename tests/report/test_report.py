"""`ecosim report`: a report from real (tiny) sweeps, sensitivity designs and EMA Workbench interop."""

import math
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecosim.cli import main
from ecosim.errors import InputError
from ecosim.experiment import expand, load_experiment, sweep
from ecosim.experiment.design import Experiment, design_points
from ecosim.report import build_report, sensitivity
from ecosim.report.compare import Pair
from ecosim.report.ema import LEVERS, UNCERTAINTIES, Declared, validate
from ecosim.report.markdown import signed_interval
from ecosim.scenario import Scenario

ROOT = Path(__file__).resolve().parents[2]
BASE = (ROOT / "scenarios" / "regional_default.toml").as_posix()

TINY = f"""
name = "tiny"
description = "Two stances on a three-municipality region."
scenario = "{BASE}"
months = {{months}}
replications = {{reps}}
root_seed = 3

[factors.size.levels.tiny]
"geography.n_municipalities" = 3
"geography.mean_population" = 8_000
"""

STANCES = """
[factors.stance.levels.cost_control]
"stance.initial_mean" = 0.1
"stance.initial_sd" = 0.05

[factors.stance.levels.transformation]
"stance.initial_mean" = 0.9
"stance.initial_sd" = 0.05
"""


GAIN = """
[factors.gain]
path = "escalation.unmet_gain"
bounds = [0.0, 0.3]
"""


def design(method: str, **options: int) -> str:
    """The [design] table of an experiment file."""
    return f'\n[design]\nmethod = "{method}"\n' + "".join(f"{k} = {v}\n" for k, v in options.items())


def write(folder: Path, text: str, name: str = "exp.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def quick(tmp_path_factory) -> Path:
    """2 stances x 1 form x 2 replications x 12 months of a 3-municipality region, swept."""
    folder = tmp_path_factory.mktemp("quick")
    extra = '\n[factors.form.levels.light]\n"cooperation.initial_form" = "light"\n'
    exp = write(folder, TINY.format(months=12, reps=2) + STANCES + extra)
    sweep(exp, folder / "out", workers=2, progress=False)
    return folder / "out"


def section_titles(text: str) -> list[str]:
    return re.findall(r"^#+ (.+)$", text, flags=re.MULTILINE)


def test_report_has_every_section_and_figure(quick):
    path = build_report(quick)
    text = path.read_text()
    titles = section_titles(text)
    for expected in [
        "Summary",
        "How the numbers were made",
        "What was run",
        "1. Outcomes per scenario cell",
        "2. Cost control compared with transformation",
        "2.1 Overview per outcome",
        "2.2 Spending and unmet need together: at what price?",
        "2.3 Every comparison",
        "3. Trade-off: spending against unmet need",
        "4. Does transformation pay back? Break-even of cumulative spending",
        "5. Over time",
        "6. Scenario discovery: where does transformation win on both counts?",
        "Appendix: outcomes",
    ]:
        assert expected in titles, expected
    for fig in ["differences", "tradeoff", "break_even", "series_spending", "series_burden_per_1000"]:
        assert (quick / "figures" / f"{fig}.png").stat().st_size > 10_000
        if fig != "series_burden_per_1000":
            assert f"figures/{fig}.png" in text
    assert "7. Sensitivity analysis" not in text  # a grid sweep has no indices


def test_summary_is_generated_from_the_comparison_table(quick):
    from ecosim.report import compare
    from ecosim.report.outcomes import KEY_OUTCOMES, present

    text = build_report(quick).read_text()
    summary = text.split("## Summary", 1)[1].split("\n## ", 1)[0]
    runs = pd.read_parquet(quick / "runs.parquet")
    comp = compare.compare(compare.pairs(runs), present(KEY_OUTCOMES, runs.columns))
    row = comp[comp["outcome"] == "total_spending"].iloc[0]
    assert "**What was run**: 4 runs of 12 months (grid design): 2 scenario cells x 2 replications" in summary
    spending = next(line for line in summary.splitlines() if line.startswith("- **Public spending over the run**"))
    assert signed_interval(row["diff"], row["low"], row["high"]) in spending
    verdict = "significant after Holm correction" if row["p_holm"] < 0.05 else "not significant"
    assert verdict in spending
    assert "Break-even" in summary and "Threefold?" in summary and "For whom" in summary


def test_summary_counts_signs_when_single_pairs_cannot_be_told_apart():
    from ecosim.report.outcomes import outcome
    from ecosim.report.summary import outcome_sentence

    o = outcome("total_spending")
    comp = pd.DataFrame(
        {
            "pair": ["a=1", "a=2", "a=3"],
            "outcome": o.name,
            "n": 2,
            "control": 100.0,
            "diff": [-10.0, -5.0, 2.0],
            "low": [-200.0, -150.0, -90.0],
            "high": [180.0, 140.0, 94.0],
            "rel": [-0.10, -0.05, 0.02],
            "p_holm": [0.6, 0.7, 0.9],
        }
    )
    text = outcome_sentence(comp, o)
    assert "not significantly different under transformation in any of the 3 scenario pairs" in text
    assert "with 2 replications per pair" in text
    assert "lower in 2 and higher in 1 of 3 pairs" in text
    assert "-10.0% (a=1)" in text and "+2.0% (a=3)" in text
    comp["p_holm"] = 0.001  # every pair significant: the sign count would only repeat it
    assert "by sign alone" not in outcome_sentence(comp, o)


def test_cli_report_and_bad_folders(quick, tmp_path, capsys):
    assert main(["report", str(quick), "--quiet"]) == 0
    assert main(["report", str(tmp_path / "nowhere")]) == 2
    assert "no such folder" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["report", str(tmp_path / "empty")]) == 2
    assert "no runs.parquet" in capsys.readouterr().err


def test_report_without_series_says_why(quick, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(quick, copy, ignore=shutil.ignore_patterns("runs", "figures", "series.parquet"))
    text = build_report(copy, series_note="The series were removed to keep the folder small.").read_text()
    assert text.count("The series were removed to keep the folder small.") == 2
    assert "## 2.1 Overview per outcome" in text.replace("### 2.1", "## 2.1")


# -- sampled designs: Morris and Sobol ---------------------------------------------------------------


def sampled(method: str, **design) -> Experiment:
    factors = {
        "a": {"path": "escalation.unmet_gain", "bounds": [0.0, 1.0]},
        "b": {"path": "prevention.max_effect", "bounds": [0.0, 1.0]},
        "c": {"path": "demand.hidden_share", "bounds": [0.0, 1.0]},
    }
    return Experiment.model_validate({"scenario": BASE, "design": {"method": method, **design}, "factors": factors})


@pytest.mark.parametrize(
    ("method", "design", "points"),
    [
        ("morris", {"trajectories": 4, "levels": 4}, 4 * (3 + 1)),
        ("sobol", {"base_samples": 8}, 8 * (3 + 2)),
        ("sobol", {"base_samples": 8, "second_order": True}, 8 * (2 * 3 + 2)),
    ],
)
def test_sampled_designs_expand_to_salib_sizes(method, design, points):
    assert len(design_points(sampled(method, **design), 1)) == points


def test_named_levels_are_crossed_with_the_sample(tmp_path):
    lag = '[factors.lag]\npath = "prevention.lag_months"\nbounds = [6, 48]\ninteger = true\n'
    text = TINY.format(months=6, reps=3) + STANCES + design("morris", trajectories=3) + GAIN + lag
    exp, base = load_experiment(write(tmp_path, text))
    specs = expand(exp, base)
    assert len(specs) == 3 * (2 + 1) * 2 * 3  # trajectories x (k + 1) x stances x replications
    cc = [s for s in specs if s.labels["stance"] == "cost_control" and s.replication == 0]
    tr = [s for s in specs if s.labels["stance"] == "transformation" and s.replication == 0]
    # Both stances see the same sampled points, in SALib's order, and lag is a whole number.
    assert [s.labels["gain"] for s in cc] == [s.labels["gain"] for s in tr]
    assert all(isinstance(s.labels["lag"], int) for s in specs)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '[design]\nmethod = "sobol"\nbase_samples = 10\n[factors.a]\npath = "stance.initial_mean"\nbounds = [0, 1]\n',
            "power of 2",
        ),
        ('[design]\nmethod = "morris"\n' + STANCES, "at least one factor with 'bounds'"),
        ('[design]\nmethod = "morris"\n[factors.a]\npath = "stance.initial_mean"\nvalues = [0.1]\n', "needs 'bounds'"),
    ],
)
def test_bad_sampled_designs_are_refused(tmp_path, body, message):
    from ecosim.experiment import ExperimentError

    with pytest.raises(ExperimentError, match=message):
        load_experiment(write(tmp_path, f'scenario = "{BASE}"\n' + body))


def fake_runs(exp: Experiment, f, reps: int = 2) -> pd.DataFrame:
    """A runs table whose output is f(a, b, c) at each design point, for every replication."""
    rows = []
    for i, (labels, _) in enumerate(design_points(exp, exp.root_seed)):
        y = f(labels["a"], labels["b"], labels["c"])
        for r in range(reps):
            rows.append({"point": i, "replication": r, **{f"factor_{k}": v for k, v in labels.items()}, "y": y})
    return pd.DataFrame(rows)


def test_morris_indices_of_a_linear_function():
    exp = sampled("morris", trajectories=20, levels=4)
    idx = sensitivity.indices(fake_runs(exp, lambda a, b, c: 10 * a + 1 * b), exp, ["y"]).set_index("factor")
    # Elementary effects of a linear function are its slopes (bounds [0, 1]), without spread.
    assert idx.loc["a", "mu_star"] == pytest.approx(10)
    assert idx.loc["b", "mu_star"] == pytest.approx(1)
    assert idx.loc["c", "mu_star"] == pytest.approx(0)
    assert idx["sigma"].to_numpy() == pytest.approx([0, 0, 0], abs=1e-9)


def test_sobol_indices_of_the_ishigami_function():
    exp = Experiment.model_validate(
        {
            "scenario": BASE,
            "design": {"method": "sobol", "base_samples": 1024},
            "factors": {
                n: {"path": p, "bounds": [-math.pi, math.pi]}
                for n, p in [("a", "stance.initial_mean"), ("b", "escalation.unmet_gain"), ("c", "demand.hidden_share")]
            },
        }
    )

    def ishigami(a, b, c):
        return math.sin(a) + 7 * math.sin(b) ** 2 + 0.1 * c**4 * math.sin(a)

    idx = sensitivity.indices(fake_runs(exp, ishigami, reps=1), exp, ["y"]).set_index("factor")
    # Analytic values: S1 = 0.314, 0.442, 0; ST = 0.558, 0.442, 0.244.
    assert idx["S1"].to_numpy() == pytest.approx([0.314, 0.442, 0.0], abs=0.06)
    assert idx["ST"].to_numpy() == pytest.approx([0.558, 0.442, 0.244], abs=0.06)
    assert (idx["S1_conf"] > 0).all()


def test_indices_need_every_design_point():
    exp = sampled("morris", trajectories=4)
    runs = fake_runs(exp, lambda a, b, c: a).query("point != 3")
    with pytest.raises(InputError, match="15 of 16 points"):
        sensitivity.indices(runs, exp, ["y"])


def test_morris_sweep_without_stance_reports_indices_and_skips_the_comparison(tmp_path):
    effect = '[factors.effect]\npath = "prevention.max_effect"\nbounds = [0.05, 0.4]\n'
    text = TINY.format(months=6, reps=1) + design("morris", trajectories=2) + GAIN + effect
    sweep(write(tmp_path, text), tmp_path / "out", workers=2, progress=False)
    text = build_report(tmp_path / "out").read_text()
    assert "has no factor named `stance`" in text
    assert "4. Does transformation pay back" not in text and "6. Scenario discovery" not in text
    assert "## 7. Sensitivity analysis: Morris elementary effects" in text
    assert (tmp_path / "out" / "figures" / "sensitivity.png").is_file()
    assert main(["report", str(tmp_path / "out"), "--quiet", "--sensitivity-outputs", "happiness"]) == 2


def test_latin_hypercube_with_stances_feeds_prim(tmp_path):
    text = TINY.format(months=12, reps=1) + STANCES + design("lhs", samples=8) + GAIN
    sweep(write(tmp_path, text), tmp_path / "out", workers=2, progress=False)
    runs = pd.read_parquet(tmp_path / "out" / "runs.parquet")
    assert len(runs) == 16 and runs.groupby("factor_stance").size().tolist() == [8, 8]
    text = build_report(tmp_path / "out").read_text()
    discovery = text.split("## 6. Scenario discovery", 1)[1].split("\n## ", 1)[0]
    assert "of 8 paired replications" in discovery
    explored = text.split("## 2b. Where each strategy does better", 1)[1].split("\n## ", 1)[0]
    assert "over 8 paired runs of the explored space" in explored and "For whom" in explored
    # Pairs of a sampled design are named by their sample, not by every sampled value.
    from ecosim.report.compare import pairs

    labels = [p.label for p in pairs(runs)]
    assert sorted(labels) == sorted(f"sample {i}" for i in range(1, 9))


def test_space_shares_count_each_side_and_both():
    from ecosim.report.exploration import pair_rows, shares

    def pair(cc, tr, form):
        frame = lambda v: pd.DataFrame({"replication": [0], "seed": [1], "total_spending": [v[0]], "burden_total": [v[1]]})  # noqa: E731
        return Pair(f"form={form}", {"factor_form": form}, frame(cc), frame(tr), True)

    rows = pair_rows([pair((10, 5), (9, 4), "a"), pair((10, 5), (11, 6), "a"), pair((10, 5), (9, 6), "b")])
    tab = shares(rows, ["form"]).set_index("form")
    assert tab.loc["all", "pairs"] == 3
    assert tab.loc["all", "transformation better on both"] == 1 / 3
    assert tab.loc["all", "cost control better on both"] == 1 / 3
    assert tab.loc["a", "transformation cheaper"] == 0.5 and tab.loc["b", "transformation less unmet need"] == 0.0


# -- EMA Workbench -------------------------------------------------------------------------------------


def test_every_declared_ema_name_is_a_scenario_field():
    scenario = Scenario()
    validate([*UNCERTAINTIES, *LEVERS], scenario)  # raises on any unknown path or invalid bound
    fields = scenario.model_dump()
    for d in [*UNCERTAINTIES, *LEVERS]:
        for path in d.paths:
            node = fields
            for key in path.split("."):
                assert key in node, f"{d.name}: {path}"
                node = node[key]


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        (Declared("x", ("stance.nope",), 0.0, 1.0), "not a scenario parameter"),
        (Declared("x", ("stance.initial_mean",), 0.0, 7.0), "less than or equal to 1"),
        (Declared("x", ("cooperation.initial_form",), categories=("light", "federal")), "initial_form = 'federal'"),
        (Declared("x y", ("stance.initial_mean",), 0.0, 1.0), "identifier"),
        (Declared("x", ("access.threshold.middle",), 0.0, 1.0), "'access.threshold.middle' is not a scenario parameter"),
        (Declared("x", ("wijkteam.budget_share.transformation",), 0.0, 2.0), "less than or equal to 1"),
    ],
)
def test_bad_ema_declarations_are_refused(declared, message):
    with pytest.raises(InputError, match=message):
        validate([declared], Scenario())


def test_ema_parameters_may_name_a_lever_pair_part():
    named = Declared("budget_share_tr", ("wijkteam.budget_share.transformation",), 0.0, 0.2)
    indexed = Declared("budget_share_tr", ("wijkteam.budget_share.1",), 0.0, 0.2)
    validate([named], Scenario())
    validate([indexed], Scenario())
    set_by_name = Scenario().with_overrides(dict.fromkeys(named.paths, 0.2))
    assert set_by_name == Scenario().with_overrides(dict.fromkeys(indexed.paths, 0.2))
    assert tuple(set_by_name.wijkteam.budget_share) == (Scenario().wijkteam.budget_share.control, 0.2)


def test_ecosim_runs_as_an_ema_workbench_model():
    ew = pytest.importorskip("ema_workbench")
    from ecosim.report.ema import ecosim_model

    scenario = Scenario().with_overrides({"geography.n_municipalities": 3, "geography.mean_population": 8_000})
    model = ecosim_model(scenario, months=6, seed=1, outcomes=("total_spending", "burden_total"))
    assert {u.name for u in model.uncertainties} == {d.name for d in UNCERTAINTIES}
    assert {lv.name for lv in model.levers} == {d.name for d in LEVERS}
    experiments, outcomes = ew.perform_experiments(model, scenarios=2, policies=2)
    assert len(experiments) == 4 and set(outcomes) == {"total_spending", "burden_total"}
    assert np.all(outcomes["total_spending"] > 0)


def test_ema_seed_uncertainty_gives_each_experiment_its_own_run():
    ew = pytest.importorskip("ema_workbench")
    from ecosim.report.ema import SEED, ecosim_model

    scenario = Scenario().with_overrides({"geography.n_municipalities": 3, "geography.mean_population": 8_000})
    model = ecosim_model(scenario, months=6, seed=1, outcomes=("total_spending", "burden_total"),
                         uncertainties=(SEED,), levers=())
    experiments, outcomes = ew.perform_experiments(model, scenarios=3)
    assert experiments["seed"].nunique() == 3
    assert len(set(outcomes["total_spending"])) == 3  # three seeds, three outcomes
    # The registry's direction: less spending and less burden are better.
    assert {o.kind for o in model.outcomes} == {ew.ScalarOutcome.MINIMIZE}


def test_ema_replications_differ_by_seed():
    ew = pytest.importorskip("ema_workbench")
    from ecosim.experiment.design import replication_seeds
    from ecosim.report.ema import ecosim_model

    scenario = Scenario().with_overrides({"geography.n_municipalities": 3, "geography.mean_population": 8_000})
    model = ecosim_model(scenario, months=6, seed=1, outcomes=("total_spending",), replications=3,
                         aggregate=lambda values: float(len(set(values))))
    assert isinstance(model, ew.ReplicatorModel)
    assert [r["seed"] for r in model.replications] == replication_seeds(1, 3)  # ecosim sweep's seeds
    _, outcomes = ew.perform_experiments(model, scenarios=1, policies=1)
    assert outcomes["total_spending"].tolist() == [3.0]  # three replications, three different outcomes
    mean = ecosim_model(scenario, months=6, seed=1, outcomes=("total_spending",), replications=3)
    assert mean.outcomes[0].kind == ew.ScalarOutcome.MINIMIZE and mean.outcomes[0].function is np.mean


def test_sweep_exports_to_ema_workbench_results(quick, tmp_path):
    ew = pytest.importorskip("ema_workbench")
    from ecosim.report.ema import export_results

    path = export_results(quick, tmp_path / "results.tar.gz")
    experiments, outcomes = ew.load_results(str(path))
    runs = pd.read_parquet(quick / "runs.parquet")
    assert len(experiments) == len(runs)
    assert {"stance", "form", "scenario", "policy", "model", "replication", "seed"} <= set(experiments.columns)
    np.testing.assert_allclose(outcomes["total_spending"], runs["total_spending"])
    assert main(["report", str(quick), "--quiet", "--ema"]) == 0
    assert (quick / "ema_results.tar.gz").is_file()
