"""The ``bayyina`` command: one Typer app; each area registers its commands.

Area modules (``vault_cmds``, ``extract_cmds``, ...) each expose
``register(app)``; business logic lives in the service layers, never here.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="bayyina",
    help="bayyina — evidence and accountability platform for chemical-weapons attacks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

AREAS = [
    "bayyina.cli.vault_cmds",
    "bayyina.cli.extract_cmds",
    "bayyina.cli.resolve_cmds",
    "bayyina.cli.actors_cmds",
    "bayyina.cli.sanctions_cmds",
    "bayyina.cli.serve_cmds",
    "bayyina.cli.search_cmds",
    "bayyina.cli.users_cmds",  # issue 6: users and API tokens
    "bayyina.cli.share_cmds",  # issue 7: keys, partner bundles
    "bayyina.cli.export_cmds",  # issue 7: csv / geojson / ftm exports
    "bayyina.cli.publish_cmds",  # issue 7: public names list, static site, dossiers
    "bayyina.cli.sensitivity_cmds",  # issue 6: span and field sensitivity marks
]

for _name in AREAS:
    try:
        _mod = importlib.import_module(_name)
    except ModuleNotFoundError as exc:  # an area not written yet
        if exc.name != _name:
            raise
        continue
    _mod.register(app)


def main() -> None:
    app()
