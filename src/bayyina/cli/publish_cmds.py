"""Publishing commands: ``bayyina publish release|list|diff|verify|site|translate`` and ``bayyina dossier``.

Thin wrappers over :mod:`bayyina.share.publish`, :mod:`bayyina.share.site`
and :mod:`bayyina.share.dossier`, each in one transaction (the acting user is
``BAYYINA_USER``). Refused input (unknown version, a directory that is not a
release, an unknown incident or actor) prints one ``error:`` line and exits 1;
a release that does not verify exits 1 with one line per problem.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.markup import escape
from sqlalchemy.orm import Session

from bayyina.cli.common import print_rows, run_transaction
from bayyina.cli.vault_cmds import HomeOpt, err, out

if TYPE_CHECKING:
    from bayyina.vault.home import Home

T = TypeVar("T")

publish_app = typer.Typer(help="Public names list: signed releases, diffs, verification, static site.",
                          no_args_is_help=True)


def _refused() -> tuple[type[Exception], ...]:
    from bayyina.resolve.actors import ActorError
    from bayyina.resolve.incidents import ResolveError
    from bayyina.sanctions.designations import SanctionsError
    from bayyina.share.publish import PublishError
    from bayyina.store.sensitivity import SensitivityError
    from bayyina.vault.keys import KeysError

    return (PublishError, SanctionsError, ActorError, ResolveError, SensitivityError, KeysError)


def run(home: Path | None, fn: Callable[[Session, str, Path], T], *, sign_before: bool = False,
        sign_after: bool = False) -> T:
    """``fn(session, user, keys_dir)`` in one :func:`run_transaction`; refused requests exit 1 with the reason.

    ``sign_before`` / ``sign_after``: sign the custody-log head before the call (so a dossier's
    appendix shows a checkpoint covering every entry it lists) or after the commit (so a release's
    custody entry is signed at once).
    """
    from bayyina.vault.checkpointing import checkpoint_now

    opened: list[Home] = []  # the home run_transaction opens: fn needs its keys directory

    def before(h: Home) -> None:
        opened.append(h)
        if sign_before:
            checkpoint_now(h)

    return run_transaction(home, lambda s, user: fn(s, user, opened[0].keys_dir), _refused(), before=before,
                           after=checkpoint_now if sign_after else None)


@publish_app.command("release")
def release(
    notes: str = typer.Option("", "--notes", help="Release notes (kept in the signed manifest)."),
    out_dir: Annotated[Path | None, typer.Option("--out", help="Also write the release files into this directory.")
                       ] = None,
    home: Path | None = HomeOpt,
) -> None:
    """Sign and store the next release of the published designations."""
    from bayyina.share.publish import create_release, manifest_of, write_release

    def go(s: Session, user: str, keys: Path) -> tuple[int, dict[str, object], list[Path]]:
        rel = create_release(s, keys, who=user, notes=notes)
        written = write_release(rel, out_dir, keys) if out_dir else []
        return rel.version, manifest_of(rel), written

    version, manifest, written = run(home, go, sign_after=True)
    counts = manifest["counts"]
    assert isinstance(counts, dict)
    out.print(f"release {version}: {counts['entities']} entities, {counts['designations']} designations, "
              f"{counts['incidents']} incidents; signed by key {str(manifest['key_id'])[:16]}…")
    files = manifest["files"]
    assert isinstance(files, dict)
    for name, meta in sorted(files.items()):
        out.print(f"  {name}  sha256 {meta['sha256']}  {meta['bytes']} bytes")
    if written:
        out.print(f"written to {escape(str(out_dir))}")


@publish_app.command("list")
def list_(home: Path | None = HomeOpt) -> None:
    """List the releases."""
    from bayyina.share.publish import list_releases, manifest_of

    def go(s: Session, _u: str, _k: Path) -> list[tuple[str, ...]]:
        rows: list[tuple[str, ...]] = []
        for r in list_releases(s):
            m = manifest_of(r)
            c = m.get("counts") or {}
            rows.append((str(r.version), str(m["created_at"]), r.created_by, str(c.get("entities", "")),
                         str(c.get("designations", "")), str(c.get("incidents", "")), r.key_id[:16], r.notes))
        return rows

    rows = run(home, go)
    print_rows(f"releases ({len(rows)})",
               ("version", "created", "by", "entities", "designations", "incidents", "key", "notes"), rows)


@publish_app.command("diff")
def diff(
    v1: Annotated[str, typer.Argument(help="Older release version.")],
    v2: Annotated[str, typer.Argument(help="Newer release version.")],
    fmt: str = typer.Option("text", "--format", help="text or json"),
    home: Path | None = HomeOpt,
) -> None:
    """Entities, designations and incidents added, removed and amended between two releases."""
    from bayyina.share.publish import PublishError, describe_item, diff_versions

    def go(s: Session, _u: str, _k: Path):  # type: ignore[no-untyped-def]
        if fmt not in ("text", "json"):
            raise PublishError(f"--format: {fmt!r} is not text or json")
        return diff_versions(s, v1, v2)

    d = run(home, go)
    if fmt == "json":
        out.print_json(json.dumps(d.as_dict(), ensure_ascii=False))
        return
    out.print(f"release {d.old} → {d.new}" + (": no change" if d.empty else ""))
    for coll in ("entities", "designations", "incidents"):
        for item in d.added[coll]:
            out.print(f"added     {escape(describe_item(coll, item))}")
        for item in d.removed[coll]:
            out.print(f"removed   {escape(describe_item(coll, item))}")
        for item in d.amended[coll]:
            fields = ", ".join(sorted(item["changes"]))
            out.print(f"amended   {coll[:-1] if coll != 'entities' else 'entity'} {escape(str(item['id']))}: "
                      f"{escape(fields)}")


@publish_app.command("verify")
def verify(
    target: Annotated[str, typer.Argument(help="A release directory, or a stored release version.")],
    key: Annotated[Path | None, typer.Option("--key", help="Public key PEM to check against (directory only; "
                                             "default: the directory's public_key.pem).")] = None,
    home: Path | None = HomeOpt,
) -> None:
    """Check a release's signature and the SHA-256 of its files; exit 1 if anything does not hold."""
    from bayyina.share.publish import PublishError, Verification, get_release, verify_dir, verify_release

    path = Path(target)
    if path.is_dir():
        try:
            v: Verification = verify_dir(path, key)
        except PublishError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}")
            raise typer.Exit(1) from exc
    else:
        v = run(home, lambda s, _u, keys: verify_release(get_release(s, target), keys))
    for p in v.problems:
        out.print(f"FAIL {escape(p)}")
    if v.ok:
        out.print(f"release {v.version}: signature valid (key {str(v.key_id)[:16]}…), "
                  f"{len(v.files)} file(s) match: {', '.join(v.files)}")
        return
    raise typer.Exit(1)


