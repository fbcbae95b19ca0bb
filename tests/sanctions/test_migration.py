"""Migration 0003 (actors and sanctions) goes down and up again on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from bayyina.settings import Settings
from bayyina.store.db import MIGRATIONS_DIR, current_revision, make_engine, migrate

TABLES = {"actors", "actor_relations", "designations", "designation_events", "changes"}


def _alembic(engine: object, fn: str, rev: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:  # type: ignore[attr-defined]
        cfg.attributes["connection"] = conn
        getattr(command, fn)(cfg, rev)


def test_0003_down_and_up(database_url: str) -> None:
    engine = make_engine(Settings.load().database_url)
    try:
        migrate(engine)
        assert TABLES <= set(inspect(engine).get_table_names())
        _alembic(engine, "downgrade", "0002_resolve")
        assert current_revision(engine) == "0002_resolve"
        left = set(inspect(engine).get_table_names())
        assert not TABLES & left and "incidents" in left
        migrate(engine)
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        assert current_revision(engine) == ScriptDirectory.from_config(cfg).get_current_head()
        assert TABLES <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
