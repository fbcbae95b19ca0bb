"""Search commands: ``bayyina search QUERY [--kind K] [--limit N] [--json]``,
``bayyina search reindex`` and ``bayyina search refresh``.

Thin wrappers over :mod:`bayyina.search`. The index is kept fresh when records
are written (ingest, resolve, actor edits: ``bayyina.search.index.keep_fresh``),
so a search only reads, through a read-only session (on SQLite it never takes
the write lock). ``bayyina search refresh`` indexes what a store written by an
older version left out (new or changed records); ``bayyina search reindex``
rebuilds the index whole. A query that cannot be searched (empty, only
punctuation, too long, unknown kind) prints one clear ``error:`` line and exits
1. To search for the word "reindex" or "refresh" itself, add a space:
``bayyina search "reindex "``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from sqlalchemy.orm import Session

from bayyina.cli.common import run_transaction
from bayyina.cli.vault_cmds import HomeOpt, _open, _settings, err, out

if TYPE_CHECKING:
    from bayyina.search.service import Hit


def search_cmd(
    query: Annotated[str, typer.Argument(help="Words to find (Arabic or English); 'reindex' rebuilds the index, "
                                                  "'refresh' indexes what older versions left out.")],
    kind: Annotated[list[str] | None, typer.Option("--kind", "-k", help="document, incident or actor (repeatable).")] = None,
    limit: int = typer.Option(20, "--limit", "-n", help="At most this many results."),
    as_json: bool = typer.Option(False, "--json", help="Print the results as JSON."),
    home: Path | None = HomeOpt,
) -> None:
    """Find documents, incidents and actors; spelling variants, clitics and prefixes match."""
    from bayyina.search.index import refresh, reindex
    from bayyina.search.service import SearchError

    if query == "reindex":
        def rebuild(s: Session, _user: str) -> str:
            st = reindex(s)
            return f"search index rebuilt: {st.added} records indexed"

        out.print(run_transaction(home, rebuild, (SearchError,)))
        return
    if query == "refresh":
        def catch_up(s: Session, _user: str) -> str:
            st = refresh(s)
            return (f"search index refreshed: {st.added} added, {st.updated} updated, {st.removed} removed, "
                    f"{st.unchanged} unchanged")

        out.print(run_transaction(home, catch_up, (SearchError,)))
        return

    hits = _read_only_search(home, query, kind or None, limit)
    if as_json:
        out.print_json(json.dumps([h.as_dict() for h in hits], ensure_ascii=False))
        return
    if not hits:
        out.print("no results")
        return
    for h in hits:
        out.print(f"[bold]{h.kind} {h.id}[/bold]  {escape(h.title)}  [dim](score {h.score:.3f})[/dim]")
        out.print("    " + escape(h.snippet))


def _read_only_search(home: Path | None, query: str, kinds: list[str] | None, limit: int) -> list[Hit]:
    """The hits of ``query`` read through a read-only session (``error:`` and exit 1 for a bad query).

    On SQLite the home is checked and searched through a reader engine (deferred
    ``BEGIN``, ``query_only``): a search never waits for, nor holds up, a writer.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from bayyina.search.service import SearchError, search
    from bayyina.store.db import current_revision, session_factory
    from bayyina.vault.home import schema_problem
    from bayyina.web.deps import read_engine

    settings = _settings(home)
    reader = read_engine(settings.database_url)  # None: PostgreSQL, where readers never block writers
    if reader is None:
        h = _open(home)
        make = h.session
    else:
        h = None
        try:
            problem = schema_problem(current_revision(reader))
        except SQLAlchemyError as exc:
            problem = f"cannot open the database ({exc.__class__.__name__}); run `bayyina init` first"
        if problem:
            reader.dispose()
            err.print(f"[red]error:[/red] {escape(f'{settings.home}: {problem}')}")
            raise typer.Exit(2)
        make = session_factory(reader)
    try:
        with make() as s:
            try:
                return search(s, query, kinds=kinds, limit=limit, highlight="text")
            except SearchError as exc:
                err.print(f"[red]error:[/red] {escape(str(exc))}")
                raise typer.Exit(1) from exc
            finally:
                s.rollback()
    finally:
        if reader is not None:
            reader.dispose()
        if h is not None:
            h.close()


def register(app: typer.Typer) -> None:
    app.command("search")(search_cmd)
