"""Upload through the browser's endpoints: the same ingest as the CLI, sizes, types, refusals
that leave the store as it was, the role it needs, and the page without JavaScript."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.ui_support import AUTH_INSTALLED, CHLORINE_AR, CHLORINE_EN, App, fresh_app


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    yield from fresh_app(tmp_path_factory.mktemp("upload"))


def _store(app: App) -> tuple[int, int, list[str]]:
    """(documents, blobs in the vault, files left in the vault's temp area)."""
    docs = len(app.client.get("/api/documents", headers=app.headers("viewer")).json())
    vault = app.settings.vault_dir
    blobs = sum(1 for p in vault.rglob("*") if p.is_file() and "tmp" not in p.relative_to(vault).parts)
    tmp = [p.name for p in (vault / "tmp").glob("*")] if (vault / "tmp").is_dir() else []
    return docs, blobs, tmp


def test_upload_stores_extracts_and_resolves(app: App) -> None:
    h = app.headers("analyst")
    r = app.client.post("/api/upload", headers=h, data={"source_url": "https://daily.example/", "labels": "upload-test"},
                        files=[("files", ("saraqib_ar.txt", CHLORINE_AR.encode(), "text/plain")),
                               ("files", ("saraqib_en.txt", CHLORINE_EN.encode(), "text/plain"))])
    assert r.status_code == 200, r.text
    res = r.json()
    assert [f["status"] for f in res["files"]] == ["stored", "stored"]
    assert res["files"][0]["language"] == "ar" and res["files"][0]["incidents"] == 1
    assert res["stored"] == 2 and res["refused"] == 0 and res["checkpoint_seq"]
    assert len(res["incidents_created"]) == 1  # two reports of one attack: one incident
    inc = app.client.get(f"/api/incidents/{res['incidents_created'][0]}", headers=h).json()
    assert inc["place"] == "Saraqib" and inc["date_start"] == "2018-02-04" and "chlorine" in inc["agents"]
    doc = app.client.get(f"/api/documents/{res['files'][0]['document_id']}", headers=h).json()
    assert doc["original_filename"] == "saraqib_ar.txt" and doc["labels"] == ["upload-test"]
    assert doc["source_url"] == "https://daily.example/"
    who = {e["actor"] for e in doc["custody"]}
    assert who == {"analyst-tester" if AUTH_INSTALLED else "ui-tester"}
    again = app.client.post("/api/upload", headers=h,
                            files=[("files", ("copy.txt", CHLORINE_EN.encode(), "text/plain"))]).json()
    assert again["files"][0]["status"] == "duplicate" and "already ingested" in again["files"][0]["reason"]


def test_wrong_type_names_the_file_and_stores_nothing(app: App) -> None:
    before = _store(app)
    r = app.client.post("/api/upload", headers=app.headers("analyst"),
                        files=[("files", ("ok.txt", b"A short note about Douma.\n", "text/plain")),
                               ("files", ("payload.exe", b"MZ\x90\x00", "application/octet-stream"))])
    assert r.status_code == 415
    assert "payload.exe" in r.json()["detail"] and "unsupported file type" in r.json()["detail"]
    assert _store(app) == before  # not even ok.txt: the batch is refused before storing


def test_oversized_is_413_with_the_limit(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _store(app)
    monkeypatch.setenv("BAYYINA_UPLOAD_MAX_MB", "0.01")  # 10 KiB
    big = ("تقرير " * 5000).encode()
    r = app.client.post("/api/upload", headers=app.headers("analyst"),
                        files=[("files", ("big_report.txt", big, "text/plain"))])
    assert r.status_code == 413
    detail = r.json()["detail"]
    assert "big_report.txt" in detail and "over the upload limit" in detail and "BAYYINA_UPLOAD_MAX_MB" in detail
    huge = big * 3  # the whole body over the limit: refused from its Content-Length, before reading it
    r = app.client.post("/api/upload", headers=app.headers("analyst"),
                        files=[("files", ("huge.txt", huge, "text/plain"))])
    assert r.status_code == 413 and "over the limit" in r.json()["detail"]
    assert _store(app) == before


def test_a_file_failing_to_read_leaves_the_store_as_before(app: App) -> None:
    before = _store(app)
    r = app.client.post("/api/upload", headers=app.headers("analyst"),
                        files=[("files", ("broken.pdf", b"%PDF-1.7\nthis is not a pdf body", "application/pdf"))])
    assert r.status_code == 422, r.text
    f = r.json()["files"][0]
    assert f["status"] == "refused" and f["file"] == "broken.pdf" and f["reason"]
    assert _store(app) == before


def test_bad_requests_are_4xx(app: App) -> None:
    h = app.headers("analyst")
    assert app.client.post("/api/upload", headers=h, data={"labels": "x"}).status_code == 400
    assert app.client.post("/api/upload", headers=h, content=b"x",
                           ).status_code == 400
    r = app.client.post("/api/upload", headers=h, data={"source_url": "javascript:alert(1)"},
                        files=[("files", ("a.txt", b"text", "text/plain"))])
    assert r.status_code == 400 and "source_url" in r.json()["detail"]
    r = app.client.post("/api/upload", headers=h, files=[("files", ("../../etc/evil.txt", b"x", "text/plain"))],
                        data={"resolve": "off"})
    assert r.status_code == 200 and r.json()["files"][0]["file"] == "evil.txt" and r.json()["resolved"] is False


@pytest.mark.skipif(not AUTH_INSTALLED, reason="the login area (web/auth.py) is not installed")
def test_upload_needs_the_analyst_role(app: App) -> None:
    r = app.client.post("/api/upload", headers=app.headers("viewer"),
                        files=[("files", ("v.txt", b"viewer text", "text/plain"))])
    assert r.status_code == 403
    assert app.client.get("/upload", headers=app.headers("viewer")).status_code == 403


def test_page_and_form_post_without_javascript(app: App) -> None:
    h = app.headers("analyst")
    page = app.client.get("/upload?lang=en", headers=h)
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text and "/static/js/upload.js" in page.text
    assert 'name="csrf_token"' in page.text and "<progress" in page.text
    r = app.client.post("/upload?lang=en", headers=h,
                        files=[("files", ("note_en.txt", b"A note about nothing in particular.\n", "text/plain"))])
    assert r.status_code == 200 and "note_en.txt" in r.text and "stored" in r.text
    r = app.client.post("/upload?lang=en", headers=h, files=[("files", ("x.docm", b"x", "application/x"))])
    assert r.status_code == 415 and "x.docm" in r.text


def test_uploaded_names_keep_no_path(tmp_path: Path) -> None:
    from bayyina.web.routers.upload import safe_name

    assert safe_name("C:\\Users\\me\\تقرير.txt") == "تقرير.txt"
    assert safe_name("../.hidden.txt") == "hidden.txt"
    assert safe_name("") == "upload"


@pytest.mark.skipif(not AUTH_INSTALLED, reason="the login area (web/auth.py) is not installed")
def test_sensitivity_up_to_the_uploaders_clearance(app: App) -> None:
    from sqlalchemy import select

    from bayyina.store.models import Document
    from bayyina.vault.home import Home

    before = _store(app)
    r = app.client.post("/api/upload", headers=app.headers("analyst"), data={"sensitivity": "partner"},
                        files=[("files", ("partner_note.txt", b"A note for partners only.\n", "text/plain"))])
    assert r.status_code == 403 and "cleared for public" in r.json()["detail"]
    assert _store(app) == before
    r = app.client.post("/api/upload", headers=app.headers("analyst"), data={"sensitivity": "secret"},
                        files=[("files", ("partner_note.txt", b"A note for partners only.\n", "text/plain"))])
    assert r.status_code == 400 and "sensitivity" in r.json()["detail"]
    r = app.client.post("/api/upload", headers=app.headers("admin"), data={"sensitivity": "partner"},
                        files=[("files", ("partner_note.txt", b"A note for partners only.\n", "text/plain"))])
    assert r.status_code == 200, r.text
    h = Home.open(app.settings)
    try:
        with h.session() as s:
            doc = s.scalars(select(Document).where(Document.original_filename == "partner_note.txt")).one()
            assert doc.sensitivity == "partner"
    finally:
        h.close()
    page = app.client.get("/upload", headers=app.headers("analyst")).text
    assert 'name="sensitivity"' in page and 'value="partner"' not in page  # only levels the uploader may see
