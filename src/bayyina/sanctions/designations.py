"""Sanctions designations: add, renew, amend, delist, expire, due, review.

A designation is one authority's listing of one actor under a programme, with
measures (``sanctions/data/measures.json``), a start date and an expiry: given
as a date, as a number of months, or by the authority's default
(``sanctions/data/authorities.json``: France's asset freezes run 6 months, the
EU's chemical-weapons regime 12, the UK/US/Canada none). Each step of its life
is a ``designation_events`` row (designated, renewal, amendment, delisting,
expiry) and a ``changes`` row, both in the custody log. Nothing is deleted: a
delisted designation keeps its row with ``status = delisted``.

Every edit of an existing designation (renew, amend, delist, review, expiry)
first locks and reloads its row (``SELECT … FOR UPDATE`` on PostgreSQL,
:func:`bayyina.resolve.actors.lock_row`): two editors of one designation are
serialised, and the second one's checks (renewing a designation delisted a
moment ago is refused) and diff run on what the first committed.

Bad input (unknown actor, authority or measure, impossible dates, an expiry
before the start, renewing a delisted designation …) raises
:class:`SanctionsError` with a message that says what is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bayyina.resolve.actors import check_review_move, label, lock_row
from bayyina.resolve.spans import DateError, add_months, check_order, parse_day, require_day, today
from bayyina.store import changes
from bayyina.store.models import Document
from bayyina.store.models_actors import Actor, Designation, DesignationEvent
from bayyina.vault.canonical import now_utc

DATA = Path(__file__).parent / "data"


class SanctionsError(ValueError):
    """Bad input about a designation; the message says what and why."""


@dataclass(frozen=True)
class Authority:
    """A sanctioning authority (``authorities.json``)."""

    code: str
    name: str
    country: str
    default_months: int | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Measure:
    """A restrictive measure (``measures.json``)."""

    id: str
    label: str
    aliases: tuple[str, ...]


def _load(name: str) -> dict[str, Any]:
    path = DATA / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SanctionsError(f"{path}: cannot load ({exc})") from exc
    if not isinstance(data, dict):
        raise SanctionsError(f"{path}: expected a JSON object")
    return {k: v for k, v in data.items() if not k.startswith("_")}


@lru_cache(maxsize=1)
def authorities() -> dict[str, Authority]:
    """Known authorities by code."""
    out = {}
    for code, v in _load("authorities.json").items():
        try:
            out[code] = Authority(code, v["name"], v["country"], v.get("default_months"),
                                  tuple(v.get("aliases", [])))
        except (KeyError, TypeError) as exc:
            raise SanctionsError(f"{DATA / 'authorities.json'}: entry {code!r} is incomplete ({exc})") from exc
    return out


@lru_cache(maxsize=1)
def measures() -> dict[str, Measure]:
    """Known measures by id."""
    out = {}
    for mid, v in _load("measures.json").items():
        try:
            out[mid] = Measure(mid, v["label"], tuple(v.get("aliases", [])))
        except (KeyError, TypeError) as exc:
            raise SanctionsError(f"{DATA / 'measures.json'}: entry {mid!r} is incomplete ({exc})") from exc
    return out


def resolve_authority(text: str) -> Authority:
    """The authority named by a code, its name or an alias (case-insensitive)."""
    t = text.strip().casefold()
    for a in authorities().values():
        if t in {a.code.casefold(), a.name.casefold(), *(x.casefold() for x in a.aliases)}:
            return a
    raise SanctionsError(f"unknown authority {text!r} (known: {', '.join(authorities())}; "
                         "add others to sanctions/data/authorities.json)")


def resolve_measure(text: str) -> str:
    """The measure id named by an id, its label or an alias (case-insensitive)."""
    t = text.strip().casefold().replace("-", "_")
    for m in measures().values():
        if t in {m.id, m.label.casefold(), *(x.casefold() for x in m.aliases)}:
            return m.id
        if t.replace("_", " ") in {m.label.casefold(), *(x.casefold() for x in m.aliases)}:
            return m.id
    raise SanctionsError(f"unknown measure {text!r} (known: {', '.join(measures())})")


def _measures(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for it in items:
        for part in str(it).split(","):
            if part.strip():
                mid = resolve_measure(part)
                if mid not in out:
                    out.append(mid)
    return out


def _dates(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except DateError as exc:
        raise SanctionsError(str(exc)) from exc


def _check_documents(session: Session, ids: Iterable[int]) -> list[int]:
    out = []
    for i in ids:
        if session.get(Document, int(i)) is None:
            raise SanctionsError(f"unknown document {i} given as evidence (see `bayyina documents list`)")
        out.append(int(i))
    return out


def _check_incidents(session: Session, ids: Iterable[int]) -> list[int]:
    from bayyina.store.models_resolve import Incident

    out = []
    for i in ids:
        if session.get(Incident, int(i)) is None:
            raise SanctionsError(f"unknown incident {i} (see `bayyina incidents list`)")
        out.append(int(i))
    return out


def _expiry(auth: Authority, start: str, months: int | None, until: str | None) -> tuple[int | None, str | None]:
    """(duration in months, expiry) from an explicit date, a number of months or the authority default."""
    if months is not None and until is not None:
        raise SanctionsError("give either a duration in months or an expiry date, not both")
    if months is not None:
        if months <= 0:
            raise SanctionsError(f"duration must be a positive number of months, not {months}")
        return months, add_months(start, months)
    if until is not None:
        if until <= start:
            raise SanctionsError(f"expiry {until} is before (or on) start {start}")
        return None, until
    if auth.default_months:
        return auth.default_months, add_months(start, auth.default_months)
    return None, None


def _event(session: Session, d: Designation, kind: str, day: str, who: str, why: str,
           details: dict[str, Any]) -> DesignationEvent:
    ev = DesignationEvent(designation_id=d.id, kind=kind, date=day, who=who, why=why, details=details,
                          recorded_at=now_utc())
    session.add(ev)
    session.flush()
    return ev


# --------------------------------------------------------------------------- lifecycle


def add_designation(
    session: Session,
    *,
    who: str,
    authority: str,
    programme: str,
    actor: Actor,
    measure_names: Iterable[str],
    start: str | date,
    months: int | None = None,
    until: str | date | None = None,
    legal_basis: str = "",
    reasons_en: str = "",
    reasons_ar: str = "",
    incident_ids: Iterable[int] = (),
    evidence: Iterable[int] = (),
    why: str = "",
    ftm_id: str | None = None,
) -> Designation:
    """Designate ``actor``; expiry from ``until``, ``months`` or the authority's default."""
    auth = resolve_authority(authority)
    if not programme.strip():
        raise SanctionsError("a programme (or legal basis) is required")
    ms = _measures(measure_names)
    if not ms:
        raise SanctionsError(f"at least one measure is required (known: {', '.join(measures())})")
    start_day: str = _dates(require_day, start, "start")
    until_day: str | None = _dates(parse_day, until, "expiry")
    duration, expiry = _expiry(auth, start_day, months, until_day)
    incidents = _check_incidents(session, incident_ids)
    docs = _check_documents(session, evidence)
    if ftm_id and session.scalar(select(Designation).where(Designation.ftm_id == ftm_id)) is not None:
        raise SanctionsError(f"a designation with FtM id {ftm_id!r} already exists")
    d = Designation(
        authority=auth.code, programme=programme.strip(), legal_basis=legal_basis.strip(), actor_id=actor.id,
        measures=ms, start_date=start_day, duration_months=duration, expiry_date=expiry, status="active",
        delisted_on=None, reasons_en=reasons_en, reasons_ar=reasons_ar, incident_ids=incidents, evidence=docs,
        review_status="draft", ftm_id=ftm_id, created_at=now_utc(), created_by=who,
    )
    session.add(d)
    session.flush()
    ev = _event(session, d, "designated", start_day, who, why, {"expiry": expiry, "measures": ms})
    changes.record(session, who=who, row=d, action="added", what=changes.snapshot(d), why=why, also=[ev])
    return d


