"""Designation lifecycle through the CLI on SQLite and PostgreSQL: add, renew, amend, delist, due, expire, audit."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select, text

from bayyina.sanctions import designations as svc
from bayyina.sanctions.designations import SanctionsError
from bayyina.settings import Settings
from bayyina.store.models import CustodyEntry
from bayyina.store.models_actors import Change, Designation, DesignationEvent
from bayyina.vault.home import Home
from tests.resolve.actor_samples import make_incident

Cli = Any


def _ok(cli: Cli, *args: str) -> str:
    r = cli(*args)
    assert r.exit_code == 0, r.output
    return str(r.output)


def _refused(cli: Cli, *args: str) -> str:
    r = cli(*args)
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output
    return " ".join(str(r.output).split())


@pytest.fixture
def reg(database_url: str, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """An initialised home with two actors: #1 a general, #2 a research centre."""
    monkeypatch.setenv("BAYYINA_USER", "analyst")
    _ok(cli, "init")
    _ok(cli, "actors", "add", "person", "--name-en", "Maj. Gen. Jamil Hassan", "--name-ar", "اللواء جميل حسن")
    _ok(cli, "actors", "add", "organization", "--name-en", "Scientific Studies and Research Centre",
        "--name-ar", "مركز الدراسات والبحوث العلمية", "--alias", "SSRC", "--nationality", "sy")
    return cli


def _home() -> Home:
    return Home.open(Settings.load())


def test_lifecycle_add_renew_amend_delist(reg: Cli) -> None:
    h = _home()
    try:
        for day in ("2017-03-30", "2017-04-04", "2017-12-01"):
            incident = make_incident(h, day)
    finally:
        h.close()
    o = _ok(reg, "sanctions", "add", "FR", "1", "--programme", "Code monétaire et financier, art. L562-2",
            "-m", "asset_freeze", "--start", "2018-01-15", "--reasons-en", "Chemical attacks in 2017",
            "--reasons-ar", "هجمات كيميائية", "--incident", str(incident), "--why", "arrêté du 15 janvier")
    assert "#1 FR #1 Maj. Gen. Jamil Hassan: asset_freeze from 2018-01-15 to 2018-07-15 (active)" in o  # 6 months
    o = _ok(reg, "sanctions", "add", "EU", "SSRC", "--programme", "Chemical weapons (CFSP) 2018/1544",
            "-m", "asset_freeze,travel ban", "--start", "2018-10-15")
    assert "to 2019-10-15" in o and "asset_freeze, travel_ban" in o
    _ok(reg, "sanctions", "add", "US", "2", "--programme", "EO 13382", "-m", "blocking", "--start", "2017-04-24")

    o = _ok(reg, "sanctions", "renew", "1", "--on", "2018-07-01", "--why", "arrêté de renouvellement")
    assert "to 2019-01-15" in o
    o = _ok(reg, "sanctions", "renew", "1", "--on", "2018-12-20", "--until", "2019-09-30")
    assert "to 2019-09-30" in o
    o = _ok(reg, "sanctions", "amend", "1", "-m", "asset_freeze", "-m", "travel_ban", "--on", "2019-02-01",
            "--why", "travel ban added")
    assert "amended: measures" in o
    o = _ok(reg, "sanctions", "delist", "1", "--on", "2019-05-01", "--why", "annulled by the Conseil d'État")
    assert "(delisted)" in o
    o = _ok(reg, "sanctions", "show", "1")
    for want in ("2018-01-15 designated by analyst — arrêté du 15 janvier", "2018-07-01 renewal",
                 "previous_expiry=2018-07-15", "2018-12-20 renewal", "2019-02-01 amendment",
                 "2019-05-01 delisting by analyst — annulled", "reasons (ar): هجمات كيميائية", f"incidents: {incident}"):
        assert want in o, want
    o = _ok(reg, "sanctions", "list", "--status", "active")
    assert "EU" in o and "US" in o and "FR" not in o.split("review")[-1]
    assert "open" in _ok(reg, "sanctions", "list", "--authority", "United States")  # no default expiry
    o = _ok(reg, "actors", "show", "1")
    assert "#1 FR #1 Maj. Gen. Jamil Hassan" in o and "(delisted)" in o

    h = _home()
    try:
        with h.session() as s:
            d = s.get(Designation, 1)
            assert d is not None and d.status == "delisted" and d.delisted_on == "2019-05-01"
            assert d.measures == ["asset_freeze", "travel_ban"] and d.duration_months == 6
            evs = list(s.scalars(select(DesignationEvent).where(DesignationEvent.designation_id == 1)
                                 .order_by(DesignationEvent.id)))
            kinds = [e.kind for e in evs]
            assert kinds == ["designated", "renewal", "renewal", "amendment", "delisting"]
            ch = list(s.scalars(select(Change).where(Change.kind == "designation", Change.row_id == 1)
                                .order_by(Change.id)))
            assert [c.action for c in ch] == ["added", "renewed", "renewed", "amended", "delisted"]
            assert ch[1].what == {"expiry_date": ["2018-07-15", "2019-01-15"]} and ch[1].who == "analyst"
            logged = [e.action for e in s.scalars(select(CustodyEntry).where(CustodyEntry.subject == "designation:1")
                                                  .order_by(CustodyEntry.seq))]
            assert logged == ["designation-added", "designation-renewed", "designation-renewed",
                              "designation-amended", "designation-delisted"]
            last = s.scalars(select(CustodyEntry).where(CustodyEntry.subject == "designation:1")
                             .order_by(CustodyEntry.seq.desc())).first()
            assert last is not None
            rows = json.loads(last.payload)["rows"]
            assert {"designation:1", f"designation_event:{evs[-1].id}", f"change:{ch[-1].id}"} <= set(rows)
    finally:
        h.close()
    assert "verify OK" in _ok(reg, "verify")


