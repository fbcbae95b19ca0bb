"""The change record of actors and sanctions: one ``changes`` row and one custody entry per change.

:func:`record` is called in the transaction that changes a row. It stores who,
when, what (``{field: [before, after]}``, or the new row's fields) and why in
``changes``, then appends a custody-log entry whose ``payload.rows`` holds the
digests of the changed rows and of the change row itself, so ``bayyina
verify`` notices any later edit made behind bayyina's back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bayyina.store.models import COVERED, Base
from bayyina.store.models_actors import Change
from bayyina.vault import custody
from bayyina.vault.canonical import kind_of, now_utc, row_key


def snapshot(row: Base) -> dict[str, Any]:
    """The covered columns of a row (datetimes left out: they are set by bayyina)."""
    _model, cols = COVERED[kind_of(row)]
    out: dict[str, Any] = {}
    for c in cols:
        v = getattr(row, c)
        if c in ("id", "created_at", "recorded_at", "ts"):
            continue
        out[c] = v
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the fields that changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def record(
    session: Session,
    *,
    who: str,
    row: Base,
    action: str,
    what: dict[str, Any],
    why: str = "",
    also: Iterable[Base] = (),
) -> Change:
    """Store one change of ``row`` (and ``also`` rows written with it) and log it in custody."""
    session.flush()
    kind = kind_of(row)
    ch = Change(ts=now_utc(), who=who, kind=kind, row_id=row.id, action=action,  # type: ignore[attr-defined]
                what=what, why=why)
    session.add(ch)
    session.flush()
    custody.append(
        session,
        actor=who,
        action=f"{kind}-{action}"[:60],
        subject=row_key(kind, row.id),  # type: ignore[attr-defined]
        payload={"change": ch.id, "why": why},
        rows=[row, *also, ch],
    )
    return ch


def history(session: Session, kind: str, row_id: int) -> list[Change]:
    """Every change of one row, oldest first."""
    q = select(Change).where(Change.kind == kind, Change.row_id == row_id).order_by(Change.id)
    return list(session.scalars(q))
