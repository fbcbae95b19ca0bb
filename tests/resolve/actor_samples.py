"""Helpers of the actor and sanctions tests: an incident in the register with a given date.

The incident row is written as the register writes it (covered by a custody
entry), so ``verify`` stays green; only its ``chosen`` date matters here.
"""

from __future__ import annotations

from bayyina.store.models_resolve import Incident
from bayyina.vault import custody
from bayyina.vault.canonical import now_utc
from bayyina.vault.home import Home


def make_incident(h: Home, start: str | None, end: str | None = None, *, merged_into: int | None = None) -> int:
    """Insert an incident dated ``start`` (to ``end``; no date when None), retired when
    ``merged_into`` is given; returns its id."""
    with h.session() as s:
        now = now_utc()
        inc = Incident(status="draft", active=merged_into is None, superseded_by=merged_into, confidence="single-source",
                       confidence_reason="", created_at=now, created_by="test", updated_at=now,
                       chosen={"date": {"chosen": {"start": start, "end": end or start, "precision": "day"}
                                        if start else None, "values": [], "chosen_text": start or "", "why": "test"}})
        s.add(inc)
        s.flush()
        custody.append(s, actor="test", action="incident-created", subject=f"incident:{inc.id}", rows=[inc])
        s.commit()
        return inc.id