def test_due_lists_designations_expiring_soon(reg: Cli) -> None:
    _ok(reg, "sanctions", "add", "FR", "1", "--programme", "L562-2", "-m", "asset_freeze", "--start", "2026-06-10")
    _ok(reg, "sanctions", "add", "EU", "2", "--programme", "CW", "-m", "asset_freeze", "--start", "2025-12-01")
    _ok(reg, "sanctions", "add", "UK", "2", "--programme", "Chemical Weapons", "-m", "asset_freeze",
        "--start", "2019-01-21")
    _ok(reg, "sanctions", "add", "CA", "1", "--programme", "SEMA", "-m", "asset_freeze", "--start", "2020-01-01",
        "--months", "3")
    o = _ok(reg, "sanctions", "due", "--days", "30", "--on", "2026-11-20")
    assert "(3)" in o  # FR 2026-12-10, EU 2026-12-01, CA lapsed 2020-04-01 (still active)
    lines = [ln for ln in o.splitlines() if "│" in ln and ln.split("│")[1].strip().isdigit()]
    assert [ln.split("│")[1].strip() for ln in lines] == ["4", "2", "1"]  # soonest (lapsed) first
    assert "-2424" in o and "11" in o and "20" in o
    assert "(1)" in _ok(reg, "sanctions", "due", "--days", "5", "--on", "2026-11-20")  # only the lapsed one
    o = _ok(reg, "sanctions", "expire", "--on", "2026-11-20")
    assert "1 designation(s) marked expired" in o and "#4 CA" in o
    assert "(0)" in _ok(reg, "sanctions", "due", "--days", "5", "--on", "2026-11-20")
    assert "expired" in _ok(reg, "sanctions", "show", "4")
    assert "only an active designation can be renewed" in _refused(reg, "sanctions", "renew", "4", "--months", "3")
    assert "verify OK" in _ok(reg, "verify")


BAD_ADD = [
    (["EU", "99", "--start", "2018-01-01"], "error: unknown actor #99 (no actor has this id)"),
    (["EU", "Jamil Hasan", "--start", "2018-01-01"], "unknown actor 'Jamil Hasan'; did you mean #1"),
    (["EU", "1", "--start", "2018-02-30"], "start: '2018-02-30' is an impossible date"),
    (["EU", "1", "--start", "15/01/2018"], "start: '15/01/2018' is not a date (expected YYYY-MM-DD)"),
    (["EU", "1", "--start", "2018-03-01", "--until", "2018-01-01"], "expiry 2018-01-01 is before"),
    (["EU", "1", "--start", "2018-03-01", "--until", "2018-13-01"], "expiry: '2018-13-01' is an impossible"),
    (["EU", "1", "--start", "2018-03-01", "--months", "0"], "duration must be a positive number"),
    (["EU", "1", "--start", "2018-03-01", "--months", "6", "--until", "2019-01-01"], "not both"),
    (["XX", "1", "--start", "2018-03-01"], "unknown authority 'XX' (known: EU, FR, UK"),
    (["EU", "1", "--start", "2018-03-01", "-m", "confiscation"], "unknown measure 'confiscation'"),
    (["EU", "1", "--start", "2018-03-01", "--document", "7"], "unknown document 7 given as evidence"),
    (["EU", "1", "--start", "2018-03-01", "--incident", "5"], "unknown incident 5"),
]


