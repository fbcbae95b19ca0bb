"""Sanctions commands: ``bayyina sanctions add|list|show|renew|amend|delist|expire|due|review|import|export``.

Thin wrappers over :mod:`bayyina.sanctions.designations` and
:mod:`bayyina.sanctions.ftm`, each in one transaction (the acting user is
``BAYYINA_USER``). Refused input (unknown actor, authority or measure,
impossible dates, an expiry before the start) prints one clear line and exits 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from sqlalchemy.orm import Session

from bayyina.cli.actors_cmds import WhyOpt, run
from bayyina.cli.common import print_rows
from bayyina.cli.vault_cmds import HomeOpt, out

sanctions_app = typer.Typer(help="Sanctions designations: lifecycle, due renewals, FtM import/export.",
                            no_args_is_help=True)

MeasureOpt = typer.Option("--measure", "-m", help="asset_freeze, travel_ban, … (repeatable or comma-separated).")


@sanctions_app.command("add")
def add(
    authority: Annotated[str, typer.Argument(help="EU, FR, UK, US, CA, … (sanctions/data/authorities.json)")],
    actor: Annotated[str, typer.Argument(help="The designated actor: id or exact name.")],
    programme: str = typer.Option(..., "--programme", help="Programme or regime."),
    measure: Annotated[list[str] | None, MeasureOpt] = None,
    start: str = typer.Option(..., "--start", help="Start date (YYYY-MM-DD)."),
    months: int | None = typer.Option(None, "--months", help="Duration; default: the authority's (FR: 6)."),
    until: str | None = typer.Option(None, "--until", help="Expiry date instead of a duration."),
    legal_basis: str = typer.Option("", "--legal-basis"),
    reasons_en: str = typer.Option("", "--reasons-en", help="Statement of reasons (English)."),
    reasons_ar: str = typer.Option("", "--reasons-ar", help="Statement of reasons (Arabic)."),
    incident: Annotated[list[int] | None, typer.Option("--incident", help="Linked incident id (repeatable).")] = None,
    document: Annotated[list[int] | None, typer.Option("--document", help="Evidence document id (repeatable).")] = None,
    why: str = WhyOpt,
    home: Path | None = HomeOpt,
) -> None:
    """Designate ACTOR by AUTHORITY."""
    from bayyina.resolve.actors import get_actor
    from bayyina.sanctions.designations import add_designation, describe

    def go(s: Session, user: str) -> str:
        d = add_designation(s, who=user, authority=authority, programme=programme, actor=get_actor(s, actor),
                            measure_names=measure or [], start=start, months=months, until=until,
                            legal_basis=legal_basis, reasons_en=reasons_en, reasons_ar=reasons_ar,
                            incident_ids=incident or [], evidence=document or [], why=why)
        return describe(s, d)

    out.print("added " + escape(run(home, go)))


@sanctions_app.command("list")
def list_(
    authority: str | None = typer.Option(None, "--authority"),
    actor: str | None = typer.Option(None, "--actor"),
    status: str | None = typer.Option(None, "--status", help="active, expired or delisted"),
    home: Path | None = HomeOpt,
) -> None:
    """List designations."""
    from bayyina.resolve.actors import get_actor, label
    from bayyina.sanctions.designations import list_designations
    from bayyina.store.models_actors import Actor

    def go(s: Session, _u: str) -> list[tuple[str, ...]]:
        a = get_actor(s, actor) if actor else None
        rows: list[tuple[str, ...]] = []
        for d in list_designations(s, authority=authority, actor=a, status=status):
            who = s.get(Actor, d.actor_id)
            rows.append((str(d.id), d.authority, label(who) if who else str(d.actor_id), d.programme,
                         ", ".join(d.measures), d.start_date, d.expiry_date or "open", d.status, d.review_status))
        return rows

    rows = run(home, go)
    print_rows(f"designations ({len(rows)})", ("id", "authority", "actor", "programme", "measures", "start", "expiry", "status", "review"), rows)


@sanctions_app.command("show")
def show(
    designation: Annotated[str, typer.Argument(help="Designation id.")],
    home: Path | None = HomeOpt,
) -> None:
    """Show a designation with its events."""
    from bayyina.sanctions.designations import describe, events_of, get_designation

    def go(s: Session, _u: str) -> list[str]:
        d = get_designation(s, designation)
        lines = [describe(s, d), f"programme: {d.programme}"]
        if d.legal_basis:
            lines.append(f"legal basis: {d.legal_basis}")
        lines.append(f"review: {d.review_status}; duration: "
                     f"{str(d.duration_months) + ' months' if d.duration_months else 'by date / open'}")
        if d.reasons_en:
            lines.append(f"reasons (en): {d.reasons_en}")
        if d.reasons_ar:
            lines.append(f"reasons (ar): {d.reasons_ar}")
        if d.incident_ids:
            lines.append("incidents: " + ", ".join(map(str, d.incident_ids)))
        if d.evidence:
            lines.append("evidence documents: " + ", ".join(map(str, d.evidence)))
        lines.append("events:")
        for ev in events_of(s, d):
            extra = ", ".join(f"{k}={v}" for k, v in ev.details.items() if v not in (None, [], ""))
            lines.append(f"  {ev.date} {ev.kind} by {ev.who}" + (f" — {ev.why}" if ev.why else "")
                         + (f" ({extra})" if extra else ""))
        return lines

    for line in run(home, go):
        out.print(escape(line))


@sanctions_app.command("renew")
def renew(
    designation: Annotated[str, typer.Argument(help="Designation id.")],
    months: int | None = typer.Option(None, "--months", help="Extend by this many months (default: as before)."),
    until: str | None = typer.Option(None, "--until", help="New expiry date."),
    on: str | None = typer.Option(None, "--on", help="Date of the renewal decision (default today)."),
    why: str = WhyOpt,
    home: Path | None = HomeOpt,
) -> None:
    """Renew an active designation."""
    from bayyina.sanctions.designations import describe, get_designation
    from bayyina.sanctions.designations import renew as do_renew

    def go(s: Session, user: str) -> str:
        d = do_renew(s, get_designation(s, designation), who=user, why=why, on=on, months=months, until=until)
        return describe(s, d)

    out.print("renewed " + escape(run(home, go)))


@sanctions_app.command("amend")
def amend(
    designation: Annotated[str, typer.Argument(help="Designation id.")],
    measure: Annotated[list[str] | None, MeasureOpt] = None,
    programme: str | None = typer.Option(None, "--programme"),
    legal_basis: str | None = typer.Option(None, "--legal-basis"),
    reasons_en: str | None = typer.Option(None, "--reasons-en"),
    reasons_ar: str | None = typer.Option(None, "--reasons-ar"),
    incident: Annotated[list[int] | None, typer.Option("--incident")] = None,
    document: Annotated[list[int] | None, typer.Option("--document")] = None,
    on: str | None = typer.Option(None, "--on", help="Date of the amendment (default today)."),
    why: str = WhyOpt,
    home: Path | None = HomeOpt,
) -> None:
    """Amend a designation (the given fields replace the old ones)."""
    from bayyina.sanctions.designations import amend as do_amend
    from bayyina.sanctions.designations import get_designation

    fields: dict[str, object] = {k: v for k, v in {
        "measures": measure, "programme": programme, "legal_basis": legal_basis, "reasons_en": reasons_en,
        "reasons_ar": reasons_ar, "incident_ids": incident, "evidence": document}.items() if v is not None}

    diff = run(home, lambda s, u: do_amend(s, get_designation(s, designation), who=u, why=why, on=on, **fields))
    out.print("amended: " + (", ".join(sorted(diff)) if diff else "nothing changed"))


@sanctions_app.command("delist")
def delist(
    designation: Annotated[str, typer.Argument(help="Designation id.")],
    why: str = typer.Option(..., "--why", help="Why it is delisted (required)."),
    on: str | None = typer.Option(None, "--on", help="Delisting date (default today)."),
    home: Path | None = HomeOpt,
) -> None:
    """Delist a designation (kept, with status delisted)."""
    from bayyina.sanctions.designations import delist as do_delist
    from bayyina.sanctions.designations import describe, get_designation

    def go(s: Session, user: str) -> str:
        return describe(s, do_delist(s, get_designation(s, designation), who=user, why=why, on=on))

    out.print("delisted " + escape(run(home, go)))


@sanctions_app.command("expire")
def expire(
    on: str | None = typer.Option(None, "--on", help="The day to compare expiries with (default today)."),
    home: Path | None = HomeOpt,
) -> None:
    """Mark active designations whose expiry has passed as expired."""
    from bayyina.sanctions.designations import describe, expire_lapsed

    lines = run(home, lambda s, u: [describe(s, d) for d in expire_lapsed(s, who=u, on=on)])
    for line in lines:
        out.print("expired " + escape(line))
    out.print(f"{len(lines)} designation(s) marked expired")


@sanctions_app.command("due")
def due(
    days: int = typer.Option(30, "--days", help="Window in days."),
    on: str | None = typer.Option(None, "--on", help="Count from this day (default today)."),
    home: Path | None = HomeOpt,
) -> None:
    """Active designations expiring within --days (lapsed ones first)."""
    from bayyina.resolve.actors import label
    from bayyina.sanctions.designations import due as find_due

    rows = run(home, lambda s, _u: [(str(x.designation.id), x.designation.authority, label(x.actor),
                                     x.designation.expiry_date or "", str(x.days_left),
                                     ", ".join(x.designation.measures))
                                    for x in find_due(s, days=days, on=on)])
    print_rows(f"designations expiring within {days} days ({len(rows)})", ("id", "authority", "actor", "expiry", "days left", "measures"), rows)


@sanctions_app.command("review")
def review(
    designation: Annotated[str, typer.Argument(help="Designation id.")],
    to: Annotated[str, typer.Argument(help="in_review, approved, published or draft")],
    why: str = WhyOpt,
    home: Path | None = HomeOpt,
) -> None:
    """Move a designation through review (draft → in_review → approved → published)."""
    from bayyina.sanctions.designations import get_designation, set_review

    def go(s: Session, user: str) -> str:
        d = get_designation(s, designation)
        set_review(s, d, to, who=user, why=why)
        return f"designation #{d.id} is now {d.review_status}"

    out.print(run(home, go))


@sanctions_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="FtM / OpenSanctions JSON lines (Person, Organization, Sanction).")],
    why: str = WhyOpt,
    home: Path | None = HomeOpt,
) -> None:
    """Import actors and designations from FtM JSON lines; exits 1 if any line was refused."""
    from bayyina.sanctions.ftm import import_file

    rep = run(home, lambda s, u: import_file(s, file, who=u, why=why))
    for p in rep.problems:
        out.print(escape(p))
    out.print(f"actors: {rep.actors_added} added, {rep.actors_known} already known; designations: "
              f"{rep.designations_added} added, {rep.designations_known} already known; "
              f"{rep.skipped} other entities skipped; {len(rep.problems)} refused")
    if rep.problems:
        raise typer.Exit(1)


@sanctions_app.command("export")
def export(
    out_file: Annotated[Path, typer.Argument(metavar="OUT", help="Where to write FtM JSON lines.")],
    home: Path | None = HomeOpt,
) -> None:
    """Export designated actors and designations as FtM entities (JSON lines)."""
    from bayyina.sanctions.ftm import write_export

    n = run(home, lambda s, _u: write_export(s, out_file))
    out.print(f"wrote {n} FtM entities to {escape(str(out_file))}")


def register(app: typer.Typer) -> None:
    """Add ``sanctions`` to the ``bayyina`` app."""
    app.add_typer(sanctions_app, name="sanctions")
