"""A bayyina home: data directory, vault, keys and database, opened together.

``init_home`` lays the home out (idempotent: never replaces a key or a blob)
and migrates the database; ``Home.open`` refuses a home that was not
initialised, with a message that says to run ``bayyina init``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bayyina.settings import Settings
from bayyina.store.db import current_revision, make_engine, migrate, session_factory
from bayyina.vault.blobs import Vault
from bayyina.vault.keys import PUBLIC_NAME, ensure_keys


class NotInitialized(Exception):
    """The home or its database has not been set up with ``bayyina init``."""


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
                problem = f"no custody keys in {settings.keys_dir}"
            else:
                try:
                    if current_revision(engine) is None:
                        problem = "the database has no bayyina schema"
                except SQLAlchemyError as exc:
                    problem = f"cannot open the database ({exc.__class__.__name__})"
            if problem:
                engine.dispose()
                raise NotInitialized(f"{settings.home}: {problem}; run `bayyina init` first")
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
