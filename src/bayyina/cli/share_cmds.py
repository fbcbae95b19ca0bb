"""Partner commands: ``keys show|export|trust|untrust|list`` and ``share export|import|list|check``.

Thin wrappers over :mod:`bayyina.share.trust` and :mod:`bayyina.share.bundle`.
The ``keys`` group is the one ``vault_cmds`` defines (``keys export-public``
stays there); the partner commands are added to it here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from bayyina.cli.common import run_transaction
from bayyina.cli.vault_cmds import HomeOpt, _open, _settings, err, keys_app, keys_export_public, out

share_app = typer.Typer(help="Partner bundles: signed BagIt exports and their import.", no_args_is_help=True)


def _fail(msg: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {escape(msg)}")
    return typer.Exit(code)


@keys_app.command("show")
def keys_show(home: Path | None = HomeOpt) -> None:
    """Show this instance's identity (key id and public key)."""
    from bayyina.share.trust import identity
    from bayyina.vault.keys import KeysError

    try:
        ident = identity(_settings(home).keys_dir)
    except (KeysError, OSError) as exc:
        raise _fail(str(exc), 2) from exc
    out.print(f"key id  {ident.key_id}")
    out.print(f"file    {ident.path}")
    out.print(ident.public_pem.rstrip(), markup=False)


keys_app.command("export", help="Export this instance's public key for partners (same as export-public).")(
    keys_export_public)


@keys_app.command("trust")
def keys_trust(
    partner: Annotated[str, typer.Argument(help="A name for the partner (e.g. ngo-b).")],
    keyfile: Annotated[Path, typer.Argument(help="The partner's public key (PEM), from `bayyina keys export`.")],
    home: Path | None = HomeOpt,
) -> None:
    """Trust a partner's key: bundles it signs can be imported (logged in the custody log)."""
    from bayyina.share.trust import TrustError, identity, trust
    from bayyina.vault.keys import KeysError

    try:
        own = identity(_settings(home).keys_dir).key_id
    except (KeysError, OSError):
        own = None
    row = run_transaction(home, lambda s, u: trust(s, partner, keyfile, who=u, own_key_id=own), (TrustError,))
    out.print(f"trusted {escape(row.partner)}: key {row.key_id}")


@keys_app.command("untrust")
def keys_untrust(
    partner: Annotated[str, typer.Argument(help="The partner name.")],
    key: Annotated[str | None, typer.Option("--key", help="Only the key whose id starts with this.")] = None,
    home: Path | None = HomeOpt,
) -> None:
    """Revoke trust in a partner's key(s) (kept as revoked; logged)."""
    from bayyina.share.trust import TrustError, untrust

    rows = run_transaction(home, lambda s, u: untrust(s, partner, who=u, key=key), (TrustError,))
    for r in rows:
        out.print(f"revoked {escape(r.partner)}: key {r.key_id}")


@keys_app.command("list")
def keys_list(home: Path | None = HomeOpt) -> None:
    """List partner keys (trusted and revoked)."""
    from bayyina.share.trust import partners

    rows = run_transaction(home, lambda s, u: [(r.partner, r.key_id, r.status, r.trusted_at, r.trusted_by)
                                               for r in partners(s)], ())
    t = Table(title=f"partner keys ({len(rows)})")
    for c in ("partner", "key id", "status", "trusted", "by"):
        t.add_column(c, overflow="fold")
    for p, k, st, at, by in rows:
        t.add_row(escape(p), k, st, at.strftime("%Y-%m-%d %H:%M"), escape(by))
    out.print(t)


