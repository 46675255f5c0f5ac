"""Tests for ecosim.model.geography: synthetic country, CSV loading and Delaunay neighbours."""

from __future__ import annotations

from collections import deque
from pathlib import Path

import numpy as np
import pytest

from ecosim.model.geography import (
    Geography,
    GeographyError,
    delaunay_neighbours,
    load_csv,
    synthetic,
)

RECOMMENDED_SIGMA = 0.77
NL = {"n_municipalities": 393, "n_regions": 42, "mean_population": 41_000.0,
      "population_sigma": RECOMMENDED_SIGMA, "min_population": 1_000, "area_km2": 33_700.0}


def make(seed: int = 1, **overrides: float) -> Geography:
    """Synthetic Netherlands-like geography with optional argument overrides."""
    return synthetic(**{**NL, **overrides}, rng=np.random.default_rng(seed))


def assert_same(a: Geography, b: Geography) -> None:
    """Field-by-field equality (Geography holds arrays, so == is not usable)."""
    assert a.names == b.names and a.region_names == b.region_names
    for field in ("population", "x", "y", "region"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert len(a.neighbours) == len(b.neighbours)
    for na, nb in zip(a.neighbours, b.neighbours, strict=True):
        np.testing.assert_array_equal(na, nb)


def assert_valid_neighbours(neighbours: tuple[np.ndarray, ...], connected: bool = True) -> None:
    """Sorted int64, no self loops, symmetric and (optionally) one connected component."""
    n = len(neighbours)
    for i, nb in enumerate(neighbours):
        assert nb.dtype == np.int64
        assert np.all(np.diff(nb) > 0), "sorted and without duplicates"
        assert i not in nb
        assert all(i in neighbours[j] for j in nb), "symmetric"
    if connected and n:
        seen, queue = {0}, deque([0])
        while queue:
            for j in neighbours[queue.popleft()]:
                if int(j) not in seen:
                    seen.add(int(j))
                    queue.append(int(j))
        assert len(seen) == n, "graph is connected"


# --- synthetic -----------------------------------------------------------------------------

def test_same_seed_identical_and_different_seed_differs() -> None:
    assert_same(make(7), make(7))
    a, b = make(7), make(8)
    assert not np.array_equal(a.population, b.population)
    assert not np.array_equal(a.x, b.x)


def test_does_not_touch_global_random_state() -> None:
    np.random.seed(0)
    before = np.random.random()
    np.random.seed(0)
    make(3)
    assert np.random.random() == before


def test_shapes_types_and_names() -> None:
    geo = make(2, n_municipalities=120, n_regions=12)
    assert geo.n == 120 and geo.n_regions == 12
    assert geo.names[0] == "Gemeente 001" and geo.names[-1] == "Gemeente 120"
    assert geo.region_names[0] == "Regio 01" and geo.region_names[-1] == "Regio 12"
    assert len(set(geo.names)) == geo.n
    assert geo.population.dtype == np.int64 and geo.region.dtype == np.int64
    assert geo.x.dtype == np.float64 and geo.y.dtype == np.float64
    for arr in (geo.population, geo.x, geo.y, geo.region):
        assert arr.shape == (120,)


def test_arrays_are_read_only() -> None:
    geo = make(2)
    with pytest.raises(ValueError):
        geo.population[0] = 5


def test_hand_built_geography_is_coerced_and_checked() -> None:
    x = np.array([0.0, 1.0])
    geo = Geography(["A", "B"], [10, 20], x, [0, 0], [0, 0], ["R"], ([1], [0]))
    assert geo.names == ("A", "B") and geo.n == 2 and geo.n_regions == 1
    assert geo.population.dtype == np.int64 and geo.y.dtype == np.float64
    assert geo.neighbours[0].dtype == np.int64
    x[0] = 5.0  # the caller's array stays writable and does not leak into the map
    assert geo.x[0] == 0.0
    with pytest.raises(GeographyError, match="one entry per name"):
        Geography(("A", "B"), np.array([1]), x, x, np.zeros(2), ("R",), ((1,), (0,)))


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("sigma", [0.0, 0.5, RECOMMENDED_SIGMA, 1.5])
def test_mean_population_hits_target(seed: int, sigma: float) -> None:
    geo = make(seed, population_sigma=sigma)
    # Rounding keeps the total at round(n * mean), so the mean is off by < 1/n inhabitant.
    assert abs(geo.population.mean() - NL["mean_population"]) <= 1.0 / geo.n
    assert geo.population.sum() == round(geo.n * NL["mean_population"])


def test_min_population_respected_even_when_it_binds() -> None:
    # Wide spread and a high floor: many values hit the floor, the mean still holds.
    geo = make(4, population_sigma=2.0, min_population=10_000)
    assert geo.population.min() == 10_000
    assert np.sum(geo.population == 10_000) > 10
    assert abs(geo.population.mean() - 41_000) <= 1.0 / geo.n


def test_mean_equal_to_floor_gives_all_equal() -> None:
    geo = make(4, n_municipalities=10, n_regions=2, mean_population=500.0, min_population=500)
    assert np.all(geo.population == 500)


def test_area_and_no_coincident_points() -> None:
    geo = make(5)
    width = np.sqrt(NL["area_km2"] / 1.4)
    assert geo.x.min() >= 0 and geo.x.max() <= width
    assert geo.y.min() >= 0 and geo.y.max() <= 1.4 * width
    d = np.hypot(geo.x[:, None] - geo.x[None, :], geo.y[:, None] - geo.y[None, :])
    np.fill_diagonal(d, np.inf)
    assert d.min() >= 0.1 * np.sqrt(NL["area_km2"] / geo.n)


@pytest.mark.parametrize(("n", "k"), [(393, 42), (50, 50), (5, 1), (7, 6), (1, 1)])
def test_every_region_non_empty(n: int, k: int) -> None:
    for seed in range(5):
        geo = make(seed, n_municipalities=n, n_regions=k)
        assert geo.n_regions == k and len(geo.region_names) == k
        counts = np.bincount(geo.region, minlength=k)
        assert counts.shape == (k,) and np.all(counts >= 1)


def test_kmeans_refills_empty_clusters() -> None:
    from ecosim.model.geography import _kmeans  # private, but the guarantee lives here

    # Coincident points put every centre on the same spot, so argmin leaves clusters empty.
    pts = np.vstack([np.zeros((6, 2)), [[10.0, 10.0]]])
    for seed in range(5):
        labels = _kmeans(pts, 4, np.random.default_rng(seed))
        assert np.all(np.bincount(labels, minlength=4) >= 1)


def test_regions_are_spatially_compact() -> None:
    geo = make(6)
    # A k-means region is far tighter than the whole country.
    spread = [np.var(geo.x[geo.region == r]) + np.var(geo.y[geo.region == r])
              for r in range(geo.n_regions)]
    assert np.mean(spread) < 0.2 * (np.var(geo.x) + np.var(geo.y))


@pytest.mark.parametrize("n", [3, 4, 10, 393])
def test_neighbours_symmetric_and_connected(n: int) -> None:
    geo = make(9, n_municipalities=n, n_regions=min(n, 3))
    assert len(geo.neighbours) == n
    assert_valid_neighbours(geo.neighbours)


def test_recommended_sigma_reproduces_dutch_size_classes() -> None:
    pop = make(2015).population
    assert 0.2 <= np.mean(pop < 20_000) <= 0.45
    assert 0.3 <= np.mean((pop >= 20_000) & (pop < 50_000)) <= 0.6
    assert 10 <= np.sum(pop >= 100_000) <= 45


@pytest.mark.parametrize(("override", "match"), [
    ({"n_municipalities": 0}, "n_municipalities"),
    ({"n_municipalities": 2.5}, "n_municipalities"),
    ({"n_regions": 0}, "n_regions"),
    ({"n_regions": 394}, "n_regions"),
    ({"mean_population": 0.0}, "mean_population"),
    ({"mean_population": float("nan")}, "mean_population"),
    ({"mean_population": 500.0}, "mean_population .* min_population"),
    ({"population_sigma": -0.1}, "population_sigma"),
    ({"min_population": 0}, "min_population"),
    ({"area_km2": 0.0}, "area_km2"),
    ({"area_km2": float("inf")}, "area_km2"),
])
def test_bad_synthetic_arguments(override: dict[str, float], match: str) -> None:
    with pytest.raises(GeographyError, match=match):
        make(0, **override)


# --- delaunay_neighbours -------------------------------------------------------------------

def test_single_municipality_has_no_neighbours() -> None:
    (nb,) = delaunay_neighbours(np.array([1.0]), np.array([2.0]))
    assert nb.dtype == np.int64 and nb.size == 0
    assert make(0, n_municipalities=1, n_regions=1).neighbours[0].size == 0


def test_two_municipalities_are_neighbours() -> None:
    nbs = delaunay_neighbours(np.array([0.0, 5.0]), np.array([0.0, 1.0]))
    assert [nb.tolist() for nb in nbs] == [[1], [0]]


def test_collinear_points_are_chained_along_the_line() -> None:
    # Points on a diagonal line given out of order: 0 at t=2, 1 at t=0, 2 at t=3, 3 at t=1.
    t = np.array([2.0, 0.0, 3.0, 1.0])
    nbs = delaunay_neighbours(1.0 + t, 2.0 + 2.0 * t)
    assert [nb.tolist() for nb in nbs] == [[2, 3], [3], [0], [0, 1]]
    assert_valid_neighbours(nbs)


def test_all_coincident_points_still_connected() -> None:
    nbs = delaunay_neighbours(np.zeros(4), np.zeros(4))
    assert_valid_neighbours(nbs)


def test_square_with_centre() -> None:
    # The centre touches every corner; opposite corners are not neighbours.
    x = np.array([0.0, 1.0, 1.0, 0.0, 0.5])
    y = np.array([0.0, 0.0, 1.0, 1.0, 0.5])
    nbs = delaunay_neighbours(x, y)
    assert nbs[4].tolist() == [0, 1, 2, 3]
    assert nbs[0].tolist() == [1, 3, 4]
    assert_valid_neighbours(nbs)


def test_duplicate_point_is_linked() -> None:
    x = np.array([0.0, 1.0, 0.0, 1.0, 1.0])
    y = np.array([0.0, 0.0, 1.0, 1.0, 1.0])
    assert_valid_neighbours(delaunay_neighbours(x, y))


# --- load_csv ------------------------------------------------------------------------------

def write(tmp_path: Path, text: str, name: str = "municipalities.csv",
          encoding: str = "utf-8") -> Path:
    """Write a CSV fixture and return its path."""
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_load_csv_round_trip(tmp_path: Path) -> None:
    geo = make(11, n_municipalities=30, n_regions=4)
    lines = ["region,name,x,population,y"]  # column order may vary
    lines += [f"{geo.region_names[r]},{n},{float(x)!r},{p},{float(y)!r}"
              for n, p, x, y, r in zip(geo.names, geo.population, geo.x, geo.y, geo.region,
                                       strict=True)]
    loaded = load_csv(write(tmp_path, "\n".join(lines) + "\n"))
    # Region indices follow first appearance, so compare the partition, not raw labels.
    assert loaded.names == geo.names
    np.testing.assert_array_equal(loaded.population, geo.population)
    np.testing.assert_array_equal(loaded.x, geo.x)
    np.testing.assert_array_equal(loaded.y, geo.y)
    assert [loaded.region_names[r] for r in loaded.region] == \
        [geo.region_names[r] for r in geo.region]
    assert_same(Geography(geo.names, geo.population, geo.x, geo.y, geo.region,
                          geo.region_names, loaded.neighbours), geo)


def test_load_csv_regions_in_order_of_first_appearance_with_bom(tmp_path: Path) -> None:
    text = ("name,population,x,y,region\n"
            "Utrecht,361924,136.0,455.0,Utrecht\n"
            "\n"
            "Amsterdam,854047, 121.3 ,487.1,Amsterdam-Amstelland\n"
            "Zeist,63322,144.0,454.0,Utrecht\n")
    geo = load_csv(write(tmp_path, text, encoding="utf-8-sig"))
    assert geo.names == ("Utrecht", "Amsterdam", "Zeist")
    assert geo.region_names == ("Utrecht", "Amsterdam-Amstelland")
    assert geo.region.tolist() == [0, 1, 0]
    assert geo.population.tolist() == [361924, 854047, 63322]
    assert geo.x[1] == pytest.approx(121.3)
    assert_valid_neighbours(geo.neighbours)


HEADER = "name,population,x,y,region\n"
GOOD = "A,100,0,0,R1\nB,200,1,0,R1\nC,300,0,1,R2\n"


@pytest.mark.parametrize(("text", "match"), [
    ("name,population,x,region\nA,1,0,R\n", r"line 1: missing column\(s\) 'y'"),
    (HEADER.replace("\n", ",colour\n") + "A,1,0,0,R,red\n",
     r"line 1: unexpected column\(s\) 'colour'"),
    ("name,population,x,y,region,x\nA,1,0,0,R,0\n", r"line 1: duplicate column\(s\) 'x'"),
    (HEADER + "A,100,0,0,R1\nB,-3,1,0,R1\n",
     r"municipalities\.csv, line 3, column 'population': expected a positive whole number, "
     r"got '-3'"),
    (HEADER + "A,0,0,0,R1\n", r"line 2, column 'population': .*got '0'"),
    (HEADER + "A,1.5,0,0,R1\n", r"line 2, column 'population': .*got '1.5'"),
    (HEADER + "A,100,abc,0,R1\n", r"line 2, column 'x': expected a finite number.*got 'abc'"),
    (HEADER + "A,100,0,inf,R1\n", r"line 2, column 'y': expected a finite number.*got 'inf'"),
    (HEADER + GOOD + "A,400,2,2,R2\n", r"line 5, column 'name': expected a unique name "
                                       r"\(also on line 2\), got 'A'"),
    (HEADER + " ,100,0,0,R1\n", r"line 2, column 'name': expected a non-empty name"),
    (HEADER + "A,100,0,0,\n", r"line 2, column 'region': expected a non-empty region"),
    (HEADER + "A,100,0,0\n", r"line 2: expected 5 fields, got 4"),
    ("", r"municipalities\.csv: file is empty"),
    ("\n\n", r"file is empty"),
    (HEADER, r"municipalities\.csv: no data rows"),
    (HEADER + "\n  \n", r"no data rows"),
])
def test_load_csv_errors(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(GeographyError, match=match):
        load_csv(write(tmp_path, text))


def test_load_csv_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.csv"
    with pytest.raises(GeographyError, match=r"nowhere\.csv: file not found"):
        load_csv(missing)


def test_load_csv_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(HEADER.encode() + "Súdwest-Fryslân,1,0,0,R\n".encode("latin-1"))
    with pytest.raises(GeographyError, match=r"latin1\.csv: cannot read"):
        load_csv(path)


def test_geography_error_is_value_error() -> None:
    assert issubclass(GeographyError, ValueError)
