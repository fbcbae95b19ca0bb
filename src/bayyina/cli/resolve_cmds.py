"""Incident-register commands: ``bayyina incidents ...``, ``bayyina findings ...`` and
``bayyina attributions list``.

Thin wrappers: they parse options, call :mod:`bayyina.resolve` in one
transaction, and render tables / JSONL / CSV. A refused request (unknown id,
merging an incident with itself, a bad date) prints one clear line and exits 1.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy.orm import Session

from bayyina.cli.common import run_transaction
from bayyina.cli.vault_cmds import HomeOpt, err, out

T = TypeVar("T")

incidents_app = typer.Typer(help="The incident register: resolve, list, show, merge, split, review.",
                            no_args_is_help=True)
findings_app = typer.Typer(help="The official-findings register: list, show, link.", no_args_is_help=True)
attributions_app = typer.Typer(help="Attributions: who says who did an incident (claims, not truths).",
                               no_args_is_help=True)


def _run(home: Path | None, fn: Callable[[Session, str], T]) -> T:
    """Run ``fn(session, user)`` in one transaction; refused requests exit 1 with the reason."""
    from bayyina.resolve.actors import ActorError
    from bayyina.resolve.findings import RegisterError
    from bayyina.resolve.incidents import ResolveError
    from bayyina.resolve.links import LinkError

    return run_transaction(home, fn, (ResolveError, RegisterError, LinkError, ActorError))


def print_links(found: Any) -> None:
    """What :func:`bayyina.resolve.links.sync` changed: seeded actors, links, attribution rows."""
    for code, actor_id, added in found.seeded:
        out.print(f"{'seeded' if added else 'mapped'}    code {code} → actor #{actor_id}", markup=False)
    for inc, actor_id, role in found.linked:
        out.print(f"linked    actor #{actor_id} to incident {inc} ({role})", markup=False)
    for inc, actor_id, role in found.unlinked:
        out.print(f"unlinked  actor #{actor_id} from incident {inc} ({role})", markup=False)
    if found.added or found.updated or found.closed:
        out.print(f"attributions: {found.added} added, {found.updated} updated, {found.closed} closed")


def _print_resolve(rep: Any) -> None:
    if rep.findings_loaded:
        out.print(f"findings register: {rep.findings_loaded} finding(s) loaded or updated")
    for i in rep.created:
        out.print(f"created   incident {i}")
    for i in rep.updated:
        out.print(f"changed   incident {i} (member reports)")
    for i, succ in rep.retired:
        out.print(f"retired   incident {i}" + (f" (now part of incident {succ})" if succ else ""))
    for code, i in rep.links:
        out.print(f"linked    finding {code} to incident {i}")
    for code, i in rep.unlinked:
        out.print(f"unlinked  finding {code} from incident {i}")
    for i in rep.recomputed:
        out.print(f"updated   incident {i} (values, confidence or findings)")
    print_links(rep.actors)
    for c in rep.conflicts:
        err.print(f"[yellow]warning:[/yellow] {escape(c)}")
    if not rep.changed:
        out.print(f"no change ({rep.reports} current reports)")


@incidents_app.command("resolve")
def incidents_resolve(home: Path | None = HomeOpt) -> None:
    """Merge the stored reports into incidents (judgements replayed) and print what changed."""
    from bayyina.resolve.incidents import resolve

    _print_resolve(_run(home, lambda s, u: resolve(s, u)))


LIST_COLUMNS = ("id", "status", "place", "date_start", "date_end", "agents", "means", "killed", "injured",
                "perpetrators", "confidence", "reports", "documents", "sources")


@incidents_app.command("list")
def incidents_list(
    fmt: Annotated[str, typer.Option("--format", help="table, jsonl or csv.")] = "table",
    place: Annotated[str | None, typer.Option("--place", help="Place name (English or Arabic, part of it).")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Dates overlapping from this day (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Dates overlapping up to this day (YYYY-MM-DD).")] = None,
    agent: Annotated[str | None, typer.Option("--agent", help="Agent code, e.g. chlorine.")] = None,
    perpetrator: Annotated[str | None, typer.Option("--perpetrator", help="Actor code, e.g. syrian-government.")] = None,
    confidence: Annotated[str | None, typer.Option("--confidence", help="confirmed, corroborated, single-source, disputed.")] = None,
    include_retired: Annotated[bool, typer.Option("--all", help="Include retired (merged) incidents.")] = False,
    home: Path | None = HomeOpt,
) -> None:
    """List incidents."""
    from bayyina.resolve.queries import list_incidents

    if fmt not in ("table", "jsonl", "csv"):
        err.print(f"[red]error:[/red] --format: {escape(fmt)!r} is not one of table, jsonl, csv")
        raise typer.Exit(1)
    rows = _run(home, lambda s, u: list_incidents(
        s, place=place, date_from=date_from, date_to=date_to, agent=agent, perpetrator=perpetrator,
        confidence=confidence, include_retired=include_retired))
    if fmt == "jsonl":
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
        return
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(LIST_COLUMNS)
        for r in rows:
            w.writerow([";".join(r[c]) if isinstance(r[c], list) else ("" if r[c] is None else r[c])
                        for c in LIST_COLUMNS])
        print(buf.getvalue(), end="")
        return
    t = Table(title=f"incidents ({len(rows)})")
    for c in ("id", "status", "place", "date", "agents", "means", "killed", "perpetrators", "confidence", "reports"):
        t.add_column(c, overflow="fold")
    for r in rows:
        when = r["date_start"] or "—"
        if r["date_end"] and r["date_end"] != r["date_start"]:
            when += f"..{r['date_end']}"
        t.add_row(str(r["id"]), r["status"], escape(f"{r['place'] or '—'} / {r['place_ar'] or ''}".strip(" /")), when,
                  ", ".join(r["agents"]) or "—", ", ".join(r["means"]) or "—", r["killed"],
                  ", ".join(r["perpetrators"]) or "—", r["confidence"],
                  f"{r['reports']} ({r['documents']} docs, {r['sources']} sources)")
    out.print(t)


@incidents_app.command("show")
def incidents_show(incident_id: int = typer.Argument(..., help="Incident id."), home: Path | None = HomeOpt) -> None:
    """Show one incident: values side by side with their sources, the choice and why; linked actors;
    attributions; findings; members; history."""
    from bayyina.resolve.queries import incident_detail

    det = _run(home, lambda s, u: incident_detail(s, incident_id))
    inc = det.incident
    head = Table(show_header=False, title=f"incident {inc.id}")
    head.add_column("field", style="bold")
    head.add_column("value")
    head.add_row("state", inc.status + ("" if inc.active else f" — retired, merged into {inc.superseded_by or '—'}"))
    head.add_row("confidence", f"{inc.confidence}: {escape(inc.confidence_reason)}")
    head.add_row("created", f"{inc.created_at.isoformat()} by {escape(inc.created_by)}")
    head.add_row("updated", inc.updated_at.isoformat())
    out.print(head)
    from bayyina.resolve.values import FIELDS

    out.print("[bold]values[/bold] (every sourced value side by side; the chosen one and why)")
    for fname in FIELDS:
        fv = inc.chosen.get(fname) or {}
        out.print(f"[bold]{fname}[/bold]: {escape(str(fv.get('chosen_text', '—')))}  — {escape(str(fv.get('why', '')))}")
        for v in fv.get("values", []):
            for r in v["reports"]:
                span = r["evidence"][0] if r["evidence"] else None
                quote = f"  [{span['start']}:{span['end']}] “{str(span['text'])[:160]}”" if span else ""
                out.print(f"    {v['text']}  ← document {r['document_id']}, report {r['report_id']} ({r['source']}){quote}",
                          markup=False)
    if det.actors:
        t = Table(title="linked actors")
        for c in ("actor", "role", "as said", "how", "from"):
            t.add_column(c, overflow="fold")
        for row, actor in det.actors:
            t.add_row(escape(f"#{actor.id} {actor.name_en or actor.name_ar or '?'}"), row.role,
                      escape(", ".join(row.said)), escape(row.how), ", ".join(row.sources))
        out.print(t)
    else:
        out.print("linked actors: none")
    if det.attributions:
        t = Table(title="attributions (claims, not truths)")
        for c in ("id", "by", "stance", "against", "actor", "date", "source", "span"):
            t.add_column(c, overflow="fold")
        for a in det.attributions:
            t.add_row(*attribution_cells(a, det.actor_names, det.finding_symbols))
        out.print(t)
    else:
        out.print("attributions: none")
    t = Table(title="official findings")
    for c in ("finding", "body", "symbol", "date", "outcome", "party", "link"):
        t.add_column(c, overflow="fold")
    for lk, f in det.links:
        t.add_row(f.code, f.body, f.symbol, f.date, f.outcome, escape(f.party_named or "—"),
                  f"{lk.how}{'' if lk.active else ' (removed)'}: {escape(lk.reason)}")
    out.print(t if det.links else "official findings: none linked")
    t = Table(title="member reports")
    for c in ("report", "since", "until"):
        t.add_column(c)
    for m in det.members:
        t.add_row(str(m.incident_report_id), m.added_at.isoformat(), m.removed_at.isoformat() if m.removed_at else "(current)")
    out.print(t)
    out.print("[bold]history[/bold]")
    for ch in det.changes:
        decision = f" ({ch.what.get('decision')}: incidents {ch.what.get('incidents')})" \
            if ch.action == "judgement" and isinstance(ch.what, dict) and ch.what.get("incidents") else ""
        out.print(f"  {ch.at.isoformat()}  {ch.by}  {ch.action}{decision}  — {ch.why}", markup=False)


def attribution_cells(a: Any, actors: dict[int, Any], symbols: dict[int, str]) -> list[str]:
    """One attribution row as table cells: id, by, stance, against, actor, date, source, span."""
    actor = actors.get(a.actor_id) if a.actor_id is not None else None
    who = f"#{actor.id} {actor.name_en or actor.name_ar or '?'}" if actor is not None else "—"
    if a.finding_id is not None:
        source = f"finding {symbols.get(a.finding_id, a.finding_id)}"
    else:
        source = f"doc {a.document_id} / rep {a.report_id}"
    span = f"[{a.span_start}:{a.span_end}] “{(a.span_text or '')[:120]}”" if a.span_text else "—"
    cells = [str(a.id), a.body, a.stance + ("" if a.active else " (closed)"), a.against or "—", who, a.date or "—",
             source, span]
    return [escape(c) for c in cells]


@incidents_app.command("suggest")
def incidents_suggest(home: Path | None = HomeOpt) -> None:
    """Possible merges below the threshold, with score and reasons."""
    from bayyina.resolve.features import config
    from bayyina.resolve.incidents import suggest

    sugs = _run(home, lambda s, u: suggest(s))
    if not sugs:
        out.print("no suggestions")
        return
    t = Table(title=f"merge suggestions (merge at score ≥ {config().merge_threshold:g})")
    for c in ("incidents", "score", "reports", "reasons", "judged"):
        t.add_column(c, overflow="fold")
    for sg in sugs:
        t.add_row(f"{sg.left} + {sg.right}", f"{sg.score:g}", f"{sg.left_report} / {sg.right_report}", escape(sg.reasons),
                  escape(f"unsure: {sg.unsure}") if sg.unsure else "—")
    out.print(t)
    out.print("accept: bayyina incidents merge A B --reason '...'   reject: bayyina incidents reject A B --reason '...'   "
              "unsure: bayyina incidents unsure A B --reason '...'", markup=False)


ReasonOpt = typer.Option(..., "--reason", help="Why (recorded with your name in the log).")


@incidents_app.command("merge")
def incidents_merge(a: int = typer.Argument(...), b: int = typer.Argument(...), reason: str = ReasonOpt,
                    home: Path | None = HomeOpt) -> None:
    """Judge two incidents the same attack and merge them (B joins A)."""
    from bayyina.resolve.incidents import merge

    _print_resolve(_run(home, lambda s, u: merge(s, a, b, u, reason)))


@incidents_app.command("reject")
def incidents_reject(a: int = typer.Argument(...), b: int = typer.Argument(...), reason: str = ReasonOpt,
                     home: Path | None = HomeOpt) -> None:
    """Judge two incidents different attacks: never merged, no longer suggested (reversible by a later merge)."""
    from bayyina.resolve.incidents import judge_incidents

    _print_resolve(_run(home, lambda s, u: judge_incidents(s, a, b, "negative", u, reason)))
    out.print(f"judged: incidents {a} and {b} are different attacks")


@incidents_app.command("unsure")
def incidents_unsure(a: int = typer.Argument(...), b: int = typer.Argument(...), reason: str = ReasonOpt,
                     home: Path | None = HomeOpt) -> None:
    """Record that you cannot tell whether two incidents are one attack: stored and shown, not applied."""
    from bayyina.resolve.incidents import judge_incidents

    _print_resolve(_run(home, lambda s, u: judge_incidents(s, a, b, "unsure", u, reason)))
    out.print(f"judged: unsure whether incidents {a} and {b} are one attack (nothing merged or separated)")


@incidents_app.command("split")
def incidents_split(
    incident_id: int = typer.Argument(...),
    reports: str = typer.Option(..., "--reports", help="Report ids to split off, comma-separated."),
    reason: str = ReasonOpt,
    home: Path | None = HomeOpt,
) -> None:
    """Judge some reports a different attack: they leave the incident (history kept)."""
    from bayyina.resolve.incidents import split

    try:
        ids = [int(x) for x in reports.split(",") if x.strip()]
    except ValueError as exc:
        err.print(f"[red]error:[/red] --reports: {escape(reports)!r} is not a comma-separated list of report ids")
        raise typer.Exit(1) from exc
    _print_resolve(_run(home, lambda s, u: split(s, incident_id, ids, u, reason)))


@incidents_app.command("review")
def incidents_review(
    incident_id: int = typer.Argument(...),
    state: str = typer.Option(..., "--state", help="in_review, approved, published (or back to draft / in_review)."),
    reason: str = ReasonOpt,
    home: Path | None = HomeOpt,
) -> None:
    """Move an incident through the review states."""
    from bayyina.resolve.incidents import review

    inc = _run(home, lambda s, u: review(s, incident_id, state, u, reason))
    out.print(f"incident {inc.id} is now {inc.status}")


@findings_app.command("list")
def findings_list(home: Path | None = HomeOpt) -> None:
    """The register of official findings and the incidents each is linked to."""
    from bayyina.resolve.findings import sync_register
    from bayyina.resolve.queries import list_findings

    def run(s: Session, u: str) -> list[Any]:
        sync_register(s, u)
        return list_findings(s)

    rows = _run(home, run)
    t = Table(title=f"official findings ({len(rows)})")
    for c in ("id", "code", "body", "symbol", "date", "outcome", "party", "incidents"):
        t.add_column(c, no_wrap=c in ("id", "code", "symbol", "date"), overflow="fold")
    for f, incs in rows:
        t.add_row(str(f.id), f.code, f.body, f.symbol, f.date, f.outcome, f.party or "—",
                  ", ".join(map(str, incs)) or "—")
    out.print(t)


@findings_app.command("show")
def findings_show(ref: str = typer.Argument(..., help="Finding id or code (iit-3-douma)."),
                  home: Path | None = HomeOpt) -> None:
    """One finding: its conclusion, the party named, the incidents it covers, its citation."""
    from bayyina.resolve.findings import sync_register
    from bayyina.resolve.queries import get_finding, list_findings

    def run(s: Session, u: str) -> tuple[Any, list[int]]:
        sync_register(s, u)
        f = get_finding(s, ref)
        return f, next(incs for g, incs in list_findings(s) if g.id == f.id)

    f, incs = _run(home, run)
    out.print(f"[bold]finding {f.id}: {f.code}[/bold]")
    for k, v in (("body", f.body), ("symbol", f.symbol), ("title", f.title), ("date", f.date), ("outcome", f.outcome),
                 ("conclusion", f.conclusion), ("party", f"{f.party or '—'} ({f.party_named or 'no party named'})"),
                 ("covers", "; ".join(f"{i['place']} {i['start']}" + (f"..{i['end']}" if i['end'] != i['start'] else "")
                                      for i in f.incidents)),
                 ("citation", f.citation), ("linked incidents", ", ".join(map(str, incs)) or "—")):
        out.print(f"  {k:<17} {v}", markup=False)


@findings_app.command("link")
def findings_link(
    ref: Annotated[str | None, typer.Argument(help="Finding id or code; none: link automatically.")] = None,
    incident_id: Annotated[int | None, typer.Argument(help="Incident id.")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why (needed for a manual link).")] = None,
    unlink: Annotated[bool, typer.Option("--unlink", help="Remove the link instead (kept in history).")] = False,
    home: Path | None = HomeOpt,
) -> None:
    """Link findings to incidents: automatically (no arguments) or one by hand (FINDING INCIDENT --reason)."""
    from bayyina.resolve.incidents import ResolveReport, refresh
    from bayyina.resolve.queries import link_finding

    if ref is None:
        def auto(s: Session, u: str) -> ResolveReport:
            from bayyina.resolve.findings import sync_register

            rep = ResolveReport()
            rep.findings_loaded = len(sync_register(s, u))
            refresh(s, u, "findings link", rep)
            return rep

        _print_resolve(_run(home, auto))
        return
    if incident_id is None or not reason:
        err.print("[red]error:[/red] a manual link needs FINDING INCIDENT and --reason")
        raise typer.Exit(1)
    why = reason
    lk = _run(home, lambda s, u: link_finding(s, ref, incident_id, u, why, unlink=unlink))
    out.print(f"finding {ref} {'unlinked from' if unlink else 'linked to'} incident {lk.incident_id}")


@attributions_app.command("list")
def attributions_list(
    incident: Annotated[int | None, typer.Option("--incident", help="Only this incident.")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Only claims against this actor (id or exact name).")] = None,
    stance: Annotated[str | None, typer.Option("--stance", help="finding, allegation or denial.")] = None,
    include_closed: Annotated[bool, typer.Option("--all", help="Include closed (superseded) rows.")] = False,
    home: Path | None = HomeOpt,
) -> None:
    """Attributions: which body says which actor did an incident, with stance, date and source span."""
    from sqlalchemy import select

    from bayyina.resolve.actors import get_actor
    from bayyina.resolve.incidents import get_incident
    from bayyina.resolve.links import list_attributions
    from bayyina.store.models_actors import Actor
    from bayyina.store.models_resolve import Finding

    def go(s: Session, _u: str) -> list[list[str]]:
        if incident is not None:
            get_incident(s, incident, active=False)
        actor_id = get_actor(s, actor).id if actor is not None else None
        rows = list_attributions(s, incident_id=incident, actor_id=actor_id, stance=stance,
                                 include_closed=include_closed)
        actors = {a.id: a for a in s.scalars(select(Actor).where(Actor.id.in_({r.actor_id for r in rows if r.actor_id})))}
        symbols = {f.id: f.symbol for f in s.scalars(select(Finding))}
        return [[str(r.incident_id), *attribution_cells(r, actors, symbols)] for r in rows]

    rows = _run(home, go)
    t = Table(title=f"attributions ({len(rows)})")
    for c in ("incident", "id", "by", "stance", "against", "actor", "date", "source", "span"):
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*r)
    out.print(t)


def register(app: typer.Typer) -> None:
    """Add ``incidents``, ``findings`` and ``attributions`` to the ``bayyina`` app."""
    app.add_typer(incidents_app, name="incidents")
    app.add_typer(findings_app, name="findings")
    app.add_typer(attributions_app, name="attributions")
