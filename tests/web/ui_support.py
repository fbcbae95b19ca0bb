"""Helpers of the web tests: a fresh home on SQLite with the app over it, users of a given role with an
API token when the login area is installed, and reports written here (upload, review, map); the
database of a fixture parametrised over SQLite and PostgreSQL, and a home seeded through the CLI
(``init``, ``ingest``, ``incidents resolve``) for the module-scoped homes."""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
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

# ``params`` of a fixture that runs its tests once on SQLite and once on PostgreSQL (see database_for)
DATABASES = [pytest.param("sqlite", id="sqlite"), pytest.param("postgres", id="postgres", marks=pytest.mark.postgres)]


def database_for(request: pytest.FixtureRequest, base: Path) -> str:
    """The URL of an empty database for a fixture parametrised with ``DATABASES``.

    ``sqlite``: the file ``base/bayyina.db``. ``postgres``: a fresh database of the session's
    throw-away cluster, dropped when the fixture is torn down (after its own teardown).
    """
    if request.param == "sqlite":
        return f"sqlite:///{base / 'bayyina.db'}"
    cluster = request.getfixturevalue("_pg_cluster_obj")
    name = cluster.create_database()

    def drop() -> None:
        with contextlib.suppress(Exception):  # a leftover database dies with the cluster anyway
            cluster.drop_database(name)

    request.addfinalizer(drop)
    return f"{cluster.url}/{name}"


def seed_through_cli(base: Path, database_url: str, user: str,
                     batches: Iterable[tuple[Mapping[str, tuple[str, str]], Sequence[str]]]) -> dict[str, Path]:
    """``bayyina init`` of ``base/home`` on ``database_url``; each batch's reports (file name -> (outlet
    URL, text)) written under ``base/in`` and ingested with the batch's extra ``ingest`` options;
    ``incidents resolve``. Every command must succeed. The written files by name, in order."""
    from typer.testing import CliRunner

    from bayyina.cli.main import app as cli_app

    env = {"BAYYINA_HOME": str(base / "home"), "BAYYINA_DATABASE_URL": database_url, "BAYYINA_USER": user}
    runner = CliRunner()

    def ok(*args: str) -> None:
        result = runner.invoke(cli_app, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output

    ok("init")
    inbox = base / "in"
    inbox.mkdir(exist_ok=True)
    files: dict[str, Path] = {}
    for reports, extra in batches:
        for name, (outlet, text) in reports.items():
            files[name] = inbox / name
            files[name].write_text(text, encoding="utf-8")
            ok("ingest", *extra, "--source-url", outlet, str(files[name]))
    ok("incidents", "resolve")
    return files


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
