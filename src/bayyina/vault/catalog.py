"""Read-only queries over stored documents for the CLI and the web app."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bayyina.store.models import CustodyEntry, Document, ExtractionRun, IncidentReport
from bayyina.vault import custody


@dataclass
class DocumentDetail:
    """One document with what hangs off it."""

    document: Document
    children: list[Document] = field(default_factory=list)
    runs: list[ExtractionRun] = field(default_factory=list)
    incidents: list[IncidentReport] = field(default_factory=list)  # of the latest run
    entries: list[CustodyEntry] = field(default_factory=list)


def list_documents(
    session: Session, *, limit: int = 100, offset: int = 0, label: str | None = None
) -> list[Document]:
    """Documents by id (children included), optionally those carrying a label."""
    q = select(Document).order_by(Document.id)
    if not label:
        return list(session.scalars(q.limit(limit).offset(offset)))
    docs = [d for d in session.scalars(q) if label in (d.labels or [])]  # JSON queries differ per dialect
    return docs[offset : offset + limit]


def count_documents(session: Session) -> int:
    """Number of document rows."""
    return int(session.scalar(select(func.count()).select_from(Document)) or 0)


def incident_counts(session: Session, doc_ids: list[int]) -> dict[int, int]:
    """Incidents found by the latest run of each document (absent: never extracted)."""
    if not doc_ids:
        return {}
    latest = (
        select(ExtractionRun.document_id, func.max(ExtractionRun.id).label("run_id"))
        .where(ExtractionRun.document_id.in_(doc_ids))
        .group_by(ExtractionRun.document_id)
        .subquery()
    )
    out = {int(r.document_id): 0 for r in session.execute(select(latest))}
    q = (
        select(IncidentReport.document_id, func.count())
        .join(latest, IncidentReport.run_id == latest.c.run_id)
        .group_by(IncidentReport.document_id)
    )
    for doc_id, n in session.execute(q):
        out[int(doc_id)] = int(n)
    return out


def get_document(session: Session, doc_id: int) -> DocumentDetail | None:
    """A document and its children, runs, latest incidents and custody entries."""
    doc = session.get(Document, doc_id)
    if doc is None:
        return None
    children = list(session.scalars(select(Document).where(Document.parent_id == doc_id).order_by(Document.id)))
    runs = list(session.scalars(select(ExtractionRun).where(ExtractionRun.document_id == doc_id).order_by(ExtractionRun.id)))
    incidents: list[IncidentReport] = []
    if runs:
        incidents = list(
            session.scalars(select(IncidentReport).where(IncidentReport.run_id == runs[-1].id).order_by(IncidentReport.idx))
        )
    entries = list(custody.entries(session, subject=f"document:{doc_id}"))
    return DocumentDetail(doc, children, runs, incidents, entries)
