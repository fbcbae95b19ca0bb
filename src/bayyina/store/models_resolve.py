"""SQLAlchemy models of the incident register: incidents, their member reports,
analyst judgements, the official-findings register, finding links and the
change journal (``register_changes``); since migration ``0007_resolve_links``
also the links between incidents and actors (``incident_actors``), the claims
about who did it (``attributions``), the actors seeded for contract codes
(``actor_codes``) and actor merges (``actor_merges``).

Nothing here is hard-deleted. An incident that was merged into another keeps
its row (``active`` false, ``superseded_by`` set); a report that leaves an
incident keeps its membership row (``active`` false, ``removed_at`` set); a
judgement is reversed by a newer judgement on the same pair. Every row is
covered by the custody log (kinds registered in ``COVERED`` at the bottom).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bayyina.store.models import COVERED, Base

REVIEW_STATES = ("draft", "in_review", "approved", "published")
DECISIONS = ("positive", "negative", "unsure")
LINK_ROLES = ("perpetrator", "accused", "finding")


class Incident(Base):
    """One attack in the register, made of incident reports from one or more documents."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")  # review state
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), nullable=True)
    chosen: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # field -> chosen value and why
    confidence: Mapped[str] = mapped_column(String(20), default="single-source")
    confidence_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class IncidentMember(Base):
    """A report that makes (or made) an incident; leaving sets ``active`` false, never deletes."""

    __tablename__ = "incident_members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    incident_report_id: Mapped[int] = mapped_column(ForeignKey("incident_reports.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Judgement(Base):
    """An analyst's decision on a pair of reports (positive: same attack, negative: not).

    ``left_key`` / ``right_key`` hold what identifies the report across
    re-extraction (document, place, dates), so the decision is replayed on the
    reports of newer extraction runs. The newest judgement on a pair wins.
    """

    __tablename__ = "judgements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    left_report_id: Mapped[int] = mapped_column(ForeignKey("incident_reports.id"), index=True)
    right_report_id: Mapped[int] = mapped_column(ForeignKey("incident_reports.id"), index=True)
    left_key: Mapped[dict[str, Any]] = mapped_column(JSON)
    right_key: Mapped[dict[str, Any]] = mapped_column(JSON)
    decision: Mapped[str] = mapped_column(String(10))
    by: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(Text)