def get_designation(session: Session, ref: str | int) -> Designation:
    """A designation by id; SanctionsError when there is none."""
    text = str(ref).strip().lstrip("#")
    if not text.isdigit():
        raise SanctionsError(f"{ref!r} is not a designation id")
    d = session.get(Designation, int(text))
    if d is None:
        raise SanctionsError(f"unknown designation #{text}")
    return d


def renew(
    session: Session,
    d: Designation,
    *,
    who: str,
    why: str = "",
    on: str | date | None = None,
    months: int | None = None,
    until: str | date | None = None,
) -> Designation:
    """Extend an active designation: to ``until``, by ``months`` or by the authority's default."""
    lock_row(session, d)  # a concurrent delisting or renewal is seen before the checks
    if d.status != "active":
        raise SanctionsError(f"designation #{d.id} is {d.status}"
                             + (f" since {d.delisted_on}" if d.delisted_on else "")
                             + ": only an active designation can be renewed (add a new one instead)")
    day: str = _dates(parse_day, on, "renewal date") or today()
    if day < d.start_date:
        raise SanctionsError(f"renewal date {day} is before the designation's start {d.start_date}")
    until_day: str | None = _dates(parse_day, until, "expiry")
    base = d.expiry_date or day
    if months is not None and until_day is not None:
        raise SanctionsError("give either a duration in months or an expiry date, not both")
    if until_day is not None:
        new_expiry = until_day
    else:
        n = months if months is not None else (d.duration_months or resolve_authority(d.authority).default_months)
        if not n or n <= 0:
            raise SanctionsError(f"designation #{d.id} ({d.authority}) has no default duration: "
                                 "give --months or --until")
        new_expiry = add_months(base, n)
        months = n
    if d.expiry_date and new_expiry <= d.expiry_date:
        raise SanctionsError(f"new expiry {new_expiry} is not after the current expiry {d.expiry_date}")
    if new_expiry <= day:
        raise SanctionsError(f"new expiry {new_expiry} is before (or on) the renewal date {day}")
    before = d.expiry_date
    d.expiry_date = new_expiry
    ev = _event(session, d, "renewal", day, who, why, {"previous_expiry": before, "expiry": new_expiry,
                                                      "months": months})
    changes.record(session, who=who, row=d, action="renewed", what={"expiry_date": [before, new_expiry]},
                   why=why, also=[ev])
    return d


