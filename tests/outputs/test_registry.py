"""The output registry: every output declared once, and everything that reads it."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from ecosim.cli import main
from ecosim.model.ledger import EVENTS
from ecosim.outputs import registry
from ecosim.outputs.declarations import EVENT_OUTPUTS
from ecosim.outputs.kinds import KINDS, kind_groups
from ecosim.outputs.registry import (
    MODEL_COLUMNS,
    MUNICIPAL_COLUMNS,
    SCALARS,
    UnknownOutputError,
    check_names,
    end_of_run,
    read_units,
    with_units,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def short_run():
    """A 14-month run of a small world (long enough for the last-12-month scalars)."""
    import ecosim
    from ecosim import Scenario

    world = {"geography.n_municipalities": 5, "geography.n_regions": 1, "geography.mean_population": 15_000}
    return ecosim.run(Scenario().with_overrides(world), months=14, seed=3)


def test_registry_equals_the_recorded_columns_both_ways_and_in_order(short_run):
    model, muni = list(short_run.model_df.columns), list(short_run.municipalities_df.columns)
    assert set(model) == set(MODEL_COLUMNS) and set(MODEL_COLUMNS) == set(model)
    assert set(muni) == set(MUNICIPAL_COLUMNS) and set(MUNICIPAL_COLUMNS) == set(muni)
    assert tuple(model) == MODEL_COLUMNS and tuple(muni) == MUNICIPAL_COLUMNS
    assert tuple(short_run.model.recorder.rows[-1]) == MODEL_COLUMNS


def test_event_outputs_follow_the_ledger():
    assert tuple(name for name, *_ in EVENT_OUTPUTS) == EVENTS


def test_every_scalar_computes_on_a_short_run(short_run):
    values = end_of_run(short_run.model_df)
    assert list(values) == list(SCALARS)
    m = short_run.model
    groups = kind_groups(m.populations, m.need.characteristics.urbanity)
    for name, v in values.items():
        kind = next((k for k in KINDS if name.endswith(f"_{k}_last12")), None)
        if kind is not None and len(groups[kind]) == 0:
            assert isinstance(v, float) and math.isnan(v), name  # a kind the map lacks is NaN, not 0
            continue
        assert isinstance(v, float) and math.isfinite(v), name
    assert values["total_spending"] == short_run.model_df["spending"].sum()


def test_entries_are_complete_and_unique():
    units = {"EUR", "EUR/month", "EUR/inhabitant/month", "EUR/inhabitant/year", "people", "people/month", "month",
             "year", "-", "weighted people", "weighted people per 1,000", "weighted person-months", "providers",
             "providers/month", "arrangements", "arrangements/month", "municipalities", "FTE", "memberships",
             "memberships/month", "hours/month"}
    seen = set()
    for o in registry.outputs():
        assert (o.kind, o.name) not in seen
        seen.add((o.kind, o.name))
        assert o.meaning and o.how and o.label, o.name
        assert o.unit in units, (o.name, o.unit)
        assert o.better in ("lower", "higher", "neither")
        assert (o.compute is not None) == (o.kind == "scalar")


def test_check_names_suggests_the_closest_name():
    check_names(["spending", "unmet"], ["monthly"], "x")
    with pytest.raises(UnknownOutputError, match=r"f.toml: outputs.series: 'bruden' is not a monthly output; "
                                                 r"did you mean 'burden'\?"):
        check_names(["spending", "bruden"], ["monthly"], "f.toml: outputs.series")
    with pytest.raises(UnknownOutputError, match="is not a scalar output"):
        check_names(["spending"], ["scalar"], "x")  # a column, not an end-of-run scalar


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ecosim.cli", *args], capture_output=True, text=True, cwd=ROOT)


def test_validate_refuses_a_misspelt_series_in_an_experiment(tmp_path):
    text = (ROOT / "experiments/cost_control_vs_transformation_quick.toml").read_text()
    text = text.replace('"../scenarios/', f'"{(ROOT / "scenarios").as_posix()}/')
    good = tmp_path / "good.toml"
    good.write_text(text + '\n[outputs]\nseries = ["spending", "unmet"]\n')
    assert main(["validate", str(good)]) == 0
    bad = tmp_path / "typo.toml"
    bad.write_text(text + '\n[outputs]\nseries = ["spending", "escalatoins"]\n')
    proc = _cli("validate", str(bad))
    assert proc.returncode == 2, proc.stderr
    assert str(bad) in proc.stderr and "'escalatoins'" in proc.stderr
    assert "did you mean 'escalations'?" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_validate_refuses_a_misspelt_target_output_in_a_calibration_file(tmp_path):
    text = (ROOT / "calibration/baseline_2015.toml").read_text()
    text = text.replace('"../scenarios/', f'"{(ROOT / "scenarios").as_posix()}/')
    good = tmp_path / "good.toml"
    good.write_text(text)
    assert main(["validate", str(good)]) == 0
    bad = tmp_path / "typo.toml"
    bad.write_text(text.replace('output = "providers_active_jeugd"', 'output = "provider_active_jeugd"'))
    proc = _cli("validate", str(bad))
    assert proc.returncode == 2, proc.stderr
    assert str(bad) in proc.stderr and "'provider_active_jeugd'" in proc.stderr
    assert "did you mean 'providers_active_jeugd'?" in proc.stderr


def test_outputs_json_lists_every_output_with_a_unit():
    proc = _cli("outputs", "--json")
    assert proc.returncode == 0, proc.stderr
    records = json.loads(proc.stdout)
    assert [(r["kind"], r["name"]) for r in records] == [(o.kind, o.name) for o in registry.outputs()]
    assert all(r["unit"] and r["better"] in ("lower", "higher", "neither") and r["meaning"] for r in records)
    assert {r["name"] for r in records if r["kind"] == "scalar"} == set(SCALARS)


def test_outputs_table(capsys):
    assert main(["outputs", "--kind", "scalar"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("scalar (runs.parquet)") and "total_spending" in out and "EUR" in out
    assert "in_care_jeugd" not in out


def test_parquet_written_by_run_carries_the_units(tmp_path):
    scenario = ROOT / "scenarios/regional_default.toml"
    assert main(["run", str(scenario), "--months", "2", "--seed", "1", "--out", str(tmp_path), "--quiet"]) == 0
    units = read_units(tmp_path / "model.parquet")
    assert list(units) == list(MODEL_COLUMNS)
    assert units["spending"] == "EUR/month" and units["unmet"] == "people" and units["admin_share"] == "-"
    assert list(read_units(tmp_path / "municipalities.parquet")) == list(MUNICIPAL_COLUMNS)
    df = pd.read_parquet(tmp_path / "model.parquet")
    assert tuple(df.columns) == MODEL_COLUMNS and len(df) == 2


def test_with_units_leaves_data_and_other_columns_alone():
    df = pd.DataFrame({"run_id": ["a", "b"], "total_spending": [1.0, 2.0], "factor_x": [1, 2]})
    table = with_units(pa.Table.from_pandas(df, preserve_index=False), "scalar")
    assert read_units(table) == {"total_spending": "EUR"}
    assert table.schema.field("total_spending").metadata[b"better"] == b"lower"
    pd.testing.assert_frame_equal(table.to_pandas(), df, check_exact=True)


def test_odd_lists_the_outputs_as_the_registry_declares_them():
    odd = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")
    for kind in ("monthly", "municipal", "scalar"):
        assert registry.markdown_table(kind) in odd, f"docs/ODD.md section 8: regenerate the {kind} table (python -m ecosim.outputs.odd_tables docs/ODD.md)"


def test_odd_states_the_column_counts_of_the_code():
    import re

    odd = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")
    counts = dict(re.findall(r"`(model|municipalities)\.parquet`[^\n]*?(\d+) columns", odd))
    assert counts.get("model") == str(len(registry.MODEL_COLUMNS)), "docs/ODD.md: model.parquet's column count"
    if "municipalities" in counts:
        assert counts["municipalities"] == str(len(registry.MUNICIPAL_COLUMNS))


def test_markdown_table_is_pandas_to_markdown():
    from ecosim.report.markdown import table

    text = table(["a", "b|c"], [["1,234", "x|y"], ["< 0.001", "-"]])
    expected = pd.DataFrame([["1,234", "x\\|y"], ["< 0.001", "-"]], columns=["a", "b\\|c"]).to_markdown(
        index=False, disable_numparse=True
    )
    assert text == expected
    assert text.splitlines()[2].startswith("| 1,234 ")  # numbers stay as formatted
