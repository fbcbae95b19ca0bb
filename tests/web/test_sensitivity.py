"""A public-cleared viewer never sees a restricted document: not its text, file name, hash or count,
on any page, API answer, search result or download (SQLite and PostgreSQL).

The home: the three public reports of ``conftest.REPORTS`` plus two restricted
ones written here, ingested with ``--sensitivity restricted``: a witness
statement on the Douma attack (so the Douma incident has public and
restricted sources) and one on an attack on Sarmin that no public document
reports (an incident only restricted material knows). Each restricted text
carries words found nowhere else (the witnesses' names, its figures); an
EU designation cites the restricted documents and incidents as evidence.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import REPORTS, login
from tests.web.ui_support import DATABASES, database_for, seed_through_cli

RESTRICTED: dict[str, str] = {
    "witness_douma_zq.txt": (
        "On April 7, 2018, a chlorine attack on Douma killed 47 people, the witness Zubaida Qarawi told "
        "investigators; she saw the Qarawi family's house hit by a barrel bomb.\n"
    ),
    "witness_sarmin_nh.txt": (
        "On March 16, 2015, a chlorine attack on Sarmin in Idlib province killed 6 people, the witness "
        "Nizar Halabouni said; helicopters dropped barrel bombs on the town.\n"
    ),
}
# words of the restricted texts that no public text has
MARKERS = ("Zubaida", "Qarawi", "Halabouni", "Sarmin", "سرمين", "witness_douma_zq", "witness_sarmin_nh",
           "witnesses.example")


@dataclass
class Secret:
    """The seeded home: clients for each user, the restricted documents' ids, hashes and incidents."""

    admin: TestClient
    viewer: TestClient
    partner: TestClient
    viewer_token: str
    restricted_ids: list[int]
    public_ids: list[int]
    hashes: list[str]
    sarmin_incident: int = 0
    douma_incident: int = 0
    designation_id: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def secrets(self) -> list[str]:
        return [*MARKERS, *self.hashes, *(h[:12] for h in self.hashes)]


@pytest.fixture(scope="module", params=DATABASES)
def secret(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Secret]:
    from bayyina.resolve.actors import add_actor
    from bayyina.sanctions.designations import add_designation
    from bayyina.settings import Settings
    from bayyina.vault.home import Home
    from bayyina.web import auth
    from bayyina.web.app import create_app

    base = tmp_path_factory.mktemp("sens")
    home = base / "home"
    url = database_for(request, base)
    witnesses = {name: ("https://witnesses.example/", text) for name, text in RESTRICTED.items()}
    files = seed_through_cli(base, url, "web-tester", [(REPORTS, []), (witnesses, ["--sensitivity", "restricted"])])
    public, restricted = [files[n] for n in REPORTS], [files[n] for n in RESTRICTED]

    settings = Settings.load(home=home, database_url=url, user="web-tester")
    h = Home.open(settings)
    try:
        with h.session() as s:
            from sqlalchemy import select

            from bayyina.store.models import Document
            from bayyina.store.models_resolve import Incident

            docs = {Path(d.original_filename).name: d for d in s.scalars(select(Document))}
            r_ids = [docs[p.name].id for p in restricted]
            p_ids = [docs[p.name].id for p in public]
            sarmin = douma = 0
            for inc in s.scalars(select(Incident).where(Incident.active.is_(True))):
                place = ((inc.chosen or {}).get("place") or {}).get("chosen") or {}
                members = {m["document_id"] for m in (inc.chosen or {}).get("members") or []}
                if place.get("name") == "Sarmin":
                    sarmin = inc.id
                if place.get("name") == "Douma" and members & set(r_ids):
                    douma = inc.id
            unit = add_actor(s, who="t", kind="unit", name_en="Test Brigade", name_ar="لواء الاختبار", why="t").actor
            today = date.today()
            d = add_designation(s, who="t", authority="EU", programme="EU chemical weapons regime", actor=unit,
                                measure_names=["asset freeze"], start=today - timedelta(days=30),
                                until=today + timedelta(days=10), why="t",
                                incident_ids=[i for i in (sarmin, douma) if i], evidence=[*r_ids, p_ids[0]])
            for name, role, level in (("root", "admin", None), ("vera", "viewer", None),
                                      ("pia", "analyst", "partner")):
                auth.add_user(s, name, role, f"{name}-password", level)
            _, token = auth.create_token(s, "vera", "test")
            s.commit()
            designation_id = d.id
            hashes = [docs[p.name].sha256 for p in restricted]
    finally:
        h.close()
    assert sarmin and douma, "the fixture texts should give a Sarmin incident and a Douma one with a witness"

    app = create_app(Settings.load(home=home, database_url=url))
    with TestClient(app) as admin, TestClient(app) as viewer, TestClient(app) as partner:
        for c, name in ((admin, "root"), (viewer, "vera"), (partner, "pia")):
            assert login(c, name, f"{name}-password").status_code == 303
        yield Secret(admin, viewer, partner, token, r_ids, p_ids, hashes, sarmin, douma, designation_id)


