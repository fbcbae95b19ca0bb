"""``bayyina serve``: run the web application with uvicorn."""

from __future__ import annotations

import typer


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port to listen on."),
) -> None:
    """Serve the bayyina web app (http://HOST:PORT/)."""
    import uvicorn

    from bayyina.web.app import create_app

    typer.echo(f"bayyina: serving on http://{host}:{port}/ (Ctrl-C to stop)")
    uvicorn.run(create_app, factory=True, host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``bayyina`` command."""
    app.command("serve")(serve)
