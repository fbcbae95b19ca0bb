"""Reclassifying a document's sensitivity: a logged change of its own.

``documents.sensitivity`` (public | partner | restricted, see
:mod:`bayyina.store.sensitivity`) is not part of the document's row digest,
so a reclassification leaves the ingest entries valid and is recorded as one
custody-log entry ``classified`` on ``document:<id>`` with the level before
and after, the reason and who did it. A WARC original's records (its child
documents) take the same level in the same entry: a page of a restricted
capture is restricted too.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bayyina.store.models import CustodyEntry, Document
from bayyina.store.sensitivity import check_level
from bayyina.vault import custody


class ClassifyError(ValueError):
    """A refused reclassification (unknown document or level, no reason); the message says why."""


@dataclass
class Classified:
    """What a reclassification did."""

    document_id: int
    before: str
    after: str
    children: list[int]
    entry: CustodyEntry | None  # None: the level was already that


def classify(session: Session, doc_id: int, level: str, reason: str, who: str) -> Classified:
    """Set a document's (and its WARC records') sensitivity and log it; the caller commits."""
    try:
        after = check_level(level)
    except ValueError as exc:
        raise ClassifyError(str(exc)) from exc
    if not reason.strip():
        raise ClassifyError("give the reason for the classification (--reason)")
    doc = session.get(Document, doc_id)
    if doc is None:
        raise ClassifyError(f"no document {doc_id} (see `bayyina documents list`)")
    kids = list(session.scalars(select(Document).where(Document.parent_id == doc.id).order_by(Document.id)))
    changed = [d for d in (doc, *kids) if d.sensitivity != after]
    before = doc.sensitivity
    if not changed:
        return Classified(doc.id, before, after, [k.id for k in kids], None)
    for d in changed:
        d.sensitivity = after
    session.flush()
    entry = custody.append(
        session, actor=who, action="classified", subject=f"document:{doc.id}",
        payload={"from": before, "to": after, "why": reason.strip(), "children": [k.id for k in kids]},
    )
    return Classified(doc.id, before, after, [k.id for k in kids], entry)