def test_bad_input_is_refused_with_a_clear_message(reg: Cli) -> None:
    for args, message in BAD_ADD:
        full = ["sanctions", "add", *args, "--programme", "CW"]
        if "-m" not in args:
            full += ["-m", "asset_freeze"]
        assert message in _refused(reg, *full), args
    assert "(0)" in _ok(reg, "sanctions", "list")
    assert "verify OK" in _ok(reg, "verify")


def test_lifecycle_errors(reg: Cli) -> None:
    _ok(reg, "sanctions", "add", "FR", "1", "--programme", "L562-2", "-m", "asset_freeze", "--start", "2018-01-15")
    _ok(reg, "sanctions", "add", "US", "2", "--programme", "EO 13382", "-m", "asset_freeze", "--start", "2017-04-24")
    assert "new expiry 2018-03-01 is not after the current expiry 2018-07-15" in _refused(
        reg, "sanctions", "renew", "1", "--until", "2018-03-01", "--on", "2018-02-01")
    assert "renewal date 2017-01-01 is before the designation's start 2018-01-15" in _refused(
        reg, "sanctions", "renew", "1", "--on", "2017-01-01")
    assert "(US) has no default duration: give --months or --until" in _refused(
        reg, "sanctions", "renew", "2", "--on", "2020-01-01")
    assert "delisting date 2017-12-31 is before start 2018-01-15" in _refused(
        reg, "sanctions", "delist", "1", "--on", "2017-12-31", "--why", "x")
    assert "a reason is required" in _refused(reg, "sanctions", "delist", "1", "--why", " ")
    assert "unknown designation #9" in _refused(reg, "sanctions", "show", "9")
    assert "'abc' is not a designation id" in _refused(reg, "sanctions", "show", "abc")
    _ok(reg, "sanctions", "delist", "1", "--on", "2018-03-01", "--why", "annulled")
    assert "already delisted on 2018-03-01" in _refused(reg, "sanctions", "delist", "1", "--why", "again")
    assert "delisted since 2018-03-01: only an active" in _refused(reg, "sanctions", "renew", "1", "--months", "6")
    assert "cannot be amended" in _refused(reg, "sanctions", "amend", "1", "-m", "travel_ban")
    assert "unknown status 'gone'" in _refused(reg, "sanctions", "list", "--status", "gone")
    assert "draft: it can move to in_review, not approved" in _refused(reg, "sanctions", "review", "2", "approved")
    for st in ("in_review", "approved", "published"):
        assert f"is now {st}" in _ok(reg, "sanctions", "review", "2", st)
    assert "verify OK" in _ok(reg, "verify")


def test_verify_fails_when_a_designation_is_edited_behind_our_back(reg: Cli) -> None:
    _ok(reg, "sanctions", "add", "FR", "1", "--programme", "L562-2", "-m", "asset_freeze", "--start", "2018-01-15")
    _ok(reg, "sanctions", "renew", "1", "--on", "2018-07-01")
    assert "verify OK" in _ok(reg, "verify")
    h = _home()
    try:
        with h.engine.begin() as c:
            c.execute(text("UPDATE designations SET expiry_date = '2030-01-15' WHERE id = 1"))
    finally:
        h.close()
    r = reg("verify")
    assert r.exit_code == 1
    assert "designation 1: database row differs from what log entry" in " ".join(r.output.split())


def test_verify_fails_when_an_event_is_deleted(reg: Cli) -> None:
    _ok(reg, "sanctions", "add", "FR", "1", "--programme", "L562-2", "-m", "asset_freeze", "--start", "2018-01-15")
    _ok(reg, "sanctions", "renew", "1", "--on", "2018-07-01")
    h = _home()
    try:
        with h.engine.begin() as c:
            c.execute(text("DELETE FROM designation_events WHERE kind = 'renewal'"))
    finally:
        h.close()
    r = reg("verify")
    assert r.exit_code == 1 and "designation event 2" in r.output and "missing from the database" in r.output


def test_add_months_clamps_to_the_month_end() -> None:
    from bayyina.resolve.spans import add_months

    assert add_months("2018-08-31", 6) == "2019-02-28"
    assert add_months("2019-08-31", 6) == "2020-02-29"
    assert add_months("2018-01-15", 12) == "2019-01-15"


def test_vocabularies() -> None:
    a = svc.authorities()
    assert a["FR"].default_months == 6 and a["EU"].default_months == 12 and a["US"].default_months is None
    assert svc.resolve_authority("OFAC").code == "US" and svc.resolve_authority("european union").code == "EU"
    assert svc.resolve_measure("Gel des avoirs") == "asset_freeze" and svc.resolve_measure("travel-ban") == "travel_ban"
    with pytest.raises(SanctionsError, match="unknown measure"):
        svc.resolve_measure("naming and shaming")
