"""The region report and the real regions on the calibrated baseline: structure and invariants, not outcomes."""

import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ecosim
from ecosim.api import run
from ecosim.report import region
from ecosim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"


@pytest.mark.parametrize(
    ("name", "members"),
    [
        ("region_amsterdam_calibrated", {"Aalsmeer", "Amstelveen", "Amsterdam", "Diemen", "Ouder-Amstel", "Uithoorn"}),
        (
            "region_achterhoek_calibrated",
            {
                "Aalten",
                "Berkelland",
                "Bronckhorst",
                "Doetinchem",
                "Montferland",
                "Oost Gelre",
                "Oude IJsselstreek",
                "Winterswijk",
            },
        ),
    ],
)
def test_region_is_its_municipalities_on_the_calibrated_baseline(name: str, members: set[str]) -> None:
    sc = load_scenario(SCENARIOS / f"{name}.toml")
    baseline = load_scenario(SCENARIOS / "baseline_2015.toml")
    # The calibrated block and the budgets are the baseline's; only the map (and the scale) differ.
    for part in ("demand", "care", "providers", "budget", "bijstand"):
        assert getattr(sc, part) == getattr(baseline, part), part
    assert sc.run.months == 120
    result = run(sc.with_overrides({"run.agent_scale": 200}), months=1, seed=1)
    assert set(result.municipalities_df["name"]) == members
    assert len(result.municipalities_df) == len(members)


def test_report_of_a_tiny_region_sweep(tmp_path: Path) -> None:
    (tmp_path / "sets.csv").write_text("id,w,providers.client_admin_ratio\na,0.3,0.3\nb,0.7,0.4\n", encoding="utf-8")
    exp = tmp_path / "tiny.toml"
    text = (ROOT / "experiments" / "region_amsterdam.toml").read_text(encoding="utf-8")
    spec = tomllib.loads(text)
    levels = {
        "stance": {k: v for k, v in spec["factors"]["stance"]["levels"].items() if k != "adaptive"},
        "form": {k: v for k, v in spec["factors"]["form"]["levels"].items() if k != "wgr"},
    }
    lines = [
        'name = "tiny_region"',
        f'scenario = "{(SCENARIOS / "region_amsterdam_calibrated.toml").as_posix()}"',
        "months = 2",
        "[design]",
        'method = "points"',
        'points = "sets.csv"',
        'columns = ["providers.client_admin_ratio"]',
        'id_column = "id"',
        'weight_column = "w"',
        "[outputs]",
        'series = ["spending"]',
        f"municipal = {spec['outputs']['municipal']!r}".replace("'", '"'),
    ]
    for factor, lv in levels.items():
        for level, overrides in lv.items():
            lines.append(f"[factors.{factor}.levels.{level}]")
            for k, v in overrides.items():
                lines.append(f'"{k}" = {str(v).lower() if isinstance(v, bool) else repr(v).replace(chr(39), chr(34))}')
    exp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    summary = ecosim.sweep(exp, out, workers=1, progress=False)
    assert (summary.total, summary.failed) == (2 * 2 * 2, 0)

    muni = pd.read_parquet(out / "municipalities.parquet")
    assert len(muni) == 8 * 6  # one row per run and municipality
    assert set(muni.groupby("run_id")["name"].nunique()) == {6}

    path = region.build(out)
    text = path.read_text(encoding="utf-8")
    for heading in (
        "## 1. The region as a whole",
        "## 2. Paired differences",
        "## 3. Per municipality",
        "## 4. How sure this is",
        "### Amsterdam (",
        "### Diemen (",
    ):
        assert heading in text
    assert (out / "figures" / "region_tradeoff.png").stat().st_size > 0
    # The region's spending over budget is the municipalities' sums, not a mean of their shares.
    cell = muni[(muni["factor_stance"] == "cost_control") & (muni["factor_form"] == "none")]
    per_set = cell.groupby("factor_point_set")[["spending_sum", "budget_sum"]].sum()
    over = (per_set["spending_sum"] / per_set["budget_sum"] - 1).to_dict()
    weights = cell.drop_duplicates("factor_point_set").set_index("factor_point_set")["factor_point_weight"]
    median = over["b"] if weights["b"] > 0.5 else over["a"]  # weighted median of two sets: the heavier one
    row = next(line for line in text.splitlines() if line.startswith("| committed cost control   | none"))
    assert f"{median * 100:+.1f} %" in row
    # A paired difference per set: transformation minus cost control, sets counted once each.
    d = region.paired(
        region.region_rows(region._measures(muni)),
        {"factor_stance": "transformation", "factor_form": "none"},
        {"factor_stance": "cost_control", "factor_form": "none"},
        "overspend",
    )
    assert sorted(d["factor_point_set"]) == ["a", "b"] and np.isfinite(d["diff"]).all()
    # The same sweep as a section of the flagship report: its table and links relative to that report.
    flagship = tmp_path / "flagship"
    flagship.mkdir()
    section = "\n".join(region.region_section([out], flagship, "2d"))
    assert "## 2d. Real regions on the calibrated baseline" in section
    assert "### 2d.1 " in section and row in section
    assert "(../out/report.md)" in section and "../out/figures/region_tradeoff.png" in section
