"""SQLAlchemy models of actors, their relations, sanctions designations and the change record.

* ``actors`` — people, units and organisations with Arabic and English names.
* ``actor_relations`` — member_of / commands / subordinate_to with a time span.
* ``designations`` — one sanctions listing of one actor by one authority.
* ``designation_events`` — designation, renewal, amendment, delisting, expiry.
* ``changes`` — who changed which row, when, what and why.

Dates of the domain (start, expiry, relation spans) are ISO ``YYYY-MM-DD``
strings: exact, ordered as text, and hashed as they are by the custody log's
row digests. Nothing is hard-deleted: a delisted designation or a retracted
relation keeps its row and changes ``status``. Every row is covered by the
custody log (``store/models.py:COVERED``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bayyina.store.models import Base


class Actor(Base):
    """A person, military unit or organisation."""

    __tablename__ = "actors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)  # person | unit | organization
    name_en: Mapped[str | None] = mapped_column(Text, nullable=True)
    name_ar: Mapped[str | None] = mapped_column(Text, nullable=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    rank: Mapped[str | None] = mapped_column(String(100), nullable=True)
    nationality: Mapped[str | None] = mapped_column(String(50), nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft | in_review | approved | published
    notes: Mapped[str] = mapped_column(Text, default="")
    ftm_id: Mapped[str | None] = mapped_column(String(200), nullable=True, unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))


class ActorRelation(Base):
    """subject --type--> object, valid from start_date to end_date (either may be open)."""

    __tablename__ = "actor_relations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("actors.id"), index=True)
    object_id: Mapped[int] = mapped_column(ForeignKey("actors.id"), index=True)
    type: Mapped[str] = mapped_column(String(30))  # member_of | commands | subordinate_to
    start_date: Mapped[str | None] = mapped_column(String(10), nullable=True)
    end_date: Mapped[str | None] = mapped_column(String(10), nullable=True)
    source: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="active")  # active | retracted
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))


class Designation(Base):
    """One sanctions designation of one actor by one authority."""

    __tablename__ = "designations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    authority: Mapped[str] = mapped_column(String(20), index=True)  # EU | FR | UK | US | CA | ...
    programme: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id"), index=True)
    measures: Mapped[list[str]] = mapped_column(JSON, default=list)
    start_date: Mapped[str] = mapped_column(String(10))
    duration_months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    expiry_date: Mapped[str | None] = mapped_column(String(10), nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(20), default="active")  # active | expired | delisted
    delisted_on: Mapped[str | None] = mapped_column(String(10), nullable=True)
    reasons_en: Mapped[str] = mapped_column(Text, default="")
    reasons_ar: Mapped[str] = mapped_column(Text, default="")
    incident_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    evidence: Mapped[list[int]] = mapped_column(JSON, default=list)  # document ids
    review_status: Mapped[str] = mapped_column(String(20), default="draft")
    ftm_id: Mapped[str | None] = mapped_column(String(200), nullable=True, unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))


class DesignationEvent(Base):
    """A step in a designation's life: designated, renewal, amendment, delisting, expiry."""

    __tablename__ = "designation_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    designation_id: Mapped[int] = mapped_column(ForeignKey("designations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    date: Mapped[str] = mapped_column(String(10))
    who: Mapped[str] = mapped_column(String(200))
    why: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Change(Base):
    """Who changed which row, when, what (field: [before, after]) and why."""

    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ts: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    who: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), index=True)  # covered kind of the row: actor, designation …
    row_id: Mapped[int] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(40))
    what: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    why: Mapped[str] = mapped_column(Text, default="")


ACTOR_COVERED: dict[str, tuple[type[Base], tuple[str, ...]]] = {
    "actor": (
        Actor,
        ("id", "kind", "name_en", "name_ar", "aliases", "rank", "nationality", "status", "notes", "ftm_id",
         "created_at", "created_by"),
    ),
    "actor_relation": (
        ActorRelation,
        ("id", "subject_id", "object_id", "type", "start_date", "end_date", "source", "status", "created_at",
         "created_by"),
    ),
    "designation": (
        Designation,
        ("id", "authority", "programme", "legal_basis", "actor_id", "measures", "start_date", "duration_months",
         "expiry_date", "status", "delisted_on", "reasons_en", "reasons_ar", "incident_ids", "evidence",
         "review_status", "ftm_id", "created_at", "created_by"),
    ),
    "designation_event": (
        DesignationEvent, ("id", "designation_id", "kind", "date", "who", "why", "details", "recorded_at"),
    ),
    "change": (Change, ("id", "ts", "who", "kind", "row_id", "action", "what", "why")),
}
"""Kinds and covered columns, merged into :data:`bayyina.store.models.COVERED`."""
