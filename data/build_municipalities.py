"""Rebuild the shipped map of the Netherlands on 1 January 2016 from the raw public files.

Writes, next to this script:

* ``municipalities_2016.csv``: one row per municipality (390): CBS code, name, inhabitants on
  1 January 2016, a point on the polygon's surface (Rijksdriehoek km), polygon area (km2) and
  the youth-care region (jeugdzorgregio) the point falls in;
* ``municipality_neighbours_2016.csv``: pairs of municipalities whose borders share a stretch of
  positive length, plus one ferry link per Wadden island.

The raw files are not committed (see data/README.md for what they are and where they come from);
put them under ``data/raw/`` with the paths of their repositories::

    data/raw/edwindj/nl_maps/rd/gemeente_2016.geojson
    data/raw/cartomap/nl/rd/jeugdzorgregio_2016.geojson
    data/raw/ShaunVanBeurden/PosterHouse/database/data/units.php

and run ``python data/build_municipalities.py`` (needs ``shapely>=2``: ``pip install -e '.[data]'``).
The script checks the files' git blob hashes (warns when they differ), every invariant the model's
tests rely on, and prints a summary. The model itself reads only the CSV files (no shapely).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
from pathlib import Path

from shapely import STRtree
from shapely.geometry import shape

HERE = Path(__file__).resolve().parent

MUNICIPALITIES = "edwindj/nl_maps/rd/gemeente_2016.geojson"
REGIONS = "cartomap/nl/rd/jeugdzorgregio_2016.geojson"
INHABITANTS = "ShaunVanBeurden/PosterHouse/database/data/units.php"

# git blob hashes (``git hash-object FILE``) of the versions used; see data/README.md for commits.
BLOBS = {
    MUNICIPALITIES: "f3609055acab95d79ff14a8643ef6ddc76b90957",
    REGIONS: "d971dc64b9723a9f8147c6c0c487d96360dbd01b",
    INHABITANTS: "aa74088709f61d13d277e0e7bf622d7e889a3f5d",
}

# The polygon file's name has a full stop where CBS writes a comma.
NAME_FIXES = {"Nuenen. Gerwen en Nederwetten": "Nuenen, Gerwen en Nederwetten"}

# Names in units.php that differ from the CBS names of the polygon file (after NAME_FIXES):
# CBS adds "(gemeente)" or a province to tell a municipality from its city or a namesake.
INHABITANT_NAMES = {
    "'s-Gravenhage (gemeente)": "'s-Gravenhage",
    "Groningen (gemeente)": "Groningen",
    "Utrecht (gemeente)": "Utrecht",
    "Beek (L.)": "Beek",
    "Hengelo (O.)": "Hengelo",
    "Laren (NH.)": "Laren",
    "Middelburg (Z.)": "Middelburg",
    "Rijswijk (ZH.)": "Rijswijk",
    "Stein (L.)": "Stein",
}

# The five Wadden islands share no border with any municipality; each is linked to the
# municipality of its ferry harbour (2016 boundaries): Texel - Den Helder (TESO), Vlieland and
# Terschelling - Harlingen (Rederij Doeksen), Ameland - Dongeradeel (Holwerd; Wagenborg),
# Schiermonnikoog - De Marne (Lauwersoog; Wagenborg).
FERRIES = {
    "GM0448": "GM0400",  # Texel - Den Helder
    "GM0096": "GM0072",  # Vlieland - Harlingen
    "GM0093": "GM0072",  # Terschelling - Harlingen
    "GM0060": "GM0058",  # Ameland - Dongeradeel
    "GM0088": "GM1663",  # Schiermonnikoog - De Marne
}

EXPECTED = {"municipalities": 390, "regions": 42, "inhabitants": 16_979_120}


def git_blob(path: Path) -> str:
    """The git blob hash of a file, as ``git hash-object`` prints it."""
    data = path.read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()  # noqa: S324 - git's own hash


def read_features(path: Path) -> list[tuple[str, str, object]]:
    """(statcode, statnaam, shapely geometry) per feature of a GeoJSON file."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return [(f["properties"]["statcode"], f["properties"]["statnaam"], shape(f["geometry"])) for f in data["features"]]


def read_inhabitants(path: Path) -> dict[str, int]:
    """Inhabitants by name from the PHP array in units.php."""
    text = path.read_text(encoding="utf-8")
    pairs = re.findall(r'"name"\s*=>\s*"([^"]*)",\s*"inhabitants"\s*=>\s*(\d+)', text)
    out: dict[str, int] = {}
    for name, value in pairs:
        if name in out:
            raise SystemExit(f"{path}: name {name!r} twice")
        out[name] = int(value)
    return out


