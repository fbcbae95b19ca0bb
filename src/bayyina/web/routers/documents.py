"""``/api/documents``: stored documents, one in full, and the download of its original."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import FileResponse

from bayyina.store.models import CustodyEntry, Document
from bayyina.vault.catalog import incident_counts
from bayyina.web.clearance import original_refusal, sight, visible_document, visible_documents
from bayyina.web.deps import HomeDep, RowId, SessionDep
from bayyina.web.queries import MissingOriginal, original_of, reports_per_run
from bayyina.web.schemas import (
    CustodyEntryOut,
    DocumentDetailOut,
    DocumentSummary,
    ExtractionRunOut,
    Problem,
)

router = APIRouter(prefix="/api/documents", tags=["documents"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem, "description": "no such document"}}


def document_summary(doc: Document, incidents: int | None) -> DocumentSummary:
    """The list form of a document."""
    return DocumentSummary(
        id=doc.id, original_filename=doc.original_filename, media_type=doc.media_type, size=doc.size,
        sha256=doc.sha256, language=doc.language, source_url=doc.source_url, labels=list(doc.labels or []),
        ingested_at=doc.ingested_at, ingested_by=doc.ingested_by, parent_id=doc.parent_id, status=doc.status,
        needs_ocr=doc.needs_ocr, incidents=incidents,
    )


def custody_out(e: CustodyEntry) -> CustodyEntryOut:
    """A custody entry with its canonical JSON payload parsed."""
    try:
        payload = json.loads(e.payload)
    except ValueError:
        payload = {"raw": e.payload}
    if not isinstance(payload, dict):
        payload = {"value": payload}
    return CustodyEntryOut(seq=e.seq, ts=e.ts, actor=e.actor, action=e.action, subject=e.subject,
                           payload=payload, prev_hash=e.prev_hash, entry_hash=e.entry_hash)


@router.get("", response_model=list[DocumentSummary], summary="Stored documents")
def documents(
    session: SessionDep,
    limit: int = Query(100, ge=1, le=1000, description="at most this many"),
    offset: int = Query(0, ge=0, description="skip this many"),
    label: str | None = Query(None, max_length=200, description="only documents carrying this label"),
) -> list[DocumentSummary]:
    """Documents by id (WARC records included, with their parent) that the reader is cleared for."""
    docs = visible_documents(session, limit=limit, offset=offset, label=label)
    found = incident_counts(session, [d.id for d in docs])
    return [document_summary(d, found.get(d.id)) for d in docs]


@router.get("/{doc_id}", response_model=DocumentDetailOut, responses=NOT_FOUND, summary="One document")
def document(doc_id: RowId, session: SessionDep) -> DocumentDetailOut:
    """Metadata, custody entries, extraction runs and the latest run's incidents of one document."""
    d = visible_document(session, doc_id)
    if d is None:
        raise HTTPException(404, f"no document {doc_id}")
    per_run = reports_per_run(session, doc_id)
    base = document_summary(d.document, len(d.incidents) if d.runs else None)
    return DocumentDetailOut(
        **base.model_dump(),
        encoding=d.document.encoding,
        children=[c.id for c in d.children],
        custody=[custody_out(e) for e in d.entries],
        extraction_runs=[ExtractionRunOut(id=r.id, extractor_version=r.extractor_version, created_at=r.created_at,
                                          incidents=per_run.get(r.id, 0)) for r in d.runs],
        incident_reports=[r.data for r in d.incidents],
        original_url=f"/api/documents/{doc_id}/original",
    )


@router.get(
    "/{doc_id}/original", response_class=FileResponse, summary="Download the original",
    responses={**NOT_FOUND, 200: {"content": {"application/octet-stream": {}},
                                  "description": "the original bytes, exactly as stored"}},
)
def original(doc_id: RowId, session: SessionDep, home: HomeDep) -> FileResponse:
    """The original bytes from the vault, with their media type, file name and ``X-Content-SHA256``."""
    if not sight(session).doc(doc_id):
        raise HTTPException(404, f"no document {doc_id}")
    refused = original_refusal(session, doc_id)  # it holds a span marked above the reader's clearance
    if refused:
        raise HTTPException(403, refused)
    try:
        o = original_of(session, home.vault, doc_id)
    except MissingOriginal as exc:
        raise HTTPException(410, str(exc)) from exc
    if o is None:
        raise HTTPException(404, f"no document {doc_id}")
    return FileResponse(o.path, media_type=o.media_type, filename=o.filename,
                        headers={"X-Content-SHA256": o.sha256})