@share_app.command("export")
def share_export(
    dest: Annotated[Path, typer.Argument(help="The bundle to write (a .zip).")],
    partner: Annotated[str, typer.Option("--for", help="The trusted partner the bundle is for.")],
    incident: Annotated[list[int] | None, typer.Option("--incident", help="Incident id (repeatable); default all.")] = None,
    max_sensitivity: Annotated[str, typer.Option("--max-sensitivity", help="public, partner or restricted.")] = "partner",
    expires: Annotated[str | None, typer.Option("--expires", help="Last valid day (YYYY-MM-DD, UTC).")] = None,
    home: Path | None = HomeOpt,
) -> None:
    """Write a signed BagIt bundle for a partner; material above --max-sensitivity is listed by hash only."""
    from bayyina.share.bundle import export_bundle
    from bayyina.share.records import ShareError
    from bayyina.share.trust import TrustError
    from bayyina.store.sensitivity import SensitivityError
    from bayyina.vault.keys import KeysError

    h = _open(home)
    try:
        rep = export_bundle(h, dest, partner=partner, incident_ids=incident, max_sensitivity=max_sensitivity,
                            expires=expires)
    except (ShareError, TrustError, SensitivityError, KeysError) as exc:
        raise _fail(str(exc)) from exc
    finally:
        h.close()
    out.print(f"bundle {dest} for {escape(rep.partner)}: {rep.documents} documents, {rep.incidents} incidents, "
              f"{rep.actors} actors, {rep.designations} designations, {rep.entries} custody entries")
    if rep.withheld:
        out.print(f"withheld (listed by hash only): {len(rep.withheld)}")
        for w in rep.withheld:
            out.print(f"  {w['kind']} {w['sha256'][:16]}…  {w['reason']}")
    out.print(f"sha256 {rep.sha256}")


@share_app.command("import")
def share_import(
    bundle: Annotated[Path, typer.Argument(help="A bundle (.zip) from a trusted partner.")],
    no_extract: bool = typer.Option(False, "--no-extract", help="Do not run incident extraction on new documents."),
    home: Path | None = HomeOpt,
) -> None:
    """Check a bundle (signature, BagIt, hashes, custody) and import it; refused bundles store nothing."""
    from bayyina.share.bundle import BundleRefused, import_bundle

    h = _open(home)
    try:
        rep = import_bundle(h, bundle, extract=not no_extract)
    except BundleRefused as exc:
        err.print(f"[red]refused:[/red] {escape(str(bundle))}: {escape(str(exc))}")
        raise typer.Exit(1) from exc
    finally:
        h.close()
    out.print(f"received from {escape(rep.partner)} (bundle sha256 {rep.bundle_sha256[:16]}…): "
              f"{rep.documents_new} new documents, {rep.documents_known} already stored, {rep.entries} sender "
              f"custody entries, {rep.records} records, {rep.actors_added} actors and {rep.designations_added} "
              f"designations added, {rep.withheld} withheld by the sender")
    if rep.span_marks or rep.field_marks or rep.field_marks_pending:
        out.print(f"sensitivity marks: {rep.span_marks} span marks made, {rep.field_marks} field marks made, "
                  f"{rep.field_marks_pending} field marks waiting for `bayyina incidents resolve`")
    for w in rep.warnings:
        err.print(f"[yellow]warning:[/yellow] {escape(w)}")


@share_app.command("list")
def share_list(home: Path | None = HomeOpt) -> None:
    """List the bundles received."""
    from bayyina.share.bundle import received_bundles

    rows = run_transaction(home, lambda s, u: [(b.id, b.partner, b.bundle_sha256, b.received_at, b.received_by,
                                                (b.manifest.get("counts") or {}), len(b.manifest.get("withheld") or []))
                                               for b in received_bundles(s)], ())
    t = Table(title=f"received bundles ({len(rows)})")
    for c in ("id", "from", "sha256", "received", "by", "documents", "incidents", "withheld"):
        t.add_column(c, overflow="fold")
    for i, p, sha, at, by, counts, wh in rows:
        t.add_row(str(i), escape(p), sha[:16], at.strftime("%Y-%m-%d %H:%M"), escape(by),
                  str(counts.get("documents", "-")), str(counts.get("incidents", "-")), str(wh))
    out.print(t)


@share_app.command("check")
def share_check(
    bundle_id: Annotated[int | None, typer.Argument(help="A received bundle id (default: all).")] = None,
    home: Path | None = HomeOpt,
) -> None:
    """Recheck received bundles: sender entries' hashes and chain, sender checkpoint signature; exit 1 on failure."""
    from bayyina.share.bundle import check_received

    problems = run_transaction(home, lambda s, u: check_received(s, bundle_id), ())
    for p in problems:
        out.print(f"[red]FAIL[/red] {escape(p)}")
    if problems:
        raise typer.Exit(1)
    out.print("[green]received bundles OK[/green]")


def register(app: typer.Typer) -> None:
    """Add ``share`` (the ``keys`` partner commands are already on vault_cmds' group)."""
    app.add_typer(share_app, name="share")
