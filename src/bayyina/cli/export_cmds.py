"""``bayyina export csv|geojson|ftm OUT``: the register for people outside bayyina.

A thin wrapper over :mod:`bayyina.share.exports`; only what
``--max-sensitivity`` (default ``public``) allows is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from bayyina.cli.common import run_transaction
from bayyina.cli.vault_cmds import HomeOpt, out


def export_cmd(
    fmt: Annotated[str, typer.Argument(help="csv, geojson or ftm.")],
    dest: Annotated[Path, typer.Argument(help="The file to write.")],
    table: Annotated[str, typer.Option("--table", help="csv: incidents, actors or designations.")] = "incidents",
    max_sensitivity: Annotated[str, typer.Option("--max-sensitivity", help="public, partner or restricted.")] = "public",
    place: Annotated[str | None, typer.Option("--place", help="Place name (English or Arabic, part of it).")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Dates overlapping from this day (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Dates overlapping up to this day (YYYY-MM-DD).")] = None,
    agent: Annotated[str | None, typer.Option("--agent", help="Agent code, e.g. chlorine.")] = None,
    bom: Annotated[bool, typer.Option("--bom", help="csv: start with a UTF-8 BOM (for Excel).")] = False,
    home: Path | None = HomeOpt,
) -> None:
    """Export incidents, actors or designations as CSV, GeoJSON (RFC 7946) or FollowTheMoney."""
    from bayyina.share.exports import export
    from bayyina.share.records import ShareError
    from bayyina.store.sensitivity import SensitivityError

    res = run_transaction(home, lambda s, u: export(
        s, fmt.lower(), dest, clearance=max_sensitivity, table=table, bom=bom, place=place, date_from=date_from,
        date_to=date_to, agent=agent), (ShareError, SensitivityError))
    what = "entities" if res.fmt == "ftm" else ("features" if res.fmt == "geojson" else f"rows of {table}")
    out.print(f"{res.rows} {what} written to {escape(str(res.path))}"
              + (f"; {res.withheld} incidents above {max_sensitivity} left out" if res.withheld else ""))


def register(app: typer.Typer) -> None:
    """Add ``export``."""
    app.command("export")(export_cmd)
