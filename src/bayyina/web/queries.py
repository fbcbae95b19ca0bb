"""Read-only queries the web app needs and the service layers do not offer yet.

Dashboard counts and "latest" lists, the original of a document in the
vault, one incident laid out for reading (values side by side, member reports
with their document text and evidence spans), actors with their relations and
designations, designations ordered expiring-soonest first. Nothing here
writes; the routes call these and render the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bayyina.resolve.actors import label, relations_of
from bayyina.resolve.queries import incident_detail, incident_row
from bayyina.resolve.spans import today
from bayyina.sanctions.designations import list_designations
from bayyina.store.models import Document, IncidentReport
from bayyina.store.models_actors import Actor, ActorRelation, Designation
from bayyina.store.models_resolve import Finding, FindingLink, Incident
from bayyina.vault.blobs import Vault

FIELDS = ("place", "date", "agents", "means", "killed", "injured", "perpetrators")


# --------------------------------------------------------------------------- dashboard


def counts(session: Session) -> dict[str, int]:
    """How many documents, active incidents, actors and active designations are stored."""

    def n(q: Any) -> int:
        return int(session.scalar(q) or 0)

    return {
        "documents": n(select(func.count()).select_from(Document)),
        "incidents": n(select(func.count()).select_from(Incident).where(Incident.active.is_(True))),
        "actors": n(select(func.count()).select_from(Actor)),
        "designations": n(select(func.count()).select_from(Designation).where(Designation.status == "active")),
    }


def latest_documents(session: Session, limit: int = 10) -> list[Document]:
    """The most recently stored documents, newest first."""
    return list(session.scalars(select(Document).order_by(Document.id.desc()).limit(limit)))


def latest_incidents(session: Session, limit: int = 10) -> list[dict[str, Any]]:
    """The most recently changed active incidents (flat rows), newest first."""
    q = select(Incident).where(Incident.active.is_(True)).order_by(Incident.updated_at.desc(), Incident.id.desc())
    return [incident_row(i) for i in session.scalars(q.limit(limit))]


def reports_per_run(session: Session, doc_id: int) -> dict[int, int]:
    """How many incident reports each extraction run of a document found."""
    q = (select(IncidentReport.run_id, func.count()).where(IncidentReport.document_id == doc_id)
         .group_by(IncidentReport.run_id))
    return {int(run_id): int(n) for run_id, n in session.execute(q)}


# --------------------------------------------------------------------------- originals


@dataclass
class Original:
    """Where a document's original bytes are and how to serve them."""

    path: Path
    media_type: str
    filename: str
    sha256: str
    size: int


class MissingOriginal(Exception):
    """The catalogue knows the document but the vault lacks its bytes (run ``bayyina verify``)."""


def original_of(session: Session, vault: Vault, doc_id: int) -> Original | None:
    """The original of a document (None: no such document); MissingOriginal when its blob is gone."""
    doc = session.get(Document, doc_id)
    if doc is None:
        return None
    path = vault.path_for(doc.sha256)
    if not path.is_file():
        raise MissingOriginal(f"document {doc_id}: original {doc.sha256} is missing from the vault")
    name = Path(doc.original_filename or "").name or f"document-{doc_id}"
    return Original(path, doc.media_type or "application/octet-stream", name, doc.sha256, doc.size)


# --------------------------------------------------------------------------- evidence highlighting


