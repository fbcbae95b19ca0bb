"""The web app factory: placeholder home page and the health endpoint."""

from __future__ import annotations

from fastapi.testclient import TestClient

from bayyina.web.app import create_app, package_version


def test_health() -> None:
    client = TestClient(create_app())
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": package_version()}


def test_home_page_is_arabic_first_and_links() -> None:
    client = TestClient(create_app())
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    body = response.text
    assert '<html lang="ar" dir="rtl">' in body
    assert "بيّنة" in body
    assert "chemical-weapons" in body
    assert 'href="/docs"' in body
    assert 'href="/api/health"' in body


def test_openapi_docs_served() -> None:
    client = TestClient(create_app())
    assert client.get("/docs").status_code == 200
    schema = client.get("/openapi.json").json()
    assert "/api/health" in schema["paths"]
