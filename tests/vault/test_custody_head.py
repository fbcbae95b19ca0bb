"""Appends in one transaction chain onto each other; a rolled-back savepoint drops its entries cleanly."""

from __future__ import annotations

from sqlalchemy import select

from bayyina.store.models import CustodyEntry
from bayyina.vault import custody
from bayyina.vault.home import Home
from bayyina.vault.verify import verify


def test_appends_in_one_transaction_and_a_rolled_back_savepoint(dbhome: Home) -> None:
    with dbhome.session() as s:
        a = custody.append(s, actor="t", action="note", subject="x:1", payload={"n": 1})
        b = custody.append(s, actor="t", action="note", subject="x:1", payload={"n": 2})
        assert (a.seq, b.seq, b.prev_hash) == (1, 2, a.entry_hash)
        sp = s.begin_nested()
        custody.append(s, actor="t", action="note", subject="x:1", payload={"n": "dropped"})
        custody.append(s, actor="t", action="note", subject="x:1", payload={"n": "dropped too"})
        sp.rollback()
        c = custody.append(s, actor="t", action="note", subject="x:1", payload={"n": 3})
        assert (c.seq, c.prev_hash) == (3, b.entry_hash)  # chains onto b, not onto a dropped entry
        s.commit()
    with dbhome.session() as s:  # a new transaction reads the head from the database
        d = custody.append(s, actor="t", action="note", subject="x:1", payload={"n": 4})
        s.commit()
        assert (d.seq, d.prev_hash) == (4, c.entry_hash)
        rows = list(s.scalars(select(CustodyEntry).order_by(CustodyEntry.seq)))
    assert [custody.payload_of(e)["n"] for e in rows] == [1, 2, 3, 4]
    assert not list(custody.check_chain(rows))
    assert verify(dbhome).ok