def build(raw: Path, out: Path) -> list[str]:
    """Write the two CSV files from the raw files; return the summary lines."""
    for rel, blob in BLOBS.items():
        path = raw / rel
        if not path.exists():
            raise SystemExit(f"missing raw file {path} (see data/README.md, 'Rebuilding')")
        if git_blob(path) != blob:
            print(f"warning: {path} differs from the version documented in data/README.md", file=sys.stderr)

    munis = sorted(read_features(raw / MUNICIPALITIES))
    regions = sorted(read_features(raw / REGIONS))
    inhabitants = {INHABITANT_NAMES.get(n, n): v for n, v in read_inhabitants(raw / INHABITANTS).items()}

    names = [NAME_FIXES.get(n, n) for _, n, _ in munis]
    unmatched = sorted(set(names) ^ set(inhabitants))
    if unmatched:
        raise SystemExit(f"names without a match between polygons and inhabitants: {unmatched}")

    rows, summary = [], []
    for (code, _, poly), name in zip(munis, names, strict=True):
        point = poly.point_on_surface()
        inside = [(rc, rn) for rc, rn, rp in regions if rp.contains(point)]
        if len(inside) != 1:
            raise SystemExit(f"{code} {name}: its point lies in {len(inside)} youth-care regions")
        overlap = {rc: poly.intersection(rp).area / poly.area for rc, _, rp in regions}
        best = max(overlap, key=overlap.__getitem__)
        if best != inside[0][0]:
            raise SystemExit(f"{code} {name}: point in {inside[0][0]} but most of its area in {best}")
        if overlap[best] < 0.95:
            summary.append(f"  {code} {name}: {overlap[best]:.0%} of its polygon in {best} (coarse region outline)")
        rows.append(
            {
                "code": code,
                "name": name,
                "inhabitants": inhabitants[name],
                "x_km": f"{point.x / 1000:.3f}",
                "y_km": f"{point.y / 1000:.3f}",
                "area_km2": f"{poly.area / 1e6:.3f}",
                "region_code": inside[0][0],
                "region_name": inside[0][1],
            }
        )

    geoms = [poly for _, _, poly in munis]
    codes = [code for code, _, _ in munis]
    tree = STRtree(geoms)
    pairs, corner_only = [], []
    for i, poly in enumerate(geoms):
        for j in sorted(int(j) for j in tree.query(poly, predicate="intersects")):
            if j <= i:
                continue
            length = poly.boundary.intersection(geoms[j].boundary).length
            if length > 0:
                pairs.append((codes[i], codes[j], "border", f"{length / 1000:.3f}"))
            else:
                corner_only.append(f"{names[i]} - {names[j]}")
    for island, harbour in FERRIES.items():
        if any(island in p[:2] for p in pairs):
            raise SystemExit(f"{island} has a land border; its ferry link is not needed")
        pairs.append((*sorted((island, harbour)), "ferry", "0.000"))
    pairs.sort()

    degree = dict.fromkeys(codes, 0)
    for a, b, _, _ in pairs:
        degree[a] += 1
        degree[b] += 1
    checks = {
        "municipalities": len(rows),
        "regions": len({r["region_code"] for r in rows}),
        "inhabitants": sum(r["inhabitants"] for r in rows),
    }
    for key, want in EXPECTED.items():
        if checks[key] != want:
            raise SystemExit(f"check failed: {checks[key]} {key}, expected {want}")
    if any(d == 0 for d in degree.values()):
        raise SystemExit(f"municipalities without a neighbour: {[c for c, d in degree.items() if d == 0]}")
    amsterdam = next(r for r in rows if r["name"] == "Amsterdam")
    rotterdam = next(r for r in rows if r["name"] == "Rotterdam")
    assert amsterdam["region_name"] == "Amsterdam-Amstelland", amsterdam
    assert rotterdam["region_name"] == "Rijnmond", rotterdam

    out.mkdir(parents=True, exist_ok=True)
    with open(out / "municipalities_2016.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with open(out / "municipality_neighbours_2016.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["code_a", "code_b", "kind", "shared_border_km"])
        writer.writerows(pairs)

    region_sizes: dict[str, int] = {}
    for r in rows:
        region_sizes[r["region_name"]] = region_sizes.get(r["region_name"], 0) + 1
    return [
        f"{checks['municipalities']} municipalities, {checks['inhabitants']:,} inhabitants, "
        f"{checks['regions']} youth-care regions ({min(region_sizes.values())}-{max(region_sizes.values())} "
        "municipalities each)",
        f"{sum(p[2] == 'border' for p in pairs)} border pairs, {len(FERRIES)} ferry links; "
        f"neighbours per municipality {min(degree.values())}-{max(degree.values())}",
        f"corners only (not neighbours): {', '.join(corner_only) or 'none'}",
        f"Amsterdam in {amsterdam['region_name']}, Rotterdam in {rotterdam['region_name']} "
        f"(point {rotterdam['x_km']}, {rotterdam['y_km']} km)",
        f"polygon area {sum(float(r['area_km2']) for r in rows):,.0f} km2 in all",
        "municipalities with under 95 % of their polygon in their region:",
        *summary,
        *(f"  renamed in units.php: {a!r} -> {b!r}" for a, b in INHABITANT_NAMES.items()),
        *(f"  fixed in the polygon file: {a!r} -> {b!r}" for a, b in NAME_FIXES.items()),
        f"written: {out / 'municipalities_2016.csv'}, {out / 'municipality_neighbours_2016.csv'}",
    ]


def main() -> None:
    """Command line: ``python data/build_municipalities.py [--raw DIR] [--out DIR]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--raw", type=Path, default=HERE / "raw", help="folder with the raw files (data/raw)")
    parser.add_argument("--out", type=Path, default=HERE, help="folder for the CSV files (data/)")
    args = parser.parse_args()
    for line in build(args.raw, args.out):
        print(line)


if __name__ == "__main__":
    main()
