"""A real bayyina home for the web tests, built once per module and database:
``init``, three reports written here ingested through the CLI (two outlets on the
Douma attack, one in Arabic; one on Khan Shaykhun), ``incidents resolve``, an
actor with a relation and a designation expiring in ten days through the
services, an admin user; then the app over it (``create_app(settings)``) in a
TestClient logged in as that admin.

Passwords are hashed with cheap argon2 parameters here (``BAYYINA_ARGON2=fast``,
a setting for tests only)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.ui_support import DATABASES, database_for, seed_through_cli

os.environ["BAYYINA_ARGON2"] = "fast"

ADMIN = ("admin", "admin-password-1")


def login(client: TestClient, name: str, password: str, next_url: str = "/") -> Any:
    """Log ``client`` in through the login form (its CSRF cookie and hidden field); the POST's response."""
    page = client.get("/login")
    assert page.status_code == 200, page.text
    token = client.cookies.get("bayyina_csrf")
    return client.post("/login", data={"username": name, "password": password, "next": next_url,
                                       "csrf_token": token}, follow_redirects=False)


def add_user(url: str, home: Path, name: str, password: str, role: str, clearance: str | None = None) -> None:
    """Create a user directly through the service (fast; the CLI is tested in tests/cli/test_users.py)."""
    from bayyina.settings import Settings
    from bayyina.vault.home import Home
    from bayyina.web.auth import add_user as add

    h = Home.open(Settings.load(home=home, database_url=url))
    try:
        with h.session() as s:
            add(s, name, role, password, clearance)
            s.commit()
    finally:
        h.close()


REPORTS: dict[str, tuple[str, str]] = {
    # file name -> (outlet URL, text)
    "douma_wire.txt": (
        "https://wire.example/",
        ("DOUMA, Syria, April 8, 2018 - A chlorine attack on the town of Douma in Eastern Ghouta killed at least "
        "42 people on Saturday, April 7, 2018, rescue workers said. Residents accused Syrian government "
        "helicopters of dropping barrel bombs carrying chlorine.\n"),
    ),
    "douma_ar.txt": (
        "https://arabic-daily.example/",
        ("قال مسعفون إن مروحيات النظام ألقت براميل محملة بغاز الكلور على مدينة دوما في الغوطة الشرقية "
        "يوم السابع من نيسان 2018، ما أدى إلى مقتل 45 مدنياً.\n"),
    ),
    "khan_shaykhun.txt": (
        "https://monitor.example/",
        ("On April 4, 2017, an air strike with sarin on Khan Shaykhun in Idlib province killed at least 86 "
        "people, according to doctors in the town.\n"),
    ),
}


@dataclass
class Site:
    """The seeded home and a client of the app over it."""

    client: TestClient
    home: Path
    database_url: str
    files: dict[str, Path]
    doc_ids: dict[str, int] = field(default_factory=dict)
    actor_ids: dict[str, int] = field(default_factory=dict)
    designation_id: int = 0


@pytest.fixture(scope="module", params=DATABASES)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A home with three ingested reports, resolved incidents, an actor and a designation."""
    from bayyina.resolve.actors import add_actor, relate
    from bayyina.sanctions.designations import add_designation
    from bayyina.settings import Settings
    from bayyina.vault.home import Home
    from bayyina.web.app import create_app

    base = tmp_path_factory.mktemp("web")
    home = base / "home"
    url = database_for(request, base)
    files = seed_through_cli(base, url, "web-tester", [(REPORTS, [])])

    settings = Settings.load(home=home, database_url=url, user="web-tester")
    h = Home.open(settings)
    actor_ids: dict[str, int] = {}
    try:
        with h.session() as s:
            unit = add_actor(s, who="web-tester", kind="unit", name_en="Tiger Forces", name_ar="قوات النمر",
                             why="test").actor
            person = add_actor(s, who="web-tester", kind="person", name_en="Suhail al-Hassan",
                               name_ar="سهيل الحسن", why="test").actor
            relate(s, who="web-tester", subject=person, rel_type="commands", obj=unit, start="2015-01-01",
                   source="test", why="test")
            today = date.today()
            d = add_designation(s, who="web-tester", authority="EU", programme="EU chemical weapons regime",
                                actor=unit, measure_names=["asset freeze"], start=today - timedelta(days=300),
                                until=today + timedelta(days=10), why="test")
            s.commit()
            actor_ids = {"unit": unit.id, "person": person.id}
            designation_id = d.id
    finally:
        h.close()

    add_user(url, home, *ADMIN, role="admin")
    with TestClient(create_app(Settings.load(home=home, database_url=url))) as client:
        assert login(client, *ADMIN).status_code == 303
        docs = client.get("/api/documents").json()
        doc_ids = {Path(d["original_filename"]).name: d["id"] for d in docs}
        yield Site(client, home, url, files, doc_ids, actor_ids, designation_id)