class Finding(Base):
    """One formal investigation's conclusion, loaded from the shipped register."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    body: Mapped[str] = mapped_column(String(40))
    symbol: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(Text)
    date: Mapped[str] = mapped_column(String(10))
    outcome: Mapped[str] = mapped_column(String(30))
    conclusion: Mapped[str] = mapped_column(Text)
    party: Mapped[str | None] = mapped_column(String(60), nullable=True)
    party_named: Mapped[str | None] = mapped_column(Text, nullable=True)
    citation: Mapped[str] = mapped_column(Text)
    incidents: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FindingLink(Base):
    """A finding tied to an incident (``auto``: by place and date; ``manual``: by an analyst)."""

    __tablename__ = "finding_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id"), index=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    how: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class RegisterChange(Base):
    """Who changed what in the incident register, when and why (also a custody-log entry).

    Its own table: the actors/sanctions area keeps its journal in ``changes``.
    """

    __tablename__ = "register_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    by: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40), index=True)
    subject: Mapped[str] = mapped_column(String(100), index=True)
    what: Mapped[dict[str, Any]] = mapped_column(JSON)
    why: Mapped[str] = mapped_column(Text)


class ActorCode(Base):
    """The actor a contract actor code (``syrian-government``, ``isis`` ...) stands for.

    Seeded from ``resolve/data/perpetrator_actors.json`` the first time a resolve
    meets the code; kept afterwards (renaming the actor does not seed another).
    """

    __tablename__ = "actor_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))


class IncidentActor(Base):
    """An actor tied to an incident: said to have done it (``perpetrator``), accused in an
    attribution (``accused``) or named by a linked official finding (``finding``).

    Derived by every resolve from the member reports and linked findings; a link
    that no longer holds is closed (``active`` false, ``removed_at``), never deleted.
    """

    __tablename__ = "incident_actors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    said: Mapped[list[str]] = mapped_column(JSON, default=list)  # the codes / names as given
    how: Mapped[str] = mapped_column(Text, default="")  # how the actor was found (code, name match)
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)  # "report:12", "finding:3"
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Attribution(Base):
    """A claim about who did an incident: ``body`` says ``against`` did it, with a stance.

    Claims, not truths. From a member report (document, report and the evidence
    span that carries it) or from a linked official finding (``finding_id``,
    stance ``finding``). ``key`` identifies the claim across re-extraction
    (document or finding, body, accused, stance), so a re-resolve updates the
    row instead of adding another.
    """

    __tablename__ = "attributions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    key: Mapped[str] = mapped_column(String(300), index=True)
    body: Mapped[str] = mapped_column(String(60))  # who says so (contract body code)
    stance: Mapped[str] = mapped_column(String(20))  # finding | allegation | denial
    against: Mapped[str | None] = mapped_column(Text, nullable=True)  # the accused as said (code or name)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id"), nullable=True, index=True)
    date: Mapped[str | None] = mapped_column(String(10), nullable=True)  # when it was said, if known
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True, index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("incident_reports.id"), nullable=True)
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id"), nullable=True)
    span_start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    span_end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    span_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ActorMerge(Base):
    """An analyst's judgement that actor ``merged_id`` is actor ``kept_id`` (a redirect).

    ``moved`` records what moved to the kept actor (relation sides, designations,
    names added as aliases), so ``actors unmerge`` can move exactly that back.
    An undone merge keeps its row (``active`` false, ``undone_*`` set).
    """

    __tablename__ = "actor_merges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kept_id: Mapped[int] = mapped_column(ForeignKey("actors.id"), index=True)
    merged_id: Mapped[int] = mapped_column(ForeignKey("actors.id"), index=True)
    moved: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    undone_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    undo_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


COVERED.update(
    {
        "incident": (
            Incident,
            ("id", "status", "active", "superseded_by", "chosen", "confidence", "confidence_reason",
             "created_at", "created_by", "updated_at"),
        ),
        "incident_member": (
            IncidentMember, ("id", "incident_id", "incident_report_id", "active", "added_at", "removed_at"),
        ),
        "judgement": (
            Judgement,
            ("id", "left_report_id", "right_report_id", "left_key", "right_key", "decision", "by", "at", "reason"),
        ),
        "finding": (
            Finding,
            ("id", "code", "body", "symbol", "title", "date", "outcome", "conclusion", "party", "party_named",
             "citation", "incidents", "loaded_at"),
        ),
        "finding_link": (
            FindingLink,
            ("id", "finding_id", "incident_id", "how", "reason", "active", "created_at", "created_by", "removed_at"),
        ),
        "register_change": (RegisterChange, ("id", "at", "by", "action", "subject", "what", "why")),
        "actor_code": (ActorCode, ("id", "code", "actor_id", "created_at", "created_by")),
        "incident_actor": (
            IncidentActor,
            ("id", "incident_id", "actor_id", "role", "said", "how", "sources", "active", "created_at", "created_by",
             "removed_at"),
        ),
        "attribution": (
            Attribution,
            ("id", "incident_id", "key", "body", "stance", "against", "actor_id", "date", "document_id", "report_id",
             "finding_id", "span_start", "span_end", "span_text", "active", "created_at", "created_by", "removed_at"),
        ),
        "actor_merge": (
            ActorMerge,
            ("id", "kept_id", "merged_id", "moved", "reason", "by", "at", "active", "undone_at", "undone_by",
             "undo_reason"),
        ),
    }
)
