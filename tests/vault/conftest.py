"""Fixtures of the vault tests: an initialised, opened home on SQLite (and PostgreSQL via ``database_url``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bayyina.vault.home import Home
from tests.vault.samples import open_home


@pytest.fixture
def vhome(home: Path) -> Iterator[Home]:
    """An initialised home with its SQLite database inside it."""
    h = open_home()
    yield h
    h.close()


@pytest.fixture
def dbhome(database_url: str) -> Iterator[Home]:
    """An initialised home on each database of ``database_url`` (SQLite, PostgreSQL)."""
    h = open_home()
    yield h
    h.close()
