"""Search commands: ``bayyina search QUERY [--kind K] [--limit N] [--json]`` and ``bayyina search reindex``.

Thin wrappers over :mod:`bayyina.search`. Before answering, the index is
brought up to date (new documents, changed incidents and actors) in the same
transaction; ``bayyina search reindex`` rebuilds it whole. A query that cannot
be searched (empty, only punctuation, too long, unknown kind) prints one clear
``error:`` line and exits 1. To search for the word "reindex" itself, add a
space: ``bayyina search "reindex "``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from sqlalchemy.orm import Session

from bayyina.cli.common import run_transaction
from bayyina.cli.vault_cmds import HomeOpt, out


def search_cmd(
    query: Annotated[str, typer.Argument(help="Words to find (Arabic or English); 'reindex' rebuilds the index.")],
    kind: Annotated[list[str] | None, typer.Option("--kind", "-k", help="document, incident or actor (repeatable).")] = None,
    limit: int = typer.Option(20, "--limit", "-n", help="At most this many results."),
    as_json: bool = typer.Option(False, "--json", help="Print the results as JSON."),
    home: Path | None = HomeOpt,
) -> None:
    """Find documents, incidents and actors; spelling variants, clitics and prefixes match."""
    from bayyina.search.index import refresh, reindex
    from bayyina.search.service import Hit, SearchError, search

    if query == "reindex":
        def rebuild(s: Session, _user: str) -> str:
            st = reindex(s)
            return f"search index rebuilt: {st.added} records indexed"

        out.print(run_transaction(home, rebuild, (SearchError,)))
        return

    def go(s: Session, _user: str) -> list[Hit]:
        refresh(s)
        return search(s, query, kinds=kind or None, limit=limit, highlight="text")

    hits = run_transaction(home, go, (SearchError,))
    if as_json:
        out.print_json(json.dumps([h.as_dict() for h in hits], ensure_ascii=False))
        return
    if not hits:
        out.print("no results")
        return
    for h in hits:
        out.print(f"[bold]{h.kind} {h.id}[/bold]  {escape(h.title)}  [dim](score {h.score:.3f})[/dim]")
        out.print("    " + escape(h.snippet))


def register(app: typer.Typer) -> None:
    app.command("search")(search_cmd)
