"""Geography of the simulated country: municipalities, their size, location and neighbours.

A :class:`Geography` is the static map the model runs on. It is either generated
(:func:`synthetic`, a Netherlands-like country), read from a user's CSV of real
municipalities (:func:`load_csv`), or the shipped map of the Netherlands on 1 January 2016
(:func:`load_real`: 390 municipalities in 42 youth-care regions, ``data/``). Neighbourhood is
the Delaunay adjacency of the municipality points (:func:`delaunay_neighbours`), a cheap
stand-in for shared borders, except on the shipped map, which has the real shared borders.
"""

from __future__ import annotations

import csv
import difflib
import itertools
import math
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

from ecosim.errors import GeographyError  # defined there so the CLI can catch it without scipy

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ecosim.scenario import Scenario

_COLUMNS = ("name", "population", "x", "y", "region")
_ASPECT = 1.4  # height / width of the synthetic country; the Netherlands is ~200 x ~300 km
_MIN_SPACING = 0.1  # reject points closer than this fraction of the mean spacing
_MAX_TRIES = 50  # per point; bounded so that crowded maps still terminate
_LLOYD_ITERATIONS = 10


@dataclass(frozen=True)
class Geography:
    """The municipalities' map: who lives where and who borders whom.

    Attributes:
        names: Municipality names, one per municipality.
        population: Inhabitants per municipality (int64, > 0).
        x: East-west position in km (float64).
        y: North-south position in km (float64).
        region: Youth-care region (jeugdzorgregio) index per municipality, 0..n_regions-1.
        region_names: Region names, indexed by ``region``.
        neighbours: Per municipality a sorted int64 array of neighbour indices
            (symmetric, no self loops).
        codes: CBS municipality codes ("GM0363"), or None when the map has none (synthetic, CSV).
        area_km2: Area per municipality in km² (float64), or None when unknown (synthetic, CSV);
            on the shipped map the area of the municipality's polygon.
        indicators: Further per-municipality figures by name (float64 arrays, NaN = missing);
            empty unless the map file carries them.
    """

    names: tuple[str, ...]
    population: np.ndarray
    x: np.ndarray
    y: np.ndarray
    region: np.ndarray
    region_names: tuple[str, ...]
    neighbours: tuple[np.ndarray, ...]
    codes: tuple[str, ...] | None = None
    area_km2: np.ndarray | None = None
    indicators: Mapping[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Coerce fields to their documented types and check they agree in length."""
        n = len(self.names)
        # Own read-only copies: the map is fixed for a run, and freezing the caller's arrays
        # (or trusting lists) would surprise code that builds a Geography by hand.
        fields = {
            "names": tuple(self.names),
            "region_names": tuple(self.region_names),
            "neighbours": tuple(np.array(nb, dtype=np.int64) for nb in self.neighbours),
        }
        for name, dtype in (("population", np.int64), ("x", np.float64), ("y", np.float64), ("region", np.int64)):
            fields[name] = np.array(getattr(self, name), dtype=dtype)
        if self.codes is not None:
            fields["codes"] = tuple(self.codes)
        if self.area_km2 is not None:
            fields["area_km2"] = np.array(self.area_km2, dtype=np.float64)
        fields["indicators"] = MappingProxyType(
            {str(k): np.array(v, dtype=np.float64) for k, v in self.indicators.items()}
        )
        arrays = [fields[f] for f in ("population", "x", "y", "region")]
        arrays += [fields["area_km2"]] if "area_km2" in fields else []
        arrays += list(fields["indicators"].values())
        codes = fields.get("codes", fields["names"])
        if any(a.shape != (n,) for a in arrays) or len(fields["neighbours"]) != n or len(codes) != n:
            raise GeographyError(f"Geography fields must all have one entry per name ({n})")
        for name, value in fields.items():
            object.__setattr__(self, name, value)
        for arr in (*arrays, *self.neighbours):
            arr.setflags(write=False)

    @property
    def n(self) -> int:
        """Number of municipalities."""
        return len(self.names)

    @property
    def n_regions(self) -> int:
        """Number of youth-care regions."""
        return len(self.region_names)

    @property
    def density(self) -> np.ndarray | None:
        """Inhabitants per km² of area (``population / area_km2``), or None when the area is unknown."""
        return None if self.area_km2 is None else self.population / self.area_km2


def synthetic(
    n_municipalities: int,
    n_regions: int,
    mean_population: float,
    population_sigma: float,
    min_population: int,
    area_km2: float,
    rng: np.random.Generator,
) -> Geography:
    """Generate a Netherlands-like synthetic country.

    Populations are lognormal with log-space sd ``population_sigma``, rescaled so the mean is
    ``mean_population``, floored at ``min_population`` and rounded to whole inhabitants keeping
    the total at ``round(n * mean_population)``. Positions are uniform in a rectangle of aspect
    1:1.4 with area ``area_km2``; regions are k-means clusters of the positions.

    Calibration: the defaults aim at Dutch municipalities 2013-2015 (CBS): 393 municipalities
    on 1 Jan 2015, mean about 41k inhabitants, about a third under 20k, about half 20k-50k and
    27 (6.9 %) at or above 100k. Shares from this function at n=393, mean 41k, min 1000,
    averaged over 200 seeds (<20k / 20k-50k / >=100k), by sigma: 0.70: 24.8 / 48.9 / 5.2 %;
    0.75: 27.8 / 46.0 / 5.9 %; 0.80: 30.8 / 43.3 / 6.5 %; 0.85: 33.5 / 40.9 / 7.1 %.
    The summed squared error of the three shares is smallest at ``population_sigma = 0.77``
    (29.1 % / 44.8 % / 6.1 %, i.e. 24 of 393 at or above 100k): the recommended default.
    The optimum is flat over 0.75-0.80; no single lognormal hits all three, as the real
    distribution is more peaked in 20k-50k and has a heavier top tail.

    Args:
        n_municipalities: Number of municipalities, >= 1.
        n_regions: Number of youth-care regions, 1..n_municipalities.
        mean_population: Target mean inhabitants per municipality, >= min_population.
        population_sigma: Standard deviation of log population, >= 0 (0 = all equal).
        min_population: Smallest allowed municipality, inhabitants, >= 1.
        area_km2: Land area of the country in km², > 0.
        rng: The only source of randomness; the same seed gives the identical Geography.

    Returns:
        The generated Geography.

    Raises:
        GeographyError: If an argument is out of range.
    """
    _check_args(n_municipalities, n_regions, mean_population, population_sigma, min_population, area_km2)
    n, k = int(n_municipalities), int(n_regions)
    population = _populations(n, mean_population, population_sigma, int(min_population), rng)
    x, y = _positions(n, area_km2, rng)
    region = _kmeans(np.column_stack([x, y]), k, rng)
    width, rwidth = max(3, len(str(n))), max(2, len(str(k)))
    return Geography(
        names=tuple(f"Gemeente {i + 1:0{width}d}" for i in range(n)),
        population=population,
        x=x,
        y=y,
        region=region,
        region_names=tuple(f"Regio {r + 1:0{rwidth}d}" for r in range(k)),
        neighbours=delaunay_neighbours(x, y),
    )


def _check_args(n: int, k: int, mean: float, sigma: float, low: int, area: float) -> None:
    """Raise GeographyError naming the first out-of-range synthetic() argument."""

    def whole(v: object) -> bool:
        return isinstance(v, int | np.integer) and not isinstance(v, bool)

    def real(v: object) -> bool:
        return isinstance(v, int | float | np.integer | np.floating) and math.isfinite(v)

    checks = [
        (whole(n) and n >= 1, f"n_municipalities must be a whole number >= 1, got {n!r}"),
        (
            whole(k) and 1 <= k <= (n if whole(n) else 0),
            f"n_regions must be a whole number in 1..n_municipalities ({n!r}), got {k!r}",
        ),
        (whole(low) and low >= 1, f"min_population must be a whole number >= 1, got {low!r}"),
        (real(mean) and mean > 0, f"mean_population must be a finite number > 0, got {mean!r}"),
        # Flooring can only raise the mean, so a target below the floor is unreachable.
        (
            not (real(mean) and whole(low)) or mean >= low,
            f"mean_population ({mean!r}) must be >= min_population ({low!r})",
        ),
        (real(sigma) and sigma >= 0, f"population_sigma must be finite and >= 0, got {sigma!r}"),
        (real(area) and area > 0, f"area_km2 must be a finite number > 0, got {area!r}"),
    ]
    for ok, message in checks:
        if not ok:
            raise GeographyError(message)


def _populations(n: int, mean: float, sigma: float, low: int, rng: np.random.Generator) -> np.ndarray:
    """Lognormal sizes with the exact mean (to one inhabitant in total), floored at ``low``."""
    pop, total = rng.lognormal(0.0, sigma, n), n * mean
    floored = np.zeros(n, dtype=bool)
    # Flooring adds inhabitants, so rescale the unfloored ones until no new value hits the
    # floor; every pass floors at least one more value, hence at most n passes.
    for _ in range(n):
        if floored.all():  # only when mean == low: everyone sits on the floor
            pop = np.full(n, float(low))
            break
        pop = np.where(floored, low, pop * (total - low * floored.sum()) / pop[~floored].sum())
        newly = (pop < low) & ~floored
        if not newly.any():
            break
        floored |= newly
    # Largest-remainder rounding keeps the total, hence the mean, exact.
    base = np.floor(pop)
    order = np.argsort(base - pop, kind="stable")
    base[order[: max(round(total - base.sum()), 0)]] += 1
    return np.maximum(base, low).astype(np.int64)


def _positions(n: int, area: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Uniform points (km) in a 1:1.4 rectangle, avoiding near-coincident municipalities."""
    width = math.sqrt(area / _ASPECT)
    min_dist = _MIN_SPACING * math.sqrt(area / n)
    pts = np.empty((n, 2))
    for i in range(n):
        for _ in range(_MAX_TRIES):
            p = rng.uniform((0.0, 0.0), (width, width * _ASPECT))
            if i == 0 or np.min(np.hypot(*(pts[:i] - p).T)) >= min_dist:
                break
        pts[i] = p  # after _MAX_TRIES keep the last draw: crowded, but it terminates
    return pts[:, 0].copy(), pts[:, 1].copy()


def _kmeans(pts: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Lloyd's k-means labels 0..k-1, every cluster non-empty (spatially compact regions)."""
    centres = pts[rng.choice(len(pts), size=k, replace=False)]
    for _ in range(_LLOYD_ITERATIONS):
        dist = np.linalg.norm(pts[:, None, :] - centres[None, :, :], axis=2)
        labels = dist.argmin(axis=1)
        for empty in np.setdiff1d(np.arange(k), labels):
            # Move the point farthest from its own centre, taken from a cluster that can
            # spare one (one exists because k <= n).
            own = dist[np.arange(len(pts)), labels]
            own[np.bincount(labels, minlength=k)[labels] < 2] = -1.0
            labels[int(own.argmax())] = empty
        centres = np.array([pts[labels == c].mean(axis=0) for c in range(k)])
    return labels.astype(np.int64)


def load_csv(path: str | os.PathLike) -> Geography:
    """Read real municipalities from a CSV file (utf-8, optionally with BOM).

    The header must hold exactly the columns name, population, x, y, region, in any order.
    Blank lines are skipped. Region names are numbered in order of first appearance;
    neighbours come from :func:`delaunay_neighbours`.

    Args:
        path: CSV file, one row per municipality: name (unique), population (inhabitants,
            positive whole number), x and y (position in km, finite) and region (youth-care
            region name, non-empty).

    Returns:
        The Geography described by the file.

    Raises:
        GeographyError: If the file is missing or unreadable, or a header or cell is invalid;
            the message names the file, line (header = line 1), column and what is allowed.
    """
    where = os.fspath(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = [h.strip() for h in next(reader, [])]
            rows = [(reader.line_num, r) for r in reader if any(c.strip() for c in r)]
    except FileNotFoundError as exc:
        raise GeographyError(f"{where}: file not found") from exc
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise GeographyError(f"{where}: cannot read as a utf-8 CSV file ({exc})") from exc
    expected = f"expected exactly the columns {', '.join(_COLUMNS)}"
    if not any(header):
        raise GeographyError(f"{where}: file is empty; {expected}")
    for problem, cols in (
        ("missing", [c for c in _COLUMNS if c not in header]),
        ("unexpected", [h for h in header if h not in _COLUMNS]),
        ("duplicate", sorted({h for h in header if header.count(h) > 1})),
    ):
        if cols:
            raise GeographyError(f"{where}, line 1: {problem} column(s) {', '.join(map(repr, cols))}; {expected}")
    if not rows:
        raise GeographyError(f"{where}: no data rows after the header line")
    first_line: dict[str, int] = {}
    parsed = [_parse_row(where, line, dict(zip(header, row, strict=False)), first_line, len(row)) for line, row in rows]
    names, population, xs, ys, regions = zip(*parsed, strict=True)
    region_names = tuple(dict.fromkeys(regions))  # order of first appearance
    x, y = np.array(xs, dtype=np.float64), np.array(ys, dtype=np.float64)
    return Geography(
        names=tuple(names),
        population=np.array(population, dtype=np.int64),
        x=x,
        y=y,
        region=np.array([region_names.index(r) for r in regions], dtype=np.int64),
        region_names=region_names,
        neighbours=delaunay_neighbours(x, y),
    )


def _parse_row(
    where: str, line: int, raw: dict[str, str], first_line: dict[str, int], n_fields: int
) -> tuple[str, int, float, float, str]:
    """Validate one CSV data row; ``first_line`` maps names seen so far to their line."""
    if n_fields != len(_COLUMNS):
        raise GeographyError(f"{where}, line {line}: expected {len(_COLUMNS)} fields, got {n_fields}")
    cell = {k: v.strip() for k, v in raw.items()}

    def bad(column: str, allowed: str) -> GeographyError:
        return GeographyError(f"{where}, line {line}, column {column!r}: expected {allowed}, got {cell[column]!r}")

    name = cell["name"]
    if not name:
        raise bad("name", "a non-empty name")
    if name in first_line:
        raise bad("name", f"a unique name (also on line {first_line[name]})")
    first_line[name] = line
    if not re.fullmatch(r"\+?[0-9]+", cell["population"]) or int(cell["population"]) == 0:
        raise bad("population", "a positive whole number")
    coords = []
    for column in ("x", "y"):
        try:
            coords.append(float(cell[column]))
        except ValueError:
            coords.append(math.nan)
        if not math.isfinite(coords[-1]):
            raise bad(column, "a finite number (km)")
    if not cell["region"]:
        raise bad("region", "a non-empty region name")
    return name, int(cell["population"]), coords[0], coords[1], cell["region"]


def delaunay_neighbours(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
    """Neighbour lists from the Delaunay triangulation of municipality positions.

    Two municipalities are neighbours when they share a triangle edge. Degenerate maps: one
    municipality has no neighbours, two are each other's neighbours, and collinear (or all
    coincident) points are chained in order of their projection on the line. Duplicate
    points, which Qhull leaves out, are linked to the vertex they coincide with.

    Args:
        x: East-west positions in km, shape (n,).
        y: North-south positions in km, shape (n,).

    Returns:
        Per municipality a sorted int64 array of neighbour indices (symmetric, no self loops).
    """
    from scipy.spatial import Delaunay, QhullError  # here, so that checking a map needs no scipy

    pts = np.column_stack([np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)])
    n = len(pts)
    edges: set[tuple[int, int]] = {(0, 1)} if n == 2 else set()
    if n >= 3:
        try:
            tri = Delaunay(pts)
            for a, b, c in tri.simplices.tolist():
                edges.update({(a, b), (b, c), (a, c)})
            edges.update((int(p), int(v)) for p, _, v in tri.coplanar)  # dropped duplicates
        except QhullError:
            # Collinear: no triangles exist, so chain along the principal direction.
            centred = pts - pts.mean(axis=0)
            direction = np.linalg.svd(centred, full_matrices=False)[2][0]
            order = np.argsort(centred @ direction, kind="stable").tolist()
            edges.update(itertools.pairwise(order))
    adjacency: list[set[int]] = [set() for _ in range(n)]
    for a, b in edges:
        if a != b:
            adjacency[a].add(b)
            adjacency[b].add(a)
    return tuple(np.array(sorted(s), dtype=np.int64) for s in adjacency)


REAL_MAP = "municipalities_2016.csv"
"""The shipped municipalities (data/README.md): one row each, with their youth-care region."""

REAL_NEIGHBOURS = "municipality_neighbours_2016.csv"
"""The shipped neighbour pairs: shared borders of positive length, and ferry links of the islands."""

_REAL_COLUMNS = ("code", "name", "inhabitants", "x_km", "y_km", "area_km2", "region_code", "region_name")


def data_dir() -> Path:
    """The folder of the shipped map files: ``data/`` of the checkout (``ecosim/data`` links to it)."""
    return Path(str(resources.files("ecosim") / "data"))


def real_regions() -> dict[str, str]:
    """The shipped map's youth-care regions: name by code ("JZ13": "Amsterdam-Amstelland"), in code order."""
    rows, _ = _real_rows()
    return dict(sorted({r["region_code"]: r["region_name"] for r in rows}.items()))


def load_real(region: str | Sequence[str] | None = None) -> Geography:
    """The Netherlands on 1 January 2016 (CBS): 390 municipalities in 42 youth-care regions.

    Positions are a point inside each municipality's polygon (Rijksdriehoek coordinates in km),
    ``area_km2`` the polygon's area, neighbours the municipalities sharing a border (and the
    five Wadden islands' ferry links); sources and rules in data/README.md. The result is cached
    (it is read-only).

    Args:
        region: None for the whole country, or one youth-care region or a list of them, each by
            name ("Amsterdam-Amstelland") or code ("JZ13"), case and surrounding spaces ignored.
            Regions are numbered in code order; neighbours outside the selection are dropped.

    Returns:
        The Geography of the selected municipalities (codes, area and any indicator columns set).

    Raises:
        GeographyError: If a region is unknown (the message lists the closest names) or the
            shipped files are missing or malformed.
    """
    wanted = None if region is None else (region,) if isinstance(region, str) else tuple(region)
    return _load_real(wanted)


@lru_cache(maxsize=16)
def _load_real(wanted: tuple[str, ...] | None) -> Geography:
    rows, extra = _real_rows()
    regions = real_regions()
    chosen = list(regions) if wanted is None else _match_regions(wanted, regions)
    keep = [r for r in rows if r["region_code"] in chosen]
    index = {r["code"]: i for i, r in enumerate(keep)}
    adjacency: list[set[int]] = [set() for _ in keep]
    for a, b in _real_pairs():
        if a in index and b in index:
            adjacency[index[a]].add(index[b])
            adjacency[index[b]].add(index[a])
    order = [c for c in regions if c in chosen]
    return Geography(
        names=tuple(r["name"] for r in keep),
        population=np.array([int(r["inhabitants"]) for r in keep], dtype=np.int64),
        x=np.array([float(r["x_km"]) for r in keep]),
        y=np.array([float(r["y_km"]) for r in keep]),
        region=np.array([order.index(r["region_code"]) for r in keep], dtype=np.int64),
        region_names=tuple(regions[c] for c in order),
        neighbours=tuple(np.array(sorted(s), dtype=np.int64) for s in adjacency),
        codes=tuple(index),
        area_km2=np.array([float(r["area_km2"]) for r in keep]),
        indicators={c: _indicator(keep, c) for c in extra},
    )


def _indicator(rows: list[dict[str, str]], column: str) -> np.ndarray:
    """An extra column of the shipped map as float64 (empty = NaN); GeographyError if not numeric."""
    try:
        return np.array([float(r[column]) if r[column].strip() else math.nan for r in rows])
    except ValueError as exc:
        raise GeographyError(f"{data_dir() / REAL_MAP}: column {column!r} must be numeric ({exc})") from exc


def _match_regions(wanted: tuple[str, ...], regions: dict[str, str]) -> list[str]:
    """Region codes for names or codes given by a user; GeographyError with close matches if unknown."""
    by_key = {k.casefold(): code for code, name in regions.items() for k in (code, name)}
    chosen: list[str] = []
    for w in wanted:
        key = str(w).strip().casefold()
        code = by_key.get(key)
        if code is None:
            raise GeographyError(f"region: unknown youth-care region {str(w)!r}; {_region_hint(key, regions)}")
        if code not in chosen:
            chosen.append(code)
    if not chosen:
        raise GeographyError("region: an empty list selects no municipality; leave region out for the whole country")
    return chosen


def _region_hint(key: str, regions: dict[str, str]) -> str:
    """What a casefolded unknown ``key`` may have meant: its region if it names a municipality, or close names."""
    rows, _ = _real_rows()
    for r in rows:
        if key in (r["name"].casefold(), r["code"].casefold()):
            return f"{r['name']!r} is a municipality in the region {r['region_name']!r}"
    names = {n.casefold(): n for n in regions.values()}
    close = [k for k in names if key and key in k]  # a part of a name first, then names spelt alike
    close += [k for k in difflib.get_close_matches(key, list(names), n=4, cutoff=0.5) if k not in close]
    if close:
        return f"close matches: {', '.join(repr(names[k]) for k in close)}"
    return f"the regions are {', '.join(map(repr, regions.values()))}"


@lru_cache(maxsize=1)
def _real_rows() -> tuple[list[dict[str, str]], tuple[str, ...]]:
    """The shipped municipalities file as rows of strings, and its indicator columns."""
    path = data_dir() / REAL_MAP
    try:
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            rows = list(reader)
            header = tuple(reader.fieldnames or ())
    except OSError as exc:
        raise GeographyError(f"{path}: the shipped map cannot be read ({exc}); see data/README.md") from exc
    missing = [c for c in _REAL_COLUMNS if c not in header]
    if missing or not rows:
        raise GeographyError(f"{path}: missing column(s) {missing} or no rows; see data/README.md")
    return rows, tuple(c for c in header if c not in _REAL_COLUMNS)


@lru_cache(maxsize=1)
def _real_pairs() -> tuple[tuple[str, str], ...]:
    """The shipped neighbour pairs as (code, code)."""
    path = data_dir() / REAL_NEIGHBOURS
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return tuple((r["code_a"], r["code_b"]) for r in csv.DictReader(f))
    except (OSError, KeyError) as exc:
        raise GeographyError(f"{path}: the shipped neighbours cannot be read ({exc}); see data/README.md") from exc


def build(scenario: Scenario, rng: np.random.Generator) -> Geography:
    """The map of a scenario: the shipped real map, a user's CSV, or a synthetic one drawn from ``rng``."""
    g = scenario.geography
    if g.source == "real":
        return load_real(g.region)
    if g.source == "csv":
        path = Path(g.csv_path or "")
        if not path.is_absolute():
            path = Path(scenario.base_dir) / path
        return load_csv(path)
    return synthetic(
        g.n_municipalities,
        g.n_regions,
        g.mean_population,
        g.population_sigma,
        g.min_population,
        g.area_km2,
        rng,
    )
