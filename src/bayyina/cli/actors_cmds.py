"""Actor commands: ``bayyina actors add|list|show|match|relate|unrelate|commanders|duplicates|merge|unmerge|amend|review``.

Thin wrappers: they parse options, call :mod:`bayyina.resolve.actors` in one
transaction (the acting user is ``BAYYINA_USER``), and render Rich tables. A
refused request (unknown actor, bad kind or relation, impossible date) prints
one clear line and exits 1.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.markup import escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from bayyina.cli.common import print_rows, run_transaction
from bayyina.cli.vault_cmds import HomeOpt, out

T = TypeVar("T")

actors_app = typer.Typer(help="The actor register: people, units, organisations and their relations.",
                         no_args_is_help=True)

WhyOpt = typer.Option("", "--why", help="Why this change is made (kept in the change record).")


def run(home: Path | None, fn: Callable[[Session, str], T]) -> T:
    """Run ``fn(session, user)`` in one transaction; refused requests exit 1 with the reason."""
    from bayyina.resolve.actors import ActorError
    from bayyina.resolve.incidents import ResolveError
    from bayyina.resolve.links import LinkError
    from bayyina.resolve.spans import DateError
    from bayyina.sanctions.designations import SanctionsError

    return run_transaction(home, fn, (ActorError, SanctionsError, DateError, ResolveError, LinkError))


@actors_app.command("add")
def add(
    kind: Annotated[str, typer.Argument(help="person, unit or organization")],
    name_en: str | None = typer.Option(None, "--name-en", help="Name in Latin script."),
    name_ar: str | None = typer.Option(None, "--name-ar", help="Name in Arabic script."),
    alias: Annotated[list[str] | None, typer.Option("--alias", help="Another name (repeatable).")] = None,
    rank: str | None = typer.Option(None, "--rank", help="Rank (taken from the name when not given)."),
    nationality: str | None = typer.Option(None, "--nationality"),
    notes: str = typer.Option("", "--notes"),
    why: str = WhyOpt,
    home: Path | None = HomeOpt,
) -> None:
    """Add an actor (draft) and show the existing actors it may duplicate."""
    from bayyina.resolve.actors import add_actor, label

    def go(s: Session, user: str) -> tuple[str, list[tuple[str, str]]]:
        r = add_actor(s, who=user, kind=kind, name_en=name_en, name_ar=name_ar, aliases=alias or [], rank=rank,
                      nationality=nationality, notes=notes, why=why)
        return label(r.actor), [(label(m.actor), m.match.explain()) for m in r.duplicates]

    name, dups = run(home, go)
    out.print(f"added actor {escape(name)}")
    for who, why_ in dups:
        out.print(f"[yellow]possible duplicate:[/yellow] {escape(who)}  ({escape(why_)})")


@actors_app.command("list")
def list_(
    kind: str | None = typer.Option(None, "--kind"),
    status: str | None = typer.Option(None, "--status", help="draft, in_review, approved or published"),
    include_merged: bool = typer.Option(False, "--all", help="Include actors merged into others."),
    home: Path | None = HomeOpt,
) -> None:
    """List actors (merged ones only with --all)."""
    from bayyina.resolve.actors import list_actors, merged_ids

    def go(s: Session, _u: str) -> list[tuple[str, ...]]:
        merged = merged_ids(s)
        return [(str(a.id), a.kind, a.name_en or "", a.name_ar or "", a.rank or "", a.nationality or "",
                 a.status + (f" (merged into #{merged[a.id]})" if a.id in merged else ""))
                for a in list_actors(s, kind=kind, status=status, include_merged=include_merged)]

    rows = run(home, go)
    print_rows(f"actors ({len(rows)})", ("id", "kind", "name (en)", "name (ar)", "rank", "nationality", "status"), rows)


@actors_app.command("show")
def show(
    actor: Annotated[str, typer.Argument(help="Actor id or exact name.")],
    home: Path | None = HomeOpt,
) -> None:
    """Show an actor, its relations, designations, incidents, attributions and change history."""
    from bayyina.resolve.actors import get_actor, label, merged_into, names_of, relations_of
    from bayyina.resolve.links import actor_incidents, list_attributions
    from bayyina.sanctions.designations import describe, list_designations
    from bayyina.store.changes import history
    from bayyina.store.models_actors import Actor
    from bayyina.store.models_resolve import ActorMerge

    def go(s: Session, _u: str) -> list[str]:
        a = get_actor(s, actor, follow=False)
        lines: list[str] = []
        m = merged_into(s, a.id)
        if m is not None:
            lines.append(f"actor #{a.id} was merged into #{m.kept_id} (judgement #{m.id} by {m.by}, "
                         f"{m.at:%Y-%m-%d}: {m.reason}); showing #{m.kept_id}. Undo: bayyina actors unmerge {a.id}")
            for c in history(s, "actor", a.id):
                lines.append(f"  {c.ts:%Y-%m-%d %H:%M} {c.who} {c.action}" + (f" — {c.why}" if c.why else ""))
            a = get_actor(s, a.id)
        lines.append(f"actor {label(a)}  ({a.kind}, {a.status})")
        lines.append("names: " + " | ".join(names_of(a)))
        for k in ("rank", "nationality", "notes", "ftm_id"):
            if getattr(a, k):
                lines.append(f"{k}: {getattr(a, k)}")
        lines.append(f"added {a.created_at:%Y-%m-%d} by {a.created_by}")
        rels = relations_of(s, a)
        if rels:
            lines.append("relations:")
        for r in rels:
            sub, obj = s.get(Actor, r.subject_id), s.get(Actor, r.object_id)
            span = f"{r.start_date or '…'} to {r.end_date or '…'}"
            src = f"  [source: {r.source}]" if r.source else ""
            lines.append(f"  #{r.id} {label(sub) if sub else r.subject_id} {r.type} "
                         f"{label(obj) if obj else r.object_id}, {span}{src}")
        ds = list_designations(s, actor=a)
        if ds:
            lines.append("designations:")
        lines.extend("  " + describe(s, d) for d in ds)
        for mg in s.scalars(select(ActorMerge).where(ActorMerge.kept_id == a.id, ActorMerge.active.is_(True))):
            lines.append(f"merged into this actor: #{mg.merged_id} (judgement #{mg.id} by {mg.by}: {mg.reason})")
        incs = actor_incidents(s, a.id)
        lines.append("incidents:" if incs else "incidents: none linked")
        for row, inc in incs:
            place = ((inc.chosen.get("place") or {}).get("chosen_text")) or "—"
            when = ((inc.chosen.get("date") or {}).get("chosen_text")) or "—"
            lines.append(f"  incident {inc.id} {place}, {when}: {row.role} (as {', '.join(row.said)}; {row.how})"
                         + ("" if inc.active else " [retired]"))
        atts = list_attributions(s, actor_id=a.id)
        lines.append("attributions naming this actor:" if atts else "attributions naming this actor: none")
        for att in atts:
            src = f"finding #{att.finding_id}" if att.finding_id is not None else \
                f"document {att.document_id}, report {att.report_id}"
            lines.append(f"  #{att.id} incident {att.incident_id}: {att.body} — {att.stance} against "
                         f"{att.against or '—'}" + (f", {att.date}" if att.date else "") + f" ({src})")
        lines.append("changes:")
        for c in history(s, "actor", a.id):
            lines.append(f"  {c.ts:%Y-%m-%d %H:%M} {c.who} {c.action}" + (f" — {c.why}" if c.why else ""))
        return lines

    for line in run(home, go):
        out.print(escape(line))


@actors_app.command("match")
def match_(
    name: Annotated[str, typer.Argument(help="A name in Arabic or Latin script (ranks and titles allowed).")],
    kind: str | None = typer.Option(None, "--kind"),
    min_score: float = typer.Option(0.85, "--min-score", help="Lowest score shown (0-1)."),
    limit: int = typer.Option(10, "--limit"),
    home: Path | None = HomeOpt,
) -> None:
    """Actors whose names match NAME, best first, with the explained score."""
    from bayyina.resolve.actors import label, match

    rows = run(home, lambda s, _u: [(f"{m.match.score:.2f}", label(m.actor), m.actor.kind, m.match.explain())
                                    for m in match(s, name, kind=kind, min_score=min_score, limit=limit)])
    if not rows:
        out.print(f"no actor matches {escape(name)!s} at {min_score:.2f} or more")
        return
    print_rows(f"matches for {escape(name)}", ("score", "actor", "kind", "why"), rows)


@actors_app.command("relate")
def relate(
    subject: Annotated[str, typer.Argument(help="Actor id or exact name.")],
    rel_type: Annotated[str, typer.Argument(help="member_of, commands or subordinate_to")],
    obj: Annotated[str, typer.Argument(help="Actor id or exact name.")],
    start: str | None = typer.Option(None, "--from", help="First day (YYYY-MM-DD); open when not given."),
    end: str | None = typer.Option(None, "--to", help="Last day (YYYY-MM-DD); open when not given."),
    source: str = typer.Option("", "--source", help="Where this is known from."),
    why: str = WhyOpt,
    home: Path | None = HomeOpt,
) -> None:
    """Record SUBJECT REL_TYPE OBJECT over a time span."""
    from bayyina.resolve.actors import get_actor, label
    from bayyina.resolve.actors import relate as do_relate

    def go(s: Session, user: str) -> str:
        a, b = get_actor(s, subject), get_actor(s, obj)
        r = do_relate(s, who=user, subject=a, rel_type=rel_type, obj=b, start=start, end=end, source=source,
                      why=why)
        return f"relation #{r.id}: {label(a)} {r.type} {label(b)}, {r.start_date or '…'} to {r.end_date or '…'}"

    out.print(escape(run(home, go)))


@actors_app.command("unrelate")
def unrelate(
    relation_id: Annotated[int, typer.Argument(help="Relation id (see `actors show`).")],
    why: str = WhyOpt,
    home: Path | None = HomeOpt,
) -> None:
    """Retract a relation (it is kept, marked retracted)."""
    from bayyina.resolve.actors import retract_relation

    rel = run(home, lambda s, u: retract_relation(s, relation_id, who=u, why=why).id)
    out.print(f"relation #{rel} retracted")


@actors_app.command("commanders")
def commanders_(
    unit: Annotated[str, typer.Argument(help="Unit id or exact name.")],
    on: str | None = typer.Option(None, "--on", help="The day (YYYY-MM-DD)."),
    incident: int | None = typer.Option(None, "--incident", help="An incident of the register: its date(s)."),
    home: Path | None = HomeOpt,
) -> None:
    """Who commanded UNIT on a day (or an incident's first and last day), and the chain of command above it."""
    from bayyina.resolve.actors import ActorError, commanders, get_actor, incident_dates, label

    def go(s: Session, _u: str) -> list[tuple[str, list[tuple[str, str, str, str]]]]:
        if (on is None) == (incident is None):
            raise ActorError("give either --on DAY or --incident ID")
        days = [on] if on is not None else sorted(set(incident_dates(s, incident or 0)))
        u = get_actor(s, unit)
        out_: list[tuple[str, list[tuple[str, str, str, str]]]] = []
        for day in days:
            rows = []
            for link in commanders(s, u, day):
                r = link.relation
                rows.append((str(link.level), label(link.unit),
                             label(link.commander) if link.commander else "unknown",
                             f"#{r.id} {r.start_date or '…'} to {r.end_date or '…'} {r.source}" if r else ""))
            out_.append((day, rows))
        return out_

    for day, rows in run(home, go):
        where = f" (incident {incident})" if incident is not None else ""
        print_rows(f"command over {escape(unit)} on {escape(day)}{where}", ("level", "unit", "commander", "relation"), rows)


@actors_app.command("duplicates")
def duplicates_(
    min_score: float = typer.Option(0.88, "--min-score"),
    home: Path | None = HomeOpt,
) -> None:
    """Pairs of actors of one kind whose names match well (possible duplicates)."""
    from bayyina.resolve.actors import duplicates, label

    rows = run(home, lambda s, _u: [(f"{p.match.score:.2f}", label(p.a), label(p.b), p.match.explain())
                                    for p in duplicates(s, min_score=min_score)])
    print_rows(f"possible duplicates ({len(rows)})", ("score", "actor", "actor", "why"), rows)
    if rows:
        out.print("merge: bayyina actors merge KEEP OTHER --why '...' (undo: bayyina actors unmerge OTHER)",
                  markup=False)


@actors_app.command("merge")
def merge_(
    keep: Annotated[str, typer.Argument(help="The actor that stays (id or exact name).")],
    other: Annotated[str, typer.Argument(help="The duplicate: becomes a redirect to the first (id or exact name).")],
    why: str = typer.Option(..., "--why", help="Why they are one actor (kept with the judgement)."),
    home: Path | None = HomeOpt,
) -> None:
    """Judge two actors one: B's relations, designations and names move to A, B becomes a redirect."""
    from bayyina.cli.resolve_cmds import print_links
    from bayyina.resolve.actors import get_actor, label, merge_actors

    def go(s: Session, user: str) -> tuple[str, object]:
        r = merge_actors(s, get_actor(s, keep, follow=False), get_actor(s, other, follow=False), who=user, why=why)
        moved = r.merge.moved
        return (f"merged actor {label(r.merged)} into {label(r.kept)} (judgement #{r.merge.id}): "
                f"{len(moved['relations'])} relation(s), {len(moved['designations'])} designation(s), "
                f"{len(moved['aliases'])} name(s) moved; undo with `bayyina actors unmerge {r.merged.id}`"), r.links

    text, found = run(home, go)
    out.print(escape(text))
    print_links(found)


@actors_app.command("unmerge")
def unmerge_(
    other: Annotated[str, typer.Argument(help="The merged actor's id.")],
    why: str = typer.Option(..., "--why", help="Why the merge was wrong."),
    home: Path | None = HomeOpt,
) -> None:
    """Undo a merge: what moved goes back, links and attributions follow."""
    from bayyina.cli.resolve_cmds import print_links
    from bayyina.resolve.actors import get_actor, label, unmerge_actor

    def go(s: Session, user: str) -> tuple[str, object]:
        r = unmerge_actor(s, get_actor(s, other, follow=False), who=user, why=why)
        return f"unmerged actor {label(r.merged)} from {label(r.kept)} (judgement #{r.merge.id} undone)", r.links

    text, found = run(home, go)
    out.print(escape(text))
    print_links(found)


@actors_app.command("amend")
def amend(
    actor: Annotated[str, typer.Argument(help="Actor id or exact name.")],
    name_en: str | None = typer.Option(None, "--name-en"),
    name_ar: str | None = typer.Option(None, "--name-ar"),
    alias: Annotated[list[str] | None, typer.Option("--alias", help="Replaces the aliases (repeatable).")] = None,
    rank: str | None = typer.Option(None, "--rank"),
    nationality: str | None = typer.Option(None, "--nationality"),
    notes: str | None = typer.Option(None, "--notes"),
    why: str = WhyOpt,
    home: Path | None = HomeOpt,
) -> None:
    """Change an actor's names, aliases, rank, nationality or notes (the change is recorded)."""
    from bayyina.resolve.actors import amend_actor, get_actor

    fields: dict[str, object] = {k: v for k, v in {
        "name_en": name_en, "name_ar": name_ar, "aliases": alias, "rank": rank, "nationality": nationality,
        "notes": notes}.items() if v is not None}
    diff = run(home, lambda s, u: amend_actor(s, get_actor(s, actor), who=u, why=why, **fields))
    out.print("amended: " + (", ".join(sorted(diff)) if diff else "nothing changed"))


@actors_app.command("review")
def review(
    actor: Annotated[str, typer.Argument(help="Actor id or exact name.")],
    to: Annotated[str, typer.Argument(help="in_review, approved, published or draft")],
    why: str = WhyOpt,
    home: Path | None = HomeOpt,
) -> None:
    """Move an actor through review (draft → in_review → approved → published)."""
    from bayyina.resolve.actors import get_actor, label, set_status

    def go(s: Session, user: str) -> str:
        a = get_actor(s, actor)
        set_status(s, a, to, who=user, why=why)
        return f"actor {label(a)} is now {a.status}"

    out.print(escape(run(home, go)))


def register(app: typer.Typer) -> None:
    """Add ``actors`` to the ``bayyina`` app."""
    app.add_typer(actors_app, name="actors")
