"""Migration 0004 (search index) goes down and up again on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from bayyina.settings import Settings
from bayyina.store.db import MIGRATIONS_DIR, current_revision, make_engine, migrate


def _downgrade(engine: object, rev: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:  # type: ignore[attr-defined]
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, rev)


def test_0004_down_and_up(database_url: str) -> None:
    engine = make_engine(Settings.load().database_url)
    try:
        migrate(engine)
        assert "search_index" in inspect(engine).get_table_names()
        _downgrade(engine, "0003_actors_sanctions")
        assert current_revision(engine) == "0003_actors_sanctions"
        left = set(inspect(engine).get_table_names())
        assert "search_index" not in left and not any(t.startswith("search_fts") for t in left)
        migrate(engine)
        assert "search_index" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
