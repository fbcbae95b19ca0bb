"""Two editors of the same designation or actor at the same time: serialised, never silently lost.

Editor A changes a row and keeps its transaction open for a moment; editor
B read the same row *before* A committed and edits it while A still holds
it. B must wait for A (row lock), then see A's change: its lifecycle checks
run on the fresh row (renewing a designation A has just delisted is
refused), its logged diff starts from A's values, and ``verify`` finds every
row as its last custody entry describes it. Runs on SQLite and on
PostgreSQL (two real connections, two threads).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bayyina.resolve.actors import add_actor, amend_actor
from bayyina.sanctions import designations as svc
from bayyina.sanctions.designations import SanctionsError
from bayyina.settings import Settings
from bayyina.store.models_actors import Actor, Change, Designation, DesignationEvent
from bayyina.vault.home import Home, init_home
from bayyina.vault.verify import verify

HOLD = 1.0  # seconds editor A keeps its transaction open after its change


@pytest.fixture
def ids(database_url: str) -> Iterator[tuple[int, int]]:
    """(actor id, designation id) in a fresh store."""
    settings = Settings.load()
    init_home(settings)
    h = Home.open(settings)
    try:
        with h.session() as s:
            a = add_actor(s, who="setup", kind="person", name_en="Brig. Gen. Test Person",
                          name_ar="العميد شخص تجريبي", why="test").actor
            d = svc.add_designation(s, who="setup", authority="EU", programme="CW regime", actor=a,
                                    measure_names=["asset_freeze"], start="2019-01-21", reasons_en="v0")
            s.commit()
            made = (a.id, d.id)
    finally:
        h.close()
    yield made


def race(first: Callable[[Session], None], second: Callable[[Session], Any], stale: Callable[[Session], Any]) -> Any:
    """Run ``second`` on a row ``stale`` loaded before ``first`` committed, while ``first`` holds it.

    Returns what ``second`` returned or raised, and how long it waited.
    """
    settings = Settings.load()
    ha, hb = Home.open(settings), Home.open(settings)
    holding, errors = threading.Event(), []
    try:
        sb = hb.session()
        row = stale(sb)
        sb.commit()  # B's copy is now from a finished transaction (expire_on_commit=False keeps it)

        def editor_a() -> None:
            try:
                with ha.session() as sa:
                    first(sa)
                    sa.flush()
                    holding.set()
                    time.sleep(HOLD)
                    sa.commit()
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                holding.set()

        t = threading.Thread(target=editor_a)
        t.start()
        assert holding.wait(30)
        t0 = time.monotonic()
        try:
            out: Any = second_result(sb, second, row)
        finally:
            waited = time.monotonic() - t0
            sb.close()
            t.join(30)
        assert not errors, errors
        return out, waited
    finally:
        ha.close()
        hb.close()


def second_result(sb: Session, second: Callable[..., Any], row: Any) -> Any:
    try:
        out = second(sb, row)
        sb.commit()
        return out
    except SanctionsError as exc:
        sb.rollback()
        return exc


def _check_store(ids: tuple[int, int]) -> Any:
    h = Home.open(Settings.load())
    try:
        rep = verify(h)
        assert rep.ok, [str(p) for p in rep.problems]
        with h.session() as s:
            d = s.get(Designation, ids[1])
            a = s.get(Actor, ids[0])
            events = [e.kind for e in s.scalars(select(DesignationEvent).where(DesignationEvent.designation_id == ids[1])
                                                .order_by(DesignationEvent.id))]
            changes = list(s.scalars(select(Change).order_by(Change.id)))
            return d, a, events, [(c.action, c.what) for c in changes]
    finally:
        h.close()


def test_renew_after_concurrent_delist_is_refused(ids: tuple[int, int]) -> None:
    def delist(s: Session) -> None:
        d = s.get(Designation, ids[1])
        assert d is not None
        svc.delist(s, d, who="a", why="court annulled the listing", on="2019-06-01")

    def renew(s: Session, d: Designation) -> Any:
        return svc.renew(s, d, who="b", why="yearly review", on="2019-12-01", months=12)

    out, waited = race(delist, renew, lambda s: s.get(Designation, ids[1]))
    assert isinstance(out, SanctionsError), out
    assert "delisted since 2019-06-01" in str(out) and "only an active designation can be renewed" in str(out)
    assert waited > HOLD / 2  # B waited for A's commit instead of acting on its stale copy
    d, _a, events, _changes = _check_store(ids)
    assert d.status == "delisted" and d.expiry_date == "2020-01-21"  # not renewed
    assert events == ["designated", "delisting"]


def test_two_amendments_both_kept_in_order(ids: tuple[int, int]) -> None:
    def amend_a(s: Session) -> None:
        d = s.get(Designation, ids[1])
        assert d is not None
        svc.amend(s, d, who="a", why="new reasons", reasons_en="reasons by A", legal_basis="Decision A")

    def amend_b(s: Session, d: Designation) -> Any:
        return svc.amend(s, d, who="b", why="programme name", programme="EU CW regime",
                         reasons_en="reasons by B")

    diff, waited = race(amend_a, amend_b, lambda s: s.get(Designation, ids[1]))
    assert waited > HOLD / 2
    assert diff == {"programme": ["CW regime", "EU CW regime"], "reasons_en": ["reasons by A", "reasons by B"]}
    d, _a, events, changes = _check_store(ids)  # verify: every row digest matches its last entry
    assert (d.programme, d.legal_basis, d.reasons_en) == ("EU CW regime", "Decision A", "reasons by B")
    assert events == ["designated", "amendment", "amendment"]
    amended = [w for act, w in changes if act == "amended"]
    assert amended[0]["reasons_en"] == ["v0", "reasons by A"] and "legal_basis" in amended[0]
    assert amended[1]["reasons_en"] == ["reasons by A", "reasons by B"] and "legal_basis" not in amended[1]


def test_actor_amendments_serialised(ids: tuple[int, int]) -> None:
    def amend_a(s: Session) -> None:
        a = s.get(Actor, ids[0])
        assert a is not None
        amend_actor(s, a, who="a", why="source", notes="note by A", rank="Brigadier General")

    def amend_b(s: Session, a: Actor) -> Any:
        return amend_actor(s, a, who="b", why="source", notes="note by B")

    diff, waited = race(amend_a, amend_b, lambda s: s.get(Actor, ids[0]))
    assert waited > HOLD / 2
    assert diff == {"notes": ["note by A", "note by B"]}
    _d, a, _events, _changes = _check_store(ids)
    assert (a.notes, a.rank) == ("note by B", "Brigadier General")


def test_expire_skips_a_designation_renewed_meanwhile(ids: tuple[int, int]) -> None:
    def renew(s: Session) -> None:
        d = s.get(Designation, ids[1])
        assert d is not None
        svc.renew(s, d, who="a", why="renewed in time", on="2020-01-10", months=12)

    def expire(s: Session, _d: Designation) -> Any:
        return svc.expire_lapsed(s, who="b", on="2020-02-01")

    expired, _waited = race(renew, expire, lambda s: s.get(Designation, ids[1]))
    assert expired == []
    d, _a, events, _changes = _check_store(ids)
    assert d.status == "active" and d.expiry_date == "2021-01-21"
    assert events == ["designated", "renewal"]
