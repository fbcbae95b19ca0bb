"""Reading the register: incident lists with filters, one incident in full, findings;
manual finding links. The CLI (and later the web app) call these; no logic lives there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bayyina.resolve import journal
from bayyina.resolve.features import date_range, days_apart, norm_name
from bayyina.resolve.incidents import ResolveError, ResolveReport, get_incident, refresh
from bayyina.resolve.links import incident_actors, list_attributions
from bayyina.store.models_actors import Actor
from bayyina.store.models_resolve import (
    Attribution,
    Finding,
    FindingLink,
    Incident,
    IncidentActor,
    IncidentMember,
    RegisterChange,
)
from bayyina.vault.canonical import iso_utc, now_utc

CONFIDENCES = ("confirmed", "corroborated", "single-source", "disputed")


def _chosen(inc: Incident, fname: str) -> Any:
    return (inc.chosen.get(fname) or {}).get("chosen")


def _text(inc: Incident, fname: str) -> str:
    return str((inc.chosen.get(fname) or {}).get("chosen_text") or "—")


def parse_day(value: str | None, option: str) -> date | None:
    """An ISO day from an option, or a clear error naming the option."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ResolveError(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from exc


def incident_row(inc: Incident) -> dict[str, Any]:
    """The flat form of an incident used by list outputs (table, JSONL, CSV)."""
    members = inc.chosen.get("members") or []
    place = _chosen(inc, "place") or {}
    d = _chosen(inc, "date") or {}
    return {
        "id": inc.id,
        "status": inc.status,
        "active": inc.active,
        "place": place.get("name"),
        "place_ar": place.get("name_ar"),
        "date_start": d.get("start"),
        "date_end": d.get("end"),
        "agents": _chosen(inc, "agents") or [],
        "means": _chosen(inc, "means") or [],
        "killed": _text(inc, "killed"),
        "injured": _text(inc, "injured"),
        "perpetrators": _chosen(inc, "perpetrators") or [],
        "confidence": inc.confidence,
        "reports": len(members),
        "documents": len({m["document_id"] for m in members}),
        "sources": len({m["source"] for m in members}),
    }


def parse_range(date_from: str | None, date_to: str | None) -> tuple[date | None, date | None]:
    """``--from`` / ``--to`` as days, or a clear error (not a date, or from after to)."""
    lo, hi = parse_day(date_from, "--from"), parse_day(date_to, "--to")
    if lo and hi and lo > hi:
        raise ResolveError(f"--from {lo} is after --to {hi}")
    return lo, hi


def list_incidents(
    session: Session, *, place: str | None = None, date_from: str | None = None, date_to: str | None = None,
    agent: str | None = None, perpetrator: str | None = None, confidence: str | None = None,
    include_retired: bool = False,
) -> list[dict[str, Any]]:
    """Incidents (active ones unless ``include_retired``) matching every given filter."""
    lo, hi = parse_range(date_from, date_to)
    if confidence is not None and confidence not in CONFIDENCES:
        raise ResolveError(f"--confidence: unknown grade {confidence!r} (one of {', '.join(CONFIDENCES)})")
    q = select(Incident).order_by(Incident.id)
    if not include_retired:
        q = q.where(Incident.active.is_(True))
    want_place = norm_name(place) if place else ""
    out = []
    for inc in session.scalars(q):
        if confidence and inc.confidence != confidence:
            continue
        if not incident_matches(inc, want_place=want_place, lo=lo, hi=hi, agent=agent, perpetrator=perpetrator):
            continue
        out.append(incident_row(inc))
    return out


def incident_matches(
    inc: Incident, *, want_place: str = "", lo: date | None = None, hi: date | None = None,
    agent: str | None = None, perpetrator: str | None = None,
) -> bool:
    """Whether an incident's chosen values pass the list filters: ``want_place`` (a
    :func:`norm_name` form) inside its English or Arabic place name, a date range
    overlapping [lo, hi], an agent, a perpetrator."""
    if want_place:
        p = _chosen(inc, "place") or {}
        names = {norm_name(p.get("name")), norm_name(p.get("name_ar"))}
        if not any(want_place in n for n in names if n):
            return False
    if lo or hi:
        r = date_range(_chosen(inc, "date"))
        if r is None or days_apart(r, (lo or date.min, hi or date.max)) != 0:
            return False
    if agent and agent not in (_chosen(inc, "agents") or []):
        return False
    return not (perpetrator and perpetrator not in (_chosen(inc, "perpetrators") or []))


