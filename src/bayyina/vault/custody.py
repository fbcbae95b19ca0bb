"""The custody log: append-only and hash-chained.

Each entry is the canonical JSON of
``{seq, prev_hash, ts, actor, action, subject, payload}``; its ``entry_hash``
is the SHA-256 of that text, and the next entry's ``prev_hash`` is this
entry's hash (the first entry's ``prev_hash`` is :data:`GENESIS`). An entry
that records a change to database rows carries ``payload["rows"]``: a map
from row key (``document:12``) to that row's digest after the change, so
``verify`` can tell an edited row from a logged change.

Appends happen inside the caller's transaction, after the rows they cover
were flushed, so rows and entries commit or vanish together. The new entry
itself is written at the transaction's next flush (at the latest its
commit); the head is read from the database once per transaction (under the
writer lock), later appends of that transaction chain onto the entry
appended before.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from bayyina.store.models import Base, CustodyEntry
from bayyina.vault.canonical import canonical_json, iso_utc, kind_of, now_utc, row_digest, row_key

GENESIS = "0" * 64


def entry_body(seq: int, prev_hash: str, ts: str, actor: str, action: str, subject: str, payload: str) -> str:
    """The canonical JSON text an entry's hash is computed over."""
    return canonical_json(
        {
            "seq": seq,
            "prev_hash": prev_hash,
            "ts": ts,
            "actor": actor,
            "action": action,
            "subject": subject,
            "payload": json.loads(payload),
        }
    )


def compute_hash(e: CustodyEntry) -> str:
    """Recompute an entry's hash from its stored fields ("" if the payload is not JSON)."""
    try:
        body = entry_body(e.seq, e.prev_hash, e.ts, e.actor, e.action, e.subject, e.payload)
    except ValueError:
        return ""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _lock_log(session: Session) -> None:
    """Serialise appenders (PostgreSQL advisory lock; SQLite uses BEGIN IMMEDIATE)."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(4242001)"))


def head(session: Session) -> CustodyEntry | None:
    """The last entry of the log, or None when it is empty."""
    return session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq.desc()).limit(1)).first()


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    subject: str,
    payload: dict[str, Any] | None = None,
    rows: Iterable[Base] = (),
) -> CustodyEntry:
    """Append one entry (in the caller's transaction) covering ``rows``.

    ``rows`` need their ids (they are flushed first when new); their digests
    go into ``payload["rows"]``. The entry is written at the session's next
    flush (at the latest when the transaction commits).
    """
    if any(not sa_inspect(r).persistent for r in rows):
        session.flush()  # the rows need their ids (their other values are digested as they are in memory)
    _lock_log(session)
    body_payload = dict(payload or {})
    covered = {row_key(kind_of(r), r.id): row_digest(r) for r in rows}  # type: ignore[attr-defined]
    if covered:
        body_payload["rows"] = covered
    last = _our_head(session)
    if last is None:
        last = head(session)
    seq = 1 if last is None else last.seq + 1
    prev = GENESIS if last is None else last.entry_hash
    entry = CustodyEntry(
        seq=seq,
        prev_hash=prev,
        ts=iso_utc(now_utc()),
        actor=actor,
        action=action,
        subject=subject,
        payload=canonical_json(body_payload),
        entry_hash="",
    )
    entry.entry_hash = compute_hash(entry)
    session.add(entry)
    session.info[_HEAD] = (session.get_transaction(), entry)
    return entry


_HEAD = "bayyina.custody.head"


def _our_head(session: Session) -> CustodyEntry | None:
    """The entry this session appended last, if that was in its current transaction and still stands.

    The first append of a transaction reads the head from the database under
    the writer lock; no other writer can append until this transaction ends,
    so later appends in it chain onto the entry appended before (one query
    saved per entry). An entry whose savepoint was rolled back is no longer
    pending or persistent, so the head is read again.
    """
    cached = session.info.get(_HEAD)
    if cached is None:
        return None
    txn, entry = cached
    if txn is None or txn is not session.get_transaction():
        return None
    state = sa_inspect(entry)
    return entry if (state.pending or state.persistent) else None


def entries(session: Session, subject: str | None = None, batch: int = 2000) -> Iterator[CustodyEntry]:
    """Log entries in seq order (optionally only those about one subject), read in batches."""
    last = 0
    while True:
        q = select(CustodyEntry).where(CustodyEntry.seq > last).order_by(CustodyEntry.seq).limit(batch)
        if subject:
            q = q.where(CustodyEntry.subject == subject)
        chunk = list(session.scalars(q))
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].seq


def count(session: Session) -> int:
    """Number of entries."""
    return int(session.scalar(select(func.count()).select_from(CustodyEntry)) or 0)


@dataclass
class ChainProblem:
    """One break in the chain, named by the entry's seq."""

    seq: int
    reason: str


def check_chain(items: Iterable[CustodyEntry]) -> Iterator[ChainProblem]:
    """Walk the chain in order and report each entry that does not hold."""
    expected_seq = 1
    prev = GENESIS
    for e in items:
        if e.seq != expected_seq:
            yield ChainProblem(e.seq, f"sequence gap: expected entry #{expected_seq}, found #{e.seq}")
        if e.prev_hash != prev:
            yield ChainProblem(e.seq, "prev_hash does not match the hash of the entry before it")
        recomputed = compute_hash(e)
        if recomputed != e.entry_hash:
            yield ChainProblem(e.seq, "entry content does not match its hash (edited)")
        prev = e.entry_hash
        expected_seq = e.seq + 1


def payload_of(e: CustodyEntry) -> dict[str, Any]:
    """The decoded payload of an entry ({} when it is not valid JSON)."""
    try:
        data = json.loads(e.payload)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
