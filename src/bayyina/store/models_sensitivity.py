"""Span and field sensitivity marks (issue 6): a restricted name inside a partner
document, an incident field above the level of its sources.

* ``sensitive_spans``: ``[start, end)`` of a document's normalised text
  (``documents.norm_text``, the text evidence spans point into) at a level;
* ``sensitive_fields``: one field of an incident (``place``, ``perpetrators``,
  ... as in the extraction contract) at a level.

Rows are never deleted: unmarking sets ``active`` false with who, when and
why. Every mark and unmark appends a custody-log entry that covers the row
(kinds ``sensitive_span`` / ``sensitive_field`` registered in ``COVERED``), so
``bayyina verify`` reports a mark edited or deleted behind bayyina's back. The
marked text itself is never written to the log. Service:
:mod:`bayyina.vault.marks`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bayyina.store.models import COVERED, Base


class _Mark:
    """What span and field marks share: the level, why, who and when, and the unmarking."""

    level: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    removed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    removed_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class SensitiveSpan(_Mark, Base):
    """A span of a document's normalised text at a sensitivity above (or equal to) the document's."""

    __tablename__ = "sensitive_spans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class SensitiveField(_Mark, Base):
    """One field of an incident at a sensitivity of its own."""

    __tablename__ = "sensitive_fields"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    field: Mapped[str] = mapped_column(String(40))


_COMMON = ("level", "reason", "active", "created_at", "created_by", "removed_at", "removed_by", "removed_reason")

COVERED.update(
    {
        "sensitive_span": (SensitiveSpan, ("id", "document_id", "start", "end", *_COMMON)),
        "sensitive_field": (SensitiveField, ("id", "incident_id", "field", *_COMMON)),
    }
)
