"""``/api/actors``: people, units and organisations, one with its relations and designations."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query
from sqlalchemy.orm import Session

from bayyina.resolve.actors import ActorError, actor_vocab, get_actor, list_actors
from bayyina.store.models_actors import Actor
from bayyina.web.clearance import visible_designation
from bayyina.web.deps import RowId, SessionDep
from bayyina.web.queries import actor_designations, actor_relations
from bayyina.web.routers.sanctions import designation_out
from bayyina.web.schemas import ActorDetailOut, ActorSummary, Problem, RelationOut

router = APIRouter(prefix="/api/actors", tags=["actors"])


def actor_summary(a: Actor) -> ActorSummary:
    """The list form of an actor."""
    return ActorSummary(id=a.id, kind=a.kind, name_en=a.name_en, name_ar=a.name_ar, aliases=list(a.aliases or []),
                        rank=a.rank, nationality=a.nationality, status=a.status)


@router.get("", response_model=list[ActorSummary], responses={400: {"model": Problem}}, summary="Actors")
def actors(
    session: SessionDep,
    kind: str | None = Query(None, max_length=20, description="person, unit or organization"),
    status: str | None = Query(None, max_length=20, description="review state"),
) -> list[ActorSummary]:
    """Actors, oldest first, optionally of one kind or review state."""
    if kind and kind not in actor_vocab().kinds:
        raise HTTPException(400, f"kind: unknown actor kind {kind!r} (one of: {', '.join(actor_vocab().kinds)})")
    return [actor_summary(a) for a in list_actors(session, kind=kind, status=status)]


def load_actor(session: Session, actor_id: int) -> Actor:
    """An actor by id, or 404."""
    try:
        return get_actor(session, actor_id)
    except ActorError as exc:
        raise HTTPException(404, f"no actor {actor_id}") from exc


@router.get("/{actor_id}", response_model=ActorDetailOut, responses={404: {"model": Problem}}, summary="One actor")
def actor(actor_id: RowId, session: SessionDep) -> ActorDetailOut:
    """An actor with its active relations (either side) and its designations."""
    a = load_actor(session, actor_id)
    rels = [RelationOut(id=r.relation.id, type=r.relation.type, subject_id=r.relation.subject_id, subject=r.subject,
                        object_id=r.relation.object_id, object=r.object, start_date=r.relation.start_date,
                        end_date=r.relation.end_date, source=r.relation.source)
            for r in actor_relations(session, a)]
    des = [designation_out(visible_designation(session, d), a, None) for d in actor_designations(session, a)]
    return ActorDetailOut(**actor_summary(a).model_dump(), notes=a.notes, relations=rels, designations=des)