AMENDABLE = ("programme", "legal_basis", "measures", "reasons_en", "reasons_ar", "incident_ids", "evidence")


def amend(session: Session, d: Designation, *, who: str, why: str = "", on: str | date | None = None,
          **fields: Any) -> dict[str, list[Any]]:
    """Change some of :data:`AMENDABLE` (measures by name); returns the diff, logged as an amendment."""
    bad = [k for k in fields if k not in AMENDABLE]
    if bad:
        raise SanctionsError(f"cannot amend {', '.join(bad)} (amendable: {', '.join(AMENDABLE)})")
    lock_row(session, d)
    if d.status == "delisted":
        raise SanctionsError(f"designation #{d.id} was delisted on {d.delisted_on}: it cannot be amended")
    day: str = _dates(parse_day, on, "amendment date") or today()
    if "measures" in fields:
        fields["measures"] = _measures(fields["measures"])
        if not fields["measures"]:
            raise SanctionsError("at least one measure is required")
    if "evidence" in fields:
        fields["evidence"] = _check_documents(session, fields["evidence"])
    if "incident_ids" in fields:
        fields["incident_ids"] = _check_incidents(session, fields["incident_ids"])
    if "programme" in fields and not str(fields["programme"]).strip():
        raise SanctionsError("the programme cannot be empty")
    before = changes.snapshot(d)
    for k, v in fields.items():
        setattr(d, k, v)
    diff = changes.diff(before, changes.snapshot(d))
    if diff:
        ev = _event(session, d, "amendment", day, who, why, {"changed": sorted(diff)})
        changes.record(session, who=who, row=d, action="amended", what=diff, why=why, also=[ev])
    return diff


