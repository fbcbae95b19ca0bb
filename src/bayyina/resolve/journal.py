"""The change journal: every change to the register is a ``changes`` row and a custody-log entry.

``record`` must be called after the rows it names were last modified in the
transaction: the entry stores their digests, and ``bayyina verify`` compares
each row with the digest of the latest entry that names it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from bayyina.store.models import Base
from bayyina.store.models_resolve import RegisterChange
from bayyina.vault import custody
from bayyina.vault.canonical import now_utc


def record(
    session: Session, *, by: str, action: str, subject: str, what: dict[str, Any], why: str, rows: Iterable[Base] = ()
) -> RegisterChange:
    """Add a change row and append a custody entry covering it and ``rows``."""
    change = RegisterChange(at=now_utc(), by=by, action=action, subject=subject, what=what, why=why)
    session.add(change)
    session.flush()
    custody.append(
        session,
        actor=by,
        action=f"register-{action}",
        subject=subject,
        payload={"change_id": change.id, "what": what, "why": why},
        rows=[*rows, change],
    )
    return change
