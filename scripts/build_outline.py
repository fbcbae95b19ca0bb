#!/usr/bin/env python3
"""Build the map's offline outline: Syria and its neighbours as a small GeoJSON file.

Source: the npm package ``world-atlas`` (Natural Earth 4.1.0 as TopoJSON,
public domain data; the package is ISC, Mike Bostock). Run once, by hand::

    cd "$(mktemp -d)" && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_outline.py package/countries-50m.json \
        src/bayyina/web/static/geo/syria-region.geojson

Only the resulting subset is committed. The TopoJSON arcs are decoded here
(delta-encoded, quantised by the file's ``transform``), without topojson-client.
Coordinates are rounded to 3 decimals (about 100 m), enough for an outline.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

# ISO 3166-1 numeric id -> (English, Arabic) name: Syria and its neighbours, plus Cyprus in view
COUNTRIES = {
    "760": ("Syria", "سوريا"),
    "792": ("Turkey", "تركيا"),
    "368": ("Iraq", "العراق"),
    "400": ("Jordan", "الأردن"),
    "422": ("Lebanon", "لبنان"),
    "376": ("Israel", "إسرائيل"),
    "275": ("Palestine", "فلسطين"),
    "196": ("Cyprus", "قبرص"),
}
DECIMALS = 3


def decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Every arc of a quantised TopoJSON topology as absolute lon/lat points."""
    tf = topo.get("transform")
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for p in arc:
            if tf:
                x, y = x + p[0], y + p[1]
                lon = x * tf["scale"][0] + tf["translate"][0]
                lat = y * tf["scale"][1] + tf["translate"][1]
            else:
                lon, lat = p[0], p[1]
            pts.append((round(lon, DECIMALS), round(lat, DECIMALS)))
        out.append(pts)
    return out


def ring(arcs: list[list[tuple[float, float]]], refs: list[int]) -> list[list[float]]:
    """A closed ring from arc references (a negative index ``~i`` is arc ``i`` reversed)."""
    pts: list[tuple[float, float]] = []
    for r in refs:
        a = arcs[r] if r >= 0 else list(reversed(arcs[~r]))
        pts.extend(a if not pts else a[1:])
    dedup = [pts[0]] + [p for i, p in enumerate(pts[1:], 1) if p != pts[i - 1]]
    if dedup[0] != dedup[-1]:
        dedup.append(dedup[0])
    return [list(p) for p in dedup]


def build(topo: dict[str, Any]) -> dict[str, Any]:
    """The GeoJSON FeatureCollection of :data:`COUNTRIES`."""
    arcs = decode_arcs(topo)
    feats = []
    for g in topo["objects"]["countries"]["geometries"]:
        cid = str(g.get("id"))
        if cid not in COUNTRIES:
            continue
        if g["type"] == "Polygon":
            geom = {"type": "Polygon", "coordinates": [ring(arcs, r) for r in g["arcs"]]}
        elif g["type"] == "MultiPolygon":
            geom = {"type": "MultiPolygon", "coordinates": [[ring(arcs, r) for r in poly] for poly in g["arcs"]]}
        else:
            continue
        en, ar = COUNTRIES[cid]
        feats.append({"type": "Feature", "id": cid, "properties": {"name": en, "name_ar": ar, "focus": cid == "760"},
                      "geometry": geom})
    missing = set(COUNTRIES) - {f["id"] for f in feats}
    if missing:
        raise SystemExit(f"error: countries {sorted(missing)} not found in the topology")
    return {
        "type": "FeatureCollection",
        "source": "Natural Earth 4.1.0 (public domain) via the npm package world-atlas 2.0.2 (ISC), "
                  "countries-50m; built by scripts/build_outline.py",
        "features": feats,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    src, dst = Path(argv[1]), Path(argv[2])
    try:
        topo = json.loads(src.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"error: {src}: {exc}", file=sys.stderr)
        return 1
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(json.dumps(build(topo), ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{dst}: {dst.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
