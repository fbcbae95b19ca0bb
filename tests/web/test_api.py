"""The JSON API over a real home (SQLite and PostgreSQL): shapes, filters, 4xx answers,
the original's bytes, the OpenAPI schema."""

from __future__ import annotations

import hashlib
from pathlib import Path

from fastapi.testclient import TestClient

from bayyina.settings import Settings
from bayyina.web.app import create_app
from tests.web.conftest import Site


def douma(site: Site) -> dict:
    rows = site.client.get("/api/incidents", params={"place": "Douma"}).json()
    assert len(rows) == 1, rows
    return rows[0]


def test_documents_list_and_detail(site: Site) -> None:
    docs = site.client.get("/api/documents").json()
    assert sorted(site.doc_ids) == sorted(["douma_wire.txt", "douma_ar.txt", "khan_shaykhun.txt"])
    by_name = {Path(d["original_filename"]).name: d for d in docs}
    ar = by_name["douma_ar.txt"]
    assert ar["language"] == "ar"
    assert ar["sha256"] == hashlib.sha256(site.files["douma_ar.txt"].read_bytes()).hexdigest()
    assert ar["incidents"] == 1
    assert ar["source_url"] == "https://arabic-daily.example/"

    one = site.client.get(f"/api/documents/{ar['id']}").json()
    assert one["id"] == ar["id"] and one["sha256"] == ar["sha256"]
    assert one["custody"], "a stored document has custody entries"
    assert all(e["subject"] == f"document:{ar['id']}" for e in one["custody"])
    assert {"seq", "ts", "actor", "action", "payload", "prev_hash", "entry_hash"} <= set(one["custody"][0])
    assert len(one["extraction_runs"]) == 1 and one["extraction_runs"][0]["incidents"] == 1
    assert one["incident_reports"][0]["place"]["name_ar"] == "دوما"
    assert one["original_url"] == f"/api/documents/{ar['id']}/original"

    page = site.client.get("/api/documents", params={"limit": 1, "offset": 1}).json()
    assert [d["id"] for d in page] == [docs[1]["id"]]


