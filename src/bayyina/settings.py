"""Process-wide settings read from the environment.

* ``BAYYINA_HOME`` — the data directory (default ``./data``); a ``--home``
  option on the CLI overrides it.
* ``BAYYINA_DATABASE_URL`` — SQLAlchemy URL (default: SQLite file in the home).
* ``BAYYINA_USER`` — recorded as ``ingested_by`` / log actor (default: OS user).
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no passwd entry in some containers
        return os.environ.get("USER", "unknown")


@dataclass(frozen=True)
class Settings:
    """Where the data lives and who is acting."""

    home: Path
    database_url: str
    user: str

    @property
    def vault_dir(self) -> Path:
        """Root of the content-addressed store of originals."""
        return self.home / "vault"

    @property
    def keys_dir(self) -> Path:
        """Where the Ed25519 custody key pair lives."""
        return self.home / "keys"

    @classmethod
    def load(
        cls,
        home: Path | str | None = None,
        database_url: str | None = None,
        user: str | None = None,
    ) -> Settings:
        """Settings from explicit arguments, else the environment, else defaults."""
        home_path = Path(home or os.environ.get("BAYYINA_HOME") or "data").expanduser().absolute()
        url = database_url or os.environ.get("BAYYINA_DATABASE_URL") or f"sqlite:///{home_path / 'bayyina.sqlite3'}"
        who = user or os.environ.get("BAYYINA_USER") or _os_user()
        return cls(home=home_path, database_url=url, user=who)


def get_settings(home: Path | str | None = None) -> Settings:
    """Shortcut for :meth:`Settings.load` with an optional home override."""
    return Settings.load(home=home)
