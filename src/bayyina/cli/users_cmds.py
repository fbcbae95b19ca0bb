"""User commands: ``bayyina users add|list|set-role|set-clearance|passwd|disable|enable`` and
``bayyina users token create|list|revoke``.

Passwords never go on the command line: ``users add`` and ``users passwd``
read one from a hidden prompt (asked twice), or with ``--password-stdin`` the
first line of standard input (for scripts, e.g. ``make demo``). An API token
is printed once by ``users token create``; only its SHA-256 is stored. Thin
wrappers over :mod:`bayyina.web.auth`; a refused operation prints one
``error:`` line and exits 1.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy.orm import Session

from bayyina.cli.common import print_rows, run_transaction
from bayyina.cli.vault_cmds import HomeOpt, err, out

users_app = typer.Typer(help="Web users: roles, clearance, passwords, API tokens.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens (Authorization: Bearer) for the JSON API.", no_args_is_help=True)

StdinOpt = typer.Option(False, "--password-stdin", help="Read the password from the first line of stdin.")


def _refused() -> tuple[type[Exception], ...]:
    from bayyina.web.auth import AuthError

    return (AuthError,)


def _password(from_stdin: bool) -> str:
    from bayyina.web.auth import AuthError, check_password

    if from_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    try:
        return check_password(password)
    except AuthError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(1) from exc


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="User name (letters, digits, . _ @ + -).")],
    role: str = typer.Option(..., "--role", "-r", help="viewer, analyst, reviewer or admin."),
    clearance: str | None = typer.Option(None, "--clearance",
                                         help="public, partner or restricted (default: restricted for "
                                              "admins, public otherwise)."),
    password_stdin: bool = StdinOpt,
    exist_ok: bool = typer.Option(False, "--exist-ok", help="A user of that name already existing is not an error "
                                                            "(it is left unchanged)."),
    home: Path | None = HomeOpt,
) -> None:
    """Create a user; the password is asked for (or read with --password-stdin)."""
    from bayyina.web.auth import check_clearance, check_name, check_role, get_user

    def exists(s: Session, _who: str) -> bool:
        check_role(role)
        if clearance is not None:
            check_clearance(clearance)
        return get_user(s, check_name(name)) is not None

    if run_transaction(home, exists, _refused()):
        if exist_ok:
            out.print(f"user {escape(name)} exists: left unchanged")
            return
        err.print(f"[red]error:[/red] user {escape(name)!r} already exists")
        raise typer.Exit(1)
    password = _password(password_stdin)

    def go(s: Session, _who: str) -> str:
        from bayyina.web.auth import add_user

        u = add_user(s, name, role, password, clearance)
        return f"user {u.name} added: role {u.role}, clearance {u.clearance}"

    out.print(escape(run_transaction(home, go, _refused())))


@users_app.command("list")
def list_cmd(home: Path | None = HomeOpt) -> None:
    """The users, their roles, clearance and whether they may log in."""
    from bayyina.web.auth import list_tokens, list_users

    def go(s: Session, _who: str) -> list[tuple[str, str, str, bool, int, str]]:
        live: dict[str, int] = {}
        for t, u in list_tokens(s):
            if t.revoked_at is None:
                live[u.name] = live.get(u.name, 0) + 1
        return [(u.name, u.role, u.clearance, u.active, live.get(u.name, 0), u.created_at.strftime("%Y-%m-%d"))
                for u in list_users(s)]

    rows = run_transaction(home, go, _refused())
    table = Table(title=f"users ({len(rows)})")
    for col in ("name", "role", "clearance", "active", "tokens", "created"):
        table.add_column(col)
    for name, role, level, active, tokens, created in rows:
        table.add_row(escape(name), role, level, "yes" if active else "disabled", str(tokens), created)
    out.print(table)


@users_app.command("set-role")
def set_role_cmd(name: str, role: Annotated[str, typer.Argument(help="viewer, analyst, reviewer or admin.")],
                 home: Path | None = HomeOpt) -> None:
    """Change a user's role."""
    from bayyina.web.auth import set_role

    def go(s: Session, _who: str) -> str:
        u = set_role(s, name, role)
        return f"user {u.name}: role {u.role} (clearance {u.clearance})"

    out.print(escape(run_transaction(home, go, _refused())))


