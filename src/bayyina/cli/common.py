"""What every command area shares: one transaction around a service call, a table of rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy.orm import Session

from bayyina.cli.vault_cmds import _open, err, out

if TYPE_CHECKING:
    from bayyina.vault.home import Home

T = TypeVar("T")


def run_transaction(home: Path | None, fn: Callable[[Session, str], T], refused: tuple[type[Exception], ...], *,
                    before: Callable[[Home], object] | None = None,
                    after: Callable[[Home], object] | None = None) -> T:
    """Run ``fn(session, user)`` in one transaction (the user is ``BAYYINA_USER``).

    An exception of a ``refused`` type is bad input: it rolls back, prints one
    ``error:`` line with the reason and exits 1. Anything else rolls back and
    propagates. ``before`` / ``after`` run with the opened home outside the
    transaction: before it starts, and after it commits (not when it fails).
    """
    h = _open(home)
    try:
        if before is not None:
            before(h)
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
        if after is not None:
            after(h)
    finally:
        h.close()
    return result


def print_rows(title: str, columns: Iterable[str], rows: Sequence[Sequence[str]]) -> None:
    """Print ``rows`` (plain strings, escaped here) as a table with folding columns."""
    table = Table(title=title)
    for col in columns:
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(*map(escape, r))
    out.print(table)
