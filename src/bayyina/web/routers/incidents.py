"""``/api/incidents``: the incident register, filtered, and one incident in full."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from sqlalchemy.orm import Session

from bayyina.resolve.incidents import ResolveError
from bayyina.resolve.queries import CONFIDENCES
from bayyina.web.clearance import redact_view, visible_incidents
from bayyina.web.deps import RowId, SessionDep
from bayyina.web.queries import IncidentView, incident_view
from bayyina.web.schemas import (
    AttributionOut,
    EvidenceOut,
    FieldOut,
    FindingOut,
    IncidentDetailOut,
    IncidentSummary,
    MemberOut,
    Problem,
    ReportRefOut,
    ValueOut,
)

router = APIRouter(prefix="/api/incidents", tags=["incidents"])


def incident_filters(
    place: str | None = Query(None, max_length=200, description="place name (Arabic or English), part of it"),
    date_from: str | None = Query(None, alias="from", max_length=10, description="on or after this day (YYYY-MM-DD)"),
    date_to: str | None = Query(None, alias="to", max_length=10, description="on or before this day (YYYY-MM-DD)"),
    agent: str | None = Query(None, max_length=100, description="agent code, e.g. chlorine, sarin"),
    perpetrator: str | None = Query(None, max_length=100, description="perpetrator code, e.g. syrian-government"),
    confidence: str | None = Query(None, max_length=30, description="one of " + ", ".join(CONFIDENCES)),
) -> dict[str, str | None]:
    """The filters shared by the API and the incidents page (empty strings mean no filter)."""
    raw = {"place": place, "date_from": date_from, "date_to": date_to, "agent": agent,
           "perpetrator": perpetrator, "confidence": confidence}
    return {k: (v.strip() or None) if isinstance(v, str) else None for k, v in raw.items()}


FiltersDep = Annotated[dict[str, str | None], Depends(incident_filters)]


def filtered_incidents(session: Session, filters: dict[str, str | None]) -> list[dict[str, Any]]:
    """The incidents the reader may see (``web.clearance.visible_incidents``) with the filters;
    a bad filter is a 400 naming it."""
    try:
        return visible_incidents(session, place=filters["place"], date_from=filters["date_from"],
                              date_to=filters["date_to"], agent=filters["agent"],
                              perpetrator=filters["perpetrator"], confidence=filters["confidence"])
    except ResolveError as exc:
        raise HTTPException(400, str(exc).replace("--", "")) from exc


def get_incident_view(session: Session, incident_id: int) -> IncidentView:
    """One incident for reading, as the reader may see it; 404 when unknown or none of its sources is visible."""
    try:
        v = redact_view(session, incident_view(session, incident_id))
    except ResolveError as exc:
        raise HTTPException(404, f"no incident {incident_id}") from exc
    if v is None:
        raise HTTPException(404, f"no incident {incident_id}")
    return v


@router.get("", response_model=list[IncidentSummary], responses={400: {"model": Problem}},
            summary="Incidents, filtered")
def incidents(session: SessionDep,
              filters: FiltersDep) -> list[IncidentSummary]:
    """Active incidents matching every given filter, by id."""
    return [IncidentSummary(**row) for row in filtered_incidents(session, filters)]


def _evidence(items: Any) -> list[EvidenceOut]:
    out = []
    for e in items or []:
        if isinstance(e, dict):
            out.append(EvidenceOut(start=int(e.get("start") or 0), end=int(e.get("end") or 0),
                                   text=str(e.get("text") or "")))
    return out


def incident_out(v: IncidentView) -> IncidentDetailOut:
    """The API form of an incident view."""
    inc = v.incident
    fields = [
        FieldOut(name=f["name"], chosen=f["chosen"], chosen_text=f["chosen_text"], why=f["why"], values=[
            ValueOut(value=val.get("value"), text=str(val.get("text") or ""), reports=[
                ReportRefOut(document_id=int(r.get("document_id") or 0), report_id=int(r.get("report_id") or 0),
                             source=str(r.get("source") or ""), evidence=_evidence(r.get("evidence")))
                for r in val.get("reports") or []])
            for val in f["values"]
        ])
        for f in v.fields
    ]
    return IncidentDetailOut(
        **v.row,
        superseded_by=inc.superseded_by,
        confidence_reason=inc.confidence_reason,
        fields=fields,
        attributions=[AttributionOut(**{k: a.get(k) for k in AttributionOut.model_fields}) for a in v.attributions],
        findings=[FindingOut(code=f.code, body=f.body, symbol=f.symbol, title=f.title, date=f.date, outcome=f.outcome,
                             party_named=f.party_named, link_how=lk.how, link_reason=lk.reason,
                             link_active=lk.active) for lk, f in v.findings],
        members=[MemberOut(report_id=m.report_id, document_id=m.document_id, filename=m.filename,
                           language=m.language, source=m.source, active=m.active, evidence=_evidence(m.evidence))
                 for m in v.members],
    )


@router.get("/{incident_id}", response_model=IncidentDetailOut, responses={404: {"model": Problem}},
            summary="One incident in full")
def incident(incident_id: RowId, session: SessionDep) -> IncidentDetailOut:
    """Values side by side with the chosen one and why, confidence and its reason, attributions,
    official findings, and the member reports with their evidence spans."""
    return incident_out(get_incident_view(session, incident_id))