def highlight(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, inside-a-span) pieces; overlapping spans merge, offsets are clamped."""
    n = len(text)
    cleaned = sorted((max(0, min(s, n)), max(0, min(e, n))) for s, e in spans)
    merged: list[list[int]] = []
    for s, e in cleaned:
        if e <= s:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out: list[tuple[str, bool]] = []
    pos = 0
    for s, e in merged:
        if s > pos:
            out.append((text[pos:s], False))
        out.append((text[s:e], True))
        pos = e
    if pos < n:
        out.append((text[pos:], False))
    return out


# --------------------------------------------------------------------------- incidents


@dataclass
class MemberView:
    """One report of an incident: its document, source, evidence spans and the text cut for marking."""

    report_id: int
    document_id: int
    filename: str
    language: str | None
    source: str
    active: bool
    evidence: list[dict[str, Any]]
    segments: list[tuple[str, bool]]


@dataclass
class IncidentView:
    """One incident laid out for reading."""

    incident: Incident
    row: dict[str, Any]
    fields: list[dict[str, Any]]
    attributions: list[dict[str, Any]]
    findings: list[tuple[FindingLink, Finding]]
    members: list[MemberView] = field(default_factory=list)


def incident_view(session: Session, incident_id: int) -> IncidentView:
    """An incident with its values, attributions, findings and member reports (ResolveError: unknown)."""
    detail = incident_detail(session, incident_id)
    inc = detail.incident
    chosen = inc.chosen or {}
    fields = []
    for name in FIELDS:
        f = chosen.get(name) or {}
        fields.append({
            "name": name,
            "chosen": f.get("chosen"),
            "chosen_text": f.get("chosen_text") or "—",
            "why": f.get("why") or "",
            "values": f.get("values") or [],
        })
    members: list[MemberView] = []
    report_ids = [m.incident_report_id for m in detail.members]
    reports = {r.id: r for r in session.scalars(select(IncidentReport).where(IncidentReport.id.in_(report_ids)))} \
        if report_ids else {}
    sources = {int(m["report_id"]): str(m.get("source") or "") for m in chosen.get("members") or []}
    docs: dict[int, Document | None] = {}
    for m in detail.members:
        rep = reports.get(m.incident_report_id)
        if rep is None:
            continue
        if rep.document_id not in docs:
            docs[rep.document_id] = session.get(Document, rep.document_id)
        doc = docs[rep.document_id]
        if doc is None:
            continue
        evidence = [e for e in (rep.data or {}).get("evidence") or [] if isinstance(e, dict)]
        spans = [(int(e.get("start") or 0), int(e.get("end") or 0)) for e in evidence]
        members.append(MemberView(
            report_id=rep.id, document_id=doc.id, filename=Path(doc.original_filename or "").name,
            language=doc.language, source=sources.get(rep.id, ""), active=m.active, evidence=evidence,
            segments=highlight(doc.norm_text or "", spans),
        ))
    # attribution rows (reports and linked findings, with the accused actor and span); an incident
    # not resolved since they exist falls back to the claims kept in its values
    atts: list[dict[str, Any]] = list(chosen.get("attributions") or [])
    if detail.attributions:
        symbols = detail.finding_symbols
        names = {i: x.name_en or x.name_ar for i, x in detail.actor_names.items()}
        atts = [{"id": a.id, "by": a.body, "stance": a.stance, "against": a.against, "actor_id": a.actor_id,
                 "actor": names.get(a.actor_id or 0),
                 "date": a.date, "document_id": a.document_id, "report_id": a.report_id, "finding_id": a.finding_id,
                 "source": sources.get(a.report_id or 0) if a.finding_id is None
                 else f"finding {symbols.get(a.finding_id, a.finding_id)}",
                 "span_start": a.span_start, "span_end": a.span_end, "span_text": a.span_text}
                for a in detail.attributions]
    return IncidentView(inc, incident_row(inc), fields, atts, detail.links, members)


# --------------------------------------------------------------------------- actors


@dataclass
class RelationView:
    """A relation seen from one actor: the other side named."""

    relation: ActorRelation
    subject: str
    object: str


def actor_relations(session: Session, actor: Actor) -> list[RelationView]:
    """The active relations of an actor with both sides labelled."""
    out = []
    for r in relations_of(session, actor):
        subj = session.get(Actor, r.subject_id)
        obj = session.get(Actor, r.object_id)
        out.append(RelationView(r, label(subj) if subj else f"#{r.subject_id}", label(obj) if obj else f"#{r.object_id}"))
    return out


def actor_designations(session: Session, actor: Actor) -> list[Designation]:
    """The designations of one actor, oldest first."""
    return list_designations(session, actor=actor)


# --------------------------------------------------------------------------- sanctions


@dataclass
class DesignationView:
    """A designation with its actor and the days left before it expires (None: open-ended or ended)."""

    designation: Designation
    actor: Actor | None
    days_left: int | None


def designations_by_expiry(session: Session, *, on: str | None = None, within: int | None = None
                           ) -> list[DesignationView]:
    """Designations, active ones expiring soonest first, then open-ended, then ended ones.

    ``within``: only active designations expiring within that many days of ``on`` (default today).
    """
    day = date.fromisoformat(on or today())
    actors: dict[int, Actor | None] = {}
    out = []
    for d in list_designations(session):
        if d.actor_id not in actors:
            actors[d.actor_id] = session.get(Actor, d.actor_id)
        left = (date.fromisoformat(d.expiry_date) - day).days if d.expiry_date and d.status == "active" else None
        if within is not None and (left is None or left > within):
            continue
        out.append(DesignationView(d, actors[d.actor_id], left))

    def order(v: DesignationView) -> tuple[int, int, int]:
        if v.days_left is not None:
            return (0, v.days_left, v.designation.id)
        return (1 if v.designation.status == "active" else 2, 0, v.designation.id)

    return sorted(out, key=order)
