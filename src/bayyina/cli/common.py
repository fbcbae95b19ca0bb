"""What every command area shares: one transaction around a service call."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import typer
from rich.markup import escape
from sqlalchemy.orm import Session

from bayyina.cli.vault_cmds import _open, err

T = TypeVar("T")


def run_transaction(home: Path | None, fn: Callable[[Session, str], T], refused: tuple[type[Exception], ...]) -> T:
    """Run ``fn(session, user)`` in one transaction (the user is ``BAYYINA_USER``).

    An exception of a ``refused`` type is bad input: it rolls back, prints one
    ``error:`` line with the reason and exits 1. Anything else rolls back and
    propagates.
    """
    h = _open(home)
    try:
        with h.session() as s:
            try:
                result = fn(s, h.settings.user)
                s.commit()  # read-only runs commit nothing; commit keeps loaded rows usable
            except refused as exc:
                s.rollback()
                err.print(f"[red]error:[/red] {escape(str(exc))}")
                raise typer.Exit(1) from exc
            except BaseException:
                s.rollback()
                raise
    finally:
        h.close()
    return result
