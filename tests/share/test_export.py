"""Exports: CSV (UTF-8, Arabic, BOM, formula guard), RFC 7946 GeoJSON, FollowTheMoney; clearance and filters."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import geojson
import pytest
from followthemoney import model
from sqlalchemy import select

from bayyina.share.exports import csv_text, export, feature_collection
from bayyina.share.records import ShareError
from bayyina.store.models_resolve import Incident
from bayyina.vault.home import Home


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _export(h: Home, fmt: str, out: Path, **kw: Any) -> Any:
    with h.session() as s:
        return export(s, fmt, out, **kw)


def test_csv_public_by_default_and_partner_clearance(share_home: Home, tmp_path: Path) -> None:
    out = tmp_path / "i.csv"
    res = _export(share_home, "csv", out)
    rows = _rows(out)
    assert [r["place"] for r in rows] == ["Khan Shaykhun"] and res.withheld == 2
    assert rows[0]["place_ar"] == "خان شيخون" and rows[0]["agents"] == "sarin" and rows[0]["sensitivity"] == "public"
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")
    _export(share_home, "csv", out, clearance="partner", bom=True)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    places = {r["place"]: r for r in _rows(out)}
    assert set(places) == {"Khan Shaykhun", "Saraqib"} and places["Saraqib"]["place_ar"] == "سراقب"
    _export(share_home, "csv", out, clearance="restricted")
    assert {r["place"] for r in _rows(out)} == {"Khan Shaykhun", "Saraqib", "Douma"}


def test_csv_actors_and_designations(share_home: Home, tmp_path: Path) -> None:
    out = tmp_path / "d.csv"
    _export(share_home, "csv", out, table="designations")
    (d,) = _rows(out)
    assert d["authority"] == "EU" and d["reasons_ar"] == "سبب للاختبار." and d["evidence"]  # public evidence kept
    _export(share_home, "csv", out, table="actors")
    names = {r["name_ar"] for r in _rows(out)}
    assert "اللواء الجوي 99" in names


def test_csv_formula_cells_are_neutralised() -> None:
    text = csv_text([{"a": "=HYPERLINK(\"x\")", "b": ["-1", "ok"], "c": None}], ("a", "b", "c"))
    row = next(csv.DictReader(io.StringIO(text)))
    assert row == {"a": "'=HYPERLINK(\"x\")", "b": "'-1;ok", "c": ""}


def _check_rfc7946(doc: dict[str, Any]) -> None:
    """What RFC 7946 requires of our collections, beyond the geojson package's checks."""
    assert doc["type"] == "FeatureCollection" and isinstance(doc["features"], list)
    assert "crs" not in doc  # removed in RFC 7946 (WGS 84 only)
    for f in doc["features"]:
        assert f["type"] == "Feature" and set(f) == {"type", "id", "geometry", "properties"}
        assert isinstance(f["id"], int | str) and isinstance(f["properties"], dict)
        g = f["geometry"]
        if g is not None:
            assert g["type"] == "Point" and len(g["coordinates"]) == 2
            lon, lat = g["coordinates"]
            assert -180 <= lon <= 180 and -90 <= lat <= 90
    obj = geojson.loads(json.dumps(doc))
    assert obj.is_valid, obj.errors()


def test_geojson_is_rfc7946_with_lon_lat_order(share_home: Home, tmp_path: Path) -> None:
    out = tmp_path / "i.geojson"
    res = _export(share_home, "geojson", out, clearance="restricted")
    doc = json.loads(out.read_text(encoding="utf-8"))
    _check_rfc7946(doc)
    assert res.rows == 3
    by_place = {f["properties"]["place"]: f for f in doc["features"]}
    lon, lat = by_place["Khan Shaykhun"]["geometry"]["coordinates"]
    assert (round(lon, 2), round(lat, 2)) == (36.65, 35.44)  # longitude first
    assert by_place["Douma"]["properties"]["place_ar"] == "دوما"
    # a place without coordinates: null geometry, still valid
    _check_rfc7946(feature_collection([{"id": 9, "lat": None, "lon": None, "place": "x", "documents": []}]))
    with pytest.raises(ShareError, match="out of range"):
        feature_collection([{"id": 9, "lat": 36.6, "lon": 236.6, "documents": []}])


def test_filters(share_home: Home, tmp_path: Path) -> None:
    out = tmp_path / "f.geojson"

    def places(**kw: Any) -> set[str]:
        _export(share_home, "geojson", out, clearance="restricted", **kw)
        return {f["properties"]["place"] for f in json.loads(out.read_text())["features"]}

    assert places(agent="chlorine") == {"Saraqib", "Douma"}
    assert places(place="دوما") == {"Douma"}
    assert places(date_from="2018-01-01", date_to="2018-03-01") == {"Saraqib"}
    with pytest.raises(ShareError, match="--from"):
        places(date_from="yesterday")
    with pytest.raises(ShareError, match="geojson exports incidents only"):
        _export(share_home, "geojson", out, table="actors")


def test_ftm_entities_validate(share_home: Home, tmp_path: Path) -> None:
    out = tmp_path / "e.ftm.json"
    _export(share_home, "ftm", out, clearance="partner")
    ents = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    schemata = [e["schema"] for e in ents]
    assert schemata.count("Event") == 2 and "Sanction" in schemata and "Address" in schemata
    ids = {e["id"] for e in ents}
    for e in ents:
        proxy = model.get_proxy(e, cleaned=False)  # raises on unknown properties or bad values
        assert proxy.schema.name == e["schema"]
        for prop in proxy.schema.properties.values():
            if prop.type.name == "entity":
                assert all(v in ids for v in proxy.get(prop)), (e["id"], prop.name)
    with share_home.session() as s:
        douma = [i for i in s.scalars(select(Incident)) if "Douma" in json.dumps(i.chosen)]
    assert douma and not any(f"incident-{douma[0].id}" in e["id"] for e in ents)


def test_cli_export(share_home: Home, cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "cli.csv"
    r = cli("export", "csv", str(out), "--bom", "--max-sensitivity", "partner")
    assert r.exit_code == 0, r.output
    assert "2 rows of incidents" in r.output and "1 incidents above partner left out" in r.output
    r = cli("export", "xml", str(out))
    assert r.exit_code == 1 and "unknown format 'xml'" in r.output
    r = cli("export", "csv", str(out), "--max-sensitivity", "secret")
    assert r.exit_code == 1 and "unknown sensitivity 'secret'" in r.output
    r = cli("export", "geojson", str(tmp_path))
    assert r.exit_code == 1 and "is a directory" in r.output


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_geojson_on_postgres(share_home_db: Home, tmp_path: Path) -> None:
    out = tmp_path / "pg.geojson"
    res = _export(share_home_db, "geojson", out)
    doc = json.loads(out.read_text())
    _check_rfc7946(doc)
    assert res.rows == 1 and res.withheld == 2
