"""Helpers of the web UI tests (upload, review, map): a fresh home on SQLite with the app over it,
users of a given role with an API token when the login area is installed, and reports written here."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient

from bayyina.settings import Settings

# A short news-style report written for these tests (not from any corpus).
CHLORINE_AR = (
    "سراقب، سوريا (وكالة الأنباء المحلية) - قال مسعفون إن مروحية تابعة للنظام ألقت برميلاً متفجراً محملاً "
    "بغاز الكلور على بلدة سراقب في ريف إدلب الشرقي يوم الرابع من شباط 2018، ما أدى إلى إصابة 11 شخصاً "
    "بحالات اختناق، بينهم أطفال، نُقلوا إلى مستشفى ميداني قريب.\n"
)
CHLORINE_EN = (
    "SARAQIB, Syria, Feb 5, 2018 - A helicopter dropped a barrel bomb carrying chlorine gas on the town of "
    "Saraqib in Idlib province on Sunday, February 4, 2018, injuring 11 people, rescue workers said.\n"
)

AUTH_INSTALLED = importlib.util.find_spec("bayyina.web.auth") is not None


@dataclass
class App:
    """A fresh home and a client of the app over it."""

    client: TestClient
    settings: Settings
    base: Path

    def headers(self, role: str) -> dict[str, str]:
        """Request headers of a user with ``role`` (an API token), or none before logins exist."""
        return user_headers(self.settings, role)


def user_headers(settings: Settings, role: str, name: str | None = None) -> dict[str, str]:
    """Create a user of ``role`` with an API token; ``{}`` when the login area is not installed."""
    if not AUTH_INSTALLED:
        return {}
    from bayyina.vault.home import Home
    from bayyina.web import auth

    who = name or f"{role}-tester"
    h = Home.open(settings)
    try:
        with h.session() as s:
            if auth.get_user(s, who) is None:
                auth.add_user(s, who, role, "correct horse battery")
            _, token = auth.create_token(s, who, "tests")
            s.commit()
    finally:
        h.close()
    return {"Authorization": f"Bearer {token}"}


def fresh_app(base: Path, database_url: str | None = None) -> Iterator[App]:
    """``bayyina init`` under ``base`` (SQLite unless ``database_url`` is given), then the app over it."""
    from bayyina.vault.home import init_home
    from bayyina.web.app import create_app

    settings = Settings.load(home=base / "home", database_url=database_url or f"sqlite:///{base / 'bayyina.db'}",
                             user="ui-tester")
    init_home(settings)
    with TestClient(create_app(settings)) as client:
        yield App(client, settings, base)
