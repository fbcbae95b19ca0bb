"""Storing extraction results: one ``extraction_runs`` row per run, one
``incident_reports`` row per incident, one custody entry covering them.

The extractor itself lives in :mod:`bayyina.extract.api`; if it cannot be
imported or fails, a warning is logged and nothing is stored — ingest goes on.
Older runs are never replaced: a re-run adds a new run.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bayyina.store.models import Base, Document, ExtractionRun, IncidentReport
from bayyina.vault import custody
from bayyina.vault.canonical import now_utc

log = logging.getLogger("bayyina.extraction")


def extractor_version() -> str:
    """A label for the extractor code that produced a run."""
    try:
        from bayyina.extract import api

        v = getattr(api, "EXTRACTOR_VERSION", None) or getattr(api, "__version__", None)
        if v:
            return str(v)
    except Exception:  # noqa: BLE001 - api module itself broken: fall back to the package version
        v = None
    try:
        from importlib.metadata import version

        return "bayyina-" + version("bayyina")
    except Exception:  # noqa: BLE001
        return "bayyina-unknown"


def call_extractor(doc: Document) -> dict[str, Any] | None:
    """Run the extractor on a document's normalised text; None (and a warning) on any failure."""
    try:
        from bayyina.extract.api import extract_document

        result = extract_document(
            doc.norm_text, source=os.path.basename(doc.original_filename), language=doc.language
        )
    except ImportError as exc:  # the pipeline is not installed / not written yet
        log.warning("extraction unavailable, documents stored without incidents: %s", exc)
        return None
    except Exception as exc:  # noqa: BLE001 - an extractor bug must not stop ingest
        log.warning("extraction skipped for document %s: %s: %s", doc.id, exc.__class__.__name__, exc)
        return None
    if not isinstance(result, dict):
        log.warning("extraction skipped for document %s: extractor returned %s", doc.id, type(result).__name__)
        return None
    return result


def store_run(session: Session, doc: Document, result: dict[str, Any], actor: str) -> ExtractionRun:
    """Add a run and its incidents and log them (in the caller's transaction)."""
    run = ExtractionRun(
        document_id=doc.id, extractor_version=extractor_version(), created_at=now_utc(), result=result
    )
    session.add(run)
    session.flush()
    rows: list[Base] = [run]
    incidents = result.get("incidents") or []
    for i, inc in enumerate(incidents if isinstance(incidents, list) else []):
        rep = IncidentReport(run_id=run.id, document_id=doc.id, idx=i, data=inc if isinstance(inc, dict) else {})
        session.add(rep)
        rows.append(rep)
    session.flush()
    custody.append(
        session,
        actor=actor,
        action="extracted",
        subject=f"document:{doc.id}",
        payload={"run_id": run.id, "extractor_version": run.extractor_version, "incidents": len(rows) - 1},
        rows=rows,
    )
    return run


def extract_and_store(session: Session, doc: Document, actor: str) -> int | None:
    """Extract, store and commit; the number of incidents, or None when skipped."""
    if not doc.norm_text.strip():
        return None
    result = call_extractor(doc)
    if result is None:
        return None
    try:
        store_run(session, doc, result, actor)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    n = result.get("incidents")
    return len(n) if isinstance(n, list) else 0


def has_run(session: Session, doc_id: int) -> bool:
    """Whether any extraction run exists for a document."""
    return session.scalar(select(ExtractionRun.id).where(ExtractionRun.document_id == doc_id).limit(1)) is not None


@dataclass
class ReextractReport:
    """What a re-extraction over stored documents did."""

    runs: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    incidents: int = 0


def reextract_stored(
    session: Session,
    *,
    actor: str,
    document_ids: Iterable[int] | None = None,
    on_progress: Callable[[Document, int | None], None] | None = None,
) -> ReextractReport:
    """Run the extractor again over stored documents: a new run each, old runs kept.

    ``session`` must not be inside a transaction; each document is committed
    on its own. Documents without text (needs OCR, WARC containers) are skipped.
    """
    q = select(Document).where(Document.status == "active").order_by(Document.id)
    if document_ids is not None:
        q = q.where(Document.id.in_(list(document_ids)))
    docs = list(session.scalars(q))
    session.commit()  # end the read transaction before per-document writes
    report = ReextractReport()
    for doc in docs:
        n = extract_and_store(session, doc, actor)
        if n is None:
            report.skipped.append(doc.id)
        else:
            report.incidents += n
            run_id = session.scalar(
                select(ExtractionRun.id).where(ExtractionRun.document_id == doc.id).order_by(ExtractionRun.id.desc())
            )
            session.commit()
            if run_id is not None:
                report.runs.append(run_id)
        if on_progress:
            on_progress(doc, n)
    return report