def _clean(sec: Secret, text: str, where: str) -> None:
    for word in sec.secrets():
        assert word not in text, f"{where}: {word!r} leaked"


def _urls(sec: Secret) -> list[str]:
    pages = ["/", "/?lang=en", "/documents", "/incidents", "/incidents?place=Douma", "/actors", "/sanctions",
             f"/incidents/{sec.douma_incident}", f"/incidents/{sec.douma_incident}?lang=en"]
    pages += [f"/documents/{i}" for i in sec.public_ids]
    api = ["/api/documents", "/api/incidents", "/api/incidents?agent=chlorine", "/api/actors", "/api/sanctions",
           f"/api/incidents/{sec.douma_incident}"]
    api += [f"/api/documents/{i}" for i in sec.public_ids] + [f"/api/documents/{i}/original" for i in sec.public_ids]
    api += [f"/api/actors/{a['id']}" for a in sec.admin.get("/api/actors").json()]
    return pages + api


# pages of other areas, swept when their routers are installed (a 404 route is skipped)
OTHER_AREAS = ("/map", "/timeline", "/api/incidents.geojson", "/api/timeline")


def test_other_areas_never_show_restricted_material(secret: Secret) -> None:
    checked = 0
    for url in OTHER_AREAS:
        r = secret.viewer.get(url)
        if r.status_code == 404 and secret.admin.get(url).status_code == 404:
            continue
        assert r.status_code == 200, (url, r.status_code)
        _clean(secret, r.text, url)
        checked += 1
    # and the admin's map does show what the viewer's leaves out (the check is meaningful)
    if checked and secret.admin.get("/api/incidents.geojson").status_code == 200:
        assert "Sarmin" in secret.admin.get("/api/incidents.geojson").text


def test_admin_sees_the_restricted_material(secret: Secret) -> None:
    """The check below is meaningful: the restricted material is there for someone cleared for it."""
    c = secret.admin
    names = {Path(d["original_filename"]).name for d in c.get("/api/documents").json()}
    assert {"witness_douma_zq.txt", "witness_sarmin_nh.txt"} <= names
    assert c.get(f"/api/incidents/{secret.sarmin_incident}").status_code == 200
    assert "Qarawi" in c.get(f"/incidents/{secret.douma_incident}").text
    assert any(h["kind"] == "document" for h in c.get("/api/search", params={"q": "Qarawi"}).json())
    assert c.get(f"/api/documents/{secret.restricted_ids[0]}/original").status_code == 200


def test_pages_and_api_never_show_restricted_documents(secret: Secret) -> None:
    for url in _urls(secret):
        r = secret.viewer.get(url)
        assert r.status_code == 200, (url, r.status_code, r.text[:200])
        _clean(secret, r.text, url)
        _clean(secret, str(r.headers), url)


def test_restricted_documents_and_incidents_are_404_not_403(secret: Secret) -> None:
    v = secret.viewer
    for doc_id in secret.restricted_ids:
        for url in (f"/api/documents/{doc_id}", f"/api/documents/{doc_id}/original", f"/documents/{doc_id}"):
            r = v.get(url)
            assert r.status_code == 404, url
            _clean(secret, r.text, url)
    for url in (f"/api/incidents/{secret.sarmin_incident}", f"/incidents/{secret.sarmin_incident}"):
        assert v.get(url).status_code == 404, url
    # the answer for a hidden id is the answer for an id that does not exist
    assert v.get(f"/api/documents/{secret.restricted_ids[0]}").json()["detail"] == \
        f"no document {secret.restricted_ids[0]}"
    # API tokens carry the same clearance
    bearer = TestClient(v.app)
    r = bearer.get(f"/api/documents/{secret.restricted_ids[0]}",
                   headers={"Authorization": f"Bearer {secret.viewer_token}"})
    assert r.status_code == 404


