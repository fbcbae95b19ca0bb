"""The map and the timeline: GeoJSON points and monthly counts with the register's filters,
the pages, the vendored libraries and the bundled outline (nothing from a CDN)."""

from __future__ import annotations

import json
import re

import pytest

from tests.web.conftest import Site


def test_geojson_points_at_the_chosen_places(site: Site) -> None:
    r = site.client.get("/api/incidents.geojson")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    assert fc["type"] == "FeatureCollection"
    by_place = {f["properties"]["place"]: f for f in fc["features"]}
    assert {"Douma", "Khan Shaykhun"} <= set(by_place)
    lon, lat = by_place["Douma"]["geometry"]["coordinates"]
    assert 33.4 < lat < 33.7 and 36.2 < lon < 36.5  # Douma, Eastern Ghouta
    assert by_place["Douma"]["properties"]["url"] == f"/incidents/{by_place['Douma']['id']}"
    assert fc["unplaced"] == []


def test_geojson_takes_the_incident_filters(site: Site) -> None:
    only = site.client.get("/api/incidents.geojson", params={"agent": "sarin"}).json()
    assert [f["properties"]["place"] for f in only["features"]] == ["Khan Shaykhun"]
    ids = [f["id"] for f in site.client.get("/api/incidents.geojson", params={"place": "دوما"}).json()["features"]]
    assert ids == [i["id"] for i in site.client.get("/api/incidents", params={"place": "دوما"}).json()]
    bad = site.client.get("/api/incidents.geojson", params={"from": "April"})
    assert bad.status_code == 400 and "not a date" in bad.json()["detail"]


def test_timeline_counts_per_month_and_agent(site: Site) -> None:
    tl = site.client.get("/api/timeline").json()
    assert tl["months"][0] == "2017-04" and tl["months"][-1] == "2018-04"
    assert len(tl["months"]) == 13  # every month between, filled with 0
    series = {s["agent"]: s for s in tl["series"]}
    assert series["sarin"]["counts"][0] == 1 and series["sarin"]["total"] == 1
    assert series["chlorine"]["counts"][-1] == 1
    assert tl["incidents"] == 2 and tl["undated"] == 0
    one = site.client.get("/api/timeline", params={"from": "2018-01-01"}).json()
    assert one["months"] == ["2018-04"] and [s["agent"] for s in one["series"]] == ["chlorine"]
    assert site.client.get("/api/timeline", params={"confidence": "sure"}).status_code == 400


def test_map_page_vendored_and_offline(site: Site) -> None:
    html = site.client.get("/map?agent=chlorine&lang=en").text
    assert 'src="/static/vendor/leaflet/leaflet.js"' in html and "/static/vendor/leaflet/leaflet.css" in html
    assert 'data-points="/api/incidents.geojson?agent=chlorine"' in html
    assert 'data-tile-url=""' in html  # no tile layer unless BAYYINA_TILE_URL says so
    assert "Douma" in html and "Khan Shaykhun" not in html  # the list under the map, filtered
    assert not re.search(r"(src|href)=\"https?://", html)  # nothing from the net
    for path in ("/static/vendor/leaflet/leaflet.js", "/static/vendor/leaflet/images/marker-icon.png",
                 "/static/vendor/chartjs/chart.umd.min.js", "/static/js/map.js", "/static/js/timeline.js",
                 "/static/fonts/Amiri-Regular.ttf"):
        assert site.client.get(path).status_code == 200, path
    outline = site.client.get("/static/geo/syria-region.geojson").json()
    names = {f["properties"]["name"] for f in outline["features"]}
    assert {"Syria", "Turkey", "Iraq", "Jordan", "Lebanon"} <= names


def test_tile_url_setting(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BAYYINA_TILE_URL", "http://tiles.local/{z}/{x}/{y}.png")
    html = site.client.get("/map").text
    assert 'data-tile-url="http://tiles.local/{z}/{x}/{y}.png"' in html


def test_timeline_page_embeds_the_counts_and_a_table(site: Site) -> None:
    html = site.client.get("/timeline?lang=en").text
    assert "/static/vendor/chartjs/chart.umd.min.js" in html
    m = re.search(r'<script type="application/json" id="timeline-data">(.*?)</script>', html, re.DOTALL)
    assert m
    payload = json.loads(m.group(1))
    assert payload["data"] == site.client.get("/api/timeline").json()
    assert payload["labels"]["sarin"] == "Sarin"
    assert "<td dir=\"ltr\">2017-04</td>" in html and "<td dir=\"ltr\">2017-05</td>" not in html  # empty months skipped
    ar = site.client.get("/timeline?lang=ar").text
    assert "السارين" in ar
    assert site.client.get("/timeline?from=x").status_code == 400


def test_arabic_font_is_shipped_not_fetched() -> None:
    from bayyina.web.app import STATIC_DIR

    css = (STATIC_DIR / "style.css").read_text(encoding="utf-8")
    assert 'url("/static/fonts/Amiri-Regular.ttf")' in css and 'url("/static/fonts/Amiri-Bold.ttf")' in css
    assert "http" not in css.split("/* --- Arabic font")[1]
    assert (STATIC_DIR / "vendor" / "leaflet" / "LICENSE").is_file()
    assert (STATIC_DIR / "vendor" / "chartjs" / "LICENSE.md").is_file()
