"""The administration pages: users and API tokens, admin role only, every action a CSRF-checked POST
going through the service functions of the CLI (``bayyina.web.auth``), the last-admin rule, and a
token shown once that works as a bearer on the API until it is revoked (SQLite)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bayyina.settings import Settings
from bayyina.vault.home import Home, init_home
from bayyina.web import auth
from bayyina.web.app import create_app
from tests.web.conftest import add_user, login

ROOT = ("root", "root-password")
VERA = ("vera", "vera-password")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Any, Settings]]:
    settings = Settings.load(home=tmp_path / "home", database_url=f"sqlite:///{tmp_path / 'db.sqlite'}", user="t")
    init_home(settings)
    add_user(settings.database_url, settings.home, *ROOT, "admin")
    add_user(settings.database_url, settings.home, *VERA, "viewer")
    add_user(settings.database_url, settings.home, "rima", "rima-password", "reviewer")
    yield create_app(settings), settings


def client(app: Any, who: tuple[str, str] | None = ROOT) -> TestClient:
    c = TestClient(app)
    if who is not None:
        assert login(c, *who).status_code == 303
    return c


def csrf(c: TestClient, url: str = "/admin/users") -> str:
    page = c.get(url)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


def user_row(settings: Settings, name: str) -> Any:
    h = Home.open(settings)
    try:
        with h.session() as s:
            u = auth.get_user(s, name)
            s.expunge_all()
            return u
    finally:
        h.close()


def uid(settings: Settings, name: str) -> int:
    return int(user_row(settings, name).id)


def test_admin_only_and_the_navigation_link(site: tuple[Any, Settings]) -> None:
    app, settings = site
    anon = client(app, None)
    r = anon.get("/admin/users", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fadmin%2Fusers"
    assert anon.post("/admin/users", data={"name": "x"}, follow_redirects=False).status_code in (303, 403)
    for who in (VERA, ("rima", "rima-password")):
        c = client(app, who)
        assert c.get("/admin/users").status_code == 403
        assert c.get(f"/admin/users/{uid(settings, 'root')}").status_code == 403
        token = csrf(c, "/")
        r = c.post("/admin/users", data={"name": "intruder", "role": "admin", "password": "p" * 10,
                                         "password2": "p" * 10, "csrf_token": token})
        assert r.status_code == 403
        assert 'href="/admin/users"' not in c.get("/").text  # no link for them
    assert user_row(settings, "intruder") is None
    c = client(app)
    page = c.get("/admin/users")
    assert page.status_code == 200 and '<html lang="ar" dir="rtl">' in page.text
    assert "المستخدمون ورموز الواجهة البرمجية" in page.text and 'href="/admin/users" aria-current="page"' in page.text
    assert all(f'data-user="{n}"' in page.text for n in ("root", "vera", "rima"))
    en = c.get("/admin/users?lang=en").text
    assert "Users and API tokens" in en and "Last login" in en and "reviewer" in en
    assert re.search(r'data-user="root".*?\d{4}-\d\d-\d\d \d\d:\d\d', en, re.DOTALL)  # root's login is on record


def test_add_user_with_the_cli_rules_then_they_log_in(site: tuple[Any, Settings]) -> None:
    app, settings = site
    c = client(app)
    token = csrf(c)
    base = {"csrf_token": token, "role": "viewer", "clearance": "", "lang": "en"}
    for form, reason in (({"name": "nadia", "password": "short", "password2": "short"}, "too short"),
                         ({"name": "nadia", "password": "long-enough-1", "password2": "other-one-2"},
                          "كلمتا المرور غير متطابقتين"),  # the page's language: Arabic
                         ({"name": "vera", "password": "long-enough-1", "password2": "long-enough-1"},
                          "already exists"),
                         ({"name": "bad name!", "password": "long-enough-1", "password2": "long-enough-1"},
                          "bad user name"),
                         ({"name": "nadia", "password": "long-enough-1", "password2": "long-enough-1",
                           "role": "boss"}, "unknown role")):
        r = c.post("/admin/users", data={**base, **form})
        assert r.status_code == 400 and reason in r.text, (form, r.text[-800:])
    assert user_row(settings, "nadia") is None
    r = c.post("/admin/users", data={**base, "name": "nadia", "clearance": "partner", "password": "nadia-password",
                                     "password2": "nadia-password"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/admin/users?done=added&who=nadia&lang=en"
    assert "User added" in c.get(r.headers["location"]).text
    u = user_row(settings, "nadia")
    assert (u.role, u.clearance, u.active) == ("viewer", "partner", True)
    nadia = client(app, ("nadia", "nadia-password"))
    assert "nadia" in nadia.get("/").text


def test_csrf_is_required(site: tuple[Any, Settings]) -> None:
    app, settings = site
    c = client(app)
    vera = uid(settings, "vera")
    form = {"name": "sneaky", "role": "admin", "password": "sneaky-password", "password2": "sneaky-password"}
    assert c.post("/admin/users", data=form).status_code == 403
    assert c.post("/admin/users", data={**form, "csrf_token": "wrong"}).status_code == 403
    assert c.post(f"/admin/users/{vera}/role", data={"role": "admin", "csrf_token": "wrong"}).status_code == 403
    assert c.post(f"/admin/users/{vera}/active", data={"active": "false"}).status_code == 403
    assert user_row(settings, "sneaky") is None
    u = user_row(settings, "vera")
    assert (u.role, u.active) == ("viewer", True)


def test_role_clearance_disable_enable_and_password(site: tuple[Any, Settings]) -> None:
    app, settings = site
    c = client(app)
    vera_client = client(app, VERA)
    vera = uid(settings, "vera")
    token = csrf(c)
    r = c.post(f"/admin/users/{vera}/role", data={"role": "analyst", "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/admin/users/{vera}?done=role"
    r = c.post(f"/admin/users/{vera}/clearance", data={"clearance": "partner", "csrf_token": token, "lang": "en"})
    assert r.status_code == 200 and "Clearance changed" in r.text and 'id="clearance">partners<' in r.text
    assert c.post(f"/admin/users/{vera}/role", data={"role": "boss", "csrf_token": token}).status_code == 400
    u = user_row(settings, "vera")
    assert (u.role, u.clearance) == ("analyst", "partner")

    r = c.post(f"/admin/users/{vera}/active", data={"active": "false", "csrf_token": token})
    assert r.status_code == 200 and "User disabled" in r.text  # English since ?lang=en (kept in a cookie)
    assert user_row(settings, "vera").active is False
    assert vera_client.get("/", follow_redirects=False).status_code == 303  # her session ended
    assert login(client(app, None), *VERA).status_code != 303
    c.post(f"/admin/users/{vera}/active", data={"active": "true", "csrf_token": token})
    assert user_row(settings, "vera").active is True

    r = c.post(f"/admin/users/{vera}/password", data={"password": "short", "password2": "short", "csrf_token": token})
    assert r.status_code == 400 and "too short" in r.text
    r = c.post(f"/admin/users/{vera}/password",
               data={"password": "vera-new-password", "password2": "vera-new-password", "csrf_token": token})
    assert r.status_code == 200 and "Password changed" in r.text
    assert login(client(app, None), *VERA).status_code != 303
    assert login(client(app, None), "vera", "vera-new-password").status_code == 303
    assert c.get("/admin/users/999999").status_code == 404


def test_the_last_admin_cannot_demote_or_disable_themselves(site: tuple[Any, Settings]) -> None:
    app, settings = site
    c = client(app)
    root = uid(settings, "root")
    token = csrf(c)
    r = c.post(f"/admin/users/{root}/role", data={"role": "viewer", "csrf_token": token, "lang": "en"})
    assert r.status_code == 400 and "last active administrator" in r.text
    r = c.post(f"/admin/users/{root}/active", data={"active": "false", "csrf_token": token})
    assert r.status_code == 400 and "last active administrator" in r.text
    u = user_row(settings, "root")
    assert (u.role, u.active) == ("admin", True)
    assert c.post(f"/admin/users/{root}/clearance", data={"clearance": "public", "csrf_token": token}).status_code == 200
    # with a second admin, stepping down is allowed; the page then refuses them
    c.post(f"/admin/users/{uid(settings, 'rima')}/role", data={"role": "admin", "csrf_token": token})
    r = c.post(f"/admin/users/{root}/role", data={"role": "reviewer", "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    assert user_row(settings, "root").role == "reviewer"
    assert c.get("/admin/users").status_code == 403


def test_token_shown_once_works_as_bearer_until_revoked(site: tuple[Any, Settings]) -> None:
    app, settings = site
    c = client(app)
    vera = uid(settings, "vera")
    token = csrf(c)
    r = c.post(f"/admin/users/{vera}/tokens", data={"label": "field laptop", "csrf_token": token})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    secret = re.search(r'id="new-token" type="text" readonly value="(bay_[^"]+)"', r.text)
    assert secret, r.text[-1500:]
    bearer = {"Authorization": f"Bearer {secret.group(1)}"}
    api = TestClient(app)
    assert api.get("/api/documents", headers=bearer).status_code == 200
    page = c.get(f"/admin/users/{vera}").text
    assert secret.group(1) not in page and secret.group(1)[:12] in page and "field laptop" in page
    assert secret.group(1) not in c.get("/admin/users").text
    tok_id = int(re.search(r'id="token-(\d+)"', page).group(1))  # type: ignore[union-attr]
    assert c.post(f"/admin/tokens/{tok_id}/revoke", data={}).status_code == 403  # no CSRF token
    r = c.post(f"/admin/tokens/{tok_id}/revoke", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/admin/users/{vera}?done=revoked"
    assert api.get("/api/documents", headers=bearer).status_code == 401
    page = c.get(r.headers["location"]).text
    assert 'data-action="revoke"' not in page and "أُلغي الرمز" in page
    assert c.post("/admin/tokens/999999/revoke", data={"csrf_token": token}).status_code == 404
    # a disabled user gets no new token
    c.post(f"/admin/users/{vera}/active", data={"active": "false", "csrf_token": token})
    r = c.post(f"/admin/users/{vera}/tokens", data={"csrf_token": token})
    assert r.status_code == 400 and "disabled" in r.text
