"""The test infrastructure itself: the database fixtures reach real SQLite and PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text


def test_home_sets_environment(home: Path) -> None:
    assert home.is_dir()
    assert os.environ["BAYYINA_HOME"] == str(home)
    assert "BAYYINA_DATABASE_URL" not in os.environ


def test_database_url_connects(database_url: str) -> None:
    assert os.environ["BAYYINA_DATABASE_URL"] == database_url
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        engine.dispose()


def test_database_url_is_fresh_and_writable(database_url: str) -> None:
    """Each test gets an empty database; tables, inserts and Arabic text round-trip."""
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE infra_probe (id INTEGER PRIMARY KEY, label TEXT NOT NULL)"))
            conn.execute(
                text("INSERT INTO infra_probe (id, label) VALUES (:i, :l)"),
                [{"i": 1, "l": "خان شيخون"}, {"i": 2, "l": "Douma"}],
            )
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, label FROM infra_probe ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [(1, "خان شيخون"), (2, "Douma")]
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_pg_cluster_is_postgresql(pg_cluster: str) -> None:
    assert pg_cluster.startswith("postgresql+psycopg://")
    engine = create_engine(pg_cluster)
    try:
        with engine.connect() as conn:
            version = conn.execute(text("SHOW server_version_num")).scalar_one()
            encoding = conn.execute(text("SHOW server_encoding")).scalar_one()
        assert int(version) >= 120000
        assert encoding == "UTF8"
    finally:
        engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_postgres_create_insert_select(database_url: str) -> None:
    assert database_url.startswith("postgresql+psycopg://")
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(
                "CREATE TABLE probe (id SERIAL PRIMARY KEY, body JSONB NOT NULL, at TIMESTAMPTZ DEFAULT now())"
            ))
            conn.execute(text("INSERT INTO probe (body) VALUES (CAST(:b AS JSONB))"), {"b": '{"agent": "sarin"}'})
        with engine.connect() as conn:
            assert conn.execute(text("SELECT body->>'agent' FROM probe")).scalar_one() == "sarin"
            assert conn.execute(text("SELECT current_database()")).scalar_one().startswith("t_")
    finally:
        engine.dispose()


def test_shared_dir_present_or_skipped(shared_dir: Path) -> None:
    assert shared_dir.is_dir()
    assert shared_dir.name == "shared"


def test_cli_runs(cli: Any) -> None:
    result = cli("--help")
    assert result.exit_code == 0, result.output


def test_cli_uses_the_test_home(cli: Any, home: Path) -> None:
    """``cli`` puts ``--home`` on the subcommand (nested groups too), so the data lands in ``home``."""
    result = cli("init")
    assert result.exit_code == 0, result.output
    assert any(home.iterdir()), "init wrote nothing into the test home"
    listed = cli("documents", "list")
    assert listed.exit_code == 0, listed.output