@dataclass
class IncidentDetail:
    """Everything ``incidents show`` prints."""

    incident: Incident
    members: list[IncidentMember]
    links: list[tuple[FindingLink, Finding]]
    changes: list[RegisterChange]
    actors: list[tuple[IncidentActor, Actor]]
    attributions: list[Attribution]
    actor_names: dict[int, Actor]  # the actors the attributions name
    finding_symbols: dict[int, str]  # finding id -> symbol, for finding attributions


def incident_detail(session: Session, incident_id: int) -> IncidentDetail:
    """One incident with its memberships (past ones too), finding links and change history."""
    inc = get_incident(session, incident_id, active=False)
    members = list(session.scalars(select(IncidentMember).where(IncidentMember.incident_id == incident_id)
                                   .order_by(IncidentMember.id)))
    links = [(lk, f) for lk, f in session.execute(
        select(FindingLink, Finding).join(Finding, Finding.id == FindingLink.finding_id)
        .where(FindingLink.incident_id == incident_id).order_by(FindingLink.id))]
    changes = list(session.scalars(select(RegisterChange).where(RegisterChange.subject == f"incident:{incident_id}").order_by(RegisterChange.id)))
    atts = list_attributions(session, incident_id=incident_id)
    ids = {a.actor_id for a in atts if a.actor_id is not None}
    names = {a.id: a for a in session.scalars(select(Actor).where(Actor.id.in_(ids)))} if ids else {}
    symbols = {f.id: f.symbol for _lk, f in links}
    return IncidentDetail(inc, members, links, changes, incident_actors(session, incident_id), atts, names, symbols)


def list_findings(session: Session) -> list[tuple[Finding, list[int]]]:
    """Every finding in the register with the incidents it is linked to."""
    links: dict[int, list[int]] = {}
    for lk in session.scalars(select(FindingLink).where(FindingLink.active.is_(True))):
        links.setdefault(lk.finding_id, []).append(lk.incident_id)
    return [(f, sorted(links.get(f.id, []))) for f in session.scalars(select(Finding).order_by(Finding.id))]


def get_finding(session: Session, ref: str) -> Finding:
    """A finding by numeric id or register code (``iit-3-douma``)."""
    f = session.get(Finding, int(ref)) if ref.isdigit() else session.scalar(select(Finding).where(Finding.code == ref))
    if f is None:
        raise ResolveError(f"no finding {ref!r} (run `bayyina incidents resolve` to load the register)")
    return f


def link_finding(session: Session, ref: str, incident_id: int, by: str, reason: str, *, unlink: bool = False
                 ) -> FindingLink:
    """Link (or unlink) a finding and an incident by hand; the incident's confidence is recomputed."""
    if not reason.strip():
        raise ResolveError("a link needs a reason")
    f = get_finding(session, ref)
    get_incident(session, incident_id)
    lk = session.scalar(select(FindingLink).where(FindingLink.finding_id == f.id, FindingLink.incident_id == incident_id,
                                                  FindingLink.active.is_(True)))
    now = now_utc()
    if unlink:
        if lk is None:
            raise ResolveError(f"finding {f.code} is not linked to incident {incident_id}")
        # an unlink by hand is a manual decision: the automatic linker will not link this pair again
        lk.active, lk.removed_at, lk.how = False, now, "manual"
        lk.reason = f"{lk.reason} — unlinked by {by}: {reason}"
        action = "finding-unlinked"
    else:
        if lk is not None:
            raise ResolveError(f"finding {f.code} is already linked to incident {incident_id} ({lk.how})")
        lk = FindingLink(finding_id=f.id, incident_id=incident_id, how="manual", reason=reason, active=True,
                         created_at=now, created_by=by)
        session.add(lk)
        action = "finding-linked"
    session.flush()
    journal.record(session, by=by, action=action, subject=f"incident:{incident_id}",
                   what={"finding": f.code, "symbol": f.symbol, "at": iso_utc(now)}, why=reason, rows=[lk])
    refresh(session, by, f"{action}: {reason}", ResolveReport())
    return lk