@publish_app.command("site")
def site(
    out_dir: Annotated[Path, typer.Argument(help="Directory to write the static site into.")],
    version: str | None = typer.Option(None, "--version", help="Release to render (default: the latest)."),
    base_url: str = typer.Option("", "--base-url", help="Public address of the site, for sitemap.xml."),
    home: Path | None = HomeOpt,
) -> None:
    """Render a release as a static Arabic / English / French site (no JavaScript)."""
    from bayyina.share.site import SiteReport, build_site

    rep: SiteReport = run(home, lambda s, _u, keys: build_site(s, out_dir, keys, version=version, base_url=base_url))
    out.print(f"site of release {rep.version}: {rep.pages} pages ({rep.entities} entities, {rep.incidents} incidents "
              f"× 3 languages) in {escape(str(rep.out))}")


@publish_app.command("translate")
def translate(
    designation: Annotated[str, typer.Argument(help="Designation id.")],
    reasons: str = typer.Option(..., "--reasons", help="The statement of reasons in that language."),
    lang: str = typer.Option("fr", "--lang", help="Language of the text (fr)."),
    why: str = typer.Option("", "--why", help="Why (kept in the custody log)."),
    home: Path | None = HomeOpt,
) -> None:
    """Set a designation's statement of reasons in French (English and Arabic: `sanctions amend`)."""
    from bayyina.sanctions.designations import get_designation
    from bayyina.share.publish import set_translation

    def go(s: Session, user: str, _k: Path) -> int:
        d = get_designation(s, designation)
        set_translation(s, d, lang=lang, text=reasons, who=user, why=why)
        return d.id

    did = run(home, go)
    out.print(f"designation #{did}: reasons ({lang}) recorded")


def dossier(
    target: Annotated[Path, typer.Argument(help="Output file: .pdf or .html.")],
    incident: int | None = typer.Option(None, "--incident", help="Incident id."),
    actor: str | None = typer.Option(None, "--actor", help="Actor id or exact name."),
    max_sensitivity: str = typer.Option("partner", "--max-sensitivity",
                                        help="Highest sensitivity of the sources included (public, partner, "
                                             "restricted)."),
    lang: str = typer.Option("both", "--lang", help="ar, en or both (Arabic first)."),
    home: Path | None = HomeOpt,
) -> None:
    """Write a case dossier on one incident or one person / entity (PDF or HTML)."""
    from bayyina.share.dossier import DossierReport, write_dossier

    rep: DossierReport = run(home, lambda s, user, keys: write_dossier(
        s, target, keys, who=user, incident_id=incident, actor_ref=actor, clearance=max_sensitivity, lang=lang),
        sign_before=True)
    out.print(f"dossier {escape(str(rep.path))}: {rep.sources} source(s), {rep.withheld} withheld above "
              f"{rep.clearance}, sha256 {rep.sha256}")


def register(app: typer.Typer) -> None:
    """Add ``publish`` and ``dossier`` to the ``bayyina`` app."""
    app.add_typer(publish_app, name="publish")
    app.command("dossier")(dossier)