@users_app.command("set-clearance")
def set_clearance_cmd(name: str,
                      level: Annotated[str, typer.Argument(help="public, partner or restricted.")],
                      home: Path | None = HomeOpt) -> None:
    """Change a user's clearance (the most sensitive material they may see)."""
    from bayyina.web.auth import set_clearance

    def go(s: Session, _who: str) -> str:
        u = set_clearance(s, name, level)
        return f"user {u.name}: clearance {u.clearance}"

    out.print(escape(run_transaction(home, go, _refused())))


@users_app.command("passwd")
def passwd(name: str, password_stdin: bool = StdinOpt, home: Path | None = HomeOpt) -> None:
    """Set a new password (the user's open login sessions end)."""
    from bayyina.web.auth import need_user, set_password

    run_transaction(home, lambda s, _w: need_user(s, name).id, _refused())
    password = _password(password_stdin)
    run_transaction(home, lambda s, _w: set_password(s, name, password).id, _refused())
    out.print(f"user {escape(name)}: password changed")


@users_app.command("disable")
def disable(name: str, home: Path | None = HomeOpt) -> None:
    """Stop a user from logging in; their sessions end and their API tokens stop working."""
    from bayyina.web.auth import set_active

    run_transaction(home, lambda s, _w: set_active(s, name, False).id, _refused())
    out.print(f"user {escape(name)} disabled")


@users_app.command("enable")
def enable(name: str, home: Path | None = HomeOpt) -> None:
    """Let a disabled user log in again."""
    from bayyina.web.auth import set_active

    run_transaction(home, lambda s, _w: set_active(s, name, True).id, _refused())
    out.print(f"user {escape(name)} enabled")


@token_app.command("create")
def token_create(name: str, label: str = typer.Option("", "--label", help="What the token is for."),
                 home: Path | None = HomeOpt) -> None:
    """Create an API token for a user and print it (once: it cannot be shown again)."""
    from bayyina.web.auth import create_token

    def go(s: Session, _who: str) -> tuple[int, str]:
        tok, text = create_token(s, name, label)
        return tok.id, text

    tid, text = run_transaction(home, go, _refused())
    err.print(f"API token {tid} for {escape(name)} (shown once; send it as 'Authorization: Bearer <token>'):")
    print(text)


@token_app.command("list")
def token_list(name: str | None = typer.Argument(None, help="Only this user's tokens."),
               home: Path | None = HomeOpt) -> None:
    """API tokens: id, user, prefix, label, created, revoked."""
    from bayyina.web.auth import list_tokens

    def go(s: Session, _who: str) -> list[tuple[str, ...]]:
        return [(str(t.id), u.name, t.prefix + "…", t.label, t.created_at.strftime("%Y-%m-%d %H:%M"),
                 t.revoked_at.strftime("%Y-%m-%d %H:%M") if t.revoked_at else "")
                for t, u in list_tokens(s, name)]

    rows = run_transaction(home, go, _refused())
    print_rows(f"API tokens ({len(rows)})", ("id", "user", "prefix", "label", "created", "revoked"), rows)


@token_app.command("revoke")
def token_revoke(ref: Annotated[str, typer.Argument(help="Token id or prefix (see `users token list`).")],
                 home: Path | None = HomeOpt) -> None:
    """Revoke an API token (it stops working at once)."""
    from bayyina.web.auth import revoke_token

    tid = run_transaction(home, lambda s, _w: revoke_token(s, ref).id, _refused())
    out.print(f"API token {tid} revoked")


def register(app: typer.Typer) -> None:
    """Add ``bayyina users ...`` to the main app."""
    users_app.add_typer(token_app, name="token")
    app.add_typer(users_app, name="users")
