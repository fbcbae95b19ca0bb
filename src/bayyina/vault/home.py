"""A bayyina home: data directory, vault, keys and database, opened together.

``init_home`` lays the home out (idempotent: never replaces a key or a blob)
and migrates the database; ``Home.open`` refuses a home that was not
initialised, or whose database lags behind the shipped migrations, with a
message that says to run ``bayyina init`` (which upgrades it). The schema of
an evidence database is never changed behind the user's back by a read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bayyina.settings import Settings
from bayyina.store.db import MIGRATIONS_DIR, current_revision, make_engine, migrate, session_factory
from bayyina.vault.blobs import Vault
from bayyina.vault.keys import PUBLIC_NAME, ensure_keys


class NotInitialized(Exception):
    """The home or its database has not been set up (or upgraded) with ``bayyina init``."""


@lru_cache(maxsize=1)
def _known_revisions() -> tuple[str | None, frozenset[str]]:
    """(head revision, every revision) of the migrations shipped with this bayyina."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(cfg)
    return script.get_current_head(), frozenset(r.revision for r in script.walk_revisions())


def schema_problem(current: str | None) -> str | None:
    """Why a database at revision ``current`` cannot be used by this bayyina, or None."""
    head, known = _known_revisions()
    if current is None:
        return "the database has no bayyina schema; run `bayyina init` first"
    if current == head:
        return None
    if current not in known:
        return (f"the database is at revision {current}, which this bayyina does not know "
                f"(newest known: {head}); use a newer bayyina")
    return f"run `bayyina init` to upgrade the database (current {current}, needed {head})"


@dataclass
class InitReport:
    """What ``init`` did."""

    home: Path
    database_url: str
    new_keys: bool
    revision: str | None


@dataclass
class Home:
    """Everything a service needs: settings, vault, engine, sessions."""

    settings: Settings
    engine: Engine
    vault: Vault
    _sessions: sessionmaker[Session] = field(repr=False)

    @property
    def keys_dir(self) -> Path:
        """The custody key directory."""
        return self.settings.keys_dir

    def session(self) -> Session:
        """A new ORM session."""
        return self._sessions()

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    @classmethod
    def open(cls, settings: Settings, *, require_init: bool = True) -> Home:
        """Open an initialised home (or any home when ``require_init`` is False)."""
        engine = make_engine(settings.database_url)
        home = cls(settings, engine, Vault(settings.vault_dir), session_factory(engine))
        if require_init:
            problem = None
            if not (settings.keys_dir / PUBLIC_NAME).exists():
                problem = f"no custody keys in {settings.keys_dir}; run `bayyina init` first"
            else:
                try:
                    problem = schema_problem(current_revision(engine))
                except SQLAlchemyError as exc:
                    problem = f"cannot open the database ({exc.__class__.__name__}); run `bayyina init` first"
            if problem:
                engine.dispose()
                raise NotInitialized(f"{settings.home}: {problem}")
        return home


def init_home(settings: Settings) -> InitReport:
    """Create the home layout, the key pair (if absent) and migrate the database."""
    settings.home.mkdir(parents=True, exist_ok=True)
    vault = Vault(settings.vault_dir)
    vault.create()
    new_keys = ensure_keys(settings.keys_dir)
    engine = make_engine(settings.database_url)
    try:
        migrate(engine)
        rev = current_revision(engine)
    finally:
        engine.dispose()
    return InitReport(settings.home, settings.database_url, new_keys, rev)
