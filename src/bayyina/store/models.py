"""SQLAlchemy 2 models: documents, custody log, checkpoints, extraction runs, incidents.

Rows are never hard-deleted: a withdrawn document keeps its row and changes
``status``. Every row a custody-log entry covers is listed in
:data:`COVERED` with the columns its digest is computed over (see
:mod:`bayyina.vault.digest`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of every bayyina table."""


class Document(Base):
    """One original (or one HTML record inside a WARC original) and its text layer."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # top-level: the sha256; WARC child: "<parent sha256>/<record offset>"
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(100))
    original_filename: Mapped[str] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    labels: Mapped[list[str]] = mapped_column(JSON, default=list)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ingested_by: Mapped[str] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    encoding: Mapped[str | None] = mapped_column(String(50), nullable=True)
    needs_ocr: Mapped[bool] = mapped_column(Boolean, default=False)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True, index=True)
    raw_text: Mapped[str] = mapped_column(Text, default="")
    norm_text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(30), default="active")
    # public | partner | restricted (bayyina.store.sensitivity); not in the row digest:
    # reclassification is its own logged change
    sensitivity: Mapped[str] = mapped_column(String(20), default="public", server_default="public", index=True)


class CustodyEntry(Base):
    """One entry of the append-only, hash-chained custody log."""

    __tablename__ = "custody_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    prev_hash: Mapped[str] = mapped_column(String(64))
    ts: Mapped[str] = mapped_column(String(40))  # ISO-8601 UTC, exactly as hashed
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60), index=True)
    subject: Mapped[str] = mapped_column(String(200), index=True)
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON, exactly as hashed
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)


class Checkpoint(Base):
    """An Ed25519 signature over the log head at some moment."""

    __tablename__ = "checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))
    ts: Mapped[str] = mapped_column(String(40))
    key_id: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(200))  # hex


class ExtractionRun(Base):
    """One run of the extractor over one document; older runs are kept."""

    __tablename__ = "extraction_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    extractor_version: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)


class IncidentReport(Base):
    """One incident a run found in a document (contract shape, with evidence spans)."""

    __tablename__ = "incident_reports"
    __table_args__ = (UniqueConstraint("run_id", "idx"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("extraction_runs.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    idx: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


# kind -> (model, columns covered by the row digest)
COVERED: dict[str, tuple[type[Base], tuple[str, ...]]] = {
    "document": (
        Document,
        (
            "id", "dedupe_key", "sha256", "size", "media_type", "original_filename", "source_url",
            "labels", "ingested_at", "ingested_by", "language", "encoding", "needs_ocr",
            "parent_id", "raw_text", "norm_text", "status",
        ),
    ),
    "extraction_run": (ExtractionRun, ("id", "document_id", "extractor_version", "created_at", "result")),
    "incident_report": (IncidentReport, ("id", "run_id", "document_id", "idx", "data")),
}

# the incident register's tables and covered kinds (registers itself into COVERED)
import bayyina.store.models_resolve

# actors, relations, designations, events and changes (their covered kinds)
from bayyina.store.models_actors import ACTOR_COVERED

COVERED.update(ACTOR_COVERED)

# users, sessions, tokens (web); public releases; span and field sensitivity marks (issue 6);
# partner keys and received bundles
import bayyina.store.models_auth
import bayyina.store.models_publish
import bayyina.store.models_sensitivity
import bayyina.store.models_share  # noqa: F401