def delist(session: Session, d: Designation, *, who: str, why: str, on: str | date | None = None) -> Designation:
    """Delist (the row stays, ``status = delisted``); a reason is required."""
    if not why.strip():
        raise SanctionsError("a reason is required to delist (--why)")
    lock_row(session, d)
    if d.status == "delisted":
        raise SanctionsError(f"designation #{d.id} was already delisted on {d.delisted_on}")
    day: str = _dates(parse_day, on, "delisting date") or today()
    try:
        check_order(d.start_date, day, "start", "delisting date")
    except DateError as exc:
        raise SanctionsError(str(exc)) from exc
    before = d.status
    d.status = "delisted"
    d.delisted_on = day
    ev = _event(session, d, "delisting", day, who, why, {"previous_status": before})
    changes.record(session, who=who, row=d, action="delisted",
                   what={"status": [before, "delisted"], "delisted_on": [None, day]}, why=why, also=[ev])
    return d


def expire_lapsed(session: Session, *, who: str, on: str | None = None) -> list[Designation]:
    """Mark active designations whose expiry has passed as expired (one event each)."""
    day = _dates(parse_day, on, "date") or today()
    out = []
    # Locked and reloaded (populate_existing): a designation delisted or renewed meanwhile is not expired.
    lapsed = select(Designation).where(Designation.status == "active", Designation.expiry_date.is_not(None),
                                       Designation.expiry_date < day).order_by(Designation.id)
    for d in list(session.scalars(lapsed.with_for_update().execution_options(populate_existing=True))):
        d.status = "expired"
        ev = _event(session, d, "expiry", d.expiry_date or day, who, "expiry date passed", {})
        changes.record(session, who=who, row=d, action="expired", what={"status": ["active", "expired"]},
                       why="expiry date passed", also=[ev])
        out.append(d)
    return out


def set_review(session: Session, d: Designation, to: str, *, who: str, why: str) -> None:
    """Move a designation through review (draft → in_review → approved → published)."""
    lock_row(session, d)
    try:
        check_review_move(d.review_status, to, f"designation #{d.id}")
    except ValueError as exc:
        raise SanctionsError(str(exc)) from exc
    before = d.review_status
    d.review_status = to
    changes.record(session, who=who, row=d, action="status", what={"review_status": [before, to]}, why=why)


# --------------------------------------------------------------------------- reading


def list_designations(session: Session, *, authority: str | None = None, actor: Actor | None = None,
                      status: str | None = None) -> list[Designation]:
    """Designations, oldest first, optionally filtered."""
    stmt = select(Designation).order_by(Designation.id)
    if authority:
        stmt = stmt.where(Designation.authority == resolve_authority(authority).code)
    if actor is not None:
        stmt = stmt.where(Designation.actor_id == actor.id)
    if status:
        if status not in ("active", "expired", "delisted"):
            raise SanctionsError(f"unknown status {status!r} (active, expired or delisted)")
        stmt = stmt.where(Designation.status == status)
    return list(session.scalars(stmt))


def events_of(session: Session, d: Designation) -> list[DesignationEvent]:
    """A designation's events, in the order they were recorded."""
    q = select(DesignationEvent).where(DesignationEvent.designation_id == d.id).order_by(DesignationEvent.id)
    return list(session.scalars(q))


@dataclass
class Due:
    """A designation that expires soon (``days_left`` < 0: lapsed but still marked active)."""

    designation: Designation
    actor: Actor
    days_left: int


def due(session: Session, *, days: int, on: str | None = None) -> list[Due]:
    """Active designations expiring within ``days`` of ``on`` (default today), soonest first."""
    if days < 0:
        raise SanctionsError(f"--days must be zero or more, not {days}")
    day = _dates(parse_day, on, "date") or today()
    limit = (date.fromisoformat(day) + timedelta(days=days)).isoformat()
    out = []
    for d in session.scalars(select(Designation).where(
            Designation.status == "active", Designation.expiry_date.is_not(None),
            Designation.expiry_date <= limit).order_by(Designation.expiry_date, Designation.id)):
        a = session.get(Actor, d.actor_id)
        assert a is not None
        left = (date.fromisoformat(d.expiry_date or day) - date.fromisoformat(day)).days
        out.append(Due(d, a, left))
    return out


def describe(session: Session, d: Designation) -> str:
    """One line: id, authority, actor, measures, dates, status."""
    a = session.get(Actor, d.actor_id)
    who = label(a) if a else f"#{d.actor_id}"
    return (f"#{d.id} {d.authority} {who}: {', '.join(d.measures)} from {d.start_date} "
            f"to {d.expiry_date or 'open'} ({d.status})")