def test_counts_leave_restricted_material_out(secret: Secret) -> None:
    def counts(c: TestClient) -> list[str]:
        page = c.get("/?lang=en").text
        return [li.split("<strong>")[1].split("</strong>")[0] for li in page.split('<ul class="counts">')[1]
                .split("</ul>")[0].split("<li>")[1:]]

    admin, viewer = counts(secret.admin), counts(secret.viewer)
    assert int(admin[0]) == int(viewer[0]) + len(secret.restricted_ids)  # documents
    assert int(admin[1]) == int(viewer[1]) + 1  # incidents: Sarmin only restricted material knows
    assert len(secret.viewer.get("/api/documents").json()) == len(secret.public_ids)
    incidents = {r["id"] for r in secret.viewer.get("/api/incidents").json()}
    assert secret.sarmin_incident not in incidents and secret.douma_incident in incidents


def test_incident_with_some_hidden_sources_is_redacted(secret: Secret) -> None:
    full = secret.admin.get(f"/api/incidents/{secret.douma_incident}").json()
    seen = secret.viewer.get(f"/api/incidents/{secret.douma_incident}").json()
    cited = {m["document_id"] for m in seen["members"]}
    cited |= {r["document_id"] for f in seen["fields"] for v in f["values"] for r in v["reports"]}
    cited |= {a["document_id"] for a in seen["attributions"] if a.get("document_id")}
    assert cited and not cited & set(secret.restricted_ids)
    assert len(seen["members"]) < len(full["members"])
    assert seen["reports"] == len(seen["members"]) and seen["documents"] < full["documents"]
    killed = next(f for f in seen["fields"] if f["name"] == "killed")
    assert "47" not in killed["chosen_text"] and all("47" not in v["text"] for v in killed["values"])
    assert any("47" in v["text"] for f in full["fields"] if f["name"] == "killed" for v in f["values"])


def test_partner_clearance_is_between(secret: Secret) -> None:
    assert len(secret.partner.get("/api/documents").json()) == len(secret.public_ids)
    assert secret.partner.get(f"/api/documents/{secret.restricted_ids[0]}").status_code == 404


def test_search_never_finds_or_quotes_restricted_text(secret: Secret) -> None:
    v = secret.viewer
    for q in ("Qarawi", "Zubaida", "Halabouni", "Sarmin", "سرمين", "witness", "witnesses", "47"):
        hits = v.get("/api/search", params={"q": q}).json()
        for h in hits:
            _clean(secret, str(h), f"search {q!r}")
            assert not (h["kind"] == "document" and h["id"] in secret.restricted_ids)
            assert not (h["kind"] == "incident" and h["id"] == secret.sarmin_incident)
    douma = v.get("/api/search", params={"q": "Douma", "limit": 50}).json()
    assert any(h["kind"] == "incident" and h["id"] == secret.douma_incident for h in douma)
    _clean(secret, str(douma), "search Douma")
    assert any(h["kind"] == "document" and h["id"] in secret.restricted_ids
               for h in secret.admin.get("/api/search", params={"q": "Halabouni"}).json())


def test_designations_keep_only_visible_evidence(secret: Secret) -> None:
    rows = {d["id"]: d for d in secret.viewer.get("/api/sanctions").json()}
    d = rows[secret.designation_id]
    assert not set(d["evidence"]) & set(secret.restricted_ids) and d["evidence"] == [secret.public_ids[0]]
    assert secret.sarmin_incident not in d["incident_ids"]
    full = {x["id"]: x for x in secret.admin.get("/api/sanctions").json()}[secret.designation_id]
    assert set(secret.restricted_ids) <= set(full["evidence"])


def test_classify_makes_a_document_visible(secret: Secret, tmp_path: Path) -> None:
    """Lowering a document's level through the service shows it to the viewer at once (and raising hides it)."""
    from bayyina.settings import Settings
    from bayyina.vault.classify import classify
    from bayyina.vault.home import Home

    app = secret.viewer.app
    settings = app.state.bayyina.settings
    doc_id = secret.public_ids[-1]

    def set_level(level: str) -> None:
        h = Home.open(Settings.load(home=settings.home, database_url=settings.database_url))
        try:
            with h.session() as s:
                classify(s, doc_id, level, "test", "tester")
                s.commit()
        finally:
            h.close()

    set_level("partner")
    try:
        assert secret.viewer.get(f"/api/documents/{doc_id}").status_code == 404
        assert secret.partner.get(f"/api/documents/{doc_id}").status_code == 200
    finally:
        set_level("public")
    assert secret.viewer.get(f"/api/documents/{doc_id}").status_code == 200