def test_original_download_is_the_ingested_bytes(site: Site) -> None:
    for name, path in site.files.items():
        r = site.client.get(f"/api/documents/{site.doc_ids[name]}/original")
        assert r.status_code == 200
        assert r.content == path.read_bytes()
        assert r.headers["x-content-sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert r.headers["content-type"].startswith("text/plain")
        assert name in r.headers["content-disposition"]
        assert r.headers["content-disposition"].startswith("attachment")


def test_document_errors_are_clear_json(site: Site) -> None:
    for url in ("/api/documents/9999", "/api/documents/9999/original"):
        r = site.client.get(url)
        assert r.status_code == 404 and r.json() == {"detail": "no document 9999"}
    r = site.client.get("/api/documents/abc")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["path", "doc_id"]
    assert site.client.get("/api/documents", params={"limit": 0}).status_code == 422
    assert site.client.get("/api/documents", params={"limit": "many"}).status_code == 422


def test_incident_filters(site: Site) -> None:
    c = site.client
    assert len(c.get("/api/incidents").json()) == 2
    row = douma(site)
    assert row["place_ar"] == "دوما" and row["date_start"] == "2018-04-07"
    assert row["reports"] == 2 and row["documents"] == 2 and row["sources"] == 2
    assert [r["place"] for r in c.get("/api/incidents", params={"place": "دوما"}).json()] == ["Douma"]
    assert [r["agents"] for r in c.get("/api/incidents", params={"agent": "sarin"}).json()] == [["sarin"]]
    assert c.get("/api/incidents", params={"agent": "mustard"}).json() == []
    in_2018 = c.get("/api/incidents", params={"from": "2018-01-01", "to": "2018-12-31"}).json()
    assert [r["id"] for r in in_2018] == [row["id"]]
    assert len(c.get("/api/incidents", params={"to": "2017-12-31"}).json()) == 1
    got = c.get("/api/incidents", params={"perpetrator": "syrian-government"}).json()
    assert row["id"] in [r["id"] for r in got]
    assert [r["id"] for r in c.get("/api/incidents", params={"confidence": row["confidence"]}).json()] \
        == [r["id"] for r in c.get("/api/incidents").json() if r["confidence"] == row["confidence"]]
    assert c.get("/api/incidents", params={"place": ""}).status_code == 200  # empty filter = none


def test_incident_filter_errors_are_400(site: Site) -> None:
    c = site.client
    r = c.get("/api/incidents", params={"from": "April"})
    assert r.status_code == 400 and "not a date" in r.json()["detail"] and "from" in r.json()["detail"]
    r = c.get("/api/incidents", params={"from": "2019-01-01", "to": "2018-01-01"})
    assert r.status_code == 400 and "after" in r.json()["detail"]
    r = c.get("/api/incidents", params={"confidence": "certain"})
    assert r.status_code == 400 and "confirmed" in r.json()["detail"]
    assert c.get("/api/incidents", params={"place": "x" * 500}).status_code == 422


def test_incident_detail(site: Site) -> None:
    row = douma(site)
    one = site.client.get(f"/api/incidents/{row['id']}").json()
    assert one["id"] == row["id"] and one["confidence"] == row["confidence"]
    assert one["confidence_reason"]
    fields = {f["name"]: f for f in one["fields"]}
    assert list(fields) == ["place", "date", "agents", "means", "killed", "injured", "perpetrators"]
    killed = fields["killed"]
    assert len(killed["values"]) == 2, "the two outlets' tolls are shown side by side"
    assert {v["text"] for v in killed["values"]} == {"≥42", "45"}
    assert killed["chosen_text"] == "45" and killed["why"]
    assert fields["agents"]["chosen"] == ["chlorine"]
    for v in killed["values"]:
        for rep in v["reports"]:
            assert rep["document_id"] in site.doc_ids.values()
            assert all(e["end"] > e["start"] for e in rep["evidence"])
    members = {m["filename"]: m for m in one["members"]}
    assert set(members) == {"douma_wire.txt", "douma_ar.txt"}
    ar = members["douma_ar.txt"]
    assert ar["language"] == "ar" and ar["active"]
    assert any("دوما" in e["text"] and "الكلور" in e["text"] for e in ar["evidence"])
    # evidence offsets point into the stored normalised text
    doc = site.client.get(f"/api/documents/{ar['document_id']}").json()
    assert doc["id"] == ar["document_id"]
    assert isinstance(one["attributions"], list) and isinstance(one["findings"], list)
    for f in one["findings"]:
        assert f["link_how"] in ("auto", "manual") and f["symbol"]


def test_incident_errors(site: Site) -> None:
    r = site.client.get("/api/incidents/9999")
    assert r.status_code == 404 and r.json() == {"detail": "no incident 9999"}
    assert site.client.get("/api/incidents/x").status_code == 422


def test_actors(site: Site) -> None:
    actors = site.client.get("/api/actors").json()
    names = {a["name_en"]: a for a in actors}
    assert names["Tiger Forces"]["name_ar"] == "قوات النمر" and names["Tiger Forces"]["kind"] == "unit"
    assert [a["name_en"] for a in site.client.get("/api/actors", params={"kind": "person"}).json()] \
        == ["Suhail al-Hassan"]
    r = site.client.get("/api/actors", params={"kind": "robot"})
    assert r.status_code == 400 and "unknown actor kind" in r.json()["detail"]
    unit = site.client.get(f"/api/actors/{site.actor_ids['unit']}").json()
    assert [(r["subject"], r["type"], r["object"]) for r in unit["relations"]] \
        == [(r["subject"], "commands", r["object"]) for r in unit["relations"]]
    assert unit["relations"][0]["subject_id"] == site.actor_ids["person"]
    assert [d["id"] for d in unit["designations"]] == [site.designation_id]
    assert site.client.get("/api/actors/9999").status_code == 404


def test_sanctions_expiring_first(site: Site) -> None:
    rows = site.client.get("/api/sanctions").json()
    assert rows[0]["id"] == site.designation_id
    assert rows[0]["days_left"] == 10 and rows[0]["authority"] == "EU"
    assert rows[0]["actor"] and rows[0]["measures"] == ["asset_freeze"]
    assert site.client.get("/api/sanctions", params={"within": 5}).json() == []
    assert [d["id"] for d in site.client.get("/api/sanctions", params={"within": 30}).json()] == [site.designation_id]
    r = site.client.get("/api/sanctions", params={"on": "tomorrow"})
    assert r.status_code == 400 and "not a date" in r.json()["detail"]
    assert site.client.get("/api/sanctions", params={"within": -1}).status_code == 422


def test_openapi_lists_every_route(site: Site) -> None:
    schema = site.client.get("/openapi.json").json()
    for path in ("/api/health", "/api/documents", "/api/documents/{doc_id}", "/api/documents/{doc_id}/original",
                 "/api/incidents", "/api/incidents/{incident_id}", "/api/actors", "/api/actors/{actor_id}",
                 "/api/sanctions"):
        assert path in schema["paths"], path
    ok = schema["paths"]["/api/incidents/{incident_id}"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"]["$ref"].endswith("/IncidentDetailOut")
    params = {p["name"] for p in schema["paths"]["/api/incidents"]["get"]["parameters"]}
    assert {"place", "from", "to", "agent", "perpetrator", "confidence"} <= params


def test_uninitialised_home_is_503_with_the_reason(tmp_path: Path) -> None:
    app = create_app(Settings.load(home=tmp_path / "nowhere", database_url=f"sqlite:///{tmp_path / 'x.db'}"))
    with TestClient(app) as client:
        r = client.get("/api/documents")
        assert r.status_code == 503 and "bayyina init" in r.json()["detail"]
        assert client.get("/api/health").status_code == 200
        page = client.get("/")
        assert page.status_code == 503 and "bayyina init" in page.text
        assert client.get("/incidents").status_code == 503
        assert "bayyina init" in client.get("/login").text


def test_odd_input_never_500(site: Site) -> None:
    """A sweep of malformed and extreme inputs over every route: always a clear 4xx (or 200), JSON for the API."""
    c = site.client
    huge = str(2**63)
    urls = [
        f"/api/documents/{huge}", "/api/documents/0", "/api/documents/-1", f"/api/documents/{huge}/original",
        f"/api/incidents/{huge}", "/api/incidents/-5", f"/api/actors/{huge}", "/api/actors/1.5",
        "/api/documents?limit=-1", "/api/documents?offset=x", "/api/documents?label=%D8%AF%D9%88%D9%85%D8%A7",
        "/api/incidents?from=2018-02-30", "/api/incidents?to=20180101", "/api/incidents?place=%00%01",
        "/api/incidents?place=%D8%AF%D9%88%D9%85%D8%A7&agent=%00", "/api/incidents?confidence=",
        "/api/incidents?from=&to=", "/api/sanctions?within=abc", "/api/sanctions?within=99999999999",
        "/api/sanctions?on=2024-13-01", "/api/actors?kind=%00", "/api/actors?status=x",
        f"/incidents/{huge}", f"/documents/{huge}", "/incidents?from=2018-02-30", "/incidents?confidence=zzz",
        "/?lang=%00", "/sanctions?lang=" + "x" * 300,
    ]
    for url in urls:
        r = c.get(url)
        assert r.status_code < 500, (url, r.status_code, r.text[:300])
        if url.startswith("/api/") and r.status_code >= 400:
            assert "detail" in r.json(), url
    c.cookies.delete("bayyina_lang")
