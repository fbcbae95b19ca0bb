"""``/api/sanctions``: designations, active ones expiring soonest first."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query

from bayyina.resolve.actors import label
from bayyina.store.models_actors import Actor, Designation
from bayyina.web.clearance import visible_designation
from bayyina.web.deps import SessionDep
from bayyina.web.queries import designations_by_expiry
from bayyina.web.schemas import DesignationOut, Problem

router = APIRouter(prefix="/api/sanctions", tags=["sanctions"])


def designation_out(d: Designation, actor: Actor | None, days_left: int | None) -> DesignationOut:
    """The API form of a designation."""
    return DesignationOut(
        id=d.id, authority=d.authority, programme=d.programme, legal_basis=d.legal_basis, actor_id=d.actor_id,
        actor=label(actor) if actor else None, measures=list(d.measures or []), start_date=d.start_date,
        expiry_date=d.expiry_date, days_left=days_left, status=d.status, delisted_on=d.delisted_on,
        reasons_en=d.reasons_en, reasons_ar=d.reasons_ar, incident_ids=list(d.incident_ids or []),
        evidence=list(d.evidence or []), review_status=d.review_status,
    )


@router.get("", response_model=list[DesignationOut], responses={400: {"model": Problem}},
            summary="Designations, expiring soon first")
def sanctions(
    session: SessionDep,
    within: int | None = Query(None, ge=0, le=36500, description="only active designations expiring within N days"),
    on: str | None = Query(None, max_length=10, description="count days from this day (YYYY-MM-DD; default today)"),
) -> list[DesignationOut]:
    """Active designations by expiry (soonest first), then open-ended ones, then expired or delisted."""
    try:
        views = designations_by_expiry(session, on=on, within=within)
    except ValueError as exc:
        raise HTTPException(400, f"on: {on!r} is not a date (YYYY-MM-DD)") from exc
    return [designation_out(visible_designation(session, v.designation), v.actor, v.days_left) for v in views]
