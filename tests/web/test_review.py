"""The review queue: suggestions and incidents by state, and the approve / reject / merge actions
calling the register's services (the same as `bayyina incidents merge|review`)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

import pytest

from tests.web.ui_support import AUTH_INSTALLED, CHLORINE_EN, App, fresh_app

DOUMA_DATED = ("DOUMA, Syria - A chlorine attack on the town of Douma in Eastern Ghouta on April 7, 2018 killed "
               "at least 43 people, rescue workers said.\n")
DOUMA_UNDATED = ("Doctors in Douma said they treated dozens of people for chlorine exposure after an attack on the "
                 "town, according to a medical charity.\n")


@pytest.fixture(scope="module", params=[pytest.param("sqlite", id="sqlite"),
                                        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres)])
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    url = None
    if request.param == "postgres":
        cluster = request.getfixturevalue("_pg_cluster_obj")
        url = f"{cluster.url}/{cluster.create_database()}"
    for a in fresh_app(tmp_path_factory.mktemp("review"), url):
        r = a.client.post("/api/upload", headers=a.headers("analyst"),
                          files=[("files", ("douma_dated.txt", DOUMA_DATED.encode(), "text/plain")),
                                 ("files", ("douma_undated.txt", DOUMA_UNDATED.encode(), "text/plain")),
                                 ("files", ("saraqib.txt", CHLORINE_EN.encode(), "text/plain"))])
        assert r.status_code == 200, r.text
        yield a


def _incident(app: App, place: str, dated: bool = True) -> dict:
    rows = app.client.get("/api/incidents", params={"place": place}, headers=app.headers("viewer")).json()
    return next(r for r in rows if bool(r["date_start"]) == dated)


def test_queue_lists_suggestions_and_drafts(app: App) -> None:
    q = app.client.get("/api/review", headers=app.headers("reviewer")).json()
    assert len(q["suggestions"]) == 1
    s = q["suggestions"][0]
    assert {s["left"]["place"], s["right"]["place"]} == {"Douma"} and 2 <= s["score"] < 5
    assert "same place: Douma" in s["reasons"]
    assert {r["place"] for r in q["drafts"]} == {"Douma", "Saraqib"} and q["in_review"] == []
    page = app.client.get("/review?lang=en", headers=app.headers("reviewer")).text
    assert 'action="/review/merge"' in page and "Send to review" in page and 'name="csrf_token"' in page


def test_send_approve_and_reject(app: App) -> None:
    h = app.headers("reviewer")
    inc = _incident(app, "Saraqib")
    r = app.client.post("/review/state", headers=h, follow_redirects=False,
                        data={"incident_id": inc["id"], "state": "in_review", "reason": "checked sources", "lang": "en"})
    assert r.status_code == 303 and r.headers["location"].startswith("/review?done=in_review")
    page = app.client.get(r.headers["location"], headers=h).text
    assert "Sent to review" in page and f'id="incident-{inc["id"]}"' in page and "Approve" in page
    r = app.client.post("/review/state", headers=h, follow_redirects=False,
                        data={"incident_id": inc["id"], "state": "draft", "reason": "casualty figure unclear"})
    assert r.status_code == 303
    assert _incident(app, "Saraqib")["status"] == "draft"
    for state in ("in_review", "approved"):
        assert app.client.post("/review/state", headers=h, follow_redirects=False,
                               data={"incident_id": inc["id"], "state": state, "reason": "ok"}).status_code == 303
    assert _incident(app, "Saraqib")["status"] == "approved"
    detail = app.client.get(f"/incidents/{inc['id']}?lang=en", headers=h).text
    assert "approved" in detail.lower()


def test_refusals_are_400_with_the_reason(app: App) -> None:
    h = app.headers("reviewer")
    inc = _incident(app, "Douma")
    r = app.client.post("/review/state", headers=h, data={"incident_id": inc["id"], "state": "published",
                                                          "reason": "skip", "lang": "en"})
    assert r.status_code == 400 and "can go to in_review" in r.text
    r = app.client.post("/review/state", headers=h, data={"incident_id": inc["id"], "state": "in_review", "reason": " "})
    assert r.status_code == 400 and "reason" in r.text
    r = app.client.post("/review/merge", headers=h, data={"a": inc["id"], "b": inc["id"], "reason": "same"})
    assert r.status_code == 400 and "itself" in r.text
    r = app.client.post("/review/state", headers=h, data={"incident_id": "x", "state": "approved", "reason": "r"})
    assert r.status_code == 422


def test_merge_a_suggestion(app: App) -> None:
    h = app.headers("reviewer")
    s = app.client.get("/api/review", headers=h).json()["suggestions"][0]
    r = app.client.post("/review/merge", headers=h, follow_redirects=False,
                        data={"a": s["left"]["id"], "b": s["right"]["id"], "reason": "same attack, undated copy"})
    assert r.status_code == 303, r.text
    q = app.client.get("/api/review", headers=h).json()
    assert q["suggestions"] == []
    douma = [r for r in app.client.get("/api/incidents", params={"place": "Douma"}, headers=h).json()]
    assert len(douma) == 1 and douma[0]["id"] == s["left"]["id"] and douma[0]["reports"] == 2
    who = app.client.get(f"/api/incidents/{s['left']['id']}", headers=h).json()
    assert who["id"] == s["left"]["id"]


@pytest.mark.skipif(not AUTH_INSTALLED, reason="the login area (web/auth.py) is not installed")
def test_review_needs_the_reviewer_role(app: App) -> None:
    h = app.headers("analyst")
    assert app.client.get("/review", headers=h).status_code == 403
    assert app.client.get("/api/review", headers=h).status_code == 403
    r = app.client.post("/review/state", headers=h, data={"incident_id": 1, "state": "in_review", "reason": "r"})
    assert r.status_code == 403


@pytest.mark.skipif(not AUTH_INSTALLED or importlib.util.find_spec("bayyina.web.clearance") is None,
                    reason="the login area or the clearance filters (web/clearance.py) are not installed")
def test_a_reviewer_sees_and_acts_only_within_their_clearance(app: App) -> None:
    text = b"On April 4, 2017, an air strike with sarin on Khan Shaykhun in Idlib province killed 86 people.\n"
    r = app.client.post("/api/upload", headers=app.headers("admin"), data={"sensitivity": "restricted"},
                        files=[("files", ("restricted_ks.txt", text, "text/plain"))])
    assert r.status_code == 200, r.text
    hidden = r.json()["incidents_created"][0]
    h = app.headers("reviewer")  # cleared for public material
    q = app.client.get("/api/review", headers=h).json()
    assert hidden not in [x["id"] for x in q["drafts"]]
    assert hidden in [x["id"] for x in app.client.get("/api/review", headers=app.headers("admin")).json()["drafts"]]
    r = app.client.post("/review/state", headers=h, data={"incident_id": hidden, "state": "in_review", "reason": "r"})
    assert r.status_code == 404
    pts = app.client.get("/api/incidents.geojson", headers=h).json()
    assert hidden not in [f["id"] for f in pts["features"]]
    assert hidden in [f["id"] for f in app.client.get("/api/incidents.geojson", headers=app.headers("admin")).json()["features"]]
