"""Every lever pair says where its values come from; uncertain ones ship with a two-sided range."""

from pathlib import Path

import pytest

from ecosim.experiment.design import ExperimentError, load_experiment
from ecosim.scenario import LeverPair, Scenario
from ecosim.scenario.levers import lever_pair, pair_evidence
from ecosim.scenario.uncertainty import factors_toml, uncertainties

ROOT = Path(__file__).resolve().parents[2]


def pair_fields():
    for group_name, group_field in Scenario.model_fields.items():
        group = group_field.annotation
        if isinstance(group, type) and hasattr(group, "model_fields"):
            for name, info in group.model_fields.items():
                if isinstance(info.annotation, type) and issubclass(info.annotation, LeverPair):
                    yield f"{group_name}.{name}", info


def test_every_lever_pair_is_sourced_or_uncertain():
    fields = dict(pair_fields())
    assert set(fields) == set(Scenario().lever_pairs())
    for path, info in fields.items():
        ev = pair_evidence(info)
        assert ev["pair_kind"] in ("policy", "efficiency"), path
        assert ev["source"] or ev["uncertain"], path


def test_efficiency_pairs_without_a_split_source_are_equal_by_default():
    pairs = Scenario().lever_pairs()
    for path, info in pair_fields():
        if pair_evidence(info)["pair_kind"] == "efficiency":
            assert pairs[path].control == pairs[path].transformation, path


def test_uncertain_ranges_let_either_side_be_the_worse():
    """Each part's range holds both default parts, so transformation can take control's value and beyond."""
    pairs = Scenario().lever_pairs()
    found = uncertainties()
    for path, pair in pairs.items():
        for part in ("control", "transformation"):
            key = f"{path}.{part}"
            if key in found:
                low, high = found[key]["bounds"]
                assert low <= min(pair) and max(pair) <= high, key


def test_lever_pair_needs_evidence_and_a_range_holding_its_defaults():
    with pytest.raises(ValueError, match="source or an uncertainty range"):
        lever_pair(1.0, 2.0, "x", kind="policy")
    with pytest.raises(ValueError, match="must hold both default parts"):
        lever_pair(1.0, 2.0, "x", kind="policy", uncertain=(1.5, 3.0))
    with pytest.raises(ValueError, match="kind"):
        lever_pair(1.0, 2.0, "x", kind="other", source="s")


def test_shipped_uncertainties_file_is_what_the_schema_says():
    assert (ROOT / "experiments" / "uncertainties.toml").read_text(encoding="utf-8") == factors_toml()


def test_an_experiment_adds_the_uncertainties_as_factors(tmp_path):
    exp_file = tmp_path / "e.toml"
    exp_file.write_text(
        f'scenario = "{ROOT / "scenarios" / "regional_default.toml"}"\n'
        f'uncertainties = "{ROOT / "experiments" / "uncertainties.toml"}"\n'
        "[design]\nmethod = \"lhs\"\nsamples = 3\n",
        encoding="utf-8",
    )
    exp, _ = load_experiment(exp_file)
    assert {f.path for f in exp.factors.values()} == set(uncertainties())


def test_a_factor_clashing_with_the_uncertainties_file_is_refused(tmp_path):
    exp_file = tmp_path / "e.toml"
    exp_file.write_text(
        f'scenario = "{ROOT / "scenarios" / "regional_default.toml"}"\n'
        f'uncertainties = "{ROOT / "experiments" / "uncertainties.toml"}"\n'
        "[design]\nmethod = \"lhs\"\nsamples = 3\n"
        "[factors.access__threshold__control]\npath = \"access.threshold.control\"\nbounds = [0.5, 0.6]\n",
        encoding="utf-8",
    )
    with pytest.raises(ExperimentError, match="differently"):
        load_experiment(exp_file)


def test_validate_accepts_the_uncertainties_file_and_names_a_bad_path(tmp_path, capsys):
    from ecosim.cli import main

    assert main(["validate", str(ROOT / "experiments" / "uncertainties.toml")]) == 0
    bad = tmp_path / "u.toml"
    bad.write_text('[factors.x]\npath = "access.treshold.control"\nbounds = [0.1, 0.2]\n', encoding="utf-8")
    assert main(["validate", str(bad)]) == 2
    assert "factors.x" in capsys.readouterr().err
