"""Login, logout, sessions, CSRF, rate limiting, roles and API tokens over a real (empty) home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter, Depends
from fastapi.testclient import TestClient

from bayyina.settings import Settings
from bayyina.vault.home import Home, init_home
from bayyina.web import auth
from bayyina.web.app import create_app
from bayyina.web.deps import CurrentUser, require_role
from bayyina.web.routers.auth import safe_next
from tests.web.conftest import add_user, login


@pytest.fixture(scope="module")
def app_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Settings]]:
    base = tmp_path_factory.mktemp("auth")
    settings = Settings.load(home=base / "home", database_url=f"sqlite:///{base / 'db.sqlite'}", user="t")
    init_home(settings)
    for name, role in (("root", "admin"), ("vera", "viewer"), ("anas", "analyst"), ("rima", "reviewer")):
        add_user(settings.database_url, settings.home, name, f"{name}-password", role)
    app = create_app(settings)
    probe = APIRouter()

    @probe.get("/api/probe/analyst")
    def analyst_only(user: CurrentUser = Depends(require_role("analyst"))) -> dict[str, str]:  # noqa: B008
        return {"name": user.name, "clearance": user.clearance}

    app.include_router(probe)
    yield app, settings


def _client(app: Any) -> TestClient:
    return TestClient(app)


def test_everything_but_login_and_health_needs_a_login(app_home: tuple[Any, Settings]) -> None:
    c = _client(app_home[0])
    assert c.get("/api/health").status_code == 200
    assert c.get("/static/style.css").status_code == 200
    assert c.get("/login").status_code == 200
    for url in ("/api/documents", "/api/incidents", "/api/actors", "/api/sanctions", "/api/search?q=x",
                "/openapi.json", "/api/documents/1/original"):
        r = c.get(url)
        assert r.status_code == 401, url
        assert r.headers["www-authenticate"] == "Bearer" and "log in" in r.json()["detail"]
    for url in ("/", "/incidents?place=Douma", "/documents", "/actors", "/sanctions", "/docs"):
        r = c.get(url, follow_redirects=False)
        assert r.status_code == 303, url
        assert r.headers["location"].startswith("/login?next=%2F"), url
    assert c.get("/incidents?place=Douma", follow_redirects=False).headers["location"] == \
        "/login?next=%2Fincidents%3Fplace%3DDouma"


def test_login_page_arabic_then_english(app_home: tuple[Any, Settings]) -> None:
    c = _client(app_home[0])
    ar = c.get("/login")
    assert '<html lang="ar" dir="rtl">' in ar.text and "تسجيل الدخول" in ar.text
    assert 'name="csrf_token"' in ar.text and "<nav>" not in ar.text
    assert ar.headers["cache-control"] == "no-store"
    en = c.get("/login?lang=en")
    assert '<html lang="en" dir="ltr">' in en.text and "Log in" in en.text


def test_login_sets_a_safe_cookie_and_logout_ends_it(app_home: tuple[Any, Settings]) -> None:
    c = _client(app_home[0])
    r = login(c, "vera", "vera-password", "/documents?lang=en")
    assert r.status_code == 303 and r.headers["location"] == "/documents?lang=en"
    cookie = r.headers["set-cookie"]
    assert "bayyina_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert "Secure" not in cookie  # plain http in the test client
    page = c.get("/documents")
    assert page.status_code == 200 and "vera" in page.text
    assert c.get("/api/documents").json() == []
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    # logout without the CSRF token is refused; with it the session ends
    assert c.post("/logout", follow_redirects=False).status_code == 403
    out = c.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert c.get("/api/documents").status_code == 401


def test_secure_cookie_over_https(app_home: tuple[Any, Settings]) -> None:
    c = TestClient(app_home[0], base_url="https://bayyina.example")
    r = login(c, "vera", "vera-password")
    assert r.status_code == 303 and "Secure" in r.headers["set-cookie"]


def test_wrong_password_and_csrf(app_home: tuple[Any, Settings]) -> None:
    c = _client(app_home[0])
    r = login(c, "anas", "not-the-password")
    assert r.status_code == 401 and ("غير صحيحة" in r.text)
    c.get("/login")
    no_token = c.post("/login", data={"username": "anas", "password": "anas-password"}, follow_redirects=False)
    assert no_token.status_code == 403 and "CSRF" in no_token.text
    other = TestClient(app_home[0])  # a token from another browser's cookie does not match
    bad = other.post("/login", data={"username": "anas", "password": "anas-password",
                                     "csrf_token": c.cookies.get("bayyina_csrf")}, follow_redirects=False)
    assert bad.status_code == 403


def test_rate_limit_after_five_failures(app_home: tuple[Any, Settings]) -> None:
    c = _client(app_home[0])
    for _ in range(5):
        assert login(c, "rima", "wrong-password").status_code == 401
    blocked = login(c, "rima", "rima-password")  # even the right password waits
    assert blocked.status_code == 429
    assert "Too many" in login(c, "rima", "rima-password").text or "كثيرة" in blocked.text
    assert int(blocked.headers["retry-after"]) > 500
    c.get("/login?lang=en")
    assert "Try again in 10 minutes" in login(c, "rima", "rima-password").text
    # another user from the same address is not blocked
    assert login(_client(app_home[0]), "anas", "anas-password").status_code == 303


def test_roles_and_tokens(app_home: tuple[Any, Settings]) -> None:
    app, settings = app_home
    h = Home.open(settings)
    try:
        with h.session() as s:
            _, viewer_token = auth.create_token(s, "vera", "test")
            _, analyst_token = auth.create_token(s, "anas", "test")
            revoked, revoked_text = auth.create_token(s, "anas", "old")
            auth.revoke_token(s, str(revoked.id))
            s.commit()
    finally:
        h.close()
    c = _client(app)
    as_viewer = {"Authorization": f"Bearer {viewer_token}"}
    as_analyst = {"Authorization": f"Bearer {analyst_token}"}
    assert c.get("/api/documents", headers=as_viewer).status_code == 200
    r = c.get("/api/probe/analyst", headers=as_viewer)
    assert r.status_code == 403 and "analyst" in r.json()["detail"]
    assert c.get("/api/probe/analyst", headers=as_analyst).json() == {"name": "anas", "clearance": "public"}
    assert c.get("/api/documents", headers={"Authorization": f"Bearer {revoked_text}"}).status_code == 401
    assert c.get("/api/documents", headers={"Authorization": "Bearer bay_forged"}).status_code == 401
    # a bearer token needs no CSRF token (no ambient credential)
    assert c.post("/logout", headers=as_viewer, follow_redirects=False).status_code == 303


def test_disabled_user_loses_access(app_home: tuple[Any, Settings]) -> None:
    app, settings = app_home
    add_user(settings.database_url, settings.home, "temp", "temp-password", "viewer")
    c = _client(app)
    assert login(c, "temp", "temp-password").status_code == 303
    assert c.get("/api/documents").status_code == 200
    h = Home.open(settings)
    try:
        with h.session() as s:
            auth.set_active(s, "temp", False)
            s.commit()
    finally:
        h.close()
    assert c.get("/api/documents").status_code == 401
    assert login(_client(app), "temp", "temp-password").status_code == 401


def test_next_is_local_only() -> None:
    for bad in ("//evil.example/", "https://evil.example/", "/\\evil.example", "", "javascript:alert(1)",
                "/ok\r\nSet-Cookie: x=1"):
        assert safe_next(bad) == "/"
    assert safe_next("/incidents?place=Douma") == "/incidents?place=Douma"


def test_password_hash_is_argon2id_and_never_the_password(tmp_path: Path) -> None:
    h = auth.hash_password("correct horse battery")
    assert h.startswith("$argon2id$") and "correct" not in h
    assert auth.verify_password(h, "correct horse battery")
    assert not auth.verify_password(h, "wrong horse battery")
    assert not auth.verify_password("garbage", "correct horse battery")


def test_reads_do_not_wait_for_a_writer(app_home: tuple[Any, Settings]) -> None:
    """On SQLite the web app reads with deferred transactions: a writer holding the lock does not block it."""
    import sqlite3
    import time

    app, settings = app_home
    h = Home.open(settings)
    try:
        with h.session() as s:
            _, token = auth.create_token(s, "vera", "reader")
            s.commit()
    finally:
        h.close()
    c = _client(app)
    headers = {"Authorization": f"Bearer {token}"}
    assert c.get("/api/documents", headers=headers).status_code == 200  # the app's engines are open
    writer = sqlite3.connect(settings.database_url.removeprefix("sqlite:///"), isolation_level=None, timeout=1)
    writer.execute("BEGIN IMMEDIATE")  # what an ingest holds while it commits a file
    try:
        started = time.monotonic()
        for url in ("/api/documents", "/api/incidents", "/api/sanctions"):
            assert c.get(url, headers=headers).status_code == 200, url
        assert time.monotonic() - started < 5
    finally:
        writer.execute("ROLLBACK")
        writer.close()
