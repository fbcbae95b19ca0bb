"""``bayyina serve``: run the web application with uvicorn."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from bayyina.cli.vault_cmds import HomeOpt


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port to listen on."),
    home: Path | None = HomeOpt,
) -> None:
    """Serve the bayyina web app (http://HOST:PORT/): pages, JSON API, OpenAPI docs at /docs."""
    import uvicorn

    from bayyina.web.app import create_app

    if home is not None:
        # the app factory reads its settings from the environment (bayyina.settings)
        os.environ["BAYYINA_HOME"] = str(home.expanduser().absolute())
    typer.echo(f"bayyina: serving on http://{host}:{port}/ (Ctrl-C to stop)")
    uvicorn.run(create_app, factory=True, host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``bayyina`` command."""
    app.command("serve")(serve)
