"""The shipped real map (data/*.csv) and geography.source = "real": invariants, regions, errors."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

import ecosim
from ecosim.checks import check_runnable
from ecosim.model import geography
from ecosim.model.geography import REAL_MAP, REAL_NEIGHBOURS, Geography, GeographyError, data_dir, load_real
from ecosim.scenario import Scenario, ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[2]
ISLANDS = {"Texel", "Vlieland", "Terschelling", "Ameland", "Schiermonnikoog"}


def rows() -> list[dict[str, str]]:
    with open(ROOT / "data" / REAL_MAP, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def pairs() -> list[dict[str, str]]:
    with open(ROOT / "data" / REAL_NEIGHBOURS, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def by_name(g: Geography, name: str) -> int:
    return g.names.index(name)


# --- the shipped files ---------------------------------------------------------------------


def test_the_package_finds_the_files_of_the_checkout():
    assert (data_dir() / REAL_MAP).resolve() == (ROOT / "data" / REAL_MAP).resolve()
    assert (data_dir() / REAL_NEIGHBOURS).is_file()


def test_390_municipalities_with_cbs_codes_and_the_2016_population():
    r = rows()
    assert len(r) == 390
    assert all(re.fullmatch(r"GM\d{4}", x["code"]) for x in r)
    assert len({x["code"] for x in r}) == 390 and len({x["name"] for x in r}) == 390
    assert sum(int(x["inhabitants"]) for x in r) == 16_979_120  # CBS, 1 January 2016
    amsterdam = next(x for x in r if x["code"] == "GM0363")
    assert (amsterdam["name"], int(amsterdam["inhabitants"])) == ("Amsterdam", 833_624)
    assert all(int(x["inhabitants"]) > 0 and float(x["area_km2"]) > 0 for x in r)
    # Rijksdriehoek: the Netherlands lies within x 0-300 km, y 300-625 km.
    assert all(0 < float(x["x_km"]) < 300 and 300 < float(x["y_km"]) < 625 for x in r)
    # Polygon areas (land and inland water): NL has about 33,700 km2 of land, 41,500 with all water.
    assert 33_000 < sum(float(x["area_km2"]) for x in r) < 41_500


def test_42_youth_care_regions_each_with_one_name_and_members():
    r = rows()
    names = {(x["region_code"], x["region_name"]) for x in r}
    assert len(names) == 42 and len({c for c, _ in names}) == 42 and len({n for _, n in names}) == 42
    assert all(re.fullmatch(r"JZ\d{2}", c) for c, _ in names)
    g = load_real()
    assert g.n_regions == 42 and np.all(np.bincount(g.region, minlength=42) >= 1)


def test_big_cities_lie_in_their_own_regions():
    g = load_real()
    region = {name: g.region_names[g.region[by_name(g, name)]] for name in ("Amsterdam", "Rotterdam", "Utrecht")}
    assert region == {"Amsterdam": "Amsterdam-Amstelland", "Rotterdam": "Rijnmond", "Utrecht": "Utrecht Stad"}
    # A point on the surface, not the centroid: Rotterdam's polygon reaches the Maasvlakte (west of
    # x = 75 km), which pulls its centroid into the port; the point stays east of 85 km.
    assert g.x[by_name(g, "Rotterdam")] > 85


def test_neighbour_pairs_are_well_formed():
    codes = {x["code"] for x in rows()}
    p = pairs()
    keys = [(x["code_a"], x["code_b"]) for x in p]
    assert all(a < b and a in codes and b in codes for a, b in keys), "ordered pairs of known codes"
    assert len(set(keys)) == len(keys), "no pair twice"
    assert Counter(x["kind"] for x in p) == {"border": 1001, "ferry": 5}
    assert all(float(x["shared_border_km"]) > 0 for x in p if x["kind"] == "border")
    name = {x["code"]: x["name"] for x in rows()}
    ferried = {name[x[k]] for x in p if x["kind"] == "ferry" for k in ("code_a", "code_b")}
    assert ISLANDS < ferried


def test_real_adjacency_is_symmetric_and_everyone_has_a_neighbour():
    g = load_real()
    for i, nb in enumerate(g.neighbours):
        assert nb.dtype == np.int64 and np.all(np.diff(nb) > 0) and i not in nb
        assert all(i in g.neighbours[j] for j in nb), "symmetric"
    degree = np.array([len(nb) for nb in g.neighbours])
    assert degree.min() >= 1  # the Wadden islands by their ferry link
    assert {g.names[i] for i in np.flatnonzero(degree == 1)} >= {"Texel", "Vlieland"}
    amsterdam = {g.names[j] for j in g.neighbours[by_name(g, "Amsterdam")]}
    assert {"Amstelveen", "Diemen", "Zaanstad", "Haarlemmermeer"} <= amsterdam


def test_real_map_carries_codes_area_and_density_but_no_indicators():
    g = load_real()
    assert g.codes[by_name(g, "Amsterdam")] == "GM0363"
    assert g.area_km2 is not None and np.all(g.area_km2 > 0)
    np.testing.assert_allclose(g.density, g.population / g.area_km2)
    assert dict(g.indicators) == {}  # no CBS key figures shipped (data/README.md)


# --- selecting regions ---------------------------------------------------------------------


def test_one_region_is_its_municipalities_with_their_borders_inside_it():
    full, g = load_real(), load_real("Amsterdam-Amstelland")
    assert g.names == ("Aalsmeer", "Amstelveen", "Amsterdam", "Diemen", "Ouder-Amstel", "Uithoorn")
    assert g.region_names == ("Amsterdam-Amstelland",) and np.all(g.region == 0)
    assert g.population.sum() == 1_022_957
    full_index = {c: i for i, c in enumerate(full.codes)}
    for i, nb in enumerate(g.neighbours):
        inside = {g.codes[j] for j in nb}
        outside = {full.codes[j] for j in full.neighbours[full_index[g.codes[i]]]}
        assert inside == outside & set(g.codes), "exactly the neighbours that are in the region"


def test_regions_by_name_or_code_any_case_and_in_code_order():
    a = load_real(["Rijnmond", " jz24 ", "RIJNMOND"])
    b = load_real(["Haaglanden", "JZ29"])
    assert a.names == b.names and a.region_names == b.region_names == ("Haaglanden", "Rijnmond")
    assert a.n == 10 + 15 and Counter(a.region.tolist()) == {0: 10, 1: 15}


def test_unknown_region_names_close_matches_and_municipalities():
    with pytest.raises(GeographyError, match=r"unknown youth-care region 'Amsterdam Amstelland'.*'Amsterdam-Amstelland'"):
        load_real("Amsterdam Amstelland")
    with pytest.raises(GeographyError, match=r"'Rotterdam' is a municipality in the region 'Rijnmond'"):
        load_real("Rotterdam")
    with pytest.raises(GeographyError, match=r"close matches: .*'Noordoost Brabant'"):
        load_real("Brabant")
    with pytest.raises(GeographyError, match=r"the regions are 'Groningen', .*'Midden-Limburg West'"):
        load_real("Atlantis")
    with pytest.raises(GeographyError, match="empty list"):
        load_real([])


def test_a_scenario_with_a_bad_region_is_refused_before_it_runs(tmp_path):
    s = Scenario.model_validate({"geography": {"source": "real", "region": "Amstelland"}})
    with pytest.raises(ScenarioError, match=r"my.toml: geography: region: .*close matches: 'Amsterdam-Amstelland'"):
        check_runnable(s, "my.toml")
    synthetic = tmp_path / "s.toml"
    synthetic.write_text("[geography]\nregion = 'Rijnmond'\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="needs source = 'real'"):
        load_scenario(synthetic)


def test_found_from_any_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    geography._real_rows.cache_clear()
    geography._real_pairs.cache_clear()
    geography._load_real.cache_clear()
    assert load_real("Zeeland").n == 13


# --- in the model ----------------------------------------------------------------------------


def test_the_scenarios_use_the_real_map():
    for name in ("national", "baseline_2015"):
        s = load_scenario(ROOT / "scenarios" / f"{name}.toml")
        assert s.geography.source == "real" and s.geography.region is None
        assert s.budget.national_population == 16_979_120  # the map's total: the 2015 budget in full
        assert check_runnable(s, name) == 16_979_120
    s = load_scenario(ROOT / "scenarios" / "region_amsterdam.toml")
    assert check_runnable(s, "region_amsterdam") == 1_022_957


def test_a_run_on_a_real_region():
    model = ecosim.run(ROOT / "scenarios" / "region_amsterdam.toml", months=2, overrides={"run.agent_scale": 20}).model
    assert [m.name for m in model.municipalities][2] == "Amsterdam"
    amsterdam = model.municipalities[2]
    assert sorted(model.municipalities[j].name for j in amsterdam.neighbours) == ["Amstelveen", "Diemen", "Ouder-Amstel"]
    assert model.geo.region_names == ("Amsterdam-Amstelland",)


# --- Geography's new fields ------------------------------------------------------------------


@pytest.fixture
def map_copy(tmp_path, monkeypatch):
    """A copy of the shipped files the loader reads instead (caches cleared before and after)."""

    def clear():
        for f in (geography._real_rows, geography._real_pairs, geography._load_real):
            f.cache_clear()

    for name in (REAL_MAP, REAL_NEIGHBOURS):
        (tmp_path / name).write_bytes((ROOT / "data" / name).read_bytes())
    monkeypatch.setattr(geography, "data_dir", lambda: tmp_path)
    clear()
    yield tmp_path
    clear()


def test_extra_columns_of_the_map_file_become_indicators(map_copy):
    lines = (map_copy / REAL_MAP).read_text(encoding="utf-8").splitlines()
    values = ["share_65"] + [str(i / 1000) for i in range(len(lines) - 1)]
    values[1] = ""  # missing
    (map_copy / REAL_MAP).write_text("\n".join(f"{a},{b}" for a, b in zip(lines, values, strict=True)) + "\n", "utf-8")
    g = load_real()
    assert list(g.indicators) == ["share_65"]
    assert np.isnan(g.indicators["share_65"][0]) and g.indicators["share_65"][1] == 0.001
    assert load_real("Zeeland").indicators["share_65"].shape == (13,)


def test_a_text_column_is_refused(map_copy):
    lines = (map_copy / REAL_MAP).read_text(encoding="utf-8").splitlines()
    (map_copy / REAL_MAP).write_text("\n".join([lines[0] + ",note"] + [x + ",n/a" for x in lines[1:]]) + "\n", "utf-8")
    with pytest.raises(GeographyError, match="column 'note' must be numeric"):
        load_real()


def test_synthetic_and_csv_maps_have_no_codes_area_or_indicators():
    g = geography.synthetic(5, 1, 1000.0, 0.5, 10, 100.0, np.random.default_rng(0))
    assert g.codes is None and g.area_km2 is None and g.density is None and dict(g.indicators) == {}


def test_hand_built_extras_are_checked_and_read_only():
    base = {"names": ("a", "b"), "population": [1, 2], "x": [0, 1], "y": [0, 1], "region": [0, 0],
            "region_names": ("r",), "neighbours": ([1], [0])}
    g = Geography(**base, codes=["GM1", "GM2"], area_km2=[1, 2], indicators={"share_65": [0.1, 0.2]})
    assert g.codes == ("GM1", "GM2") and g.area_km2.dtype == np.float64
    with pytest.raises(ValueError, match="read-only"):
        g.indicators["share_65"][0] = 1.0
    with pytest.raises(TypeError):
        g.indicators["other"] = np.zeros(2)  # type: ignore[index]
    for bad in ({"codes": ["GM1"]}, {"area_km2": [1.0]}, {"indicators": {"x": [1.0, 2.0, 3.0]}}):
        with pytest.raises(GeographyError, match="one entry per name"):
            Geography(**base, **bad)


# --- the build script --------------------------------------------------------------------------


def test_build_script_reproduces_the_shipped_files(tmp_path):
    """Only where the raw files and shapely are at hand (data/README.md, 'Rebuilding')."""
    pytest.importorskip("shapely")
    if not (ROOT / "data" / "raw" / "edwindj").is_dir():
        pytest.skip("raw files not in data/raw")
    subprocess.run([sys.executable, str(ROOT / "data" / "build_municipalities.py"), "--out", str(tmp_path)], check=True)
    for name in (REAL_MAP, REAL_NEIGHBOURS):
        assert (tmp_path / name).read_bytes() == (ROOT / "data" / name).read_bytes()
